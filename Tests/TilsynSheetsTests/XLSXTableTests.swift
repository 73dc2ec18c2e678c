import Foundation
import Testing
import TilsynTestSupport

@testable import TilsynSheets

/// Excel tables: the table part, the sheet's relationships, the content type, and what a reader sees.
@Suite struct XLSXTableTests {
    private static func entry(_ archive: ZipArchive, _ name: String) throws -> String {
        let entry = try #require(archive.entries.first { $0.name == name }, "no \(name)")
        return String(decoding: try archive.data(entry), as: UTF8.self)
    }

    @Test func tableWritesItsPartRelationshipsAndContentType() throws {
        let writer = try XLSXWriter()
        let sheet = try writer.addWorksheet("Data", options: XLSXWriter.SheetOptions(frozenRows: 1))
        try sheet.beginTable(XLSXWriter.Table(name: "Data", columns: ["sag", "niveau", "svar"]))
        try sheet.appendRow(["S-1", 1, "Ja"])
        try sheet.appendRow(["S-2", 2, "Nej"])
        try sheet.appendRow(["S-3", 1, "Ikke relevant"])
        let other = try writer.addWorksheet("Andet")
        try other.beginTable(XLSXWriter.Table(name: "Tom", columns: ["a"], style: nil))
        try writer.close()

        let archive = try ZipArchive(bytes: writer.bytes)
        let table = try Self.entry(archive, "xl/tables/table1.xml")
        #expect(table.contains("id=\"1\" name=\"Data\" displayName=\"Data\" ref=\"A1:C4\""))
        #expect(table.contains("<autoFilter ref=\"A1:C4\"/>"))
        #expect(table.contains("<tableColumn id=\"2\" name=\"niveau\"/>"))
        #expect(table.contains("TableStyleMedium2"))
        // A table without data rows still spans one (empty) row below its header, as Excel requires.
        let empty = try Self.entry(archive, "xl/tables/table2.xml")
        #expect(empty.contains("ref=\"A1:A2\""))
        #expect(!empty.contains("tableStyleInfo"))
        let relationships = try Self.entry(archive, "xl/worksheets/_rels/sheet1.xml.rels")
        #expect(relationships.contains("Target=\"../tables/table1.xml\""))
        #expect(relationships.contains("relationships/table\""))
        #expect(try Self.entry(archive, "xl/worksheets/_rels/sheet2.xml.rels").contains("../tables/table2.xml"))
        let worksheet = try Self.entry(archive, "xl/worksheets/sheet1.xml")
        #expect(worksheet.hasSuffix("<tableParts count=\"1\"><tablePart r:id=\"rId1\"/></tableParts></worksheet>"))
        let types = try Self.entry(archive, "[Content_Types].xml")
        #expect(types.contains("PartName=\"/xl/tables/table1.xml\" ContentType=\"\(XLSXTableWriter.contentType)\""))
        #expect(types.contains("/xl/tables/table2.xml"))

        let workbook = try Workbook(bytes: writer.bytes, name: "t.xlsx")
        let data = try workbook.load(try #require(workbook.sheet(named: "Data")))
        #expect(data.rows.count == 4)
        #expect(data.rows[0].cells.map(\.value) == [.string("sag"), .string("niveau"), .string("svar")])
    }

    @Test func badTablesAreRejectedAndTheSheetStaysUsable() throws {
        let writer = try XLSXWriter()
        let sheet = try writer.addWorksheet("Data")
        for table in [
            XLSXWriter.Table(name: "A1", columns: ["a"]), XLSXWriter.Table(name: "med mellemrum", columns: ["a"]),
            XLSXWriter.Table(name: "T", columns: []), XLSXWriter.Table(name: "T", columns: ["a", "A"]),
            XLSXWriter.Table(name: "T", columns: ["=SUM(A1)"]), XLSXWriter.Table(name: "T", columns: [""]),
        ] {
            #expect(throws: SpreadsheetError.self) { try sheet.beginTable(table) }
        }
        #expect(sheet.nextRow == 0)
        try sheet.beginTable(XLSXWriter.Table(name: "T", columns: ["a"]))
        // The next table needs a row of its own below the first one's header.
        #expect(throws: SpreadsheetError.self) { try sheet.beginTable(XLSXWriter.Table(name: "U", columns: ["b"])) }
        #expect(throws: SpreadsheetError.self) { try sheet.setAutoFilter("A1:A3") }
        let second = try writer.addWorksheet("Andet")
        // Table names are unique in the workbook, ignoring case.
        #expect(throws: SpreadsheetError.self) { try second.beginTable(XLSXWriter.Table(name: "t", columns: ["a"])) }
        try second.setAutoFilter("A1:B1")
        #expect(throws: SpreadsheetError.self) { try second.beginTable(XLSXWriter.Table(name: "V", columns: ["a"])) }
        try writer.close()
    }

    @Test(.needsPython) func openpyxlSeesTheTable() throws {
        let python = try #require(TestPaths.python, "no .venv/bin/python: bash .ci/run creates it")
        let directory = try TemporaryDirectory("xlsx-table")
        defer { directory.cleanUp() }
        let path = directory.path("t.xlsx")
        let writer = try XLSXWriter(path: path)
        let sheet = try writer.addWorksheet("Data", options: XLSXWriter.SheetOptions(frozenRows: 1))
        try sheet.beginTable(XLSXWriter.Table(name: "Data", columns: ["sag", "niveau"]))
        for index in 0..<10 { try sheet.appendRow([.string("S-\(index)"), .number(Double(index))]) }
        try writer.close()
        let result = try runPython(
            python,
            script: """
                import sys, openpyxl
                ws = openpyxl.load_workbook(sys.argv[1])["Data"]
                t = ws.tables["Data"]
                print(t.ref, [c.name for c in t.tableColumns], ws.freeze_panes, ws.max_row)
                """, arguments: [path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "A1:B11 ['sag', 'niveau'] A2 11")
    }
}
