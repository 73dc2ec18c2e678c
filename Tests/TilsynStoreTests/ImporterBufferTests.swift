import Foundation
import Testing
import TilsynAudit
import TilsynStore
import TilsynTestSupport

/// The importer checks a whole batch before storing any of it, but holds only `bufferedAnswers` answers of the files
/// read: the rest are read again when stored, with the same result, and refused if they changed meanwhile (into
/// SQLite and into PostgreSQL).
@Suite struct ImporterBufferTests {
    /// A batch with every kind of file: new reviews, two files that disagree about one review, a copy of a file
    /// sent twice, a file with an error, and one stored before the run.
    static func writeBatch(_ directory: TemporaryDirectory) throws -> (before: String, batch: [String]) {
        let header = AuditStoreTests.header
        let row = AuditStoreTests.row
        let files: [(String, String)] = [
            ("0-known.csv", header + row("K-1", "U.1", "Ja", "", 1, "2025", "Enhed Vest", "32", "AB")),
            ("1.csv", header + row("A-1", "U.1", "Ja", "", 1, "2025", "Enhed Vest", "32", "AB")
                + row("A-1", "U.2", "Nej", "mangler", 1, "2025", "Enhed Vest", "32", "AB")),
            ("2-conflict.csv", header + row("B-1", "U.1", "Ja", "", 1, "2025", "Enhed Vest", "32", "AB")),
            ("3.csv", header + row("C-1", "U.1", "Nej", "x", 2, "2025", "Enhed Nord", "30", "CD")),
            ("4-conflict.csv", header + row("B-1", "U.1", "Nej", "x", 1, "2025", "Enhed Vest", "32", "AB")),
            ("5-copy.csv", header + row("C-1", "U.1", "Nej", "x", 2, "2025", "Enhed Nord", "30", "CD")),
            ("6-error.csv", header + row("D-1", "U.1", "Måske", "", 1, "2025", "Enhed Vest", "32", "AB")),
            ("7.csv", header + row("E-1", "U.1", "Ja", "", 1, "2025", "Enhed Syd", "47", "EF")
                + row("E-2", "U.1", "Ja", "", 1, "2025", "Enhed Syd", "47", "EF")),
        ]
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: directory.path(name))) }
        return (directory.path("0-known.csv"), files.map { directory.path($0.0) })
    }

    /// What an import run reported and left in the store.
    struct Outcome: Equatable {
        var statuses: [FileReport.Status]
        var findings: [[String]]
        var reviews: Int
        var answers: Int
        var stored: [[SQLValue]]
    }

    static func importBatch(
        _ backend: Backend, bufferedAnswers: Int, threads: Int, change: (@Sendable () -> Void)? = nil
    ) throws -> Outcome {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        let (before, batch) = try writeBatch(directory)
        var importer = Importer(catalogues: AuditStoreTests.catalogues, options: ImportOptions(), threads: threads)
        _ = try store.run(importer, paths: [before])
        importer.bufferedAnswers = bufferedAnswers
        importer.beforeReadingAgain = change
        let summary = try store.run(importer, paths: batch)
        try AuditStoreTests.expectCountsMatchAnswers(store)
        let stored = try store.rows("""
            SELECT f.path, c.number, r.level, a.question, a.answer, a.remark, a.sheet, a.cell
            FROM answer a JOIN review r ON r.id = a.review_id JOIN file f ON f.id = r.file_id
            JOIN audit_case c ON c.id = r.case_id
            """)
        return Outcome(
            statuses: summary.files.map(\.status),
            // The directory differs between runs (and messages name other files by path); the names do not.
            findings: summary.files.map { file in
                file.findings.map {
                    "\($0.rule) \($0.cell) \($0.message)".replacingOccurrences(of: directory.path(""), with: "")
                }
            },
            reviews: summary.reviews, answers: summary.answers,
            stored: stored.map { row in
                var values = row
                values[0] = .text(row.string(0).split(separator: "/").last.map(String.init) ?? "")
                return values
            }.sorted { $0.map { "\($0)" }.lexicographicallyPrecedes($1.map { "\($0)" }) })
    }

    @Test(arguments: Backend.available, [(0, 1), (0, 2), (1, 1), (1, 2), (3, 1), (3, 2)])
    func filesBeyondTheBufferAreReadAgainAndStoredTheSame(backend: Backend, run: (buffered: Int, threads: Int)) throws {
        let (bufferedAnswers, threads) = run
        let held = try Self.importBatch(backend, bufferedAnswers: 1_000_000, threads: 2)
        #expect(held.statuses == [
            .alreadyImported, .acceptedWithWarnings, .rejected, .acceptedWithWarnings, .rejected,
            .alreadyImported, .rejected, .acceptedWithWarnings,
        ])
        #expect(held.findings[2].contains { $0.hasPrefix("duplicateReview") })
        #expect(held.findings[4].contains { $0.hasPrefix("duplicateReview") })
        #expect(held.stored.count == 1 + 2 + 1 + 2)
        #expect(try Self.importBatch(backend, bufferedAnswers: bufferedAnswers, threads: threads) == held)
    }

    @Test(arguments: Backend.available)
    func aFileChangedBeforeItIsReadAgainIsRefused(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("changed")
        defer { directory.cleanUp() }
        let (store, storeDirectory) = try AuditStoreTests.makeStore(backend)
        defer { storeDirectory.cleanUp() }
        let (_, batch) = try Self.writeBatch(directory)
        let changed = batch[7]
        var importer = Importer(catalogues: AuditStoreTests.catalogues, options: ImportOptions(), threads: 2)
        importer.bufferedAnswers = 0
        importer.beforeReadingAgain = {
            // Another program saves the file after the batch check: its new answers were never checked.
            try? Data((AuditStoreTests.header + AuditStoreTests.row("B-1", "U.1", "Nej")).utf8)
                .write(to: URL(fileURLWithPath: changed))
        }
        let summary = try store.run(importer, paths: batch)
        #expect(summary.files[7].status == .rejected)
        #expect(summary.files[7].findings.map(\.rule) == [.changedDuringImport])
        #expect(summary.files[7].findings[0].message.contains("ændret"))
        // The others are stored as ever; nothing of the changed file is.
        #expect(summary.files[1].status == .acceptedWithWarnings)
        let cases = try store.rows("SELECT DISTINCT c.number FROM review r JOIN audit_case c ON c.id = r.case_id")
            .map { $0.string(0) }.sorted()
        #expect(cases == ["A-1", "C-1", "K-1"])
    }

    /// A run of one file reads it once, storing each review as it is read: a file found rejected only at its last
    /// review, or refused half-way by a resubmission, leaves nothing; a good one is stored whole.
    @Test(arguments: Backend.available)
    func oneFileIsStoredAsItIsReadOrNotAtAll(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        let header = AuditStoreTests.header
        func row(_ number: String, _ question: String, _ answer: String, remark: String = "") -> String {
            AuditStoreTests.row(number, question, answer, remark: remark)
        }
        func write(_ name: String, _ text: String) throws -> String {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory.path(name)))
            return directory.path(name)
        }
        func stored() throws -> [Int] {
            let totals = try store.totals()
            return [totals.files, totals.reviews, totals.answers]
        }
        let importer = Importer(catalogues: AuditStoreTests.catalogues, options: ImportOptions(), threads: 1)
        let lastIsWrong = try write("a.csv", header + row("A-1", "U.1", "Ja") + row("A-2", "U.1", "Nej", remark: "x")
            + row("A-3", "U.1", "Måske"))
        #expect(try store.run(importer, paths: [lastIsWrong]).files.map(\.status) == [.rejected])
        #expect(try stored() == [0, 0, 0])
        let good = try write("b.csv", header + row("A-1", "U.1", "Ja") + row("A-2", "U.1", "Nej", remark: "x"))
        let first = try store.run(importer, paths: [good])
        #expect(first.rejected == 0 && first.accepted + first.acceptedWithWarnings == 1 && first.answers == 2)
        #expect(try stored() == [1, 2, 2])
        // A new review first, then one that differs from the stored A-2 (no --replace): refused, the new one too.
        let resubmitted = try write("c.csv", header + row("A-0", "U.1", "Ja") + row("A-2", "U.1", "Ja"))
        let refused = try store.run(importer, paths: [resubmitted])
        #expect(refused.files.map(\.status) == [.rejected])
        #expect(refused.findings.map(\.rule).contains(.resubmission))
        #expect(try stored() == [1, 2, 2])
        try AuditStoreTests.expectCountsMatchAnswers(store)
    }
}
