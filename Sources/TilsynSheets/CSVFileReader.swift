@preconcurrency import Glibc

/// The records of a CSV text, one at a time; a source can be read again from its start.
public protocol CSVRecordSource: AnyObject {
    /// The next record, or `nil` at the end.
    func next() throws -> CSVRecord?
    /// Calls `body` with each remaining record's fields as views, valid only during the call.
    func forEachRecord(_ body: (CSVFieldsView) throws -> Void) throws
    /// Goes back to the first record.
    func rewind()
}

/// A UTF-8 CSV file read through a window of its bytes, so that memory does not grow with the file.
///
/// Reads what ``CSVReader`` reads from the same file, record for record and line for line, but holds only a few
/// megabytes of it at a time (more only for a record longer than that). It serves files that are valid UTF-8, with or
/// without a byte order mark, and a reader that asks for UTF-8 or detection; ``open(path:options:window:)`` gives `nil` for
/// any other file (another encoding, a NUL byte, UTF-16), which ``CSVReader`` then reads whole and reports on.
///
/// Each pass over the file reads it from the disk (the page cache) again; `observe` sees every byte of the file in
/// order once per pass, for a hash of what was parsed. A reader is not safe to share between tasks.
///
/// A file that changes while it is read is read as it is then, never past its end: the caller compares a hash of
/// what a pass saw with the file it meant to read.
public final class CSVFileReader: CSVRecordSource {
    /// The delimiter in use, given or sniffed.
    public let delimiter: UInt8
    /// Whether the file starts with a UTF-8 byte order mark.
    public let hadBOM: Bool
    /// The file's name as given, used in errors.
    public let name: String
    /// Called with the file's bytes in order as each pass reads them (the byte order mark included), with the
    /// offset in the file of the first: a pass starts at offset 0.
    public var observe: ((Int, UnsafeBufferPointer<UInt8>) -> Void)?

    private let fd: Int32
    private let start: _CSVParser
    private var parser: _CSVParser
    /// The window: `filled` bytes of the file from offset `offset` on, in `buffer`.
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var filled = 0
    private var offset = 0
    private var atEnd = false
    private var inCallback = false

    /// The window's size unless asked otherwise; a window grows only to hold one record longer than it.
    public static let windowSize = 4 << 20
    /// The bytes the delimiter is sniffed from: more than ``CSVReader`` looks at (64 KiB after a `sep=` line).
    static let headSize = 128 << 10
    /// This reader's window size.
    private let window: Int
    /// Bytes scanned at a time when the file is checked.
    static let chunkSize = 1 << 20

