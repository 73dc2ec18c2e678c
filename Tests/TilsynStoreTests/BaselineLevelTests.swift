import Foundation
import Testing
import TilsynAnalysis
import TilsynAudit
import TilsynStore
import TilsynTestSupport

/// The baseline level: the store's setting, else the catalogue model's, else level 1; and the temanedslag flag (on
/// SQLite and on PostgreSQL).
@Suite struct BaselineLevelTests {
    @Test(arguments: Backend.available)
    func settingBeatsCatalogueBeatsLevelOne(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.cleanUp() }
        let store = try BackendStore(backend, in: directory, catalogues: CatalogueSet([]))
        #expect(try store.reader.baselineLevel() == BaselineLevel(level: 1, source: .fallback))

        // kk-2025 names niveau 2 as its statistical baseline.
        #expect(AuditStoreTests.catalogue.baselineLevel == 2)
        try store.register(AuditStoreTests.catalogues)
        #expect(try store.reader.baselineLevel() == BaselineLevel(level: 2, source: .catalogue("kk-2025")))

        try store.set(.baselineLevel, to: "1")
        #expect(try store.value(of: .baselineLevel) == "1")
        #expect(try store.reader.baselineLevel() == BaselineLevel(level: 1, source: .setting))
        try store.set(.baselineLevel, to: nil)
        #expect(try store.value(of: .baselineLevel) == nil)
        #expect(try store.reader.baselineLevel().level == 2)

        #expect(AuditStore.Setting.baselineLevel.check("0") != nil)
        #expect(AuditStore.Setting.baselineLevel.check("5") != nil)
        #expect(AuditStore.Setting.baselineLevel.check("to") != nil)
        #expect(AuditStore.Setting.baselineLevel.check("4") == nil)
    }

    @Test func aBaselineLevelOutsideOneToFourIsRejected() {
        var catalogue = AuditStoreTests.catalogue
        catalogue.baselineLevel = 5
        #expect(catalogue.problems().contains { $0.message.contains("baselineLevel") })
        catalogue.baselineLevel = nil
        #expect(catalogue.problems().isEmpty)
    }

    @Test(arguments: Backend.available)
    func registeringMarksTheTemanedslagQuestions(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        try store.register(AuditStoreTests.catalogues)
        let flagged = try store.rows("SELECT question FROM catalogue_question WHERE temanedslag = 1 ORDER BY position")
            .map { $0.string(0) }
        #expect(flagged == AuditStoreTests.catalogue.temanedslag?.questions.map(\.id))
        #expect(flagged == ["TN.1", "TN.2", "TN.3"])
    }
}
