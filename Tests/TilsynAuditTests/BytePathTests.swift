import PropertyBased
import Testing

@testable import TilsynAudit
@testable import TilsynSheets

/// The importer's shortcuts answer what their definitions answer: folding answers and measures on their bytes,
/// looking up the measures templates offer, counting digits for the CPR scan eight bytes at a time, finding a
/// sheet's cells by binary search instead of a table of addresses.
@Suite struct BytePathTests {
    /// Pieces of text around the edges of the byte path: every kind of white space and punctuation it handles,
    /// the Latin-1 letters with and without a lower case (× and ÷ have none, ß and ÿ are lower already), NBSP, the
    /// soft hyphen, and characters it leaves to the Character path (combining marks, NEL, €, İ, emoji).
    static let pieces: [String] = [
        " ", "\t", "\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "\u{1C}", "\u{00}", "\u{A0}", "\u{AD}", ".", ",", ":", ";",
        "!", "'", "\"", "*", "(", ")", "[", "]", "-", "_", "/", "?", "§", "a", "J", "Z", "@", "[", "`", "{", "0",
        "Æ", "Ø", "Å", "æ", "ø", "å", "É", "é", "×", "÷", "ß", "ÿ", "À", "Þ", "þ", "µ", "ª", "¿", "°",
        "e\u{301}", "\u{301}", "\u{85}", "€", "İ", "Ω", "🙂", "\u{2003}",
    ]

    @Test func bytesFoldAsCharactersDo() async {
        await propertyCheck(count: 2_000, input: Gen.element(of: Self.pieces).map { $0 ?? "a" }.array(of: 0...10)) {
            parts in
            let text = parts.joined()
            let reference = AnswerVocabulary.foldCharacters(text)
            #expect(AnswerVocabulary.fold(text) == reference)
            if let bytes = AnswerVocabulary.foldLatin1(text) { #expect(bytes == reference) }
        }
    }

    @Test(arguments: [
        ("  I HØJ  grad. ", "i høj grad"), ("Ikke\u{A0}relevant", "ikke relevant"),
        ("§ 32 Støttende indsats", "§ 32 støttende indsats"),
        ("ÆBLE-GRØD", "æblegrød"), ("Straße ×2", "straße ×2"),
    ])
    func theBytePathTakesLatin1Text(text: String, folded: String) {
        #expect(AnswerVocabulary.foldLatin1(text) == folded)
        #expect(AnswerVocabulary.foldCharacters(text) == folded)
    }

    @Test(arguments: ["e\u{301}", "Ω", "€ 5", "\u{85}ja", "İ"])
    func otherTextIsLeftToTheCharacterPath(text: String) {
        #expect(AnswerVocabulary.foldLatin1(text) == nil)
    }

    /// The measures a template's list offers are looked up, not parsed: each is still certain, and its own.
    @Test(arguments: Indsats.allCases)
    func aTemplatesMeasureIsItself(indsats: Indsats) {
        #expect(IndsatsMapping.map(TemplateWriter.indsatsText(indsats)) == .certain(indsats))
    }

    @Test func digitsAreCountedAsTheByteLoopCounts() async {
        let pieces = ["0", "9", "/", ":", "a", " ", "-", "æ", "\u{0660}", "°", "\u{B0}1", "12", "3456"]
        await propertyCheck(count: 2_000, input: Gen.element(of: pieces).map { $0 ?? "a" }.array(of: 0...30)) { parts in
            var text = parts.joined()
            let count = text.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }.count
            text.withUTF8 { #expect(CPRDetector.mayContainCPR($0) == (count >= 10)) }
        }
    }

    /// Rows as a damaged file can have them (out of order, repeated, cells out of column order or twice): the grid
    /// answers what a table filled cell by cell in reading order answers, and hands its cells out sorted.
    @Test func aGridAnswersAsATableOfItsCellsDoes() async {
        // A row: its number (1–6) from the first pick, a cell (column 1–4, a value) from each further one.
        let row = Gen.int(in: 0...9_999).array(of: 1...5)
        await propertyCheck(count: 1_000, input: row.array(of: 0...7)) { shape in
            let rows = shape.map { picks in
                Row(number: picks[0] % 6 + 1, cells: picks.dropFirst().map {
                    Cell(column: $0 % 4 + 1, value: .number(Double($0 / 4)))
                })
            }
            var table: [CellAddress: CellValue] = [:]
            for row in rows {
                for cell in row.cells { table[CellAddress(row: row.number, column: cell.column)] = cell.value }
            }
            let info = SheetInfo(name: "Tilsyn", index: 0, visibility: .visible, kind: .worksheet, part: nil)
            let grid = SheetGrid(Sheet(info: info, rows: rows))
            for row in 0...7 {
                for column in 0...5 {
                    let address = CellAddress(row: row, column: column)
                    #expect(grid[address] == table[address])
                }
            }
            let listed = grid.cells.map { ($0.address, $0.value) }
            #expect(listed.map(\.0) == table.keys.sorted())
            #expect(listed.allSatisfy { table[$0.0] == $0.1 })
        }
    }
}
