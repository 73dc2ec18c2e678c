import Testing

@testable import TilsynSheets

private typealias W = XLSXWriter

/// Runs `body` on a fresh sheet and returns the error it throws.
private func failure(
    sheetOptions: W.SheetOptions = W.SheetOptions(), _ body: (XLSXWriter, XLSXWorksheetWriter) throws -> Void
) throws -> SpreadsheetError? {
    let writer = try XLSXWriter()
    let sheet = try writer.addWorksheet("Tilsyn", options: sheetOptions)
    do {
        try body(writer, sheet)
    } catch let error as SpreadsheetError {
        // The writer stays usable after refused input.
        try sheet.appendRow(["ok"])
        try writer.close()
        #expect(try ZipArchive(bytes: writer.bytes).entries.count > 5)
        return error
    }
    return nil
}

@Suite("XLSXWriter errors")
struct XLSXWriterErrorTests {
    @Test(
        "invalid sheet names are refused",
        arguments: [
            "", String(repeating: "x", count: 32), "a[b", "a]b", "a:b", "a*b", "a?b", "a/b", "a\\b", "'quoted",
            "quoted'",
            "tilsyn", "HISTORY", "tab\u{9}",
        ])
    func sheetNames(name: String) throws {
        let writer = try XLSXWriter()
        try writer.addWorksheet("Tilsyn")
        let error = #expect(throws: SpreadsheetError.self) { try writer.addWorksheet(name) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.sheet == name)
        #expect(error?.message.contains("sheet name") == true)
        try writer.addWorksheet(String(repeating: "y", count: 31))
        try writer.close()
    }

    @Test("text over 32,767 characters names the sheet and cell")
    func longText() throws {
        let error = try failure { _, sheet in
            try sheet.appendRow(["a"])
            try sheet.appendRow([nil, "b", .string(String(repeating: "x", count: 32_768))])
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.sheet == "Tilsyn")
        #expect(error?.cell == "C2")
        #expect(error?.description.contains("'Tilsyn'!C2") == true || error?.description.contains("Tilsyn!C2") == true)
        // Exactly 32,767 is fine.
        _ = try failure { _, sheet in try sheet.appendRow([.string(String(repeating: "x", count: 32_767))]) }
    }

