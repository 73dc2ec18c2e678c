internal import GRDB
internal import GRDBSQLite
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

    func writeKept() throws {
        guard let batch = shared.heldCounts?.batch, !batch.isEmpty else { return }
        try write(batch)
        shared.heldCounts?.wroteBatch()
    }
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
}

/// The kept counts of an import batch's stored files, held back and written once before the batch commits: the
/// files of one round share most of their rows (the same catalogue, reviewers and enheder), and an upsert costs
/// SQLite about 3 µs. A file's counts join the batch's only when its savepoint is released; counts written on the
/// way (before a replaced review's are taken out) are kept aside until then, and held again if the file is rolled
/// back.
struct HeldCounts {
    /// The counts of the files stored in the batch's transaction and not yet written.
    private(set) var batch = KeptCounts()
    /// The counts of the file being stored.
    var file = KeptCounts()
    /// Batch counts written while the current file was being stored (and so under its savepoint).
    private var writtenInFile = KeptCounts()

    /// The batch's counts were written in the current file's savepoint.
    mutating func wroteBatch() {
        writtenInFile.merge(batch)
        batch = KeptCounts()
    }

    /// The current file's savepoint was released: its counts join the batch's.
    mutating func fileStored() {
        batch.merge(file)
        file = KeptCounts()
        writtenInFile = KeptCounts()
    }

    /// The current file's savepoint was rolled back: its counts go, and batch counts written under it are held again.
    mutating func fileRolledBack() {
        batch.merge(writtenInFile)
        file = KeptCounts()
        writtenInFile = KeptCounts()
    }

    /// Whether the batch holds so many rows that they are better written now.
    var isLarge: Bool { batch.isLarge }

    /// The batch's counts were written outside any file's savepoint.
    mutating func batchWritten() { batch = KeptCounts() }
}

/// Prepared statements by their SQL, for one connection: the owner of each, finalised with it (before the
/// connection closes: it lives for one database access, or one import batch).
final class SQLiteStatements {
    private var prepared: [String: BoundStatement] = [:]

    /// The statement for `sql`, prepared on first use.
    func statement(_ sql: String, in db: Database) throws -> BoundStatement {
        if let known = prepared[sql] { return known }
        let made = try BoundStatement(db, sql: sql)
        prepared[sql] = made
        return made
    }
}

/// One prepared statement driven through SQLite's C interface: the import's hot writes (a long CSV stores a million
/// answers, a returned workbook a hundred kept counts), where binding through `StatementArguments` built an array of
/// values and copied every string for each row. The owner of its statement: finalised when it goes, which is before
/// its connection closes (it lives for one import, see ``ImportShared``).
final class BoundStatement {
    private let statement: OpaquePointer
    private let db: Database
    let sql: String

    init(_ db: Database, sql: String) throws {
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(db.sqliteConnection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
        }
        statement = prepared
        self.db = db
        self.sql = sql
    }

    deinit { sqlite3_finalize(statement) }

    /// `SQLITE_TRANSIENT`: SQLite copies the value at once.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds `value` to parameter `index` (1-based) until it is bound again or cleared.
    func bind(_ value: Int64, _ index: Int32) { sqlite3_bind_int64(statement, index, value) }

    func bind(_ value: Int, _ index: Int32) { sqlite3_bind_int64(statement, index, Int64(value)) }

    func bindNull(_ index: Int32) { sqlite3_bind_null(statement, index) }

