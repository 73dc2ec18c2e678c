import Testing
import TilsynTestSupport
@testable import TilsynSheets

@Suite("XLSX reading")
struct WorkbookReaderTests {
    func open(_ builder: XLSXBuilder, options: ReadOptions = ReadOptions()) throws -> Workbook {
        try Workbook(bytes: builder.build(), name: "test.xlsx", options: options)
    }

    @Test("every cell type", arguments: [false, true])
    func cellTypes(strict: Bool) throws {
        var builder = XLSXBuilder()
        builder.strict = strict
        builder.sharedStrings = ["Ja", "Nej æøå", "<r><t>Rich </t></r><r><rPr><b/></rPr><t>text</t></r>"]
        builder.stylesXML = XLSXBuilder.dateStyles
        builder.addSheet("Ark1", rows: """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
            <row r="2"><c r="A2"><v>42</v></c><c r="B2" t="n"><v>-0.5</v></c><c r="C2" t="b"><v>1</v></c>\
            <c r="D2" t="b"><v>0</v></c><c r="E2" t="e"><v>#DIV/0!</v></c></row>
            <row r="3"><c r="A3" t="inlineStr"><is><t>inline</t></is></c><c r="B3" t="str"><f>A1&amp;"x"</f><v>Jax</v></c>\
            <c r="C3" s="1"><v>45658</v></c><c r="D3" t="d"><v>2017-10-27T21:00:00</v></c><c r="E3" s="3"><v>0.75</v></c></row>
            <row r="4"><c r="A4" s="4"><v>1.5</v></c><c r="B4" s="5"><v>45658.25</v></c><c r="C4" s="2"/><c r="D4"><v></v></c></row>
            """)
        let workbook = try open(builder)
        let sheet = try workbook.load(workbook.sheets[0])
        #expect(sheet["A1"] == .string("Ja"))
        #expect(sheet["B1"] == .string("Nej æøå"))
        #expect(sheet["C1"] == .string("Rich text"))
        #expect(sheet["A2"] == .number(42))
        #expect(sheet["B2"] == .number(-0.5))
        #expect(sheet["C2"] == .bool(true))
        #expect(sheet["D2"] == .bool(false))
        #expect(sheet["E2"] == .error("#DIV/0!"))
        #expect(sheet["A3"] == .string("inline"))
        #expect(sheet["B3"] == .string("Jax"))
        #expect(sheet["C3"] == .date(ExcelDateTime(serial: 45658, kind: .date)))
        if case .date(let d) = sheet["D3"] { #expect(d.iso8601 == "2017-10-27T21:00:00") } else { Issue.record("D3") }
        if case .date(let d) = sheet["E3"] { #expect(d.kind == .time) } else { Issue.record("E3 not a time") }
        #expect(sheet["A4"] == .number(1.5), "an elapsed-time format stays a number")
        if case .date(let d) = sheet["B4"] { #expect(d.iso8601 == "2025-01-01T06:00:00") } else { Issue.record("B4") }
        #expect(sheet["C4"] == nil, "a styled cell without a value is empty")
        #expect(sheet["D4"] == nil, "an empty <v/> is empty")
        #expect(sheet.cellCount == 15)
    }

    @Test("formula text is available when asked for")
    func formulas() throws {
        var builder = XLSXBuilder()
        builder.addSheet("S", rows: "<row r=\"1\"><c r=\"A1\"><f>SUM(B1:B3)</f><v>6</v></c><c r=\"B1\"><f>1+1</f></c></row>")
        let plain = try open(builder).load(try open(builder).sheets[0])
        #expect(plain.rows[0].cells.map(\.formula) == [nil])
        let workbook = try open(builder, options: ReadOptions(formulas: true))
        let sheet = try workbook.load(workbook.sheets[0])
        #expect(sheet.rows[0].cells.count == 1, "a formula without a cached value has no value")
        #expect(sheet.rows[0].cells[0].formula == "SUM(B1:B3)")
        #expect(sheet["A1"] == .number(6))
    }

    @Test("cells and rows without r, with a namespace prefix")
    func missingReferences() throws {
        var builder = XLSXBuilder()
        builder.prefix = "x"
        builder.addSheet("S", rows: """
            <x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row>\
            <x:row><x:c r="C2"><x:v>3</x:v></x:c><x:c><x:v>4</x:v></x:c></x:row>\
            <x:row r="5"><x:c><x:v>5</x:v></x:c></x:row><x:row><x:c r="B6"><x:v>6</x:v></x:c></x:row>
            """)
        let workbook = try open(builder)
        let sheet = try workbook.load(workbook.sheets[0])
        #expect(sheet["A1"] == .string("a"))
        #expect(sheet["B1"] == .number(2))
        #expect(sheet["C2"] == .number(3))
        #expect(sheet["D2"] == .number(4))
        #expect(sheet["A5"] == .number(5))
        #expect(sheet["B6"] == .number(6))
    }

    @Test("workbook: sheet order, visibility, defined names, 1904 dates")
    func workbookPart() throws {
        var builder = XLSXBuilder()
        builder.date1904 = true
        builder.stylesXML = XLSXBuilder.dateStyles
        builder.addSheet("Første", rows: "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c></row>")
        builder.addSheet("Skjult", rows: "", state: "hidden")
        builder.addSheet("R&D", rows: "", state: "veryHidden")
        builder.definedNames = [("Svar_B_2", "'Første'!$D$12"), ("Liste", "'R&D'!$A$1:$A$3")]
        let workbook = try open(builder)
        #expect(workbook.sheets.map(\.name) == ["Første", "Skjult", "R&D"])
        #expect(workbook.sheets.map(\.visibility) == [.visible, .hidden, .veryHidden])
        #expect(workbook.definedNames.map(\.name) == ["Svar_B_2", "Liste"])
        #expect(workbook.definedNames.map(\.formula) == ["'Første'!$D$12", "'R&D'!$A$1:$A$3"])
        #expect(workbook.date1904)
        #expect(workbook.sheet(named: "første")?.index == 0)
        let sheet = try workbook.load(workbook.sheets[0])
        if case .date(let d) = sheet["A1"] { #expect(d.iso8601 == "1904-01-01") } else { Issue.record("A1") }
    }

    @Test("merged ranges, data validations, protection and dimension after the rows")
    func afterSheetData() throws {
        var builder = XLSXBuilder()
        builder.addSheet("S", rows: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", trailer: """
            <sheetProtection sheet="1" objects="1"/><mergeCells count="2"><mergeCell ref="A1:B2"/><mergeCell ref="C3:C9"/></mergeCells>\
            <dataValidations count="2"><dataValidation type="list" allowBlank="1" sqref="D12:D14 D20">\
            <formula1>"Ja,Nej,Ikke relevant"</formula1></dataValidation>\
            <dataValidation type="list" sqref="E5"><formula1>Lister!$A$1:$A$4</formula1></dataValidation></dataValidations>
            """)
        let workbook = try open(builder)
        let sheet = try workbook.load(workbook.sheets[0])
        #expect(sheet.mergedRanges.map(\.description) == ["A1:B2", "C3:C9"])
        #expect(sheet.isProtected)
        #expect(sheet.dataValidations.count == 2)
        #expect(sheet.dataValidations[0].listValues == ["Ja", "Nej", "Ikke relevant"])
        #expect(sheet.dataValidations[0].ranges.map(\.description) == ["D12:D14", "D20"])
        #expect(sheet.dataValidations[0].allowBlank)
        #expect(sheet.dataValidations[1].formula1 == "Lister!$A$1:$A$4")
        #expect(sheet.dataValidations[1].listValues == nil)
    }

    @Test("shared strings: phonetic runs skipped, escapes decoded, entities and CDATA")
    func sharedStrings() throws {
        var builder = XLSXBuilder()
        builder.sharedStrings = [
            "<t>漢字</t><rPh sb=\"0\" eb=\"2\"><t>かんじ</t></rPh>", "<t>line_x000D_\nnext</t>", "<t>a &amp; b &lt;c&gt; &#229;</t>",
            "<t><![CDATA[<not markup>]]></t>", "<t xml:space=\"preserve\">  spaced  </t>",
        ]
        builder.addSheet("S", rows: (0..<5).map { "<row r=\"\($0 + 1)\"><c r=\"A\($0 + 1)\" t=\"s\"><v>\($0)</v></c></row>" }.joined())
        let workbook = try open(builder)
        let sheet = try workbook.load(workbook.sheets[0])
        #expect(sheet["A1"] == .string("漢字"))
        #expect(sheet["A2"] == .string("line\r\nnext"))
        #expect(sheet["A3"] == .string("a & b <c> å"))
        #expect(sheet["A4"] == .string("<not markup>"))
        #expect(sheet["A5"] == .string("  spaced  "))
    }

    @Test("the row reader streams rows in order and completes the trailer at the end")
    func streaming() throws {
        var builder = XLSXBuilder()
        let rows = (1...5000).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c><c r=\"B\($0)\" t=\"inlineStr\"><is><t>r\($0)</t></is></c></row>" }
        builder.addSheet("S", rows: rows.joined(), trailer: "<mergeCells><mergeCell ref=\"A1:A2\"/></mergeCells>")
        let workbook = try open(builder)
        let reader = try workbook.rows(of: workbook.sheets[0])
        var expected = 1
        while let row = try reader.next() {
            #expect(row.number == expected)
            #expect(row.cells.count == 2)
            expected += 1
        }
        #expect(expected == 5001)
        #expect(reader.cellCount == 10_000)
        #expect(reader.mergedRanges.count == 1)
        #expect(try reader.next() == nil)
    }

    static let broken: [(String, String, SpreadsheetError.Code)] = [
        ("bad number", "<row r=\"1\"><c r=\"A1\"><v>abc</v></c></row>", .invalidValue),
        ("string index", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>", .invalidValue),
        ("beyond XFD", "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", .invalidCellReference),
        ("beyond row limit", "<row r=\"1048577\"><c><v>1</v></c></row>", .invalidCellReference),
        ("bad reference", "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>", .invalidCellReference),
        ("not well-formed", "<row r=\"1\"><c r=\"A1\"><v>1</c></row>", .invalidXML),
        ("bad ISO date", "<row r=\"1\"><c r=\"A1\" t=\"d\"><v>yesterday</v></c></row>", .invalidValue),
        ("one reference twice", "<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>2</v></c><c r=\"B1\"><v>3</v></c></row>",
         .invalidCellReference),
        ("row given twice", "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>",
         .rowOutOfOrder),
        ("row given twice, other cells", "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row><row r=\"2\"><c r=\"B2\"><v>2</v></c></row>",
         .rowOutOfOrder),
        ("rows out of order", "<row r=\"3\"><c r=\"A3\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>",
         .rowOutOfOrder),
        ("row numbered by its cell", "<row r=\"3\"><c r=\"A3\"><v>1</v></c></row><row><c r=\"B3\"><v>2</v></c></row>",
         .rowOutOfOrder),
        ("cell outside rows, above the last", "<row r=\"2\"><c r=\"A2\"><v>8</v></c></row><c r=\"B1\"><v>7</v></c>",
         .rowOutOfOrder),
    ]

    /// A sheet of `count` rows in order except that `back` is given again after row `at`, with a value of its own.
    static func rowsWithOneBack(_ count: Int, at: Int, back: Int) -> String {
        (1...count).map { number in
            let row = "<row r=\"\(number)\"><c r=\"A\(number)\"><v>\(number)</v></c><c r=\"C\(number)\"><v>1</v></c></row>"
            return number == at ? row + "<row r=\"\(back)\"><c r=\"B\(back)\"><v>0</v></c></row>" : row
        }.joined()
    }

    @Test("a row at or before one already read is refused at its place, pushed, pulled or in parallel", arguments: [
        (3000, 1, 1), (3000, 2999, 5), (3000, 1500, 1500), (3000, 3000, 2999), (3000, 777, 10),
    ])
    func rowsOutOfOrder(count: Int, at: Int, back: Int) throws {
        var builder = XLSXBuilder()
        builder.addSheet("S", rows: Self.rowsWithOneBack(count, at: at, back: back))
        let bytes = builder.build()
        let sequential = try Workbook(bytes: bytes, name: "s.xlsx", options: ReadOptions(parallel: false))
        // Small segments: the row given again falls inside one segment or opens the next, as `at` moves.
        for segmentSize in [1024, 4096, 1 << 20] {
            let parallel = try Workbook(
                bytes: bytes, name: "p.xlsx",
                options: ReadOptions(parallel: true, parallelThreshold: 0, segmentSize: segmentSize))
            let error = #expect(throws: SpreadsheetError.self) { _ = try parallel.load(parallel.sheets[0]) }
            #expect(error?.code == .rowOutOfOrder)
            #expect(error?.cell == "B\(back)", "segments of \(segmentSize) bytes")
            #expect(error?.message.contains("row \(back) comes after row \(at)") == true)
        }
        let pulled = #expect(throws: SpreadsheetError.self) { _ = try sequential.load(sequential.sheets[0]) }
        #expect(pulled?.code == .rowOutOfOrder)
        #expect(pulled?.cell == "B\(back)")
        let reader = try sequential.rows(of: sequential.sheets[0])
        var handed: [Int] = []
        let pushed = #expect(throws: SpreadsheetError.self) { while let row = try reader.next() { handed.append(row.number) } }
        #expect(pushed?.code == .rowOutOfOrder)
        #expect(pushed?.cell == "B\(back)")
        // Every row handed out before the refusal was in order and came before the row given again.
        #expect(handed == Array(handed.sorted()) && handed.allSatisfy { $0 <= at })
    }

    @Test("a row given again where a parallel segment starts is refused across the segments")
    func rowGivenAgainAcrossSegments() throws {
        // Segments of 1 KiB hold about 17 of these rows: one of forty neighbouring places is a cut, so one row given
        // again opens a segment of its own, whose parser has read nothing before it.
        for at in 1000..<1040 {
            var builder = XLSXBuilder()
            builder.addSheet("S", rows: Self.rowsWithOneBack(2000, at: at, back: at))
            let parallel = try Workbook(
                bytes: builder.build(), name: "p.xlsx",
                options: ReadOptions(parallel: true, parallelThreshold: 0, segmentSize: 1024))
            let error = #expect(throws: SpreadsheetError.self) { _ = try parallel.load(parallel.sheets[0]) }
            #expect(error?.code == .rowOutOfOrder)
            #expect(error?.cell == "B\(at)")
        }
    }

    @Test("two sheets with one name, compared ignoring case, are refused naming the second",
          arguments: [("Ark1", "Ark1"), ("Tilsyn", "TILSYN"), ("Æble", "æble")])
    func sheetNameTwice(first: String, second: String) throws {
        var builder = XLSXBuilder()
        builder.addSheet(first, rows: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")
        builder.addSheet("Andet", rows: "")
        builder.addSheet(second, rows: "<row r=\"1\"><c r=\"A1\"><v>2</v></c></row>")
        let error = #expect(throws: SpreadsheetError.self) { _ = try open(builder) }
        #expect(error?.code == .duplicateSheetName)
        #expect(error?.sheet == second)
        #expect(error?.file == "test.xlsx")
        #expect(error?.part == "xl/workbook.xml")
    }

    @Test("rows numbered by count continue in order across parallel segments")
    func rowsWithoutNumbersInParallel() throws {
        var builder = XLSXBuilder()
        // Only every hundredth row has `r`: the others are numbered by count, also in a segment before its first `r`.
        let rows = (1...3000).map { number in
            (number % 100 == 0 ? "<row r=\"\(number)\">" : "<row>") + "<c><v>\(number)</v></c></row>"
        }
        builder.addSheet("S", rows: rows.joined())
        let bytes = builder.build()
        let sequential = try Workbook(bytes: bytes, name: "s.xlsx", options: ReadOptions(parallel: false))
        let parallel = try Workbook(
            bytes: bytes, name: "p.xlsx", options: ReadOptions(parallel: true, parallelThreshold: 0, segmentSize: 1024))
        let expected = (1...3000).map { Row(number: $0, cells: [Cell(column: 1, value: .number(Double($0)))]) }
        #expect(try sequential.load(sequential.sheets[0]).rows == expected)
        #expect(try parallel.load(parallel.sheets[0]).rows == expected)
    }

    @Test("cells out of column order come in column order, pushed, pulled or in parallel")
    func cellsOutOfOrder() throws {
        var builder = XLSXBuilder()
        let rows = (1...3000).map {
            "<row r=\"\($0)\"><c r=\"C\($0)\"><v>3</v></c><c r=\"A\($0)\"><v>1</v></c><c r=\"B\($0)\"><v>2</v></c></row>"
        }
        builder.addSheet("S", rows: rows.joined())
        let bytes = builder.build()
        let sequential = try Workbook(bytes: bytes, name: "s.xlsx", options: ReadOptions(parallel: false))
        let parallel = try Workbook(
            bytes: bytes, name: "p.xlsx", options: ReadOptions(parallel: true, parallelThreshold: 0, segmentSize: 4096))
        var pushed: [Row] = []
        let reader = try sequential.rows(of: sequential.sheets[0])
        while let row = try reader.next() { pushed.append(row) }
        let pulled = try sequential.load(sequential.sheets[0]).rows
        #expect(pulled.count == 3000)
        #expect(pulled.allSatisfy { $0.cells.map(\.column) == [1, 2, 3] && $0.cells.map(\.value) == [1, 2, 3].map { .number($0) } })
        #expect(pushed == pulled)
        #expect(try parallel.load(parallel.sheets[0]).rows == pulled)
    }

    @Test("cells outside any row are read where their references put them, not dropped", arguments: [
        "<c r=\"B1\"><v>7</v></c>", "<c r=\"B1\"><v>7</v></c><row r=\"2\"><c r=\"A2\"><v>8</v></c></row>",
    ])
    func cellsOutsideRows(rows: String) throws {
        var builder = XLSXBuilder()
        builder.addSheet("S", rows: rows)
        let workbook = try open(builder)
        let sheet = try workbook.load(workbook.sheets[0])
        #expect(sheet["B1"] == .number(7))
        #expect(sheet.cellCount == (rows.contains("row") ? 2 : 1))
    }

    @Test("damaged sheets fail with the sheet and cell named", arguments: broken)
    func damagedSheets(label: String, rows: String, code: SpreadsheetError.Code) throws {
        var builder = XLSXBuilder()
        builder.addSheet("Ark 1", rows: rows)
        let workbook = try open(builder)
        let error = #expect(throws: SpreadsheetError.self) { _ = try workbook.load(workbook.sheets[0]) }
        #expect(error?.code == code, "\(label)")
        #expect(error?.file == "test.xlsx")
        #expect(error?.sheet == "Ark 1")
        #expect(error?.description.hasPrefix("test.xlsx: ") == true)
        #expect(error?.description.contains("'Ark 1'") == true, "\(String(describing: error))")
    }

    @Test("a DOCTYPE is refused before any entity is expanded")
    func entityBomb() throws {
        var builder = XLSXBuilder()
        let bomb = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">\
            <c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>
            """
        builder.addRawSheet("S", xml: bomb)
        let workbook = try open(builder)
        let error = #expect(throws: SpreadsheetError.self) { _ = try workbook.load(workbook.sheets[0]) }
        #expect(error?.code == .forbiddenDTD)
    }

    @Test("external entities are never fetched")
    func externalEntity() throws {
        var builder = XLSXBuilder()
        builder.addRawSheet("S", xml: """
            <?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">\
            <c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>
            """)
        let workbook = try open(builder)
        let error = #expect(throws: SpreadsheetError.self) { _ = try workbook.load(workbook.sheets[0]) }
        #expect(error?.code == .forbiddenDTD)
    }

    @Test("deep nesting fails cleanly")
    func deepNesting() throws {
        var builder = XLSXBuilder()
        let depth = 100_000
        builder.addRawSheet("S", xml: "<worksheet xmlns=\"\(builder.mainNamespace)\">" + String(repeating: "<a>", count: depth)
            + String(repeating: "</a>", count: depth) + "</worksheet>")
        let workbook = try open(builder)
        let error = #expect(throws: SpreadsheetError.self) { _ = try workbook.load(workbook.sheets[0]) }
        #expect(error?.code == .limitExceeded)
    }

    static let smallWorkbook: [UInt8] = {
        var builder = XLSXBuilder()
        builder.addSheet("S", rows: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")
        return builder.build()
    }()

    static let notWorkbooks: [(String, [UInt8], SpreadsheetError.Code)] = [
        ("xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 600), .legacyXLS),
        ("encrypted", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array("EncryptedPackage".utf8).flatMap { [$0, 0] }, .passwordProtected),
        ("csv", Array("sagsnummer;svar\r\n1;Ja\r\n".utf8), .csvDisguised),
        ("tab-separated", Array("sagsnummer\tsvar\n1\tJa\n2\tNej\n".utf8), .csvDisguised),
        ("text", Array("Hej Anne,\nhermed mit svar.\nVenlig hilsen\n".utf8), .textFile),
        ("pdf", Array("%PDF-1.7\n%\u{E2}\u{E3}\n1 0 obj\n".utf8), .pdfDisguised),
        ("docx", ZipBuilder([.init("[Content_Types].xml", "<Types/>"), .init("word/document.xml", "<w:document/>")]).build(), .wordDocument),
        ("truncated zip", Array(Self.smallWorkbook.prefix(300)), .truncatedFile),
        ("html", Array("<html><body><table><tr><td>1</td></tr></table></body></html>".utf8), .htmlDisguised),
        ("xml2003", Array("<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"/>".utf8), .spreadsheetML2003),
        ("ods without content.xml", ZipBuilder([.init("mimetype", "application/vnd.oasis.opendocument.spreadsheet", deflate: false)]).build(), .missingPart),
        ("odt", ZipBuilder([.init("mimetype", "application/vnd.oasis.opendocument.text", deflate: false)]).build(), .openDocument),
        ("xlsb", ZipBuilder([.init("[Content_Types].xml", "<Types/>"), .init("xl/workbook.bin", "x")]).build(), .binaryXLSB),
        ("plain zip", ZipBuilder([.init("readme.txt", "hej")]).build(), .notAWorkbook),
        ("empty", [], .emptyFile),
        ("binary", [UInt8](repeating: 0x07, count: 64) + [0, 1, 2, 3], .notAWorkbook),
    ]

    @Test("files that are not XLSX get a message saying what they are", arguments: notWorkbooks)
    func notXLSX(label: String, bytes: [UInt8], code: SpreadsheetError.Code) {
        let error = #expect(throws: SpreadsheetError.self) { _ = try Workbook(bytes: bytes, name: "input.xlsx") }
        #expect(error?.code == code, "\(label)")
        #expect(error?.file == "input.xlsx")
    }

    @Test("a workbook without sheets and a missing sheet part")
    func missingParts() throws {
        let none = XLSXBuilder()
        let error = #expect(throws: SpreadsheetError.self) { _ = try open(none) }
        #expect(error?.code == .noSheets)

        var builder = XLSXBuilder()
        builder.addSheet("S", rows: "")
        var zip = ZipBuilder()
        let full = try ZipArchive(bytes: builder.build())
        for entry in full.entries where entry.name != "xl/worksheets/sheet1.xml" {
            zip.entries.append(.init(entry.name, try full.data(entry)))
        }
        let workbook = try Workbook(bytes: zip.build(), name: "w.xlsx")
        let missing = #expect(throws: SpreadsheetError.self) { _ = try workbook.load(workbook.sheets[0]) }
        #expect(missing?.code == .missingPart)
        #expect(missing?.sheet == "S")
    }
}
