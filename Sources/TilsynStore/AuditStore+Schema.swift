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
        return migrator
    }

    /// Adds (`sign` 1) or removes (`sign` -1) the answers of the reviews matching `filter` to `answer_count`.
    static func updateCounts(in db: Database, filter: String, arguments: StatementArguments, sign: Int) throws {
        let s = sign < 0 ? "-" : ""
        try db.cachedStatement(
            sql: """
                INSERT INTO answer_count(catalogue, question, round_id, level, unit_id, measure, reviewer_id,
                    yes, no, not_applicable, unanswered, low, some, high)
                SELECT r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id,
                    \(s)count(*) FILTER (WHERE a.applies AND a.code = 1),
                    \(s)count(*) FILTER (WHERE a.applies AND a.code = 2),
                    \(s)count(*) FILTER (WHERE a.code = 3 OR (NOT a.applies AND a.code IS NOT NULL)),
                    \(s)count(*) FILTER (WHERE a.code IS NULL),
                    \(s)count(*) FILTER (WHERE a.applies AND a.code = 4),
                    \(s)count(*) FILTER (WHERE a.applies AND a.code = 5),
                    \(s)count(*) FILTER (WHERE a.applies AND a.code = 6)
                FROM review r JOIN answer a ON a.review_id = r.id
                WHERE \(filter)
                GROUP BY r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id
                ON CONFLICT DO UPDATE SET
                    yes = yes + excluded.yes, no = no + excluded.no,
                    not_applicable = not_applicable + excluded.not_applicable,
                    unanswered = unanswered + excluded.unanswered,
                    low = low + excluded.low, some = some + excluded.some, high = high + excluded.high
                """
        ).execute(arguments: arguments)
    }
}
