"""Python's csv module + XlsxWriter: convert a Danish CSV (`;`, UTF-8 with BOM, decimal comma) to XLSX.

What `tilsyn convert IN.csv OUT.xlsx` does, as a Python user would write it: every field read with `csv.reader`,
integers, decimal-comma numbers and ISO or dd-mm-yyyy dates made typed cells (dates with a date format), everything
else written as text; a bold header row, XlsxWriter's `constant_memory` mode (rows streamed, inline strings are not
used by XlsxWriter: it writes a shared-string table). Tilsyn also sizes the columns, freezes the header and adds an
autofilter; this peer adds the autofilter and the frozen pane too. Cells = the non-empty cells written.

    csv_xlsxwriter_convert.py IN.csv OUT.xlsx
"""

import csv
import datetime as dt
import re

import xlsxwriter

from _common import main

INTEGER = re.compile(r"-?\d{1,15}\Z")
DECIMAL = re.compile(r"-?\d+,\d+\Z")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
DANISH_DATE = re.compile(r"\d{2}-\d{2}-\d{4}\Z")


def work(files, all_sheets):
    source, target = files
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True})
    sheet = workbook.add_worksheet("Ark1")
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    cells = 0
    columns = 0
    with open(source, newline="", encoding="utf-8-sig") as handle:
        for row_number, row in enumerate(csv.reader(handle, delimiter=";")):
            columns = max(columns, len(row))
            for column, field in enumerate(row):
                if field == "":
                    continue
                cells += 1
                if row_number == 0:
                    sheet.write_string(0, column, field, bold)
                elif INTEGER.match(field):
                    sheet.write_number(row_number, column, int(field))
                elif DECIMAL.match(field):
                    sheet.write_number(row_number, column, float(field.replace(",", ".")))
                elif ISO_DATE.match(field):
                    sheet.write_datetime(row_number, column, dt.datetime.strptime(field, "%Y-%m-%d"), date_format)
                elif DANISH_DATE.match(field):
                    sheet.write_datetime(row_number, column, dt.datetime.strptime(field, "%d-%m-%Y"), date_format)
                else:
                    sheet.write_string(row_number, column, field)
            last_row = row_number
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, last_row, max(columns - 1, 0))
    workbook.close()
    return cells


if __name__ == "__main__":
    main(work, __doc__)
