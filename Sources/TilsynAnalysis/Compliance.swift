public import GRDB
public import TilsynStore

/// Read access to a store for analysis.
public struct StoreReader: Sendable {
    /// The database.
    public let database: any DatabaseReader

    /// Opens the store at `path` for reading.
    public init(path: String) throws {
        database = try AuditStore.openForReading(path: path)
    }

    /// Reads an open store.
    public init(_ store: AuditStore) {
        database = store.database
    }

    /// The level compliance figures are for when none is named: the store's setting, else the catalogue model's
    /// baseline level, else 1.
    public func baselineLevel() throws -> BaselineLevel {
        try database.read { try BaselineLevel.read($0) }
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
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = ?", arguments: [setting.rawValue])
        }
    }

    /// The levels with reviews in the store, ascending.
    public func levels() throws -> [Int] {
        try database.read { db in try Int.fetchAll(db, sql: "SELECT DISTINCT level FROM review ORDER BY level") }
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
        public var round: String
        public var level: Int
        public var yes: Int
        public var no: Int
        public var notApplicable: Int
        public var unanswered: Int

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

    /// Counts by group, round and level, in catalogue order, then round and level.
    public static func rows(_ store: StoreReader, by grouping: Grouping, level: Int? = nil) throws -> [Row] {
        let (join, key, name, position) =
            switch grouping {
            case .theme:
                (
                    """
                    JOIN question_theme t ON t.catalogue = c.catalogue AND t.question = c.question
                    JOIN catalogue_theme g ON g.catalogue = c.catalogue AND g.theme = t.theme
                    JOIN catalogue_question q ON q.catalogue = c.catalogue AND q.question = c.question
                        AND NOT q.temanedslag
                    """, "t.theme", "g.name", "g.position"
                )
            case .step:
                (
                    """
                    JOIN catalogue_question q ON q.catalogue = c.catalogue AND q.question = c.question
                        AND NOT q.temanedslag
                    JOIN catalogue_step g ON g.catalogue = c.catalogue AND g.step = q.step
                    """, "q.step", "g.name", "g.position"
                )
            case .question:
                (
                    "JOIN catalogue_question q ON q.catalogue = c.catalogue AND q.question = c.question",
                    "c.question", "c.question", "q.position"
                )
            case .temanedslag:
                (
                    """
                    JOIN catalogue_question q ON q.catalogue = c.catalogue AND q.question = c.question
                        AND q.temanedslag
                    """, "c.question", "c.question", "q.position"
                )
            }
        let sql = """
            SELECT \(key), \(name), r.name, c.level, sum(c.yes), sum(c.no), sum(c.not_applicable), sum(c.unanswered)
            FROM answer_count c \(join)
            JOIN round r ON r.id = c.round_id
            WHERE (?1 IS NULL OR c.level = ?1)
            GROUP BY \(key), r.name, c.level
            ORDER BY min(\(position)), \(key), r.name, c.level
            """
        return try store.database.read { db in
            try GRDB.Row.fetchAll(db, sql: sql, arguments: [level]).map { row in
                Row(
                    group: row[0], name: row[1], round: row[2], level: row[3], yes: row[4], no: row[5],
                    notApplicable: row[6], unanswered: row[7])
            }
        }
    }
}
