import Testing
import TilsynTestSupport
@testable import TilsynAnalysis

/// Agreement between levels, κ on textbook tables and a four-level fixture counted by hand.
@Suite struct AgreementTests {
    /// The classic 2×2 example (Wikipedia, "Cohen's kappa"): 50 applications, both raters Yes 20, A Yes B No 5,
    /// A No B Yes 10, both No 15. p_o = 35/50 = 0,7; A says Yes to 25/50, B to 30/50, so
    /// p_e = 0,5 · 0,6 + 0,5 · 0,4 = 0,5 and κ = (0,7 − 0,5) / (1 − 0,5) = 0,4.
    @Test func cohensKappaOnTheTextbookTable() throws {
        let kappa = try #require(Kappa.cohen(table: [[20, 5], [10, 15]]))
        #expect(abs(kappa - 0.4) < 1e-12)
        #expect(Kappa.cohen(table: [[7, 0], [0, 0]]) == nil)
        #expect(Kappa.cohen(table: [[0, 0], [0, 0]]) == nil)
    }

    /// Fleiss (1971) as worked on Wikipedia ("Fleiss' kappa"): 10 subjects, 14 raters, 5 categories, κ ≈ 0,210
    /// (P̄ = 0,378, P̄e = 0,213).
    @Test func fleissKappaOnTheTextbookTable() throws {
        let counts = [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ]
        let kappa = try #require(Kappa.fleiss(counts: counts))
        #expect(abs(kappa - 0.20993) < 0.00001)
    }

    /// J1 at four levels (Ja = 1, Nej = 2, Ikke relevant = 3):
    /// K1 1 1 1 1 (agree) · K2 1 2 2 2 (niveau 4 overrules Ja → Nej) · K3 2 2 2 1 (Nej → Ja) · K4 1 1 3 1 (left out:
    /// Ikke relevant at level 3) · K5 2 2 2 2 (agree) · K6 1 1 1 – (left out: no level 4). Also J2 on K1: 1 1 1 1.
    func fourLevels(_ backend: Backend = .sqlite) throws -> AnalysisFixture {
        let fixture = try AnalysisFixture(backend)
        let answers: [String: [Int?]] = [
            "K1": [1, 1, 1, 1], "K2": [1, 2, 2, 2], "K3": [2, 2, 2, 1], "K4": [1, 1, 3, 1], "K5": [2, 2, 2, 2],
            "K6": [1, 1, 1],
        ]
        for (caseNumber, codes) in answers.sorted(by: { $0.key < $1.key }) {
            for (index, code) in codes.enumerated() {
                var items: [(String, Int?)] = [("J1", code)]
                if caseNumber == "K1" { items.append(("J2", 1)) }
                try fixture.add(case: caseNumber, level: index + 1, items)
            }
        }
        try fixture.finish()
        return fixture
    }

    @Test(arguments: Backend.available) func fourLevelsAgreeOnHalfOfJ1(backend: Backend) throws {
        let fixture = try fourLevels(backend)
        let byQuestion = try Agreement.rows(fixture.reader, levels: [1, 2, 3, 4], by: [.question])
        #expect(byQuestion.map(\.keys) == [[.question: .text("J1")], [.question: .text("J2")]])
        let j1 = byQuestion[0]
        #expect([j1.compared, j1.agree, j1.overruledYesToNo, j1.overruledNoToYes] as [Int] == [4, 2, 1, 1])
        #expect(j1.rate == 0.5 && j1.levels == [1, 2, 3, 4])
        // Fleiss: items K1, K2, K3, K5 with Ja counts 4, 1, 1, 0 and Nej counts 0, 3, 3, 4.
        // P̄ = (Σ n² − N·k) / (N·k·(k − 1)) = (18 + 34 − 16) / 48 = 0,75; p(Ja) = 6/16, p(Nej) = 10/16,
        // P̄e = 0,140625 + 0,390625 = 0,53125; κ = (0,75 − 0,53125) / 0,46875 = 7/15.
        #expect(abs(try #require(j1.kappa) - 7.0 / 15.0) < 1e-12)
        #expect([byQuestion[1].compared, byQuestion[1].agree] as [Int] == [1, 1])
        #expect(byQuestion[1].kappa == nil)

        // J1 is in themes A and B, J2 in A only.
        let byTheme = try Agreement.rows(fixture.reader, levels: [4, 3, 2, 1], by: [.theme])
        #expect(byTheme.map(\.keys) == [[.theme: .text("A")], [.theme: .text("B")]])
        #expect(byTheme.map(\.compared) == [5, 4])
        #expect(byTheme.map(\.agree) == [3, 2])
    }

    /// Grouped by the lowest level's unit, measure and reviewer, and by step: every item of the fixture is one
    /// unit (Vest), measure (32) and reviewer (AB), and J1, J2 are step S1; so each grouping has one row equal to
    /// the ungrouped figure (levels 1 and 4: 6 compared, 4 agree), from the kept counts and the self-join alike.
    @Test(arguments: Backend.available) func groupsByStepUnitMeasureAndReviewer(backend: Backend) throws {
        let fixture = try fourLevels(backend)
        let whole = try #require(try Agreement.rows(fixture.reader, levels: [1, 4]).first)
        for dimension in [Breakdown.step, .unit, .measure, .reviewer] {
            let rows = try Agreement.rows(fixture.reader, levels: [1, 4], by: [dimension])
            let joined = try Agreement.rows(
                fixture.reader, levels: [1, 4], by: [dimension], round: nil, fromAnswers: true)
            #expect(rows == joined)
            #expect(rows.count == 1)
            #expect(rows.first?.compared == 6 && rows.first?.agree == 4 && rows.first?.kappa == whole.kappa)
        }
        let keys = try Agreement.rows(fixture.reader, levels: [1, 2, 3, 4], by: [.unit, .measure, .reviewer, .step])
        #expect(
            keys.map(\.keys) == [
                [.unit: .text("Vest"), .measure: .text("32"), .reviewer: .text("AB"), .step: .text("S1")]
            ])
        // All four levels: K1 (J1, J2), K2, K3 and K5 compared; K1 twice and K5 agree.
        #expect(keys.first?.compared == 5 && keys.first?.agree == 3)
    }

    /// Levels 1 and 4 only: K1 (1, 1), K2 (1, 2), K3 (2, 1), K4 (1, 1), K5 (2, 2) on J1, and J2 on K1 (1, 1):
    /// 6 compared, 4 agree. Level 1 says Ja 4 times, level 4 says Ja 4 times: p_e = (4·4 + 2·2) / 36 = 20/36,
    /// p_o = 24/36, κ = (24 − 20) / (36 − 20) = 0,25.
    @Test(arguments: Backend.available) func twoLevelsUseCohensKappa(backend: Backend) throws {
        let fixture = try fourLevels(backend)
        let rows = try Agreement.rows(fixture.reader, levels: [1, 4])
        #expect(rows.count == 1)
        let row = rows[0]
        #expect([row.compared, row.agree, row.overruledYesToNo, row.overruledNoToYes] as [Int] == [6, 4, 1, 1])
        #expect(abs(try #require(row.kappa) - 0.25) < 1e-12)
        let none = try Agreement.rows(fixture.reader, levels: [1, 4], round: "1999")
        #expect(none.map(\.compared) == [0])
        #expect(none[0].rate == nil && none[0].kappa == nil)
    }
}
