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
        // The forms nearly every date takes, read from the bytes; the same result as the general reading below.
        if let (year, month, day) = commonForm(text) { return plausible(year, month, day) }
        return parseGeneral(text, date1904: date1904)
    }

    /// `dd-mm-yyyy`, `dd.mm.yyyy`, `dd/mm/yyyy` or `yyyy-mm-dd`, exactly ten ASCII bytes: year, month and day.
    static func commonForm(_ text: String) -> (Int, Int, Int)? {
        var text = text
        return text.withUTF8 { b -> (Int, Int, Int)? in
            guard b.count == 10 else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    guard b[index] >= 0x30, b[index] <= 0x39 else { return nil }
                    value = value * 10 + Int(b[index] - 0x30)
                }
                return value
            }
            if b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
                let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
            {
                return (year, month, day)
            }
            let separator = b[2]
            guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".") || separator == UInt8(ascii: "/"),
                b[5] == separator, let day = number(0..<2), let month = number(3..<5), let year = number(6..<10)
            else { return nil }
            return (year, month, day)
        }
    }

    /// Any accepted form (see ``parse(_:date1904:)``), read as text.
    static func parseGeneral(_ text: String, date1904: Bool = false) -> String? {
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
