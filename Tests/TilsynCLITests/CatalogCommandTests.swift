import Foundation
import Testing
import TilsynAudit
import TilsynTestSupport

/// End-to-end runs of the built binary: catalogues, templates and the udtræk.
@Suite struct CatalogCommandTests {
    static let schemas = TestPaths.packageRoot.appendingPathComponent("Schemas")

    @Test func catalogsListsTheThreeCataloguesFromAnyDirectory() throws {
        let result = try runTilsyn(["catalogs"], currentDirectory: URL(fileURLWithPath: "/"))
        #expect(result.status == 0, "\(result.stderr)")
        let ids = result.stdout.split(separator: "\n").map { $0.split(separator: "\t")[0] }
        #expect(ids == ["kk-2025", "sbs-overordnet", "sbs-tematiseret"])
        #expect(result.stdout.contains("kk-2025\t2025.1\t41 spørgsmål + 3 temanedslag"))
    }

    @Test func showJSONIsTheStoredFile() throws {
        let result = try runTilsyn(["catalog", "show", "kk-2025", "--format", "json"])
        let file = try String(contentsOf: Self.schemas.appendingPathComponent("catalogues/kk-2025.json"), encoding: .utf8)
        #expect(result.status == 0)
        #expect(result.stdout == file)
        let csv = try runTilsyn(["catalog", "show", "sbs-tematiseret", "--format", "csv"])
        #expect(csv.stdoutBytes.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(csv.stdout.split(separator: "\r\n").count == 25)
        let table = try runTilsyn(["catalog", "show", "sbs-overordnet"])
        #expect(table.stdout.contains("Børnefaglig undersøgelse\n  B.1    [JN]"))
    }

    @Test func exportThenImportReproducesTheCatalogue() throws {
        let directory = try TemporaryDirectory("cli-catalog")
        defer { directory.cleanUp() }
        let export = try runTilsyn(["catalog", "export", "sbs-overordnet", "--out", directory.path("c.xlsx")])
        #expect(export.status == 0, "\(export.stderr)")
        let imported = try runTilsyn(["catalog", "import", directory.path("c.xlsx"), "--out", directory.path("c.json")])
        #expect(imported.status == 0, "\(imported.stderr)")
        let original = try Data(contentsOf: Self.schemas.appendingPathComponent("catalogues/sbs-overordnet.json"))
        #expect(try Data(contentsOf: directory.url.appendingPathComponent("c.json")) == original)
    }

    @Test func invalidCatalogueFileIsADataErrorNamingFileAndQuestion() throws {
        let directory = try TemporaryDirectory("cli-invalid")
        defer { directory.cleanUp() }
        let text = try String(contentsOf: Self.schemas.appendingPathComponent("catalogues/sbs-tematiseret.json"),
                              encoding: .utf8)
            .replacingOccurrences(of: "\"id\": \"T.4\",\n      \"step\": \"T\"", with: "\"id\": \"T.4\",\n      \"step\": \"Q\"")
        let path = directory.path("broken.json")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runTilsyn(["catalog", "show", path])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("Error: \(path): question T.4: unknown step 'Q'"), "\(result.stderr)")
        let unknown = try runTilsyn(["catalog", "show", "nope"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("there is no catalogue 'nope'"))
    }

    static let caseList = "sagsnummer;enhed;indsats;alder;udgangspunkt;udgangspunkt_dato;team\r\n"
        + "S-001;Nord;§ 32;12;Underretning fra skole;03-02-2024;T1\r\n"
        + "S/002;Syd;47;16;Henvendelse;01-05-2024;T2\r\n"
        + "S-003;Syd;30;8;Underretning;10-06-2024;T2\r\n"

