import Foundation
import Testing
import TilsynTestSupport

/// `tilsyn cat` against an independent reader: `Tests/Python/differential.py` writes the same workbooks with
/// openpyxl and with XlsxWriter and records what openpyxl reads from each, in our jsonl format; the built binary
/// must print the same cells, types and values.
@Suite("Differential: tilsyn cat against openpyxl")
struct DifferentialTests {
    static let cases = ["values", "dates1900", "dates1904", "formulas", "sheets"]
    static let writers = ["openpyxl", "xlsxwriter"]

    @Test("tilsyn cat reads what openpyxl reads, from files written by openpyxl and by XlsxWriter", .needsPython)
    func againstOpenpyxl() throws {
        let python = try #require(TestPaths.python, "no .venv/bin/python: bash .ci/run creates it")
        let folder = try TemporaryDirectory("tilsyn-differential")
        defer { folder.cleanUp() }
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/Python/differential.py").path
        let generated = try runProcess(python, [script, folder.url.path])
        try #require(generated.status == 0, "differential.py failed: \(generated.stderr)")

        let workbooks = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
            .filter { $0.hasSuffix(".xlsx") }.sorted()
        let stems = Self.cases.flatMap { name in Self.writers.map { "\(name).\($0)" } }
        #expect(workbooks == stems.map { "\($0).xlsx" }.sorted())

        for stem in stems {
            let expected = try String(contentsOfFile: folder.path("\(stem).expected.jsonl"), encoding: .utf8)
            let result = try runTilsyn(["cat", folder.path("\(stem).xlsx"), "--all", "--format", "jsonl"])
            #expect(result.status == 0, "\(stem): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(stem)")
            if let difference = try Self.firstDifference(actual: result.stdout, expected: expected) {
                Issue.record("\(stem).xlsx: \(difference)")
            }
        }
    }

    /// The first line where the two jsonl texts differ in sheet, cell, type or value, described; nil when none do.
    static func firstDifference(actual: String, expected: String) throws -> String? {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: true)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: true)
        if expectedLines.isEmpty { return "openpyxl read no cells at all" }
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let line = index + 1
            guard index < actualLines.count else {
                return "line \(line): tilsyn printed nothing, openpyxl read \(expectedLines[index])"
            }
            guard index < expectedLines.count else {
                return "line \(line): tilsyn printed \(actualLines[index]), openpyxl read nothing more"
            }
            let mine = try Record(actualLines[index])
            let theirs = try Record(expectedLines[index])
            if mine != theirs {
                return "line \(line): tilsyn printed \(actualLines[index]), openpyxl read \(expectedLines[index])"
            }
        }
        return nil
    }

    /// One jsonl line: `{"sheet":"Ark1","cell":"B3","type":"number","value":42}`.
    struct Record: Equatable {
        enum Value: Equatable {
            case number(Double), text(String), bool(Bool)
        }

        var sheet: String
        var cell: String
        var type: String
        var value: Value

        init(_ line: Substring) throws {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            let fields = try #require(object as? [String: Any], "not a JSON object: \(line)")
            sheet = try #require(fields["sheet"] as? String, "no sheet: \(line)")
            cell = try #require(fields["cell"] as? String, "no cell: \(line)")
            type = try #require(fields["type"] as? String, "no type: \(line)")
            switch type {
            case "number":
                // Compared as doubles, exactly: 3 and 3.0 are the same number.
                let number = try #require(fields["value"] as? NSNumber, "the value is not a number: \(line)")
                value = .number(number.doubleValue)
            case "bool":
                value = .bool(try #require(fields["value"] as? Bool, "the value is not a bool: \(line)"))
            case "string", "date", "error":
                value = .text(try #require(fields["value"] as? String, "the value is not text: \(line)"))
            default:
                throw RecordError(message: "unknown type \(type): \(line)")
            }
        }
    }

    struct RecordError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    @Test("record comparison: numbers as doubles, every field counts")
    func recordComparison() throws {
        let line = #"{"sheet":"Ark1","cell":"A1","type":"number","value":3}"#
        let same = #"{"sheet":"Ark1","cell":"A1","type":"number","value":3.0}"#
        #expect(try Self.firstDifference(actual: line, expected: same) == nil)
        let differing = [
            #"{"sheet":"Ark2","cell":"A1","type":"number","value":3}"#,
            #"{"sheet":"Ark1","cell":"A2","type":"number","value":3}"#,
            #"{"sheet":"Ark1","cell":"A1","type":"string","value":"3"}"#,
            #"{"sheet":"Ark1","cell":"A1","type":"number","value":3.0000000000000004}"#,
        ]
        for other in differing {
            #expect(try Self.firstDifference(actual: line, expected: other)?.hasPrefix("line 1:") == true, "\(other)")
        }
        #expect(try Self.firstDifference(actual: line, expected: line + "\n" + line) != nil, "a missing line")
        #expect(try Self.firstDifference(actual: line + "\n" + line, expected: line) != nil, "an extra line")
    }
}

@Suite("tilsyn cat: errors")
struct CatErrorTests {
    /// Runs `tilsyn cat` and checks the data-error contract: status 65, `Error: <file>: …` on stderr, no stdout.
    func expectDataError(_ arguments: [String], file: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws -> String
    {
        let result = try runTilsyn(["cat"] + arguments)
        #expect(result.status == 65, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(arguments)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("Error: \(file): "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasSuffix("\n"), sourceLocation: sourceLocation)
        return result.stderr
    }

    func workbook(in folder: TemporaryDirectory) throws -> String {
        var builder = XLSXBuilder()
        builder.addSheet("Ark1", rows: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")
        builder.addSheet("Data æøå", rows: "")
        let path = folder.path("sager.xlsx")
        try Data(builder.build()).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a CSV file named .xlsx is a data error that says what the file is")
    func csvRenamed() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanUp() }
        let path = folder.path("sager.xlsx")
        try Data("sagsnummer;svar\r\n1;Ja\r\n".utf8).write(to: URL(fileURLWithPath: path))
        let message = try expectDataError([path, "--all"], file: path)
        #expect(message.contains("this is CSV text"))
    }

    @Test("a missing file is a data error")
    func missingFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanUp() }
        let path = folder.path("findes-ikke.xlsx")
        let message = try expectDataError([path], file: path)
        #expect(message.contains("cannot open the file"))
    }

    @Test("an unknown --sheet is a data error naming the sheets there are")
    func unknownSheet() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanUp() }
        let path = try workbook(in: folder)
        let message = try expectDataError([path, "--sheet", "Ark9"], file: path)
        #expect(message.contains("'Ark9'"))
        #expect(message.contains("'Ark1', 'Data æøå'"))

        let found = try runTilsyn(["cat", path, "--sheet", "ark1"])
        #expect(found.status == 0, "sheet names match case-insensitively, as in Excel")
        #expect(found.stdout == #"{"sheet":"Ark1","cell":"A1","type":"number","value":1}"# + "\n")
    }

    @Test("--sheet with --all is a usage error")
    func sheetAndAll() throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanUp() }
        let path = try workbook(in: folder)
        let result = try runTilsyn(["cat", path, "--sheet", "Ark1", "--all"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--sheet NAME or --all"))
    }
}
