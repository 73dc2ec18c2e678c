public import Foundation
public import GRDB
public import TilsynAudit
#if canImport(Glibc)
internal import Glibc
#endif

/// The audit store: every accepted review and answer, with provenance, in one SQLite file.
///
/// Opened as a GRDB `DatabasePool` in WAL mode with `synchronous = NORMAL`: a commit survives the process being
/// killed (`kill -9`), and readers never block the writer. Returned files are imported in batches, each file under
/// its own savepoint inside the batch's `IMMEDIATE` transaction (``withImportBatch(maxFiles:maxSeconds:_:)``), so
/// the store holds every file wholly or not at all; a busy timeout lets several imports run at once. The schema is
/// created and upgraded by `AuditStore.migrator`, whose migrations are frozen once registered.
public final class AuditStore: Sendable {
    /// The embedded default: `tilsyn.sqlite` in the working directory.
    public static let defaultFileName = "tilsyn.sqlite"

    /// The store `--db` names when it is not given: `TILSYN_DB` (a file or a `postgres://` URL), else
    /// ``defaultFileName`` in the working directory.
    public static var defaultLocation: String {
        ProcessInfo.processInfo.environment["TILSYN_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultFileName
    }

    /// How long a writer waits for another process's import to commit.
    public static let busyTimeout: TimeInterval = 30

    /// The store's file.
    public let path: String
    /// How long a write waits for another process's transaction.
    public let busyTimeout: TimeInterval
    /// The database. Only this module writes to it; other modules of the package (tests) may reach it, and
    /// everything else reads through ``reader``.
    package let database: any DatabaseWriter

    /// The database for queries (analysis): reads only.
    public var reader: any DatabaseReader { database }

    /// Read access to the store, as analysis reads it on either back end.
    public var reading: any StoreReading { SQLiteReading(database: database) }

    /// Opens (creating if needed) the store at `path` and brings its schema up to date; `busyTimeout` is how long
    /// a write waits for another process's transaction before failing with ``StoreError/Code-swift.struct/busy``.
    public init(path: String, busyTimeout: TimeInterval = AuditStore.busyTimeout) throws {
        self.path = path
        self.busyTimeout = busyTimeout
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            database = try AuditStore.openPool(path: path, configuration: configuration, busyTimeout: busyTimeout)
        } catch let error as DatabaseError {
            throw StoreError(error, path: path, action: "opening the store", busyTimeout: busyTimeout)
        }
    }

