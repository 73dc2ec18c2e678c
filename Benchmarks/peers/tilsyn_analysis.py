"""Runs `tilsyn summary` or `tilsyn agreement` (JSON) for the analysis group and reports like a peer.

    tilsyn_analysis.py TILSYN summary DB     --by question --by unit --by round  -> cells = Σ n of the Ja/Nej rows
    tilsyn_analysis.py TILSYN agreement DB   --level 1 --level 2                 -> cells = items compared
    tilsyn_analysis.py TILSYN groupings DB   summary --by each grouping alone, by sagsskridt × pejlemærke
                                             (outside the kept counts) and --measure cases-all-ja --by step
                                             -> cells = Σ n of the Ja/Nej rows by level; time = the slowest run
    tilsyn_analysis.py TILSYN agreement-groupings DB  agreement 1–2 by unit, measure, reviewer, question × unit
                                             and sagsskridt × pejlemærke (joined the answers before the
                                             pair counts kept them, schema v9) -> cells = items compared
                                             by unit; time = the slowest run
    tilsyn_analysis.py TILSYN agreement-all DB  every pair of levels and all levels together
                                             -> cells = items compared at every level

`work_seconds` is the tilsyn process's wall time (start-up, opening the store, the query and writing the
JSON), measured around it; this script's own start-up is left out. For `groupings` it is the slowest of the
runs, each of which must stay under the target; every run's time is printed to standard error.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time


def main() -> None:
    if "--baseline" in sys.argv:
        print("cells=0")
        return
    tilsyn, command, path = sys.argv[1], sys.argv[2], sys.argv[3]
    if command == "groupings":
        groupings()
        return
    if command == "agreement-groupings":
        agreement_groupings()
        return
    if command == "summary":
        arguments = ["summary", "--db", path, "--by", "question", "--by", "unit", "--by", "round", "--format", "json"]
    elif command == "agreement":
        arguments = ["agreement", "--db", path, "--level", "1", "--level", "2", "--format", "json"]
    elif command == "agreement-all":
        arguments = ["agreement", "--db", path, "--format", "json"]
    else:
        raise SystemExit(f"unknown command {command}")
    elapsed, rows = run(tilsyn, arguments)
    if command == "summary":
        cells = sum(row["yes"] + row["no"] for row in rows if "low" not in row)
    elif command == "agreement":
        cells = rows[0]["compared"]
    else:
        widest = max(len(row["levels"]) for row in rows)
        cells = next(row["compared"] for row in rows if len(row["levels"]) == widest)
    print(f"cells={cells}")
    print(f"groups={len(rows)}")
    print(f"work_seconds={elapsed:.6f}")


def run(tilsyn: str, arguments: list[str]) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    result = subprocess.run([tilsyn, *arguments], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(result.returncode)
    return elapsed, json.loads(result.stdout)


def groupings() -> None:
    tilsyn, path = sys.argv[1], sys.argv[3]
    runs = [["--by", name] for name in ("question", "step", "theme", "unit", "measure", "level", "round", "reviewer")]
    runs += [["--by", "step", "--by", "theme"], ["--by", "step", "--measure", "cases-all-ja"]]
    slowest = 0.0
    cells = 0
    for arguments in runs:
        elapsed, rows = run(tilsyn, ["summary", "--db", path, *arguments, "--format", "json"])
        sys.stderr.write(f"summary {' '.join(arguments)}: {elapsed:.3f} s, {len(rows)} rows\n")
        slowest = max(slowest, elapsed)
        if arguments == ["--by", "level"]:
            cells = sum(row["yes"] + row["no"] for row in rows if "low" not in row)
    print(f"cells={cells}")
    print(f"groups={len(runs)}")
    print(f"work_seconds={slowest:.6f}")


def agreement_groupings() -> None:
    tilsyn, path = sys.argv[1], sys.argv[3]
    runs = [["--by", "unit"], ["--by", "measure"], ["--by", "reviewer"], ["--by", "question", "--by", "unit"],
            ["--by", "step", "--by", "theme"]]
    slowest = 0.0
    cells = 0
    for arguments in runs:
        elapsed, rows = run(tilsyn, ["agreement", "--db", path, "--level", "1", "--level", "2", *arguments,
                                     "--format", "json"])
        sys.stderr.write(f"agreement {' '.join(arguments)}: {elapsed:.3f} s, {len(rows)} rows\n")
        slowest = max(slowest, elapsed)
        if arguments == ["--by", "unit"]:
            cells = sum(row["compared"] for row in rows)
    print(f"cells={cells}")
    print(f"groups={len(runs)}")
    print(f"work_seconds={slowest:.6f}")


if __name__ == "__main__":
    main()
