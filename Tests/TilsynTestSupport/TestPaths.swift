public import Foundation
public import Testing

/// Locations the tests use: the package root, the shared corpus beside the clone, the Python oracle.
public enum TestPaths {
    /// The package root, found from this file's path.
    public static let packageRoot: URL = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// Whether the tests run under CI, where missing shared inputs are failures, not skips.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// `../shared/corpus/xlsx` beside the clone, or nil when absent.
    public static var corpus: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/xlsx")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("SOURCES.md").path) ? url : nil
    }

    /// The shared domain folder, or nil when absent.
    public static var sharedDomain: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/domain")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A Python with the oracle packages: `$TILSYN_PYTHON`, else `.venv/bin/python` in the package root.
    public static var python: URL? {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["TILSYN_PYTHON"] { candidates.append(explicit) }
        candidates.append(packageRoot.appendingPathComponent(".venv/bin/python").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.map { URL(fileURLWithPath: $0) }
    }

    /// The built `tilsyn` executable next to the test bundle.
    public static var tilsynExecutable: URL {
        let bundle = Bundle.main.bundleURL
        var directory = bundle
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("tilsyn")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/tilsyn")
    }
}

/// The availability of an optional shared input: present, or absent with a reason.
public enum Requirement {
    /// The corpus folder; records a failure under CI when it is missing, else returns nil so the test can stop.
    public static func corpus(sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        if let corpus = TestPaths.corpus { return corpus }
        if TestPaths.isCI {
            Issue.record("../shared/corpus/xlsx is missing: CI must run with ../shared beside the clone", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// The Python oracle; records a failure under CI when missing.
    public static func python(sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        if let python = TestPaths.python { return python }
        if TestPaths.isCI {
            Issue.record("no Python with openpyxl found (.venv/bin/python): .ci/run must create it", sourceLocation: sourceLocation)
        }
        return nil
    }
}

/// A fresh temporary directory, removed by the caller with `cleanUp()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ label: String = "tilsyn") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// The result of running a process.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutBytes: [UInt8]
}

/// Runs a program with arguments, capturing its output.
///
/// A program written just before (a binary copied into a folder) can be held open for writing by another test's
/// child process, forked while the copy was open and not yet replaced by its own program: starting it then fails
/// with "Text file busy" (`ETXTBSY`) until that child execs, a moment later. The file itself is complete, so the
/// start is tried again, for up to a second; any other failure is thrown at once.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                       currentDirectory: URL? = nil) throws -> ProcessResult {
    var attempt = 0
    while true {
        do {
            return try runProcessOnce(
                executable, arguments, environment: environment, currentDirectory: currentDirectory)
        } catch let error as NSError where attempt < 50 && isTextFileBusy(error) {
            attempt += 1
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}

/// Whether `error`, or an error under it, is `ETXTBSY`.
private func isTextFileBusy(_ error: NSError) -> Bool {
    if error.domain == NSPOSIXErrorDomain && error.code == Int(ETXTBSY) { return true }
    guard let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError else { return false }
    return isTextFileBusy(underlying)
}

private func runProcessOnce(_ executable: URL, _ arguments: [String], environment: [String: String]?,
                            currentDirectory: URL?) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes concurrently so neither fills up and blocks the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self), stdoutBytes: [UInt8](outData))
}

/// Runs the built `tilsyn` binary.
public func runTilsyn(_ arguments: [String], currentDirectory: URL? = nil) throws -> ProcessResult {
    try runProcess(TestPaths.tilsynExecutable, arguments, currentDirectory: currentDirectory)
}

/// Runs a Python snippet with the oracle Python; the script gets `sys.argv[1:]`.
public func runPython(_ python: URL, script: String, arguments: [String] = []) throws -> ProcessResult {
    try runProcess(python, ["-c", script] + arguments)
}

extension TestPaths {
    /// `../shared/corpus/ods` beside the clone, or nil when absent.
    public static var odsCorpus: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/ods")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("SOURCES.md").path) ? url : nil
    }
}

/// Traits for tests that need a tool or the shared corpus: such a test is skipped, with the reason, where the
/// tool is missing, and always runs under CI, where it then fails on its first `#require` of the tool.
extension Trait where Self == ConditionTrait {
    /// Needs `.venv/bin/python` with openpyxl (`bash .ci/run` makes it).
    public static var needsPython: Self {
        .enabled(if: TestPaths.python != nil || TestPaths.isCI, "needs .venv/bin/python with openpyxl; bash .ci/run makes it")
    }

    /// Needs headless Chromium on PATH (`bash .ci/run` installs Debian's chromium).
    public static var needsChromium: Self {
        .enabled(if: ExternalTools.chromium != nil || TestPaths.isCI, "needs chromium on PATH; bash .ci/run installs it")
    }

    /// Needs LibreOffice's soffice on PATH (`bash .ci/run` installs libreoffice-calc-nogui).
    public static var needsLibreOffice: Self {
        .enabled(if: ExternalTools.soffice != nil || TestPaths.isCI, "needs soffice on PATH; bash .ci/run installs it")
    }

