public import Foundation
public import GRDB
public import TilsynAudit

/// The audit store: every accepted review and answer, with provenance, in one SQLite file.
///
/// Opened as a GRDB `DatabasePool` in WAL mode with `synchronous = NORMAL`: a commit survives the process being
/// killed (`kill -9`), and readers never block the writer. Each returned file is imported in one `IMMEDIATE`
/// transaction, so the store holds every file wholly or not at all; a busy timeout lets several imports run at
/// once. The schema is created and upgraded by `AuditStore.migrator`; see `Schema.md` in the DocC catalogue.
public final class AuditStore: Sendable {
    /// The embedded default: `tilsyn.sqlite` in the working directory.
    public static let defaultFileName = "tilsyn.sqlite"

    /// How long a writer waits for another process's import to commit.
    public static let busyTimeout: TimeInterval = 30

    public let path: String
    /// The database, for queries (analysis) and tests.
    public let database: any DatabaseWriter

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(AuditStore.busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try AuditStore.migrator.migrate(pool)
            database = pool
        } catch let error as DatabaseError {
            throw StoreError(.cannotOpen, "the store cannot be opened: \(error.message ?? "SQLite error")", path: path)
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
            let complete = try queue.read { try migrator.hasCompletedMigrations($0) }
            guard complete else {
                throw StoreError(.outdated, "the store's schema is older than this program's; run 'tilsyn import' "
                    + "once to upgrade it", path: path)
            }
            return queue
        } catch let error as DatabaseError {
            throw StoreError(.cannotOpen, "the store cannot be opened: \(error.message ?? "SQLite error")", path: path)
        }
    }

    /// Totals over the whole store.
    public struct Totals: Sendable, Equatable {
        public var files: Int
        public var reviews: Int
        public var answers: Int

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
        try database.read { db in Set(try String.fetchAll(db, sql: "SELECT sha256 FROM file")) }
    }

    /// Records the catalogues' questions, steps and themes (for grouping answers by step and theme).
    public func register(_ catalogues: CatalogueSet) throws {
        try database.write { db in
            for catalogue in catalogues.byID.values.sorted(by: { $0.id < $1.id }) {
                try AuditStore.register(catalogue, in: db)
            }
        }
    }

    static func register(_ catalogue: Catalogue, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO catalogue(id, version, title) VALUES (?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET version = excluded.version, title = excluded.title
                """, arguments: [catalogue.id, catalogue.version, catalogue.title])
        for (position, step) in catalogue.steps.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO catalogue_step(catalogue, step, name, position) VALUES (?, ?, ?, ?)
                    ON CONFLICT DO UPDATE SET name = excluded.name, position = excluded.position
                    """, arguments: [catalogue.id, step.id, step.name, position])
        }
        for (position, theme) in catalogue.themes.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO catalogue_theme(catalogue, theme, name, position) VALUES (?, ?, ?, ?)
                    ON CONFLICT DO UPDATE SET name = excluded.name, position = excluded.position
                    """, arguments: [catalogue.id, theme.id, theme.name, position])
        }
        for (position, question) in catalogue.allQuestions.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO catalogue_question(catalogue, question, step, type, text, position)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO UPDATE SET step = excluded.step, type = excluded.type, text = excluded.text,
                        position = excluded.position
                    """, arguments: [catalogue.id, question.id, question.step, question.type, question.text, position])
            try db.execute(
                sql: "DELETE FROM question_theme WHERE catalogue = ? AND question = ?",
                arguments: [catalogue.id, question.id])
            for theme in question.themes {
                try db.execute(
                    sql: "INSERT INTO question_theme(catalogue, question, theme) VALUES (?, ?, ?)",
                    arguments: [catalogue.id, question.id, theme])
            }
        }
        try registerRenames(catalogue, in: db)
    }
}

/// An error opening or writing the store; the message never holds bound values (case numbers, remarks).
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
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
    }

    public var code: Code
    public var message: String
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// `<path>: <message>`.
    public var description: String { (path.map { "\($0): " } ?? "") + message }
}
