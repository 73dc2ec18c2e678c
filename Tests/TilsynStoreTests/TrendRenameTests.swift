import Testing
import TilsynAnalysis
import TilsynAudit
import TilsynStore
import TilsynTestSupport

/// Trends across catalogue versions where a question was renamed (`replaces`), on SQLite and on PostgreSQL.
@Suite struct TrendRenameTests {
    /// Catalogue `fx-rename`, version 1: `Y.1` and `X.1`. Version 2: `Y.1`, `X.2` (replacing `X.1`) and the new
    /// `Z.1`.
    static func catalogue(version: Int, renamed: Bool = true) -> Catalogue {
        let questions =
            version == 1
            ? [
                Question(id: "Y.1", step: "S", text: "Fast spørgsmål?", type: "JN"),
                Question(id: "X.1", step: "S", text: "Gammel ordlyd?", type: "JN"),
            ]
            : [
                Question(id: "Y.1", step: "S", text: "Fast spørgsmål?", type: "JN"),
                Question(
                    id: "X.2", step: "S", text: "Ny ordlyd?", type: "JN", replaces: renamed ? ["X.1"] : []),
                Question(id: "Z.1", step: "S", text: "Nyt spørgsmål?", type: "JN"),
            ]
        return Catalogue(
            id: "fx-rename", version: "\(version)", title: "Omdøbning", source: "test",
            scales: [AnswerScale(id: "JN", name: "Ja/Nej", answers: ["Ja", "Nej", "Ikke relevant"],
                                 notApplicable: "Ikke relevant")],
            steps: [Step(id: "S", name: "Skridt")], themes: [], questions: questions)
    }

    /// Imports one CSV file of `answers` (question, answer) as reviews of fresh cases in `round` under `catalogue`.
    static func importRound(
        _ round: String, _ answers: [(String, [String])], catalogue: Catalogue, into store: BackendStore
    ) throws {
        let catalogues = CatalogueSet([catalogue])
        try store.register(catalogues)
        var csv = AuditStoreTests.header
        for (question, values) in answers {
            for (index, answer) in values.enumerated() {
                csv += AuditStoreTests.row("\(round)-\(index)", question, answer, round: round)
            }
        }
        let file = ReturnedFileReader.read(
            bytes: Array(csv.utf8), name: "\(round).csv", catalogues: catalogues,
            options: ImportOptions(defaultCatalogue: catalogue.id))
        #expect(!file.isRejected, "\(file.findings)")
        #expect(try store.importFile(file, replace: false).status == .imported)
    }

    /// 2024 under version 1: X.1 3 of 4 Ja, Y.1 1 of 2. 2025 under version 2: X.2 4 of 4, Y.1 2 of 2, Z.1 1 of 1.
    static func store(_ backend: Backend, renamed: Bool = true) throws -> (BackendStore, TemporaryDirectory) {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        try importRound(
            "2024", [("X.1", ["Ja", "Ja", "Ja", "Nej"]), ("Y.1", ["Ja", "Nej"])], catalogue: catalogue(version: 1),
            into: store)
        try importRound(
            "2025", [("X.2", ["Ja", "Ja", "Ja", "Ja"]), ("Y.1", ["Ja", "Ja"]), ("Z.1", ["Ja"])],
            catalogue: catalogue(version: 2, renamed: renamed), into: store)
        return (store, directory)
    }