    /// Needs `../shared/corpus/xlsx` beside the clone.
    public static var needsCorpus: Self {
        .enabled(if: TestPaths.corpus != nil || TestPaths.isCI, "needs ../shared/corpus/xlsx beside the clone")
    }
}

/// The PostgreSQL server of the tests (`Tests/Postgres/server` starts one; `.ci/run` does under CI).
public enum TestPostgres {
    /// `postgres://tilsyn@127.0.0.1:54329/tilsyn?sslmode=disable`, from `TILSYN_TEST_POSTGRES`; nil without a server.
    public static var url: String? {
        ProcessInfo.processInfo.environment["TILSYN_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The server's URL; records a failure under CI when there is none.
    public static func url(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let url { return url }
        if TestPaths.isCI {
            Issue.record(
                "TILSYN_TEST_POSTGRES is not set: .ci/run must start the server", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// A fresh, empty database on the test server for one test, named `tilsyn_<label>_<random>`, and its URL;
    /// `drop()` removes it. Made with `psql` as the `tilsyn` role (the password from `PGPASSFILE`).
    public struct Database: Sendable {
        public let name: String
        public let url: String
        let server: String

        public init(_ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            guard let server = TestPostgres.url(sourceLocation: sourceLocation) else {
                throw TestPostgresMissing()
            }
            self.server = server
            name = "tilsyn_\(label.lowercased().filter { $0.isLetter || $0.isNumber })_"
                + String(UInt64.random(in: 0..<UInt64.max), radix: 36)
            try TestPostgres.psql(server, "CREATE DATABASE \(name)")
            let base = server.split(separator: "?", maxSplits: 1)
            let root = base[0].split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            url = root + "/" + name + (base.count > 1 ? "?" + base[1] : "")
        }

        /// Drops the database, ending its other connections.
        public func drop() {
            try? TestPostgres.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    /// The rows of one query with `psql` on the database at `url`, each column as text (NULL as "").
    public static func rows(_ url: String, _ query: String) throws -> [[String]] {
        let libpqURL = url.replacingOccurrences(of: "postgres://", with: "postgresql://")
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["psql", libpqURL, "-q", "-At", "-F", "\u{1F}", "-R", "\u{1E}", "-v", "ON_ERROR_STOP=1", "-c", query])
        guard result.status == 0 else { throw TestPostgresFailure(message: result.stderr) }
        // Records end in U+001E (the last in a line feed), so a value may hold line feeds.
        guard !result.stdout.isEmpty else { return [] }
        var text = result.stdout
        if text.hasSuffix("\n") { text.removeLast() }
        return text.split(separator: "\u{1E}", omittingEmptySubsequences: false).map { record in
            record.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Runs one statement with `psql` on the database at `url`.
    public static func psql(_ url: String, _ statement: String) throws {
        let libpqURL = url.replacingOccurrences(of: "postgres://", with: "postgresql://")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", libpqURL, "-q", "-v", "ON_ERROR_STOP=1", "-c", statement]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestPostgresFailure(message: String(decoding: message, as: UTF8.self))
        }
    }
}

/// The test server is not there (outside CI).
public struct TestPostgresMissing: Error {
    public init() {}
}

/// `psql` failed.
public struct TestPostgresFailure: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension Trait where Self == ConditionTrait {
    /// Needs the test PostgreSQL server (`eval "$(Tests/Postgres/server)"`; `.ci/run` starts it).
    public static var needsPostgres: Self {
        .enabled(
            if: TestPostgres.url != nil || TestPaths.isCI,
            "needs a PostgreSQL server: eval \"$(Tests/Postgres/server)\" starts one; .ci/run does")
    }
}

/// The store back ends a test runs on: SQLite always, PostgreSQL when its test server is there or under CI (where a
/// missing server fails the test).
public enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// SQLite, and PostgreSQL when its test server is there or under CI.
    public static var available: [Backend] {
        TestPostgres.url != nil || TestPaths.isCI ? [.sqlite, .postgres] : [.sqlite]
    }

    public var testDescription: String { rawValue }
}

/// A fresh, empty store for one test on `backend`, as `--db` names it: a file in `directory`, or a new database on
/// the test server; `drop()` removes the database (the directory's owner removes the file).
public struct TestStore: Sendable {
    /// The `--db` argument: a path or a `postgres://` URL.
    public let db: String
    private let database: TestPostgres.Database?

    public init(_ backend: Backend, in directory: TemporaryDirectory, name: String = "store") throws {
        switch backend {
        case .sqlite:
            db = directory.path(name + ".sqlite")
            database = nil
        case .postgres:
            let database = try TestPostgres.Database(name)
            db = database.url
            self.database = database
        }
    }

    /// Drops the PostgreSQL database (nothing for SQLite).
    public func drop() { database?.drop() }
}
