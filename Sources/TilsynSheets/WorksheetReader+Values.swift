// The typing of a cell's value (`t`, its style's date format, the shared strings), apart from the per-cell events
// in WorksheetReader.swift.
extension WorksheetReader {
    @inline(__always)
    static func cellType(_ bytes: UnsafeBufferPointer<UInt8>) -> CellType {
        guard let first = bytes.first else { return .number }
        switch (first, bytes.count) {
        case (UInt8(ascii: "s"), 1): return .sharedString
        case (UInt8(ascii: "n"), 1): return .number
        case (UInt8(ascii: "b"), 1): return .bool
        case (UInt8(ascii: "e"), 1): return .error
        case (UInt8(ascii: "d"), 1): return .isoDate
        case (UInt8(ascii: "s"), 3): return .formulaString
        case (UInt8(ascii: "i"), 9): return .inlineString
        default: return .number
        }
    }

    @inline(__always)
    func convert(_ bytes: UnsafeBufferPointer<UInt8>) throws -> CellValue? {
        switch cellType {
        case .number:
            if bytes.isEmpty { return nil }
            guard let number = ExcelText.double(bytes) else { throw notANumber() }
            if style > 0, style < dateKinds.count, let kind = dateKinds[style],
                let date = ExcelDateTime(workbookSerial: number, date1904: date1904, kind: kind)
            {
                return .date(date)
            }
            return .number(number)
        case .sharedString:
            if bytes.isEmpty { return nil }
            guard let index = ExcelText.index(bytes), index < sharedStrings.count else {
                throw noSuchSharedString(bytes)
            }
            return .string(sharedStrings[index])
        case .formulaString, .inlineString:
            return .string(ExcelText.string(bytes))
        case .bool:
            switch bytes.count {
            case 1: return .bool(bytes[0] == UInt8(ascii: "1"))
            case 0: return nil
            default: return .bool(String(decoding: bytes, as: UTF8.self).lowercased() == "true")
            }
        case .error:
            return .error(String(decoding: bytes, as: UTF8.self))
        case .isoDate:
            if bytes.isEmpty { return nil }
            guard let date = ExcelDateTime(iso: String(decoding: bytes, as: UTF8.self)) else { throw notAnISODate() }
            return .date(date)
        }
    }

    // The errors, out of line (see WorksheetReader.swift).

    @inline(never)
    private func notANumber() -> SpreadsheetError {
        SpreadsheetError(
            .invalidValue, "a number cell holds something that is not a number: the sheet is damaged", cell: reference)
    }

    @inline(never)
    private func noSuchSharedString(_ bytes: UnsafeBufferPointer<UInt8>) -> SpreadsheetError {
        SpreadsheetError(
            .invalidValue,
            "the cell refers to shared string \(String(decoding: bytes.prefix(12), as: UTF8.self)) but the "
                + "table holds \(sharedStrings.count): the workbook is damaged; save it again in Excel",
            cell: reference)
    }

    @inline(never)
    private func notAnISODate() -> SpreadsheetError {
        SpreadsheetError(
            .invalidValue, "a date cell (t=\"d\") does not hold an ISO 8601 date: the sheet is damaged",
            cell: reference)
    }
}
