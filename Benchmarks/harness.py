"""Tilsyn benchmark harness: our readers and their Python peers, side by side, in one run.

Started by `Benchmarks/run` with the benchmark venv's Python. It builds the Swift benchmark
executable (release), generates deterministic inputs into Benchmarks/.work/, runs every reader as
its own child process (best of N runs, wall time and that child's peak RSS from wait4), checks
that all readers saw the same number of cells, prints a table with ratios and the targets, and
writes Benchmarks/.work/results.json.

Adding a benchmark group: write a function `group_NAME(context) -> Group` that prepares its inputs
and returns readers and targets, and append it to GROUPS. See Benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import analysis_inputs
import inputs
import postgres_inputs

HERE = Path(__file__).resolve().parent
PEERS = HERE / "peers"
WORK = HERE / ".work"
TILSYN = "tilsyn"
CHILD_TIMEOUT_SECONDS = 900


# ----------------------------------------------------------------------------------------------
# Model


@dataclass
class Reader:
    """One contender on one input: a command whose stdout has `cells=N` (or `fields=N`)."""

    name: str
    command: list[str]
    # Command that only starts up (imports, no work); its peak RSS is reported as the baseline.
    baseline: list[str] | None = None
    # Set when the reader cannot run at all (e.g. the Swift build failed).
    unavailable: str | None = None
    # The cell count this reader must report, when it differs from the group's (e.g. a smaller run of ours).
    expected_cells: int | None = None
    # Called before every run, untimed: e.g. to give a writer an empty output folder.
    prepare: Callable[[], None] | None = None
    # The child's environment when it is not the harness's own (e.g. with PGPASSFILE for the PostgreSQL server).
    environment: dict[str, str] | None = None


@dataclass
class Run:
    wall_seconds: float
    work_seconds: float | None
    peak_rss_bytes: int
    cells: int | None
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class Measurement:
    reader: str
    runs: list[Run] = field(default_factory=list)
    baseline_rss_bytes: int | None = None
    cells: int | None = None
    error: str | None = None
    unavailable: str | None = None
    # Set when the reader saw a different number of cells than the input holds.
    mismatch: bool = False
    expected_cells: int | None = None

    @property
    def ok(self) -> bool:
        """Measured, and its count agrees: usable for ratios and targets."""
        return self.error is None and self.unavailable is None and bool(self.runs) and not self.mismatch

    @property
    def best(self) -> Run:
        return min(self.runs, key=lambda run: run.wall_seconds)

    @property
    def seconds(self) -> float:
        """Time compared in ratios: the child's own work time if it reports one (excludes
        interpreter start-up and imports), else its wall time. Best of the runs."""
        return min(run.work_seconds if run.work_seconds is not None else run.wall_seconds for run in self.runs)

    @property
    def wall_seconds(self) -> float:
        return min(run.wall_seconds for run in self.runs)

    @property
    def peak_rss_bytes(self) -> int:
        return min(run.peak_rss_bytes for run in self.runs)


@dataclass
class Target:
    """A goal from the issue, evaluated on the group's measurements."""

    description: str
    check: Callable[[dict[str, Measurement]], tuple[bool, str]]
    # Readers whose measurements the check needs.
    needs: tuple[str, ...]
    # The rows it is judged on: "both", "one" (`[1 core]` only: issue 16's targets against single-threaded peers)
    # or "all" (`[all cores]` only).
    cores: str = "both"


@dataclass
class Group:
    name: str
    input_label: str
    expected_cells: int
    readers: list[Reader]
    targets: list[Target] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    # (reader, reader it is compared with): the ratio of their times is printed, for groups that set our own readers
    # side by side (PostgreSQL beside SQLite) rather than tilsyn beside a peer.
    time_ratios: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Context:
    python: str
    runs: int
    tilsyn_binary: Path | None
    tilsyn_unavailable: str | None
    workdir: Path
    skip_build: bool = False


# ----------------------------------------------------------------------------------------------
# Running children


def build_launcher() -> Path:
    """Compile measure.c (the child launcher that reports a child's own peak RSS) if needed."""
    source = HERE / "measure.c"
    binary = WORK / "measure"
    if binary.exists() and binary.stat().st_mtime >= source.stat().st_mtime:
        return binary
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        raise SystemExit("error: no C compiler (cc, gcc or clang) to build Benchmarks/measure.c; set CC")
    build = subprocess.run([compiler, "-O2", "-o", str(binary), str(source)], capture_output=True, text=True)
    if build.returncode != 0:
        raise SystemExit(f"error: compiling Benchmarks/measure.c failed:\n{build.stderr}")
    return binary


LAUNCHER: Path | None = None
# Whether the runs being measured are pinned to one core (`taskset -c 0`): the "one core" rows.
ONE_CORE = False


