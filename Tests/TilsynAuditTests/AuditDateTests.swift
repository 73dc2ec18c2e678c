import PropertyBased
import Testing

@testable import TilsynAudit

/// The bytes' reading of the common date forms gives what the general reading gives, for any text near them.
@Suite struct AuditDateTests {
    @Test func theCommonFormsReadAsTheGeneralReadingDoes() async {
        let characters = Gen<Character?>.element(of: Array("0123456789-./ T:x")).map { $0 ?? "0" }
        await propertyCheck(count: 2_000, input: characters.string(of: 8...12)) { text in
            #expect(AuditDate.parse(text) == AuditDate.parseGeneral(text), "\(text)")
        }
    }

    @Test func datesInTheCommonFormsReadAsTheGeneralReadingDoes() async {
        let separators = Gen<Character?>.element(of: Array("-./x")).map { $0 ?? "-" }
        await propertyCheck(
            count: 2_000,
            input: Gen.int(in: 0...40), Gen.int(in: 0...14), Gen.int(in: 1990...2110), separators, Gen.bool
        ) { day, month, year, separator, isoOrder in
            func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
            let text = isoOrder
                ? "\(year)\(separator)\(two(month))\(separator)\(two(day))"
                : "\(two(day))\(separator)\(two(month))\(separator)\(year)"
            #expect(AuditDate.parse(text) == AuditDate.parseGeneral(text), "\(text)")
        }
    }

    @Test(arguments: [
        "14-03-2025", "14.03.2025", "14/03/2025", "2025-03-14", "31-02-2025", "29-02-2024", "29-02-2023", "2025-13-01",
        "00-01-2025", "14-03-1999", "2025.03.14", "2025/03/14", "14-03/2025", "1234567890", "14-0a-2025",
    ])
    func commonFormsAndTheirNeighbours(text: String) {
        #expect(AuditDate.parse(text) == AuditDate.parseGeneral(text))
    }
}
