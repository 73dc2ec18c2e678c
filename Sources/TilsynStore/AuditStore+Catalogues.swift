public import TilsynAudit
internal import Foundation
internal import GRDB

extension AuditStore {
    /// Keeps `catalogue` (validated) in the store as its canonical JSON, replacing an earlier one with the same id;
    /// `CatalogueStore.locate(stored:)` then offers it before the shipped catalogues.
    public func keep(_ catalogue: Catalogue) throws {
        try mapErrors("keeping the catalogue \(catalogue.id)") {
            try database.write { db in try AuditStore.keep(catalogue, in: GRDBRunner(db: db)) }
        }
    }

    /// Keeps `catalogue` through `sql`, in the caller's writing transaction.
    static func keep(_ catalogue: Catalogue, in sql: any SQLRunner) throws {
        try sql.run(
            """
            INSERT INTO catalogue_source(id, version, json, imported_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET version = excluded.version, json = excluded.json,
                imported_at = excluded.imported_at
            """,
            [.text(catalogue.id), .text(catalogue.version), .text(catalogue.canonicalJSON()),
             .text(AuditStore.timestamp())])
    }

    /// The catalogues kept in the store at `location` (id and JSON): an SQLite file (see
    /// ``keptCatalogues(path:)``) or a PostgreSQL database, none when it holds no store yet.
    public static func keptCatalogues(_ location: StoreLocation) throws -> [(id: String, json: String)] {
        switch location {
        case .sqlite(let path):
            return try keptCatalogues(path: path)
        case .postgres:
            guard let store = try openReadingIfPresent(location) else { return [] }
            return try store.read { sql in
                try sql.rows("SELECT id, json FROM catalogue_source ORDER BY id", [])
                    .map { ($0.string(0), $0.string(1)) }
            }
        }
    }

    /// The catalogues kept in the store at `path` (id and JSON); none when there is no store there, or when it is
    /// older than the table that keeps them (the next import upgrades it).
    public static func keptCatalogues(path: String) throws -> [(id: String, json: String)] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db in
                guard try db.tableExists("catalogue_source") else { return [] }
                return try Row.fetchAll(db, sql: "SELECT id, json FROM catalogue_source ORDER BY id")
                    .map { ($0[0], $0[1]) }
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path, action: "reading the catalogues kept in the store",
                             busyTimeout: busyTimeout)
        }
    }
}
