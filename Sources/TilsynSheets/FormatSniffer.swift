/// Recognises what a file really is before it is read as XLSX, so the user gets a message that says what to do.
enum FormatSniffer {
    static let cfbMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Throws a specific error unless the bytes start like a ZIP archive.
    static func requireZip(_ bytes: [UInt8]) throws {
        if bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B, bytes[2] == 3 || bytes[2] == 5, bytes[3] == 4 || bytes[3] == 6 {
            return
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
        if bytes.isEmpty {
            throw SpreadsheetError(.notAWorkbook, "the file is empty: ask for the workbook again")
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
