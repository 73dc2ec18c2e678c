internal import GRDB
internal import TilsynAudit

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
