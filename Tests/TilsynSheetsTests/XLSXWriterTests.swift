import Foundation
import Testing

@testable import TilsynSheets

private typealias W = XLSXWriter

/// Writes the audit-shaped workbook used by the openpyxl oracle test.
private func writeFeatureWorkbook(to path: String, sharedStrings: Bool) throws {
    let writer = try XLSXWriter(path: path, options: .init(compressionLevel: 1, sharedStrings: sharedStrings))
    let bold = try writer.addStyle(
        W.Style(
            font: W.Font(size: 12, bold: true, color: W.Color(rgb: 0x1F4E78)),
            fill: .lightGray, border: .all(.thin), alignment: .init(horizontal: .center, wrapText: true)))
    let input = try writer.addStyle(W.Style(fill: .yellow, locked: false))
    let percent = try writer.addStyle(W.Style(numberFormat: .percent1))
    let thousands = try writer.addStyle(W.Style(numberFormat: .thousands))
    #expect(try writer.addStyle(W.Style(fill: .yellow, locked: false)) == input)

    let options = W.SheetOptions(
        columns: [.width(0, 30), W.Column(first: 1, last: 2, width: 12)], frozenRows: 1, frozenColumns: 1,
        pageSetup: W.PageSetup(
            orientation: .landscape, paperSize: W.PageSetup.a4, fitToWidth: true, repeatedRows: 0...0))
    let sheet = try writer.addWorksheet("Tilsyn", options: options)
    try sheet.appendRow(
        [.string("Spørgsmål", style: bold), .string("Svar", style: bold), .string("Dato", style: bold)],
        height: 30)
    try sheet.appendRow(["Tekst med <&> og \"citat\"", 42.5, .dateTime(try W.DateTime(year: 2024, month: 5, day: 17))])
    try sheet.appendRow([
        " mellemrum ", .number(1e-7), .dateTime(try W.DateTime(year: 2024, month: 5, day: 17, hour: 13, minute: 45)),
    ])
    try sheet.appendRow([.bool(true), .number(0.125, style: percent), .number(1_234_567, style: thousands)])
    try sheet.appendRow([
        .formula("=SUM(B2:B3)", cached: .number(42.5000001)), .formula("\"a\"&\"b\"", cached: .string("ab")),
        .formula("TODAY()"),
    ])
    try sheet.appendRow(["Kontrol\u{1}tegn og _x0041_", .blank(style: input), nil, "Linje 1\nLinje 2"])
    try sheet.writeRow(11, ["Svar her:", .blank(style: input)], firstColumn: 2)
    try sheet.mergeCells("A10:C10")
    try sheet.setAutoFilter("A1:C6")
    try sheet.addDataValidation(
        W.DataValidation(
            .list(["Ja", "Nej", "Ved ikke"]), inputTitle: "Vælg svar", inputMessage: "Vælg fra listen",
            errorTitle: "Ugyldigt", errorMessage: "Vælg Ja, Nej eller Ved ikke", errorStyle: .warning),
        to: "D12")
    try sheet.addDataValidation(W.DataValidation(.listFromRange("'Lister'!$A$1:$A$4")), to: "B2:B6 E2:E6")
    try sheet.addDataValidation(W.DataValidation(.wholeNumber(min: 0, max: 10), allowBlank: false), to: "F2")
    try sheet.addHyperlink(at: "A8", to: "'Lister'!A1", display: "Til listerne")
    try sheet.protect(W.SheetProtection(password: "password", allowFormattingColumns: true))
    try writer.defineName("Svar_B_2", refersTo: "'Tilsyn'!$D$12")
    try writer.defineName("Lokal", refersTo: "=Tilsyn!$A$1", sheet: "Tilsyn")

    let lists = try writer.addWorksheet("Lister", options: .init(visibility: .hidden))
    for value in ["Ja", "Nej", "Ved ikke", "Ikke relevant"] { try lists.appendRow([.string(value)]) }
    try writer.addWorksheet("Skjult", options: .init(visibility: .veryHidden))
    let second = try writer.addWorksheet("Data 2", options: .init(frozenRows: 2, showGridLines: false, zoom: 90))
    try second.appendRow(["a", "b"])
    try writer.addWorksheet("Kolonner", options: .init(frozenColumns: 2))

    writer.properties = W.DocumentProperties(
        title: "Ledelsestilsyn", subject: "Børnesager", creator: "Tilsyn", company: "Kommune",
        created: try W.DateTime(year: 2024, month: 6, day: 1, hour: 8, minute: 30),
        custom: [.string("Kommune", "Aarhus"), .string("Periode", "2024-Q2"), W.CustomProperty("Antal", .integer(7))])
    try writer.close()
}

