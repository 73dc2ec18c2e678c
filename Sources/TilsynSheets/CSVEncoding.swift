/// The character encoding of a CSV file.
///
/// Files are decoded to UTF-8 before they are parsed: every byte the parser cares about (the
/// delimiter, `"`, CR and LF) is ASCII, and ASCII is the same in both encodings.
public enum CSVEncoding: Sendable, Equatable {
    /// UTF-8, with or without a byte order mark (`EF BB BF`); Excel's "CSV UTF-8".
    case utf8
    /// Windows-1252, what Danish Excel's "CSV (semikolonsepareret)" writes (`æ` is `0xE6`, `€` is `0x80`).
    case windows1252
    /// Mac OS Roman, what Excel and Numbers on older Macs write as "CSV" (`æ` is `0xBE`, `å` is `0x8C`).
    case macRoman
}

/// UTF-8 validation and Windows-1252 decoding over raw bytes.
enum _CSVEncodingSupport {
    /// The offset of the first byte that is not part of valid UTF-8, or `nil` when all of `bytes` is valid.
    ///
    /// Rejects overlong forms, surrogates, code points above U+10FFFF and truncated sequences.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = start
        while i < count {
            let lead = base[i]
            if lead < 0x80 {
                // Skip an ASCII run eight bytes at a time, landing on its first non-ASCII byte.
                i += 1
                while i + 8 <= count {
                    let high = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self).littleEndian & highs
                    if high != 0 {
                        i += high.trailingZeroBitCount >> 3
                        break
                    }
                    i += 8
                }
                continue
            }
            if lead & 0xE0 == 0xC0 {
                // Two bytes: the most common case in Danish text (æøå).
                guard lead >= 0xC2, i + 1 < count, base[i + 1] & 0xC0 == 0x80 else { return i }
                i += 2
                continue
            }
            var need: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xE0: need = 2; low = 0xA0
            case 0xED: need = 2; high = 0x9F
            case 0xE1...0xEF: need = 2
            case 0xF0: need = 3; low = 0x90
            case 0xF4: need = 3; high = 0x8F
            case 0xF1...0xF3: need = 3
            default: return i
            }
            guard i + need < count else { return i }
            let second = base[i + 1]
            guard second >= low && second <= high else { return i }
            var k = 2
            while k <= need {
                guard base[i + k] & 0xC0 == 0x80 else { return i }
                k += 1
            }
            i += need + 1
        }
        return nil
    }

    /// The Unicode code points of Windows-1252 bytes 0x80–0x9F.
    ///
    /// The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of
    /// the same value, as the WHATWG Encoding Standard does, so decoding never fails and never loses a byte.
    static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The code point of one Windows-1252 byte.
    static func windows1252Scalar(_ byte: UInt8) -> UInt32 {
        (0x80...0x9F).contains(byte) ? windows1252High[Int(byte) - 0x80] : UInt32(byte)
    }

    /// The Unicode code points of Mac OS Roman bytes 0x80–0xFF.
    static let macRomanHigh: [UInt32] = [
        0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1,
        0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8,
        0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
        0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC,
        0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF,
        0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
        0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211,
        0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8,
        0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
        0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153,
        0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA,
        0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
        0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1,
        0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4,
        0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
        0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
    ]

    /// The code point of one Mac OS Roman byte.
    static func macRomanScalar(_ byte: UInt8) -> UInt32 {
        byte >= 0x80 ? macRomanHigh[Int(byte) - 0x80] : UInt32(byte)
    }

    /// The 8-bit encoding of bytes that are not UTF-8: Mac OS Roman when its Danish letters (`æ ø å Æ Ø Å é`) are
    /// more frequent than Windows-1252's, else Windows-1252 (also when neither has any).
    static func eightBitEncoding(_ bytes: UnsafeBufferPointer<UInt8>) -> CSVEncoding {
        var windows = 0
        var mac = 0
        for byte in bytes where byte >= 0x80 {
            switch byte {
            case 0xE5, 0xE6, 0xF8, 0xC5, 0xC6, 0xD8, 0xE9: windows += 1
            case 0xBE, 0xBF, 0x8C, 0xAE, 0xAF, 0x81, 0x8E: mac += 1
            default: break
            }
        }
        return mac > windows ? .macRoman : .windows1252
    }

    /// Decodes bytes in an 8-bit encoding (from `start` on) into UTF-8 bytes.
    static func utf8(from bytes: UnsafeBufferPointer<UInt8>, encoding: CSVEncoding, from start: Int) -> [UInt8] {
        encoding == .macRoman ? utf8FromMacRoman(bytes, from: start) : utf8FromWindows1252(bytes, from: start)
    }

    static func utf8FromMacRoman(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> [UInt8] {
        utf8(from: bytes, from: start, scalar: macRomanScalar)
    }

    /// Decodes Windows-1252 bytes (from `start` on) into UTF-8 bytes.
    static func utf8FromWindows1252(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> [UInt8] {
        utf8(from: bytes, from: start, scalar: windows1252Scalar)
    }

    private static func utf8(
        from bytes: UnsafeBufferPointer<UInt8>, from start: Int, scalar: (UInt8) -> UInt32
    ) -> [UInt8] {
        // One table of UTF-8 forms (up to three bytes each, length in the top byte) for the 256 byte values.
        var table = [UInt32](repeating: 0, count: 256)
        for byte in 0...255 {
            let scalar = scalar(UInt8(byte))
            switch scalar {
            case 0..<0x80:
                table[byte] = 1 << 24 | scalar
            case 0x80..<0x800:
                table[byte] = 2 << 24 | (0xC0 | scalar >> 6) | (0x80 | scalar & 0x3F) << 8
            default:
                table[byte] = 3 << 24 | (0xE0 | scalar >> 12) | (0x80 | scalar >> 6 & 0x3F) << 8
                    | (0x80 | scalar & 0x3F) << 16
            }
        }
        var size = 0
        for i in start..<bytes.count {
            size += Int(table[Int(bytes[i])] >> 24)
        }
        return [UInt8](unsafeUninitializedCapacity: size) { out, initialized in
            var o = 0
            for i in start..<bytes.count {
                let entry = table[Int(bytes[i])]
                let length = Int(entry >> 24)
                out[o] = UInt8(truncatingIfNeeded: entry)
                if length > 1 { out[o + 1] = UInt8(truncatingIfNeeded: entry >> 8) }
                if length > 2 { out[o + 2] = UInt8(truncatingIfNeeded: entry >> 16) }
                o += length
            }
            initialized = o
        }
    }

    /// The 1-based line of the byte at `offset`, counting LF, CRLF and a lone CR as one line end each.
    static func line(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var line = 1
        var i = start
        let end = min(offset, bytes.count)
        while i < end {
            let byte = bytes[i]
            if byte == 0x0A {
                line += 1
            } else if byte == 0x0D {
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A {
                    // The LF that follows ends the same line.
                } else {
                    line += 1
                }
            }
            i += 1
        }
        return line
    }
}
