internal import TilsynStore

/// Agreement between levels reviewing the same case and question, computed in SQL.
///
/// An item is a case, round and question answered at every compared level: Ja, Nej or a degree, with the question
/// applying to the case's indsats. Ikke relevant and blanks at any compared level leave the item out. Items agree
/// when every level gave the same answer. Chance-corrected agreement is Cohen's κ for two levels and Fleiss' κ for
/// more. A higher level overrules a lower one when the highest compared level answered Nej where the lowest answered
/// Ja (`overruledYesToNo`) or the other way round (`overruledNoToYes`).
public enum Agreement {
    /// One group's agreement.
    public struct Row: Sendable, Equatable {
        /// The compared levels, ascending.
        public var levels: [Int]
        /// The requested grouping keys (question, theme, round), and only those.
        public var keys: [Breakdown: KeyValue]
        /// Items answered at every compared level.
        public var compared: Int
        /// Items with the same answer at every compared level.
        public var agree: Int
        /// Cohen's κ (two levels) or Fleiss' κ (more); nil when undefined (no items, or one answer throughout).
        public var kappa: Double?
        /// Items the highest level answered Nej where the lowest answered Ja.
        public var overruledYesToNo: Int
        /// Items the highest level answered Ja where the lowest answered Nej.
        public var overruledNoToYes: Int
        /// The distinct cases behind `compared`: reviewed at every compared level with at least one item compared.
        public var cases: Int

        /// agree / compared; nil when nothing was compared.
        public var rate: Double? { compared > 0 ? Double(agree) / Double(compared) : nil }

        /// The share of compared items the highest level overruled (Ja → Nej or Nej → Ja); nil when nothing was
        /// compared.
        public var overruleRate: Double? {
            compared > 0 ? Double(overruledYesToNo + overruledNoToYes) / Double(compared) : nil
        }
    }

    /// The dimensions agreement can be grouped by; unit, kommune, measure and reviewer are those of the lowest
    /// compared level's review.
    public static let dimensions: [Breakdown] = [.question, .theme, .step, .unit, .kommune, .measure, .reviewer, .round]

    /// The answer codes compared: Ja, Nej, Lav, Nogen and Høj grad.
    static let categories = [1, 2, 4, 5, 6]

    /// The levels with reviews in the store, ascending.
    public static func levels(_ store: StoreReader) throws -> [Int] {
        try store.levels()
    }

    /// Agreement of every pair of `levels` (ascending pairs), then, with three levels or more, of all of them
    /// together on the cases reviewed at every one of them (Copenhagen: "alle fire niveauer er enige i 441 ud af
    /// 483 besvarede spørgsmål"). Always computed on the store: a level selection for other figures never narrows it.
    public static func comparisons(
        _ store: StoreReader, levels: [Int], by dimensions: [Breakdown] = [], round: String? = nil
    ) throws -> [Row] {
        let levels = Array(Set(levels)).sorted()
        var rows: [Row] = []
        for (index, low) in levels.enumerated() {
            for high in levels[(index + 1)...] {
                rows += try self.rows(store, levels: [low, high], by: dimensions, round: round)
            }
        }
        if levels.count >= 3 { rows += try self.rows(store, levels: levels, by: dimensions, round: round) }
        return rows
    }

    /// Agreement between `levels` (at least two), grouped by `dimensions`.
    ///
    /// Two levels read the pair counts the import keeps (`level_pair_count`), three or four the level set counts
    /// (`level_set_count`), both kept by the lowest level's unit, measure and reviewer too, so the cost does not grow
    /// with the answers; across rounds in which a case recurs (one child, counted once) only the recurring cases'
    /// answers are read, to take their repeats off the cases. The answers are self-joined (one join per compared
    /// level on case, round and question) only for five levels or more. Either way the sufficient statistics of κ
    /// are aggregated in SQL.
    public static func rows(
        _ store: StoreReader, levels: [Int], by dimensions: [Breakdown] = [], round: String? = nil
    ) throws -> [Row] {
        try rows(store, levels: levels, by: dimensions, round: round, fromAnswers: false)
    }

