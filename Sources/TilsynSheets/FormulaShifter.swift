/// Moves the relative references of an A1-style formula, as Excel does when it copies a formula to another cell.
///
/// Used to expand shared formulas: a worksheet writes the formula text once, in the master cell
/// (`<f t="shared" ref="B2:B5" si="0">A2</f>`), and the other cells of the range only name the group
/// (`<f t="shared" si="0"/>`); each of them holds the master's formula with its relative references moved by the
/// cell's distance from the master (B3 holds `A3`).
///
/// What moves: the column letters and row numbers of cell references (`A1`, `B$2`, `Sheet1!C3`, both ends of
/// `A1:B2`) and of whole-column and whole-row ranges (`E:F`, `5:6`) unless they carry a `$`. What does not:
/// absolute parts, text in double quotes, sheet names (quoted or plain), function names (`LOG10(`), defined names,
/// error literals, numbers, and anything in square brackets (structured and external-workbook references).
/// A reference moved off the sheet becomes `#REF!`, as in Excel.
enum FormulaShifter {
    /// The formula as it reads in a cell `rows` below and `columns` to the right of the one it was written for.
    static func shift(_ formula: String, rows: Int, columns: Int) -> String {
        if rows == 0 && columns == 0 { return formula }
        let bytes = Array(formula.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        let count = bytes.count
        var i = 0
        while i < count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                // A text literal or a quoted sheet name; a doubled quote inside is an escaped quote.
                var j = i + 1
                while j < count {
                    if bytes[j] == byte {
                        if j + 1 < count && bytes[j + 1] == byte {
                            j += 2
                            continue
                        }
                        break
                    }
                    j += 1
                }
                let end = min(j + 1, count)
                out.append(contentsOf: bytes[i..<end])
                i = end
            case UInt8(ascii: "["):
                // Structured reference (`Table1[[#This Row],[Col]]`) or external workbook index (`[1]`).
                var depth = 0
                var j = i
                while j < count {
                    if bytes[j] == UInt8(ascii: "[") {
                        depth += 1
                    } else if bytes[j] == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    j += 1
                }
                let end = min(j + 1, count)
                out.append(contentsOf: bytes[i..<end])
                i = end
            case UInt8(ascii: "#"):
                // An error literal: #REF!, #N/A, #DIV/0!, #NAME?.
                var j = i + 1
                while j < count, isErrorByte(bytes[j]) { j += 1 }
                if j < count && bytes[j] == UInt8(ascii: "!") { j += 1 }
                out.append(contentsOf: bytes[i..<j])
                i = j
            default:
                guard isWordByte(byte) else {
                    out.append(byte)
                    i += 1
                    continue
                }
                let end = wordEnd(bytes, from: i)
                let word = bytes[i..<end]
                let next = end < count ? bytes[end] : 0
                if next == UInt8(ascii: "(") || next == UInt8(ascii: "!") {
                    // A function name or a sheet name.
                    out.append(contentsOf: word)
                    i = end
                } else if next == UInt8(ascii: ":"), let sheetsEnd = sheetSpanEnd(bytes, from: end + 1) {
                    // The first sheet of a 3-D reference (`Ark1:Ark3!A1`).
                    out.append(contentsOf: bytes[i..<sheetsEnd])
                    i = sheetsEnd
                } else if let reference = Part.cell(word) {
                    reference.shifted(rows: rows, columns: columns, into: &out)
                    i = end
                } else if next == UInt8(ascii: ":"), let first = Part.line(word), end + 1 < count,
                    isWordByte(bytes[end + 1])
                {
                    // A whole-column (`E:F`) or whole-row (`5:6`) range: both ends of the same kind.
                    let secondEnd = wordEnd(bytes, from: end + 1)
                    let after = secondEnd < count ? bytes[secondEnd] : 0
                    if let second = Part.line(bytes[(end + 1)..<secondEnd]), second.isColumn == first.isColumn,
                        after != UInt8(ascii: "("), after != UInt8(ascii: "!")
                    {
                        first.shifted(rows: rows, columns: columns, into: &out)
                        out.append(UInt8(ascii: ":"))
                        second.shifted(rows: rows, columns: columns, into: &out)
                        i = secondEnd
                    } else {
                        out.append(contentsOf: word)
                        i = end
                    }
                } else {
                    // A defined name, a number, TRUE/FALSE or anything else that is not a reference.
                    out.append(contentsOf: word)
                    i = end
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes that make up names, numbers and references: letters, digits, `_ . $ \ ?` and any non-ASCII text.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "$"),
            UInt8(ascii: "\\"), UInt8(ascii: "?"), 0x80...0xFF:
            true
        default:
            false
        }
    }

