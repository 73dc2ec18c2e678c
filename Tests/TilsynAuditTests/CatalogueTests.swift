import Foundation
import Testing
import TilsynAudit
import TilsynTestSupport

/// The shipped catalogues load, validate, are stored in canonical form and survive a workbook round trip.
@Suite struct CatalogueTests {
    static let store = CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas"))
    static let ids = ["kk-2025", "sbs-overordnet", "sbs-tematiseret"]

    @Test func shippedCatalogueIDs() throws {
        #expect(try Self.store.ids() == Self.ids)
    }

    @Test(arguments: ids) func storedInCanonicalForm(id: String) throws {
        let catalogue = try Self.store.load(id)
        let file = try String(
            contentsOfFile: TestPaths.packageRoot.appendingPathComponent("Schemas/catalogues/\(id).json").path,
            encoding: .utf8)
        #expect(catalogue.canonicalJSON() == file)
    }

    @Test(arguments: ids) func exportedWorkbookImportsIdentically(id: String) throws {
        let catalogue = try Self.store.load(id)
        let bytes = try CatalogueWorkbook.export(catalogue)
        let back = try CatalogueWorkbook.import(bytes: bytes, name: "\(id).xlsx")
        #expect(back == catalogue)
        #expect(back.canonicalJSON() == catalogue.canonicalJSON())
    }

    /// A new version that renames two questions keeps its `replaces` through the workbook.
    @Test func renamedQuestionsSurviveTheWorkbook() throws {
        var catalogue = try Self.store.load("sbs-tematiseret")
        catalogue.version += "-2"
        let first = catalogue.questions[0].id
        let second = catalogue.questions[1].id
        catalogue.questions[0].id = first + "a"
        catalogue.questions[0].replaces = [first]
        catalogue.questions[1].id = second + "a"
        catalogue.questions[1].replaces = [second, second + "x"]
        try catalogue.validate(file: "renamed.json")
        let back = try CatalogueWorkbook.import(bytes: CatalogueWorkbook.export(catalogue), name: "renamed.xlsx")
        #expect(back.questions[0].replaces == [first])
        #expect(back.questions[1].replaces == [second, second + "x"])
        #expect(back.canonicalJSON() == catalogue.canonicalJSON())
    }

