/// The flavour of CSV to write.
public enum CSVDialect: Sendable, Equatable {
    /// What Danish Excel opens without an import wizard: UTF-8 with a byte order mark, `;` between fields,
    /// CRLF line ends, decimal comma (`1234,5`, no thousands separator), booleans as `SAND`/`FALSK` (as Danish Excel shows TRUE/FALSE; `Ja`/`Nej` are audit answers, not booleans).
    case excelDA
    /// Plain RFC 4180 for programs: UTF-8 without a byte order mark, `,` between fields, LF line ends,
    /// decimal point (`1234.5`), booleans as `true`/`false`.
    case rfc4180

    /// The field delimiter.
    public var delimiter: UInt8 { self == .excelDA ? 0x3B : 0x2C }
    /// The record terminator.
    public var lineEnd: [UInt8] { self == .excelDA ? [0x0D, 0x0A] : [0x0A] }
    /// Whether the file starts with a UTF-8 byte order mark.
    public var writesBOM: Bool { self == .excelDA }
    /// The decimal separator of numbers.
    public var decimalSeparator: UInt8 { self == .excelDA ? 0x2C : 0x2E }
    /// How `true` is written.
    public var trueText: String { self == .excelDA ? "SAND" : "true" }
    /// How `false` is written.
    public var falseText: String { self == .excelDA ? "FALSK" : "false" }
}

/// One value to write to a CSV field.
///
/// How each case is written:
/// - `text`: as is, quoted when it holds the delimiter, a quote, CR or LF (quotes doubled); with
///   ``CSVWriteOptions/guardFormulas`` text starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`.
/// - `number`: the shortest decimal that reads back as the same `Double`, with the dialect's decimal
///   separator and no exponent for magnitudes from 1e-20 to below 1e21 (`0,00001`, not `1e-05`); outside
///   that range Excel's exponent form (`1,5E+300`). Negative zero is `0`. NaN and infinity are rejected.
/// - `integer`: decimal digits with a leading `-` when negative.
/// - `bool`: the dialect's ``CSVDialect/trueText`` or ``CSVDialect/falseText`` (`SAND`/`FALSK` for `excelDA`, the
///   answers of Danish audit forms; `true`/`false` for `rfc4180`).
/// - `date`: `dd-mm-yyyy`; `dateTime`: `dd-mm-yyyy hh:mm:ss`, in both dialects (Danish style, which Danish
///   Excel reads as a date). Impossible dates and times are rejected.
/// - `empty`: an empty field.
public enum CSVValue: Sendable, Equatable {
    /// Text.
    case text(String)
    /// A number with the dialect's decimal separator.
    case number(Double)
    /// A whole number.
    case integer(Int)
    /// A truth value.
    case bool(Bool)
    /// A date.
    case date(year: Int, month: Int, day: Int)
    /// A date and time.
    case dateTime(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)
    /// An empty field.
    case empty
}

/// How to write a CSV file.
public struct CSVWriteOptions: Sendable, Equatable {
    /// The dialect; `excelDA` by default.
    public var dialect: CSVDialect
    /// Whether text that a spreadsheet would run as a formula gets a leading `'` (OWASP's advice against
    /// CSV injection). Values written as `.number` or `.integer` are not text and are never changed.
    public var guardFormulas: Bool

    /// Options for writing.
    public init(dialect: CSVDialect = .excelDA, guardFormulas: Bool = true) {
        self.dialect = dialect
        self.guardFormulas = guardFormulas
    }
}

/// A streaming CSV writer, to a file or to memory.
///
/// A file is written through a 64 KiB buffer into a temporary file next to the target and renamed into
/// place by ``finish()``, so memory does not grow with the number of rows and a failed or abandoned write
/// never leaves half a file. A row with an invalid value (a NaN, an impossible date) is rejected whole and
/// the writer stays usable. A writer is not safe to share between tasks.
///
/// ```swift
/// let writer = try CSVWriter(path: "tilsyn.csv")
/// try writer.writeRow(["Sag", "Beløb", "Dato"])
/// try writer.writeRow([.text("S-1"), .number(1234.5), .date(year: 2025, month: 3, day: 1)])
/// try writer.finish()
/// ```
public final class CSVWriter {
    /// The options in use.
    public let options: CSVWriteOptions
    /// The rows written so far.
    public private(set) var rowCount = 0

    private static let flushThreshold = 64 * 1024
    /// The bytes not yet handed to the file (all of them for an in-memory writer): a raw buffer rather than an
    /// array, whose copy-on-write check on every appended byte cost more than formatting a date's digits.
    @exclusivity(unchecked) private var buffer: ByteBuffer
    /// Bytes already handed to the file.
    private var flushedBytes = 0
    /// The bytes written so far, byte order mark included (for a file writer, flushed or not).
    var byteCount: Int { flushedBytes + buffer.count }
    private let file: AtomicFile?
    private let name: String?
    private var finished = false
    private var failed = false
    private let delimiter: UInt8
    private let lineEnd: [UInt8]
    /// The dialect's truth values, as bytes once.
    private let trueBytes: [UInt8]
    private let falseBytes: [UInt8]

