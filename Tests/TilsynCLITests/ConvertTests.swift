import Foundation
import Testing
import TilsynSheets
import TilsynTestSupport

/// The UTF-8 byte order mark that starts excel-da CSV.
private let bom = "\u{FEFF}"

/// A CSV in the Danish Excel dialect with every kind of field `convert` types.
private let danishCSV =
    bom + "Navn;Beløb;Dato;Svar;Flag;Kode;Note\r\n"
    + "Anne;1234,5;01-02-2024;Ja;SAND;0800;=SUM(A1)\r\n"
    + "Bo;-0.25;2024-03-15 13:45;Nej;false;12;\"to\r\nlinjer\"\r\n"
    + "Carl;7;5.6.2023;ved ikke;TRUE;1e5;@x\r\n"

/// Runs `tilsyn` with `arguments`.
private func tilsyn(_ arguments: String...) throws -> ProcessResult {
    try runTilsyn(arguments)
}

/// The part `name` of the workbook at `path`, as text.
private func part(_ name: String, of path: String) throws -> String {
    let archive = try ZipArchive(path: path)
    return String(decoding: try archive.data(try #require(archive.entry(named: name))), as: UTF8.self)
}

/// The file at `path` decoded as UTF-8, byte order mark included (Foundation's String(contentsOfFile:) drops it).
private func text(_ path: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
}

/// Writes `text` as UTF-8 to `path`.
private func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

@Suite("tilsyn convert")
struct ConvertTests {
    @Test("CSV to XLSX types numbers, dates and booleans; Ja, Nej, codes and formulas stay (guarded) text")
    func csvToXLSXTypes() throws {
        let folder = try TemporaryDirectory("convert")
        defer { folder.cleanUp() }
        try write(danishCSV, to: folder.path("in.csv"))
        let result = try tilsyn("convert", folder.path("in.csv"), folder.path("out.xlsx"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty)

        let workbook = try Workbook(path: folder.path("out.xlsx"))
        #expect(workbook.sheets.map(\.name) == ["Ark1"])
        let sheet = try workbook.load(workbook.sheets[0])
        #expect(sheet["A1"] == .string("Navn"))
        #expect(sheet["G1"] == .string("Note"))
        #expect(sheet["B2"] == .number(1234.5))
        #expect(sheet["B3"] == .number(-0.25))
        #expect(sheet["B4"] == .number(7))
        #expect(sheet["C2"] == .date(ExcelDateTime(year: 2024, month: 2, day: 1, kind: .date)))
        #expect(sheet["C3"] == .date(ExcelDateTime(year: 2024, month: 3, day: 15, hour: 13, minute: 45)))
        #expect(sheet["C4"] == .date(ExcelDateTime(year: 2023, month: 6, day: 5, kind: .date)))
        #expect(sheet["D2"] == .string("Ja"))
        #expect(sheet["D3"] == .string("Nej"))
        #expect(sheet["D4"] == .string("ved ikke"))
        #expect(sheet["E2"] == .bool(true))
        #expect(sheet["E3"] == .bool(false))
        #expect(sheet["E4"] == .bool(true))
        #expect(sheet["F2"] == .string("0800"), "a leading zero keeps a code as text")
        #expect(sheet["F3"] == .number(12))
        #expect(sheet["F4"] == .string("1e5"), "no exponent notation: it is more often a code than a number")
        #expect(sheet["G2"] == .string("'=SUM(A1)"))
        #expect(sheet["G3"] == .string("to\r\nlinjer"))
        #expect(sheet["G4"] == .string("'@x"))
    }

    @Test("the header row is bold and frozen, the data has an autofilter and columns fit their content")
    func csvToXLSXLayout() throws {
        let folder = try TemporaryDirectory("convert")
        defer { folder.cleanUp() }
        let long = String(repeating: "y", count: 200)
        let csv = "id,beskrivelse\n1,kort\n2,\(String(repeating: "x", count: 30))\n3,\(long)\n"
        try write(csv, to: folder.path("in.csv"))
        let result = try tilsyn(
            "convert", folder.path("in.csv"), folder.path("out.xlsx"), "--dialect", "rfc4180", "--sheet", "Sager")
        #expect(result.status == 0, "\(result.stderr)")
        let path = folder.path("out.xlsx")
        #expect(try Workbook(path: path).sheets.map(\.name) == ["Sager"])
        let sheet = try part("xl/worksheets/sheet1.xml", of: path)
        #expect(sheet.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(sheet.contains(#"<autoFilter ref="A1:B4"/>"#))
        // "id" gets the minimum width 8; "beskrivelse" is capped at 60 characters despite 200 y's.
        #expect(sheet.contains(#"<col min="1" max="1" width="8.7109375" customWidth="1"/>"#), "\(sheet)")
        #expect(sheet.contains(#"<col min="2" max="2" width="60.7109375" customWidth="1"/>"#), "\(sheet)")
        #expect(sheet.contains(#"<c r="A1" s="1" t="s">"#) && sheet.contains(#"<c r="B1" s="1" t="s">"#))
        #expect(sheet.contains(#"<c r="A2"><v>1</v></c>"#), "data cells are unstyled numbers")
        let styles = try part("xl/styles.xml", of: path)
        #expect(styles.contains("<font><b/>"), "\(styles)")
        #expect(styles.contains(#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#))
        let names = try part("xl/workbook.xml", of: path)
        #expect(names.contains(#"<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">"#))
    }

    @Test("XLSX to CSV in each dialect: separators, line ends, BOM, decimal mark, dates and the guard")
    func xlsxToCSVDialects() throws {
        let folder = try TemporaryDirectory("convert")
        defer { folder.cleanUp() }
        let path = folder.path("in.xlsx")
        let writer = try XLSXWriter(path: path)
        let first = try writer.addWorksheet("Første")
        try first.appendRow(["ignored"])
        let data = try writer.addWorksheet("Data")
        try data.appendRow(["Sag", "Beløb", "Dato", "Note"])
        try data.appendRow(["S-1", 1234.5, .dateTime(try .init(year: 2024, month: 5, day: 17)), "=1+1"])
        try data.writeRow(3, [nil, .number(-2), .dateTime(try .init(year: 2024, month: 5, day: 17, hour: 8)), "a;b"])
        try writer.close()

        let danish = try tilsyn("convert", path, folder.path("da.csv"), "--sheet", "Data")
        #expect(danish.status == 0, "\(danish.stderr)")
        let danishText = try text(folder.path("da.csv"))
        #expect(
            danishText
                == bom + "Sag;Beløb;Dato;Note\r\nS-1;1234,5;17-05-2024;'=1+1\r\n;;;\r\n"
                + ";-2;17-05-2024 08:00:00;\"a;b\"\r\n")

        let plain = try tilsyn("convert", path, folder.path("plain.csv"), "--sheet", "Data", "--dialect", "rfc4180")
        #expect(plain.status == 0, "\(plain.stderr)")
        let plainText = try text(folder.path("plain.csv"))
        #expect(plainText == "Sag,Beløb,Dato,Note\nS-1,1234.5,17-05-2024,'=1+1\n,,,\n,-2,17-05-2024 08:00:00,a;b\n")

        let firstSheet = try tilsyn("convert", path, folder.path("first.csv"))
        #expect(firstSheet.status == 0)
        #expect(try text(folder.path("first.csv")) == bom + "ignored\r\n")
    }

    @Test("CSV → XLSX → CSV gives the same text back, booleans included", arguments: ["excel-da", "rfc4180"])
    func roundTrip(dialect: String) throws {
        let folder = try TemporaryDirectory("convert")
        defer { folder.cleanUp() }
        let danish = dialect == "excel-da"
        let csv =
            danish
            ? bom + "Sag;Beløb;Dato;Tidspunkt;Note;Flag\r\nS-1;1234,5;17-05-2024;17-05-2024 08:30:00;Ja;SAND\r\n"
                + "S-2;-3;01-03-1900;31-12-9999 23:59:59;\"Æble; pære\";FALSK\r\n"
            : "Sag,Beløb,Dato,Tidspunkt,Note,Flag\nS-1,1234.5,17-05-2024,17-05-2024 08:30:00,Ja,true\n"
                + "S-2,-3,01-03-1900,31-12-9999 23:59:59,\"Æble, pære\",false\n"
        try write(csv, to: folder.path("in.csv"))
        let there = try tilsyn("convert", folder.path("in.csv"), folder.path("mid.xlsx"), "--dialect", dialect)
        #expect(there.status == 0, "\(there.stderr)")
        let back = try tilsyn("convert", folder.path("mid.xlsx"), folder.path("out.csv"), "--dialect", dialect)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try text(folder.path("out.csv")) == csv)
    }

    @Test("unreadable input, a missing sheet and a bad sheet name exit 65 with Error: <file>: …")
    func dataErrors() throws {
        let folder = try TemporaryDirectory("convert")
        defer { folder.cleanUp() }
        let missing = try tilsyn("convert", folder.path("nope.csv"), folder.path("out.xlsx"))
        #expect(missing.status == 65)
        #expect(missing.stderr.hasPrefix("Error: \(folder.path("nope.csv")): "), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("out.xlsx")))

        try write("not a workbook", to: folder.path("fake.xlsx"))
        let fake = try tilsyn("convert", folder.path("fake.xlsx"), folder.path("out.csv"))
        #expect(fake.status == 65)
        #expect(fake.stderr.hasPrefix("Error: \(folder.path("fake.xlsx")): "), "\(fake.stderr)")

        try write("a\n1\n", to: folder.path("in.csv"))
        let badName = try tilsyn("convert", folder.path("in.csv"), folder.path("out.xlsx"), "--sheet", "a/b")
        #expect(badName.status == 65)
        #expect(badName.stderr.hasPrefix("Error: \(folder.path("out.xlsx")): "), "\(badName.stderr)")
        #expect(badName.stderr.contains("sheet name"))

        #expect(try tilsyn("convert", folder.path("in.csv"), folder.path("out.xlsx")).status == 0)
        let noSheet = try tilsyn("convert", folder.path("out.xlsx"), folder.path("x.csv"), "--sheet", "Nope")
        #expect(noSheet.status == 65)
        #expect(noSheet.stderr.contains("there is no sheet named 'Nope'; the sheets are: 'Ark1'"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("x.csv")))
    }

    @Test(
        "the extensions choose the direction; two of a kind is a usage error",
        arguments: [["a.csv", "b.csv"], ["a.xlsx", "b.xlsx"], ["a.txt", "b.xlsx"]])
    func usageErrors(files: [String]) throws {
        let result = try runTilsyn(["convert"] + files)
        #expect(result.status == 64)
        #expect(result.stderr.contains("convert"))
    }
}
