import Foundation
import GRDB
import PropertyBased
import Testing
import TilsynAnalysis
import TilsynAudit
import TilsynSamples
import TilsynStore
import TilsynTestSupport

/// The store: atomic per-file imports, provenance, counts kept in step, resubmissions (on SQLite and on PostgreSQL),
/// and what is SQLite's own (WAL, two connections, the importer's batch on one file).
@Suite struct AuditStoreTests {
    static let catalogue = try! CatalogueStore(  // swiftlint:disable:this force_try
        schemas: TestPaths.packageRoot.appendingPathComponent("Schemas")).load("kk-2025")
    static let catalogues = CatalogueSet([catalogue])
    static let header = "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato\r\n"

    /// A store in a fresh temporary directory, with kk-2025 registered (as `tilsyn import` registers it), so the
    /// counts by sagsskridt and pejlemærke have the catalogue's groups.
    static func makeStore() throws -> (AuditStore, TemporaryDirectory) {
        let directory = try TemporaryDirectory("store")
        let store = try AuditStore(path: directory.path("tilsyn.sqlite"))
        try store.register(catalogues)
        return (store, directory)
    }

    /// A store on `backend` in a fresh temporary directory, with kk-2025 registered.
    static func makeStore(_ backend: Backend) throws -> (BackendStore, TemporaryDirectory) {
        let directory = try TemporaryDirectory("store")
        return (try BackendStore(backend, in: directory, catalogues: catalogues), directory)
    }

    static func file(_ csv: String, name: String = "svar.csv", options: ImportOptions = ImportOptions())
        -> ReturnedFile
    {
        ReturnedFileReader.read(bytes: Array(csv.utf8), name: name, catalogues: catalogues, options: options)
    }

    static func row(
        _ number: String, _ question: String, _ answer: String, remark: String = "", level: Int = 1,
        round: String = "2025", unit: String = "Enhed Vest", measure: String = "32", reviewer: String = "AB"
    ) -> String {
        "\(number);\(level);\(round);\(question);\(answer);\(remark);\(unit);\(measure);\(reviewer);14-03-2025\r\n"
    }

    /// The counts of an SQLite store another test made equal those recomputed from its answers.
    static func expectCountsMatchAnswers(_ store: AuditStore) throws {
        try expectCountsMatchAnswers(BackendStore(store))
    }

    /// The counts table equals the counts recomputed from the answers, and the kept case counts those rebuilt.
    static func expectCountsMatchAnswers(_ store: BackendStore) throws {
        let kept = try store.rows("""
            SELECT catalogue, question, round_id, level, unit_id, measure, reviewer_id, yes, no, not_applicable,
                unanswered, low, "some", high
            FROM answer_count WHERE yes + no + not_applicable + unanswered + low + "some" + high > 0
            ORDER BY 1, 2, 3, 4, 5, 6, 7
            """)
        let recomputed = try store.rows("""
            SELECT r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id,
                count(*) FILTER (WHERE a.applies = 1 AND a.code = 1),
                count(*) FILTER (WHERE a.applies = 1 AND a.code = 2),
                count(*) FILTER (WHERE a.code = 3 OR (a.applies = 0 AND a.code IS NOT NULL)),
                count(*) FILTER (WHERE a.code IS NULL),
                count(*) FILTER (WHERE a.applies = 1 AND a.code = 4),
                count(*) FILTER (WHERE a.applies = 1 AND a.code = 5),
                count(*) FILTER (WHERE a.applies = 1 AND a.code = 6)
            FROM answer a JOIN review r ON r.id = a.review_id
            GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
            """)
        #expect(kept == recomputed)
        // The case counts the import keeps equal those rebuilt from the answers, as sets of rows (a server returns
        // rows in no particular order, and rows tying on the leading columns in any).
        func caseCounts() throws -> [[String]] {
            try ["case_count", "level_pair_case_count", "level_set_count", "level_set_case_count"].map { table in
                try store.rows("SELECT * FROM \(table)").map { "\($0)" }.sorted()
            }
        }
        let imported = try caseCounts()
        try store.rebuildCaseCounts()
        #expect(try caseCounts() == imported)
    }