    @Test(arguments: Backend.available)
    func aRenamedQuestionHasBothRoundsAndTheChange(_ backend: Backend) throws {
        let (store, directory) = try Self.store(backend)
        defer { directory.cleanUp() }
        let rows = try Trend.rows(store.reader, by: [.question])
        let x = rows.filter { $0.keys == [.question: .text("X.2")] }
        #expect(x.map(\.round) == ["2024", "2025"])
        #expect(x.allSatisfy { $0.baseline == "2024" })
        #expect([x[0].yes, x[0].n, x[1].yes, x[1].n, x[1].baselineYes, x[1].baselineN] == [3, 4, 4, 4, 3, 4])
        #expect(abs(try #require(x[1].changePoints) - 25) < 1e-9)
        // The old id no longer shows on its own; Z.1, asked in 2025 only, has no row and so no change.
        #expect(!rows.contains { $0.keys == [.question: .text("X.1")] })
        #expect(!rows.contains { $0.keys == [.question: .text("Z.1")] })
        let y = rows.filter { $0.keys == [.question: .text("Y.1")] }
        #expect(abs(try #require(y.last?.changePoints) - 50) < 1e-9)
        // Overall, 2025 compares X.2 and Y.1 (6 of 6) with 2024's X.1 and Y.1 (4 of 6); Z.1 is left out.
        let total = try Trend.rows(store.reader, by: [])
        #expect(total.map(\.n) == [6, 6])
        #expect([total[1].yes, total[1].baselineYes] == [6, 4])
        // The answers keep the id they were given under.
        let stored = try store.rows("SELECT DISTINCT question FROM answer").map { $0.string(0) }.sorted()
        #expect(stored == ["X.1", "X.2", "Y.1", "Z.1"])
    }

    @Test(arguments: Backend.available)
    func withoutTheRenameTheQuestionsStaySeparate(_ backend: Backend) throws {
        let (store, directory) = try Self.store(backend, renamed: false)
        defer { directory.cleanUp() }
        let rows = try Trend.rows(store.reader, by: [.question])
        #expect(rows.filter { $0.keys == [.question: .text("X.1")] }.map(\.round) == ["2024"])
        #expect(!rows.contains { $0.keys == [.question: .text("X.2")] })
    }

    @Test(arguments: Backend.available)
    func renamesChainAndRevert(_ backend: Backend) throws {
        let (store, directory) = try Self.store(backend)
        defer { directory.cleanUp() }
        var version3 = Self.catalogue(version: 2)
        version3.version = "3"
        version3.questions[1] = Question(id: "X.3", step: "S", text: "Tredje ordlyd?", type: "JN", replaces: ["X.2"])
        try store.register(CatalogueSet([version3]))
        let renames = {
            try store.rows("SELECT previous, question FROM question_rename").map { "\($0.string(0))→\($0.string(1))" }
                .sorted()
        }
        #expect(try renames() == ["X.1→X.3", "X.2→X.3"])
        let rows = try Trend.rows(store.reader, by: [.question])
        #expect(rows.filter { $0.keys == [.question: .text("X.3")] }.map(\.n) == [4, 4])
        // Version 4 brings X.1 back as a question of its own.
        var version4 = version3
        version4.questions.append(Question(id: "X.1", step: "S", text: "Gammel ordlyd igen?", type: "JN"))
        try store.register(CatalogueSet([version4]))
        #expect(try renames() == ["X.2→X.3"])
    }

    @Test func replacesIsValidated() throws {
        var catalogue = Self.catalogue(version: 2)
        #expect(catalogue.problems().isEmpty)
        catalogue.questions[2].replaces = ["Y.1"]
        #expect(catalogue.problems().map(\.message).contains { $0.contains("still a question") })
        catalogue.questions[2].replaces = ["X.1"]
        #expect(catalogue.problems().map(\.code) == [.duplicateId])
        catalogue.questions[2].replaces = ["X-1"]
        #expect(catalogue.problems().map(\.code) == [.invalidValue])
        catalogue.questions[2].replaces = []
        let json = Self.catalogue(version: 2).canonicalJSON()
        #expect(json.contains("\"replaces\""))
        let decoded = try Catalogue.decode(json: Array(json.utf8), file: "fx-rename.json")
        #expect(decoded.questions[1].replaces == ["X.1"])
        #expect(decoded == Self.catalogue(version: 2))
        #expect(!Self.catalogue(version: 1).canonicalJSON().contains("replaces"))
    }
}
