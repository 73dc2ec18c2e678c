import Testing
import TilsynTestSupport

@testable import TilsynSheets

private typealias B = ODSBuilder

/// The OpenDocument spreadsheet reader, on small files built by the tests: values, text, repeats, spans, names,
/// hidden sheets, encryption and hostile repeat counts.
@Suite("ODS reader")
struct ODSReaderTests {
    static func open(_ builder: ODSBuilder, options: ReadOptions = ReadOptions()) throws -> Workbook {
        try Workbook(bytes: builder.build(), name: "svar.ods", options: options)
    }

    static func load(_ rows: String, options: ReadOptions = ReadOptions()) throws -> Sheet {
        var builder = ODSBuilder()
        builder.addSheet("Ark1", rows: rows)
        let workbook = try open(builder, options: options)
        return try workbook.load(workbook.sheets[0])
    }

    @Test("two tables with one name, compared ignoring case, are refused naming the second")
    func tableNameTwice() throws {
        var builder = ODSBuilder()
        builder.addSheet("Tilsyn", rows: B.row(B.text("Ja")))
        builder.addSheet("tilsyn", rows: B.row(B.text("Nej")))
        let error = #expect(throws: SpreadsheetError.self) { _ = try Self.open(builder) }
        #expect(error?.code == .duplicateSheetName)
        #expect(error?.sheet == "tilsyn")
        #expect(error?.part == "content.xml")
    }

    @Test("a formula without a value is reported, not read as an empty cell")
    func formulaWithoutValue() throws {
        let sheet = try Self.load(
            B.row(B.number("1"), "<table:table-cell table:formula=\"of:=[.A1]*2\"/>",
                  "<table:table-cell table:formula=\"of:=[.A1]\" office:value-type=\"float\" office:value=\"1\"/>"))
        #expect(sheet.formulasWithoutValue == [CellAddress(row: 1, column: 2)])
        #expect(sheet["B1"] == nil)
        #expect(sheet["C1"] == .number(1))
    }

    @Test("every value type maps onto CellValue")
    func valueTypes() throws {
        let sheet = try Self.load(
            B.row(
                B.number("1.5"),
                "<table:table-cell office:value-type=\"percentage\" office:value=\"0.25\"><text:p>25%</text:p></table:table-cell>",
                "<table:table-cell office:value-type=\"currency\" office:currency=\"DKK\" office:value=\"-12.5\"><text:p>-12,50 kr.</text:p></table:table-cell>",
                "<table:table-cell office:value-type=\"date\" office:date-value=\"2025-03-14\"><text:p>14-03-2025</text:p></table:table-cell>",
                "<table:table-cell office:value-type=\"date\" office:date-value=\"2025-03-14T10:30:00\"><text:p>x</text:p></table:table-cell>",
                "<table:table-cell office:value-type=\"time\" office:time-value=\"PT10H30M15S\"><text:p>10:30:15</text:p></table:table-cell>",
                "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"true\"><text:p>SAND</text:p></table:table-cell>",
                "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"false\"><text:p>FALSK</text:p></table:table-cell>",
                B.text("Ja"),
                "<table:table-cell office:value-type=\"string\" office:string-value=\"S\"><text:p>shown</text:p></table:table-cell>",
                "<table:table-cell office:value-type=\"string\" calcext:value-type=\"error\" office:string-value=\"\"><text:p>#DIV/0!</text:p></table:table-cell>"
            ))
        #expect(sheet["A1"] == .number(1.5))
        #expect(sheet["B1"] == .number(0.25))
        #expect(sheet["C1"] == .number(-12.5))
        #expect(sheet["D1"] == .date(ExcelDateTime(year: 2025, month: 3, day: 14, kind: .date)))
        #expect(sheet["E1"] == .date(ExcelDateTime(year: 2025, month: 3, day: 14, hour: 10, minute: 30)))
        #expect(sheet["F1"] == .date(ExcelDateTime(serial: (10 * 3600 + 30 * 60 + 15) / 86_400, kind: .time)))
        #expect(sheet["G1"] == .bool(true))
        #expect(sheet["H1"] == .bool(false))
        #expect(sheet["I1"] == .string("Ja"))
        #expect(sheet["J1"] == .string("S"))
        #expect(sheet["K1"] == .error("#DIV/0!"))
    }

