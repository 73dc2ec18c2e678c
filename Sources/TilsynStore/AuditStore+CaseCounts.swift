internal import GRDB

/// The counts in cases (children) that statistics rest on, kept beside the answers.
///
/// `case_count` and `level_pair_case_count` (migration v6) are derived from the answers and the catalogue's groups.
/// The import keeps them up to date in the same transaction as the answers; a catalogue whose questions move to
/// another sagsskridt or pejlemærke has them rebuilt; and a store whose `PRAGMA user_version` is older than
/// ``AuditStore/caseCountsVersion`` (made before they existed, or by a program that counted differently) has them
/// rebuilt when it is next opened for writing. Readers refuse a store whose counts are older than the program's.
extension AuditStore {
    /// The version of the derived case counts, kept in `PRAGMA user_version`; raise it when their SQL changes.
    /// 2: `case_count` also crosses sagsskridt and pejlemærke (`step-theme`). 3: `recurring_case` (v8). 4: the
    /// agreement counts, `level_pair_count` included, by the lowest level's unit, measure and reviewer (v9), and
    /// their case counts crossing sagsskridt and pejlemærke too. 5: units and cases split by kommune (v10).
    static let caseCountsVersion = 5

    /// The catalogue groups of an answer `a` of review `r` whose catalogue is `catalogue`: its sagsskridt (`''` for a
    /// question the catalogue does not know), each of its pejlemærker, `all`, for questions outside temanedslag,
    /// and with `crossed` each pair of sagsskridt and pejlemærke (`step-theme`, the key sagsskridt, U+001F,
    /// pejlemærke). Yields `k.grouping` and the key expression; conditions go into the WHERE clause.
    private static func groups(catalogue: String, question: String, crossed: Bool = false, _ dialect: SQLDialect)
        -> (from: String, key: String, where: String)
    {
        (
            """
            JOIN (SELECT 'step' AS grouping UNION ALL SELECT 'theme' UNION ALL SELECT 'all'\(
                crossed ? " UNION ALL SELECT 'step-theme'" : "")) k ON 1 = 1
            LEFT JOIN catalogue_question q ON q.catalogue = \(catalogue) AND q.question = \(question)
            LEFT JOIN question_theme t ON k.grouping IN ('theme', 'step-theme') AND t.catalogue = \(catalogue)
                AND t.question = \(question)
            """,
            """
            CASE k.grouping WHEN 'step' THEN coalesce(q.step, '') WHEN 'theme' THEN t.theme
                WHEN 'step-theme' THEN coalesce(q.step, '') || \(dialect.separator) || t.theme ELSE '' END
            """,
            "coalesce(q.temanedslag, 0) = 0 AND (k.grouping NOT IN ('theme', 'step-theme') OR t.theme IS NOT NULL)"
        )
    }

    /// Ja, Nej or a degree to a question that applies, for the answer `alias`: what agreement and case counts count.
    static func comparable(_ alias: String) -> String { "\(alias).applies = 1 AND \(alias).code IN (1, 2, 4, 5, 6)" }

    /// Adds (`sign` 1) or removes (`sign` -1) to `case_count` the reviews `r` matching `filter`.
    static func updateCaseCounts(in sql: any SQLRunner, filter: String, arguments: [SQLValue], sign: Int) throws {
        let s = sign < 0 ? "-" : ""
        let (from, key, condition) = groups(
            catalogue: "r.catalogue", question: "a.question", crossed: true, sql.dialect)
        try sql.run(
            """
            INSERT INTO case_count(catalogue, grouping, key, degree, round_id, level, unit_id, measure,
                reviewer_id, cases, all_yes)
            SELECT catalogue, grouping, key, degree, round_id, level, unit_id, measure, reviewer_id,
                \(s)count(*), \(s)sum(all_yes)
            FROM (
                SELECT r.id, r.catalogue, k.grouping, \(key) AS key,
                    \(SQLDialect.flag("q.type = 'GRAD'")) AS degree, r.round_id, r.level, r.unit_id, r.measure,
                    r.reviewer_id, min(\(SQLDialect.flag("a.code = 1"))) AS all_yes
                FROM review r JOIN answer a ON a.review_id = r.id
                \(from)
                WHERE (\(filter)) AND \(comparable("a")) AND \(condition)
                GROUP BY r.id, r.catalogue, k.grouping, 4, 5, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id
            ) AS reviewed
            GROUP BY catalogue, grouping, key, degree, round_id, level, unit_id, measure, reviewer_id
            \(SQLDialect.upsert("case_count", adding: ["cases", "all_yes"]))
            """, arguments)
        if sign < 0 { try sql.run("DELETE FROM case_count WHERE cases = 0", []) }
    }

