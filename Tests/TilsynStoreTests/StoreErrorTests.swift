import Foundation
import GRDB
import Testing
import TilsynAudit
import TilsynStore
import TilsynTestSupport

/// SQLite's failures as `StoreError`s that say what happened and what to do, name the store and leave it as it was.
/// The CLI tests (`StoreSafetyTests`) cover read-only stores and full disks through `tilsyn import`.
@Suite struct StoreErrorTests {
    static func answers(_ number: String) -> String {
        AuditStoreTests.header + AuditStoreTests.row(number, "U.1", "Ja") + AuditStoreTests.row(number, "U.2", "Nej")
    }

    @Test("a write lock held longer than the busy timeout: StoreError.busy, nothing written, then it works")
    func busyTimeoutExceeded() throws {
        let directory = try TemporaryDirectory("busy")
        defer { directory.cleanUp() }
        let path = directory.path("tilsyn.sqlite")
        let store = try AuditStore(path: path, busyTimeout: 0.2)
        #expect(store.busyTimeout == 0.2)
        try store.register(AuditStoreTests.catalogues)
        let first = AuditStoreTests.file(Self.answers("B-2025-00001"), name: "first.csv")
        #expect(try store.importFile(first, replace: false).status == .imported)
        let before = try store.totals()

        // Another connection (as another process would) holds the write lock.
        let holder = try DatabaseQueue(path: path)
        let second = AuditStoreTests.file(Self.answers("B-2025-00002"), name: "second.csv")
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            let error = try #require(throws: StoreError.self) { try store.importFile(second, replace: false) }
            #expect(error.code == .busy)
            #expect(error.path == path)
            #expect(error.description.hasPrefix("\(path): the store is locked by another process"))
            #expect(error.message.contains("importing second.csv failed and was undone"))
            #expect(error.message.contains("Run the import again"))
            #expect(!error.message.contains("B-2025"))
            let registering = try #require(throws: StoreError.self) { try store.register(AuditStoreTests.catalogues) }
            #expect(registering.code == .busy)
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try store.totals() == before)
        #expect(try store.importFile(second, replace: false).status == .imported)
        #expect(try store.totals().files == before.files + 1)
    }

    @Test("a file that is not a store, and a store in a folder that does not exist: StoreError.cannotOpen")
    func cannotOpen() throws {
        let directory = try TemporaryDirectory("cannot-open")
        defer { directory.cleanUp() }
        let notADatabase = directory.path("notes.sqlite")
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: notADatabase))
        let damaged = try #require(throws: StoreError.self) { try AuditStore(path: notADatabase) }
        #expect(damaged.code == .cannotOpen)
        #expect(damaged.description.hasPrefix("\(notADatabase): the file is not a Tilsyn store or is damaged"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: notADatabase)) == Data(repeating: 0x41, count: 8192))

        let missing = directory.path("no-such-folder/tilsyn.sqlite")
        let error = try #require(throws: StoreError.self) { try AuditStore(path: missing) }
        #expect(error.code == .cannotOpen)
        #expect(error.message.contains("its folder does not exist"))
    }

    @Test("SQLite's codes map to their own StoreError codes and advice")
    func mapping() {
        let cases: [(ResultCode, StoreError.Code, String)] = [
            (.SQLITE_READONLY, .readOnly, "the store is read-only"),
            (.SQLITE_FULL, .diskFull, "the disk is full"),
            (.SQLITE_IOERR_SHMSIZE, .diskFull, "the disk is full"),
            (.SQLITE_BUSY, .busy, "more than 30 s"),
            (.SQLITE_CANTOPEN, .cannotOpen, "cannot be opened"),
            (.SQLITE_NOTADB, .cannotOpen, "not a Tilsyn store"),
            (.SQLITE_IOERR_WRITE, .writeFailed, "a disk error"),
            (.SQLITE_CONSTRAINT, .writeFailed, "failed and was undone"),
        ]
        for (code, expected, text) in cases {
            let error = StoreError(
                DatabaseError(resultCode: code, message: "m", sql: "INSERT INTO audit_case VALUES (?)",
                              arguments: ["B-2025-00001"]),
                path: "/x/tilsyn.sqlite", action: "importing a.csv", busyTimeout: 30)
            #expect(error.code == expected, "\(code)")
            #expect(error.message.contains(text), "\(code): \(error.message)")
            #expect(error.description.hasPrefix("/x/tilsyn.sqlite: "))
            #expect(!error.message.contains("B-2025") && !error.message.contains("INSERT"), "\(error.message)")
            // The library says what is wrong and what to do, in words; the command-line tool adds its flags.
            #expect(!error.message.contains("--"), "\(code): \(error.message)")
        }
    }
}
