import Testing

@testable import TilsynSheets

/// Reading with the second half parsed on another core gives exactly what reading in order gives: the same
/// records, fields and lines, and the same error on the same line, whatever the quotes do around the split.
@Suite("CSV: the second half on another core")
struct CSVParallelTests {
    /// SplitMix64: deterministic documents for every run.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// A document of fields that are plain, quoted (with doubled quotes, delimiters and line breaks), with a
    /// stray quote or text after the closing quote, blank lines and LF, CRLF or CR line ends; now and then an
    /// unclosed quote. Only odd seeds have stray quotes, which make the split a wrong guess.
    static func document(seed: UInt64) -> [UInt8] {
        var random = Generator(state: seed)
        let pieces = ["ja", "Nej", "æøå", "12,5", "", "x y", "B.2", "Ikke relevant"]
        let lineEnds = ["\n", "\n", "\n", "\r\n", "\r"]
        var text = ""
        for _ in 0..<(20 + random.next(200)) {
            if random.next(25) == 0 { text += "\n"; continue }
            for field in 0..<(1 + random.next(6)) {
                if field > 0 { text += ";" }
                switch random.next(10) {
                case 0: text += "\"\(pieces[random.next(pieces.count)]);\"\"citat\"\"\nlinje\""
                case 1: text += "\"\(pieces[random.next(pieces.count)])\r\n\""
                case 2: text += seed % 2 == 1 ? "ab\"c" : "abc"
                case 3: text += "\"ab\"c"
                default: text += pieces[random.next(pieces.count)]
                }
            }
            text += lineEnds[random.next(lineEnds.count)]
        }
        if random.next(8) == 0 { text += "\"aldrig lukket\nmere" }
        return Array(text.utf8)
    }

    static func read(_ bytes: [UInt8], parallelFromBytes: Int) -> (records: [CSVRecord], error: String?) {
        var records: [CSVRecord] = []
        do {
            let options = CSVReadOptions(delimiter: UInt8(ascii: ";"), parallelFromBytes: parallelFromBytes)
            let reader = try CSVReader(bytes: bytes, name: "data.csv", options: options)
            try reader.forEachRecord { records.append(CSVRecord(line: $0.line, fields: $0.strings)) }
            return (records, nil)
        } catch {
            return (records, "\(error)")
        }
    }

    @Test("same records, lines and errors as reading in order", arguments: 0..<400)
    func sameAsInOrder(seed: Int) {
        let bytes = Self.document(seed: UInt64(seed))
        let inOrder = Self.read(bytes, parallelFromBytes: .max)
        let split = Self.read(bytes, parallelFromBytes: 1)
        #expect(split.records == inOrder.records)
        #expect(split.error == inOrder.error)
    }

    /// The documents above do exercise the second half: most without stray quotes are split and read so.
    @Test func mostDocumentsWithoutStrayQuotesAreSplit() {
        var split = 0
        for seed in stride(from: 0, to: 400, by: 2) {
            let bytes = Self.document(seed: UInt64(seed))
            let parser = _CSVParser(
                delimiter: UInt8(ascii: ";"), maxFieldSize: 1 << 20, maxFieldCount: 100, name: "d.csv", position: 0)
            defer { parser.deallocate() }
            let used = bytes.withUnsafeBufferPointer { buffer -> Bool in
                guard let speculative = _CSVSpeculativeParser(buffer: buffer, position: 0, like: parser, minimumBytes: 1)
                else { return false }
                return speculative.forEachRecord(fromLine: 1) { _ in } != nil
            }
            if used { split += 1 }
        }
        #expect(split >= 150, "\(split) of 200 documents split")
    }

    @Test func aWellFormedFileIsSplitAtARecordStart() throws {
        var text = "sagsnummer;svar;bemærkning\n"
        for row in 0..<2_000 { text += "S-\(row);Ja;\"linje 1\nlinje \"\"2\"\"\"\n" }
        let bytes = Array(text.utf8)
        let parser = _CSVParser(
            delimiter: UInt8(ascii: ";"), maxFieldSize: 1 << 20, maxFieldCount: 100, name: "data.csv", position: 0)
        defer { parser.deallocate() }
        try bytes.withUnsafeBufferPointer { buffer in
            let speculative = try #require(
                _CSVSpeculativeParser(buffer: buffer, position: 0, like: parser, minimumBytes: 1))
            // The split lands after a record's line feed, never inside the quoted two-line remark.
            let before = String(decoding: buffer[..<speculative.split], as: UTF8.self)
            #expect(before.hasSuffix("\"\n"))
            var records = 0
            let next = speculative.forEachRecord(fromLine: 1) { _ in records += 1 }
            #expect(next != nil)
            #expect(records > 0 && records < 2_001)
        }
        let inOrder = Self.read(bytes, parallelFromBytes: .max)
        let split = Self.read(bytes, parallelFromBytes: 1)
        #expect(inOrder.records.count == 2_001)
        #expect(split.records == inOrder.records)
    }
}