    /// A reader of the CSV file at `path` when it is valid UTF-8 and within the limits; nil when ``CSVReader`` must
    /// read it instead (another encoding, NUL bytes, UTF-16, an encoding other than UTF-8 asked for).
    public static func open(
        path: String, options: CSVReadOptions = .init(), window: Int = windowSize
    ) throws -> CSVFileReader? {
        if let encoding = options.encoding, encoding != .utf8 { return nil }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SpreadsheetError(
                .fileUnreadable, "cannot open the file (\(FileBytes.errnoText())): check the path and permissions",
                file: path)
        }
        do {
            guard try isPlainUTF8(fd, path: path, options: options) else {
                close(fd)
                return nil
            }
            return try CSVFileReader(fd: fd, name: path, options: options, window: max(1, window))
        } catch {
            close(fd)
            throw error
        }
    }

    /// Whether the whole file is UTF-8 without NUL bytes and within the size limit (one pass, a chunk at a time).
    private static func isPlainUTF8(_ fd: Int32, path: String, options: CSVReadOptions) throws -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        guard Int(info.st_size) <= options.maxFileSize else { return false }
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize + 4)
        defer { chunk.deallocate() }
        var carried = 0
        var position = 0
        var first = true
        while true {
            let n = try FileBytes.read(
                fd, into: UnsafeMutableBufferPointer(rebasing: chunk[carried...]), at: position, path: path)
            position += n
            let count = carried + n
            let bytes = UnsafeBufferPointer(rebasing: chunk[..<count])
            if first {
                first = false
                if count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
                    return false
                }
            }
            if let base = bytes.baseAddress, count > 0, memchr(base, 0, count) != nil { return false }
            // Up to the last whole character; an incomplete one at the end waits for the next chunk.
            var whole = count
            if n > 0 {
                var back = count
                while back > 0 && count - back < 3 && bytes[back - 1] & 0xC0 == 0x80 { back -= 1 }
                if back > 0 && bytes[back - 1] >= 0xC0 { whole = back - 1 }
            }
            if _CSVEncodingSupport.firstInvalidUTF8(UnsafeBufferPointer(rebasing: bytes[..<whole]), from: 0) != nil {
                return false
            }
            if n == 0 { return true }
            carried = count - whole
            for k in 0..<carried { chunk[k] = chunk[whole + k] }
        }
    }

    private init(fd: Int32, name: String, options: CSVReadOptions, window: Int) throws {
        self.fd = fd
        self.name = name
        self.window = window
        // The delimiter is sniffed from the file's start, as `CSVReader` does; the passes read the file from its
        // first byte.
        var head = [UInt8](repeating: 0, count: Self.headSize)
        let count = try head.withUnsafeMutableBufferPointer { try FileBytes.read(fd, into: $0, at: 0, path: name) }
        head.removeSubrange(count...)
        buffer = .allocate(capacity: window)
        hadBOM = head.count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF
        var begin = hadBOM ? 3 : 0
        let declared = CSVReader.declaredDelimiter(head, from: begin)
        if let declared { begin = declared.next }
        delimiter = options.delimiter ?? declared?.delimiter
            ?? head.withUnsafeBufferPointer { _CSVSniffer.delimiter(in: $0, from: begin) }
        var parser = _CSVParser(
            delimiter: delimiter, maxFieldSize: options.maxFieldSize, maxFieldCount: options.maxFieldsPerRecord,
            name: name, position: begin)
        if declared != nil { parser.line = 2 }
        start = parser
        self.parser = parser
    }

    deinit {
        parser.deallocate()
        buffer.deallocate()
        close(fd)
    }

    /// Goes back to the first record; the next pass reads the file again.
    public func rewind() {
        parser.position = start.position
        parser.line = start.line
        parser.recordLine = start.recordLine
        offset = 0
        filled = 0
        atEnd = false
    }

    /// Moves the unparsed bytes to the front of the window (growing it when they fill it) and reads more.
    private func fill() {
        // At the start of a pass the parser may stand past the window's (empty) end: after the byte order mark.
        let consumed = min(parser.position, filled)
        let keep = filled - consumed
        if keep > 0 && consumed > 0 {
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(
                from: buffer.baseAddress! + consumed, byteCount: keep)
        }
        offset += consumed
        parser.position -= consumed
        filled = keep
        if filled == buffer.count {
            let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            _ = bigger.initialize(from: buffer)
            buffer.deallocate()
            buffer = bigger
        }
        // A failed read ends the file here: what was read is parsed, and a hash of it shows the difference.
        let n = (try? FileBytes.read(
            fd, into: UnsafeMutableBufferPointer(rebasing: buffer[filled...]), at: offset + filled, path: name)) ?? 0
        if n > 0 { observe?(offset + filled, UnsafeBufferPointer(rebasing: buffer[filled..<(filled + n)])) }
        filled += n
        atEnd = n == 0 || filled < buffer.count
    }

    /// Parses the next record into the parser, reading more of the file while the record may go on past the
    /// window; false at the end of the file.
    private func parseNext() throws -> Bool {
        while true {
            if !atEnd && filled - parser.position <= window / 4 { fill() }
            let saved = (parser.position, parser.line, parser.recordLine)
            do {
                let parsed = try parser.parseRecord(UnsafeBufferPointer(rebasing: buffer[..<filled]))
                // A record that reaches the window's end may go on in the file.
                if atEnd || (parsed && parser.position < filled) { return parsed }
            } catch {
                if atEnd { throw error }
            }
            (parser.position, parser.line, parser.recordLine) = saved
            fill()
        }
    }

    public func next() throws -> CSVRecord? {
        try checkNotInCallback()
        guard try parseNext() else { return nil }
        return parser.scratch.withUnsafeBufferPointer { scratch in
            let view = CSVFieldsView(
                base: UnsafeBufferPointer(rebasing: buffer[..<filled]), scratch: scratch, spans: parser.fieldSpans,
                line: parser.recordLine)
            return CSVRecord(line: parser.recordLine, fields: view.strings)
        }
    }

    public func forEachRecord(_ body: (CSVFieldsView) throws -> Void) throws {
        try checkNotInCallback()
        inCallback = true
        defer { inCallback = false }
        while try parseNext() {
            try parser.scratch.withUnsafeBufferPointer { scratch in
                try body(CSVFieldsView(
                    base: UnsafeBufferPointer(rebasing: buffer[..<filled]), scratch: scratch,
                    spans: parser.fieldSpans, line: parser.recordLine))
            }
        }
    }

    private func checkNotInCallback() throws {
        if inCallback {
            throw SpreadsheetError(
                .invalidArgument, "the reader was used from inside its own forEachRecord callback", file: name)
        }
    }
}
