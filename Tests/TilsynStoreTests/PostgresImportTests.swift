import Foundation
import Testing
import TilsynAnalysis
import TilsynAudit
import TilsynSamples
import TilsynTestSupport

@testable import TilsynStore

/// The import on PostgreSQL against the import on SQLite as the oracle: the sample files in every input shape give
/// the same files accepted and refused, the same answers where they were read, the same kept counts and the same
/// figures; a second import changes nothing.
@Suite(.needsPostgres) struct PostgresImportTests {
    static let catalogues = try! CatalogueSet(  // swiftlint:disable:this force_try
        store: CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas")))

    /// Every stored answer with its case, round, level, unit and reviewer by name, and its place, as text.
    static let answers = """
        SELECT c.kommune, c.number, d.name, r.level, u.kommune, u.name, v.initials, r.measure, r.catalogue,
            a.question, a.code, a.answer, a.applies, a.remark, a.sheet, a.cell, f.path
        FROM answer a JOIN review r ON r.id = a.review_id JOIN audit_case c ON c.id = r.case_id
        JOIN round d ON d.id = r.round_id JOIN unit u ON u.id = r.unit_id JOIN reviewer v ON v.id = r.reviewer_id
        JOIN file f ON f.id = r.file_id
        """

    /// The answer counts by names instead of ids (the two back ends number their rows each on their own).
    static let answerCounts = """
        SELECT k.catalogue, k.question, d.name, k.level, u.kommune, u.name, k.measure, v.initials, k.yes, k.no,
            k.not_applicable, k.unanswered, k.low, k."some", k.high
        FROM answer_count k JOIN round d ON d.id = k.round_id JOIN unit u ON u.id = k.unit_id
        JOIN reviewer v ON v.id = k.reviewer_id
        WHERE k.yes + k.no + k.not_applicable + k.unanswered + k.low + k."some" + k.high > 0
        """

    static func text(_ rows: [[SQLValue]]) -> [String] {
        rows.map { row in row.indices.map { row.optionalString($0) ?? "∅" }.joined(separator: "|") }.sorted()
    }

    /// What a store holds, comparable across back ends: answers and answer counts by names, and the figures by
    /// pejlemærke, round and kommune, agreement and trend.
    struct Contents: Equatable {
        var answers: [String]
        var counts: [String]
        var summary: [Summary.Row]
        var agreement: [Agreement.Row]
        var trend: [Trend.Row]

        init(_ reader: StoreReader) throws {
            (answers, counts) = try reader.read { sql in
                (PostgresImportTests.text(try sql.rows(PostgresImportTests.answers, [])),
                 PostgresImportTests.text(try sql.rows(PostgresImportTests.answerCounts, [])))
            }
            summary = try Summary.rows(reader, by: [.theme, .round, .kommune])
            agreement = try Agreement.comparisons(reader, levels: [1, 2], by: [.round])
            trend = try Trend.rows(reader, by: [.step])
        }
    }

    @Test func theSamplesImportAsIntoSQLite() throws {
        let paths = try ReturnedFiles.collect([TestPaths.packageRoot.appendingPathComponent("Samples/returned").path])
        let importer = Importer(
            catalogues: Self.catalogues, options: ImportOptions(kommune: SampleData.kommune), threads: 2)

        let directory = try TemporaryDirectory("pg-oracle")
        defer { directory.cleanUp() }
        let sqlite = try AuditStore(path: directory.path("tilsyn.sqlite"))
        let expected = try importer.run(paths: paths, store: sqlite)

        let database = try TestPostgres.Database("import")
        defer { database.drop() }
        guard case .postgres(let location) = try StoreLocation(database.url) else { return }
        let postgres = try PostgresStore(location)
        let got = try importer.run(paths: paths, store: postgres)
        #expect(got.files.map(\.status) == expected.files.map(\.status))
        #expect((got.reviews, got.answers) == (expected.reviews, expected.answers))
        #expect(got.answers > 10_000)

        let want = try Contents(StoreReader(sqlite))
        let have = try Contents(StoreReader(try postgres.reading()))
        #expect(have.answers.count == got.answers && want.answers.count == expected.answers)
        #expect(have.answers == want.answers)
        #expect(have.counts == want.counts)
        #expect(have.summary == want.summary && !want.summary.isEmpty)
        #expect(have.agreement == want.agreement && want.agreement.contains { $0.compared > 0 })
        #expect(have.trend == want.trend && !want.trend.isEmpty)

        // The same bytes again: nothing to do.
        let again = try importer.run(paths: paths, store: postgres)
        #expect(again.files.allSatisfy { $0.status == .alreadyImported || $0.status == .rejected })
        #expect(try Contents(StoreReader(try postgres.reading())) == want)
    }
}
