extension ZipWriter {
    /// A date and time as ZIP stores it: 1980–2107, two-second resolution.
    public struct DOSTimestamp: Sendable, Equatable {
        /// The date field: years since 1980, month and day packed into 16 bits.
        public let date: UInt16
        /// The time field: hours, minutes and seconds / 2 packed into 16 bits.
        public let time: UInt16

        /// 1980-01-01 00:00:00, the earliest time ZIP can hold and what Excel's own reference files carry.
        public static let earliest = DOSTimestamp(date: 0x21, time: 0)

        private init(date: UInt16, time: UInt16) {
            self.date = date
            self.time = time
        }

        /// A timestamp from its parts; throws when they are outside what ZIP can hold.
        public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) throws {
            guard (1980...2107).contains(year), (1...12).contains(month), (1...31).contains(day),
                (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
            else {
                throw SpreadsheetError(
                    .invalidArgument,
                    "the ZIP timestamp \(year)-\(month)-\(day) \(hour):\(minute):\(second) is invalid: "
                        + "ZIP holds years 1980 to 2107")
            }
            date = UInt16((year - 1980) << 9 | month << 5 | day)
            time = UInt16(hour << 11 | minute << 5 | second / 2)
        }
    }
}