    /// Opens the pool and migrates, again after a pause when SQLite answers `SQLITE_BUSY` at once instead of
    /// calling the busy handler: seen when two processes create a new store together (the locks taken while the
    /// file is set up and switched to WAL are not waited for). Opening and migrating are idempotent, so trying again
    /// is safe; the busy timeout bounds the whole.
    static func openPool(path: String, configuration: Configuration, busyTimeout: TimeInterval) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeout)
        var pause: UInt32 = 10_000
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try migrate(pool)
                try refreshCaseCounts(pool)
                return pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(pause + UInt32.random(in: 0..<pause))
                pause = min(pause * 2, 200_000)
            }
        }
    }

    /// Applies the migrations that are missing.
    ///
    /// Two processes opening a new store at once both find the migrations missing; each migration runs in its own
    /// `IMMEDIATE` transaction, so the second waits for the first and then fails on the tables it made. What the
    /// first applied is recorded with it, so running the migrator again (a few times at most, one per migration
    /// applied concurrently) completes the schema.
    static func migrate(_ pool: DatabasePool) throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try migrator.migrate(pool)
                return
            } catch let error as DatabaseError
                where [ResultCode.SQLITE_ERROR, .SQLITE_CONSTRAINT].contains(error.resultCode) && attempt < 5
            {
                if try pool.read({ try migrator.hasCompletedMigrations($0) }) { return }
            }
        }
    }

    /// Opens an existing store for reading, as analysis reads it on either back end.
    public static func openReading(path: String) throws -> any StoreReading {
        SQLiteReading(database: try openForReading(path: path))
    }

    /// Opens an existing store for reading: an SQLite file or a PostgreSQL database.
    public static func openReading(_ location: StoreLocation) throws -> any StoreReading {
        switch location {
        case .sqlite(let path): try openReading(path: path)
        case .postgres(let database): try PostgresReading(database)
        }
    }

    /// Opens the store at `location` for reading, or nil when none is made there yet (no file, or a database without
    /// Tilsyn's tables).
    public static func openReadingIfPresent(_ location: StoreLocation) throws -> (any StoreReading)? {
        do {
            return try openReading(location)
        } catch let error as StoreError where error.code == .notFound {
            return nil
        }
    }

    /// Opens an existing store for reading; throws when there is none or its schema is older than this program's.
    public static func openForReading(path: String) throws -> any DatabaseReader {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.notFound, "there is no store here; import files first with 'tilsyn import'", path: path)
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let complete = try queue.read { try migrator.hasCompletedMigrations($0) && caseCountsAreCurrent($0) }
            guard complete else {
                throw StoreError(.outdated, "the store's schema is older than this program's; run 'tilsyn import' "
                    + "once to upgrade it", path: path)
            }
            return queue
        } catch let error as DatabaseError {
            throw StoreError(error, path: path, action: "opening the store", busyTimeout: busyTimeout)
        }
    }

    /// Runs `body`, turning SQLite's errors into a ``StoreError`` that says what failed (`action`) and what to do.
    func mapErrors<T>(_ action: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StoreError(error, path: path, action: action, busyTimeout: busyTimeout)
        }
    }

    /// Totals over the whole store.
    public struct Totals: Sendable, Equatable {
        /// Files imported.
        public var files: Int
        /// Reviews stored (case × level × round).
        public var reviews: Int
        /// Answers stored.
        public var answers: Int

        /// Totals of files, reviews and answers.
        public init(files: Int, reviews: Int, answers: Int) {
            self.files = files
            self.reviews = reviews
            self.answers = answers
        }
    }

    /// The number of files, reviews and answers stored.
    public func totals() throws -> Totals {
        try database.read { db in
            Totals(
                files: try Int.fetchOne(db, sql: "SELECT count(*) FROM file") ?? 0,
                reviews: try Int.fetchOne(db, sql: "SELECT count(*) FROM review") ?? 0,
                answers: try Int.fetchOne(db, sql: "SELECT count(*) FROM answer") ?? 0)
        }
    }

    /// Whether a file with this content hash has been imported.
    public func containsFile(sha256: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM file WHERE sha256 = ?)", arguments: [sha256])
                ?? false
        }
    }

    /// The content hashes of every imported file.
    public func fileHashes() throws -> Set<String> {
        try mapErrors("reading the store") {
            try database.read { db in Set(try String.fetchAll(db, sql: "SELECT sha256 FROM file")) }
        }
    }

    /// Records the catalogues' questions, steps and themes (for grouping answers by step and theme).
    /// `IMMEDIATE`, like an import: the write lock is taken (or waited for) before anything is read.
    public func register(_ catalogues: CatalogueSet) throws {
        try mapErrors("recording the catalogues") {
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for catalogue in catalogues.byID.values.sorted(by: { $0.id < $1.id }) {
                        try AuditStore.register(catalogue, in: GRDBRunner(db: db))
                    }
                    return .commit
                }
            }
        }
    }

    /// Records `catalogue`'s steps, themes, questions and renames; when its questions moved to another sagsskridt
    /// or pejlemærke (or became temanedslag) while reviews of it are stored, the cases are counted anew.
    static func register(_ catalogue: Catalogue, in sql: any SQLRunner) throws {
        let before = try groupingFingerprint(of: catalogue.id, in: sql)
        try registerRows(catalogue, in: sql)
        if try groupingFingerprint(of: catalogue.id, in: sql) != before,
            try !sql.rows("SELECT 1 FROM review WHERE catalogue = ? LIMIT 1", [.text(catalogue.id)]).isEmpty
        {
            try rebuildCaseCounts(in: sql)
        }
    }

    private static func registerRows(_ catalogue: Catalogue, in sql: any SQLRunner) throws {
        try sql.run(
            """
            INSERT INTO catalogue(id, version, title, baseline_level) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET version = excluded.version, title = excluded.title,
                baseline_level = excluded.baseline_level
            """,
            [.text(catalogue.id), .text(catalogue.version), .text(catalogue.title),
             catalogue.baselineLevel.map(SQLValue.init) ?? .null])
        // One statement per table, each row a VALUES tuple: a round trip per statement costs on a server.
        let id = SQLValue.text(catalogue.id)
        func renaming(_ key: String) -> String {
            "ON CONFLICT (catalogue, \(key)) DO UPDATE SET name = excluded.name, position = excluded.position"
        }
        try sql.insert(
            into: "catalogue_step(catalogue, step, name, position)",
            catalogue.steps.enumerated().map { [id, .text($1.id), .text($1.name), SQLValue($0)] }, renaming("step"))
        try sql.insert(
            into: "catalogue_theme(catalogue, theme, name, position)",
            catalogue.themes.enumerated().map { [id, .text($1.id), .text($1.name), SQLValue($0)] }, renaming("theme"))
        let temanedslag = Set(catalogue.temanedslag?.questions.map(\.id) ?? [])
        let questions = catalogue.allQuestions
        try sql.insert(
            into: "catalogue_question(catalogue, question, step, type, text, position, temanedslag)",
            questions.enumerated().map { position, question in
                [
                    id, .text(question.id), .text(question.step), .text(question.type), .text(question.text),
                    SQLValue(position), SQLValue(temanedslag.contains(question.id) ? 1 : 0),
                ]
            },
            "ON CONFLICT (catalogue, question) DO UPDATE SET step = excluded.step, type = excluded.type, "
                + "text = excluded.text, position = excluded.position, temanedslag = excluded.temanedslag")
        if !questions.isEmpty {
            try sql.run(
                "DELETE FROM question_theme WHERE catalogue = ? AND question IN ("
                    + Array(repeating: "?", count: questions.count).joined(separator: ", ") + ")",
                [id] + questions.map { .text($0.id) })
        }
        try sql.insert(
            into: "question_theme(catalogue, question, theme)",
            questions.flatMap { question in question.themes.map { [id, .text(question.id), .text($0)] } })
        try registerRenames(catalogue, in: sql)
    }
}

