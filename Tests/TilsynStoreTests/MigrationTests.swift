import GRDB
import Testing
import TilsynTestSupport

@testable import TilsynStore

/// A store made by the first schema, with answers at three levels, upgraded by every later migration: the kept
/// counts (level pairs from v2's own SQL, case counts filled on opening) equal those of a store the current import
/// filled with the same answers.
@Suite struct MigrationTests {
    static let first = "v1: common model, provenance and answer counts"

    static func all(_ db: Database, _ table: String) throws -> [[String]] {
        try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { row in
            row.databaseValues.map { $0.description }
        }.sorted { $0.joined(separator: "|") < $1.joined(separator: "|") }
    }

    @Test func aFirstSchemaStoreUpgradesToTheSameCounts() throws {
        let fixture = try CaseCountTests.store()
        let source = fixture.directory.path("tilsyn.sqlite")
        let directory = try TemporaryDirectory("migration")
        defer { directory.cleanUp() }
        let path = directory.path("old.sqlite")

        // The first schema, filled with the fixture's rows in the columns that schema has.
        let queue = try DatabaseQueue(path: path)
        try AuditStore.migrator.migrate(queue, upTo: Self.first)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' "
                    + "AND name NOT LIKE 'sqlite%'")
            #expect(tables.contains("review") && tables.contains("answer"))
            #expect(!tables.contains("level_pair_count"), "v1 has no pair counts")
            for table in tables {
                // The columns both schemas have (v1's review.kommune moved to the case and unit in v10).
                let present = Set(
                    try Row.fetchAll(db, sql: "PRAGMA source.table_info(\(table))").map { $0["name"] as String })
                let columns = try Row.fetchAll(db, sql: "PRAGMA main.table_info(\(table))").map { $0["name"] as String }
                    .filter { present.contains($0) }
                let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                try db.execute(sql: "INSERT INTO main.\(table)(\(list)) SELECT \(list) FROM source.\(table)")
            }
            try db.execute(sql: "DETACH DATABASE source")
        }
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM answer") } ?? 0 > 10)

        // Every later migration, then the store opened as the tool opens it. The temanedslag flag came with v3 and
        // is set when a catalogue is registered; the fixture's catalogue is not a built-in one, so it is set here
        // as registering it would.
        try AuditStore.migrator.migrate(queue)
        try queue.write { db in
            try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
            try db.execute(
                sql: """
                    UPDATE catalogue_question SET temanedslag = (SELECT s.temanedslag FROM source.catalogue_question s
                        WHERE s.catalogue = catalogue_question.catalogue AND s.question = catalogue_question.question)
                    """)
        }
        try queue.writeWithoutTransaction { try $0.execute(sql: "DETACH DATABASE source") }
        try queue.close()
        let upgraded = try AuditStore(path: path)
        let expected = try fixture.store.database.read { db in
            try ["level_pair_count", "case_count", "level_pair_case_count", "level_set_count", "level_set_case_count",
                 "recurring_case"]
                .map { try Self.all(db, $0) }
        }
        let got = try upgraded.database.read { db in
            try ["level_pair_count", "case_count", "level_pair_case_count", "level_set_count", "level_set_case_count",
                 "recurring_case"]
                .map { try Self.all(db, $0) }
        }
        #expect(!expected[0].isEmpty && !expected[1].isEmpty && !expected[3].isEmpty && !expected[5].isEmpty)
        #expect(got == expected)
    }

    /// v10 moves the kommune from the review to its case and unit: a case keeps the one kommune its reviews name
    /// (reviews naming none stay with it), a case whose reviews name two is split, and so is a unit; the answer
    /// counts follow the units, as a recount gives them.
    @Test func theKommuneMovesToTheCaseAndUnit() throws {
        let directory = try TemporaryDirectory("migration-v10")
        defer { directory.cleanUp() }
        let queue = try DatabaseQueue(path: directory.path("v9.sqlite"))
        try AuditStore.migrator.migrate(
            queue, upTo: "v9: agreement counts by the lowest level's enhed, indsats and reviewer")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO file(id, sha256, path, shape, bytes, imported_at, reviews, answers, warnings)
                    VALUES (1, 'x', 'f', 'csv', 0, '2025-01-01T00:00:00Z', 0, 0, 0);
                    INSERT INTO round(id, name) VALUES (1, '2025');
                    INSERT INTO reviewer(id, initials) VALUES (1, 'AB');
                    INSERT INTO unit(id, name) VALUES (1, 'Vest'), (2, 'Syd');
                    INSERT INTO audit_case(id, number) VALUES (1, 'A'), (2, 'B'), (3, 'C');
                    -- A: named at level 1, not at level 2: one case in Aarhus. B: Aarhus and Odense: two cases.
                    -- C: no kommune anywhere. Unit Vest has cases of Aarhus and Odense: two units.
                    INSERT INTO review(id, case_id, round_id, level, reviewer_id, unit_id, measure, kommune, catalogue,
                        catalogue_version, file_id, sheet, cell)
                    VALUES (1, 1, 1, 1, 1, 1, 32, 'Aarhus', 'kk-2025', '1', 1, 'S', 'A1'),
                        (2, 1, 1, 2, 1, 1, 32, NULL, 'kk-2025', '1', 1, 'S', 'A2'),
                        (3, 2, 1, 1, 1, 1, 32, 'Aarhus', 'kk-2025', '1', 1, 'S', 'A3'),
                        (4, 2, 1, 2, 1, 1, 32, 'Odense', 'kk-2025', '1', 1, 'S', 'A4'),
                        (5, 3, 1, 1, 1, 2, 32, NULL, 'kk-2025', '1', 1, 'S', 'A5');
                    INSERT INTO answer(review_id, question, code, answer, applies, sheet, cell)
                    VALUES (1, 'U.1', 1, 'Ja', 1, 'S', 'B1'), (2, 'U.1', 2, 'Nej', 1, 'S', 'B2'),
                        (3, 'U.1', 1, 'Ja', 1, 'S', 'B3'), (4, 'U.1', 1, 'Ja', 1, 'S', 'B4'),
                        (5, 'U.1', NULL, NULL, 1, 'S', 'B5');
                    INSERT INTO answer_count VALUES ('kk-2025', 'U.1', 1, 1, 1, 32, 1, 2, 0, 0, 0, 0, 0, 0),
                        ('kk-2025', 'U.1', 1, 2, 1, 32, 1, 1, 1, 0, 0, 0, 0, 0),
                        ('kk-2025', 'U.1', 1, 1, 2, 32, 1, 0, 0, 0, 1, 0, 0, 0);
                    """)
        }
        try AuditStore.migrator.migrate(queue)
        try queue.read { db in
            let cases = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, c.kommune, c.number, u.kommune, u.name FROM review r
                    JOIN audit_case c ON c.id = r.case_id JOIN unit u ON u.id = r.unit_id ORDER BY r.id
                    """
            ).map { row -> [String] in [String(row[0] as Int64), row[1], row[2], row[3], row[4]] }
            #expect(cases == [
                ["1", "Aarhus", "A", "Aarhus", "Vest"], ["2", "Aarhus", "A", "Aarhus", "Vest"],
                ["3", "Aarhus", "B", "Aarhus", "Vest"], ["4", "Odense", "B", "Odense", "Vest"],
                ["5", "", "C", "", "Syd"],
            ])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_case") == 4)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM unit") == 3)
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(review)").map { $0["name"] as String }
            #expect(!columns.contains("kommune"))
            let counts = try Self.all(db, "answer_count")
            let recount = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id,
                        sum(a.code IS 1), sum(a.code IS 2), 0, sum(a.code IS NULL), 0, 0, 0
                    FROM review r JOIN answer a ON a.review_id = r.id GROUP BY 1, 2, 3, 4, 5, 6, 7
                    """
            ).map { Array($0.databaseValues.map(\.description)) }.sorted {
                $0.joined(separator: "|") < $1.joined(separator: "|")
            }
            #expect(counts == recount)
            #expect(counts.count == 4, "Vest at level 1 splits into Aarhus and Odense")
            #expect(try db.foreignKeyViolations().map { _ in 1 }.reduce(0, +) == 0)
        }
    }
}
