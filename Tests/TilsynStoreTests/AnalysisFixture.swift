import Foundation
import GRDB
import Testing
import TilsynAnalysis
import TilsynTestSupport

@testable import TilsynStore

/// A store filled with SQL for analysis tests, on either back end: a small catalogue and reviews written answer by
/// answer.
///
/// The catalogue `fx`: step `S1` with `J1` (Ja/Nej, themes `A` and `B`) and `J2` (Ja/Nej, theme `A`); step `S2` with
/// `G1` (degree, theme `B`); `T1` (Ja/Nej, step `S1`, theme `A`) is a temanedslag question. The kept counts are
/// counted again from the answers by `finish()`, with the store's own SQL, as the import keeps them.
final class AnalysisFixture {
    let backend: Backend
    let directory: TemporaryDirectory
    /// The SQLite store (nil on PostgreSQL).
    private(set) var sqliteStore: AuditStore?
    private var database: TestPostgres.Database?
    private var session: PostgresSession?
    private var location: PostgresLocation?
    private var reviews: [String: Int64] = [:]
    private var ids: [String: Int64] = [:]

    init(_ backend: Backend = .sqlite) throws {
        self.backend = backend
        directory = try TemporaryDirectory("analysis")
        switch backend {
        case .sqlite:
            sqliteStore = try AuditStore(path: directory.path("tilsyn.sqlite"))
        case .postgres:
            let database = try TestPostgres.Database("analysis")
            self.database = database
            guard case .postgres(let location) = try StoreLocation(database.url) else { throw TestPostgresMissing() }
            self.location = location
            let session = try PostgresSession(location)
            try StoreSchema.migrate(session)
            self.session = session
        }
        try write { sql in
            for statement in [
                "INSERT INTO catalogue(id, version, title) VALUES ('fx', '1', 'Fixture')",
                "INSERT INTO catalogue_step VALUES ('fx', 'S1', 'Første skridt', 0), ('fx', 'S2', 'Andet skridt', 1)",
                "INSERT INTO catalogue_theme VALUES ('fx', 'A', 'Tema A', 0), ('fx', 'B', 'Tema B', 1)",
                """
                INSERT INTO catalogue_question(catalogue, question, step, type, text, position)
                VALUES ('fx', 'J1', 'S1', 'JN', 'Første', 0),
                    ('fx', 'J2', 'S1', 'JN', 'Andet', 1), ('fx', 'G1', 'S2', 'GRAD', 'Grad', 2)
                """,
                """
                INSERT INTO question_theme VALUES ('fx', 'J1', 'A'), ('fx', 'J1', 'B'), ('fx', 'J2', 'A'),
                    ('fx', 'G1', 'B'), ('fx', 'T1', 'A')
                """,
                """
                INSERT INTO catalogue_question(catalogue, question, step, type, text, position, temanedslag)
                VALUES ('fx', 'T1', 'S1', 'JN', 'Temanedslag', 3, 1)
                """,
                """
                INSERT INTO file(id, sha256, path, shape, bytes, imported_at, reviews, answers, warnings)
                VALUES (1, 'x', 'fixture', 'csv', 0, '2025-01-01T00:00:00Z', 0, 0, 0)
                """,
            ] {
                try sql.run(statement, [])
            }
        }
    }

    deinit {
        session?.close()
        database?.drop()
        directory.cleanUp()
    }

    /// The SQLite store; fails the test on PostgreSQL.
    var store: AuditStore {
        get throws {
            guard let sqliteStore else { throw TestPostgresFailure(message: "a SQLite-only test ran on PostgreSQL") }
            return sqliteStore
        }
    }

    var reader: StoreReader {
        get throws {
            switch backend {
            case .sqlite: return StoreReader(try store)
            case .postgres:
                guard let location else { throw TestPostgresMissing() }
                return StoreReader(try AuditStore.openReading(.postgres(location)))
            }
        }
    }

    /// Runs `body` with SQL on the store, in one transaction.
    func write<T>(_ body: (any SQLRunner) throws -> T) throws -> T {
        if let sqliteStore {
            return try sqliteStore.database.write { db in try body(GRDBRunner(db: db)) }
        }
        guard let session else { throw TestPostgresMissing() }
        return try session.transaction { try body(PostgresRunner(session)) }
    }

    /// Adds answers of one review (created on first use) of `caseNumber` at `level` in `round`.
    ///
    /// `answers` maps question ids to codes (1 Ja, 2 Nej, 3 Ikke relevant, 4–6 Lav/Nogen/Høj grad, nil blank).
    func add(
        case caseNumber: String, level: Int = 1, round: String = "2025", unit: String = "Vest", measure: Int = 32,
        reviewer: String = "AB", kommune: String = "", _ answers: [(String, Int?)], applies: Bool = true
    ) throws {
        try write { sql in
            /// The id of `value` in `table` (within `kommune` for cases and units), made on first use.
            func id(_ table: String, _ column: String, _ value: String, kommune: String? = nil) throws -> Int64 {
                let key = "\(table)|\(kommune ?? "-")|\(value)"
                if let known = ids[key] { return known }
                let id = Int64(ids.count + 1)
                if let kommune {
                    try sql.run(
                        "INSERT INTO \(table)(id, kommune, \(column)) VALUES (?, ?, ?)",
                        [.integer(id), .text(kommune), .text(value)])
                } else {
                    try sql.run("INSERT INTO \(table)(id, \(column)) VALUES (?, ?)", [.integer(id), .text(value)])
                }
                ids[key] = id
                return id
            }
            let key = "\(kommune)|\(caseNumber)|\(level)|\(round)"
            let reviewID: Int64
            if let known = reviews[key] {
                reviewID = known
            } else {
                reviewID = Int64(reviews.count + 1)
                try sql.run(
                    """
                    INSERT INTO review(id, case_id, round_id, level, reviewer_id, unit_id, measure, catalogue,
                        catalogue_version, file_id, sheet, cell)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'fx', '1', 1, 'Ark', 'A1')
                    """,
                    [
                        .integer(reviewID), .integer(try id("audit_case", "number", caseNumber, kommune: kommune)),
                        .integer(try id("round", "name", round)), SQLValue(level),
                        .integer(try id("reviewer", "initials", reviewer)),
                        .integer(try id("unit", "name", unit, kommune: kommune)), SQLValue(measure),
                    ])
                reviews[key] = reviewID
            }
            for (question, code) in answers {
                try sql.run(
                    "INSERT INTO answer(review_id, question, code, applies, sheet, cell) VALUES (?, ?, ?, ?, 'Ark', 'B1')",
                    [.integer(reviewID), .text(question), code.map(SQLValue.init) ?? .null, SQLValue(applies ? 1 : 0)])
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

    /// Counts `answer_count`, then the case and agreement counts, again from the answers, as the import keeps them.
    func finish() throws {
        try write { sql in
            try sql.run("DELETE FROM answer_count", [])
            try AuditStore.updateCounts(in: sql, filter: "1 = 1", arguments: [], sign: 1)
            if sqliteStore == nil { try AuditStore.rebuildCaseCounts(in: sql) }
        }
        // SQLite's store also records the counts' version.
        if let sqliteStore { try sqliteStore.rebuildCaseCounts() }
    }
}
