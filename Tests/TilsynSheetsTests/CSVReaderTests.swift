import Foundation
import Testing
import TilsynSheets

@Suite("CSV reader")
struct CSVReaderTests {
    typealias T = CSVTestSupport

    static let semicolon = CSVReadOptions(delimiter: UInt8(ascii: ";"))

    // MARK: - RFC 4180

    static let grammar: [(String, String, [[String]])] = [
        ("CRLF record ends", "a;b;c\r\n1;2;3\r\n", [["a", "b", "c"], ["1", "2", "3"]]),
        ("LF record ends", "a;b\n1;2\n", [["a", "b"], ["1", "2"]]),
        ("lone CR record ends", "a;b\r1;2\r", [["a", "b"], ["1", "2"]]),
        ("mixed record ends", "a\r\nb\nc\rd", [["a"], ["b"], ["c"], ["d"]]),
        ("last record without a line end", "a;b\n1;2", [["a", "b"], ["1", "2"]]),
        ("empty fields", ";;\n;x;\n", [["", "", ""], ["", "x", ""]]),
        ("trailing delimiter at the end", "a;", [["a", ""]]),
        ("quoted delimiter", "\"a;b\";c\n", [["a;b", "c"]]),
        ("doubled quotes", "\"say \"\"hej\"\"\";x\n", [["say \"hej\"", "x"]]),
        ("only doubled quotes", "\"\"\"\"\"\"\n", [["\"\""]]),
        ("CRLF inside quotes", "\"a\r\nb\";c\r\n", [["a\r\nb", "c"]]),
        ("LF inside quotes", "\"a\nb\";c\n", [["a\nb", "c"]]),
        ("CR inside quotes", "\"a\rb\";c\r", [["a\rb", "c"]]),
        ("empty quoted field", "\"\";\"\"\n", [["", ""]]),
        ("lone empty quoted field", "\"\"\n", [[""]]),
        ("quoted field at the end of input", "a;\"b\"", [["a", "b"]]),
        ("stray quote in an unquoted field", "ab\"c;d\"\n", [["ab\"c", "d\""]]),
        ("text after a closing quote", "\"ab\"c;d\n", [["abc", "d"]]),
        ("quote after a closing quote", "\"ab\"c\"d;e\n", [["abc\"d", "e"]]),
        ("spaces kept", " a ; b \n", [[" a ", " b "]]),
        ("blank line is a record without fields", "a\n\nb\n", [["a"], [], ["b"]]),
        ("blank CRLF line", "a\r\n\r\nb", [["a"], [], ["b"]]),
        ("empty input", "", []),
        ("UTF-8 text", "æøå;ÆØÅ;€\n", [["æøå", "ÆØÅ", "€"]]),
        (
            "long field crossing word boundaries",
            "abcdefghijklmnopqrstuvwxyz0123456789;\"abcdefghijklmnop\"\"qrstuvwxyz\"\n",
            [["abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnop\"qrstuvwxyz"]]),
    ]

    @Test("RFC 4180 grammar", arguments: grammar)
    func rfc4180(name: String, input: String, expected: [[String]]) throws {
        #expect(try T.fields(input, Self.semicolon) == expected, "\(name)")
    }

