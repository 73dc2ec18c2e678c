"""python-calamine: load each sheet and materialise every value as Python objects."""

from python_calamine import CalamineWorkbook

from _common import is_value, main


def work(files, all_sheets):
    cells = 0
    for path in files:
        workbook = CalamineWorkbook.from_path(path)
        count = len(workbook.sheet_names) if all_sheets else 1
        for index in range(count):
            rows = workbook.get_sheet_by_index(index).to_python()
            cells += sum(1 for row in rows for value in row if is_value(value))
    return cells


if __name__ == "__main__":
    main(work, __doc__)
