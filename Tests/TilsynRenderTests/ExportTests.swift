import Foundation
import GRDB
import Testing
import TilsynAudit
@testable import TilsynRender
import TilsynSheets
import TilsynStore
import TilsynTestSupport

/// A small store imported from a CSV file, with CPR numbers planted where an import would never let them in.
final class ExportFixture {
    static let loaded = Result {
        try CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas")).load("kk-2025")
    }
    static var catalogue: Catalogue { get throws { try loaded.get() } }
    static let header = "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato\r\n"
    /// Planted in remarks, a unit name and a case number: none may leave in an export.
    static let plantedCPR = ["010101-1234", "2912881234", "311299 4321"]

    let directory: TemporaryDirectory
    let store: AuditStore

    /// Cases `A-1` (level 1 and 2) and `A-2` (level 1), answering U.1, U.2 and T.1.
    init(plantCPR: Bool = true) throws {
        directory = try TemporaryDirectory("export")
        store = try AuditStore(path: directory.path("tilsyn.sqlite"))
        func row(_ number: String, _ level: Int, _ question: String, _ answer: String, _ remark: String = "")
            -> String
        {
            "\(number);\(level);2025;\(question);\(answer);\(remark);Enhed Vest;§ 32;AB;14-03-2025\r\n"
        }
        var csv = Self.header
        csv += row("A-1", 1, "U.1", "Ja", "Bemærkning om sagen: æøå ÆØÅ")
        csv += row("A-1", 1, "U.2", "Nej")
        csv += row("A-1", 1, "T.1", "Høj grad", "=1+1 ser ud som en formel")
        csv += row("A-1", 2, "U.1", "Nej", "Genvurderet")
        csv += row("A-1", 2, "U.2", "Ikke relevant")
        csv += row("A-2", 1, "U.1", "Ja")
        let path = directory.path("A-1.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        let importer = Importer(catalogues: CatalogueSet([try Self.catalogue]), options: ImportOptions(), threads: 1)
        let summary = try importer.run(paths: [path], store: store)
        #expect(summary.files.allSatisfy { $0.status == .accepted || $0.status == .acceptedWithWarnings })
        #expect(summary.files.count == 1)
        if plantCPR {
            try store.database.write { db in
                try db.execute(
                    sql: "UPDATE answer SET remark = ? WHERE question = 'U.2'",
                    arguments: ["Mor har CPR \(Self.plantedCPR[0]) oplyst"])
                try db.execute(sql: "UPDATE unit SET name = ?", arguments: ["Enhed \(Self.plantedCPR[2])"])
                try db.execute(
                    sql: "UPDATE audit_case SET number = ? WHERE number = 'A-2'", arguments: [Self.plantedCPR[1]])
            }
        }
    }

    deinit { directory.cleanUp() }

    func export(
        _ format: ExportFormat, _ shape: ExportShape = .long, name: String? = nil,
        pseudonymizer: Pseudonymizer? = nil, remarks: Bool = true, dialect: CSVDialect = .rfc4180
    )
        throws -> (String, ExportSummary)
    {
        let path = directory.path(name ?? "out-\(shape.rawValue).\(format.rawValue)")
        let summary = try Exporter.export(
            from: store.reading, to: path,
            options: ExportOptions(
                format: format, shape: shape, dialect: dialect, pseudonymizer: pseudonymizer,
                includeRemarks: remarks))
        return (path, summary)
    }

    /// The NDJSON export's rows as dictionaries.
    func rows(_ shape: ExportShape, pseudonymizer: Pseudonymizer? = nil, remarks: Bool = true) throws
        -> [[String: Any]]
    {
        let (path, _) = try export(.ndjson, shape, pseudonymizer: pseudonymizer, remarks: remarks)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }
}

@Suite("Export")
struct ExportTests {
    static let longColumns = [
        "round", "level", "case_number", "kommune", "unit", "measure", "age", "reviewer", "review_date", "catalogue",
        "catalogue_version", "question", "step", "themes", "question_type", "applies", "answer", "answer_code",
        "remark", "source_file", "source_sha256", "sheet", "cell",
    ]

