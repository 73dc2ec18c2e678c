internal import GRDB

/// The facts a yearly report needs besides the counts: catalogue names, how many cases and reviews a round has, and
/// reviewers' remarks on Nej answers.
public enum ReportFacts {
    /// Names from the catalogues in the store: sagsskridt, pejlemærker and question texts, by id.
    public struct Names: Sendable, Equatable {
        /// Sagsskridt names by id.
        public var steps: [String: String] = [:]
        /// Pejlemærke names by id.
        public var themes: [String: String] = [:]
        /// Question texts by id.
        public var questions: [String: String] = [:]
        /// The step of each question.
        public var questionSteps: [String: String] = [:]
        /// The temanedslag questions (asked in one round besides the fixed ones).
        public var temanedslag: Set<String> = []
        /// The question ids in catalogue order.
        public var questionOrder: [String] = []
        /// The step ids in catalogue order.
        public var stepOrder: [String] = []

        /// No names yet.
        public init() {}
    }

    /// The names of steps, themes and questions; when catalogues disagree, the latest registered one wins.
    public static func names(_ store: StoreReader) throws -> Names {
        try store.database.read { db in
            var names = Names()
            for row in try GRDB.Row.fetchAll(
                db, sql: "SELECT step, name FROM catalogue_step ORDER BY catalogue, position")
            {
                if names.steps[row[0]] == nil { names.stepOrder.append(row[0]) }
                names.steps[row[0]] = row[1]
            }
            for row in try GRDB.Row.fetchAll(
                db, sql: "SELECT theme, name FROM catalogue_theme ORDER BY catalogue, position")
            {
                names.themes[row[0]] = row[1]
            }
            for row in try GRDB.Row.fetchAll(
                db,
                sql: "SELECT question, text, step, temanedslag FROM catalogue_question ORDER BY catalogue, position")
            {
                if names.questions[row[0]] == nil { names.questionOrder.append(row[0]) }
                names.questions[row[0]] = row[1]
                names.questionSteps[row[0]] = row[2]
                if row[3] as Bool { names.temanedslag.insert(row[0]) }
            }
            return names
        }
    }

    /// How many reviews and distinct cases one level has in a round.
    public struct LevelCount: Sendable, Equatable {
        /// The level.
        public var level: Int
        /// Its reviews in the round.
        public var reviews: Int
        /// Its distinct cases in the round.
        public var cases: Int
    }