    /// Binds a copy of `text`.
    func bind(_ text: String, _ index: Int32) {
        var text = text
        text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    _ = sqlite3_bind_text(statement, index, base, Int32(chars.count), Self.transient)
                } else {
                    _ = sqlite3_bind_text(statement, index, "", 0, Self.transient)
                }
            }
        }
    }

    /// Binds `bytes` as text to parameter `index` without copying them: they must stay where they are until the
    /// statement has been stepped (SQLite reads a bound value only while the statement steps).
    func bindUncopied(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int32) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            sqlite3_bind_text(statement, index, "", 0, Self.transient)
            return
        }
        UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            _ = sqlite3_bind_text(statement, index, chars, Int32(bytes.count), nil)
        }
    }

    /// Binds a value (text copied).
    func bind(_ value: SQLValue, _ index: Int32) {
        switch value {
        case .null: bindNull(index)
        case .integer(let number): bind(number, index)
        case .real(let number): sqlite3_bind_double(statement, index, number)
        case .text(let text): bind(text, index)
        }
    }

    /// Runs the statement with `values` bound in order and returns its rows; clears the bindings and resets it.
    func rows(_ values: [SQLValue]) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try each(values) { rows.append($0) }
        return rows
    }

    /// Runs the statement with `values` bound in order and hands its rows to `body` one at a time; clears the
    /// bindings and resets it.
    func each(_ values: [SQLValue], _ body: ([SQLValue]) throws -> Void) throws {
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in values.enumerated() { bind(value, Int32(index + 1)) }
        let columns = sqlite3_column_count(statement)
        var row: [SQLValue] = []
        row.reserveCapacity(Int(columns))
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
            }
            row.removeAll(keepingCapacity: true)
            for column in 0..<columns {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_NULL: row.append(.null)
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(statement, column)))
                default:
                    let count = Int(sqlite3_column_bytes(statement, column))
                    guard let bytes = sqlite3_column_text(statement, column) else {
                        row.append(.text(""))
                        continue
                    }
                    row.append(.text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)))
                }
            }
            try body(row)
        }
    }

    /// The rows the last statement on the connection changed.
    var changes: Int { Int(sqlite3_changes(db.sqliteConnection)) }

    /// Runs the statement once with what is bound, and resets it for the next row.
    func step() throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
        }
    }

    /// Unbinds every parameter (no static text is left pointing at memory that has gone).
    func clearBindings() { sqlite3_clear_bindings(statement) }
}

/// Inserts a review's answers in multi-row statements of up to ``rowsPerStatement`` rows, one prepared statement per
/// row count: each statement SQLite runs costs about as much again as the rows it inserts (its statement
/// transaction, start and halt), and a review has 40–50 answers. The review's id is bound once for all rows (`?1`),
/// and so is the sheet when the rows share it (`?2`, as a review's answers mostly do): each value bound costs SQLite
/// about as much as a tenth of a row. The texts are copied once into one buffer of the inserter's and bound from
/// there without SQLite copying them again.
final class AnswerInserter {
    static let rowsPerStatement = 64
    private let db: Database
    private var statements: [Shape: BoundStatement] = [:]
    /// The texts of the rows being inserted, one after another; reused from statement to statement.
    private var texts: [UInt8] = []
    /// Where each bound text lies in `texts` (start and count; count −1 for NULL), in parameter order.
    private var spans: [(start: Int, count: Int)] = []

    init(_ db: Database) throws {
        self.db = db
    }

    /// Inserts the answers of the review `reviewID`.
    func insert(_ answers: [Answer], reviewID: Int64) throws {
        var start = answers.startIndex
        while start < answers.endIndex {
            let end = min(start + Self.rowsPerStatement, answers.endIndex)
            try insert(answers, answers.indices[start..<end], reviewID: reviewID)
            start = end
        }
    }

    /// A statement's rows and its parameters: `?1` the review's id, `?2` the sheet when the rows share it, then each
    /// row's own, in the order question, code, answer, applies, remark, (sheet,) cell.
    private struct Shape: Hashable {
        var rows: Int
        var sharedSheet: Bool

        /// The parameters a row binds on its own.
        var columns: Int32 { sharedSheet ? 6 : 7 }

        /// The first of the parameters of row `row` (0-based).
        func first(_ row: Int) -> Int32 { (sharedSheet ? 3 : 2) + Int32(row) * columns }
    }

    /// The statement of `shape`, prepared on first use.
    private func statement(_ shape: Shape) throws -> BoundStatement {
        if let known = statements[shape] { return known }
        let values = (0..<shape.rows).map { row in
            let own = (0..<shape.columns).map { "?\(shape.first(row) + $0)" }
            let sheet = shape.sharedSheet ? "?2" : own[5]
            return "(?1, \(own[0...4].joined(separator: ", ")), \(sheet), \(own[own.count - 1]))"
        }
        let made = try BoundStatement(
            db, sql: "INSERT INTO answer(review_id, question, code, answer, applies, remark, sheet, cell) VALUES "
                + values.joined(separator: ", "))
        statements[shape] = made
        return made
    }

