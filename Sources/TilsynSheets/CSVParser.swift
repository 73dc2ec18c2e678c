/// Where one parsed field's bytes are: a slice of the file, or of the parser's scratch buffer.
///
/// Most fields are plain slices of the file. Only quoted fields with doubled quotes or text after the closing
/// quote are assembled in the scratch buffer.
@usableFromInline
struct _CSVFieldSpan {
    @usableFromInline var start: Int
    @usableFromInline var end: Int
    @usableFromInline var inScratch: Bool

    init(start: Int, end: Int, inScratch: Bool) {
        self.start = start
        self.end = end
        self.inScratch = inScratch
    }
}

/// The RFC 4180 record parser over UTF-8 bytes: one call parses one record into field spans.
///
/// The parser never copies a field it can hand out as a slice of the input, never creates strings and
/// keeps its buffers between records, so parsing allocates nothing once the buffers have grown.
struct _CSVParser {
    static let quote: UInt8 = 0x22
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    let delimiter: UInt8
    let maxFieldSize: Int
    let maxFieldCount: Int
    /// The file name for errors.
    let name: String
    /// The offset of the next record.
    var position: Int
    /// The 1-based line at `position`.
    var line = 1
    /// The line where the last parsed record started.
    var recordLine = 1
    /// The fields of the last parsed record: `spanCount` spans at `spans`, room for `spanCapacity`.
    ///
    /// Managed by hand (the owner calls ``deallocate()``) so that appending costs no uniqueness check.
    private(set) var spans: UnsafeMutablePointer<_CSVFieldSpan>
    private(set) var spanCount = 0
    private var spanCapacity = 64
    /// Assembled fields of the last parsed record.
    var scratch: [UInt8] = []

    init(delimiter: UInt8, maxFieldSize: Int, maxFieldCount: Int, name: String, position: Int) {
        self.delimiter = delimiter
        self.maxFieldSize = maxFieldSize
        self.maxFieldCount = maxFieldCount
        self.name = name
        self.position = position
        spans = .allocate(capacity: spanCapacity)
    }

    /// Frees the span buffer; the parser must not be used afterwards.
    func deallocate() {
        spans.deallocate()
    }

    /// The spans of the last parsed record.
    var fieldSpans: UnsafeBufferPointer<_CSVFieldSpan> {
        UnsafeBufferPointer(start: spans, count: spanCount)
    }

    @inline(__always)
    private mutating func appendSpan(_ span: _CSVFieldSpan) {
        if spanCount == spanCapacity { grow() }
        (spans + spanCount).initialize(to: span)
        spanCount += 1
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<_CSVFieldSpan>.allocate(capacity: spanCapacity * 2)
        bigger.moveInitialize(from: spans, count: spanCount)
        spans.deallocate()
        spans = bigger
        spanCapacity *= 2
    }