/// An error opening or writing the store; the message never holds bound values (case numbers, remarks).
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name (`busy`).
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file is not a SQLite database, or cannot be created.
        public static let cannotOpen = Code("cannotOpen")
        /// There is no store at the path.
        public static let notFound = Code("notFound")
        /// The store was made by an older version and must be migrated by a writer.
        public static let outdated = Code("outdated")
        /// A write failed; the transaction was rolled back.
        public static let writeFailed = Code("writeFailed")
        /// The file, its folder or its file system cannot be written.
        public static let readOnly = Code("readOnly")
        /// The disk (or the file system holding the store) is full.
        public static let diskFull = Code("diskFull")
        /// Another process held the store's write lock for longer than the busy timeout.
        public static let busy = Code("busy")
        /// What the store holds forbids the change asked for.
        public static let conflict = Code("conflict")
        /// `--db` names no store Tilsyn can open: a database URL that cannot be read, or holds a password.
        public static let invalidLocation = Code("invalidLocation")
        /// The database server cannot be reached, refused the login, or failed a statement.
        public static let server = Code("server")
    }

    /// What kind of error it is.
    public var code: Code
    /// What went wrong and what to do, in words (no flags, no bound values).
    public var message: String
    /// The store's file, when the error concerns one.
    public var path: String?

    /// An error of kind `code` about the store at `path`.
    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// The error for SQLite's `error` while doing `action` (e.g. "importing FILE"): what happened and what to do.
    /// SQLite's own message is kept (it names no values); the SQL and its arguments are not.
    public init(_ error: DatabaseError, path: String, action: String, busyTimeout: TimeInterval) {
        let sqlite = "SQLite: " + (error.message ?? "error \(error.extendedResultCode.rawValue)")
        let untouched = action == "opening the store"
            ? "nothing was written; the store holds what it held before"
            : "\(action) failed and was undone; the store holds what it held before"
        switch error.resultCode {
        case .SQLITE_READONLY:
            self.init(.readOnly, "the store is read-only (\(sqlite)): \(untouched). Make the file, the folder it is "
                + "in and its -wal and -shm files writable, or use another store", path: path)
        case .SQLITE_FULL:
            self.init(.diskFull, "the disk is full (\(sqlite)): \(untouched). Free some space and run the import "
                + "again; files already imported are skipped", path: path)
        case .SQLITE_IOERR where error.extendedResultCode == .SQLITE_IOERR_SHMSIZE:
            // Growing the -shm file failed: on Linux, a full disk (or a full tmpfs).
            self.init(.diskFull, "the disk is full: the store's -shm file cannot grow (\(sqlite)): \(untouched). "
                + "Free some space and run the import again; files already imported are skipped", path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(.busy, "the store is locked by another process (another import?) and stayed locked for "
                + "more than \(Int(busyTimeout.rounded(.up))) s (\(sqlite)): \(untouched). Run the import again "
                + "when the other process has finished", path: path)
        case .SQLITE_CANTOPEN:
            // SQLite does not say why; the file system does.
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue {
                self.init(.cannotOpen, "the store cannot be opened (\(sqlite)): its folder does not exist; create "
                    + "it or use another store", path: path)
            } else if let reason = StoreError.unwritable(path: path, folder: folder) {
                self.init(.readOnly, "the store is read-only: \(reason) (\(sqlite)): \(untouched). Make the file, "
                    + "the folder it is in and its -wal and -shm files writable, or use another store",
                    path: path)
            } else {
                self.init(.cannotOpen, "the store cannot be opened (\(sqlite)): check that the folder and the file "
                    + "can be read and written", path: path)
            }
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            self.init(.cannotOpen, "the file is not a Tilsyn store or is damaged (\(sqlite)): use another store",
                path: path)
        case .SQLITE_IOERR:
            self.init(.writeFailed, "a disk error (\(sqlite)): \(untouched). Check the disk and its free space, "
                + "then run the import again", path: path)
        default:
            self.init(.writeFailed, "\(untouched) (\(sqlite))", path: path)
        }
    }

    /// Why the store at `path` cannot be written, or nil when it can.
    static func unwritable(path: String, folder: String) -> String? {
        for (item, name) in [(folder, "the folder it is in"), (path, "the file")]
        where FileManager.default.fileExists(atPath: item) && access(item, W_OK) != 0 {
            return errno == EROFS ? "it is on a read-only file system" : "\(name) cannot be written"
        }
        return nil
    }

    /// `<path>: <message>`.
    public var description: String { (path.map { "\($0): " } ?? "") + message }
}
