import Foundation
import GRDB
import Testing
import TilsynAnalysis
import TilsynAudit
import TilsynStore
import TilsynTestSupport

/// The baseline level: the store's setting, else the catalogue model's, else level 1; and the temanedslag flag.
@Suite struct BaselineLevelTests {
    @Test func settingBeatsCatalogueBeatsLevelOne() throws {
        let directory = try TemporaryDirectory("store")
        defer { directory.cleanUp() }
        let store = try AuditStore(path: directory.path("tilsyn.sqlite"))
        #expect(try store.baselineLevel() == BaselineLevel(level: 1, source: .fallback))

        // kk-2025 names niveau 2 as its statistical baseline.
        #expect(AuditStoreTests.catalogue.baselineLevel == 2)
        try store.register(AuditStoreTests.catalogues)
        #expect(try store.baselineLevel() == BaselineLevel(level: 2, source: .catalogue("kk-2025")))
        #expect(try StoreReader(store).baselineLevel().level == 2)

        try store.set(.baselineLevel, to: "1")
        #expect(try store.value(of: .baselineLevel) == "1")
        #expect(try store.baselineLevel() == BaselineLevel(level: 1, source: .setting))
        try store.set(.baselineLevel, to: nil)
        #expect(try store.value(of: .baselineLevel) == nil)
        #expect(try store.baselineLevel().level == 2)

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

    @Test func registeringMarksTheTemanedslagQuestions() throws {
        let (store, directory) = try AuditStoreTests.makeStore()
        defer { directory.cleanUp() }
        try store.register(AuditStoreTests.catalogues)
        let flagged = try store.database.read { db in
            try String.fetchAll(
                db, sql: "SELECT question FROM catalogue_question WHERE temanedslag ORDER BY position")
        }
        #expect(flagged == AuditStoreTests.catalogue.temanedslag?.questions.map(\.id))
        #expect(flagged == ["TN.1", "TN.2", "TN.3"])
    }
}
