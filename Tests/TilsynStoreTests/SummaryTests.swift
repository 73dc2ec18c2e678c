import Foundation
import Testing
import TilsynTestSupport
import TilsynAnalysis
import TilsynStore

/// Compliance grouped by any dimensions, over hand-counted fixtures.
@Suite struct SummaryTests {
    /// Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in Medicine 17,
    /// table I: Wilson score intervals 81/263 → 0,2553–0,3662; 15/148 → 0,0624–0,1605; 0/20 → 0–0,1611.
    @Test func wilsonIntervalMatchesNewcombe() throws {
        let first = try #require(Wilson.interval(successes: 81, n: 263))
        #expect(abs(first.low - 0.2553) < 0.00005 && abs(first.high - 0.3662) < 0.00005)
        let second = try #require(Wilson.interval(successes: 15, n: 148))
        #expect(abs(second.low - 0.0624) < 0.00005 && abs(second.high - 0.1605) < 0.00005)
        let third = try #require(Wilson.interval(successes: 0, n: 20))
        #expect(third.low == 0 && abs(third.high - 0.1611) < 0.00005)
        #expect(Wilson.interval(successes: 0, n: 0) == nil)
    }

    @Test(arguments: Backend.available) func seedFigure441Of483ByQuestion(backend: Backend) throws {
        let fixture = try AnalysisFixture(backend)
        try fixture.addMany(441, "J1", 1)
        try fixture.addMany(42, "J1", 2)
        try fixture.addMany(17, "J1", 3)
        try fixture.addMany(5, "J1", nil)
        try fixture.finish()
        let rows = try Summary.rows(fixture.reader, by: [.question])
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.keys == [.question: .text("J1")])
        #expect([row.yes, row.no, row.notApplicable, row.unanswered, row.n] as [Int] == [441, 42, 17, 5, 483])
        #expect(abs(try #require(row.rate) - 441.0 / 483.0) < 1e-12)
        let interval = try #require(row.interval)
        #expect(interval.low < 441.0 / 483.0 && 441.0 / 483.0 < interval.high)
    }

    @Test(arguments: Backend.available) func seedFigure7Of8WithNotApplicableOutsideTheIndsats(backend: Backend) throws {
        let fixture = try AnalysisFixture(backend)
        try fixture.addMany(7, "J2", 1, round: "2019")
        try fixture.addMany(1, "J2", 2, round: "2019")
        // Answered Ja, but the question does not apply to the case's indsats: leaves the denominator.
        try fixture.add(case: "X", round: "2019", [("J2", 1)], applies: false)
        try fixture.finish()
        let row = try #require(try Summary.rows(fixture.reader, by: [.round]).first)
        #expect(row.keys == [.round: .text("2019")])
        #expect(row.notApplicable == 1)
        #expect((row.yes, row.n) == (7, 8), "88 % (7/8)")
    }

    /// Two cases at two levels in two units; counts by hand:
    /// C1 (Vest, level 1): J1 Ja, J2 Nej, G1 Høj. C1 (level 2): J1 Ja, J2 Ja, G1 Nogen.
    /// C2 (Øst, level 1): J1 Nej, J2 Ikke relevant, G1 Lav. C2 (level 2): J1 blank, J2 Ja, G1 Høj.
    func fourReviews(_ backend: Backend = .sqlite) throws -> AnalysisFixture {
        let fixture = try AnalysisFixture(backend)
        try fixture.add(case: "C1", level: 1, unit: "Vest", reviewer: "AB", [("J1", 1), ("J2", 2), ("G1", 6)])
        try fixture.add(case: "C1", level: 2, unit: "Vest", reviewer: "CD", [("J1", 1), ("J2", 1), ("G1", 5)])
        try fixture.add(
            case: "C2", level: 1, unit: "Øst", measure: 52, reviewer: "AB",
            [("J1", 2), ("J2", 3), ("G1", 4)])
        try fixture.add(
            case: "C2", level: 2, unit: "Øst", measure: 52, reviewer: "CD",
            [("J1", nil), ("J2", 1), ("G1", 6)])
        try fixture.finish()
        return fixture
    }

    @Test(arguments: Backend.available) func groupsByStepThemeAndLevel(backend: Backend) throws {
        let fixture = try fourReviews(backend)
        // Every row is for one level (never summed over levels): level first, then the step.
        let byStep = try Summary.rows(fixture.reader, by: [.step])
        #expect(byStep.map(\.keys) == [[.step: .text("S1")], [.step: .text("S2")], [.step: .text("S1")], [.step: .text("S2")]])
        #expect(byStep.map(\.level) == [1, 1, 2, 2])
        // The cases behind each row: C1 and C2 everywhere (3 answers at S1, level 1, from 2 cases).
        #expect(byStep.map(\.cases) == [2, 2, 2, 2])
        // S1 at level 1: J1 Ja, Nej; J2 Nej, Ikke relevant → 1 Ja, 2 Nej, 1 Ikke relevant.
        #expect([byStep[0].yes, byStep[0].no, byStep[0].notApplicable, byStep[0].unanswered] as [Int] == [1, 2, 1, 0])
        #expect(byStep[0].kind == .yesNo && byStep[0].n == 3)
        // S1 at level 2: J1 Ja, blank; J2 Ja, Ja → 3 Ja, 1 blank.
        #expect([byStep[2].yes, byStep[2].no, byStep[2].notApplicable, byStep[2].unanswered] as [Int] == [3, 0, 0, 1])
        // S2: G1 Høj, Lav at level 1; Nogen, Høj at level 2.
        #expect(byStep[1].kind == .degree && byStep[3].kind == .degree)
        #expect([byStep[1].low, byStep[1].some, byStep[1].high, byStep[1].n] as [Int] == [1, 0, 1, 2])
        #expect([byStep[3].low, byStep[3].some, byStep[3].high, byStep[3].n] as [Int] == [0, 1, 1, 2])
        #expect(byStep[1].highOrSome == 0.5 && byStep[3].highOrSome == 1 && byStep[1].rate == nil)

        // Theme B holds J1 (Ja/Nej) and G1 (degree): two rows. Theme A: J1 and J2.
        let byThemeAndLevel = try Summary.rows(fixture.reader, by: [.theme, .level])
        let themeA1 = try #require(byThemeAndLevel.first { $0.keys == [.theme: .text("A"), .level: .number(1)] })
        #expect([themeA1.yes, themeA1.no, themeA1.notApplicable] as [Int] == [1, 2, 1])
        let themeB2 = byThemeAndLevel.filter { $0.keys == [.theme: .text("B"), .level: .number(2)] }
        #expect(themeB2.map(\.kind) == [.yesNo, .degree])
        #expect([themeB2[0].yes, themeB2[0].unanswered, themeB2[1].some, themeB2[1].high] as [Int] == [1, 1, 1, 1])
    }

    /// A temanedslag question (T1, step S1, theme A) counts only as itself: C1 answers J1 Ja and T1 Nej, C2 T1 Nej.
    @Test(arguments: Backend.available) func temanedslagNeverEntersAStepThemeOrHeadline(backend: Backend) throws {
        let fixture = try AnalysisFixture(backend)
        try fixture.add(case: "C1", [("J1", 1), ("T1", 2)])
        try fixture.add(case: "C2", [("T1", 2)])
        try fixture.finish()
        for dimensions in [[Breakdown](), [.step], [.theme], [.unit], [.measure, .round]] {
            let rows = try Summary.rows(fixture.reader, by: dimensions).filter { $0.kind == .yesNo }
            #expect(rows.map(\.yes) == rows.map { _ in 1 }, "\(dimensions)")
            #expect(rows.allSatisfy { $0.no == 0 }, "\(dimensions)")
        }
        let byQuestion = try Summary.rows(fixture.reader, by: [.question])
        #expect(byQuestion.map(\.keys) == [[.question: .text("J1")], [.question: .text("T1")]])
        #expect([byQuestion[1].yes, byQuestion[1].no] as [Int] == [0, 2])
        for grouping in [Compliance.Grouping.step, .theme] {
            #expect(try Compliance.rows(fixture.reader, by: grouping).allSatisfy { $0.no == 0 && $0.yes == 1 })
        }
        #expect(try Trend.rows(fixture.reader, by: []).map(\.n) == [1])
    }

    @Test(arguments: Backend.available) func groupsByUnitMeasureReviewerAndFilters(backend: Backend) throws {
        let fixture = try fourReviews(backend)
        let rows = try Summary.rows(
            fixture.reader, by: [.unit, .measure, .reviewer], selection: Selection(levels: [2])
        )
        .filter { $0.kind == .yesNo }
        #expect(
            rows.map(\.keys) == [
                [.unit: .text("Vest"), .measure: .number(32), .reviewer: .text("CD")],
                [.unit: .text("Øst"), .measure: .number(52), .reviewer: .text("CD")],
            ])
        #expect(rows.map(\.yes) == [2, 1])
        #expect(rows.map(\.level) == [2, 2])
        #expect(rows.map(\.unanswered) == [0, 1])
        #expect(try Summary.rows(fixture.reader, by: [.round], selection: Selection(round: "1999")).isEmpty)
        let all = try Summary.rows(fixture.reader, by: [], selection: Selection(round: "2025"))
        // No figure over all levels: one Ja/Nej and one degree row per level.
        #expect(all.map(\.kind) == [.yesNo, .degree, .yesNo, .degree])
        #expect(all.map(\.level) == [1, 1, 2, 2])
        #expect([all[0].yes, all[0].no, all[2].yes, all[2].no] as [Int] == [1, 2, 3, 0])
    }
}
