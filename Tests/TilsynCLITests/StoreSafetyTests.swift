import Foundation
import GRDB
import Testing
import TilsynAudit
import TilsynSamples
import TilsynTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The store under concurrent imports, a lock held by another process, a read-only store and a full disk, through
/// the built `tilsyn import`: both concurrent imports succeed with no duplicates and the totals of a sequential
/// import; a writer waits for another's transaction; a read-only or full disk gives a clear `Error:` naming the
/// store, and the store keeps what it held.
///
/// Read-only cases run the child as `nobody` when the tests run as root (root writes through file modes); the
/// read-only file system and the full disk are a read-only bind mount and a small tmpfs in a private mount namespace
/// (`unshare -m`), which the namespace takes away when its processes exit.
@Suite("Store safety: concurrent imports, locks, read-only and full disks", .serialized)
struct StoreSafetyTests {
    static let fileCount = 40

    /// A folder with `fileCount` generated returned workbooks (one review of 44 answers each), and their paths.
    static func batch(_ directory: TemporaryDirectory) throws -> [String] {
        let catalogue = try CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas"))
            .load("kk-2025")
        let folder = directory.path("files")
        _ = try BenchmarkWorkbooks.write(count: fileCount, catalogue: catalogue, seed: 31, to: folder)
        let files = try ReturnedFiles.collect([folder])
        #expect(files.count == fileCount)
        return files
    }

