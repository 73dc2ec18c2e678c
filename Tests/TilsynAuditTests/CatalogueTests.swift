import Foundation
import Testing
import TilsynAudit
import TilsynTestSupport

/// The shipped catalogues load, validate and are stored in canonical form.
@Suite struct CatalogueTests {
    static let store = CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas"))

    @Test func shippedCatalogueIDs() throws {
        #expect(try Self.store.ids() == ["kk-2025", "sbs-overordnet", "sbs-tematiseret"])
    }
}
