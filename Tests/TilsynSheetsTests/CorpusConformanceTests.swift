import Foundation
import Testing
import TilsynTestSupport

@testable import TilsynSheets

/// The expected contents of corpus files, restated from the producers' own tests
/// (`Fixtures/corpus-expectations.json`; see `../shared/corpus/xlsx/SOURCES.md` for where each file comes from).
struct CorpusExpectations: Decodable, Sendable {
    struct File: Decodable, Sendable {
        var file: String
        var source: String
        var cells: [CellExpectation]
        var sheets: [SheetExpectation]?
        var date1904: Bool?
        var definedNames: [NameExpectation]?
        var merged: [String: [String]]?
        var formulas: [FormulaExpectation]?
        var expectError: String?
    }

    struct CellExpectation: Decodable, Sendable {
        enum Value: Sendable, Equatable {
            case number(Double), string(String), bool(Bool), none
        }

        var sheet: String
        var cell: String
        /// number, string, bool, date (ISO 8601 text), error (the code as text) or empty.
        var type: String
        var value: Value

        enum CodingKeys: String, CodingKey { case sheet, cell, type, value }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            sheet = try container.decode(String.self, forKey: .sheet)
            cell = try container.decode(String.self, forKey: .cell)
            type = try container.decode(String.self, forKey: .type)
            switch type {
            case "number": value = .number(try container.decode(Double.self, forKey: .value))
            case "bool": value = .bool(try container.decode(Bool.self, forKey: .value))
            case "empty": value = .none
            default: value = .string(try container.decode(String.self, forKey: .value))
            }
        }
    }

    struct SheetExpectation: Decodable, Sendable {
        var name: String
        var visibility: String
        /// worksheet or chartsheet, when stated.
        var type: String?
    }

    struct NameExpectation: Decodable, Sendable {
        var name: String
        var formula: String
        /// The sheet a local name belongs to; nil for a workbook-level name.
        var scope: String?
    }

    struct FormulaExpectation: Decodable, Sendable {
        var sheet: String
        var cell: String
        var formula: String
    }

    var note: String
    var oraclePairs: [[String]]
    var files: [File]

    static let loaded: Result<CorpusExpectations, any Error> = Result {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/corpus-expectations.json")
        return try JSONDecoder().decode(CorpusExpectations.self, from: Data(contentsOf: url))
    }

    /// The fixture, or an empty one when it cannot be read (a test then fails on `loaded`).
    static let shared: CorpusExpectations =
        (try? loaded.get()) ?? CorpusExpectations(note: "", oraclePairs: [], files: [])

    static let byFile: [String: File] = Dictionary(shared.files.map { ($0.file, $0) }) { first, _ in first }
}