    /// As `rows(_:levels:by:round:)`; `fromAnswers` self-joins the answers for two levels too (tests compare).
    static func rows(
        _ store: StoreReader, levels: [Int], by dimensions: [Breakdown], round: String?, fromAnswers: Bool
    ) throws -> [Row] {
        let levels = Array(Set(levels)).sorted()
        precondition(levels.count >= 2, "agreement needs at least two levels")
        var seen: Set<Breakdown> = []
        let dimensions = dimensions.filter { seen.insert($0).inserted }
        precondition(dimensions.allSatisfy { Agreement.dimensions.contains($0) })
        let count = levels.count
        // The kept counts answer for two to four levels; across rounds in which a case recurs (one child, counted
        // once), its repeats are read from its own answers and taken off the cases.
        if (count == 2 || AuditStore.keptLevelSetSizes.contains(count)) && !fromAnswers {
            let roundFixed = dimensions.contains(.round) || round != nil
            let recurring = try !roundFixed && store.read { sql in
                    try sql.value("SELECT count(*) FROM (SELECT 1 FROM recurring_case LIMIT 1) AS any_case")?.integer
                        ?? 0 > 0
            }
            return try keptRows(store, levels: levels, by: dimensions, round: round, recurring: recurring)
        }
        let join = items(levels: levels, by: dimensions, round: round)
        var conditions = join.conditions
        let all = (1...count).map { "a\($0).code" }
        let flag = SQLDialect.flag
        var statistics = [
            "count(*)",
            "sum(" + flag(zip(all.dropLast(), all.dropFirst()).map { "\($0) = \($1)" }.joined(separator: " AND "))
                + ")",
            "sum(\(flag("a1.code = 1 AND a\(count).code = 2")))", "sum(\(flag("a1.code = 2 AND a\(count).code = 1")))",
        ]
        for category in categories {
            if count == 2 {
                statistics += ["sum(\(flag("a1.code = \(category)")))", "sum(\(flag("a2.code = \(category)")))"]
            } else {
                let raters = "(" + all.map { flag("\($0) = \(category)") }.joined(separator: " + ") + ")"
                statistics += ["sum(\(raters))", "sum(\(raters) * \(raters))"]
            }
        }
        // Distinct cases add up over the case ranges read in parallel: each case is in one range.
        statistics.append("count(DISTINCT r1.case_id)")
        conditions.append("r1.case_id BETWEEN ? AND ?")
        let sql = select(
            join.columns + join.order + statistics, from: join.from, where: conditions, groupBy: join.columns)
        // The statistics are sums, so the cases can be split into ranges read in parallel and the sums added up.
        let groups = try Partitioned.read(store, sql: sql, arguments: join.arguments, keys: join.columns.count,
                                          orders: join.order.count, level: levels[0])
        return assemble(groups, levels: levels, dimensions: dimensions)
    }

    /// `SELECT expressions FROM from WHERE conditions [GROUP BY columns]`.
    static func select(_ expressions: [String], from: String, where conditions: [String], groupBy columns: [String])
        -> String
    {
        """
        SELECT \(expressions.joined(separator: ", "))
        FROM \(from)
        WHERE \(conditions.joined(separator: " AND "))
        \(columns.isEmpty ? "" : "GROUP BY " + columns.joined(separator: ", "))
        """
    }

    /// The items compared between `levels` (one row per case, round and question answered Ja, Nej or a degree at
    /// every level, to a question that applies), joined for grouping by `dimensions`: the FROM clause, the WHERE
    /// conditions, the grouping columns, the catalogue's ordering expressions and the arguments. The lowest level's
    /// review and answer are `r1` and `a1`.
    static func items(levels: [Int], by dimensions: [Breakdown], round: String?)
        -> (from: String, conditions: [String], columns: [String], order: [String], arguments: [SQLValue])
    {
        var from = "review r1 JOIN answer a1 ON a1.review_id = r1.id"
        var conditions = ["r1.level = \(levels[0])", "a1.applies = 1", "a1.code IN (1, 2, 4, 5, 6)"]
        for index in 2...levels.count {
            from += """

                JOIN review r\(index) ON r\(index).case_id = r1.case_id AND r\(index).round_id = r1.round_id
                    AND r\(index).level = \(levels[index - 1])
                JOIN answer a\(index) ON a\(index).review_id = r\(index).id AND a\(index).question = a1.question
                """
            conditions += ["a\(index).applies = 1", "a\(index).code IN (1, 2, 4, 5, 6)"]
        }
        let (columns, order) = groupingJoins(
            dimensions, catalogue: "r1.catalogue", question: "a1.question", round: "r1.round_id", review: "r1",
            into: &from)
        if !dimensions.contains(.question) {
            // Temanedslag questions count only as themselves, never in a pejlemærke, sagsskridt or headline figure.
            from += "\nLEFT JOIN catalogue_question qx ON qx.catalogue = r1.catalogue AND qx.question = a1.question"
            conditions.append("coalesce(qx.temanedslag, 0) = 0")
        }
        var arguments: [SQLValue] = []
        if let round {
            conditions.append("r1.round_id IN (SELECT id FROM round WHERE name = ?)")
            arguments.append(.text(round))
        }
        return (from, conditions, columns, order, arguments)
    }

