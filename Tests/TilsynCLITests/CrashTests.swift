import Foundation
import GRDB
import Synchronization
import Testing
import TilsynAudit
import TilsynSamples
import TilsynTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` during an import never leaves a file half stored, in SQLite or in PostgreSQL. The time limits guard
/// against a hang (a write lock never released after a kill), not speed: under CI each back end's twenty rounds share
/// two cores with the rest of the suite.
@Suite struct CrashTests {
    static let fileCount = 200
    static let answersPerFile = 44

    /// Checks the store's integrity (SQLite's own check; a PostgreSQL server's transactions are its own) and that
    /// every file is stored whole or not at all; returns the files stored.
    static func checkConsistent(_ db: String, files: [String]) throws -> Int {
        let postgres = db.hasPrefix("postgres://")
        if !postgres {
            guard FileManager.default.fileExists(atPath: db) else { return 0 }
            #expect(try storeRows(db, "PRAGMA integrity_check") == [["ok"]])
        }
        let exists = postgres
            ? "SELECT count(*) FROM pg_tables WHERE tablename = 'file'"
            : "SELECT count(*) FROM sqlite_master WHERE name = 'file'"
        guard try storeRows(db, exists) == [["1"]] else { return 0 }
        let stored = try storeRows(db, """
            SELECT f.path, f.reviews, f.answers, count(DISTINCT r.id), count(a.question), min(c.number)
            FROM file f LEFT JOIN review r ON r.file_id = f.id LEFT JOIN answer a ON a.review_id = r.id
            LEFT JOIN audit_case c ON c.id = r.case_id GROUP BY f.id, f.path, f.reviews, f.answers
            """)
        for row in stored {
            let index = try #require(files.firstIndex(of: row[0]))
            #expect(row[1...4].map { Int($0) } == [1, answersPerFile, 1, answersPerFile], "\(row[0])")
            #expect(row[5] == "B-2025-" + String(format: "%05d", index + 1))
        }
        // No review or answer without its file, and the kept counts add up to the answers.
        #expect(try storeRows(db, """
            SELECT (SELECT count(*) FROM review), (SELECT count(*) FROM answer),
                (SELECT coalesce(sum(yes + no + not_applicable + unanswered + low + "some" + high), 0)
                FROM answer_count)
            """) == [[stored.count, stored.count * answersPerFile, stored.count * answersPerFile].map(String.init)])
        return stored.count
    }

    /// Runs `tilsyn` with the import pausing after `after` files, waits until it says so, and kills it.
    static func killPaused(_ arguments: [String], after: Int) throws {
        let run = try PausingImport(arguments, after: after)
        while !run.hasPaused, run.process.isRunning { usleep(5_000) }
        #expect(run.hasPaused, "the import ended before file \(after): \(run.said.suffix(300))")
        kill(run.process.processIdentifier, SIGKILL)
        run.process.waitUntilExit()
        #expect(run.process.terminationReason == .uncaughtSignal)
    }

    @Test(.timeLimit(.minutes(6)), arguments: Backend.available)
    func importKilledAtRandomPointsTwentyTimes(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("crash")
        defer { directory.cleanUp() }
        let catalogue = try CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas"))
            .load("kk-2025")
        let folder = directory.path("files")
        _ = try BenchmarkWorkbooks.write(count: Self.fileCount, catalogue: catalogue, seed: 11, to: folder)
        let files = try ReturnedFiles.collect([folder])
        #expect(files.count == Self.fileCount)
        var store = try TestStore(backend, in: directory, name: "crash")
        defer { store.drop() }
        var rng = SplitMix64(seed: 20)
        var killedMidway = 0
        for round in 0..<20 {
            // Start afresh every fifth run, so kills keep landing in the middle of an import.
            if round % 5 == 0 { store = try Self.afresh(store, backend, in: directory) }
            let db = store.db
            // Killed after a file chosen at random: the import pauses there (a test hook), before the batch holding
            // that file is committed, whatever the machine's speed.
            let pauseAfter = 1 + rng.next(below: Self.fileCount - 1)
            try Self.killPaused(["import", folder, "--db", db], after: pauseAfter)
            killedMidway += 1
            let stored = try Self.checkConsistent(db, files: files)
            #expect(stored <= Self.fileCount)
        }
        #expect(killedMidway == 20)
        let last = try runTilsyn(["import", folder, "--db", store.db])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try Self.checkConsistent(store.db, files: files) == Self.fileCount)
    }

    /// An empty store in place of `store`: its SQLite files removed, or a new PostgreSQL database.
    static func afresh(_ store: TestStore, _ backend: Backend, in directory: TemporaryDirectory) throws -> TestStore {
        store.drop()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.db + suffix) }
        return backend == .sqlite ? store : try TestStore(backend, in: directory, name: "crash")
    }

    @Test(.timeLimit(.minutes(6)), arguments: Backend.available)
    func twoConcurrentImportsKilledAtRandomPointsTwentyTimes(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("crash-two")
        defer { directory.cleanUp() }
        let catalogue = try CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas"))
            .load("kk-2025")
        let folder = directory.path("files")
        _ = try BenchmarkWorkbooks.write(count: Self.fileCount, catalogue: catalogue, seed: 11, to: folder)
        let files = try ReturnedFiles.collect([folder])
        #expect(files.count == Self.fileCount)
        // Two overlapping halves: the middle third is imported by both.
        let halves = [Array(files[0..<(Self.fileCount * 2 / 3)]), Array(files[(Self.fileCount / 3)...])]
        var store = try TestStore(backend, in: directory, name: "crash")
        defer { store.drop() }
        var rng = SplitMix64(seed: 21)
        var killedMidway = 0
        for round in 0..<20 {
            if round % 5 == 0 { store = try Self.afresh(store, backend, in: directory) }
            let db = store.db
            // Each pauses after a file of its own chosen at random (a test hook: it stops before that file's batch
            // commits, holding the write lock, while the other waits for it) and is killed there.
            let imports = try halves.map { half in
                try PausingImport(["import"] + half + ["--db", db], after: 1 + rng.next(below: half.count - 1))
            }
            var running = imports
            let deadline = Date().addingTimeInterval(120)
            while !running.isEmpty, Date() < deadline {
                for run in running where run.hasPaused {
                    kill(run.process.processIdentifier, SIGKILL)
                    run.process.waitUntilExit()
                    #expect(run.process.terminationReason == .uncaughtSignal)
                    killedMidway += 1
                }
                running.removeAll { !$0.process.isRunning }
                usleep(5_000)
            }
            for run in imports {
                #expect(run.hasPaused, "an import ended before its pause: \(run.said.suffix(300))")
                if run.process.isRunning { kill(run.process.processIdentifier, SIGKILL) }
                run.process.waitUntilExit()
            }
            let stored = try Self.checkConsistent(db, files: files)
            #expect(stored <= Self.fileCount)
        }
        #expect(killedMidway == 40)
        let last = try runTilsyn(["import", folder, "--db", store.db])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try Self.checkConsistent(store.db, files: files) == Self.fileCount)
    }
}

/// A `tilsyn` run with the import's pause hook (`TILSYN_TEST_PAUSE_AFTER_FILES`), whose standard error is collected
/// as it comes.
final class PausingImport: Sendable {
    let process: Process
    private final class Text: Sendable { let value = Mutex("") }
    private let errors = Text()

    init(_ arguments: [String], after: Int) throws {
        process = Process()
        process.executableURL = TestPaths.tilsynExecutable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["TILSYN_TEST_PAUSE_AFTER_FILES": String(after)]) { $1 }
        let pipe = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [errors] handle in
            let data = handle.availableData
            errors.value.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    /// What it wrote on standard error so far.
    var said: String { errors.value.withLock { $0 } }
    /// Whether it has stopped at its pause.
    var hasPaused: Bool { said.contains("paused") }
}