    /// The reviews and cases of `round` per level (restricted to `levels` when not empty), ascending.
    public static func levelCounts(_ store: StoreReader, round: String, levels: [Int] = []) throws -> [LevelCount] {
        try store.database.read { db in
            try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT level, count(*), count(DISTINCT case_id) FROM review
                    WHERE round_id IN (SELECT id FROM round WHERE name = ?)
                    GROUP BY level ORDER BY level
                    """, arguments: [round]
            ).map { LevelCount(level: $0[0], reviews: $0[1], cases: $0[2]) }
                .filter { levels.isEmpty || levels.contains($0.level) }
        }
    }

    /// What a round's review covers: the cases per udgangspunkt with the period of their udgangspunkt dates and
    /// their mean age at review, and per level the cases and when they were reviewed.
    public struct Scope: Sendable, Equatable {
        /// The cases of one udgangspunkt (empty: not given) at the report's level.
        public struct Origin: Sendable, Equatable {
            /// What brought the cases into the review (from the case list), or empty.
            public var udgangspunkt: String
            /// Its cases.
            public var cases: Int
            /// The earliest and latest udgangspunkt dates (ISO); nil when none is given.
            public var earliest: String?
            /// See `earliest`.
            public var latest: String?
            /// The mean days from the udgangspunkt to the review, over the cases with both dates.
            public var meanAgeDays: Double?
        }

        /// One level's cases and reviews in the round.
        public struct Level: Sendable, Equatable {
            /// The level.
            public var level: Int
            /// Its distinct cases.
            public var cases: Int
            /// Its reviews.
            public var reviews: Int
            /// The first and last review dates (ISO); nil when no review gives one.
            public var firstReview: String?
            /// See `firstReview`.
            public var lastReview: String?
        }

        /// The cases per udgangspunkt.
        public var origins: [Origin]
        /// The cases and reviews per level.
        public var levels: [Level]
    }

    /// The scope of `round`: udgangspunkter at `level` (most cases first), and every level.
    public static func scope(_ store: StoreReader, round: String, level: Int) throws -> Scope {
        try store.database.read { db in
            let origins = try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT coalesce(udgangspunkt, ''), count(DISTINCT case_id), min(udgangspunkt_date),
                        max(udgangspunkt_date), avg(julianday(review_date) - julianday(udgangspunkt_date))
                    FROM review
                    WHERE round_id IN (SELECT id FROM round WHERE name = ?) AND level = ?
                    GROUP BY 1 ORDER BY 2 DESC, 1
                    """, arguments: [round, level]
            ).map { Scope.Origin(udgangspunkt: $0[0], cases: $0[1], earliest: $0[2], latest: $0[3], meanAgeDays: $0[4]) }
            let levels = try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT level, count(DISTINCT case_id), count(*), min(review_date), max(review_date)
                    FROM review WHERE round_id IN (SELECT id FROM round WHERE name = ?)
                    GROUP BY level ORDER BY level
                    """, arguments: [round]
            ).map { Scope.Level(level: $0[0], cases: $0[1], reviews: $0[2], firstReview: $0[3], lastReview: $0[4]) }
            return Scope(origins: origins, levels: levels)
        }
    }

    /// A catalogue a round's reviews used: its id, title and version, and how many reviews used that version.
    public struct CatalogueUse: Sendable, Equatable {
        /// The catalogue's id.
        public var id: String
        /// Its title.
        public var title: String
        /// The version the reviews used.
        public var version: String
        /// How many reviews used that version.
        public var reviews: Int
    }

    /// The catalogue versions the reviews of `round` used, most used first.
    public static func catalogues(_ store: StoreReader, round: String) throws -> [CatalogueUse] {
        try store.database.read { db in
            try GRDB.Row.fetchAll(
                db,
                sql: """
                    SELECT r.catalogue, coalesce(c.title, r.catalogue), r.catalogue_version, count(*)
                    FROM review r LEFT JOIN catalogue c ON c.id = r.catalogue
                    WHERE r.round_id IN (SELECT id FROM round WHERE name = ?)
                    GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 3
                    """, arguments: [round]
            ).map { CatalogueUse(id: $0[0], title: $0[1], version: $0[2], reviews: $0[3]) }
        }
    }

    /// Questions a catalogue's current version renamed: (catalogue, the earlier id, the current id).
    public static func renames(_ store: StoreReader) throws -> [(catalogue: String, previous: String, question: String)] {
        try store.database.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT catalogue, previous, question FROM question_rename ORDER BY 1, 3, 2")
                .map { ($0[0], $0[1], $0[2]) }
        }
    }

    /// The distinct cases reviewed in `round` at `levels` (all when empty).
    public static func caseCount(_ store: StoreReader, round: String, levels: [Int] = []) throws -> Int {
        var sql = "SELECT count(DISTINCT case_id) FROM review WHERE round_id IN (SELECT id FROM round WHERE name = ?)"
        var arguments: [any DatabaseValueConvertible] = [round]
        if !levels.isEmpty {
            sql += " AND level IN (\(levels.map { _ in "?" }.joined(separator: ", ")))"
            arguments += levels.map { $0 as any DatabaseValueConvertible }
        }
        return try store.database.read { db in
            try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0
        }
    }

    /// A reviewer's remark on a Nej answer.
    public struct Remark: Sendable, Equatable {
        /// The question id.
        public var question: String
        /// The case it was made on.
        public var caseNumber: String
        /// The level of the review.
        public var level: Int
        /// The case's enhed.
        public var unit: String
        /// The remark as written.
        public var text: String
    }

    /// Up to `limit` remarks per question on Nej answers in `round` (at `levels`, all when empty), in case order.
    ///
    /// The text is as stored: callers that show it must redact CPR-like numbers themselves.
    public static func remarks(
        _ store: StoreReader, round: String, questions: [String], levels: [Int] = [], limit: Int = 3
    ) throws -> [Remark] {
        guard !questions.isEmpty, limit > 0 else { return [] }
        var arguments: [any DatabaseValueConvertible] = [round]
        arguments += questions.map { $0 as any DatabaseValueConvertible }
        var levelCondition = ""
        if !levels.isEmpty {
            levelCondition = "AND r.level IN (\(levels.map { _ in "?" }.joined(separator: ", ")))"
            arguments += levels.map { $0 as any DatabaseValueConvertible }
        }
        arguments.append(limit)
        let sql = """
            SELECT question, number, level, unit, remark FROM (
                SELECT a.question, k.number, r.level, \(UnitSQL.unit) AS unit, a.remark,
                    row_number() OVER (PARTITION BY a.question ORDER BY k.number, r.level) AS position
                FROM answer a
                JOIN review r ON r.id = a.review_id
                JOIN audit_case k ON k.id = r.case_id
                JOIN unit u ON u.id = r.unit_id
                WHERE r.round_id IN (SELECT id FROM round WHERE name = ?)
                    AND a.question IN (\(questions.map { _ in "?" }.joined(separator: ", ")))
                    AND a.applies AND a.code = 2 AND trim(coalesce(a.remark, '')) <> ''
                    \(levelCondition)
            ) WHERE position <= ?
            ORDER BY question, position
            """
        return try store.database.read { db in
            try GRDB.Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map {
                Remark(question: $0[0], caseNumber: $0[1], level: $0[2], unit: $0[3], text: $0[4])
            }
        }
    }
}
