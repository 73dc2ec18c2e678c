// Decimal digits into a ByteBuffer: the one digit writer of the CSV and XML writers.
extension ByteBuffer {
    /// Appends the decimal digits of a non-negative number, with leading zeros up to `width` digits.
    ///
    /// Two digits at a time from a table of the pairs 00 to 99: a date's or time's parts are one pair or two, and
    /// a whole number of seven digits took about 200 instructions one digit at a time.
    @inline(__always)
    mutating func appendDigits<Number: BinaryInteger>(_ value: Number, width: Int) {
        let rest = UInt64(value)
        if width <= 1, rest < 10 {
            append(0x30 &+ UInt8(rest))
        } else if width == 2, rest < 100 {
            appendPair(Int(rest))
        } else if width == 4, rest < 10_000 {
            appendPair(Int(rest / 100))
            appendPair(Int(rest % 100))
        } else {
            Self.withDigits(rest, width: width) { append($0) }
        }
    }

    /// Calls `body` with the decimal digits of `value`, zero-padded to `width` (at most 20), made on the stack.
    static func withDigits<Result>(
        _ value: UInt64, width: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        // 20 digits hold any 64-bit magnitude; the width is capped at the space (no caller asks for more than 6).
        var space: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return try withUnsafeMutableBytes(of: &space) { space in
            let pairs = digitPairs.utf8Start
            var rest = value
            var start = 24
            while rest >= 100 {
                let pair = Int(rest % 100)
                rest /= 100
                start -= 2
                space[start] = pairs[2 * pair]
                space[start + 1] = pairs[2 * pair + 1]
            }
            if rest >= 10 {
                start -= 2
                space[start] = pairs[2 * Int(rest)]
                space[start + 1] = pairs[2 * Int(rest) + 1]
            } else {
                start -= 1
                space[start] = 0x30 + UInt8(rest)
            }
            while 24 - start < min(width, 24) {
                start -= 1
                space[start] = 0x30
            }
            return try body(UnsafeBufferPointer(rebasing: space.assumingMemoryBound(to: UInt8.self)[start...]))
        }
    }

    /// "00" to "99", two bytes each.
    private static let digitPairs: StaticString = """
        0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
        5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
        """

    @inline(__always)
    private mutating func appendPair(_ pair: Int) {
        let digits = Self.digitPairs.utf8Start + 2 * pair
        append(digits[0])
        append(digits[1])
    }
}
