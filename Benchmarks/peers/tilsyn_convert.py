"""Runs `tilsyn convert IN OUT` and reports like a peer: its wall time, and the cells of what it wrote.

The count is taken after the timed run, untimed, by another program's reader: an XLSX output is read back with
python-calamine, a CSV output with Python's csv module (non-empty cells or fields). So the count checks the written
file, not the converter's own word for it.

    tilsyn_convert.py TILSYN IN OUT
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time


def main() -> None:
    if "--baseline" in sys.argv:
        print("cells=0")
        return
    tilsyn, source, target = sys.argv[1:4]
    start = time.perf_counter()
    result = subprocess.run([tilsyn, "convert", source, target], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(result.returncode)
    if target.endswith(".xlsx"):
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(target).get_sheet_by_index(0).to_python()
        cells = sum(1 for row in rows for value in row if value is not None and value != "")
    else:
        with open(target, newline="", encoding="utf-8-sig") as handle:
            cells = sum(1 for row in csv.reader(handle, delimiter=";") for field in row if field != "")
    print(f"cells={cells}")
    print(f"work_seconds={elapsed:.6f}")


if __name__ == "__main__":
    main()
