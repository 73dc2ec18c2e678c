"""PostgreSQL for the `postgres-*` groups: the throwaway test server, empty databases, and the 10 M-answer store
copied into it.

The server is the test suite's own (`Tests/Postgres/server`): PostgreSQL on 127.0.0.1:54329, its data in /tmp,
`fsync=off`, the role `tilsyn` (which may create databases) with its password in a password file. It is started the
way the tests start it: the script is run (it starts the server only when it is not running) and the two lines it
prints, `export TILSYN_TEST_POSTGRES='postgres://…'` and `export PGPASSFILE='…'`, are read into the environment of
the children that talk to it. No password is ever on a command line or in a URL.

The analysis store is copied once and stamped (`.work/postgres-analysis.params.json`): database
`tilsyn_bench_analysis` holds `analysis.sqlite`'s rows, table by table, for the source file of the size and
modification time recorded there. The schema is the program's own: `tilsyn import` of a one-line CSV makes it in
the empty database, as `analysis_inputs.store` makes the SQLite store's (a store is only ever made by a writer; `tilsyn
config get` and the other readers refuse an empty database). The rows are read with Python's sqlite3 and fed to
`COPY … FROM STDIN` through psql as a stream.
"""

from __future__ import annotations

import json
import shlex
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SERVER_SCRIPT = Path(__file__).resolve().parent.parent / "Tests" / "Postgres" / "server"
ANALYSIS_DATABASE = "tilsyn_bench_analysis"
ANALYSIS_PARAMS = {"database": ANALYSIS_DATABASE, "source": "analysis.sqlite", "version": 1}
# Tables that record a schema's history, each filled by its own back end's migrations: never copied.
BOOKKEEPING = {"tilsyn_migration", "grdb_migrations", "sqlite_stat1", "sqlite_sequence"}