/// Every workbook in the shared corpus (150 files from calamine, Apache POI, ClosedXML and rust_xlsxwriter) either
/// reads completely or, for the hostile and damaged ones, fails with its specific error; where the producers' tests
/// state contents, ours must read the same.
@Suite("Corpus conformance")
struct CorpusConformanceTests {
    /// The corpus files as paths relative to the corpus folder (`calamine/date.xlsx`), sorted; empty without a corpus.
    static let files: [String] = {
        guard let corpus = TestPaths.corpus,
            let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil)
        else { return [] }
        var found: [String] = []
        let root = corpus.standardizedFileURL.path + "/"
        for case let url as URL in walker where ["xlsx", "xlsm"].contains(url.pathExtension.lowercased()) {
            found.append(String(url.standardizedFileURL.path.dropFirst(root.count)))
        }
        return found.sorted()
    }()

    /// Where our reader rightly gives another error than the fixture's `expectError`.
    ///
    /// The fixture names the error as a kind of damage; where our reader knows more precisely what is wrong, the
    /// more specific code is the right answer and is what we assert:
    /// - `calamine/issue252.xlsx`: the fixture says `corruptZip`. The deflate data of `xl/_rels/workbook.xml.rels`
    ///   is damaged: it inflates to 699 bytes of garbled XML where the headers declare 697 (and the CRC differs
    ///   too). The reader checks the size first, so it reports `sizeMismatch`, which is ZIP damage.
    /// - `poi/poc-shared-strings.xlsx`: the fixture says `limitExceeded` (POI refuses the 1 MB string referenced
    ///   12,000 times). That costs us nothing, as the cells share one Swift string, but the sheet has a row with
    ///   `r="0"`, which is not a row number, so the reader stops with `invalidCellReference`: a clean, specific
    ///   failure before any hostile amount of work.
    static let moreSpecificCodes: [String: SpreadsheetError.Code] = [
        "calamine/issue252.xlsx": .sizeMismatch,
        "poi/poc-shared-strings.xlsx": .invalidCellReference,
    ]

    /// The error each hostile or damaged file must give: the fixture's, or the more specific one above.
    static let errorCodes: [String: SpreadsheetError.Code] = Dictionary(
        uniqueKeysWithValues: CorpusExpectations.shared.files.compactMap { file in
            file.expectError.map { (file.file, moreSpecificCodes[file.file] ?? SpreadsheetError.Code($0)) }
        })

    static let timeLimit = Duration.seconds(5)

    static func url(_ file: String) throws -> URL {
        try #require(TestPaths.corpus, "../shared/corpus/xlsx is missing").appendingPathComponent(file)
    }

    /// Opens the workbook and streams every row of every sheet; returns the number of cells.
    @discardableResult
    static func readCompletely(_ path: String, options: ReadOptions = ReadOptions()) throws -> Int {
        let workbook = try Workbook(path: path, options: options)
        var cells = 0
        for sheet in workbook.sheets {
            let rows = try workbook.rows(of: sheet)
            var previous = 0
            while let row = try rows.next() {
                #expect(row.number > previous, "rows come in order in \(sheet.name)")
                previous = row.number
                cells += row.cells.count
            }
        }
        return cells
    }

    @Test("the fixture reads and the corpus holds 150 workbooks, among them every file the fixture names", .needsCorpus)
    func corpusIsComplete() throws {
        let expectations = try CorpusExpectations.loaded.get()
        #expect(expectations.files.count > 60)
        #expect(Self.errorCodes.count == 6)
        for (file, code) in Self.moreSpecificCodes {
            #expect(CorpusExpectations.byFile[file]?.expectError != code.name, "\(file): the override is needed")
        }
        _ = try #require(TestPaths.corpus, "../shared/corpus/xlsx is missing: CI runs with ../shared beside the clone")
        #expect(Self.files.count == 150)
        let listed = Set(Self.files)
        for expectation in expectations.files {
            #expect(listed.contains(expectation.file), "the fixture names \(expectation.file), not in the corpus")
        }
        for pair in expectations.oraclePairs {
            #expect(pair.count == 2 && pair.allSatisfy(listed.contains), "oracle pair \(pair)")
        }
    }

    @Test("each corpus file reads completely or fails with its specific error", arguments: files)
    func readsOrFailsCleanly(file: String) throws {
        let path = try Self.url(file).path
        let clock = ContinuousClock()
        var failure: (any Error)?
        let elapsed = clock.measure {
            do {
                try Self.readCompletely(path)
                try Self.readCompletely(path, options: ReadOptions(formulas: true))
            } catch {
                failure = error
            }
        }
        #expect(elapsed < Self.timeLimit, "\(file) took \(elapsed)")

        if let code = Self.errorCodes[file] {
            let error = try #require(
                failure as? SpreadsheetError, "\(file) must fail with \(code), got \(String(describing: failure))")
            #expect(error.code == code, "\(file): \(error)")
            #expect(error.file == path, "the error names the file")
            #expect(!error.message.isEmpty)
        } else if let failure {
            Issue.record("\(file) does not read: \(failure)")
        }
    }

    static let describedFiles: [String] = CorpusExpectations.shared.files.filter { $0.expectError == nil }.map(\.file)

    @Test("stated contents: cells, sheets, dates, names, merges, formulas", .needsCorpus, arguments: describedFiles)
    func statedContents(file: String) throws {
        _ = try #require(TestPaths.corpus, "../shared/corpus/xlsx is missing: CI runs with ../shared beside the clone")
        let expected = try #require(CorpusExpectations.byFile[file])
        let path = try Self.url(file).path
        let workbook = try Workbook(path: path, options: ReadOptions(formulas: true))
        var loaded: [String: Sheet] = [:]
        func sheet(_ name: String) throws -> Sheet {
            if let sheet = loaded[name] { return sheet }
            let info = try #require(workbook.sheets.first { $0.name == name }, "\(file) has no sheet '\(name)'")
            let sheet = try workbook.load(info)
            loaded[name] = sheet
            return sheet
        }

        if let sheets = expected.sheets {
            #expect(workbook.sheets.map(\.name) == sheets.map(\.name), "\(file): sheet names")
            #expect(workbook.sheets.map(\.visibility.rawValue) == sheets.map(\.visibility), "\(file): visibility")
            for (info, stated) in zip(workbook.sheets, sheets) {
                if let type = stated.type { #expect(info.kind.rawValue == type, "\(file): kind of \(info.name)") }
            }
        }
        if let date1904 = expected.date1904 {
            #expect(workbook.date1904 == date1904, "\(file): date system")
        }
        if let names = expected.definedNames {
            // Only names the producer's test states; a file may define more (print areas, filter ranges).
            for name in names {
                let matches = workbook.definedNames.filter { defined in
                    defined.name == name.name && defined.localSheet.map { workbook.sheets[$0].name } == name.scope
                }
                #expect(
                    matches.map(\.formula) == [name.formula],
                    "\(file): name \(name.name) in \(name.scope ?? "workbook")")
            }
        }
        for (name, ranges) in expected.merged ?? [:] {
            let merged = try sheet(name).mergedRanges.map(\.description)
            #expect(merged.sorted() == ranges.sorted(), "\(file): merged ranges of \(name)")
        }
        for cell in expected.cells {
            let value = try sheet(cell.sheet)[cell.cell]
            Self.check(value, against: cell, in: file)
        }
        for formula in expected.formulas ?? [] {
            let address = try #require(CellAddress(formula.cell))
            let found = try sheet(formula.sheet).rows.first { $0.number == address.row }?[column: address.column]
            #expect(found?.formula == formula.formula, "\(file): formula of \(formula.sheet)!\(formula.cell)")
        }
    }

    static func check(_ value: CellValue?, against expected: CorpusExpectations.CellExpectation, in file: String) {
        let place = "\(file): \(expected.sheet)!\(expected.cell)"
        switch (expected.type, expected.value, value) {
        case ("empty", _, let value):
            #expect(value == nil, "\(place) is empty")
        case ("number", .number(let number), .number(let found)?):
            if Self.derivedThroughText(number) {
                // Stated with 15 significant digits, as text: equal within text rounding.
                #expect(abs(found - number) <= 1e-9 * abs(number), "\(place): \(found) ≈ \(number)")
            } else {
                #expect(found == number, "\(place)")
            }
        case ("string", .string(let text), .string(let found)?):
            #expect(found == text, "\(place)")
        case ("bool", .bool(let flag), .bool(let found)?):
            #expect(found == flag, "\(place)")
        case ("date", .string(let text), .date(let found)?):
            #expect(found.iso8601 == text, "\(place)")
        case ("error", .string(let text), .error(let found)?):
            #expect(found == text, "\(place)")
        default:
            Issue.record("\(place): expected \(expected.type) \(expected.value), read \(String(describing: value))")
        }
    }

    /// Whether a stated number went through 15-digit text (`10.6320601851852`) rather than being exact.
    static func derivedThroughText(_ number: Double) -> Bool {
        number != number.rounded() && "\(number)".filter(\.isNumber).count >= 15
    }

    static let oraclePairs: [[String]] = CorpusExpectations.shared.oraclePairs

    /// Each pair holds the same content in two encodings, so both must read the same: sheet names, and in every
    /// sheet the same non-empty cells (row, column, value) and merged ranges.
    ///
    /// `calamine/issue_261.xlsx` (a Power BI export) writes no `r` on its rows and cells; its twin was re-saved by
    /// Excel Online. calamine compares `Range.rows()`, which are relative to the first non-empty cell, so it would
    /// tolerate a shift by empty rows. We compare absolute addresses: the reader numbers a `<row>` without `r` as
    /// one after the previous row, and the export writes the empty styled rows 2–5 (and gives `r` where rows are
    /// skipped), so its rows land on the same numbers as Excel's and the two files read cell for cell the same.
    @Test("oracle pairs read identically", .needsCorpus, arguments: oraclePairs)
    func oraclePair(pair: [String]) throws {
        _ = try #require(TestPaths.corpus, "../shared/corpus/xlsx is missing: CI runs with ../shared beside the clone")
        try #require(pair.count == 2)
        let first = try Self.contents(pair[0])
        let second = try Self.contents(pair[1])
        #expect(first.names == second.names, "sheet names of \(pair)")
        #expect(first.cellCount > 0)
        for name in first.names {
            let a = first.sheets[name] ?? [:]
            let b = second.sheets[name] ?? [:]
            #expect(a.count == b.count, "\(pair): cell count of \(name)")
            for address in Set(a.keys).union(b.keys).sorted() where a[address] != b[address] {
                let (left, right) = (String(describing: a[address]), String(describing: b[address]))
                Issue.record("\(pair): \(name)!\(address) reads \(left) in one and \(right) in the other")
                break
            }
            #expect(first.merged[name] == second.merged[name], "\(pair): merged ranges of \(name)")
        }
    }

    struct Contents {
        var names: [String] = []
        var sheets: [String: [CellAddress: CellValue]] = [:]
        var merged: [String: [String]] = [:]
        var cellCount = 0
    }

    static func contents(_ file: String) throws -> Contents {
        let workbook = try Workbook(path: try url(file).path)
        var contents = Contents()
        for info in workbook.sheets {
            let sheet = try workbook.load(info)
            contents.names.append(info.name)
            var cells: [CellAddress: CellValue] = [:]
            for row in sheet.rows {
                for cell in row.cells { cells[CellAddress(row: row.number, column: cell.column)] = cell.value }
            }
            contents.sheets[info.name] = cells
            contents.merged[info.name] = sheet.mergedRanges.map(\.description).sorted()
            contents.cellCount += cells.count
        }
        return contents
    }

    @Test("reading the whole corpus keeps the peak memory bounded", .needsCorpus)
    func boundedMemory() throws {
        _ = try #require(TestPaths.corpus, "../shared/corpus/xlsx is missing: CI runs with ../shared beside the clone")
        var cells = 0
        for file in Self.files where Self.errorCodes[file] == nil {
            cells += try Self.readCompletely(try Self.url(file).path)
        }
        #expect(cells > 10_000)
        // Each file read on its own, in a process of its own (`tilsyn cat --all`, the same reader): streaming keeps
        // one 64 KiB buffer and one row per sheet, so no file of the corpus (3.7 MB) needs much beyond the program's
        // own start. (The test process's high-water mark bounded everything run beside this test too, and grew with
        // the suite.)
        var largest = 0
        for file in Self.files where Self.errorCodes[file] == nil {
            let run = try runMeasured(
                TestPaths.tilsynExecutable, ["cat", try Self.url(file).path, "--all", "--format", "jsonl"])
            #expect(run.status == 0, "\(file): \(run.stderr.prefix(300))")
            largest = max(largest, run.maxRSS)
        }
        #expect(largest < 100 << 20, "largest peak resident memory of one file \(largest >> 20) MiB")
    }
}

