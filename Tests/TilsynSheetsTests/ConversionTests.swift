import Foundation
import PropertyBased
import Testing

@testable import TilsynSheets
import TilsynTestSupport

private typealias W = XLSXWriter

@Suite("CSV field typing for tilsyn convert")
struct ConversionTests {
    @Test(
        "numbers with a decimal comma or point",
        arguments: [
            ("0", 0.0), ("42", 42), ("-7", -7), ("+5", 5), ("1234,5", 1234.5), ("1234.5", 1234.5), ("-0,25", -0.25),
            ("0.1", 0.1), ("-0", 0), ("123456789012345", 123_456_789_012_345),
        ])
    func numbers(field: String, expected: Double) {
        #expect(SheetConversion.typedValue(field) == .number(expected))
    }

    @Test(
        "dates in Danish and ISO forms, with and without a time",
        arguments: [
            ("17-05-2024", 2024, 5, 17, 0, 0, 0), ("17.05.2024", 2024, 5, 17, 0, 0, 0),
            ("2024-05-17", 2024, 5, 17, 0, 0, 0), ("5-6-2023", 2023, 6, 5, 0, 0, 0),
            ("29-02-2024", 2024, 2, 29, 0, 0, 0),
            ("17-05-2024 13:45", 2024, 5, 17, 13, 45, 0), ("17-05-2024 13:45:09", 2024, 5, 17, 13, 45, 9),
            ("2024-05-17T08:30:00", 2024, 5, 17, 8, 30, 0), ("2024-05-17 08:30", 2024, 5, 17, 8, 30, 0),
        ])
    func dates(field: String, year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) throws {
        let expected = try W.DateTime(
            year: year, month: month, day: day, hour: hour, minute: minute, second: Double(second))
        #expect(SheetConversion.typedValue(field) == .dateTime(expected))
    }

    @Test(
        "true, false, SAND and FALSK in any case are booleans",
        arguments: [
            ("true", true), ("TRUE", true), ("False", false), ("SAND", true), ("sand", true), ("FALSK", false),
            ("tRuE", true), ("fAlSk", false), ("falsE", false),
        ])
    func booleans(field: String, expected: Bool) {
        #expect(SheetConversion.typedValue(field) == .bool(expected))
    }

    @Test(
        "answers, codes, impossible dates and other lookalikes stay text",
        arguments: [
            "Ja", "Nej", "ja", "NEJ", "Ved ikke", "0800", "007", "1e5", "1.234.567", "1,234.5", "12,", ",5", "-", "+",
            "1 000", "31-02-2024", "2024-13-01", "17-05-24", "17/05/2024", "17-05-2024 25:00", "17-05-2024T08:00",
            "1234567890123456", "S-1", " 42", "42 ", "yes", "",
            // Near misses of the booleans: other lengths, spaces, a letter off, non-ASCII look-alikes.
            "tru", "truee", " true", "true ", "sandt", "falske", "tr\u{00FC}e", "\u{0161}and", "fals\u{212A}", "TRUE\u{0}",
        ])
    func text(field: String) {
        #expect(SheetConversion.typedValue(field) == .string(field))
    }