    /// Adds (`sign` 1) or removes (`sign` -1) to `level_pair_case_count` the cases compared between the reviews `s`
    /// matching `reviews` and every other stored review `o` of the same case and round at another level; `among`
    /// says whether `o` is one of the reviews as well (such pairs count once, from their lower level), as in
    /// `updatePairCounts`.
    static func updatePairCaseCounts(
        in sql: any SQLRunner, reviews: String, among: String, arguments: [SQLValue], sign: Int
    ) throws {
        let s = sign < 0 ? "-" : ""
        let low = lowerReview
        let (from, key, condition) = groups(
            catalogue: low("catalogue"), question: "x.question", crossed: true, sql.dialect)
        try sql.run(
            """
            INSERT INTO level_pair_case_count(low_level, high_level, round_id, catalogue, grouping, key, unit_id,
                measure, reviewer_id, cases)
            SELECT low, high, round_id, catalogue, grouping, key, unit_id, measure, reviewer_id, \(s)count(*)
            FROM (
                SELECT DISTINCT s.id AS low_review, o.id AS high_review, \(low("level")) AS low,
                    CASE WHEN s.level < o.level THEN o.level ELSE s.level END AS high,
                    s.round_id, \(low("catalogue")) AS catalogue, k.grouping, \(key) AS key,
                    \(low("unit_id")) AS unit_id, \(low("measure")) AS measure,
                    \(low("reviewer_id")) AS reviewer_id
                FROM review s
                JOIN review o ON o.case_id = s.case_id AND o.round_id = s.round_id AND o.level <> s.level
                JOIN answer x ON x.review_id = s.id
                JOIN answer y ON y.review_id = o.id AND y.question = x.question
                \(from)
                WHERE (\(reviews)) AND (s.level < o.level OR NOT (\(among)))
                    AND \(comparable("x")) AND \(comparable("y")) AND \(condition)
            ) AS compared
            GROUP BY low, high, round_id, catalogue, grouping, key, unit_id, measure, reviewer_id
            \(SQLDialect.upsert("level_pair_case_count", adding: ["cases"]))
            """, arguments)
        if sign < 0 { try sql.run("DELETE FROM level_pair_case_count WHERE cases = 0", []) }
    }

    /// The levels whose all-levels agreement is kept (`level_set_count`): sets of three and of four levels.
    public static let keptLevelSetSizes = [3, 4]

    /// The items (case, round, question) answered Ja, Nej or a degree, to a question that applies, at each of `size`
    /// levels of a case and round whose lowest review `r1` matches `filter`: one row per item and set of levels,
    /// with `levels` ('1,2,3'), `round_id`, `catalogue`, `unit_id`, `measure`, `reviewer_id` (r1's), `question`,
    /// `case_id` and the codes `c1` … `cN`.
    private static func levelSetItems(_ size: Int, filter: String) -> String {
        var from = "review r1 JOIN answer a1 ON a1.review_id = r1.id"
        var conditions = ["(\(filter))", comparable("a1")]
        for index in 2...size {
            from += """

                JOIN review r\(index) ON r\(index).case_id = r1.case_id AND r\(index).round_id = r1.round_id
                    AND r\(index).level > r\(index - 1).level
                JOIN answer a\(index) ON a\(index).review_id = r\(index).id AND a\(index).question = a1.question
                """
            conditions.append(comparable("a\(index)"))
        }
        let levels = (1...size).map { "CAST(r\($0).level AS TEXT)" }.joined(separator: " || ',' || ")
        let codes = (1...size).map { "a\($0).code AS c\($0)" }.joined(separator: ", ")
        return """
            SELECT \(levels) AS levels, r1.round_id AS round_id, r1.catalogue AS catalogue, a1.question AS question,
                r1.unit_id AS unit_id, r1.measure AS measure, r1.reviewer_id AS reviewer_id, r1.case_id AS case_id,
                \(codes)
            FROM \(from)
            WHERE \(conditions.joined(separator: " AND "))
            """
    }

