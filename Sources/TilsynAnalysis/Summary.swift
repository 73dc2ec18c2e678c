internal import TilsynStore

/// A breakdown (dimension) that answers can be grouped by.
public enum Breakdown: String, Sendable, CaseIterable, Hashable {
    /// The question id (`B.2`).
    case question
    /// The sagsskridt.
    case step
    /// The pejlemærke; a question with two themes counts in both.
    case theme
    /// The enhed (unit) of the case; in a store across municipalities named with its kommune (`Aarhus: Vest`).
    case unit
    /// The kommune (municipality) of the case: a store may hold several.
    case kommune
    /// The indsats, as the paragraph of barnets lov (`32`).
    case measure
    /// The level (niveau) of the review.
    case level
    /// The round (runde).
    case round
    /// The reviewer's initials.
    case reviewer

    /// The Danish column header.
    public var danishHeader: String {
        switch self {
        case .question: "Spørgsmål"
        case .step: "Sagsskridt"
        case .theme: "Pejlemærke"
        case .unit: "Enhed"
        case .kommune: "Kommune"
        case .measure: "Indsats"
        case .level: "Niveau"
        case .round: "Runde"
        case .reviewer: "Gennemgået af"
        }
    }

    /// Whether values are numbers (level, measure) rather than text.
    public var isNumeric: Bool { self == .level || self == .measure }
}

/// The value of one grouping key in a row.
public enum KeyValue: Sendable, Hashable, CustomStringConvertible {
    /// A text key (a question id, a unit's name, a round).
    case text(String)
    /// A number key (a level, an indsats paragraph).
    case number(Int)

    /// The value as shown in a table.
    public var description: String {
        switch self {
        case .text(let text): text
        case .number(let number): String(number)
        }
    }
}

/// Which answers to count: all, or only one level and/or one round.
public struct Selection: Sendable, Equatable {
    /// Only reviews at these levels; all when empty.
    public var levels: [Int]
    /// Only this round (by name).
    public var round: String?

    /// A selection of `levels` (all when empty) and `round` (all when nil).
    public init(levels: [Int] = [], round: String? = nil) {
        self.levels = levels
        self.round = round
    }
}

extension Selection {
    /// Adds the conditions (and their arguments) that keep the levels and round of `self` to a query over a counts
    /// table aliased `c` (with `level` and `round_id`).
    func restrict(_ conditions: inout [String], _ arguments: inout [SQLValue]) {
        if !levels.isEmpty {
            conditions.append("c.level IN (\(levels.map { _ in "?" }.joined(separator: ", ")))")
            arguments += levels.map(SQLValue.init)
        }
        if let round {
            conditions.append("c.round_id IN (SELECT id FROM round WHERE name = ?)")
            arguments.append(.text(round))
        }
    }
}

/// The kind of answers a question takes.
public enum QuestionKind: String, Sendable, Hashable {
    /// Ja / Nej (`JN`).
    case yesNo
    /// Lav / Nogen / Høj grad (`GRAD`).
    case degree
}

/// Compliance grouped by any combination of dimensions, aggregated in SQL over the answer counts.
///
/// Every row is for one level: levels are different measurements of the same cases, compared and never added, so
/// the rows are always grouped by level whether or not `.level` is among the requested dimensions.
public enum Summary {
    /// One group's counts at one level; Ja/Nej and degree questions are always in separate rows.
    public struct Row: Sendable, Equatable {
        /// The requested grouping keys, and only those.
        public var keys: [Breakdown: KeyValue]
        /// The level (niveau) the counts are from.
        public var level: Int
        /// Ja/Nej or degree questions: the two are never counted together.
        public var kind: QuestionKind
        /// Answers Ja and Nej to questions that apply.
        public var yes: Int
        /// See `yes`.
        public var no: Int
        /// Answers Ikke relevant, and any answer to a question that does not apply to the case's indsats.
        public var notApplicable: Int
        /// Questions left blank.
        public var unanswered: Int
        /// Answers Lav, Nogen and Høj grad to degree questions that apply.
        public var low: Int
        /// See `low`.
        public var some: Int
        /// See `low`.
        public var high: Int
        /// The distinct cases behind `n` (with a Ja, Nej or degree answer in the group); nil for a total row
        /// added by a renderer, whose cases are not the sum of its groups'.
        public var cases: Int?

