import Testing
import TilsynAnalysis
import TilsynRender

/// Numbers the Danish way, in one place for every output: percentages with their counts, decimals, percentage
/// points, and the compact compliance table.
@Suite struct DanishNumbersTests {
    @Test func theSeedsFiguresTheDanishWay() {
        #expect(DanishPercent.rate(yes: 441, n: 483) == "91,3 % (441/483)")
        #expect(DanishPercent.rate(yes: 7, n: 8, decimals: 0) == "88 % (7/8)")
        #expect(DanishPercent.rate(yes: 7, n: 8) == "87,5 % (7/8)")
        #expect(DanishPercent.rate(yes: 0, n: 0) == "– (0/0)")
        #expect(DanishPercent.rate(yes: 1, n: 1) == "100,0 % (1/1)")
        #expect(DanishPercent.rate(yes: 1, n: 200) == "0,5 % (1/200)")
        #expect(DanishPercent.format(fraction: 0.0504) == "5,0 %")
    }

    @Test func decimalsAndPercentagePoints() {
        #expect(DanishDecimal.format(0.4712, decimals: 2) == "0,47")
        #expect(DanishDecimal.format(-0.05, decimals: 2) == "-0,05")
        #expect(DanishDecimal.format(12.6, decimals: 0) == "13")
        #expect(DanishDecimal.points(3.14) == "+3,1 pp")
        #expect(DanishDecimal.points(-2) == "−2,0 pp", "a typographic minus, in the report and the terminal alike")
        #expect(DanishDecimal.points(-0.04) == "0,0 pp")
        #expect(ReportText.points(-0.7) == DanishDecimal.points(-0.7))
    }

    @Test func theComplianceTableShowsRatesPerRoundAndLevel() {
        let rows = [
            Compliance.Row(
                group: "UDR", name: "Udredning af barnet", round: "2025", level: 1, yes: 2, no: 1, notApplicable: 0,
                unanswered: 0),
            Compliance.Row(
                group: "PLAN", name: "Udarbejdelse af barnets plan", round: "2025", level: 1, yes: 0, no: 0,
                notApplicable: 1, unanswered: 0),
        ]
        let table = ComplianceTable.text(rows, title: "Pejlemærke")
        #expect(table.hasPrefix("Pejlemærke, niveau 1"))
        #expect(table.contains("Udredning af barnet (UDR)  66,7 % (2/3)\n"), "\(table)")
        #expect(!table.contains("PLAN"), "no Ja/Nej answers: no rate")
    }
}
