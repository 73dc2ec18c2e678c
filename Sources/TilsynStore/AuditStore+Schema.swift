internal import GRDB

extension AuditStore {
    /// The schema's migrations, in order. Never edit a registered migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: common model, provenance and answer counts") { db in
            try db.execute(sql: """
                -- Catalogues as the import last saw them: their questions, steps and themes, for grouping.
                CREATE TABLE catalogue (
                    id TEXT PRIMARY KEY NOT NULL,
                    version TEXT NOT NULL,
                    title TEXT NOT NULL
                );
                CREATE TABLE catalogue_step (
                    catalogue TEXT NOT NULL REFERENCES catalogue(id),
                    step TEXT NOT NULL,
                    name TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (catalogue, step)
                ) WITHOUT ROWID;
                CREATE TABLE catalogue_theme (
                    catalogue TEXT NOT NULL REFERENCES catalogue(id),
                    theme TEXT NOT NULL,
                    name TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (catalogue, theme)
                ) WITHOUT ROWID;
                CREATE TABLE catalogue_question (
                    catalogue TEXT NOT NULL REFERENCES catalogue(id),
                    question TEXT NOT NULL,
                    step TEXT NOT NULL,
                    type TEXT NOT NULL,
                    text TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (catalogue, question)
                ) WITHOUT ROWID;
                CREATE TABLE question_theme (
                    catalogue TEXT NOT NULL,
                    question TEXT NOT NULL,
                    theme TEXT NOT NULL,
                    PRIMARY KEY (catalogue, question, theme)
                ) WITHOUT ROWID;
                CREATE INDEX question_theme_by_theme ON question_theme(catalogue, theme);

                -- Dimensions.
                CREATE TABLE round (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                CREATE TABLE unit (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                CREATE TABLE reviewer (id INTEGER PRIMARY KEY, initials TEXT NOT NULL UNIQUE);
                CREATE TABLE audit_case (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE);

                -- One row per imported file; the content hash makes a second import of the same bytes a no-op.
                CREATE TABLE file (
                    id INTEGER PRIMARY KEY,
                    sha256 TEXT NOT NULL UNIQUE,
                    path TEXT NOT NULL,
                    shape TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    imported_at TEXT NOT NULL,
                    reviews INTEGER NOT NULL,
                    answers INTEGER NOT NULL,
                    warnings INTEGER NOT NULL
                );

                -- A review: case × level × round (unique), by one reviewer, from one file.
                CREATE TABLE review (
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES audit_case(id),
                    round_id INTEGER NOT NULL REFERENCES round(id),
                    level INTEGER NOT NULL,
                    reviewer_id INTEGER NOT NULL REFERENCES reviewer(id),
                    unit_id INTEGER NOT NULL REFERENCES unit(id),
                    measure INTEGER NOT NULL,
                    age INTEGER,
                    kommune TEXT,
                    review_date TEXT,
                    catalogue TEXT NOT NULL,
                    catalogue_version TEXT NOT NULL,
                    file_id INTEGER NOT NULL REFERENCES file(id),
                    sheet TEXT NOT NULL,
                    cell TEXT NOT NULL,
                    UNIQUE (case_id, round_id, level)
                );
                CREATE INDEX review_by_file ON review(file_id);
                CREATE INDEX review_by_round_level ON review(round_id, level, case_id);

                -- One answer per review and question; code: 1 Ja, 2 Nej, 3 Ikke relevant, 4 Lav grad,
                -- 5 Nogen grad, 6 Høj grad, NULL unanswered. applies = 0 when the question does not apply to the
                -- case's indsats. sheet and cell: where the answer was read.
                CREATE TABLE answer (
                    review_id INTEGER NOT NULL REFERENCES review(id) ON DELETE CASCADE,
                    question TEXT NOT NULL,
                    code INTEGER,
                    answer TEXT,
                    applies INTEGER NOT NULL,
                    remark TEXT,
                    sheet TEXT NOT NULL,
                    cell TEXT NOT NULL,
                    PRIMARY KEY (review_id, question)
                ) WITHOUT ROWID;

                -- Counts kept up to date by every import and replacement, in the same transaction, so that
                -- compliance by question, step, theme, unit, measure, level, round and reviewer reads this small
                -- table instead of the answers. An answer to a question that does not apply to the case's indsats
                -- counts as not_applicable: it leaves the denominator.
                CREATE TABLE answer_count (
                    catalogue TEXT NOT NULL,
                    question TEXT NOT NULL,
                    round_id INTEGER NOT NULL,
                    level INTEGER NOT NULL,
                    unit_id INTEGER NOT NULL,
                    measure INTEGER NOT NULL,
                    reviewer_id INTEGER NOT NULL,
                    yes INTEGER NOT NULL,
                    no INTEGER NOT NULL,
                    not_applicable INTEGER NOT NULL,
                    unanswered INTEGER NOT NULL,
                    low INTEGER NOT NULL,
                    some INTEGER NOT NULL,
                    high INTEGER NOT NULL,
                    PRIMARY KEY (catalogue, round_id, level, unit_id, measure, reviewer_id, question)
                ) WITHOUT ROWID;
                CREATE INDEX answer_count_by_question ON answer_count(catalogue, question);
                """)
        }
        migrator.registerMigration("v2: level pair counts for agreement, question renames") { db in
            try db.execute(sql: """
                -- Pairs of answers to the same case, round and question at two levels, counted by the pair of
                -- answers: kept up to date by every import and replacement, in the same transaction, so that
                -- agreement between two levels reads this small table instead of joining the answers. Only
                -- comparable answers count: Ja, Nej or a degree (codes 1, 2, 4, 5, 6) to a question that applies
                -- at both levels. catalogue: the lower level's review's.
                CREATE TABLE level_pair_count (
                    low_level INTEGER NOT NULL,
                    high_level INTEGER NOT NULL,
                    round_id INTEGER NOT NULL,
                    catalogue TEXT NOT NULL,
                    question TEXT NOT NULL,
                    low_code INTEGER NOT NULL,
                    high_code INTEGER NOT NULL,
                    items INTEGER NOT NULL,
                    PRIMARY KEY (low_level, high_level, round_id, catalogue, question, low_code, high_code)
                ) WITHOUT ROWID;

                -- Question ids a catalogue's current version replaces (a renamed question): answers stored under
                -- `previous` count as `question` when rounds are compared. Kept by registering catalogues.
                CREATE TABLE question_rename (
                    catalogue TEXT NOT NULL,
                    previous TEXT NOT NULL,
                    question TEXT NOT NULL,
                    PRIMARY KEY (catalogue, previous)
                ) WITHOUT ROWID;

                -- The pairs already stored, each counted once from its lower level. Frozen: written out here, so
                -- this migration does not change when the live upkeep (updatePairCounts) does.
                INSERT INTO level_pair_count(low_level, high_level, round_id, catalogue, question, low_code,
                    high_code, items)
                SELECT s.level, o.level, s.round_id, s.catalogue, x.question, x.code, y.code, count(*)
                FROM review s
                JOIN review o ON o.case_id = s.case_id AND o.round_id = s.round_id AND o.level > s.level
                JOIN answer x ON x.review_id = s.id
                JOIN answer y ON y.review_id = o.id AND y.question = x.question
                WHERE x.applies AND x.code IN (1, 2, 4, 5, 6) AND y.applies AND y.code IN (1, 2, 4, 5, 6)
                GROUP BY 1, 2, 3, 4, 5, 6, 7;
                """)
        }
        migrator.registerMigration("v3: settings, the catalogue's baseline level, temanedslag questions") { db in
            // Frozen: the SQL is written out here, not taken from code that may change.
            try db.execute(sql: """
                -- Store-wide settings by name, e.g. 'baseline-level'; set with 'tilsyn config set'.
                CREATE TABLE setting (
                    name TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;

                -- The level a municipality's model names as its statistical baseline (kk-2025: 2); NULL when it
                -- names none. Kept by registering catalogues.
                ALTER TABLE catalogue ADD COLUMN baseline_level INTEGER;

                -- 1 for a temanedslag question (asked in one round besides the fixed ones): such questions are
                -- reported in a block of their own and never count in a pejlemærke, sagsskridt or headline figure.
                -- Kept by registering catalogues.
                ALTER TABLE catalogue_question ADD COLUMN temanedslag INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v4: the case's caseworker (sagsbehandler) on the review") { db in
            // For feedback to the unit per caseworker; personal data, read by `tilsyn feedback` only.
            try db.execute(sql: "ALTER TABLE review ADD COLUMN caseworker TEXT")
        }
        migrator.registerMigration("v5: catalogues kept in the store") { db in
            // The JSON of catalogues imported with `tilsyn catalog import --db`, so a store describes itself.
            try db.execute(sql: """
                CREATE TABLE catalogue_source (
                    id TEXT PRIMARY KEY NOT NULL,
                    version TEXT NOT NULL,
                    json TEXT NOT NULL,
                    imported_at TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v6: case counts") { db in
            // Statistics are counted in cases (children), not answers. These tables are filled from the answers by
            // the live code when `PRAGMA user_version` is older than `AuditStore.caseCountsVersion` (so this
            // migration never changes), and kept up to date by every import and replacement after that.
            try db.execute(sql: """
                -- Per catalogue group (a sagsskridt, a pejlemærke, or 'all' questions outside temanedslag), question
                -- kind (degree 1 for degree questions) and review dimensions: the reviews (one case each) with a
                -- Ja, Nej or degree answer in the group to a question that applies, and of those the reviews whose
                -- Ja/Nej answers in the group are all Ja.
                CREATE TABLE case_count (
                    catalogue TEXT NOT NULL,
                    grouping TEXT NOT NULL,
                    key TEXT NOT NULL,
                    degree INTEGER NOT NULL,
                    round_id INTEGER NOT NULL,
                    level INTEGER NOT NULL,
                    unit_id INTEGER NOT NULL,
                    measure INTEGER NOT NULL,
                    reviewer_id INTEGER NOT NULL,
                    cases INTEGER NOT NULL,
                    all_yes INTEGER NOT NULL,
                    PRIMARY KEY (catalogue, grouping, key, degree, round_id, level, unit_id, measure, reviewer_id)
                ) WITHOUT ROWID;

                -- Per pair of levels, round and catalogue group (as in case_count): the cases with at least one
                -- item compared between the two levels (both answered Ja, Nej or a degree to a question that
                -- applies). catalogue: the lower level's review's.
                CREATE TABLE level_pair_case_count (
                    low_level INTEGER NOT NULL,
                    high_level INTEGER NOT NULL,
                    round_id INTEGER NOT NULL,
                    catalogue TEXT NOT NULL,
                    grouping TEXT NOT NULL,
                    key TEXT NOT NULL,
                    cases INTEGER NOT NULL,
                    PRIMARY KEY (low_level, high_level, round_id, catalogue, grouping, key)
                ) WITHOUT ROWID;

                -- Agreement over three or four levels together, as level_pair_count is for two: per set of
                -- levels ('1,2,3'), round, catalogue (the lowest level's review's) and question, the items answered
                -- Ja, Nej or a degree at every level of the set, how many agree throughout, how often the highest
                -- level overruled the lowest (Ja to Nej, Nej to Ja), and per answer code (t1 … t6) the sum over items
                -- of the levels choosing it and (q1 … q6) of its square: the sufficient statistics of Fleiss' κ.
                CREATE TABLE level_set_count (
                    levels TEXT NOT NULL,
                    round_id INTEGER NOT NULL,
                    catalogue TEXT NOT NULL,
                    question TEXT NOT NULL,
                    compared INTEGER NOT NULL,
                    agree INTEGER NOT NULL,
                    yes_to_no INTEGER NOT NULL,
                    no_to_yes INTEGER NOT NULL,
                    t1 INTEGER NOT NULL, t2 INTEGER NOT NULL, t4 INTEGER NOT NULL, t5 INTEGER NOT NULL,
                    t6 INTEGER NOT NULL,
                    q1 INTEGER NOT NULL, q2 INTEGER NOT NULL, q4 INTEGER NOT NULL, q5 INTEGER NOT NULL,
                    q6 INTEGER NOT NULL,
                    PRIMARY KEY (levels, round_id, catalogue, question)
                ) WITHOUT ROWID;

                -- The cases behind level_set_count per catalogue group, as level_pair_case_count.
                CREATE TABLE level_set_case_count (
                    levels TEXT NOT NULL,
                    round_id INTEGER NOT NULL,
                    catalogue TEXT NOT NULL,
                    grouping TEXT NOT NULL,
                    key TEXT NOT NULL,
                    cases INTEGER NOT NULL,
                    PRIMARY KEY (levels, round_id, catalogue, grouping, key)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v7: the case's udgangspunkt") { db in
            // What the case was drawn for and its date (ISO), from the case list and the templates: the report's
            // scope (cases per udgangspunkt, the period covered, the case's age at review).
            try db.execute(sql: """
                ALTER TABLE review ADD COLUMN udgangspunkt TEXT;
                ALTER TABLE review ADD COLUMN udgangspunkt_date TEXT;
                """)
        }
        migrator.registerMigration("v8: recurring cases") { db in
            // Filled by the live code with the case counts (case counts version 3), and kept by every import.
            try db.execute(sql: """
                -- The cases reviewed at a level in more than one round: one child, counted once when figures span
                -- rounds. Kept so that such figures know at once whether any case recurs.
                CREATE TABLE recurring_case (
                    case_id INTEGER NOT NULL,
                    level INTEGER NOT NULL,
                    PRIMARY KEY (case_id, level)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v9: agreement counts by the lowest level's enhed, indsats and reviewer") { db in
            // The agreement counts gain the unit, measure and reviewer of the lowest compared level's review, so
            // agreement by enhed, indsats or reviewer reads them instead of joining the answers. The tables are
            // made anew, empty, and filled from the answers by the live code (case counts version 4), as v6's were.
            try db.execute(sql: """
                DROP TABLE level_pair_count;
                DROP TABLE level_pair_case_count;
                DROP TABLE level_set_count;
                DROP TABLE level_set_case_count;

                -- As in v2, per unit_id, measure and reviewer_id of the lower level's review.
                CREATE TABLE level_pair_count (
                    low_level INTEGER NOT NULL,
                    high_level INTEGER NOT NULL,
                    round_id INTEGER NOT NULL,
                    catalogue TEXT NOT NULL,
                    question TEXT NOT NULL,
                    unit_id INTEGER NOT NULL,
                    measure INTEGER NOT NULL,
                    reviewer_id INTEGER NOT NULL,
                    low_code INTEGER NOT NULL,
                    high_code INTEGER NOT NULL,
                    items INTEGER NOT NULL,
                    PRIMARY KEY (low_level, high_level, round_id, catalogue, question, unit_id, measure, reviewer_id,
                        low_code, high_code)
                ) WITHOUT ROWID;

                -- As in v6, per unit_id, measure and reviewer_id of the lower level's review (a case and round has
                -- one review per level, so the cases of the groups add up).
                CREATE TABLE level_pair_case_count (
                    low_level INTEGER NOT NULL,
                    high_level INTEGER NOT NULL,
                    round_id INTEGER NOT NULL,
                    catalogue TEXT NOT NULL,
                    grouping TEXT NOT NULL,
                    key TEXT NOT NULL,
                    unit_id INTEGER NOT NULL,
                    measure INTEGER NOT NULL,
                    reviewer_id INTEGER NOT NULL,
                    cases INTEGER NOT NULL,
                    PRIMARY KEY (low_level, high_level, round_id, catalogue, grouping, key, unit_id, measure,
                        reviewer_id)
                ) WITHOUT ROWID;

                -- As in v6, per unit_id, measure and reviewer_id of the lowest level's review.
                CREATE TABLE level_set_count (
                    levels TEXT NOT NULL,
                    round_id INTEGER NOT NULL,
                    catalogue TEXT NOT NULL,
                    question TEXT NOT NULL,
                    unit_id INTEGER NOT NULL,
                    measure INTEGER NOT NULL,
                    reviewer_id INTEGER NOT NULL,
                    compared INTEGER NOT NULL,
                    agree INTEGER NOT NULL,
                    yes_to_no INTEGER NOT NULL,
                    no_to_yes INTEGER NOT NULL,
                    t1 INTEGER NOT NULL, t2 INTEGER NOT NULL, t4 INTEGER NOT NULL, t5 INTEGER NOT NULL,
                    t6 INTEGER NOT NULL,
                    q1 INTEGER NOT NULL, q2 INTEGER NOT NULL, q4 INTEGER NOT NULL, q5 INTEGER NOT NULL,
                    q6 INTEGER NOT NULL,
                    PRIMARY KEY (levels, round_id, catalogue, question, unit_id, measure, reviewer_id)
                ) WITHOUT ROWID;

                CREATE TABLE level_set_case_count (
                    levels TEXT NOT NULL,
                    round_id INTEGER NOT NULL,
                    catalogue TEXT NOT NULL,
                    grouping TEXT NOT NULL,
                    key TEXT NOT NULL,
                    unit_id INTEGER NOT NULL,
                    measure INTEGER NOT NULL,
                    reviewer_id INTEGER NOT NULL,
                    cases INTEGER NOT NULL,
                    PRIMARY KEY (levels, round_id, catalogue, grouping, key, unit_id, measure, reviewer_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v10: the kommune in the identity of cases and units") { db in
            // Municipalities number their cases and name their units each on their own, so a store across
            // municipalities keeps a case as its number within its kommune, and a unit as its name within its
            // kommune ('' where no kommune is named). The kommune moves from the review to its case and unit.
            // A stored case takes the one kommune its reviews name (reviews naming none were stored as the same case
            // and stay so); a case whose reviews name several is split, one case per kommune, its reviews naming none
            // under ''. A unit is split by the kommune of its reviews' cases. Ids are kept for the first kommune (by
            // name) of each case and unit. Frozen SQL; the answer counts are counted again here by v1's rules, and
            // the other kept counts by the live code (case counts version 5).
            try db.execute(sql: """
                CREATE TEMP TABLE v10_review (
                    id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, unit_id INTEGER NOT NULL, kommune TEXT NOT NULL);
                INSERT INTO v10_review(id, case_id, unit_id, kommune)
                SELECT r.id, r.case_id, r.unit_id, coalesce(r.kommune,
                    CASE WHEN (SELECT count(DISTINCT o.kommune) FROM review o WHERE o.case_id = r.case_id) = 1
                        THEN (SELECT max(o.kommune) FROM review o WHERE o.case_id = r.case_id) ELSE '' END)
                FROM review r;

                CREATE TABLE new_audit_case (
                    id INTEGER PRIMARY KEY, kommune TEXT NOT NULL DEFAULT '', number TEXT NOT NULL, UNIQUE (kommune, number));
                INSERT INTO new_audit_case(id, kommune, number)
                SELECT c.id, min(v.kommune), c.number FROM audit_case c JOIN v10_review v ON v.case_id = c.id
                GROUP BY c.id;
                INSERT INTO new_audit_case(kommune, number)
                SELECT DISTINCT v.kommune, c.number FROM v10_review v JOIN audit_case c ON c.id = v.case_id WHERE true
                ON CONFLICT DO NOTHING;

                CREATE TABLE new_unit (
                    id INTEGER PRIMARY KEY, kommune TEXT NOT NULL DEFAULT '', name TEXT NOT NULL, UNIQUE (kommune, name));
                INSERT INTO new_unit(id, kommune, name)
                SELECT u.id, min(v.kommune), u.name FROM unit u JOIN v10_review v ON v.unit_id = u.id GROUP BY u.id;
                INSERT INTO new_unit(kommune, name)
                SELECT DISTINCT v.kommune, u.name FROM v10_review v JOIN unit u ON u.id = v.unit_id WHERE true
                ON CONFLICT DO NOTHING;

                UPDATE review SET
                    case_id = (SELECT n.id FROM v10_review v JOIN audit_case c ON c.id = v.case_id
                        JOIN new_audit_case n ON n.kommune = v.kommune AND n.number = c.number WHERE v.id = review.id),
                    unit_id = (SELECT n.id FROM v10_review v JOIN unit u ON u.id = v.unit_id
                        JOIN new_unit n ON n.kommune = v.kommune AND n.name = u.name WHERE v.id = review.id);
                ALTER TABLE review DROP COLUMN kommune;
                DROP TABLE audit_case;
                ALTER TABLE new_audit_case RENAME TO audit_case;
                CREATE INDEX audit_case_by_number ON audit_case(number);
                DROP TABLE unit;
                ALTER TABLE new_unit RENAME TO unit;
                DROP TABLE v10_review;

                DELETE FROM answer_count;
                INSERT INTO answer_count(catalogue, question, round_id, level, unit_id, measure, reviewer_id,
                    yes, no, not_applicable, unanswered, low, some, high)
                SELECT r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id,
                    sum(a.applies AND a.code IS 1), sum(a.applies AND a.code IS 2),
                    sum(a.code IS 3 OR (NOT a.applies AND a.code IS NOT NULL)), sum(a.code IS NULL),
                    sum(a.applies AND a.code IS 4), sum(a.applies AND a.code IS 5), sum(a.applies AND a.code IS 6)
                FROM review r JOIN answer a ON a.review_id = r.id
                GROUP BY 1, 2, 3, 4, 5, 6, 7;
                """)
        }
        return migrator
    }
}
