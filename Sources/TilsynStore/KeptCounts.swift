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
    /// `answer_count`'s key: catalogue, question and the review's dimensions.
    private struct AnswerKey: Hashable {
        var catalogue: String
        var question: String
        var dimensions: Dimensions
    }

    /// `case_count`'s key: catalogue, group and the review's dimensions.
    private struct CaseKey: Hashable {
        var catalogue: String
        var group: CaseGroup
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

    /// yes, no, not_applicable, unanswered, low, some, high.
    private var answers: [AnswerKey: [Int]] = [:]
    /// cases, all_yes.
    private var cases: [CaseKey: (cases: Int, allYes: Int)] = [:]

    /// Whether so many rows are summed that they are better written now (a long file meets many combinations of
    /// question, enhed, indsats and reviewer).
    var isLarge: Bool { answers.count + cases.count >= 20_000 }

    /// Adds the answers and cases of `review`, stored as `stored`, grouped by its catalogue's `questions`.
    mutating func add(_ review: Review, stored: StoredReview, questions: [String: CatalogueGroupings.Question]) {
        let dimensions = Dimensions(
            round: stored.roundID, level: review.level, unit: stored.unitID, measure: review.measure.paragraph,
            reviewer: stored.reviewerID)
        // Per group of this review: whether every answer in it is Ja.
        var groups: [CaseGroup: Bool] = [:]
        func add(_ grouping: String, _ key: String, _ degree: Int, _ yes: Bool) {
            let group = CaseGroup(grouping: grouping, key: key, degree: degree)
            groups[group] = (groups[group] ?? true) && yes
        }
        for answer in review.answers {
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
            answers[
                AnswerKey(catalogue: review.catalogueID, question: answer.questionID, dimensions: dimensions),
                default: [0, 0, 0, 0, 0, 0, 0]][column] += 1
            // Cases: Ja, Nej or a degree to a question that applies, outside temanedslag.
            guard column != 2, column != 3 else { continue }
            let question = questions[answer.questionID]
            if question?.temanedslag == true { continue }
            let step = question?.step ?? ""
            let degree = question?.degree == true ? 1 : 0
            let yes = column == 0
            add("step", step, degree, yes)
            add("all", "", degree, yes)
            for theme in question?.themes ?? [] {
                add("theme", theme, degree, yes)
                add("step-theme", step + "\u{1F}" + theme, degree, yes)
            }
        }
        for (group, allYes) in groups {
            let key = CaseKey(catalogue: review.catalogueID, group: group, dimensions: dimensions)
            let sum = cases[key] ?? (0, 0)
            cases[key] = (sum.cases + 1, sum.allYes + (allYes ? 1 : 0))
        }
    }

    /// Adds the sums to `answer_count` and `case_count`.
    func write(in db: Database) throws {
        let answerRow = try db.cachedStatement(
            sql: """
                INSERT INTO answer_count(catalogue, question, round_id, level, unit_id, measure, reviewer_id,
                    yes, no, not_applicable, unanswered, low, some, high)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET
                    yes = yes + excluded.yes, no = no + excluded.no,
                    not_applicable = not_applicable + excluded.not_applicable,
                    unanswered = unanswered + excluded.unanswered,
                    low = low + excluded.low, some = some + excluded.some, high = high + excluded.high
                """)
        for (key, sums) in answers {
            let d = key.dimensions
            try answerRow.execute(arguments: [
                key.catalogue, key.question, d.round, d.level, d.unit, d.measure, d.reviewer,
                sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6],
            ])
        }
        let caseRow = try db.cachedStatement(
            sql: """
                INSERT INTO case_count(catalogue, grouping, key, degree, round_id, level, unit_id, measure,
                    reviewer_id, cases, all_yes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET cases = cases + excluded.cases, all_yes = all_yes + excluded.all_yes
                """)
        for (key, sums) in cases {
            let d = key.dimensions
            try caseRow.execute(arguments: [
                key.catalogue, key.group.grouping, key.group.key, key.group.degree, d.round, d.level, d.unit,
                d.measure, d.reviewer, sums.cases, sums.allYes,
            ])
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
    }

    private var catalogues: [String: [String: Question]] = [:]

    /// The questions of `catalogue` with their groups (empty for a catalogue the store does not know).
    func questions(of catalogue: String, in db: Database) throws -> [String: Question] {
        if let known = catalogues[catalogue] { return known }
        var questions: [String: Question] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT question, step, type, temanedslag FROM catalogue_question WHERE catalogue = ?",
            arguments: [catalogue])
        {
            questions[row[0]] = Question(step: row[1], degree: (row[2] as String) == "GRAD", temanedslag: row[3],
                                         themes: [])
        }
        for row in try Row.fetchAll(
            db, sql: "SELECT question, theme FROM question_theme WHERE catalogue = ? ORDER BY question, theme",
            arguments: [catalogue])
        {
            let question: String = row[0]
            // A theme of a question the catalogue does not list still groups it (the SQL joins them apart).
            questions[question, default: Question(step: "", degree: false, temanedslag: false, themes: [])]
                .themes.append(row[1])
        }
        catalogues[catalogue] = questions
        return questions
    }
}
