import Foundation
import Testing
import TilsynTestSupport

@testable import TilsynSheets

private typealias W = XLSXWriter

/// LibreOffice as a real client: `soffice --headless --convert-to` must open every kind of workbook we write.
///
/// soffice is looked up on PATH. Without it the tests are skipped, except on CI (`CI=true`), where they fail:
/// `.ci/run` installs `libreoffice-calc-nogui`. Each run uses a private profile directory, so it neither
/// disturbs nor waits for another LibreOffice, and all workbooks go through one soffice start per format.
enum LibreOffice {
    /// The soffice executable on PATH, if any.
    static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("soffice") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Whether the tests run: soffice found, or on CI, where its absence is a failure.
    static let shouldRun = executable != nil || TestPaths.isCI

    /// Why the tests are skipped when they are.
    static let skipReason: Comment = "soffice is not on PATH (install libreoffice-calc-nogui); under CI this fails"

    /// How long one soffice run may take before it is killed and the test fails.
    static let timeout: TimeInterval = 300

    /// CSV export: `,`, `"`, UTF-8, cells as shown (en-US number formats), every sheet to `NAME-SHEET.csv`.
    static let csvFilter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1"

    /// Converts `files` with one soffice run into `outputDirectory`; returns soffice's output for messages.
    static func convert(_ files: [String], to filter: String, outputDirectory: URL) throws -> String {
        let soffice = try #require(executable, "soffice is not on PATH: install libreoffice-calc-nogui (.ci/run does)")
        let run = try ExternalTools.convertWithLibreOffice(
            soffice, files: files, to: filter, outputDirectory: outputDirectory, timeout: timeout)
        #expect(!run.killed, "soffice was killed after \(Int(timeout)) s:\n\(run.output)")
        #expect(run.status == 0, "soffice failed:\n\(run.output)")
        return run.output
    }
}

/// A workbook of one kind, with the text each sheet must show in LibreOffice's CSV export.
struct LibreOfficeCase {
    let name: String
    /// Sheet name → the expected CSV rows (cells as LibreOffice shows them).
    var expected: [(sheet: String, rows: [[String]])] = []
}

/// Writes rows and records how LibreOffice (en-US) shows them.
private struct Recorder {
    let sheet: XLSXWorksheetWriter
    var rows: [[String]] = []

    init(_ sheet: XLSXWorksheetWriter) { self.sheet = sheet }

    /// Appends one row of (cell, shown text) pairs; nil cells are empty.
    mutating func row(_ cells: [(W.Cell?, String)]) throws {
        try sheet.appendRow(cells.map(\.0))
        rows.append(cells.map(\.1))
    }
}

private func date(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) throws -> W.Cell {
    .dateTime(try W.DateTime(year: y, month: m, day: d, hour: h, minute: mi))
}

/// A data table every case starts with: text with æøå, commas, quotes and a line break, numbers, booleans and
/// dates with and without times.
private func dataRows(_ recorder: inout Recorder, header: W.StyleID? = nil) throws {
    try recorder.row([
        (.string("Sag", style: header), "Sag"), (.string("Beløb", style: header), "Beløb"),
        (.string("Dato", style: header), "Dato"), (.string("Tid", style: header), "Tid"),
        (.string("Svar", style: header), "Svar"), (.string("Note", style: header), "Note"),
    ])
    try recorder.row([
        ("S-1", "S-1"), (1234.5, "1234.5"), (try date(2024, 5, 17), "17-05-2024"),
        (try date(2024, 5, 17, 13, 45), "17-05-2024 13:45"), (true, "TRUE"), ("Æble, \"pære\"", "Æble, \"pære\""),
    ])
    try recorder.row([
        ("S-2", "S-2"), (-0.25, "-0.25"), (try date(1999, 12, 31), "31-12-1999"), (nil, ""), (false, "FALSE"),
        ("to\nlinjer", "to\nlinjer"),
    ])
    try recorder.row([("S-3", "S-3"), (42, "42"), (nil, ""), (nil, ""), ("Ja", "Ja"), ("ø", "ø")])
}

