/// Finds text that looks like a Danish CPR number, so it can be reported and masked.
///
/// A match is six digits forming a valid date `DDMMYY`, then `-`, a space or nothing, then four digits, with no
/// digit directly before or after. The date must exist (29 February only in years divisible by four). The modulus 11
/// check is deliberately not applied: numbers issued since 2007 may fail it and are still valid CPR numbers.
public enum CPRDetector {
    /// Whether the text contains a CPR-like number.
    public static func containsCPR(_ text: String) -> Bool { !ranges(in: Array(text.unicodeScalars)).isEmpty }

    /// Whether the text has the ten ASCII digits a CPR number needs: a cheap test before ``containsCPR(_:)``.
    public static func mayContainCPR(_ text: String) -> Bool {
        guard text.utf8.count >= 10 else { return false }
        var text = text
        return text.withUTF8 { mayContainCPR($0) }
    }

    /// Whether UTF-8 bytes hold at least ten ASCII digits, counted eight bytes at a time (a template's long texts
    /// made the byte loop a percent of an import).
    public static func mayContainCPR(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 10, let base = UnsafeRawPointer(bytes.baseAddress) else { return false }
        var digits = 0
        var at = 0
        while at + 8 <= bytes.count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            // Per byte b (its high bit cleared into a, which cannot carry into the next byte): a ≥ 0x30 sets the
            // high bit of a + 0x50, a ≥ 0x3A that of a + 0x46; a digit also has its own high bit clear.
            let low = word & 0x7F7F_7F7F_7F7F_7F7F
            let atLeast0 = (low &+ 0x5050_5050_5050_5050) & 0x8080_8080_8080_8080
            let beyond9 = (low &+ 0x4646_4646_4646_4646) & 0x8080_8080_8080_8080
            digits += (atLeast0 & ~beyond9 & ~word & 0x8080_8080_8080_8080).nonzeroBitCount
            if digits >= 10 { return true }
            at += 8
        }
        while at < bytes.count {
            if bytes[at] &- 48 < 10 { digits += 1 }
            at += 1
        }
        return digits >= 10
    }

    /// The text with the digits of every CPR-like number replaced by `X` (`XXXXXX-XXXX`).
    public static func redact(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        let found = ranges(in: scalars)
        guard !found.isEmpty else { return text }
        for range in found {
            for index in range where isDigit(scalars[index]) { scalars[index] = "X" }
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }

    /// The index ranges of CPR-like numbers.
    static func ranges(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var i = 0
        let n = scalars.count
        func digit(_ k: Int) -> Int? { k < n && isDigit(scalars[k]) ? Int(scalars[k].value - 48) : nil }
        while i < n {
            guard isDigit(scalars[i]), i == 0 || !isDigit(scalars[i - 1]) else {
                i += 1
                continue
            }
            var ok = true
            var values: [Int] = []
            for k in 0..<6 {
                guard let d = digit(i + k) else {
                    ok = false
                    break
                }
                values.append(d)
            }
            if ok {
                var j = i + 6
                if j < n, scalars[j] == "-" || scalars[j] == " " { j += 1 }
                for k in 0..<4 where digit(j + k) == nil { ok = false }
                let end = j + 4
                if ok, digit(end) == nil {
                    let day = values[0] * 10 + values[1]
                    let month = values[2] * 10 + values[3]
                    let year = values[4] * 10 + values[5]
                    // Any century will do: a leap-year two-digit year admits 29 February.
                    if AuditDate.isValid(year: year == 0 ? 2000 : 2000 + year, month: month, day: day) {
                        found.append(i..<end)
                        i = end
                        continue
                    }
                }
            }
            i += 1
            while i < n, isDigit(scalars[i]) { i += 1 }
        }
        return found
    }
}
