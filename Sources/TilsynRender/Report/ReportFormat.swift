internal import TilsynAnalysis

/// Danish formatting of the report's figures.
public enum ReportText {
    /// The decimals of the percentages while a report is rendered: `ReportHTML.render` and `ReportWorkbook.write`
    /// bind the report's own (`--decimals`) for the time they run; 1 elsewhere.
    @TaskLocal public static var decimals = 1

    /// `4.321`: thousands separated by a point.
    public static func integer(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `441/483`.
    public static func counts(_ yes: Int, _ n: Int) -> String { "\(integer(yes))/\(integer(n))" }

    /// `91,3 %` (or `91 %` with 0 decimals), exact from the counts; `–` when n is 0.
    public static func percent(_ yes: Int, _ n: Int) -> String {
        n > 0 ? DanishPercent.format(yes, of: n, decimals: decimals) : "–"
    }

    /// `+3,1 pp` or `−2,0 pp`; `–` when there is no change to show.
    public static func points(_ value: Double?) -> String { value.map { DanishDecimal.points($0) } ?? "–" }

    /// κ with two decimals: `0,62`; `–` when undefined.
    public static func kappa(_ value: Double?) -> String {
        value.map { DanishDecimal.format($0, decimals: 2).replacingMinus() } ?? "–"
    }
}

extension String {
    /// A typographic minus for negative numbers: `−2,0`.
    fileprivate func replacingMinus() -> String { hasPrefix("-") ? "−" + dropFirst() : self }
}

/// Escapes text for HTML element content and attribute values.
public func htmlEscape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default: result.append(character)
        }
    }
    return result
}
