internal import TilsynStore

/// The cases (children) behind the summary's groups: from the kept `case_count`, with the repeats of cases
/// reviewed in several rounds read from the answers.
extension Summary {
    /// The distinct cases of each group (by `key`, the grouping columns and the question kind).
    ///
    /// Read from the counts the import keeps (`case_count`: reviews with a counted answer per sagsskridt, pejlemærke
    /// or all questions), which are the cases whenever the round is fixed: a case has one review per round and
    /// level. Across rounds a case reviewed in several rounds is one child, so the reviews of such recurring cases
    /// are read from the answers and their repeats taken off. Grouped by question, the cases are the answers counted,
    /// less the same repeats; the value returned is then the repeats (to subtract).
    static func caseCounts(
        _ runner: any SQLRunner, dimensions: [Breakdown], key: [String], joins: [String], conditions: [String],
        arguments: [SQLValue], roundFixed: Bool, selection: Selection
    ) throws -> [[SQLValue]: Int] {
        let byQuestion = dimensions.contains(.question)
        var counts: [[SQLValue]: Int] = [:]
        if !byQuestion {
            counts = try keptCaseCounts(runner, dimensions: dimensions, key: key, selection: selection)
                .mapValues(\.cases)
        }
        guard !roundFixed else { return counts }
        guard try anyRecurring(runner) else { return counts }
        for (group, found) in try scan(
            runner, key: key, joins: joins, conditions: conditions, arguments: arguments, recurringOnly: true)
        {
            // Grouped by question the caller subtracts the repeats from the answers; else they come off the reviews.
            counts[group, default: 0] += byQuestion ? found.reviews - found.cases : found.cases - found.reviews
        }
        return counts
    }

    /// The cases and all-Ja cases per group (by `key`) from `case_count`, for groupings without the question: exact
    /// per round (a case has one review per round and level).
    static func keptCaseCounts(_ runner: any SQLRunner, dimensions: [Breakdown], key: [String], selection: Selection)
        throws -> [[SQLValue]: (cases: Int, allYes: Int)]
    {
        let grouping = KeptCaseGrouping.name(dimensions)
        let (caseJoins, caseKey) = caseCountSQL(dimensions: dimensions, key: key, runner.dialect)
        var conditions = ["c.grouping = '\(grouping)'"]
        var arguments: [SQLValue] = []
        selection.restrict(&conditions, &arguments)
        let sql = """
            SELECT \(caseKey.joined(separator: ", ")), sum(c.cases), sum(c.all_yes)
            FROM case_count c
            \(caseJoins.joined(separator: "\n"))
            WHERE \(conditions.joined(separator: " AND "))
            GROUP BY \(caseKey.joined(separator: ", "))
            """
        var found: [[SQLValue]: (cases: Int, allYes: Int)] = [:]
        for row in try runner.rows(sql, arguments) {
            found[Array(row[0..<key.count])] = (row.int(key.count), row.int(key.count + 1))
        }
        return found
    }

    /// Whether any case is reviewed at a level in more than one round (`recurring_case` is not empty).
    static func anyRecurring(_ runner: any SQLRunner) throws -> Bool {
        try runner.value("SELECT count(*) FROM (SELECT 1 FROM recurring_case LIMIT 1) AS any_case")?.integer ?? 0 > 0
    }

    /// Per group (by `key`): the reviews and distinct cases with a counted answer (Ja, Nej or a degree to a
    /// question that applies), and the reviews whose Ja/Nej answers in the group are all Ja, read from the answers;
    /// `recurringOnly` reads only the cases reviewed in more than one round at a level.
    static func scan(
        _ runner: any SQLRunner, key: [String], joins: [String], conditions: [String],
        arguments: [SQLValue], recurringOnly: Bool
    ) throws -> [[SQLValue]: (reviews: Int, cases: Int, allYes: Int)] {
        let aliases = key.indices.map { "k\($0)" }
        let recurring = recurringOnly
            ? "AND r.case_id IN (SELECT case_id FROM recurring_case)" : ""
        let sql = """
            SELECT \(aliases.joined(separator: ", ")), count(*), count(DISTINCT case_id), sum(all_yes)
            FROM (
                SELECT \(zip(key, aliases).map { "\($0) AS \($1)" }.joined(separator: ", ")), c.review_id,
                    c.case_id, min(\(SQLDialect.flag("c.code = 1"))) AS all_yes
                FROM (
                    SELECT r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id,
                        r.case_id, r.id AS review_id, a.code
                    FROM answer a JOIN review r ON r.id = a.review_id
                    WHERE a.applies = 1 AND a.code IN (1, 2, 4, 5, 6) \(recurring)
                ) c
                \(joins.joined(separator: "\n"))
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                GROUP BY \(aliases.joined(separator: ", ")), c.review_id, c.case_id
            ) AS per_review
            GROUP BY \(aliases.joined(separator: ", "))
            """
        var found: [[SQLValue]: (reviews: Int, cases: Int, allYes: Int)] = [:]
        for row in try runner.rows(sql, arguments) {
            found[Array(row[0..<key.count])] = (row.int(key.count), row.int(key.count + 1), row.int(key.count + 2))
        }
        return found
    }

    /// The joins and key expressions that group `case_count c` as `keySQL` groups `answer_count` (the same values,
    /// in the same order, ending with the question kind); `key` is `keySQL`'s for the same dimensions.
    static func caseCountSQL(dimensions: [Breakdown], key: [String], _ dialect: SQLDialect)
        -> (joins: [String], key: [String])
    {
        var joins: [String] = []
        var columns: [String] = []
        for expression in key.dropLast() {
            switch expression {
            case "coalesce(q.step, '')": columns.append(KeptCaseGrouping.key(.step, of: "c", dimensions, dialect))
            case "t.theme": columns.append(KeptCaseGrouping.key(.theme, of: "c", dimensions, dialect))
            case UnitSQL.unit, UnitSQL.kommune:
                if !joins.contains(UnitSQL.join("c.unit_id")) { joins.append(UnitSQL.join("c.unit_id")) }
                columns.append(expression)
            case "r.name":
                joins.append("JOIN round r ON r.id = c.round_id")
                columns.append("r.name")
            case "v.initials":
                joins.append("JOIN reviewer v ON v.id = c.reviewer_id")
                columns.append("v.initials")
            default: columns.append(expression)  // c.level, c.measure
            }
        }
        return (joins, columns + ["c.degree"])
    }
}

/// The grouping of the kept case counts (`case_count`, `level_pair_case_count`, `level_set_case_count`) that answers a
/// grouping by `dimensions`, and its keys: one owner for the summary and agreement.
enum KeptCaseGrouping {
    /// `step-theme` when both sagsskridt and pejlemærke are asked for, else `step`, `theme` or `all`.
    static func name(_ dimensions: [Breakdown]) -> String {
        let (step, theme) = (dimensions.contains(.step), dimensions.contains(.theme))
        return step && theme ? "step-theme" : step ? "step" : theme ? "theme" : "all"
    }

    /// The SQL of the sagsskridt or pejlemærke (`dimension`) of the counts' row `alias`: its key, or in a
    /// `step-theme` row the part before or after the U+001F that separates the two.
    static func key(_ dimension: Breakdown, of alias: String, _ dimensions: [Breakdown], _ dialect: SQLDialect)
        -> String
    {
        guard name(dimensions) == "step-theme" else { return "\(alias).key" }
        let at = dialect.position(of: dialect.separator, in: "\(alias).key")
        return dimension == .step ? "substr(\(alias).key, 1, \(at) - 1)" : "substr(\(alias).key, \(at) + 1)"
    }
}
