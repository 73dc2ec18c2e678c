import PropertyBased
import Testing

@testable import TilsynSheets

/// Cell references, range lists, relationship targets and trimming, read from their bytes: each against what the
/// format says it means, and the byte-level paths against the Unicode-level definition they shortcut.
@Suite struct NameParsingTests {
    // MARK: Cell references and ranges

    @Test(arguments: [
        ("A1", 1, 1), ("b3", 3, 2), ("$B$3", 3, 2), ("Z9", 9, 26), ("AA10", 10, 27), ("XFD1048576", 1_048_576, 16_384),
    ])
    func aReferenceIsReadFromAnyOfItsForms(text: String, row: Int, column: Int) {
        let expected = CellAddress(row: row, column: column)
        #expect(CellAddress(text) == expected)
        #expect(CellAddress(Substring("x" + text + "y").dropFirst().dropLast()) == expected)
        #expect(CellAddress.parse(Array(text.utf8)) == expected)
    }

    @Test(arguments: ["", "A", "1", "1A", "A0", "A1B", "XFE1", "A1048577", "A 1", "Å1", "A-1", "A1:B2"])
    func whatIsNotAReferenceWithinTheSheetIsRefused(text: String) {
        #expect(CellAddress(text) == nil)
        #expect(CellAddress.parse(Array(text.utf8)) == nil)
    }

    @Test func everyCellsNameReadsBackAsThatCell() async {
        await propertyCheck(count: 500, input: Gen.int(in: 1...1_048_576), Gen.int(in: 1...16_384)) { row, column in
            let address = CellAddress(row: row, column: column)
            #expect(CellAddress(address.description) == address)
            #expect(CellAddress(address.description.lowercased()) == address)
            #expect(CellRange("\(address):A1") == CellRange(first: CellAddress(row: 1, column: 1), last: address))
        }
    }

    @Test func aRangeIsOneOrTwoReferencesAroundOneColon() {
        let b2 = CellAddress(row: 2, column: 2)
        let d5 = CellAddress(row: 5, column: 4)
        #expect(CellRange("B2") == CellRange(first: b2, last: b2))
        #expect(CellRange("B2:D5") == CellRange(first: b2, last: d5))
        #expect(CellRange("D5:B2") == CellRange(first: b2, last: d5))
        #expect(CellRange("$B$2:$D$5") == CellRange(first: b2, last: d5))
        for text in ["", ":", "B2:", ":D5", "B2:C3:D5", "B2::D5", "B2 D5"] {
            #expect(CellRange(text) == nil, "\(text)")
        }
    }

    @Test func aValidationsRangesAreSplitAtAnyWhiteSpace() {
        let text = "A1:A5 C3\tD4:E6\n F7  G8:G9 bogus H1"
        let ranges = Array(text.utf8).withUnsafeBufferPointer { WorksheetReader.ranges($0) }
        #expect(ranges.map(\.description) == ["A1:A5", "C3", "D4:E6", "F7", "G8:G9", "H1"])
        #expect([UInt8]().withUnsafeBufferPointer { WorksheetReader.ranges($0) }.isEmpty)
    }

    // MARK: Relationship targets

    @Test(arguments: [
        ("worksheets/sheet1.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"),
        ("/xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"),
        ("xl/workbook.xml", "", "xl/workbook.xml"),
        ("../media/image1.png", "xl/drawings/drawing1.xml", "xl/media/image1.png"),
        ("./styles.xml", "xl/workbook.xml", "xl/styles.xml"),
        ("../../../../x.xml", "xl/workbook.xml", "x.xml"),
        ("worksheets\\sheet2.xml", "xl/workbook.xml", "xl/worksheets/sheet2.xml"),
        ("\\xl\\sharedStrings.xml", "xl/workbook.xml", "xl/sharedStrings.xml"),
        ("sheet1.xml#A1", "xl/worksheets/x.xml", "xl/worksheets/sheet1.xml"),
        ("ark//æøå.xml", "xl//workbook.xml", "xl/ark/æøå.xml"),
        ("", "xl/workbook.xml", "xl"),
    ])
    func aTargetIsResolvedAgainstItsPartsFolder(target: String, source: String, expected: String) {
        #expect(RelationshipsReader.resolve(target, from: source) == expected)
    }

    @Test(arguments: [
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/chartsheet", "worksheet", "a/b//", "///", "", "/x",
        "ark/æøå", "x/\u{301}",
    ])
    func aRelationshipsTypeNameIsItsLastSegment(type: String) {
        let relationship = Relationship(id: "rId1", type: type, target: "", external: false)
        #expect(relationship.typeName.map(String.init) == type.split(separator: "/").last.map(String.init))
    }

    // MARK: Trimming

    /// Unicode's `White_Space`, the definition `trimmed` keeps to, checked scalar by scalar.
    static func referenceTrim(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    @Test func trimmingCutsExactlyUnicodesWhiteSpaceAtBothEnds() async {
        // ASCII and non-ASCII white space (NBSP, NEL, em space, ideographic space) beside letters of both kinds.
        let pieces: [String] = [
            " ", "\t", "\n", "\r\n", "\u{A0}", "\u{85}", "\u{2003}", "\u{3000}", "a", "Id", "æ", "ø", "€", "1",
        ]
        await propertyCheck(count: 500, input: Gen.element(of: pieces).map { $0 ?? "a" }.array(of: 0...8)) { parts in
            let text = parts.joined()
            #expect(text.trimmed == Self.referenceTrim(text))
            #expect(Substring(text).trimmed == Self.referenceTrim(text))
        }
    }

    /// Part names are looked up lower-cased on their bytes: the same as `lowercased()`, ASCII or not.
    @Test func namesLowerCaseAsLowercasedDoes() async {
        let pieces = [
            "Svar_", "Bemaerkning_", "B", "Z", "@", "2", ".", "_", "xl/", "[Content_Types]", "ark", "Æ", "ø", "İ", "Σ",
            " ", "'",
        ]
        await propertyCheck(count: 1_000, input: Gen.element(of: pieces).map { $0 ?? "a" }.array(of: 0...6)) { parts in
            let text = parts.joined()
            #expect(text.lowercasedName == text.lowercased())
        }
    }
}
