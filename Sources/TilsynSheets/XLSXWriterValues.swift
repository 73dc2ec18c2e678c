extension XLSXWriter {
    /// What a cell holds.
    public enum Value: Sendable, Equatable {
        /// Text, at most 32,767 characters (UTF-16 code units), which is all Excel can hold.
        case string(String)
        /// A finite number; Excel has no NaN or infinity.
        case number(Double)
        /// TRUE or FALSE.
        case bool(Bool)
        /// A date and time, stored as an Excel serial (1900 system) with a date number format.
        case dateTime(DateTime)
        /// A formula (with or without a leading `=`) and the result Excel shows until it recalculates.
        ///
        /// Without a cached result the cell has no `<v>`; the workbook asks Excel to recalculate on load.
        case formula(String, cached: FormulaResult?)
        /// No value; written only when the cell has a style (for borders or fills on empty cells).
        case blank
    }

    /// The cached result of a formula.
    public enum FormulaResult: Sendable, Equatable {
        /// A number.
        case number(Double)
        /// Text.
        case string(String)
        /// TRUE or FALSE.
        case bool(Bool)
    }

    /// A value with an optional style, for one position in a row.
    public struct Cell: Sendable, Equatable {
        /// What the cell holds.
        public var value: Value
        /// Its style; the default style when nil.
        public var style: StyleID?

        /// A cell holding `value`.
        public init(_ value: Value, style: StyleID? = nil) {
            self.value = value
            self.style = style
        }

        /// A text cell.
        public static func string(_ text: String, style: StyleID? = nil) -> Cell { Cell(.string(text), style: style) }
        /// A number cell.
        public static func number(_ number: Double, style: StyleID? = nil) -> Cell {
            Cell(.number(number), style: style)
        }
        /// A TRUE/FALSE cell.
        public static func bool(_ flag: Bool, style: StyleID? = nil) -> Cell { Cell(.bool(flag), style: style) }
        /// A date or date-time cell (give it a style with a date number format).
        public static func dateTime(_ date: DateTime, style: StyleID? = nil) -> Cell {
            Cell(.dateTime(date), style: style)
        }
        /// A formula (with or without a leading `=`), with the result readers show until it is recalculated.
        public static func formula(_ formula: String, cached: FormulaResult? = nil, style: StyleID? = nil) -> Cell {
            Cell(.formula(formula, cached: cached), style: style)
        }
        /// An empty cell that carries a style (a border, a fill, an unlocked input cell).
        public static func blank(style: StyleID) -> Cell { Cell(.blank, style: style) }
    }

    /// A calendar date and wall-clock time without a time zone, as Excel keeps them (1900-01-01 to 9999-12-31).
    public struct DateTime: Sendable, Hashable, CustomStringConvertible {
        /// The year, 1900–9999.
        public let year: Int
        /// The month, 1–12.
        public let month: Int
        /// The day of the month.
        public let day: Int
        /// The hour, 0–23.
        public let hour: Int
        /// The minute, 0–59.
        public let minute: Int
        /// Seconds, with a fraction if needed.
        public let second: Double

        /// A date and time from its parts; throws when they are not a valid time Excel can hold.
        public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Double = 0) throws {
            guard (1900...9999).contains(year), (1...12).contains(month),
                (1...DateTime.daysInMonth(year: year, month: month)).contains(day), (0...23).contains(hour),
                (0...59).contains(minute), second >= 0, second < 60
            else {
                throw SpreadsheetError(
                    .invalidValue,
                    "\(year)-\(month)-\(day) \(hour):\(minute):\(second) is not a valid date and time between "
                        + "1900-01-01 and 9999-12-31, the range Excel holds")
            }
            self.year = year
            self.month = month
            self.day = day
            self.hour = hour
            self.minute = minute
            self.second = second
        }

        /// The wall-clock time `seconds` after 1970-01-01 00:00 (e.g. a `Date`'s `timeIntervalSince1970` after
        /// adding the time zone's offset).
        public init(secondsSince1970 seconds: Double) throws {
            guard seconds.isFinite else {
                throw SpreadsheetError(.invalidValue, "the time is not a finite number of seconds")
            }
            let days = (seconds / 86_400).rounded(.down)
            var rest = seconds - days * 86_400
            guard Swift.abs(days) < 4_000_000 else {
                throw SpreadsheetError(
                    .invalidValue, "the time lies outside 1900-01-01 to 9999-12-31, the range Excel holds")
            }
            let (year, month, day) = DateTime.civil(fromDays: Int(days))
            let hour = Int(rest / 3600)
            rest -= Double(hour) * 3600
            let minute = Int(rest / 60)
            rest -= Double(minute) * 60
            try self.init(
                year: year, month: month, day: day, hour: hour, minute: minute, second: Swift.min(rest, 59.999_999))
        }

        /// The Excel serial number in the 1900 date system: days since 1899-12-30, with the time as a fraction.
        ///
        /// Excel counts a 29 February 1900 that never was, so dates before 1 March 1900 are one less.
        public var serial: Double {
            var days = Double(
                DateTime.days(year: year, month: month, day: day) - DateTime.days(year: 1899, month: 12, day: 30))
            if days < 61 { days -= 1 }
            return days + (Double(hour) * 3600 + Double(minute) * 60 + second) / 86_400
        }

        /// Whether the time of day is not midnight.
        public var hasTime: Bool { hour != 0 || minute != 0 || second != 0 }

        /// `2024-05-01T12:30:00Z` (seconds truncated), as the document properties store it.
        var w3cdtf: String {
            "\(year)-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(Int(second), 2))Z"
        }

        public var description: String { w3cdtf }

        static func daysInMonth(year: Int, month: Int) -> Int {
            ExcelDateTime.daysIn(year: year, month: month)
        }

        /// Days since 1970-01-01 in the proleptic Gregorian calendar.
        static func days(year: Int, month: Int, day: Int) -> Int {
            ExcelDateTime.daysFromCivil(year: year, month: month, day: day)
        }

        /// The date `days` after 1970-01-01.
        static func civil(fromDays days: Int) -> (Int, Int, Int) {
            let date = ExcelDateTime.civilFromDays(days)
            return (date.year, date.month, date.day)
        }
    }
}

extension XLSXWriter.Cell: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self.init(.string(value)) }
    public init(integerLiteral value: Int) { self.init(.number(Double(value))) }
    public init(floatLiteral value: Double) { self.init(.number(value)) }
    public init(booleanLiteral value: Bool) { self.init(.bool(value)) }
}
