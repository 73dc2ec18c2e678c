public import Foundation
public import TilsynSheets
public import Testing

/// A generated corpus of hostile and broken files, each with the outcome Tilsyn must give.
///
/// Written at test time into a temporary folder (``write(to:)``), never committed: some files are tens of
/// megabytes. Every file stays within the default ``ZipLimits`` file size, so each one reaches the check it is
/// meant to trip.
public enum HostileCorpus {
    /// What reading a hostile file must give.
    public enum Outcome: Sendable, CustomStringConvertible {
        /// Rejected with this error code and a message containing this text.
        case rejected(SpreadsheetError.Code, String)
        /// Read without error; every cell in these references is a number (e.g. out-of-range date serials).
        case numbers([String])
        /// Read without error (e.g. a CSV file that is not UTF-8 and has no byte order mark: Windows-1252).
        case reads

        public var description: String {
            switch self {
            case .rejected(let code, _): "rejected with \(code)"
            case .numbers(let cells): "read, with numbers in \(cells.joined(separator: " "))"
            case .reads: "read"
            }
        }
    }

    /// One hostile file: its name (the extension says XLSX, ODS or CSV), how to make it, and the outcome.
    public struct Case: Sendable, CustomTestStringConvertible {
        public let name: String
        public let outcome: Outcome
        let make: @Sendable () -> [UInt8]

        public var testDescription: String { "\(name): \(outcome)" }
        public var isCSV: Bool { name.hasSuffix(".csv") }
        public func bytes() -> [UInt8] { make() }
    }

