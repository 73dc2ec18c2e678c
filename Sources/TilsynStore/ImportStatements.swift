internal import GRDB
internal import TilsynAudit

/// What an import writes per answer, each back end its fastest way: SQLite through prepared C statements,
/// PostgreSQL in multi-row statements.
protocol ImportWriters: AnyObject {
    /// The catalogues' groupings, read once per batch.
    var groupings: CatalogueGroupings { get }
    /// Inserts the answers of the review `reviewID`.
    func insert(_ answers: [Answer], reviewID: Int64) throws
    /// Adds kept counts to `answer_count` and `case_count`.
    func write(_ counts: KeptCounts) throws
    /// Adds a stored file's kept counts: at once, or (SQLite, in an import batch) with the batch's other files'
    /// before it commits.
    func keep(_ counts: KeptCounts) throws
    /// Writes the kept counts held back so far: before counts are taken out of the tables.
    func writeKept() throws
}

extension ImportWriters {
    func keep(_ counts: KeptCounts) throws { try write(counts) }
    func writeKept() throws {}
}

/// SQLite's writers: the batch's prepared statements on its connection.
final class SQLiteImportWriters: ImportWriters {
    private let db: Database
    private let shared: ImportShared

    init(_ db: Database, _ shared: ImportShared) {
        self.db = db
        self.shared = shared
    }

    var groupings: CatalogueGroupings { shared.groupings }

    func insert(_ answers: [Answer], reviewID: Int64) throws {
        try shared.answerInserter(db).insert(answers, reviewID: reviewID)
    }

    func write(_ counts: KeptCounts) throws { try counts.write(using: shared.keptCounts(db)) }

    func keep(_ counts: KeptCounts) throws {
        if shared.heldCounts != nil {
            shared.heldCounts?.file.merge(counts)
        } else {
            try write(counts)
        }
    }

    func writeKept() throws { try shared.writeHeldCounts(db) }
}

/// PostgreSQL's writers: a review's answers in one statement, the kept counts in one upsert per table.
final class PostgresImportWriters: ImportWriters {
    private let sql: any SQLRunner
    let groupings = CatalogueGroupings()

    init(_ sql: any SQLRunner) {
        self.sql = sql
    }

    func insert(_ answers: [Answer], reviewID: Int64) throws {
        try sql.insert(
            into: "answer(review_id, question, code, answer, applies, remark, sheet, cell)",
            answers.map { answer in
                [
                    .integer(reviewID), .text(answer.questionID),
                    answer.code.map { SQLValue(Int($0.rawValue)) } ?? .null, SQLValue(answer.answer),
                    SQLValue(answer.applies ? 1 : 0), SQLValue(answer.remark), .text(answer.at.sheet),
                    .text(answer.at.cell),
                ]
            })
    }

    func write(_ counts: KeptCounts) throws { try counts.write(through: sql) }
}

/// What the files of one import share on its connection: the catalogues' groupings as the store holds them, and the
/// statements that write answers and kept counts, each prepared once (preparing the kept counts' upserts cost about
/// as much as writing a returned workbook's hundred rows). Lives no longer than the connection's access.
final class ImportShared {
    let groupings = CatalogueGroupings()
    /// The batch's statements by SQL, for its ``GRDBRunner``s.
    let statements = SQLiteStatements()
    private var answers: AnswerInserter?
    private var counts: KeptCountStatements?
    /// The kept counts an import batch holds back until it commits; nil when each file writes its own.
    var heldCounts: HeldCounts?

    /// The answer inserter, prepared on first use.
    func answerInserter(_ db: Database) throws -> AnswerInserter {
        if let answers { return answers }
        let made = try AnswerInserter(db)
        answers = made
        return made
    }

    /// The kept counts' upserts, prepared on first use.
    func keptCounts(_ db: Database) throws -> KeptCountStatements {
        if let counts { return counts }
        let made = try KeptCountStatements(db)
        counts = made
        return made
    }

    /// Writes the kept counts the batch holds back (see ``HeldCounts``): under the current file's savepoint (before
    /// a replaced review's counts are taken out), or in the batch's transaction before it commits.
    func writeHeldCounts(_ db: Database) throws {
        guard let batch = heldCounts?.batch, !batch.isEmpty else { return }
        try batch.write(using: keptCounts(db))
        heldCounts?.wroteBatch()
    }
}
