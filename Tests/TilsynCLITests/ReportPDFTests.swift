import Foundation
import Testing
import TilsynSheets
import TilsynTestSupport

/// `tilsyn report --out rapport.pdf`, `--narrative` and `--decimals` through the built command: the PDF read back
/// with poppler's pdftotext and pdfinfo, the page laid out as printed in Chromium and checked for overflow over the
/// DevTools protocol, the analyst's text placed and escaped, and a failed print leaving the target as it was.
@Suite("The report as PDF, with the analyst's text")
struct ReportPDFTests {
    static let narrative = TestPaths.packageRoot.appendingPathComponent("Samples/narrative.md").path

    /// The narrative parts' headings as the report prints them, in the order they appear.
    static let narrativeTitles = ["Sammenfatning", "Tendenser", "De væsentligste udfordringer", "Næste skridt"]

    /// The text of every `<td>` of the page, entities decoded.
    static func cells(_ html: String) throws -> [String] {
        let expression = try NSRegularExpression(pattern: "<td[^>]*>(.*?)</td>")
        let range = NSRange(html.startIndex..., in: html)
        return expression.matches(in: html, range: range).compactMap { match in
            Range(match.range(at: 1), in: html).map {
                String(html[$0]).replacingOccurrences(of: "&nbsp;", with: " ")
                    .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
            }
        }
    }

