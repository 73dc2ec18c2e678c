import Foundation
import GRDB
import Testing
import TilsynAudit
import TilsynStore
import TilsynTestSupport

/// The kommune in the store: a case is its number and a unit its name within its kommune; a case stored with a
/// kommune is never paired with a review naming none (or the reverse) until the store's kommune says which it is (on
/// SQLite and on PostgreSQL).
@Suite struct KommuneTests {
    static let header = AuditStoreTests.header.replacingOccurrences(of: "\r\n", with: ";kommune\r\n")

    /// One long-CSV row of `number` at `level` naming `kommune` (none when empty).
    static func row(_ number: String, level: Int = 1, answer: String = "Ja", kommune: String = "") -> String {
        "\(number);\(level);2025;U.1;\(answer);;Enhed Vest;32;AB;14-03-2025;\(kommune)\r\n"
    }

    static func file(_ rows: String, name: String, kommune: String? = nil) -> ReturnedFile {
        AuditStoreTests.file(header + rows, name: name, options: ImportOptions(kommune: kommune))
    }

    /// The stored reviews as `kommune|number|level|unit's kommune|unit`, sorted.
    static func reviews(_ store: BackendStore) throws -> [String] {
        try store.rows("""
            SELECT c.kommune, c.number, r.level, u.kommune, u.name
            FROM review r JOIN audit_case c ON c.id = r.case_id JOIN unit u ON u.id = r.unit_id
            """
        ).map { row in row.indices.map { row.string($0) }.joined(separator: "|") }.sorted()
    }

    static func pairs(_ store: BackendStore) throws -> Int {
        try store.rows("SELECT coalesce(sum(items), 0) FROM level_pair_count")[0].int(0)
    }

    @Test(arguments: Backend.available)
    func theSameNumberInTwoKommunerIsTwoCases(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        #expect(try store.importFile(Self.file(Self.row("L-1", kommune: "Aarhus"), name: "a.csv"), replace: false)
            .status == .imported)
        let odense = try store.importFile(
            Self.file(Self.row("L-1", answer: "Nej", kommune: "Odense"), name: "o.csv"), replace: false)
        #expect(odense.status == .imported && odense.findings.isEmpty, "another kommune's case: no resubmission")
        #expect(try Self.reviews(store) == ["Aarhus|L-1|1|Aarhus|Enhed Vest", "Odense|L-1|1|Odense|Enhed Vest"])
        try AuditStoreTests.expectCountsMatchAnswers(store)
    }

    /// A review naming no kommune of a case stored under one is refused, naming the sagsnummer cell, and stores
    /// nothing; imported with `--kommune` it pairs with the stored level.
    @Test(arguments: Backend.available)
    func aCaseStoredWithAKommuneRefusesAReviewNamingNone(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        #expect(try store.importFile(Self.file(Self.row("L-1", kommune: "Aarhus"), name: "a.csv"), replace: false)
            .status == .imported)
        let unnamed = try store.importFile(Self.file(Self.row("L-1", level: 2), name: "n2.csv"), replace: false)
        #expect(unnamed.status == .rejected)
        let finding = try #require(unnamed.findings.first)
        #expect(finding.rule == .kommuneConflict && finding.severity == .error)
        #expect(finding.cell == "A2" && finding.message.contains("Aarhus") && !finding.message.contains("L-1"))
        #expect(!finding.suggestion.contains("--"), "findings go to reviewers and name no flags")
        #expect(try Self.reviews(store) == ["Aarhus|L-1|1|Aarhus|Enhed Vest"])

        let named = try store.importFile(
            Self.file(Self.row("L-1", level: 2), name: "n2.csv", kommune: "Aarhus"), replace: false)
        #expect(named.status == .imported)
        #expect(try Self.pairs(store) == 1)
        try AuditStoreTests.expectCountsMatchAnswers(store)
    }

    /// The reverse: cases stored without a kommune refuse a review naming one until the store's kommune is set,
    /// which moves them (and their units) to it; the counts stay those of the answers.
    @Test(arguments: Backend.available)
    func settingTheStoresKommuneAdoptsTheUnnamedCases(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        #expect(try store.importFile(Self.file(Self.row("L-1") + Self.row("L-2"), name: "a.csv"), replace: false)
            .status == .imported)
        let named = Self.file(Self.row("L-1", level: 2, kommune: "Aarhus"), name: "n2.csv")
        let refused = try store.importFile(named, replace: false)
        #expect(refused.findings.map(\.rule) == [.kommuneConflict] && refused.status == .rejected)
        #expect(refused.findings.first?.message.contains("uden kommune") == true)

        try store.set(.kommune, to: "Aarhus")
        #expect(try store.value(of: .kommune) == "Aarhus")
        #expect(try Self.reviews(store) == ["Aarhus|L-1|1|Aarhus|Enhed Vest", "Aarhus|L-2|1|Aarhus|Enhed Vest"])
        #expect(try store.importFile(named, replace: false).status == .imported)
        #expect(try Self.pairs(store) == 1)
        try AuditStoreTests.expectCountsMatchAnswers(store)
    }

    /// A unit stored both without a kommune and under the store's kommune becomes one unit, its counts counted
    /// again: they equal a recount from the answers.
    @Test(arguments: Backend.available)
    func aUnitStoredWithAndWithoutTheKommuneIsMerged(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        #expect(try store.importFile(Self.file(Self.row("L-1"), name: "a.csv"), replace: false).status == .imported)
        #expect(try store.importFile(
            Self.file(Self.row("L-2", answer: "Nej", kommune: "Aarhus") + Self.row("L-2", level: 2, kommune: "Aarhus"),
                      name: "b.csv"), replace: false).status == .imported)
        #expect(try store.rows("SELECT count(*) FROM unit")[0].int(0) == 2)
        try store.set(.kommune, to: "Aarhus")
        #expect(try store.rows("SELECT count(*) FROM unit")[0].int(0) == 1)
        #expect(try Self.reviews(store) == [
            "Aarhus|L-1|1|Aarhus|Enhed Vest", "Aarhus|L-2|1|Aarhus|Enhed Vest", "Aarhus|L-2|2|Aarhus|Enhed Vest",
        ])
        #expect(try Self.pairs(store) == 1)
        try AuditStoreTests.expectCountsMatchAnswers(store)
    }

    /// A store's kommune names the municipality of the files an import reads that name none.
    @Test(arguments: Backend.available)
    func theStoresKommuneFillsInForAnImport(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        #expect(try store.importFile(Self.file(Self.row("L-1", kommune: "Aarhus"), name: "a.csv"), replace: false)
            .status == .imported)
        try store.set(.kommune, to: "Aarhus")
        let path = directory.path("n2.csv")
        try (Self.header + Self.row("L-1", level: 2)).write(toFile: path, atomically: true, encoding: .utf8)
        let summary = try store.run(
            Importer(catalogues: AuditStoreTests.catalogues, options: ImportOptions()), paths: [path])
        #expect(summary.rejected == 0)
        #expect(try Self.reviews(store) == ["Aarhus|L-1|1|Aarhus|Enhed Vest", "Aarhus|L-1|2|Aarhus|Enhed Vest"])
        let validated = try store.validate(
            Importer(catalogues: AuditStoreTests.catalogues, options: ImportOptions()), paths: [path])
        #expect(validated.rejected == 0)
    }
}
