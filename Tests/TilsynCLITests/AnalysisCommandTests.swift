import Foundation
import Testing
import TilsynTestSupport

/// End-to-end runs of `tilsyn summary` and `tilsyn agreement` on a store imported from a long CSV file, on SQLite and
/// on PostgreSQL.
@Suite struct AnalysisCommandTests {
    static let header = "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato\r\n"

    /// U.1 at level 1: 441 Ja (S-0 … S-440), 42 Nej and 3 Ikke relevant, on cases S-0 … S-485. Level 2 reviews
    /// S-0 … S-9: Ja on S-0 … S-7, Nej on S-8 and S-9. Level 3 reviews S-0 … S-2: Ja.
    static func store(in directory: TemporaryDirectory, _ backend: Backend) throws -> TestStore {
        var csv = header
        for index in 0..<486 {
            let answer = index < 441 ? "Ja" : index < 483 ? "Nej" : "Ikke relevant"
            csv += "S-\(index);1;2025;U.1;\(answer);;Enhed Vest;32;AB;14-03-2025\r\n"
        }
        for index in 0..<10 {
            csv += "S-\(index);2;2025;U.1;\(index < 8 ? "Ja" : "Nej");;Enhed Vest;32;CD;20-03-2025\r\n"
        }
        for index in 0..<3 {
            csv += "S-\(index);3;2025;U.1;Ja;;Enhed Vest;32;EF;24-03-2025\r\n"
        }
        let input = directory.path("svar.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        let store = try TestStore(backend, in: directory, name: "analysis")
        let result = try runTilsyn(["import", input, "--db", store.db])
        #expect(result.status == 0, "\(result.stderr)")
        return store
    }

    static func jsonRows(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test(arguments: Backend.available)
    func summaryInEveryFormat(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-summary")
        defer { directory.cleanUp() }
        let store = try Self.store(in: directory, backend)
        defer { store.drop() }
        let db = store.db

        let table = try runTilsyn(["summary", "--db", db, "--by", "question", "--level", "1"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Spørgsmål, niveau 1"))
        #expect(table.stdout.contains("91,3 % (441/483)"))

        let json = try runTilsyn(["summary", "--db", db, "--by", "question", "--by", "level", "--format", "json"])
        let rows = try Self.jsonRows(json.stdout)
        #expect(rows.count == 3)
        #expect(
            Set(rows[0].keys) == [
                "question", "level", "yes", "no", "notApplicable", "unanswered", "n", "cases", "rate", "ciLow",
                "ciHigh",
            ])
        // Per question and level, one answer per case: 483 answers from 483 cases.
        #expect(rows[0]["cases"] as? Int == 483)
        #expect(rows[0]["question"] as? String == "U.1" && rows[0]["level"] as? Int == 1)
        #expect(rows[0]["yes"] as? Int == 441 && rows[0]["n"] as? Int == 483 && rows[0]["notApplicable"] as? Int == 3)
        let rate = try #require(rows[0]["rate"] as? Double)
        #expect(abs(rate - 441.0 / 483.0) < 1e-12)
        #expect(rows[1]["yes"] as? Int == 8 && rows[1]["n"] as? Int == 10)

        let flat = try runTilsyn(["summary", "--db", db, "--by", "level", "--by", "reviewer"])
        #expect(flat.stdout.contains("80,0 % (8/10)"))
        #expect(flat.stdout.contains("forsigtig fortolkning"))

        let csv = try runTilsyn(["summary", "--db", db, "--by", "unit", "--format", "csv"])
        #expect(csv.stdoutBytes.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(csv.stdout.contains("Niveau;Enhed;Ja;Nej;Ikke relevant;Ubesvaret;N;Sager;Andel ja"))
        #expect(csv.stdout.contains("1;Enhed Vest;441;42;3;0;483;483;"))
        #expect(csv.stdout.contains("2;Enhed Vest;8;2;0;0;10;10;"))

        let xlsx = directory.path("summary.xlsx")
        let workbook = try runTilsyn(["summary", "--db", db, "--by", "round", "--format", "xlsx", "-o", xlsx])
        #expect(workbook.status == 0)
        #expect(FileManager.default.fileExists(atPath: xlsx))
        let missing = try runTilsyn(["summary", "--db", db, "--format", "xlsx"])
        #expect(missing.status != 0)
    }

    /// The baseline level: kk-2025's model names niveau 2; a store-wide setting overrides it until unset.
    @Test(arguments: Backend.available)
    func baselineLevelIsAStoreSetting(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-config")
        defer { directory.cleanUp() }
        let store = try Self.store(in: directory, backend)
        defer { store.drop() }
        let db = store.db
        let initial = try runTilsyn(["config", "get", "baseline-level", "--db", db])
        #expect(initial.status == 0 && initial.stdout == "2 (the baseline level of catalogue kk-2025)\n")
        #expect(try runTilsyn(["config", "set", "baseline-level", "1", "--db", db]).status == 0)
        #expect(try runTilsyn(["config", "get", "baseline-level", "--db", db]).stdout == "1 (set in the store)\n")
        let bad = try runTilsyn(["config", "set", "baseline-level", "5", "--db", db])
        #expect(bad.status == 64 && bad.stderr.contains("1 to 4"))
        #expect(try runTilsyn(["config", "get", "baseline-level", "--db", db]).stdout.hasPrefix("1 "))
        #expect(try runTilsyn(["config", "unset", "baseline-level", "--db", db]).status == 0)
        #expect(try runTilsyn(["config", "get", "baseline-level", "--db", db]).stdout.hasPrefix("2 "))
        let missing = try runTilsyn(["config", "set", "baseline-level", "2", "--db", directory.path("none.sqlite")])
        #expect(missing.status == 65 && !FileManager.default.fileExists(atPath: directory.path("none.sqlite")))
    }

    @Test(arguments: Backend.available)
    func externalOutputSuppressesSmallGroupsAndProtectsTheTotal(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-external")
        defer { directory.cleanUp() }
        let store = try Self.store(in: directory, backend)
        defer { store.drop() }
        let db = store.db
        // Levels 1 (483), 2 (10) and 3 (3) are never added: each level has its own total. Level 3 is suppressed,
        // and so is its total (no other group at that level could hide it); no total over levels (496) exists.
        let json = try runTilsyn(["summary", "--db", db, "--by", "level", "--external", "--format", "json"])
        let rows = try Self.jsonRows(json.stdout)
        #expect(rows.map { $0["n"] as? Int } == [483, 483, 10, 10, nil, nil])
        #expect(rows.map { $0["level"] as? Int } == [1, 1, 2, 2, 3, 3])
        let table = try runTilsyn(["summary", "--db", db, "--by", "level", "--external"])
        #expect(table.stdout.contains("– Undertrykt"))
        #expect(!table.stdout.contains("(3/3)") && !table.stdout.contains("496"))
        #expect(table.stdout.contains("91,3 % (441/483)"))
    }

    @Test(arguments: Backend.available)
    func agreementBetweenTwoLevels(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-agreement")
        defer { directory.cleanUp() }
        let store = try Self.store(in: directory, backend)
        defer { store.drop() }
        let db = store.db
        let json = try runTilsyn(
            ["agreement", "--db", db, "--by", "question", "--level", "2", "--level", "1", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let rows = try Self.jsonRows(json.stdout)
        // S-0 … S-9: level 1 Ja on all ten; level 2 Ja on eight, Nej on S-8 and S-9.
        #expect(rows.count == 1)
        #expect(rows[0]["levels"] as? [Int] == [1, 2])
        #expect(rows[0]["question"] as? String == "U.1")
        #expect(rows[0]["compared"] as? Int == 10 && rows[0]["agree"] as? Int == 8)
        #expect(rows[0]["overruledYesToNo"] as? Int == 2 && rows[0]["overruledNoToYes"] as? Int == 0)
        // Level 1 said Ja to everything: chance agreement p_e = 1 · 0,8 = 0,8, p_o = 0,8, κ = 0.
        #expect(abs(try #require(rows[0]["kappa"] as? Double)) < 1e-12)
        let table = try runTilsyn(["agreement", "--db", db, "--level", "1", "--level", "2"])
        #expect(table.stdout.contains("80,0 % (8/10)"))
        // Every pair of levels, then all three together: S-0 … S-2, all Ja at every level.
        let three = try Self.jsonRows(try runTilsyn(["agreement", "--db", db, "--format", "json"]).stdout)
        #expect(three.map { $0["levels"] as? [Int] ?? [] } == [[1, 2], [1, 3], [2, 3], [1, 2, 3]])
        #expect(three[3]["compared"] as? Int == 3 && three[3]["agree"] as? Int == 3 && three[3]["cases"] as? Int == 3)
        #expect(three[0]["cases"] as? Int == 10 && three[0]["overruleRate"] as? Double == 0.2)
        let sentences = try runTilsyn(["agreement", "--db", db]).stdout
        #expect(sentences.contains("Niveau 1 og 2 er enige i 8 ud af 10 besvarede spørgsmål (10 sager), svarende til 80,0 %."))
        #expect(sentences.contains("Niveau 1, 2 og 3 er enige i 3 ud af 3 besvarede spørgsmål (3 sager), svarende til 100,0 %."))
        // By the lowest level's unit and reviewer (once refused): levels 1 and 2, all in Enhed Vest, reviewer AB.
        let byUnit = try runTilsyn(
            ["agreement", "--db", db, "--by", "unit", "--by", "reviewer", "--level", "1", "--level", "2",
             "--format", "json"])
        #expect(byUnit.status == 0, "\(byUnit.stderr)")
        let unitRows = try Self.jsonRows(byUnit.stdout)
        #expect(unitRows.count == 1 && unitRows[0]["unit"] as? String == "Enhed Vest")
        #expect(unitRows[0]["reviewer"] as? String == "AB" && unitRows[0]["compared"] as? Int == 10)
        let wrong = try runTilsyn(["agreement", "--db", db, "--by", "level"])
        #expect(wrong.status != 0)
    }

    /// `--by kommune` in summary, agreement and trend: two kommuner with a case number each uses for its own child.
    @Test(arguments: Backend.available)
    func everyAnalysisCommandGroupsByKommune(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-kommune")
        defer { directory.cleanUp() }
        var csv = "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato;kommune\r\n"
        for (kommune, answers) in [("Aarhus", ["Ja", "Ja", "Nej"]), ("Odense", ["Nej", "Nej", "Ja"])] {
            for (index, answer) in answers.enumerated() {
                csv += "S-\(index);1;2025;U.1;\(answer);;Enhed Vest;32;AB;14-03-2025;\(kommune)\r\n"
                csv += "S-\(index);2;2025;U.1;Ja;;Enhed Vest;32;CD;20-03-2025;\(kommune)\r\n"
            }
        }
        let input = directory.path("svar.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        let store = try TestStore(backend, in: directory, name: "analysis")
        defer { store.drop() }
        let db = store.db
        #expect(try runTilsyn(["import", input, "--db", db]).status == 0)

        let summary = try Self.jsonRows(
            runTilsyn(["summary", "--db", db, "--by", "kommune", "--level", "1", "--format", "json"]).stdout)
        #expect(summary.map { [$0["kommune"] as? String ?? "", String($0["yes"] as? Int ?? -1)] } == [
            ["Aarhus", "2"], ["Odense", "1"],
        ])
        let units = try runTilsyn(["summary", "--db", db, "--by", "unit", "--level", "1", "--format", "csv"])
        #expect(units.stdout.contains("Aarhus: Enhed Vest") && units.stdout.contains("Odense: Enhed Vest"))
        let agreement = try Self.jsonRows(
            runTilsyn(["agreement", "--db", db, "--by", "kommune", "--format", "json"]).stdout)
        #expect(agreement.map { [$0["kommune"] as? String ?? "", String($0["agree"] as? Int ?? -1)] } == [
            ["Aarhus", "2"], ["Odense", "1"],
        ])
        let trend = try runTilsyn(["trend", "--db", db, "--by", "kommune", "--level", "2", "--format", "csv"])
        #expect(
            trend.status == 0 && trend.stdout.contains("Aarhus") && trend.stdout.contains("Odense"), "\(trend.stderr)")
    }
}

/// `tilsyn trend` against a baseline round, on SQLite and on PostgreSQL.
@Suite struct TrendCommandTests {
    @Test(arguments: Backend.available)
    func trendAgainstTheEarliestRound(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-trend")
        defer { directory.cleanUp() }
        var csv = AnalysisCommandTests.header
        for index in 0..<8 {
            csv += "T-\(index);1;2019;U.1;\(index < 7 ? "Ja" : "Nej");;Enhed Vest;32;AB;14-03-2019\r\n"
        }
        for index in 0..<10 {
            csv += "T-\(index);1;2025;U.1;\(index < 9 ? "Ja" : "Nej");;Enhed Vest;32;AB;14-03-2025\r\n"
        }
        let input = directory.path("svar.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        let store = try TestStore(backend, in: directory, name: "analysis")
        defer { store.drop() }
        let db = store.db
        #expect(try runTilsyn(["import", input, "--db", db]).status == 0)
        let json = try runTilsyn(["trend", "--db", db, "--by", "question", "--format", "json"])
        let rows = try AnalysisCommandTests.jsonRows(json.stdout)
        #expect(rows.map { $0["round"] as? String } == ["2019", "2025"])
        #expect(rows.allSatisfy { $0["baseline"] as? String == "2019" && $0["question"] as? String == "U.1" })
        #expect(
            Set(rows[1].keys) == [
                "level", "question", "round", "baseline", "kind", "rate", "n", "cases", "changePoints",
            ])
        #expect(rows.map { $0["cases"] as? Int } == [8, 10] && rows.allSatisfy { $0["kind"] as? String == "yesNo" })
        #expect(rows.allSatisfy { $0["level"] as? Int == 1 })
        #expect(abs(try #require(rows[1]["changePoints"] as? Double) - 2.5) < 1e-9)
        let table = try runTilsyn(["trend", "--db", db, "--by", "question"])
        #expect(table.stdout.contains("87,5 % (7/8)") && table.stdout.contains("+2,5 pp"))
        let whole = try runTilsyn(["trend", "--db", db, "--by", "question", "--whole-percent"])
        #expect(whole.stdout.contains("88 % (7/8)") && whole.stdout.contains("90 % (9/10)"))
        #expect(try runTilsyn(["trend", "--db", db, "--by", "round"]).status != 0)
    }
}