private let openpyxlDump = #"""
    import json, sys, datetime, openpyxl
    wb = openpyxl.load_workbook(sys.argv[1])
    def conv(v):
        if isinstance(v, datetime.datetime): return "datetime:" + v.isoformat()
        return v
    out = {"sheets": wb.sheetnames, "states": [ws.sheet_state for ws in wb.worksheets]}
    ws = wb["Tilsyn"]
    out["cells"] = {c.coordinate: conv(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    out["types"] = {c.coordinate: c.data_type for row in ws.iter_rows() for c in row if c.value is not None}
    out["formats"] = {c.coordinate: c.number_format for row in ws.iter_rows() for c in row if c.value is not None}
    out["bold"] = ws["A1"].font.b
    out["fontColor"] = ws["A1"].font.color.rgb
    out["fill"] = ws["A1"].fill.fgColor.rgb
    out["border"] = ws["A1"].border.left.style
    out["wrap"] = ws["A1"].alignment.wrap_text
    out["locked"] = {k: ws[k].protection.locked for k in ["A1", "B6", "D12"]}
    out["protected"] = ws.protection.sheet
    out["password"] = ws.protection.password
    out["formatColumns"] = ws.protection.formatColumns
    out["freeze"] = ws.freeze_panes
    out["freeze2"] = wb["Data 2"].freeze_panes
    out["freeze3"] = wb["Kolonner"].freeze_panes
    out["merged"] = [str(r) for r in ws.merged_cells.ranges]
    out["autofilter"] = ws.auto_filter.ref
    out["widths"] = {k: ws.column_dimensions[k].width for k in ["A", "B"]}
    out["rowHeight"] = ws.row_dimensions[1].height
    out["dv"] = [{"type": d.type, "formula1": d.formula1, "formula2": d.formula2, "sqref": str(d.sqref),
                  "prompt": d.prompt, "promptTitle": d.promptTitle, "error": d.error, "errorTitle": d.errorTitle,
                  "errorStyle": d.errorStyle, "allowBlank": d.allow_blank} for d in ws.data_validations.dataValidation]
    out["hyperlink"] = [ws["A8"].hyperlink.location, ws["A8"].hyperlink.display]
    out["names"] = {n: wb.defined_names[n].attr_text for n in wb.defined_names}
    out["localNames"] = {n: ws.defined_names[n].attr_text for n in ws.defined_names}
    out["printTitles"] = ws.print_title_rows
    out["fitToPage"] = ws.sheet_properties.pageSetUpPr.fitToPage
    out["fit"] = [ws.page_setup.fitToWidth, ws.page_setup.fitToHeight]
    out["orientation"] = ws.page_setup.orientation
    out["paper"] = ws.page_setup.paperSize
    out["core"] = {"title": wb.properties.title, "subject": wb.properties.subject, "creator": wb.properties.creator,
                   "created": wb.properties.created.isoformat()}
    out["custom"] = {p.name: p.value for p in wb.custom_doc_props.props}
    out["gridlines2"] = wb["Data 2"].sheet_view.showGridLines
    out["active"] = wb.active.title
    print(json.dumps(out))
    """#

@Suite("XLSXWriter")
struct XLSXWriterTests {
    @Test("openpyxl reads every feature back", .enabled(if: WriterPython.shouldRun), arguments: [true, false])
    func openpyxlOracle(sharedStrings: Bool) throws {
        let folder = try WriterTemporaryFolder()
        let path = folder.path("tilsyn.xlsx")
        try writeFeatureWorkbook(to: path, sharedStrings: sharedStrings)
        #expect(try folder.contents() == ["tilsyn.xlsx"])
        let dump = try #require(try WriterPython.json(openpyxlDump, [path]) as? [String: Any])
        #expect(dump["sheets"] as? [String] == ["Tilsyn", "Lister", "Skjult", "Data 2", "Kolonner"])
        #expect(dump["states"] as? [String] == ["visible", "hidden", "veryHidden", "visible", "visible"])
        let cells = try #require(dump["cells"] as? [String: Any])
        #expect(cells["A1"] as? String == "Spørgsmål")
        #expect(cells["A2"] as? String == "Tekst med <&> og \"citat\"")
        #expect(cells["B2"] as? Double == 42.5)
        #expect(cells["C2"] as? String == "datetime:2024-05-17T00:00:00")
        #expect(cells["C3"] as? String == "datetime:2024-05-17T13:45:00")
        #expect(cells["A3"] as? String == " mellemrum ")
        #expect(cells["B3"] as? Double == 1e-7)
        #expect(cells["A4"] as? Bool == true)
        #expect(cells["B4"] as? Double == 0.125)
        #expect(cells["A5"] as? String == "=SUM(B2:B3)")
        #expect(cells["C5"] as? String == "=TODAY()")
        // Excel decodes _xHHHH_; openpyxl leaves inline strings as they are and decodes only _x005F_ in shared
        // strings, so the raw escaping shows here: the control character and the literal _x0041_ survive.
        let escaped = sharedStrings ? "Kontrol_x0001_tegn og _x0041_" : "Kontrol_x0001_tegn og _x005F_x0041_"
        #expect(cells["A6"] as? String == escaped)
        #expect(cells["D6"] as? String == "Linje 1\nLinje 2")
        #expect(cells["C12"] as? String == "Svar her:")
        let types = try #require(dump["types"] as? [String: String])
        #expect(types["A4"] == "b")
        #expect(types["A5"] == "f")
        let formats = try #require(dump["formats"] as? [String: String])
        #expect(formats["C2"] == "dd-mm-yyyy")
        #expect(formats["C3"] == "dd-mm-yyyy hh:mm")
        #expect(formats["B4"] == "0.0%")
        #expect(formats["C4"] == "#,##0")
        #expect(dump["bold"] as? Bool == true)
        #expect(dump["fontColor"] as? String == "FF1F4E78")
        #expect(dump["fill"] as? String == "FFD9D9D9")
        #expect(dump["border"] as? String == "thin")
        #expect(dump["wrap"] as? Bool == true)
        #expect(dump["locked"] as? [String: Bool] == ["A1": true, "B6": false, "D12": false])
        #expect(dump["protected"] as? Bool == true)
        #expect(dump["password"] as? String == "83AF")
        #expect(dump["formatColumns"] as? Bool == false)
        #expect(dump["freeze"] as? String == "B2")
        #expect(dump["freeze2"] as? String == "A3")
        #expect(dump["freeze3"] as? String == "C1")
        #expect(dump["merged"] as? [String] == ["A10:C10"])
        #expect(dump["autofilter"] as? String == "A1:C6")
        let widths = try #require(dump["widths"] as? [String: Double])
        #expect(widths["A"] == 30.7109375)
        #expect(widths["B"] == 12.7109375)
        #expect(dump["rowHeight"] as? Double == 30)
        let validations = try #require(dump["dv"] as? [[String: Any]])
        #expect(validations.count == 3)
        let list = try #require(validations.first)
        #expect(list["type"] as? String == "list")
        #expect(list["formula1"] as? String == "\"Ja,Nej,Ved ikke\"")
        #expect(list["sqref"] as? String == "D12")
        #expect(list["prompt"] as? String == "Vælg fra listen")
        #expect(list["promptTitle"] as? String == "Vælg svar")
        #expect(list["errorTitle"] as? String == "Ugyldigt")
        #expect(list["errorStyle"] as? String == "warning")
        #expect(list["allowBlank"] as? Bool == true)
        #expect(validations[1]["formula1"] as? String == "'Lister'!$A$1:$A$4")
        #expect(validations[1]["sqref"] as? String == "B2:B6 E2:E6")
        #expect(validations[2]["type"] as? String == "whole")
        #expect(validations[2]["formula2"] as? String == "10")
        #expect(dump["hyperlink"] as? [String] == ["'Lister'!A1", "Til listerne"])
        #expect(dump["names"] as? [String: String] == ["Svar_B_2": "'Tilsyn'!$D$12"])
        let local = try #require(dump["localNames"] as? [String: String])
        #expect(local["Lokal"] == "Tilsyn!$A$1")
        #expect(dump["printTitles"] as? String == "$1:$1")
        #expect(dump["fitToPage"] as? Bool == true)
        #expect(dump["fit"] as? [Int] == [1, 0])
        #expect(dump["orientation"] as? String == "landscape")
        #expect(dump["paper"] as? Int == 9)
        #expect(
            dump["core"] as? [String: String] == [
                "title": "Ledelsestilsyn", "subject": "Børnesager", "creator": "Tilsyn",
                "created": "2024-06-01T08:30:00",
            ])
        let custom = try #require(dump["custom"] as? [String: Any])
        #expect(custom["Kommune"] as? String == "Aarhus")
        #expect(custom["Periode"] as? String == "2024-Q2")
        #expect(custom["Antal"] as? Int == 7)
        #expect(dump["gridlines2"] as? Bool == false)
        #expect(dump["active"] as? String == "Tilsyn")
    }

    @Test("the package holds every part, read back by ZipArchive, in ECMA-376 element order")
    func packageParts() throws {
        let writer = try XLSXWriter()
        let sheet = try writer.addWorksheet(
            "Ark1",
            options: .init(
                columns: [.width(0, 10)], frozenRows: 1, dimension: "A1:B2",
                pageSetup: .init(fitToWidth: true)))
        try sheet.appendRow(["x", 1])
        try sheet.protect()
        try sheet.setAutoFilter("A1:B1")
        try sheet.mergeCells("A3:B3")
        try sheet.addDataValidation(.init(.list(["a"])), to: "A2")
        try sheet.addHyperlink(at: "B2", to: "#Ark1!A1")
        writer.properties.custom = [.string("k", "v")]
        try writer.close()
        let archive = try ZipArchive(bytes: writer.bytes)
        #expect(
            Set(archive.entries.map(\.name)) == [
                "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "docProps/custom.xml",
                "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml",
                "xl/theme/theme1.xml", "xl/worksheets/sheet1.xml",
            ])
        let theme = try archive.data(try #require(archive.entry(named: "xl/theme/theme1.xml")))
        let reference = try ZipArchive(
            path: "/work/shared/corpus/xlsx/rust_xlsxwriter/data_validation02.xlsx")
        if let expected = reference.entry(named: "xl/theme/theme1.xml") {
            #expect(theme == (try reference.data(expected)), "theme1.xml is Excel's, byte for byte")
        }
        let xml = String(
            decoding: try archive.data(try #require(archive.entry(named: "xl/worksheets/sheet1.xml"))), as: UTF8.self)
        let order = [
            "<sheetPr>", "<dimension", "<sheetViews>", "<sheetFormatPr", "<cols>", "<sheetData>", "<sheetProtection",
            "<autoFilter", "<mergeCells", "<dataValidations", "<hyperlinks>", "<pageMargins", "<pageSetup",
        ]
        let positions = order.map { xml.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(xml)")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted(), "elements follow CT_Worksheet order")
    }

    @Test("shared strings keep texts apart by their bytes: é as one code point and as e + accent, repeats once")
    func sharedStringsAreExact() throws {
        let composed = "Sag om \u{E9}n ting"
        let decomposed = "Sag om e\u{301}n ting"
        #expect(composed == decomposed, "Swift's String == treats them as one; the table must not")
        let writer = try XLSXWriter()
        let sheet = try writer.addWorksheet("A")
        try sheet.appendRow([.string(composed), .string(decomposed), .string(composed)])
        try writer.close()
        let workbook = try Workbook(bytes: writer.bytes, name: "exact.xlsx")
        let values = try workbook.load(workbook.sheets[0]).rows[0].cells.map(\.value)
        guard values.count >= 3, case .string(let first) = values[0], case .string(let second) = values[1],
            case .string(let third) = values[2]
        else {
            Issue.record("unexpected cells: \(values)")
            return
        }
        #expect(Array(first.utf8) == Array(composed.utf8))
        #expect(Array(second.utf8) == Array(decomposed.utf8))
        #expect(Array(third.utf8) == Array(composed.utf8))
        let archive = try ZipArchive(bytes: writer.bytes)
        let table = try #require(archive.entry(named: "xl/sharedStrings.xml"))
        let xml = String(decoding: try archive.data(table), as: UTF8.self)
        #expect(xml.contains("count=\"3\" uniqueCount=\"2\""), "\(xml.prefix(300))")
    }

    @Test("the same workbook gives identical bytes")
    func deterministic() throws {
        func make() throws -> [UInt8] {
            let writer = try XLSXWriter()
            let sheet = try writer.addWorksheet("A")
            try sheet.appendRow(["x", 1, .dateTime(try .init(year: 2024, month: 1, day: 2))])
            try writer.close()
            return writer.bytes
        }
        #expect(try make() == (try make()))
    }

    @Test(
        "XML escaping of text and attributes",
        arguments: [
            ("a<b>&\"c\"", false, "a&lt;b&gt;&amp;\"c\""),
            ("a<b>&\"c\"", true, "a&lt;b&gt;&amp;&quot;c&quot;"),
            ("tab\there\nnew", false, "tab\there\nnew"),
            ("tab\there\nnew", true, "tab&#9;here&#10;new"),
            ("nul\u{0}bell\u{7}", false, "nul_x0000_bell_x0007_"),
            ("_x00e9_ and _x12_", false, "_x005F_x00e9_ and _x12_"),
            ("\u{FFFE}", false, "_xFFFE_"),
            ("æøå ☕", false, "æøå ☕"),
        ])
    func escaping(input: String, attribute: Bool, expected: String) {
        var buffer = XMLBuffer()
        if attribute { buffer.attributeValue(input) } else { buffer.text(input) }
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == expected)
    }

    @Test(
        "numbers are written in their shortest round-trip form",
        arguments: [
            (1.0, "1"), (-0.0, "0"), (42.5, "42.5"), (0.1, "0.1"), (1e-7, "1e-07"),
            (123456789012345.0, "123456789012345"),
            (1e20, "1e+20"), (2.0 / 3.0, "0.6666666666666666"),
        ])
    func numbers(value: Double, expected: String) {
        #expect(XMLBuffer.number(value) == expected)
        #expect(Double(XMLBuffer.number(value)) == value)
    }

    @Test(
        "dates become Excel 1900 serials",
        arguments: [
            (1900, 1, 1, 1.0), (1900, 2, 28, 59.0), (1900, 3, 1, 61.0), (2024, 5, 17, 45429.0),
            (9999, 12, 31, 2958465.0),
        ])
    func serials(year: Int, month: Int, day: Int, serial: Double) throws {
        #expect(try W.DateTime(year: year, month: month, day: day).serial == serial)
    }

    @Test("a time since 1970 becomes the same wall-clock time")
    func secondsSince1970() throws {
        let date = try W.DateTime(secondsSince1970: 1_715_953_500)  // 2024-05-17 13:45:00
        #expect(date == (try W.DateTime(year: 2024, month: 5, day: 17, hour: 13, minute: 45)))
        let expected: Double = 45429.0 + 825.0 / 1440.0
        #expect(date.serial == expected)
    }

    @Test(
        "column letters and references",
        arguments: [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")])
    func columns(index: Int, letters: String) {
        #expect(A1.column(index) == letters)
        #expect(A1.parseCell(Substring(letters + "1"))?.column == index)
    }

    @Test("the legacy password hash matches Excel's", arguments: [("password", "83AF"), ("", "0000")])
    func passwordHash(password: String, hash: String) {
        #expect(W.SheetProtection.legacyHash(password) == hash)
    }

    @Test("Excel's reference protect03.xlsx carries the same hash")
    func passwordHashReference() throws {
        let archive = try ZipArchive(path: "/work/shared/corpus/xlsx/rust_xlsxwriter/protect03.xlsx")
        let sheet = String(
            decoding: try archive.data(try #require(archive.entry(named: "xl/worksheets/sheet1.xml"))), as: UTF8.self)
        #expect(sheet.contains("password=\"\(W.SheetProtection.legacyHash("password"))\""))
    }
}
