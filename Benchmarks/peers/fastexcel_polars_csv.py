"""fastexcel + polars: convert the first sheet of an XLSX file to a Danish CSV (`;`, UTF-8 with BOM).

What `tilsyn convert IN.xlsx OUT.csv` does: fastexcel loads the sheet into an Arrow batch (no header row, eager),
polars writes it as CSV with `;` and a BOM. Polars writes decimal points, not commas, and ISO dates; Tilsyn writes
decimal commas (Danish Excel's dialect) and guards text against formula injection, so this peer does less. Cells =
the non-null values of the sheet.

    fastexcel_polars_csv.py IN.xlsx OUT.csv
"""

import fastexcel
import polars

from _common import main


def work(files, all_sheets):
    source, target = files
    batch = fastexcel.read_excel(source).load_sheet(0, header_row=None, eager=True)
    frame = polars.from_arrow(batch)
    frame.write_csv(target, separator=";", include_header=False, include_bom=True, line_terminator="\r\n")
    return sum(len(column) - column.null_count for column in batch.columns)


if __name__ == "__main__":
    main(work, __doc__)
