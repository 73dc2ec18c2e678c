public import TilsynAudit
internal import Foundation
internal import GRDB

/// Imports files in batches of transactions, one savepoint per file; see `AuditStore.withImportBatch`.
public final class ImportBatch {
    private let db: Database
    private let path: String
    private let busyTimeout: TimeInterval
    private var clock: BatchClock
    /// The files stored in the uncommitted transaction, to write again one by one if it cannot be committed.
    private var pending: [Pending] = []
    /// The catalogues' groups and the prepared statements the batch's files share.
    private let shared = ImportShared()

    init(db: Database, path: String, busyTimeout: TimeInterval, maxFiles: Int, maxSeconds: Double) {
        self.db = db
        self.path = path
        self.busyTimeout = busyTimeout
        clock = BatchClock(maxFiles: maxFiles, maxSeconds: maxSeconds)
        shared.heldCounts = HeldCounts()
    }

    /// A file stored in the uncommitted transaction, and how to read it again.
    private struct Pending {
        var stored: StoredFile
        var replace: Bool
        var read: AuditStore.Reading
    }

    /// Imports one file atomically, as `AuditStore.importFile(_:replace:)` does, under a savepoint of the batch.
    public func importFile(_ file: ReturnedFile, replace: Bool) throws -> ImportOutcome {
        guard !file.isRejected else { return .rejected }
        return try importFile(StoredFile(file), replace: replace, read: AuditStore.held(file)).outcome
    }

    /// Imports one file atomically under a savepoint of the batch, storing each review as `read` hands it on
    /// (see `ReturnedFileReader.read(_:catalogues:options:holding:each:)` in TilsynAudit): the file is never
    /// held whole. A file found rejected when `read` returns is rolled back. `read` is called once, and again only
    /// if the batch cannot be committed and its files are written again one by one.
    public func importFile(
        _ stored: StoredFile, replace: Bool, read: @escaping AuditStore.Reading
    ) throws -> (file: ReturnedFile, outcome: ImportOutcome) {
        var result: (file: ReturnedFile, outcome: ImportOutcome)?
        let pending = Pending(stored: stored, replace: replace, read: read)
        do {
            if clock.started == nil {
                try db.beginTransaction(.immediate)
                clock.begin()
            }
            do {
                try db.inSavepoint {
                    let outcome = try AuditStore.importFile(
                        stored, replace: replace, in: db, shared: shared, read: read)
                    result = outcome
                    return outcome.outcome.status == .imported ? .commit : .rollback
                }
            } catch {
                shared.heldCounts?.fileRolledBack()
                throw error
            }
        } catch let error as DatabaseError {
            // The savepoint is rolled back already: the batch is written again file by file, this one last.
            return try recover(error, failing: pending)
        }
        guard let result else { preconditionFailure("a savepoint that did not throw ran its body") }
        if result.outcome.status == .imported {
            self.pending.append(pending)
            shared.heldCounts?.fileStored()
        } else {
            shared.heldCounts?.fileRolledBack()
        }
        if clock.fileDone() || shared.heldCounts?.isLarge == true { try commit() }
        return result
    }

    /// Commits the files imported since the last commit.
    func commit() throws {
        guard clock.started != nil else { return }
        do {
            if db.isInsideTransaction {
                try shared.writeHeldCounts(db)
                try db.commit()
            }
        } catch let error as DatabaseError {
            if pending.isEmpty {
                if db.isInsideTransaction { try? db.rollback() }
            } else {
                try recover(error, failing: nil)
            }
        }
        clock.reset()
        pending.removeAll()
        // Written and committed, or gone with the transaction.
        shared.heldCounts = HeldCounts()
    }

    /// After a write or commit failed with `error`: rolls the batch back and writes its files (and `failing`) again,
    /// each in its own transaction, up to the first that fails, whose error is thrown. Returns the outcome of the
    /// last file written (`failing`, when given).
    @discardableResult
    private func recover(
        _ error: DatabaseError, failing: Pending?
    ) throws -> (file: ReturnedFile, outcome: ImportOutcome) {
        if db.isInsideTransaction { try? db.rollback() }
        let replay = pending + (failing.map { [$0] } ?? [])
        clock.reset()
        pending.removeAll()
        // Rolled back with the batch; each file written again below adds its own counts in its own transaction.
        shared.heldCounts = nil
        defer { shared.heldCounts = HeldCounts() }
        var last: (file: ReturnedFile, outcome: ImportOutcome)?
        for file in replay {
            do {
                try db.inTransaction(.immediate) {
                    let outcome = try AuditStore.importFile(
                        file.stored, replace: file.replace, in: db, shared: shared, read: file.read)
                    last = outcome
                    return outcome.outcome.status == .imported ? .commit : .rollback
                }
            } catch let error as DatabaseError {
                throw StoreError(error, path: path, action: "importing \(file.stored.path)", busyTimeout: busyTimeout)
            }
        }
        guard let last else {
            throw StoreError(error, path: path, action: "importing the files", busyTimeout: busyTimeout)
        }
        return last
    }
}

/// Runs `body`, then `commit`s the files stored, also when `body` throws (the files before the error are kept).
func committing<T>(_ commit: () throws -> Void, _ body: () throws -> T) throws -> T {
    let result: T
    do {
        result = try body()
    } catch {
        try commit()
        throw error
    }
    try commit()
    return result
}

/// When an import batch commits: after `maxFiles` files or `maxSeconds` seconds from its first file.
struct BatchClock {
    let maxFiles: Int
    let maxSeconds: Double
    private var files = 0
    /// When the batch's transaction began; nil between batches.
    private(set) var started: ContinuousClock.Instant?

    init(maxFiles: Int, maxSeconds: Double) {
        self.maxFiles = max(1, maxFiles)
        self.maxSeconds = maxSeconds
    }

    /// Marks the batch's transaction begun.
    mutating func begin() { started = .now }

    /// Counts one file done; whether the batch is due to commit.
    mutating func fileDone() -> Bool {
        files += 1
        guard let started else { return false }
        return files >= maxFiles || ContinuousClock.now - started >= .seconds(maxSeconds)
    }

    /// Starts counting again (after a commit or a rollback).
    mutating func reset() {
        started = nil
        files = 0
    }
}
