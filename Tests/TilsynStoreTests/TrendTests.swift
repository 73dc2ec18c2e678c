import Testing
import TilsynTestSupport
import TilsynAnalysis

/// Trends against a baseline round, over questions present in both rounds.
@Suite struct TrendTests {
    /// J1: 7 of 8 Ja in 2019, 9 of 10 in 2025. J2 (theme A too) only in 2025: 0 of 5. G1 (degree) is left out.
    func rounds(_ backend: Backend = .sqlite) throws -> AnalysisFixture {
        let fixture = try AnalysisFixture(backend)
        try fixture.addMany(7, "J1", 1, round: "2019")
        try fixture.addMany(1, "J1", 2, round: "2019")
        try fixture.addMany(9, "J1", 1, round: "2025", unit: "Øst")
        try fixture.addMany(1, "J1", 2, round: "2025", unit: "Øst")
        try fixture.addMany(5, "J2", 2, round: "2025", unit: "Øst")
        try fixture.addMany(3, "G1", 6, round: "2025")
        try fixture.finish()
        return fixture
    }

    @Test(arguments: Backend.available) func changeInPointsOverSharedQuestions(backend: Backend) throws {
        let fixture = try rounds(backend)
        #expect(try Trend.rounds(fixture.reader) == ["2019", "2025"])
        let byTheme = try Trend.rows(fixture.reader, by: [.theme])
        let themeA = byTheme.filter { $0.keys == [.theme: .text("A")] }
        #expect(themeA.map(\.round) == ["2019", "2025"])
        #expect(themeA.allSatisfy { $0.baseline == "2019" })
        // 2019: 7/8 against itself. 2025: J2 has no 2019 answers, so 9/10 against 7/8: +2,5 points.
        #expect([themeA[0].yes, themeA[0].n, themeA[1].yes, themeA[1].n] as [Int] == [7, 8, 9, 10])
        #expect(themeA[0].changePoints == 0)
        #expect(abs(try #require(themeA[1].changePoints) - 2.5) < 1e-9)

        let byQuestion = try Trend.rows(fixture.reader, by: [.question], baseline: "2025")
        // Baseline 2025: J1 in both rounds; J2 only against itself.
        #expect(
            byQuestion.map(\.keys) == [
                [.question: .text("J1")], [.question: .text("J1")], [.question: .text("J2")],
            ])
        #expect(byQuestion.map(\.round) == ["2019", "2025", "2025"])
        #expect(abs(try #require(byQuestion[0].changePoints) + 2.5) < 1e-9)
        #expect(byQuestion[2].rate == 0 && byQuestion[2].changePoints == 0)
    }

    @Test(arguments: Backend.available) func unitsAreComparedWithTheSameUnitsBaseline(backend: Backend) throws {
        let fixture = try rounds(backend)
        // Vest answered only in 2019, Øst only in 2025: no unit has a question in both rounds but its baseline row.
        let byUnit = try Trend.rows(fixture.reader, by: [.unit])
        #expect(byUnit.map(\.keys) == [[.unit: .text("Vest")]])
        #expect(byUnit.map(\.round) == ["2019"])
        #expect(try Trend.rows(fixture.reader, by: [], baseline: "1999").isEmpty)
    }
}