    @Test(arguments: Backend.available)
    func importStoresReviewsAnswersAndProvenance(_ backend: Backend) throws {
        let (store, directory) = try Self.makeStore(backend)
        defer { directory.cleanUp() }
        let csv = Self.header + Self.row("A-1", "U.1", "ja") + Self.row("A-1", "U.2", "Nej", remark: "Mangler.")
            + Self.row("A-1", "T.1", "høj") + Self.row("A-1", "O.5", "")
        let outcome = try store.importFile(Self.file(csv), replace: false)
        #expect(outcome.status == .imported)
        #expect(outcome.reviewsStored == 1)
        #expect(outcome.answersStored == 4)
        let rows = try store.rows("""
            SELECT a.question, a.code, a.answer, a.remark, a.sheet, a.cell, f.path, c.number, r.level, d.name
            FROM answer a JOIN review r ON r.id = a.review_id JOIN file f ON f.id = r.file_id
            JOIN audit_case c ON c.id = r.case_id JOIN round d ON d.id = r.round_id ORDER BY a.cell
            """)
        try #require(rows.count == 4)
        // O.5 does not apply to § 32: left blank, it is stored as unanswered (a blank applicable question is an
        // error and would reject the file).
        #expect(rows.map { $0.string(0) } == ["U.1", "U.2", "T.1", "O.5"])
        #expect(rows.map { $0.optionalInt(1) } == [1, 2, 6, nil])
        #expect(rows[1].optionalString(3) == "Mangler.")
        #expect(rows.map { $0.string(5) } == ["E2", "E3", "E4", "E5"])
        #expect(rows[0].string(6) == "svar.csv")
        #expect(rows[0].string(7) == "A-1")
        #expect(rows[0].int(8) == 1)
        #expect(rows[0].string(9) == "2025")
        try Self.expectCountsMatchAnswers(store)
        #expect(try store.totals() == AuditStore.Totals(files: 1, reviews: 1, answers: 4))
    }

    @Test(arguments: Backend.available)
    func importingTheSameFileAgainIsANoOp(_ backend: Backend) throws {
        let (store, directory) = try Self.makeStore(backend)
        defer { directory.cleanUp() }
        let file = Self.file(Self.header + Self.row("A-1", "U.1", "Ja"))
        #expect(try store.importFile(file, replace: false).status == .imported)
        #expect(try store.importFile(file, replace: false).status == .alreadyImported)
        #expect(try store.totals() == AuditStore.Totals(files: 1, reviews: 1, answers: 1))
        #expect(try store.containsFile(sha256: file.sha256))
    }

    @Test(arguments: Backend.available)
    func aRejectedFileLeavesNothing(_ backend: Backend) throws {
        let (store, directory) = try Self.makeStore(backend)
        defer { directory.cleanUp() }
        let file = Self.file(Self.header + Self.row("A-1", "U.1", "Ja") + Self.row("A-2", "U.1", "jaa"))
        #expect(file.isRejected)
        #expect(try store.importFile(file, replace: false).status == .rejected)
        #expect(try store.totals() == AuditStore.Totals(files: 0, reviews: 0, answers: 0))
    }