    /// Adds (`sign` 1) or removes (`sign` -1) to `level_set_count` and `level_set_case_count` the items of every
    /// set of three or four levels of the cases and rounds whose reviews `r1` match `filter`.
    ///
    /// An item's sets change whenever a level of its case and round is stored or replaced, so the import takes
    /// the touched cases and rounds out before it changes them and adds them again afterwards.
    static func updateLevelSetCounts(in sql: any SQLRunner, filter: String, arguments: [SQLValue], sign: Int)
        throws
    {
        let s = sign < 0 ? "-" : ""
        let (from, key, condition) = groups(
            catalogue: "i.catalogue", question: "i.question", crossed: true, sql.dialect)
        for size in keptLevelSetSizes {
            let items = levelSetItems(size, filter: filter)
            let codes = (1...size).map { "c\($0)" }
            let agree = zip(codes.dropLast(), codes.dropFirst()).map { "\($0) = \($1)" }.joined(separator: " AND ")
            var statistics = [
                "\(s)count(*)", "\(s)sum(\(SQLDialect.flag(agree)))",
                "\(s)sum(\(SQLDialect.flag("c1 = 1 AND c\(size) = 2")))",
                "\(s)sum(\(SQLDialect.flag("c1 = 2 AND c\(size) = 1")))",
            ]
            let raters = [1, 2, 4, 5, 6].map { code in
                "(" + codes.map { SQLDialect.flag("\($0) = \(code)") }.joined(separator: " + ") + ")"
            }
            statistics += raters.map { "\(s)sum(\($0))" } + raters.map { "\(s)sum(\($0) * \($0))" }
            try sql.run(
                """
                INSERT INTO level_set_count(levels, round_id, catalogue, question, unit_id, measure, reviewer_id,
                    compared, agree, yes_to_no, no_to_yes, t1, t2, t4, t5, t6, q1, q2, q4, q5, q6)
                SELECT levels, round_id, catalogue, question, unit_id, measure, reviewer_id,
                    \(statistics.joined(separator: ", "))
                FROM (\(items)) AS item
                GROUP BY levels, round_id, catalogue, question, unit_id, measure, reviewer_id
                \(SQLDialect.upsert("level_set_count", adding: [
                    "compared", "agree", "yes_to_no", "no_to_yes", "t1", "t2", "t4", "t5", "t6", "q1", "q2", "q4", "q5",
                    "q6",
                ]))
                """, arguments)
            try sql.run(
                """
                INSERT INTO level_set_case_count(levels, round_id, catalogue, grouping, key, unit_id, measure,
                    reviewer_id, cases)
                SELECT levels, round_id, catalogue, grouping, key, unit_id, measure, reviewer_id, \(s)count(*)
                FROM (
                    SELECT DISTINCT i.levels, i.round_id, i.catalogue, k.grouping, \(key) AS key, i.unit_id,
                        i.measure, i.reviewer_id, i.case_id
                    FROM (\(items)) i
                    \(from)
                    WHERE \(condition)
                ) AS reached
                GROUP BY levels, round_id, catalogue, grouping, key, unit_id, measure, reviewer_id
                \(SQLDialect.upsert("level_set_case_count", adding: ["cases"]))
                """, arguments)
        }
        if sign < 0 {
            try sql.run("DELETE FROM level_set_count WHERE compared = 0", [])
            try sql.run("DELETE FROM level_set_case_count WHERE cases = 0", [])
        }
    }

