import GRDB
import PropertyBased
import Testing
import TilsynTestSupport
import TilsynStore

@testable import TilsynAnalysis

/// Statistics in cases (children), counted by hand on a small store: 3 cases, 3 levels, 2 rounds.
///
/// Catalogue `fx` (see `AnalysisFixture`): S1 = J1 (themes A, B), J2 (A); S2 = G1 (degree, B); T1 temanedslag.
///
///     2024 niveau 1: C1 J1 Ja,  J2 Ja,  G1 Høj    · C2 J1 Nej, J2 Ja, G1 Lav
///     2025 niveau 1: C1 J1 Ja,  J2 Nej, G1 Nogen, T1 Nej · C3 J1 Ja, J2 Ikke relevant, G1 Høj
///     2025 niveau 2: C1 J1 Nej, J2 Nej, G1 Nogen, T1 Ja  · C3 J1 Ja, J2 Ja
///     2025 niveau 3: C1 J1 Nej, J2 Ja
///
/// C1 is reviewed at niveau 1 in both rounds (one child, counted once across rounds); C2 at niveau 1 only.
@Suite struct CaseCountTests {
    static func store(_ backend: Backend = .sqlite) throws -> AnalysisFixture {
        let fixture = try AnalysisFixture(backend)
        try fixture.add(case: "C1", level: 1, round: "2024", [("J1", 1), ("J2", 1), ("G1", 6)])
        try fixture.add(case: "C2", level: 1, round: "2024", [("J1", 2), ("J2", 1), ("G1", 4)])
        try fixture.add(case: "C1", level: 1, round: "2025", [("J1", 1), ("J2", 2), ("G1", 5), ("T1", 2)])
        try fixture.add(case: "C3", level: 1, round: "2025", [("J1", 1), ("J2", 3), ("G1", 6)])
        try fixture.add(case: "C1", level: 2, round: "2025", reviewer: "CD", [("J1", 2), ("J2", 2), ("G1", 5), ("T1", 1)])
        try fixture.add(case: "C3", level: 2, round: "2025", reviewer: "CD", [("J1", 1), ("J2", 1)])
        try fixture.add(case: "C1", level: 3, round: "2025", reviewer: "EF", [("J1", 2), ("J2", 1)])
        try fixture.finish()
        return fixture
    }

    /// `level kind key → [yes, no, n, cases]` (Ja/Nej) or `[low, some, high, cases]` (degree).
    static func figures(_ rows: [Summary.Row], _ dimension: Breakdown?) -> [String: [Int]] {
        var figures: [String: [Int]] = [:]
        for row in rows {
            let key = "\(row.level) \(row.kind == .degree ? "grad" : "jn") \(dimension.flatMap { row.keys[$0]?.description } ?? "")"
            figures[key] = row.kind == .degree
                ? [row.low, row.some, row.high, row.cases ?? -1] : [row.yes, row.no, row.n, row.cases ?? -1]
        }
        return figures
    }