    @Test("paragraphs, spaces, tabs, line breaks and spans make the text; annotations do not")
    func text() throws {
        let sheet = try Self.load(
            B.row(
                "<table:table-cell office:value-type=\"string\"><text:p>Første</text:p><text:p>Anden</text:p></table:table-cell>",
                "<table:table-cell office:value-type=\"string\"><text:p>a<text:s/>b<text:s text:c=\"3\"/>c<text:tab/>d<text:line-break/>e</text:p></table:table-cell>",
                "<table:table-cell office:value-type=\"string\"><text:p><text:span text:style-name=\"T1\">fed</text:span> og <text:a xlink:href=\"x\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">link</text:a></text:p></table:table-cell>",
                "<table:table-cell office:value-type=\"string\"><office:annotation><dc:creator>AB</dc:creator><text:p>en note</text:p></office:annotation><text:p>Ja</text:p></table:table-cell>",
                "<table:table-cell><office:annotation><text:p>kun en note</text:p></office:annotation></table:table-cell>",
                B.text("Æ & <ø>")
            ))
        #expect(sheet["A1"] == .string("Første\nAnden"))
        #expect(sheet["B1"] == .string("a b   c\td\ne"))
        #expect(sheet["C1"] == .string("fed og link"))
        #expect(sheet["D1"] == .string("Ja"))
        #expect(sheet["E1"] == nil)
        #expect(sheet["F1"] == .string("Æ & <ø>"))
    }

    @Test("repeated cells and rows are expanded; empty repeats only move the position")
    func repeats() throws {
        let sheet = try Self.load(
            B.row(B.empty(2), B.text("Ja", repeated: 3), B.empty(16_000))
                + B.row(B.empty(16_384), repeated: 5)
                + B.row(B.text("x"), B.number("2"), repeated: 3)
                + B.row(B.empty(16_384), repeated: 1_048_567))
        #expect(sheet.rows.map(\.number) == [1, 7, 8, 9])
        #expect(sheet.rows[0].cells.map(\.column) == [3, 4, 5])
        #expect(sheet["C1"] == .string("Ja"))
        #expect(sheet["E1"] == .string("Ja"))
        #expect(sheet["A9"] == .string("x"))
        #expect(sheet["B9"] == .number(2))
        #expect(sheet.cellCount == 9)
    }

    @Test("spanned cells become merged ranges; covered cells take their column")
    func spans() throws {
        let sheet = try Self.load(
            B.row(
                "<table:table-cell office:value-type=\"string\" table:number-columns-spanned=\"2\" table:number-rows-spanned=\"3\"><text:p>Svar</text:p></table:table-cell>",
                "<table:covered-table-cell/>", B.text("C"))
                + B.row("<table:covered-table-cell table:number-columns-repeated=\"2\"/>", B.text("C2")))
        #expect(sheet.mergedRanges == [CellRange("A1:B3")!])
        #expect(sheet["A1"] == .string("Svar"))
        #expect(sheet["C1"] == .string("C"))
        #expect(sheet["C2"] == .string("C2"))
    }

    @Test("named ranges read as Excel writes defined names")
    func namedRanges() throws {
        var builder = ODSBuilder()
        builder.addSheet("Tilsyn", rows: B.row(B.text("a")))
        builder.addSheet("Min side", rows: B.row(B.text("b"))
            + "<table:named-expressions><table:named-range table:name=\"Lokal\" table:cell-range-address=\"$'Min side'.$A$1\" table:base-cell-address=\"$'Min side'.$A$1\"/></table:named-expressions>")
        builder.afterSheets = """
            <table:named-expressions>\
            <table:named-range table:name="Svar_U.1" table:cell-range-address="$Tilsyn.$E$12" table:base-cell-address="$Tilsyn.$A$1"/>\
            <table:named-range table:name="Blok" table:cell-range-address="$'Min side'.$A$1:.$B$2" table:base-cell-address="$Tilsyn.$A$1"/>\
            <table:named-expression table:name="Udtryk" table:expression="of:=[.A1]*2" table:base-cell-address="$Tilsyn.$A$1"/>\
            </table:named-expressions>
            """
        let workbook = try Self.open(builder)
        let names = Dictionary(uniqueKeysWithValues: workbook.definedNames.map { ($0.name, $0) })
        #expect(names["Svar_U.1"]?.formula == "Tilsyn!$E$12")
        #expect(names["Svar_U.1"]?.localSheet == nil)
        #expect(names["Blok"]?.formula == "'Min side'!$A$1:$B$2")
        #expect(names["Udtryk"]?.formula == "[.A1]*2")
        #expect(names["Lokal"]?.formula == "'Min side'!$A$1")
        #expect(names["Lokal"]?.localSheet == 1)
        #expect(ODSContentReader.excelReference("$'It''s'.$C$3") == "'It''s'!$C$3")
        #expect(ODSContentReader.excelReference("Sheet1.$A$1") == "Sheet1!$A$1")
        #expect(ODSContentReader.excelReference("datatypes.$A$1:datatypes.$A$6") == "datatypes!$A$1:$A$6")
    }

