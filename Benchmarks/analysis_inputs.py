"""The analysis benchmark's data: 10 million answers, as a Tilsyn store (SQLite) and as a DuckDB database.

Both are filled with SQL from the same integer formulas, so they hold the same reviews and answers; the
harness checks that both engines find the same counts. The Tilsyn store gets its schema from `tilsyn import`
of a one-line CSV (so its migrations are the program's own), then its rows are replaced with the generated
ones, `answer_count` is rebuilt as the import keeps it, and `tilsyn` rebuilds the case and agreement counts.

Shape: catalogue kk-2025 (44 questions: 36 Ja/Nej, 8 degree); cases reviewed at levels 1 and 2, in 4 rounds
and 20 units; two reviews per case; the answer at level 1 is a function of case and question, and level 2
differs on about one answer in nine.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

ANSWERS = 10_000_000
QUESTIONS = 44
REVIEWS = -(-ANSWERS // QUESTIONS)  # 227,273 reviews → 10,000,012 answers
ROUNDS = 4
UNITS = 20
PARAMS = {"reviews": REVIEWS, "questions": QUESTIONS, "rounds": ROUNDS, "units": UNITS, "version": 2}
# The store's own stamp: version 2 adds `level_pair_count` (schema v2), version 3 the case counts (schema v6),
# version 4 the case counts crossing sagsskridt and pejlemærke (case counts version 2), version 5 the recurring
# cases (case counts version 3), version 6 the agreement counts by the lowest level's enhed, indsats and reviewer
# (schema v9, case counts version 4), version 7 the kommune in the identity of cases and units (schema v10, case
# counts version 5), without regenerating the DuckDB twin.
STORE_PARAMS = {**PARAMS, "store": 7}
# The four-level variant (agreement over all levels): the same answers, each case reviewed at levels 1 to 4.
LEVELS4_PARAMS = {**PARAMS, "levels": 4, "store": 7}
# A store of this version holds the same rows as one made now: the program's own migrations (v10) and rebuild of the
# case counts bring it up to date when a writer opens it, faster than generating it again.
UPGRADABLE_STORE = 6

# Review r (1-based): case (r + 1) / 2, level 1 or 2; round, unit and measure follow from the case, so that
# every unit has cases in every round.
REVIEW_COLUMNS = """
    r AS id, (r + 1) / 2 AS case_id, ((r + 1) / 2 / {units}) % {rounds} + 1 AS round_id, (r + 1) % 2 + 1 AS level,
    (((r + 1) / 2) % {units}) * 2 + (r + 1) % 2 + 1 AS reviewer_id, ((r + 1) / 2) % {units} + 1 AS unit_id,
    CASE WHEN ((r + 1) / 2) % 3 = 0 THEN 52 ELSE 32 END AS measure
""".format(rounds=ROUNDS, units=UNITS)



def review_columns(levels: int) -> str:
    """`REVIEW_COLUMNS` for cases reviewed at `levels` levels (the same expressions for 2)."""
    case = f"((r + {levels - 1}) / {levels})"
    return f"""
    r AS id, {case} AS case_id, ({case} / {UNITS}) % {ROUNDS} + 1 AS round_id, (r - 1) % {levels} + 1 AS level,
    ({case} % {UNITS}) * {levels} + (r - 1) % {levels} + 1 AS reviewer_id, {case} % {UNITS} + 1 AS unit_id,
    CASE WHEN {case} % 3 = 0 THEN 52 ELSE 32 END AS measure
"""


# h: the case's answer (0–999) to question q (0-based position); levels above 1 change it when d < 110.
HASH = "(((x.case_id * 7919 + q.position * 104729) % 1009) * 997 % 1000)"
DIFF = "((x.id * 31 + q.position * 577) % 1000)"
CODE = f"""
    CASE WHEN q.type = 'GRAD' THEN
        CASE WHEN x.level >= 2 AND {DIFF} < 110 THEN 4 + ({HASH} + 1) % 3 ELSE 4 + {HASH} % 3 END
    ELSE
        CASE
            WHEN x.level >= 2 AND {DIFF} < 110 AND {HASH} < 900 THEN CASE WHEN {HASH} < 780 THEN 2 ELSE 1 END
            WHEN {HASH} < 780 THEN 1 WHEN {HASH} < 900 THEN 2 WHEN {HASH} < 980 THEN 3 ELSE NULL
        END
    END
