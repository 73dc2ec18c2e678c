import Foundation
import Testing
import TilsynSheets
import TilsynTestSupport

@testable import TilsynRender

@Suite("Yearly report rendering")
struct AuditReportTests {
    static let hostile = "<script>alert(\"x\")</script> & 'Øst'"

    /// A small report built by hand, with a hostile name and remark, one suppressed group and every section filled.
    static func report(external: Bool = false) -> AuditReport {
        typealias Line = AuditReport.Line
        let overall = Line(id: "", name: "I alt", yes: 441, n: 483, hidden: false)
        return AuditReport(
            title: "Ledelsestilsyn 2025", round: "2025", baseline: "2024", rounds: ["2024", "2025"], level: 2,
            baselineLevel: 2, otherLevels: [1], external: external, date: DanishDate(year: 2026, month: 11, day: 23),
            decimals: 1, cases: 150,
            levelLines: [
                AuditReport.LevelLine(
                    level: 1, reviews: 150, cases: 150,
                    compliance: Line(id: "1", name: "Niveau 1", yes: 400, n: 440, hidden: false)),
                AuditReport.LevelLine(
                    level: 2, reviews: 40, cases: 40,
                    compliance: Line(id: "2", name: "Niveau 2", yes: 41, n: 43, hidden: false)),
            ],
            overall: overall,
            overallDegree: AuditReport.DegreeLine(id: "", name: "I alt", low: 3, some: 7, high: 10, hidden: false),
            byTheme: [Line(id: "INB", name: "Inddragelse af barnet", yes: 200, n: 230, hidden: false)],
            byStep: [
                Line(id: "U", name: "Underretning", yes: 438, n: 479, hidden: false),
                Line(id: "S", name: "Screening", yes: 3, n: 4, hidden: external),
            ],
            byUnit: [Line(id: hostile, name: hostile, yes: 441, n: 483, hidden: false)],
            byMeasure: [Line(id: "32", name: "§ 32 Støttende indsats", yes: 441, n: 483, hidden: false)],
            trendRounds: [
                AuditReport.TrendLine(
                    id: "", name: "I alt", round: "2024", yes: 400, n: 480, baselineYes: 400, baselineN: 480,
                    hidden: false),
                AuditReport.TrendLine(
                    id: "", name: "I alt", round: "2025", yes: 441, n: 483, baselineYes: 400, baselineN: 480,
                    hidden: false),
            ],
            trendByTheme: [
                AuditReport.TrendLine(
                    id: "INB", name: "Inddragelse af barnet", round: "2025", yes: 200, n: 230, baselineYes: 150,
                    baselineN: 220, hidden: false)
            ],
            trendByStep: [],
            agreementLevels: [1, 2],
            agreement: AuditReport.AgreementLine(
                id: "", name: "I alt", compared: 483, agree: 441, kappa: 0.62, overruledYesToNo: 30,
                overruledNoToYes: 12, hidden: false),
            agreementByTheme: [],
            mostOverruled: [
                AuditReport.AgreementLine(
                    id: "B.3", name: "Er barnet inddraget?", compared: 40, agree: 30, kappa: 0.4, overruledYesToNo: 8,
                    overruledNoToYes: 2, hidden: false)
            ],
            lowest: [
                AuditReport.QuestionLine(
                    id: "B.3", text: "Er barnet inddraget?", step: "Børnefaglig undersøgelse",
                    yes: 7, n: 8, cases: 8)
            ],
            degree: [
                AuditReport.DegreeLine(id: "P.4", name: "I hvilken grad …", low: 3, some: 7, high: 10, hidden: false)
            ],
            remarks: external
                ? []
                : [
                    AuditReport.RemarkLine(
                        question: "B.3", caseNumber: "S-2025-0001", level: 2, unit: "Nord", text: hostile)
                ])
    }

    @Test func danishDatesAndNumbers() {
        #expect(DanishDate(year: 2026, month: 11, day: 23).text == "23. november 2026")
        #expect(DanishDate(year: 2025, month: 1, day: 1).text == "1. januar 2025")
        #expect(DanishDate(year: 2025, month: 3, day: 9).iso == "2025-03-09")
        #expect(ReportText.integer(4708) == "4.708")
        #expect(ReportText.integer(1_234_567) == "1.234.567")
        #expect(ReportText.integer(999) == "999")
        #expect(ReportText.counts(441, 483) == "441/483")
        #expect(ReportText.percent(441, 483) == "91,3 %")
        #expect(ReportText.percent(0, 0) == "–")
        #expect(ReportText.points(1.46) == "+1,5 pp")
        #expect(ReportText.points(-0.7) == "−0,7 pp")
        #expect(ReportText.kappa(0.6234) == "0,62")
    }

