"""Python's csv module: iterate every row of a `;`-separated UTF-8 (BOM) file and count fields."""

import csv

from _common import main


def work(files, _all_sheets):
    fields = 0
    for path in files:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.reader(handle, delimiter=";"):
                fields += len(row)
    return fields


if __name__ == "__main__":
    main(work, __doc__)
