/// Decides whether a number format shows a date, a time, both, or neither.
enum NumberFormat {
    /// The kind for a built-in format id, or nil when the id is not a date or time format.
    static func builtinKind(_ id: Int) -> ExcelDateTime.Kind? {
        switch id {
        case 14...17, 27...31, 34...36, 50...58, 71...76: .date
        case 18...21, 32, 33, 45, 47: .time
        case 22, 77...81: .dateTime
        default: nil  // 46 ([h]:mm:ss) is an elapsed time: a number, not a date
        }
    }

    /// The kind shown by a custom format code such as `dd-mm-yyyy` or `[$-F800]dddd\,\ mmmm\ dd\,\ yyyy`.
    ///
    /// Quoted text, escaped characters, fills, padding, colours and locales are skipped. Elapsed-time formats
    /// (`[h]:mm:ss`) are durations, which stay numbers.
    static func kind(ofCode code: String) -> ExcelDateTime.Kind? {
        let bytes = Array(code.utf8)
        var hasDate = false
        var hasTime = false
        var hasMonthOrMinute = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += 1 }
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                i += 1
            case UInt8(ascii: "["):
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "]") { j += 1 }
                let inner = bytes[(i + 1)..<min(j, bytes.count)].map { $0 | 0x20 }
                if !inner.isEmpty, inner.allSatisfy({ $0 == UInt8(ascii: "h") || $0 == UInt8(ascii: "m") || $0 == UInt8(ascii: "s") })
                {
                    return nil
                }
                i = j
            case UInt8(ascii: "G"), UInt8(ascii: "g"):
                // "General" is the default format; other g's are era markers in East Asian date formats.
                if bytes.count - i >= 7, String(decoding: bytes[i..<(i + 7)], as: UTF8.self).lowercased() == "general" {
                    i += 6
                } else {
                    hasDate = true
                }
            case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "e"),
                UInt8(ascii: "E") where b | 0x20 != UInt8(ascii: "e") || !isScientific(bytes, i):
                hasDate = true
            case UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "s"), UInt8(ascii: "S"):
                hasTime = true
            case UInt8(ascii: "m"), UInt8(ascii: "M"):
                hasMonthOrMinute = true
            case UInt8(ascii: "A"), UInt8(ascii: "a"):
                if bytes.count - i >= 5, String(decoding: bytes[i..<(i + 5)], as: UTF8.self).uppercased() == "AM/PM" {
                    hasTime = true
                    i += 4
                } else if bytes.count - i >= 3, String(decoding: bytes[i..<(i + 3)], as: UTF8.self).uppercased() == "A/P" {
                    hasTime = true
                    i += 2
                }
            case UInt8(ascii: ";"):
                // Only the first (positive) section decides, as Excel applies it to dates.
                i = bytes.count
            default:
                break
            }
            i += 1
        }
        if hasMonthOrMinute && !hasTime { hasDate = true }
        switch (hasDate, hasTime) {
        case (true, true): return .dateTime
        case (true, false): return .date
        case (false, true): return .time
        default: return nil
        }
    }

    /// Whether the `e`/`E` at `index` is a scientific exponent (`0.00E+00`) rather than an era year.
    private static func isScientific(_ bytes: [UInt8], _ index: Int) -> Bool {
        guard index + 1 < bytes.count else { return false }
        return bytes[index + 1] == UInt8(ascii: "+") || bytes[index + 1] == UInt8(ascii: "-")
    }
}
