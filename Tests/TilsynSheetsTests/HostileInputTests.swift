import Foundation
import Testing
import TilsynSheets
import TilsynTestSupport

/// The generated hostile corpus (`HostileCorpus` in the test support) read in process: each file gives its own
/// error code, or reads with out-of-range date serials as numbers. `HostileInputCLITests` runs the same files through
/// `tilsyn cat` in a child process and bounds the time and memory each one takes.
@Suite("Hostile input: the reader's outcome per file")
struct HostileInputTests {
    @Test("every hostile file is rejected with its own error, or read as stated", arguments: HostileCorpus.cases)
    func outcome(_ hostile: HostileCorpus.Case) throws {
        let bytes = hostile.bytes()
        do {
            let rows = try Self.readAll(bytes, csv: hostile.isCSV)
            switch hostile.outcome {
            case .rejected(let code, _):
                Issue.record("\(hostile.name) was read without error; expected \(code)")
            case .numbers(let references):
                for reference in references {
                    let value = try #require(rows[reference], "\(hostile.name): no value in \(reference)")
                    guard case .number = value else {
                        Issue.record("\(hostile.name): \(reference) is \(value.typeName), not a number")
                        continue
                    }
                }
            case .reads:
                #expect(!rows.isEmpty, "\(hostile.name)")
            }
        } catch let error as SpreadsheetError {
            guard case .rejected(let code, let text) = hostile.outcome else {
                Issue.record("\(hostile.name) was rejected: \(error)")
                return
            }
            #expect(error.code == code, "\(hostile.name): \(error)")
            #expect(error.message.contains(text), "\(hostile.name): \(error)")
        }
    }

    /// `Tests/write-hostile-corpus FOLDER` runs this test with `TILSYN_HOSTILE_OUT=FOLDER` to put the files on disk
    /// for people (and other tools); without it, the files go to a temporary folder and are removed.
    @Test("the corpus is written to a folder, one file per case")
    func writesTheCorpus() throws {
        let requested = ProcessInfo.processInfo.environment["TILSYN_HOSTILE_OUT"].flatMap { $0.isEmpty ? nil : $0 }
        let temporary = requested == nil ? try TemporaryDirectory("hostile-corpus") : nil
        defer { temporary?.cleanUp() }
        guard let folder = requested.map({ URL(fileURLWithPath: $0) }) ?? temporary?.url else { return }
        let written = try HostileCorpus.write(to: folder)
        #expect(written.count == HostileCorpus.cases.count)
        #expect(Set(written.map(\.case.name)).count == written.count)
        for (hostile, path) in written {
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(size ?? 0 > 0, "\(hostile.name)")
        }
    }

    /// Every value of every sheet, by `Sheet!A1`-less reference (the corpus files have one sheet each).
    static func readAll(_ bytes: [UInt8], csv: Bool) throws -> [String: CellValue] {
        var values: [String: CellValue] = [:]
        if csv {
            let reader = try CSVReader(bytes: bytes, name: "hostile.csv")
            var line = 0
            while let record = try reader.next() {
                line += 1
                for (index, field) in record.fields.enumerated() {
                    values[CellAddress(row: line, column: index + 1).description] = .string(field)
                }
            }
            return values
        }
        let workbook = try Workbook(bytes: bytes, name: "hostile.xlsx")
        for sheet in workbook.sheets {
            try workbook.rows(of: sheet).forEach { row in
                for cell in row.cells { values[CellAddress(row: row.number, column: cell.column).description] = cell.value }
            }
        }
        return values
    }
}
