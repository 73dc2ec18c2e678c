import Testing
import TilsynAudit

/// The compact places of a file's reviews answer as a dictionary of keys and places does: the first place of a
/// key that comes again, nothing for a new one, also as the table grows and for keys that differ in one byte.
@Suite struct ReviewPlacesTests {
    @Test(arguments: 0..<12)
    func answersAsADictionaryDoes(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed))
        let cases = ["S-1", "S-2", "S-10", "S-1 ", "Ø-1", "", "S-12345678901234567890", "s-1"]
        let rounds = ["2025", "2025-2", "", "Forår 2026"]
        let levels = [1, 2, 3, 4, 0, -1, Int.max]
        var places = ReviewPlaces()
        var oracle: [ReviewKey: Provenance] = [:]
        for number in 0..<(200 + seed * 150) {
            // Numbered cases, so the table grows, mixed with a few that differ in one byte, so keys collide.
            let caseNumber = random.next() % 3 == 0
                ? cases[Int(random.next() % UInt64(cases.count))] : "C-\(random.next() % 700)"
            let key = ReviewKey(
                caseNumber: caseNumber, level: levels[Int(random.next() % UInt64(levels.count))],
                round: rounds[Int(random.next() % UInt64(rounds.count))])
            let place = Provenance(sheet: number % 5 == 0 ? "Gennemgang" : "", cell: "A\(number + 2)")
            let expected = oracle[key]
            if expected == nil { oracle[key] = place }
            #expect(places.insert(key, at: place) == expected, "seed \(seed), insert \(number)")
        }
        #expect(places.count == oracle.count)
    }
}
