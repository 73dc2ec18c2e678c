import Foundation
import Testing
import TilsynTestSupport

/// Python with openpyxl as an oracle for the writer's output.
///
/// Found at `$TILSYN_PYTHON`, else `<package root>/.venv/bin/python`, else `/work/main/.venv/bin/python`.
/// Tests that need it are skipped when it is missing, except on CI (`CI=true`), where they fail.
enum WriterPython {
    /// The interpreter, when one is found (see ``TestPaths/python``).
    static let path: String? = TestPaths.python?.path

    /// Whether oracle tests run: when Python is found, and always on CI (where a missing Python fails).
    static let shouldRun: Bool = path != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    /// Runs `script` with `arguments` (`sys.argv[1:]`) and returns its standard output.
    static func run(_ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> String
    {
        let python = try #require(
            path, "no Python with openpyxl found: set TILSYN_PYTHON or create .venv (see .ci/run)",
            sourceLocation: sourceLocation)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stdout = String(decoding: outData, as: UTF8.self)
        if process.terminationStatus != 0 {
            Issue.record(
                "python failed (\(process.terminationStatus)):\n\(String(decoding: errData, as: UTF8.self))",
                sourceLocation: sourceLocation)
        }
        return stdout
    }

    /// Runs `script` and decodes its standard output as JSON.
    static func json(_ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> Any
    {
        let text = try run(script, arguments, sourceLocation: sourceLocation)
        return try JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}

/// A temporary folder for one test, removed when dropped.
final class WriterTemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tilsyn-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}
