#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Opens OpenDocument spreadsheets (`.ods`) for ``Workbook``: recognition, encryption, the sheet list and names.
enum ODSPackage {
    static let contentPart = "content.xml"
    /// The most bytes of content.xml that reading every sheet once may parse (sheets × the part's size).
    static let maxSheetParseWork: Int64 = 1 << 30

    /// Whether the archive is an OpenDocument spreadsheet; throws for another OpenDocument file (text, slides).
    static func isSpreadsheet(_ archive: ZipArchive) throws -> Bool {
        if let entry = archive.entry(named: "mimetype"), entry.uncompressedSize < 200,
            let data = try? archive.data(entry)
        {
            let mimetype = String(decoding: data, as: UTF8.self)
            if mimetype.contains("opendocument.spreadsheet") { return true }
            if mimetype.contains("opendocument") {
                let kind = mimetype.split(separator: ".").last.map(String.init) ?? "document"
                throw SpreadsheetError(
                    .openDocument,
                    "this is an OpenDocument \(kind) file, not a spreadsheet: fill in the spreadsheet and send that")
            }
            return false
        }
        // Some producers leave out the mimetype entry.
        return archive.entry(named: contentPart) != nil && archive.entry(named: "META-INF/manifest.xml") != nil
            && archive.entry(named: "[Content_Types].xml") == nil
    }

    /// Reads the sheet list and named ranges of an OpenDocument spreadsheet.
    static func open(_ archive: ZipArchive, options: ReadOptions) throws -> (sheets: [SheetInfo], names: [DefinedName]) {
        if let manifest = archive.entry(named: "META-INF/manifest.xml"), manifest.uncompressedSize < 4 << 20 {
            let data = try archive.data(manifest)
            if contains(data, "encryption-data") {
                throw SpreadsheetError(
                    .passwordProtected,
                    "the spreadsheet is password-protected (encrypted): save a copy without a password (in LibreOffice "
                        + "File > Save As without \"Save with password\") and send that",
                    part: "META-INF/manifest.xml")
            }
        }
        guard let content = archive.entry(named: contentPart) else {
            throw SpreadsheetError(
                .missingPart, "the OpenDocument package has no content.xml: it is not a complete spreadsheet",
                part: contentPart)
        }
        let reader = ODSContentReader(limits: options.limits, wantFormulas: false, target: nil)
        try SAXParser.parse(archive, content, handler: reader)
        guard !reader.sheets.isEmpty else {
            throw SpreadsheetError(
                .noSheets, "the spreadsheet has no sheets: save it again with at least one sheet", part: contentPart)
        }
        // All sheets share content.xml, and reading one sheet parses the part up to that sheet's end: reading every
        // sheet costs sheets × size. Bound that, so that thousands of empty sheets cannot make a small file slow.
        let work = Int64(reader.sheets.count) * max(content.uncompressedSize, 1)
        guard work <= maxSheetParseWork else {
            throw SpreadsheetError(
                .limitExceeded,
                "the spreadsheet has \(reader.sheets.count) sheets in a content.xml of \(content.uncompressedSize) "
                    + "bytes, more than can be read sheet by sheet: delete the sheets that are not needed, or save it "
                    + "as .xlsx", part: contentPart)
        }
        let sheets = reader.sheets.enumerated().map { index, entry in
            SheetInfo(
                name: entry.name, index: index,
                visibility: entry.styleName.map { reader.hiddenStyles.contains($0) } == true ? .hidden : .visible,
                kind: .worksheet, part: contentPart)
        }
        return (sheets, reader.definedNames)
    }

    private static func contains(_ bytes: [UInt8], _ text: StaticString) -> Bool {
        let pattern = Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        guard let first = pattern.first, bytes.count >= pattern.count else { return false }
        for i in 0...(bytes.count - pattern.count) where bytes[i] == first {
            if bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }
}