    @Test(arguments: Backend.available) func casesPerStepThemeAndLevelAcrossRounds(backend: Backend) throws {
        let fixture = try Self.store(backend)
        // Niveau 1 over both rounds: C1 twice is one child. T1 (temanedslag) stays out of every figure here.
        #expect(Self.figures(try Summary.rows(fixture.reader, by: [.step]), .step) == [
            "1 jn S1": [5, 2, 7, 3], "1 grad S2": [1, 1, 2, 3],
            "2 jn S1": [2, 2, 4, 2], "2 grad S2": [0, 1, 0, 1],
            "3 jn S1": [1, 1, 2, 1],
        ])
        #expect(Self.figures(try Summary.rows(fixture.reader, by: [.theme]), .theme) == [
            "1 jn A": [5, 2, 7, 3], "1 jn B": [3, 1, 4, 3], "1 grad B": [1, 1, 2, 3],
            "2 jn A": [2, 2, 4, 2], "2 jn B": [1, 1, 2, 2], "2 grad B": [0, 1, 0, 1],
            "3 jn A": [1, 1, 2, 1], "3 jn B": [0, 1, 1, 1],
        ])
        #expect(Self.figures(try Summary.rows(fixture.reader, by: []), nil) == [
            "1 jn ": [5, 2, 7, 3], "1 grad ": [1, 1, 2, 3], "2 jn ": [2, 2, 4, 2], "2 grad ": [0, 1, 0, 1],
            "3 jn ": [1, 1, 2, 1],
        ])
        // Per round the kept counts alone answer: 2024 C1, C2; 2025 C1, C3.
        let byRound = try Summary.rows(fixture.reader, by: [.round, .step], selection: Selection(levels: [1]))
            .filter { $0.kind == .yesNo }
        #expect(byRound.map(\.cases) == [2, 2])
        // Per question: J1 has four answers from three children; J2 three answers (C3's Ikke relevant is none)
        // from two; T1 appears only here.
        let byQuestion = Self.figures(
            try Summary.rows(fixture.reader, by: [.question], selection: Selection(levels: [1])), .question)
        #expect(byQuestion["1 jn J1"] == [3, 1, 4, 3] && byQuestion["1 jn J2"] == [2, 1, 3, 2])
        #expect(byQuestion["1 jn T1"] == [0, 1, 1, 1] && byQuestion["1 grad G1"] == [1, 1, 2, 3])
        // Sagsskridt × pejlemærke (not crossed by the kept counts) reads the answers: S1 × B at niveau 1 is J1.
        let crossed = try Summary.rows(fixture.reader, by: [.step, .theme], selection: Selection(levels: [1]))
        #expect(crossed.first { $0.keys[.theme] == .text("B") && $0.kind == .yesNo }?.cases == 3)
        #expect(crossed.first { $0.keys[.theme] == .text("A") && $0.kind == .yesNo }?.cases == 3)
    }

    @Test(arguments: Backend.available) func casesWithEveryQuestionOfTheStepAnsweredJa(backend: Backend) throws {
        let fixture = try Self.store(backend)
        let rows = try Summary.allYesRows(fixture.reader, by: [.step])
        // 2024 n1: C1 Ja+Ja yes, C2 Nej+Ja no. 2025 n1: C1 Ja+Nej no, C3 Ja (+ Ikke relevant) yes.
        // 2025 n2: C1 no, C3 yes. 2025 n3: C1 Nej+Ja no. S2 has no Ja/Nej question: no row.
        #expect(rows.map { "\($0.level) \($0.keys[.round]?.description ?? "") \($0.keys[.step]?.description ?? "")" }
            == ["1 2024 S1", "1 2025 S1", "2 2025 S1", "3 2025 S1"])
        #expect(rows.map(\.cases) == [2, 2, 2, 1] && rows.map(\.allYes) == [1, 1, 1, 0])
        #expect(rows[0].rate == 0.5)
        // Per question the cases are the answers and the all-Ja cases the Ja.
        let j2 = try Summary.allYesRows(fixture.reader, by: [.question], selection: Selection(levels: [1]))
            .filter { $0.keys[.question] == .text("J2") }
        #expect(j2.map(\.cases) == [2, 1] && j2.map(\.allYes) == [2, 0])
        // Per theme B (J1 only among Ja/Nej): 2024 C1 Ja, C2 Nej.
        let b = try Summary.allYesRows(fixture.reader, by: [.theme], selection: Selection(levels: [1], round: "2024"))
        #expect(b.first { $0.keys[.theme] == .text("B") }.map { [$0.cases, $0.allYes] } == [2, 1])
    }

    @Test(arguments: Backend.available) func agreementPairwiseAndOverAllLevelsWithCases(backend: Backend) throws {
        let fixture = try Self.store(backend)
        let rows = try Agreement.comparisons(fixture.reader, levels: [1, 2, 3])
        #expect(rows.map(\.levels) == [[1, 2], [1, 3], [2, 3], [1, 2, 3]])
        // 1–2 in 2025: C1 J1 Ja→Nej, J2 Nej=Nej, G1 Nogen=Nogen; C3 J1 Ja=Ja (J2 Ikke relevant at 1, no G1 at 2).
        #expect([rows[0].compared, rows[0].agree, rows[0].overruledYesToNo, rows[0].overruledNoToYes, rows[0].cases]
            == [4, 3, 1, 0, 2])
        #expect(rows[0].overruleRate == 0.25)
        // 1–3: C1 J1 Ja→Nej, J2 Nej→Ja. 2–3: C1 J1 Nej=Nej, J2 Nej→Ja.
        #expect([rows[1].compared, rows[1].agree, rows[1].overruledYesToNo, rows[1].overruledNoToYes, rows[1].cases]
            == [2, 0, 1, 1, 1])
        #expect([rows[2].compared, rows[2].agree, rows[2].overruledYesToNo, rows[2].overruledNoToYes, rows[2].cases]
            == [2, 1, 0, 1, 1])
        // All three levels: C1's J1 (Ja, Nej, Nej) and J2 (Nej, Nej, Ja); neither alike at every level.
        #expect([rows[3].compared, rows[3].agree, rows[3].overruledYesToNo, rows[3].overruledNoToYes, rows[3].cases]
            == [2, 0, 1, 1, 1])

        // Grouped: T1 (temanedslag) only by question; themes and steps count their cases.
        func line(_ rows: [Agreement.Row], _ dimension: Breakdown, _ key: String) -> [Int]? {
            rows.first { $0.keys[dimension] == .text(key) }.map { [$0.compared, $0.agree, $0.cases] }
        }
        let byQuestion = try Agreement.rows(fixture.reader, levels: [1, 2], by: [.question])
        #expect(line(byQuestion, .question, "T1") == [1, 0, 1] && line(byQuestion, .question, "J1") == [2, 1, 2])
        let byTheme = try Agreement.rows(fixture.reader, levels: [1, 2], by: [.theme])
        #expect(line(byTheme, .theme, "A") == [3, 2, 2] && line(byTheme, .theme, "B") == [3, 2, 2])
        let byStep = try Agreement.rows(fixture.reader, levels: [1, 2], by: [.step, .round])
        #expect(line(byStep, .step, "S1") == [3, 2, 2] && line(byStep, .step, "S2") == [1, 1, 1])

        // The kept pair and level set counts and the self-join of the answers agree, figure for figure: per round,
        // and across the rounds, where C1 (reviewed in both) is one child.
        for levels in [[1, 2], [1, 3], [2, 3], [1, 2, 3]] {
            for grouping in [
                [], [Breakdown.question], [.theme], [.step], [.unit], [.measure, .theme], [.reviewer, .step],
                [.step, .theme], [.theme, .unit, .step], [.question, .unit],
            ] {
                for dimensions in [grouping + [.round], grouping] {
                    let kept = try Agreement.rows(fixture.reader, levels: levels, by: dimensions)
                    let joined = try Agreement.rows(
                        fixture.reader, levels: levels, by: dimensions, round: nil, fromAnswers: true)
                    #expect(kept == joined, "\(levels) \(dimensions)")
                }
            }
        }
    }

    /// C1 compared between niveau 1 and 2 in 2024 too: across the rounds it is one child, although the kept counts
    /// (per round) hold it twice; its items count in both rounds (2024: J1, J2, G1; 2025: C1's J1, J2, G1 and C3's
    /// J1 — T1 is temanedslag, C3's J2 Ikke relevant, its G1 unanswered at niveau 2).
    @Test(arguments: Backend.available) func agreementAcrossRoundsCountsARecurringCaseOnce(backend: Backend) throws {
        let fixture = try Self.store(backend)
        try fixture.add(case: "C1", level: 2, round: "2024", reviewer: "CD", [("J1", 1), ("J2", 2), ("G1", 6)])
        try fixture.finish()
        let perRound = try Agreement.rows(fixture.reader, levels: [1, 2], by: [.round])
        #expect(perRound.map(\.cases) == [1, 2] && perRound.map(\.compared) == [3, 4])
        let across = try #require(try Agreement.rows(fixture.reader, levels: [1, 2]).first)
        #expect([across.cases, across.compared] == [2, 7])
        // By question: J1 has items of C1 in both rounds and of C3: two children.
        let byQuestion = try Agreement.rows(fixture.reader, levels: [1, 2], by: [.question])
        #expect(byQuestion.first { $0.keys[.question] == .text("J1") }.map { [$0.cases, $0.compared] } == [2, 3])
        for dimensions in [[], [Breakdown.question], [.theme], [.step, .theme], [.unit, .step], [.reviewer]] {
            let joined = try Agreement.rows(
                fixture.reader, levels: [1, 2], by: dimensions, round: nil, fromAnswers: true)
            #expect(try Agreement.rows(fixture.reader, levels: [1, 2], by: dimensions) == joined, "\(dimensions)")
        }
    }

    @Test(arguments: Backend.available) func trendInCasesAndForDegreeQuestions(backend: Backend) throws {
        let fixture = try Self.store(backend)
        let yesNo = try Trend.rows(fixture.reader, by: [], levels: [1])
        // 2025 over J1, J2: Ja 2 of 3 (C1 J1, C3 J1; C1 J2 Nej) from C1, C3; 2024: 3 of 4 from C1, C2.
        #expect(yesNo.map { [$0.yes, $0.n, $0.cases, $0.baselineYes, $0.baselineN, $0.baselineCases] } == [
            [3, 4, 2, 3, 4, 2], [2, 3, 2, 3, 4, 2],
        ])
        let degree = try Trend.rows(fixture.reader, by: [], levels: [1], kind: .degree)
        // G1: 2024 Høj, Lav → 1 of 2 høj eller nogen grad; 2025 Nogen, Høj → 2 of 2: +50 pp.
        #expect(degree.map(\.kind) == [.degree, .degree])
        #expect(degree.map { [$0.yes, $0.n, $0.cases] } == [[1, 2, 2], [2, 2, 2]])
        #expect(degree.last?.changePoints == 50)
    }

    @Test func importedAndRebuiltCountsAreTheSame() throws {
        let fixture = try Self.store()
        // `finish()` rebuilt the counts; a store opened again keeps them (its counts are current).
        let before = try fixture.store.database.read { db in
            try Int.fetchAll(db, sql: "SELECT cases FROM case_count ORDER BY 1")
        }
        let reopened = try AuditStore(path: fixture.store.path)
        let after = try reopened.database.read { db in
            try Int.fetchAll(db, sql: "SELECT cases FROM case_count ORDER BY 1")
        }
        #expect(before == after && !before.isEmpty)
        // A store whose counts are older than the program's is rebuilt on opening for writing and refused for
        // reading until then.
        try reopened.database.write { db in
            try db.execute(sql: "DELETE FROM case_count; PRAGMA user_version = 0")
        }
        #expect(throws: StoreError.self) { try AuditStore.openForReading(path: fixture.store.path) }
        let upgraded = try AuditStore(path: fixture.store.path)
        let rebuilt = try upgraded.database.read { db in
            try Int.fetchAll(db, sql: "SELECT cases FROM case_count ORDER BY 1")
        }
        #expect(rebuilt == before)
    }

    /// Random answers, each an integer read as case (5), round (2), level (3), unit (2), question (4) and code (7).
    static let answers = Gen.int(in: 0...1679).array(of: 1...50)

    @Test(arguments: Backend.available) func casesEqualARecountForEveryGrouping(backend: Backend) async throws {
        await propertyCheck(count: 20, input: Self.answers) { answers in
            let fixture = try AnalysisFixture(backend)
            struct Stored: Hashable { var number, round, level: Int; var unit, question: String; var code: Int? }
            var stored: [Stored] = []
            var units: [String: String] = [:]
            var seen: Set<String> = []
            for value in answers {
                let (number, round, level) = (value % 5, value / 5 % 2, value / 10 % 3 + 1)
                let question = ["J1", "J2", "G1", "T1"][value / 60 % 4]
                let codes = question == "G1" ? [nil, 3, 4, 5, 6] : [nil, 1, 2, 3]
                let code = codes[value / 240 % codes.count]
                // One review per case, round and level (its unit the first drawn), one answer per question.
                let review = "\(number)|\(round)|\(level)"
                let unit = units[review] ?? ["Vest", "Øst"][value / 30 % 2]
                units[review] = unit
                guard seen.insert("\(review)|\(question)").inserted else { continue }
                stored.append(Stored(
                    number: number, round: round, level: level, unit: unit, question: question, code: code))
                try fixture.add(
                    case: "C\(number)", level: level, round: "R\(round)", unit: unit, [(question, code)])
            }
            try fixture.finish()
            let themes = ["J1": ["A", "B"], "J2": ["A"], "G1": ["B"], "T1": ["A"]]
            let steps = ["J1": "S1", "J2": "S1", "G1": "S2", "T1": "S1"]
            let counted = stored.filter { [1, 2, 4, 5, 6].contains($0.code) }
            for dimensions in [
                [Breakdown.question], [.step], [.theme], [.unit], [], [.round], [.step, .unit], [.theme, .round],
                [.step, .theme], [.question, .unit],
            ] {
                let rows = try Summary.rows(fixture.reader, by: dimensions)
                for row in rows {
                    let matching = counted.filter { answer in
                        guard answer.level == row.level, (answer.question == "G1") == (row.kind == .degree) else {
                            return false
                        }
                        if !dimensions.contains(.question) && answer.question == "T1" { return false }
                        return dimensions.allSatisfy { dimension in
                            switch dimension {
                            case .question: row.keys[.question] == .text(answer.question)
                            case .step: row.keys[.step] == .text(steps[answer.question] ?? "")
                            case .theme: row.keys[.theme].map { themes[answer.question]?.contains($0.description) ?? false } ?? false
                            case .unit: row.keys[.unit] == .text(answer.unit)
                            case .round: row.keys[.round] == .text("R\(answer.round)")
                            default: true
                            }
                        }
                    }
                    #expect(row.cases == Set(matching.map(\.number)).count, "\(dimensions) \(row)")
                }
            }
            // Agreement: the cases compared between levels 1 and 2 (same case and round, both counted, not T1).
            let pairs = Set(counted.filter { $0.level == 1 && $0.question != "T1" }.compactMap { low -> Int? in
                counted.contains {
                    $0.level == 2 && $0.number == low.number && $0.round == low.round && $0.question == low.question
                } ? low.number : nil
            })
            let agreement = try Agreement.rows(fixture.reader, levels: [1, 2])
            #expect(agreement.first?.cases == pairs.count)
        }
    }
}
