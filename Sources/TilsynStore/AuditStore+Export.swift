
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
    /// Reads in one read transaction, row by row (SQLite's statement, PostgreSQL's cursor): memory does not grow with
    /// the number of answers.
    public static func forEachExportAnswer(_ store: any StoreReading, _ body: (ExportAnswer) throws -> Void) throws {
        try store.read { sql in
            try sql.each(exportSQL(sql.dialect), []) { row in
                try body(
                    ExportAnswer(
                        reviewID: Int64(row.int(0)), round: row.string(1), level: row.int(2), caseNumber: row.string(3),
                        kommune: row.optionalString(4), unit: row.string(5), measure: row.int(6),
                        age: row.optionalInt(7), reviewer: row.string(8), reviewDate: row.optionalString(9),
                        catalogue: row.string(10), catalogueVersion: row.string(11), question: row.string(12),
                        questionPosition: row.optionalInt(13), step: row.optionalString(14),
                        themes: row.optionalString(24).map { $0.split(separator: ",").map(String.init) } ?? [],
                        questionType: row.optionalString(15), code: row.optionalInt(16),
                        answer: row.optionalString(17), applies: row.bool(18), remark: row.optionalString(19),
                        filePath: row.string(20), fileSHA256: row.string(21), sheet: row.string(22),
                        cell: row.string(23)))
            }
        }
    }

    /// The number of reviews and answers an export of the whole store holds.
    public static func exportCounts(_ store: any StoreReading) throws -> (reviews: Int, answers: Int) {
        try store.read { sql in
            let row = try sql.rows("SELECT (SELECT count(*) FROM review), (SELECT count(*) FROM answer)", [])
            return (row.first?.int(0) ?? 0, row.first?.int(1) ?? 0)
        }
    }

    /// The themes of a question joined with `separator`, in catalogue order (`theme`: the id, or the name).
    private static func questionThemes(
        _ dialect: SQLDialect, _ theme: String, catalogue: String, question: String, separator: String
    ) -> String {
        let from = """
            FROM question_theme qt
            LEFT JOIN catalogue_theme ct ON ct.catalogue = qt.catalogue AND ct.theme = qt.theme
            WHERE qt.catalogue = \(catalogue) AND qt.question = \(question)
            """
        // SQLite joins in the order of an ordered subquery; PostgreSQL is told the order.
        return dialect == .sqlite
            ? "(SELECT group_concat(t, \(separator)) FROM "
                + "(SELECT \(theme) AS t \(from) ORDER BY ct.position, qt.theme))"
            : "(SELECT string_agg(\(theme), \(separator) ORDER BY ct.position, qt.theme) \(from))"
    }

    /// The questions of the catalogues that stored reviews use, by catalogue id and position.
    public static func exportQuestions(_ store: any StoreReading) throws -> [ExportQuestion] {
        try store.read { sql in
            let dialect = sql.dialect
            let rows = try sql.rows(
                """
                SELECT c.id, c.version, c.title, q.question, q.position, q.step, s.name, q.type, q.text,
                    \(questionThemes(dialect, "qt.theme", catalogue: "q.catalogue", question: "q.question",
                        separator: dialect.separator)),
                    \(questionThemes(dialect, "coalesce(ct.name, qt.theme)", catalogue: "q.catalogue",
                        question: "q.question", separator: dialect.separator))
                FROM catalogue c
                JOIN catalogue_question q ON q.catalogue = c.id
                LEFT JOIN catalogue_step s ON s.catalogue = q.catalogue AND s.step = q.step
                WHERE EXISTS (SELECT 1 FROM review r WHERE r.catalogue = c.id)
                ORDER BY \(dialect.binary("c.id")), q.position
                """, [])
            func list(_ text: String?) -> [String] {
                text.map { $0.split(separator: "\u{1F}").map(String.init) } ?? []
            }
            return rows.map { row in
                ExportQuestion(
                    catalogue: row.string(0), catalogueVersion: row.string(1), catalogueTitle: row.string(2),
                    question: row.string(3), position: row.int(4), step: row.string(5), stepName: row.optionalString(6),
                    type: row.string(7), text: row.string(8), themes: list(row.optionalString(9)),
                    themeNames: list(row.optionalString(10)))
            }
        }
    }

    /// The question ids of the wide shape's columns: the questions of the catalogues stored reviews use, by
    /// catalogue id and position (each id once), then any answered id no catalogue lists, sorted.
    public static func exportQuestionIDs(_ store: any StoreReading) throws -> [String] {
        try store.read { sql in
            let listed = try sql.rows(
                """
                SELECT q.question FROM catalogue_question q
                WHERE q.catalogue IN (SELECT DISTINCT catalogue FROM review)
                ORDER BY \(sql.dialect.binary("q.catalogue")), q.position
                """, [])
            let unlisted = try sql.rows(
                """
                SELECT u.question FROM (
                    SELECT DISTINCT a.question FROM answer a JOIN review r ON r.id = a.review_id
                    WHERE NOT EXISTS (
                        SELECT 1 FROM catalogue_question q WHERE q.catalogue = r.catalogue AND q.question = a.question)
                ) u
                ORDER BY \(sql.dialect.binary("u.question"))
                """, [])
            var seen: Set<String> = []
            return (listed + unlisted).map { $0.string(0) }.filter { seen.insert($0).inserted }
        }
    }

    /// Answers joined with their review, dimensions, question and file, in export order (text in byte order on
    /// both back ends, whatever the PostgreSQL database's collation).
    static func exportSQL(_ dialect: SQLDialect) -> String {
        """
        SELECT r.id, rd.name, r.level, c.number, nullif(c.kommune, ''), u.name, r.measure, r.age, rv.initials,
            r.review_date, r.catalogue, r.catalogue_version, a.question, q.position, q.step, q.type, a.code,
            a.answer, a.applies, a.remark, f.path, f.sha256, a.sheet, a.cell,
            \(questionThemes(dialect, "qt.theme", catalogue: "r.catalogue", question: "a.question", separator: "','"))
        FROM review r
        JOIN round rd ON rd.id = r.round_id
        JOIN audit_case c ON c.id = r.case_id
        JOIN unit u ON u.id = r.unit_id
        JOIN reviewer rv ON rv.id = r.reviewer_id
        JOIN file f ON f.id = r.file_id
        JOIN answer a ON a.review_id = r.id
        LEFT JOIN catalogue_question q ON q.catalogue = r.catalogue AND q.question = a.question
        ORDER BY \(dialect.binary("rd.name")), r.level, \(dialect.binary("c.number")), r.id,
            CASE WHEN q.position IS NULL THEN 1 ELSE 0 END, q.position, \(dialect.binary("a.question"))
        """
    }
}
