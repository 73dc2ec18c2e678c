"""openpyxl in read-only mode: iterate every cell value of each sheet."""

import openpyxl

from _common import is_value, main


def work(files, all_sheets):
    cells = 0
    for path in files:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheets = workbook.worksheets if all_sheets else workbook.worksheets[:1]
            for sheet in sheets:
                for row in sheet.iter_rows(values_only=True):
                    cells += sum(1 for value in row if is_value(value))
        finally:
            workbook.close()
    return cells


if __name__ == "__main__":
    main(work, __doc__)