def measure_once(command: list[str], environment: dict[str, str] | None = None) -> Run:
    """Run `command` through the launcher and read its wall time and its own peak RSS (wait4); on one core when
    `ONE_CORE` is set, the launcher and every process and thread it starts pinned to CPU 0. `environment` is the
    child's, when not the harness's own."""
    assert LAUNCHER is not None, "build_launcher() first"
    if ONE_CORE:
        command = ["taskset", "-c", "0", *command]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".measure") as result:
        process = subprocess.Popen(
            [str(LAUNCHER), result.name, *command], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            env=environment,
        )
        try:
            launcher_code = process.wait(timeout=CHILD_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()  # The child dies with it (PR_SET_PDEATHSIG).
            process.wait()
            launcher_code = None
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        report = result.read().split()
    if launcher_code is None:
        return Run(CHILD_TIMEOUT_SECONDS, None, 0, None, -1, stdout,
                   stderr + f"\ntimed out after {CHILD_TIMEOUT_SECONDS} s")
    if launcher_code != 0 or len(report) != 3:
        return Run(0, None, 0, None, -1, stdout, stderr + f"\nlauncher failed (exit {launcher_code})")
    wall, rss_kib, exit_code = float(report[0]), int(report[1]), int(report[2])
    values = parse_key_values(stdout)
    cells = values.get("cells", values.get("fields"))
    work = values.get("work_seconds", values.get("seconds"))
    return Run(
        wall_seconds=wall,
        work_seconds=float(work) if work is not None else None,
        peak_rss_bytes=rss_kib * 1024,  # Linux reports KiB.
        cells=int(cells) if cells is not None else None,
        exit_code=exit_code,
        stdout=stdout,
        stderr=stderr,
    )


def parse_key_values(stdout: str) -> dict[str, str]:
    values = {}
    for line in stdout.splitlines():
        key, separator, value = line.strip().partition("=")
        if separator:
            values[key] = value
    return values


def describe_failure(run: Run) -> str:
    tail = (run.stderr.strip() or run.stdout.strip()).splitlines()[-3:]
    return f"exit {run.exit_code}: " + (" | ".join(tail) if tail else "no output")


def measure(reader: Reader, runs: int) -> Measurement:
    measurement = Measurement(
        reader=reader.name, unavailable=reader.unavailable, expected_cells=reader.expected_cells)
    if reader.unavailable:
        return measurement
    for _ in range(runs):
        if reader.prepare is not None:
            try:
                reader.prepare()
            except (OSError, RuntimeError, subprocess.SubprocessError) as error:
                measurement.error = f"preparing the run failed: {error}"
                return measurement
        run = measure_once(reader.command, reader.environment)
        if run.stdout.strip() == "unsupported":
            measurement.unavailable = "unsupported"
            return measurement
        if run.exit_code != 0 or run.cells is None:
            measurement.error = describe_failure(run) if run.exit_code != 0 else "no cells=N line in output"
            return measurement
        if measurement.runs and run.cells != measurement.runs[0].cells:
            measurement.error = f"cell count changed between runs: {measurement.runs[0].cells} then {run.cells}"
            return measurement
        measurement.runs.append(run)
    measurement.cells = measurement.runs[0].cells
    if reader.baseline:
        baseline = measure_once(reader.baseline, reader.environment)
        if baseline.exit_code == 0:
            measurement.baseline_rss_bytes = baseline.peak_rss_bytes
    return measurement


# ----------------------------------------------------------------------------------------------
# Building our side


def build_tilsyn(skip: bool) -> tuple[Path | None, str | None]:
    """Build tilsyn-bench in release mode; returns (binary, None) or (None, reason)."""
    swift = shutil.which("swift")
    if swift is None:
        return None, "swift not found on PATH"
    package = ["--package-path", str(HERE)]
    if not skip:
        print("Building tilsyn-bench (release) ...", flush=True)
        # SwiftPM keeps the main package's list of source files from the last build of this package (the main
        # package is a path dependency), so a file added to Sources/ since then is not compiled and the build fails
        # with "cannot find … in scope". The build plan is cheap to make again; the compiled objects stay.
        for plan in [HERE / ".build" / "release.yaml", *HERE.glob(".build/*/release/description.json")]:
            plan.unlink(missing_ok=True)
        build = subprocess.run(
            [swift, "build", "-c", "release", *package, "--product", "tilsyn-bench"],
            capture_output=True, text=True,
        )
        if build.returncode != 0:
            log = WORK / "swift-build.log"
            write_work_file(log, build.stdout + build.stderr)
            tail = "\n    ".join((build.stdout + build.stderr).strip().splitlines()[-8:])
            print(f"  swift build failed (full log: {log}):\n    {tail}", flush=True)
            return None, f"build failed, see {log}"
    bin_path = subprocess.run(
        [swift, "build", "-c", "release", *package, "--show-bin-path"], capture_output=True, text=True
    )
    binary = Path(bin_path.stdout.strip()) / "tilsyn-bench"
    if bin_path.returncode != 0 or not binary.exists():
        return None, f"no binary at {binary}"
    return binary, None


def tilsyn_reader(context: Context, *arguments: str) -> Reader:
    if context.tilsyn_binary is None:
        return Reader(TILSYN, [], unavailable=context.tilsyn_unavailable or "not built")
    return Reader(TILSYN, [str(context.tilsyn_binary), *arguments])


def peer_reader(context: Context, name: str, script: str, *arguments: str) -> Reader:
    path = str(PEERS / script)
    return Reader(name, [context.python, path, *arguments], baseline=[context.python, path, "--baseline"])


def write_work_file(path: Path, text: str) -> None:
    """Writes `text` to `path` in .work/ as a new file, so that an entry linked from another checkout's .work/ (as a
    worktree may share the prepared inputs) is replaced here, never written through."""
    path.unlink(missing_ok=True)
    path.write_text(text)


def prepare(label: str, generator: Callable[[Path], dict], workdir: Path) -> dict:
    start = time.perf_counter()
    print(f"Preparing {label} ...", end=" ", flush=True)
    stamp = generator(workdir)
    elapsed = time.perf_counter() - start
    print(f"ready ({stamp['cells']:,} cells, {elapsed:.1f} s)", flush=True)
    return stamp


# ----------------------------------------------------------------------------------------------
# Targets


def speed_ratio(ours: Measurement, peer: Measurement) -> float:
    """How many times more cells per second we read than the peer."""
    assert ours.cells is not None and peer.cells is not None
    return (ours.cells / ours.seconds) / (peer.cells / peer.seconds)


def target_speed(peer: str, minimum: float, ours: str = TILSYN) -> Target:
    def check(by_name: dict[str, Measurement]) -> tuple[bool, str]:
        ratio = speed_ratio(by_name[ours], by_name[peer])
        return ratio >= minimum, f"{ratio:.2f}×"

    mine = "" if ours == TILSYN else f" ({ours})"
    return Target(f"cells/s{mine} ≥ {minimum:g}× {peer}", check, (ours, peer))


def per_core(target: Target, cores: str = "one") -> Target:
    """`target` judged only on the `[1 core]` rows (or, with cores="all", only on the `[all cores]` rows)."""
    label = {"one": "issue 16, one core", "all": "issue 16, all cores"}[cores]
    return dataclasses.replace(target, description=f"{target.description} ({label})", cores=cores)


def target_rss_below(peer: str) -> Target:
    def check(by_name: dict[str, Measurement]) -> tuple[bool, str]:
        ours, theirs = by_name[TILSYN].peak_rss_bytes, by_name[peer].peak_rss_bytes
        return ours < theirs, f"{mib(ours):.1f} vs {mib(theirs):.1f} MiB"

    return Target(f"peak RSS < {peer}", check, (TILSYN, peer))


def target_time_fraction(peer: str, maximum: float) -> Target:
    def check(by_name: dict[str, Measurement]) -> tuple[bool, str]:
        fraction = by_name[TILSYN].seconds / by_name[peer].seconds
        return fraction <= maximum, f"{fraction:.2f}× its time"

    return Target(f"time ≤ {maximum:g}× {peer}", check, (TILSYN, peer))


# ----------------------------------------------------------------------------------------------
# Groups. Each prepares its inputs and returns the readers to measure and the targets.


def xlsx_peers(context: Context, files: list[str]) -> list[Reader]:
    return [
        tilsyn_reader(context, "xlsx", *files),
        peer_reader(context, "fastexcel", "fastexcel_xlsx.py", *files),
        peer_reader(context, "python-calamine", "calamine_xlsx.py", *files),
        peer_reader(context, "openpyxl", "openpyxl_xlsx.py", *files),
    ]


def group_xlsx_large(context: Context) -> Group:
    stamp = prepare("large.xlsx", inputs.large_xlsx, context.workdir)
    files = [str(context.workdir / "large.xlsx")]
    return Group(
        name="xlsx-large",
        input_label=f"large.xlsx ({stamp['cells']:,} cells, 1 sheet)",
        expected_cells=stamp["cells"],
        readers=xlsx_peers(context, files),
        targets=[
            target_speed("fastexcel", 1.0),
            target_speed("python-calamine", 2.0),
            target_rss_below("fastexcel"),
            target_rss_below("python-calamine"),
            per_core(target_speed("fastexcel", 1.1)),
        ],
    )


def group_xlsx_templates(context: Context) -> Group:
    stamp = prepare("templates/", inputs.templates, context.workdir)
    files = inputs.template_files(context.workdir)
    if len(files) != stamp["params"]["count"]:
        raise SystemExit(f"error: expected {stamp['params']['count']} templates, found {len(files)}; "
                         f"delete {context.workdir / 'templates'} and run again")
    return Group(
        name="xlsx-templates",
        input_label=f"templates/ ({len(files):,} workbooks, {stamp['cells']:,} cells)",
        expected_cells=stamp["cells"],
        readers=xlsx_peers(context, files) + [
            # For comparison: one file after another on one core, as the peers read them.
            Reader(f"{TILSYN} (one core)", [str(context.tilsyn_binary), "xlsx-sequential", *files])
            if context.tilsyn_binary is not None
            else Reader(f"{TILSYN} (one core)", [], unavailable=context.tilsyn_unavailable or "not built"),
        ],
        targets=[
            target_time_fraction("fastexcel", 0.6),
            # Issue 16: at most 0.7× the best peer's time, so 0.7× each.
            per_core(target_time_fraction("python-calamine", 0.7)), per_core(target_time_fraction("fastexcel", 0.7)),
        ],
    )


def group_csv(context: Context) -> Group:
    stamp = prepare("large.csv", inputs.large_csv, context.workdir)
    path = str(context.workdir / "large.csv")
    return Group(
        name="csv",
        input_label=f"large.csv ({stamp['cells']:,} fields)",
        expected_cells=stamp["cells"],
        readers=[
            tilsyn_reader(context, "csv", path),
            # The same read with every field made a Swift String, as Python's csv module makes str objects.
            Reader(f"{TILSYN} (strings)", [str(context.tilsyn_binary), "csv-strings", path])
            if context.tilsyn_binary is not None
            else Reader(f"{TILSYN} (strings)", [], unavailable=context.tilsyn_unavailable or "not built"),
            peer_reader(context, "python csv", "csv_module.py", path),
            peer_reader(context, "polars", "polars_csv.py", path),
        ],
        targets=[
            target_speed("python csv", 5.0), per_core(target_speed("python csv", 5.0, f"{TILSYN} (strings)")),
        ],
    )


# Writing: our writer side by side with XlsxWriter (Python) and libxlsxwriter (C, through peers/libxlsxwriter_write.c).

WRITE_LEVEL = 6  # zlib level of the targets; libxlsxwriter and XlsxWriter both deflate at zlib's default, 6.
LARGE_ROWS, LARGE_COLUMNS = 100_000, 10
SMALL_ROWS = 10_000  # our writer again at a tenth of the rows: peak RSS must not grow with the rows.
TEMPLATE_COUNT = 1000


def build_libxlsxwriter_driver() -> tuple[Path | None, str | None]:
    """Compile peers/libxlsxwriter_write.c against the system libxlsxwriter (Debian libxlsxwriter-dev)."""
    source = PEERS / "libxlsxwriter_write.c"
    binary = WORK / "libxlsxwriter_write"
    if binary.exists() and binary.stat().st_mtime >= source.stat().st_mtime:
        return binary, None
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        return None, "no C compiler (cc, gcc or clang)"
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "xlsxwriter"], capture_output=True, text=True)
    libraries = flags.stdout.split() if flags.returncode == 0 else ["-lxlsxwriter"]
    build = subprocess.run(
        [compiler, "-O2", "-o", str(binary), str(source), *libraries], capture_output=True, text=True)
    if build.returncode != 0:
        return None, "cannot build peers/libxlsxwriter_write.c (install libxlsxwriter-dev): " + \
            " | ".join(build.stderr.strip().splitlines()[-2:])
    return binary, None