    /// Starts writing a CSV file at `path`; the file appears (or is replaced) only when ``finish()`` succeeds.
    public convenience init(path: String, options: CSVWriteOptions = .init()) throws {
        self.init(options: options, file: try AtomicFile(path: path), name: path, capacity: Self.flushThreshold + 4096)
    }

    /// Starts writing CSV to memory; read the result from ``bytes``.
    public convenience init(options: CSVWriteOptions = .init()) {
        self.init(options: options, file: nil, name: nil, capacity: 256)
    }

    private init(options: CSVWriteOptions, file: AtomicFile?, name: String?, capacity: Int) {
        self.options = options
        self.file = file
        self.name = name
        delimiter = options.dialect.delimiter
        lineEnd = options.dialect.lineEnd
        trueBytes = Array(options.dialect.trueText.utf8)
        falseBytes = Array(options.dialect.falseText.utf8)
        buffer = ByteBuffer(capacity: capacity)
        writePreamble()
    }

    deinit {
        file?.discard()
        buffer.free()
    }

    /// The CSV written so far by an in-memory writer (byte order mark included); empty for a file writer.
    public var bytes: [UInt8] {
        file == nil ? Array(buffer.bytes) : []
    }

    /// Hands out what an in-memory writer has buffered so far and empties the buffer, for streaming to a pipe.
    public func takeBytes() -> [UInt8] {
        guard file == nil else { return [] }
        defer { buffer.removeAll() }
        return Array(buffer.bytes)
    }

    /// Writes CSV for `rows` to memory in one go.
    public static func encode(_ rows: [[CSVValue]], options: CSVWriteOptions = .init()) throws -> [UInt8] {
        let writer = CSVWriter(options: options)
        for row in rows {
            try writer.writeRow(row)
        }
        try writer.finish()
        return writer.bytes
    }

    /// Writes one row of text fields.
    public func writeRow(_ fields: [String]) throws {
        try writeRow(fields.map(CSVValue.text))
    }

    /// Writes one row.
    public func writeRow(_ values: [CSVValue]) throws {
        try writeRow(width: values.count) { values[$0] }
    }

    /// Writes one row of `width` fields without an array of them: `field` is called once for each field, in order
    /// from 0, and gives its value.
    public func writeRow(width: Int, field: (Int) throws -> CSVValue) throws {
        try encodeRow { out in
            for column in 0..<width {
                let value = try field(column)
                if column > 0 {
                    out.append(delimiter)
                } else if width == 1 && isEmpty(value) {
                    // A lone empty field is written `""`, or the row would read back as a blank line.
                    out.append(0x22)
                    out.append(0x22)
                    break
                }
                try append(value, column: column, to: &out)
            }
        }
    }

    /// Writes a row of a sheet as `width` fields: each the value of the cell in its column (`cells` are in column
    /// order), or empty. The bytes are those of ``writeRow(width:field:)`` given each cell's
    /// ``SheetConversion/csvValue(_:)``; texts, numbers and truth values are written without making one.
    func writeRow(cells: [Cell], width: Int) throws {
        // The cells are switched on where they lie, not copied out (a copy retains and releases a cell's text).
        try cells.withUnsafeBufferPointer { cells in
            try encodeRow { out in
                var next = 0
                for column in 0..<width {
                    let here = next < cells.count && cells[next].column == column + 1
                    if column > 0 {
                        out.append(delimiter)
                    } else if width == 1, !here || Self.isEmptyText(cells[next].value) {
                        out.append(0x22)
                        out.append(0x22)
                        break
                    }
                    guard here else { continue }
                    next += 1
                    switch cells[next - 1].value {
                    case .string(let text), .error(let text): appendText(text, to: &out)
                    case .number(let number): try appendNumber(number, column: column, to: &out)
                    case .bool(let flag): appendBool(flag, to: &out)
                    case .date: try append(SheetConversion.csvValue(cells[next - 1].value), column: column, to: &out)
                    }
                }
            }
        }
    }

    /// Whether a cell's value is written as an empty field (an empty text).
    static func isEmptyText(_ value: CellValue) -> Bool {
        switch value {
        case .string(let text), .error(let text): text.isEmpty
        default: false
        }
    }

    /// Encodes one row with `body` and ends it; a row that fails is taken out whole.
    @inline(__always)
    private func encodeRow(_ body: (inout ByteBuffer) throws -> Void) throws {
        try checkOpen()
        // The buffer is encoded into as a local (written back however the row ends), kept in registers across
        // the calls the row makes.
        var out = buffer
        defer { buffer = out }
        let rowStart = out.count
        do {
            try body(&out)
            out.append(contentsOf: lineEnd)
        } catch {
            out.truncate(to: rowStart)
            throw error
        }
        rowCount += 1
        if file != nil && out.count >= Self.flushThreshold {
            buffer = out
            try flush()
            out = buffer
        }
    }

