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
                let columns = try Row.fetchAll(db, sql: "PRAGMA main.table_info(\(table))").map { $0["name"] as String }
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
}
