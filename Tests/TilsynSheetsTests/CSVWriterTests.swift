import Foundation
import PropertyBased
import Testing
@testable import TilsynSheets

@Suite("CSV writer")
struct CSVWriterTests {
    typealias T = CSVTestSupport

    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The output of writing `rows` as text (the byte order mark removed).
    static func text(_ rows: [[CSVValue]], _ options: CSVWriteOptions = .init()) throws -> String {
        var bytes = try CSVWriter.encode(rows, options: options)
        if bytes.starts(with: bom) { bytes.removeFirst(3) }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Dialects

    @Test func excelDAIsUTF8WithBOMSemicolonsCRLF() throws {
        let bytes = try CSVWriter.encode([[.text("sag"), .text("beløb")], [.text("S-1"), .number(1234.5)]])
        #expect(bytes.starts(with: Self.bom))
        #expect(Array(bytes.dropFirst(3)) == Array("sag;beløb\r\nS-1;1234,5\r\n".utf8))
    }

    @Test func rfc4180IsCommasLFDecimalPointNoBOM() throws {
        let bytes = try CSVWriter.encode(
            [[.text("sag"), .text("beløb")], [.text("S-1"), .number(1234.5)]], options: .init(dialect: .rfc4180))
        #expect(bytes == Array("sag,beløb\nS-1,1234.5\n".utf8))
    }

    @Test func emptyOutputHasOnlyTheBOM() throws {
        #expect(try CSVWriter.encode([]) == Self.bom)
        #expect(try CSVWriter.encode([], options: .init(dialect: .rfc4180)) == [])
    }

    // MARK: - Values

    static let numbers: [(Double, String)] = [
        (1.5, "1,5"), (-2.5, "-2,5"), (100, "100"), (1234567.25, "1234567,25"), (0, "0"), (-0.0, "0"),
        (0.1, "0,1"), (0.1 + 0.2, "0,30000000000000004"), (1e-05, "0,00001"), (1.5e-7, "0,00000015"),
        (1e16, "10000000000000000"), (1.2345678901234568e20, "123456789012345680000"), (1e21, "1E+21"),
        (1.5e300, "1,5E+300"), (-2.5e-300, "-2,5E-300"), (Double.leastNonzeroMagnitude, "5E-324"),
        (1e-20, "0,00000000000000000001"),
        (Double.greatestFiniteMagnitude, "1,7976931348623157E+308"), (2.0 / 3.0, "0,6666666666666666"),
    ]

    @Test("Numbers in excelDA", arguments: numbers)
    func numberExcelDA(value: Double, expected: String) throws {
        #expect(try Self.text([[.number(value), .text("x")]]) == expected + ";x\r\n")
    }

    @Test("Numbers in rfc4180", arguments: numbers)
    func numberRFC4180(value: Double, expected: String) throws {
        let text = try Self.text([[.number(value)]], .init(dialect: .rfc4180))
        #expect(text == expected.replacingOccurrences(of: ",", with: ".") + "\n")
    }

    @Test func numbersReadBackAsTheSameDouble() async throws {
        await propertyCheck(count: 300, input: Gen.double(in: -1e25...1e25)) { value in
            let text = try Self.text([[.number(value)]], .init(dialect: .rfc4180))
            #expect(Double(text.dropLast()) == value)
            let danish = try Self.text([[.number(value)]])
            #expect(Double(danish.dropLast(1).replacingOccurrences(of: ",", with: ".")) == value)
            #expect(!danish.contains("."))
        }
        for exponent in -330...310 {
            let value = 1.2345678901234567 * pow(10, Double(exponent))
            guard value.isFinite, value != 0 else { continue }
            let text = try Self.text([[.number(value)]], .init(dialect: .rfc4180))
            #expect(Double(text.dropLast()) == value, "exponent \(exponent): \(text)")
        }
    }

    /// What `appendNumber` writes (with its shortcuts for whole numbers and for plain decimals) and what moving
    /// the point in `description` writes.
    static func numberBothWays(_ value: Double) -> (written: String, movingThePoint: String) {
        var written = ByteBuffer(capacity: 4)
        var moved = ByteBuffer(capacity: 4)
        defer {
            written.free()
            moved.free()
        }
        CSVWriter.appendNumber(value, decimalSeparator: 0x2C, to: &written)
        CSVWriter.appendNumberMovingThePoint(value.description, decimalSeparator: 0x2C, to: &moved)
        return (written.string, moved.string)
    }

    @Test("the shortcuts for whole numbers and plain decimals write what moving the point writes")
    func numberShortcutsAgree() async throws {
        await propertyCheck(count: 400, input: Gen.double(in: 0...1), Gen.int(in: -8...18), Gen.bool) {
            fraction, exponent, negative in
            let value = (negative ? -1 : 1) * (fraction + 0.5) * pow(10, Double(exponent))
            let both = Self.numberBothWays(value)
            #expect(both.written == both.movingThePoint, "\(value)")
            // Zero is written "0" before either way is taken.
            let whole = value.rounded(.towardZero)
            guard whole != 0 else { return }
            let wholeBoth = Self.numberBothWays(whole)
            #expect(wholeBoth.written == wholeBoth.movingThePoint, "\(whole)")
        }
        // The edges of both shortcuts: 2^53 and its neighbours, 1e-4 and its neighbours, the largest integers.
        let edges: [Double] = [
            9_007_199_254_740_992, 9_007_199_254_740_991, 9_007_199_254_740_994, 0.0001, 0.0001.nextUp,
            0.0001.nextDown, 1e15, 1e16, 1e15 + 0.5, 4_503_599_627_370_495.5, -1, 1, 0.5, -0.0001.nextDown,
        ]
        for value in edges {
            let both = Self.numberBothWays(value)
            #expect(both.written == both.movingThePoint, "\(value)")
        }
    }

    @Test("fractions of up to 15 digits and 6 decimals are written from their digits as description writes them")
    func shortDecimalsAgree() async {
        // n / 10^k for n of any length up to 15 digits, small ones as often as large ones.
        await propertyCheck(
            count: 1_000, input: Gen.int(in: 1...999_999_999_999_999), Gen.int(in: 1...15), Gen.int(in: 1...7),
            Gen.bool
        ) { number, length, decimals, negative in
            let digits = number % Int(pow(10, Double(length))) + 1
            let value = (negative ? -1 : 1) * Double(digits) / pow(10, Double(decimals))
            let both = Self.numberBothWays(value)
            #expect(both.written == both.movingThePoint, "\(value)")
        }
        let edges: [Double] = [
            0.000001, 0.00005, -0.00012, 999_999_999.999999, 99_999_999_999_999.9, 0.1 + 0.2, 1e-7, 123.456,
            -1_234_567.89, 0.5, 1e15 - 0.5, 1e14 + 0.25,
        ]
        for value in edges {
            let both = Self.numberBothWays(value)
            #expect(both.written == both.movingThePoint, "\(value)")
        }
        // Which values the shortcut takes: decimals it can show in 15 digits, not the 17 of 0.1 + 0.2.
        var taken = ByteBuffer(capacity: 32)
        defer { taken.free() }
        #expect(CSVWriter.appendShortDecimal(-1_234_567.89, decimalSeparator: 0x2C, to: &taken))
        #expect(taken.string == "-1234567,89")
        #expect(!CSVWriter.appendShortDecimal(0.1 + 0.2, decimalSeparator: 0x2C, to: &taken))
        #expect(!CSVWriter.appendShortDecimal(1e-7, decimalSeparator: 0x2C, to: &taken))
        #expect(taken.string == "-1234567,89")
    }

    static func numberText(_ value: Double) -> String? {
        var text = NumberText()
        value.write(to: &text)
        return text.withBytes { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test("a finite number's text taken from the standard library's stream is its description, byte for byte")
    func numberTextIsTheDescription() async {
        // Any finite bit pattern, every magnitude and subnormals included (the writer refuses NaN and infinities
        // before it formats a number; the stream spells a NaN's payload, which `description` does not).
        await propertyCheck(count: 1_000, input: Gen.int(in: Int.min...Int.max)) { bits in
            let value = Double(bitPattern: UInt64(bitPattern: Int64(bits)))
            guard value.isFinite else { return }
            #expect(Self.numberText(value) == value.description)
        }
        let edges: [Double] = [
            .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            -0.0, 0.0001, 1e21, 1e22, 0.1 + 0.2, -2.2250738585072014e-308,
        ]
        for value in edges { #expect(Self.numberText(value) == value.description, "\(value)") }
    }

    @Test("digits are written as String writes them, zero-padded to the width asked for")
    func digitsArePaddedToTheWidth() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...Int.max), Gen.int(in: 0...6), Gen.int(in: 1...20)) {
            value, width, digits in
            // Small values as often as large ones: the shortcut takes values below 10,000 and widths up to 4.
            let number = value % Int(pow(10, Double(min(digits, 18))))
            // From the smallest buffer (16 bytes), so that the longest digit runs also make it grow.
            var written = ByteBuffer(capacity: 1)
            defer { written.free() }
            written.appendDigits(number, width: width)
            let plain = String(number)
            #expect(written.string == String(repeating: "0", count: max(0, width - plain.count)) + plain)
        }
    }

    @Test("the writer's byte buffer holds what an array given the same appends and cuts holds")
    func byteBufferActsAsAnArray() async {
        // Each step: a byte, a run of bytes, a sequence, or a cut to a length; from the smallest buffer, so that
        // it grows many times over.
        let step = Gen.int(in: 0...3).array(of: 1...60)
        await propertyCheck(count: 300, input: step, Gen.int(in: 0...255)) { kinds, seed in
            var buffer = ByteBuffer(capacity: 1)
            defer { buffer.free() }
            var model: [UInt8] = []
            for (index, kind) in kinds.enumerated() {
                let byte = UInt8((seed + index * 37) % 256)
                let run = [UInt8](repeating: byte, count: (seed + index) % 40)
                switch kind {
                case 0:
                    buffer.append(byte)
                    model.append(byte)
                case 1:
                    run.withUnsafeBufferPointer { buffer.append($0) }
                    model.append(contentsOf: run)
                case 2:
                    buffer.append(contentsOf: run.reversed())
                    model.append(contentsOf: run.reversed())
                default:
                    let length = (seed * index) % (model.count + 3)
                    buffer.truncate(to: length)
                    model.removeSubrange(min(length, model.count)...)
                }
                #expect(Array(buffer.bytes) == model)
            }
        }
    }

    @Test func integersBooleansDatesAndEmpty() throws {
        let row: [CSVValue] = [
            .integer(-42), .integer(Int.max), .bool(true), .bool(false), .date(year: 2025, month: 3, day: 7),
            .dateTime(year: 2024, month: 12, day: 31, hour: 9, minute: 5, second: 0), .empty,
            .date(year: 987, month: 1, day: 2),
        ]
        #expect(try Self.text([row]) == "-42;9223372036854775807;SAND;FALSK;07-03-2025;31-12-2024 09:05:00;;02-01-0987\r\n")
        #expect(
            try Self.text([row], .init(dialect: .rfc4180))
                == "-42,9223372036854775807,true,false,07-03-2025,31-12-2024 09:05:00,,02-01-0987\n")
    }

