// Numbers and dates as CSV text, apart from the writer's rows and output in CSVWriter.swift.
extension CSVWriter {
    /// Appends a date as `dd-mm-yyyy`.
    static func appendDate(year: Int, month: Int, day: Int, to buffer: inout ByteBuffer) {
        buffer.appendDigits(day, width: 2)
        buffer.append(0x2D)
        buffer.appendDigits(month, width: 2)
        buffer.append(0x2D)
        buffer.appendDigits(year, width: 4)
    }

    static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        return day <= ExcelDateTime.daysIn(year: year, month: month)
    }

    /// Appends the shortest decimal form of a finite `value` that reads back as the same `Double`.
    ///
    /// Starts from `Double.description` (shortest round-trip digits) and moves the decimal point instead of
    /// writing an exponent when the result has at most 21 integer digits or 20 decimals.
    static func appendNumber(_ value: Double, decimalSeparator: UInt8, to out: inout ByteBuffer) {
        if value == 0 {
            out.append(0x30)
            return
        }
        // A whole number below 2^53 is its integer digits: no string is made.
        let whole = value.rounded(.towardZero) == value
        if whole, value.magnitude < 9_007_199_254_740_992 {
            if value < 0 { out.append(0x2D) }
            out.appendDigits(UInt64(value.magnitude), width: 1)
            return
        }
        if !whole, appendShortDecimal(value, decimalSeparator: decimalSeparator, to: &out) { return }
        // A fraction from 1e-4 up is written by `description` without an exponent and without trailing zeros: its
        // bytes are the result, with the decimal separator in place of the point. They are taken as the standard
        // library formats them (see `NumberText`), without the String `description` makes of them.
        var text = NumberText()
        value.write(to: &text)
        let plain = text.withBytes { bytes -> Bool in
            guard !whole, let bytes, !bytes.contains(0x65) else { return false }
            for byte in bytes { out.append(byte == 0x2E ? decimalSeparator : byte) }
            return true
        }
        if !plain { appendNumberMovingThePoint(value.description, decimalSeparator: decimalSeparator, to: &out) }
    }

    /// Writes a fraction of at most 15 significant digits and 1 to 6 decimals (an amount in kroner and øre, a
    /// percentage) from its digits as a whole number, and says whether it was one.
    ///
    /// `value` is such a fraction when, scaled by 10^k and rounded to the whole number n (below 10^15), n / 10^k
    /// gives `value` back (trying k from 1 up): IEEE division rounds correctly, so the decimal n·10^-k rounds to
    /// `value`. It is then the shortest decimal that does, the one `description` writes: two decimals of at most
    /// 15 significant digits never round to the same `Double` (DBL_DIG), so a shorter or different one cannot.
    /// Its digits are those of n with the separator k places from the right: what writing `description` gives,
    /// whose exponent (below 1e-4) is moved back into the digits.
    static func appendShortDecimal(_ value: Double, decimalSeparator: UInt8, to out: inout ByteBuffer) -> Bool {
        var scale = 1.0
        for decimals in 1...6 {
            scale *= 10
            let scaled = (value * scale).rounded()
            guard scaled.magnitude < 1e15 else { return false }
            guard scaled / scale == value else { continue }
            let digits = UInt64(scaled.magnitude)
            // The fewest decimals that give the value back leave no trailing zero (with one, one decimal fewer
            // would have); should one be left, `description` is asked instead.
            guard digits % 10 != 0 else { return false }
            var divisor: UInt64 = 1
            for _ in 0..<decimals { divisor &*= 10 }
            if value < 0 { out.append(0x2D) }
            out.appendDigits(digits / divisor, width: 1)
            out.append(decimalSeparator)
            out.appendDigits(digits % divisor, width: decimals)
            return true
        }
        return false
    }

    /// ``appendNumber(_:decimalSeparator:to:)`` for any finite value's `description`: its digits are written
    /// with the decimal point moved instead of an exponent when the result has at most 21 integer digits or 20
    /// decimals.
    static func appendNumberMovingThePoint(_ description: String, decimalSeparator: UInt8, to out: inout ByteBuffer) {
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

/// The text of a `Double` as `description` spells it, in 32 bytes on the stack.
///
/// `Double.write(to:)` formats the shortest round-trip digits into a buffer of its own and hands them to the stream
/// (`_writeASCII`, whose default makes a String and calls `write`); `description` makes a String of them, on the
/// heap when it is longer than 15 bytes (`0.2380941690799738`). For a finite value the bytes are `description`'s
/// (a NaN is spelt with its payload, `-nan(0x…)`: the writer refuses NaN and infinities before it gets here).
struct NumberText: TextOutputStream {
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var count = 0
    /// Set when the text did not fit (no `Double`'s does: at most 24 bytes); the caller then uses `description`.
    private var overflowed = false

    mutating func write(_ string: String) {
        for byte in string.utf8 { append(byte) }
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, count + buffer.count <= 32 else {
            for byte in buffer { append(byte) }
            return
        }
        let start = count
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.baseAddress!.advanced(by: start).copyMemory(from: source, byteCount: buffer.count)
        }
        count += buffer.count
    }

    private mutating func append(_ byte: UInt8) {
        guard count < 32 else {
            overflowed = true
            return
        }
        let index = count
        withUnsafeMutableBytes(of: &storage) { $0[index] = byte }
        count += 1
    }

    /// Calls `body` with the text's bytes, or nil when it did not fit.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
        guard !overflowed else { return body(nil) }
        var storage = storage
        return withUnsafeBytes(of: &storage) { raw in
            body(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }
}
