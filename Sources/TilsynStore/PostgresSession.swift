internal import Foundation
internal import Logging
internal import PostgresNIO

/// A value bound to a statement or read from a row, the same on SQLite and PostgreSQL.
public enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A whole number.
    case integer(Int64)
    /// A floating-point number.
    case real(Double)
    /// Text.
    case text(String)

    /// The whole number, or nil for another kind of value.
    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The text, or nil for another kind of value.
    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }
}

/// One connection to a PostgreSQL server, used from one thread at a time with blocking calls: the store's code is
/// synchronous, and each call waits for postgres-nio's future on the shared event loop.
///
/// Errors are ``StoreError``s with the server's message and SQLSTATE, never the statement's values (which may hold
/// case numbers) nor the password.
final class PostgresSession: @unchecked Sendable {
    let location: PostgresLocation
    private let connection: PostgresConnection
    private let logger: Logger
    private var closed = false

    /// Connects to `location`, with the password from `PGPASSWORD` or the password file.
    init(_ location: PostgresLocation, environment: [String: String]? = nil) throws {
        self.location = location
        var logger = Logger(label: "tilsyn.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let password = location.password(environment: environment)
        var configuration: PostgresConnection.Configuration
        if location.host.hasPrefix("/") {
            let socket = location.host + "/.s.PGSQL.\(location.port)"
            configuration = .init(
                unixSocketPath: socket, username: location.user, password: password, database: location.database)
        } else {
            configuration = .init(
                host: location.host, port: location.port, username: location.user, password: password,
                database: location.database, tls: try Self.tls(location))
        }
        configuration.options.connectTimeout = .seconds(10)
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            throw Self.storeError(error, location: location, action: "connecting", password: password != nil)
        }
    }

    deinit { close() }

    /// Closes the connection (once).
    func close() {
        guard !closed else { return }
        closed = true
        try? connection.close().wait()
    }

