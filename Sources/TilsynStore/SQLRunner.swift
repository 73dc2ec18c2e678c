internal import GRDB
internal import Synchronization
internal import TilsynSheets

/// Blocking SQL on one connection of either back end, written once in the SQL both speak: `?` placeholders, values
/// as ``SQLValue``; where the dialects differ, ``SQLDialect`` writes the fragment.
///
/// The portable subset the store's statements keep to: conditions yield 1 or 0 only through `CASE WHEN`
/// (``SQLDialect/flag(_:)``), never by a comparison's value; integer columns are compared (`applies = 1`), not used
/// as booleans; `least`/`greatest` of two values are written as `CASE`; upserts name their conflict target
/// (``SQLDialect/upsert(_:adding:)``); every subquery in `FROM` has an alias; reserved words are quoted (`"some"`).
public protocol SQLRunner {
    /// The dialect of the connection.
    var dialect: SQLDialect { get }

    /// The rows of `sql` with `values` bound to its `?` placeholders in order.
    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]]

    /// Runs `sql` with `values`; returns the rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue]) throws -> Int

    /// Hands the rows of `sql` to `body` one at a time, without holding them all: for reads whose size grows with
    /// the store (an export's answers). Call it inside a read (a transaction).
    func each(_ sql: String, _ values: [SQLValue], _ body: ([SQLValue]) throws -> Void) throws

    /// Runs `insert`, an `INSERT` of one row into a table whose key is an integer `id`, and returns the new row's id.
    /// (SQLite takes it from the connection: `RETURNING` costs it more than the insert itself.)
    func insertingID(_ insert: String, _ values: [SQLValue]) throws -> Int64
}

extension SQLRunner {
    /// The first column of the first row, or nil when there is no row.
    public func value(_ sql: String, _ values: [SQLValue] = []) throws -> SQLValue? {
        try rows(sql, values).first?.first
    }

    /// `INSERT INTO target VALUES (…), (…) tail` for `rows` (each as wide as the first), at most `slice` rows a
    /// statement: one round trip for many rows. `tail` is an `ON CONFLICT` clause, or empty.
    func insert(into target: String, _ rows: [[SQLValue]], _ tail: String = "", slice: Int = 500) throws {
        guard let width = rows.first?.count else { return }
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        for start in stride(from: 0, to: rows.count, by: slice) {
            let part = rows[start..<min(rows.count, start + slice)]
            try run(
                "INSERT INTO \(target) VALUES " + Array(repeating: row, count: part.count).joined(separator: ", ")
                    + (tail.isEmpty ? "" : " " + tail),
                part.flatMap { $0 })
        }
    }
}

/// The SQL dialect of a connection: the fragments the two back ends write differently.
public enum SQLDialect: Sendable {
    /// SQLite (the embedded store).
    case sqlite
    /// PostgreSQL.
    case postgres

    /// 1 where `condition` holds, else 0 (a comparison is an integer in SQLite and a boolean in PostgreSQL).
    public static func flag(_ condition: String) -> String { "CASE WHEN \(condition) THEN 1 ELSE 0 END" }

    /// `ON CONFLICT (key) DO UPDATE SET column = table.column + excluded.column, …` for the columns added up in
    /// `table`, whose key is its primary key in ``StoreSchema``.
    static func upsert(_ table: String, adding columns: [String]) -> String {
        guard let key = StoreSchema.current.tables.first(where: { $0.name == table })?.primaryKey, !key.isEmpty else {
            preconditionFailure("no primary key for \(table)")
        }
        let sets = columns.map { "\($0) = \(table).\($0) + excluded.\($0)" }
        return "ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET " + sets.joined(separator: ", ")
    }

    /// The character that separates sagsskridt and pejlemærke in a crossed case count's key (U+001F).
    public var separator: String { self == .sqlite ? "char(31)" : "chr(31)" }

    /// The position (1-based, 0 when absent) of `needle` in `haystack`.
    public func position(of needle: String, in haystack: String) -> String {
        self == .sqlite ? "instr(\(haystack), \(needle))" : "strpos(\(haystack), \(needle))"
    }

    /// Whether `a` and `b` are equal or both NULL.
    public func same(_ a: String, _ b: String) -> String {
        self == .sqlite ? "\(a) IS \(b)" : "\(a) IS NOT DISTINCT FROM \(b)"
    }

