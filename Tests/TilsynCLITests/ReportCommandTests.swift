import Foundation
import TilsynSamples
import GRDB
import Testing
import TilsynAudit
import TilsynSheets
import TilsynTestSupport

/// `tilsyn report` end to end on the sample rounds: the figures against `tilsyn summary`, the HTML page in headless
/// Chromium, the workbook in LibreOffice, CPR numbers planted in the store, and small-number suppression.
@Suite struct ReportCommandTests {
    /// `Samples/returned` imported once into a store that the tests only read.
    static let samples: Result<String, any Error> = Result {
        let directory = try TemporaryDirectory("report-samples")
        let db = directory.path("tilsyn.sqlite")
        let input = TestPaths.packageRoot.appendingPathComponent("Samples/returned").path
        let result = try runTilsyn(["import", input, "--db", db, "--kommune", SampleData.kommune])
        guard result.status == 0 else { throw ReportTestError("import failed: \(result.stderr)") }
        return db
    }

    static let sectionTitles = [
        "Nøgletal", "Omfang", "Hovedresultater", "Lovoverholdelse pr. pejlemærke og sagsskridt",
        "Spørgsmål pr. sagsskridt", "Lovoverholdelse pr. enhed", "Lovoverholdelse pr. indsats",
        "Udvikling siden baseline", "Enighed mellem niveauer", "Spørgsmål med lavest overholdelse",
        "Socialfaglig kvalitet", "Temanedslag", "Noter og metode",
    ]

    // MARK: - Number by number

    /// Every Ja and N in the workbook equals `tilsyn summary --round 2025 --by … --format json`, and the HTML page
    /// shows each as `Ja/N` with its Danish percentage.
    @Test func sampleRoundMatchesSummaryNumberByNumber() throws {
        let db = try Self.samples.get()
        let directory = try TemporaryDirectory("report-numbers")
        defer { directory.cleanUp() }
        let xlsx = directory.path("rapport.xlsx")
        let html = directory.path("rapport.html")
        for out in [xlsx, html] {
            let run = try runTilsyn(
                ["report", "--db", db, "--round", "2025", "--internal", "--out", out, "--date", "2026-11-23"])
            try #require(run.status == 0, "\(run.stderr)")
        }
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let workbook = try Workbook(path: xlsx)
        #expect(
            workbook.sheets.map(\.name) == [
                "Nøgletal", "Omfang", "Hovedresultater", "Pejlemærker", "Sagsskridt", "Enheder", "Indsatser",
                "Spørgsmål pr. sagsskridt", "Udvikling", "Enighed", "Lavest overholdelse", "Socialfaglig kvalitet",
                "Temanedslag", "Bemærkninger", "Noter",
            ])

        var checked = 0
        for (sheet, dimension) in [
            ("Pejlemærker", "theme"), ("Sagsskridt", "step"), ("Enheder", "unit"), ("Indsatser", "measure"),
        ] {
            let expected = try Self.summary(db, by: dimension).filter { $0["low"] == nil }
            let rows = try Self.table(workbook, sheet)
            let byId = Dictionary(rows.map { ($0[0], $0) }, uniquingKeysWith: { first, _ in first })
            #expect(rows.filter { $0[1] != "I alt" }.count == expected.count, "\(sheet): one row per group")
            for group in expected {
                let id = Self.text(group[dimension])
                let yes = try #require(group["yes"] as? Int)
                let n = try #require(group["n"] as? Int)
                let row = try #require(byId[id], "\(sheet) has no row \(id)")
                #expect(row[2] == String(yes) && row[3] == String(n), "\(sheet) \(id): \(row) against \(yes)/\(n)")
                #expect(row[4] == Self.danishCounts(yes, n))
                if let rate = group["rate"] as? Double, let shown = Double(row[5]) {
                    #expect(abs(shown - rate) < 1e-12, "\(sheet) \(id): rate")
                } else {
                    Issue.record("\(sheet) \(id): no rate")
                }
                #expect(page.contains(Self.danishCounts(yes, n)), "the page lacks \(sheet) \(id) \(yes)/\(n)")
                checked += 1
            }
        }
        #expect(checked > 15)

