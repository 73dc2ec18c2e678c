/// Guesses a CSV file's delimiter from its first lines.
enum _CSVSniffer {
    /// The candidates in order of preference: `;` (Danish Excel's default), `,`, TAB.
    static let candidates: [UInt8] = [0x3B, 0x2C, 0x09]
    /// How many lines are looked at.
    static let sampleLines = 50
    /// How many bytes are looked at, at most.
    static let sampleBytes = 64 * 1024

    /// The delimiter among `;`, `,` and TAB that best explains the first lines of `bytes` (from `start` on).
    ///
    /// Counts each candidate outside quotes on every non-blank line. A candidate that occurs equally often
    /// (and at least once) on every line is consistent; the first consistent candidate in the order `;`, `,`,
    /// TAB wins. Without a consistent one, the candidate found on the most lines wins, ties going the same
    /// way. A file with none of them (a single column) gets `;`.
    static func delimiter(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        let end = min(bytes.count, start + sampleBytes)
        var lines: [[Int]] = []
        var current = [0, 0, 0]
        var lineHasContent = false
        var inQuotes = false
        var i = start
        while i < end && lines.count < sampleLines {
            let byte = bytes[i]
            i += 1
            if byte == _CSVParser.quote {
                inQuotes.toggle()
                lineHasContent = true
            } else if inQuotes {
                continue
            } else if byte == _CSVParser.lineFeed || byte == _CSVParser.carriageReturn {
                if lineHasContent { lines.append(current) }
                current = [0, 0, 0]
                lineHasContent = false
            } else {
                lineHasContent = true
                if let k = candidates.firstIndex(of: byte) { current[k] += 1 }
            }
        }
        // A last line counts only when the sample holds all of it.
        if i == bytes.count && lineHasContent && !inQuotes && lines.count < sampleLines {
            lines.append(current)
        }
        guard !lines.isEmpty else { return candidates[0] }
        for k in candidates.indices {
            let first = lines[0][k]
            if first > 0 && lines.allSatisfy({ $0[k] == first }) { return candidates[k] }
        }
        var best = 0
        var bestLines = 0
        for k in candidates.indices {
            let present = lines.count(where: { $0[k] > 0 })
            if present > bestLines {
                best = k
                bestLines = present
            }
        }
        return candidates[best]
    }
}
