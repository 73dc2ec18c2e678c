/// The first place of each case, level and round in a file, to report a review that repeats one: kept as bytes,
/// about 40 per review, because a long CSV file has tens of thousands of reviews and a dictionary of keys and places
/// held about 280 for each, its storage and its resizing counted (7 MiB at 25,000 reviews: the file's whole growth
/// in memory).
///
/// Exact: a key is found only when its bytes equal a stored key's, never by its hash alone.
package struct ReviewPlaces {
    /// The entries one after another: the key's length, the key (the case number's, the round's and the kommune's
    /// lengths and UTF-8, the level), then the place (the sheet's and the cell's lengths and UTF-8); numbers as LEB128.
    private var bytes: [UInt8] = []
    /// Where each entry starts in `bytes`.
    private var starts: [Int] = []
    /// Open addressing, at most half full: 0 is empty, otherwise an entry's index plus one.
    private var table = [UInt32](repeating: 0, count: 64)
    /// The key being looked up, encoded (kept to reuse its storage).
    private var probe: [UInt8] = []

    package init() {}

    /// How many keys are kept.
    package var count: Int { starts.count }

    /// Keeps `place` for `key` unless the key is kept already; then returns the place kept for it.
    package mutating func insert(_ key: ReviewKey, at place: Provenance) -> Provenance? {
        probe.removeAll(keepingCapacity: true)
        ReviewPlaces.append(key.caseNumber, to: &probe)
        ReviewPlaces.append(key.round, to: &probe)
        ReviewPlaces.append(key.kommune, to: &probe)
        ReviewPlaces.append(UInt64(bitPattern: Int64(key.level)), to: &probe)
        let hash = ReviewPlaces.hash(probe[...])
        var slot = hash & (table.count - 1)
        while table[slot] != 0 {
            let entry = Int(table[slot]) - 1
            if storedKey(entry).elementsEqual(probe) { return storedPlace(entry) }
            slot = (slot + 1) & (table.count - 1)
        }
        table[slot] = UInt32(starts.count + 1)
        starts.append(bytes.count)
        ReviewPlaces.append(UInt64(probe.count), to: &bytes)
        bytes.append(contentsOf: probe)
        ReviewPlaces.append(place.sheet, to: &bytes)
        ReviewPlaces.append(place.cell, to: &bytes)
        if starts.count * 2 > table.count { grow() }
        return nil
    }

    /// The stored key of entry `entry`.
    private func storedKey(_ entry: Int) -> ArraySlice<UInt8> {
        let (length, start) = ReviewPlaces.number(in: bytes, at: starts[entry])
        return bytes[start..<(start + Int(length))]
    }

    /// The stored place of entry `entry`.
    private func storedPlace(_ entry: Int) -> Provenance {
        let sheet = ReviewPlaces.text(in: bytes, at: storedKey(entry).endIndex)
        let cell = ReviewPlaces.text(in: bytes, at: sheet.end)
        return Provenance(sheet: sheet.text, cell: cell.text)
    }

    /// Doubles the table and places every entry again.
    private mutating func grow() {
        table = [UInt32](repeating: 0, count: table.count * 2)
        for entry in starts.indices {
            var slot = ReviewPlaces.hash(storedKey(entry)) & (table.count - 1)
            while table[slot] != 0 { slot = (slot + 1) & (table.count - 1) }
            table[slot] = UInt32(entry + 1)
        }
    }

    private static func hash(_ key: ArraySlice<UInt8>) -> Int {
        var hasher = Hasher()
        key.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }

    private static func append(_ number: UInt64, to bytes: inout [UInt8]) {
        var rest = number
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        append(UInt64(text.utf8.count), to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    /// The number at `start` and where the bytes after it start.
    private static func number(in bytes: [UInt8], at start: Int) -> (number: UInt64, end: Int) {
        var number: UInt64 = 0
        var shift: UInt64 = 0
        var index = start
        while true {
            let byte = bytes[index]
            index += 1
            number |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return (number, index) }
            shift += 7
        }
    }

    private static func text(in bytes: [UInt8], at start: Int) -> (text: String, end: Int) {
        let (length, textStart) = number(in: bytes, at: start)
        let end = textStart + Int(length)
        return (String(decoding: bytes[textStart..<end], as: UTF8.self), end)
    }
}
