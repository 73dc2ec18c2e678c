import PropertyBased
import Testing

@testable import TilsynAudit

/// The per-file memo of question ids and answers: what a dictionary would answer, in any order of look-ups.
@Suite struct TextMemoTests {
    static func key(_ pick: Int) -> ReadContext.TextKey {
        ReadContext.TextKey(
            catalogue: pick % 3 == 0 ? "kk-2025" : "sbs-overordnet", scale: pick % 2 == 0 ? "JN" : "",
            text: pick % 7 == 0 ? nil : "Spørgsmål \(pick % 23) – en tekst længere end en kort streng")
    }

    @Test func answersAsADictionaryDoesForAnyOrderOfLookUps() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...60).array(of: 0...400)) { picks in
            var memo = TextMemo<Int>()
            var oracle: [ReadContext.TextKey: Int] = [:]
            for pick in picks {
                let key = Self.key(pick)
                #expect(memo.value(for: key) == oracle[key])
                if oracle[key] == nil {
                    memo.remember(pick, for: key)
                    oracle[key] = pick
                }
            }
            #expect(memo.count == oracle.count)
        }
    }

    @Test func repeatedSequencesAreFoundInOrderAndOutOfIt() {
        var memo = TextMemo<Int>()
        let ids = (0..<41).map { ReadContext.TextKey(catalogue: "kk-2025", scale: "", text: "B.\($0)") }
        for (index, key) in ids.enumerated() { memo.remember(index, for: key) }
        for _ in 0..<3 {
            #expect(ids.map { memo.value(for: $0) } == Array(0..<41))
        }
        #expect(ids.reversed().map { memo.value(for: $0) } == Array((0..<41).reversed()))
        #expect(memo.value(for: ReadContext.TextKey(catalogue: "kk-2025", scale: "", text: "B.41")) == nil)
    }

    @Test func remembersAtMostItsLimit() {
        let limit = TextMemo<Int>.limit
        var memo = TextMemo<Int>()
        for index in 0..<(limit + 10) {
            memo.remember(index, for: ReadContext.TextKey(catalogue: "c", scale: "", text: "\(index)"))
        }
        #expect(memo.count == limit)
        #expect(memo.value(for: ReadContext.TextKey(catalogue: "c", scale: "", text: "\(limit + 5)")) == nil)
        #expect(memo.value(for: ReadContext.TextKey(catalogue: "c", scale: "", text: "\(limit - 1)")) == limit - 1)
    }
}
