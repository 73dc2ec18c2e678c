"""Differential-test generator: workbooks from two independent writers, with openpyxl's reading.

Usage: python differential.py OUTDIR

Writes each workbook below twice, once with openpyxl and once with XlsxWriter, as
OUTDIR/CASE.openpyxl.xlsx and OUTDIR/CASE.xlsxwriter.xlsx, and then reads every one of them back
with openpyxl (full mode, data_only=True, so formula cells give their cached values) into
OUTDIR/CASE.WRITER.expected.jsonl: one JSON object per non-empty cell, in the format of our CLI:

    {"sheet":"Ark1","cell":"B3","type":"number|string|bool|date|error","value":...}

Cells come in sheet order (workbook order, hidden sheets included), rows top to bottom, cells left
to right. Values:
  * number: a JSON number, Python's shortest round-trip repr; integer-valued floats (|x| <= 2**53)
    are printed without a decimal point (3.0 -> 3);
  * string: as stored (no trimming, embedded newlines kept);
  * bool: true / false;
  * date: ISO 8601, `2017-10-27` when the time part is zero, else `2017-10-27T21:00:00`, with
    `.fff` milliseconds only when they are non-zero (values are rounded to the millisecond);
  * error: the error code as text, e.g. "#DIV/0!".

Cases:
  values    strings with æøå, an emoji, XML specials, embedded newlines, leading/trailing spaces and
            a numeric-looking string; numbers (integers, negatives, 1e15, 1e-7, 0.1+0.2, 3.0,
            fractions); booleans; an error value.
  dates1900 dates and datetimes (with seconds and milliseconds) in the 1900 date system, including
            both sides of the fictitious 1900-02-29, with several date formats.
  dates1904 the same kind of values in a workbook using the 1904 date system.
  formulas  formulas with cached number, string, bool and error results (XlsxWriter). openpyxl
            writes no cached values, so its formula cells are empty and do not appear in the
            expected output: a reader must not invent values for them.
  sheets    several sheets: a sheet with a non-ASCII name and a space, a hidden sheet, an empty
            sheet, and sparse cells far apart (A1, K200, XFD1048576).

What the writers differ in, and so what the pairs cover: openpyxl 3.1 writes strings inline
(t="inlineStr") and errors as t="e" cells; XlsxWriter writes a shared-string table and errors as
formulas with a cached error. Both store numbers with 16 significant digits, so 0.1+0.2 is stored
(and expected) as 0.3; the expected output always follows what the file holds, as openpyxl reads it.

The content is deterministic. XlsxWriter's files are byte-for-byte reproducible; openpyxl stamps
the save time into its files, so only their content repeats.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import openpyxl.utils.datetime
import xlsxwriter
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

CREATED = dt.datetime(2024, 1, 2, 3, 4, 5)
MAX_EXACT_INTEGER = 2**53


# ----------------------------------------------------------------------------------------------
# Workbook content, shared by both writers


@dataclass(frozen=True)
class Cell:
    ref: str
    kind: str  # "string" | "number" | "bool" | "date" | "formula" | "error"
    value: object
    # Number format of a date cell; cached result of a formula cell.
    extra: object = None


@dataclass
class Sheet:
    name: str
    cells: list[Cell]
    hidden: bool = False


@dataclass
class Case:
    name: str
    sheets: list[Sheet]
    date_1904: bool = False


def _strings() -> list[Cell]:
    texts = [
        "æøå ÆØÅ",
        "Sagsbehandling på Ærø",
        "Linje 1\nLinje 2\nLinje 3",
        "  foranstillede mellemrum",
        "efterstillede mellemrum  ",
        "  begge sider  ",
        " ",
        "00123",
        "<tag> & \"citat\" 'apostrof'",
        "Smiley 🙂 uden for BMP",
        "Tab\tmellem",
        "x" * 300,
    ]
    return [Cell(f"A{row}", "string", text) for row, text in enumerate(texts, start=1)]


def _numbers() -> list[Cell]:
    numbers = [0, 1, -1, 42, -273.15, 1e15, 1e-7, 0.1 + 0.2, 3.0, 0.5, -0.25, 123456789012, 2.5e-300, 6.02214076e23]
    return [Cell(f"B{row}", "number", number) for row, number in enumerate(numbers, start=1)]


def _booleans() -> list[Cell]:
    return [Cell("C1", "bool", True), Cell("C2", "bool", False), Cell("D1", "error", "#N/A")]


def _dates(first: dt.date) -> list[Cell]:
    values = [
        (first, "yyyy-mm-dd"),
        (dt.date(2017, 10, 27), "yyyy-mm-dd"),
        (dt.date(2024, 2, 29), "dd-mm-yyyy"),
        (dt.datetime(2017, 10, 27, 21, 0, 0), "yyyy-mm-dd hh:mm:ss"),
        (dt.datetime(2017, 10, 27, 12, 30, 45), "dd/mm/yyyy hh:mm"),
        (dt.datetime(2017, 10, 27, 23, 59, 59), "yyyy-mm-dd hh:mm:ss"),
        (dt.datetime(2021, 6, 15, 8, 5, 3, 123000), "yyyy-mm-dd hh:mm:ss.000"),
        (dt.datetime(1999, 12, 31, 0, 0, 1), "yyyy-mm-dd hh:mm:ss"),
        (dt.date(9999, 12, 31), "yyyy-mm-dd"),
    ]
    return [Cell(f"A{row}", "date", value, fmt) for row, (value, fmt) in enumerate(values, start=1)]


def cases() -> list[Case]:
    dates1900 = _dates(dt.date(1900, 1, 1)) + [
        Cell("B1", "date", dt.date(1900, 2, 28), "yyyy-mm-dd"),
        Cell("B2", "date", dt.date(1900, 3, 1), "yyyy-mm-dd"),
        Cell("C1", "number", 45000),  # A date serial without a date format stays a number.
    ]
    dates1904 = _dates(dt.date(1904, 1, 2)) + [Cell("C1", "number", 45000)]
    formulas = [
        Cell("A1", "number", 41),
        Cell("A2", "string", "Ærø"),
        Cell("B1", "formula", "=A1+1", 42),
        Cell("B2", "formula", '=A2&" kommune"', "Ærø kommune"),
        Cell("B3", "formula", "=A1>40", True),
        Cell("B4", "formula", "=1/0", "#DIV/0!"),
        Cell("B5", "formula", "=A1/4", 10.25),
        Cell("B6", "formula", "=SUM(A1,A1)", 82),
    ]
    sheets = [
        Sheet("Ark1", [Cell("A1", "string", "første"), Cell("K200", "number", 7), Cell("B3", "bool", True)]),
        Sheet("Skjult", [Cell("A1", "string", "skjult ark"), Cell("C5", "number", -1.5)], hidden=True),
        Sheet("Tom", []),
        Sheet("Data æøå", [Cell("A1", "string", "langt væk"), Cell("XFD1048576", "number", 1)]),
    ]
    return [
        Case("values", [Sheet("Ark1", _strings() + _numbers() + _booleans())]),
        Case("dates1900", [Sheet("Ark1", dates1900)]),
        Case("dates1904", [Sheet("Ark1", dates1904)], date_1904=True),
        Case("formulas", [Sheet("Ark1", formulas)]),
        Case("sheets", sheets),
    ]


# ----------------------------------------------------------------------------------------------
# Writers


def write_openpyxl(case: Case, path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    if case.date_1904:
        workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    workbook.properties.created = CREATED
    workbook.properties.modified = CREATED
    for spec in case.sheets:
        sheet = workbook.create_sheet(spec.name)
        if spec.hidden:
            sheet.sheet_state = "hidden"
        for cell in spec.cells:
            target = sheet[cell.ref]
            target.value = cell.value  # A formula ("=...") gets no cached result from openpyxl.
            if cell.kind == "date":
                target.number_format = cell.extra
            if cell.kind == "error" and target.data_type != "e":
                raise RuntimeError(f"openpyxl did not store {cell.value!r} as an error")
    workbook.save(path)


def write_xlsxwriter(case: Case, path: Path) -> None:
    options = {
        "date_1904": case.date_1904,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.set_properties({"created": CREATED})
    formats: dict[str, object] = {}
    for spec in case.sheets:
        sheet = workbook.add_worksheet(spec.name)
        if spec.hidden:
            sheet.hide()
        for cell in spec.cells:
            column_letters, row = coordinate_from_string(cell.ref)
            row, column = row - 1, column_index_from_string(column_letters) - 1
            if cell.kind == "string":
                sheet.write_string(row, column, cell.value)
            elif cell.kind == "number":
                sheet.write_number(row, column, cell.value)
            elif cell.kind == "bool":
                sheet.write_boolean(row, column, cell.value)
            elif cell.kind == "date":
                if cell.extra not in formats:
                    formats[cell.extra] = workbook.add_format({"num_format": cell.extra})
                sheet.write_datetime(row, column, cell.value, formats[cell.extra])
            elif cell.kind == "formula":
                sheet.write_formula(row, column, cell.value, None, cell.extra)
            elif cell.kind == "error":
                # XlsxWriter has no plain error cells: a formula with a cached error result.
                sheet.write_formula(row, column, "=NA()", None, cell.value)
            else:
                raise ValueError(f"unknown cell kind {cell.kind!r}")
    workbook.close()


WRITERS = {"openpyxl": write_openpyxl, "xlsxwriter": write_xlsxwriter}


# ----------------------------------------------------------------------------------------------
# Expected output, as openpyxl reads the files


def _iso(value: dt.datetime) -> str:
    rounded = value + dt.timedelta(microseconds=500)
    rounded = rounded.replace(microsecond=rounded.microsecond // 1000 * 1000)
    if (rounded.hour, rounded.minute, rounded.second, rounded.microsecond) == (0, 0, 0, 0):
        return rounded.date().isoformat()
    text = rounded.strftime("%Y-%m-%dT%H:%M:%S")
    if rounded.microsecond:
        text += f".{rounded.microsecond // 1000:03d}"
    return text


def _number(value: int | float) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_EXACT_INTEGER:
        return int(value)
    return value


def expected_records(path: Path) -> list[dict]:
    workbook = openpyxl.load_workbook(path, data_only=True)
    records = []
    for sheet in workbook.worksheets:
        for (_row, _column), cell in sorted(sheet._cells.items()):
            value = cell.value
            if value is None or value == "":
                continue
            if cell.data_type == "e":
                kind = "error"
            elif isinstance(value, bool):
                kind = "bool"
            elif isinstance(value, (int, float)):
                kind, value = "number", _number(value)
            elif isinstance(value, dt.datetime):
                kind, value = "date", _iso(value)
            elif isinstance(value, dt.date):
                kind, value = "date", value.isoformat()
            elif isinstance(value, str):
                kind = "string"
            else:
                raise TypeError(f"{path.name} {sheet.title}!{cell.coordinate}: unexpected {type(value).__name__} {value!r}")
            records.append({"sheet": sheet.title, "cell": cell.coordinate, "type": kind, "value": value})
    workbook.close()
    return records


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python differential.py OUTDIR", file=sys.stderr)
        return 2
    outdir = Path(argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    for case in cases():
        for writer_name, write in WRITERS.items():
            stem = f"{case.name}.{writer_name}"
            workbook_path = outdir / f"{stem}.xlsx"
            write(case, workbook_path)
            lines = [
                json.dumps(record, ensure_ascii=False, separators=(",", ":")) for record in expected_records(workbook_path)
            ]
            (outdir / f"{stem}.expected.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
