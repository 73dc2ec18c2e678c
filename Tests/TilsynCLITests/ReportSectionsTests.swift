import Foundation
import Testing
import TilsynTestSupport

/// The report's sections in Copenhagen's form on a generated store of 6 rounds, 5 units and 4 levels: every section
/// present, and every figure of the new tables equal to `tilsyn summary/agreement --format json` for the same
/// selection.
@Suite struct ReportSectionsTests {
    static let rounds = ["2020", "2021", "2022", "2023", "2024", "2025"]
    static let units = ["Enhed A", "Enhed B", "Enhed C", "Enhed D", "Enhed E"]
    static let questions = ["U.1", "U.2", "S.1", "B.1", "P.1", "O.1", "P.4"]

    /// Each round: four cases per unit (one in Enhed E in 2025), all at levels 1 and 2, the first two at levels 3
    /// and 4; answers follow a fixed hash of case, question and level; TN.1 and TN.2 in 2025 only.
    static func store(in directory: TemporaryDirectory) throws -> String {
        var csv = AnalysisCommandTests.header
        for (r, round) in rounds.enumerated() {
            for (u, unit) in units.enumerated() {
                let cases = round == "2025" && unit == "Enhed E" ? 1 : 4
                for index in 0..<cases {
                    let number = "G-\(round)-\(u)-\(index)"
                    for level in index < 2 ? [1, 2, 3, 4] : [1, 2] {
                        var asked = questions
                        if round == "2025" { asked += ["TN.1", "TN.2"] }
                        for (q, question) in asked.enumerated() {
                            let hash = (r * 31 + u * 17 + index * 7 + q * 5 + (level > 1 ? level * 3 : 0)) % 10
                            let answer =
                                question == "P.4" || question == "TN.2"
                                ? ["Lav grad", "Nogen grad", "Høj grad"][hash % 3]
                                : hash < 7 ? "Ja" : hash < 9 ? "Nej" : "Ikke relevant"
                            csv += "\(number);\(level);\(round);\(question);\(answer);;\(unit);32;"
                            csv += "R\(level);14-03-\(round)\r\n"
                        }
                    }
                }
            }
        }
        let input = directory.path("svar.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        let db = directory.path("tilsyn.sqlite")
        let result = try runTilsyn(["import", input, "--db", db])
        try #require(result.status == 0, "\(result.stderr)")
        return db
    }

    /// The cells (text) of each body row of the HTML table whose caption starts with `caption`.
    static func rows(_ html: String, _ caption: String) throws -> [[String]] {
        let start = try #require(html.range(of: "<caption>\(caption)"), "no table \(caption)")
        let end = try #require(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
        let body = html[start.upperBound..<end.lowerBound]
        return body.components(separatedBy: "<tr>").dropFirst(2).map { row in
            row.components(separatedBy: "<td").dropFirst().map { cell in
                let text = cell.drop { $0 != ">" }.dropFirst()
                return String(text.prefix { $0 != "<" })
                    .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
            }
        }
    }

    /// `(7/8)` as a share cell shows its counts.
    static func counts(_ row: [String: Any]) -> String {
        let yes = (row["low"] != nil)
            ? (row["some"] as? Int ?? 0) + (row["high"] as? Int ?? 0) : row["yes"] as? Int ?? 0
        return "(\(ReportCommandTests.danishCounts(yes, row["n"] as? Int ?? 0)))"
    }

    @Test func everySectionAndEveryFigureEqualsTheCommands() throws {
        let directory = try TemporaryDirectory("report-sections")
        defer { directory.cleanUp() }
        let db = try Self.store(in: directory)
        let path = directory.path("rapport.html")
        let run = try runTilsyn(["report", "--db", db, "--internal", "--out", path, "--date", "2026-12-03"])
        try #require(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: path, encoding: .utf8)

        // Every section, in order.
        var position = html.startIndex
        for title in ReportCommandTests.sectionTitles {
            let range = html.range(of: "<h2>\(title)</h2>", range: position..<html.endIndex)
            #expect(range != nil, "section \(title) missing or out of order")
            position = range?.upperBound ?? position
        }
        var checked = 0

        // Hovedresultater: each pejlemærke in each of the six rounds at the baseline level (kk-2025: niveau 2).
        let themes = try ReportCommandTests.json(db, ["summary", "--by", "theme", "--by", "round", "--level", "2"])
            .filter { $0["low"] == nil }
        let history = try Self.rows(html, "Lovoverholdelse pr. pejlemærke over runder, niveau 2")
        #expect(history.first?.count == 1 + 6 + 1, "name, six rounds, change")
        for group in themes {
            let round = try #require(Self.rounds.firstIndex(of: group["round"] as? String ?? ""))
            let line = try #require(history.first { !$0.isEmpty && $0[1 + round].hasSuffix(Self.counts(group)) }, "\(group)")
            #expect(!line.isEmpty)
            checked += 1
        }

        // Every question of a sagsskridt in each round.
        let questions = try ReportCommandTests.json(
            db, ["summary", "--by", "question", "--by", "round", "--level", "2"]
        ).filter { $0["low"] == nil && !($0["question"] as? String ?? "").hasPrefix("TN") }
        for group in questions {
            let id = try #require(group["question"] as? String)
            let step = String(id.prefix { $0 != "." })
            let caption = [
                "U": "Underretning", "S": "Screening", "B": "Børnefaglig undersøgelse", "P": "Barnets plan og ungeplan",
                "O": "Opfølgning",
            ][step] ?? step
            let table = try Self.rows(html, "\(caption): spørgsmålene over runder, niveau 2")
            let line = try #require(table.first { $0.first == id }, "no row \(id)")
            let round = try #require(Self.rounds.firstIndex(of: group["round"] as? String ?? ""))
            #expect(line[2 + round].hasSuffix(Self.counts(group)), "\(id) \(group["round"] ?? ""): \(line)")
            checked += 1
        }

        // Enhed × sagsskridt in 2025.
        let cells = try ReportCommandTests.json(
            db, ["summary", "--by", "unit", "--by", "step", "--round", "2025", "--level", "2"]
        ).filter { $0["low"] == nil && ($0["n"] as? Int ?? 0) > 0 }
        let matrix = try Self.rows(html, "Lovoverholdelse pr. enhed og sagsskridt, niveau 2, runde 2025")
        for group in cells {
            let line = try #require(matrix.first { $0.first == group["unit"] as? String })
            #expect(line.contains { $0.hasSuffix(Self.counts(group)) }, "\(group)")
            checked += 1
        }

        // Agreement: every pair of levels and all four, in 2025.
        let agreement = try ReportCommandTests.json(db, ["agreement", "--round", "2025"])
        let pairs = try Self.rows(html, "Enighed pr. par af niveauer og mellem alle niveauer, runde 2025")
        #expect(agreement.count == 6 + 1 && pairs.count == agreement.count)
        for group in agreement {
            let levels = (group["levels"] as? [Int] ?? []).map(String.init).joined(separator: ", ")
            let line = try #require(pairs.first { $0.first == levels }, "no row \(levels)")
            let agree = try #require(group["agree"] as? Int)
            let compared = try #require(group["compared"] as? Int)
            #expect(line[1] == String(try #require(group["cases"] as? Int)))
            #expect(line[2].hasSuffix("(\(ReportCommandTests.danishCounts(agree, compared)))"), "\(line)")
            checked += 1
        }
        #expect(html.contains("Niveau 1, 2, 3 og 4 er enige i"))

        // The temanedslag: TN.1 in 2025 only, in its own section.
        let temanedslag = try ReportCommandTests.json(
            db, ["summary", "--by", "question", "--round", "2025", "--level", "2"]
        ).filter { ($0["question"] as? String ?? "").hasPrefix("TN") }
        let tn = try Self.rows(html, "Temanedslag, niveau 2, runde 2025")
        for group in temanedslag {
            let line = try #require(tn.first { $0.first == group["question"] as? String })
            #expect(line.last?.hasSuffix(Self.counts(group)) == true, "\(line)")
            checked += 1
        }
        #expect(checked > 80, "\(checked) figures compared")
    }

    @Test func theExternalReportShowsNoFigureForOneCase() throws {
        let directory = try TemporaryDirectory("report-sections-external")
        defer { directory.cleanUp() }
        let db = try Self.store(in: directory)
        let path = directory.path("rapport.html")
        // External is the default: no flag.
        let run = try runTilsyn(["report", "--db", db, "--out", path, "--date", "2026-12-03"])
        try #require(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("Ekstern udgave"))
        // Enhed E has one case in 2025: every cell of its matrix rows is suppressed, and its own line too.
        for caption in [
            "Lovoverholdelse pr. enhed og sagsskridt, niveau 2, runde 2025",
            "Lovoverholdelse pr. enhed og pejlemærke, niveau 2, runde 2025",
        ] {
            let line = try #require(try Self.rows(html, caption).first { $0.first == "Enhed E" })
            let figures = line.dropFirst().filter { !$0.isEmpty && !$0.contains("op,") }
            #expect(!figures.isEmpty && figures.allSatisfy { $0 == "–" }, "\(caption): \(line)")
        }
        #expect(html.contains("<td>Enhed E</td><td class=\"num\">–</td>"))
        #expect(!html.contains("G-2025-"), "no case number")
    }

    /// The internal version says so on every printed page; the external one on none.
    @Test(.needsChromium) func theInternalVersionSaysSoOnEveryPrintedPage() throws {
        let chromium = try #require(Requirement.chromium())
        let pdftotext = try #require(ExternalTools.find(["pdftotext"]), "no pdftotext: .ci/run installs poppler-utils")
        let pdfinfo = try #require(ExternalTools.find(["pdfinfo"]), "no pdfinfo: .ci/run installs poppler-utils")
        let directory = try TemporaryDirectory("report-internal-mark")
        defer { directory.cleanUp() }
        let db = try Self.store(in: directory)
        for isInternal in [true, false] {
            let html = directory.path("rapport-\(isInternal).html")
            let pdf = directory.path("rapport-\(isInternal).pdf")
            let run = try runTilsyn(
                ["report", "--db", db, "--out", html, "--date", "2026-12-03"] + (isInternal ? ["--internal"] : []))
            try #require(run.status == 0, "\(run.stderr)")
            let print = try runProcess(
                chromium,
                [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    "--user-data-dir=\(directory.path("profile"))", "--print-to-pdf=\(pdf)", "file://\(html)",
                ])
            try #require(print.status == 0, "\(print.stderr)")
            let info = try runProcess(pdfinfo, [pdf]).stdout
            let pages = try #require(
                info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
                    .flatMap { Int($0.split(separator: " ").last ?? "") })
            let text = try runProcess(pdftotext, [pdf, "-"]).stdout
            let marks = text.components(separatedBy: "Intern udgave – må ikke forlade forvaltningen").count - 1
            #expect(pages > 5)
            #expect(marks == (isInternal ? pages : 0), "\(marks) marks on \(pages) pages")
        }
    }