        /// A row with the counts given (zero where not).
        public init(
            keys: [Breakdown: KeyValue], level: Int, kind: QuestionKind, yes: Int = 0, no: Int = 0,
            notApplicable: Int = 0, unanswered: Int = 0, low: Int = 0, some: Int = 0, high: Int = 0,
            cases: Int? = nil
        ) {
            self.cases = cases
            self.keys = keys
            self.level = level
            self.kind = kind
            self.yes = yes
            self.no = no
            self.notApplicable = notApplicable
            self.unanswered = unanswered
            self.low = low
            self.some = some
            self.high = high
        }

        /// The answers in the denominator: Ja + Nej, or Lav + Nogen + Høj grad for degree questions.
        public var n: Int { kind == .yesNo ? yes + no : low + some + high }

        /// Ja / (Ja + Nej); nil for degree questions and when n is 0.
        public var rate: Double? { kind == .yesNo && n > 0 ? Double(yes) / Double(n) : nil }

        /// The Wilson 95 % interval of `rate`.
        public var interval: Wilson.Interval? { kind == .yesNo ? Wilson.interval(successes: yes, n: n) : nil }

        /// The share answered "høj eller nogen grad"; nil for Ja/Nej questions and when n is 0.
        public var highOrSome: Double? { kind == .degree && n > 0 ? Double(high + some) / Double(n) : nil }
    }

    /// Counts grouped by `dimensions` (in the order given) and by level, one row per group, level and question kind.
    ///
    /// Reads `answer_count` and groups by the requested keys only, so the cost follows the size of that table, not
    /// the number of answers. Rows are ordered by their keys (catalogue order for questions, steps and themes); the
    /// level comes first unless `.level` is requested at another position. Temanedslag questions (asked in one round
    /// besides the fixed ones) appear only in rows grouped by question: they never enter a pejlemærke, sagsskridt,
    /// unit, measure or headline figure.
    public static func rows(_ store: StoreReader, by dimensions: [Breakdown], selection: Selection = Selection())
        throws -> [Row]
    {
        var seen: Set<Breakdown> = []
        let dimensions = dimensions.filter { seen.insert($0).inserted }
        // Grouped by level in any case: first, unless asked for at another position.
        let grouped = dimensions.contains(.level) ? dimensions : [.level] + dimensions
        let levelIndex = grouped.firstIndex(of: .level) ?? 0
        let (joins, columns, positions) = keySQL(grouped)
        let order = zip(positions, columns).map { "min(\($0)), \($1)" }
        // Temanedslag questions count only as themselves: never in a pejlemærke, sagsskridt or headline figure.
        var conditions = dimensions.contains(.question) ? [] : ["coalesce(q.temanedslag, 0) = 0"]
        var arguments: [SQLValue] = []
        selection.restrict(&conditions, &arguments)
        let kind = SQLDialect.flag("q.type = 'GRAD'")
        let sql = """
            SELECT \((columns + [kind]).joined(separator: ", ")),
                sum(c.yes), sum(c.no), sum(c.not_applicable), sum(c.unanswered), sum(c.low), sum(c."some"), sum(c.high)
            FROM answer_count c
            \(joins.joined(separator: "\n"))
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            GROUP BY \((columns + [kind]).joined(separator: ", "))
            HAVING sum(c.yes + c.no + c.not_applicable + c.unanswered + c.low + c."some" + c.high) > 0
            ORDER BY \((order + [kind]).joined(separator: ", "))
            """
        let key = columns + [kind]
        return try store.read { runner in
            let cases = try caseCounts(
                runner, dimensions: dimensions, key: key, joins: joins, conditions: conditions, arguments: arguments,
                roundFixed: grouped.contains(.round) || selection.round != nil, selection: selection)
            return try runner.rows(sql, arguments).map { row in
                var keys: [Breakdown: KeyValue] = [:]
                for (index, dimension) in grouped.enumerated() where dimensions.contains(dimension) {
                    keys[dimension] = dimension.isNumeric ? .number(row.int(index)) : .text(row.string(index))
                }
                let base = grouped.count
                var result = Row(
                    keys: keys, level: row.int(levelIndex), kind: row.bool(base) ? .degree : .yesNo,
                    yes: row.int(base + 1), no: row.int(base + 2), notApplicable: row.int(base + 3),
                    unanswered: row.int(base + 4), low: row.int(base + 5), some: row.int(base + 6),
                    high: row.int(base + 7))
                let values = Array(row[0...columns.count])
                // Per question, one answer per case, round and level: the cases are the answers counted.
                result.cases = dimensions.contains(.question) ? result.n - (cases[values] ?? 0) : cases[values] ?? 0
                return result
            }
        }
    }