    @Test func htmlIsEscapedSelfContainedAndHasEverySection() {
        let html = ReportHTML.render(Self.report())
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Øst&#39;"))
        #expect(html.contains("default-src 'none'; style-src 'unsafe-inline'; img-src data:"))
        #expect(!html.contains("http:") && !html.contains("https:") && !html.contains("url("))
        #expect(html.contains("@page { size: A4;"))
        var position = html.startIndex
        for (index, title) in AuditReport.sectionTitles.enumerated() {
            let heading = "<section id=\"\(ReportHTML.sectionIDs[index])\">\n<h2>\(htmlEscape(title))</h2>"
            let range = html.range(of: heading, range: position..<html.endIndex)
            #expect(range != nil, "section \(title) missing or out of order")
            position = range?.upperBound ?? position
        }
        #expect(html.contains("91,3 %") && html.contains("441/483") && html.contains("23. november 2026"))
        #expect(html.contains("88 %") == false, "one decimal throughout")
        #expect(html.contains("Bemærkninger til Nej-svar") && html.contains("S-2025-0001"))
        #expect(html.contains("forsigtig fortolkning"), "7/8 is marked")
        #expect(html.contains("<td>B.3</td><td>Er barnet inddraget?</td><td class=\"num\">40</td>"))
    }

    @Test func externalHtmlHasNoRemarksAndMarksSuppression() {
        let html = ReportHTML.render(Self.report(external: true))
        #expect(!html.contains("Bemærkninger til Nej-svar") && !html.contains("S-2025-0001"))
        #expect(html.contains("<td>Screening</td><td class=\"num\">–</td>"))
        #expect(html.contains("Undertrykt: færre end 5 sager (børn)"))
        #expect(html.contains("Ekstern udgave"))
    }

    @Test func chartsAreInlineSVGWithoutSuppressedBars() {
        let svg = ReportCharts.bars(
            [.init(label: "A", value: 0.5, text: "50,0 %"), .init(label: "B", value: nil, text: "–")], title: "T")
        #expect(svg.hasPrefix("<svg class=\"chart\" role=\"img\"") && svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 1)
        #expect(!svg.contains("xmlns"), "inline SVG in HTML needs no namespace URL")
        let stacked = ReportCharts.stacked([(label: "P.4", low: 0, some: 0, high: 0, text: "–")], title: "T")
        #expect(stacked.components(separatedBy: "<rect").count - 1 == 3, "the legend only")
        let line = ReportCharts.line(
            [
                (label: "2024", value: 0.5, text: "50 %"),
                (
                    label: "2025", value: 0.75,
                    text: "75 %"
                ),
            ], title: "T")
        #expect(line.contains("<polyline") && line.components(separatedBy: "<circle").count - 1 == 2)
    }

    @Test func workbookHasTheSameSectionsAndKeepsTextVerbatim() throws {
        let directory = try TemporaryDirectory("report-workbook")
        defer { directory.cleanUp() }
        let path = directory.path("rapport.xlsx")
        try ReportWorkbook.write(Self.report(), to: path)
        let workbook = try Workbook(path: path)
        #expect(workbook.sheets.map(\.name) == ReportWorkbook.sheetNames.filter { $0 != "Analytikerens tekst" })
        let units = try workbook.load(try #require(workbook.sheet(named: "Enheder")))
        #expect(units["B5"] == .string(Self.hostile))
        #expect(units["C5"] == .number(441) && units["D5"] == .number(483) && units["E5"] == .string("441/483"))
        let rate = try #require(units["F5"])
        #expect(rate == .number(441.0 / 483.0))

        let external = directory.path("ekstern.xlsx")
        try ReportWorkbook.write(Self.report(external: true), to: external)
        let names = try Workbook(path: external).sheets.map(\.name)
        #expect(!names.contains("Bemærkninger"))
        let steps = try Workbook(path: external)
        let sheet = try steps.load(try #require(steps.sheet(named: "Sagsskridt")))
        #expect(sheet["B6"] == .string("Screening") && sheet["C6"] == nil && sheet["E6"] == .string("–"))
    }
}