/// The 15 OpenDocument spreadsheets in `../shared/corpus/ods/calamine` (see its `SOURCES.md`): each reads
/// completely with the contents calamine's own tests state for it (restated here), or, for the encrypted and the
/// hostile file, fails with its specific error.
@Suite("ODS corpus conformance")
struct ODSCorpusConformanceTests {
    static let files = [
        "any_sheets.ods", "covered.ods", "date.ods", "issue127.ods", "issue_594_dos.ods", "issues.ods",
        "merged_cells.ods", "multi-empty.ods", "number_rows_repeated.ods", "pass_protected.ods", "picture.ods",
        "richtext_issue.ods", "single-empty.ods", "special_cells.ods", "with-annotation.ods",
    ]

    /// The corpus folder; nil (a failure under CI) when `../shared/corpus/ods` is missing.
    static func corpusFolder() -> URL? {
        if let corpus = TestPaths.odsCorpus { return corpus.appendingPathComponent("calamine") }
        if TestPaths.isCI { Issue.record("../shared/corpus/ods is missing: CI must run with ../shared beside the clone") }
        return nil
    }

    static func open(_ file: String) throws -> Workbook {
        let folder = try #require(corpusFolder(), "../shared/corpus/ods is missing")
        return try Workbook(path: folder.appendingPathComponent(file).path)
    }