        // The total, per level, and the lowest questions and degree questions per question.
        let total = try #require(try Self.summary(db, by: nil).first { $0["low"] == nil })
        let keyFigures = try Self.table(workbook, "Nøgletal", headerRow: nil)
        // The headline is the baseline level's (kk-2025: niveau 2), never levels added together.
        let overall = try #require(keyFigures.first { $0.first == "Lovoverholdelse, niveau 2" })
        #expect(!keyFigures.contains { $0.first == "Lovoverholdelse i alt" || $0.first == "I alt" })
        #expect(!page.contains("talt sammen"))
        #expect(
            overall.contains(Self.danishCounts(try #require(total["yes"] as? Int), try #require(total["n"] as? Int))))
        let levels = try Self.summary(db, by: "level").filter { $0["low"] == nil }
        for level in levels {
            let row = try #require(keyFigures.first { $0.first == Self.text(level["level"]) && $0.count > 4 })
            #expect(row[3] == Self.text(level["yes"]) && row[4] == Self.text(level["n"]), "level \(row)")
        }
        let questions = try Self.summary(db, by: "question")
        let byQuestion = Dictionary(
            questions.map { ("\(Self.text($0["question"]))|\($0["low"] == nil)", $0) }, uniquingKeysWith: { a, _ in a })
        let lowest = try Self.table(workbook, "Lavest overholdelse")
        #expect(lowest.count == 10)
        var previous = -1.0
        for row in lowest {
            let question = try #require(byQuestion["\(row[0])|true"])
            #expect(row[3] == Self.text(question["yes"]) && row[4] == Self.text(question["n"]), "lowest \(row)")
            let rate = try #require(question["rate"] as? Double)
            #expect(rate >= previous)
            previous = rate
        }
        let worse = questions.filter { ($0["rate"] as? Double ?? 2) < previous }.count
        #expect(worse <= 10, "a question with lower compliance is missing from the list")
        let degree = try Self.table(workbook, "Socialfaglig kvalitet")
        #expect(degree.count == questions.filter { $0["low"] != nil }.count && !degree.isEmpty)
        for row in degree {
            let question = try #require(byQuestion["\(row[0])|false"])
            #expect(
                [row[2], row[3], row[4], row[5]]
                    == [question["low"], question["some"], question["high"], question["n"]].map { Self.text($0) },
                "degree \(row)")
        }
    }