    /// The figures in a text: `88 %` or `88,2 %`, and counts `(7/8)` or `441/483`.
    static func figures(_ text: String) throws -> Set<String> {
        let expression = try NSRegularExpression(pattern: "\\d+(,\\d+)? %|\\(?[\\d.]+/[\\d.]+\\)?")
        let range = NSRange(text.startIndex..., in: text)
        return Set(expression.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    @Test(.needsChromium) func thePDFHoldsEverySectionEveryTableFigureAndPageNumbers() throws {
        _ = try #require(Requirement.chromium())
        let pdftotext = try #require(ExternalTools.find(["pdftotext"]), "no pdftotext: .ci/run installs poppler-utils")
        let pdfinfo = try #require(ExternalTools.find(["pdfinfo"]), "no pdfinfo: .ci/run installs poppler-utils")
        let db = try ReportCommandTests.samples.get()
        let directory = try TemporaryDirectory("report-pdf")
        defer { directory.cleanUp() }
        let pdf = directory.path("rapport.pdf")
        let html = directory.path("rapport.html")
        for out in [pdf, html] {
            let run = try runTilsyn(
                ["report", "--db", db, "--narrative", Self.narrative, "--out", out, "--date", "2026-12-03"])
            try #require(run.status == 0, "\(run.stderr)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(bytes.starts(with: Array("%PDF-".utf8)))

        let info = try runProcess(pdfinfo, [pdf]).stdout
        let pages = try #require(
            info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") })
        #expect(info.contains("(A4)"), "\(info)")
        #expect(pages >= ReportCommandTests.sectionTitles.count, "a page or more per section: \(pages)")

        let text = try runProcess(pdftotext, [pdf, "-"]).stdout.replacingOccurrences(of: "\u{00A0}", with: " ")
        for title in ReportCommandTests.sectionTitles + Self.narrativeTitles {
            #expect(text.contains(title), "no heading \(title) in the PDF")
        }
        for page in 1...pages { #expect(text.contains("Side \(page) af \(pages)"), "no number on page \(page)") }
        // Paragraphs flow over lines; table cells wrap, so their words are looked for one by one.
        let flowing = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flowing.contains("Niveau 1 og niveau 2 er enige i knap ni ud af ti besvarede spørgsmål."))
        for word in ["Sagstrin", "Vigtigste", "udfordring", "Samtalen", "fagsystemet", "personalemøde"] {
            #expect(text.contains(word), "no \(word) in the PDF")
        }
        #expect(!text.contains("--") && !text.contains("tilsyn report"), "no command-line words")

        // Every figure of every table of the page is in the PDF's text.
        let page = try String(contentsOfFile: html, encoding: .utf8)
        var figures = Set<String>()
        for cell in try Self.cells(page) { figures.formUnion(try Self.figures(cell)) }
        let printed = try Self.figures(text)
        #expect(figures.count > 150, "\(figures.count) distinct figures")
        let missing = figures.subtracting(printed)
        #expect(missing.isEmpty, "not in the PDF: \(missing.sorted().prefix(20))")
    }

    /// A table longer than a page carries its header row onto every page it spans.
    @Test(.needsChromium) func aTableOverSeveralPagesRepeatsItsHeader() throws {
        _ = try #require(Requirement.chromium())
        let pdftotext = try #require(ExternalTools.find(["pdftotext"]), "no pdftotext: .ci/run installs poppler-utils")
        let db = try ReportCommandTests.samples.get()
        let directory = try TemporaryDirectory("report-pdf-header")
        defer { directory.cleanUp() }
        let rows = (1...90).map { "| Sagstrin \($0) | Udfordring \($0) | Set i sag \($0) | Tiltag \($0) |" }
        let markdown = directory.path("tekst.md")
        try (["## Udfordringer", "| Sagstrin | Vigtigste udfordring | Hvad ses i sagerne | Mulige tiltag |",
              "|---|---|---|---|"] + rows).joined(separator: "\n").write(toFile: markdown, atomically: true, encoding: .utf8)
        let pdf = directory.path("rapport.pdf")
        let run = try runTilsyn(["report", "--db", db, "--narrative", markdown, "--out", pdf])
        try #require(run.status == 0, "\(run.stderr)")
        // The pages holding rows of the table: each has the header too.
        var pages: [Int] = []
        for page in 1...60 {
            let text = try runProcess(pdftotext, ["-f", String(page), "-l", String(page), pdf, "-"])
            guard text.status == 0 else { break }
            guard text.stdout.contains("Udfordring 1") || text.stdout.contains("Udfordring 90")
                || (1...90).contains(where: { text.stdout.contains("Set i sag \($0)\n") })
            else { continue }
            pages.append(page)
            #expect(text.stdout.contains("Vigtigste udfordring"), "page \(page) has rows but no header")
        }
        #expect(pages.count >= 2, "the table spans \(pages)")
    }

    /// Laid out as printed (print media, the A4 content width), no element's content is wider than its box and no
    /// chart text leaves its chart; one screenshot per section is kept in .build/report-test/sections to look at.
    @Test(.needsChromium, arguments: ["samples", "six rounds"])
    func nothingOverflowsItsBoxWhenPrinted(store: String) throws {
        let chromium = try #require(Requirement.chromium())
        let python = try #require(Requirement.python3())
        let directory = try TemporaryDirectory("report-overflow")
        defer { directory.cleanUp() }
        let db = store == "samples" ? try ReportCommandTests.samples.get() : try ReportSectionsTests.store(in: directory)
        let html = directory.path("rapport.html")
        let run = try runTilsyn(
            ["report", "--db", db, "--internal", "--narrative", Self.narrative, "--out", html, "--date", "2026-12-03"])
        try #require(run.status == 0, "\(run.stderr)")
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/Python/report_in_chromium.py").path
        let result = try runProcess(python, [script, "--print-checks", chromium.path, directory.url.path, html])
        try #require(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let report = try #require((object["pages"] as? [[String: Any]])?.first)
        #expect(report["printWidth"] as? Int == 680)
        let overflow = try #require(report["overflow"] as? [[String: Any]])
        #expect(overflow.isEmpty, "overflowing: \(overflow.prefix(5))")
        let shots = try #require(report["sectionScreenshots"] as? [String])
        #expect(shots.count == ReportCommandTests.sectionTitles.count + Self.narrativeTitles.count)
        let kept = TestPaths.packageRoot.appendingPathComponent(".build/report-test/sections-\(store.prefix(3))")
        try? FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
        for shot in shots {
            let png = try Data(contentsOf: URL(fileURLWithPath: shot))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 3_000, "\(shot): \(png.count) bytes")
            let target = kept.appendingPathComponent(URL(fileURLWithPath: shot).lastPathComponent)
            try? FileManager.default.removeItem(at: target)
            try? png.write(to: target)
        }
    }

    @Test func theNarrativeIsPlacedAtItsMarksAndEscaped() throws {
        let db = try ReportCommandTests.samples.get()
        let directory = try TemporaryDirectory("report-narrative")
        defer { directory.cleanUp() }
        let markdown = directory.path("tekst.md")
        try """
            ## Næste skridt
            Se [noten](javascript:alert(1)) og ![logo](http://example.invalid/logo.png).

            Opfølgning i **marts**. <script>alert(1)</script> <img src=x onerror=alert(1)>

            ## Sammenfatning
            Kort sammenfatning & konklusion.

            ## Udfordringer
            | Sagstrin | Vigtigste udfordring | Hvad ses i sagerne | Mulige tiltag |
            |---|---|---|---|
            | Opfølgning | Rettidighed | Sen opfølgning | Frister i fagsystemet |

            ## Tendenser
            - Fremgang i screening
            """.write(toFile: markdown, atomically: true, encoding: .utf8)
        let html = directory.path("rapport.html")
        let run = try runTilsyn(["report", "--db", db, "--narrative", markdown, "--out", html])
        try #require(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)

        // The report's order, whatever the file's: after the key figures, after the main results, after the
        // lowest questions, before the notes.
        let order = [
            "noegletal", "sammenfatning", "omfang", "hovedresultater", "tendenser", "pejlemaerker-og-sagsskridt",
            "lavest", "udfordringer", "socialfaglig-kvalitet", "temanedslag", "naeste-skridt", "noter",
        ]
        var position = page.startIndex
        for id in order {
            let range = page.range(of: "<section id=\"\(id)\"", range: position..<page.endIndex)
            #expect(range != nil, "section \(id) missing or out of order")
            position = range?.upperBound ?? position
        }
        #expect(page.contains("<h2>De væsentligste udfordringer</h2>\n<table><thead><tr><th>Sagstrin</th>"))
        #expect(page.contains("<td>Frister i fagsystemet</td>"))
        #expect(page.contains("Opfølgning i <strong>marts</strong>. &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("Se noten og logo."))
        #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;"), "shown as text")
        #expect(!page.contains("<script") && !page.contains("<img") && !page.contains("javascript:"))
        #expect(!page.contains("http:"))

        // The workbook carries the same text on a sheet of its own: the challenges as a table.
        let xlsx = directory.path("rapport.xlsx")
        #expect(try runTilsyn(["report", "--db", db, "--narrative", markdown, "--out", xlsx]).status == 0)
        let workbook = try Workbook(path: xlsx)
        #expect(workbook.sheets.map(\.name).suffix(2) == ["Analytikerens tekst", "Noter"])
        let rows = try ReportCommandTests.table(workbook, "Analytikerens tekst", headerRow: nil)
        #expect(rows.contains { $0.prefix(4) == ["Sagstrin", "Vigtigste udfordring", "Hvad ses i sagerne", "Mulige tiltag"] })
        #expect(rows.contains { $0.prefix(4) == ["Opfølgning", "Rettidighed", "Sen opfølgning", "Frister i fagsystemet"] })
        #expect(rows.contains { $0.first == "Kort sammenfatning & konklusion." })
        #expect(rows.contains { $0.first == "• Fremgang i screening" })
        #expect(rows.contains { $0.first?.hasPrefix("Opfølgning i marts. <script>") == true }, "as written, as text")
        #expect(!rows.contains { $0.contains { $0.contains("---") } })
    }

    @Test(arguments: [
        ("## Konklusion\nTekst", "line 1: the heading 'Konklusion' is not one of ## Sammenfatning"),
        ("Indledning\n\n## Sammenfatning", "line 1: text before the first heading"),
        ("## Tendenser\nA\n## Tendenser\nB", "line 3: 'Tendenser' appears again (first on line 1)"),
    ])
    func aMistakeInTheNarrativeIsNamedAndNothingIsWritten(markdown: String, message: String) throws {
        let db = try ReportCommandTests.samples.get()
        let directory = try TemporaryDirectory("report-narrative-error")
        defer { directory.cleanUp() }
        let file = directory.path("tekst.md")
        try markdown.write(toFile: file, atomically: true, encoding: .utf8)
        let out = directory.path("rapport.html")
        let run = try runTilsyn(["report", "--db", db, "--narrative", file, "--out", out])
        #expect(run.status == 65)
        #expect(run.stderr.hasPrefix("Error: \(file) \(message)"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let missing = try runTilsyn(["report", "--db", db, "--narrative", directory.path("ingen.md"), "--out", out])
        #expect(missing.status == 65 && missing.stderr.contains("the narrative file cannot be read"))
    }

    @Test func decimalsFollowTheChoice() throws {
        let db = try ReportCommandTests.samples.get()
        let directory = try TemporaryDirectory("report-decimals")
        defer { directory.cleanUp() }
        var shares: [Int: [String]] = [:]
        for decimals in [0, 1, 2] {
            let html = directory.path("rapport-\(decimals).html")
            let run = try runTilsyn(
                ["report", "--db", db, "--out", html] + (decimals == 0 ? [] : ["--decimals", String(decimals)]))
            try #require(run.status == 0, "\(run.stderr)")
            let page = try String(contentsOfFile: html, encoding: .utf8)
            shares[decimals] = try Self.cells(page).flatMap { try Self.figures($0) }.filter { $0.hasSuffix("%") }
        }
        // 0 (the default): `88 %`; 1: `88,2 %`; 2: `88,24 %` — every share of the page, the same shares each time.
        for (decimals, figures) in shares {
            #expect(figures.count > 100 && figures.count == shares[0]?.count)
            #expect(
                figures.allSatisfy { $0.split(separator: ",").dropFirst().first.map { $0.count - 2 } ?? 0 == decimals },
                "\(decimals): \(figures.prefix(5))")
        }
    }

    @Test func aPrintThatFailsLeavesTheTargetAsItWas() throws {
        let db = try ReportCommandTests.samples.get()
        let directory = try TemporaryDirectory("report-pdf-failure")
        defer { directory.cleanUp() }
        let pdf = directory.path("rapport.pdf")
        let before = Data("the report of last year".utf8)
        try before.write(to: URL(fileURLWithPath: pdf))
        let arguments = ["report", "--db", db, "--out", pdf]

        // No Chromium: the package named, nothing read from the store.
        let missing = try runProcess(
            TestPaths.tilsynExecutable, arguments, environment: ["TILSYN_CHROMIUM": directory.path("no-chromium")])
        #expect(missing.status == 65)
        #expect(missing.stderr.hasPrefix("Error: \(pdf): a PDF is printed by headless Chromium"), "\(missing.stderr)")
        #expect(missing.stderr.contains("apt-get install chromium"))
        // A Chromium that fails without a PDF, and one that exits 0 without writing one.
        for (browser, status) in [("/bin/false", "status 1"), ("/bin/true", "status 0")] {
            let failed = try runProcess(TestPaths.tilsynExecutable, arguments, environment: ["TILSYN_CHROMIUM": browser])
            #expect(failed.status == 65)
            #expect(failed.stderr.contains("Chromium (\(browser)) did not print the report (\(status))"), "\(failed.stderr)")
            #expect(failed.stderr.contains("The file is as it was."))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: pdf)) == before)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(left == ["rapport.pdf"], "no temporary file left: \(left)")
    }
}