    @Test func longShapeHasOneRowPerAnswerWithMetadataAndProvenance() throws {
        let fixture = try ExportFixture(plantCPR: false)
        let (path, summary) = try fixture.export(.csv)
        #expect(summary.rows == 6)
        #expect(summary.reviews == 3)
        #expect(summary.columns == Self.longColumns)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines[0] == Self.longColumns.joined(separator: ","))
        let rows = try fixture.rows(.long)
        let first = try #require(rows.first)
        #expect(first["round"] as? String == "2025")
        #expect(first["level"] as? Int == 1)
        #expect(first["case_number"] as? String == "A-1")
        #expect(first["measure"] as? Int == 32)
        #expect(first["review_date"] as? String == "2025-03-14")
        #expect(first["question"] as? String == "U.1")
        #expect(first["step"] as? String == "U")
        #expect(first["question_type"] as? String == "JN")
        #expect(first["answer"] as? String == "Ja")
        #expect(first["answer_code"] as? Int == 1)
        #expect(first["remark"] as? String == "Bemærkning om sagen: æøå ÆØÅ")
        #expect((first["source_file"] as? String)?.hasSuffix("A-1.csv") == true)
        #expect((first["source_sha256"] as? String)?.count == 64)
        // Ordered by round, level, case, then catalogue order: U.1, U.2, T.1 for A-1 at level 1.
        #expect(rows.prefix(3).map { $0["question"] as? String } == ["U.1", "U.2", "T.1"])
        #expect(rows[2]["answer"] as? String == "Høj grad")
        #expect(rows[2]["answer_code"] as? Int == 6)
    }

    @Test func wideShapeHasOneRowPerReviewAndOneColumnPerQuestionInCatalogueOrder() throws {
        let fixture = try ExportFixture(plantCPR: false)
        let (_, summary) = try fixture.export(.json, .wide)
        let ids = try ExportFixture.catalogue.allQuestions.map(\.id)
        #expect(summary.rows == 3)
        #expect(summary.columns.count == 13 + ids.count * 2)
        #expect(Array(summary.columns.suffix(ids.count * 2)) == ids.flatMap { [$0, $0 + "_bemaerkning"] })
        let rows = try fixture.rows(.wide)
        #expect(rows.count == 3)
        #expect(rows[0]["U.1"] as? String == "Ja")
        #expect(rows[0]["T.1"] as? String == "Høj grad")
        #expect(rows[0]["U.1_bemaerkning"] as? String == "Bemærkning om sagen: æøå ÆØÅ")
        #expect(rows[0]["B.1"] is NSNull)
        #expect(rows[1]["U.2"] as? String == "Nej" || rows[1]["level"] as? Int == 1)

        let bare = try fixture.rows(.wide, remarks: false)
        #expect(!bare[0].keys.contains { $0.hasSuffix("_bemaerkning") })
        #expect(bare[0].count == 13 + ids.count)
    }

    @Test func noRemarksDropsTheRemarkColumn() throws {
        let fixture = try ExportFixture()
        let (path, summary) = try fixture.export(.csv, remarks: false)
        #expect(!summary.columns.contains("remark"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("Bemærkning om sagen"))
        #expect(!text.contains("Mor har CPR"))
    }

    @Test(arguments: ExportFormat.allCases, ExportShape.allCases)
    func noCPRLikeNumberLeavesInAnyFormat(format: ExportFormat, shape: ExportShape) throws {
        let fixture = try ExportFixture()
        let (path, summary) = try fixture.export(format, shape)
        // Remark, unit and case number, each on several rows.
        #expect(summary.redactions >= 3)
        for text in try Self.texts(path, format: format) {
            #expect(!CPRDetector.containsCPR(text), "a CPR-like number in \(format) \(shape)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for cpr in ExportFixture.plantedCPR {
            #expect(bytes.range(of: Data(cpr.utf8)) == nil)
        }
    }

