import Foundation
import TilsynSamples
import Testing
import TilsynSheets
import TilsynTestSupport

/// `tilsyn feedback` on the samples: a workbook per unit (and per caseworker) with each case's Nej and Lav grad
/// answers and their remarks, the disagreements between the levels, and nothing of other units' cases (from SQLite
/// and from PostgreSQL).
@Suite struct FeedbackCommandTests {
    static func texts(_ row: TilsynSheets.Row) -> [String] {
        (1...10).map { column in
            switch row[column: column]?.value {
            case .string(let text)?: text
            case .number(let number)?: String(Int(number))
            default: ""
            }
        }
    }

    @Test(arguments: Backend.available)
    func oneWorkbookPerUnitWithItsCasesOnly(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-feedback")
        defer { directory.cleanUp() }
        let store = try TestStore(backend, in: directory, name: "feedback")
        defer { store.drop() }
        let db = store.db
        let imported = try runTilsyn([
            "import", ImportCommandTests.returned, "--db", db, "--kommune", SampleData.kommune,
        ])
        try #require(imported.status == 0, "\(imported.stderr)")
        let result = try runTilsyn(["feedback", "--db", db, "--round", "2025", "--out", directory.path("fb")])
        try #require(result.status == 0, "\(result.stderr)")
        let units = try storeRows(db, """
            SELECT DISTINCT u.name FROM review r JOIN unit u ON u.id = r.unit_id JOIN round d ON d.id = r.round_id
            WHERE d.name = '2025'
            """).map { $0[0] }.sorted()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path("fb"))
        #expect(units.count == 5)
        for unit in units {
            let name = "feedback-" + unit.replacingOccurrences(of: " ", with: "_") + ".xlsx"
            try #require(files.contains(name), "\(files)")
            let workbook = try Workbook(path: directory.path("fb/\(name)"))
            #expect(workbook.sheets.map(\.name) == ["Om", "Sager", "Tal"])
            let about = try workbook.load(workbook.sheets[0])
            #expect(about.rows.contains { row in
                if case .string(let text)? = row[column: 1]?.value { return text.hasPrefix("INTERN") }
                return false
            })
            let sager = try workbook.load(try #require(workbook.sheet(named: "Sager")))
            let header = Self.texts(sager.rows[0])
            let rows = sager.rows.dropFirst().map(Self.texts)
            // The oracle: every Nej and Lav grad of the unit's cases in the store, with its remark.
            let expected = try storeRows(db, """
                SELECT c.number, a.question, r.level, a.answer, a.remark FROM review r
                JOIN audit_case c ON c.id = r.case_id JOIN unit u ON u.id = r.unit_id
                JOIN round d ON d.id = r.round_id JOIN answer a ON a.review_id = r.id
                WHERE d.name = '2025' AND u.name = \(sqlLiteral(unit)) AND a.code IN (2, 4)
                """)
            #expect(!expected.isEmpty)
            for row in expected {
                let (number, question, level, answer, remark) = (row[0], row[1], row[2], row[3], row[4])
                let answerColumn = try #require(header.firstIndex(of: "Niveau \(level) svar"))
                let line = rows.first { $0[0] == number && $0[3] == question }
                #expect(line?[answerColumn] == answer, "\(unit) \(number) \(question) niveau \(level)")
                #expect(line?[answerColumn + 1] == remark, "remark of \(number) \(question)")
            }
            // No other unit's case appears.
            let own = Set(try storeRows(db, """
                SELECT c.number FROM review r JOIN audit_case c ON c.id = r.case_id JOIN unit u ON u.id = r.unit_id
                WHERE u.name = \(sqlLiteral(unit))
                """).map { $0[0] })
            #expect(rows.allSatisfy { own.contains($0[0]) }, "\(unit) shows another unit's case")
            // A disagreement is flagged with both levels' answers shown.
            let uenighed = try #require(header.firstIndex(of: "Uenighed"))
            for line in rows where line[uenighed] == "Ja" {
                #expect(!line[uenighed + 1].isEmpty && !line[uenighed + 3].isEmpty, "\(line)")
                #expect(line[uenighed + 1] != line[uenighed + 3])
            }
            #expect(rows.contains { $0[uenighed] == "Ja" }, "\(unit) has no disagreement in the samples")
        }
        // The case list names caseworkers: one workbook each, with only their cases.
        #expect(files.contains { $0.hasPrefix("feedback-Enhed_Nord-SNO") })
        #expect(try runTilsyn(["feedback", "--db", db, "--round", "2025", "--out", directory.path("x"), "--external"])
            .status != 0)
    }
}