    @Test("NaN and infinity are refused", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(value: Double) throws {
        let error = try failure { _, sheet in try sheet.appendRow([1, .number(value)]) }
        #expect(error?.code == .invalidValue)
        #expect(error?.cell == "B1")
        let cached = try failure { _, sheet in try sheet.appendRow([.formula("A1", cached: .number(value))]) }
        #expect(cached?.cell == "A1")
    }

    @Test("cells beyond XFD1048576 are refused")
    func outsideGrid() throws {
        let column = try failure { _, sheet in try sheet.writeRow(0, ["a", "b"], firstColumn: 16_383) }
        #expect(column?.code == .invalidCellReference)
        let row = try failure { _, sheet in try sheet.writeRow(1_048_576, ["a"]) }
        #expect(row?.code == .invalidCellReference)
        let range = try failure { _, sheet in try sheet.mergeCells("XFE1:XFF1") }
        #expect(range?.code == .invalidCellReference)
        let tall = try failure { _, sheet in try sheet.setAutoFilter("A1:A1048577") }
        #expect(tall?.code == .invalidCellReference)
        // The last cell is fine.
        _ = try failure { _, sheet in try sheet.writeRow(1_048_575, ["a"], firstColumn: 16_383) }
    }

    @Test("rows go in increasing order")
    func rowOrder() throws {
        let error = try failure { _, sheet in
            try sheet.writeRow(5, ["a"])
            try sheet.writeRow(5, ["b"])
        }
        #expect(error?.cell == "A6")
    }

    @Test(
        "data validation limits",
        arguments: [
            W.DataValidation(.list([String(repeating: "x", count: 200), String(repeating: "y", count: 56)])),
            W.DataValidation(.list(["a,b"])),
            W.DataValidation(.list([])),
            W.DataValidation(.list(["a"]), inputTitle: String(repeating: "t", count: 33)),
            W.DataValidation(.list(["a"]), inputMessage: String(repeating: "m", count: 256)),
            W.DataValidation(.list(["a"]), errorTitle: String(repeating: "t", count: 33)),
            W.DataValidation(.list(["a"]), errorMessage: String(repeating: "m", count: 256)),
            W.DataValidation(.wholeNumber(min: 5, max: 1)),
        ])
    func validationLimits(validation: XLSXWriter.DataValidation) throws {
        let error = try failure { _, sheet in try sheet.addDataValidation(validation, to: "B2:B9") }
        #expect(error?.code == .invalidArgument)
        #expect(error?.sheet == "Tilsyn")
        #expect(error?.cell == "B2:B9")
    }

    @Test("lists of exactly 255 characters and titles of 32 are accepted")
    func validationAtLimits() throws {
        let error = try failure { _, sheet in
            try sheet.addDataValidation(
                W.DataValidation(
                    .list([String(repeating: "x", count: 200), String(repeating: "y", count: 54)]),
                    inputTitle: String(repeating: "t", count: 32), inputMessage: String(repeating: "m", count: 255)),
                to: "A1")
            throw SpreadsheetError(.invalidArgument, "sentinel")
        }
        #expect(error?.message == "sentinel")
    }

    @Test("overlapping merges are refused")
    func overlappingMerges() throws {
        let error = try failure { _, sheet in
            try sheet.mergeCells("A1:C2")
            try sheet.mergeCells("C2:D4")
        }
        #expect(error?.message.contains("A1:C2") == true)
        let single = try failure { _, sheet in try sheet.mergeCells("B2") }
        #expect(single?.code == .invalidArgument)
    }

    @Test("at least one sheet stays visible")
    func visibleSheet() throws {
        let writer = try XLSXWriter()
        try writer.addWorksheet("Lister", options: .init(visibility: .hidden))
        try writer.addWorksheet("Skjult", options: .init(visibility: .veryHidden))
        let error = #expect(throws: SpreadsheetError.self) { try writer.close() }
        #expect(error?.message.contains("visible") == true)
        // Adding a visible sheet makes the workbook valid.
        try writer.addWorksheet("Tilsyn")
        try writer.close()
        let empty = try XLSXWriter()
        #expect((#expect(throws: SpreadsheetError.self) { try empty.close() })?.code == .noSheets)
    }

    @Test(
        "invalid defined names are refused",
        arguments: ["", "1abc", "A1", "XFD1048576", "R1C1", "r", "a b", "_xlnm.Foo"])
    func definedNames(name: String) throws {
        let writer = try XLSXWriter()
        try writer.addWorksheet("Tilsyn")
        #expect(throws: SpreadsheetError.self) { try writer.defineName(name, refersTo: "'Tilsyn'!$A$1") }
        try writer.defineName("Svar_B_2", refersTo: "'Tilsyn'!$A$1")
        #expect(throws: SpreadsheetError.self) { try writer.defineName("svar_b_2", refersTo: "'Tilsyn'!$A$2") }
        try writer.defineName("Svar_B_2", refersTo: "'Tilsyn'!$A$2", sheet: "Tilsyn")
        try writer.defineName("Ukendt", refersTo: "1", sheet: "Findes ikke")
        let missing = #expect(throws: SpreadsheetError.self) { try writer.close() }
        #expect(missing?.code == .sheetNotFound)
        #expect(missing?.sheet == "Findes ikke")
    }

    @Test("a finished sheet cannot change")
    func finishedSheet() throws {
        let writer = try XLSXWriter()
        let first = try writer.addWorksheet("Første")
        try writer.addWorksheet("Anden")
        let error = #expect(throws: SpreadsheetError.self) { try first.appendRow(["late"]) }
        #expect(error?.sheet == "Første")
        #expect(throws: SpreadsheetError.self) { try first.mergeCells("A1:B1") }
        try writer.close()
        #expect(throws: SpreadsheetError.self) { try writer.addWorksheet("Tredje") }
    }

    @Test("unregistered styles and invalid settings are refused")
    func invalidSettings() throws {
        let other = try XLSXWriter()
        let foreign = try other.addStyle(W.Style(font: W.Font(bold: true)))
        let error = try failure { _, sheet in try sheet.appendRow([.string("a", style: foreign)]) }
        #expect(error?.cell == "A1")
        let writer = try XLSXWriter()
        #expect(throws: SpreadsheetError.self) { try writer.addWorksheet("Z", options: .init(zoom: 500)) }
        #expect(throws: SpreadsheetError.self) {
            try writer.addWorksheet(
                "C", options: .init(columns: [.width(0, 10), W.Column(first: 0, last: 2, width: 5)]))
        }
        #expect(throws: SpreadsheetError.self) { try writer.addStyle(W.Style(font: W.Font(size: 0))) }
        #expect(throws: SpreadsheetError.self) { try W.DateTime(year: 1899, month: 12, day: 31) }
        #expect(throws: SpreadsheetError.self) { try W.DateTime(year: 2023, month: 2, day: 29) }
    }

    @Test("a failed workbook leaves no file behind")
    func noHalfFile() throws {
        let folder = try WriterTemporaryFolder()
        let path = folder.path("out.xlsx")
        do {
            let writer = try XLSXWriter(path: path)
            let sheet = try writer.addWorksheet("Tilsyn")
            try sheet.appendRow(["a"])
            // Dropped without close().
        }
        #expect(try folder.contents().isEmpty)
    }
}