def fresh_folder(folder: Path) -> Callable[[], None]:
    """A prepare step that gives a writer an empty folder, so no run replaces files of the one before (on ext4,
    replacing a file forces its predecessor's data to disk and would time the disk instead of the writer)."""
    def prepare() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    return prepare


def writers(context: Context, name: str, ours: list[str], peer: list[str]) -> list[Reader]:
    """Our writer, libxlsxwriter and XlsxWriter on the same job; `ours` and `peer` are the job's arguments
    with OUT as a placeholder for each writer's own output folder."""
    base = WORK / "write" / name
    driver, unavailable = build_libxlsxwriter_driver()

    def place(arguments: list[str], who: str) -> list[str]:
        return [str(base / who) + argument[3:] if argument.startswith("OUT") else argument for argument in arguments]

    ours_reader = tilsyn_reader(context, *place(ours, "tilsyn"), "--level", str(WRITE_LEVEL))
    ours_reader.prepare = fresh_folder(base / "tilsyn")
    c_reader = Reader("libxlsxwriter", [str(driver), *place(peer, "libxlsxwriter")] if driver else [],
                      unavailable=unavailable, prepare=fresh_folder(base / "libxlsxwriter"))
    python_reader = peer_reader(context, "XlsxWriter", "xlsxwriter_write.py", *place(peer, "xlsxwriter"))
    python_reader.prepare = fresh_folder(base / "xlsxwriter")
    return [ours_reader, c_reader, python_reader]