/// Builds every kind of workbook the writer makes into `folder`; returns the cases with their expectations.
private func buildCases(in folder: TemporaryDirectory) throws -> [LibreOfficeCase] {
    var cases: [LibreOfficeCase] = []
    func make(
        _ name: String, sharedStrings: Bool = true, _ body: (XLSXWriter, inout LibreOfficeCase) throws -> Void
    ) throws {
        let writer = try XLSXWriter(path: folder.path("\(name).xlsx"), options: .init(sharedStrings: sharedStrings))
        var workbookCase = LibreOfficeCase(name: name)
        try body(writer, &workbookCase)
        try writer.close()
        cases.append(workbookCase)
    }
    func simple(_ writer: XLSXWriter, _ name: String, options: W.SheetOptions = .init()) throws -> Recorder {
        var recorder = Recorder(try writer.addWorksheet(name, options: options))
        try dataRows(&recorder)
        return recorder
    }

    try make("plain") { writer, c in
        let data = try simple(writer, "Data")
        c.expected = [("Data", data.rows)]
    }
    try make("inline", sharedStrings: false) { writer, c in
        let data = try simple(writer, "Data")
        c.expected = [("Data", data.rows)]
    }
    try make("styled") { writer, c in
        let header = try writer.addStyle(
            W.Style(
                font: W.Font(size: 12, bold: true, color: W.Color(rgb: 0x1F4E78)), fill: .lightGray,
                border: .all(.thin), alignment: W.Alignment(horizontal: .center, vertical: .center, wrapText: true)))
        let percent = try writer.addStyle(W.Style(numberFormat: .percent1))
        let thousands = try writer.addStyle(W.Style(numberFormat: .thousands))
        let integer = try writer.addStyle(W.Style(font: W.Font(italic: true, underline: true), numberFormat: .integer))
        let boxed = try writer.addStyle(W.Style(border: .all(.double, color: .red)))
        var data = Recorder(try writer.addWorksheet("Data", options: .init(columns: [.width(0, 20), .width(5, 40)])))
        try dataRows(&data, header: header)
        try data.row([
            (.number(0.125, style: percent), "12.5%"), (.number(1_234_567, style: thousands), "1,234,567"),
            (.number(2.6, style: integer), "3"), (.blank(style: boxed), ""), (.string("kant", style: boxed), "kant"),
            (nil, ""),
        ])
        c.expected = [("Data", data.rows)]
    }
    try make("validation-inline") { writer, c in
        let data = try simple(writer, "Data")
        let sheet = data.sheet
        try sheet.addDataValidation(
            W.DataValidation(
                .list(["Ja", "Nej", "Ved ikke"]), inputTitle: "Svar", inputMessage: "Vælg fra listen",
                errorTitle: "Ugyldigt", errorMessage: "Vælg Ja, Nej eller Ved ikke"),
            to: "E2:E40")
        try sheet.addDataValidation(W.DataValidation(.wholeNumber(min: 0, max: 100)), to: "B2:B40")
        c.expected = [("Data", data.rows)]
    }
    try make("validation-hidden-sheet") { writer, c in
        let data = try simple(writer, "Data")
        try data.sheet.addDataValidation(W.DataValidation(.listFromRange("'Lister'!$A$1:$A$4")), to: "E2:E40")
        var lists = Recorder(try writer.addWorksheet("Lister", options: .init(visibility: .hidden)))
        for value in ["Ja", "Nej", "Ved ikke", "Ikke relevant"] { try lists.row([(.string(value), value)]) }
        try writer.defineName("Svarliste", refersTo: "'Lister'!$A$1:$A$4")
        c.expected = [("Data", data.rows), ("Lister", lists.rows)]
    }
    try make("protected") { writer, c in
        let input = try writer.addStyle(W.Style(fill: .yellow, locked: false))
        var data = Recorder(try writer.addWorksheet("Data"))
        try dataRows(&data)
        try data.row([("Svar:", "Svar:"), (.blank(style: input), ""), (.string("udfyld", style: input), "udfyld")])
        try data.sheet.protect(W.SheetProtection(password: "tilsyn", allowFormattingColumns: true))
        c.expected = [("Data", data.rows)]
    }
    try make("frozen") { writer, c in
        let data = try simple(writer, "Data", options: .init(frozenRows: 1, frozenColumns: 1))
        let second = try simple(writer, "Kolonner", options: .init(frozenColumns: 2, frozenTopLeftCell: "D10"))
        c.expected = [("Data", data.rows), ("Kolonner", second.rows)]
    }
    try make("merged") { writer, c in
        let centred = try writer.addStyle(W.Style(alignment: W.Alignment(horizontal: .center)))
        var data = Recorder(try writer.addWorksheet("Data"))
        try data.row([(.string("Overskrift", style: centred), "Overskrift")] + Array(repeating: (nil, ""), count: 5))
        try dataRows(&data)
        try data.sheet.mergeCells("A1:F1")
        try data.sheet.mergeCells("A5:B6")
        c.expected = [("Data", data.rows)]
    }
    try make("hyperlinks") { writer, c in
        var index = Recorder(try writer.addWorksheet("Indhold"))
        try index.row([("Til data", "Til data")])
        try index.row([("Til lister", "Til lister")])
        try index.sheet.addHyperlink(at: "A1", to: "'Data'!A1", tooltip: "Gå til data")
        try index.sheet.addHyperlink(at: "A2", to: "#Lister!B2", display: "Til lister")
        let data = try simple(writer, "Data")
        let lists = try simple(writer, "Lister")
        c.expected = [("Indhold", index.rows), ("Data", data.rows), ("Lister", lists.rows)]
    }
    try make("defined-names") { writer, c in
        var data = Recorder(try writer.addWorksheet("Data"))
        try dataRows(&data)
        try writer.defineName("Beloeb", refersTo: "Data!$B$2:$B$4")
        try writer.defineName("Lokal", refersTo: "Data!$A$1", sheet: "Data")
        try writer.defineName("_xlnm.Print_Area", refersTo: "Data!$A$1:$F$4", sheet: "Data")
        try data.row([
            (.formula("SUM(Beloeb)", cached: .number(1276.25)), "1276.25"),
            (.formula("Lokal&\"!\"", cached: .string("Sag!")), "Sag!"),
            (.formula("B2>1000", cached: .bool(true)), "TRUE"),
        ])
        c.expected = [("Data", data.rows)]
    }
    try make("hidden-sheets") { writer, c in
        let data = try simple(writer, "Data")
        var hidden = Recorder(try writer.addWorksheet("Skjult", options: .init(visibility: .hidden)))
        try hidden.row([("skjult", "skjult")])
        var veryHidden = Recorder(try writer.addWorksheet("Meget", options: .init(visibility: .veryHidden)))
        try veryHidden.row([("meget skjult", "meget skjult")])
        c.expected = [("Data", data.rows), ("Skjult", hidden.rows), ("Meget", veryHidden.rows)]
    }
    try make("print-setup") { writer, c in
        let setup = W.PageSetup(
            orientation: .landscape, paperSize: W.PageSetup.a4, fitToWidth: true, repeatedRows: 0...0,
            printGridLines: true, centerHorizontally: true)
        let data = try simple(writer, "Data", options: .init(showGridLines: false, zoom: 85, pageSetup: setup))
        c.expected = [("Data", data.rows)]
    }
    try make("properties") { writer, c in
        let data = try simple(writer, "Data")
        writer.properties = W.DocumentProperties(
            title: "Ledelsestilsyn", subject: "Børnesager", creator: "Tilsyn", keywords: "tilsyn, børn",
            description: "Stikprøve", category: "Tilsyn", company: "Kommune", manager: "Leder",
            created: try W.DateTime(year: 2024, month: 6, day: 1, hour: 8, minute: 30),
            custom: [
                .string("Kommune", "Aarhus"), W.CustomProperty("Antal", .integer(7)),
                W.CustomProperty("Andel", .number(0.5)), W.CustomProperty("Afsluttet", .bool(false)),
            ])
        c.expected = [("Data", data.rows)]
    }
    try make("large") { writer, c in
        var data = Recorder(try writer.addWorksheet("Data", options: .init(frozenRows: 1)))
        try data.row([("Nr", "Nr"), ("Sag", "Sag"), ("Beløb", "Beløb"), ("Dato", "Dato"), ("Svar", "Svar")])
        for number in 1...1_200 {
            let day = number % 28 + 1
            try data.row([
                (.number(Double(number)), String(number)), (.string("S-\(number)"), "S-\(number)"),
                (.number(Double(number) / 4), XMLBuffer.number(Double(number) / 4)),
                (try date(2024, 2, day), (day < 10 ? "0" : "") + "\(day)-02-2024"),
                (.string(number % 3 == 0 ? "Ja" : "Nej"), number % 3 == 0 ? "Ja" : "Nej"),
            ])
        }
        try data.sheet.setAutoFilter("A1:E1201")
        c.expected = [("Data", data.rows)]
    }
    // What `tilsyn convert` writes from CSV: typed cells, bold frozen header, autofilter, fitted columns.
    let csv = "Sag;Beløb;Dato;Svar;Flag\r\nS-1;1234,5;17-05-2024;Ja;SAND\r\nS-2;-3;2024-05-18 08:30;Nej;falsk\r\n"
    try Data(csv.utf8).write(to: folder.url.appendingPathComponent("convert.csv"))
    try SheetConversion.csvToXLSX(input: folder.path("convert.csv"), output: folder.path("converted.xlsx"))
    cases.append(
        LibreOfficeCase(
            name: "converted",
            expected: [
                (
                    "Ark1",
                    [
                        ["Sag", "Beløb", "Dato", "Svar", "Flag"], ["S-1", "1234.5", "17-05-2024", "Ja", "TRUE"],
                        ["S-2", "-3", "18-05-2024 08:30", "Nej", "FALSE"],
                    ]
                )
            ]))
    return cases
}

