internal import GRDB
internal import TilsynAudit

/// The kept counts a file's new reviews add, summed in Swift over the file and written with one upsert per row.
///
/// `answer_count` and `case_count` as ``AuditStore/updateCounts(in:filter:arguments:sign:)`` and
/// ``AuditStore/updateCaseCounts(in:filter:arguments:sign:)`` add them with sign 1 (those stay for taking replaced
/// reviews out and for rebuilding); here the rows come from the reviews just stored instead of a join per file,
/// and a long CSV of 25,000 reviews writes a few thousand rows instead of one upsert per answer. The tests compare
/// the kept tables with a recount after random imports and replacements.
struct KeptCounts {
    /// The rows one review adds to: its catalogue and dimensions.
    private struct Key: Hashable {
        var catalogue: String
        var dimensions: Dimensions
    }

    /// The dimensions of a review the counts are kept by.
    private struct Dimensions: Hashable {
        var round: Int64
        var level: Int
        var unit: Int64
        var measure: Int
        var reviewer: Int64
    }

    /// Sums by catalogue and dimensions, indexed by the catalogue's question and group indices (see
    /// ``CatalogueGroupings/Catalogue``): per question yes, no, not_applicable, unanswered, low, some, high; per
    /// group cases and all_yes. Hashing once per review instead of once per answer and group.
    fileprivate struct Sums {
        /// The catalogue the indices are of.
        let catalogue: CatalogueGroupings.Catalogue
        var answers: [Int]
        var cases: [Int]
        /// Answers to questions the store's catalogue does not list, by question.
        var others: [String: [Int]] = [:]
    }

    private var sums: [Key: Sums] = [:]
    private var rows = 0

    /// Whether so many rows are summed that they are better written now (a long file meets many combinations of
    /// question, enhed, indsats and reviewer).
    var isLarge: Bool { rows >= 20_000 }

    /// Adds the answers and cases of `review`, stored as `stored`, grouped by its `catalogue`'s questions.
    mutating func add(_ review: Review, stored: StoredReview, catalogue: CatalogueGroupings.Catalogue) {
        let key = Key(
            catalogue: review.catalogueID,
            dimensions: Dimensions(
                round: stored.roundID, level: review.level, unit: stored.unitID, measure: review.measure.paragraph,
                reviewer: stored.reviewerID))
        // Taken out while it is added to, so that the arrays are changed in place.
        var entry = sums.removeValue(forKey: key) ?? {
            rows += catalogue.rowCount
            return Sums(
                catalogue: catalogue, answers: Array(repeating: 0, count: catalogue.questionIDs.count * 7),
                cases: Array(repeating: 0, count: catalogue.groups.count * 2))
        }()
        // Per group of this review: 0 not met, 1 every answer Ja so far, 2 some answer not Ja.
        var groups = [UInt8](repeating: 0, count: catalogue.groups.count)
        entry.add(review.answers, catalogue: catalogue, groups: &groups)
        for (index, state) in groups.enumerated() where state != 0 {
            entry.cases[index * 2] += 1
            if state == 1 { entry.cases[index * 2 + 1] += 1 }
        }
        sums[key] = entry
    }

    /// Whether nothing is summed.
    var isEmpty: Bool { sums.isEmpty }

    /// Adds `other`'s sums to these: what writing both would add, in one row per key and question or group.
    mutating func merge(_ other: KeptCounts) {
        guard !other.sums.isEmpty else { return }
        guard !sums.isEmpty else {
            self = other
            return
        }
        for (key, theirs) in other.sums {
            guard var entry = sums.removeValue(forKey: key) else {
                sums[key] = theirs
                rows += theirs.catalogue.rowCount
                continue
            }
            // One catalogue's sums are indexed alike: its groupings are read once for the whole import.
            precondition(entry.answers.count == theirs.answers.count && entry.cases.count == theirs.cases.count)
            for index in entry.answers.indices { entry.answers[index] += theirs.answers[index] }
            for index in entry.cases.indices { entry.cases[index] += theirs.cases[index] }
            for (question, counts) in theirs.others {
                entry.others[question, default: [0, 0, 0, 0, 0, 0, 0]].withUnsafeMutableBufferPointer { mine in
                    for (index, count) in counts.enumerated() { mine[index] += count }
                }
            }
            sums[key] = entry
        }
    }