    private static func isErrorByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "?"):
            true
        default:
            false
        }
    }

    /// When the word starting at `start` is a sheet name (followed by `!`), the index after it; else nil.
    private static func sheetSpanEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count, isWordByte(bytes[start]) else { return nil }
        let end = wordEnd(bytes, from: start)
        return end < bytes.count && bytes[end] == UInt8(ascii: "!") ? end : nil
    }

    private static func wordEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var j = start
        while j < bytes.count, isWordByte(bytes[j]) { j += 1 }
        // A number in E notation (`1E+5`) runs on over its exponent's sign.
        if j + 1 < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-"),
            bytes[j - 1] | 0x20 == UInt8(ascii: "e"),
            bytes[start] >= UInt8(ascii: "0"), bytes[start] <= UInt8(ascii: "9")
        {
            j += 1
            while j < bytes.count, isWordByte(bytes[j]) { j += 1 }
        }
        return j
    }

    /// A cell reference or one end of a whole-column or whole-row range, with its `$` marks.
    private struct Part {
        var column: Int?
        var columnAbsolute = false
        var row: Int?
        var rowAbsolute = false

        var isColumn: Bool { column != nil }

        /// `A1`, `$A1`, `A$1`, `$A$1` within A1:XFD1048576.
        static func cell(_ word: ArraySlice<UInt8>) -> Part? {
            guard let part = parse(word), part.column != nil, part.row != nil else { return nil }
            return part
        }

        /// `A`, `$A` (a column) or `1`, `$1` (a row).
        static func line(_ word: ArraySlice<UInt8>) -> Part? {
            guard let part = parse(word), (part.column == nil) != (part.row == nil) else { return nil }
            return part
        }

        private static func parse(_ word: ArraySlice<UInt8>) -> Part? {
            var part = Part()
            var i = word.startIndex
            if i < word.endIndex && word[i] == UInt8(ascii: "$") {
                part.columnAbsolute = true
                i += 1
            }
            var column = 0
            var letters = 0
            while i < word.endIndex, (word[i] | 0x20) >= UInt8(ascii: "a"), (word[i] | 0x20) <= UInt8(ascii: "z") {
                column = column * 26 + Int((word[i] | 0x20) - UInt8(ascii: "a")) + 1
                letters += 1
                i += 1
                if letters > 3 { return nil }
            }
            if letters > 0 {
                guard column <= CellAddress.maxColumn else { return nil }
                part.column = column
                if i < word.endIndex && word[i] == UInt8(ascii: "$") {
                    part.rowAbsolute = true
                    i += 1
                }
            } else if part.columnAbsolute {
                // `$1`: the mark belongs to the row.
                part.columnAbsolute = false
                part.rowAbsolute = true
            }
            var row = 0
            var digits = 0
            while i < word.endIndex, word[i] >= UInt8(ascii: "0"), word[i] <= UInt8(ascii: "9") {
                row = row * 10 + Int(word[i] - UInt8(ascii: "0"))
                digits += 1
                i += 1
                if digits > 7 { return nil }
            }
            guard i == word.endIndex else { return nil }
            if digits > 0 {
                guard row >= 1, row <= CellAddress.maxRow else { return nil }
                part.row = row
            } else if part.rowAbsolute && letters > 0 {
                return nil  // `A$` is not a reference
            }
            guard letters > 0 || digits > 0 else { return nil }
            return part
        }

        func shifted(rows: Int, columns: Int, into out: inout [UInt8]) {
            var newColumn = column
            var newRow = row
            if let column, !columnAbsolute { newColumn = column + columns }
            if let row, !rowAbsolute { newRow = row + rows }
            if let c = newColumn, !(1...CellAddress.maxColumn).contains(c) {
                out.append(contentsOf: "#REF!".utf8)
                return
            }
            if let r = newRow, !(1...CellAddress.maxRow).contains(r) {
                out.append(contentsOf: "#REF!".utf8)
                return
            }
            if let newColumn {
                if columnAbsolute { out.append(UInt8(ascii: "$")) }
                out.append(contentsOf: CellAddress.columnName(newColumn).utf8)
            }
            if let newRow {
                if rowAbsolute { out.append(UInt8(ascii: "$")) }
                out.append(contentsOf: String(newRow).utf8)
            }
        }
    }
}