    /// Adds to `recurring_case` the cases and levels of the reviews matching `filter` that another review of the
    /// same case and level shares (another round).
    static func addRecurringCases(in sql: any SQLRunner, filter: String, arguments: [SQLValue]) throws {
        try sql.run(
            """
            INSERT INTO recurring_case(case_id, level)
            SELECT r.case_id, r.level FROM review r
            WHERE (\(filter)) AND EXISTS (
                SELECT 1 FROM review o WHERE o.case_id = r.case_id AND o.level = r.level AND o.id <> r.id)
            ON CONFLICT DO NOTHING
            """, arguments)
    }

    /// Takes a case and level out of `recurring_case` when fewer than two of its reviews are left.
    static func dropRecurringCase(in sql: any SQLRunner, caseID: Int64, level: Int) throws {
        try sql.run(
            """
            DELETE FROM recurring_case WHERE case_id = ?1 AND level = ?2
                AND (SELECT count(*) FROM review WHERE case_id = ?1 AND level = ?2) < 2
            """, [.integer(caseID), .integer(Int64(level))])
    }

    /// Recomputes the case counts and the agreement counts (level pairs and sets) from the answers and stamps the
    /// store with ``caseCountsVersion``.
    static func rebuildCaseCounts(in db: Database) throws {
        try rebuildCaseCounts(in: GRDBRunner(db: db))
        try db.execute(sql: "PRAGMA user_version = \(caseCountsVersion)")
    }

    /// Recomputes the case counts and the agreement counts (level pairs and sets) from the answers.
    static func rebuildCaseCounts(in sql: any SQLRunner) throws {
        for table in [
            "case_count", "level_pair_count", "level_pair_case_count", "level_set_count", "level_set_case_count",
            "recurring_case",
        ] {
            try sql.run("DELETE FROM \(table)", [])
        }
        try sql.run(
            "INSERT INTO recurring_case(case_id, level) SELECT case_id, level FROM review GROUP BY case_id, level "
                + "HAVING count(*) > 1", [])
        let all = "1 = 1"
        try updateCaseCounts(in: sql, filter: all, arguments: [], sign: 1)
        try updatePairCounts(in: sql, reviews: all, among: all, arguments: [], sign: 1)
        try updatePairCaseCounts(in: sql, reviews: all, among: all, arguments: [], sign: 1)
        try updateLevelSetCounts(in: sql, filter: all, arguments: [], sign: 1)
    }

    /// Recomputes the case counts and the agreement counts from the answers (for stores filled other than by the
    /// import, and tests).
    public func rebuildCaseCounts() throws {
        try mapErrors("counting the cases") {
            try database.write { db in try AuditStore.rebuildCaseCounts(in: db) }
        }
    }

    /// Rebuilds the case counts of a store whose counts are older than this program's; a no-op otherwise. The
    /// version is read again inside the write transaction, so two processes opening the store rebuild once.
    static func refreshCaseCounts(_ pool: DatabasePool) throws {
        guard try pool.read({ try caseCountsAreCurrent($0) }) == false else { return }
        try pool.write { db in
            if try !caseCountsAreCurrent(db) { try rebuildCaseCounts(in: db) }
        }
    }

    /// Whether the store's case counts were made by this program's SQL.
    static func caseCountsAreCurrent(_ db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 >= caseCountsVersion
    }

    /// What decides a catalogue's case counts: each question's sagsskridt, kind, temanedslag flag and pejlemærker.
    static func groupingFingerprint(of catalogue: String, in sql: any SQLRunner) throws -> String {
        var lines: [String] = []
        var last = ""
        for row in try sql.rows(
            """
            SELECT q.question, q.step, q.type, q.temanedslag, t.theme FROM catalogue_question q
            LEFT JOIN question_theme t ON t.catalogue = q.catalogue AND t.question = q.question
            WHERE q.catalogue = ? ORDER BY q.question, t.theme
            """, [.text(catalogue)])
        {
            let question = row.string(0)
            if question != last || lines.isEmpty {
                lines.append([question, row.string(1), row.string(2), row.string(3), ""].joined(separator: "|"))
                last = question
            }
            if let theme = row.optionalString(4) {
                lines[lines.count - 1] += (lines[lines.count - 1].hasSuffix("|") ? "" : ",") + theme
            }
        }
        return lines.joined(separator: ";")
    }