    /// Adds the sums to `answer_count` and `case_count`, bound through SQLite's C interface (GRDB's arguments cost
    /// most of each upsert, and a returned workbook writes about a hundred).
    func write(using statements: KeptCountStatements) throws {
        let (answerRow, caseRow) = (statements.answerRow, statements.caseRow)
        defer {
            answerRow.clearBindings()
            caseRow.clearBindings()
        }
        for (key, sums) in sums {
            let d = key.dimensions
            func bindDimensions(_ statement: BoundStatement, from index: Int32) {
                statement.bind(d.round, index)
                statement.bind(d.level, index + 1)
                statement.bind(d.unit, index + 2)
                statement.bind(d.measure, index + 3)
                statement.bind(d.reviewer, index + 4)
            }
            answerRow.bind(key.catalogue, 1)
            bindDimensions(answerRow, from: 3)
            func row(_ question: String, _ counts: ArraySlice<Int>) throws {
                guard counts.contains(where: { $0 != 0 }) else { return }
                answerRow.bind(question, 2)
                for (offset, count) in counts.enumerated() { answerRow.bind(count, 8 + Int32(offset)) }
                try answerRow.step()
            }
            for (index, question) in sums.catalogue.questionIDs.enumerated() {
                try row(question, sums.answers[(index * 7)..<(index * 7 + 7)])
            }
            for (question, counts) in sums.others { try row(question, counts[...]) }
            caseRow.bind(key.catalogue, 1)
            bindDimensions(caseRow, from: 5)
            for (index, group) in sums.catalogue.groups.enumerated() where sums.cases[index * 2] > 0 {
                caseRow.bind(group.grouping, 2)
                caseRow.bind(group.key, 3)
                caseRow.bind(group.degree, 4)
                caseRow.bind(sums.cases[index * 2], 10)
                caseRow.bind(sums.cases[index * 2 + 1], 11)
                try caseRow.step()
            }
        }
    }
}

extension KeptCounts {
    /// Adds the sums through `sql` in SQL both back ends speak: one multi-row upsert per table (the rows of one
    /// write never share a key: the sums are kept per catalogue, dimensions and question or group). PostgreSQL's
    /// way; SQLite binds row by row through ``write(using:)``, one prepared statement per table whatever the number
    /// of rows (a multi-row statement's text changes with it), on the import's hot path.
    func write(through sql: any SQLRunner) throws {
        var answerRows: [[SQLValue]] = []
        var caseRows: [[SQLValue]] = []
        for (key, sums) in sums {
            let d = key.dimensions
            let dimensions: [SQLValue] = [
                .integer(d.round), SQLValue(d.level), .integer(d.unit), SQLValue(d.measure), .integer(d.reviewer),
            ]
            var questions = sums.catalogue.questionIDs.enumerated().map { ($1, sums.answers[($0 * 7)..<($0 * 7 + 7)]) }
            questions += sums.others.map { ($0, $1[...]) }
            for (question, counts) in questions where counts.contains(where: { $0 != 0 }) {
                answerRows.append([.text(key.catalogue), .text(question)] + dimensions + counts.map(SQLValue.init))
            }
            for (index, group) in sums.catalogue.groups.enumerated() where sums.cases[index * 2] > 0 {
                caseRows.append(
                    [.text(key.catalogue), .text(group.grouping), .text(group.key), SQLValue(group.degree)] + dimensions
                        + [SQLValue(sums.cases[index * 2]), SQLValue(sums.cases[index * 2 + 1])])
            }
        }
        try sql.insert(
            into: "answer_count(catalogue, question, round_id, level, unit_id, measure, reviewer_id, yes, no, "
                + "not_applicable, unanswered, low, \"some\", high)",
            answerRows,
            SQLDialect.upsert(
                "answer_count", adding: ["yes", "no", "not_applicable", "unanswered", "low", "\"some\"", "high"]))
        try sql.insert(
            into: "case_count(catalogue, grouping, key, degree, round_id, level, unit_id, measure, reviewer_id, "
                + "cases, all_yes)",
            caseRows, SQLDialect.upsert("case_count", adding: ["cases", "all_yes"]))
    }
}

extension KeptCounts.Sums {
    /// Adds `answers` of one review, marking the review's groups in `groups`.
    mutating func add(
        _ answers: [Answer], catalogue: CatalogueGroupings.Catalogue, groups: inout [UInt8]
    ) {
        // Answers mostly come in the catalogue's order, as the questions are numbered: the question after the one
        // found last is tried first, by equality, before the id is hashed (ids are unique in `questionIDs`).
        var previous = -1
        for answer in answers {
            let column: Int
            switch (answer.code, answer.applies) {
            case (nil, _): column = 3
            case (.notApplicable?, _), (_?, false): column = 2
            case (.yes?, true): column = 0
            case (.no?, true): column = 1
            case (.low?, true): column = 4
            case (.some?, true): column = 5
            case (.high?, true): column = 6
            }
            let index: Int?
            if previous + 1 < catalogue.questionIDs.count, catalogue.questionIDs[previous + 1] == answer.questionID {
                index = previous + 1
            } else {
                index = catalogue.index[answer.questionID]
            }
            if let index {
                previous = index
                self.answers[index * 7 + column] += 1
            } else {
                others[answer.questionID, default: [0, 0, 0, 0, 0, 0, 0]][column] += 1
            }
            // Cases: Ja, Nej or a degree to a question that applies, outside temanedslag.
            guard column != 2, column != 3 else { continue }
            let yes = column == 0
            func mark(_ caseGroups: [Int]) {
                for group in caseGroups { groups[group] = groups[group] == 2 || !yes ? 2 : 1 }
            }
            if let index { mark(catalogue.caseGroups[index]) } else { mark(catalogue.unlisted) }
        }
    }
}

