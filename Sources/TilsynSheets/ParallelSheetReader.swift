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
                anchored: reader.anchored, cellCount: reader.cellCount, trailer: work.isLast ? reader : nil))
    }
}

/// Cuts inflated worksheet XML into segments that end right after a `</row>` tag, never inside a comment, CDATA
/// section or processing instruction, and records the framing (opening tags up to `<sheetData>`, closing tags).
struct SegmentCutter {
    struct Framing {
        var prefix: [UInt8]
        var suffix: [UInt8]
    }

    private enum Mode { case markup, comment, cdata, instruction }

    let segmentSize: Int
    private var buffer: [UInt8] = []
    private var scan = 0
    private var mode = Mode.markup
    private var rootName: [UInt8]?
    private var cuts: [Int] = []
    private(set) var framing: Framing?
    /// Where the sheet data starts: no cut is made before it.
    private var dataStart: Int?

    init(segmentSize: Int) {
        self.segmentSize = max(segmentSize, 4096)
        buffer.reserveCapacity(self.segmentSize * 2)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        scanForCut()
    }

    /// The next complete segment, if one is ready.
    mutating func nextSegment() -> [UInt8]? {
        guard let cut = cuts.first else { return nil }
        cuts.removeFirst()
        let segment = Array(buffer[0..<cut])
        buffer.removeFirst(cut)
        scan -= cut
        cuts = cuts.map { $0 - cut }
        return segment
    }

    /// Everything left at the end of the part: the last segment.
    mutating func remainder() -> [UInt8] {
        defer { buffer = [] }
        return buffer
    }

    private mutating func scanForCut() {
        buffer.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            var i = scan
            scanning: while i < count {
                switch mode {
                case .markup:
                    guard let lt = Self.find(UInt8(ascii: "<"), in: bytes, from: i) else {
                        i = count
                        break scanning
                    }
                    i = lt
                    guard i + 12 <= count else { break scanning }  // wait for enough lookahead
                    let next = bytes[i + 1]
                    if next == UInt8(ascii: "!") {
                        if bytes[i + 2] == UInt8(ascii: "-") && bytes[i + 3] == UInt8(ascii: "-") {
                            mode = .comment
                            i += 4
                        } else {
                            mode = .cdata  // <![CDATA[ (a DOCTYPE is refused by the parser anyway)
                            i += 9
                        }
                    } else if next == UInt8(ascii: "?") {
                        mode = .instruction
                        i += 2
                    } else if next == UInt8(ascii: "/") {
                        let nameStart = i + 2
                        guard let gt = Self.find(UInt8(ascii: ">"), in: bytes, from: nameStart) else { break scanning }
                        if dataStart != nil, Self.localNameIs(bytes, nameStart, gt, "row"),
                            gt + 1 >= segmentSize + (cuts.last ?? 0)
                        {
                            cuts.append(gt + 1)
                        }
                        i = gt + 1
                    } else {
                        guard let gt = Self.find(UInt8(ascii: ">"), in: bytes, from: i + 1) else { break scanning }
                        if rootName == nil {
                            rootName = Self.qualifiedName(bytes, i + 1, gt)
                        } else if dataStart == nil {
                            let name = Self.qualifiedName(bytes, i + 1, gt)
                            if Self.localNameIs(bytes, i + 1, i + 1 + name.count, "sheetData")
                                && bytes[gt - 1] != UInt8(ascii: "/"), let root = rootName
                            {
                                dataStart = gt + 1
                                framing = Framing(
                                    prefix: Array(bytes[0..<(gt + 1)]),
                                    suffix: Array("</".utf8) + name + Array("></".utf8) + root + [UInt8(ascii: ">")])
                            }
                        }
                        i = gt + 1
                    }
                case .comment, .cdata, .instruction:
                    let terminator: [UInt8] =
                        mode == .comment ? Array("-->".utf8) : mode == .cdata ? Array("]]>".utf8) : Array("?>".utf8)
                    guard let end = Self.find(terminator, in: bytes, from: i) else {
                        i = max(i, count - terminator.count)
                        break scanning
                    }
                    mode = .markup
                    i = end + terminator.count
                }
            }
            scan = i
        }
    }

    private static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private static func find(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        while let hit = find(pattern[0], in: bytes, from: i) {
            guard hit + pattern.count <= bytes.count else { return nil }
            if (1..<pattern.count).allSatisfy({ bytes[hit + $0] == pattern[$0] }) { return hit }
            i = hit + 1
        }
        return nil
    }

    /// The qualified name of a start tag whose name begins at `start`.
    private static func qualifiedName(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> [UInt8] {
        var i = start
        while i < end, bytes[i] != 32, bytes[i] != 9, bytes[i] != 10, bytes[i] != 13, bytes[i] != UInt8(ascii: "/") {
            i += 1
        }
        return Array(bytes[start..<i])
    }

    /// Whether the (possibly prefixed) name in `bytes[start..<end]` has this local name.
    private static func localNameIs(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ local: String) -> Bool {
        var nameEnd = end
        while nameEnd > start, bytes[nameEnd - 1] == 32 || bytes[nameEnd - 1] == 9 || bytes[nameEnd - 1] == 10
            || bytes[nameEnd - 1] == 13
        {
            nameEnd -= 1
        }
        let target = Array(local.utf8)
        guard nameEnd - start >= target.count else { return false }
        let localStart = nameEnd - target.count
        guard Array(bytes[localStart..<nameEnd]) == target else { return false }
        return localStart == start || bytes[localStart - 1] == UInt8(ascii: ":")
    }
}

/// Starts a detached thread running `body`; false when the system refuses a thread.
private func startThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { argument in
        guard let argument else { return nil }
        Unmanaged<Box>.fromOpaque(argument).takeRetainedValue().body()
        return nil
    }, box)
    guard rc == 0 else {
        Unmanaged<Box>.fromOpaque(box).release()
        return false
    }
    pthread_detach(thread)
    return true
}

/// The number of cores online.
func onlineCores() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