    static func sheet(_ file: String, _ name: String) throws -> Sheet {
        let workbook = try open(file)
        return try workbook.load(try #require(workbook.sheet(named: name), "\(file) has no sheet \(name)"))
    }

    /// The sheet's cells as `A1` → value.
    static func cells(_ sheet: Sheet) -> [String: CellValue] {
        var cells: [String: CellValue] = [:]
        for row in sheet.rows {
            for cell in row.cells { cells[CellAddress(row: row.number, column: cell.column).description] = cell.value }
        }
        return cells
    }

    @Test("the corpus holds the 15 files", .enabled(if: TestPaths.odsCorpus != nil || TestPaths.isCI))
    func corpusIsComplete() throws {
        let folder = try #require(Self.corpusFolder())
        let found = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".ods") }
        #expect(found.sorted() == Self.files)
    }

    @Test(
        "every readable file reads completely", .enabled(if: TestPaths.odsCorpus != nil || TestPaths.isCI),
        arguments: files.filter { $0 != "issue_594_dos.ods" && $0 != "pass_protected.ods" })
    func readsCompletely(file: String) throws {
        let folder = try #require(Self.corpusFolder())
        _ = try CorpusConformanceTests.readCompletely(folder.appendingPathComponent(file).path)
    }

    @Test("issues.ods: data types, numbers with strings, special characters and named ranges",
        .enabled(if: TestPaths.odsCorpus != nil || TestPaths.isCI))
    func issues() throws {
        let types = Self.cells(try Self.sheet("issues.ods", "datatypes"))
        #expect(types == [
            "A1": .number(1), "A2": .number(1.5), "A3": .string("ab"), "A4": .bool(false), "A5": .string("test"),
            // Written as 2016-10-20T00:00:00: a date-time at midnight.
            "A6": .date(ExcelDateTime(year: 2016, month: 10, day: 20)),
        ])
        #expect(Self.cells(try Self.sheet("issues.ods", "issue2")) == [
            "A1": .number(1), "B1": .string("a"), "A2": .number(2), "B2": .string("b"), "A3": .number(3),
            "B3": .string("c"),
        ])
        #expect(Self.cells(try Self.sheet("issues.ods", "issue5")) == ["A1": .number(0.5)])
        let special = try Self.sheet("issues.ods", "spc_chrs")
        #expect(special.rows.map { $0.cells.map(\.value) } == [
            "&", "<", ">", "aaa ' aaa", "\"", "☺", "֍", "àâéêèçöïî«»",
        ].map { [CellValue.string($0)] })
        let names = Dictionary(uniqueKeysWithValues: try Self.open("issues.ods").definedNames.map { ($0.name, $0.formula) })
        #expect(names["OneRange"] == "Sheet1!$A$1")
        #expect(names["MyDataTypes"] == "datatypes!$A$1:$A$6")
        #expect(names["MyBrokenRange"] == "[Sheet1.#REF!]")
        #expect(names.count == 3)
    }

    @Test("sheet lists: order and hidden sheets", .enabled(if: TestPaths.odsCorpus != nil || TestPaths.isCI))
    func sheetLists() throws {
        let any = try Self.open("any_sheets.ods")
        // ODS has no very hidden state and no chart sheets: both read as what they are in the file.
        #expect(any.sheets.map(\.name) == ["Visible", "Hidden", "VeryHidden", "Chart"])
        #expect(any.sheets.map(\.visibility) == [.visible, .hidden, .hidden, .visible])
        #expect(any.sheets.allSatisfy { $0.kind == .worksheet })
        #expect(try Self.open("issue127.ods").sheets.map(\.name) == (1...8).map { "Sheet\($0)" })
    }

    @Test("dates, date-times and times", .enabled(if: TestPaths.odsCorpus != nil || TestPaths.isCI))
    func dates() throws {
        let sheet = try Self.open("date.ods")
        let cells = Self.cells(try sheet.load(sheet.sheets[0]))
        #expect(cells["A1"] == .date(ExcelDateTime(year: 2021, month: 1, day: 1, kind: .date)))
        #expect(cells["A2"] == .date(ExcelDateTime(year: 2021, month: 1, day: 1, hour: 10, minute: 10, second: 10)))
        #expect(cells["A3"] == .date(ExcelDateTime(serial: 36_610.0 / 86_400, kind: .time)))
        #expect(cells["A4"] == .date(ExcelDateTime(serial: 36_610.123456 / 86_400, kind: .time)))
        #expect(cells["B1"] == .number(15))
    }

    @Test("covered, merged and repeated rows", .enabled(if: TestPaths.odsCorpus != nil || TestPaths.isCI))
    func layout() throws {
        #expect(Self.cells(try Self.sheet("covered.ods", "sheet1")) == [
            "A1": .string("a1"), "A2": .string("a2"), "A3": .string("a3"),
        ])
        let mergedBook = try Self.open("merged_cells.ods")
        let merged = try mergedBook.load(mergedBook.sheets[0])
        #expect(Self.cells(merged) == [
            "A1": .string("A"), "B1": .string("B"), "C1": .string("C"), "A2": .string("A"), "B2": .string("B"),
            "C2": .string("C"), "C3": .string("C"),
        ])
        #expect(merged.mergedRanges == [CellRange("A2:A3")!])

        // Three sheets with the same rows, starting 0, 1 and 2 rows down.
        let repeated = try Self.open("number_rows_repeated.ods")
        for (offset, info) in repeated.sheets.prefix(3).enumerated() {
            let cells = Self.cells(try repeated.load(info))
            var expected: [String: CellValue] = ["A\(1 + offset)": .string("A"), "B\(1 + offset)": .string("B")]
            for row in [2, 3, 6, 8] {
                expected["A\(row + offset)"] = .string("C")
                expected["B\(row + offset)"] = .string("D")
            }
            #expect(cells == expected, "sheet \(info.name)")
        }
        for file in ["single-empty.ods", "multi-empty.ods"] {
            let book = try Self.open(file)
            #expect(Self.cells(try book.load(book.sheets[0])) == [
                "A1": .string("StringCol"), "A2": .string("bbb"), "A3": .string("ccc"), "A4": .string("ddd"),
                "A5": .string("eee"), "A13": .string("zzz"),
            ], "\(file)")
        }
    }

    @Test("text: rich text runs, spaces, line breaks, annotations", .enabled(if: TestPaths.odsCorpus != nil || TestPaths.isCI))
    func text() throws {
        #expect(Self.cells(try Self.sheet("richtext_issue.ods", "datatypes")) == ["A1": .string("abc")])
        #expect(Self.cells(try Self.sheet("special_cells.ods", "sheet1")) == [
            "A1": .string("Split\nLine"), "A2": .string("Value  With spaces"), "A3": .string("Value   With 3 spaces"),
            "A4": .string(" Value   With spaces before and after "),
            "A5": .string("  Value   With 2 spaces before and after  "),
        ])
        #expect(Self.cells(try Self.sheet("with-annotation.ods", "table1")) == ["A1": .string("cell a.1")])
    }

    @Test("the encrypted file and the repeat bomb are refused with their specific errors",
        .enabled(if: TestPaths.odsCorpus != nil || TestPaths.isCI))
    func refused() throws {
        let folder = try #require(Self.corpusFolder())
        let protected = #expect(throws: SpreadsheetError.self) {
            try Workbook(path: folder.appendingPathComponent("pass_protected.ods").path)
        }
        #expect(protected?.code == .passwordProtected)
        // A billion rows of a billion cells out of 1,000 bytes: refused at the first cell, nothing expanded.
        let bomb = #expect(throws: SpreadsheetError.self) {
            try CorpusConformanceTests.readCompletely(folder.appendingPathComponent("issue_594_dos.ods").path)
        }
        #expect(bomb?.code == .limitExceeded)
        #expect(bomb?.sheet == "Sheet1")
    }
}
