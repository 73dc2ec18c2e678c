// Numbers and dates as CSV text, apart from the writer's rows and output in CSVWriter.swift.
extension CSVWriter {
    /// Appends a date as `dd-mm-yyyy`.
    static func appendDate(year: Int, month: Int, day: Int, to buffer: inout [UInt8]) {
        appendDigits(day, width: 2, to: &buffer)
        buffer.append(0x2D)
        appendDigits(month, width: 2, to: &buffer)
        buffer.append(0x2D)
        appendDigits(year, width: 4, to: &buffer)
    }

    /// Appends the decimal digits of a non-negative number, with leading zeros up to `width` digits.
    static func appendDigits<Number: BinaryInteger>(_ value: Number, width: Int, to buffer: inout [UInt8]) {
        // 20 digits hold any 64-bit magnitude.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { space in
            var rest = UInt64(value)
            repeat {
                count += 1
                space[24 - count] = 0x30 + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            while count < width {
                count += 1
                space[24 - count] = 0x30
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: space[(24 - count)...]))
        }
    }

    static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        return day <= ExcelDateTime.daysIn(year: year, month: month)
    }

    /// Appends the shortest decimal form of a finite `value` that reads back as the same `Double`.
    ///
    /// Starts from `Double.description` (shortest round-trip digits) and moves the decimal point instead of
    /// writing an exponent when the result has at most 21 integer digits or 20 decimals.
    static func appendNumber(_ value: Double, decimalSeparator: UInt8, to out: inout [UInt8]) {
        if value == 0 {
            out.append(0x30)
            return
        }
        // A whole number below 2^53 is its integer digits: no string is made.
        let whole = value.rounded(.towardZero) == value
        if whole, value.magnitude < 9_007_199_254_740_992 {
            if value < 0 { out.append(0x2D) }
            appendDigits(UInt64(value.magnitude), width: 1, to: &out)
            return
        }
        // A fraction from 1e-4 up is written by `description` without an exponent and without trailing zeros: its
        // bytes are the result, with the decimal separator in place of the point.
        let text = value.description
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !whole, !bytes.contains(0x65) else { return false }
            for byte in bytes { out.append(byte == 0x2E ? decimalSeparator : byte) }
            return true
        }
        if plain != true { appendNumberMovingThePoint(text, decimalSeparator: decimalSeparator, to: &out) }
    }

    /// ``appendNumber(_:decimalSeparator:to:)`` for any finite value's `description`: its digits are written
    /// with the decimal point moved instead of an exponent when the result has at most 21 integer digits or 20
    /// decimals.
    static func appendNumberMovingThePoint(_ description: String, decimalSeparator: UInt8, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        var negative = false
        var integerDigits: Int?
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in description.utf8 {
            switch byte {
            case 0x2D where inExponent: exponentSign = -1
            case 0x2D: negative = true
            case 0x2B: break
            case 0x2E: integerDigits = digits.count
            case 0x65, 0x45: inExponent = true
            case 0x30...0x39 where inExponent: exponent = exponent * 10 + Int(byte - 0x30)
            case 0x30...0x39: digits.append(byte)
            default: break
            }
        }
        // The decimal point sits `point` digits after the start of `digits`.
        var point = (integerDigits ?? digits.count) + exponentSign * exponent
        while digits.count > 1 && digits.first == 0x30 {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1 && digits.last == 0x30 {
            digits.removeLast()
        }
        if negative { out.append(0x2D) }
        if point > 21 || point < -19 {
            out.append(digits[0])
            if digits.count > 1 {
                out.append(decimalSeparator)
                out.append(contentsOf: digits[1...])
            }
            out.append(0x45)
            out.append(point - 1 < 0 ? 0x2D : 0x2B)
            out.append(contentsOf: String(abs(point - 1)).utf8)
        } else if point <= 0 {
            out.append(0x30)
            out.append(decimalSeparator)
            out.append(contentsOf: repeatElement(0x30, count: -point))
            out.append(contentsOf: digits)
        } else if point >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(0x30, count: point - digits.count))
        } else {
            out.append(contentsOf: digits[..<point])
            out.append(decimalSeparator)
            out.append(contentsOf: digits[point...])
        }
    }
}