    @Test func kk2025Has41QuestionsOverFourThemesAndATemanedslag() throws {
        let kk = try Self.store.load("kk-2025")
        #expect(kk.questions.count == 41)
        #expect(kk.questions.filter { $0.type == "JN" }.count == 35)
        #expect(kk.questions.filter { $0.type == "GRAD" }.count == 6)
        let themes = Set(["INB", "UDR", "PLAN", "OPF"])
        #expect(kk.questions.allSatisfy { $0.themes.count == 1 && themes.isSubset(of: Set(kk.themes.map(\.id)))
            && themes.contains($0.themes[0]) })
        #expect(Set(kk.questions.flatMap(\.themes)) == themes)
        let tema = try #require(kk.temanedslag)
        #expect((2...4).contains(tema.questions.count))
        // Every fixed question is taken verbatim from the catalogues the model is based on.
        let bases = try kk.basedOn.map { try Self.store.load($0) }
        for question in kk.questions {
            let original = bases.lazy.compactMap { $0.question(question.id) }.first
            #expect(original?.text == question.text, "\(question.id)")
        }
    }

    @Test func overordnetKeepsTheDerivedListAndExtendsIt() throws {
        let catalogue = try Self.store.load("sbs-overordnet")
        // The derived list and its extensions, less the two questions only about anbringelse uden samtykke (§ 47),
        // which SBS's templates do not cover.
        #expect(catalogue.questions.count >= 78)
        #expect(catalogue.questions.allSatisfy { $0.type == "JN" && !$0.legal.isEmpty && !$0.help.isEmpty })
        #expect(catalogue.source == "afledt af barnets lov — ikke Social- og Boligstyrelsens ordlyd")
        #expect(catalogue.question("B.2")?.text
            == "Er undersøgelsen afsluttet senest 4 måneder efter, at kommunen blev opmærksom på behovet?")
        #expect(catalogue.question("B.2")?.appliesTo == [32, 46])
        #expect(catalogue.question("I.4")?.legal == ["forvaltningsloven § 19", "barnets lov § 3"])
        let tematiseret = try Self.store.load("sbs-tematiseret")
        #expect(tematiseret.questions.allSatisfy { $0.type == "GRAD" })
        #expect(tematiseret.question("T.3")?.text == "I hvilken grad er der sammenhæng mellem udredning, indsats og mål?")
        let overlap = Set(catalogue.questions.map(\.id)).intersection(tematiseret.questions.map(\.id))
        #expect(overlap.isEmpty)
    }

    // MARK: - Validation

    static func minimal(_ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var question: [String: Any] = [
            "id": "B.2", "step": "B", "themes": ["UDR"], "text": "Er undersøgelsen rettidig?", "type": "JN",
            "appliesTo": [32],
        ]
        var catalogue: [String: Any] = [
            "id": "test", "version": "1", "title": "Test",
            "scales": [["id": "JN", "answers": ["Ja", "Nej", "Ikke relevant"], "notApplicable": "Ikke relevant"]],
            "steps": [["id": "B", "name": "Børnefaglig undersøgelse"]],
            "themes": [["id": "UDR", "name": "Udredning af barnet"]],
        ]
        catalogue["questions"] = [question]
        edit(&catalogue)
        if catalogue["questions"] == nil { catalogue["questions"] = [question] }
        question = [:]
        return [UInt8](try JSONSerialization.data(withJSONObject: catalogue))
    }

    static func editQuestion(_ key: String, _ value: Any) -> (inout [String: Any]) -> Void {
        { catalogue in
            var questions = catalogue["questions"] as? [[String: Any]] ?? []
            questions[0][key] = value
            catalogue["questions"] = questions
        }
    }

    @Test func validMinimalCatalogueLoads() throws {
        let catalogue = try Catalogue.decode(json: Self.minimal { _ in }, file: "test.json")
        #expect(catalogue.questions.first?.remarkRequiredOn == [])
    }

    @Test(arguments: [
        ("step", "X", CatalogueError.Code.unknownStep, "unknown step 'X'"),
        ("type", "GRAD", .unknownScale, "unknown answer scale 'GRAD'"),
        ("text", "  ", .emptyText, "the question text is empty"),
        ("appliesTo", [31], .invalidAppliesTo, "§ 31"),
        ("appliesTo", [Int](), .invalidAppliesTo, "appliesTo is empty"),
        ("themes", ["FOO"], .unknownTheme, "unknown theme 'FOO'"),
        ("remarkRequiredOn", ["Måske"], .invalidValue, "'Måske'"),
    ] as [(String, any Sendable, CatalogueError.Code, String)])
    func invalidQuestionIsNamed(key: String, value: any Sendable, code: CatalogueError.Code, message: String) throws {
        let bytes = try Self.minimal(Self.editQuestion(key, value))
        let error = try #require(throws: CatalogueError.self) {
            try Catalogue.decode(json: bytes, file: "Schemas/catalogues/test.json")
        }
        #expect(error.code == code)
        #expect(error.description.hasPrefix("Schemas/catalogues/test.json: question B.2: "))
        #expect(error.description.contains(message), "\(error)")
    }

    @Test func duplicateIDIsNamed() throws {
        let bytes = try Self.minimal { catalogue in
            let questions = catalogue["questions"] as? [[String: Any]] ?? []
            catalogue["questions"] = questions + questions
        }
        let error = try #require(throws: CatalogueError.self) { try Catalogue.decode(json: bytes, file: "dup.json") }
        #expect(error.code == .duplicateId)
        #expect(error.description == "dup.json: question B.2: the id is used by two questions")
    }

    @Test func malformedJSONNamesTheFileAndField() throws {
        let error = try #require(throws: CatalogueError.self) {
            try Catalogue.decode(json: Array(#"{"id": "x", "version": 1}"#.utf8), file: "bad.json")
        }
        #expect(error.description.hasPrefix("bad.json: version has the wrong type"), "\(error)")
    }

    /// The schema forbids fields it does not name (`additionalProperties: false`); so does the decoder, naming the
    /// field and where it is, with the field meant when only its case differs.
    @Test(arguments: [
        ("question", "remarkRequiredon", "questions[0].remarkRequiredon is invalid: a question has no field "
            + "'remarkRequiredon'; did you mean 'remarkRequiredOn'?"),
        ("catalogue", "baseline", "baseline is invalid: a catalogue has no field 'baseline'; its fields are id, "),
        ("scale", "default", "scales[0].default is invalid: an answer scale has no field 'default'"),
        ("step", "Name", "steps[0].Name is invalid: a sagsskridt has no field 'Name'; did you mean 'name'?"),
        ("theme", "colour", "themes[0].colour is invalid: a pejlemærke has no field 'colour'"),
    ])
    func anUnknownFieldIsNamed(place: String, key: String, message: String) throws {
        let bytes = try Self.minimal { catalogue in
            switch place {
            case "question": Self.editQuestion(key, ["Nej"])(&catalogue)
            case "catalogue": catalogue[key] = 2
            default:
                let list = ["scale": "scales", "step": "steps", "theme": "themes"][place] ?? place
                var items = catalogue[list] as? [[String: Any]] ?? []
                items[0][key] = "x"
                catalogue[list] = items
            }
        }
        let error = try #require(throws: CatalogueError.self) { try Catalogue.decode(json: bytes, file: "typo.json") }
        #expect(error.code == .invalidJSON)
        #expect(error.description.hasPrefix("typo.json: " + message), "\(error)")
    }

    /// Every shipped catalogue is valid against `Schemas/catalogue.schema.json` by a JSON Schema validator of its
    /// own (Python's jsonschema, Draft 2020-12), and a misspelt field is not.
    @Test(.needsPython) func theShippedCataloguesAreValidAgainstTheSchema() throws {
        let python = try #require(TestPaths.python, "no .venv/bin/python: bash .ci/run creates it")
        let schemas = TestPaths.packageRoot.appendingPathComponent("Schemas")
        let typo = try TemporaryDirectory("catalogue-schema")
        defer { typo.cleanUp() }
        let misspelt = typo.path("typo.json")
        try Data(try Self.minimal(Self.editQuestion("remarkRequiredon", ["Nej"]))).write(to: URL(fileURLWithPath: misspelt))
        let files = Self.ids.map { schemas.appendingPathComponent("catalogues/\($0).json").path } + [misspelt]
        let result = try runPython(
            python,
            script: """
                import json, sys, jsonschema
                schema = json.load(open(sys.argv[1], encoding="utf-8"))
                validator = jsonschema.Draft202012Validator(schema)
                jsonschema.Draft202012Validator.check_schema(schema)
                for path in sys.argv[2:]:
                    errors = sorted(validator.iter_errors(json.load(open(path, encoding="utf-8"))), key=str)
                    print(path.rsplit("/", 1)[-1], len(errors), errors[0].message if errors else "")
                """,
            arguments: [schemas.appendingPathComponent("catalogue.schema.json").path] + files)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == files.count)
        for id in Self.ids { #expect(lines.contains("\(id).json 0 "), "\(result.stdout)") }
        #expect(lines.last?.hasPrefix("typo.json 1 Additional properties are not allowed ('remarkRequiredon'") == true,
                "\(result.stdout)")
    }

    @Test func importedWorkbookErrorsNameTheQuestion() throws {
        var catalogue = try Self.store.load("sbs-tematiseret")
        catalogue.questions[3].step = "ZZ"
        let bytes = try CatalogueWorkbook.export(catalogue)
        let error = try #require(throws: CatalogueError.self) {
            try CatalogueWorkbook.import(bytes: bytes, name: "edited.xlsx")
        }
        #expect(error.description.hasPrefix("edited.xlsx: question \(catalogue.questions[3].id): unknown step 'ZZ'"))
    }

    @Test func theOlderTilsynSchemasVariableStillNamesAFolder() throws {
        let schemas = TestPaths.packageRoot.appendingPathComponent("Schemas")
        let store = try CatalogueStore.locate(environment: ["TILSYN_SCHEMAS": schemas.path])
        #expect(store.origin(of: "kk-2025") == .environment(schemas.appendingPathComponent("catalogues").path))
        #expect(throws: CatalogueError.self) { try CatalogueStore.locate(environment: ["TILSYN_SCHEMAS": "/"]) }
    }
}