    @Test(arguments: [
        (0, "0"), (7, "7"), (-1, "-1"), (1000, "1000"), (Int.max, "9223372036854775807"),
        (Int.min, "-9223372036854775808"),
    ])
    func integers(value: Int, expected: String) throws {
        #expect(try Self.text([[.integer(value)]]) == expected + "\r\n")
        #expect(try Self.text([[.integer(value)]], .init(dialect: .rfc4180)) == expected + "\n")
    }

    @Test(arguments: [
        CSVValue.number(.nan), .number(.infinity), .number(-.infinity), .date(year: 2023, month: 2, day: 29),
        .date(year: 2025, month: 13, day: 1), .date(year: 0, month: 1, day: 1), .date(year: 2025, month: 4, day: 31),
        .dateTime(year: 2025, month: 1, day: 1, hour: 24, minute: 0, second: 0),
        .dateTime(year: 2025, month: 1, day: 1, hour: 0, minute: 60, second: 0),
        .dateTime(year: 2025, month: 1, day: 1, hour: 0, minute: 0, second: -1),
    ])
    func invalidValuesRejectTheRowAndNameTheCell(value: CSVValue) throws {
        let writer = CSVWriter(options: .init(dialect: .rfc4180))
        try writer.writeRow(["a", "b"])
        let error = try #require(throws: SpreadsheetError.self) { try writer.writeRow([.text("ok"), value]) }
        #expect(error.code == .invalidArgument)
        #expect(error.cell == "B2")
        // The rejected row left nothing behind and the writer goes on.
        try writer.writeRow(["c", "d"])
        try writer.finish()
        #expect(writer.bytes == Array("a,b\nc,d\n".utf8))
        #expect(writer.rowCount == 2)
    }