    @Test func recordsKnowTheLineTheyStartOn() throws {
        let reader = try CSVReader(bytes: Array("h1;h2\r\n\"multi\r\nline\nfield\";x\r\nlast;y".utf8), name: "t.csv")
        let records = try reader.readAll()
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records[1].fields == ["multi\r\nline\nfield", "x"])
    }

    @Test func nextHandsOutOneRecordAtATimeThenNil() throws {
        let reader = try CSVReader(bytes: Array("a;b\n1;2\n".utf8), name: "t.csv")
        #expect(try reader.next() == CSVRecord(line: 1, fields: ["a", "b"]))
        #expect(try reader.next() == CSVRecord(line: 2, fields: ["1", "2"]))
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test func forEachRecordSeesWhatReadAllSees() throws {
        let text = "id;tekst\r\n1;\"a;b\"\r\n2;\"x\"\"y\"\r\n\r\n3;\"ab\"c\r\n4;æøå"
        let expected = try CSVReader(bytes: Array(text.utf8), name: "t.csv").readAll()
        var seen: [CSVRecord] = []
        var byteCounts: [Int] = []
        try CSVReader(bytes: Array(text.utf8), name: "t.csv").forEachRecord { view in
            seen.append(CSVRecord(line: view.line, fields: Array(view)))
            byteCounts.append(view.indices.reduce(0) { $0 + view.utf8(at: $1).count })
        }
        #expect(seen == expected)
        #expect(byteCounts == expected.map { $0.fields.reduce(0) { $0 + $1.utf8.count } })
    }

    @Test func usingTheReaderInsideItsOwnCallbackIsAnError() throws {
        let reader = try CSVReader(bytes: Array("a\nb\n".utf8), name: "t.csv")
        var inner: SpreadsheetError?
        try reader.forEachRecord { _ in
            do { _ = try reader.next() } catch let error as SpreadsheetError { inner = error } catch {}
        }
        #expect(inner?.code == .invalidArgument)
    }

    // MARK: - Encoding

    @Test func utf8BOMIsRemoved() throws {
        let reader = try CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("navn;by\nÅse;Århus\n".utf8), name: "t.csv")
        #expect(reader.hadBOM)
        #expect(reader.encoding == .utf8)
        #expect(try reader.readAll().map(\.fields) == [["navn", "by"], ["Åse", "Århus"]])
    }

    @Test func noBOMIsReported() throws {
        let reader = try CSVReader(bytes: Array("a;b\n".utf8), name: "t.csv")
        #expect(!reader.hadBOM)
        #expect(reader.encoding == .utf8)
    }

    @Test func invalidUTF8FallsBackToWindows1252() throws {
        // What Danish Excel's "CSV (semikolonsepareret)" writes: æøåÆØÅ and € in Windows-1252.
        let bytes = Array("navn;beloeb\r\n".utf8)
        let body: [UInt8] = [0xE6, 0xF8, 0xE5, 0xC6, 0xD8, 0xC5, 0x3B, 0x80, 0x20, 0x35, 0x0D, 0x0A]
        let reader = try CSVReader(bytes: bytes + body, name: "t.csv")
        #expect(reader.encoding == .windows1252)
        #expect(!reader.hadBOM)
        let records = try reader.readAll()
        #expect(records.last?.fields == ["æøåÆØÅ", "€ 5"])
    }

    static let windows1252HighRange: [(UInt8, String)] = [
        (0x80, "\u{20AC}"), (0x81, "\u{81}"), (0x82, "\u{201A}"), (0x83, "\u{192}"), (0x84, "\u{201E}"),
        (0x85, "\u{2026}"), (0x86, "\u{2020}"), (0x87, "\u{2021}"), (0x88, "\u{2C6}"), (0x89, "\u{2030}"),
        (0x8A, "\u{160}"), (0x8B, "\u{2039}"), (0x8C, "\u{152}"), (0x8D, "\u{8D}"), (0x8E, "\u{17D}"),
        (0x8F, "\u{8F}"), (0x90, "\u{90}"), (0x91, "\u{2018}"), (0x92, "\u{2019}"), (0x93, "\u{201C}"),
        (0x94, "\u{201D}"), (0x95, "\u{2022}"), (0x96, "\u{2013}"), (0x97, "\u{2014}"), (0x98, "\u{2DC}"),
        (0x99, "\u{2122}"), (0x9A, "\u{161}"), (0x9B, "\u{203A}"), (0x9C, "\u{153}"), (0x9D, "\u{9D}"),
        (0x9E, "\u{17E}"), (0x9F, "\u{178}"), (0xA0, "\u{A0}"), (0xA7, "§"), (0xFF, "ÿ"),
    ]

    @Test("Windows-1252 bytes 0x80–0xFF", arguments: windows1252HighRange)
    func windows1252Table(byte: UInt8, expected: String) throws {
        let options = CSVReadOptions(delimiter: UInt8(ascii: ";"), encoding: .windows1252)
        let records = try T.fields([0x61, byte, 0x3B, 0x62], options)
        #expect(records == [["a" + expected, "b"]])
    }

    @Test func everyWindows1252ByteDecodesToOneCharacter() throws {
        let bytes = (0x20...0xFF).map { UInt8($0) }.filter { $0 != 0x22 && $0 != 0x3B }
        let reader = try CSVReader(
            bytes: bytes, name: "t.csv", options: .init(delimiter: UInt8(ascii: ";"), encoding: .windows1252))
        let field = try #require(try reader.readAll().first?.fields.first)
        #expect(field.unicodeScalars.count == bytes.count)
    }

    @Test func explicitWindows1252ReadsValidUTF8AsWindows1252() throws {
        #expect(try T.fields(Array("æ".utf8), .init(encoding: .windows1252)) == [["Ã¦"]])
    }

    @Test func explicitUTF8RejectsInvalidBytesNamingTheLine() throws {
        let error = try #require(T.readError(Array("ok\nok\n".utf8) + [0xE6], .init(encoding: .utf8)))
        #expect(error.code == .invalidCSV)
        #expect(error.line == 3)
        #expect(error.file == "test.csv")
        #expect(error.message.contains("Windows-1252"))
    }

    @Test func bomWithInvalidUTF8IsAnError() throws {
        let error = try #require(T.readError([0xEF, 0xBB, 0xBF] + Array("a\n".utf8) + [0xF8]))
        #expect(error.code == .invalidCSV)
        #expect(error.line == 2)
        #expect(error.message.contains("byte order mark"))
    }

    @Test(arguments: [
        [0xC0, 0x80] as [UInt8],  // overlong NUL
        [0xE0, 0x80, 0x80],  // overlong
        [0xED, 0xA0, 0x80],  // surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xC3],  // truncated
        [0xE2, 0x82],  // truncated
        [0x80],  // lone continuation
        [0xFF],
    ])
    func malformedUTF8IsRejected(sequence: [UInt8]) throws {
        let error = T.readError(Array("a;".utf8) + sequence, .init(encoding: .utf8))
        #expect(error?.code == .invalidCSV)
    }

    @Test func fourByteUTF8IsAccepted() throws {
        #expect(try T.fields("😀;𝄞\n", Self.semicolon) == [["😀", "𝄞"]])
    }

    // MARK: - Delimiter

    static let sniffing: [(String, String, UInt8)] = [
        ("semicolons", "a;b;c\n1;2;3\n", UInt8(ascii: ";")),
        ("commas", "a,b,c\n1,2,3\n", UInt8(ascii: ",")),
        ("tabs", "a\tb\tc\n1\t2\t3\n", UInt8(ascii: "\t")),
        ("decimal commas in a semicolon file", "sag;beløb\nS1;1,5\nS2;20\n", UInt8(ascii: ";")),
        ("semicolons inside quotes of a comma file", "a,b\n\"x;y\",2\n\"p;q\",3\n", UInt8(ascii: ",")),
        ("commas inside quotes of a semicolon file", "a;b\n\"x,y,z\";2\n", UInt8(ascii: ";")),
        ("tie goes to semicolon", "a;b,c\n1;2,3\n", UInt8(ascii: ";")),
        ("single column", "navn\nÅse\n", UInt8(ascii: ";")),
        ("ragged semicolon file", "a;b;c\n1;2\n1;2;3;4\nx,y;z\n", UInt8(ascii: ";")),
        ("ragged comma file", "a,b,c\n1,2\n1,2,3,4\n", UInt8(ascii: ",")),
        ("quoted line breaks do not split lines", "a,b\n\"x\n;y\",2\n", UInt8(ascii: ",")),
        ("blank lines are ignored", "a\tb\n\n1\t2\n", UInt8(ascii: "\t")),
    ]

    @Test("Delimiter sniffing", arguments: sniffing)
    func sniff(name: String, text: String, expected: UInt8) throws {
        let reader = try CSVReader(bytes: Array(text.utf8), name: "t.csv")
        #expect(reader.delimiter == expected, "\(name)")
    }

    @Test func sniffingSeesPastTheBOMAndWindows1252() throws {
        let utf8 = try CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8), name: "t.csv")
        #expect(utf8.delimiter == UInt8(ascii: ","))
        let latin = try CSVReader(bytes: [0xE6, 0x09, 0xF8, 0x0A, 0x31, 0x09, 0x32], name: "t.csv")
        #expect(latin.delimiter == UInt8(ascii: "\t"))
        #expect(try latin.readAll().map(\.fields) == [["æ", "ø"], ["1", "2"]])
    }

    @Test func explicitDelimiterWins() throws {
        #expect(try T.fields("a;b,c\n", .init(delimiter: UInt8(ascii: ","))) == [["a;b", "c"]])
    }

    @Test(arguments: [UInt8(ascii: "\""), 0x0A, 0x0D, 0x00, 0xE6])
    func unusableDelimitersAreRejected(delimiter: UInt8) throws {
        #expect(T.readError(Array("a".utf8), .init(delimiter: delimiter))?.code == .invalidArgument)
    }

    // MARK: - Errors and limits

    @Test func unterminatedQuoteNamesTheLineWhereTheFieldStarts() throws {
        let error = try #require(T.readError(Array("a;b\n1;\"hemmelig\nmere tekst\n".utf8)))
        #expect(error.code == .invalidCSV)
        #expect(error.file == "test.csv")
        #expect(error.line == 2)
        #expect(error.message.contains("closing quote"))
        #expect(!error.description.contains("hemmelig"))
        #expect(error.description.hasPrefix("test.csv: line 2: "))
    }

    @Test func nulBytesAreRejectedWithTheirLine() throws {
        let error = try #require(T.readError(Array("a;b\r\nc;d\r\ne".utf8) + [0, 0x66]))
        #expect(error.code == .invalidCSV)
        #expect(error.line == 3)
        #expect(error.message.contains("NUL"))
    }

    @Test(arguments: [[0xFF, 0xFE, 0x61, 0x00] as [UInt8], [0xFE, 0xFF, 0x00, 0x61]])
    func utf16IsRejected(bytes: [UInt8]) throws {
        let error = try #require(T.readError(bytes))
        #expect(error.code == .invalidCSV)
        #expect(error.message.contains("UTF-16"))
    }

    @Test func fieldSizeLimit() throws {
        let options = CSVReadOptions(delimiter: UInt8(ascii: ";"), maxFieldSize: 8)
        #expect(try T.fields("12345678;\"12345678\"\n", options) == [["12345678", "12345678"]])
        let plain = try #require(T.readError(Array("ok\n123456789\n".utf8), options))
        #expect(plain.code == .invalidCSV)
        #expect(plain.line == 2)
        #expect(plain.message.contains("larger than 8 bytes"))
        let quoted = try #require(T.readError(Array("ok\nx;\"12\n3456789\"\n".utf8), options))
        #expect(quoted.line == 2)
        let escaped = try #require(T.readError(Array("\"1234\"\"5678\"\n".utf8), options))
        #expect(escaped.line == 1)
    }

    @Test func fieldCountLimit() throws {
        let options = CSVReadOptions(delimiter: UInt8(ascii: ";"), maxFieldsPerRecord: 3)
        #expect(try T.fields("a;b;c\n", options) == [["a", "b", "c"]])
        let error = try #require(T.readError(Array("a;b;c\na;b;c;d\n".utf8), options))
        #expect(error.code == .invalidCSV)
        #expect(error.line == 2)
        #expect(error.message.contains("more than 3 fields"))
    }

    @Test func fieldCountDefaultIs16384() throws {
        let wide = String(repeating: ";", count: 16_383)
        #expect(try T.fields(wide, Self.semicolon).first?.count == 16_384)
        #expect(T.readError(Array((wide + ";").utf8), Self.semicolon)?.code == .invalidCSV)
    }

    @Test func fileSizeLimit() throws {
        let error = try #require(T.readError(Array("a;b\n".utf8), .init(maxFileSize: 3)))
        #expect(error.code == .invalidCSV)
        #expect(error.message.contains("split it"))
    }

    @Test func errorsNeverShowFieldContents() throws {
        let secret = "010203-1234"
        let inputs: [[UInt8]] = [
            Array("x;\"\(secret)".utf8),
            Array("\(secret)\(secret)".utf8),
            Array("\(secret);\(secret);\(secret)".utf8),
            Array("\(secret)".utf8) + [0],
        ]
        let options = CSVReadOptions(delimiter: UInt8(ascii: ";"), maxFieldSize: 15, maxFieldsPerRecord: 2)
        for input in inputs {
            let error = try #require(T.readError(input, options))
            #expect(!error.description.contains(secret))
        }
    }

    // MARK: - Files

    @Test func readsAFileByPath() throws {
        let folder = try T.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/sager.csv"
        let contents = [0xEF, 0xBB, 0xBF] + Array("sag;dato\r\nS-1;01-02-2025\r\n".utf8)
        try Data(contents).write(to: URL(fileURLWithPath: path))
        let reader = try CSVReader(path: path)
        #expect(reader.name == path)
        #expect(try reader.readAll().map(\.fields) == [["sag", "dato"], ["S-1", "01-02-2025"]])

        let error = try #require(throws: SpreadsheetError.self) {
            try CSVReader(path: path, options: .init(maxFileSize: 4))
        }
        #expect(error.code == .invalidCSV)
        #expect(error.file == path)

        let unterminated = folder + "/brudt.csv"
        try Data("a;\"b\n".utf8).write(to: URL(fileURLWithPath: unterminated))
        let parseError = try #require(throws: SpreadsheetError.self) { try CSVReader(path: unterminated).readAll() }
        #expect(parseError.file == unterminated)
        #expect(parseError.line == 1)
    }

    @Test func missingFileIsUnreadable() throws {
        let error = try #require(throws: SpreadsheetError.self) { try CSVReader(path: "/nonexistent/tilsyn.csv") }
        #expect(error.code == .fileUnreadable)
    }

    /// A file above the huge-page threshold (its buffer is advised to use huge pages) reads byte for byte.
    @Test func largeFileReadsWhole() throws {
        let folder = try T.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/large.csv"
        var text = "sagsnummer;svar;bemærkning\r\n"
        for row in 0..<400_000 { text += "S-\(row);Ja;\"æøå; \(row % 97)\"\r\n" }
        let bytes = Array(text.utf8)
        #expect(bytes.count > 8 << 20)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try CSVReader(path: path)
        var records = 0
        var last: [String] = []
        try reader.forEachRecord { view in
            records += 1
            last = view.strings
        }
        #expect(records == 400_001)
        #expect(last == ["S-399999", "Ja", "æøå; \(399_999 % 97)"])
    }
}
