import GRDB
import Testing
import TilsynAudit
import TilsynStore
import TilsynTestSupport

/// Files imported in one batch: each under its own savepoint, wholly present or wholly absent (on SQLite and on
/// PostgreSQL).
@Suite struct ImportBatchTests {
    struct Stop: Error {}

    static func paths(_ store: BackendStore) throws -> [String] {
        try store.rows("SELECT path FROM file ORDER BY id").map { $0.string(0) }
    }

    @Test(arguments: Backend.available)
    func aRejectedFileInABatchLeavesNothingAndTheOthersStay(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        let header = AuditStoreTests.header
        let first = AuditStoreTests.file(
            header + AuditStoreTests.row("A-1", "U.1", "Ja") + AuditStoreTests.row("A-1", "U.1", "Ja", level: 2),
            name: "a.csv")
        // The same review with another answer, without replace: rejected by the store, after its file row and
        // (for the other review) answers could have been written.
        let clash = AuditStoreTests.file(
            header + AuditStoreTests.row("B-1", "U.1", "Nej") + AuditStoreTests.row("A-1", "U.1", "Nej"),
            name: "b.csv")
        let third = AuditStoreTests.file(header + AuditStoreTests.row("C-1", "U.2", "Nej"), name: "c.csv")
        let statuses = try store.withImportBatch(maxFiles: 10) { importFile in
            try [first, clash, third].map { try importFile($0, false).status }
        }
        #expect(statuses == [.imported, .rejected, .imported])
        #expect(try Self.paths(store) == ["a.csv", "c.csv"])
        #expect(try store.totals() == AuditStore.Totals(files: 2, reviews: 3, answers: 3))
        try AuditStoreTests.expectCountsMatchAnswers(store)
        #expect(try LevelPairCountTests.kept(store) == LevelPairCountTests.recomputed(store))
    }

    @Test(arguments: Backend.available)
    func filesBeforeAnErrorAreCommitted(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        let file = AuditStoreTests.file(AuditStoreTests.header + AuditStoreTests.row("A-1", "U.1", "Ja"))
        #expect(throws: Stop.self) {
            try store.withImportBatch { importFile in
                _ = try importFile(file, false)
                throw Stop()
            }
        }
        #expect(try store.totals().files == 1)
        // A batch committing after every file behaves the same.
        let more = AuditStoreTests.file(
            AuditStoreTests.header + AuditStoreTests.row("A-2", "U.1", "Nej"), name: "m.csv")
        let status = try store.withImportBatch(maxFiles: 1) { try $0(more, false).status }
        #expect(status == .imported)
        #expect(try store.totals().files == 2)
    }

    /// On SQLite a batch holds its files' kept counts back and writes them once before it commits; they stay exact
    /// whatever happens to the files after them: a file replacing a review an earlier file of the batch stored, and
    /// a file rolled back after the counts held back were written under its savepoint (before its replaced review's
    /// counts were taken out).
    @Test func countsHeldBackByABatchStayExactThroughReplacementsAndRollbacks() throws {
        let (store, directory) = try AuditStoreTests.makeStore()
        defer { directory.cleanUp() }
        func file(_ rows: String..., name: String) -> ReturnedFile {
            AuditStoreTests.file(AuditStoreTests.header + rows.joined(), name: name)
        }
        let row = { (number: String, question: String, answer: String) in
            AuditStoreTests.row(number, question, answer)
        }
        let first = file(
            row("A-1", "U.1", "Ja"), row("A-1", "T.1", "høj"),
            AuditStoreTests.row("B-1", "U.1", "Nej", unit: "Enhed Øst", measure: "46", reviewer: "CD"), name: "a.csv")
        let replacing = file(row("A-1", "U.1", "Nej"), row("A-1", "T.1", "lav"), name: "b.csv")
        let failing = file(row("C-1", "U.2", "Ja"), row("A-1", "U.1", "Ikke relevant"), name: "c.csv")
        let last = file(
            AuditStoreTests.row("D-1", "U.1", "Ja", level: 2, unit: "Enhed Øst", reviewer: "CD"), name: "d.csv")
        let outcomes = try store.withImportBatch(maxFiles: 10) { batch throws -> [ImportOutcome] in
            let stored = try batch.importFile(first, replace: false)
            let replaced = try batch.importFile(replacing, replace: true)
            // Replaces A-1 again (writing the counts held back under its savepoint), then fails: rolled back.
            #expect(throws: Stop.self) {
                try batch.importFile(StoredFile(failing), replace: true) { each in
                    for review in failing.reviews { try each(review) }
                    throw Stop()
                }
            }
            return [stored, replaced, try batch.importFile(last, replace: false)]
        }
        #expect(outcomes.map(\.status) == [.imported, .imported, .imported])
        #expect(outcomes[1].reviewsReplaced == 1)
        #expect(try Self.paths(BackendStore(store)) == ["a.csv", "b.csv", "d.csv"])
        #expect(try store.totals() == AuditStore.Totals(files: 3, reviews: 3, answers: 4))
        try AuditStoreTests.expectCountsMatchAnswers(store)
        #expect(try LevelPairCountTests.kept(BackendStore(store)) == LevelPairCountTests.recomputed(BackendStore(store)))
    }

    @Test("an import batch keeps SQLite's statement journals in memory only while it imports")
    func theBatchRestoresTheTemporaryStore() throws {
        let (store, directory) = try AuditStoreTests.makeStore()
        defer { directory.cleanUp() }
        let file = AuditStoreTests.file(AuditStoreTests.header + AuditStoreTests.row("A-1", "U.1", "Ja"))
        let status = try store.withImportBatch { try $0.importFile(file, replace: false).status }
        #expect(status == .imported)
        // 0: the default (a file, as SQLite was built), for the large sorts of other writes on the connection.
        #expect(try store.database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA temp_store") } == 0)
    }
}