    /// Every text the export holds: the file's text, or for XLSX and SQLite every cell read back.
    static func texts(_ path: String, format: ExportFormat) throws -> [String] {
        switch format {
        case .csv, .json, .ndjson:
            return [try String(contentsOfFile: path, encoding: .utf8)]
        case .xlsx:
            let workbook = try Workbook(path: path)
            var texts: [String] = []
            for name in workbook.sheets.map(\.name) {
                let sheet = try workbook.load(try #require(workbook.sheet(named: name)))
                for row in sheet.rows {
                    for cell in row.cells { if case .string(let text) = cell.value { texts.append(text) } }
                }
            }
            return texts
        case .sqlite:
            let queue = try DatabaseQueue(path: path)
            return try queue.read { db in
                var texts: [String] = []
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                    for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                        for value in row.databaseValues {
                            if let text = String.fromDatabaseValue(value) { texts.append(text) }
                        }
                    }
                }
                return texts
            }
        }
    }

    @Test func pseudonymIsHMACSHA256UnderTheKey() throws {
        let key = Array(UInt8(0)...UInt8(31))
        // Python: hmac.new(bytes(range(32)), b"S-2024-0001", hashlib.sha256).hexdigest()[:16]
        #expect(try Pseudonymizer(key: key).pseudonym("S-2024-0001") == "9f5fec0e2dd8a402")
        #expect(throws: ExportError.self) { try Pseudonymizer(key: [1, 2, 3]) }
        // Python: the MAC of S-2024-0441 begins cdeca1208667285c, which holds 120866-7285: the next window is taken.
        #expect(CPRDetector.containsCPR("cdeca1208667285c"))
        #expect(try Pseudonymizer(key: key).pseudonym("S-2024-0441") == "53c4d629ec2a79f6")
    }

    /// No pseudonym looks like a CPR number (about one first window in 500 does): a pseudonymised export is never
    /// refused by a CPR check, Tilsyn's own import of it included. Each is the first window of its MAC without one.
    @Test func noPseudonymLooksLikeACPRNumber() throws {
        let pseudonymizer = try Pseudonymizer(key: Array(repeating: 5, count: 32))
        var moved = 0
        for index in 0..<5_000 {
            let number = "S-2025-\(index)"
            let pseudonym = pseudonymizer.pseudonym(number)
            #expect(pseudonym.count == 16 && pseudonym.allSatisfy(\.isHexDigit))
            #expect(!CPRDetector.containsCPR(pseudonym), "\(number)")
            let windows = Array(pseudonymizer.candidates(number))
            let taken = try #require(windows.firstIndex(of: pseudonym))
            #expect(windows[..<taken].allSatisfy(CPRDetector.containsCPR))
            if taken > 0 { moved += 1 }
        }
        #expect(moved > 0, "the 5,000 numbers include some whose first window is CPR-like")
    }

