import Glibc
import PropertyBased
import Synchronization
import Testing
import TilsynSheets

/// The one concurrency model every module uses: `startThread`, `inParallel`, `OrderedResults`.
@Suite struct ThreadsTests {
    @Test(arguments: [0, 1, 2, 7, 32])
    func inParallelRunsEveryPartOnceAndReturnsAfterAll(count: Int) {
        let runs = Mutex([Int](repeating: 0, count: count))
        inParallel(count) { part in
            // Some parts take longer, so a return before all are done would show.
            if part % 3 == 1 { usleep(2_000) }
            runs.withLock { $0[part] += 1 }
        }
        #expect(runs.withLock { $0 } == [Int](repeating: 1, count: count))
    }

    @Test func orderedResultsComeBackInOrderWhateverOrderTheyAreMadeIn() async {
        await propertyCheck(count: 20, input: Gen.int(in: 1...6), Gen.int(in: 0...200)) { workers, count in
            let results = OrderedResults<Int>(count: count)
            for _ in 0..<workers {
                #expect(startThread {
                    while let index = results.claim() {
                        // Later indices finish first now and then.
                        if index % 5 == 0 { usleep(200) }
                        results.put(index * index, at: index)
                    }
                })
            }
            let taken = (0..<count).map { results.take($0) }
            #expect(taken == (0..<count).map { $0 * $0 })
        }
    }

    @Test func cancelledResultsLeaveNothingToClaim() {
        let results = OrderedResults<Int>(count: 10)
        #expect(results.claim() == 0)
        results.cancel()
        #expect(results.claim() == nil)
        results.put(1, at: 0)
        #expect(results.take(0) == 1)
    }
}