    @Test("a number field is the Double its text names, with a comma or a point, at any length the grammar allows")
    func numbersAreTheirTextsDouble() async {
        // Integers of 1-15 digits (no leading zero) and 0-24 decimals: within and beyond the division's exact
        // range (2^53 and 10^22), and around 2^53 itself.
        await propertyCheck(
            count: 2_000, input: Gen.int(in: 1...999_999_999_999_999), Gen.int(in: 0...999_999_999_999_999),
            Gen.int(in: 0...24), Gen.int(in: 0...3)
        ) { whole, fraction, decimals, form in
            var digits = String(fraction)
            digits = String(repeating: "0", count: max(0, decimals - digits.count)) + digits
            let decimalsText = String(digits.suffix(decimals))
            let integer = form == 3 ? String(9_007_199_254_740_992 / 10 + whole % 100) : String(whole)
            let point = decimals == 0 ? "" : (form == 0 ? "," : ".")
            let text = (form == 1 ? "-" : "") + integer + point + decimalsText
            let expected = Double((form == 1 ? "-" : "") + integer + (decimals == 0 ? "" : ".") + decimalsText)!
            // Past 40 bytes a field stays text (the grammar's limit).
            #expect(SheetConversion.typedValue(text) == (text.utf8.count > 40 ? .string(text) : .number(expected)),
                "\(text)")
        }
        #expect(SheetConversion.typedValue("-0") == .number(0))
        #expect(SheetConversion.typedValue("-0,0") == .number(0))
    }

    @Test("a column's width counts characters as String does, from the bytes when all are printable ASCII")
    func characterCountIsStringsCount() async {
        // Printable ASCII, and what makes bytes and characters differ: CR LF (one character), a combining accent
        // after a letter, emoji with and without a joiner, Danish letters, TAB and DEL.
        let pieces: [String] = [
            "a", "Z", " ", "~", "1", ";", "\r\n", "\r", "\n", "e\u{301}", "👩‍💻", "🇩🇰", "æ", "Ø", "\t", "\u{7F}",
        ]
        await propertyCheck(count: 400, input: Gen.element(of: pieces).map { $0 ?? "a" }.array(of: 0...12)) {
            parts in
            let field = parts.joined()
            #expect(SheetConversion.characterCount(field) == field.count, "\(Array(field.utf8))")
        }
    }

    @Test("XLSX → CSV in one parse: narrower rows, gaps and a one-column sheet get the fields a padded row has")
    func xlsxToCSVPadsAsTheWidestRow() throws {
        let folder = try TemporaryDirectory("convert")
        defer { folder.cleanUp() }
        let path = folder.path("in.xlsx")
        let writer = try XLSXWriter(path: path)
        let wide = try writer.addWorksheet("Wide")
        try wide.appendRow(["a", "b", "c"])
        try wide.appendRow(["x"])
        try wide.writeRow(3, [nil, "y"])
        try wide.appendRow([.string(""), "z", .string("")])
        let narrow = try writer.addWorksheet("Narrow")
        try narrow.appendRow(["a"])
        try narrow.writeRow(2, ["b"])
        try writer.close()
        func convert(_ sheet: String) throws -> String {
            let output = folder.path("\(sheet).csv")
            try SheetConversion.xlsxToCSV(input: path, output: output, sheet: sheet)
            return String(decoding: try FileBytes.read(path: output, limit: 1 << 20), as: UTF8.self)
        }
        let bom = "\u{FEFF}"
        #expect(try convert("Wide") == bom + "a;b;c\r\nx;;\r\n;;\r\n;y;\r\n;z;\r\n")
        // A blank row of one field is written "", so that it reads back as one empty field and not as no row.
        #expect(try convert("Narrow") == bom + "a\r\n\"\"\r\nb\r\n")
        // No temporary file is left beside the outputs.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
            == ["Narrow.csv", "Wide.csv", "in.xlsx"])
    }

    @Test("CSV values of cells read from a workbook")
    func csvValues() {
        #expect(SheetConversion.csvValue(.string("x")) == .text("x"))
        #expect(SheetConversion.csvValue(.number(2.5)) == .number(2.5))
        #expect(SheetConversion.csvValue(.bool(true)) == .bool(true))
        #expect(SheetConversion.csvValue(.error("#N/A")) == .text("#N/A"))
        let date = ExcelDateTime(year: 2024, month: 5, day: 17, kind: .date)
        #expect(SheetConversion.csvValue(.date(date)) == .date(year: 2024, month: 5, day: 17))
        let dateTime = ExcelDateTime(year: 2024, month: 5, day: 17, hour: 8, minute: 30, second: 5)
        #expect(
            SheetConversion.csvValue(.date(dateTime))
                == .dateTime(year: 2024, month: 5, day: 17, hour: 8, minute: 30, second: 5))
        let time = ExcelDateTime(serial: 0.5, kind: .time)
        #expect(SheetConversion.csvValue(.date(time)) == .text("12:00:00"))
    }

    @Test("the writer's options for panes and printing are checked before anything is written")
    func sheetOptionErrors() throws {
        let writer = try XLSXWriter()
        #expect(throws: SpreadsheetError.self) {
            try writer.addWorksheet("A", options: .init(frozenRows: 1, frozenTopLeftCell: "nope"))
        }
        #expect(throws: SpreadsheetError.self) {
            try writer.addWorksheet("A", options: .init(pageSetup: .init(fitToPages: .init(wide: -1, tall: 0))))
        }
        var setup = W.PageSetup(fitToWidth: true)
        #expect(setup.fitToPages == W.FitToPages(wide: 1, tall: 0))
        setup.fitToWidth = false
        #expect(setup.fitToPages == nil)
        #expect(W.guardedText("=1+1") == "'=1+1")
        #expect(W.guardedText("\tx") == "'\tx")
        #expect(W.guardedText("a=b") == "a=b")
        #expect(W.guardedText("'=x") == "'=x")
    }
}
