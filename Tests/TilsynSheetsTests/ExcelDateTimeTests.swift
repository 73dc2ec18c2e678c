import PropertyBased
import Testing
@testable import TilsynSheets

@Suite("Excel dates")
struct ExcelDateTimeTests {
    @Test("serials in the 1900 system", arguments: [
        (1.0, "1900-01-01"), (59.0, "1900-02-28"), (61.0, "1900-03-01"), (43035.875, "2017-10-27T21:00:00"),
        (45658.0, "2025-01-01"), (45658.5, "2025-01-01T12:00:00"), (45658.000011574, "2025-01-01T00:00:01"),
        (2_958_465.0, "9999-12-31"), (0.5, "1899-12-31T12:00:00"), (36526.123, "2000-01-01T02:57:07.200"),
    ])
    func serials1900(serial: Double, iso: String) {
        #expect(ExcelDateTime(serial: serial).iso8601 == iso)
    }

    @Test("the 1904 system counts from 1904-01-01")
    func serials1904() throws {
        #expect(try #require(ExcelDateTime(workbookSerial: 0, date1904: true, kind: .date)).iso8601 == "1904-01-01")
        // ClosedXML's Date1904System.xlsx: 2017-10-27 21:00 is serial 41573.875 in the 1904 system.
        #expect(try #require(ExcelDateTime(workbookSerial: 41573.875, date1904: true, kind: .dateTime)).iso8601
            == "2017-10-27T21:00:00")
    }

    @Test("invalid serials are not dates", arguments: [-1.0, 3_000_000.0, Double.nan, Double.infinity])
    func invalidSerials(serial: Double) {
        #expect(ExcelDateTime(workbookSerial: serial, date1904: false, kind: .date) == nil)
    }

    @Test("ISO text as in t=\"d\" cells", arguments: [
        ("2017-10-27", "2017-10-27"), ("2017-10-27T21:00:00", "2017-10-27T21:00:00"),
        ("2017-10-27T21:00:00Z", "2017-10-27T21:00:00"), ("2017-10-27T21:00:00.250", "2017-10-27T21:00:00.250"),
        ("2024-02-29T00:00:00", "2024-02-29"), ("1999-12-31 23:59:59", "1999-12-31T23:59:59"),
    ])
    func isoParsing(text: String, iso: String) throws {
        #expect(try #require(ExcelDateTime(iso: text)).iso8601 == iso)
    }

    @Test("malformed ISO text is rejected", arguments: ["2023-02-29", "2017-13-01", "27-10-2017", "2017-10-27T25:00", ""])
    func isoRejected(text: String) {
        #expect(ExcelDateTime(iso: text) == nil)
    }

    @Test("calendar parts round-trip through the serial for every day of a span of years")
    func civilRoundTrip() {
        for days in stride(from: 61, to: 80_000, by: 7) {
            let date = ExcelDateTime(serial: Double(days))
            let c = date.components
            #expect(ExcelDateTime(year: c.year, month: c.month, day: c.day).serial == Double(days))
        }
    }

    @Test("Danish display")
    func danish() {
        #expect(ExcelDateTime(year: 2025, month: 3, day: 7).danish == "07-03-2025")
        #expect(ExcelDateTime(year: 2025, month: 3, day: 7, hour: 9, minute: 5).danish == "07-03-2025 09:05")
    }
}

@Suite("Number formats")
struct NumberFormatTests {
    @Test("custom codes", arguments: [
        ("dd-mm-yyyy", ExcelDateTime.Kind.date), ("dd\\-mm\\-yyyy", .date), ("d/m/yy h:mm", .dateTime),
        ("h:mm:ss", .time), ("mm:ss", .time), ("[$-406]d\\.\\ mmmm\\ yyyy", .date), ("mmm-yy", .date),
        ("yyyy-mm-dd\"T\"hh:mm:ss", .dateTime), ("h:mm AM/PM", .time), ("[Red]dd/mm/yyyy", .date),
        ("DD.MM.YYYY", .date),
    ])
    func dateCodes(code: String, kind: ExcelDateTime.Kind) {
        #expect(NumberFormat.kind(ofCode: code) == kind)
    }

    @Test("codes that are not dates", arguments: [
        "General", "0.00", "#,##0", "0%", "0.00E+00", "\"dato\" 0", "[h]:mm:ss", "[mm]:ss", "@", "#,##0 \"kr.\"",
        "0.0 %", "_-* #,##0_-",
    ])
    func nonDateCodes(code: String) {
        #expect(NumberFormat.kind(ofCode: code) == nil)
    }

