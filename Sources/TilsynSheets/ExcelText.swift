#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Decoding of text and numbers as SpreadsheetML stores them, straight from UTF-8 bytes.
enum ExcelText {
    /// Text from bytes, with Excel's `_xHHHH_` escapes decoded (`_x000D_` is a carriage return).
    @inline(__always)
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count >= 7, bytes.contains(UInt8(ascii: "_")) {
            return decodeEscapes(bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func string(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { string($0) }
    }

    /// Decodes `_xHHHH_` (UTF-16 code units, surrogate pairs combined); `_x005F_` escapes a literal underscore.
    static func decodeEscapes(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var pendingHigh: UInt32?
        func hexValue(_ at: Int) -> UInt32? {
            var value: UInt32 = 0
            for k in 0..<4 {
                let b = bytes[at + k]
                let digit: UInt32
                switch b {
                case 48...57: digit = UInt32(b - 48)
                case 65...70: digit = UInt32(b - 55)
                case 97...102: digit = UInt32(b - 87)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }
        func appendScalar(_ value: UInt32) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            out.append(contentsOf: String(Character(scalar)).utf8)
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "_"), i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "x"),
                bytes[i + 6] == UInt8(ascii: "_"), let unit = hexValue(i + 2)
            {
                if (0xD800...0xDBFF).contains(unit) {
                    if let high = pendingHigh { appendScalar(high) }
                    pendingHigh = unit
                } else if (0xDC00...0xDFFF).contains(unit), let high = pendingHigh {
                    appendScalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00))
                    pendingHigh = nil
                } else {
                    if pendingHigh != nil {
                        appendScalar(0xFFFD)
                        pendingHigh = nil
                    }
                    appendScalar(unit)
                }
                i += 7
                continue
            }
            if pendingHigh != nil {
                appendScalar(0xFFFD)
                pendingHigh = nil
            }
            out.append(bytes[i])
            i += 1
        }
        if pendingHigh != nil { appendScalar(0xFFFD) }
        return String(decoding: out, as: UTF8.self)
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses a decimal number as written in `<v>`: `-12.5`, `1E-3`, `4.2e+10`; nil when it is not one.
    ///
    /// Exact when the digits fit in 2^53 and the power of ten is at most 22 (Clinger's fast path); otherwise
    /// falls back to `strtod`, which rounds correctly.
    @inline(__always)
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 32 || bytes[start] == 9 || bytes[start] == 10 || bytes[start] == 13 {
            start += 1
        }
        while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 || bytes[end - 1] == 10 || bytes[end - 1] == 13 {
            end -= 1
        }
        guard start < end else { return nil }
        var i = start
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        } else if bytes[i] == UInt8(ascii: "+") {
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        var exact = true
        // Wrapping arithmetic where the bounds are checked already: the mantissa stays below 2^53, `i` below `end`,
        // the exponent above minus the byte count.
        while i < end, bytes[i] &- 48 < 10 {
            sawDigit = true
            if mantissa < 1 << 53 / 10 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48)
                if mantissa != 0 { digits &+= 1 }
            } else {
                exact = false
            }
            i &+= 1
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i &+= 1
            while i < end, bytes[i] &- 48 < 10 {
                sawDigit = true
                if mantissa < 1 << 53 / 10 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48)
                    exponent &-= 1
                } else if bytes[i] != 48 {
                    exact = false
                }
                i &+= 1
            }
        }
        guard sawDigit else { return nil }
        if i < end, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            var sawExp = false
            while i < end, bytes[i] &- 48 < 10 {
                if value < 100_000 { value = value * 10 + Int(bytes[i] &- 48) }
                sawExp = true
                i += 1
            }
            guard sawExp else { return nil }
            exponent += expNegative ? -value : value
        }
        guard i == end else { return nil }
        if exact && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 { value /= powersOfTen[-exponent] } else { value *= powersOfTen[exponent] }
            return negative ? -value : value
        }
        return slowDouble(UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    private static func slowDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count < 512 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            for i in 0..<bytes.count { buffer[i] = CChar(bitPattern: bytes[i]) }
            buffer[bytes.count] = 0
            var endPointer: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &endPointer)
            guard let endPointer, endPointer - buffer.baseAddress! == bytes.count else { return nil }
            return value
        }
    }

    /// A non-negative decimal integer (shared-string index, style index); nil when not one or too large.
    @inline(__always)
    static func index(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 10 else { return nil }
        var value = 0
        for b in bytes {
            let digit = b &- 48
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)  // at most 10 digits: cannot overflow
        }
        return value
    }
}
