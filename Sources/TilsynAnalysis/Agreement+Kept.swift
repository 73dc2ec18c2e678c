internal import TilsynStore

/// Agreement from the counts the import keeps, so its cost does not grow with the answers.
extension Agreement {
    /// Agreement from the counts the import keeps: `level_pair_count` for two levels, `level_set_count` for three
    /// or four; the statistics are those of the self-join in `rows(_:levels:by:round:)`, so the cost does not grow
    /// with the answers. With `recurring` (figures across rounds in a store where a case recurs) the repeats of
    /// the recurring cases, read from their own answers, are taken off the cases.
    static func keptRows(
        _ store: StoreReader, levels: [Int], by dimensions: [Breakdown], round: String?, recurring: Bool
    ) throws -> [Row] {
        let pair = levels.count == 2
        var from = pair ? "level_pair_count p" : "level_set_count p"
        let (columns, order) = groupingJoins(
            dimensions, catalogue: "p.catalogue", question: "p.question", round: "p.round_id", review: "p",
            into: &from)
        let levelSet = levels.map(String.init).joined(separator: ",")
        var conditions =
            pair ? ["p.low_level = \(levels[0])", "p.high_level = \(levels[1])"] : ["p.levels = '\(levelSet)'"]
        let byQuestion = dimensions.contains(.question)
        if !byQuestion {
            from += "\nLEFT JOIN catalogue_question qx ON qx.catalogue = p.catalogue AND qx.question = p.question"
            conditions.append("coalesce(qx.temanedslag, 0) = 0")
        }
        var arguments: [SQLValue] = []
        if let round {
            conditions.append("p.round_id IN (SELECT id FROM round WHERE name = ?)")
            arguments.append(.text(round))
        }
        var statistics: [String]
        if pair {
            statistics = [
                "sum(p.items)", "sum(p.items) FILTER (WHERE p.low_code = p.high_code)",
                "sum(p.items) FILTER (WHERE p.low_code = 1 AND p.high_code = 2)",
                "sum(p.items) FILTER (WHERE p.low_code = 2 AND p.high_code = 1)",
            ]
            for category in categories {
                statistics += [
                    "sum(p.items) FILTER (WHERE p.low_code = \(category))",
                    "sum(p.items) FILTER (WHERE p.high_code = \(category))",
                ]
            }
        } else {
            statistics = ["sum(p.compared)", "sum(p.agree)", "sum(p.yes_to_no)", "sum(p.no_to_yes)"]
            for category in categories { statistics += ["sum(p.t\(category))", "sum(p.q\(category))"] }
        }
        // The cases: filled in below from `level_pair_case_count` (by question, one item per case and round).
        statistics.append("0")
        let sql = select(columns + order + statistics, from: from, where: conditions, groupBy: columns)
        let (found, cases, repeats) = try store.read { runner in
            (
                try runner.rows(sql, arguments),
                byQuestion ? [:] : try keptCases(runner, levels: levels, by: dimensions, round: round),
                recurring ? try self.repeats(runner, levels: levels, by: dimensions) : [:]
            )
        }
        var groups = Partitioned.merge([found], keys: columns.count, orders: order.count)
        for index in groups.indices {
            let keys = groups[index].keys
            // By question, one item per case and round.
            groups[index].sums[groups[index].sums.count - 1] =
                (byQuestion ? groups[index].sums[0] : cases[keys] ?? 0) - (repeats[keys] ?? 0)
        }
        return assemble(groups, levels: levels, dimensions: dimensions)
    }

    /// Per group (keys as texts in the order of `dimensions`): how many times more the cases reviewed at the lowest
    /// level in several rounds count per round than once, over all rounds; read from those cases' answers only.
    static func repeats(_ runner: any SQLRunner, levels: [Int], by dimensions: [Breakdown]) throws -> [[String]: Int] {
        let join = items(levels: levels, by: dimensions, round: nil)
        let conditions =
            join.conditions + ["r1.case_id IN (SELECT case_id FROM recurring_case WHERE level = \(levels[0]))"]
        let statistic =
            "count(DISTINCT CAST(r1.case_id AS TEXT) || ',' || CAST(r1.round_id AS TEXT)) - count(DISTINCT r1.case_id)"
        let sql = select(join.columns + [statistic], from: join.from, where: conditions, groupBy: join.columns)
        var repeats: [[String]: Int] = [:]
        for row in try runner.rows(sql, join.arguments) {
            repeats[join.columns.indices.map { row.string($0) }] = row.int(join.columns.count)
        }
        return repeats
    }

    /// The cases with an item compared between `levels` per group (theme or step, the lowest level's unit, measure
    /// and reviewer, and round; keys as texts in the order of `dimensions`), from `level_pair_case_count` or `level_set_case_count`.
    static func keptCases(_ runner: any SQLRunner, levels: [Int], by dimensions: [Breakdown], round: String?) throws
        -> [[String]: Int]
    {
        let grouping = KeptCaseGrouping.name(dimensions)
        let pair = levels.count == 2
        var from = pair ? "level_pair_case_count p" : "level_set_case_count p"
        let columns = dimensions.map { dimension -> String in
            switch dimension {
            case .round:
                from += "\nJOIN round d ON d.id = p.round_id"
                return "d.name"
            case .unit, .kommune:
                if !from.contains(UnitSQL.join("p.unit_id")) { from += "\n" + UnitSQL.join("p.unit_id") }
                return UnitSQL.key(dimension)
            case .measure:
                return "CAST(p.measure AS TEXT)"
            case .reviewer:
                from += "\nJOIN reviewer v ON v.id = p.reviewer_id"
                return "v.initials"
            default:
                return KeptCaseGrouping.key(dimension, of: "p", dimensions, runner.dialect)
            }
        }
        var conditions = pair ? ["p.low_level = ?", "p.high_level = ?", "p.grouping = ?"] : ["p.levels = ?", "p.grouping = ?"]
        var arguments: [SQLValue] =
            pair
            ? [SQLValue(levels[0]), SQLValue(levels[1]), .text(grouping)]
            : [.text(levels.map(String.init).joined(separator: ",")), .text(grouping)]
        if let round {
            conditions.append("p.round_id IN (SELECT id FROM round WHERE name = ?)")
            arguments.append(.text(round))
        }
        let sql = select(columns + ["sum(p.cases)"], from: from, where: conditions, groupBy: columns)
        var cases: [[String]: Int] = [:]
        for row in try runner.rows(sql, arguments) {
            cases[columns.indices.map { row.string($0) }] = row.int(columns.count)
        }
        return cases
    }
}