    @Test("sheet order, hidden sheets through table styles, and every sheet read on its own")
    func sheets() throws {
        var builder = ODSBuilder()
        builder.automaticStyles = """
            <style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>\
            <style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>
            """
        builder.addSheet("Synlig", rows: B.row(B.text("1")), styleName: "ta1")
        builder.addSheet("_tilsyn", rows: B.row(B.text("2")), styleName: "ta2")
        builder.addSheet("Tom", rows: B.row(B.empty(10), repeated: 100))
        let workbook = try Self.open(builder)
        #expect(workbook.isOpenDocument)
        #expect(!workbook.date1904)
        #expect(workbook.sheets.map(\.name) == ["Synlig", "_tilsyn", "Tom"])
        #expect(workbook.sheets.map(\.visibility) == [.visible, .hidden, .visible])
        #expect(try workbook.load(workbook.sheets[0])["A1"] == .string("1"))
        #expect(try workbook.load(workbook.sheets[1])["A1"] == .string("2"))
        #expect(try workbook.load(workbook.sheets[2]).rows.isEmpty)
    }

    @Test("formulas are kept without their namespace when asked for")
    func formulas() throws {
        let sheet = try Self.load(
            B.row("<table:table-cell table:formula=\"of:=[.B1]+1\" office:value-type=\"float\" office:value=\"3\"><text:p>3</text:p></table:table-cell>"),
            options: ReadOptions(formulas: true))
        #expect(sheet.rows[0].cells[0].formula == "[.B1]+1")
        #expect(sheet["A1"] == .number(3))
    }

    @Test("an encrypted ODS is refused as password-protected")
    func encrypted() throws {
        var builder = ODSBuilder()
        builder.addSheet("Ark1", rows: B.row(B.text("x")))
        builder.manifest = """
            <?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">\
            <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">\
            <manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/></manifest:file-entry></manifest:manifest>
            """
        let error = #expect(throws: SpreadsheetError.self) { try Self.open(builder) }
        #expect(error?.code == .passwordProtected)
        #expect(error?.file == "svar.ods")
    }

    @Test("values that are not what their type says are refused with the cell")
    func invalidValues() throws {
        for cell in [
            "<table:table-cell office:value-type=\"float\" office:value=\"tre\"/>",
            "<table:table-cell office:value-type=\"date\" office:date-value=\"2025-13-45\"/>",
            "<table:table-cell office:value-type=\"time\" office:time-value=\"10:30\"/>",
            "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"måske\"/>",
        ] {
            let error = #expect(throws: SpreadsheetError.self) { try Self.load(B.row(B.empty(2), cell)) }
            #expect(error?.code == .invalidValue)
            #expect(error?.cell == "C1")
            #expect(error?.sheet == "Ark1")
        }
    }

    @Test("ISO durations as ODS writes times")
    func durations() {
        #expect(ODSContentReader.durationSeconds("PT10H10M10S") == 36_610)
        #expect(ODSContentReader.durationSeconds("PT10H10M10.5S") == 36_610.5)
        #expect(ODSContentReader.durationSeconds("P1DT2H") == 93_600)
        #expect(ODSContentReader.durationSeconds("-PT1H") == -3_600)
        #expect(ODSContentReader.durationSeconds("PT") == nil)
        #expect(ODSContentReader.durationSeconds("10:30") == nil)
        #expect(ODSContentReader.durationSeconds("PT1X") == nil)
    }

    // MARK: Hostile

