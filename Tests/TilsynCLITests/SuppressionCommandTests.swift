import Foundation
import Testing
import TilsynTestSupport

/// Suppression by children, end to end on SQLite and on PostgreSQL: units with one, four, five and six cases, each
/// case answering three questions (so four cases give twelve answers, which counting answers would have shown).
@Suite struct SuppressionCommandTests {
    static let units = [("Enhed En", 1), ("Enhed Fire", 4), ("Enhed Fem", 5), ("Enhed Seks", 6)]

    /// Rounds 2024 and 2025 at niveau 1, niveau 2 on the same cases in 2025; U.1 Ja, U.2 Nej on every second
    /// case, U.4 Ja.
    static func store(in directory: TemporaryDirectory, _ backend: Backend) throws -> TestStore {
        var csv = AnalysisCommandTests.header
        for round in ["2024", "2025"] {
            for (unit, count) in units {
                for index in 0..<count {
                    let number = "S-\(unit.split(separator: " ")[1])-\(round)-\(index)"
                    let levels = round == "2025" ? [1, 2] : [1]
                    for level in levels {
                        for (question, answer) in [("U.1", "Ja"), ("U.2", index % 2 == 0 ? "Nej" : "Ja"), ("U.4", "Ja")] {
                            csv += "\(number);\(level);\(round);\(question);\(answer);;\(unit);32;"
                            csv += "\(level == 1 ? "AB" : "CD");14-03-\(round)\r\n"
                        }
                    }
                }
            }
        }
        let input = directory.path("svar.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        let store = try TestStore(backend, in: directory, name: "suppression")
        let result = try runTilsyn(["import", input, "--db", store.db])
        try #require(result.status == 0, "\(result.stderr)")
        return store
    }

    static func json(_ db: String, _ arguments: [String]) throws -> [[String: Any]] {
        let run = try runTilsyn(arguments + ["--db", db, "--format", "json"])
        try #require(run.status == 0, "\(arguments): \(run.stderr)")
        return try AnalysisCommandTests.jsonRows(run.stdout)
    }

    /// The units whose row shows any figure (not suppressed), by the value of `field` being present.
    static func shown(_ rows: [[String: Any]], _ field: String) -> Set<String> {
        Set(rows.filter { !($0[field] is NSNull) && $0[field] != nil }.compactMap { $0["unit"] as? String })
    }

    @Test(arguments: Backend.available)
    func externalOutputsShowNothingRestingOnFewerThanFiveChildren(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-suppression")
        defer { directory.cleanUp() }
        let store = try Self.store(in: directory, backend)
        defer { store.drop() }
        let db = store.db

        // Internal output shows every unit, with its cases beside its answers.
        let internalRows = try Self.json(db, ["summary", "--by", "unit", "--round", "2025", "--level", "1"])
        #expect(internalRows.map { $0["cases"] as? Int } == [1, 5, 4, 6])  // units by name: En, Fem, Fire, Seks
        #expect(internalRows.map { $0["n"] as? Int } == [3, 15, 12, 18])

        // Summary: one and four cases suppressed; six too, since the total would reveal the other two.
        let summary = try Self.json(db, ["summary", "--by", "unit", "--round", "2025", "--level", "1", "--external"])
        #expect(Self.shown(summary, "n") == ["Enhed Fem", "I alt"])
        let total = try #require(summary.first { $0["unit"] as? String == "I alt" })
        #expect(total["n"] as? Int == 48)
        // Nothing printed lets the hidden units' answers be recovered: 48 − 15 = 33 spread over three units.
        #expect(summary.filter { $0["n"] is NSNull }.count == 3)

        // Agreement and trend show rows that stand alone (no total): five and six cases are shown.
        let agreement = try Self.json(db, ["agreement", "--by", "unit", "--external"])
        #expect(Self.shown(agreement, "compared") == ["Enhed Fem", "Enhed Seks"])
        #expect(agreement.first { $0["unit"] as? String == "Enhed Seks" }?["cases"] as? Int == 6)
        let trend = try Self.json(db, ["trend", "--by", "unit", "--level", "1", "--external"])
        #expect(Self.shown(trend, "n") == ["Enhed Fem", "Enhed Seks"])
        let allYes = try Self.json(db, ["summary", "--by", "unit", "--measure", "cases-all-ja", "--external"])
        #expect(Self.shown(allYes, "cases") == ["Enhed Fem", "Enhed Seks"])
        // Every second case answered U.2 Nej: in 2025 at niveau 1, Fem has cases 0, 2, 4 with a Nej.
        let fem = try #require(
            allYes.first {
                $0["unit"] as? String == "Enhed Fem" && $0["round"] as? String == "2025" && $0["level"] as? Int == 1
            })
        #expect(fem["cases"] as? Int == 5 && fem["allYes"] as? Int == 2)

        // The report: no unit figure for fewer than five children, and the footnote says so.
        let html = directory.path("ekstern.html")
        let report = try runTilsyn(["report", "--db", db, "--external", "--level", "1", "--out", html])
        try #require(report.status == 0, "\(report.stderr)")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.contains("<td>Enhed En</td><td class=\"num\">–</td>"))
        #expect(text.contains("<td>Enhed Fire</td><td class=\"num\">–</td>"))
        #expect(text.contains("Undertrykt: færre end 5 sager (børn)"))
        #expect(!text.contains("S-Fire-") && !text.contains("S-En-"))
    }

    @Test(arguments: Backend.available)
    func theThresholdIsAStoreSettingNeverBelowThree(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("cli-suppression-setting")
        defer { directory.cleanUp() }
        let store = try Self.store(in: directory, backend)
        defer { store.drop() }
        let db = store.db
        let low = try runTilsyn(["config", "set", "suppression-threshold", "2", "--db", db])
        #expect(low.status == 64 && low.stderr.contains("from 3"))
        #expect(try runTilsyn(["config", "set", "suppression-threshold", "3", "--db", db]).status == 0)
        let get = try runTilsyn(["config", "get", "suppression-threshold", "--db", db])
        #expect(get.stdout.hasPrefix("3 (set in the store)"))
        // Threshold 3: one case suppressed, and four (the smallest above it) to protect the total.
        let summary = try Self.json(db, ["summary", "--by", "unit", "--round", "2025", "--level", "1", "--external"])
        #expect(Self.shown(summary, "n") == ["Enhed Fem", "Enhed Seks", "I alt"])
        let agreement = try Self.json(db, ["agreement", "--by", "unit", "--external"])
        #expect(Self.shown(agreement, "compared") == ["Enhed Fire", "Enhed Fem", "Enhed Seks"])
    }
}
