internal import TilsynSheets

extension CellValue {
    /// The value as a reviewer typed it: text as is, whole numbers without decimals, dates as `dd-mm-yyyy`,
    /// booleans as `Ja`/`Nej`.
    var auditText: String {
        switch self {
        case .string(let text): return text
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
            return String(number)
        case .bool(let flag): return flag ? "Ja" : "Nej"
        case .date(let date): return date.danishText
        case .error(let text): return text
        }
    }
}

/// Splits a list cell (`INB, UDR` or `a; b`) into trimmed, non-empty items.
func splitList(_ text: String, separator: Character) -> [String] {
    text.split(separator: separator).map { String($0).trimmed }.filter { !$0.isEmpty }
}
