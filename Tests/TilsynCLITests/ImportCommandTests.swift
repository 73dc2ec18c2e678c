import Foundation
import GRDB
import Testing
import TilsynAudit
import TilsynSheets
import TilsynTestSupport

/// End-to-end runs of `tilsyn import`, `validate` and `summary` on the committed samples.
@Suite struct ImportCommandTests {
    static let samples = TestPaths.packageRoot.appendingPathComponent("Samples")
    static var returned: String { samples.appendingPathComponent("returned").path }
    static var invalid: String { samples.appendingPathComponent("invalid").path }

    @Test func importOfTheSamplesRejectsTheInvalidOnesAndWritesADanishReport() throws {
        let directory = try TemporaryDirectory("cli-import")
        defer { directory.cleanUp() }
        let db = directory.path("t.sqlite")
        let result = try runTilsyn([
            "import", Self.returned, Self.invalid, "--db", db, "--report", directory.path("fund.xlsx"), "--summary",
        ])
        #expect(result.status == 65, "\(result.stderr)")
        // The eight invalid files, and the original of the dublet: of two files with the same case, level and
        // round and other content in one batch, neither is stored, and each names the other.
        #expect(result.stdout.contains("9 rejected"), "\(result.stdout)")
        #expect(result.stdout.contains("Reviews stored: 451"))
        #expect(result.stderr.contains("nord/S-2025-0009.xlsx: Tilsyn!C4: fejl: Samme sag, niveau og runde findes også i "
            + "filen \(Self.invalid)/dublet-S-2025-0009.xlsx"))
        #expect(result.stderr.contains("dublet-S-2025-0009.xlsx: Tilsyn!C4: fejl: Samme sag, niveau og runde findes også i "
            + "filen \(Self.returned)/2025/niveau1/nord/S-2025-0009.xlsx"))
        #expect(result.stdout.contains("Pejlemærke, niveau 1"))
        #expect(result.stdout.contains("Runde 2024"))
        // No progress bar when standard error is not a terminal; no CPR number anywhere.
        #expect(!result.stderr.contains("\r"))
        #expect(!result.stderr.contains("010101"))
        #expect(result.stderr.contains("cpr-i-bemaerkning.xlsx: Tilsyn!F"))

        let workbook = try Workbook(path: directory.path("fund.xlsx"))
        let sheet = try workbook.load(try #require(workbook.sheet(named: "Fund")))
        let rows = sheet.rows.map { row in row.cells.map { cell -> String in
            if case .string(let text) = cell.value { return text }
            return ""
        } }
        #expect(rows.first == ["fil", "ark", "celle", "alvor", "besked", "forslag"])
        #expect(rows.dropFirst().filter { $0.count > 3 && $0[3] == "fejl" }.count == 9)
        let cpr = try #require(rows.first { $0.first?.hasSuffix("cpr-i-bemaerkning.xlsx") == true })
        #expect(cpr[1] == "Tilsyn")
        #expect(cpr[2].hasPrefix("F"))
        #expect(!rows.joined().joined().contains("010101"))

        // A second run without the dublet stores the original and finds every other file already imported; the
        // numbers printed are what the store holds.
        let again = try runTilsyn(["import", Self.returned, "--db", db])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Files: 1 accepted, 0 accepted with warnings, 0 rejected, 224 already imported"),
                "\(again.stdout)")
        #expect(again.stdout.contains("Reviews stored: 1;"))
        let totals = try DatabaseQueue(path: db).read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM file"), try Int.fetchOne(db, sql: "SELECT count(*) FROM review"))
        }
        #expect(totals.0 == 168 + 58 + 1)
        #expect(totals.1 == 451 + 1)

        let summary = try runTilsyn(["summary", "--db", db, "--by", "step", "--level", "2"])
        #expect(summary.status == 0)
        #expect(summary.stdout.contains("Sagsskridt, niveau 2"))
        #expect(!summary.stdout.contains("niveau 1"))
    }

    @Test func validateStoresNothingAndWritesACSVReport() throws {
        let directory = try TemporaryDirectory("cli-validate")
        defer { directory.cleanUp() }
        let db = directory.path("t.sqlite")
        let result = try runTilsyn(["validate", Self.invalid, "--db", db, "--report", directory.path("fund.csv")])
        #expect(result.status == 65)
        #expect(!FileManager.default.fileExists(atPath: db))
        let report = try Data(contentsOf: directory.url.appendingPathComponent("fund.csv"))
        #expect(report.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: report.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("fil;ark;celle;alvor;besked;forslag\r\n"))
        #expect(text.contains(";fejl;Projektmappen er beskyttet med adgangskode"))
        let valid = try runTilsyn(["validate", Self.returned + "/2025/niveau2", "--db", db])
        #expect(valid.status == 0, "\(valid.stderr)")
        #expect(valid.stdout.contains("Files: 75 accepted"), "\(valid.stdout)")
    }

    @Test func redactCPRStoresTheMaskedRemark() throws {
        let directory = try TemporaryDirectory("cli-redact")
        defer { directory.cleanUp() }
        let db = directory.path("t.sqlite")
        let file = Self.invalid + "/cpr-i-bemaerkning.xlsx"
        let rejected = try runTilsyn(["import", file, "--db", db])
        #expect(rejected.status == 65)
        let redacted = try runTilsyn(["import", file, "--db", db, "--redact-cpr"])
        #expect(redacted.status == 0, "\(redacted.stderr)")
        let queue = try DatabaseQueue(path: db)
        let remarks = try queue.read {
            try String.fetchAll($0, sql: "SELECT remark FROM answer WHERE remark IS NOT NULL")
        }
        #expect(remarks.contains("Talt med mor (XXXXXX-XXXX) om underretningen."))
        #expect(!remarks.joined().contains("010101"))
    }

    @Test func roundOptionAndBadInvocations() throws {
        let directory = try TemporaryDirectory("cli-round")
        defer { directory.cleanUp() }
        let wrongRound = try runTilsyn([
            "validate", Self.returned + "/2025/niveau1/vest-long.csv", "--round", "2024", "--db", directory.path("x"),
        ])
        #expect(wrongRound.status == 65)
        #expect(wrongRound.stderr.contains("runde"))
        let badReport = try runTilsyn(["import", Self.invalid, "--report", "fund.pdf"])
        #expect(badReport.status == 64)
        let missing = try runTilsyn(["import", directory.path("none"), "--db", directory.path("y")])
        #expect(missing.status == 65)
        #expect(missing.stderr.hasPrefix("Error: "))
    }
}
