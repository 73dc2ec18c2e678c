"""Shared driver for peer scripts.

Every peer script imports its library at module level, then calls `main(work)`. The driver:

* parses `[--baseline] [--all-sheets] FILE...`;
* with `--baseline`, does no work and prints `cells=0`: the harness runs this once to learn the
  peak RSS of the interpreter plus the imported libraries;
* otherwise times `work(files, all_sheets)` (which returns the number of non-empty cells or
  fields it saw) and prints `cells=N` and `work_seconds=S` on stdout, one per line.

`work_seconds` excludes interpreter start-up and imports; the harness also measures the whole
process from outside.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Callable, Sequence

Work = Callable[[Sequence[str], bool], int]


def is_value(value: object) -> bool:
    """True for a cell value that a reader reports as present (not missing, not the empty string)."""
    return value is not None and value != ""


def main(work: Work, description: str) -> None:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--baseline", action="store_true", help="import only; measure start-up")
    parser.add_argument("--all-sheets", action="store_true", help="read every sheet, not only the first")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if args.baseline:
        print("cells=0")
        return
    if not args.files:
        parser.error("no input files")
    start = time.perf_counter()
    cells = work(args.files, args.all_sheets)
    elapsed = time.perf_counter() - start
    print(f"cells={cells}")
    print(f"work_seconds={elapsed:.6f}")
    sys.stdout.flush()
