import Dispatch
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

    @Test func aWindowBoundsHowFarWorkersRunAhead() async {
        await propertyCheck(count: 20, input: Gen.int(in: 1...5), Gen.int(in: 1...4), Gen.int(in: 0...100)) {
            workers, window, count in
            let results = OrderedResults<Int>(count: count, window: window)
            let taken = Mutex(0)
            let furthest = Mutex(0)
            for _ in 0..<workers {
                #expect(startThread {
                    while let index = results.claim() {
                        // How far this claim is ahead of what the consumer has taken.
                        let ahead = index - taken.withLock { $0 }
                        furthest.withLock { $0 = max($0, ahead) }
                        results.put(index, at: index)
                    }
                })
            }
            for index in 0..<count {
                if index % 7 == 0 { usleep(100) }
                #expect(results.take(index) == index)
                taken.withLock { $0 = index + 1 }
            }
            #expect(furthest.withLock { $0 } <= window)
        }
    }

    @Test func cancelReleasesWorkersWaitingForRoom() {
        let results = OrderedResults<Int>(count: 100, window: 1)
        let returned = DispatchSemaphore(value: 0)
        #expect(results.claim() == 0)
        // The window is full: these wait in `claim` until the cancel.
        let claimed = Mutex<[Int?]>([])
        for _ in 0..<3 {
            let started = startThread {
                let index = results.claim()
                claimed.withLock { $0.append(index) }
                returned.signal()
            }
            #expect(started)
        }
        usleep(20_000)
        #expect(claimed.withLock { $0.isEmpty })
        results.cancel()
        for _ in 0..<3 { #expect(returned.wait(timeout: .now() + 10) == .success) }
        #expect(claimed.withLock { $0 } == [nil, nil, nil])
    }
}
