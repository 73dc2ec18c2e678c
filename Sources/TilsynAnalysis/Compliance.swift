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

    /// A rate the Danish way with its counts: `91,3 % (441/483)`; `– (0/0)` when n is 0.
    public static func format(yes: Int, n: Int) -> String {
        guard n > 0 else { return "– (0/0)" }
        let tenths = (Double(yes) * 1000 / Double(n)).rounded()
        let whole = Int(tenths) / 10
        let decimal = Int(tenths) % 10
        return "\(whole),\(decimal) % (\(yes)/\(n))"
    }

    /// A compact text table: one section per level, one line per group, one column per round.
    public static func table(_ rows: [Row], title: String) -> String {
        let rounds = Array(Set(rows.map(\.round))).sorted()
        var text = ""
        for level in Array(Set(rows.map(\.level))).sorted() {
            let atLevel = rows.filter { $0.level == level }
            var groups: [(String, String)] = []
            for row in atLevel where !groups.contains(where: { $0.0 == row.group }) {
                groups.append((row.group, row.name))
            }
            // Degree-only groups (no Ja/Nej answers in any round) have no compliance rate.
            groups = groups.filter { group in atLevel.contains { $0.group == group.0 && $0.n > 0 } }
            guard !groups.isEmpty else { continue }
            var lines = [[title + ", niveau \(level)"] + rounds.map { "Runde \($0)" }]
            for (group, name) in groups {
                var line = [name == group ? group : "\(name) (\(group))"]
                for round in rounds {
                    let cell = atLevel.first { $0.group == group && $0.round == round }
                    line.append(cell.map { format(yes: $0.yes, n: $0.n) } ?? "")
                }
                lines.append(line)
            }
            if !text.isEmpty { text += "\n" }
            text += render(lines)
        }
        return text
    }

    private static func render(_ lines: [[String]]) -> String {
        var widths: [Int] = []
        for line in lines {
            for (index, cell) in line.enumerated() {
                if index >= widths.count { widths.append(0) }
                widths[index] = max(widths[index], cell.count)
            }
        }
        var text = ""
        for (number, line) in lines.enumerated() {
            var parts: [String] = []
            for (index, cell) in line.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                parts.append(index == 0 ? cell + pad : pad + cell)
            }
            text += parts.joined(separator: "  ") + "\n"
            if number == 0 {
                text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        return text
    }
}
