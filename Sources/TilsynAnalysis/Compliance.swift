public import TilsynStore

/// Read access to a store for analysis, on either back end.
public struct StoreReader: Sendable {
    /// The store's connection for reading.
    let connection: any StoreReading

    /// Opens the store `path` names for reading: an SQLite file, or a `postgres://` URL.
    public init(path: String) throws {
        connection = try AuditStore.openReading(StoreLocation(path))
    }

    /// Reads an open store.
    public init(_ store: AuditStore) {
        connection = store.reading
    }

    /// Reads through `connection` (a PostgreSQL store, tests).
    public init(_ connection: any StoreReading) {
        self.connection = connection
    }

    /// Runs `body` with SQL on the store, in one read transaction.
    public func read<T>(_ body: (any SQLRunner) throws -> T) throws -> T {
        try connection.read(body)
    }

    /// The level compliance figures are for when none is named: the store's setting, else the catalogue model's
    /// baseline level, else 1.
    public func baselineLevel() throws -> BaselineLevel {
        try read { try BaselineLevel.read($0) }
    }

    /// The fewest cases (children) a figure leaving the administration may rest on: the store's
    /// `suppression-threshold` setting (never below 3), else 5.
    public func suppressionThreshold() throws -> Int {
        let text = try value(of: .suppressionThreshold)
        let minimum = AuditStore.Setting.minimumSuppressionThreshold
        return text.flatMap { Int($0) }.map { max(minimum, $0) } ?? AuditStore.Setting.defaultSuppressionThreshold
    }

    /// The stored value of `setting`, or nil when it is not set.
    public func value(of setting: AuditStore.Setting) throws -> String? {
        try read { try AuditStore.value(of: setting, in: $0) }
    }

    /// The kommuner of the store's units, in order (`''` for units stored without one): one for a store of one
    /// municipality.
    public func kommuner() throws -> [String] {
        try read { try $0.rows("SELECT DISTINCT kommune FROM unit ORDER BY kommune", []).map { $0.string(0) } }
    }

    /// The levels with reviews in the store, ascending: read from the kept answer counts (every stored answer,
    /// blank or not, counts in one of its columns), not from the reviews, which a large store has hundreds of
    /// thousands of.
    public func levels() throws -> [Int] {
        try read { sql in
            try sql.rows(
                """
                SELECT level FROM answer_count GROUP BY level
                HAVING sum(yes + no + not_applicable + unanswered + low + "some" + high) > 0 ORDER BY level
                """, []
            ).map { $0.int(0) }
        }
    }
}

/// Compliance (lovoverholdelse) read from the store's answer counts, aggregated in SQL.
///
/// Compliance is Ja / (Ja + Nej); Ikke relevant, blanks and answers to questions that do not apply to the case's
/// indsats leave the denominator. The queries read `answer_count`, which the import keeps up to date, so their cost
/// does not grow with the number of answers.
public enum Compliance {
    /// What to group answers by, besides round and level.
    public enum Grouping: String, Sendable, CaseIterable {
        /// The pejlemærke (a question with two themes counts in both).
        case theme
        /// The sagsskridt.
        case step
        /// The question.
        case question
        /// The temanedslag questions (asked in one round besides the fixed ones), each on its own: they never enter
        /// a pejlemærke, sagsskridt or headline figure, so they are shown in a block of their own.
        case temanedslag
    }

    /// One group's counts in one round at one level.
    public struct Row: Sendable, Equatable {
        /// The group's id (`INB`, `B`, `B.2`).
        public var group: String
        /// Its name (`Inddragelse af barnet`); the question id for questions.
        public var name: String
        /// The round.
        public var round: String
        /// The level.
        public var level: Int
        /// Answers Ja and Nej to questions that apply.
        public var yes: Int
        /// See `yes`.
        public var no: Int
        /// Answers Ikke relevant, and answers to questions that do not apply to the case's indsats.
        public var notApplicable: Int
        /// Questions left blank.
        public var unanswered: Int

        /// A row with the counts given.
        public init(
            group: String, name: String, round: String, level: Int, yes: Int, no: Int, notApplicable: Int,
            unanswered: Int
        ) {
            self.group = group
            self.name = name
            self.round = round
            self.level = level
            self.yes = yes
            self.no = no
            self.notApplicable = notApplicable
            self.unanswered = unanswered
        }

        /// Ja + Nej.
        public var n: Int { yes + no }
        /// Ja / (Ja + Nej); nil when nobody answered Ja or Nej.
        public var rate: Double? { n == 0 ? nil : Double(yes) / Double(n) }
    }

    /// Counts by group, round and level, in catalogue order, then round and level: ``Summary/rows(_:by:selection:)``
    /// by the group, round and level, with Ja/Nej and degree questions added together and each group named as the
    /// catalogue names it. Groups the catalogue does not name (a sagsskridt or pejlemærke it does not list) are left
    /// out; temanedslag questions appear by question and as `.temanedslag`, never in a pejlemærke or sagsskridt.
    public static func rows(_ store: StoreReader, by grouping: Grouping, level: Int? = nil) throws -> [Row] {
        let dimension: Breakdown =
            switch grouping {
            case .theme: .theme
            case .step: .step
            case .question, .temanedslag: .question
            }
        let (names, temanedslag) = try store.read { sql in
            let names: [String: String]
            switch grouping {
            case .theme: names = try groupNames(sql, table: "catalogue_theme", key: "theme")
            case .step: names = try groupNames(sql, table: "catalogue_step", key: "step")
            case .question, .temanedslag: names = [:]
            }
            // Only the temanedslag block needs to know which questions are temanedslag.
            let temanedslag = grouping == .temanedslag
                ? Set(try sql.rows("SELECT DISTINCT question FROM catalogue_question WHERE temanedslag = 1", []).map {
                    $0.string(0)
                })
                : []
            return (names, temanedslag)
        }
        let summary = try Summary.rows(
            store, by: [dimension, .round, .level], selection: Selection(levels: level.map { [$0] } ?? []))
        var rows: [Row] = []
        var index: [[String]: Int] = [:]
        for row in summary {
            guard case .text(let group)? = row.keys[dimension], case .text(let round)? = row.keys[.round] else {
                continue
            }
            switch grouping {
            case .theme, .step: if names[group] == nil { continue }
            case .temanedslag: if !temanedslag.contains(group) { continue }
            case .question: break
            }
            let key = [group, round, String(row.level)]
            if let at = index[key] {
                rows[at].yes += row.yes
                rows[at].no += row.no
                rows[at].notApplicable += row.notApplicable
                rows[at].unanswered += row.unanswered
                continue
            }
            index[key] = rows.count
            rows.append(Row(
                group: group, name: names[group] ?? group, round: round, level: row.level, yes: row.yes, no: row.no,
                notApplicable: row.notApplicable, unanswered: row.unanswered))
        }
        return rows
    }

    /// Each sagsskridt's or pejlemærke's name (`table` is `catalogue_step` or `catalogue_theme`); where catalogues
    /// name the same id differently, the first in catalogue order.
    private static func groupNames(_ sql: any SQLRunner, table: String, key: String) throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try sql.rows("SELECT \(key), name FROM \(table) ORDER BY position, catalogue", []) {
            let id = row.string(0)
            if names[id] == nil { names[id] = row.string(1) }
        }
        return names
    }
}
