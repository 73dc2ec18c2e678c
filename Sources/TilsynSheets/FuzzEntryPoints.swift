/// Entry points for the libFuzzer targets in `Tests/Fuzz/`: each reader fed raw bytes, as a hostile file would feed it.
///
/// Not part of the supported API (`@_spi(Fuzzing)`). Every function reads its input to the end, touching every
/// value it produces, and throws only ``SpreadsheetError``; the fuzz targets treat any other outcome (a trap, a
/// sanitizer report, another error type) as a bug.
@_spi(Fuzzing)
public enum FuzzEntryPoints {
    /// The shared strings the worksheet target resolves `t="s"` cells against.
    static let sharedStrings = ["", "Ja", "Nej", "_x000D_tekst", "æøå"]
    /// The date kinds the worksheet target gives style indexes 0–5 (as `XLSXBuilder.dateStyles` in the tests).
    static let dateKinds: [ExcelDateTime.Kind?] = [nil, .date, .date, .time, nil, .dateTime]

    /// Opens the bytes as a ZIP archive and inflates every entry, checking sizes and CRCs.
    public static func readZip(bytes: [UInt8]) throws {
        let archive = try ZipArchive(bytes: bytes)
        for entry in archive.entries {
            _ = archive.entry(named: entry.name)
            try archive.read(entry, chunkSize: 4096) { _ in }
        }
    }

    /// Parses the bytes as `xl/workbook.xml`.
    public static func parseWorkbookPart(bytes: [UInt8]) throws {
        let reader = WorkbookPartReader()
        try parse(bytes, handler: reader, part: "xl/workbook.xml")
        for sheet in reader.sheets { _ = quotedSheetName(sheet.name) }
    }

    /// Parses the bytes as a relationships part and resolves every target.
    public static func parseRelationships(bytes: [UInt8]) throws {
        let reader = RelationshipsReader()
        try parse(bytes, handler: reader, part: "xl/_rels/workbook.xml.rels")
        for relationship in reader.relationships {
            _ = RelationshipsReader.resolve(relationship.target, from: "xl/workbook.xml")
            _ = relationship.isType("worksheet")
        }
    }

    /// Parses the bytes as `xl/sharedStrings.xml`.
    public static func parseSharedStrings(bytes: [UInt8]) throws {
        let reader = SharedStringsReader(limits: ReadLimits())
        try parse(bytes, handler: reader, part: "xl/sharedStrings.xml")
    }

    /// Parses the bytes as `xl/styles.xml` and classifies every number format.
    public static func parseStyles(bytes: [UInt8]) throws {
        let reader = StylesReader()
        try parse(bytes, handler: reader, part: "xl/styles.xml")
        _ = reader.kinds
    }

    /// Parses the bytes as a worksheet part, with formulas, against a small shared-string table and date styles.
    ///
    /// The bytes are fed in three pieces, so that text and tags are split across `xmlParseChunk` calls as they
    /// are when a large part is inflated chunk by chunk.
    public static func parseWorksheet(bytes: [UInt8]) throws {
        let reader = WorksheetReader(
            sharedStrings: sharedStrings, dateKinds: dateKinds, date1904: bytes.count % 2 == 1, wantFormulas: true,
            limits: ReadLimits())
        try feedInThree(
            bytes, to: SAXParser(handler: reader, callbacks: WorksheetReader.callbacks, partName: "sheet1.xml"))
        for row in reader.completed { touch(row) }
        for range in reader.mergedRanges { _ = range.description }
        for validation in reader.dataValidations { _ = validation.listValues }
        _ = reader.dimension?.description
    }

    /// Opens the bytes as an XLSX workbook and reads every sheet sequentially with formulas, then the first sheet
    /// again cut into segments and parsed on worker threads, as large sheets are (threads are costly under ASan, so
    /// only one sheet per input takes that path).
    public static func readWorkbook(bytes: [UInt8]) throws {
        let sequential = try Workbook(bytes: bytes, name: "fuzz.xlsx", options: ReadOptions(formulas: true, parallel: false))
        for sheet in sequential.sheets {
            let loaded = try sequential.load(sheet)
            for row in loaded.rows { touch(row) }
        }
        let parallel = try Workbook(
            bytes: bytes, name: "fuzz.xlsx", options: ReadOptions(parallel: true, parallelThreshold: 0, segmentSize: 4096))
        if let first = parallel.sheets.first {
            try parallel.rows(of: first).forEach { touch($0) }
        }
    }

    /// Parses the bytes as an OpenDocument `content.xml`, fed in three pieces: once for the sheet list and named
    /// ranges, once for the rows of the first sheet (with formulas), with a small repeat budget.
    public static func parseODSContent(bytes: [UInt8]) throws {
        let metadata = ODSContentReader(limits: ReadLimits(), wantFormulas: false, target: nil)
        try feedInThree(bytes, to: SAXParser(handler: metadata, partName: "content.xml"))
        for name in metadata.definedNames { _ = name.formula.count }
        let rows = ODSContentReader(limits: ReadLimits(maxRepeatedCells: 100_000), wantFormulas: true, target: 0)
        try feedInThree(bytes, to: SAXParser(handler: rows, partName: "content.xml"))
        for row in rows.completed { touch(row) }
        for range in rows.mergedRanges { _ = range.description }
    }

    /// Opens the bytes as a workbook (an ODS file is expected) and reads its first eight sheets with formulas.
    ///
    /// Eight, not all: every sheet read parses content.xml again, which ``Workbook`` bounds by sheets × size; a
    /// small input with thousands of sheets would otherwise only measure that bound.
    public static func readODS(bytes: [UInt8]) throws {
        let workbook = try Workbook(
            bytes: bytes, name: "fuzz.ods",
            options: ReadOptions(formulas: true, limits: ReadLimits(maxRepeatedCells: 100_000), parallel: false))
        for name in workbook.definedNames { _ = name.formula.count }
        for sheet in workbook.sheets.prefix(8) {
            let loaded = try workbook.load(sheet)
            for row in loaded.rows { touch(row) }
            for range in loaded.mergedRanges { _ = range.description }
        }
    }

    private static func feedInThree(_ bytes: [UInt8], to parser: SAXParser) throws {
        let third = bytes.count / 3
        try bytes.withUnsafeBytes { raw in
            try parser.feed(UnsafeRawBufferPointer(rebasing: raw[0..<third]))
            try parser.feed(UnsafeRawBufferPointer(rebasing: raw[third..<(2 * third)]))
            try parser.feed(UnsafeRawBufferPointer(rebasing: raw[(2 * third)...]))
        }
        try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
    }

    /// Reads the bytes as a CSV file, detecting delimiter and encoding.
    public static func readCSV(bytes: [UInt8]) throws {
        let reader = try CSVReader(bytes: bytes, name: "fuzz.csv")
        while let record = try reader.next() { _ = record.fields.count }
    }

    private static func parse(_ bytes: [UInt8], handler: SAXHandler, part: String) throws {
        let parser = try SAXParser(handler: handler, partName: part)
        try bytes.withUnsafeBytes { try parser.feed($0) }
        try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
    }

    /// Formats every value of a row as `tilsyn cat` does.
    private static func touch(_ row: Row) {
        for cell in row.cells {
            _ = CellAddress(row: row.number, column: cell.column).description
            if case .date(let date) = cell.value {
                _ = date.iso8601
                _ = date.danish
            }
        }
    }
}
