"""polars read_csv: parse a `;`-separated file with decimal commas into a DataFrame.

Fields are counted as the header's names plus every non-null value, so the count matches readers
that report every record.
"""

import polars as pl

from _common import main


def work(files, _all_sheets):
    fields = 0
    for path in files:
        frame = pl.read_csv(path, separator=";", decimal_comma=True)
        fields += frame.width + sum(frame.height - column.null_count() for column in frame.iter_columns())
    return fields


if __name__ == "__main__":
    main(work, __doc__)