    @Test func pseudonymsAreStableForOneKeyAndDifferAcrossKeys() throws {
        let fixture = try ExportFixture(plantCPR: false)
        let one = try Pseudonymizer(key: Array(repeating: 7, count: 32))
        let other = try Pseudonymizer(key: Array(repeating: 8, count: 32))
        let first = try fixture.rows(.long, pseudonymizer: one)
        let again = try fixture.rows(.long, pseudonymizer: one)
        let different = try fixture.rows(.long, pseudonymizer: other)
        func cases(_ rows: [[String: Any]]) -> [String] { rows.compactMap { $0["case_pseudonym"] as? String } }
        #expect(cases(first).count == 6)
        #expect(cases(first) == cases(again))
        #expect(Set(cases(first)).count == 2)
        #expect(Set(cases(first)).isDisjoint(with: Set(cases(different))))
        #expect(cases(first)[0] == one.pseudonym("A-1"))
        #expect(first.allSatisfy { $0["case_number"] == nil })
        // The file is named after the case: its name is pseudonymised too, with the extension kept. (Its folder is
        // the fixture's temporary one, whose random name may hold any text, so it is left out of the checks.)
        let source = try #require(first[0]["source_file"] as? String)
        let slash = try #require(source.lastIndex(of: "/"))
        let folder = String(source[...slash])
        #expect(!source.dropFirst(folder.count).contains("A-1"))
        #expect(source.hasSuffix(".csv"))
        let (path, _) = try fixture.export(.csv, .wide, pseudonymizer: one)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: folder, with: "")
        #expect(!text.contains("A-1"))
        #expect(!text.contains("A-2"))
    }

    @Test func aCaseNumberInARemarkIsPseudonymisedButCodedFieldsAreLeftAlone() throws {
        let fixture = try ExportFixture(plantCPR: false)
        try fixture.store.database.write { db in
            try db.execute(sql: "UPDATE audit_case SET number = 'S-2025-0001' WHERE number = 'A-1'")
            try db.execute(sql: "UPDATE answer SET remark = 'Jf. S-2025-0001 i akten' WHERE question = 'U.2'")
        }
        let pseudonymizer = try Pseudonymizer(key: Array(repeating: 9, count: 32))
        let (path, _) = try fixture.export(.ndjson, pseudonymizer: pseudonymizer)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("S-2025-0001"))
        #expect(text.contains("Jf. \(pseudonymizer.pseudonym("S-2025-0001")) i akten"))
        #expect(text.contains("\"round\":\"2025\""))
    }

    @Test func keyFileIsCreatedOwnerOnlyAndReadBack() throws {
        let directory = try TemporaryDirectory("export-key")
        defer { directory.cleanUp() }
        let keyFile = directory.path("tilsyn.key")
        let (created, state) = try Pseudonymizer.load(keyFile: keyFile)
        #expect(state == .created)
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let contents = try String(contentsOfFile: keyFile, encoding: .utf8)
        #expect(contents.count == 65)
        let (read, again) = try Pseudonymizer.load(keyFile: keyFile)
        #expect(again == .read)
        #expect(read.pseudonym("S-1") == created.pseudonym("S-1"))

        let (other, _) = try Pseudonymizer.load(keyFile: directory.path("other.key"))
        #expect(other.pseudonym("S-1") != created.pseudonym("S-1"))

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        #expect(try Pseudonymizer.load(keyFile: keyFile).1 == .readableByOthers)
    }

    @Test func theKeyNeverGoesIntoTheExport() throws {
        let fixture = try ExportFixture()
        let keyFile = fixture.directory.path("k.key")
        let (pseudonymizer, _) = try Pseudonymizer.load(keyFile: keyFile)
        let key = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        for format in [ExportFormat.csv, .json, .ndjson] {
            let (path, _) = try fixture.export(format, pseudonymizer: pseudonymizer)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!text.contains(key))
            #expect(!text.contains(String(key.prefix(16))))
        }
    }

    @Test func aFailedExportLeavesNoFileAndAnExistingTargetUntouched() throws {
        let fixture = try ExportFixture()
        for format in ExportFormat.allCases {
            let missing = fixture.directory.path("no-such-folder/out.\(format.rawValue)")
            #expect(throws: ExportError.self) {
                _ = try Exporter.export(
                    from: fixture.store.reading, to: missing, options: ExportOptions(format: format))
            }
        }
        let target = fixture.directory.path("existing.csv")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        _ = try fixture.export(.csv, name: "existing.csv")
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("round"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path)
            .filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func xlsxHasADataTableAndTheQuestionSheet() throws {
        let fixture = try ExportFixture(plantCPR: false)
        let (path, _) = try fixture.export(.xlsx, .long)
        let workbook = try Workbook(path: path)
        #expect(workbook.sheets.map(\.name) == ["Data", "Spørgsmål"])
        let data = try workbook.load(try #require(workbook.sheet(named: "Data")))
        #expect(data.rows.count == 7)
        let second = data.rows[1].cells
        // Reader columns are 1-based: B is level, I is review_date.
        let level = try #require(second.first { $0.column == 2 })
        #expect(level.value == .number(1))
        let date = try #require(second.first { $0.column == 9 })
        if case .date = date.value {} else { Issue.record("review_date is not a date: \(date.value)") }
        // The formula-like remark is text as the reviewer wrote it: a string cell is no formula, so no apostrophe.
        let texts = data.rows.flatMap(\.cells).compactMap { cell -> String? in
            if case .string(let text) = cell.value { return text }
            return nil
        }
        #expect(texts.contains("=1+1 ser ud som en formel"))
        #expect(!texts.contains { $0.hasPrefix("'") })
        let questions = try workbook.load(try #require(workbook.sheet(named: "Spørgsmål")))
        #expect(questions.rows.count == (try ExportFixture.catalogue.allQuestions.count) + 1)
        let archive = try ZipArchive(path: path)
        #expect(archive.entries.contains { $0.name == "xl/tables/table1.xml" })
        #expect(archive.entries.contains { $0.name == "xl/tables/table2.xml" })
    }
}