    /// Agreement per pejlemærke equals `tilsyn agreement --round 2025 --by theme`, the development per pejlemærke
    /// equals `tilsyn trend --by theme`, and a report of one level equals `tilsyn summary --level 1`.
    @Test func agreementTrendAndLevelMatchTheirCommands() throws {
        let db = try Self.samples.get()
        let directory = try TemporaryDirectory("report-agreement")
        defer { directory.cleanUp() }
        let xlsx = directory.path("rapport.xlsx")
        let run = try runTilsyn(["report", "--db", db, "--internal", "--out", xlsx, "--date", "2026-11-23"])
        try #require(run.status == 0, "\(run.stderr)")
        let workbook = try Workbook(path: xlsx)

        let agreement = try Self.json(db, ["agreement", "--round", "2025", "--by", "theme"])
        let agreementRows = try Self.table(workbook, "Enighed", headerRow: 5)
        #expect(agreementRows.filter { !$0[0].isEmpty }.count == agreement.count && !agreement.isEmpty)
        for group in agreement {
            let theme = Self.text(group["theme"])
            let row = try #require(agreementRows.first { $0[0] == theme }, "Enighed has no row \(theme)")
            let expected =
                ["compared", "agree"].map { Self.text(group[$0]) }
                + ["overruledYesToNo", "overruledNoToYes"].map { Self.text(group[$0]) }
            #expect([row[2], row[3], row[6], row[7]] == expected, "agreement \(theme): \(row)")
            let kappa = try #require(group["kappa"] as? Double)
            #expect(abs((Double(row[5]) ?? 9) - kappa) <= 0.005)
        }

        let trend = try Self.json(db, ["trend", "--by", "theme", "--level", "2"]).filter {
            $0["round"] as? String == "2025" && $0["kind"] as? String == "yesNo"
        }
        let trendRows = try Self.table(workbook, "Udvikling", after: "Pr. pejlemærke")
        #expect(trendRows.count == trend.count && !trend.isEmpty)
        for group in trend {
            let theme = Self.text(group["theme"])
            let row = try #require(trendRows.first { $0[0] == theme }, "Udvikling has no row \(theme)")
            #expect(row[3] == Self.text(group["n"]), "trend \(theme): \(row)")
            let rate = try #require(group["rate"] as? Double)
            let change = try #require(group["changePoints"] as? Double)
            #expect(abs((Double(row[4]) ?? 9) - rate) < 1e-12)
            #expect(abs((Double(row[8]) ?? 999) - change) <= 0.05)
        }

        let levelOne = directory.path("niveau1.xlsx")
        let one = try runTilsyn(
            ["report", "--db", db, "--level", "1", "--internal", "--out", levelOne, "--date", "2026-11-23"])
        try #require(one.status == 0, "\(one.stderr)")
        let steps = try Self.json(db, ["summary", "--round", "2025", "--level", "1", "--by", "step"])
            .filter { $0["low"] == nil }
        let stepRows = try Self.table(try Workbook(path: levelOne), "Sagsskridt")
        for group in steps {
            let row = try #require(stepRows.first { $0[0] == Self.text(group["step"]) })
            #expect(row[2] == Self.text(group["yes"]) && row[3] == Self.text(group["n"]), "level 1: \(row)")
        }
        // Agreement is computed on the store, not on the level the figures are for.
        #expect(
            try !Self.table(try Workbook(path: levelOne), "Enighed", headerRow: nil).contains {
                $0[0].hasPrefix("Runden har ikke gennemgange")
            })
    }

    // MARK: - Chromium

    /// The page renders in headless Chromium: a screenshot and an A4 PDF, every section heading in the DOM, no
    /// request but the page itself (recorded over the DevTools protocol), no console error. A control page with an
    /// outside image proves that the recorder sees requests.
    @Test(.needsChromium) func htmlRendersInChromiumWithoutAnyRequest() throws {
        let chromium = try #require(Requirement.chromium())
        let python = try #require(Requirement.python3())
        let db = try Self.samples.get()
        let directory = try TemporaryDirectory("report-chromium")
        defer { directory.cleanUp() }
        let html = directory.path("rapport.html")
        let run = try runTilsyn(["report", "--db", db, "--internal", "--out", html, "--date", "2026-11-23"])
        try #require(run.status == 0, "\(run.stderr)")
        let control = directory.path("kontrol.html")
        try Data(
            "<!DOCTYPE html><html><body><h2>Kontrol</h2><img src=\"http://tilsyn.invalid/logo.png\"></body></html>"
                .utf8
        ).write(to: URL(fileURLWithPath: control))

        let script = TestPaths.packageRoot.appendingPathComponent("Tests/Python/report_in_chromium.py").path
        let result = try runProcess(python, [script, chromium.path, directory.url.path, html, control])
        try #require(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let pages = try #require(object["pages"] as? [[String: Any]])
        try #require(pages.count == 2)
        let report = pages[0]
        #expect(report["loaded"] as? Bool == true)
        let url = try #require(report["url"] as? String)
        #expect(report["requests"] as? [String] == [url], "the page requested \(report["requests"] ?? "")")
        #expect((report["blocked"] as? [Any])?.isEmpty == true)
        #expect((report["resources"] as? [Any])?.isEmpty == true)
        #expect((report["errors"] as? [Any])?.isEmpty == true, "\(report["errors"] ?? "")")
        let headings = report["headings"] as? [String] ?? []
        for title in Self.sectionTitles { #expect(headings.contains(title), "no heading \(title)") }
        #expect((report["svgs"] as? Int ?? 0) >= 7)
        #expect((report["pdfPages"] as? Int ?? 0) >= 5, "A4 print: one page or more per section")

        let png = try Data(contentsOf: URL(fileURLWithPath: try #require(report["screenshot"] as? String)))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000, "screenshot: \(png.count) bytes")
        // Kept for people to look at.
        let kept = TestPaths.packageRoot.appendingPathComponent(".build/report-test")
        try? FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: kept.appendingPathComponent("report.png"))
        try? png.write(to: kept.appendingPathComponent("report.png"))

        let requests = pages[1]["requests"] as? [String] ?? []
        #expect(requests.contains("http://tilsyn.invalid/logo.png"), "the control's request was not seen: \(requests)")

        // And statically: nothing in the page could name a place outside it.
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!text.contains("http:") && !text.contains("https:") && !text.contains("//"))
        #expect(!text.contains("<script") && !text.contains("@import") && !text.contains("url("))
        #expect(text.contains("Content-Security-Policy\" content=\"default-src 'none'"))
    }

    // MARK: - LibreOffice

    /// LibreOffice converts the workbook without errors; openpyxl sees the sheets.
    @Test(.needsLibreOffice, .needsPython) func workbookOpensInLibreOfficeAndOpenpyxl() throws {
        let soffice = try #require(Requirement.soffice())
        let db = try Self.samples.get()
        let directory = try TemporaryDirectory("report-libreoffice")
        defer { directory.cleanUp() }
        let xlsx = directory.path("rapport.xlsx")
        let run = try runTilsyn(["report", "--db", db, "--external", "--out", xlsx, "--date", "2026-11-23"])
        try #require(run.status == 0, "\(run.stderr)")
        let converted = try ExternalTools.convertWithLibreOffice(
            soffice, files: [xlsx], to: "pdf", outputDirectory: directory.url)
        #expect(converted.status == 0 && !converted.killed, "\(converted.output)")
        #expect(!converted.output.lowercased().contains("error"), "\(converted.output)")
        let pdf = try Data(contentsOf: URL(fileURLWithPath: directory.path("rapport.pdf")))
        #expect(pdf.starts(with: Array("%PDF".utf8)) && pdf.count > 10_000)

        let python = try #require(Requirement.python(), "no .venv/bin/python: bash .ci/run creates it")
        let names = try runPython(
            python, script: "import openpyxl, sys; print('|'.join(openpyxl.load_workbook(sys.argv[1]).sheetnames))",
            arguments: [xlsx])
        #expect(names.status == 0, "\(names.stderr)")
        #expect(
            names.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                == "Nøgletal|Omfang|Hovedresultater|Pejlemærker|Sagsskridt|Enheder|Indsatser|Spørgsmål pr. sagsskridt|"
                + "Udvikling|Enighed|Lavest overholdelse|Socialfaglig kvalitet|Temanedslag|Noter")
    }

    // MARK: - CPR

    /// CPR-like numbers planted in remarks, a case number and a unit name never reach a report: the internal one
    /// shows them masked, the external one leaves remarks and case numbers out.
    @Test func plantedCPRNumbersNeverReachAReport() throws {
        let source = try Self.samples.get()
        let directory = try TemporaryDirectory("report-cpr")
        defer { directory.cleanUp() }
        let db = directory.path("tilsyn.sqlite")
        try FileManager.default.copyItem(atPath: source, toPath: db)
        let planted = ["010203-1234", "0102031234", "311299 4321"]
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            try db.execute(
                sql: """
                    UPDATE answer SET remark = 'Barnet (CPR ' || ? || ') og mor ' || ? || ', se ' || ?
                    WHERE code = 2
                    """, arguments: [planted[0], planted[1], planted[2]])
            try db.execute(sql: "UPDATE unit SET name = name || ' 150585-0000' WHERE id = (SELECT min(id) FROM unit)")
            try db.execute(sql: "UPDATE audit_case SET number = '241201-' || printf('%04d', id)")
        }
        try queue.close()
        for external in [false, true] {
            for name in ["rapport.html", "rapport.xlsx"] {
                let out = directory.path((external ? "ekstern-" : "") + name)
                let run = try runTilsyn(
                    ["report", "--db", db, "--out", out, "--date", "2026-11-23"] + (external ? [] : ["--internal"]))
                try #require(run.status == 0, "\(run.stderr)")
                let text = try Self.allText(out)
                let found = text.split(separator: "\n").filter { CPRDetector.containsCPR(String($0)) }.prefix(3)
                #expect(found.isEmpty, "\(out) holds a CPR-like number: \(found)")
                for number in planted + ["150585-0000", "241201-"] { #expect(!text.contains(number)) }
                if external {
                    #expect(!text.contains("CPR XXXXXX") && !text.contains("Bemærkninger til Nej-svar"))
                } else {
                    #expect(text.contains("CPR XXXXXX-XXXX"), "\(out): the remarks are shown, masked")
                }
            }
        }
    }

    // MARK: - Suppression and errors

    /// With --external, a unit with fewer than 5 answers shows `–` (and another is hidden to protect the total),
    /// with the footnote; without it the figures are shown and marked "forsigtig fortolkning".
    @Test func externalReportSuppressesSmallGroups() throws {
        let directory = try TemporaryDirectory("report-external")
        defer { directory.cleanUp() }
        var csv = "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato\r\n"
        for (unit, count) in [("Enhed Nord", 40), ("Enhed Syd", 12), ("Enhed Vest", 3)] {
            for index in 0..<count {
                csv += "S-\(unit.suffix(3))-\(index);1;2025;U.1;\(index % 4 == 0 ? "Nej" : "Ja");"
                csv += "\(index % 4 == 0 ? "Mangler" : "");\(unit);32;AB;14-03-2025\r\n"
            }
        }
        let input = directory.path("svar.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        let db = directory.path("tilsyn.sqlite")
        let imported = try runTilsyn(["import", input, "--db", db, "--kommune", SampleData.kommune])
        try #require(imported.status == 0, "\(imported.stderr)")

        let intern = directory.path("intern.html")
        #expect(try runTilsyn(["report", "--db", db, "--internal", "--out", intern]).status == 0)
        let internalText = try String(contentsOfFile: intern, encoding: .utf8)
        #expect(internalText.contains("<td>Enhed Vest</td><td class=\"num\">2/3</td>"))
        #expect(internalText.contains("forsigtig fortolkning"))
        #expect(internalText.contains("Mangler") && internalText.contains("S-Syd-0"))

        let external = directory.path("ekstern.html")
        #expect(try runTilsyn(["report", "--db", db, "--external", "--out", external]).status == 0)
        let text = try String(contentsOfFile: external, encoding: .utf8)
        #expect(text.contains("<td>Enhed Vest</td><td class=\"num\">–</td>"))
        #expect(text.contains("<td>Enhed Syd</td><td class=\"num\">–</td>"), "the total would reveal Vest")
        #expect(text.contains("<td>Enhed Nord</td><td class=\"num\">30/40</td>"))
        #expect(text.contains("Undertrykt: færre end 5 sager (børn)"))
        #expect(!text.contains("Mangler") && !text.contains("S-Syd-") && !text.contains("S-ord-"))

        let xlsx = directory.path("ekstern.xlsx")
        #expect(try runTilsyn(["report", "--db", db, "--external", "--out", xlsx]).status == 0)
        let units = try Self.table(try Workbook(path: xlsx), "Enheder")
        let vest = try #require(units.first { $0[1] == "Enhed Vest" })
        #expect(vest[2] == "" && vest[3] == "" && vest[4] == "–")
    }

    @Test func badInvocationsAreRejected() throws {
        let db = try Self.samples.get()
        let directory = try TemporaryDirectory("report-errors")
        defer { directory.cleanUp() }
        let text = try runTilsyn(["report", "--db", db, "--out", directory.path("rapport.txt")])
        #expect(text.status == 64 && text.stderr.contains(".html, .pdf or .xlsx"), "\(text.stderr)")
        let decimals = try runTilsyn(["report", "--db", db, "--decimals", "3", "--out", directory.path("r.html")])
        #expect(decimals.status == 64 && decimals.stderr.contains("--decimals must be 0, 1 or 2"))
        let round = try runTilsyn(["report", "--db", db, "--round", "1999", "--out", directory.path("r.html")])
        #expect(round.status == 65 && round.stderr.contains("Error: round 1999 has no answers"))
        let empty = directory.path("tom.sqlite")
        let none = try runTilsyn(["report", "--db", empty, "--out", directory.path("r.html")])
        #expect(none.status == 65 && none.stderr.hasPrefix("Error: "), "\(none.stderr)")
    }

    // MARK: - Helpers

    static func summary(_ db: String, by dimension: String?) throws -> [[String: Any]] {
        let run = try runTilsyn(
            ["summary", "--db", db, "--round", "2025", "--level", "2", "--format", "json"]
                + (dimension.map { ["--by", $0] } ?? []))
        guard run.status == 0 else { throw ReportTestError(run.stderr) }
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
    }

    static func json(_ db: String, _ arguments: [String]) throws -> [[String: Any]] {
        let run = try runTilsyn(arguments + ["--db", db, "--format", "json"])
        guard run.status == 0 else { throw ReportTestError(run.stderr) }
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
    }

    /// The rows of the table under the caption row that starts with `caption` (its header is the next row).
    static func table(_ workbook: Workbook, _ name: String, after caption: String) throws -> [[String]] {
        let sheet = try workbook.load(try #require(workbook.sheet(named: name)))
        let captionRow = try #require(
            sheet.rows.first { row in
                row.cells.first.map { text($0.value).hasPrefix(caption) } ?? false
            })
        return try table(workbook, name, headerRow: captionRow.number + 1)
    }

    /// The rows below a sheet's header row (row 4 unless told) as text, up to the first empty row.
    static func table(_ workbook: Workbook, _ name: String, headerRow: Int? = 4) throws -> [[String]] {
        let sheet = try workbook.load(try #require(workbook.sheet(named: name)))
        var rows: [[String]] = []
        for row in sheet.rows where row.number > (headerRow ?? 0) {
            if headerRow != nil, row.number > (headerRow ?? 0) + rows.count + 1 { break }
            let width = (row.cells.map(\.column).max() ?? 0)
            var texts = [String](repeating: "", count: width)
            for cell in row.cells { texts[cell.column - 1] = text(cell.value) }
            rows.append(texts + [String](repeating: "", count: max(0, 10 - width)))
        }
        return rows
    }

    static func text(_ value: CellValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : "\(number)"
        case .bool(let flag): flag ? "TRUE" : "FALSE"
        case .date(let date): "\(date)"
        case .error(let error): error
        }
    }

    static func text(_ value: Any?) -> String {
        switch value {
        case let number as Int: String(number)
        case let text as String: text
        default: ""
        }
    }

    /// `1.338/1.751`, as the page writes counts.
    static func danishCounts(_ yes: Int, _ n: Int) -> String {
        func grouped(_ value: Int) -> String {
            let digits = Array(String(value))
            var text = ""
            for (index, digit) in digits.enumerated() {
                if index > 0 && (digits.count - index) % 3 == 0 { text.append(".") }
                text.append(digit)
            }
            return text
        }
        return "\(grouped(yes))/\(grouped(n))"
    }

    /// Every text of a report: the HTML file, or every cell of every sheet of the workbook and its properties.
    static func allText(_ path: String) throws -> String {
        guard path.hasSuffix(".xlsx") else { return try String(contentsOfFile: path, encoding: .utf8) }
        let workbook = try Workbook(path: path)
        var text = ""
        for info in workbook.sheets {
            text += info.name + "\n"
            for row in try workbook.load(info).rows {
                text += row.cells.map { Self.text($0.value) }.joined(separator: "\t") + "\n"
            }
        }
        return text
    }
}

struct ReportTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