    @Test("built-in ids")
    func builtins() {
        #expect(NumberFormat.builtinKind(14) == .date)
        #expect(NumberFormat.builtinKind(22) == .dateTime)
        #expect(NumberFormat.builtinKind(20) == .time)
        #expect(NumberFormat.builtinKind(46) == nil)
        #expect(NumberFormat.builtinKind(0) == nil)
        #expect(NumberFormat.builtinKind(4) == nil)
    }
}

@Suite("Cell text and numbers")
struct ExcelTextTests {
    func double(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { ExcelText.double($0) }
    }

    @Test("numbers parse exactly as strtod does", arguments: [
        "0", "-0", "1", "42", "-12.5", "0.1", "3.14159", "1E-3", "4.2e+10", "1.7976931348623157E+308",
        "5E-324", "123456789012345678901234567890", "0.30000000000000004", "9007199254740993", "  7 ", "1e22", "1e23",
    ])
    func parsing(text: String) throws {
        let expected = Double(text.trimmingCharacters(in: " "))
        #expect(double(text) == expected)
    }

    @Test("numbers of 15 to 17 digits with a point anywhere parse as Swift's Double does")
    func longNumbersParseExactly() async {
        // Digit strings around 2^53 (9007199254740992), where the fast path's integer stops being exact, and
        // below and above it, with the point at every place.
        await propertyCheck(
            count: 2_000, input: Gen.int(in: 0...30_000), Gen.int(in: 0...2), Gen.int(in: 0...17), Gen.bool
        ) { offset, band, point, negative in
            let base: [UInt64] = [900_719_925_474_099, 9_007_199_254_740_992, 90_071_992_547_409_920]
            let digits = String(base[band] &+ UInt64(offset) &- 15_000)
            let cut = min(point, digits.count - 1)
            let text = (negative ? "-" : "") + digits.prefix(digits.count - cut) + (cut > 0 ? "." : "")
                + digits.suffix(cut)
            #expect(double(text) == Double(text), "\(text)")
        }
    }

    @Test("not numbers", arguments: ["", "abc", "1.2.3", "1e", "--1", "0x10", "1,5"])
    func rejects(text: String) {
        #expect(double(text) == nil)
    }

    @Test("_xHHHH_ escapes")
    func escapes() {
        #expect(ExcelText.string(Array("a_x000D_b".utf8)) == "a\rb")
        #expect(ExcelText.string(Array("_x005F_x000D_".utf8)) == "_x000D_")
        #expect(ExcelText.string(Array("_xD83D__xDE00_".utf8)) == "😀")
        #expect(ExcelText.string(Array("plain_text_x".utf8)) == "plain_text_x")
        #expect(ExcelText.string(Array("_x00zz_".utf8)) == "_x00zz_")
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

/// Excel's 1900 system counts a 1900-02-29 that never was: dates before 1900-03-01 are one serial lower than the
/// days since 1899-12-30. Dates built from their parts and dates read from serials must agree on it.
@Suite struct ExcelDateTime1900Tests {
    @Test func serialOneIsTheFirstOfJanuary1900() {
        #expect(ExcelDateTime(year: 1900, month: 1, day: 1).serial == 1)
        #expect(ExcelDateTime(year: 1900, month: 2, day: 28).serial == 59)
        #expect(ExcelDateTime(year: 1900, month: 3, day: 1).serial == 61)
        #expect(ExcelDateTime(serial: 1).iso8601 == "1900-01-01")
        #expect(ExcelDateTime(serial: 61).iso8601 == "1900-03-01")
    }

    @Test func everyDayFromSerialOneRoundTrips() {
        for serial in 1...400 where serial != 60 {
            let date = ExcelDateTime(serial: Double(serial))
            let c = date.components
            #expect(ExcelDateTime(year: c.year, month: c.month, day: c.day).serial == Double(serial), "serial \(serial)")
        }
    }

    @Test func anISODateCellOfTheFirstOfJanuary1900() {
        #expect(ExcelDateTime(iso: "1900-01-01")?.iso8601 == "1900-01-01")
        #expect(ExcelDateTime(iso: "1900-02-28T12:00:00")?.iso8601 == "1900-02-28T12:00:00")
    }
}
