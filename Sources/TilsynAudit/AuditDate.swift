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
        var text = text.trimmed
        guard !text.isEmpty else { return nil }
        // A time after the date (`14-03-2025 10:30`, `2025-03-14 10:30:00`) is that date.
        if let space = text.firstIndex(of: " ") {
            let time = String(text[text.index(after: space)...]).trimmed
            guard isTime(time) else { return nil }
            text = String(text[..<space])
        }
        if !text.contains("-"), let serial = Double(text) {
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

    /// `10:30` or `10:30:00` (also with `.` as Danish clocks write it): hours 0–23, minutes and seconds 0–59.
    static func isTime(_ text: String) -> Bool {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == ":" || $0 == "." }
        guard (2...3).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
            let hour = Int(parts[0]), (0...23).contains(hour)
        else { return false }
        return parts.dropFirst().allSatisfy { Int($0).map { (0...59).contains($0) } ?? false }
    }

    /// Whether day and month make a real date in that year (leap years included).
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        return day <= ExcelDateTime.daysIn(year: year, month: month)
    }


    private static func plausible(_ year: Int, _ month: Int, _ day: Int) -> String? {
        guard (2000...2099).contains(year), isValid(year: year, month: month, day: day) else { return nil }
        return "\(year)-\(pad(month, 2))-\(pad(day, 2))"
    }
}
