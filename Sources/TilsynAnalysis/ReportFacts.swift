internal import TilsynStore

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
        try store.read { runner in
            var names = Names()
            for row in try runner.rows("SELECT step, name FROM catalogue_step ORDER BY catalogue, position", []) {
                if names.steps[row.string(0)] == nil { names.stepOrder.append(row.string(0)) }
                names.steps[row.string(0)] = row.string(1)
            }
            for row in try runner.rows("SELECT theme, name FROM catalogue_theme ORDER BY catalogue, position", []) {
                names.themes[row.string(0)] = row.string(1)
            }
            for row in try runner.rows(
                "SELECT question, text, step, temanedslag FROM catalogue_question ORDER BY catalogue, position", [])
            {
                let question = row.string(0)
                if names.questions[question] == nil { names.questionOrder.append(question) }
                names.questions[question] = row.string(1)
                names.questionSteps[question] = row.string(2)
                if row.bool(3) { names.temanedslag.insert(question) }
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
        try store.read { runner in
            try runner.rows(
                """
                SELECT level, count(*), count(DISTINCT case_id) FROM review
                WHERE round_id IN (SELECT id FROM round WHERE name = ?)
                GROUP BY level ORDER BY level
                """, [.text(round)]
            ).map { LevelCount(level: $0.int(0), reviews: $0.int(1), cases: $0.int(2)) }
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
        try store.read { runner in
            let age = runner.dialect.days(from: "udgangspunkt_date", to: "review_date")
            let origins = try runner.rows(
                """
                SELECT coalesce(udgangspunkt, ''), count(DISTINCT case_id), min(udgangspunkt_date),
                    max(udgangspunkt_date), avg(\(age))
                FROM review
                WHERE round_id IN (SELECT id FROM round WHERE name = ?) AND level = ?
                GROUP BY 1 ORDER BY 2 DESC, 1
                """, [.text(round), SQLValue(level)]
            ).map {
                Scope.Origin(
                    udgangspunkt: $0.string(0), cases: $0.int(1), earliest: $0.optionalString(2),
                    latest: $0.optionalString(3), meanAgeDays: $0.optionalDouble(4))
            }
            let levels = try runner.rows(
                """
                SELECT level, count(DISTINCT case_id), count(*), min(review_date), max(review_date)
                FROM review WHERE round_id IN (SELECT id FROM round WHERE name = ?)
                GROUP BY level ORDER BY level
                """, [.text(round)]
            ).map {
                Scope.Level(
                    level: $0.int(0), cases: $0.int(1), reviews: $0.int(2), firstReview: $0.optionalString(3),
                    lastReview: $0.optionalString(4))
            }
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
        try store.read { runner in
            try runner.rows(
                """
                SELECT r.catalogue, coalesce(c.title, r.catalogue), r.catalogue_version, count(*)
                FROM review r LEFT JOIN catalogue c ON c.id = r.catalogue
                WHERE r.round_id IN (SELECT id FROM round WHERE name = ?)
                GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 3
                """, [.text(round)]
            ).map { CatalogueUse(id: $0.string(0), title: $0.string(1), version: $0.string(2), reviews: $0.int(3)) }
        }
    }

    /// Questions a catalogue's current version renamed: (catalogue, the earlier id, the current id).
    public static func renames(_ store: StoreReader) throws -> [(catalogue: String, previous: String, question: String)] {
        try store.read { runner in
            try runner.rows("SELECT catalogue, previous, question FROM question_rename ORDER BY 1, 3, 2", [])
                .map { ($0.string(0), $0.string(1), $0.string(2)) }
        }
    }

    /// The distinct cases reviewed in `round` at `levels` (all when empty).
    public static func caseCount(_ store: StoreReader, round: String, levels: [Int] = []) throws -> Int {
        var sql = "SELECT count(DISTINCT case_id) FROM review WHERE round_id IN (SELECT id FROM round WHERE name = ?)"
        var arguments: [SQLValue] = [.text(round)]
        if !levels.isEmpty {
            sql += " AND level IN (\(levels.map { _ in "?" }.joined(separator: ", ")))"
            arguments += levels.map(SQLValue.init)
        }
        return try store.read { runner in try runner.value(sql, arguments)?.integer.map(Int.init) ?? 0 }
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
        var arguments: [SQLValue] = [.text(round)]
        arguments += questions.map { .text($0) }
        var levelCondition = ""
        if !levels.isEmpty {
            levelCondition = "AND r.level IN (\(levels.map { _ in "?" }.joined(separator: ", ")))"
            arguments += levels.map(SQLValue.init)
        }
        arguments.append(SQLValue(limit))
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
                    AND a.applies = 1 AND a.code = 2 AND trim(coalesce(a.remark, '')) <> ''
                    \(levelCondition)
            ) AS numbered WHERE position <= ?
            ORDER BY question, position
            """
        return try store.read { runner in
            try runner.rows(sql, arguments).map {
                Remark(question: $0.string(0), caseNumber: $0.string(1), level: $0.int(2), unit: $0.string(3),
                       text: $0.string(4))
            }
        }
    }
}
