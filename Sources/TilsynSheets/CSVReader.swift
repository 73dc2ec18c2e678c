@preconcurrency import Glibc

/// How to read a CSV file: delimiter, encoding and limits; `nil` means "detect".
public struct CSVReadOptions: Sendable, Equatable {
    /// The field delimiter (an ASCII byte such as `;`, `,` or TAB), or `nil` to sniff it among those three.
    public var delimiter: UInt8?
    /// The encoding, or `nil` for UTF-8 when the bytes are valid UTF-8 and Windows-1252 otherwise.
    ///
    /// A byte order mark means UTF-8, so with `nil` or `.utf8` a file that has one must be valid UTF-8; with
    /// `.windows1252` the mark is not recognised and its bytes are read as text.
    public var encoding: CSVEncoding?
    /// The largest field accepted, in bytes of UTF-8.
    public var maxFieldSize: Int
    /// The most fields one record may have.
    public var maxFieldsPerRecord: Int
    /// The largest file accepted, in bytes.
    public var maxFileSize: Int

    /// Options for reading; the delimiter and encoding are detected when nil.
    public init(
        delimiter: UInt8? = nil, encoding: CSVEncoding? = nil, maxFieldSize: Int = 1 << 20,
        maxFieldsPerRecord: Int = 16_384, maxFileSize: Int = 1 << 30
    ) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.maxFieldSize = maxFieldSize
        self.maxFieldsPerRecord = maxFieldsPerRecord
        self.maxFileSize = maxFileSize
    }
}

/// One record (row) of a CSV file.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based line where the record starts; a quoted field with line breaks makes a record span lines.
    public var line: Int
    /// The fields, unquoted; a blank line gives no fields.
    public var fields: [String]

    /// A record starting at `line`.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A reader of CSV files (RFC 4180 plus what Excel writes), one record at a time.
///
/// - Fields may be quoted with `"`; a quoted field may hold the delimiter, doubled quotes (`""`) and line
///   breaks. Records end with CRLF, LF or a lone CR; the last record may lack a line end.
/// - A quote inside an unquoted field is kept literally, and so is text after a closing quote, as Excel does.
/// - A UTF-8 byte order mark is removed. Bytes that are not valid UTF-8 are read as Windows-1252, the
///   encoding of Danish Excel's "CSV (semikolonsepareret)", unless an encoding is given.
/// - The delimiter is sniffed among `;`, `,` and TAB unless given (see ``CSVReadOptions``).
///
/// Errors are ``SpreadsheetError``s with code `invalidCSV` that name the file and line, never a field's
/// contents. The whole file is held in memory (up to ``CSVReadOptions/maxFileSize``); records are parsed on
/// demand. A reader is not safe to share between tasks.
public final class CSVReader: CSVRecordSource {
    /// The delimiter in use, given or sniffed.
    public let delimiter: UInt8
    /// The encoding in use, given or detected.
    public let encoding: CSVEncoding
    /// Whether the file started with a UTF-8 byte order mark.
    public let hadBOM: Bool
    /// The file's name as given, used in errors.
    public let name: String

    /// The file's text as UTF-8, byte order mark included when there was one.
    private let bytes: [UInt8]
    private var parser: _CSVParser
    /// Where the first record starts (after a byte order mark and a `sep=` line).
    private let start: (position: Int, line: Int)
    private var inCallback = false