    /// TLS as libpq's `sslmode` asks: unverified for `prefer`, `allow` and `require`, verified for `verify-ca`
    /// (without the host name) and `verify-full`.
    private static func tls(_ location: PostgresLocation) throws -> PostgresConnection.Configuration.TLS {
        if location.tls == .disable { return .disable }
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch location.tls {
        case .verifyFull: configuration.certificateVerification = .fullVerification
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        default: configuration.certificateVerification = .none
        }
        if let root = location.rootCertificate { configuration.trustRoots = .file(root) }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw StoreError(
                .invalidLocation, "cannot set up TLS (\(error)): check sslrootcert", path: location.description)
        }
        switch location.tls {
        case .prefer, .allow: return .prefer(context)
        default: return .require(context)
        }
    }

    /// Runs `sql` (placeholders `$1`, `$2`, …) with `values` and returns its rows and the rows it changed.
    @discardableResult
    func query(_ sql: String, _ values: [SQLValue] = []) throws -> (rows: [[SQLValue]], changed: Int) {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            }
        }
        let result: PostgresQueryResult
        do {
            result = try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).wait()
        } catch {
            throw Self.storeError(error, location: location, action: "running a statement", password: true)
        }
        var rows: [[SQLValue]] = []
        rows.reserveCapacity(result.rows.count)
        for row in result.rows {
            var values: [SQLValue] = []
            for cell in row { values.append(try Self.value(cell)) }
            rows.append(values)
        }
        return (rows, result.metadata.rows ?? 0)
    }

    /// Runs `body` in a transaction begun with `begin` (`BEGIN`, or with an isolation level): committed when it
    /// returns, rolled back when it throws.
    func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try query(begin)
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    /// Runs a script of statements without values (the schema's DDL) one by one: postgres-nio sends each in the
    /// extended protocol, which takes one statement at a time.
    func script(_ sql: String) throws {
        for statement in Self.statements(sql) { try query(statement) }
    }

    /// The statements of a script, split at each `;` outside quotes and `--` comments (no dollar quoting: Tilsyn's
    /// own DDL has none).
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quote: Character?
        var comment = false
        var previous: Character = " "
        for character in sql {
            if comment {
                if character == "\n" { comment = false }
            } else if let open = quote {
                current.append(character)
                if character == open { quote = nil }
            } else if character == "-" && previous == "-" {
                current.removeLast()
                comment = true
            } else if character == "'" || character == "\"" {
                quote = character
                current.append(character)
            } else if character == ";" {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            } else {
                current.append(character)
            }
            previous = comment ? " " : character
        }
        let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !statement.isEmpty { statements.append(statement) }
        return statements
    }

    /// A cell as a value: whole numbers of any width (and `numeric` without a fraction, as `sum` of integers
    /// gives), floating-point numbers, booleans as 0 and 1, everything else as text.
    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        do {
            switch cell.dataType {
            case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
            case .float4, .float8: return .real(try cell.decode(Double.self))
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .numeric:
                // `sum` of whole numbers and `avg` give numeric: whole ones as integers.
                let decimal = try cell.decode(Decimal.self)
                let number = NSDecimalNumber(decimal: decimal)
                if decimal == Decimal(number.int64Value) { return .integer(number.int64Value) }
                return .real(number.doubleValue)
            default: return .text(try cell.decode(String.self))
            }
        } catch {
            throw StoreError(
                .server, "a value of the column '\(cell.columnName)' cannot be read (type \(cell.dataType))")
        }
    }

    /// A ``StoreError`` for a failure of postgres-nio: the server's message and SQLSTATE, or what failed to connect.
    static func storeError(_ error: any Error, location: PostgresLocation, action: String, password: Bool) -> StoreError
    {
        let place = location.description
        guard let error = error as? PSQLError else {
            return StoreError(.server, "\(action) failed: \(error)", path: place)
        }
        if let info = error.serverInfo, let message = info[.message] {
            let state = info[.sqlState] ?? ""
            var text = "\(action) failed: \(message) (SQLSTATE \(state))"
            if state == "28P01" || state == "28000" {
                text += password
                    ? "; check the password in PGPASSWORD or ~/.pgpass and the role's access in pg_hba.conf"
                    : "; no password was found: set PGPASSWORD or write it in ~/.pgpass (mode 0600)"
            } else if state == "3D000" {
                text += "; create the database (createdb) and give the role access to it: Tilsyn makes its tables"
            }
            return StoreError(.server, text, path: place)
        }
        switch error.code {
        case .connectionError:
            return StoreError(
                .server, "\(action) failed: the server cannot be reached; check the host and port, and that "
                    + "PostgreSQL is running and listening there", path: place)
        case .authMechanismRequiresPassword:
            return StoreError(
                .server, "\(action) failed: the server asks for a password and none was found: set PGPASSWORD or "
                    + "write it in ~/.pgpass (mode 0600)", path: place)
        case .sslUnsupported:
            return StoreError(
                .server, "\(action) failed: the server does not offer TLS, which sslmode asks for", path: place)
        default:
            return StoreError(.server, "\(action) failed: \(error.code)", path: place)
        }
    }
}

/// Reading a store on a PostgreSQL server: one connection, each `read` in a repeatable-read, read-only transaction
/// (one consistent state of the store, as SQLite's reads see).
final class PostgresReading: StoreReading, @unchecked Sendable {
    private let session: PostgresSession
    private let lock = NSLock()

    /// Connects to `location` and checks that it holds a store of this program's schema.
    init(_ location: PostgresLocation) throws {
        session = try PostgresSession(location)
        let tables = try session.query("SELECT to_regclass('tilsyn_migration') IS NOT NULL").rows
        let versions = tables.first?.first == .integer(1)
            ? try session.query("SELECT id FROM tilsyn_migration").rows.compactMap { $0.first?.text } : []
        guard versions.contains(StoreSchema.version) else {
            session.close()
            throw StoreError(
                versions.isEmpty ? .notFound : .outdated,
                versions.isEmpty
                    ? "the database holds no Tilsyn store; import files first with 'tilsyn import'"
                    : "the store's schema is older than this program's; run 'tilsyn import' once to upgrade it",
                path: location.description)
        }
    }

    func read<T>(_ body: (any SQLRunner) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try session.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            try body(PostgresRunner(session))
        }
    }
}