    /// One group's cases in one round at one level, and how many of them had every applicable Ja/Nej question of
    /// the group answered Ja (Copenhagen's measure for sagsskridt: "sager, hvor alle spørgsmål er besvaret ja").
    public struct AllYesRow: Sendable, Equatable {
        /// The requested grouping keys (the round always among them).
        public var keys: [Breakdown: KeyValue]
        /// The level the reviews are at.
        public var level: Int
        /// Cases with a Ja or Nej answer in the group.
        public var cases: Int
        /// Of those, the cases whose Ja/Nej answers in the group are all Ja.
        public var allYes: Int

        /// A group's cases and its cases with every answer Ja.
        public init(keys: [Breakdown: KeyValue], level: Int, cases: Int, allYes: Int) {
            self.keys = keys
            self.level = level
            self.cases = cases
            self.allYes = allYes
        }

        /// allYes / cases; nil when there are no cases.
        public var rate: Double? { cases > 0 ? Double(allYes) / Double(cases) : nil }
    }

    /// The share of cases with every applicable Ja/Nej question of the group answered Ja (`--measure cases-all-ja`),
    /// grouped by `dimensions`, always by round and level (a case is judged within one review), over Ja/Nej questions
    /// only; in the order of ``rows(_:by:selection:)``.
    public static func allYesRows(_ store: StoreReader, by dimensions: [Breakdown], selection: Selection = Selection())
        throws -> [AllYesRow]
    {
        var seen: Set<Breakdown> = []
        var dimensions = dimensions.filter { seen.insert($0).inserted }
        if !dimensions.contains(.round) { dimensions.append(.round) }
        let grouped = dimensions.contains(.level) ? dimensions : [.level] + dimensions
        let ordered = try rows(store, by: dimensions, selection: selection).filter { $0.kind == .yesNo }
        let (joins, columns, _) = keySQL(grouped)
        var conditions = dimensions.contains(.question) ? [] : ["coalesce(q.temanedslag, 0) = 0"]
        var arguments: [SQLValue] = []
        selection.restrict(&conditions, &arguments)
        let kind = SQLDialect.flag("q.type = 'GRAD'")
        let key = columns + [kind]
        let found: [[SQLValue]: (cases: Int, allYes: Int)] = try store.read { runner in
            if dimensions.contains(.question) {
                // One answer per case, round, level and question: the cases are Ja + Nej, all Ja the Ja.
                let sql = """
                    SELECT \(key.joined(separator: ", ")), sum(c.yes + c.no), sum(c.yes)
                    FROM answer_count c
                    \(joins.joined(separator: "\n"))
                    \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                    GROUP BY \(key.joined(separator: ", "))
                    """
                var found: [[SQLValue]: (cases: Int, allYes: Int)] = [:]
                for row in try runner.rows(sql, arguments) {
                    found[Array(row[0..<key.count])] = (row.int(key.count), row.int(key.count + 1))
                }
                return found
            }
            return try keptCaseCounts(runner, dimensions: dimensions, key: key, selection: selection)
        }
        var byKeys: [[Breakdown: KeyValue]: (cases: Int, allYes: Int)] = [:]
        for (values, counts) in found where values.last == .integer(0) {
            var keys: [Breakdown: KeyValue] = [:]
            for (index, dimension) in grouped.enumerated() {
                guard let value = dimension.isNumeric
                    ? values.optionalInt(index).map(KeyValue.number)
                    : values.optionalString(index).map(KeyValue.text)
                else { continue }
                keys[dimension] = value
            }
            byKeys[keys] = counts
        }
        return ordered.map { row in
            var keys = row.keys
            keys[.level] = .number(row.level)
            let counts = byKeys[keys] ?? (0, 0)
            return AllYesRow(keys: row.keys, level: row.level, cases: counts.cases, allYes: counts.allYes)
        }
    }

