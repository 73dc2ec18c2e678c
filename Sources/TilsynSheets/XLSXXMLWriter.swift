/// A buffer of UTF-8 XML text with the escaping SpreadsheetML needs.
///
/// Text and attribute values are written as ST_Xstring (ECMA-376 Part 1, §22.9.2.19): `&`, `<`, `>` (and `"` in
/// attributes) become entities; characters XML 1.0 cannot hold (U+0000–U+001F other than TAB, LF and CR, and
/// U+FFFE/U+FFFF) become `_xHHHH_`, and so does CR in text, as Excel writes it, because XML's line-end handling
/// would read CR LF as LF; and a literal `_xHHHH_` in the text gets its underscore escaped (`_x005F_xHHHH_`) so
/// that Excel reads it back unchanged. In attributes TAB, LF and CR are written as character
/// references so that attribute-value normalisation keeps them.
///
/// The bytes are kept in a raw buffer, not an array: appending a short piece of markup to an `Array` through its
/// generic `append(contentsOf:)` cost about 120 instructions (7.5 % of `tilsyn convert` of a million CSV cells).
/// A copy of an `XMLBuffer` shares its bytes; each writer keeps its own.
struct XMLBuffer {
    private let store: ByteStore

    init(capacity: Int = 0) {
        store = ByteStore(capacity: capacity)
    }

    /// The bytes written so far, as an array (a copy).
    var bytes: [UInt8] { Array(store.buffer.bytes) }

    /// The number of bytes written so far.
    var count: Int { store.buffer.count }

    var isEmpty: Bool { store.buffer.isEmpty }

