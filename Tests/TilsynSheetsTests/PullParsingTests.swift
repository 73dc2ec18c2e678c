import Testing
import TilsynTestSupport
@testable import TilsynSheets

/// A part is parsed in libxml2's pull mode (a sheet read with `forEach`, and every part of 16 KB or more) or pushed
/// (a sheet read with `next()`, a smaller part): both must read the same values and fail with the same errors.
@Suite("Pulled and pushed parsing")
struct PullParsingTests {
    /// A sheet of `count` rows: numbers, a shared string, inline strings with æøå longer than libxml2's 4,000-byte
    /// reads (so their text and their multi-byte characters are split between reads), a formula without a cached
    /// value every 100 rows, and merges, a validation and protection after the data.
    static func workbook(rows count: Int) -> [UInt8] {
        var builder = XLSXBuilder()
        builder.sharedStrings = ["Ja", "Nej"]
        var rows = ""
        for r in 1...count {
            let long = String(repeating: "æøå \(r) ", count: r % 50 == 0 ? 700 : 1)
            rows += "<row r=\"\(r)\"><c r=\"A\(r)\"><v>\(r).25</v></c><c r=\"B\(r)\" t=\"s\"><v>\(r % 2)</v></c>"
                + "<c r=\"C\(r)\" t=\"inlineStr\"><is><t>\(long)</t></is></c>"
                + (r % 100 == 0 ? "<c r=\"D\(r)\"><f>A\(r)*2</f></c>" : "") + "</row>"
        }
        builder.addSheet(
            "Ark1", rows: rows,
            trailer: "<sheetProtection sheet=\"1\"/><mergeCells count=\"1\"><mergeCell ref=\"E1:F2\"/></mergeCells>"
                + "<dataValidations count=\"1\"><dataValidation type=\"list\" sqref=\"B1:B\(count)\">"
                + "<formula1>\"Ja,Nej\"</formula1></dataValidation></dataValidations>")
        return builder.build()
    }

    /// What a reader hands out: rows and everything that follows them.
    struct Read: Equatable {
        var rows: [Row] = []
        var mergedRanges: [CellRange] = []
        var dataValidations: [DataValidation] = []
        var formulasWithoutValue: [CellAddress] = []
        var isProtected = false
        var cellCount = 0

        init(_ reader: RowReader, pulled: Bool) throws {
            if pulled {
                var rows: [Row] = []
                try reader.forEach { rows.append($0) }
                self.rows = rows
            } else {
                while let row = try reader.next() { rows.append(row) }
            }
            mergedRanges = reader.mergedRanges
            dataValidations = reader.dataValidations
            formulasWithoutValue = reader.formulasWithoutValue
            isProtected = reader.isProtected
            cellCount = reader.cellCount
        }
    }

    @Test("forEach (pulled) and next() (pushed) read the same sheet", arguments: [3, 3_000])
    func sameSheet(rows count: Int) throws {
        let bytes = Self.workbook(rows: count)
        func read(pulled: Bool) throws -> Read {
            let workbook = try Workbook(bytes: bytes, name: "a.xlsx", options: ReadOptions(parallel: false))
            return try Read(workbook.rows(of: workbook.sheets[0]), pulled: pulled)
        }
        let pulled = try read(pulled: true)
        let pushed = try read(pulled: false)
        #expect(pulled == pushed)
        #expect(pulled.rows.count == count)
        #expect(pulled.cellCount == 3 * count)  // a formula without a cached result has no value
        #expect(pulled.formulasWithoutValue.count == count / 100)
        #expect(pulled.mergedRanges.count == 1 && pulled.dataValidations.count == 1 && pulled.isProtected)
        let last = try #require(pulled.rows.last)
        #expect(last[column: 1]?.value == .number(Double(count) + 0.25))
        #expect(last[column: 2]?.value == .string(count % 2 == 0 ? "Ja" : "Nej"))
        if count >= 50 {
            let long = pulled.rows[49][column: 3]?.value
            #expect(long == .string(String(repeating: "æøå 50 ", count: 700)))
        }
    }

    @Test("an error thrown for a row ends a pulled read and comes back as it was thrown")
    func handlerError() throws {
        struct Stop: Error {}
        let workbook = try Workbook(bytes: Self.workbook(rows: 3_000), name: "a.xlsx", options: ReadOptions(parallel: false))
        let reader = try workbook.rows(of: workbook.sheets[0])
        var seen: [Int] = []
        #expect(throws: Stop.self) {
            try reader.forEach { row in
                seen.append(row.number)
                if row.number == 1_500 { throw Stop() }
            }
        }
        #expect(seen == Array(1...1_500))
        #expect(try reader.next() == nil)
    }

    /// A shared-string table of `count` items declared Shift_JIS whose last item holds bytes that are not.
    static func badlyEncoded(items count: Int) -> [UInt8] {
        var builder = XLSXBuilder()
        builder.sharedStrings = ["x"]
        builder.addSheet("Ark1", rows: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>")
        var zip = ZipBuilder(entriesOf: builder.build())
        let sst = Array("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><sst xmlns=\"\(builder.mainNamespace)\">".utf8)
            + Array(String(repeating: "<si><t>tekst nummer et</t></si>", count: count).utf8)
            + Array("<si><t>".utf8) + [0x81, 0x00, 0xFF, 0xFE] + Array("</t></si></sst>".utf8)
        zip.change("xl/sharedStrings.xml") { $0.data = sst }
        return zip.build()
    }

    @Test("text not in the declared encoding is named, in a small (pushed) or large (pulled) part",
          arguments: [10, 2_000])
    func encoding(items count: Int) throws {
        let bytes = Self.badlyEncoded(items: count)
        let error = #expect(throws: SpreadsheetError.self) { _ = try Workbook(bytes: bytes, name: "b.xlsx") }
        #expect(error?.code == .invalidXML)
        #expect(error?.message.contains("not in the encoding the XML declaration names") == true, "\(String(describing: error))")
        #expect(error?.part == "xl/sharedStrings.xml")
        #expect(error?.file == "b.xlsx")
    }

    @Test("a damaged entry ends the parse with the ZIP's own error, pushed or pulled",
          arguments: [(10, "xl/sharedStrings.xml"), (2_000, "xl/sharedStrings.xml"), (3_000, "xl/worksheets/sheet1.xml")])
    func damagedEntry(size: Int, part: String) throws {
        var builder = XLSXBuilder()
        builder.sharedStrings = (0..<size).map { "tekst \($0)" }
        builder.addSheet("Ark1", rows: ParallelReaderTests.rows(count: part.contains("sheet") ? size : 1, withReferences: true))
        var zip = ZipBuilder(entriesOf: builder.build())
        zip.change(part) { $0.declaredCRC = crc32Of($0.data) ^ 1 }
        let bytes = zip.build()
        let error = #expect(throws: SpreadsheetError.self) {
            let workbook = try Workbook(bytes: bytes, name: "c.xlsx", options: ReadOptions(parallel: false))
            _ = try workbook.load(workbook.sheets[0])
        }
        #expect(error?.code == .crcMismatch, "\(String(describing: error))")
        #expect(error?.part == part)
    }
}