    /// The cases reviewed at a level in more than one round, kept by the import through new rounds and
    /// replacements, equal those found from scratch.
    @Test(arguments: Backend.available)
    func recurringCasesAreKeptByTheImport(_ backend: Backend) throws {
        let (store, directory) = try Self.makeStore(backend)
        defer { directory.cleanUp() }
        func recurring() throws -> [[Int]] {
            try store.rows(
                "SELECT c.number, k.level FROM recurring_case k JOIN audit_case c ON c.id = k.case_id ORDER BY 1, 2"
            ).map { [Int(String($0.string(0).dropFirst(2))) ?? 0, $0.int(1)] }
        }
        _ = try store.importFile(Self.file(Self.header + Self.row("A-1", "U.1", "Ja", round: "2024"), name: "a.csv"),
                                 replace: false)
        #expect(try recurring().isEmpty)
        _ = try store.importFile(
            Self.file(Self.header + Self.row("A-1", "U.1", "Nej", remark: "x", round: "2025")
                + Self.row("A-2", "U.1", "Ja", round: "2025") + Self.row("A-1", "U.1", "Ja", level: 2, round: "2025"),
                      name: "b.csv"), replace: false)
        #expect(try recurring() == [[1, 1]], "A-1 at niveau 1 in 2024 and 2025; A-2 once; A-1 at niveau 2 once")
        let replaced = try store.importFile(
            Self.file(Self.header + Self.row("A-1", "U.1", "Ja", round: "2025"), name: "c.csv"), replace: true)
        #expect(replaced.reviewsReplaced == 1)
        #expect(try recurring() == [[1, 1]])
        let kept = try recurring()
        try store.rebuildCaseCounts()
        #expect(try recurring() == kept)
    }

    @Test(arguments: Backend.available)
    func resubmissionWithOtherAnswersIsRejectedUnlessReplacing(_ backend: Backend) throws {
        let (store, directory) = try Self.makeStore(backend)
        defer { directory.cleanUp() }
        let first = Self.file(Self.header + Self.row("A-1", "U.1", "Ja") + Self.row("A-1", "U.2", "Ja"), name: "a.csv")
        let changed = Self.file(
            Self.header + Self.row("A-1", "U.1", "Nej", remark: "Ikke vurderet.") + Self.row("A-1", "U.2", "Ja"),
            name: "b.csv")
        _ = try store.importFile(first, replace: false)
        let rejected = try store.importFile(changed, replace: false)
        #expect(rejected.status == .rejected)
        #expect(rejected.findings.map(\.rule) == [.resubmission])
        #expect(rejected.findings[0].severity == .error)
        #expect(rejected.findings[0].message.contains("a.csv"))
        #expect(try store.totals().files == 1)

        let replaced = try store.importFile(changed, replace: true)
        #expect(replaced.status == .imported)
        #expect(replaced.reviewsReplaced == 1)
        #expect(replaced.findings.map(\.severity) == [.warning])
        let counted = try store.rows(
            "SELECT (SELECT code FROM answer WHERE question = 'U.1'), (SELECT sum(no) FROM answer_count)")
        let (code, no) = (counted[0].optionalInt(0), counted[0].optionalInt(1))
        #expect(code == 2)
        #expect(no == 1)
        try Self.expectCountsMatchAnswers(store)
        #expect(try store.totals().reviews == 1)
    }

