import Foundation
import Testing
import TilsynSheets
import TilsynTestSupport

/// Cells with a note or comment: found by their references, their text never read into a cell's value.
@Suite("Notes and comments")
struct NotesTests {
    /// One sheet with values in A1 and B2, and the sheet's relationships to `parts` (name → XML).
    static func workbook(notes parts: [(type: String, name: String, xml: String)]) -> [UInt8] {
        var builder = XLSXBuilder()
        builder.addSheet("Tilsyn", rows: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
            + "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>Ja</t></is></c></row>")
        let rels = parts.enumerated().map { index, part in
            "<Relationship Id=\"rId\(index + 1)\" Type=\"\(part.type)\" Target=\"../\(part.name)\"/>"
        }.joined()
        builder.extraEntries.append(.init(
            "xl/worksheets/_rels/sheet1.xml.rels",
            "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + rels + "</Relationships>"))
        for part in parts { builder.extraEntries.append(.init("xl/" + part.name, part.xml)) }
        return builder.build()
    }

    static let legacyType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
    static let threadedType = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
    static let legacy = """
        <?xml version="1.0"?><comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <authors><author>BOL</author></authors><commentList>\
        <comment ref="D5" authorId="0"><text><r><t>Sagen er lukket</t></r></text></comment>\
        <comment ref="B2" authorId="0"><text><t>[Threaded comment] Se journalen</t></text></comment>\
        </commentList></comments>
        """
    static let threaded = """
        <?xml version="1.0"?><ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">\
        <threadedComment ref="B2" id="{1}" personId="{2}"><text>Se journalen</text></threadedComment>\
        </ThreadedComments>
        """

    @Test("Excel's notes and threaded comments are found once per cell, in address order, text unread")
    func xlsxNotes() throws {
        let bytes = Self.workbook(notes: [
            (Self.threadedType, "threadedComments/threadedComment1.xml", Self.threaded),
            (Self.legacyType, "comments1.xml", Self.legacy),
        ])
        let workbook = try Workbook(bytes: bytes, name: "noter.xlsx")
        let sheet = try workbook.load(workbook.sheets[0])
        #expect(sheet.notes == [CellAddress(row: 2, column: 2), CellAddress(row: 5, column: 4)])
        #expect(sheet["B2"] == .string("Ja"))
        #expect(sheet["D5"] == nil)
    }

    @Test("a sheet without a comments part has no notes")
    func noNotes() throws {
        let workbook = try Workbook(bytes: Self.workbook(notes: []), name: "rent.xlsx")
        #expect(try workbook.load(workbook.sheets[0]).notes.isEmpty)
    }

    @Test("a note that names no cell is refused with the sheet named")
    func damagedNote() throws {
        let broken = Self.legacy.replacingOccurrences(of: "ref=\"D5\"", with: "ref=\"5D\"")
        let workbook = try Workbook(bytes: Self.workbook(notes: [(Self.legacyType, "comments1.xml", broken)]), name: "x.xlsx")
        let error = #expect(throws: SpreadsheetError.self) { _ = try workbook.load(workbook.sheets[0]) }
        #expect(error?.code == .invalidCellReference)
        #expect(error?.sheet == "Tilsyn" && error?.file == "x.xlsx")
    }

    @Test("an OpenDocument annotation marks its cell, and its text stays out of the value")
    func odsAnnotation() throws {
        var builder = ODSBuilder()
        let annotated = "<table:table-cell office:value-type=\"string\"><office:annotation><dc:creator>BOL</dc:creator>"
            + "<text:p>Sagen er lukket</text:p></office:annotation><text:p>Ja</text:p></table:table-cell>"
        builder.addSheet("Tilsyn", rows: ODSBuilder.row(ODSBuilder.text("Id"), annotated)
            + ODSBuilder.row(ODSBuilder.empty(2), "<table:table-cell><office:annotation><text:p>Tom</text:p>"
                + "</office:annotation></table:table-cell>"))
        let workbook = try Workbook(bytes: builder.build(), name: "noter.ods")
        let sheet = try workbook.load(workbook.sheets[0])
        #expect(sheet.notes == [CellAddress(row: 1, column: 2), CellAddress(row: 2, column: 3)])
        #expect(sheet["B1"] == .string("Ja"))
    }

    /// openpyxl writes Excel's notes; LibreOffice reads them and writes its own XLSX and ODS: each of the three
    /// files has notes at exactly the cells openpyxl was told.
    @Test(.enabled(if: WriterPython.shouldRun && LibreOffice.shouldRun))
    func notesWrittenByOpenpyxlAndLibreOffice() throws {
        let folder = try WriterTemporaryFolder()
        let source = folder.url.appendingPathComponent("noter.xlsx").path
        _ = try WriterPython.run("""
            import sys
            from openpyxl import Workbook
            from openpyxl.comments import Comment
            wb = Workbook(); ws = wb.active; ws.title = "Tilsyn"
            ws["B2"] = "Ja"; ws["B2"].comment = Comment("Se journalen", "BOL")
            ws["F14"].comment = Comment("Sagen er lukket", "BOL")
            wb.save(sys.argv[1])
            """, [source])
        let expected = [CellAddress(row: 2, column: 2), CellAddress(row: 14, column: 6)]
        let original = try Workbook(path: source)
        #expect(try original.load(original.sheets[0]).notes == expected)
        for format in ["ods", "xlsx"] {
            let out = folder.url.appendingPathComponent(format)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            _ = try LibreOffice.convert([source], to: format, outputDirectory: out)
            let saved = try Workbook(path: out.appendingPathComponent("noter.\(format)").path)
            let sheet = try saved.load(saved.sheets[0])
            #expect(sheet.notes == expected, "LibreOffice's \(format)")
            #expect(sheet["B2"] == .string("Ja"), "LibreOffice's \(format)")
        }
    }
}