    // MARK: - Answer and level pair counts

    /// `column` of the lower level's review of a pair of reviews `s` and `o` (its catalogue, unit, measure or
    /// reviewer: the pair's agreement counts are kept under them).
    static func lowerReview(_ column: String) -> String {
        "CASE WHEN s.level < o.level THEN s.\(column) ELSE o.\(column) END"
    }

    /// Adds (`sign` 1) or removes (`sign` -1) to `level_pair_count` the pairs of the reviews `s` matching `reviews`
    /// with every other stored review `o` of the same case and round at another level. `among` says whether `o` is
    /// one of the reviews as well: such pairs are counted once, from their lower level.
    static func updatePairCounts(
        in sql: any SQLRunner, reviews: String, among: String, arguments: [SQLValue], sign: Int
    ) throws {
        let s = sign < 0 ? "-" : ""
        let low = lowerReview
        try sql.run(
            """
            INSERT INTO level_pair_count(low_level, high_level, round_id, catalogue, question, unit_id, measure,
                reviewer_id, low_code, high_code, items)
            SELECT \(low("level")), CASE WHEN s.level < o.level THEN o.level ELSE s.level END, s.round_id,
                \(low("catalogue")), x.question, \(low("unit_id")), \(low("measure")), \(low("reviewer_id")),
                CASE WHEN s.level < o.level THEN x.code ELSE y.code END,
                CASE WHEN s.level < o.level THEN y.code ELSE x.code END, \(s)count(*)
            FROM review s
            JOIN review o ON o.case_id = s.case_id AND o.round_id = s.round_id AND o.level <> s.level
            JOIN answer x ON x.review_id = s.id
            JOIN answer y ON y.review_id = o.id AND y.question = x.question
            WHERE (\(reviews)) AND (s.level < o.level OR NOT (\(among))) AND \(comparable("x")) AND \(comparable("y"))
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
            \(SQLDialect.upsert("level_pair_count", adding: ["items"]))
            """, arguments)
        if sign < 0 { try sql.run("DELETE FROM level_pair_count WHERE items = 0", []) }
    }

    /// Adds (`sign` 1) or removes (`sign` -1) the answers of the reviews matching `filter` to `answer_count`. (The
    /// import adds a file's answers through ``KeptCounts``; this takes a replaced review out, and counts a store
    /// again.)
    static func updateCounts(in sql: any SQLRunner, filter: String, arguments: [SQLValue], sign: Int) throws {
        let s = sign < 0 ? "-" : ""
        let applying = { (code: Int) in "\(s)sum(\(SQLDialect.flag("a.applies = 1 AND a.code = \(code)")))" }
        try sql.run(
            """
            INSERT INTO answer_count(catalogue, question, round_id, level, unit_id, measure, reviewer_id,
                yes, no, not_applicable, unanswered, low, "some", high)
            SELECT r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id,
                \(applying(1)), \(applying(2)),
                \(s)sum(\(SQLDialect.flag("a.code = 3 OR (a.applies = 0 AND a.code IS NOT NULL)"))),
                \(s)sum(\(SQLDialect.flag("a.code IS NULL"))), \(applying(4)), \(applying(5)), \(applying(6))
            FROM review r JOIN answer a ON a.review_id = r.id
            WHERE \(filter)
            GROUP BY r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id
            \(SQLDialect.upsert("answer_count", adding: [
                "yes", "no", "not_applicable", "unanswered", "low", "\"some\"", "high",
            ]))
            """, arguments)
    }
}
