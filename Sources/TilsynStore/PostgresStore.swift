public import TilsynAudit
internal import Foundation

/// A store on a PostgreSQL server: the same schema, kept counts, idempotence and conflict rules as the SQLite store,
/// written by the same statements.
///
/// SQLite has one writer at a time; here every writing transaction first takes one advisory lock, so imports from
/// several processes on several machines write one after another (and never deadlock on each other's rows), while
/// readers go on. A batch of files is one transaction, each file under its own savepoint, as on SQLite.
public final class PostgresStore: @unchecked Sendable {
    /// Where the store is.
    public let location: PostgresLocation
    private let session: PostgresSession
    private let lock = NSLock()

    /// The advisory lock every writer holds for its transaction ("tilsynW" in ASCII).
    static let writeLock: Int64 = 0x74_69_6C_73_79_6E_57

    /// Connects to `location` and brings its schema up to date (making it in an empty database).
    public init(_ location: PostgresLocation) throws {
        self.location = location
        session = try PostgresSession(location)
        try StoreSchema.migrate(session)
    }

    deinit { session.close() }

    /// Read access to the store, as analysis reads it (on its own connection).
    public func reading() throws -> any StoreReading { try PostgresReading(location) }

    /// Runs `body` in one writing transaction under the write lock.
    func write<T>(_ body: (any SQLRunner) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try session.transaction {
            try session.query("SELECT pg_advisory_xact_lock($1)", [.integer(Self.writeLock)])
            return try body(PostgresRunner(session))
        }
    }

    /// Records the catalogues' questions, steps and themes (for grouping answers by step and theme).
    public func register(_ catalogues: CatalogueSet) throws {
        try write { sql in
            for catalogue in catalogues.byID.values.sorted(by: { $0.id < $1.id }) {
                try AuditStore.register(catalogue, in: sql)
            }
        }
    }

    /// Stores `value` for `setting` (nil removes it), as ``AuditStore/set(_:to:)`` does.
    public func set(_ setting: AuditStore.Setting, to value: String?) throws {
        try write { sql in try AuditStore.set(setting, to: value, in: sql) }
    }

    /// Keeps `catalogue` in the store, as ``AuditStore/keep(_:)`` does.
    public func keep(_ catalogue: Catalogue) throws {
        try write { sql in try AuditStore.keep(catalogue, in: sql) }
    }

    /// The content hashes of the files stored.
    public func fileHashes() throws -> Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return Set(try session.query("SELECT sha256 FROM file").rows.compactMap { $0.first?.text })
    }

    /// The stored value of `setting`, or nil when it is not set.
    public func value(of setting: AuditStore.Setting) throws -> String? {
        lock.lock()
        defer { lock.unlock() }
        return try AuditStore.value(of: setting, in: PostgresRunner(session))
    }

    /// Runs `body` with a batch that imports files one after another, each under its own savepoint, committed
    /// together every `maxFiles` files or `maxSeconds` seconds and at the end. A failure of the server rolls the
    /// file back to its savepoint, commits the files before it, and is thrown.
    public func withImportBatch<T>(
        maxFiles: Int = 64, maxSeconds: Double = 0.25, _ body: (PostgresImportBatch) throws -> T
    ) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let batch = PostgresImportBatch(session: session, maxFiles: maxFiles, maxSeconds: maxSeconds)
        return try committing(batch.commit) { try body(batch) }
    }
}

/// Imports files into a ``PostgresStore`` within one writing transaction at a time (see
/// ``PostgresStore/withImportBatch(maxFiles:maxSeconds:_:)``).
public final class PostgresImportBatch {
    private let session: PostgresSession
    private let runner: PostgresRunner
    private let writers: PostgresImportWriters
    private var clock: BatchClock

    init(session: PostgresSession, maxFiles: Int, maxSeconds: Double) {
        self.session = session
        runner = PostgresRunner(session)
        writers = PostgresImportWriters(runner)
        clock = BatchClock(maxFiles: maxFiles, maxSeconds: maxSeconds)
    }

    /// Imports one file whose reviews `read` hands on one by one (see ``ImportBatch/importFile(_:replace:read:)``).
    public func importFile(
        _ stored: StoredFile, replace: Bool, read: @escaping AuditStore.Reading
    ) throws -> (file: ReturnedFile, outcome: ImportOutcome) {
        if clock.started == nil {
            try session.query("BEGIN")
            try session.query("SELECT pg_advisory_xact_lock($1)", [.integer(PostgresStore.writeLock)])
            clock.begin()
        }
        try session.query("SAVEPOINT tilsyn_file")
        let result: (file: ReturnedFile, outcome: ImportOutcome)
        do {
            result = try AuditStore.importFile(stored, replace: replace, in: runner, writers: writers, read: read)
        } catch {
            _ = try? session.query("ROLLBACK TO SAVEPOINT tilsyn_file")
            try commit()
            throw error
        }
        if result.outcome.status == .imported {
            try session.query("RELEASE SAVEPOINT tilsyn_file")
        } else {
            try session.query("ROLLBACK TO SAVEPOINT tilsyn_file")
        }
        if clock.fileDone() { try commit() }
        return result
    }

    /// Commits the files imported so far.
    func commit() throws {
        guard clock.started != nil else { return }
        clock.reset()
        try session.query("COMMIT")
    }
}

/// A batch that stores files one by one, each atomically: SQLite's ``ImportBatch`` or PostgreSQL's
/// ``PostgresImportBatch``.
public protocol FileBatch {
    /// Imports one file whose reviews `read` hands on one by one.
    func importFile(_ stored: StoredFile, replace: Bool, read: @escaping AuditStore.Reading) throws
        -> (file: ReturnedFile, outcome: ImportOutcome)
}

extension ImportBatch: FileBatch {}
extension PostgresImportBatch: FileBatch {}

/// What commands other than the import write to a store, on either back end: settings and kept catalogues.
public protocol StoreWriting: AnyObject {
    /// Stores `value` for `setting` (nil removes it, so the default applies again).
    func set(_ setting: AuditStore.Setting, to value: String?) throws
    /// Keeps `catalogue` in the store, replacing an earlier one with the same id.
    func keep(_ catalogue: Catalogue) throws
}

extension AuditStore: StoreWriting {}
extension PostgresStore: StoreWriting {}

extension AuditStore {
    /// Opens the store at `location` for writing, made or brought up to date as needed.
    public static func openWriting(_ location: StoreLocation) throws -> any StoreWriting {
        switch location {
        case .sqlite(let path): try AuditStore(path: path)
        case .postgres(let database): try PostgresStore(database)
        }
    }
}
