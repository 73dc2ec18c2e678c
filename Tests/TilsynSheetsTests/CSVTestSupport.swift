import Foundation
import TilsynTestSupport
import Testing
import TilsynSheets

/// Helpers for the CSV tests: reading text, temporary folders and the Python oracle.
enum CSVTestSupport {
    /// The fields of every record in `text`, read with `options`.
    static func fields(_ text: String, _ options: CSVReadOptions = .init()) throws -> [[String]] {
        try fields(Array(text.utf8), options)
    }

    /// The fields of every record in `bytes`, read with `options`.
    static func fields(_ bytes: [UInt8], _ options: CSVReadOptions = .init()) throws -> [[String]] {
        try CSVReader(bytes: bytes, name: "test.csv", options: options).readAll().map(\.fields)
    }

    /// The error that reading `bytes` throws, or `nil` when it reads fine.
    static func readError(_ bytes: [UInt8], _ options: CSVReadOptions = .init()) -> SpreadsheetError? {
        do {
            _ = try CSVReader(bytes: bytes, name: "test.csv", options: options).readAll()
            return nil
        } catch let error as SpreadsheetError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    /// A new empty folder under the system's temporary folder; the caller removes it.
    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tilsyn-csv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Whether this run is CI's, where a missing oracle is a failure instead of a skip.
    static var isCI: Bool { TestPaths.isCI }

    /// The Python used as an oracle: `$TILSYN_PYTHON`, then `<package root>/.venv/bin/python`, then the main
    /// worktree's venv; `nil` when none exists.
    static var python: String? { TestPaths.python?.path }

    /// Runs `python` with `arguments` and returns its standard output; throws when it fails.
    static func runPython(_ python: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OracleFailure(description: "python exited with \(process.terminationStatus): \(errorText)")
        }
        return data
    }

    struct OracleFailure: Error, CustomStringConvertible {
        var description: String
    }
}
