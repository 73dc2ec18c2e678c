import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The second half of a large CSV file, parsed on another core while the reader hands out the first half.
///
/// The split is a guess: the first line feed after the middle at which the quotes counted from the parser's
/// position are balanced, which is where a record starts in any file whose quotes follow RFC 4180. The guess is
/// only used if the reader's own parser, reading the first half in order, ends a record exactly there; a file
/// where it does not (a stray quote inside an unquoted field, say) is simply read on in order, so the records,
/// their fields and any error (with its line) are always exactly those of reading the whole file in order. An
/// error in the second half is not reported from here: the reader parses on from the split in order and meets it
/// itself.
final class _CSVSpeculativeParser: @unchecked Sendable {
    /// Where the second half starts.
    let split: Int
    private let buffer: UnsafeBufferPointer<UInt8>
    private var parser: _CSVParser
    private let done = DispatchSemaphore(value: 0)
    private var joined = false

    // What the worker found: per field its start and end (scratch fields flagged by the top bit of the end),
    // per record its field count and its line relative to the split (line 1).
    private var starts: [UInt32] = []
    private var ends: [UInt32] = []
    private var fieldCounts: [UInt32] = []
    private var lines: [UInt32] = []
    private var scratch: [UInt8] = []
    private var finalLine = 1
    private var failed = false

    private static let inScratch: UInt32 = 1 << 31

    /// Starts the worker for `buffer` from `position`, or returns nil when less than `minimumBytes` remain, the
    /// file is too large for 31-bit offsets, it has no usable split, or no thread can be started.
    init?(buffer: UnsafeBufferPointer<UInt8>, position: Int, like parser: _CSVParser, minimumBytes: Int) {
        let n = buffer.count
        guard n - position >= minimumBytes, n < Int(Self.inScratch), let base = buffer.baseAddress,
            let split = Self.split(base, from: position, count: n)
        else { return nil }
        self.split = split
        self.buffer = buffer
        self.parser = _CSVParser(
            delimiter: parser.delimiter, maxFieldSize: parser.maxFieldSize, maxFieldCount: parser.maxFieldCount,
            name: parser.name, position: split)
        guard startThread({ [self] in work() }) else {
            self.parser.deallocate()
            return nil
        }
    }

    deinit {
        join()
        parser.deallocate()
    }

    /// The first line feed after the middle at which the quotes from `position` on are balanced; nil if none.
    private static func split(_ p: UnsafePointer<UInt8>, from position: Int, count n: Int) -> Int? {
        let middle = position + (n - position) / 2
        var quotes = 0
        var i = position
        while i < middle {
            guard let hit = memchr(p + i, Int32(_CSVParser.quote), middle - i) else { break }
            quotes += 1
            i = UnsafeRawPointer(hit) - UnsafeRawPointer(p) + 1
        }
        var balanced = quotes % 2 == 0
        i = middle
        while i < n {
            let c = p[i]
            if c == _CSVParser.quote {
                balanced.toggle()
            } else if c == _CSVParser.lineFeed && balanced {
                return i + 1 < n ? i + 1 : nil
            }
            i += 1
        }
        return nil
    }

    private func work() {
        defer { done.signal() }
        do {
            let count = buffer.count
            while parser.position < count, try parser.parseRecord(buffer) {
                let spans = parser.fieldSpans
                fieldCounts.append(UInt32(spans.count))
                lines.append(UInt32(truncatingIfNeeded: parser.recordLine))
                for span in spans {
                    if span.inScratch {
                        let start = scratch.count
                        parser.scratch.withUnsafeBufferPointer { from in
                            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: from[span.start..<span.end]))
                        }
                        starts.append(UInt32(start))
                        ends.append(UInt32(scratch.count) | Self.inScratch)
                    } else {
                        starts.append(UInt32(span.start))
                        ends.append(UInt32(span.end))
                    }
                }
            }
            finalLine = parser.line
        } catch {
            failed = true
        }
    }

    /// Waits for the worker.
    func join() {
        guard !joined else { return }
        done.wait()
        joined = true
    }

    /// Hands out the second half's records, their lines counted from `line` (the reader's line at the split);
    /// returns the line after the last record, or nil when the worker met an error and the reader must parse the
    /// second half itself.
    func forEachRecord(fromLine line: Int, _ body: (CSVFieldsView) throws -> Void) rethrows -> Int? {
        join()
        if failed { return nil }
        let offset = line - 1
        var record = UnsafeMutablePointer<_CSVFieldSpan>.allocate(capacity: 64)
        var capacity = 64
        defer { record.deallocate() }
        var field = 0
        try scratch.withUnsafeBufferPointer { scratch in
            for (index, count) in fieldCounts.enumerated() {
                let count = Int(count)
                if count > capacity {
                    record.deallocate()
                    capacity = count
                    record = .allocate(capacity: capacity)
                }
                for k in 0..<count {
                    let end = ends[field + k]
                    let inScratch = end & Self.inScratch != 0
                    (record + k).initialize(
                        to: _CSVFieldSpan(
                            start: Int(starts[field + k]), end: Int(end & ~Self.inScratch), inScratch: inScratch))
                }
                field += count
                try body(
                    CSVFieldsView(
                        base: buffer, scratch: scratch, spans: UnsafeBufferPointer(start: record, count: count),
                        line: Int(lines[index]) + offset))
            }
        }
        return finalLine + offset
    }
}
