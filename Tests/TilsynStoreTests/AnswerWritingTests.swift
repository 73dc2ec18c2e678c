import Foundation
import Testing
import TilsynAudit
import TilsynStore
import TilsynTestSupport

/// The answers a review stores are the file's normalised answers, every one and nothing else: for reviews longer
/// than one of the writer's multi-row statements (SBS' overordnet model has 78 questions), on either back end.
@Suite struct AnswerWritingTests {
    static let overordnet = try! CatalogueStore(  // swiftlint:disable:this force_try
        schemas: TestPaths.packageRoot.appendingPathComponent("Schemas")).load("sbs-overordnet")

    /// A long CSV of two reviews answering all of `overordnet`'s questions: answers of each kind and none, remarks
    /// empty, short, long (past a small string) and non-ASCII.
    static func csv() -> String {
        let answers = ["Ja", "Nej", "Ikke relevant"]
        let remarks = ["", "ok", "Barnets samtale mangler – se journalnotat fra mødet i marts", "æøå ÆØÅ »citat«"]
        var csv = AuditStoreTests.header
        for (review, number) in ["O-1", "O-2"].enumerated() {
            for (index, question) in overordnet.questions.enumerated() {
                // A question that does not apply to the indsats (§ 32) is left blank, as reviewers leave it.
                let applies = question.appliesTo.contains(32)
                csv += AuditStoreTests.row(
                    number, question.id, applies ? answers[(index + review) % answers.count] : "",
                    remark: remarks[(index / 2 + review) % remarks.count], level: review + 1)
            }
        }
        return csv
    }

    /// On one sheet (as a CSV's answers, and most workbooks'), or on two (the writer then binds each row's sheet).
    @Test(arguments: Backend.available, ["one sheet", "two sheets"])
    func everyAnswerOfALongReviewIsStoredAsNormalised(_ backend: Backend, sheets: String) throws {
        let directory = try TemporaryDirectory("answers")
        defer { directory.cleanUp() }
        let catalogues = CatalogueSet([Self.overordnet])
        let store = try BackendStore(backend, in: directory, catalogues: catalogues)
        var file = ReturnedFileReader.read(
            bytes: Array(Self.csv().utf8), name: "svar.csv", catalogues: catalogues,
            options: ImportOptions(defaultCatalogue: "sbs-overordnet"))
        if sheets == "two sheets" {
            for review in file.reviews.indices {
                for answer in file.reviews[review].answers.indices where answer % 3 == 1 {
                    file.reviews[review].answers[answer].at.sheet = "Temanedslag"
                }
            }
        }
        #expect(file.reviews.count == 2)
        #expect(file.reviews.allSatisfy { $0.answers.count == Self.overordnet.questions.count })
        #expect(try store.importFile(file, replace: false).status == .imported)

        struct Stored: Hashable {
            var caseNumber: String, level: Int, question: String, answer: String?, code: Int?, remark: String?
            var applies: Bool, sheet: String, cell: String
        }
        let expected = file.reviews.flatMap { review in
            review.answers.map { answer in
                Stored(
                    caseNumber: review.caseNumber, level: review.level, question: answer.questionID,
                    answer: answer.answer, code: answer.code.map { Int($0.rawValue) }, remark: answer.remark,
                    applies: answer.applies, sheet: answer.at.sheet, cell: answer.at.cell)
            }
        }
        let stored = try store.rows(
            """
            SELECT c.number, r.level, a.question, a.answer, a.code, a.remark, a.applies, a.sheet, a.cell
            FROM answer a JOIN review r ON r.id = a.review_id JOIN audit_case c ON c.id = r.case_id
            """
        ).map { row in
            Stored(
                caseNumber: row.string(0), level: row.optionalInt(1) ?? 0, question: row.string(2),
                answer: row.optionalString(3), code: row.optionalInt(4), remark: row.optionalString(5),
                applies: row.optionalInt(6) == 1, sheet: row.string(7), cell: row.string(8))
        }
        #expect(stored.count == expected.count)
        #expect(Set(stored) == Set(expected))
        // Each kind of answer and remark reached the store.
        #expect(Set(stored.map(\.answer)) == ["Ja", "Nej", "Ikke relevant", nil])
        #expect(stored.contains { $0.remark == "æøå ÆØÅ »citat«" })
        #expect(Set(stored.map(\.sheet)).count == (sheets == "two sheets" ? 2 : 1))
    }
}