    /// Calls `body` with the bytes written so far, valid during the call.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(store.buffer.bytes))
    }

    /// Forgets the bytes written so far, keeping the memory.
    mutating func removeAll() { store.buffer.removeAll() }

    /// Appends bytes as they are.
    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) { store.buffer.append(bytes) }

    /// Appends bytes as they are.
    mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { store.buffer.append($0) } }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) { store.buffer.append(byte) }

    /// Appends markup as it is (a literal's UTF-8 in one copy).
    mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { store.buffer.append($0) }
    }

    /// Appends markup as it is.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { store.buffer.append($0) }
    }

    /// Appends escaped element text.
    mutating func text(_ text: String) {
        escape(text, inAttribute: false)
    }

    /// Appends an escaped attribute value (without the quotes).
    mutating func attributeValue(_ text: String) {
        escape(text, inAttribute: true)
    }

    /// Appends ` name="value"` with the value escaped.
    mutating func attribute(_ name: StaticString, _ value: String) {
        raw(" ")
        raw(name)
        raw("=\"")
        escape(value, inAttribute: true)
        raw("\"")
    }

    /// Appends ` name="value"` for an integer.
    mutating func attribute(_ name: StaticString, _ value: Int) {
        raw(" ")
        raw(name)
        raw("=\"")
        integer(value)
        raw("\"")
    }

    /// Appends ` name="value"` for a number, in its shortest round-trip form.
    mutating func attribute(_ name: StaticString, number value: Double) {
        raw(" ")
        raw(name)
        raw("=\"")
        raw(XMLBuffer.number(value))
        raw("\"")
    }

    /// Appends a decimal integer.
    mutating func integer(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        store.buffer.appendDigits(value.magnitude, width: 1)
    }

    /// Appends the decimal digits of `value` (with `-` when negative) without making a String.
    static func appendDigits(of value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        ByteBuffer.withDigits(UInt64(value.magnitude), width: 1) { bytes.append(contentsOf: $0) }
    }

    /// Appends a finite number as `number(_:)` writes it; integers go straight to digits.
    mutating func number(_ value: Double) {
        if value == value.rounded(.towardZero) && Swift.abs(value) < 1e15 {
            integer(Int(value))
        } else {
            raw(value.description)
        }
    }

    /// A finite number in the shortest form that reads back as the same `Double`; integers without `.0`.
    static func number(_ value: Double) -> String {
        if value == value.rounded(.towardZero) && Swift.abs(value) < 1e15 {
            return String(Int64(value))
        }
        return value.description
    }

    /// Whether a text must be written with `xml:space="preserve"` (leading or trailing space, tab or line feed).
    static func needsPreserve(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        // CR is written as _x000D_, not as white space.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A }
        return isSpace(first) || isSpace(last)
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private mutating func escapedCode(_ value: UInt32) {
        raw("_x")
        for shift in stride(from: 12, through: 0, by: -4) {
            append(XMLBuffer.hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
        raw("_")
    }

    private mutating func escape(_ text: String, inAttribute: Bool) {
        var text = text
        text.withUTF8 { utf8 in
            let count = utf8.count
            var start = 0  // first byte not yet copied
            var index = 0
            while index < count {
                let byte = utf8[index]
                var replacement: StaticString?
                var code: UInt32?
                var width = 1
                switch byte {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\"") where inAttribute: replacement = "&quot;"
                case 0x09 where inAttribute: replacement = "&#9;"
                case 0x0A where inAttribute: replacement = "&#10;"
                case 0x0D where inAttribute: replacement = "&#13;"
                // XML parsers turn CR LF into LF in text; Excel writes CR as _x000D_ so that it survives.
                case 0x0D: code = 0x0D
                case 0x09, 0x0A: break
                case 0x00..<0x20: code = UInt32(byte)
                case UInt8(ascii: "_"):
                    // A literal _xHHHH_ would be read as an escape: escape its underscore.
                    if index + 6 < count, utf8[index + 1] == UInt8(ascii: "x"), XMLBuffer.isHex(utf8[index + 2]),
                        XMLBuffer.isHex(utf8[index + 3]), XMLBuffer.isHex(utf8[index + 4]),
                        XMLBuffer.isHex(utf8[index + 5]), utf8[index + 6] == UInt8(ascii: "_")
                    {
                        replacement = "_x005F_"
                    }
                case 0xEF:
                    // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not XML characters.
                    if index + 2 < count, utf8[index + 1] == 0xBF, utf8[index + 2] == 0xBE || utf8[index + 2] == 0xBF {
                        code = utf8[index + 2] == 0xBE ? 0xFFFE : 0xFFFF
                        width = 3
                    }
                default: break
                }
                if replacement != nil || code != nil {
                    if index > start {
                        append(UnsafeBufferPointer(rebasing: utf8[start..<index]))
                    }
                    if let replacement { raw(replacement) }
                    if let code { escapedCode(code) }
                    start = index + width
                }
                index += width
            }
            if count > start {
                append(UnsafeBufferPointer(rebasing: utf8[start..<count]))
            }
        }
    }
}

/// Column letters and cell references in A1 notation.
enum A1 {
    /// The number of rows Excel has (1,048,576).
    static let rowCount = 1_048_576
    /// The number of columns Excel has (16,384, A to XFD).
    static let columnCount = 16_384

    /// The letters of a zero-based column: 0 → `A`, 16,383 → `XFD`.
    static func column(_ column: Int) -> String {
        var value = column + 1
        var letters: [UInt8] = []
        while value > 0 {
            let remainder = (value - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(remainder))
            value = (value - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// `B12` for zero-based row 11, column 1.
    static func cell(row: Int, column: Int) -> String {
        self.column(column) + String(row + 1)
    }

    /// `$B$12` for zero-based row 11, column 1.
    static func absoluteCell(row: Int, column: Int) -> String {
        "$" + self.column(column) + "$" + String(row + 1)
    }

    /// Parses `B12` or `$B$12` into a zero-based (row, column); nil when it is not a cell inside the grid.
    static func parseCell(_ text: Substring) -> (row: Int, column: Int)? {
        var utf8 = Array(text.utf8)[...]
        if utf8.first == UInt8(ascii: "$") { utf8 = utf8.dropFirst() }
        var column = 0
        var letters = 0
        while let byte = utf8.first, (0x41...0x5A).contains(byte & ~0x20), byte >= 0x41 {
            column = column * 26 + Int((byte & ~0x20) - 0x40)
            letters += 1
            utf8 = utf8.dropFirst()
            if letters > 3 { return nil }
        }
        guard letters > 0 else { return nil }
        if utf8.first == UInt8(ascii: "$") { utf8 = utf8.dropFirst() }
        guard let first = utf8.first, (0x31...0x39).contains(first), utf8.count <= 7 else { return nil }
        var row = 0
        for byte in utf8 {
            guard (0x30...0x39).contains(byte) else { return nil }
            row = row * 10 + Int(byte - 0x30)
        }
        guard row >= 1, row <= rowCount, column >= 1, column <= columnCount else { return nil }
        return (row - 1, column - 1)
    }

    /// Parses `A1:D12` (or a single cell) into zero-based corners, ordered top-left to bottom-right.
    static func parseRange(_ text: String) -> (firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let first = parseCell(parts[0]) else { return nil }
        var last = first
        if parts.count == 2 {
            guard let second = parseCell(parts[1]) else { return nil }
            last = second
        }
        return (
            min(first.row, last.row), min(first.column, last.column), max(first.row, last.row),
            max(first.column, last.column)
        )
    }

    /// `A1:D12`, or `A1` when the range is one cell.
    static func range(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) -> String {
        let first = cell(row: firstRow, column: firstColumn)
        if firstRow == lastRow && firstColumn == lastColumn { return first }
        return first + ":" + cell(row: lastRow, column: lastColumn)
    }
}

/// A sheet name as a formula or defined name refers to it: `Tilsyn`, or quoted (`'Sheet 3'`, `'2024'`, `'A1'`) with
/// `'` doubled when it is not a plain name, as Excel writes it.
///
/// A name is plain when it has only letters, digits, `_` and `.`, does not start with a digit or `.`, and does not
/// read as a cell reference (`A1`, `R1C1`, `R`, `C`) or a boolean.
func formulaSheetName(_ name: String) -> String {
    let scalars = name.unicodeScalars
    guard let first = scalars.first else { return "''" }
    let plain =
        scalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "."
        }
        && !("0"..."9").contains(first) && first != "."
        && A1.parseCell(Substring(name)) == nil && !looksLikeR1C1(name)
        && !["TRUE", "FALSE"].contains(name.uppercased())
    return plain ? name : "'" + name.replacingAll("'", with: "''") + "'"
}

/// Whether `name` reads as an R1C1 reference such as `R`, `C`, `R2`, `C3` or `R2C3`.
func looksLikeR1C1(_ name: String) -> Bool {
    let upper = Array(name.uppercased().utf8)
    var index = 0
    func digits() {
        while index < upper.count, (0x30...0x39).contains(upper[index]) { index += 1 }
    }
    if index < upper.count, upper[index] == UInt8(ascii: "R") {
        index += 1
        digits()
    }
    if index < upper.count, upper[index] == UInt8(ascii: "C") {
        index += 1
        digits()
    }
    return index > 0 && index == upper.count
}

extension String {
    /// The string with every `target` character replaced (no Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        result.reserveCapacity(utf8.count + 8)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
