"""Runs `tilsyn summary` or `tilsyn agreement` (JSON) for the analysis group and reports like a peer.

    tilsyn_analysis.py TILSYN summary DB     --by question --by unit --by round  -> cells = Σ n of the Ja/Nej rows
    tilsyn_analysis.py TILSYN agreement DB   --level 1 --level 2                 -> cells = items compared

`work_seconds` is the tilsyn process's wall time (start-up, opening the store, the query and writing the
JSON), measured around it; this script's own start-up is left out.
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
    if command == "summary":
        arguments = ["summary", "--db", path, "--by", "question", "--by", "unit", "--by", "round", "--format", "json"]
    elif command == "agreement":
        arguments = ["agreement", "--db", path, "--level", "1", "--level", "2", "--format", "json"]
    else:
        raise SystemExit(f"unknown command {command}")
    start = time.perf_counter()
    result = subprocess.run([tilsyn, *arguments], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(result.returncode)
    rows = json.loads(result.stdout)
    if command == "summary":
        cells = sum(row["yes"] + row["no"] for row in rows if "low" not in row)
    else:
        cells = rows[0]["compared"]
    print(f"cells={cells}")
    print(f"groups={len(rows)}")
    print(f"work_seconds={elapsed:.6f}")


if __name__ == "__main__":
    main()
