import Foundation
import GRDB
import Testing
import TilsynAudit
import TilsynTestSupport

@testable import TilsynStore

/// The kept counts are one SQL for both back ends: the same random reviews written to a SQLite store and to a
/// PostgreSQL store give the same answer, case, pair and level-set counts, row for row.
@Suite(.needsPostgres) struct PortableCountTests {
    /// Random reviews written through `sql`: a catalogue of two steps, two themes and a temanedslag question, cases
    /// in two kommuner and units at one to four levels in two rounds, answers of every code (blank, Ikke relevant,
    /// to questions that do not apply, and to a question the catalogue does not know).
    static func fill(_ sql: any SQLRunner, seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        try sql.run("INSERT INTO catalogue(id, version, title) VALUES ('fx', '1', 'Fixture')", [])
        for (step, position) in [("S1", 0), ("S2", 1)] {
            try sql.run(
                "INSERT INTO catalogue_step VALUES ('fx', ?, ?, ?)",
                [.text(step), .text(step), .integer(Int64(position))])
        }
        for (theme, position) in [("A", 0), ("B", 1)] {
            try sql.run(
                "INSERT INTO catalogue_theme VALUES ('fx', ?, ?, ?)",
                [.text(theme), .text(theme), .integer(Int64(position))])
        }
        let questions: [(String, String, String, Int, [String])] = [
            ("J1", "S1", "JN", 0, ["A", "B"]), ("J2", "S1", "JN", 0, ["A"]), ("G1", "S2", "GRAD", 0, ["B"]),
            ("T1", "S1", "JN", 1, ["A"]),
        ]
        for (index, (question, step, type, temanedslag, themes)) in questions.enumerated() {
            try sql.run(
                "INSERT INTO catalogue_question(catalogue, question, step, type, text, position, temanedslag) "
                    + "VALUES ('fx', ?, ?, ?, ?, ?, ?)",
                [.text(question), .text(step), .text(type), .text(question), .integer(Int64(index)),
                 .integer(Int64(temanedslag))])
            for theme in themes {
                try sql.run("INSERT INTO question_theme VALUES ('fx', ?, ?)", [.text(question), .text(theme)])
            }
        }
        try sql.run(
            "INSERT INTO file(id, sha256, path, shape, bytes, imported_at, reviews, answers, warnings) "
                + "VALUES (1, 'x', 'f', 'csv', 0, 't', 0, 0, 0)", [])
        try sql.run("INSERT INTO round(id, name) VALUES (1, '2024'), (2, '2025')", [])
        try sql.run("INSERT INTO reviewer(id, initials) VALUES (1, 'AB'), (2, 'CD')", [])
        try sql.run(
            "INSERT INTO unit(id, kommune, name) VALUES (1, 'Aarhus', 'Vest'), (2, 'Aarhus', 'Øst'), (3, 'Odense', 'Vest')",
            [])
        var review: Int64 = 0
        for number in 1...24 {
            let unit = Int64(random.next(below: 3) + 1)
            try sql.run(
                "INSERT INTO audit_case(id, kommune, number) VALUES (?, ?, ?)",
                [.integer(Int64(number)), .text(unit == 3 ? "Odense" : "Aarhus"), .text("C\(number)")])
            for round in 1...2 where random.next(below: 3) > 0 {
                let levels = (1...4).filter { $0 == 1 || random.next(below: 3) > 0 }
                for level in levels {
                    review += 1
                    try sql.run(
                        """
                        INSERT INTO review(id, case_id, round_id, level, reviewer_id, unit_id, measure, catalogue,
                            catalogue_version, file_id, sheet, cell)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 'fx', '1', 1, 'S', 'A1')
                        """,
                        [.integer(review), .integer(Int64(number)), .integer(Int64(round)), .integer(Int64(level)),
                         .integer(Int64(random.next(below: 2) + 1)), .integer(unit),
                         .integer(random.next(below: 4) == 0 ? 46 : 32)])
                    for question in ["J1", "J2", "G1", "T1", "X9"] where random.next(below: 6) > 0 {
                        let codes: [Int?] = question == "G1" ? [4, 5, 6, nil, 3] : [1, 2, 1, nil, 3]
                        let code = codes[random.next(below: codes.count)]
                        try sql.run(
                            "INSERT INTO answer(review_id, question, code, applies, sheet, cell) VALUES (?, ?, ?, ?, 'S', 'B1')",
                            [.integer(review), .text(question), code.map { .integer(Int64($0)) } ?? .null,
                             .integer(random.next(below: 8) == 0 ? 0 : 1)])
                    }
                }
            }
        }
        try AuditStore.updateCounts(in: sql, filter: "1 = 1", arguments: [], sign: 1)
        try AuditStore.rebuildCaseCounts(in: sql)
    }

    static let kept = [
        "answer_count", "case_count", "level_pair_count", "level_pair_case_count", "level_set_count",
        "level_set_case_count", "recurring_case",
    ]

    /// Every row of every kept table, as text, sorted.
    static func counts(_ sql: any SQLRunner) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for table in kept {
            result[table] = try sql.rows("SELECT * FROM \(table)", []).map { row in
                row.map { value -> String in
                    switch value {
                    case .null: "∅"
                    case .integer(let number): String(number)
                    case .real(let number): String(number)
                    case .text(let text): text
                    }
                }.joined(separator: "|")
            }.sorted()
        }
        return result
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func bothBackEndsKeepTheSameCounts(seed: UInt64) throws {
        let directory = try TemporaryDirectory("portable")
        defer { directory.cleanUp() }
        let store = try AuditStore(path: directory.path("tilsyn.sqlite"))
        let sqlite = try store.database.write { db in
            try Self.fill(GRDBRunner(db: db), seed: seed)
            return try Self.counts(GRDBRunner(db: db))
        }
        #expect(sqlite["level_set_count"]?.isEmpty == false && sqlite["case_count"]?.isEmpty == false)

        let database = try TestPostgres.Database("counts")
        defer { database.drop() }
        guard case .postgres(let location) = try StoreLocation(database.url) else { return }
        let session = try PostgresSession(location)
        defer { session.close() }
        try StoreSchema.migrate(session)
        let runner = PostgresRunner(session)
        try Self.fill(runner, seed: seed)
        let postgres = try Self.counts(runner)
        for table in Self.kept {
            #expect(postgres[table] == sqlite[table], "\(table)")
        }
    }
}
