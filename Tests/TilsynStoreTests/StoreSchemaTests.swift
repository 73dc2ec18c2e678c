import Foundation
import Synchronization
import GRDB
import Testing
import TilsynTestSupport

@testable import TilsynStore

/// One description of the schema, two dialects: SQLite's frozen migrations end at it, and a PostgreSQL store is
/// made from it, once, however many processes open a new store at the same time.
@Suite struct StoreSchemaTests {
    /// A table as both back ends can report it: columns (name, integer or text, not null, default, reference),
    /// the primary key, the unique column sets, and the indexes (name and columns).
    struct Shape: Equatable, CustomStringConvertible {
        var columns: [String]
        var primaryKey: [String]
        var unique: Set<[String]>
        var description: String { "\(columns) pk \(primaryKey) unique \(unique.sorted { "\($0)" < "\($1)" })" }
    }

    static func expected(_ table: StoreSchema.Table) -> Shape {
        Shape(
            columns: table.columns.enumerated().map { index, column in
                let generated = index == 0 && table.generatedID
                let reference = column.references.map { " → \($0.table).\($0.column)\($0.cascade ? " cascade" : "")" }
                return "\(column.name) \(column.type == .text ? "text" : "integer")"
                    + (column.notNull || generated ? " not null" : "") + (column.defaultValue.map { " = \($0)" } ?? "")
                    + (reference ?? "")
            },
            primaryKey: table.generatedID ? ["id"] : table.primaryKey, unique: Set(table.unique))
    }

    @Test func theSQLiteMigrationsEndAtTheDescription() throws {
        let directory = try TemporaryDirectory("schema")
        defer { directory.cleanUp() }
        let store = try AuditStore(path: directory.path("tilsyn.sqlite"))
        try store.database.read { db in
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' "
                    + "AND name NOT LIKE 'sqlite%' ORDER BY name")
            #expect(tables == StoreSchema.current.tables.map(\.name).sorted())
            for table in StoreSchema.current.tables {
                var references: [String: String] = [:]
                for key in try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(table.name))") {
                    let cascade = (key["on_delete"] as String) == "CASCADE" ? " cascade" : ""
                    references[key["from"]] = " → \(key["table"] as String).\(key["to"] as String)\(cascade)"
                }
                let info = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.name))")
                var shape = Shape(columns: [], primaryKey: [], unique: [])
                var keyed: [(Int, String)] = []
                for column in info {
                    let name: String = column["name"]
                    let type = (column["type"] as String).lowercased()
                    let primary: Int = column["pk"]
                    // SQLite's INTEGER PRIMARY KEY is the rowid: never null though not declared so.
                    let notNull = (column["notnull"] as Int) == 1 || (primary > 0 && type == "integer" && info.count > 1
                        && table.generatedID)
                    shape.columns.append(
                        "\(name) \(type)" + (notNull ? " not null" : "")
                            + ((column["dflt_value"] as String?).map { " = \($0)" } ?? "") + (references[name] ?? ""))
                    if primary > 0 { keyed.append((primary, name)) }
                }
                shape.primaryKey = keyed.sorted { $0.0 < $1.0 }.map(\.1)
                for index in try Row.fetchAll(db, sql: "PRAGMA index_list(\(table.name))")
                where (index["origin"] as String) == "u" {
                    shape.unique.insert(
                        try Row.fetchAll(db, sql: "PRAGMA index_info(\(index["name"] as String))")
                            .sorted { ($0["seqno"] as Int) < ($1["seqno"] as Int) }.map { $0["name"] as String })
                }
                #expect(shape == Self.expected(table), "\(table.name)")
            }
            let indexes = try Row.fetchAll(
                db,
                sql: "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            let found = try indexes.map { row in
                StoreSchema.Index(
                    name: row[0], table: row[1],
                    columns: try Row.fetchAll(db, sql: "PRAGMA index_info(\(row[0] as String))")
                        .sorted { ($0["seqno"] as Int) < ($1["seqno"] as Int) }.map { $0["name"] as String })
            }
            #expect(found == StoreSchema.current.indexes.sorted { $0.name < $1.name })
        }
    }

    @Test(.needsPostgres) func aPostgreSQLStoreIsMadeOnceFromTheDescription() throws {
        let database = try TestPostgres.Database("schema")
        defer { database.drop() }
        guard case .postgres(let location) = try StoreLocation(database.url) else { return }
        // Four processes opening a new store at once: the advisory lock lets one make it.
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let session = try PostgresSession(location)
                defer { session.close() }
                try StoreSchema.migrate(session)
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let session = try PostgresSession(location)
        defer { session.close() }
        try StoreSchema.migrate(session)
        #expect(try session.query("SELECT id FROM tilsyn_migration").rows == [[.text(StoreSchema.version)]])

        for table in StoreSchema.current.tables {
            let columns = try session.query(
                """
                SELECT c.column_name, c.data_type, c.is_nullable, c.column_default, c.is_identity,
                    (SELECT ccu.table_name || '.' || ccu.column_name || CASE rc.delete_rule WHEN 'CASCADE'
                        THEN ' cascade' ELSE '' END
                     FROM information_schema.key_column_usage k
                     JOIN information_schema.referential_constraints rc ON rc.constraint_name = k.constraint_name
                     JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = k.constraint_name
                     WHERE k.table_name = c.table_name AND k.column_name = c.column_name)
                FROM information_schema.columns c WHERE c.table_name = $1 ORDER BY c.ordinal_position
                """, [.text(table.name)]
            ).rows
            var shape = Shape(columns: [], primaryKey: [], unique: [])
            for column in columns {
                let type = column[1].text == "bigint" ? "integer" : column[1].text ?? "?"
                // A generated id has no default in PostgreSQL (it is an identity column).
                let defaultValue = column[3].text.map { $0.replacingOccurrences(of: "::text", with: "") }
                shape.columns.append(
                    "\(column[0].text ?? "") \(type)" + (column[2].text == "NO" ? " not null" : "")
                        + (defaultValue.map { " = \($0)" } ?? "") + (column[5].text.map { " → \($0)" } ?? ""))
            }
            let constraints = try session.query(
                """
                SELECT con.contype, array_to_string(ARRAY(
                    SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o), ',')
                FROM pg_constraint con WHERE con.conrelid = $1::regclass AND con.contype IN ('p', 'u')
                """, [.text(table.name)]
            ).rows
            for constraint in constraints {
                let columns = (constraint[1].text ?? "").split(separator: ",").map(String.init)
                if constraint[0].text == "p" { shape.primaryKey = columns } else { shape.unique.insert(columns) }
            }
            #expect(shape == Self.expected(table), "\(table.name)")
        }
        let indexes = try session.query(
            """
            SELECT i.relname, t.relname, array_to_string(ARRAY(
                SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o), ',')
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND NOT x.indisprimary AND NOT x.indisunique ORDER BY i.relname
            """
        ).rows.map {
            StoreSchema.Index(
                name: $0[0].text ?? "", table: $0[1].text ?? "",
                columns: ($0[2].text ?? "").split(separator: ",").map(String.init))
        }
        #expect(indexes == StoreSchema.current.indexes.sorted { $0.name < $1.name })
    }
}