    /// Completes the output: a file writer flushes, syncs and renames the file into place.
    ///
    /// Calling it again does nothing; writing after it is an error.
    public func finish() throws {
        guard !finished else { return }
        try checkOpen()
        if let file {
            try flush()
            do {
                try file.commit()
            } catch {
                failed = true
                throw error
            }
        }
        finished = true
    }

    /// Abandons a file being written: the temporary file is removed and the target left as it was.
    public func discard() {
        file?.discard()
        failed = true
    }

    // MARK: - Output

    private func writePreamble() {
        if options.dialect.writesBOM {
            buffer.append(contentsOf: [0xEF, 0xBB, 0xBF])
        }
    }

    private func checkOpen() throws {
        if finished {
            throw SpreadsheetError(.invalidArgument, "the CSV writer was already finished", file: name)
        }
        if failed {
            throw SpreadsheetError(
                .writeFailed, "an earlier write failed or the output was discarded: start a new file", file: name)
        }
    }

    private func flush() throws {
        guard let file, !buffer.isEmpty else { return }
        do {
            try file.write(UnsafeRawBufferPointer(buffer.bytes))
            flushedBytes += buffer.count
        } catch {
            failed = true
            throw error
        }
        buffer.removeAll()
    }

    private func isEmpty(_ value: CSVValue) -> Bool {
        switch value {
        case .empty: true
        case .text(let text): text.isEmpty
        default: false
        }
    }

    // MARK: - Values

    private func append(_ value: CSVValue, column: Int, to buffer: inout ByteBuffer) throws {
        switch value {
        case .text(let text):
            appendText(text, to: &buffer)
        case .number(let number):
            try appendNumber(number, column: column, to: &buffer)
        case .integer(let integer):
            if integer < 0 { buffer.append(0x2D) }
            buffer.appendDigits(integer.magnitude, width: 1)
        case .bool(let flag):
            appendBool(flag, to: &buffer)
        case .date(let year, let month, let day):
            guard Self.isValidDate(year: year, month: month, day: day) else {
                throw invalid("the date does not exist: check year, month and day", column: column)
            }
            Self.appendDate(year: year, month: month, day: day, to: &buffer)
        case .dateTime(let year, let month, let day, let hour, let minute, let second):
            guard Self.isValidDate(year: year, month: month, day: day),
                (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
            else {
                throw invalid("the date or time does not exist: check each part", column: column)
            }
            Self.appendDate(year: year, month: month, day: day, to: &buffer)
            buffer.append(0x20)
            buffer.appendDigits(hour, width: 2)
            buffer.append(0x3A)
            buffer.appendDigits(minute, width: 2)
            buffer.append(0x3A)
            buffer.appendDigits(second, width: 2)
        case .empty:
            break
        }
    }

    private func appendNumber(_ number: Double, column: Int, to buffer: inout ByteBuffer) throws {
        guard number.isFinite else {
            throw invalid(
                "a number is NaN or infinite, which a CSV file cannot hold: write it as text or empty", column: column)
        }
        Self.appendNumber(number, decimalSeparator: options.dialect.decimalSeparator, to: &buffer)
    }

    private func appendBool(_ flag: Bool, to buffer: inout ByteBuffer) {
        (flag ? trueBytes : falseBytes).withUnsafeBufferPointer { buffer.append($0) }
    }

    @inline(never)
    private func invalid(_ message: String, column: Int) -> SpreadsheetError {
        SpreadsheetError(
            .invalidArgument, message, file: name, cell: Self.columnName(column) + String(rowCount + 1))
    }

    /// Appends text, guarded against formulas and quoted as needed.
    private func appendText(_ text: String, to buffer: inout ByteBuffer) {
        let encoded: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            appendText(bytes, to: &buffer)
        }
        if encoded == nil {
            var copy = text
            copy.withUTF8 { appendText($0, to: &buffer) }
        }
    }

    private func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout ByteBuffer) {
        guard let first = bytes.first else { return }
        // = + - @ TAB CR
        let guarded = options.guardFormulas
            && (first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D)
        let needsQuotes = Self.needsQuotes(bytes, delimiter: delimiter)
        if needsQuotes { buffer.append(0x22) }
        if guarded { buffer.append(0x27) }
        if needsQuotes {
            for byte in bytes {
                buffer.append(byte)
                if byte == 0x22 { buffer.append(0x22) }
            }
            buffer.append(0x22)
        } else {
            buffer.append(bytes)
        }
    }

    /// Whether text holds the delimiter, a quote or a line break, and so must be quoted: the CSV parser's
    /// eight-bytes-at-a-time scan for a byte or a line break, once for the delimiter and once for the quote.
    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101
        return _CSVParser.scan(base, 0, bytes.count, stop: ones &* UInt64(delimiter)) < bytes.count
            || _CSVParser.scan(base, 0, bytes.count, stop: ones &* UInt64(_CSVParser.quote)) < bytes.count
    }

    /// The spreadsheet column name of a 0-based column: A, B, …, Z, AA, ….
    static func columnName(_ column: Int) -> String { CellAddress.columnName(column + 1) }
}
