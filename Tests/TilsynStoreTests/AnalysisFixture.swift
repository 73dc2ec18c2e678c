import Foundation
import GRDB
import TilsynAnalysis
import TilsynStore
import TilsynTestSupport

/// A store filled with SQL for analysis tests: a small catalogue and reviews written answer by answer.
///
/// The catalogue `fx`: step `S1` with `J1` (Ja/Nej, themes `A` and `B`) and `J2` (Ja/Nej, theme `A`); step `S2` with
/// `G1` (degree, theme `B`); `T1` (Ja/Nej, step `S1`, theme `A`) is a temanedslag question. `answer_count` and `level_pair_count` are rebuilt from the answers by `finish()` as
/// the import would keep them.
final class AnalysisFixture {
    let store: AuditStore
    let directory: TemporaryDirectory
    private var reviews: [String: Int64] = [:]

    init() throws {
        directory = try TemporaryDirectory("analysis")
        store = try AuditStore(path: directory.path("tilsyn.sqlite"))
        try store.database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO catalogue(id, version, title) VALUES ('fx', '1', 'Fixture');
                    INSERT INTO catalogue_step VALUES ('fx', 'S1', 'Første skridt', 0), ('fx', 'S2', 'Andet skridt', 1);
                    INSERT INTO catalogue_theme VALUES ('fx', 'A', 'Tema A', 0), ('fx', 'B', 'Tema B', 1);
                    INSERT INTO catalogue_question(catalogue, question, step, type, text, position)
                    VALUES ('fx', 'J1', 'S1', 'JN', 'Første', 0),
                        ('fx', 'J2', 'S1', 'JN', 'Andet', 1), ('fx', 'G1', 'S2', 'GRAD', 'Grad', 2);
                    INSERT INTO question_theme VALUES ('fx', 'J1', 'A'), ('fx', 'J1', 'B'), ('fx', 'J2', 'A'),
                        ('fx', 'G1', 'B'), ('fx', 'T1', 'A');
                    INSERT INTO catalogue_question(catalogue, question, step, type, text, position, temanedslag)
                    VALUES ('fx', 'T1', 'S1', 'JN', 'Temanedslag', 3, 1);
                    INSERT INTO file(id, sha256, path, shape, bytes, imported_at, reviews, answers, warnings)
                    VALUES (1, 'x', 'fixture', 'csv', 0, '2025-01-01T00:00:00Z', 0, 0, 0);
                    """)
        }
    }

    deinit { directory.cleanUp() }

    var reader: StoreReader { StoreReader(store) }

    /// Adds answers of one review (created on first use) of `caseNumber` at `level` in `round`.
    ///
    /// `answers` maps question ids to codes (1 Ja, 2 Nej, 3 Ikke relevant, 4–6 Lav/Nogen/Høj grad, nil blank).
    func add(
        case caseNumber: String, level: Int = 1, round: String = "2025", unit: String = "Vest", measure: Int = 32,
        reviewer: String = "AB", kommune: String = "", _ answers: [(String, Int?)], applies: Bool = true
    ) throws {
        try store.database.write { db in
            func id(_ table: String, _ column: String, _ value: String) throws -> Int64 {
                try db.execute(sql: "INSERT OR IGNORE INTO \(table)(\(column)) VALUES (?)", arguments: [value])
                return try Int64.fetchOne(db, sql: "SELECT id FROM \(table) WHERE \(column) = ?", arguments: [value])!
            }
            // Cases and units are kept within their kommune.
            func kommuneID(_ table: String, _ column: String, _ value: String) throws -> Int64 {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO \(table)(kommune, \(column)) VALUES (?, ?)", arguments: [kommune, value])
                return try Int64.fetchOne(
                    db, sql: "SELECT id FROM \(table) WHERE kommune = ? AND \(column) = ?", arguments: [kommune, value])!
            }
            let key = "\(kommune)|\(caseNumber)|\(level)|\(round)"
            let reviewID: Int64
            if let known = reviews[key] {
                reviewID = known
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO review(case_id, round_id, level, reviewer_id, unit_id, measure, catalogue,
                            catalogue_version, file_id, sheet, cell)
                        VALUES (?, ?, ?, ?, ?, ?, 'fx', '1', 1, 'Ark', 'A1')
                        """,
                    arguments: [
                        try kommuneID("audit_case", "number", caseNumber), try id("round", "name", round), level,
                        try id("reviewer", "initials", reviewer), try kommuneID("unit", "name", unit), measure,
                    ])
                reviewID = db.lastInsertedRowID
                reviews[key] = reviewID
            }
            for (question, code) in answers {
                try db.execute(
                    sql:
                        """
                        INSERT INTO answer(review_id, question, code, applies, sheet, cell)
                        VALUES (?, ?, ?, ?, 'Ark', 'B1')
                        """,
                    arguments: [reviewID, question, code, applies])
            }
        }
    }

    /// Adds `count` one-answer reviews of `question` with `code`, on fresh cases.
    func addMany(
        _ count: Int, _ question: String, _ code: Int?, level: Int = 1, round: String = "2025",
        unit: String = "Vest", reviewer: String = "AB"
    ) throws {
        let start = reviews.count
        for index in 0..<count {
            try add(
                case: "M-\(start + index)", level: level, round: round, unit: unit, reviewer: reviewer,
                [(question, code)])
        }
    }

    /// Rebuilds `answer_count`, then the case and agreement counts, from the answers, as the import keeps them.
    func finish() throws {
        try store.database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM answer_count;
                    INSERT INTO answer_count
                    SELECT r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id,
                        count(*) FILTER (WHERE a.applies AND a.code = 1),
                        count(*) FILTER (WHERE a.applies AND a.code = 2),
                        count(*) FILTER (WHERE a.code = 3 OR (NOT a.applies AND a.code IS NOT NULL)),
                        count(*) FILTER (WHERE a.code IS NULL), count(*) FILTER (WHERE a.applies AND a.code = 4),
                        count(*) FILTER (WHERE a.applies AND a.code = 5),
                        count(*) FILTER (WHERE a.applies AND a.code = 6)
                    FROM answer a JOIN review r ON r.id = a.review_id
                    GROUP BY 1, 2, 3, 4, 5, 6, 7;
                    """)
        }
        try store.rebuildCaseCounts()
    }
}