@dataclass
class Server:
    """The running test server: the URL of its `tilsyn` database, the environment a client needs (PGPASSFILE) and
    the psql of the newest PostgreSQL installed."""

    url: str
    environment: dict[str, str]
    psql: str

    def database_url(self, name: str) -> str:
        """The URL of database `name` on this server (the same user, host, port and sslmode)."""
        return urlunsplit(urlsplit(self.url)._replace(path="/" + name))

    def run(self, sql: str, database: str | None = None) -> str:
        """Runs `sql` with psql (each `-c` in its own transaction) and returns its unaligned output."""
        url = self.database_url(database) if database else self.url
        result = subprocess.run([self.psql, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                                capture_output=True, text=True, env=self.environment)
        if result.returncode != 0:
            raise RuntimeError(f"psql -c {sql!r} failed: {result.stderr.strip()}")
        return result.stdout.strip()

    def reset(self, name: str) -> None:
        """Drops database `name` (closing its connections) and creates it again, empty."""
        self.run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.run(f"CREATE DATABASE {name}")

    def exists(self, name: str) -> bool:
        return self.run(f"SELECT count(*) FROM pg_database WHERE datname = '{name}'") == "1"


def newest_bin() -> Path | None:
    """The bin folder of the newest PostgreSQL installed (Debian's /usr/lib/postgresql/N/bin), as the script finds
    it."""
    folders = [path for path in Path("/usr/lib/postgresql").glob("*/bin") if path.parent.name.isdigit()]
    return max(folders, key=lambda path: int(path.parent.name)) if folders else None


def start_server(environment: dict[str, str]) -> tuple[Server | None, str | None]:
    """Starts the test server (idempotent); returns (server, None) or (None, why not)."""
    folder = newest_bin()
    if folder is None or not (folder / "psql").exists():
        return None, "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/psql): apt-get install postgresql"
    if not SERVER_SCRIPT.exists():
        return None, f"no {SERVER_SCRIPT}"
    result = subprocess.run([str(SERVER_SCRIPT)], capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        tail = " | ".join(result.stderr.strip().splitlines()[-2:]) or f"exit {result.returncode}"
        return None, f"{SERVER_SCRIPT.relative_to(SERVER_SCRIPT.parents[2])} failed: {tail}"
    exports = {}
    for line in result.stdout.splitlines():
        words = shlex.split(line)
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            name, _, value = words[1].partition("=")
            exports[name] = value
    if "TILSYN_TEST_POSTGRES" not in exports or "PGPASSFILE" not in exports:
        return None, f"{SERVER_SCRIPT.name} printed no TILSYN_TEST_POSTGRES and PGPASSFILE: {result.stdout.strip()!r}"
    server = Server(exports["TILSYN_TEST_POSTGRES"], {**environment, "PGPASSFILE": exports["PGPASSFILE"]},
                    str(folder / "psql"))
    try:
        server.run("SELECT 1")
    except RuntimeError as error:
        return None, str(error)
    return server, None


def _stamp(workdir: Path) -> Path:
    return workdir / "postgres-analysis.params.json"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy_line(columns: list[str]) -> str:
    """SQLite expression that renders a row as one line of COPY's text format: fields separated by a tab, NULL as
    \\N, and backslash, tab, line feed and carriage return escaped. Made in SQLite, so Python only joins lines."""
    fields = []
    for column in columns:
        text = f"CAST({_quote(column)} AS TEXT)"
        for character, escaped in (("'\\'", "'\\\\'"), ("char(9)", "'\\t'"), ("char(10)", "'\\n'"),
                                   ("char(13)", "'\\r'")):
            text = f"replace({text}, {character}, {escaped})"
        fields.append(f"CASE WHEN {_quote(column)} IS NULL THEN '\\N' ELSE {text} END")
    return " || char(9) || ".join(fields)


def analysis_database(workdir: Path, tilsyn: Path, server: Server, source_stamp: dict) -> dict:
    """Database `tilsyn_bench_analysis` with every row of `analysis.sqlite`, made once and stamped.

    The database is dropped and created empty; `tilsyn import` of a one-line CSV makes the program's schema in it (and
    records its migration in `tilsyn_migration`). The tables both stores have, less the schema bookkeeping
    (`tilsyn_migration`, `grdb_migrations`, `sqlite_stat1`), are emptied (the seed's rows with them) and filled,
    parents before the tables that refer to them, each with one `COPY table (columns) FROM STDIN` fed by psql from
    SQLite's rows as they are read.
    Then every identity column's sequence is set past the largest id, the database is analysed, and the rows of every
    table are counted on both sides: they must be equal."""
    source = workdir / "analysis.sqlite"
    status = source.stat()
    params = {**ANALYSIS_PARAMS, "server": urlsplit(server.url).netloc, "source_bytes": status.st_size,
              "source_mtime_ns": status.st_mtime_ns, "store": source_stamp.get("params")}
    stamp_path = _stamp(workdir)
    if stamp_path.exists():
        stamp = json.loads(stamp_path.read_text())
        if stamp.get("params") == params and server.exists(ANALYSIS_DATABASE):
            try:
                answers = int(server.run("SELECT count(*) FROM answer", ANALYSIS_DATABASE))
            except RuntimeError:
                answers = -1
            if answers == stamp["tables"]["answer"]:
                return stamp
    stamp_path.unlink(missing_ok=True)
    url = server.database_url(ANALYSIS_DATABASE)
    server.reset(ANALYSIS_DATABASE)
    seed = workdir / "postgres-seed.csv"
    seed.write_text(
        "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato\r\n"
        "S-1;1;2025;U.1;Ja;;Enhed 1;32;AB;14-03-2025\r\n",
        encoding="utf-8-sig",
    )
    made = subprocess.run([str(tilsyn), "import", str(seed), "--db", url], capture_output=True, text=True,
                          env=server.environment)
    if made.returncode != 0:
        raise RuntimeError(f"tilsyn import {seed.name} --db {url} failed: {made.stderr.strip()}")

    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        lite_tables = {name for (name,) in lite.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        pg_columns: dict[str, list[str]] = {}
        for line in server.run("SELECT table_name, column_name FROM information_schema.columns "
                               "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
                               ANALYSIS_DATABASE).splitlines():
            table, column = line.split("|")
            pg_columns.setdefault(table, []).append(column)
        tables = sorted((lite_tables & set(pg_columns)) - BOOKKEEPING)
        only = sorted((lite_tables ^ set(pg_columns)) - BOOKKEEPING)
        if only:
            raise RuntimeError(f"tables in only one of the stores: {', '.join(only)}; is analysis.sqlite at the "
                               "program's schema?")
        columns = {}
        for table in tables:
            lite_columns = [row[1] for row in lite.execute(f"PRAGMA table_info({_quote(table)})")]
            if sorted(lite_columns) != sorted(pg_columns[table]):
                raise RuntimeError(f"{table}: SQLite has columns {lite_columns}, PostgreSQL {pg_columns[table]}")
            columns[table] = lite_columns

        # Parents first: a table after every table its foreign keys refer to.
        references: dict[str, set[str]] = {table: set() for table in tables}
        for line in server.run("SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
                               "WHERE contype = 'f'", ANALYSIS_DATABASE).splitlines():
            child, parent = line.split("|")
            if child in references and parent in references and child != parent:
                references[child].add(parent)
        order: list[str] = []
        while len(order) < len(tables):
            ready = [table for table in tables if table not in order and references[table] <= set(order)]
            if not ready:
                raise RuntimeError("foreign keys form a cycle")
            order += ready

        server.run("TRUNCATE " + ", ".join(order), ANALYSIS_DATABASE)
        for table in order:
            _copy_table(lite, server, url, table, columns[table])
        for line in server.run("SELECT table_name, column_name FROM information_schema.columns "
                               "WHERE table_schema = 'public' AND is_identity = 'YES'", ANALYSIS_DATABASE).splitlines():
            table, column = line.split("|")
            server.run(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                       f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)", ANALYSIS_DATABASE)
        server.run("ANALYZE", ANALYSIS_DATABASE)

        counts = {}
        for table in order:
            ours = lite.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]
            theirs = int(server.run(f"SELECT count(*) FROM {table}", ANALYSIS_DATABASE))
            if ours != theirs:
                raise RuntimeError(f"{table}: {ours:,} rows in analysis.sqlite but {theirs:,} in {ANALYSIS_DATABASE}")
            counts[table] = ours
    finally:
        lite.close()
    stamp = {"params": params, "cells": counts["answer"], "tables": counts}
    stamp_path.write_text(json.dumps(stamp))
    return stamp


def _copy_table(lite: sqlite3.Connection, server: Server, url: str, table: str, columns: list[str]) -> None:
    """Streams `table`'s rows from SQLite into the same table on the server: one COPY through psql's stdin."""
    names = ", ".join(_quote(column) for column in columns)
    copy = subprocess.Popen(
        [server.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", f"COPY {table} ({names}) FROM STDIN"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=server.environment)
    assert copy.stdin is not None
    cursor = lite.execute(f"SELECT {_copy_line(columns)} FROM {_quote(table)}")
    try:
        while rows := cursor.fetchmany(20_000):
            copy.stdin.write(("\n".join(row[0] for row in rows) + "\n").encode("utf-8"))
    except BrokenPipeError:
        pass
    finally:
        copy.stdin.close()
    error = copy.stderr.read().decode("utf-8", "replace") if copy.stderr else ""
    if copy.wait() != 0:
        raise RuntimeError(f"COPY {table} failed: {error.strip()}")

