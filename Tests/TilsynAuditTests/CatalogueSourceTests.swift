import Foundation
import Testing
import TilsynAudit
import TilsynTestSupport

/// Where catalogues come from: a binary carries the shipped ones; a folder, the environment and a store come
/// before them, in that order.
@Suite struct CatalogueSourceTests {
    static let schemas = TestPaths.packageRoot.appendingPathComponent("Schemas")

    @Test func theBuiltInCataloguesAreTheFilesInSchemas() throws {
        let folder = Self.schemas.appendingPathComponent("catalogues")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        let builtIn = CatalogueStore()
        #expect(try builtIn.ids() == files.map { String($0.dropLast(5)) }.sorted(),
                "a catalogue added to or removed from Schemas/catalogues needs its line in BuiltInCatalogues.swift")
        for name in files {
            let id = String(name.dropLast(5))
            let onDisk = try Catalogue.load(path: folder.appendingPathComponent(name).path)
            #expect(try builtIn.load(id) == onDisk, "\(id) differs from Schemas/catalogues/\(name)")
            #expect(builtIn.origin(of: id) == .builtIn)
        }
        let schema = try String(contentsOf: Self.schemas.appendingPathComponent("catalogue.schema.json"), encoding: .utf8)
        #expect(CatalogueStore.schemaJSON == schema, "the built-in JSON Schema differs from Schemas/catalogue.schema.json")
        #expect(CatalogueStore.builtInVersions.map(\.id) == files.map { String($0.dropLast(5)) }.sorted())
    }

    /// A copy of kk-2025 under another title, in a folder of its own.
    static func folder(title: String) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("catalogues")
        var catalogue = try CatalogueStore().load("kk-2025")
        catalogue.title = title
        try catalogue.canonicalJSON().write(toFile: directory.path("kk-2025.json"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test func aFolderComesBeforeTheEnvironmentBeforeTheStoreBeforeTheBuiltIns() throws {
        let option = try Self.folder(title: "Fra --catalogs")
        let environment = try Self.folder(title: "Fra miljøet")
        defer {
            option.cleanUp()
            environment.cleanUp()
        }
        var stored = try CatalogueStore().load("kk-2025")
        stored.title = "Fra lageret"
        let kept = [(id: "kk-2025", json: stored.canonicalJSON())]
        let env = ["TILSYN_CATALOGS": environment.url.path]

        let all = try CatalogueStore.locate(folder: option.url.path, stored: kept, storePath: "t.sqlite", environment: env)
        #expect(try all.load("kk-2025").title == "Fra --catalogs")
        #expect(all.origin(of: "kk-2025") == .folder(option.url.path))
        #expect(all.origin(of: "sbs-overordnet") == .builtIn)
        let noOption = try CatalogueStore.locate(stored: kept, storePath: "t.sqlite", environment: env)
        #expect(try noOption.load("kk-2025").title == "Fra miljøet")
        let storeOnly = try CatalogueStore.locate(stored: kept, storePath: "t.sqlite", environment: [:])
        #expect(try storeOnly.load("kk-2025").title == "Fra lageret")
        #expect(storeOnly.origin(of: "kk-2025") == .store("t.sqlite"))
        #expect(try CatalogueStore.locate(environment: [:]).origin(of: "kk-2025") == .builtIn)
    }

    @Test func aNamedFolderThatIsMissingIsAnError() {
        #expect(throws: CatalogueError.self) {
            try CatalogueStore.locate(folder: "/no/such/folder", environment: [:])
        }
        #expect(throws: CatalogueError.self) {
            try CatalogueStore.locate(environment: ["TILSYN_CATALOGS": "/no/such/folder"])
        }
    }
}

/// A model catalogue may choose the sagsskridt its templates ask about, as `--steps` does.
@Suite struct TemplateStepsTests {
    @Test func aModelsTemplateStepsRoundTripAndAreChecked() throws {
        var catalogue = try CatalogueStore().load("kk-2025")
        catalogue.templateSteps = ["U", "S", "B"]
        let decoded = try Catalogue.decode(json: Array(catalogue.canonicalJSON().utf8), file: "model.json")
        #expect(decoded.templateSteps == ["U", "S", "B"])
        catalogue.templateSteps = ["U", "ZZ"]
        #expect(throws: CatalogueError.self) { try catalogue.validate() }
    }
}
