public import GRDB

/// One stored answer with its review's metadata and its provenance, as exports hand it on.
public struct ExportAnswer: Sendable, Equatable {
    /// The review's row id: consecutive answers with the same id belong to one review.
    public var reviewID: Int64
    /// The round (runde) the review belongs to.
    public var round: String
    /// The level (niveau): 1 the team leader, 2 the jurist, and so on.
    public var level: Int
    /// The case number as stored (exports pseudonymise or redact it).
    public var caseNumber: String
    /// The municipality the template named, if any.
    public var kommune: String?
    /// The enhed (unit) the case belongs to.
    public var unit: String
    /// The indsats paragraph: 30, 32, 46 or 47.
    public var measure: Int
    /// The child's age in years, if the review gave it.
    public var age: Int?
    /// The reviewer's initials.
    public var reviewer: String
    /// ISO date (`2025-03-14`) or nil.
    public var reviewDate: String?
    /// The id of the question catalogue the review was filled in (`kk-2025`).
    public var catalogue: String
    /// That catalogue's version as the template carried it.
    public var catalogueVersion: String
    /// The question id (`B.2`).
    public var question: String
    /// The question's position in its catalogue (0-based), or nil when the catalogue does not list it.
    public var questionPosition: Int?
    /// The question's sagsskridt, or nil when the catalogue does not list the question.
    public var step: String?
    /// The question's pejlemærker, in catalogue order.
    public var themes: [String]
    /// `JN` or `GRAD`, or nil when the catalogue does not list the question.
    public var questionType: String?
    /// 1 Ja, 2 Nej, 3 Ikke relevant, 4 Lav grad, 5 Nogen grad, 6 Høj grad; nil when unanswered.
    public var code: Int?
    /// The normalised Danish answer (`Ja`, `Nogen grad`, …) or nil.
    public var answer: String?
    /// Whether the question applies to the case's indsats.
    public var applies: Bool
    /// The reviewer's bemærkning, as written.
    public var remark: String?
    /// The imported file's path as given to `tilsyn import`.
    public var filePath: String
    /// The SHA-256 of the imported file's bytes, in hex.
    public var fileSHA256: String
    /// The sheet the answer was read from.
    public var sheet: String
    /// The cell the answer was read from (`E12`).
    public var cell: String
}

/// A catalogue question as the store registered it, for an export's question list.
public struct ExportQuestion: Sendable, Equatable {
    /// The catalogue's id.
    public var catalogue: String
    /// The catalogue's version.
    public var catalogueVersion: String
    /// The catalogue's title.
    public var catalogueTitle: String
    /// The question id (`B.2`).
    public var question: String
    /// The question's position in the catalogue (0-based).
    public var position: Int
    /// The question's sagsskridt id.
    public var step: String
    /// The sagsskridt's name, when the catalogue names it.
    public var stepName: String?
    /// `JN` (Ja / Nej / Ikke relevant) or `GRAD` (Lav / Nogen / Høj grad).
    public var type: String
    /// The question as the reviewer reads it.
    public var text: String
    /// Pejlemærke ids, in catalogue order.
    public var themes: [String]
    /// Pejlemærke names, in the same order.
    public var themeNames: [String]
}

extension AuditStore {
    /// Hands every stored answer to `body`, one at a time, ordered by round, level, case number and review, then
    /// question in catalogue order; the answers of one review are consecutive.
    ///
    /// Reads through a GRDB cursor in one read transaction: memory does not grow with the number of answers.
    public static func forEachExportAnswer(
        _ database: any DatabaseReader, _ body: (ExportAnswer) throws -> Void
    ) throws {
        try database.read { db in
            let cursor = try Row.fetchCursor(db, sql: exportSQL)
            while let row = try cursor.next() {
                let themes: String? = row["themes"]
                try body(
                    ExportAnswer(
                        reviewID: row["review_id"], round: row["round"], level: row["level"],
                        caseNumber: row["case_number"], kommune: row["kommune"], unit: row["unit"],
                        measure: row["measure"], age: row["age"], reviewer: row["reviewer"],
                        reviewDate: row["review_date"], catalogue: row["catalogue"],
                        catalogueVersion: row["catalogue_version"], question: row["question"],
                        questionPosition: row["position"], step: row["step"],
                        themes: themes.map { $0.split(separator: ",").map(String.init) } ?? [],
                        questionType: row["type"], code: row["code"], answer: row["answer"],
                        applies: row["applies"], remark: row["remark"], filePath: row["path"],
                        fileSHA256: row["sha256"], sheet: row["sheet"], cell: row["cell"]))
            }
        }
    }