    @Test(arguments: Backend.available, [
        ("enhed", Self.row("A-1", "U.1", "Ja", unit: "Enhed Øst")),
        ("reviewer", Self.row("A-1", "U.1", "Ja", reviewer: "CD")),
        ("indsats", Self.row("A-1", "U.1", "Ja", measure: "46")),
    ])
    func aResubmissionThatChangesOnlyMetadata(backend: Backend, change: (field: String, row: String)) throws {
        let (field, row) = change
        let (store, directory) = try Self.makeStore(backend)
        defer { directory.cleanUp() }
        _ = try store.importFile(Self.file(Self.header + Self.row("A-1", "U.1", "Ja"), name: "a.csv"), replace: false)
        let corrected = Self.file(Self.header + row, name: "b.csv")
        // Without --replace: refused, and the finding says what changed.
        let refused = try store.importFile(corrected, replace: false)
        #expect(refused.status == .rejected)
        #expect(refused.findings.map(\.rule) == [.resubmission])
        #expect(refused.findings.first?.message.contains(field) == true, "\(refused.findings.map(\.message))")
        #expect(try store.totals() == AuditStore.Totals(files: 1, reviews: 1, answers: 1))
        // With it: stored in place of the first, reported as a warning.
        let replaced = try store.importFile(corrected, replace: true)
        #expect(replaced.status == .imported && replaced.reviewsReplaced == 1)
        #expect(replaced.findings.map(\.severity) == [.warning])
        let stored = try store.rows("""
            SELECT u.name, v.initials, r.measure FROM review r JOIN unit u ON u.id = r.unit_id
            JOIN reviewer v ON v.id = r.reviewer_id
            """).first
        let expected = corrected.reviews[0]
        #expect(stored?.string(0) == expected.unit && stored?.string(1) == expected.reviewer)
        #expect(stored?.int(2) == expected.measure.paragraph)
        #expect(try store.totals().reviews == 1)
        try Self.expectCountsMatchAnswers(store)
    }

    @Test(arguments: Backend.available)
    func identicalResubmissionIsKeptAsItWas(_ backend: Backend) throws {
        let (store, directory) = try Self.makeStore(backend)
        defer { directory.cleanUp() }
        _ = try store.importFile(Self.file(Self.header + Self.row("A-1", "U.1", "Ja"), name: "a.csv"), replace: false)
        let again = try store.importFile(
            Self.file(Self.header + Self.row("A-1", "U.1", "ja "), name: "b.csv"), replace: false)
        // Other bytes with the very same review: nothing to store, so no file is recorded either.
        #expect(again.status == .alreadyImported)
        #expect(again.reviewsUnchanged == 1)
        #expect(again.reviewsStored == 0)
        #expect(try store.totals() == AuditStore.Totals(files: 1, reviews: 1, answers: 1))
    }

    @Test(arguments: Backend.available)
    func nothingUnrecognisedIsEverStored(_ backend: Backend) async throws {
        let (store, directory) = try Self.makeStore(backend)
        defer { directory.cleanUp() }
        let characters = Gen<Character?>.element(of: Array("jaJAneNEiIrRkKlLhHøgGdD .-/?1x")).map { $0 ?? "a" }
        let questions = ["U.1", "T.1", "P.4", "AF.1"]
        let counter = Counter()
        await propertyCheck(count: 300, input: characters.string(of: 0...8).array(of: 4...4)) { answers in
            let number = "R-\(counter.next())"
            var csv = Self.header
            for (question, answer) in zip(questions, answers) {
                csv += Self.row(number, question, answer.replacingOccurrences(of: ";", with: ""))
            }
            _ = try store.importFile(Self.file(csv, name: "\(number).csv"), replace: false)
        }
        for row in try store.rows("SELECT a.question, a.code, a.answer FROM answer a") {
            let (question, code, answer) = (row.string(0), row.optionalInt(1), row.optionalString(2))
            let scale = Self.catalogue.scale(Self.catalogue.question(question)?.type ?? "")
            #expect((code == nil) == (answer == nil))
            if let answer {
                #expect(scale?.answers.contains(answer) == true, "\(answer) stored for \(question)")
                #expect(AnswerCode(rawValue: code ?? 0)?.canonical == answer)
            }
        }
        try Self.expectCountsMatchAnswers(store)
    }