    @Test func leapDayExists() throws {
        #expect(try Self.text([[.date(year: 2024, month: 2, day: 29), .date(year: 2000, month: 2, day: 29)]])
            == "29-02-2024;29-02-2000\r\n")
        #expect(throws: SpreadsheetError.self) { try Self.text([[.date(year: 1900, month: 2, day: 29)]]) }
    }

    // MARK: - Quoting

    static let quoting: [(String, String, String)] = [
        ("plain", "abc", "abc"),
        ("delimiter", "a;b", "\"a;b\""),
        ("quote", "say \"hej\"", "\"say \"\"hej\"\"\""),
        ("LF", "a\nb", "\"a\nb\""),
        ("CR", "a\rb", "\"a\rb\""),
        ("CRLF", "a\r\nb", "\"a\r\nb\""),
        ("comma is not special in excelDA", "1,5", "1,5"),
        ("apostrophe is not special", "it's", "it's"),
        ("Danish letters", "æøå ÆØÅ €", "æøå ÆØÅ €"),
        ("empty", "", ""),
    ]

    @Test("Quoting in excelDA", arguments: quoting)
    func quotingExcelDA(name: String, text: String, expected: String) throws {
        #expect(try Self.text([[.text(text), .text("z")]]) == expected + ";z\r\n", "\(name)")
    }

    @Test func commaIsQuotedInRFC4180() throws {
        #expect(try Self.text([[.text("1,5"), .text("a;b")]], .init(dialect: .rfc4180)) == "\"1,5\",a;b\n")
    }

    @Test func loneEmptyFieldIsQuotedAndEmptyRowIsABlankLine() throws {
        #expect(try Self.text([[.empty], [.text("")], [], [.empty, .empty]]) == "\"\"\r\n\"\"\r\n\r\n;\r\n")
        let back = try T.fields(try CSVWriter.encode([[.empty], [], [.empty, .empty]]))
        #expect(back == [[""], [], ["", ""]])
    }

    // MARK: - Formula guard

    static let formulas: [(String, String)] = [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"), ("+45 12345678", "'+45 12345678"), ("-5", "'-5"),
        ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "\"'\rx\""), ("=1;2", "\"'=1;2\""),
        ("a=b", "a=b"), (" =x", " =x"), ("'=x", "'=x"),
    ]

    @Test("Formula guard", arguments: formulas)
    func formulaGuard(text: String, expected: String) throws {
        #expect(try Self.text([[.text(text)]]) == expected + "\r\n")
        let unguarded = try Self.text([[.text(text)]], .init(guardFormulas: false))
        #expect(try T.fields(unguarded, .init(delimiter: UInt8(ascii: ";"))) == [[text]])
    }

    @Test func numbersAreNeverGuarded() throws {
        #expect(try Self.text([[.number(-1.5), .integer(-3), .text("-3")]]) == "-1,5;-3;'-3\r\n")
    }

    // MARK: - Round trip

    /// Characters that stress CSV: both delimiters, tab, quotes, line breaks, formula starters, Danish letters.
    static let trickyCharacter = Gen<Character?>
        .element(of: Array("ab1 ;,\t\"'=+-@æøåÆØÅ€§") + ["\r", "\n", "\r\n"] as [Character])
        .map { $0 ?? "a" }

    /// A cell value of every kind from a drawn kind, text and number: texts and error codes (empty ones included),
    /// whole and fractional numbers, truth values, dates, times and date-times of any serial.
    static func cellValue(_ kind: Int, _ text: String, _ number: Double) -> CellValue {
        switch kind {
        case 0: .string(text)
        case 1: .string("")
        case 2: .error(text.isEmpty ? "#N/A" : "#" + text)
        case 3: .number(number)
        case 4: .number(number.rounded())
        case 5: .bool(number < 0)
        case 6: .date(ExcelDateTime(serial: abs(number).truncatingRemainder(dividingBy: 80_000).rounded(), kind: .date))
        case 7: .date(ExcelDateTime(serial: abs(number).truncatingRemainder(dividingBy: 1), kind: .time))
        default: .date(ExcelDateTime(serial: abs(number).truncatingRemainder(dividingBy: 80_000), kind: .dateTime))
        }
    }

    @Test("text is quoted exactly when a byte of it is the delimiter, a quote or a line break, wherever it stands")
    func quotingIsFoundEightBytesAtATime() async {
        // Any bytes (those at and above 0x80 and their neighbours included), most of them never special, at any
        // length and any offset from the start of the chunks.
        let byte = Gen.int(in: 0...255).map { UInt8($0) }
        await propertyCheck(count: 500, input: byte.array(of: 0...40), Gen.int(in: 0...40), Gen.int(in: 0...4)) {
            drawn, offset, special in
            let delimiter: UInt8 = offset % 2 == 0 ? 0x2C : 0x3B
            let specials: [UInt8] = [delimiter, 0x22, 0x0A, 0x0D]
            // Text without a special byte, and then (unless `special` is 0) one of them put at a drawn place.
            var bytes = drawn.map { specials.contains($0) ? 0x41 : $0 }
            if special > 0, !bytes.isEmpty { bytes[offset % bytes.count] = specials[special - 1] }
            let naive = bytes.contains { specials.contains($0) }
            bytes.withUnsafeBufferPointer { buffer in
                #expect(CSVWriter.needsQuotes(buffer, delimiter: delimiter) == naive, "\(bytes)")
            }
        }
    }

    @Test("a sheet's row is written as its cells' CSV values would be, empty columns and lone fields included")
    func sheetRowsAsTheirCSVValues() async throws {
        let cell = PropertyBased.zip(Gen.int(in: 1...12), Gen.int(in: 0...8), Self.trickyCharacter.string(of: 0...6),
            Gen.double(in: -1e7...1e7))
        await propertyCheck(count: 300, input: cell.array(of: 0...6), Gen.int(in: 0...3)) { drawn, extra in
            // Columns in order without repeats, as the reader hands them out.
            var cells: [Cell] = []
            for (column, kind, text, number) in drawn.sorted(by: { $0.0 < $1.0 })
            where cells.last.map({ $0.column < column }) ?? true {
                cells.append(Cell(column: column, value: Self.cellValue(kind, text, number)))
            }
            let width = (cells.last?.column ?? 0) + extra % 2
            for dialect in [CSVDialect.excelDA, .rfc4180] {
                let direct = CSVWriter(options: .init(dialect: dialect))
                let valued = CSVWriter(options: .init(dialect: dialect))
                // Also a row of one field: a lone empty field is written `""`.
                for width in [width, 1] {
                    try? direct.writeRow(cells: cells, width: width)
                    var next = 0
                    try? valued.writeRow(width: width) { index in
                        guard next < cells.count, cells[next].column == index + 1 else { return .empty }
                        next += 1
                        return SheetConversion.csvValue(cells[next - 1].value)
                    }
                }
                #expect(direct.bytes == valued.bytes, "\(cells)")
                #expect(direct.rowCount == valued.rowCount)
            }
        }
    }

    @Test func writerThenReaderGivesTheSameFields() async throws {
        let rows = Self.trickyCharacter.string(of: 0...10).array(of: 1...5).array(of: 1...8)
        await propertyCheck(count: 200, input: rows) { rows in
            for dialect in [CSVDialect.excelDA, .rfc4180] {
                let options = CSVWriteOptions(dialect: dialect, guardFormulas: false)
                let bytes = try CSVWriter.encode(rows.map { $0.map(CSVValue.text) }, options: options)
                let back = try T.fields(bytes, .init(delimiter: dialect.delimiter))
                #expect(back == rows, "\(dialect)")
            }
        }
    }

    @Test func guardedRoundTripAddsOnlyTheApostrophe() async throws {
        let rows = Self.trickyCharacter.string(of: 0...10).array(of: 2...5).array(of: 1...5)
        await propertyCheck(count: 100, input: rows) { rows in
            let bytes = try CSVWriter.encode(rows.map { $0.map(CSVValue.text) })
            let back = try T.fields(bytes, .init(delimiter: UInt8(ascii: ";")))
            let expected = rows.map { row in
                row.map { field in
                    let risky = field.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
                    return risky ? "'" + field : field
                }
            }
            #expect(back == expected)
        }
    }

    // MARK: - Files

    @Test func writesAFileAtomically() throws {
        let folder = try T.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/rapport.csv"
        try Data("old contents".utf8).write(to: URL(fileURLWithPath: path))
        let writer = try CSVWriter(path: path)
        try writer.writeRow([.text("Sag"), .text("Beløb")])
        try writer.writeRow([.text("S-1"), .number(10.25)])
        // Until finish, the old file stays and the new one is a hidden temporary file in the same folder.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 2)
        #expect(writer.bytes.isEmpty)
        try writer.finish()
        try writer.finish()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written == Self.bom + Array("Sag;Beløb\r\nS-1;10,25\r\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["rapport.csv"])
        #expect(throws: SpreadsheetError.self) { try writer.writeRow(["more"]) }
    }

    @Test func abandonedOrDiscardedWritesLeaveNoFile() throws {
        let folder = try T.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let writer = try CSVWriter(path: folder + "/a.csv")
            try writer.writeRow(["x"])
        }
        let discarded = try CSVWriter(path: folder + "/b.csv")
        try discarded.writeRow(["y"])
        discarded.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        let error = try #require(throws: SpreadsheetError.self) { try discarded.finish() }
        #expect(error.code == .writeFailed)
    }

    @Test func largeOutputIsFlushedWhileWriting() throws {
        let folder = try T.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/stor.csv"
        let writer = try CSVWriter(path: path, options: .init(dialect: .rfc4180))
        let row: [CSVValue] = [.integer(123_456), .text("tekst med \"citat\", komma"), .number(3.25)]
        for _ in 0..<20_000 {
            try writer.writeRow(row)
        }
        // Most rows are already in the temporary file before finish.
        let temporary = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first)
        let size = try #require(
            try FileManager.default.attributesOfItem(atPath: folder + "/" + temporary)[.size] as? Int)
        #expect(size > 500_000)
        try writer.finish()
        let reader = try CSVReader(path: path)
        var count = 0
        while let record = try reader.next() {
            #expect(record.fields == ["123456", "tekst med \"citat\", komma", "3.25"])
            count += 1
        }
        #expect(count == 20_000)
    }

    @Test(arguments: ["/nonexistent-folder/x.csv", "", "folder/"])
    func unwritablePathsFail(path: String) throws {
        let error = try #require(throws: SpreadsheetError.self) { try CSVWriter(path: path) }
        #expect(error.code == .writeFailed)
    }
}
