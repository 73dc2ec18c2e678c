internal import TilsynStore

/// Compliance across rounds against a baseline round, aggregated in SQL over the answer counts.
///
/// Every row is for one level, compared with the baseline round at the same level: levels are never added.
///
/// For each group and round the rate is computed over the Ja/Nej questions answered (Ja or Nej) in both that
/// round and the baseline, and so is the baseline's rate it is compared with; the change is in percentage points.
/// The baseline's own row compares it with itself over all its questions. A question renamed in a later catalogue
/// version (`replaces` in the catalogue, kept in `question_rename`) counts under its current id in every round.
public enum Trend {
    /// One group's value in one round.
    public struct Row: Sendable, Equatable {
        /// The requested grouping keys, and only those.
        public var keys: [Breakdown: KeyValue]
        /// The level (niveau) of this round's and the baseline's answers.
        public var level: Int
        /// The round compared.
        public var round: String
        /// The round it is compared with (by default the earliest by name).
        public var baseline: String
        /// Ja/Nej questions (the share Ja) or degree questions (the share Høj or Nogen grad).
        public var kind: QuestionKind = .yesNo
        /// Ja (for degree questions Høj + Nogen grad) and Ja + Nej (Lav + Nogen + Høj grad) in this round, over the
        /// questions shared with the baseline.
        public var yes: Int
        /// See `yes`.
        public var n: Int
        /// Ja and Ja + Nej in the baseline, over the same questions.
        public var baselineYes: Int
        /// See `baselineYes`.
        public var baselineN: Int
        /// The distinct cases behind the group in this round and in the baseline, at this level (for suppression).
        public var cases: Int = 0
        /// See `cases`.
        public var baselineCases: Int = 0

        /// Ja / (Ja + Nej) in this round.
        public var rate: Double? { n > 0 ? Double(yes) / Double(n) : nil }

        /// This round's rate minus the baseline's, in percentage points.
        public var changePoints: Double? {
            guard let rate, baselineN > 0 else { return nil }
            return (rate - Double(baselineYes) / Double(baselineN)) * 100
        }
    }

    /// The rounds with answers, in order of their names.
    public static func rounds(_ store: StoreReader) throws -> [String] {
        try store.read { runner in
            try runner.rows(
                """
                SELECT name FROM round WHERE id IN (SELECT round_id FROM answer_count WHERE yes + no > 0)
                ORDER BY name
                """, []
            ).map { $0.string(0) }
        }
    }

    /// The value per group and round against `baseline` (default: the earliest round by name).
    ///
    /// `dimensions` may hold any breakdown but round and level (rows are always per level); `levels` restricts the
    /// levels (all when empty). Rounds without any question in common with the baseline have no row for that group.
    /// Rows are ordered by level, then keys, then round.
    public static func rows(
        _ store: StoreReader, by dimensions: [Breakdown], baseline: String? = nil, levels: [Int] = [],
        kind: QuestionKind = .yesNo
    ) throws -> [Row] {
        var seen: Set<Breakdown> = []
        let dimensions = dimensions.filter { $0 != .round && $0 != .level && seen.insert($0).inserted }
        guard let baseline = try baseline ?? rounds(store).first else { return [] }
        let (joins, columns, positions) = Summary.keySQL(dimensions)
        // Temanedslag questions count only as themselves (grouped by question).
        let degree = kind == .degree
        var conditions = [degree ? "q.type = 'GRAD'" : "coalesce(q.type, '') <> 'GRAD'"]
        let (yes, n) = degree ? ("c.\"some\" + c.high", "c.low + c.\"some\" + c.high") : ("c.yes", "c.yes + c.no")
        if !dimensions.contains(.question) { conditions.append("coalesce(q.temanedslag, 0) = 0") }
        var arguments: [SQLValue] = []
        if !levels.isEmpty {
            conditions.append("c.level IN (\(levels.map { _ in "?" }.joined(separator: ", ")))")
            arguments += levels.map(SQLValue.init)
        }
        arguments.append(.text(baseline))
        let keys = columns.enumerated().map { "\($1) AS k\($0)" }
        let keyNames = columns.indices.map { "x.k\($0)" }
        let cellPositions = positions.enumerated().map { "min(\($1)) AS o\($0)" }
        let compared = ["question", "level"] + columns.indices.map { "k\($0)" }
        let order = ["x.level"] + columns.indices.map { "min(x.o\($0)), x.k\($0)" } + ["x.round"]
        let cellColumns = keys + ["c.question AS question", "c.level AS level", "rr.name AS round"] + cellPositions
        let statement = { (dialect: SQLDialect) in
            let matches = compared.map { dialect.same("b.\($0)", "x.\($0)") }
            return """
            WITH cell AS (
                SELECT \(cellColumns.joined(separator: ", ")),
                    sum(\(yes)) AS yes, sum(\(n)) AS n
                FROM (
                    SELECT a.catalogue, coalesce(m.question, a.question) AS question, a.round_id, a.level, a.unit_id,
                        a.measure, a.reviewer_id, a.yes, a.no, a.low, a."some", a.high
                    FROM answer_count a
                    LEFT JOIN question_rename m ON m.catalogue = a.catalogue AND m.previous = a.question
                ) c
                JOIN round rr ON rr.id = c.round_id
                \(joins.joined(separator: "\n"))
                WHERE \(conditions.joined(separator: " AND "))
                GROUP BY \((columns + ["c.question", "c.level", "rr.name"]).joined(separator: ", "))
                HAVING sum(\(n)) > 0
            )
            SELECT \((keyNames + ["x.round", "x.level"]).joined(separator: ", ")), sum(x.yes), sum(x.n), sum(b.yes),
                sum(b.n)
            FROM cell x JOIN cell b ON b.round = ? AND \(matches.joined(separator: " AND "))
            GROUP BY \((keyNames + ["x.round", "x.level"]).joined(separator: ", "))
            ORDER BY \(order.joined(separator: ", "))
            """
        }
        // The cases behind each group per round and level, for suppression: no more than the answers counted.
        var cases: [[Breakdown: KeyValue]: Int] = [:]
        for row in try Summary.rows(store, by: dimensions + [.round], selection: Selection(levels: levels))
        where row.kind == kind {
            var keys = row.keys
            keys[.level] = .number(row.level)
            cases[keys] = row.cases ?? row.n
        }
        func casesOf(_ keys: [Breakdown: KeyValue], level: Int, round: String, bound: Int) -> Int {
            var keys = keys
            keys[.level] = .number(level)
            keys[.round] = .text(round)
            return min(bound, cases[keys] ?? bound)
        }
        return try store.read { runner in
            try runner.rows(statement(runner.dialect), arguments).map { row in
                var values: [Breakdown: KeyValue] = [:]
                for (index, dimension) in dimensions.enumerated() {
                    values[dimension] = dimension.isNumeric ? .number(row.int(index)) : .text(row.string(index))
                }
                let base = dimensions.count
                var result = Row(
                    keys: values, level: row.int(base + 1), round: row.string(base), baseline: baseline,
                    yes: row.int(base + 2), n: row.int(base + 3), baselineYes: row.int(base + 4),
                    baselineN: row.int(base + 5))
                result.kind = kind
                result.cases = casesOf(values, level: result.level, round: result.round, bound: result.n)
                result.baselineCases = casesOf(values, level: result.level, round: baseline, bound: result.baselineN)
                return result
            }
        }
    }
}
