/// Recognises what a file really is before it is read as XLSX, so the user gets a message that says what to do.
enum FormatSniffer {
    static let cfbMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Opens the bytes as a ZIP archive, with a specific error for a file cut off before its end.
    static func openZip(_ bytes: [UInt8], limits: ZipLimits) throws -> ZipArchive {
        do {
            return try ZipArchive(bytes: bytes, limits: limits)
        } catch let error as SpreadsheetError where error.code == .corruptZip && !hasEndRecord(bytes) {
            throw SpreadsheetError(
                .truncatedFile,
                "the file is cut off: the ZIP archive has no end record, so it was not saved, copied or downloaded "
                    + "completely; ask for the file again")
        }
    }

    /// Whether the last 64 KiB hold a ZIP end-of-central-directory signature.
    static func hasEndRecord(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 22 else { return false }
        var i = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while i >= lowest {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 5, bytes[i + 3] == 6 { return true }
            i -= 1
        }
        return false
    }

    /// Throws a specific error unless the bytes start like a ZIP archive.
    static func requireZip(_ bytes: [UInt8]) throws {
        if bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B, bytes[2] == 3 || bytes[2] == 5, bytes[3] == 4 || bytes[3] == 6 {
            return
        }
        if bytes.isEmpty {
            throw SpreadsheetError(.emptyFile, "the file is empty (0 bytes): ask for the workbook again")
        }
        if bytes.starts(with: Array("%PDF".utf8)) {
            throw SpreadsheetError(
                .pdfDisguised, "this is a PDF document, not a spreadsheet: send the filled-in workbook (.xlsx) instead")
        }
        if bytes.starts(with: cfbMagic) {
            if containsUTF16(bytes, "EncryptedPackage") || containsUTF16(bytes, "EncryptionInfo") {
                throw SpreadsheetError(
                    .passwordProtected,
                    "the workbook is password-protected: save a copy without a password (File > Info > Protect Workbook) and send that")
            }
            throw SpreadsheetError(
                .legacyXLS, "this is an old Excel 97–2003 workbook (.xls): open it in Excel and save it as .xlsx")
        }
        let head = String(decoding: bytes.prefix(2048), as: UTF8.self).lowercased()
        if head.contains("urn:schemas-microsoft-com:office:spreadsheet") {
            throw SpreadsheetError(
                .spreadsheetML2003, "this is an Excel 2003 XML spreadsheet: open it in Excel and save it as .xlsx")
        }
        if head.contains("<html") || head.contains("<!doctype html") || head.contains("<table") {
            throw SpreadsheetError(
                .htmlDisguised,
                "this is a web page (HTML) saved with a spreadsheet name: open it in Excel and save it as .xlsx")
        }
        switch textKind(bytes) {
        case .csv:
            throw SpreadsheetError(
                .csvDisguised,
                "this is CSV text with a workbook's name: name it .csv, or open it in Excel and save it as .xlsx")
        case .text:
            throw SpreadsheetError(
                .textFile, "this is a plain text file, not a workbook: send the filled-in workbook (.xlsx) instead")
        case nil:
            break
        }
        throw SpreadsheetError(
            .notAWorkbook,
            "the file is not an XLSX workbook (it is not a ZIP package): if it is CSV, name it .csv; otherwise save it as .xlsx")
    }

    /// Throws a specific error when the ZIP is an OpenDocument or binary Excel file rather than XLSX.
    static func requireXLSX(_ archive: ZipArchive) throws {
        if let mimetype = archive.entry(named: "mimetype"), mimetype.uncompressedSize < 200,
            let data = try? archive.data(mimetype),
            String(decoding: data, as: UTF8.self).contains("opendocument")
        {
            throw SpreadsheetError(
                .openDocument,
                "this is an OpenDocument spreadsheet (.ods): open it in LibreOffice or Excel and save it as .xlsx")
        }
        if archive.entry(named: "word/document.xml") != nil {
            throw SpreadsheetError(
                .wordDocument,
                "this is a Word document (.docx), not a spreadsheet: fill in the workbook and save it as .xlsx")
        }
        if archive.entry(named: "xl/workbook.bin") != nil {
            throw SpreadsheetError(
                .binaryXLSB, "this is a binary Excel workbook (.xlsb): open it in Excel and save it as .xlsx")
        }
        if archive.entry(named: "[Content_Types].xml") == nil && archive.entry(named: "xl/workbook.xml") == nil {
            throw SpreadsheetError(
                .notAWorkbook,
                "the ZIP archive is not an XLSX workbook (it has no [Content_Types].xml or xl/workbook.xml): save it as .xlsx")
        }
    }

    enum TextKind { case csv, text }

    /// Whether the start of the file reads as text, and as delimited text (CSV) at that: lines with the same
    /// number (at least one) of semicolons, commas or tabs.
    static func textKind(_ bytes: [UInt8]) -> TextKind? {
        var sample = Array(bytes.prefix(8192))
        if sample.starts(with: [0xEF, 0xBB, 0xBF]) { sample.removeFirst(3) }
        // UTF-16 text: keep the low byte of each code unit.
        if sample.starts(with: [0xFF, 0xFE]) {
            sample = stride(from: 2, to: sample.count, by: 2).map { sample[$0] }
        } else if sample.starts(with: [0xFE, 0xFF]) {
            sample = stride(from: 3, to: sample.count, by: 2).map { sample[$0] }
        }
        guard !sample.isEmpty else { return nil }
        var control = 0
        for byte in sample where byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { control += 1 }
        guard control == 0 || control * 100 < sample.count else { return nil }
        var lines = sample.split(separator: 0x0A, omittingEmptySubsequences: true)
        if bytes.count > sample.count, lines.count > 1 { lines.removeLast() }
        guard lines.count >= 2 else { return .text }
        for delimiter in [UInt8(ascii: ";"), UInt8(ascii: ","), 0x09] {
            let counts = lines.prefix(20).map { line in line.reduce(0) { $0 + ($1 == delimiter ? 1 : 0) } }
            if let first = counts.first, first > 0, counts.allSatisfy({ $0 == first }) { return .csv }
        }
        return .text
    }

    private static func containsUTF16(_ bytes: [UInt8], _ text: String) -> Bool {
        let pattern: [UInt8] = text.utf8.flatMap { [$0, UInt8(0)] }
        guard bytes.count >= pattern.count, let first = pattern.first else { return false }
        var i = 0
        let last = bytes.count - pattern.count
        while i <= last {
            if bytes[i] == first && Array(bytes[i..<(i + pattern.count)]) == pattern { return true }
            i += 1
        }
        return false
    }
}