    /// The joins, key expressions and position expressions (catalogue order, else the key) that group
    /// `answer_count c` by `dimensions`; order groups by `min(position)`, then the key.
    static func keySQL(_ dimensions: [Breakdown]) -> (joins: [String], columns: [String], positions: [String]) {
        var joins = ["LEFT JOIN catalogue_question q ON q.catalogue = c.catalogue AND q.question = c.question"]
        var columns: [String] = []
        var order: [String] = []
        for dimension in dimensions {
            switch dimension {
            case .question:
                columns.append("c.question")
                order.append("coalesce(q.position, 1e9)")
            case .step:
                joins.append(
                    "LEFT JOIN catalogue_step s ON s.catalogue = c.catalogue AND s.step = q.step")
                columns.append("coalesce(q.step, '')")
                order.append("coalesce(s.position, 1e9)")
            case .theme:
                joins.append("JOIN question_theme t ON t.catalogue = c.catalogue AND t.question = c.question")
                joins.append("LEFT JOIN catalogue_theme g ON g.catalogue = t.catalogue AND g.theme = t.theme")
                columns.append("t.theme")
                order.append("coalesce(g.position, 1e9)")
            case .unit, .kommune:
                if !joins.contains(UnitSQL.join("c.unit_id")) { joins.append(UnitSQL.join("c.unit_id")) }
                columns.append(UnitSQL.key(dimension))
                order.append("0")
            case .measure:
                columns.append("c.measure")
                order.append("0")
            case .level:
                columns.append("c.level")
                order.append("0")
            case .round:
                joins.append("JOIN round r ON r.id = c.round_id")
                columns.append("r.name")
                order.append("0")
            case .reviewer:
                joins.append("JOIN reviewer v ON v.id = c.reviewer_id")
                columns.append("v.initials")
                order.append("0")
            }
        }
        return (joins, columns, order)
    }
}

/// The Wilson score interval for a binomial proportion.
public enum Wilson {
    /// A confidence interval, as fractions in [0, 1].
    public struct Interval: Sendable, Equatable {
        /// The lower bound.
        public var low: Double
        /// The upper bound.
        public var high: Double
    }

    /// The two-sided 95 % normal quantile.
    public static let z95 = 1.959963984540054

    /// The interval for `successes` of `n` at the confidence given by `z`; nil when n is 0.
    public static func interval(successes: Int, n: Int, z: Double = z95) -> Interval? {
        guard n > 0, successes >= 0, successes <= n else { return nil }
        let count = Double(n)
        let p = Double(successes) / count
        let z2 = z * z
        let denominator = 1 + z2 / count
        let centre = (p + z2 / (2 * count)) / denominator
        let half = z / denominator * (p * (1 - p) / count + z2 / (4 * count * count)).squareRoot()
        // At p = 0 and p = 1 the bound is exactly 0 or 1; rounding would put it a hair inside.
        return Interval(
            low: successes == 0 ? 0 : max(0, min(p, centre - half)),
            high: successes == n ? 1 : min(1, max(p, centre + half)))
    }
}

/// The SQL of the unit and kommune keys, for every grouping: a unit is its name within its kommune, so in a store
/// across municipalities a unit's key names its kommune too (`Aarhus: Vest`), and two kommuners' units of the same
/// name are never added together; a store of one municipality keeps the names as they are.
enum UnitSQL {
    /// The join of `unit u` on the unit id `unitID` (such as `c.unit_id`).
    static func join(_ unitID: String) -> String { "JOIN unit u ON u.id = \(unitID)" }

    /// The key of `dimension` (`.unit` or `.kommune`) of the joined `unit u`.
    static func key(_ dimension: Breakdown) -> String {
        dimension == .kommune ? kommune : unit
    }

    /// The unit's name, after its kommune when the store's units are of more than one kommune.
    static let unit = """
        CASE WHEN u.kommune <> '' AND (SELECT count(DISTINCT kommune) FROM unit) > 1 THEN u.kommune || ': ' || u.name \
        ELSE u.name END
        """

    /// The kommune, or `Uden kommune` for units stored without one.
    static let kommune = "CASE WHEN u.kommune = '' THEN 'Uden kommune' ELSE u.kommune END"
}