    /// Inserts `answers[rows]` in one statement.
    private func insert(_ answers: [Answer], _ rows: Range<Int>, reviewID: Int64) throws {
        // Every parameter is bound again before each step, so the texts' bindings are not cleared after it (that
        // cost 1 % of a long CSV's import): SQLite reads bound values only while a statement steps.
        guard let firstRow = rows.first else { return }
        let sheet = answers[firstRow].at.sheet
        let sharedSheet = rows.allSatisfy { answers[$0].at.sheet == sheet }
        let shape = Shape(rows: rows.count, sharedSheet: sharedSheet)
        let statement = try statement(shape)
        // Worked on as locals (a class's stored arrays are checked for exclusive access at every use).
        var texts = self.texts
        var spans = self.spans
        self.texts = []
        self.spans = []
        defer {
            self.texts = texts
            self.spans = spans
        }
        texts.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        if sharedSheet { Self.keep(sheet, in: &texts, at: &spans) }
        // By index: `for answer in answers` copies every answer, retaining each of its texts.
        for index in rows {
            Self.keep(answers[index].questionID, in: &texts, at: &spans)
            Self.keep(answers[index].answer, in: &texts, at: &spans)
            Self.keep(answers[index].remark, in: &texts, at: &spans)
            if !sharedSheet { Self.keep(answers[index].at.sheet, in: &texts, at: &spans) }
            Self.keep(answers[index].at.cell, in: &texts, at: &spans)
        }
        // Bound only once every text is in `texts`, which does not move again until the statement has run.
        try texts.withUnsafeBufferPointer { buffer in
            var next = spans.startIndex
            func bindText(_ index: Int32) {
                let span = spans[next]
                next += 1
                if span.count < 0 {
                    statement.bindNull(index)
                } else {
                    let bytes = buffer[span.start..<span.start + span.count]
                    statement.bindUncopied(UnsafeBufferPointer(rebasing: bytes), index)
                }
            }
            statement.bind(reviewID, 1)
            if sharedSheet { bindText(2) }
            for (row, index) in rows.enumerated() {
                let first = shape.first(row)
                bindText(first)
                if let code = answers[index].code {
                    statement.bind(Int(code.rawValue), first + 1)
                } else {
                    statement.bindNull(first + 1)
                }
                bindText(first + 2)
                statement.bind(answers[index].applies ? 1 : 0, first + 3)
                bindText(first + 4)
                if !sharedSheet { bindText(first + 5) }
                bindText(first + shape.columns - 1)
            }
            try statement.step()
        }
    }

    /// Appends the UTF-8 of `text` to `texts` and where it lies to `spans` (count −1 for nil).
    private static func keep(_ text: String?, in texts: inout [UInt8], at spans: inout [(start: Int, count: Int)]) {
        guard let text else {
            spans.append((texts.count, -1))
            return
        }
        let start = texts.count
        if text.utf8.withContiguousStorageIfAvailable({ texts.append(contentsOf: $0) }) == nil {
            texts.append(contentsOf: text.utf8)
        }
        spans.append((start, texts.count - start))
    }
}

/// The upserts that add kept counts to `answer_count` and `case_count` (see ``KeptCounts/write(using:)``).
final class KeptCountStatements {
    let answerRow: BoundStatement
    let caseRow: BoundStatement

    init(_ db: Database) throws {
        answerRow = try BoundStatement(
            db, sql: """
                INSERT INTO answer_count(catalogue, question, round_id, level, unit_id, measure, reviewer_id,
                    yes, no, not_applicable, unanswered, low, some, high)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET
                    yes = yes + excluded.yes, no = no + excluded.no,
                    not_applicable = not_applicable + excluded.not_applicable,
                    unanswered = unanswered + excluded.unanswered,
                    low = low + excluded.low, some = some + excluded.some, high = high + excluded.high
                """)
        caseRow = try BoundStatement(
            db, sql: """
                INSERT INTO case_count(catalogue, grouping, key, degree, round_id, level, unit_id, measure,
                    reviewer_id, cases, all_yes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET cases = cases + excluded.cases, all_yes = all_yes + excluded.all_yes
                """)
    }
}