    @Test func concurrentImportsFromTwoConnectionsBothLand() async throws {
        let directory = try TemporaryDirectory("concurrent")
        defer { directory.cleanUp() }
        let path = directory.path("tilsyn.sqlite")
        _ = try AuditStore(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    let store = try AuditStore(path: path)
                    for index in 0..<25 {
                        let csv = Self.header + Self.row("C-\(writer)-\(index)", "U.1", "Ja")
                        let file = Self.file(csv, name: "\(writer)-\(index).csv")
                        let outcome = try store.importFile(file, replace: false)
                        #expect(outcome.status == .imported)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try AuditStore(path: path).totals() == AuditStore.Totals(files: 50, reviews: 50, answers: 50))
    }

    @Test func storeIsInWALModeWithTheSchemaMigrated() throws {
        let (store, directory) = try Self.makeStore()
        defer { directory.cleanUp() }
        try store.database.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
            for table in ["answer", "answer_count", "audit_case", "file", "review", "round", "unit", "reviewer"] {
                #expect(tables.contains(table))
            }
            #expect(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'")
                .contains("answer_count_by_question"))
        }
        #expect(throws: StoreError.self) { try AuditStore.openForReading(path: directory.path("none.sqlite")) }
    }

    @Test(arguments: Backend.available)
    func importerRunsABatchInOrder(_ backend: Backend) throws {
        let (store, directory) = try Self.makeStore(backend)
        defer { directory.cleanUp() }
        let first = directory.path("1.csv")
        let second = directory.path("2.csv")
        try Data((Self.header + Self.row("A-1", "U.1", "Ja")).utf8).write(to: URL(fileURLWithPath: first))
        try Data((Self.header + Self.row("A-1", "U.1", "Nej", remark: "x")).utf8)
            .write(to: URL(fileURLWithPath: second))
        let importer = Importer(catalogues: Self.catalogues, options: ImportOptions(), threads: 2)
        // Two files with the same case, level and round and other answers: neither wins by its place in the order.
        let summary = try store.run(importer, paths: [first, second])
        #expect(summary.files.map(\.status) == [.rejected, .rejected])
        for file in summary.files {
            #expect(file.findings.filter { $0.severity == .error }.map(\.rule) == [.duplicateReview])
        }
        #expect(try store.totals().files == 0)
        let alone = try store.run(importer, paths: [first])
        #expect(alone.files.map(\.status) == [.acceptedWithWarnings])
        let again = try store.run(importer, paths: [first])
        #expect(again.files.map(\.status) == [.alreadyImported])
        let validated = try store.validate(importer, paths: [second])
        #expect(validated.files.map(\.status) == [.rejected])
        #expect(validated.files[0].findings.filter { $0.severity == .error }.map(\.rule) == [.resubmission])
    }

    // MARK: - Compliance

    @Test(arguments: Backend.available)
    func complianceByThemeAndStepFromTheCounts(_ backend: Backend) throws {
        let (store, directory) = try Self.makeStore(backend)
        defer { directory.cleanUp() }
        try store.register(Self.catalogues)
        // U.1 (UDR): Ja, Ja, Nej; U.4 (INB): Ja, Ikke relevant; P.2 on § 30 (inapplicable, answered Ja): leaves n.
        let csv = Self.header + Self.row("A-1", "U.1", "Ja") + Self.row("A-2", "U.1", "Ja")
            + Self.row("A-3", "U.1", "Nej", remark: "x") + Self.row("A-1", "U.4", "Ja") + Self.row("A-2", "U.4", "IR")
            + Self.row("A-4", "P.2", "Ja", measure: "30")
        _ = try store.importFile(Self.file(csv), replace: false)
        let themes = try Compliance.rows(store.reader, by: .theme)
        let udr = try #require(themes.first { $0.group == "UDR" })
        #expect((udr.yes, udr.no, udr.n) == (2, 1, 3))
        let inb = try #require(themes.first { $0.group == "INB" })
        #expect((inb.yes, inb.no, inb.notApplicable) == (1, 0, 1))
        let plan = try #require(themes.first { $0.group == "PLAN" })
        #expect((plan.n, plan.notApplicable) == (0, 1))
        let steps = try Compliance.rows(store.reader, by: .step)
        #expect(steps.first { $0.group == "U" }.map { ($0.yes, $0.n) } ?? (0, 0) == (3, 4))
    }
}

/// A thread-safe counter for unique names in property tests.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
