import Testing
import TilsynTestSupport
@testable import TilsynSheets

@Suite("Shared formulas: moving relative references")
struct FormulaShifterTests {
    static let cases: [(formula: String, rows: Int, columns: Int, expected: String)] = [
        ("A1+1", 1, 0, "A2+1"),
        ("A1+1", 0, 2, "C1+1"),
        ("B$1", 2, 1, "C$1"),
        ("$B1", 2, 1, "$B3"),
        ("$B$1*A1", 5, 5, "$B$1*F6"),
        ("SUM(A1:B2)", 1, 1, "SUM(B2:C3)"),
        ("SUM($A$1:B2)", 1, 1, "SUM($A$1:C3)"),
        ("Z1+AA1", 0, 1, "AA1+AB1"),
        ("XFC1", 0, 1, "XFD1"),
        ("A1048575", 1, 0, "A1048576"),
        // Function names that look like references stay; their arguments move.
        ("LOG10(ABS(A1)+1)", 3, 0, "LOG10(ABS(A4)+1)"),
        ("ATAN2(A1,B1)", 1, 0, "ATAN2(A2,B2)"),
        ("_xlfn.XLOOKUP(A1,B:B,C:C)", 1, 1, "_xlfn.XLOOKUP(B2,C:C,D:D)"),
        // Text in quotes is text.
        ("IF(A1=\"B2\",\"A1 \"\"C3\"\"\",A1)", 1, 0, "IF(A2=\"B2\",\"A1 \"\"C3\"\"\",A2)"),
        ("IF(ROW()>5,\"한글\",\"영어\")", 4, 0, "IF(ROW()>5,\"한글\",\"영어\")"),
        // Sheet names, quoted and plain, even when they look like references, stay; the reference after them moves.
        ("Sheet1!A2", 1, 0, "Sheet1!A3"),
        ("'A1 ''x'''!B2+AB1!C3", 1, 0, "'A1 ''x'''!B3+AB1!C4"),
        ("Ark1:Ark3!A1", 0, 1, "Ark1:Ark3!B1"),
        ("'Første ark'!$A$1+Første!A1", 1, 0, "'Første ark'!$A$1+Første!A2"),
        // Whole columns move with the columns, whole rows with the rows; absolute ones stay.
        ("SUM(E:F)", 4, 1, "SUM(F:G)"),
        ("SUM($E:F)", 0, 1, "SUM($E:G)"),
        ("SUM(5:6)", 0, 3, "SUM(5:6)"),
        ("SUM(6:7)", 1, 0, "SUM(7:8)"),
        ("SUM($6:7)", 2, 0, "SUM($6:9)"),
        ("Sheet2!1:1", 1, 0, "Sheet2!2:2"),
        // Names, numbers, booleans, errors and structured references stay.
        ("B1+OneRange", 1, 0, "B2+OneRange"),
        ("TAX+1.5E+10+2E-3*A1", 1, 0, "TAX+1.5E+10+2E-3*A2"),
        ("IF(TRUE,A1,FALSE)", 1, 0, "IF(TRUE,A2,FALSE)"),
        ("IFERROR(A1,#N/A)+#REF!+#DIV/0!", 1, 0, "IFERROR(A2,#N/A)+#REF!+#DIV/0!"),
        ("Table1[[#This Row],[A1]]+A1", 1, 0, "Table1[[#This Row],[A1]]+A2"),
        ("[1]Sheet1!A1", 1, 0, "[1]Sheet1!A2"),
        ("R1C1+ABCD1", 1, 0, "R1C1+ABCD1"),
        // Moved off the sheet: #REF!, as Excel writes it.
        ("A1", -1, 0, "#REF!"),
        ("XFD1", 0, 1, "#REF!"),
        ("A1+1", 0, 0, "A1+1"),
    ]

    @Test("relative parts move, everything else stays", arguments: cases)
    func shift(formula: String, rows: Int, columns: Int, expected: String) {
        #expect(FormulaShifter.shift(formula, rows: rows, columns: columns) == expected)
    }

    func formulas(_ rows: String) throws -> [String: String] {
        var builder = XLSXBuilder()
        builder.addSheet("S", rows: rows)
        let workbook = try Workbook(bytes: builder.build(), name: "t.xlsx", options: ReadOptions(formulas: true))
        let sheet = try workbook.load(workbook.sheets[0])
        var result: [String: String] = [:]
        for row in sheet.rows {
            for cell in row.cells {
                if let formula = cell.formula {
                    result[CellAddress(row: row.number, column: cell.column).description] = formula
                }
            }
        }
        return result
    }

    @Test("the reader expands shared formulas from the master cell")
    func sharedFormulaGroup() throws {
        let found = try formulas("""
            <row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:C2" si="0">A1*$A$1</f><v>1</v></c>\
            <c r="C1"><f t="shared" si="0"/><v>1</v></c></row>\
            <row r="2"><c r="B2"><f t="shared" si="0"/><v>1</v></c><c r="C2"><f t="shared" si="0"></f><v>1</v></c>\
            <c r="D2"><f t="shared" ref="D2:D3" si="1">SUM(D:D)</f><v>0</v></c></row>\
            <row r="3"><c r="D3"><f t="shared" si="1"/><v>0</v></c><c r="E3"><f t="shared" si="7"/><v>0</v></c></row>
            """)
        #expect(found["B1"] == "A1*$A$1")
        #expect(found["C1"] == "B1*$A$1")
        #expect(found["B2"] == "A2*$A$1")
        #expect(found["C2"] == "B2*$A$1")
        #expect(found["D2"] == "SUM(D:D)")
        #expect(found["D3"] == "SUM(D:D)")
        #expect(found["E3"] == nil, "a member of a group whose master never appeared has no text")
    }

    @Test("a master without a cached value still defines the group")
    func masterWithoutValue() throws {
        let found = try formulas("""
            <row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1</f></c></row>\
            <row r="2"><c r="A2"><f t="shared" si="0"/><v>2</v></c></row>
            """)
        #expect(found == ["A2": "B2"])
    }

    @Test("a formula does not leak into a later cell when its own cell has no value")
    func noLeak() throws {
        let found = try formulas("""
            <row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><v>3</v></c><c r="C1"><f>B1*2</f><v>6</v></c></row>
            """)
        #expect(found == ["C1": "B1*2"])
    }
}