    /// The days from the ISO date `start` to the ISO date `end` (text columns).
    public func days(from start: String, to end: String) -> String {
        self == .sqlite
            ? "(julianday(\(end)) - julianday(\(start)))"
            : "(CAST(\(end) AS DATE) - CAST(\(start) AS DATE))"
    }

    /// `expression` compared byte for byte when sorting, as SQLite compares text, whatever the PostgreSQL
    /// database's collation.
    public func binary(_ expression: String) -> String {
        self == .sqlite ? expression : "\(expression) COLLATE \"C\""
    }

    /// `expression`'s values joined with `separator` (a literal) over a group.
    public func joined(_ expression: String, separator: String) -> String {
        self == .sqlite ? "group_concat(\(expression), \(separator))" : "string_agg(\(expression), \(separator))"
    }
}

/// SQL on a GRDB connection (SQLite): its statements prepared once (for the runner, or for an import batch) and
/// driven through SQLite's C interface, as GRDB's arguments and rows cost more than the statements themselves.
struct GRDBRunner: SQLRunner {
    let db: Database
    let statements: SQLiteStatements

    init(db: Database, statements: SQLiteStatements = SQLiteStatements()) {
        self.db = db
        self.statements = statements
    }

    var dialect: SQLDialect { .sqlite }

    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        try statements.statement(sql, in: db).rows(values)
    }

    func run(_ sql: String, _ values: [SQLValue]) throws -> Int {
        let statement = try statements.statement(sql, in: db)
        _ = try statement.rows(values)
        return statement.changes
    }

    func each(_ sql: String, _ values: [SQLValue], _ body: ([SQLValue]) throws -> Void) throws {
        // Its own statement, finalised at the end: a long read holds no cached statement another read would reset.
        try BoundStatement(db, sql: sql).each(values, body)
    }

    func insertingID(_ insert: String, _ values: [SQLValue]) throws -> Int64 {
        let statement = try statements.statement(insert, in: db)
        _ = try statement.rows(values)
        guard statement.changes == 1 else { throw StoreError(.writeFailed, "the store made no row") }
        return db.lastInsertedRowID
    }
}

/// SQL on a PostgreSQL session: `?` placeholders become `$1`, `$2`, … (outside quotes), remembered per statement.
final class PostgresRunner: SQLRunner {
    let session: PostgresSession
    private var translated: [String: String] = [:]

    init(_ session: PostgresSession) {
        self.session = session
    }

    var dialect: SQLDialect { .postgres }

    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        try session.query(numbered(sql), values).rows
    }

    func run(_ sql: String, _ values: [SQLValue]) throws -> Int {
        try session.query(numbered(sql), values).changed
    }

    func insertingID(_ insert: String, _ values: [SQLValue]) throws -> Int64 {
        guard let id = try rows(insert + " RETURNING id", values).first?.first?.integer else {
            throw StoreError(.writeFailed, "the store gave no id for a new row")
        }
        return id
    }

    /// Rows fetched per round trip by ``each(_:_:_:)``.
    static let cursorBatch = 10_000

    /// Reads through a server-side cursor, ``cursorBatch`` rows per round trip; the caller's transaction holds it
    /// (one at a time: the cursor has one name).
    func each(_ sql: String, _ values: [SQLValue], _ body: ([SQLValue]) throws -> Void) throws {
        let batch = Self.cursorBatch
        try session.query("DECLARE tilsyn_rows NO SCROLL CURSOR FOR " + numbered(sql), values)
        while true {
            let rows = try session.query("FETCH FORWARD \(batch) FROM tilsyn_rows").rows
            for row in rows { try body(row) }
            if rows.count < batch { break }
        }
        try session.query("CLOSE tilsyn_rows")
    }

    private func numbered(_ sql: String) -> String {
        if let known = translated[sql] { return known }
        let result = Self.numbered(sql)
        translated[sql] = result
        return result
    }

    /// `sql` with each `?` outside quotes and comments replaced by `$1`, `$2`, …, and each `?N` by `$N`.
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        var comment = false
        var previous: Character = " "
        for index in sql.indices {
            let character = sql[index]
            if comment {
                if character == "\n" { comment = false }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "-" && previous == "-" {
                comment = true
            } else if character == "?" {
                // `?1` is numbered already (SQLite reads it as parameter 1 too); a lone `?` takes the next number.
                result += "$"
                previous = character
                guard let next = sql[sql.index(after: index)...].first, next.isASCII, next.isNumber else {
                    number += 1
                    result += String(number)
                    continue
                }
                continue
            }
            result.append(character)
            previous = character
        }
        return result
    }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }

    /// A whole number.
    public init(_ value: Int) { self = .integer(Int64(value)) }

    /// Text, or NULL for nil.
    public init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
}