    @Test func templatePerCaseAndBlank() throws {
        let directory = try TemporaryDirectory("cli-template")
        defer { directory.cleanUp() }
        try Self.caseList.write(toFile: directory.path("sager.csv"), atomically: true, encoding: .utf8)
        let result = try runTilsyn([
            "template", "--catalog", "kk-2025", "--out", directory.path("ud"), "--cases", directory.path("sager.csv"),
            "--level", "1", "--round", "2025", "--kommune", "København",
        ], currentDirectory: URL(fileURLWithPath: "/"))
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path("ud")).sorted()
        #expect(files == ["S-001.xlsx", "S-003.xlsx", "S_002.xlsx"])
        #expect(!result.stderr.contains("S-001"))
        let cat = try runTilsyn(["cat", directory.path("ud/S_002.xlsx"), "--format", "csv"])
        #expect(cat.stdout.contains(";Sagsnummer/pseudonym;S/002;Kommune;København"))
        let blank = try runTilsyn(["template", "--catalog", "sbs-tematiseret", "--out", directory.path("blank")])
        #expect(blank.status == 0)
        #expect(FileManager.default.fileExists(atPath: directory.path("blank/tilsyn-skabelon.xlsx")))
        let badLevel = try runTilsyn(["template", "--catalog", "kk-2025", "--out", directory.path("x"), "--level", "3"])
        #expect(badLevel.status == 64)
    }

    @Test func sampleIsReproducibleAndListsLevels() throws {
        let directory = try TemporaryDirectory("cli-sample")
        defer { directory.cleanUp() }
        var list = "sagsnummer;enhed;indsats;alder;udgangspunkt;udgangspunkt_dato\r\n"
        for n in 0..<300 {
            let indsats = ["30", "32", "46", "47"][n % 4]
            list += "S-\(n);Enhed \(n % 5);\(indsats);\(n % 18);Underretning;01-01-2024\r\n"
        }
        try list.write(toFile: directory.path("sager.csv"), atomically: true, encoding: .utf8)
        func draw(_ out: String, seed: String) throws -> String {
            let result = try runTilsyn([
                "sample", "--cases", directory.path("sager.csv"), "--size", "150", "--second-level", "75",
                "--seed", seed, "--out", directory.path(out),
            ])
            #expect(result.status == 0, "\(result.stderr)")
            return try String(contentsOfFile: directory.path(out), encoding: .utf8)
        }
        let first = try draw("a.csv", seed: "42")
        #expect(try draw("b.csv", seed: "42") == first)
        #expect(try draw("c.csv", seed: "43") != first)
        let lines = first.split(separator: "\r\n").map { $0.filter { $0 != "\u{FEFF}" } }
        #expect(lines.first == "sagsnummer;enhed;indsats;alder;udgangspunkt;udgangspunkt_dato;niveau")
        #expect(lines.count == 151)
        #expect(lines.filter { $0.hasSuffix(";2") }.count == 75)
        // 20 strata (indsats × enhed) of 15 cases each: every stratum gets 7 or 8 of the 150.
        var strata: [String: Int] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: ";")
            strata["\(fields[2])|\(fields[1])", default: 0] += 1
        }
        #expect(strata.count == 20)
        #expect(strata.values.allSatisfy { $0 == 7 || $0 == 8 })
    }
}

/// The udtræk drives the templates: every case drawn gets its niveau 1 workbook, and the 75 drawn on to niveau 2
/// a second one, each named and filled for its level.
@Suite struct SampleToTemplateTests {
    @Test func sampleThenTemplateGivesBothLevelsWithTheirNames() throws {
        let directory = try TemporaryDirectory("cli-sample-template")
        defer { directory.cleanUp() }
        let cases = TestPaths.packageRoot.appendingPathComponent("Samples/cases/sagsliste.csv").path
        let sample = try runTilsyn([
            "sample", "--cases", cases, "--size", "150", "--second-level", "75", "--seed", "9",
            "--out", directory.path("udtraek.csv"),
        ])
        try #require(sample.status == 0, "\(sample.stderr)")
        let template = try runTilsyn([
            "template", "--catalog", "kk-2025", "--cases", directory.path("udtraek.csv"), "--round", "2025",
            "--out", directory.path("skabeloner"),
        ])
        try #require(template.status == 0, "\(template.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path("skabeloner")).sorted()
        let first = files.filter { $0.hasSuffix("_niveau1.xlsx") }
        let second = files.filter { $0.hasSuffix("_niveau2.xlsx") }
        #expect(first.count == 150 && second.count == 75 && files.count == 225)
        // Every niveau 2 case has its niveau 1 file too, and the drawn list says which they are.
        #expect(Set(second.map { $0.replacingOccurrences(of: "_niveau2", with: "_niveau1") }).isSubset(of: Set(first)))
        let list = try String(contentsOfFile: directory.path("udtraek.csv"), encoding: .utf8)
        let drawnForTwo = list.split(separator: "\r\n").dropFirst().filter { $0.hasSuffix(";2") }
            .map { String($0.split(separator: ";")[0]).filter { $0 != "\u{FEFF}" } }
        #expect(Set(second.map { String($0.dropLast("_niveau2.xlsx".count)) }) == Set(drawnForTwo))
        // Each workbook carries its level.
        for name in [first[0], second[0]] {
            let filled = try TemplateReader.read(path: directory.path("skabeloner/\(name)"))
            #expect(filled.metadata["Niveau"]?.value == (name.hasSuffix("_niveau2.xlsx") ? "2" : "1"), "\(name)")
        }
        // --level 2 writes only the niveau 2 workbooks.
        let onlyTwo = try runTilsyn([
            "template", "--catalog", "kk-2025", "--cases", directory.path("udtraek.csv"), "--level", "2",
            "--out", directory.path("niveau2"),
        ])
        try #require(onlyTwo.status == 0, "\(onlyTwo.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("niveau2")).sorted() == second)
    }
}

