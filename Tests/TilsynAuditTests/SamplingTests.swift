import PropertyBased
import Testing
import TilsynAudit

/// The udtræk: reproducible, proportional within one case per stratum, second level a subset.
@Suite struct SamplingTests {
    @Test func splitMix64MatchesTheReferenceSequence() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func largestRemainderAllocation() {
        #expect(Sampler.allocate(10, over: [5, 3, 2]) == [5, 3, 2])
        #expect(Sampler.allocate(7, over: [5, 3, 2]) == [4, 2, 1])
        #expect(Sampler.allocate(150, over: [100, 100, 100]) == [50, 50, 50])
        #expect(Sampler.allocate(2, over: [1, 1, 1]) == [1, 1, 0])
        #expect(Sampler.allocate(0, over: [4, 4]) == [0, 0])
    }

    static func population(_ sizes: [Int]) -> [CaseRecord] {
        var cases: [CaseRecord] = []
        let indsatser = Indsats.allCases
        for (stratum, size) in sizes.enumerated() {
            for n in 0..<size {
                cases.append(CaseRecord(
                    sagsnummer: "S\(stratum)-\(n)", enhed: "Enhed \(stratum / 4)", indsats: indsatser[stratum % 4]))
            }
        }
        return cases
    }

    @Test func drawIsDeterministicProportionalAndNested() async {
        await propertyCheck(
            count: 150, input: Gen.int(in: 0...40).array(of: 1...8), Gen.int(in: 0...100), Gen.int(in: 0...100),
            Gen.uint64(in: 0...UInt64.max)
        ) { sizes, sizePercent, secondPercent, seed in
            let cases = Self.population(sizes)
            let size = cases.count * sizePercent / 100
            let second = size * secondPercent / 100
            let picks = try Sampler.draw(cases, size: size, secondLevel: second, seed: seed)
            let again = try Sampler.draw(cases, size: size, secondLevel: second, seed: seed)
            #expect(picks == again)
            #expect(picks.count == size)
            #expect(picks.filter { $0.level == 2 }.count == second)
            // Within one case of the exact quota in every stratum (indsats × enhed).
            var population: [String: Int] = [:]
            var first: [String: Int] = [:]
            var secondLevel: [String: Int] = [:]
            for record in cases { population["\(record.indsats)|\(record.enhed)", default: 0] += 1 }
            for pick in picks {
                let key = "\(cases[pick.index].indsats)|\(cases[pick.index].enhed)"
                first[key, default: 0] += 1
                if pick.level == 2 { secondLevel[key, default: 0] += 1 }
            }
            for (key, count) in population {
                let quota = Double(size) * Double(count) / Double(cases.count)
                #expect(abs(Double(first[key] ?? 0) - quota) < 1, "stratum \(key)")
                let firstCount = first[key] ?? 0
                let secondQuota = size == 0 ? 0 : Double(second) * Double(firstCount) / Double(size)
                #expect(abs(Double(secondLevel[key] ?? 0) - secondQuota) < 1, "stratum \(key), niveau 2")
            }
        }
    }

    @Test func differentSeedsDrawDifferentCases() throws {
        let cases = Self.population([50, 50, 50, 50])
        let a = try Sampler.draw(cases, size: 20, secondLevel: 10, seed: 1)
        let b = try Sampler.draw(cases, size: 20, secondLevel: 10, seed: 2)
        #expect(a != b)
    }

    @Test func rejectsImpossibleSizes() {
        let cases = Self.population([3])
        #expect(throws: CatalogueError.self) { try Sampler.draw(cases, size: 4, secondLevel: 0, seed: 1) }
        #expect(throws: CatalogueError.self) { try Sampler.draw(cases, size: 2, secondLevel: 3, seed: 1) }
    }
}
