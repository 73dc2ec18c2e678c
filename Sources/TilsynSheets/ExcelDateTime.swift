/// A date, time or date-time as Excel stores it: a serial day number in the 1900 date system.
///
/// Serials from 1904 workbooks are converted on reading, so equal instants compare equal.
public struct ExcelDateTime: Sendable, Hashable, CustomStringConvertible {
    /// What a cell's number format shows.
    public enum Kind: Sendable, Hashable {
        /// A date, a time of day, or both.
        case date, time, dateTime
    }

    /// Days since 1899-12-30 with the time of day as the fraction (Excel's 1900 system for dates after 1900-02-28).
    public var serial: Double
    /// What the cell's format shows.
    public var kind: Kind

    /// The largest serial Excel shows as a date: 9999-12-31.
    public static let maxSerial = 2_958_465.999_999

    /// The instant at `serial` (1900 system).
    public init(serial: Double, kind: Kind = .dateTime) {
        self.serial = serial
        self.kind = kind
    }

    /// A serial read from a workbook; nil when it is no valid Excel date (negative, too large or not finite).
    public init?(workbookSerial: Double, date1904: Bool, kind: Kind) {
        guard workbookSerial.isFinite, workbookSerial >= 0 else { return nil }
        let serial = date1904 ? workbookSerial + 1462 : workbookSerial
        guard serial <= ExcelDateTime.maxSerial else { return nil }
        self.init(serial: serial, kind: kind)
    }

    /// A date-time from its calendar parts.
    ///
    /// Dates before 1900-03-01 get the serial Excel gives them (one less than the days since 1899-12-30, as Excel
    /// counts the non-existent 1900-02-29), so that `components` gives back the same date: 1900-01-01 is serial 1.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0,
                kind: Kind = .dateTime) {
        var days = Double(ExcelDateTime.daysFromCivil(year: year, month: month, day: day) - ExcelDateTime.epochUnixDay)
        if days >= 1 && days < 61 { days -= 1 }
        let seconds = Double(hour * 3600 + minute * 60 + second) + Double(millisecond) / 1000
        self.init(serial: days + seconds / 86_400, kind: kind)
    }

    /// Calendar parts, rounded to the millisecond as Excel, openpyxl and calamine do.
    ///
    /// Serials below 60 are shifted one day, because Excel counts the non-existent 1900-02-29.
    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        var whole = serial.rounded(.down)
        let milliseconds = ((serial - whole) * 86_400_000).rounded()
        var ms = Int(milliseconds)
        if ms >= 86_400_000 {
            ms -= 86_400_000
            whole += 1
        }
        if serial >= 0 && serial < 60 { whole += 1 }
        let civil = ExcelDateTime.civilFromDays(Int(whole) + ExcelDateTime.epochUnixDay)
        return (
            civil.year, civil.month, civil.day, ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000
        )
    }

    /// ISO 8601: `2017-10-27` when there is no time of day, else `2017-10-27T21:00:00` (with `.fff` if needed).
    public var iso8601: String {
        let c = components
        var text = pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
        if c.hour != 0 || c.minute != 0 || c.second != 0 || c.millisecond != 0 {
            text += "T" + pad(c.hour, 2) + ":" + pad(c.minute, 2) + ":" + pad(c.second, 2)
            if c.millisecond != 0 { text += "." + pad(c.millisecond, 3) }
        }
        return text
    }

    /// `dd-mm-yyyy`, with ` hh:mm` when there is a time of day: the Danish way.
    public var danish: String {
        let c = components
        var text = pad(c.day, 2) + "-" + pad(c.month, 2) + "-" + pad(c.year, 4)
        if c.hour != 0 || c.minute != 0 || c.second != 0 {
            text += " " + pad(c.hour, 2) + ":" + pad(c.minute, 2)
            if c.second != 0 { text += ":" + pad(c.second, 2) }
        }
        return text
    }

    public var description: String { iso8601 }

    /// Parses ISO 8601 as written in `t="d"` cells: `2017-10-27`, `2017-10-27T21:00:00(.fff)(Z|±hh:mm)`, `21:00:00`.
    ///
    /// A time-zone designator is accepted and ignored: Excel has no time zones.
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= bytes.count else { return nil }
            var value = 0
            for k in 0..<digits {
                let b = bytes[i + k]
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            i += digits
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }
        var year = 1899
        var month = 12
        var day = 30
        var hasDate = false
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-") {
            guard let y = number(4), expect(UInt8(ascii: "-")), let m = number(2), expect(UInt8(ascii: "-")),
                let d = number(2), (1...12).contains(m), d >= 1, d <= ExcelDateTime.daysIn(year: y, month: m)
            else { return nil }
            (year, month, day) = (y, m, d)
            hasDate = true
            if i == bytes.count {
                self.init(year: year, month: month, day: day, kind: .date)
                return
            }
            guard expect(UInt8(ascii: "T")) || expect(UInt8(ascii: " ")) else { return nil }
        }
        guard let h = number(2), expect(UInt8(ascii: ":")), let mi = number(2), h < 24, mi < 60 else { return nil }
        var s = 0
        var ms = 0
        if expect(UInt8(ascii: ":")) {
            guard let sec = number(2), sec < 60 else { return nil }
            s = sec
            if expect(UInt8(ascii: ".")) || expect(UInt8(ascii: ",")) {
                var scale = 100
                var digits = 0
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                    if digits < 3 { ms += Int(bytes[i] - 48) * scale }
                    scale /= 10
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        if i < bytes.count {
            if expect(UInt8(ascii: "Z")) {
            } else if expect(UInt8(ascii: "+")) || expect(UInt8(ascii: "-")) {
                guard number(2) != nil else { return nil }
                _ = expect(UInt8(ascii: ":"))
                guard number(2) != nil else { return nil }
            }
            guard i == bytes.count else { return nil }
        }
        self.init(
            year: year, month: month, day: day, hour: h, minute: mi, second: s, millisecond: ms,
            kind: hasDate ? .dateTime : .time)
    }

    // MARK: Calendar arithmetic (proleptic Gregorian; Howard Hinnant's algorithms)

    /// 1899-12-30 as days since 1970-01-01.
    static let epochUnixDay = -25_569

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Whether `year` is a leap year in the Gregorian calendar.
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days of `month` (1–12) in `year`.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The date as Danish users write it: `dd-mm-yyyy`, with ` hh:mm` when it has a time of day.
    public var danishText: String {
        let c = components
        let day = "\(pad(c.day, 2))-\(pad(c.month, 2))-\(c.year)"
        return c.hour == 0 && c.minute == 0 && c.second == 0 ? day : day + " \(pad(c.hour, 2)):\(pad(c.minute, 2))"
    }
}

/// `value` in decimal with zeros in front up to `width` digits: `pad(7, 2)` is `07`; the one owner of zero padding.
@inline(__always)
public func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