def target_rss_flat(small: str, ratio: float) -> Target:
    def check(by_name: dict[str, Measurement]) -> tuple[bool, str]:
        large, little = by_name[TILSYN].peak_rss_bytes, by_name[small].peak_rss_bytes
        return large <= little * ratio, f"{mib(large):.1f} MiB at 10× the rows vs {mib(little):.1f} MiB"

    return Target(f"peak RSS at 10× the rows ≤ {ratio:g}× ({small})", check, (TILSYN, small))


def group_write_large(context: Context) -> Group:
    cells = LARGE_ROWS * LARGE_COLUMNS
    readers = writers(context, "large", ["write-xlsx", "OUT/large.xlsx", str(LARGE_ROWS), str(LARGE_COLUMNS)],
                      ["large", "OUT/large.xlsx", str(LARGE_ROWS), str(LARGE_COLUMNS)])
    small_name = f"{TILSYN} ({SMALL_ROWS * LARGE_COLUMNS:,} cells)"
    small = tilsyn_reader(context, "write-xlsx", str(WORK / "write" / "small" / "small.xlsx"), str(SMALL_ROWS),
                          str(LARGE_COLUMNS), "--level", str(WRITE_LEVEL))
    small.name, small.expected_cells = small_name, SMALL_ROWS * LARGE_COLUMNS
    small.prepare = fresh_folder(WORK / "write" / "small")
    fast = tilsyn_reader(context, "write-xlsx", str(WORK / "write" / "fast" / "large.xlsx"), str(LARGE_ROWS),
                         str(LARGE_COLUMNS), "--level", "1")
    fast.name, fast.prepare = f"{TILSYN} (zlib level 1)", fresh_folder(WORK / "write" / "fast")
    return Group(
        name="write-large",
        input_label=f"one sheet, {LARGE_ROWS:,} rows × {LARGE_COLUMNS} columns = {cells:,} cells, inline strings "
                    f"(constant memory), zlib level {WRITE_LEVEL}",
        expected_cells=cells,
        readers=readers + [small, fast],
        targets=[
            target_speed("libxlsxwriter", 1.0),
            target_speed("XlsxWriter", 5.0),
            target_rss_flat(small_name, 1.1),
        ],
    )


def template_cells(count: int) -> int:
    """Cells in `count` templates as Write.swift, xlsxwriter_write.py and libxlsxwriter_write.c write them."""
    total = 0
    for number in range(count):
        questions = 42 + number % 7
        answered = sum(1 for index in range(questions) if (number + index) % 10 != 0)
        total += 14 + 4 + 2 * questions + answered
    return total


def group_write_templates(context: Context) -> Group:
    return Group(
        name="write-templates",
        input_label=f"{TEMPLATE_COUNT:,} audit templates (~45 rows, a list validation, shared strings), "
                    f"zlib level {WRITE_LEVEL}",
        expected_cells=template_cells(TEMPLATE_COUNT),
        readers=writers(context, "templates", ["write-templates", "OUT", str(TEMPLATE_COUNT)],
                        ["templates", "OUT", str(TEMPLATE_COUNT)]),
        targets=[target_speed("libxlsxwriter", 3.0), target_speed("XlsxWriter", 5.0)],
    )


def target_seconds_under(limit: float) -> Target:
    def check(by_name: dict[str, Measurement]) -> tuple[bool, str]:
        seconds = by_name[TILSYN].seconds
        return seconds < limit, f"{seconds:.3f} s"

    return Target(f"whole import < {limit:g} s", check, (TILSYN,))


RETURNED_COUNT = 1000
RETURNED_ANSWERS = 44  # per workbook; kk-2025: 41 questions + 3 temanedslag.