extension Array where Element == SQLValue {
    /// The whole number in column `index`; 0 for NULL (a sum over no rows).
    public func int(_ index: Int) -> Int {
        switch self[index] {
        case .integer(let value): Int(value)
        case .real(let value): value.isFinite ? Int(value.rounded(.towardZero)) : 0
        case .text(let text): Int(text) ?? 0
        case .null: 0
        }
    }

    /// The whole number in column `index`, nil for NULL.
    public func optionalInt(_ index: Int) -> Int? {
        if case .null = self[index] { return nil }
        return int(index)
    }

    /// The text in column `index`; a number as its digits; "" for NULL.
    public func string(_ index: Int) -> String { optionalString(index) ?? "" }

    /// The text in column `index` (a number as its digits), nil for NULL.
    public func optionalString(_ index: Int) -> String? {
        switch self[index] {
        case .text(let text): text
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .null: nil
        }
    }

    /// The number in column `index`, nil for NULL.
    public func optionalDouble(_ index: Int) -> Double? {
        switch self[index] {
        case .integer(let value): Double(value)
        case .real(let value): value
        case .text(let text): Double(text)
        case .null: nil
        }
    }

    /// Whether column `index` holds a number other than 0.
    public func bool(_ index: Int) -> Bool { int(index) != 0 }
}

/// Read access to a store on either back end: each `read` sees one consistent state of the store.
public protocol StoreReading: Sendable {
    /// Runs `body` with SQL on the store, in one read transaction.
    func read<T>(_ body: (any SQLRunner) throws -> T) throws -> T

    /// Runs `body` for the parts `0..<count` of a query split in parts whose results add up, in parallel where
    /// the back end can; the results in part order.
    func readInParallel<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int, any SQLRunner) throws -> T)
        throws -> [T]
}

extension StoreReading {
    /// One part after another, on one connection.
    public func readInParallel<T: Sendable>(
        _ count: Int, _ body: @escaping @Sendable (Int, any SQLRunner) throws -> T
    ) throws -> [T] {
        try read { sql in try (0..<count).map { try body($0, sql) } }
    }
}

/// Reading an SQLite store through GRDB.
struct SQLiteReading: StoreReading {
    let database: any DatabaseReader

    func read<T>(_ body: (any SQLRunner) throws -> T) throws -> T {
        try database.read { db in try body(GRDBRunner(db: db)) }
    }

    /// A store on disk reads each part on its own read-only connection, memory-mapped (a self-join over the
    /// answers is mostly B-tree searches), on as many threads as parts; in memory, one after another.
    func readInParallel<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int, any SQLRunner) throws -> T)
        throws -> [T]
    {
        let path = database.path
        guard count > 1, !path.isEmpty, path != ":memory:" else {
            return try read { sql in try (0..<count).map { try body($0, sql) } }
        }
        let results = Mutex<[Int: Result<T, any Error>]>([:])
        inParallel(count) { part in
            let result = Result<T, any Error> {
                var configuration = Configuration()
                configuration.readonly = true
                configuration.busyMode = .timeout(AuditStore.busyTimeout)
                configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA mmap_size = 4294967296") }
                let connection = try DatabaseQueue(path: path, configuration: configuration)
                return try connection.read { db in
                    try db.execute(sql: "PRAGMA cache_size = -65536")
                    return try body(part, GRDBRunner(db: db))
                }
            }
            results.withLock { $0[part] = result }
        }
        return try (0..<count).map { part in
            guard let result = results.withLock({ $0[part] }) else {
                throw StoreError(.server, "part \(part) of a parallel read did not finish")
            }
            return try result.get()
        }
    }
}