    /// Everything stored that an import decides (not when): files, reviews with their answers, and the counts.
    static func content(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            // Not the path: of two files with the same bytes, either may come first.
            let files = try String.fetchAll(db, sql: "SELECT sha256 FROM file ORDER BY 1")
            let answers = try String.fetchAll(db, sql: """
                SELECT c.number || '|' || d.name || '|' || r.level || '|' || f.sha256 || '|' || a.question || '|'
                    || coalesce(a.answer, '') || '|' || coalesce(a.remark, '')
                FROM answer a JOIN review r ON r.id = a.review_id JOIN audit_case c ON c.id = r.case_id
                JOIN round d ON d.id = r.round_id JOIN file f ON f.id = r.file_id ORDER BY 1
                """)
            let counts = try String.fetchAll(db, sql: """
                SELECT catalogue || '|' || question || '|' || level || '|' || yes || '|' || no || '|'
                    || not_applicable || '|' || unanswered FROM answer_count ORDER BY 1
                """)
            return files + answers + counts
        }
    }

    /// Files, reviews and answers stored; also checks that no file or review is stored twice.
    static func totals(_ path: String) throws -> [Int] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) - count(DISTINCT sha256) FROM file") == 0)
            #expect(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT 1 FROM review GROUP BY case_id, round_id, level HAVING count(*) > 1)
                """) == 0)
            return try ["file", "review", "answer"].map {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1
            }
        }
    }

    /// `modtaget + modtaget med bemærkninger` and `allerede indlæst` from the closing summary of `tilsyn import`.
    static func fileCounts(_ stdout: String) -> (stored: Int, already: Int)? {
        guard let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("Filer: ") }) else { return nil }
        func number(before label: String) -> Int {
            guard let range = line.range(of: " " + label) else { return 0 }
            return Int(line[..<range.lowerBound].split(separator: " ").last ?? "") ?? 0
        }
        let stored = number(before: "modtaget,") + number(before: "modtaget med bemærkninger")
        return (stored, number(before: "allerede indlæst"))
    }

    static func start(_ arguments: [String], output: String) throws -> Process {
        let process = Process()
        process.executableURL = TestPaths.tilsynExecutable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: output + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: output + ".err", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: output + ".err"))
        try process.run()
        return process
    }

    static func removeStore(_ db: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
    }

    // MARK: Two imports at once

    @Test("two imports into one store at once: both succeed, nothing twice, a sequential import's totals (20 rounds)",
          .timeLimit(.minutes(5)))
    func twoImportsAtOnce() throws {
        let directory = try TemporaryDirectory("concurrent-imports")
        defer { directory.cleanUp() }
        let files = try Self.batch(directory)
        // The same bytes under another name: stored once, whichever import comes first.
        let copy = directory.path("copy-of-file-4.xlsx")
        try FileManager.default.copyItem(atPath: files[3], toPath: copy)
        let overlapping = (Array(files[0..<28]), Array(files[12..<40]))
        let disjoint = (Array(files[0..<20]), Array(files[20..<40]) + [copy])

        // The sequential reference: one import after the other.
        var reference: [Bool: (content: [String], totals: [Int])] = [:]
        for (isOverlapping, sets) in [(true, overlapping), (false, disjoint)] {
            let db = directory.path("sequential-\(isOverlapping).sqlite")
            for set in [sets.0, sets.1] {
                let result = try runTilsyn(["import"] + set + ["--db", db])
                #expect(result.status == 0, "\(result.stderr)")
            }
            reference[isOverlapping] = (try Self.content(db), try Self.totals(db))
        }
        #expect(reference[true]?.totals == [40, 40, 40 * 44])
        #expect(reference[false]?.totals == [40, 40, 40 * 44])

        let db = directory.path("tilsyn.sqlite")
        for round in 0..<20 {
            Self.removeStore(db)
            let isOverlapping = round % 2 == 0
            let (first, second) = isOverlapping ? overlapping : disjoint
            // Every fourth round starts from a store holding a few of the files; the others from none, so that
            // both processes also create the schema at once.
            if round % 4 == 1 {
                let seeded = try runTilsyn(["import"] + Array(first[0..<4]) + ["--db", db])
                #expect(seeded.status == 0, "\(seeded.stderr)")
            }
            let output = directory.path("round-\(round)")
            let processes = [
                try Self.start(["import"] + first + ["--db", db], output: output + "-a"),
                try Self.start(["import"] + second + ["--db", db], output: output + "-b"),
            ]
            var stored = 0
            var already = 0
            for (process, name) in zip(processes, ["a", "b"]) {
                process.waitUntilExit()
                let stdout = (try? String(contentsOfFile: "\(output)-\(name).out", encoding: .utf8)) ?? ""
                let stderr = (try? String(contentsOfFile: "\(output)-\(name).err", encoding: .utf8)) ?? ""
                #expect(process.terminationStatus == 0, "round \(round), import \(name): \(stderr)")
                let counts = try #require(Self.fileCounts(stdout), "round \(round), import \(name): \(stdout)")
                stored += counts.stored
                already += counts.already
            }
            let seededCount = round % 4 == 1 ? 4 : 0
            #expect(stored + seededCount == 40, "round \(round)")
            #expect(already == first.count + second.count - 40 + seededCount, "round \(round)")
            #expect(try Self.totals(db) == reference[isOverlapping]?.totals, "round \(round)")
            #expect(try Self.content(db) == reference[isOverlapping]?.content, "round \(round)")
        }
    }

    // MARK: Busy timeout

    /// Whether `pid` has the file at `path` open.
    static func hasOpen(_ pid: Int32, _ path: String) -> Bool {
        let folder = "/proc/\(pid)/fd"
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(name)"),
                link == target || link == path
            {
                return true
            }
        }
        return false
    }

    @Test("an import waits while another process holds the write lock, then succeeds (20 rounds)",
          .timeLimit(.minutes(3)))
    func importWaitsForAnotherWriter() throws {
        let directory = try TemporaryDirectory("busy")
        defer { directory.cleanUp() }
        let files = try Self.batch(directory)
        let db = directory.path("tilsyn.sqlite")
        let first = try runTilsyn(["import"] + Array(files[0..<2]) + ["--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        let holder = try DatabaseQueue(path: db)
        for round in 0..<20 {
            let set = [files[2 + round]]
            let output = directory.path("busy-\(round)")
            let process = try holder.writeWithoutTransaction { connection -> Process in
                try connection.execute(sql: "BEGIN IMMEDIATE")
                let process = try Self.start(["import"] + set + ["--db", db], output: output)
                // Once the child has the store open, its next step is a write: it must wait for this transaction.
                var polls = 0
                while process.isRunning && !Self.hasOpen(process.processIdentifier, db) && polls < 1200 {
                    usleep(50_000)
                    polls += 1
                }
                usleep(300_000)
                #expect(process.isRunning, "round \(round): the import did not wait for the lock")
                try connection.execute(sql: "INSERT INTO round(name) VALUES ('held by the test \(round)')")
                try connection.execute(sql: "COMMIT")
                return process
            }
            process.waitUntilExit()
            let stderr = (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "round \(round): \(stderr)")
            #expect(try Self.totals(db) == [3 + round, 3 + round, (3 + round) * 44], "round \(round)")
        }
        let held = try holder.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM round WHERE name LIKE 'held%'") }
        #expect(held == 20)
    }

    // MARK: Read-only and full disks

    /// The command prefix that runs a child without root's power to write through file modes: `setpriv` to
    /// `nobody` when the tests run as root, nothing otherwise.
    static var unprivileged: [String] {
        getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : []
    }

    /// `unshare` arguments that give a shell its own mount namespace in which it may mount: as root, a private
    /// mount namespace; otherwise a user namespace too (when the kernel allows it). Nil when neither works.
    static let mountNamespace: [String]? = {
        for prefix in [["-m", "--propagation", "private"], ["-r", "-m", "--propagation", "private"]] {
            guard let probe = try? TemporaryDirectory("probe") else { return nil }
            defer { probe.cleanUp() }
            let result = try? runProcess(
                URL(fileURLWithPath: "/usr/bin/unshare"),
                prefix + ["/bin/sh", "-c", "mount -t tmpfs -o size=64k tmpfs \(probe.url.path)"])
            if result?.status == 0 { return prefix }
        }
        return nil
    }()

    /// Runs a shell script in a mount namespace of its own; `$T` is the tilsyn binary, `$D` the folder.
    static func inMountNamespace(_ script: String, folder: TemporaryDirectory) throws -> ProcessResult {
        let prefix = try #require(mountNamespace)
        return try runProcess(
            URL(fileURLWithPath: "/usr/bin/unshare"), prefix + ["/bin/sh", "-c", script],
            environment: ["T": TestPaths.tilsynExecutable.path, "D": folder.url.path])
    }

    /// A store holding the first 10 files, closed (its WAL checkpointed into the file), and the rest of the batch.
    static func seededStore(_ directory: TemporaryDirectory, at db: String) throws -> [String] {
        let files = try batch(directory)
        let seeded = try runTilsyn(["import"] + Array(files[0..<10]) + ["--db", db])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        #expect(try totals(db) == [10, 10, 440])
        #expect(!FileManager.default.fileExists(atPath: db + "-wal"))
        return files
    }

    static func sha(_ path: String) throws -> String {
        ContentHash.sha256Hex(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test("a read-only store file or folder: a clear error, exit 65, the store as it was")
    func readOnlyStore() throws {
        let directory = try TemporaryDirectory("read-only")
        defer { directory.cleanUp() }
        try FileManager.default.createDirectory(atPath: directory.path("store"), withIntermediateDirectories: true)
        let db = directory.path("store/tilsyn.sqlite")
        let files = try Self.seededStore(directory, at: db)
        let before = (try Self.sha(db), try Self.content(db))
        let manager = FileManager.default
        // The child may run as nobody: the folders and files it reads must be readable, the store folder writable.
        for path in [directory.url.path, directory.path("files")] {
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }

        // (file mode, folder mode): the file read-only in a writable folder; the folder read-only.
        for (fileMode, folderMode) in [(0o444, 0o777), (0o666, 0o555)] {
            try manager.setAttributes([.posixPermissions: fileMode], ofItemAtPath: db)
            try manager.setAttributes([.posixPermissions: folderMode], ofItemAtPath: directory.path("store"))
            let command = Self.unprivileged + [TestPaths.tilsynExecutable.path, "import"] + Array(files[10..<20])
                + ["--db", db]
            let result = try runProcess(URL(fileURLWithPath: command[0]), Array(command.dropFirst()))
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path("store"))
            try manager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: db)
            let label = "file \(String(fileMode, radix: 8)), folder \(String(folderMode, radix: 8))"
            #expect(result.status == 65, "\(label): \(result.stderr)")
            #expect(result.stderr.hasPrefix("Error: \(db): "), "\(label): \(result.stderr)")
            #expect(result.stderr.contains("read-only") || result.stderr.contains("cannot be opened"),
                    "\(label): \(result.stderr)")
            #expect(
                result.stderr.contains("writable") || result.stderr.contains("written"), "\(label): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(label): \(result.stderr)")
            #expect(try Self.sha(db) == before.0, "\(label)")
            #expect(try Self.content(db) == before.1, "\(label)")
        }
    }

    @Test("a store on a read-only file system: a clear error, exit 65, the store as it was",
          .enabled(if: mountNamespace != nil, "needs root or user namespaces to bind-mount a folder read-only"))
    func readOnlyFileSystem() throws {
        let directory = try TemporaryDirectory("read-only-fs")
        defer { directory.cleanUp() }
        try FileManager.default.createDirectory(atPath: directory.path("store"), withIntermediateDirectories: true)
        let db = directory.path("store/tilsyn.sqlite")
        _ = try Self.seededStore(directory, at: db)
        let before = (try Self.sha(db), try Self.content(db))
        let result = try Self.inMountNamespace("""
            mount --bind "$D/store" "$D/store" && mount -o remount,bind,ro "$D/store" || exit 90
            "$T" import "$D/files" --db "$D/store/tilsyn.sqlite"
            """, folder: directory)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: \(db): the store is read-only"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("or use another store (--db FILE)\n"), "the CLI names its flag: \(result.stderr)")
        #expect(result.stderr.contains("the store holds what it held before"), "\(result.stderr)")
        #expect(try Self.sha(db) == before.0)
        #expect(try Self.content(db) == before.1)
    }

    @Test("a full disk: a clear error, exit 65, nothing half stored; the import completes once there is space",
          .enabled(if: mountNamespace != nil, "needs root or user namespaces to mount a small tmpfs"))
    func fullDisk() throws {
        let directory = try TemporaryDirectory("full-disk")
        defer { directory.cleanUp() }
        let manager = FileManager.default
        for folder in ["seed", "disk", "full", "filling", "done"] {
            try manager.createDirectory(atPath: directory.path(folder), withIntermediateDirectories: true)
        }
        let seed = directory.path("seed/tilsyn.sqlite")
        let files = try Self.seededStore(directory, at: seed)
        let before = (try Self.sha(seed), try Self.content(seed))
        try manager.createDirectory(atPath: directory.path("more"), withIntermediateDirectories: true)
        for file in files[10...] {
            let name = URL(fileURLWithPath: file).lastPathComponent
            try manager.copyItem(atPath: file, toPath: directory.path("more/" + name))
        }
        let seedSize = try #require(try manager.attributesOfItem(atPath: seed)[.size] as? Int)

        // 1. The disk is full before the import starts. 2. The disk has room for a few files only. 3. More room.
        let result = try Self.inMountNamespace("""
            mount -t tmpfs -o size=\(seedSize + (2 << 20)) tmpfs "$D/disk" || exit 90
            cp "$D/seed/tilsyn.sqlite" "$D/disk/"
            dd if=/dev/zero of="$D/disk/filler" bs=4096 2>/dev/null
            "$T" import "$D/more" --db "$D/disk/tilsyn.sqlite" >"$D/full/out" 2>"$D/full/err"; echo $? >"$D/full/status"
            cp "$D/disk"/tilsyn.sqlite* "$D/full/"
            rm "$D/disk/filler"
            # 220 KB of room: the WAL of the first files plus the kept case counts; measured, 160 KB stores none and
            # 290 KB all 30 once a checkpoint lets the WAL start over.
            dd if=/dev/zero of="$D/disk/filler" bs=1024 count=\(2048 - 220) 2>/dev/null
            "$T" import "$D/more" --db "$D/disk/tilsyn.sqlite" >"$D/filling/out" 2>"$D/filling/err"
            echo $? >"$D/filling/status"
            cp "$D/disk"/tilsyn.sqlite* "$D/filling/"
            rm "$D/disk/filler"
            mount -o remount,size=64m "$D/disk"
            "$T" import "$D/more" --db "$D/disk/tilsyn.sqlite" >"$D/done/out" 2>"$D/done/err"; echo $? >"$D/done/status"
            cp "$D/disk"/tilsyn.sqlite* "$D/done/"
            """, folder: directory)
        #expect(result.status == 0, "\(result.stderr)")
        func read(_ name: String) -> String {
            (try? String(contentsOfFile: directory.path(name), encoding: .utf8)) ?? ""
        }
        let db = directory.path("disk/tilsyn.sqlite")

        // 1. Full before the start: nothing written, the store file byte for byte as it was.
        #expect(read("full/status") == "65\n", "\(read("full/err"))")
        #expect(read("full/err").hasPrefix("Error: \(db): the disk is full"), "\(read("full/err"))")
        #expect(read("full/err").contains("Free some space and run the import again"), "\(read("full/err"))")
        #expect(try Self.sha(directory.path("full/tilsyn.sqlite")) == before.0)
        #expect(try Self.content(directory.path("full/tilsyn.sqlite")) == before.1)

        // 2. Full part of the way: the files stored before the disk filled are whole; the one being imported is not
        // there at all.
        #expect(read("filling/status") == "65\n", "\(read("filling/err"))")
        #expect(read("filling/err").hasPrefix("Error: \(db): the disk is full"), "\(read("filling/err"))")
        let partial = try Self.totals(directory.path("filling/tilsyn.sqlite"))
        #expect(partial[0] > 10 && partial[0] < 40, "\(partial)")
        #expect(partial == [partial[0], partial[0], partial[0] * 44])
        _ = try Self.content(directory.path("filling/tilsyn.sqlite"))

        // 3. With room again, the same import completes; files already stored are skipped.
        #expect(read("done/status") == "0\n", "\(read("done/err"))")
        #expect(try Self.totals(directory.path("done/tilsyn.sqlite")) == [40, 40, 40 * 44])
        #expect(!read("full/err").contains("B-2025") && !read("filling/err").contains("B-2025"))
    }
}