    /// Writes every case into `folder` (created if needed); returns the cases with their paths.
    /// `Tests/write-hostile-corpus FOLDER` does this for people.
    public static func write(to folder: URL) throws -> [(case: Case, path: String)] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try cases.map { hostile in
            let url = folder.appendingPathComponent(hostile.name)
            try Data(hostile.bytes()).write(to: url)
            return (hostile, url.path)
        }
    }

    // MARK: The cases

    public static let cases: [Case] =
        zipCases + truncatedCases + xmlCases + sizeCases + cellCases + packageCases + csvCases + odsCases

    static let zipCases: [Case] = [
        Case(
            name: "zip-bomb-declares-10GB.xlsx",
            outcome: .rejected(.entryTooLarge, "allowed per part: the file is a zip bomb"),
            make: { zipBomb(declared: 10 << 30) }),
        Case(
            name: "zip-bomb-lying-size.xlsx",
            outcome: .rejected(.sizeMismatch, "inflates to more than the 1024 bytes its header declares"),
            make: {
                // 16 MiB of spaces deflate to about 16 KiB; the header says 1 KiB.
                rebuilt(workbook(sheetXML: nil).build()) { entries in
                    entries.removeAll { $0.name == "xl/worksheets/sheet1.xml" }
                    entries.append(
                        .init("xl/worksheets/sheet1.xml", [UInt8](repeating: 0x20, count: 16 << 20), declaredSize: 1024))
                }
            }),
        Case(
            name: "zip-bomb-many-parts.xlsx",
            outcome: .rejected(.compressionRatio, "more than the 1000 allowed: the file looks like a zip bomb"),
            make: {
                // Five parts of 16 bytes each declaring just under the per-part limit: 5 GiB in all.
                var zip = ZipBuilder()
                zip.forceZip64 = true
                for index in 0..<5 {
                    var entry = ZipBuilder.Entry("xl/media/image\(index).bin", [UInt8](repeating: 0, count: 16))
                    entry.zip64Size = (1 << 30) - 1
                    zip.entries.append(entry)
                }
                return zip.build()
            }),
        Case(
            name: "overlapping-entries.xlsx",
            outcome: .rejected(.overlappingEntries, "share bytes in the archive"),
            make: {
                var zip = ZipBuilder(entriesOf: workbook(sheetXML: nil).build())
                zip.overlapSecondEntry = true
                return zip.build()
            }),
        Case(
            name: "duplicate-entries.xlsx",
            outcome: .rejected(.duplicateEntry, "the archive holds two entries named 'xl/workbook.xml'"),
            make: {
                var zip = ZipBuilder(entriesOf: workbook(sheetXML: nil).build())
                zip.entries.append(.init("xl/workbook.xml", "<workbook/>"))
                return zip.build()
            }),
        Case(
            name: "duplicate-entries-case.xlsx",
            outcome: .rejected(.duplicateEntry, "names differ only in case or slashes"),
            make: {
                var zip = ZipBuilder(entriesOf: workbook(sheetXML: nil).build())
                zip.entries.append(.init("XL\\Worksheets\\Sheet1.XML", "<worksheet/>"))
                return zip.build()
            }),
        Case(
            name: "zip64-count-disagrees.xlsx",
            outcome: .rejected(.corruptZip, "the ZIP64 and classic end-of-central-directory records disagree"),
            make: {
                var zip = ZipBuilder(entriesOf: workbook(sheetXML: nil).build())
                zip.forceZip64 = true
                zip.zip64CountMismatch = true
                return zip.build()
            }),
        Case(
            name: "zip64-offset-beyond-file.xlsx",
            outcome: .rejected(.corruptZip, "the central directory lies outside the file"),
            make: {
                var zip = ZipBuilder(entriesOf: workbook(sheetXML: nil).build())
                zip.forceZip64 = true
                zip.zip64DirectoryOffset = UInt64(Int64.max) - 100
                return zip.build()
            }),
        Case(
            name: "zip64-entry-size-disagrees.xlsx",
            outcome: .rejected(.sizeMismatch, "bytes but its header declares"),
            make: {
                var zip = ZipBuilder(entriesOf: workbook(sheetXML: nil).build())
                zip.forceZip64 = true
                zip.change("xl/workbook.xml") { $0.zip64Size = UInt64($0.data.count + 7) }
                return zip.build()
            }),
        Case(
            name: "crc-mismatch.xlsx",
            outcome: .rejected(.crcMismatch, "checksum (CRC-32) does not match"),
            make: {
                var zip = ZipBuilder(entriesOf: workbook(sheetXML: nil).build())
                zip.change("xl/worksheets/sheet1.xml") { $0.declaredCRC = crc32Of($0.data) ^ 1 }
                return zip.build()
            }),
    ]

    /// A workbook of about 20 KB cut after every whole kilobyte.
    static let truncatedCases: [Case] = {
        let full = truncationSource
        return stride(from: 1024, to: full.count, by: 1024).map { cut in
            Case(
                name: "truncated-at-\(cut / 1024)k.xlsx",
                outcome: .rejected(.truncatedFile, "the file is cut off"),
                make: { Array(truncationSource.prefix(cut)) })
        }
    }()

    static let truncationSource: [UInt8] = {
        // Pseudo-random numbers, so that the sheet does not compress to nothing.
        var state: UInt64 = 42
        var rows = ""
        for row in 1...400 {
            rows += "<row r=\"\(row)\">"
            for column in ["A", "B", "C"] {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                rows += "<c r=\"\(column)\(row)\"><v>\(state >> 40)</v></c>"
            }
            rows += "</row>"
        }
        return workbook(sheetXML: sheet(rows)).build()
    }()

    static let xmlCases: [Case] = [
        Case(
            name: "entity-bomb.xlsx",
            outcome: .rejected(.forbiddenDTD, "declares a DTD (<!DOCTYPE>)"),
            make: {
                var entities = "<!ENTITY lol0 \"lol\">"
                for level in 1...9 {
                    entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
                }
                var builder = XLSXBuilder()
                builder.addSheet("Ark1", rows: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>")
                builder.sharedStrings = ["x"]
                let sst = "<?xml version=\"1.0\"?><!DOCTYPE sst [\(entities)]><sst xmlns=\"\(builder.mainNamespace)\">"
                    + "<si><t>&lol9;</t></si></sst>"
                return rebuilt(builder.build()) { replace(&$0, "xl/sharedStrings.xml", Array(sst.utf8)) }
            }),
        Case(
            name: "external-entity-file.xlsx",
            outcome: .rejected(.forbiddenDTD, "declares a DTD (<!DOCTYPE>)"),
            make: {
                workbook(
                    sheetXML: "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                        + sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>")
                ).build()
            }),
        Case(
            name: "external-entity-http.xlsx",
            outcome: .rejected(.forbiddenDTD, "declares a DTD (<!DOCTYPE>)"),
            make: {
                // In the workbook part, and as an external DTD subset: both must be refused before any fetch.
                let builder = workbook(sheetXML: nil)
                let part = "<?xml version=\"1.0\"?><!DOCTYPE workbook SYSTEM \"http://127.0.0.1:9/evil.dtd\">"
                    + "<workbook xmlns=\"\(builder.mainNamespace)\"><sheets><sheet name=\"&xxe;\" sheetId=\"1\"/></sheets>"
                    + "</workbook>"
                return rebuilt(builder.build()) { replace(&$0, "xl/workbook.xml", Array(part.utf8)) }
            }),
        Case(
            name: "external-entity-http-entity.xlsx",
            outcome: .rejected(.forbiddenDTD, "declares a DTD (<!DOCTYPE>)"),
            make: {
                // An external general entity fetched over HTTP, used in the shared strings.
                var builder = workbook(sheetXML: sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"))
                builder.sharedStrings = ["x"]
                let sst = "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/secret\">]>"
                    + "<sst xmlns=\"\(builder.mainNamespace)\"><si><t>&xxe;</t></si></sst>"
                return rebuilt(builder.build()) { replace(&$0, "xl/sharedStrings.xml", Array(sst.utf8)) }
            }),
        Case(
            name: "nested-100000-deep.xlsx",
            outcome: .rejected(.limitExceeded, "nested more than 256 levels deep"),
            make: {
                let depth = 100_000
                return workbook(
                    sheetXML: "<worksheet xmlns=\"\(XLSXBuilder().mainNamespace)\">" + String(repeating: "<a>", count: depth)
                        + String(repeating: "</a>", count: depth) + "</worksheet>"
                ).build()
            }),
        Case(
            name: "invalid-utf8-xml.xlsx",
            outcome: .rejected(.invalidXML, "the XML is not well-formed"),
            make: {
                // A lone lead byte, a byte that never occurs in UTF-8 and an encoded surrogate.
                let xml = sheetBytes(
                    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>", [0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80],
                    "</t></is></c></row>")
                return rebuilt(workbook(sheetXML: nil).build()) { replace(&$0, "xl/worksheets/sheet1.xml", xml) }
            }),
        Case(
            name: "invalid-encoding-xml.xlsx",
            outcome: .rejected(.invalidXML, "not in the encoding the XML declaration names"),
            make: {
                // Declared Shift_JIS, with bytes that are not: libxml2 reports this outside the parser's handler
                // (found by fuzz-shared-strings: it printed the bytes in hex to standard error).
                let xml = Array("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>".utf8)
                    + sheetBytes("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>", [0x81, 0x00, 0xFF, 0xFE],
                                 "</t></is></c></row>")
                return rebuilt(workbook(sheetXML: nil).build()) { replace(&$0, "xl/worksheets/sheet1.xml", xml) }
            }),
    ]

    static let sizeCases: [Case] = [
        Case(
            name: "string-10-million-characters.xlsx",
            outcome: .rejected(.limitExceeded, "the cell holds more than 1048576 bytes"),
            make: {
                let xml = sheetBytes(
                    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>",
                    [UInt8](repeating: UInt8(ascii: "a"), count: 10_000_000), "</t></is></c></row>")
                // Stored, not deflated: the deflated text would trip the compression-ratio check first.
                return rebuilt(workbook(sheetXML: nil).build()) { entries in
                    replace(&entries, "xl/worksheets/sheet1.xml", xml, deflate: false)
                }
            }),
        Case(
            name: "shared-strings-10-million-declared.xlsx",
            outcome: .rejected(.limitExceeded, "the shared-string table declares 10000000 strings, more than the 2000000"),
            make: {
                // Three strings in fact; the declared count alone is refused.
                var builder = workbook(sheetXML: sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>2</v></c></row>"))
                builder.sharedStrings = ["a", "b", "c"]
                return rebuilt(builder.build()) { entries in
                    let sst = "<?xml version=\"1.0\"?><sst xmlns=\"\(XLSXBuilder().mainNamespace)\" count=\"10000000\" "
                        + "uniqueCount=\"10000000\"><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>"
                    replace(&entries, "xl/sharedStrings.xml", Array(sst.utf8))
                }
            }),
        Case(
            name: "shared-strings-10-million-elements.xlsx",
            outcome: .rejected(.limitExceeded, "the shared-string table holds more than 2000000 strings"),
            make: {
                var builder = workbook(sheetXML: nil)
                builder.sharedStrings = ["a"]
                // No declared counts: the reader must count the items themselves. A space after about one item in
                // sixteen keeps deflate near 50:1 (below the zip-bomb ratio) in blocks longer than its 32 KiB window.
                let head = "<?xml version=\"1.0\"?><sst xmlns=\"\(XLSXBuilder().mainNamespace)\">"
                var block: [UInt8] = []
                var state: UInt64 = 42
                for _ in 0..<16_384 {
                    block.append(contentsOf: [0x3C, 0x73, 0x69, 0x2F, 0x3E])  // <si/>
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    if state >> 60 == 0 { block.append(0x20) }
                }
                var sst = Array(head.utf8)
                sst.reserveCapacity(sst.count + 611 * block.count + 6)
                for _ in 0..<611 { sst.append(contentsOf: block) }  // 10,010,624 items
                sst.append(contentsOf: Array("</sst>".utf8))
                return rebuilt(builder.build()) { replace(&$0, "xl/sharedStrings.xml", sst) }
            }),
    ]

    static let cellCases: [Case] = [
        Case(
            name: "cell-beyond-XFD.xlsx",
            outcome: .rejected(.invalidCellReference, "not a valid address within A1:XFD1048576"),
            make: { workbook(sheetXML: sheet("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>")).build() }),
        Case(
            name: "cell-beyond-row-1048576.xlsx",
            outcome: .rejected(.invalidCellReference, "not a valid address within A1:XFD1048576"),
            make: { workbook(sheetXML: sheet("<row><c r=\"A1048577\"><v>1</v></c></row>")).build() }),
        Case(
            name: "row-beyond-1048576.xlsx",
            outcome: .rejected(.invalidCellReference, "a row number is not between 1 and 1048576"),
            make: { workbook(sheetXML: sheet("<row r=\"99999999999\"><c><v>1</v></c></row>")).build() }),
        Case(
            name: "date-serials-out-of-range.xlsx",
            outcome: .numbers(["A1", "A2", "A3", "A4", "A5", "A6", "A7"]),
            make: {
                // Style 2 is a date format: serials outside 0...2958465.99 (9999-12-31) must stay numbers.
                let serials = ["-1", "-693594", "-1.7976931348623157E308", "2958466", "1E+15", "1.7976931348623157E308",
                               "-0.000001"]
                let rows = serials.enumerated().map { index, serial in
                    "<row r=\"\(index + 1)\"><c r=\"A\(index + 1)\" s=\"2\"><v>\(serial)</v></c></row>"
                }
                var builder = workbook(sheetXML: sheet(rows.joined()))
                builder.stylesXML = XLSXBuilder.dateStyles
                return builder.build()
            }),
    ]

    static let packageCases: [Case] = [
        Case(
            name: "sheet-part-missing.xlsx",
            outcome: .rejected(.missingPart, "is missing from the package"),
            make: {
                rebuilt(workbook(sheetXML: nil).build()) { entries in
                    entries.removeAll { $0.name == "xl/worksheets/sheet1.xml" }
                }
            }),
        Case(
            name: "no-sheets.xlsx",
            outcome: .rejected(.noSheets, "the workbook has no sheets"),
            make: { XLSXBuilder().build() }),
    ]

    /// OpenDocument files: repeat counts are numbers, not bytes, so the ZIP limits do not bound them.
    static let odsCases: [Case] = [
        Case(
            name: "ods-columns-repeated-billion.ods",
            outcome: .rejected(.limitExceeded, "repeated beyond the last column"),
            make: { ods(ODSBuilder.row(ODSBuilder.text("X", repeated: 999_999_999))) }),
        Case(
            name: "ods-rows-repeated-billion.ods",
            outcome: .rejected(.limitExceeded, "beyond the last row"),
            make: { ods(ODSBuilder.row(ODSBuilder.text("X"), repeated: 999_999_999)) }),
        Case(
            // Within XFD1048576, but 17 billion cells from a few hundred bytes.
            name: "ods-repeats-fill-the-sheet.ods",
            outcome: .rejected(.limitExceeded, "repeat counts"),
            make: { ods(ODSBuilder.row(ODSBuilder.text("X", repeated: 16_384), repeated: 1_048_576)) }),
        Case(
            name: "ods-trailing-empty-repeats.ods",
            outcome: .reads,
            make: {
                ods(ODSBuilder.row(ODSBuilder.text("X"), ODSBuilder.empty(16_383))
                    + ODSBuilder.row(ODSBuilder.empty(16_384), repeated: 1_048_575))
            }),
        Case(
            name: "ods-text-s-two-billion-spaces.ods",
            outcome: .rejected(.limitExceeded, "bytes of text"),
            make: {
                ods(ODSBuilder.row(
                    "<table:table-cell office:value-type=\"string\"><text:p><text:s text:c=\"2000000000\"/></text:p></table:table-cell>"))
            }),
        Case(
            name: "ods-entity-bomb.ods",
            outcome: .rejected(.forbiddenDTD, "declares a DTD"),
            make: {
                var builder = ODSBuilder()
                builder.rawContent = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\">"
                    + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
                    + "<office:document-content \(ODSBuilder.namespaces)><office:body><office:spreadsheet>"
                    + "<table:table table:name=\"A\"><table:table-row><table:table-cell office:value-type=\"string\">"
                    + "<text:p>&c;</text:p></table:table-cell></table:table-row></table:table>"
                    + "</office:spreadsheet></office:body></office:document-content>"
                return builder.build()
            }),
        Case(
            name: "ods-6000-empty-sheets.ods",
            outcome: .rejected(.limitExceeded, "more than can be read sheet by sheet"),
            make: {
                var builder = ODSBuilder()
                for k in 0..<6_000 { builder.addSheet("A\(k)", rows: ODSBuilder.row(ODSBuilder.empty(1_024))) }
                return builder.build()
            }),
        Case(
            name: "ods-encrypted.ods",
            outcome: .rejected(.passwordProtected, "password-protected"),
            make: {
                var builder = ODSBuilder()
                builder.addSheet("A", rows: ODSBuilder.row(ODSBuilder.text("X")))
                builder.manifest = "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
                    + "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\">"
                    + "<manifest:encryption-data/></manifest:file-entry></manifest:manifest>"
                return builder.build()
            }),
    ]

    static func ods(_ rows: String) -> [UInt8] {
        var builder = ODSBuilder()
        builder.addSheet("A", rows: rows)
        return builder.build()
    }

    static let csvCases: [Case] = [
        Case(
            name: "invalid-utf8-with-bom.csv",
            outcome: .rejected(.invalidCSV, "the file starts with a UTF-8 byte order mark but the line is not valid UTF-8"),
            make: { [0xEF, 0xBB, 0xBF] + Array("sag;svar\r\n1;".utf8) + [0xC0, 0xAF, 0xED, 0xA0, 0x80] + [0x0D, 0x0A] }),
        Case(
            // Without a byte order mark, bytes that are not UTF-8 mean Danish Excel's Windows-1252: read, not refused.
            name: "invalid-utf8-without-bom.csv",
            outcome: .reads,
            make: { Array("sag;svar\r\n1;".utf8) + [0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xFF] + [0x0D, 0x0A] }),
        Case(
            name: "field-10-million-characters.csv",
            outcome: .rejected(.invalidCSV, "a field is larger than 1048576 bytes"),
            make: { Array("a;\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000) + Array("\"\r\n".utf8) }),
    ]

    // MARK: Building blocks

    /// A one-sheet workbook named `Ark1`; `sheetXML` nil gives a small valid sheet.
    static func workbook(sheetXML: String?) -> XLSXBuilder {
        var builder = XLSXBuilder()
        builder.addRawSheet("Ark1", xml: sheetXML ?? sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"))
        return builder
    }

    /// A worksheet part with these rows.
    static func sheet(_ rows: String) -> String {
        "<worksheet xmlns=\"\(XLSXBuilder().mainNamespace)\"><sheetData>\(rows)</sheetData></worksheet>"
    }

    /// A worksheet part whose sheet data is `head`, then raw bytes, then `tail`.
    static func sheetBytes(_ head: String, _ middle: [UInt8], _ tail: String) -> [UInt8] {
        Array("<worksheet xmlns=\"\(XLSXBuilder().mainNamespace)\"><sheetData>\(head)".utf8) + middle
            + Array("\(tail)</sheetData></worksheet>".utf8)
    }

    /// The archive's entries, changed by `change`, written again.
    static func rebuilt(_ bytes: [UInt8], _ change: (inout [ZipBuilder.Entry]) -> Void) -> [UInt8] {
        var zip = ZipBuilder(entriesOf: bytes)
        change(&zip.entries)
        return zip.build()
    }

    static func replace(_ entries: inout [ZipBuilder.Entry], _ name: String, _ data: [UInt8], deflate: Bool = true) {
        entries.removeAll { $0.name == name }
        entries.append(.init(name, data, deflate: deflate))
    }

    /// A ZIP of about 1 KB whose one part declares `declared` bytes (ZIP64), far beyond the per-part limit.
    static func zipBomb(declared: UInt64) -> [UInt8] {
        var zip = ZipBuilder(entriesOf: workbook(sheetXML: nil).build())
        zip.forceZip64 = true
        zip.change("xl/worksheets/sheet1.xml") { $0.zip64Size = declared }
        return zip.build()
    }
}

extension ZipBuilder {
    /// A builder holding the entries of an archive made by ``build()``, to be changed and written again.
    public init(entriesOf bytes: [UInt8]) {
        do {
            let archive = try ZipArchive(bytes: bytes)
            self.init(try archive.entries.map { entry in Entry(entry.name, try archive.data(entry)) })
        } catch {
            preconditionFailure("ZipBuilder(entriesOf:) takes archives the builders made: \(error)")
        }
    }

    /// Changes the entry with this name; the entry must exist.
    public mutating func change(_ name: String, _ body: (inout Entry) -> Void) {
        guard let index = entries.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("no entry named \(name)")
        }
        body(&entries[index])
    }
}