    /// The number of reviews and answers an export of the whole store holds.
    public static func exportCounts(_ database: any DatabaseReader) throws -> (reviews: Int, answers: Int) {
        try database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM review") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM answer") ?? 0
            )
        }
    }

    /// The questions of the catalogues that stored reviews use, by catalogue id and position.
    public static func exportQuestions(_ database: any DatabaseReader) throws -> [ExportQuestion] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id AS catalogue, c.version, c.title, q.question, q.position, q.step, s.name AS step_name,
                        q.type, q.text,
                        (SELECT group_concat(theme, char(31)) FROM (
                            SELECT qt.theme FROM question_theme qt
                            LEFT JOIN catalogue_theme ct ON ct.catalogue = qt.catalogue AND ct.theme = qt.theme
                            WHERE qt.catalogue = q.catalogue AND qt.question = q.question
                            ORDER BY ct.position, qt.theme)) AS themes,
                        (SELECT group_concat(name, char(31)) FROM (
                            SELECT coalesce(ct.name, qt.theme) AS name FROM question_theme qt
                            LEFT JOIN catalogue_theme ct ON ct.catalogue = qt.catalogue AND ct.theme = qt.theme
                            WHERE qt.catalogue = q.catalogue AND qt.question = q.question
                            ORDER BY ct.position, qt.theme)) AS theme_names
                    FROM catalogue c
                    JOIN catalogue_question q ON q.catalogue = c.id
                    LEFT JOIN catalogue_step s ON s.catalogue = q.catalogue AND s.step = q.step
                    WHERE EXISTS (SELECT 1 FROM review r WHERE r.catalogue = c.id)
                    ORDER BY c.id, q.position
                    """)
            func list(_ text: String?) -> [String] {
                text.map { $0.split(separator: "\u{1F}").map(String.init) } ?? []
            }
            return rows.map { row in
                ExportQuestion(
                    catalogue: row["catalogue"], catalogueVersion: row["version"], catalogueTitle: row["title"],
                    question: row["question"], position: row["position"], step: row["step"],
                    stepName: row["step_name"], type: row["type"], text: row["text"], themes: list(row["themes"]),
                    themeNames: list(row["theme_names"]))
            }
        }
    }

    /// The question ids of the wide shape's columns: the questions of the catalogues stored reviews use, by
    /// catalogue id and position (each id once), then any answered id no catalogue lists, sorted.
    public static func exportQuestionIDs(_ database: any DatabaseReader) throws -> [String] {
        try database.read { db in
            let listed = try String.fetchAll(
                db,
                sql: """
                    SELECT q.question FROM catalogue_question q
                    WHERE q.catalogue IN (SELECT DISTINCT catalogue FROM review)
                    ORDER BY q.catalogue, q.position
                    """)
            let unlisted = try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT a.question FROM answer a JOIN review r ON r.id = a.review_id
                    WHERE NOT EXISTS (
                        SELECT 1 FROM catalogue_question q WHERE q.catalogue = r.catalogue AND q.question = a.question)
                    ORDER BY a.question
                    """)
            var seen: Set<String> = []
            return (listed + unlisted).filter { seen.insert($0).inserted }
        }
    }

    /// Answers joined with their review, dimensions, question and file, in export order.
    static let exportSQL = """
        SELECT r.id AS review_id, rd.name AS round, r.level, c.number AS case_number, nullif(c.kommune, '') AS kommune, u.name AS unit,
            r.measure, r.age, rv.initials AS reviewer, r.review_date, r.catalogue, r.catalogue_version,
            a.question, q.position, q.step, q.type, a.code, a.answer, a.applies, a.remark,
            f.path, f.sha256, a.sheet, a.cell,
            (SELECT group_concat(theme, ',') FROM (
                SELECT qt.theme FROM question_theme qt
                LEFT JOIN catalogue_theme ct ON ct.catalogue = qt.catalogue AND ct.theme = qt.theme
                WHERE qt.catalogue = r.catalogue AND qt.question = a.question
                ORDER BY ct.position, qt.theme)) AS themes
        FROM review r
        JOIN round rd ON rd.id = r.round_id
        JOIN audit_case c ON c.id = r.case_id
        JOIN unit u ON u.id = r.unit_id
        JOIN reviewer rv ON rv.id = r.reviewer_id
        JOIN file f ON f.id = r.file_id
        JOIN answer a ON a.review_id = r.id
        LEFT JOIN catalogue_question q ON q.catalogue = r.catalogue AND q.question = a.question
        ORDER BY rd.name, r.level, c.number, r.id, q.position IS NULL, q.position, a.question
        """
}