    /// Joins for grouping by question, theme or round onto `from`, given the SQL of the rows' catalogue, question
    /// and round; returns the grouping columns and the expressions that order the groups as the catalogue does.
    /// `review` is the alias of what holds the lowest level's unit, measure and reviewer: its review, or the kept
    /// counts.
    static func groupingJoins(
        _ dimensions: [Breakdown], catalogue: String, question: String, round: String, review: String,
        into from: inout String
    ) -> (columns: [String], order: [String]) {
        var columns: [String] = []
        var order: [String] = []
        for dimension in dimensions {
            switch dimension {
            case .question:
                from += "\nLEFT JOIN catalogue_question q ON q.catalogue = \(catalogue) AND q.question = \(question)"
                columns.append("\(question)")
                order.append("min(coalesce(q.position, 1e9))")
            case .theme:
                from += """

                    JOIN question_theme t ON t.catalogue = \(catalogue) AND t.question = \(question)
                    LEFT JOIN catalogue_theme g ON g.catalogue = t.catalogue AND g.theme = t.theme
                    """
                columns.append("t.theme")
                order.append("min(coalesce(g.position, 1e9))")
            case .step:
                from += "\nLEFT JOIN catalogue_question qs ON qs.catalogue = \(catalogue) AND qs.question = \(question)"
                from += "\nLEFT JOIN catalogue_step st ON st.catalogue = qs.catalogue AND st.step = qs.step"
                columns.append("coalesce(qs.step, '')")
                order.append("min(coalesce(st.position, 1e9))")
            case .unit, .kommune:
                if !from.contains(UnitSQL.join("\(review).unit_id")) {
                    from += "\n" + UnitSQL.join("\(review).unit_id")
                }
                columns.append(UnitSQL.key(dimension))
                order.append("0")
            case .measure:
                columns.append("CAST(\(review).measure AS TEXT)")
                order.append("0")
            case .reviewer:
                from += "\nJOIN reviewer v ON v.id = \(review).reviewer_id"
                columns.append("v.initials")
                order.append("0")
            default:
                from += "\nJOIN round d ON d.id = \(round)"
                columns.append("d.name")
                order.append("0")
            }
        }
        return (columns, order)
    }

    /// The rows of summed groups (`Partitioned.Group`), with a zero row when there are none and no grouping.
    static func assemble(_ groups: [Partitioned.Group], levels: [Int], dimensions: [Breakdown]) -> [Row] {
        let count = levels.count
        var rows: [Row] = []
        for group in groups {
            var keys: [Breakdown: KeyValue] = [:]
            for (index, dimension) in dimensions.enumerated() { keys[dimension] = .text(group.keys[index]) }
            let sums = group.sums
            let compared = sums[0]
            var first: [Int] = []
            var second: [Int] = []
            for index in categories.indices {
                first.append(sums[4 + 2 * index])
                second.append(sums[5 + 2 * index])
            }
            let kappa =
                count == 2
                ? Kappa.cohen(items: compared, agree: sums[1], first: first, second: second)
                : Kappa.fleiss(items: compared, raters: count, totals: first, squares: second)
            rows.append(Row(
                levels: levels, keys: keys, compared: compared, agree: sums[1], kappa: kappa,
                overruledYesToNo: sums[2], overruledNoToYes: sums[3], cases: sums[4 + 2 * categories.count]))
        }
        if rows.isEmpty && dimensions.isEmpty {
            rows.append(Row(
                levels: levels, keys: [:], compared: 0, agree: 0, kappa: nil, overruledYesToNo: 0,
                overruledNoToYes: 0, cases: 0))
        }
        return rows
    }
}
