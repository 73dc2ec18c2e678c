import Foundation
import Testing
import TilsynSheets

/// Our CSV checked against Python's `csv` module in both directions.
///
/// Skipped with a message when no Python is found, except on CI (`CI=true`), where that is a failure.
@Suite(
    "CSV against Python's csv module",
    .enabled(
        if: CSVTestSupport.python != nil || CSVTestSupport.isCI,
        "no Python found: set TILSYN_PYTHON or create .venv (bash .ci/run does)"))
struct CSVOracleTests {
    typealias T = CSVTestSupport

    /// Reads a CSV file with Python and prints its rows as JSON.
    static let readScript = """
        import csv, json, sys
        with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f, delimiter=sys.argv[2]))
        sys.stdout.write(json.dumps(rows))
        """

    /// Writes rows given as JSON on the command line to a CSV file with Python.
    static let writeScript = """
        import csv, json, sys
        rows = json.load(open(sys.argv[2], encoding="utf-8"))
        with open(sys.argv[1], "w", newline="", encoding=sys.argv[4]) as f:
            csv.writer(f, delimiter=sys.argv[3], lineterminator="\\r\\n").writerows(rows)
        """

    /// Rows full of what makes CSV hard, plus deterministic pseudo-random ones; three fields wide except at the
    /// end, beyond the lines the delimiter is sniffed from.
    static var trickyRows: [[String]] {
        var rows: [[String]] = [
            ["Sag", "Beløb", "Bemærkning"],
            ["S-1", "1234,5", "helt almindelig"],
            ["S-2", "", "semikolon; i teksten"],
            ["S-3", "\"citat\"", "linje 1\r\nlinje 2\nlinje 3\rlinje 4"],
            ["", "", ""],
            ["æøå ÆØÅ €", "a,b", "\t tab og  mellemrum "],
            ["\"", "\"\"", "slut med citat\""],
        ]
        let alphabet: [Character] = Array("abæøå ;,\t\"'€") + ["\r", "\n", "\r\n"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<300 {
            rows.append((0..<3).map { _ in String((0..<next(12)).map { _ in alphabet[next(alphabet.count)] }) })
        }
        return rows + [[""], ["en"], ["1", "2", "3", "4", "5"], []]
    }

    static func requirePython() throws -> String {
        guard let python = T.python else {
            Issue.record("no Python found on CI: .ci/run must create .venv, or set TILSYN_PYTHON")
            throw T.OracleFailure(description: "no Python")
        }
        return python
    }

    @Test(arguments: [CSVDialect.excelDA, .rfc4180])
    func pythonReadsWhatWeWrite(dialect: CSVDialect) throws {
        let python = try Self.requirePython()
        let folder = try T.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/ours.csv"
        let rows = Self.trickyRows
        let writer = try CSVWriter(path: path, options: .init(dialect: dialect, guardFormulas: false))
        for row in rows {
            try writer.writeRow(row)
        }
        try writer.finish()
        let delimiter = String(UnicodeScalar(dialect.delimiter))
        let output = try T.runPython(python, ["-c", Self.readScript, path, delimiter])
        let parsed = try JSONDecoder().decode([[String]].self, from: output)
        // Python's reader returns a lone empty quoted field as [""], as we write it.
        #expect(parsed == rows)
    }

    @Test(arguments: ["utf-8-sig", "cp1252"])
    func weReadWhatPythonWrites(encoding: String) throws {
        let python = try Self.requirePython()
        let folder = try T.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/python.csv"
        let rowsPath = folder + "/rows.json"
        let rows = Self.trickyRows
        try JSONEncoder().encode(rows).write(to: URL(fileURLWithPath: rowsPath))
        _ = try T.runPython(python, ["-c", Self.writeScript, path, rowsPath, ";", encoding])
        let reader = try CSVReader(path: path)
        #expect(reader.delimiter == UInt8(ascii: ";"))
        #expect(reader.encoding == (encoding == "cp1252" ? .windows1252 : .utf8))
        #expect(reader.hadBOM == (encoding == "utf-8-sig"))
        #expect(try reader.readAll().map(\.fields) == rows)
    }
}
