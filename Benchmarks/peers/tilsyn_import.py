"""Runs `tilsyn import FOLDER --db DB` into an empty store and reports like a peer: its wall time, and the answers
the store holds afterwards.

    tilsyn_import.py TILSYN FOLDER DB [PSQL]

DB is an SQLite file or a `postgres://` URL (the password from PGPASSFILE, ~/.pgpass or PGPASSWORD, as tilsyn
reads it). The harness empties the store before every run, untimed: it removes the SQLite file's folder, or drops
and creates the PostgreSQL database. `work_seconds` is the tilsyn process's wall time (start-up, opening the store
and making its schema, reading, validating and storing every file), measured around it; this script's own start-up
is left out. The count is taken after the timed run, untimed, from the store itself: `SELECT count(*) FROM answer`
with Python's sqlite3 for a file, with PSQL (the psql of the server's PostgreSQL) for a URL.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time


def main() -> None:
    if "--baseline" in sys.argv:
        print("cells=0")
        return
    tilsyn, folder, db = sys.argv[1:4]
    start = time.perf_counter()
    result = subprocess.run([tilsyn, "import", folder, "--db", db], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(result.returncode)
    print(f"cells={stored_answers(db, sys.argv[4] if len(sys.argv) > 4 else 'psql')}")
    print(f"work_seconds={elapsed:.6f}")


def stored_answers(db: str, psql: str) -> int:
    """The rows of the store's `answer` table."""
    if db.startswith(("postgres://", "postgresql://")):
        result = subprocess.run([psql, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db,
                                 "-c", "SELECT count(*) FROM answer"], capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            raise SystemExit(result.returncode)
        return int(result.stdout.strip())
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM answer").fetchone()[0]
    finally:
        connection.close()


if __name__ == "__main__":
    main()
