import Foundation
import Testing
import TilsynAnalysis
import TilsynAudit
import TilsynTestSupport

@testable import TilsynStore

/// A fresh store on either back end for the store's tests, with what they ask of it: importing one read file (as
/// `tilsyn import` does, in its own batch), the totals, and SQL to look inside.
final class BackendStore {
    let backend: Backend
    /// The SQLite store (nil on PostgreSQL).
    private(set) var sqlite: AuditStore?
    private var postgres: PostgresStore?
    private var made: TestStore?
    private let reading: any StoreReading

    init(_ backend: Backend, in directory: TemporaryDirectory, catalogues: CatalogueSet) throws {
        self.backend = backend
        let made = try TestStore(backend, in: directory, name: "tilsyn")
        self.made = made
        switch try StoreLocation(made.db) {
        case .sqlite(let path):
            let store = try AuditStore(path: path)
            try store.register(catalogues)
            sqlite = store
            reading = store.reading
        case .postgres(let location):
            let store = try PostgresStore(location)
            try store.register(catalogues)
            postgres = store
            reading = try store.reading()
        }
    }

    /// An SQLite store another test made.
    init(_ store: AuditStore) {
        backend = .sqlite
        sqlite = store
        reading = store.reading
    }

    deinit {
        postgres = nil
        made?.drop()
    }

    /// Imports `file` atomically, as the importer hands a file read to the store.
    func importFile(_ file: ReturnedFile, replace: Bool) throws -> ImportOutcome {
        if let sqlite { return try sqlite.importFile(file, replace: replace) }
        guard !file.isRejected, let postgres else { return .rejected }
        return try postgres.withImportBatch { batch in
            try batch.importFile(StoredFile(file), replace: replace, read: AuditStore.held(file)).outcome
        }
    }

    /// Runs `body` with a batch of the back end (see `AuditStore.withImportBatch`): `body` imports a read file
    /// under its own savepoint with the function it is given.
    func withImportBatch<T>(
        maxFiles: Int = 64, _ body: (_ importFile: (ReturnedFile, Bool) throws -> ImportOutcome) throws -> T
    ) throws -> T {
        func run(_ batch: some FileBatch) throws -> T {
            try body { file, replace in
                guard !file.isRejected else { return .rejected }
                return try batch.importFile(StoredFile(file), replace: replace, read: AuditStore.held(file)).outcome
            }
        }
        if let sqlite { return try sqlite.withImportBatch(maxFiles: maxFiles) { try run($0) } }
        guard let postgres else { throw TestPostgresMissing() }
        return try postgres.withImportBatch(maxFiles: maxFiles) { try run($0) }
    }

    /// Imports `paths` with `importer`, as `tilsyn import` does.
    func run(_ importer: Importer, paths: [String]) throws -> ImportSummary {
        if let sqlite { return try importer.run(paths: paths, store: sqlite) }
        guard let postgres else { throw TestPostgresMissing() }
        return try importer.run(paths: paths, store: postgres)
    }

    /// Validates `paths` with `importer` against this store, as `tilsyn validate --db` does.
    func validate(_ importer: Importer, paths: [String]) throws -> ImportSummary {
        try importer.validate(paths: paths, store: reading)
    }

    /// The store as analysis reads it.
    var reader: StoreReader { StoreReader(reading) }

    /// The rows of `sql`, in one read transaction.
    func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        try reading.read { try $0.rows(sql, values) }
    }

    /// Files, reviews and answers stored.
    func totals() throws -> AuditStore.Totals {
        let row = try rows(
            "SELECT (SELECT count(*) FROM file), (SELECT count(*) FROM review), (SELECT count(*) FROM answer)")
        return AuditStore.Totals(files: row[0].int(0), reviews: row[0].int(1), answers: row[0].int(2))
    }

    /// Whether a file with this content hash is stored.
    func containsFile(sha256: String) throws -> Bool {
        try !rows("SELECT 1 FROM file WHERE sha256 = ?", [.text(sha256)]).isEmpty
    }

    /// Records catalogues' questions, steps, themes and renames, as an import does.
    func register(_ catalogues: CatalogueSet) throws {
        if let sqlite { return try sqlite.register(catalogues) }
        try postgres?.register(catalogues)
    }

    /// Stores a setting, as `tilsyn config set` does.
    func set(_ setting: AuditStore.Setting, to value: String?) throws {
        if let sqlite { return try sqlite.set(setting, to: value) }
        try postgres?.set(setting, to: value)
    }

    /// The stored value of a setting.
    func value(of setting: AuditStore.Setting) throws -> String? {
        try reading.read { try AuditStore.value(of: setting, in: $0) }
    }

    /// Counts the kept case counts again from the answers, as an upgrade does.
    func rebuildCaseCounts() throws {
        if let sqlite { return try sqlite.rebuildCaseCounts() }
        try postgres?.write { try AuditStore.rebuildCaseCounts(in: $0) }
    }
}
