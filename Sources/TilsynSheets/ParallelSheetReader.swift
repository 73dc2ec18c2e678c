import Dispatch
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Parses a large worksheet on all cores: the inflated XML is cut at row boundaries into segments, each segment is
/// parsed as a small document of its own (the sheet's opening tags before it, closing tags after it) by a pool of
/// worker threads, and the rows are handed back in order.
///
/// One producer thread inflates and cuts; memory stays bounded because at most ``maxInFlight`` segments exist
/// between the producer and the consumer.
final class ParallelSheetReader: @unchecked Sendable {
    /// What one parsed segment yields.
    struct Segment: @unchecked Sendable {  // handed from a worker to the consumer, never shared
        var rows: [Row]
        var relativeRows: Int
        var lastRowNumber: Int
        var anchored: Bool
        var cellCount: Int
        var formulasWithoutValue: [(row: Int, column: Int, relative: Bool)]
        var trailer: WorksheetReader?
    }

    private struct Work: Sendable {
        var index: Int
        var bytes: [UInt8]
        var isLast: Bool
    }

    private struct State {
        var work: [Work] = []
        var workHead = 0
        var results: [Int: Result<Segment, SpreadsheetError>] = [:]
        var total: Int?
        var cancelled = false
        var prefix: [UInt8] = []
        var suffix: [UInt8] = []
    }

    static let maxInFlight = 6
    private let state = Mutex(State())
    private let workAvailable = DispatchSemaphore(value: 0)
    /// Created empty and signalled up: libdispatch traps when a semaphore is freed below its initial value.
    private let slots = DispatchSemaphore(value: 0)
    private let resultReady = DispatchSemaphore(value: 0)
    private let workers: Int

    private let archive: ZipArchive
    private let entry: ZipEntry
    private let sharedStrings: [String]
    private let dateKinds: [ExcelDateTime.Kind?]
    private let date1904: Bool
    private let options: ReadOptions
    private var nextIndex = 0

    /// Starts the producer and the workers; nil when no thread could be started (the caller reads sequentially).
    init?(workbook: Workbook, entry: ZipEntry, workers: Int) {
        archive = workbook.archive
        self.entry = entry
        sharedStrings = workbook.sharedStrings
        dateKinds = workbook.dateKinds
        date1904 = workbook.date1904
        options = workbook.options
        self.workers = max(1, workers)
        for _ in 0..<Self.maxInFlight { slots.signal() }
        guard startThread({ [self] in work() }) else { return nil }
        for _ in 1..<self.workers { _ = startThread { [self] in work() } }
        guard startThread({ [self] in produce() }) else {
            cancel()
            return nil
        }
    }

    /// Stops the threads; called when the reader is dropped before the end of the sheet.
    func cancel() {
        let alreadyDone = state.withLock { state -> Bool in
            let done = state.cancelled
            state.cancelled = true
            return done
        }
        guard !alreadyDone else { return }
        for _ in 0..<Self.maxInFlight { slots.signal() }
        for _ in 0..<workers { workAvailable.signal() }
    }

    /// The next segment in order, nil after the last; throws the first error met.
    func next() throws -> Segment? {
        while true {
            let outcome = state.withLock { state -> Result<Segment, SpreadsheetError>?? in
                if let total = state.total, nextIndex >= total { return .some(nil) }
                if let result = state.results.removeValue(forKey: nextIndex) { return .some(result) }
                return nil
            }
            switch outcome {
            case .some(.none):
                return nil
            case .some(.some(let result)):
                nextIndex += 1
                slots.signal()
                switch result {
                case .success(let segment): return segment
                case .failure(let error):
                    cancel()
                    throw error
                }
            case .none:
                resultReady.wait()
            }
        }
    }

    // MARK: Producer

    private func produce() {
        var index = 0
        do {
            let stream = try ZipEntryReader(archive: archive, entry: entry)
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
            defer { chunk.deallocate() }
            var cutter = SegmentCutter(segmentSize: options.segmentSize)
            while true {
                let count = try stream.read(into: chunk)
                if count == 0 { break }
                cutter.append(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
                if index == 0, let framing = cutter.framing {
                    state.withLock { state in
                        if state.prefix.isEmpty {
                            state.prefix = framing.prefix
                            state.suffix = framing.suffix
                        }
                    }
                }
                while let segment = cutter.nextSegment() {
                    guard submit(Work(index: index, bytes: segment, isLast: false)) else { return }
                    index += 1
                }
            }
            guard submit(Work(index: index, bytes: cutter.remainder(), isLast: true)) else { return }
            index += 1
            state.withLock { $0.total = index }
        } catch {
            let failure = error as? SpreadsheetError
                ?? SpreadsheetError(.invalidXML, "the sheet could not be read: \(error)")
            state.withLock { state in
                state.results[index] = .failure(failure)
                state.total = index + 1
            }
        }
        resultReady.signal()
        for _ in 0..<workers { workAvailable.signal() }
    }

    private func submit(_ work: Work) -> Bool {
        slots.wait()
        let cancelled = state.withLock { state -> Bool in
            if state.cancelled { return true }
            state.work.append(work)
            return false
        }
        if cancelled { return false }
        workAvailable.signal()
        return true
    }

    // MARK: Workers

    private func work() {
        while true {
            workAvailable.wait()
            let item = state.withLock { state -> (Work, [UInt8], [UInt8])?? in
                if state.cancelled { return .some(nil) }
                guard state.workHead < state.work.count else {
                    return state.total != nil ? .some(nil) : nil
                }
                let item = state.work[state.workHead]
                state.work[state.workHead].bytes = []
                state.workHead += 1
                if state.workHead > 64 {
                    state.work.removeFirst(state.workHead)
                    state.workHead = 0
                }
                return .some((item, state.prefix, state.suffix))
            }
            guard let item else { continue }
            guard let (work, prefix, suffix) = item else { return }
            let result = parse(work, prefix: prefix, suffix: suffix)
            state.withLock { $0.results[work.index] = result }
            resultReady.signal()
        }
    }

    private func parse(_ work: Work, prefix: [UInt8], suffix: [UInt8]) -> Result<Segment, SpreadsheetError> {
        let reader = WorksheetReader(
            sharedStrings: sharedStrings, dateKinds: dateKinds, date1904: date1904, wantFormulas: options.formulas,
            limits: options.limits, anchored: work.index == 0)
        do {
            let parser = try SAXParser(handler: reader, callbacks: WorksheetReader.callbacks, partName: entry.name)
            if work.index > 0 { try prefix.withUnsafeBytes { try parser.feed($0) } }
            try work.bytes.withUnsafeBytes { try parser.feed($0) }
            if !work.isLast { try suffix.withUnsafeBytes { try parser.feed($0) } }
            try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
        } catch var error as SpreadsheetError {
            if work.index > 0 { error.line = nil }
            return .failure(error)
        } catch {
            return .failure(SpreadsheetError(.invalidXML, "the sheet could not be read: \(error)", part: entry.name))
        }
        return .success(
            Segment(
                rows: reader.completed, relativeRows: reader.relativeRows, lastRowNumber: reader.lastRowNumber,
                anchored: reader.anchored, cellCount: reader.cellCount,
                formulasWithoutValue: reader.formulasWithoutValue, trailer: work.isLast ? reader : nil))
    }
}
