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
    /// and with `crossed` each pair of sagsskridt and pejlemærke (`step-theme`, the key `step || char(31) || theme`).
    /// Yields `k.grouping` and the key expression; conditions go into the WHERE clause.
    private static func groups(catalogue: String, question: String, crossed: Bool = false)
        -> (from: String, key: String, where: String)
    {
        (
            """
            JOIN (SELECT 'step' AS grouping UNION ALL SELECT 'theme' UNION ALL SELECT 'all'\(
                crossed ? " UNION ALL SELECT 'step-theme'" : "")) k
            LEFT JOIN catalogue_question q ON q.catalogue = \(catalogue) AND q.question = \(question)
            LEFT JOIN question_theme t ON k.grouping IN ('theme', 'step-theme') AND t.catalogue = \(catalogue)
                AND t.question = \(question)
            """,
            """
            CASE k.grouping WHEN 'step' THEN coalesce(q.step, '') WHEN 'theme' THEN t.theme
                WHEN 'step-theme' THEN coalesce(q.step, '') || char(31) || t.theme ELSE '' END
            """,
            "NOT coalesce(q.temanedslag, 0) AND (k.grouping NOT IN ('theme', 'step-theme') OR t.theme IS NOT NULL)"
        )
    }

    /// Adds (`sign` 1) or removes (`sign` -1) to `case_count` the reviews `r` matching `filter`.
    static func updateCaseCounts(in db: Database, filter: String, arguments: StatementArguments, sign: Int) throws {
        let s = sign < 0 ? "-" : ""
        let (from, key, condition) = groups(catalogue: "r.catalogue", question: "a.question", crossed: true)
        try db.cachedStatement(
            sql: """
                INSERT INTO case_count(catalogue, grouping, key, degree, round_id, level, unit_id, measure,
                    reviewer_id, cases, all_yes)
                SELECT catalogue, grouping, key, degree, round_id, level, unit_id, measure, reviewer_id,
                    \(s)count(*), \(s)sum(all_yes)
                FROM (
                    SELECT r.id, r.catalogue, k.grouping, \(key) AS key, coalesce(q.type = 'GRAD', 0) AS degree,
                        r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id, min(a.code = 1) AS all_yes
                    FROM review r JOIN answer a ON a.review_id = r.id
                    \(from)
                    WHERE (\(filter)) AND a.applies AND a.code IN (1, 2, 4, 5, 6) AND \(condition)
                    GROUP BY r.id, k.grouping, 4, 5
                )
                GROUP BY catalogue, grouping, key, degree, round_id, level, unit_id, measure, reviewer_id
                ON CONFLICT DO UPDATE SET cases = cases + excluded.cases, all_yes = all_yes + excluded.all_yes
                """
        ).execute(arguments: arguments)
        if sign < 0 { try db.execute(sql: "DELETE FROM case_count WHERE cases = 0") }
    }

    /// Adds (`sign` 1) or removes (`sign` -1) to `level_pair_case_count` the cases compared between the reviews `s`
    /// matching `reviews` and every other stored review `o` of the same case and round at another level; `among`
    /// says whether `o` is one of the reviews as well (such pairs count once, from their lower level), as in
    /// `updatePairCounts`.
    static func updatePairCaseCounts(
        in db: Database, reviews: String, among: String, arguments: StatementArguments, sign: Int
    ) throws {
        let s = sign < 0 ? "-" : ""
        let low = lowerReview
        let (from, key, condition) = groups(catalogue: low("catalogue"), question: "x.question", crossed: true)
        try db.cachedStatement(
            sql: """
                INSERT INTO level_pair_case_count(low_level, high_level, round_id, catalogue, grouping, key, unit_id,
                    measure, reviewer_id, cases)
                SELECT low, high, round_id, catalogue, grouping, key, unit_id, measure, reviewer_id, \(s)count(*)
                FROM (
                    SELECT DISTINCT s.id, o.id, min(s.level, o.level) AS low, max(s.level, o.level) AS high,
                        s.round_id, \(low("catalogue")) AS catalogue, k.grouping, \(key) AS key,
                        \(low("unit_id")) AS unit_id, \(low("measure")) AS measure,
                        \(low("reviewer_id")) AS reviewer_id
                    FROM review s
                    JOIN review o ON o.case_id = s.case_id AND o.round_id = s.round_id AND o.level <> s.level
                    JOIN answer x ON x.review_id = s.id
                    JOIN answer y ON y.review_id = o.id AND y.question = x.question
                    \(from)
                    WHERE (\(reviews)) AND (s.level < o.level OR NOT (\(among)))
                        AND x.applies AND x.code IN (1, 2, 4, 5, 6) AND y.applies AND y.code IN (1, 2, 4, 5, 6)
                        AND \(condition)
                )
                GROUP BY low, high, round_id, catalogue, grouping, key, unit_id, measure, reviewer_id
                ON CONFLICT DO UPDATE SET cases = cases + excluded.cases
                """
        ).execute(arguments: arguments)
        if sign < 0 { try db.execute(sql: "DELETE FROM level_pair_case_count WHERE cases = 0") }
    }

    /// The levels whose all-levels agreement is kept (`level_set_count`): sets of three and of four levels.
    public static let keptLevelSetSizes = [3, 4]

    /// The items (case, round, question) answered Ja, Nej or a degree, to a question that applies, at each of `size`
    /// levels of a case and round whose lowest review `r1` matches `filter`: one row per item and set of levels,
    /// with `levels` ('1,2,3'), `round_id`, `catalogue`, `unit_id`, `measure`, `reviewer_id` (r1's), `question`,
    /// `case_id` and the codes `c1` … `cN`.
    private static func levelSetItems(_ size: Int, filter: String) -> String {
        var from = "review r1 JOIN answer a1 ON a1.review_id = r1.id"
        var conditions = ["(\(filter))", "a1.applies", "a1.code IN (1, 2, 4, 5, 6)"]
        for index in 2...size {
            from += """

                JOIN review r\(index) ON r\(index).case_id = r1.case_id AND r\(index).round_id = r1.round_id
                    AND r\(index).level > r\(index - 1).level
                JOIN answer a\(index) ON a\(index).review_id = r\(index).id AND a\(index).question = a1.question
                """
            conditions += ["a\(index).applies", "a\(index).code IN (1, 2, 4, 5, 6)"]
        }
        let levels = (1...size).map { "r\($0).level" }.joined(separator: " || ',' || ")
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
    static func updateLevelSetCounts(in db: Database, filter: String, arguments: StatementArguments, sign: Int)
        throws
    {
        let s = sign < 0 ? "-" : ""
        let (from, key, condition) = groups(catalogue: "i.catalogue", question: "i.question", crossed: true)
        for size in keptLevelSetSizes {
            let items = levelSetItems(size, filter: filter)
            let codes = (1...size).map { "c\($0)" }
            let agree = zip(codes.dropLast(), codes.dropFirst()).map { "\($0) = \($1)" }.joined(separator: " AND ")
            var statistics = [
                "\(s)count(*)", "\(s)sum(\(agree))", "\(s)sum(c1 = 1 AND c\(size) = 2)",
                "\(s)sum(c1 = 2 AND c\(size) = 1)",
            ]
            let raters = [1, 2, 4, 5, 6].map { code in "(" + codes.map { "(\($0) = \(code))" }.joined(separator: " + ") + ")" }
            statistics += raters.map { "\(s)sum(\($0))" } + raters.map { "\(s)sum(\($0) * \($0))" }
            try db.cachedStatement(
                sql: """
                    INSERT INTO level_set_count(levels, round_id, catalogue, question, unit_id, measure, reviewer_id,
                        compared, agree, yes_to_no, no_to_yes, t1, t2, t4, t5, t6, q1, q2, q4, q5, q6)
                    SELECT levels, round_id, catalogue, question, unit_id, measure, reviewer_id,
                        \(statistics.joined(separator: ", "))
                    FROM (\(items))
                    GROUP BY levels, round_id, catalogue, question, unit_id, measure, reviewer_id
                    ON CONFLICT DO UPDATE SET compared = compared + excluded.compared, agree = agree + excluded.agree,
                        yes_to_no = yes_to_no + excluded.yes_to_no, no_to_yes = no_to_yes + excluded.no_to_yes,
                        t1 = t1 + excluded.t1, t2 = t2 + excluded.t2, t4 = t4 + excluded.t4, t5 = t5 + excluded.t5,
                        t6 = t6 + excluded.t6, q1 = q1 + excluded.q1, q2 = q2 + excluded.q2, q4 = q4 + excluded.q4,
                        q5 = q5 + excluded.q5, q6 = q6 + excluded.q6
                    """
            ).execute(arguments: arguments)
            try db.cachedStatement(
                sql: """
                    INSERT INTO level_set_case_count(levels, round_id, catalogue, grouping, key, unit_id, measure,
                        reviewer_id, cases)
                    SELECT levels, round_id, catalogue, grouping, key, unit_id, measure, reviewer_id, \(s)count(*)
                    FROM (
                        SELECT DISTINCT i.levels, i.round_id, i.catalogue, k.grouping, \(key) AS key, i.unit_id,
                            i.measure, i.reviewer_id, i.case_id
                        FROM (\(items)) i
                        \(from)
                        WHERE \(condition)
                    )
                    GROUP BY levels, round_id, catalogue, grouping, key, unit_id, measure, reviewer_id
                    ON CONFLICT DO UPDATE SET cases = cases + excluded.cases
                    """
            ).execute(arguments: arguments)
        }
        if sign < 0 {
            try db.execute(sql: "DELETE FROM level_set_count WHERE compared = 0")
            try db.execute(sql: "DELETE FROM level_set_case_count WHERE cases = 0")
        }
    }

    /// Adds to `recurring_case` the cases and levels of the reviews matching `filter` that another review of the
    /// same case and level shares (another round).
    static func addRecurringCases(in db: Database, filter: String, arguments: StatementArguments) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO recurring_case(case_id, level)
                SELECT r.case_id, r.level FROM review r
                WHERE (\(filter)) AND EXISTS (
                    SELECT 1 FROM review o WHERE o.case_id = r.case_id AND o.level = r.level AND o.id <> r.id)
                """
        ).execute(arguments: arguments)
    }

    /// Takes a case and level out of `recurring_case` when fewer than two of its reviews are left.
    static func dropRecurringCase(in db: Database, caseID: Int64, level: Int) throws {
        try db.cachedStatement(
            sql: """
                DELETE FROM recurring_case WHERE case_id = :case AND level = :level
                    AND (SELECT count(*) FROM review WHERE case_id = :case AND level = :level) < 2
                """
        ).execute(arguments: ["case": caseID, "level": level])
    }

    /// Recomputes the case counts and the agreement counts (level pairs and sets) from the answers and stamps the
    /// store with ``caseCountsVersion``.
    static func rebuildCaseCounts(in db: Database) throws {
        try db.execute(sql: """
            DELETE FROM case_count; DELETE FROM level_pair_count; DELETE FROM level_pair_case_count;
            DELETE FROM level_set_count; DELETE FROM level_set_case_count; DELETE FROM recurring_case;
            INSERT INTO recurring_case(case_id, level)
            SELECT case_id, level FROM review GROUP BY case_id, level HAVING count(*) > 1;
            """)
        try updateCaseCounts(in: db, filter: "1", arguments: [], sign: 1)
        try updatePairCounts(in: db, reviews: "1", among: "1", arguments: [], sign: 1)
        try updatePairCaseCounts(in: db, reviews: "1", among: "1", arguments: [], sign: 1)
        try updateLevelSetCounts(in: db, filter: "1", arguments: [], sign: 1)
        try db.execute(sql: "PRAGMA user_version = \(caseCountsVersion)")
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
    static func groupingFingerprint(of catalogue: String, in db: Database) throws -> String {
        try String.fetchOne(
            db,
            sql: """
                SELECT group_concat(line, ';') FROM (
                    SELECT q.question || '|' || q.step || '|' || q.type || '|' || q.temanedslag || '|'
                        || coalesce((SELECT group_concat(theme, ',') FROM (
                            SELECT theme FROM question_theme t
                            WHERE t.catalogue = q.catalogue AND t.question = q.question ORDER BY theme)), '') AS line
                    FROM catalogue_question q WHERE q.catalogue = ? ORDER BY q.question)
                """, arguments: [catalogue]) ?? ""
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
        in db: Database, reviews: String, among: String, arguments: StatementArguments, sign: Int
    ) throws {
        let s = sign < 0 ? "-" : ""
        let low = lowerReview
        try db.cachedStatement(
            sql: """
                INSERT INTO level_pair_count(low_level, high_level, round_id, catalogue, question, unit_id, measure,
                    reviewer_id, low_code, high_code, items)
                SELECT min(s.level, o.level), max(s.level, o.level), s.round_id, \(low("catalogue")), x.question,
                    \(low("unit_id")), \(low("measure")), \(low("reviewer_id")),
                    CASE WHEN s.level < o.level THEN x.code ELSE y.code END,
                    CASE WHEN s.level < o.level THEN y.code ELSE x.code END, \(s)count(*)
                FROM review s
                JOIN review o ON o.case_id = s.case_id AND o.round_id = s.round_id AND o.level <> s.level
                JOIN answer x ON x.review_id = s.id
                JOIN answer y ON y.review_id = o.id AND y.question = x.question
                WHERE (\(reviews)) AND (s.level < o.level OR NOT (\(among)))
                    AND x.applies AND x.code IN (1, 2, 4, 5, 6) AND y.applies AND y.code IN (1, 2, 4, 5, 6)
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
                ON CONFLICT DO UPDATE SET items = items + excluded.items
                """
        ).execute(arguments: arguments)
        if sign < 0 { try db.execute(sql: "DELETE FROM level_pair_count WHERE items = 0") }
    }

    /// Adds (`sign` 1) or removes (`sign` -1) the answers of the reviews matching `filter` to `answer_count`.
    ///
    /// One upsert per answer, without grouping first: the upsert adds rows of the same group up, and a sort for
    /// the grouping cost more than it saved (a file's review has one answer per question).
    static func updateCounts(in db: Database, filter: String, arguments: StatementArguments, sign: Int) throws {
        let s = sign < 0 ? "-" : ""
        try db.cachedStatement(
            sql: """
                INSERT INTO answer_count(catalogue, question, round_id, level, unit_id, measure, reviewer_id,
                    yes, no, not_applicable, unanswered, low, some, high)
                SELECT r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id,
                    \(s)(a.applies AND a.code IS 1), \(s)(a.applies AND a.code IS 2),
                    \(s)(a.code IS 3 OR (NOT a.applies AND a.code IS NOT NULL)), \(s)(a.code IS NULL),
                    \(s)(a.applies AND a.code IS 4), \(s)(a.applies AND a.code IS 5), \(s)(a.applies AND a.code IS 6)
                FROM review r JOIN answer a ON a.review_id = r.id
                WHERE \(filter)
                ON CONFLICT DO UPDATE SET
                    yes = yes + excluded.yes, no = no + excluded.no,
                    not_applicable = not_applicable + excluded.not_applicable,
                    unanswered = unanswered + excluded.unanswered,
                    low = low + excluded.low, some = some + excluded.some, high = high + excluded.high
                """
        ).execute(arguments: arguments)
    }
}