/// Catalogues kept in a store: imported once, offered before the built-in ones, named as the store's.
@Suite struct KeptCatalogueTests {
    @Test func importedIntoTheStoreAndListedAsTheStores() throws {
        let directory = try TemporaryDirectory("cli-kept")
        defer { directory.cleanUp() }
        let db = directory.path("t.sqlite")
        // A renamed copy of kk-2025 as a new catalogue.
        var json = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("Schemas/catalogues/kk-2025.json"), encoding: .utf8)
        json = json.replacingOccurrences(of: "\"id\": \"kk-2025\"", with: "\"id\": \"aarhus-2026\"")
        try json.write(toFile: directory.path("aarhus-2026.json"), atomically: true, encoding: .utf8)
        let imported = try runTilsyn(["catalog", "import", directory.path("aarhus-2026.json"), "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let listed = try runTilsyn(["catalogs", "--db", db])
        #expect(listed.status == 0, "\(listed.stderr)")
        let line = try #require(listed.stdout.split(separator: "\n").first { $0.hasPrefix("aarhus-2026") })
        #expect(line.hasSuffix("store \(db)"))
        #expect(listed.stdout.split(separator: "\n").contains { $0.hasPrefix("kk-2025") && $0.hasSuffix("built-in") })
        // A template of the kept catalogue, from a folder without Schemas/.
        let template = try runTilsyn(
            ["template", "--catalog", "aarhus-2026", "--db", db, "--out", directory.path("skabelon")],
            currentDirectory: directory.url)
        #expect(template.status == 0, "\(template.stderr)")
        let filled = try TemplateReader.read(path: directory.path("skabelon/tilsyn-skabelon.xlsx"))
        #expect(filled.catalogueID == "aarhus-2026")
    }
}

/// A municipality's model that asks about some sagsskridt only: its templates hold those steps' questions.
@Suite struct ModelStepsTemplateTests {
    @Test func theModelsTemplateStepsChooseTheQuestions() throws {
        let directory = try TemporaryDirectory("cli-model-steps")
        defer { directory.cleanUp() }
        var json = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("Schemas/catalogues/kk-2025.json"), encoding: .utf8)
        json = json.replacingOccurrences(of: "\"id\": \"kk-2025\",", with: "\"id\": \"kk-udredning\",\n  \"templateSteps\": [\"U\", \"S\"],")
        try FileManager.default.createDirectory(atPath: directory.path("kataloger"), withIntermediateDirectories: true)
        try json.write(toFile: directory.path("kataloger/kk-udredning.json"), atomically: true, encoding: .utf8)
        let result = try runTilsyn([
            "template", "--catalog", "kk-udredning", "--catalogs", directory.path("kataloger"), "--out",
            directory.path("ud"),
        ])
        try #require(result.status == 0, "\(result.stderr)")
        let filled = try TemplateReader.read(path: directory.path("ud/tilsyn-skabelon.xlsx"))
        #expect(filled.steps == ["U", "S"])
        #expect(!filled.answers.isEmpty && filled.answers.keys.allSatisfy { $0.hasPrefix("U.") || $0.hasPrefix("S.") })
    }
}