/// A review as the store holds it: its row and the ids of its dimensions.
struct StoredReview {
    var id: Int64
    var caseID: Int64
    var roundID: Int64
    var reviewerID: Int64
    var unitID: Int64
}

/// A group a review's case is counted in: a grouping (`step`, `theme`, `all`, `step-theme`), its key and the
/// question kind (1 for degree questions).
struct CaseGroup: Hashable {
    var grouping: String
    var key: String
    var degree: Int
}

/// The catalogues' groups as the store holds them (`catalogue_question`, `question_theme`), read once per catalogue
/// for the files of one import: the store's tables, not the program's catalogues, decide the counts.
final class CatalogueGroupings {
    struct Question {
        var step: String
        var degree: Bool
        var temanedslag: Bool
        var themes: [String]
        /// Its place in the catalogue (`Int.max` for a question only `question_theme` names).
        var position: Int
    }

    /// One catalogue's questions and case groups, numbered for ``KeptCounts``: what an answer needs is found by
    /// one look-up of its question's index.
    struct Catalogue {
        /// Each question's index, by id.
        var index: [String: Int]
        /// The question ids by index.
        var questionIDs: [String]
        /// By question index, the places in ``groups`` of the groups its case is counted in: its sagsskridt, all,
        /// each of its pejlemærker, and each sagsskridt × pejlemærke; none for a temanedslag question.
        var caseGroups: [[Int]]
        /// The case groups by index.
        var groups: [CaseGroup]
        /// The groups of a question the store's catalogue does not list: sagsskridt "" and all, not degree.
        var unlisted: [Int]

        /// The rows one combination of dimensions can add to: one per question and one per case group.
        var rowCount: Int { questionIDs.count + groups.count }
    }

    private var catalogues: [String: Catalogue] = [:]

    /// The catalogue `id` as the store holds it, its questions and groups numbered.
    func catalogue(_ id: String, in sql: any SQLRunner) throws -> Catalogue {
        if let known = catalogues[id] { return known }
        var questions: [String: Question] = [:]
        for row in try sql.rows(
            "SELECT question, step, type, temanedslag, position FROM catalogue_question WHERE catalogue = ?",
            [.text(id)])
        {
            questions[row.string(0)] = Question(
                step: row.string(1), degree: row.string(2) == "GRAD", temanedslag: row.bool(3), themes: [],
                position: row.int(4))
        }
        for row in try sql.rows(
            "SELECT question, theme FROM question_theme WHERE catalogue = ? ORDER BY question, theme", [.text(id)])
        {
            // A theme of a question the catalogue does not list still groups it (the SQL joins them apart).
            questions[
                row.string(0),
                default: Question(step: "", degree: false, temanedslag: false, themes: [], position: .max)
            ].themes.append(row.string(1))
        }
        // Numbered in the catalogue's order, as answers come.
        let sorted = questions.sorted { ($0.value.position, $0.key) < ($1.value.position, $1.key) }
        var numbered = Catalogue(index: [:], questionIDs: sorted.map(\.key), caseGroups: [], groups: [], unlisted: [])
        var groupIndex: [CaseGroup: Int] = [:]
        func index(_ grouping: String, _ key: String, _ degree: Bool) -> Int {
            let group = CaseGroup(grouping: grouping, key: key, degree: degree ? 1 : 0)
            if let known = groupIndex[group] { return known }
            groupIndex[group] = numbered.groups.count
            numbered.groups.append(group)
            return numbered.groups.count - 1
        }
        for (position, (id, question)) in sorted.enumerated() {
            numbered.index[id] = position
            var groups = [index("step", question.step, question.degree), index("all", "", question.degree)]
            for theme in question.themes {
                groups.append(index("theme", theme, question.degree))
                groups.append(index("step-theme", question.step + "\u{1F}" + theme, question.degree))
            }
            numbered.caseGroups.append(question.temanedslag ? [] : groups)
        }
        numbered.unlisted = [index("step", "", false), index("all", "", false)]
        catalogues[id] = numbered
        return numbered
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
