import Foundation
import GRDB
import TilsynTestSupport

/// The rows of `query` on the store `db` names (an SQLite file or a `postgres://` URL), each column as text (NULL as
/// ""), read as another process would: with SQLite's own reader, or with `psql`.
func storeRows(_ db: String, _ query: String) throws -> [[String]] {
    if db.hasPrefix("postgres://") { return try TestPostgres.rows(db, query) }
    return try DatabaseQueue(path: db).read { connection in
        try Row.fetchAll(connection, sql: query).map { row in
            row.databaseValues.map { value in value.isNull ? "" : String(describing: value.storage.value ?? "") }
        }
    }
}

/// `text` as an SQL string literal (quotes doubled), for a query `psql` runs without bound values.
func sqlLiteral(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