    @Test("a cell with a value repeated past the last column is refused")
    func columnRepeatBomb() throws {
        let error = #expect(throws: SpreadsheetError.self) {
            try Self.load(B.row(B.text("X", repeated: 999_999_999)))
        }
        #expect(error?.code == .limitExceeded)
    }

    @Test("a row with values repeated a billion times is refused")
    func rowRepeatBomb() throws {
        let error = #expect(throws: SpreadsheetError.self) {
            try Self.load(B.row(B.text("X"), repeated: 999_999_999))
        }
        #expect(error?.code == .limitExceeded)
    }

    @Test("repeats within the sheet's bounds still count against maxRepeatedCells")
    func repeatBudget() throws {
        // 16,384 columns × 1,000 rows: within XFD1048576, but 16 million cells out of a few hundred bytes.
        let error = #expect(throws: SpreadsheetError.self) {
            try Self.load(B.row(B.text("X", repeated: 16_384), repeated: 1_000))
        }
        #expect(error?.code == .limitExceeded)
        let small = try Self.load(
            B.row(B.text("X", repeated: 100), repeated: 10), options: ReadOptions(limits: ReadLimits(maxRepeatedCells: 999)))
        #expect(small.cellCount == 1_000)
        let over = #expect(throws: SpreadsheetError.self) {
            try Self.load(B.row(B.text("X", repeated: 100), repeated: 11), options: ReadOptions(limits: ReadLimits(maxRepeatedCells: 999)))
        }
        #expect(over?.code == .limitExceeded)
    }

    @Test("thousands of empty sheets, each read by parsing the shared content.xml again, are refused up front")
    func manySheets() throws {
        var builder = ODSBuilder()
        for k in 0..<6_000 { builder.addSheet("Ark\(k)", rows: B.row(B.empty(1_024))) }
        let error = #expect(throws: SpreadsheetError.self) { try Self.open(builder) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.part == "content.xml")
        var fewer = ODSBuilder()
        for k in 0..<100 { fewer.addSheet("Ark\(k)", rows: B.row(B.text("\(k)"))) }
        let workbook = try Self.open(fewer)
        #expect(try workbook.load(workbook.sheets[99])["A1"] == .string("99"))
    }

    @Test("an entity bomb in content.xml is refused like one in an XLSX part")
    func entityBomb() throws {
        var builder = ODSBuilder()
        builder.rawContent = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\
            <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>\
            <office:document-content \(ODSBuilder.namespaces)><office:body><office:spreadsheet><table:table table:name="A">\
            <table:table-row><table:table-cell office:value-type="string"><text:p>&lol4;</text:p></table:table-cell></table:table-row>\
            </table:table></office:spreadsheet></office:body></office:document-content>
            """
        let error = #expect(throws: SpreadsheetError.self) { try Self.open(builder) }
        #expect(error?.code == .forbiddenDTD)
        #expect(error?.part == "content.xml")
    }

    @Test("text longer than the cell limit is refused, also when made of text:s spaces")
    func longText() throws {
        let limits = ReadOptions(limits: ReadLimits(maxCellBytes: 1_000))
        let spaces = #expect(throws: SpreadsheetError.self) {
            try Self.load(B.row("<table:table-cell office:value-type=\"string\"><text:p><text:s text:c=\"2000000000\"/></text:p></table:table-cell>"), options: limits)
        }
        #expect(spaces?.code == .limitExceeded)
        let text = #expect(throws: SpreadsheetError.self) {
            try Self.load(B.row(B.text(String(repeating: "a", count: 1_001))), options: limits)
        }
        #expect(text?.code == .limitExceeded)
    }

    @Test("deep nesting and damaged XML fail cleanly")
    func damaged() throws {
        var deep = ODSBuilder()
        deep.addSheet("A", rows: String(repeating: "<text:p>", count: 5_000) + String(repeating: "</text:p>", count: 5_000))
        #expect(throws: SpreadsheetError.self) { try Self.open(deep) }
        var broken = ODSBuilder()
        broken.rawContent = "<office:document-content \(ODSBuilder.namespaces)><office:body><table:table"
        let error = #expect(throws: SpreadsheetError.self) { try Self.open(broken) }
        #expect(error?.code == .invalidXML)
        var none = ODSBuilder()
        none.rawContent = "<office:document-content \(ODSBuilder.namespaces)><office:body><office:spreadsheet/></office:body></office:document-content>"
        #expect((#expect(throws: SpreadsheetError.self) { try Self.open(none) })?.code == .noSheets)
    }
}
