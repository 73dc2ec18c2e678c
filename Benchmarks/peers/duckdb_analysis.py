"""DuckDB peer of the analysis group: the same questions as `tilsyn summary` and `tilsyn agreement`.

    duckdb_analysis.py summary DB     compliance by question × unit × round  -> cells = Σ (Ja + Nej) over the groups
    duckdb_analysis.py agreement DB   agreement between levels 1 and 2     -> cells = items compared
    duckdb_analysis.py --baseline     import only

DuckDB aggregates the answers themselves (it has no counts kept by an import). Prints `cells=N`,
`groups=G` and `work_seconds=S` (connect to last result row).
"""

from __future__ import annotations

import sys
import time

import duckdb

SUMMARY = """
    SELECT a.question, u.name AS unit, d.name AS round,
        count(*) FILTER (WHERE a.applies = 1 AND a.code = 1) AS yes,
        count(*) FILTER (WHERE a.applies = 1 AND a.code = 2) AS no,
        count(*) FILTER (WHERE a.code = 3 OR (a.applies = 0 AND a.code IS NOT NULL)) AS not_applicable,
        count(*) FILTER (WHERE a.code IS NULL) AS unanswered,
        count(*) FILTER (WHERE a.applies = 1 AND a.code = 4) AS low,
        count(*) FILTER (WHERE a.applies = 1 AND a.code = 5) AS some,
        count(*) FILTER (WHERE a.applies = 1 AND a.code = 6) AS high
    FROM answer a JOIN review r ON r.id = a.review_id JOIN unit u ON u.id = r.unit_id
    JOIN round d ON d.id = r.round_id
    GROUP BY a.question, u.name, d.name
"""

AGREEMENT = """
    SELECT count(*) AS compared, count(*) FILTER (WHERE a1.code = a2.code) AS agree,
        count(*) FILTER (WHERE a1.code = 1 AND a2.code = 2) AS yes_to_no,
        count(*) FILTER (WHERE a1.code = 2 AND a2.code = 1) AS no_to_yes
    FROM review r1 JOIN answer a1 ON a1.review_id = r1.id
    JOIN review r2 ON r2.case_id = r1.case_id AND r2.round_id = r1.round_id AND r2.level = 2
    JOIN answer a2 ON a2.review_id = r2.id AND a2.question = a1.question
    WHERE r1.level = 1 AND a1.applies = 1 AND a2.applies = 1
        AND a1.code IN (1, 2, 4, 5, 6) AND a2.code IN (1, 2, 4, 5, 6)
        -- As tilsyn agreement: the temanedslag are compared only when grouped by question.
        AND a1.question NOT IN (SELECT question FROM temanedslag)
"""


def main() -> None:
    if "--baseline" in sys.argv:
        print("cells=0")
        return
    command, path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    db = duckdb.connect(path, read_only=True)
    db.execute("SET enable_progress_bar = false")
    if command == "summary":
        rows = db.execute(SUMMARY).fetchall()
        cells = sum(row[3] + row[4] for row in rows)
    elif command == "agreement":
        rows = db.execute(AGREEMENT).fetchall()
        cells = rows[0][0]
    else:
        raise SystemExit(f"unknown command {command}")
    elapsed = time.perf_counter() - start
    print(f"cells={cells}")
    print(f"groups={len(rows)}")
    print(f"work_seconds={elapsed:.6f}")


if __name__ == "__main__":
    main()
