import Foundation
import PropertyBased
import Testing
import TilsynSheets
import TilsynTestSupport

/// The windowed reader reads what the whole-file reader reads, record for record and line for line, whatever the
/// window's size; files it does not serve are left to the whole-file reader.
@Suite struct CSVFileReaderTests {
    /// Characters that stress a window's edges: quotes, both line ends apart and together, and two-, three- and
    /// four-byte UTF-8.
    static let character = Gen<Character?>
        .element(of: Array("ab ;,\"æø€😀") + ["\r", "\n", "\r\n"] as [Character])
        .map { $0 ?? "a" }

    static func records(_ source: any CSVRecordSource) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try source.next() { records.append(record) }
        return records
    }

    static func write(_ bytes: [UInt8], in directory: TemporaryDirectory) throws -> String {
        let path = directory.path("input.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func anyWindowReadsWhatTheWholeFileReaderReads() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let lines = Self.character.string(of: 0...40).array(of: 1...12)
        // The window's size, and whether the file has a byte order mark (bit 0) and a last line end (bit 1).
        await propertyCheck(count: 300, input: lines, Gen.int(in: 1...48), Gen.int(in: 0...3)) { lines, window, form in
            var text = lines.joined(separator: "\r\n")
            if form & 2 != 0 { text += "\n" }
            let bytes = (form & 1 != 0 ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
            let path = try Self.write(bytes, in: directory)
            let whole = try? Self.records(CSVReader(bytes: bytes, name: path))
            let reader = try #require(try CSVFileReader.open(path: path, window: window))
            let windowed = try? Self.records(reader)
            #expect(windowed == whole, "window \(window)")
            guard let whole else { return }
            // Again after a rewind, through views, every byte seen once and in order.
            var seen: [UInt8] = []
            reader.observe = { offset, bytes in
                #expect(offset == seen.count)
                seen.append(contentsOf: bytes)
            }
            reader.rewind()
            var viewed: [CSVRecord] = []
            try reader.forEachRecord { viewed.append(CSVRecord(line: $0.line, fields: $0.strings)) }
            #expect(viewed == whole)
            #expect(seen == bytes)
            #expect(reader.delimiter == (try CSVReader(bytes: bytes, name: path)).delimiter)
        }
    }

    /// A malformed file fails with the same error and line as when read whole.
    @Test func aQuoteNeverClosedFailsOnItsLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let bytes = Array("a;b\r\nc;\"d\r\ne;f\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 100)
        let path = try Self.write(bytes, in: directory)
        let reader = try #require(try CSVFileReader.open(path: path, window: 8))
        let expected = #expect(throws: SpreadsheetError.self) { try Self.records(CSVReader(bytes: bytes, name: path)) }
        let error = #expect(throws: SpreadsheetError.self) { try Self.records(reader) }
        #expect(error?.description == expected?.description)
        #expect(error?.line == 2)
    }

    /// Windows-1252, NUL bytes, UTF-16 and another encoding asked for are the whole-file reader's.
    @Test(arguments: [
        ([0x61, 0x3B, 0xE6, 0x0A], nil), ([0x61, 0x00, 0x62], nil), ([0xFF, 0xFE, 0x61, 0x00], nil),
        (Array("a;b\n".utf8), CSVEncoding.windows1252),
    ] as [([UInt8], CSVEncoding?)])
    func otherFilesAreLeftToTheWholeFileReader(bytes: [UInt8], encoding: CSVEncoding?) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = try Self.write(bytes, in: directory)
        #expect(try CSVFileReader.open(path: path, options: CSVReadOptions(encoding: encoding)) == nil)
    }
}
