#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Conversion between CSV and XLSX, for analysts who receive one and need the other (`tilsyn convert`).
///
/// From CSV, every field is typed the way a Danish analyst expects: numbers with a decimal comma or point,
/// dates (`dd-mm-yyyy`, `dd.mm.yyyy`, ISO `yyyy-mm-dd`, each optionally with a time) and the booleans `true`,
/// `false`, `SAND` and `FALSK` become typed cells; everything else stays text. In particular `Ja` and `Nej` stay
/// text: in audit forms they are answers, not truth values. The first record is a bold, frozen header row with an
/// autofilter over the data, and columns are sized to their content. Text that a spreadsheet would run as a
/// formula is guarded with a leading `'` in both directions.
public enum SheetConversion {
    /// What a conversion wrote.
    public struct Summary: Sendable, Equatable {
        /// Rows written, header included.
        public var rows: Int
        /// Columns of the widest row.
        public var columns: Int
    }

    /// The widest column sizing gives, in characters; longer text wraps out of view rather than widening.
    static let maximumWidth = 60.0
    /// The narrowest column sizing gives, Excel's default width being about 8.43.
    static let minimumWidth = 8.0

    // MARK: - CSV to XLSX

    /// Converts the CSV file `input` to the workbook `output`, with one sheet named `sheetName`.
    ///
    /// `dialect` fixes the delimiter (`;` or `,`); nil sniffs it among `;`, `,` and TAB. Errors name the file.
    @discardableResult
    public static func csvToXLSX(
        input: String, output: String, dialect: CSVDialect? = nil, sheetName: String = "Ark1", compressionLevel: Int = 6
    ) throws -> Summary {
        let readOptions = CSVReadOptions(delimiter: dialect?.delimiter)
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path: input, limit: readOptions.maxFileSize)
        } catch let error as SpreadsheetError {
            throw error.inFile(input)
        }
        // First pass: the widest text of each column, for the widths that precede the rows in the sheet.
        var widths: [Int] = []
        var rowCount = 0
        do {
            let reader = try CSVReader(bytes: bytes, name: input, options: readOptions)
            try reader.forEachRecord { record in
                let header = rowCount == 0
                rowCount += 1
                if widths.count < record.count { widths += Array(repeating: 0, count: record.count - widths.count) }
                for (column, field) in record.enumerated() {
                    let shown = header ? characterCount(field) + 2 : displayWidth(of: field)
                    widths[column] = max(widths[column], shown)
                }
            }
        } catch let error as SpreadsheetError {
            throw error.inFile(input)
        }
        do {
            let writer = try XLSXWriter(
                path: output, options: .init(compressionLevel: compressionLevel, guardFormulaText: true))
            let bold = try writer.addStyle(XLSXWriter.Style(font: XLSXWriter.Font(bold: true)))
            let columns = widths.enumerated().map { column, width in
                XLSXWriter.Column.width(column, min(max(Double(width) + 1, minimumWidth), maximumWidth))
            }
            let sheet = try writer.addWorksheet(
                sheetName, options: .init(columns: columns, frozenRows: rowCount > 0 ? 1 : 0))
            let reader = try CSVReader(bytes: bytes, name: input, options: readOptions)
            var cells: [XLSXWriter.Cell?] = []
            try reader.forEachRecord { record in
                cells.removeAll(keepingCapacity: true)
                let header = sheet.nextRow == 0
                for field in record {
                    if field.isEmpty {
                        cells.append(nil)
                    } else if header {
                        cells.append(.string(field, style: bold))
                    } else {
                        cells.append(XLSXWriter.Cell(typedValue(field)))
                    }
                }
                try sheet.appendRow(cells)
            }
            if rowCount > 0 && !widths.isEmpty {
                try sheet.setAutoFilter(
                    A1.range(firstRow: 0, firstColumn: 0, lastRow: rowCount - 1, lastColumn: widths.count - 1))
            }
            try writer.close()
        } catch let error as SpreadsheetError {
            throw error.inFile(output)
        }
        return Summary(rows: rowCount, columns: widths.count)
    }

    /// The characters a field takes on screen once typed (see ``typedValue(_:)``), for sizing its column: a date
    /// as `dd-mm-yyyy` (with ` hh:mm` when it has a time), a boolean as `FALSK`, anything else, numbers included, as
    /// written. No number is parsed: its width is its text's.
    static func displayWidth(of field: String) -> Int {
        if let date = dateTime(field) { return date.hasTime ? 16 : 10 }
        if boolean(field) != nil { return 5 }
        return characterCount(field)
    }

    /// The characters of `field`: its byte count when every byte is printable ASCII (each such byte is a character
    /// of its own), else `String.count`, which walks the grapheme clusters (4 % of converting a large CSV file when
    /// asked of every field).
    static func characterCount(_ field: String) -> Int {
        var field = field
        let printableASCII = field.withUTF8 { bytes in bytes.allSatisfy { $0 &- 0x20 < 0x5F } }
        return printableASCII ? field.utf8.count : field.count
    }

    /// The typed cell value of a CSV field: number, date, boolean or text.
    ///
    /// Numbers: an optional `-` or `+`, digits and at most one decimal comma or point with digits after it
    /// (`1234,5`, `-0.25`); no thousands separators or exponents, and integers with a leading zero (`0800`,
    /// postcodes and case numbers) or more than 15 digits (beyond a `Double`'s precision) stay text.
    /// Dates: `dd-mm-yyyy`, `dd.mm.yyyy` or `yyyy-mm-dd` (day and month may have one digit), optionally followed
    /// by ` hh:mm` or ` hh:mm:ss` (or `T` in ISO form). Booleans: `true`, `false`, `SAND`, `FALSK` in any case.
    public static func typedValue(_ field: String) -> XLSXWriter.Value {
        if let number = number(field) { return .number(number) }
        if let date = dateTime(field) { return .dateTime(date) }
        if let flag = boolean(field) { return .bool(flag) }
        return .string(field)
    }

    /// `true`/`sand` or `false`/`falsk` in any mix of ASCII case, else nil; compared byte by byte (no lower-cased
    /// copy of every field: that was a fifth of converting a large CSV file).
    static func boolean(_ field: String) -> Bool? {
        // Only four or five bytes can be one: most fields are ruled out by their count alone.
        let count = field.utf8.count
        guard count == 4 || count == 5 else { return nil }
        func matches(_ word: StaticString) -> Bool {
            guard count == word.utf8CodeUnitCount else { return false }
            var index = 0
            for byte in field.utf8 {
                // ASCII letters only: `| 0x20` folds A–Z to a–z and leaves a–z as they are.
                guard byte | 0x20 == word.utf8Start[index], byte >= 0x41 else { return false }
                index += 1
            }
            return true
        }
        if matches("true") || matches("sand") { return true }
        if matches("false") || matches("falsk") { return false }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// A number in Danish or English notation, or nil.
    static func number(_ field: String) -> Double? {
        var field = field
        return field.withUTF8 { number(utf8: $0) }
    }

    private static func number(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty, bytes.count <= 40 else { return nil }
        var index = 0
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { index = 1 }
        let integerStart = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        let integerDigits = index - integerStart
        guard integerDigits > 0, integerDigits <= 15 else { return nil }
        if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") { return nil }
        if index < bytes.count {
            guard bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: ".") else { return nil }
            index += 1
            let fractionStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > fractionStart, index == bytes.count else { return nil }
        }
        // The text with a decimal point, copied on the stack (at most 40 bytes), read as a sheet's number is: exactly
        // by one division when its digits and decimals allow, else by strtod (both round correctly).
        let value = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { copy -> Double? in
            for (position, byte) in bytes.enumerated() {
                copy[position] = byte == UInt8(ascii: ",") ? UInt8(ascii: ".") : byte
            }
            return ExcelText.double(UnsafeBufferPointer(copy))
        }
        guard let value, value.isFinite else { return nil }
        return value == 0 ? 0 : value
    }

    /// A date (and time) in one of the accepted forms, or nil.
    static func dateTime(_ field: String) -> XLSXWriter.DateTime? {
        // Most fields are not dates: the length and the first byte rule them out before any copy.
        let count = field.utf8.count
        guard count >= 8, count <= 26, let first = field.utf8.first, isDigit(first) else { return nil }
        let bytes = Array(field.utf8)
        var index = 0
        func digits(_ minimum: Int, _ maximum: Int) -> Int? {
            let start = index
            var value = 0
            while index < bytes.count, index - start < maximum, isDigit(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            return index - start >= minimum ? value : nil
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        var year: Int
        var month: Int
        var day: Int
        var isISO = false
        if bytes.count >= 5, bytes[4] == UInt8(ascii: "-"), bytes[0..<4].allSatisfy(isDigit) {
            isISO = true
            guard let y = digits(4, 4), expect(UInt8(ascii: "-")), let m = digits(1, 2), expect(UInt8(ascii: "-")),
                let d = digits(1, 2)
            else { return nil }
            (year, month, day) = (y, m, d)
        } else {
            guard let d = digits(1, 2), index < bytes.count else { return nil }
            let separator = bytes[index]
            guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "."), expect(separator),
                let m = digits(1, 2), expect(separator), let y = digits(4, 4)
            else { return nil }
            (year, month, day) = (y, m, d)
        }
        var hour = 0
        var minute = 0
        var second = 0.0
        if index < bytes.count {
            guard expect(UInt8(ascii: " ")) || (isISO && expect(UInt8(ascii: "T"))), let h = digits(2, 2),
                expect(UInt8(ascii: ":")), let m = digits(2, 2)
            else { return nil }
            (hour, minute) = (h, m)
            if index < bytes.count {
                guard expect(UInt8(ascii: ":")), let s = digits(2, 2) else { return nil }
                second = Double(s)
            }
            guard index == bytes.count else { return nil }
        }
        return try? XLSXWriter.DateTime(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    // MARK: - XLSX to CSV

    /// Converts one sheet of the workbook `input` (the first when `sheet` is nil) to the CSV file `output`.
    ///
    /// Rows keep their positions (empty rows between them are written empty) and every row has as many fields as
    /// the widest; text that a spreadsheet would run as a formula gets a leading `'`.
    @discardableResult
    public static func xlsxToCSV(input: String, output: String, sheet: String? = nil, dialect: CSVDialect = .excelDA)
        throws -> Summary
    {
        let workbook: Workbook
        do {
            workbook = try Workbook(path: input)
        } catch let error as SpreadsheetError {
            throw error.inFile(input)
        }
        let info: SheetInfo
        if let sheet {
            info = try workbook.requireSheet(named: sheet, file: input)
        } else {
            guard let first = workbook.sheets.first else {
                throw SpreadsheetError(.noSheets, "the workbook has no sheets", file: input)
            }
            info = first
        }
        // One parse of the sheet: rows are written as wide as their last value into a temporary file beside the
        // output, with each record's end and width; only when some row is narrower than the widest is the file
        // copied once more with the missing empty fields added. The bytes are those of writing every row as wide
        // as the widest in the first place.
        guard let temporary = TemporaryFile.path(beside: output) else {
            throw SpreadsheetError(.writeFailed, "the output names a folder, not a file", file: output)
        }
        let options = CSVWriteOptions(dialect: dialect, guardFormulas: true)
        let writer: CSVWriter
        do {
            writer = try CSVWriter(path: temporary, options: options)
        } catch let error as SpreadsheetError {
            throw error.inFile(output)
        }
        defer { unlink(temporary) }
        var columns = 0
        var written = 0
        // Each record's end (before its line end) and the fields it was written with.
        var records: [(end: Int, fields: Int32)] = []
        let lineEnd = dialect.lineEnd.count
        do {
            try workbook.rows(of: info).forEach { row in
                while written < row.number - 1 {
                    try writer.writeRow([CSVValue]())
                    records.append((writer.byteCount - lineEnd, 0))
                    written += 1
                }
                columns = max(columns, row.cells.last?.column ?? 0)
                // As wide as its last cell that is not empty text (found from the end: usually the last cell).
                let width = row.cells.last { !CSVWriter.isEmptyText($0.value) }?.column ?? 0
                try writer.writeRow(cells: row.cells, width: width)
                records.append((writer.byteCount - lineEnd, Int32(width)))
                written += 1
            }
            try writer.finish()
            if records.allSatisfy({ Int($0.fields) == columns }) {
                guard TemporaryFile.moveIntoPlace(temporary, output) else {
                    throw SpreadsheetError(
                        .writeFailed, "the file could not be put in place (\(String(cString: strerror(errno))))",
                        file: output)
                }
            } else {
                try widen(temporary, into: output, records: records, columns: columns, delimiter: dialect.delimiter)
            }
        } catch var error as SpreadsheetError {
            writer.discard()
            // The writer names the file it writes, the hidden temporary one: errors name the output.
            if error.file == temporary { error.file = output }
            throw error.inFile(output)
        }
        return Summary(rows: written, columns: columns)
    }

    /// Copies the CSV file `source` to `target` (atomically), adding to each record of `records` narrower than
    /// `columns` the empty fields it lacks before its line end: as `CSVWriter` writes a row of that many fields
    /// (a blank row of one field is `""`, so that it does not read back as no field).
    private static func widen(
        _ source: String, into target: String, records: [(end: Int, fields: Int32)], columns: Int, delimiter: UInt8
    ) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            throw SpreadsheetError(.writeFailed, "the temporary file could not be read again", file: target)
        }
        defer { close(input) }
        let file = try AtomicFile(path: target)
        var committed = false
        defer { if !committed { file.discard() } }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        var position = 0
        // Copies the source's bytes up to `end`.
        func copy(upTo end: Int) throws {
            while position < end {
                let count = pread(input, chunk.baseAddress, min(chunk.count, end - position), off_t(position))
                guard count > 0 else {
                    throw SpreadsheetError(.writeFailed, "the temporary file ended early", file: target)
                }
                try file.write(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
                position += count
            }
        }
        for record in records where Int(record.fields) < columns {
            try copy(upTo: record.end)
            var padding: [UInt8]
            if record.fields == 0 && columns == 1 {
                padding = [0x22, 0x22]
            } else {
                padding = Array(repeating: delimiter, count: columns - max(Int(record.fields), 1))
            }
            try padding.withUnsafeBytes { try file.write($0) }
        }
        var end = stat()
        guard fstat(input, &end) == 0 else {
            throw SpreadsheetError(.writeFailed, "the temporary file could not be read again", file: target)
        }
        try copy(upTo: Int(end.st_size))
        try file.commit()
        committed = true
    }

    /// The CSV value of a cell read from a workbook: dates at midnight as dates, times of day as `HH:MM:SS` text.
    public static func csvValue(_ value: CellValue) -> CSVValue {
        switch value {
        case .string(let text): return .text(text)
        case .number(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .error(let code): return .text(code)
        case .date(let date):
            let c = date.components
            switch date.kind {
            case .date where c.hour == 0 && c.minute == 0 && c.second == 0:
                return .date(year: c.year, month: c.month, day: c.day)
            case .time:
                return .text("\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))")
            default:
                return .dateTime(
                    year: c.year, month: c.month, day: c.day, hour: c.hour, minute: c.minute, second: c.second)
            }
        }
    }
}