    /// Reads the CSV file at `path`.
    public convenience init(path: String, options: CSVReadOptions = .init()) throws {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path: path, limit: options.maxFileSize)
        } catch let error as SpreadsheetError where error.code == .archiveTooLarge {
            throw Self.fileTooLarge(limit: options.maxFileSize, name: path)
        }
        try self.init(bytes: bytes, name: path, options: options)
    }

    /// Reads a CSV file held in memory; `name` is used in errors.
    public init(bytes: [UInt8], name: String, options: CSVReadOptions = .init()) throws {
        self.name = name
        guard bytes.count <= options.maxFileSize else {
            throw Self.fileTooLarge(limit: options.maxFileSize, name: name)
        }
        guard options.maxFieldSize > 0, options.maxFieldsPerRecord > 0 else {
            throw SpreadsheetError(
                .invalidArgument, "the field size and field count limits must be positive", file: name)
        }
        if let delimiter = options.delimiter {
            guard delimiter > 0 && delimiter < 0x80 && delimiter != _CSVParser.quote
                && delimiter != _CSVParser.lineFeed && delimiter != _CSVParser.carriageReturn
            else {
                throw SpreadsheetError(
                    .invalidArgument,
                    "the delimiter must be an ASCII character other than a quote or a line break, such as ';', ',' "
                        + "or TAB",
                    file: name)
            }
        }

        let prepared = try bytes.withUnsafeBufferPointer { raw in
            try Self.prepare(raw, name: name, encoding: options.encoding)
        }
        // Decoding from Windows-1252 makes new bytes; UTF-8 input is used as it is.
        let text = prepared.decoded ?? bytes
        self.bytes = text
        encoding = prepared.encoding
        hadBOM = prepared.hadBOM
        var start = prepared.hadBOM ? 3 : 0
        // Excel's `sep=;` first line names the delimiter and is no record.
        let declared = Self.declaredDelimiter(text, from: start)
        if let declared { start = declared.next }
        let delimiter = options.delimiter ?? declared?.delimiter
            ?? text.withUnsafeBufferPointer { _CSVSniffer.delimiter(in: $0, from: start) }
        self.delimiter = delimiter
        parser = _CSVParser(
            delimiter: delimiter, maxFieldSize: options.maxFieldSize, maxFieldCount: options.maxFieldsPerRecord,
            name: name, position: start)
        if declared != nil { parser.line = 2 }
        self.start = (parser.position, parser.line)
    }

    /// Goes back to the first record.
    public func rewind() {
        parser.position = start.position
        parser.line = start.line
    }

    /// The delimiter of a first line `sep=;` (as Excel writes and reads it) and the offset after that line.
    static func declaredDelimiter(_ text: [UInt8], from start: Int) -> (delimiter: UInt8, next: Int)? {
        let prefix: [UInt8] = Array("sep=".utf8)
        guard text.count >= start + 5, Array(text[start..<(start + 4)]).map({ $0 | 0x20 }) == prefix else {
            return nil
        }
        let delimiter = text[start + 4]
        guard delimiter >= 0x20 || delimiter == 0x09, delimiter < 0x80, delimiter != _CSVParser.quote else { return nil }
        var next = start + 5
        if next < text.count, text[next] == _CSVParser.carriageReturn { next += 1 }
        if next < text.count, text[next] == _CSVParser.lineFeed { next += 1 }
        guard next == text.count || text[next - 1] == _CSVParser.lineFeed || text[next - 1] == _CSVParser.carriageReturn
        else { return nil }
        return (delimiter, next)
    }

    private static func fileTooLarge(limit: Int, name: String) -> SpreadsheetError {
        SpreadsheetError(
            .invalidCSV,
            "the file is larger than the \(limit) bytes allowed: split it into smaller files, "
                + "or raise the file size limit in the read options",
            file: name)
    }

    /// Finds the encoding and the byte order mark, rejects NUL bytes and UTF-16, and decodes Windows-1252.
    private static func prepare(
        _ raw: UnsafeBufferPointer<UInt8>, name: String, encoding: CSVEncoding?
    ) throws -> (encoding: CSVEncoding, hadBOM: Bool, decoded: [UInt8]?) {
        let hasBOM = raw.count >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF
        if encoding == nil && raw.count >= 2
            && ((raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF))
        {
            throw SpreadsheetError(
                .invalidCSV,
                "the file is UTF-16 (Excel's \"Unicode text\"), which is not supported: "
                    + "save it again as \"CSV UTF-8\" or \"CSV (semikolonsepareret)\"",
                file: name, line: 1)
        }
        if let base = raw.baseAddress, raw.count > 0, let nul = memchr(base, 0, raw.count) {
            let offset = UnsafeRawPointer(nul) - UnsafeRawPointer(base)
            throw SpreadsheetError(
                .invalidCSV,
                "the line holds a NUL byte, so this is not a CSV text file (or it is UTF-16): "
                    + "save it again from Excel as \"CSV UTF-8\"",
                file: name, line: _CSVEncodingSupport.line(at: offset, in: raw, from: 0))
        }
        switch encoding {
        case .windows1252, .macRoman:
            return (encoding ?? .windows1252, false, _CSVEncodingSupport.utf8(from: raw, encoding: encoding ?? .windows1252, from: 0))
        case .utf8, nil:
            let start = hasBOM ? 3 : 0
            guard let bad = _CSVEncodingSupport.firstInvalidUTF8(raw, from: start) else {
                return (.utf8, hasBOM, nil)
            }
            if encoding == nil && !hasBOM {
                let detected = _CSVEncodingSupport.eightBitEncoding(raw)
                return (detected, false, _CSVEncodingSupport.utf8(from: raw, encoding: detected, from: 0))
            }
            let why = hasBOM ? "the file starts with a UTF-8 byte order mark but" : "UTF-8 was asked for but"
            throw SpreadsheetError(
                .invalidCSV,
                "\(why) the line is not valid UTF-8: save the file again as \"CSV UTF-8\", "
                    + "or read it as Windows-1252",
                file: name, line: _CSVEncodingSupport.line(at: bad, in: raw, from: start))
        }
    }

    /// The next record, or `nil` at the end of the file.
    public func next() throws -> CSVRecord? {
        try checkNotInCallback()
        return try bytes.withUnsafeBufferPointer { buffer -> CSVRecord? in
            guard try parser.parseRecord(buffer) else { return nil }
            let fields = parser.scratch.withUnsafeBufferPointer { scratch in
                CSVFieldsView(base: buffer, scratch: scratch, spans: parser.fieldSpans, line: parser.recordLine).strings
            }
            return CSVRecord(line: parser.recordLine, fields: fields)
        }
    }

    /// All remaining records.
    public func readAll() throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        try forEachRecord { view in
            records.append(CSVRecord(line: view.line, fields: view.strings))
        }
        return records
    }

    /// Calls `body` with each remaining record's fields, without creating strings unless asked to.
    ///
    /// The fastest way through a file: fields are handed out as views of the file's bytes. The view is valid
    /// only during the call; `body` must not call ``next()``, ``readAll()`` or this method on the same reader.
    public func forEachRecord(_ body: (CSVFieldsView) throws -> Void) throws {
        try checkNotInCallback()
        inCallback = true
        defer { inCallback = false }
        // The parser moves into a local for the loop, so that each record costs no dynamic exclusivity check;
        // it is put back however the loop ends.
        var parser = self.parser
        defer { self.parser = parser }
        try bytes.withUnsafeBufferPointer { buffer in
            while try parser.parseRecord(buffer) {
                try parser.scratch.withUnsafeBufferPointer { scratch in
                    let spans = parser.fieldSpans
                    try body(CSVFieldsView(base: buffer, scratch: scratch, spans: spans, line: parser.recordLine))
                }
            }
        }
    }

    deinit {
        parser.deallocate()
    }

    private func checkNotInCallback() throws {
        if inCallback {
            throw SpreadsheetError(
                .invalidArgument, "the reader was used from inside its own forEachRecord callback", file: name)
        }
    }
}