def returned_workbooks(context: Context) -> tuple[list[str], str | None]:
    """The 1,000 returned templates of `returned/`, written once by `tilsyn-bench write-returned` and stamped;
    (files, None), or ([], why) when they must be written and tilsyn-bench is unavailable."""
    count = RETURNED_COUNT
    folder = context.workdir / "returned"
    stamp = folder / ".params.json"
    params = {"count": count, "generator": "tilsyn-bench write-returned", "seed": 2025, "version": 1}
    current = json.loads(stamp.read_text()) if stamp.exists() else None
    if current != params:
        if context.tilsyn_binary is None:
            return [], f"tilsyn-bench, which writes {folder.name}/, is {context.tilsyn_unavailable or 'not built'}"
        print(f"Preparing {folder.name}/ with tilsyn-bench write-returned ...", end=" ", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run([str(context.tilsyn_binary), "write-returned", str(folder), str(count)], check=True,
                       capture_output=True)
        stamp.write_text(json.dumps(params))
        print(f"ready ({time.perf_counter() - start:.1f} s)", flush=True)
    files = sorted(str(path) for path in folder.glob("*.xlsx"))
    if len(files) != count:
        raise SystemExit(f"error: expected {count} returned workbooks in {folder}, found {len(files)}")
    return files, None


def group_import(context: Context) -> Group:
    """1,000 returned Tilsyn templates: `tilsyn import` (read, normalise, validate, store in SQLite) against
    pandas + python-calamine reading the same answer tables and concatenating them into one DataFrame."""
    count, answers_per_file = RETURNED_COUNT, RETURNED_ANSWERS
    folder = context.workdir / "returned"
    label = f"returned/ ({count:,} returned templates, {count * answers_per_file:,} answers)"
    if context.tilsyn_binary is None:
        unavailable = Reader(TILSYN, [], unavailable=context.tilsyn_unavailable or "not built")
        return Group("import", label, count * answers_per_file, [unavailable])
    files, _ = returned_workbooks(context)
    return Group(
        name="import",
        input_label=label,
        expected_cells=count * answers_per_file,
        readers=[
            tilsyn_reader(context, "import", str(folder), str(context.workdir / "import.sqlite")),
            peer_reader(context, "pandas+calamine", "pandas_import.py", *files),
        ],
        targets=[
            target_seconds_under(1.5), target_time_fraction("pandas+calamine", 1 / 3),
            per_core(target_seconds_under(1.0)), per_core(target_seconds_under(0.6), "all"),
        ],
    )


def build_tilsyn_cli(skip: bool) -> tuple[Path | None, str | None]:
    """Build the `tilsyn` command itself in release mode (the analysis group runs it); (binary, None) or (None, why).

    Built as README.md's Install section builds it (`--static-swift-stdlib`): the command users run, which also
    starts about 5 ms sooner than one loading the Swift runtime's shared libraries."""
    swift = shutil.which("swift")
    if swift is None:
        return None, "swift not found on PATH"
    package = ["--package-path", str(HERE.parent)]
    if not skip:
        print("Building tilsyn (release) ...", flush=True)
        build = subprocess.run([swift, "build", "-c", "release", "--static-swift-stdlib", *package,
                                "--product", TILSYN], capture_output=True, text=True)
        if build.returncode != 0:
            log = WORK / "swift-build-tilsyn.log"
            write_work_file(log, build.stdout + build.stderr)
            return None, f"build failed, see {log}"
    bin_path = subprocess.run([swift, "build", "-c", "release", *package, "--show-bin-path"],
                              capture_output=True, text=True)
    binary = Path(bin_path.stdout.strip()) / TILSYN
    return (binary, None) if binary.exists() else (None, f"no binary at {binary}")


def target_seconds(maximum: float) -> Target:
    def check(by_name: dict[str, Measurement]) -> tuple[bool, str]:
        seconds = by_name[TILSYN].seconds
        return seconds < maximum, f"{seconds:.3f} s"

    return Target(f"time < {maximum:g} s", check, (TILSYN,))


ANALYSIS_PREPARED: dict[str, object] = {}


def analysis_readers(context: Context, command: str) -> tuple[list[Reader], dict]:
    """Prepares both databases once; returns tilsyn's and DuckDB's reader for `command` and the store's stamp."""
    if "binary" not in ANALYSIS_PREPARED:
        ANALYSIS_PREPARED["binary"], ANALYSIS_PREPARED["why"] = build_tilsyn_cli(context.skip_build)
    binary = ANALYSIS_PREPARED["binary"]
    if not isinstance(binary, Path):
        return [Reader(TILSYN, [], unavailable=str(ANALYSIS_PREPARED["why"]))], {}
    if "stamp" not in ANALYSIS_PREPARED:
        stamp = prepare("analysis.sqlite", lambda workdir: analysis_inputs.store(workdir, binary), context.workdir)
        ANALYSIS_PREPARED["stamp"] = {
            **stamp, **prepare("analysis.duckdb", analysis_inputs.duckdb_database, context.workdir)}
    stamp = ANALYSIS_PREPARED["stamp"]
    assert isinstance(stamp, dict)
    store = str(context.workdir / "analysis.sqlite")
    return [
        Reader(TILSYN, [context.python, str(PEERS / "tilsyn_analysis.py"), str(binary), command, store]),
        peer_reader(context, "duckdb", "duckdb_analysis.py", command, str(context.workdir / "analysis.duckdb")),
    ], stamp


def group_analysis_summary(context: Context) -> Group:
    readers, stamp = analysis_readers(context, "summary")
    return Group(
        name="analysis-summary",
        input_label=f"{stamp.get('cells', 0):,} answers: compliance by question × unit × round; "
        "cells = Ja + Nej over the groups",
        expected_cells=stamp.get("yes_or_no", 0),
        readers=readers,
        targets=[target_seconds(1.0), target_time_fraction("duckdb", 1.0)],
    )


def group_analysis_agreement(context: Context) -> Group:
    readers, stamp = analysis_readers(context, "agreement")
    return Group(
        name="analysis-agreement",
        input_label=f"{stamp.get('cells', 0):,} answers: agreement between levels 1 and 2 (temanedslag apart); "
        "cells = items compared",
        expected_cells=stamp.get("compared_apart", 0),
        readers=readers,
        targets=[target_seconds(5.0)],
    )


def group_analysis_groupings(context: Context) -> Group:
    readers, stamp = analysis_readers(context, "groupings")
    return Group(
        name="analysis-groupings",
        input_label=f"{stamp.get('cells', 0):,} answers: summary by each grouping, by sagsskridt × pejlemærke "
        "and cases-all-ja; time = the slowest; cells = Ja + Nej by level (temanedslag apart)",
        expected_cells=stamp.get("yes_or_no_apart", 0),
        readers=readers[:1],
        targets=[target_seconds(0.2)],
    )


def group_analysis_agreement_all(context: Context) -> Group:
    """Agreement over four levels: every pair and all four together, on a store whose cases have four levels."""
    if "binary" not in ANALYSIS_PREPARED:
        ANALYSIS_PREPARED["binary"], ANALYSIS_PREPARED["why"] = build_tilsyn_cli(context.skip_build)
    binary = ANALYSIS_PREPARED["binary"]
    if not isinstance(binary, Path):
        return Group(name="analysis-agreement-4", input_label="", expected_cells=0,
                     readers=[Reader(TILSYN, [], unavailable=str(ANALYSIS_PREPARED["why"]))], targets=[])
    stamp = prepare("analysis4.sqlite", lambda workdir: analysis_inputs.store(workdir, binary, levels=4),
                    context.workdir)
    store = str(context.workdir / "analysis4.sqlite")
    return Group(
        name="analysis-agreement-4",
        input_label=f"{stamp.get('cells', 0):,} answers at 4 levels: agreement of every pair and of all four; "
        "cells = items compared at all four",
        expected_cells=stamp.get("compared", 0),
        readers=[Reader(TILSYN, [context.python, str(PEERS / "tilsyn_analysis.py"), str(binary), "agreement-all",
                                 store])],
        targets=[target_seconds(1.0)],
    )


def tilsyn_cli(context: Context) -> tuple[Path | None, str | None]:
    """The `tilsyn` command in release mode, built once per run (the analysis and convert groups run it)."""
    if "binary" not in ANALYSIS_PREPARED:
        ANALYSIS_PREPARED["binary"], ANALYSIS_PREPARED["why"] = build_tilsyn_cli(context.skip_build)
    binary = ANALYSIS_PREPARED["binary"]
    return (binary, None) if isinstance(binary, Path) else (None, str(ANALYSIS_PREPARED["why"]))


def group_analysis_agreement_by(context: Context) -> Group:
    """Agreement between levels 1 and 2 by the groupings that joined the answers before schema v9 kept the pair
    counts by the lowest level's review (enhed, indsats, reviewer, question × enhed) and by sagsskridt ×
    pejlemærke: each must be under 0.2 s."""
    readers, stamp = analysis_readers(context, "agreement-groupings")
    return Group(
        name="analysis-agreement-by",
        input_label=f"{stamp.get('cells', 0):,} answers: agreement 1–2 by enhed, indsats, reviewer, "
        "question × enhed and sagsskridt × pejlemærke; time = the slowest; cells = items compared by enhed "
        "(temanedslag apart)",
        expected_cells=stamp.get("compared_apart", 0),
        readers=readers[:1],
        targets=[target_seconds(0.2)],
    )


def convert_readers(context: Context, source: Path, name: str, peer: Reader) -> list[Reader]:
    binary, why = tilsyn_cli(context)
    folder = WORK / "write" / "convert"
    ours = Reader(TILSYN, [context.python, str(PEERS / "tilsyn_convert.py"), str(binary), str(source),
                           str(folder / "tilsyn" / name)] if binary else [], unavailable=why,
                  prepare=fresh_folder(folder / "tilsyn"))
    peer.command = [*peer.command, str(folder / "peer" / name)]
    peer.prepare = fresh_folder(folder / "peer")
    return [ours, peer]


def group_convert_csv_xlsx(context: Context) -> Group:
    """`tilsyn convert` of a Danish CSV of 1,000,000 cells to XLSX against Python's csv + XlsxWriter."""
    stamp = prepare("convert.csv", inputs.convert_csv, context.workdir)
    source = context.workdir / "convert.csv"
    peer = peer_reader(context, "csv+XlsxWriter", "csv_xlsxwriter_convert.py", str(source))
    return Group(
        name="convert-csv-xlsx",
        input_label=f"convert.csv → XLSX ({stamp['cells']:,} cells; typed numbers and dates, bold header)",
        expected_cells=stamp["cells"],
        readers=convert_readers(context, source, "convert.xlsx", peer),
        targets=[target_speed("csv+XlsxWriter", 6.0)],
    )


def group_convert_xlsx_csv(context: Context) -> Group:
    """`tilsyn convert` of the large sheet (1,000,000 cells) to a Danish CSV against fastexcel + polars."""
    stamp = prepare("large.xlsx", inputs.large_xlsx, context.workdir)
    source = context.workdir / "large.xlsx"
    peer = peer_reader(context, "fastexcel+polars", "fastexcel_polars_csv.py", str(source))
    return Group(
        name="convert-xlsx-csv",
        input_label=f"large.xlsx → CSV ({stamp['cells']:,} cells)",
        expected_cells=stamp["cells"],
        readers=convert_readers(context, source, "large.csv", peer),
        targets=[target_speed("fastexcel+polars", 1.1)],
    )


LONG_REVIEWS, LONG_SMALL_REVIEWS = 25_000, 2_500  # × 41 questions: 1,025,000 and 102,500 answers


def group_import_csv(context: Context) -> Group:
    """`tilsyn import` of one long CSV of 1,025,000 answers (25,000 reviews) into a new store, and of a tenth of it
    (peak RSS must not grow with the file), beside pandas reading the same file."""
    stamp = prepare("long.csv", lambda workdir: inputs.long_csv(workdir, LONG_REVIEWS, "long.csv"), context.workdir)
    small = prepare("long-small.csv", lambda workdir: inputs.long_csv(workdir, LONG_SMALL_REVIEWS, "long-small.csv"),
                    context.workdir)
    source = str(context.workdir / "long.csv")
    small_reader = tilsyn_reader(context, "import", str(context.workdir / "long-small.csv"),
                                 str(context.workdir / "import-csv-small.sqlite"))
    small_reader.name = f"{TILSYN} ({small['cells']:,} answers)"
    small_reader.expected_cells = small["cells"]
    return Group(
        name="import-csv",
        input_label=f"long.csv ({LONG_REVIEWS:,} reviews, {stamp['cells']:,} answers in one long CSV)",
        expected_cells=stamp["cells"],
        readers=[
            tilsyn_reader(context, "import", source, str(context.workdir / "import-csv.sqlite")),
            small_reader,
            peer_reader(context, "pandas read_csv", "pandas_long_csv.py", source),
        ],
        targets=[target_cells_per_second(300_000), target_rss_flat(small_reader.name, 1.1)],
    )


def target_cells_per_second(minimum: float) -> Target:
    def check(by_name: dict[str, Measurement]) -> tuple[bool, str]:
        ours = by_name[TILSYN]
        rate = (ours.cells or 0) / ours.seconds
        return rate >= minimum, f"{rate:,.0f} answers/s"

    return Target(f"answers/s ≥ {minimum:,.0f}", check, (TILSYN,))


# PostgreSQL beside SQLite: the same `tilsyn` binary (release) on the same inputs, its store an SQLite file on the
# local disk or a database on the test suite's PostgreSQL server (PostgreSQL 15 on loopback on the same machine,
# fsync=off; see postgres_inputs.py). The server is not a child of the harness: `[1 core]` pins tilsyn to CPU 0, not
# the server, and the peak RSS is tilsyn's alone.

SQLITE, POSTGRES = f"{TILSYN} (SQLite)", f"{TILSYN} (PostgreSQL)"
IMPORT_DATABASE = "tilsyn_bench_import"
POSTGRES_PREPARED: dict[str, object] = {}


def postgres_server() -> tuple[postgres_inputs.Server | None, str | None]:
    """The test server, started once per run with `Tests/Postgres/server`; (server, None) or (None, why not)."""
    if "server" not in POSTGRES_PREPARED:
        print("Starting the PostgreSQL test server (Tests/Postgres/server) ...", end=" ", flush=True)
        server, why = postgres_inputs.start_server(dict(os.environ))
        print(f"ready ({server.url})" if server else f"unavailable: {why}", flush=True)
        POSTGRES_PREPARED["server"], POSTGRES_PREPARED["why"] = server, why
    server = POSTGRES_PREPARED["server"]
    return (server, None) if isinstance(server, postgres_inputs.Server) else (None, str(POSTGRES_PREPARED["why"]))


def group_postgres_import(context: Context) -> Group:
    """`tilsyn import returned/` of the 1,000 returned workbooks into an empty store: an SQLite file beside a
    PostgreSQL database. Before every run, untimed, the SQLite store's folder is emptied and the database
    `tilsyn_bench_import` dropped and created empty; each run makes its store's schema and stores every answer.
    Both go through `peers/tilsyn_import.py`, which times the tilsyn process and counts the stored answers after."""
    count, answers = RETURNED_COUNT, RETURNED_COUNT * RETURNED_ANSWERS
    # Resolved: `tilsyn import` finds no files in a folder given as a symbolic link (its walk does not follow one).
    folder = (context.workdir / "returned").resolve()
    label = (f"returned/ ({count:,} returned workbooks, {answers:,} answers) into an empty store; "
             "cells = answers stored")
    binary, why = tilsyn_cli(context)
    files, no_files = returned_workbooks(context)
    why = why or no_files
    if binary is None or not files:
        return Group("postgres-import", label, answers,
                     [Reader(SQLITE, [], unavailable=why), Reader(POSTGRES, [], unavailable=why)])
    script = str(PEERS / "tilsyn_import.py")
    sqlite_store = WORK / "postgres-import" / "tilsyn.sqlite"
    readers = [Reader(SQLITE, [context.python, script, str(binary), str(folder), str(sqlite_store)],
                      prepare=fresh_folder(sqlite_store.parent))]
    server, no_server = postgres_server()
    if server is None:
        readers.append(Reader(POSTGRES, [], unavailable=no_server))
    else:
        readers.append(Reader(
            POSTGRES,
            [context.python, script, str(binary), str(folder), server.database_url(IMPORT_DATABASE), server.psql],
            prepare=lambda: server.reset(IMPORT_DATABASE), environment=server.environment))
    return Group(
        name="postgres-import",
        input_label=label,
        expected_cells=answers,
        readers=readers,
        time_ratios=[(POSTGRES, SQLITE)],
    )


def group_postgres_summary(context: Context) -> Group:
    """`tilsyn summary --by question --by unit --by round --format json` over the 10 M answers of `analysis.sqlite`
    beside the same over their copy in the PostgreSQL database `tilsyn_bench_analysis` (made once, see
    postgres_inputs.analysis_database), both through `peers/tilsyn_analysis.py`; and the `groupings` runs of
    `analysis-groupings` (summary by each grouping; time = the slowest) on both."""
    label = ("10 M answers: compliance by question × unit × round (cells = Ja + Nej over the groups); groupings: "
             "summary by each grouping, time = the slowest (cells = Ja + Nej by level, temanedslag apart)")
    names = [SQLITE, POSTGRES, f"{TILSYN} groupings (SQLite)", f"{TILSYN} groupings (PostgreSQL)"]
    ratios = [(POSTGRES, SQLITE), (names[3], names[2])]
    binary, why = tilsyn_cli(context)
    if binary is None:
        return Group("postgres-summary", label, 0, [Reader(name, [], unavailable=why) for name in names])
    stamp = prepare("analysis.sqlite", lambda workdir: analysis_inputs.store(workdir, binary), context.workdir)
    script = str(PEERS / "tilsyn_analysis.py")
    store = str(context.workdir / "analysis.sqlite")
    readers = [
        Reader(SQLITE, [context.python, script, str(binary), "summary", store]),
        Reader(POSTGRES, [], unavailable=None),
        Reader(names[2], [context.python, script, str(binary), "groupings", store],
               expected_cells=stamp["yes_or_no_apart"]),
        Reader(names[3], [], unavailable=None, expected_cells=stamp["yes_or_no_apart"]),
    ]
    server, no_server = postgres_server()
    if server is not None:
        try:
            prepare(f"{postgres_inputs.ANALYSIS_DATABASE} (a copy of analysis.sqlite on PostgreSQL)",
                    lambda workdir: postgres_inputs.analysis_database(workdir, binary, server, stamp), context.workdir)
        except RuntimeError as error:
            print(f"failed: {error}", flush=True)
            server, no_server = None, f"copying analysis.sqlite to PostgreSQL failed: {error}"
    for reader, command in ((readers[1], "summary"), (readers[3], "groupings")):
        if server is None:
            reader.unavailable = no_server
        else:
            url = server.database_url(postgres_inputs.ANALYSIS_DATABASE)
            reader.command = [context.python, script, str(binary), command, url]
            reader.environment = server.environment
    return Group(
        name="postgres-summary",
        input_label=label,
        expected_cells=stamp["yes_or_no"],
        readers=readers,
        time_ratios=ratios,
    )


GROUPS: dict[str, Callable[[Context], Group]] = {
    "xlsx-large": group_xlsx_large,
    "xlsx-templates": group_xlsx_templates,
    "csv": group_csv,
    "write-large": group_write_large,
    "write-templates": group_write_templates,
    "import": group_import,
    "analysis-summary": group_analysis_summary,
    "analysis-agreement": group_analysis_agreement,
    "analysis-groupings": group_analysis_groupings,
    "analysis-agreement-4": group_analysis_agreement_all,
    "analysis-agreement-by": group_analysis_agreement_by,
    "convert-csv-xlsx": group_convert_csv_xlsx,
    "convert-xlsx-csv": group_convert_xlsx_csv,
    "import-csv": group_import_csv,
    "postgres-import": group_postgres_import,
    "postgres-summary": group_postgres_summary,
}


# ----------------------------------------------------------------------------------------------
# Reporting


def mib(size: int) -> float:
    return size / (1024 * 1024)


def table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
        if number == 0:
            lines.append("  " + "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def report_group(group: Group) -> tuple[list[str], list[dict], list[dict]]:
    """Print the group's table, ratios and targets; return (mismatches, target results, time ratios)."""
    print(f"\n== {group.name}: {group.input_label}")
    header = ["reader", "work s", "wall s", "cells", "cells/s", "peak RSS MiB", "start-up RSS MiB"]
    rows = [header]
    mismatches = []
    notes = []
    for m in group.measurements:
        expected = m.expected_cells if m.expected_cells is not None else group.expected_cells
        if m.cells is not None and m.cells != expected:
            m.mismatch = True
            mismatches.append(f"{group.name}: {m.reader} saw {m.cells:,} cells, expected {expected:,}")
            notes.append(f"{m.reader}: CELL COUNT MISMATCH: saw {m.cells:,}, expected {expected:,}; "
                         "left out of ratios and targets")
        if m.unavailable:
            state = "unavailable (build failed or unsupported)" if m.reader == TILSYN else "unavailable"
            rows.append([m.reader, "-", "-", "-", "-", "-", "-"])
            notes.append(f"{m.reader}: {state}: {m.unavailable}")
            continue
        if m.error:
            rows.append([m.reader, "FAILED", "-", "-", "-", "-", "-"])
            notes.append(f"{m.reader}: FAILED: {m.error}")
            continue
        baseline = f"{mib(m.baseline_rss_bytes):.1f}" if m.baseline_rss_bytes else "-"
        rows.append([
            m.reader + (" (MISMATCH)" if m.mismatch else ""), f"{m.seconds:.3f}", f"{m.wall_seconds:.3f}", f"{m.cells:,}",
            f"{m.cells / m.seconds:,.0f}", f"{mib(m.peak_rss_bytes):.1f}", baseline,
        ])
    print(table(rows, right={1, 2, 3, 4, 5, 6}))
    for note in notes:
        print(f"  {note}")

    by_name = {m.reader: m for m in group.measurements}
    ours = by_name.get(TILSYN)
    if ours is not None and ours.ok:
        print("  ratios (cells/s and peak RSS, tilsyn relative to the peer):")
        for m in group.measurements:
            if m.reader.startswith(TILSYN) or not m.ok:
                continue
            ratio = speed_ratio(ours, m)
            verdict = f"{ratio:.2f}× faster" if ratio >= 1 else f"{1 / ratio:.2f}× slower"
            print(f"    tilsyn vs {m.reader}: {verdict}, RSS {ours.peak_rss_bytes / m.peak_rss_bytes:.2f}×")

    ratios = []
    if group.time_ratios:
        print("  time ratios (work s of the first over the second):")
    for name, base in group.time_ratios:
        if name in by_name and base in by_name and by_name[name].ok and by_name[base].ok:
            ratio = by_name[name].seconds / by_name[base].seconds
            print(f"    {name} / {base}: {ratio:.2f}×")
        else:
            ratio = None
            print(f"    {name} / {base}: n/a (no valid measurement of both)")
        ratios.append({"reader": name, "relative_to": base, "time_ratio": ratio})

    results = []
    if group.targets:
        print("  targets:")
    for target in group.targets:
        missing = [name for name in target.needs if name not in by_name or not by_name[name].ok]
        if missing:
            status, detail = None, "not comparable: no valid measurement of " + ", ".join(missing)
            label = "n/a "
        else:
            status, detail = target.check(by_name)
            label = "MET " if status else "MISS"
        print(f"    [{label}] {target.description}: {detail}")
        results.append({"target": target.description, "met": status, "detail": detail})
    return mismatches, results, ratios


def measurement_json(m: Measurement) -> dict:
    result = {
        "reader": m.reader, "unavailable": m.unavailable, "error": m.error, "cells": m.cells, "mismatch": m.mismatch,
    }
    if m.runs and m.error is None and m.unavailable is None:
        result.update({
            "seconds": m.seconds,
            "wall_seconds": m.wall_seconds,
            "cells_per_second": m.cells / m.seconds,
            "peak_rss_bytes": m.peak_rss_bytes,
            "baseline_rss_bytes": m.baseline_rss_bytes,
            "runs": [
                {"wall_seconds": r.wall_seconds, "work_seconds": r.work_seconds, "peak_rss_bytes": r.peak_rss_bytes}
                for r in m.runs
            ],
        })
    return result


# ----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description="Tilsyn readers vs Python peers, in one run.")
    parser.add_argument("--quick", action="store_true", help="one run per reader instead of three")
    parser.add_argument("--runs", type=int, help="runs per reader (best is kept); overrides --quick")
    parser.add_argument("--group", action="append", choices=list(GROUPS), help="only this group (repeatable)")
    parser.add_argument("--skip-build", action="store_true", help="use the tilsyn-bench built last time")
    parser.add_argument(
        "--cores", choices=["both", "all", "one"], default="both",
        help="measure every group on all cores, pinned to one core (taskset -c 0), or both (default); "
        "targets against single-threaded peers are judged on the one-core rows")
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 3)
    if runs < 1:
        parser.error("--runs must be at least 1")

    WORK.mkdir(parents=True, exist_ok=True)
    global LAUNCHER
    LAUNCHER = build_launcher()
    binary, unavailable = build_tilsyn(args.skip_build)
    context = Context(sys.executable, runs, binary, unavailable, WORK, args.skip_build)
    print(f"tilsyn-bench: {binary if binary else 'unavailable (' + str(unavailable) + ')'}")
    print(f"python: {sys.executable} ({platform.python_version()}); best of {runs} run(s) per reader")

    global ONE_CORE
    groups: list[Group] = []
    for name in args.group or list(GROUPS):
        group = GROUPS[name](context)
        variants = {"all": [False], "one": [True], "both": [False, True]}[args.cores]
        for pinned in variants:
            measured = dataclasses.replace(
                group, name=group.name + (" [1 core]" if pinned else " [all cores]"), measurements=[],
                targets=[t for t in group.targets if t.cores == "both" or t.cores == ("one" if pinned else "all")])
            ONE_CORE = pinned
            for reader in measured.readers:
                print(f"  measuring {measured.name}: {reader.name} ...", flush=True)
                measured.measurements.append(measure(reader, runs))
            groups.append(measured)
    ONE_CORE = False

    mismatches: list[str] = []
    summary = []
    for group in groups:
        group_mismatches, targets, ratios = report_group(group)
        mismatches += group_mismatches
        summary.append({
            "group": group.name,
            "input": group.input_label,
            "expected_cells": group.expected_cells,
            "measurements": [measurement_json(m) for m in group.measurements],
            "targets": targets,
            **({"time_ratios": ratios} if ratios else {}),
        })

    failures = [f"{g.name}: {m.reader}: {m.error}" for g in groups for m in g.measurements if m.error]
    results = {
        "timestamp": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version()},
        "runs_per_reader": runs,
        "tilsyn": {"binary": str(binary) if binary else None, "unavailable": unavailable},
        "groups": summary,
        "mismatches": mismatches,
        "failures": failures,
    }
    write_work_file(WORK / "results.json", json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nResults written to {WORK / 'results.json'}")

    if mismatches or failures:
        print("\n" + "!" * 78)
        for line in mismatches:
            print(f"!! CELL COUNT MISMATCH: {line}")
        for line in failures:
            print(f"!! READER FAILED: {line}")
        print("!" * 78)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
