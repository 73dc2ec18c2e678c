internal import GRDB
internal import TilsynSheets

@preconcurrency import Glibc

/// A standalone SQLite file for an export: typed tables filled in one transaction, written under a temporary
/// name next to the target and renamed into place by ``commit()``, so no reader sees half a database.
public final class ExportDatabase {
    /// The declared type of a column.
    public enum ColumnType: String, Sendable {
        /// Text.
        case text = "TEXT"
        /// A whole number.
        case integer = "INTEGER"
        /// An ISO date (`2025-03-14`) stored as text under the declared type `DATE`, which DuckDB and pandas
        /// (with `parse_dates`) read as a date.
        case date = "DATE"
    }

    /// A value to insert.
    public enum Value: Sendable, Equatable {
        /// Text.
        case text(String)
        /// A whole number.
        case integer(Int)
        /// No value (SQL NULL).
        case null
    }

    /// The target path.
    public let path: String
    private let temporaryPath: String
    private var queue: DatabaseQueue?
    private var inserts: [String: (sql: String, count: Int)] = [:]

    /// Creates the temporary database next to `path` and begins its transaction.
    public init(path: String) throws {
        self.path = path
        guard let temporaryPath = TemporaryFile.path(beside: path) else {
            throw StoreError(.writeFailed, "the output path names a folder, not a file: add a file name", path: path)
        }
        self.temporaryPath = temporaryPath
        do {
            var configuration = Configuration()
            configuration.journalMode = .default
            // One transaction spans the inserts of the whole export, across database accesses.
            configuration.allowsUnsafeTransactions = true
            let queue = try DatabaseQueue(path: temporaryPath, configuration: configuration)
            try queue.inDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN")
            }
            self.queue = queue
        } catch let error as DatabaseError {
            unlink(temporaryPath)
            throw StoreError(
                .writeFailed,
                "cannot create a database in the output folder (\(error.message ?? "SQLite error")): check that the "
                    + "folder exists and that you may write there", path: path)
        }
    }

    deinit { discard() }

    private func database() throws -> DatabaseQueue {
        guard let queue else {
            throw StoreError(.writeFailed, "the export database is already closed", path: path)
        }
        return queue
    }

    private func failed(_ error: DatabaseError) -> StoreError {
        discard()
        return StoreError(
            .writeFailed, "writing the export database failed (\(error.message ?? "SQLite error"))", path: path)
    }

    /// Quotes an identifier for SQL (`"U.1"`).
    static func quoted(_ name: String) -> String {
        "\"" + String(name.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
    }

    /// Creates a table with these columns.
    public func createTable(_ name: String, columns: [(name: String, type: ColumnType)]) throws {
        let queue = try database()
        let definitions = columns.map { "\(Self.quoted($0.name)) \($0.type.rawValue)" }.joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        do {
            try queue.inDatabase { db in
                try db.execute(sql: "CREATE TABLE \(Self.quoted(name)) (\(definitions))")
            }
        } catch let error as DatabaseError {
            throw failed(error)
        }
        inserts[name] = ("INSERT INTO \(Self.quoted(name)) VALUES (\(placeholders))", columns.count)
    }

    /// Inserts one row into `table`; values in column order.
    public func insert(into table: String, _ values: [Value]) throws {
        let queue = try database()
        guard let insert = inserts[table], insert.count == values.count else {
            throw StoreError(.writeFailed, "the export row does not match the table's columns", path: path)
        }
        let arguments = StatementArguments(
            values.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .text(let text): text
                case .integer(let number): number
                case .null: nil
                }
            })
        do {
            try queue.inDatabase { db in
                try db.cachedStatement(sql: insert.sql).execute(arguments: arguments)
            }
        } catch let error as DatabaseError {
            throw failed(error)
        }
    }

    /// Commits, closes and renames the database into place.
    public func commit() throws {
        let queue = try database()
        do {
            try queue.inDatabase { db in try db.execute(sql: "COMMIT") }
            try queue.close()
        } catch let error as DatabaseError {
            throw failed(error)
        }
        self.queue = nil
        let descriptor = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            _ = fsync(descriptor)
            close(descriptor)
        }
        guard TemporaryFile.moveIntoPlace(temporaryPath, path) else {
            unlink(temporaryPath)
            throw StoreError(.writeFailed, "replacing the file failed; the file was left as it was", path: path)
        }
    }

    /// Closes and removes the temporary database, leaving the target as it was.
    public func discard() {
        guard let queue else { return }
        self.queue = nil
        try? queue.close()
        unlink(temporaryPath)
    }
}
