import Foundation
import TilsynSamples
import Testing
import TilsynAudit
import TilsynSheets
import TilsynTestSupport

/// End-to-end runs of `tilsyn import`, `validate` and `summary` on the committed samples, into SQLite and PostgreSQL.
@Suite struct ImportCommandTests {
    static let samples = TestPaths.packageRoot.appendingPathComponent("Samples")
    static var returned: String { samples.appendingPathComponent("returned").path }
    static var invalid: String { samples.appendingPathComponent("invalid").path }

    @Test(arguments: Backend.available)
    func importOfTheSamplesRejectsTheInvalidOnesAndWritesADanishReport(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-import")
        defer { directory.cleanUp() }
        let store = try TestStore(backend, in: directory, name: "import")
        defer { store.drop() }
        let db = store.db
        let result = try runTilsyn([
                "import", Self.returned, Self.invalid, "--db", db, "--kommune", SampleData.kommune, "--report",
                directory.path("fund.xlsx"), "--summary",
        ], currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 65, "\(result.stderr)")
        // The eight invalid files, and the original of the dublet: of two files with the same case, level and
        // round and other content in one batch, neither is stored, and each names the other.
        #expect(result.stdout.contains("9 afvist"), "\(result.stdout)")
        #expect(result.stdout.contains("Gennemgange gemt: 451"))
        #expect(result.stderr.contains("nord/S-2025-0009.xlsx: Tilsyn!C4: fejl: Samme sag, niveau og runde findes også i "
            + "filen \(Self.invalid)/dublet-S-2025-0009.xlsx"))
        #expect(result.stderr.contains("dublet-S-2025-0009.xlsx: Tilsyn!C4: fejl: Samme sag, niveau og runde findes også i "
            + "filen \(Self.returned)/2025/niveau1/nord/S-2025-0009.xlsx"))
        #expect(result.stdout.contains("Pejlemærke, niveau 1"))
        #expect(result.stdout.contains("Runde 2024"))
        // The next step: the report with the sample narrative.
        let shown = backend == .sqlite ? db : "'\(db)'"  // a URL's ? and & are quoted for the shell
        #expect(result.stdout.hasSuffix(
            "tilsyn report --db \(shown) --narrative Samples/narrative.md --out rapport.pdf\n"),
            "\(result.stdout.suffix(200))")
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
        #expect(rows.first == FindingsReport.headers)
        #expect(rows.dropFirst().filter { $0.count > 8 && $0[8] == "fejl" }.count == 9)
        // File names relative to the folder given, never absolute.
        #expect(!rows.dropFirst().contains { $0.first?.hasPrefix("/") == true })
        let cpr = try #require(rows.first { $0.first == "cpr-i-bemaerkning.xlsx" })
        #expect(cpr[6] == "Tilsyn")
        #expect(cpr[7].hasPrefix("F"))
        // The overview: one row per file, its status in Danish and its counts.
        let overview = try workbook.load(try #require(workbook.sheet(named: "Overblik")))
        #expect(overview.rows.count == 1 + 225 + 10)
        let statuses = overview.rows.dropFirst().compactMap { row -> String? in
            if case .string(let text)? = row[column: 7]?.value { return text }
            return nil
        }
        #expect(statuses.filter { $0 == "Afvist" }.count == 9)
        #expect(Set(statuses).isSubset(of: Set(FindingsReport.Status.allCases.map(\.rawValue))))
        #expect(!rows.joined().joined().contains("010101"))

        // A second run without the dublet stores the original and finds every other file already imported; the
        // numbers printed are what the store holds.
        let again = try runTilsyn(["import", Self.returned, "--db", db, "--kommune", SampleData.kommune])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Filer: 1 modtaget, 0 modtaget med bemærkninger, 0 afvist, 224 allerede indlæst"),
                "\(again.stdout)")
        #expect(again.stdout.contains("Gennemgange gemt: 1;"))
        let totals = try storeRows(db, "SELECT (SELECT count(*) FROM file), (SELECT count(*) FROM review)")
        #expect(totals == [[String(168 + 58 + 1), String(451 + 1)]])

        let summary = try runTilsyn(["summary", "--db", db, "--by", "step", "--level", "2"])
        #expect(summary.status == 0)
        #expect(summary.stdout.contains("Sagsskridt, niveau 2"))
        #expect(!summary.stdout.contains("niveau 1"))
    }

    @Test(arguments: Backend.available)
    func validateStoresNothingAndWritesACSVReport(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-validate")
        defer { directory.cleanUp() }
        let store = try TestStore(backend, in: directory, name: "import")
        defer { store.drop() }
        let db = store.db
        let result = try runTilsyn(["validate", Self.invalid, "--db", db, "--report", directory.path("fund.csv")])
        #expect(result.status == 65)
        // Nothing made: no file, no tables in the database.
        if backend == .sqlite {
            #expect(!FileManager.default.fileExists(atPath: db))
        } else {
            #expect(try storeRows(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [["0"]])
        }
        let report = try Data(contentsOf: directory.url.appendingPathComponent("fund.csv"))
        #expect(report.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: report.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix(FindingsReport.headers.joined(separator: ";") + "\r\n"))
        #expect(text.contains(";fejl;Projektmappen er beskyttet med adgangskode"))
        let valid = try runTilsyn(["validate", Self.returned + "/2025/niveau2", "--db", db])
        #expect(valid.status == 0, "\(valid.stderr)")
        #expect(valid.stdout.contains("Filer: 75 modtaget"), "\(valid.stdout)")
    }

    @Test(arguments: Backend.available)
    func redactCPRStoresTheMaskedRemark(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-redact")
        defer { directory.cleanUp() }
        let store = try TestStore(backend, in: directory, name: "import")
        defer { store.drop() }
        let db = store.db
        let file = Self.invalid + "/cpr-i-bemaerkning.xlsx"
        let rejected = try runTilsyn(["import", file, "--db", db])
        #expect(rejected.status == 65)
        let redacted = try runTilsyn(["import", file, "--db", db, "--redact-cpr"])
        #expect(redacted.status == 0, "\(redacted.stderr)")
        let remarks = try storeRows(db, "SELECT remark FROM answer WHERE remark IS NOT NULL").map { $0[0] }
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

/// The findings workbooks reviewers get back: one per reviewer with only their files, printable on A4.
@Suite struct FindingsWorkbookTests {
    static var invalid: String { ImportCommandTests.invalid }

    @Test func onePerReviewerWithOnlyTheirFiles() throws {
        let directory = try TemporaryDirectory("cli-per-reviewer")
        defer { directory.cleanUp() }
        let result = try runTilsyn([
            "validate", Self.invalid, "--db", directory.path("none.sqlite"), "--report-per-reviewer",
            directory.path("fund"),
        ])
        #expect(result.status == 65)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path("fund")).sorted()
        #expect(names.count >= 2 && names.allSatisfy { $0.hasPrefix("fund-") && $0.hasSuffix(".xlsx") }, "\(names)")
        var seen: [String] = []
        for name in names {
            let workbook = try Workbook(path: directory.path("fund/\(name)"))
            let overview = try workbook.load(try #require(workbook.sheet(named: "Overblik")))
            for row in overview.rows.dropFirst() {
                guard case .string(let file)? = row[column: 1]?.value else { continue }
                seen.append(file)
                // The reviewer column holds this workbook's reviewer (or none for files without one).
                let reviewer: String
                if case .string(let text)? = row[column: 6]?.value { reviewer = text } else { reviewer = "" }
                #expect(name == "fund-" + (reviewer.isEmpty ? "ukendt" : reviewer) + ".xlsx", "\(file) in \(name)")
            }
        }
        // Every file is in exactly one of the workbooks.
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.invalid)
        #expect(seen.sorted() == files.sorted())
    }

    @Test(.enabled(if: (ExternalTools.soffice != nil && ExternalTools.find(["pdftotext"]) != nil) || TestPaths.isCI,
                   "needs LibreOffice and pdftotext"))
    func printsOnePageWideWithEveryMessageWhole() throws {
        let soffice = try #require(ExternalTools.soffice, "no soffice: .ci/run installs libreoffice-calc-nogui")
        let pdftotext = try #require(ExternalTools.find(["pdftotext"]), "no pdftotext: .ci/run installs poppler-utils")
        let directory = try TemporaryDirectory("cli-findings-pdf")
        defer { directory.cleanUp() }
        let report = directory.path("fund.xlsx")
        _ = try runTilsyn(["validate", Self.invalid, "--db", directory.path("none.sqlite"), "--report", report])
        let run = try ExternalTools.convertWithLibreOffice(soffice, files: [report], to: "pdf", outputDirectory: directory.url)
        try #require(run.status == 0, "\(run.output)")
        let text = try runProcess(pdftotext, [directory.path("fund.pdf"), "-"])
        let flat = text.stdout.split { $0.isWhitespace }.joined(separator: " ")
        // Every page carries the whole header row (one page wide), and each message is there in full.
        let pages = text.stdout.split(separator: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        for page in pages where page.contains("Besked") {
            #expect(page.contains("Forslag") && page.contains("Fil"))
        }
        let workbook = try Workbook(path: report)
        let fund = try workbook.load(try #require(workbook.sheet(named: "Fund")))
        for row in fund.rows.dropFirst() {
            guard case .string(let message)? = row[column: 10]?.value else { continue }
            let words = message.split { $0.isWhitespace }
            // Long messages wrap inside their cell; each of their words is printed (nothing clipped).
            #expect(words.allSatisfy { flat.contains($0) }, "\(message)")
        }
    }
}

/// The findings go to reviewers and name no flags; the command's closing lines say which of its flags helps (on SQLite
/// and on PostgreSQL).
@Suite struct ImportFlagAdviceTests {
    @Test(arguments: Backend.available)
    func aResubmissionAndARoundConflictAreAnsweredWithTheFlagThatHelps(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("import-advice")
        defer { directory.cleanUp() }
        let header = "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato\r\n"
        func file(_ name: String, answer: String, round: String = "2025") throws -> String {
            let path = directory.path(name)
            try (header + "S-2025-0001;1;\(round);U.1;\(answer);;Enhed Vest;32;AB;14-03-2025\r\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let store = try TestStore(backend, in: directory, name: "advice")
        defer { store.drop() }
        let db = store.db
        #expect(try runTilsyn(["import", try file("a.csv", answer: "Ja"), "--db", db]).status == 0)

        let again = try runTilsyn(["import", try file("b.csv", answer: "Nej"), "--db", db])
        #expect(again.status == 65)
        #expect(again.stderr.contains("Gennemgangen er indsendt før") && !again.stderr.contains("--replace"))
        #expect(again.stdout.contains("--replace erstatter de gemte"), "\(again.stdout)")
        #expect(try runTilsyn(["import", directory.path("b.csv"), "--db", db, "--replace"]).status == 0)

        let other = try runTilsyn(["import", try file("c.csv", answer: "Ja", round: "2024"), "--db", db, "--round", "2025"])
        #expect(other.status == 65)
        #expect(!other.stderr.contains("--round"), "\(other.stderr)")
        #expect(other.stdout.contains("--round gælder alle filer i indlæsningen"), "\(other.stdout)")
    }

    /// A case stored with a kommune and a file naming none: refused, with the flag and the setting that help in the
    /// closing lines; `--kommune` imports it, and `tilsyn config set kommune` names the store's own.
    @Test(arguments: Backend.available)
    func aKommuneConflictIsAnsweredWithTheKommuneFlagAndSetting(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("import-kommune")
        defer { directory.cleanUp() }
        let header = "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato;kommune\r\n"
        func file(_ name: String, case number: String = "S-2025-0001", level: Int, kommune: String) throws -> String {
            let path = directory.path(name)
            try (header + "\(number);\(level);2025;U.1;Ja;;Enhed Vest;32;AB;14-03-2025;\(kommune)\r\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let store = try TestStore(backend, in: directory, name: "advice")
        defer { store.drop() }
        let db = store.db
        #expect(try runTilsyn(["import", try file("a.csv", level: 1, kommune: "Aarhus"), "--db", db]).status == 0)
        let unnamed = try file("b.csv", level: 2, kommune: "")
        let refused = try runTilsyn(["import", unnamed, "--db", db])
        #expect(refused.status == 65)
        #expect(
            refused.stderr.contains("Sagen er gemt under kommunen »Aarhus«") && !refused.stderr.contains("--kommune"))
        #expect(refused.stdout.contains("--kommune K angiver kommunen"), "\(refused.stdout)")
        #expect(refused.stdout.contains("tilsyn config set kommune K"), "\(refused.stdout)")

        #expect(try runTilsyn(["import", unnamed, "--db", db, "--kommune", " "]).status != 0)
        #expect(try runTilsyn(["import", unnamed, "--db", db, "--kommune", "Aarhus"]).status == 0)

        // The store's own kommune: files naming none are stored under it.
        #expect(try runTilsyn(["config", "get", "kommune", "--db", db]).stdout.contains("not set"))
        #expect(try runTilsyn(["config", "set", "kommune", " Aarhus", "--db", db]).status != 0)
        #expect(try runTilsyn(["config", "set", "kommune", "Aarhus", "--db", db]).status == 0)
        #expect(try runTilsyn(["config", "get", "kommune", "--db", db]).stdout == "Aarhus (set in the store)\n")
        #expect(try runTilsyn(["import", try file("c.csv", case: "S-2025-0002", level: 1, kommune: ""), "--db", db])
            .status == 0)
        #expect(
            try runTilsyn(["import", try file("d.csv", case: "S-2025-0002", level: 2, kommune: "Aarhus"), "--db", db])
            .status == 0, "stored under the store's kommune, so no conflict")
    }
}
