internal import GRDB
internal import GRDBSQLite
internal import TilsynAudit

/// Inserts answers with one prepared statement bound through SQLite's C interface: the hot path of an import (a
/// long CSV stores a million answers), where binding through `StatementArguments` built an array of values and copied
/// every string for each row. Texts are bound without copying (`SQLITE_STATIC`): each is alive until the row is
/// stepped. The owner of its statement: finalised when the inserter goes, which is before its connection closes (an
/// inserter lives for one file's import).
final class AnswerInserter {
    private let statement: OpaquePointer
    private let db: Database
    static let sql = "INSERT INTO answer(review_id, question, code, answer, applies, remark, sheet, cell) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"

    init(_ db: Database) throws {
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(db.sqliteConnection, Self.sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: Self.sql)
        }
        statement = prepared
        self.db = db
    }

    deinit { sqlite3_finalize(statement) }

    /// `SQLITE_TRANSIENT`: SQLite copies the value at once.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Inserts the answers of the review `reviewID`.
    func insert(_ answers: [Answer], reviewID: Int64) throws {
        sqlite3_bind_int64(statement, 1, reviewID)
        for answer in answers {
            if let code = answer.code {
                sqlite3_bind_int64(statement, 3, Int64(code.rawValue))
            } else {
                sqlite3_bind_null(statement, 3)
            }
            sqlite3_bind_int64(statement, 5, answer.applies ? 1 : 0)
            // The texts taken out first: closures that read `answer` itself would each copy it whole.
            let (question, text, remark, sheet, cell) = (
                answer.questionID, answer.answer, answer.remark, answer.at.sheet, answer.at.cell
            )
            try bindText(question, 2) {
                try bindText(text, 4) {
                    try bindText(remark, 6) {
                        try bindText(sheet, 7) {
                            try bindText(cell, 8) {
                                let code = sqlite3_step(statement)
                                sqlite3_reset(statement)
                                guard code == SQLITE_DONE else {
                                    throw DatabaseError(
                                        resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage,
                                        sql: Self.sql)
                                }
                            }
                        }
                    }
                }
            }
        }
        sqlite3_clear_bindings(statement)
    }

    /// Binds `text` (NULL for nil) to parameter `index` for the time of `body`, without copying it.
    private func bindText(_ text: String?, _ index: Int32, _ body: () throws -> Void) throws {
        guard var text else {
            sqlite3_bind_null(statement, index)
            return try body()
        }
        try text.withUTF8 { utf8 in
            if let base = utf8.baseAddress, !utf8.isEmpty {
                // A static binding (no destructor): SQLite reads the bytes while `body` steps the statement, inside
                // this closure.
                UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: utf8.count) { chars in
                    _ = sqlite3_bind_text(statement, index, chars, Int32(utf8.count), nil)
                }
            } else {
                sqlite3_bind_text(statement, index, "", 0, Self.transient)
            }
            try body()
        }
    }
}
