internal import CLibXML2
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

/// Cuts inflated worksheet XML into segments that end right after a `</row>` tag, never inside a comment, CDATA
/// section or processing instruction, and records the framing (opening tags up to `<sheetData>`, closing tags).
///
/// Raw `<` cannot occur in XML text or attribute values, so a segment without `<!` or `<?` can be cut at the first
/// `</row>` (or `</x:row>`) past the target size: found with `memchr`, nearly free. A segment that holds a comment,
/// CDATA or instruction is cut by a precise scan instead.
struct SegmentCutter {
    struct Framing {
        var prefix: [UInt8]
        var suffix: [UInt8]
    }

    let segmentSize: Int
    private var buffer: [UInt8] = []
    private(set) var framing: Framing?
    /// Where the sheet data starts in the first segment: no cut is made before it.
    private var dataStart = 0
    /// No cuts at all: the sheet data is empty or could not be located safely.
    private var uncuttable = false

    init(segmentSize: Int) {
        self.segmentSize = max(segmentSize, 4096)
        buffer.reserveCapacity(self.segmentSize * 2)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        if framing == nil && !uncuttable { locateFraming() }
    }

    /// The next complete segment, if one is ready.
    mutating func nextSegment() -> [UInt8]? {
        guard framing != nil, !uncuttable, buffer.count >= segmentSize + 16 else { return nil }
        let cut = buffer.withUnsafeBufferPointer { Self.findCut(in: $0, from: max(segmentSize, dataStart), regionStart: dataStart) }
        guard let cut else { return nil }
        let segment = Array(buffer[0..<cut])
        buffer.removeSubrange(0..<cut)
        dataStart = 0
        return segment
    }

    /// Everything left at the end of the part: the last segment.
    mutating func remainder() -> [UInt8] {
        defer { buffer = [] }
        return buffer
    }

    /// Finds the `<sheetData>` start tag and the root element's name, once enough of the part has arrived.
    private mutating func locateFraming() {
        let found: (prefixEnd: Int, root: [UInt8], data: [UInt8])?? = buffer.withUnsafeBufferPointer { bytes in
            guard let hit = Self.find(Array("sheetData".utf8), in: bytes, from: 0) else {
                return bytes.count > 1 << 20 ? .some(nil) : nil  // no sheetData in the first MiB: give up cutting
            }
            // The tag's qualified name runs back to '<': `<sheetData` or `<x:sheetData`.
            var nameStart = hit
            while nameStart > 0, bytes[nameStart - 1] != UInt8(ascii: "<") {
                guard bytes[nameStart - 1] == UInt8(ascii: ":") || Self.isNameByte(bytes[nameStart - 1]) else {
                    return .some(nil)
                }
                nameStart -= 1
            }
            guard nameStart > 0, let gt = Self.find(UInt8(ascii: ">"), in: bytes, from: hit) else {
                return bytes.count > 1 << 20 ? .some(nil) : nil
            }
            // A comment, CDATA or DOCTYPE before the sheet data, or an empty <sheetData/>: read in one piece.
            guard bytes[gt - 1] != UInt8(ascii: "/"),
                Self.find(Array("<!".utf8), in: UnsafeBufferPointer(rebasing: bytes[0..<gt]), from: 0) == nil
            else { return .some(nil) }
            // The root element is the first tag that is not a declaration or instruction.
            var i = 0
            while let lt = Self.find(UInt8(ascii: "<"), in: bytes, from: i), lt < nameStart {
                if bytes[lt + 1] != UInt8(ascii: "?") && bytes[lt + 1] != UInt8(ascii: "!") {
                    var end = lt + 1
                    while end < gt, bytes[end] == UInt8(ascii: ":") || Self.isNameByte(bytes[end]) { end += 1 }
                    return .some((gt + 1, Array(bytes[(lt + 1)..<end]), Array(bytes[nameStart..<(hit + 9)])))
                }
                i = lt + 1
            }
            return .some(nil)
        }
        switch found {
        case .none:
            return  // wait for more bytes
        case .some(.none):
            uncuttable = true
        case .some(.some(let framing)):
            dataStart = framing.prefixEnd
            self.framing = Framing(
                prefix: Array(buffer[0..<framing.prefixEnd]),
                suffix: Array("</".utf8) + framing.data + Array("></".utf8) + framing.root + [UInt8(ascii: ">")])
        }
    }

    /// The position just after the first safe `</row>` at or after `from`, or nil if none has arrived yet.
    static func findCut(in bytes: UnsafeBufferPointer<UInt8>, from: Int, regionStart: Int) -> Int? {
        var search = max(from - 3, regionStart)
        while let hit = find(Array("row>".utf8), in: bytes, from: search) {
            search = hit + 1
            guard isEndTag(bytes, hit) else { continue }
            let cut = hit + 4
            let region = UnsafeBufferPointer(rebasing: bytes[regionStart..<cut])
            if find(Array("<!".utf8), in: region, from: 0) == nil && find(Array("<?".utf8), in: region, from: 0) == nil {
                return cut
            }
            return preciseCut(in: bytes, from: from, regionStart: regionStart)
        }
        return nil
    }

