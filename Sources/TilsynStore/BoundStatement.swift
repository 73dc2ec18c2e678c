internal import GRDB
internal import GRDBSQLite

/// Prepared statements by their SQL, for one connection: the owner of each, finalised with it (before the
/// connection closes: it lives for one database access, or one import batch).
final class SQLiteStatements {
    private var prepared: [String: BoundStatement] = [:]

    /// The statement for `sql`, prepared on first use.
    func statement(_ sql: String, in db: Database) throws -> BoundStatement {
        if let known = prepared[sql] { return known }
        let made = try BoundStatement(db, sql: sql)
        prepared[sql] = made
        return made
    }
}

/// One prepared statement driven through SQLite's C interface: the import's hot writes (a long CSV stores a million
/// answers, a returned workbook a hundred kept counts), where binding through `StatementArguments` built an array of
/// values and copied every string for each row. The owner of its statement: finalised when it goes, which is before
/// its connection closes (it lives for one import, see ``ImportShared``).
final class BoundStatement {
    private let statement: OpaquePointer
    private let db: Database
    let sql: String

    init(_ db: Database, sql: String) throws {
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(db.sqliteConnection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
        }
        statement = prepared
        self.db = db
        self.sql = sql
    }

    deinit { sqlite3_finalize(statement) }

    /// `SQLITE_TRANSIENT`: SQLite copies the value at once.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds `value` to parameter `index` (1-based) until it is bound again or cleared.
    func bind(_ value: Int64, _ index: Int32) { sqlite3_bind_int64(statement, index, value) }

    func bind(_ value: Int, _ index: Int32) { sqlite3_bind_int64(statement, index, Int64(value)) }

    func bindNull(_ index: Int32) { sqlite3_bind_null(statement, index) }

    /// Binds a copy of `text`.
    func bind(_ text: String, _ index: Int32) {
        var text = text
        text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    _ = sqlite3_bind_text(statement, index, base, Int32(chars.count), Self.transient)
                } else {
                    _ = sqlite3_bind_text(statement, index, "", 0, Self.transient)
                }
            }
        }
    }

    /// Binds `bytes` as text to parameter `index` without copying them: they must stay where they are until the
    /// statement has been stepped (SQLite reads a bound value only while the statement steps).
    func bindUncopied(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int32) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            sqlite3_bind_text(statement, index, "", 0, Self.transient)
            return
        }
        UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            _ = sqlite3_bind_text(statement, index, chars, Int32(bytes.count), nil)
        }
    }

    /// Binds a value (text copied).
    func bind(_ value: SQLValue, _ index: Int32) {
        switch value {
        case .null: bindNull(index)
        case .integer(let number): bind(number, index)
        case .real(let number): sqlite3_bind_double(statement, index, number)
        case .text(let text): bind(text, index)
        }
    }

    /// Runs the statement with `values` bound in order and returns its rows; clears the bindings and resets it.
    func rows(_ values: [SQLValue]) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try each(values) { rows.append($0) }
        return rows
    }

    /// Runs the statement with `values` bound in order and hands its rows to `body` one at a time; clears the
    /// bindings and resets it.
    func each(_ values: [SQLValue], _ body: ([SQLValue]) throws -> Void) throws {
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in values.enumerated() { bind(value, Int32(index + 1)) }
        let columns = sqlite3_column_count(statement)
        var row: [SQLValue] = []
        row.reserveCapacity(Int(columns))
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
            }
            row.removeAll(keepingCapacity: true)
            for column in 0..<columns {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_NULL: row.append(.null)
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(statement, column)))
                default:
                    let count = Int(sqlite3_column_bytes(statement, column))
                    guard let bytes = sqlite3_column_text(statement, column) else {
                        row.append(.text(""))
                        continue
                    }
                    row.append(.text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)))
                }
            }
            try body(row)
        }
    }

    /// The rows the last statement on the connection changed.
    var changes: Int { Int(sqlite3_changes(db.sqliteConnection)) }

    /// Runs the statement once with what is bound, and resets it for the next row.
    func step() throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
        }
    }

    /// Unbinds every parameter (no static text is left pointing at memory that has gone).
    func clearBindings() { sqlite3_clear_bindings(statement) }
}
