import Foundation
import GRDB
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
        let process = Process()
        process.executableURL = TestPaths.tilsynExecutable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["TILSYN_TEST_PAUSE_AFTER_FILES": String(after)]) { $1 }
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        var said = ""
        while !said.contains("paused") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }  // the process ended without pausing
            said += String(decoding: data, as: UTF8.self)
        }
        #expect(said.contains("paused"), "the import ended before file \(after): \(said.suffix(300))")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
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
            let processes = try halves.map { half in
                let process = Process()
                process.executableURL = TestPaths.tilsynExecutable
                process.arguments = ["import"] + half + ["--db", db]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                return process
            }
            // Each is killed at its own random point (or finishes first).
            for process in processes.shuffled(using: &rng) {
                usleep(UInt32(50_000 + rng.next(below: 700_000)))
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    killedMidway += 1
                }
            }
            for process in processes {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0 || process.terminationReason == .uncaughtSignal)
            }
            let stored = try Self.checkConsistent(db, files: files)
            #expect(stored <= Self.fileCount)
        }
        #expect(killedMidway >= 20)
        let last = try runTilsyn(["import", folder, "--db", db])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try Self.checkConsistent(db, files: files) == Self.fileCount)
    }
}