    /// A store across municipalities: the report adds compliance per kommune, whose kommune resting on fewer than 5
    /// children is suppressed outside the administration as a unit is; a store of one municipality has no such table.
    @Test func aStoreOfSeveralKommunerReportsPerKommune() throws {
        let directory = try TemporaryDirectory("report-kommune")
        defer { directory.cleanUp() }
        var csv = "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato;kommune\r\n"
        for (kommune, cases) in [("Aarhus", 8), ("Odense", 3)] {
            for index in 0..<cases {
                csv += "K-\(index);2;2025;U.1;\(index == 0 ? "Nej" : "Ja");;Enhed Vest;32;JU;14-03-2025;\(kommune)\r\n"
            }
        }
        let input = directory.path("svar.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        let db = directory.path("tilsyn.sqlite")
        try #require(try runTilsyn(["import", input, "--db", db]).status == 0)
        let inside = directory.path("intern.html")
        try #require(try runTilsyn(["report", "--db", db, "--internal", "--out", inside]).status == 0)
        let rows = try Self.rows(try String(contentsOfFile: inside, encoding: .utf8), "Lovoverholdelse pr. kommune")
        #expect(rows.map { Array($0.prefix(2)) } == [["Aarhus", "7/8"], ["Odense", "2/3"]])
        let units = try Self.rows(try String(contentsOfFile: inside, encoding: .utf8), "Lovoverholdelse pr. enhed")
        #expect(units.map(\.first) == ["Aarhus: Enhed Vest", "Odense: Enhed Vest"])

        let workbook = directory.path("intern.xlsx")
        try #require(try runTilsyn(["report", "--db", db, "--internal", "--out", workbook]).status == 0)
        let sheet = try runTilsyn(["cat", workbook, "--sheet", "Kommuner", "--format", "csv"])
        #expect(
            sheet.status == 0 && sheet.stdout.contains("Odense") && sheet.stdout.contains("Aarhus"), "\(sheet.stderr)")

        let external = directory.path("ekstern.html")
        try #require(try runTilsyn(["report", "--db", db, "--out", external]).status == 0)
        let shown = try Self.rows(try String(contentsOfFile: external, encoding: .utf8), "Lovoverholdelse pr. kommune")
        #expect(shown.first { $0.first == "Odense" }?[1] == "–")

        let one = directory.path("one.sqlite")
        try #require(try runTilsyn(["import", input, "--db", one, "--kommune", "Aarhus"]).status == 65,
                     "the file names Odense too")
        let single = csv.split(separator: "\r\n").filter { !$0.contains("Odense") }.joined(separator: "\r\n") + "\r\n"
        try Data(single.utf8).write(to: URL(fileURLWithPath: input))
        try #require(try runTilsyn(["import", input, "--db", one]).status == 0)
        let alone = directory.path("alene.html")
        try #require(try runTilsyn(["report", "--db", one, "--internal", "--out", alone]).status == 0)
        #expect(!(try String(contentsOfFile: alone, encoding: .utf8)).contains("pr. kommune"))
    }
}
