internal import TilsynSheets

/// Dates as reviewers write them, read without guessing.
///
/// Accepted: ISO `2025-03-14` (a time after `T` is ignored), `dd-mm-yyyy`, `dd.mm.yyyy` and `dd/mm/yyyy` (day and
/// month with one or two digits), and Excel serial numbers in the 1900 system, or the 1904 system when the workbook
/// uses it. Two-digit years and serials outside 2000–2099 are rejected: they are more likely something else than a
/// date of review.
public enum AuditDate {
    /// The date in ISO form (`2025-03-14`), or nil when the text is no date this type accepts.
    public static func parse(_ text: String, date1904: Bool = false) -> String? {
        let text = text.trimmed
        guard !text.isEmpty else { return nil }
        if let serial = Double(text), !text.contains("-") {
            guard serial >= 1, let date = ExcelDateTime(workbookSerial: serial, date1904: date1904, kind: .date)
            else { return nil }
            let c = date.components
            return plausible(c.year, c.month, c.day)
        }
        let datePart = text.split(separator: "T", maxSplits: 1).first.map(String.init) ?? text
        let parts = datePart.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "." || $0 == "/" }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2])
        else { return nil }
        if parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2, datePart.contains("-") {
            return plausible(a, b, c)
        }
        if parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 4 { return plausible(c, b, a) }
        return nil
    }

    /// Whether day and month make a real date in that year (leap years included).
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func plausible(_ year: Int, _ month: Int, _ day: Int) -> String? {
        guard (2000...2099).contains(year), isValid(year: year, month: month, day: day) else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(year)-\(two(month))-\(two(day))"
    }
}
