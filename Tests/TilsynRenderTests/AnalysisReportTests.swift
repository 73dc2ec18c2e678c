import Testing
import TilsynAnalysis
import TilsynRender

@Suite("Analysis reports")
struct AnalysisReportTests {
    /// The seeds' own figure: 441 of 483 is 91,3 %.
    let seedRow = Summary.Row(
        keys: [.step: .text("Underretning (U)")], level: 2, kind: .yesNo, yes: 441, no: 42, notApplicable: 7)

    @Test func tableShowsDanishRateWithCounts() {
        let report = SummaryReport.make([seedRow], by: [.step], external: false)
        let table = report.table()
        #expect(table.contains("91,3 % (441/483)"))
        #expect(table.contains("Underretning (U)"))
        #expect(report.notes.isEmpty)
    }

    @Test func jsonCarriesOnlyRequestedKeysAndFractions() {
        let json = SummaryReport.make([seedRow], by: [.step], external: false).json()
        #expect(json.contains("\"step\": \"Underretning (U)\""))
        #expect(!json.contains("\"unit\""))
        #expect(json.contains("\"yes\": 441"))
        #expect(json.contains("\"n\": 483"))
        #expect(json.contains("\"rate\": 0.913"))
        #expect(json.contains("\"level\": 2"))
    }

    /// Units resting on 1, 4, 5 and 6 cases, each case with 8 answers: 1 and 4 cases are suppressed although their
    /// answers (8, 32) are many, and 6 with them so the total cannot give their sum; 5 cases are shown.
    @Test func externalOutputSuppressesByCasesNotAnswers() {
        let rows = [1, 4, 5, 6].map { cases in
            Summary.Row(keys: [.unit: .text("U\(cases)")], level: 2, kind: .yesNo, yes: 6 * cases, no: 2 * cases,
                        cases: cases)
        }
        let report = SummaryReport.make(rows, by: [.unit], external: true)
        let lines = report.json().split(separator: "\n")
        func shown(_ unit: String) -> Bool {
            let line = lines.first { $0.contains("\"\(unit)\"") } ?? ""
            return !line.contains("\"n\": null")
        }
        #expect(!shown("U1") && !shown("U4") && !shown("U6"))
        #expect(shown("U5") && shown("I alt"))
        let table = report.table()
        #expect(!table.contains("(6/8)") && !table.contains("(24/32)") && !table.contains("(36/48)"))
        #expect(table.contains("(30/40)"))
    }

    /// A kommune resting on fewer than 5 children is suppressed as a unit would be, and the other with it, as the
    /// total would give its figure.
    @Test func externalOutputSuppressesASmallKommuneLikeAUnit() {
        let rows = [("Aarhus", 6), ("Odense", 3)].map { kommune, cases in
            Summary.Row(keys: [.kommune: .text(kommune)], level: 1, kind: .yesNo, yes: cases - 1, no: 1, cases: cases)
        }
        let report = SummaryReport.make(rows, by: [.kommune], external: true)
        let lines = report.json().split(separator: "\n")
        #expect(lines.first { $0.contains("\"Odense\"") }?.contains("\"n\": null") == true)
        #expect(lines.first { $0.contains("\"Aarhus\"") }?.contains("\"n\": null") == true)
        #expect(report.table().contains("Kommune"))
    }

    @Test func externalOutputSuppressesSmallGroupsAndTheirTotal() {
        let small = Summary.Row(keys: [.step: .text("Screening (S)")], level: 2, kind: .yesNo, yes: 3, no: 1)
        let report = SummaryReport.make([seedRow, small], by: [.step], external: true)
        #expect(report.notes.count == 1)
        let lines = report.json().split(separator: "\n")
        let screening = lines.first { $0.contains("Screening (S)") } ?? ""
        #expect(screening.contains("\"yes\": null"))
        // Total minus the one group shown would reveal the small count, so the total or another group is hidden.
        let total = lines.first { $0.contains("I alt") } ?? ""
        let underretning = lines.first { $0.contains("Underretning (U)") } ?? ""
        #expect(total.contains("\"yes\": null") || underretning.contains("\"yes\": null"))
    }
}
