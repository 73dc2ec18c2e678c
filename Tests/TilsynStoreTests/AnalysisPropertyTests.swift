import PropertyBased
import Testing
import TilsynTestSupport
import TilsynAnalysis

/// Properties of the aggregations and of small-number suppression.
@Suite struct AnalysisPropertyTests {
    /// The values cell `index` can take given the shown total: suppressed cells are known to be 1–4 when primary and
    /// at least 5 when complementary (the strongest reader), and the suppressed ones sum to the total minus the shown.
    static func possibleValues(of index: Int, counts: [Int], suppressed: [Bool]) -> Set<Int> {
        let hidden = counts.indices.filter { suppressed[$0] }
        let sum = hidden.reduce(0) { $0 + counts[$1] }
        func range(_ cell: Int) -> ClosedRange<Int> {
            counts[cell] < Suppression.threshold
                ? 1...(Suppression.threshold - 1)
                : Suppression
                    .threshold...max(
                        Suppression.threshold, sum)
        }
        // Sums the other hidden cells can reach.
        var reachable: Set<Int> = [0]
        for cell in hidden where cell != index {
            var next: Set<Int> = []
            for partial in reachable {
                for value in range(cell) where partial + value <= sum { next.insert(partial + value) }
            }
            reachable = next
        }
        return Set(range(index).filter { reachable.contains(sum - $0) })
    }

    @Test func suppressionNeverRevealsACountThroughTheTotal() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...30).array(of: 1...6)) { counts in
            let decision = Suppression.decide(counts)
            for (index, count) in counts.enumerated() where count > 0 && count < Suppression.threshold {
                #expect(decision.cells[index], "primary cell \(index) of \(counts)")
            }
            guard !decision.total else { return }
            for index in counts.indices where decision.cells[index] {
                let values = Self.possibleValues(of: index, counts: counts, suppressed: decision.cells)
                #expect(values.contains(counts[index]))
                #expect(values.count >= 2, "cell \(index) of \(counts) is revealed")
            }
        }
    }

    @Test func withoutATotalOnlySmallCellsAreSuppressed() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...30).array(of: 1...6)) { counts in
            let decision = Suppression.decide(counts, totalShown: false)
            #expect(decision.cells == counts.map { $0 > 0 && $0 < 5 })
            #expect(!decision.total)
        }
    }

    /// Random answers, each an integer read as case (6), level (3), unit (2), question (3) and code (7).
    static let answers = Gen.int(in: 0...755).array(of: 1...40)

    @Test(arguments: Backend.available) func ratesAreFractionsAndGroupsSumToTheTotals(backend: Backend) async throws {
        await propertyCheck(count: 25, input: Self.answers) { answers in
            let fixture = try AnalysisFixture(backend)
            var seen: Set<String> = []
            var stored: [(number: Int, level: Int, question: String, code: Int?)] = []
            for value in answers {
                let (number, level, unit) = (value % 6, value / 6 % 3 + 1, ["Vest", "Øst"][value / 18 % 2])
                let (question, code) = (["J1", "J2", "G1"][value / 36 % 3], value / 108 % 7)
                // One review per case and level, one answer per question; its unit is the first drawn.
                guard seen.insert("\(number)|\(level)|\(question)").inserted else { continue }
                let codes = question == "G1" ? [nil, 3, 4, 5, 6] : [nil, 1, 2, 3]
                let measure = 32
                stored.append((number, level, question, codes[code % codes.count]))
                try fixture.add(
                    case: "C\(number)", level: level, unit: unit, measure: measure,
                    [(question, codes[code % codes.count])])
            }
            try fixture.finish()
            let totals = try Summary.rows(fixture.reader, by: [])
            // The per-level figures equal a plain recount from the answers; there is no row over all levels.
            for level in Set(stored.map(\.level)) {
                let here = stored.filter { $0.level == level }
                let yesNo = totals.first { $0.level == level && $0.kind == .yesNo }
                let degree = totals.first { $0.level == level && $0.kind == .degree }
                let jn = here.filter { $0.question != "G1" }
                let grad = here.filter { $0.question == "G1" }
                #expect((yesNo?.yes ?? 0) == jn.filter { $0.code == 1 }.count)
                #expect((yesNo?.no ?? 0) == jn.filter { $0.code == 2 }.count)
                #expect((yesNo?.notApplicable ?? 0) == jn.filter { $0.code == 3 }.count)
                #expect((yesNo?.unanswered ?? 0) == jn.filter { $0.code == nil }.count)
                #expect((degree?.low ?? 0) == grad.filter { $0.code == 4 }.count)
                #expect((degree?.some ?? 0) == grad.filter { $0.code == 5 }.count)
                #expect((degree?.high ?? 0) == grad.filter { $0.code == 6 }.count)
                // Cases: the distinct cases with a Ja or Nej (a degree) answer at this level.
                #expect((yesNo?.cases ?? 0) == Set(jn.filter { [1, 2].contains($0.code) }.map(\.number)).count)
                #expect((degree?.cases ?? 0) == Set(grad.filter { [4, 5, 6].contains($0.code) }.map(\.number)).count)
            }
            #expect(Set(totals.map(\.level)).isSubset(of: Set(stored.map(\.level))))
            #expect(totals.count == Set(totals.map { "\($0.level)|\($0.kind)" }).count)
            for dimensions in [[Breakdown.question], [.unit, .level], [.step, .reviewer, .round], [.measure]] {
                let rows = try Summary.rows(fixture.reader, by: dimensions)
                for kind in [QuestionKind.yesNo, .degree] { for level in 1...3 {
                    let total = totals.first { $0.kind == kind && $0.level == level }
                    let group = rows.filter { $0.kind == kind && $0.level == level }
                    #expect(group.reduce(0) { $0 + $1.yes } == total?.yes ?? 0)
                    #expect(group.reduce(0) { $0 + $1.no } == total?.no ?? 0)
                    #expect(group.reduce(0) { $0 + $1.notApplicable } == total?.notApplicable ?? 0)
                    #expect(group.reduce(0) { $0 + $1.unanswered } == total?.unanswered ?? 0)
                    #expect(group.reduce(0) { $0 + $1.n } == total?.n ?? 0)
                } }
                for row in rows {
                    for value in [row.rate, row.interval?.low, row.interval?.high, row.highOrSome].compactMap({ $0 }) {
                        #expect(value >= 0 && value <= 1)
                    }
                    if let rate = row.rate, let interval = row.interval {
                        #expect(interval.low <= rate && rate <= interval.high)
                    }
                }
            }
        }
    }
}