    /// The index of the first byte from `i` on that is `stop`, LF or CR, or `n` when there is none.
    ///
    /// Looks at eight bytes at a time: a byte equal to a target becomes zero after XOR, and the classic
    /// "has a zero byte" bit trick flags it. Flags above the first true match may be false, so only the lowest
    /// flag is used.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, stop: UInt64) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let lfs = ones &* UInt64(lineFeed)
        let crs = ones &* UInt64(carriageReturn)
        var i = i
        while i &+ 8 <= n {
            let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            let a = word ^ stop
            let b = word ^ lfs
            let c = word ^ crs
            let found = ((a &- ones) & ~a | (b &- ones) & ~b | (c &- ones) & ~c) & highs
            if found != 0 { return i &+ found.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        let single = UInt8(truncatingIfNeeded: stop)
        while i < n {
            let c = p[i]
            if c == single || c == lineFeed || c == carriageReturn { return i }
            i &+= 1
        }
        return n
    }

    /// Parses the record at `position` into `spans`; returns `false` at the end of the input.
    ///
    /// A blank line is a record without fields (as Python's `csv` module reads it); a line end right
    /// before the end of the input does not start another record.
    mutating func parseRecord(_ buffer: UnsafeBufferPointer<UInt8>) throws -> Bool {
        guard let p = buffer.baseAddress else { return false }
        let n = buffer.count
        var i = position
        guard i < n else { return false }
        spanCount = 0
        if !scratch.isEmpty { scratch.removeAll(keepingCapacity: true) }
        recordLine = line
        let d = delimiter
        let stop = 0x0101_0101_0101_0101 &* UInt64(d)
        let quote = Self.quote
        let lf = Self.lineFeed
        let cr = Self.carriageReturn

        // A blank line.
        let first = p[i]
        if first == lf || first == cr {
            i += 1
            if first == cr && i < n && p[i] == lf { i += 1 }
            line += 1
            position = i
            return true
        }

        while true {
            if spanCount == maxFieldCount {
                throw SpreadsheetError(
                    .invalidCSV,
                    "the record has more than \(maxFieldCount) fields: check that the file is a CSV file and that "
                        + "its delimiter is right, or split the record",
                    file: name, line: recordLine)
            }
            if i < n && p[i] == quote {
                try parseQuotedField(p, n, &i)
            } else {
                let start = i
                i = Self.scan(p, i, n, stop: stop)
                if i - start > maxFieldSize { throw fieldTooLarge(line: line) }
                appendSpan(_CSVFieldSpan(start: start, end: i, inScratch: false))
            }
            // Now at a delimiter, a line end or the end of the input.
            guard i < n else {
                position = n
                return true
            }
            let c = p[i]
            i += 1
            if c == d { continue }
            if c == cr && i < n && p[i] == lf { i += 1 }
            line += 1
            position = i
            return true
        }
    }

    /// Parses a quoted field starting at the opening quote at `i`, leaving `i` after the field.
    private mutating func parseQuotedField(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws {
        let quote = Self.quote
        let lf = Self.lineFeed
        let cr = Self.carriageReturn
        let d = delimiter
        let openingLine = line
        let scratchStart = scratch.count
        var assembled = false
        i += 1
        var start = i
        let quotes = 0x0101_0101_0101_0101 &* UInt64(quote)
        while true {
            i = Self.scan(p, i, n, stop: quotes)
            guard i < n else {
                throw SpreadsheetError(
                    .invalidCSV,
                    "a quoted field starts on this line and is never closed: add the missing closing quote (\"), "
                        + "or double each quote that is part of the text (\"\")",
                    file: name, line: openingLine)
            }
            let c = p[i]
            if c == lf {
                line += 1
                i += 1
            } else if c == cr {
                line += 1
                i += 1
                if i < n && p[i] == lf { i += 1 }
            } else if i + 1 < n && p[i + 1] == quote {
                // A doubled quote: keep one.
                assembled = true
                scratch.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i + 1 - start))
                i += 2
                start = i
            } else {
                break
            }
        }
        let contentEnd = i
        i += 1
        // Text after the closing quote is kept literally, as Excel does (`"ab"c` reads as `abc`).
        let tailStart = i
        i = Self.scan(p, i, n, stop: 0x0101_0101_0101_0101 &* UInt64(d))
        if assembled || i > tailStart {
            scratch.append(contentsOf: UnsafeBufferPointer(start: p + start, count: contentEnd - start))
            scratch.append(contentsOf: UnsafeBufferPointer(start: p + tailStart, count: i - tailStart))
            if scratch.count - scratchStart > maxFieldSize { throw fieldTooLarge(line: openingLine) }
            appendSpan(_CSVFieldSpan(start: scratchStart, end: scratch.count, inScratch: true))
        } else {
            if contentEnd - start > maxFieldSize { throw fieldTooLarge(line: openingLine) }
            appendSpan(_CSVFieldSpan(start: start, end: contentEnd, inScratch: false))
        }
    }

    private func fieldTooLarge(line: Int) -> SpreadsheetError {
        SpreadsheetError(
            .invalidCSV,
            "a field is larger than \(maxFieldSize) bytes: check for a missing closing quote, "
                + "or raise the field size limit in the read options",
            file: name, line: line)
    }
}