"""


def series(count: int) -> str:
    """The integers 1 … count as a SQLite subquery with the column `value`."""
    return (f"(WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < {count}) "
            "SELECT value FROM s)")


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".params.json")


def _fresh(path: Path, params: dict = PARAMS) -> bool:
    stamp = _stamp(path)
    return path.exists() and stamp.exists() and json.loads(stamp.read_text()).get("params") == params


def store(workdir: Path, tilsyn: Path, levels: int = 2) -> dict:
    """The Tilsyn store `analysis.sqlite` (`analysis4.sqlite` for four levels) with the generated answers and the
    counts the import keeps: `answer_count` by SQL here, the case and agreement counts by `tilsyn` itself (a store
    whose counts are older than the program's has them rebuilt when opened for writing)."""
    path = workdir / ("analysis.sqlite" if levels == 2 else f"analysis{levels}.sqlite")
    params = STORE_PARAMS if levels == 2 else {**LEVELS4_PARAMS, "levels": levels}
    columns = REVIEW_COLUMNS if levels == 2 else review_columns(levels)
    if _fresh(path, params):
        return _with_apart(path, json.loads(_stamp(path).read_text()))
    if _fresh(path, {**params, "store": UPGRADABLE_STORE}):
        return _with_apart(path, _upgrade(path, tilsyn, params))
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    seed = workdir / "analysis-seed.csv"
    seed.write_text(
        "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato\r\n"
        "S-1;1;2025;U.1;Ja;;Enhed 1;32;AB;14-03-2025\r\n",
        encoding="utf-8-sig",
    )
    subprocess.run([str(tilsyn), "import", str(seed), "--db", str(path)], check=True, capture_output=True)
    db = sqlite3.connect(path)
    db.executescript(f"""
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = OFF;
        PRAGMA cache_size = -400000;
        DELETE FROM answer_count; DELETE FROM level_pair_count; DELETE FROM answer; DELETE FROM review;
        DELETE FROM audit_case;
        DELETE FROM round; DELETE FROM unit; DELETE FROM reviewer;
        UPDATE file SET id = 1;
        INSERT INTO round(id, name) SELECT value, 'R' || (2021 + value) FROM {series(ROUNDS)};
        INSERT INTO unit(id, name) SELECT value, 'Enhed ' || value FROM {series(UNITS)};
        INSERT INTO reviewer(id, initials) SELECT value, 'R' || value FROM {series(levels * UNITS)};
        INSERT INTO audit_case(id, number) SELECT value, 'C-' || value
        FROM {series((REVIEWS + levels - 1) // levels)};
        INSERT INTO review(id, case_id, round_id, level, reviewer_id, unit_id, measure, catalogue,
            catalogue_version, file_id, sheet, cell)
        SELECT *, 'kk-2025', '1', 1, 'Tilsyn', 'A1'
        FROM (SELECT {columns} FROM (SELECT value AS r FROM {series(REVIEWS)}));
        INSERT INTO answer(review_id, question, code, answer, applies, remark, sheet, cell)
        SELECT x.id, q.question, {CODE}, NULL, 1, NULL, 'Tilsyn', 'E' || (q.position + 10)
        FROM review x CROSS JOIN (SELECT question, position, type FROM catalogue_question
            WHERE catalogue = 'kk-2025') q
        ORDER BY x.id, q.question;
        INSERT INTO answer_count
        SELECT r.catalogue, a.question, r.round_id, r.level, r.unit_id, r.measure, r.reviewer_id,
            count(*) FILTER (WHERE a.applies AND a.code = 1), count(*) FILTER (WHERE a.applies AND a.code = 2),
            count(*) FILTER (WHERE a.code = 3 OR (NOT a.applies AND a.code IS NOT NULL)),
            count(*) FILTER (WHERE a.code IS NULL), count(*) FILTER (WHERE a.applies AND a.code = 4),
            count(*) FILTER (WHERE a.applies AND a.code = 5), count(*) FILTER (WHERE a.applies AND a.code = 6)
        FROM answer a JOIN review r ON r.id = a.review_id
        GROUP BY 1, 2, 3, 4, 5, 6, 7;
        """)
    answers = db.execute("SELECT count(*) FROM answer").fetchone()[0]
    answered = db.execute("SELECT count(*) FROM answer WHERE code IN (1, 2)").fetchone()[0]
    # The case counts are the program's: stale counts make the next writer rebuild them.
    for table in ("case_count", "level_pair_count", "level_pair_case_count", "level_set_count",
                  "level_set_case_count"):
        db.execute(f"DELETE FROM {table}")
    db.execute("PRAGMA user_version = 0")
    db.commit()
    db.close()
    for arguments in (["config", "set", "baseline-level", "1"], ["config", "unset", "baseline-level"]):
        subprocess.run([str(tilsyn), *arguments, "--db", str(path)], check=True, capture_output=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    stamp = {"params": params, "cells": answers, "yes_or_no": answered}
    if levels > 2:
        # Items answered at every level, the expected count of agreement over all of them: a self-join here,
        # independent of the counts Tilsyn keeps.
        joins = "".join(
            f" JOIN review r{i} ON r{i}.case_id = r1.case_id AND r{i}.round_id = r1.round_id AND r{i}.level = {i}"
            f" JOIN answer a{i} ON a{i}.review_id = r{i}.id AND a{i}.question = a1.question"
            for i in range(2, levels + 1))
        codes = " AND ".join(f"a{i}.code IN (1, 2, 4, 5, 6)" for i in range(1, levels + 1))
        temanedslag = "(SELECT question FROM catalogue_question WHERE temanedslag)"
        stamp["compared"] = db.execute(
            f"SELECT count(*) FROM review r1 JOIN answer a1 ON a1.review_id = r1.id{joins} "
            f"WHERE r1.level = 1 AND {codes} AND a1.question NOT IN {temanedslag}").fetchone()[0]
    db.close()
    _stamp(path).write_text(json.dumps(stamp))
    return _with_apart(path, stamp)


def _upgrade(path: Path, tilsyn: Path, params: dict) -> dict:
    """Brings a store of `UPGRADABLE_STORE` up to the program's schema and case counts in place: `tilsyn config unset
    baseline-level` (the setting is not set) opens it for writing, which runs the missing migrations and rebuilds
    the kept counts; the answers and their stamped counts stay."""
    stamp = json.loads(_stamp(path).read_text())
    subprocess.run([str(tilsyn), "config", "unset", "baseline-level", "--db", str(path)], check=True,
                   capture_output=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    db.close()
    stamp["params"] = params
    _stamp(path).write_text(json.dumps(stamp))
    return stamp


def _with_apart(path: Path, stamp: dict) -> dict:
    """Adds to the stamp (once) the Ja and Nej answers outside the temanedslag, which every figure but those by
    question leaves out (they are a block of their own): the expected cells of `summary --by level`."""
    if "yes_or_no_apart" not in stamp:
        db = sqlite3.connect(path)
        stamp["yes_or_no_apart"] = db.execute("""
            SELECT count(*) FROM answer a JOIN review r ON r.id = a.review_id
            JOIN catalogue_question q ON q.catalogue = r.catalogue AND q.question = a.question
            WHERE a.applies AND a.code IN (1, 2) AND NOT q.temanedslag
            """).fetchone()[0]
        db.close()
        _stamp(path).write_text(json.dumps(stamp))
    return stamp


def duckdb_database(workdir: Path) -> dict:
    """The same reviews and answers in the DuckDB database `analysis.duckdb` (tables review, answer, question)."""
    import duckdb

    path = workdir / "analysis.duckdb"
    if _fresh(path):
        return _duckdb_apart(workdir, path, json.loads(_stamp(path).read_text()))
    path.unlink(missing_ok=True)
    questions = sqlite3.connect(workdir / "analysis.sqlite").execute(
        "SELECT question, position, type FROM catalogue_question WHERE catalogue = 'kk-2025'").fetchall()
    db = duckdb.connect(str(path))
    db.execute("SET enable_progress_bar = false")
    db.execute("CREATE TABLE question(question VARCHAR, position INTEGER, type VARCHAR)")
    db.executemany("INSERT INTO question VALUES (?, ?, ?)", questions)
    db.execute(f"CREATE TABLE round AS SELECT range::INTEGER AS id, 'R' || (2021 + range) AS name "
               f"FROM range(1, {ROUNDS + 1})")
    db.execute(f"CREATE TABLE unit AS SELECT range::INTEGER AS id, 'Enhed ' || range AS name "
               f"FROM range(1, {UNITS + 1})")
    # Integer division as in SQLite: // on integers.
    columns = REVIEW_COLUMNS.replace(" / 2", " // 2")
    db.execute(f"CREATE TABLE review AS SELECT {columns} FROM (SELECT range AS r FROM range(1, {REVIEWS + 1}))")
    db.execute(f"""
        CREATE TABLE answer AS
        SELECT x.id AS review_id, q.question, ({CODE})::INTEGER AS code, 1 AS applies
        FROM review x CROSS JOIN question q ORDER BY x.id, q.question
        """)
    answers = db.execute("SELECT count(*) FROM answer").fetchone()[0]
    # Items answered at both levels, the agreement group's expected count, computed by DuckDB.
    compared = db.execute("""
        SELECT count(*) FROM answer a1 JOIN review r1 ON r1.id = a1.review_id
        JOIN review r2 ON r2.case_id = r1.case_id AND r2.round_id = r1.round_id AND r2.level = 2
        JOIN answer a2 ON a2.review_id = r2.id AND a2.question = a1.question
        WHERE r1.level = 1 AND a1.code IN (1, 2, 4, 5, 6) AND a2.code IN (1, 2, 4, 5, 6)
        """).fetchone()[0]
    db.close()
    stamp = {"params": PARAMS, "cells": answers, "compared": compared}
    _stamp(path).write_text(json.dumps(stamp))
    return _duckdb_apart(workdir, path, stamp)


def _duckdb_apart(workdir: Path, path: Path, stamp: dict) -> dict:
    """Adds (once) the table `temanedslag` of the catalogue's temanedslag questions to the DuckDB twin, and to the
    stamp the items compared at levels 1 and 2 outside them: agreement leaves the temanedslag out unless grouped
    by question, so the peer does too."""
    import duckdb

    if "compared_apart" not in stamp:
        questions = sqlite3.connect(workdir / "analysis.sqlite").execute(
            "SELECT question FROM catalogue_question WHERE catalogue = 'kk-2025' AND temanedslag").fetchall()
        db = duckdb.connect(str(path))
        db.execute("CREATE OR REPLACE TABLE temanedslag(question VARCHAR)")
        db.executemany("INSERT INTO temanedslag VALUES (?)", questions)
        stamp["compared_apart"] = db.execute("""
            SELECT count(*) FROM answer a1 JOIN review r1 ON r1.id = a1.review_id
            JOIN review r2 ON r2.case_id = r1.case_id AND r2.round_id = r1.round_id AND r2.level = 2
            JOIN answer a2 ON a2.review_id = r2.id AND a2.question = a1.question
            WHERE r1.level = 1 AND a1.code IN (1, 2, 4, 5, 6) AND a2.code IN (1, 2, 4, 5, 6)
                AND a1.question NOT IN (SELECT question FROM temanedslag)
            """).fetchone()[0]
        db.close()
        _stamp(path).write_text(json.dumps(stamp))
    return stamp