/// The fields of one record, as views of the file's bytes; valid only inside ``CSVReader/forEachRecord(_:)``.
public struct CSVFieldsView: RandomAccessCollection {
    @usableFromInline let base: UnsafeBufferPointer<UInt8>
    @usableFromInline let scratch: UnsafeBufferPointer<UInt8>
    @usableFromInline let spans: UnsafeBufferPointer<_CSVFieldSpan>
    /// The 1-based line where the record starts.
    public let line: Int

    init(
        base: UnsafeBufferPointer<UInt8>, scratch: UnsafeBufferPointer<UInt8>,
        spans: UnsafeBufferPointer<_CSVFieldSpan>, line: Int
    ) {
        self.base = base
        self.scratch = scratch
        self.spans = spans
        self.line = line
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { spans.count }

    /// The field at `index` as a string.
    @inlinable
    public subscript(index: Int) -> String {
        String(decoding: utf8(at: index), as: UTF8.self)
    }

    /// The UTF-8 bytes of the field at `index`, valid only as long as the view.
    @inlinable
    public func utf8(at index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < spans.count, "field index out of range")
        let span = spans[index]
        let source = span.inScratch ? scratch : base
        return UnsafeBufferPointer(rebasing: source[span.start..<span.end])
    }

    /// All fields as strings.
    public var strings: [String] {
        var strings: [String] = []
        strings.reserveCapacity(spans.count)
        for index in 0..<spans.count {
            strings.append(self[index])
        }
        return strings
    }
}