/// CSV text as LibreOffice writes it: `,` separated, quoted when needed, LF after every row.
private func csvText(_ rows: [[String]]) -> String {
    let width = rows.map(\.count).max() ?? 0
    return rows.map { row in
        (row + Array(repeating: "", count: width - row.count)).map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",") + "\n"
    }.joined()
}

@Suite("LibreOffice opens what we write", .serialized)
struct LibreOfficeTests {
    @Test(
        "every kind of workbook converts to CSV with every sheet's values intact",
        .enabled(if: LibreOffice.shouldRun, LibreOffice.skipReason))
    func csv() throws {
        let folder = try TemporaryDirectory("lo-csv")
        defer { folder.cleanUp() }
        let cases = try buildCases(in: folder)
        #expect(cases.count == 15)
        let output = folder.url.appendingPathComponent("out")
        let log = try LibreOffice.convert(
            cases.map { folder.path("\($0.name).xlsx") }, to: LibreOffice.csvFilter, outputDirectory: output)
        for workbook in cases {
            for (sheet, rows) in workbook.expected {
                let file = output.appendingPathComponent("\(workbook.name)-\(sheet).csv")
                guard let data = FileManager.default.contents(atPath: file.path) else {
                    Issue.record("LibreOffice wrote no \(file.lastPathComponent):\n\(log)")
                    continue
                }
                let text = String(decoding: data, as: UTF8.self)
                #expect(text == csvText(rows), "\(workbook.name), sheet \(sheet)")
            }
            let sheets = try FileManager.default.contentsOfDirectory(atPath: output.path)
                .filter { $0.hasPrefix(workbook.name + "-") && $0.hasSuffix(".csv") }
            #expect(sheets.count == workbook.expected.count, "\(workbook.name): sheets exported \(sheets.sorted())")
        }
    }

    @Test(
        "every kind of workbook converts to a PDF",
        .enabled(if: LibreOffice.shouldRun, LibreOffice.skipReason))
    func pdf() throws {
        let folder = try TemporaryDirectory("lo-pdf")
        defer { folder.cleanUp() }
        let cases = try buildCases(in: folder)
        let output = folder.url.appendingPathComponent("out")
        let log = try LibreOffice.convert(
            cases.map { folder.path("\($0.name).xlsx") }, to: "pdf", outputDirectory: output)
        for workbook in cases {
            let file = output.appendingPathComponent("\(workbook.name).pdf")
            let data = FileManager.default.contents(atPath: file.path) ?? Data()
            #expect(data.count > 1000, "\(workbook.name).pdf is missing or nearly empty:\n\(log)")
            #expect(data.starts(with: Array("%PDF-".utf8)), "\(workbook.name).pdf is no PDF")
        }
    }
}
