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
