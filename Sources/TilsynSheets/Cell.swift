/// A value read from a cell.
public enum CellValue: Sendable, Equatable, Hashable {
    /// Text (shared, inline or a formula's text result).
    case string(String)
    /// A number shown without a date format.
    case number(Double)
    /// TRUE or FALSE.
    case bool(Bool)
    /// A number shown with a date or time format, or an ISO date cell (`t="d"`).
    case date(ExcelDateTime)
    /// An error value such as `#DIV/0!` or `#N/A`.
    case error(String)

    /// The kind of value, as `tilsyn cat` names it.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .number: "number"
        case .bool: "bool"
        case .date: "date"
        case .error: "error"
        }
    }
}

/// One non-empty cell of a row.
public struct Cell: Sendable, Equatable {
    /// The 1-based column number (A = 1).
    public var column: Int
    /// What the cell holds.
    public var value: CellValue
    /// The formula text (without `=`), when the reader was asked for formulas: as written in the cell, or for a
    /// member of a shared formula the master's text with its relative references moved to this cell.
    public var formula: String?

    /// A cell in `column` holding `value`.
    public init(column: Int, value: CellValue, formula: String? = nil) {
        self.column = column
        self.value = value
        self.formula = formula
    }
}

/// One row of a sheet with its non-empty cells in column order.
public struct Row: Sendable, Equatable {
    /// The 1-based row number.
    public var number: Int
    /// Its non-empty cells, in column order.
    public var cells: [Cell]

    /// Row `number` with `cells`.
    public init(number: Int, cells: [Cell]) {
        self.number = number
        self.cells = cells
    }

    /// The cell in this column, if it has a value.
    public subscript(column column: Int) -> Cell? {
        cells.first { $0.column == column }
    }
}

/// A cell address: 1-based row and column.
public struct CellAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 1-based row.
    public var row: Int
    /// The 1-based column (A = 1).
    public var column: Int

    /// The cell at `row` and `column`.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Excel's last row.
    public static let maxRow = 1_048_576
    /// Excel's last column (XFD).
    public static let maxColumn = 16_384

    /// Parses `B3`, `$B$3` or `b3`; nil when it is not a valid reference within XFD1048576.
    public init?(_ text: some StringProtocol) {
        // Read from the text's own bytes when it has them in one piece (a String or Substring does): the generic
        // UTF-8 view costs a call per byte.
        if let parsed = text.utf8.withContiguousStorageIfAvailable(CellAddress.parse) {
            guard let parsed else { return nil }
            self = parsed
            return
        }
        guard let parsed = CellAddress.parse(text.utf8) else { return nil }
        self = parsed
    }

    /// Parses the UTF-8 bytes of `B3`, `$B$3` or `b3`; nil when they are not a valid reference within XFD1048576.
    @inlinable
    public static func parse(_ bytes: some Sequence<UInt8>) -> CellAddress? {
        var column = 0
        var row = 0
        var sawLetters = false
        var sawDigits = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "$"):
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard !sawDigits else { return nil }
                column = column * 26 + Int((byte | 0x20) - UInt8(ascii: "a")) + 1
                sawLetters = true
                guard column <= CellAddress.maxColumn else { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard sawLetters else { return nil }
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                sawDigits = true
                guard row <= CellAddress.maxRow else { return nil }
            default:
                return nil
            }
        }
        guard sawLetters, sawDigits, row >= 1 else { return nil }
        return CellAddress(row: row, column: column)
    }

    /// `B3`: built on the stack, letters and digits at once (every cell's provenance asks for one).
    public var description: String {
        guard column > 0, column <= 18_278, row >= 0 else { return CellAddress.columnName(column) + String(row) }
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &bytes) { buffer in
            var start = buffer.count
            var digits = row
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(digits % 10)
                digits /= 10
            } while digits > 0
            var letters = column
            while letters > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "A") + UInt8((letters - 1) % 26)
                letters = (letters - 1) / 26
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
        }
    }

    /// The column letters for a 1-based column number: 1 → A, 27 → AA.
    public static func columnName(_ column: Int) -> String {
        // Up to three letters (XFD is 16,384) on the stack: a small string, no heap allocation, as every cell's
        // provenance asks for one.
        guard column > 0, column <= 18_278 else { return longColumnName(column) }
        var letters: (UInt8, UInt8, UInt8) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &letters) { buffer in
            var n = column
            var start = 3
            while n > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "A") + UInt8((n - 1) % 26)
                n = (n - 1) / 26
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
        }
    }

    /// `columnName` for numbers beyond three letters (and "" for none), which no sheet has.
    private static func longColumnName(_ column: Int) -> String {
        var n = column
        var letters: [UInt8] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(remainder))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    public static func < (a: CellAddress, b: CellAddress) -> Bool {
        (a.row, a.column) < (b.row, b.column)
    }
}

/// A rectangular range such as `A1:C4` (a single cell is a range of one).
public struct CellRange: Sendable, Hashable, CustomStringConvertible {
    /// The top left cell.
    public var first: CellAddress
    /// The bottom right cell.
    public var last: CellAddress

    /// The range spanned by two corners, in either order.
    public init(first: CellAddress, last: CellAddress) {
        self.first = CellAddress(row: min(first.row, last.row), column: min(first.column, last.column))
        self.last = CellAddress(row: max(first.row, last.row), column: max(first.column, last.column))
    }

    /// Parses `A1:C4` or `B2`.
    public init?(_ text: some StringProtocol) {
        let parsed = text.utf8.withContiguousStorageIfAvailable(CellRange.parse) ?? CellRange.parse(Array(text.utf8))
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses the UTF-8 bytes of `A1:C4` or `B2`: one or two addresses around a single colon.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CellRange? {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
            return CellAddress.parse(bytes).map { CellRange(first: $0, last: $0) }
        }
        let second = bytes[(colon + 1)...]
        guard !second.contains(UInt8(ascii: ":")), let a = CellAddress.parse(bytes[..<colon]),
            let b = CellAddress.parse(second)
        else { return nil }
        return CellRange(first: a, last: b)
    }

    /// Parses the UTF-8 bytes of `A1:C4` or `B2`.
    static func parse(_ bytes: [UInt8]) -> CellRange? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    /// Whether `address` lies within the range (its corners included).
    public func contains(_ address: CellAddress) -> Bool {
        (first.row...last.row).contains(address.row) && (first.column...last.column).contains(address.column)
    }

    public var description: String { first == last ? first.description : "\(first):\(last)" }
}
