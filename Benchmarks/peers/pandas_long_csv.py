"""pandas: read a long audit CSV (one row per answer: sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;...) into
a DataFrame, every column as text. What an analyst would do before any checking; it validates nothing and stores
nothing, so the comparison favours it. Cells = the rows (answers).

    pandas_long_csv.py IN.csv
"""

import pandas

from _common import main


def work(files, all_sheets):
    frame = pandas.read_csv(files[0], sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return len(frame)


if __name__ == "__main__":
    main(work, __doc__)