    /// Whether the `row>` at `hit` closes an end tag: `</row>` or `</prefix:row>`.
    private static func isEndTag(_ bytes: UnsafeBufferPointer<UInt8>, _ hit: Int) -> Bool {
        guard hit >= 2 else { return false }
        if bytes[hit - 1] == UInt8(ascii: "/") { return bytes[hit - 2] == UInt8(ascii: "<") }
        guard bytes[hit - 1] == UInt8(ascii: ":") else { return false }
        var i = hit - 2
        while i > 0, isNameByte(bytes[i]) { i -= 1 }
        return i >= 1 && i < hit - 2 && bytes[i] == UInt8(ascii: "/") && bytes[i - 1] == UInt8(ascii: "<")
    }

    /// Scans the region tag by tag, skipping comments, CDATA and instructions, for a `</row>` at or after `from`.
    private static func preciseCut(in bytes: UnsafeBufferPointer<UInt8>, from: Int, regionStart: Int) -> Int? {
        var i = regionStart
        while let lt = find(UInt8(ascii: "<"), in: bytes, from: i) {
            guard lt + 9 <= bytes.count else { return nil }
            if bytes[lt + 1] == UInt8(ascii: "!") {
                let isComment = bytes[lt + 2] == UInt8(ascii: "-") && bytes[lt + 3] == UInt8(ascii: "-")
                let terminator = Array((isComment ? "-->" : "]]>").utf8)
                guard let end = find(terminator, in: bytes, from: lt + 2) else { return nil }
                i = end + terminator.count
            } else if bytes[lt + 1] == UInt8(ascii: "?") {
                guard let end = find(Array("?>".utf8), in: bytes, from: lt + 2) else { return nil }
                i = end + 2
            } else {
                guard let gt = find(UInt8(ascii: ">"), in: bytes, from: lt + 1) else { return nil }
                if gt + 1 > from, gt >= 3, bytes[lt + 1] == UInt8(ascii: "/"), bytes[gt - 3] == UInt8(ascii: "r"),
                    bytes[gt - 2] == UInt8(ascii: "o"), bytes[gt - 1] == UInt8(ascii: "w"), isEndTag(bytes, gt - 3)
                {
                    return gt + 1
                }
                i = gt + 1
            }
        }
        return nil
    }

    @inline(__always)
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= 48 && byte <= 57)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte >= 0x80
    }

    private static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The first occurrence of `pattern` at or after `from`: `memchr` for the pattern's rarest byte in XML (the last
    /// one that is not markup punctuation: `!` of `<!`, `w` of `row>`), each hit checked whole. The patterns are
    /// short and the candidates few, so this is as fast as a two-way search here.
    private static func find(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard !pattern.isEmpty else { return from <= bytes.count ? from : nil }
        let common: Set<UInt8> = [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "\""),
                                  UInt8(ascii: " "), UInt8(ascii: "=")]
        let key = pattern.lastIndex { !common.contains($0) } ?? pattern.count - 1
        var at = from + key
        while let hit = find(pattern[key], in: bytes, from: at) {
            let start = hit - key
            if start + pattern.count <= bytes.count && pattern.indices.allSatisfy({ bytes[start + $0] == pattern[$0] }) {
                return start
            }
            at = hit + 1
        }
        return nil
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

/// The number of cores this process may run on: its CPU affinity (`taskset`, a cgroup's cpuset) as Linux states it
/// in `/proc/self/status` (`Cpus_allowed_list: 0-1`), else the cores online. A process pinned to one core of two
/// works as one core should: no second thread to hand work to and wait for.
public func availableCores() -> Int {
    let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    guard let allowed = allowedCPUs() else { return online }
    return max(1, min(online, allowed))
}

/// The number of CPUs in `Cpus_allowed_list` of `/proc/self/status`; nil when it cannot be read.
private func allowedCPUs() -> Int? {
    let descriptor = open("/proc/self/status", O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 1 << 16 {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    let key = Array("Cpus_allowed_list:".utf8)
    guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: key) }) else { return nil }
    var total = 0
    var low: Int?
    var number: Int?
    for byte in bytes[(start + key.count)...] {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            number = (number ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "-"):
            low = number
            number = nil
        case UInt8(ascii: ","), UInt8(ascii: "\n"):
            if let high = number { total += low.map { high >= $0 ? high - $0 + 1 : 0 } ?? 1 }
            low = nil
            number = nil
            if byte == UInt8(ascii: "\n") { return total > 0 ? total : nil }
        default:
            continue
        }
    }
    return total > 0 ? total : nil
}
