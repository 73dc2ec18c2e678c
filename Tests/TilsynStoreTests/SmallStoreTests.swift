import Testing
import TilsynTestSupport
import TilsynAnalysis

/// The issue's small store, every figure counted by hand: 3 cases, 2 levels, 2 rounds, C3 reviewed at niveau 1 only.
///
/// 2024, niveau 1: C1 J1 Ja, J2 Ja · C2 J1 Nej, J2 Ja.
/// 2025, niveau 1: C1 J1 Ja, J2 Nej · C3 J1 Ja, J2 Ikke relevant.
/// 2025, niveau 2: C1 J1 Nej, J2 Nej.
@Suite struct SmallStoreTests {
    func store(_ backend: Backend = .sqlite) throws -> AnalysisFixture {
        let fixture = try AnalysisFixture(backend)
        try fixture.add(case: "C1", level: 1, round: "2024", [("J1", 1), ("J2", 1)])
        try fixture.add(case: "C2", level: 1, round: "2024", [("J1", 2), ("J2", 1)])
        try fixture.add(case: "C1", level: 1, round: "2025", [("J1", 1), ("J2", 2)])
        try fixture.add(case: "C3", level: 1, round: "2025", [("J1", 1), ("J2", 3)])
        try fixture.add(case: "C1", level: 2, round: "2025", reviewer: "CD", [("J1", 2), ("J2", 2)])
        try fixture.finish()
        return fixture
    }

    @Test(arguments: Backend.available) func perLevelNeverSummedWithCasesBesideAnswers(backend: Backend) throws {
        let fixture = try store(backend)
        let all = try Summary.rows(fixture.reader, by: [])
        #expect(all.map(\.level) == [1, 2])
        // Niveau 1: Ja C1·J1, C1·J2, C2·J2 (2024), C1·J1, C3·J1 (2025) = 5; Nej C2·J1, C1·J2 = 2; C3·J2 Ikke
        // relevant. The cases behind them: C1, C2, C3 (C1 in two rounds is one child).
        #expect([all[0].yes, all[0].no, all[0].notApplicable, all[0].n, all[0].cases] == [5, 2, 1, 7, 3])
        // Niveau 2: C1 Nej, Nej: one case.
        #expect([all[1].yes, all[1].no, all[1].n, all[1].cases] == [0, 2, 2, 1])

        let byRound = try Summary.rows(fixture.reader, by: [.round])
        #expect(byRound.map { "\($0.level) \($0.keys[.round]?.description ?? "")" } == ["1 2024", "1 2025", "2 2025"])
        #expect(byRound.map(\.yes) == [3, 2, 0] && byRound.map(\.n) == [4, 3, 2])
        #expect(byRound.map(\.cases) == [2, 2, 1])

        let byQuestion = try Summary.rows(fixture.reader, by: [.question, .round], selection: .init(levels: [1]))
        // Per question, round and level, one answer per case: cases equal n.
        #expect(byQuestion.allSatisfy { $0.cases == $0.n })
        #expect(byQuestion.map(\.n) == [2, 2, 2, 1])
    }

    @Test(arguments: Backend.available) func trendAndAgreement(backend: Backend) throws {
        let fixture = try store(backend)
        let trend = try Trend.rows(fixture.reader, by: [])
        // Only niveau 1 has the baseline round 2024: 2025's 2/3 against 2024's 3/4 is −8,33 pp.
        #expect(trend.map(\.level) == [1, 1])
        #expect(trend.map(\.round) == ["2024", "2025"])
        #expect([trend[1].yes, trend[1].n, trend[1].baselineYes, trend[1].baselineN] == [2, 3, 3, 4])
        #expect(abs((trend[1].changePoints ?? 0) - (2.0 / 3.0 - 0.75) * 100) < 1e-9)

        // C1 in 2025 at both levels: J1 Ja → Nej (overruled), J2 Nej = Nej.
        let agreement = try #require(try Agreement.rows(fixture.reader, levels: [1, 2]).first)
        #expect([agreement.compared, agreement.agree, agreement.overruledYesToNo, agreement.overruledNoToYes] == [
            2, 1, 1, 0,
        ])
        let byRound = try Agreement.rows(fixture.reader, levels: [1, 2], by: [.round])
        #expect(byRound.map { $0.keys[.round]?.description } == ["2025"])
    }
}
