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

/// `kill -9` during an import never leaves a file half stored.
@Suite struct CrashTests {
    static let fileCount = 200
    static let answersPerFile = 44

    /// Opens the store as a new process would and checks integrity and all-or-nothing files.
    static func checkConsistent(_ db: String, files: [String]) throws -> Int {
        guard FileManager.default.fileExists(atPath: db) else { return 0 }
        let queue = try DatabaseQueue(path: db)
        return try queue.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'file')") == true
            else { return 0 }
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            let stored = try Row.fetchAll(db, sql: """
                SELECT f.path, f.reviews, f.answers, count(DISTINCT r.id), count(a.question), min(c.number)
                FROM file f LEFT JOIN review r ON r.file_id = f.id LEFT JOIN answer a ON a.review_id = r.id
                LEFT JOIN audit_case c ON c.id = r.case_id GROUP BY f.id
                """)
            for row in stored {
                let path: String = row[0]
                let index = try #require(files.firstIndex(of: path))
                #expect(row[1] as Int == 1)
                #expect(row[2] as Int == answersPerFile)
                #expect(row[3] as Int == 1, "\(path)")
                #expect(row[4] as Int == answersPerFile, "\(path)")
                #expect(row[5] as String == "B-2025-" + String(format: "%05d", index + 1))
            }
            // No review or answer without its file.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM review") == stored.count)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM answer") == stored.count * answersPerFile)
            let counted = try Int.fetchOne(db, sql: """
                SELECT coalesce(sum(yes + no + not_applicable + unanswered + low + some + high), 0) FROM answer_count
                """)
            #expect(counted == stored.count * answersPerFile)
            return stored.count
        }
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

    @Test(.timeLimit(.minutes(3))) func importKilledAtRandomPointsTwentyTimes() throws {
        let directory = try TemporaryDirectory("crash")
        defer { directory.cleanUp() }
        let catalogue = try CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas"))
            .load("kk-2025")
        let folder = directory.path("files")
        _ = try BenchmarkWorkbooks.write(count: Self.fileCount, catalogue: catalogue, seed: 11, to: folder)
        let files = try ReturnedFiles.collect([folder])
        #expect(files.count == Self.fileCount)
        let db = directory.path("tilsyn.sqlite")
        var rng = SplitMix64(seed: 20)
        var killedMidway = 0
        for round in 0..<20 {
            // Start afresh every fifth run, so kills keep landing in the middle of an import.
            if round % 5 == 0 {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            }
            // Killed after a file chosen at random: the import pauses there (a test hook), before the batch holding
            // that file is committed, whatever the machine's speed.
            let pauseAfter = 1 + rng.next(below: Self.fileCount - 1)
            try Self.killPaused(["import", folder, "--db", db], after: pauseAfter)
            killedMidway += 1
            let stored = try Self.checkConsistent(db, files: files)
            #expect(stored <= Self.fileCount)
        }
        #expect(killedMidway == 20)
        let last = try runTilsyn(["import", folder, "--db", db])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try Self.checkConsistent(db, files: files) == Self.fileCount)
    }

    @Test(.timeLimit(.minutes(3))) func twoConcurrentImportsKilledAtRandomPointsTwentyTimes() throws {
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
        let db = directory.path("tilsyn.sqlite")
        var rng = SplitMix64(seed: 21)
        var killedMidway = 0
        for round in 0..<20 {
            if round % 5 == 0 {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            }
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
        let last = try runTilsyn(["import", folder, "--db", db])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try Self.checkConsistent(db, files: files) == Self.fileCount)
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
