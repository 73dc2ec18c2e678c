"""XlsxWriter writing: `large OUT ROWS COLS` (constant_memory) or `templates DIR N`.

The content is the same, value for value, as `tilsyn-bench write-xlsx` / `write-templates`
(Sources/tilsyn-bench/Write.swift) and peers/libxlsxwriter_write.c write.
"""

import datetime as dt

import xlsxwriter

from _common import main

VOCABULARY = [
    "Ja", "Nej", "Ikke relevant", "Afventer", "Godkendt", "Afvist", "Under behandling", "Lukket", "Åben",
    "Høring", "Påbud", "Tilsyn", "Bemærkning", "Opfølgning", "Frist overskredet", "Kvalitetssikring",
]
UNITS = [
    "Afdeling Nord", "Afdeling Syd", "Område Øst", "Område Vest", "Plejecenter Åparken", "Bostedet Søholm",
    "Hjemmeplejen Ærø", "Dagcentret Fælledgården", "Skolen ved Søen", "Sundhedshuset Køge",
]
EFFORTS = ["Hjemmepleje", "Plejecenter", "Botilbud", "Dagtilbud"]
LEVELS = ["Basis", "Udvidet", "Skærpet"]
REVIEWERS = ["Anne Sørensen", "Bjørn Læssøe", "Carsten Ølgaard", "Dorthe Åberg", "Else Mærsk"]
STEMS = [
    "Er der udarbejdet en skriftlig procedure for", "Bliver der fulgt op på", "Er medarbejderne instrueret i",
    "Foreligger der dokumentation for", "Er ledelsen orienteret om", "Er borgerens ønsker til",
]
TOPICS = [
    "magtanvendelse", "medicinhåndtering", "underretninger", "handleplaner", "børnesamtaler", "samvær", "klager",
    "tavshedspligt",
]
ANSWERS = ["Ja", "Nej", "Ikke relevant"]
BASE = dt.datetime(2020, 1, 1)


def large(path, rows, columns):
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    datetime_format = workbook.add_format({"num_format": "dd-mm-yyyy hh:mm"})
    sheet = workbook.add_worksheet("Data")
    for row in range(rows):
        for column in range(columns):
            kind = column % 10
            if kind == 0:
                sheet.write_number(row, column, row)
            elif kind == 1:
                sheet.write_number(row, column, row * 1.25 + 0.1)
            elif kind == 2:
                sheet.write_string(row, column, VOCABULARY[row % 16])
            elif kind == 3:
                sheet.write_string(row, column, f"Sag-{row}")
            elif kind == 4:
                sheet.write_datetime(row, column, BASE + dt.timedelta(days=row % 3650), date_format)
            elif kind == 5:
                sheet.write_datetime(
                    row, column, BASE + dt.timedelta(days=row % 3650, seconds=row % 86400), datetime_format)
            elif kind == 6:
                sheet.write_boolean(row, column, row % 2 == 0)
            elif kind == 7:
                sheet.write_number(row, column, row * 7 % 1000)
            elif kind == 8:
                sheet.write_number(row, column, row / 3)
            else:
                sheet.write_string(row, column, VOCABULARY[(row * 7) % 10])
    workbook.close()
    return rows * columns


def template(path, number):
    workbook = xlsxwriter.Workbook(path)
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet = workbook.add_worksheet("Tilsyn")
    for column, width in enumerate([14, 60, 14, 40]):
        sheet.set_column(column, column, width)
    metadata = [
        ("Sagsnummer", f"2024-{number:04d}"), ("Enhed", UNITS[number % 10]), ("Indsats", EFFORTS[number % 4]),
        ("Niveau", LEVELS[number % 3]), ("Runde", number % 4 + 1), ("Reviewer", REVIEWERS[number % 5]),
        ("Dato", dt.datetime(2024, 1, 1 + number % 31)),
    ]
    cells = 0
    for row, (label, value) in enumerate(metadata):
        sheet.write_string(row, 0, label, bold)
        if isinstance(value, dt.datetime):
            sheet.write_datetime(row, 1, value, date_format)
        elif isinstance(value, int):
            sheet.write_number(row, 1, value)
        else:
            sheet.write_string(row, 1, value)
        cells += 2
    for column, title in enumerate(["id", "spørgsmål", "svar", "bemærkning"]):
        sheet.write_string(8, column, title, header)
        cells += 1
    questions = 42 + number % 7
    for index in range(questions):
        row = 9 + index
        sheet.write_string(row, 0, f"{'ABCDEF'[index // 9]}.{index % 9 + 1}")
        sheet.write_string(row, 1, f"{STEMS[(number + index) % 6]} {TOPICS[(number * 3 + index) % 8]}?", wrap)
        cells += 2
        if (number + index) % 10 != 0:
            sheet.write_string(row, 2, ANSWERS[(number + index) % 3])
            cells += 1
    sheet.data_validation(9, 2, 8 + questions, 2, {
        "validate": "list", "source": ANSWERS, "input_title": "Svar",
        "input_message": "Vælg Ja, Nej eller Ikke relevant",
    })
    workbook.close()
    return cells


def work(arguments, _all_sheets):
    if arguments[0] == "large" and len(arguments) == 4:
        return large(arguments[1], int(arguments[2]), int(arguments[3]))
    if arguments[0] == "templates" and len(arguments) == 3:
        return sum(template(f"{arguments[1]}/{number:04d}.xlsx", number) for number in range(int(arguments[2])))
    raise SystemExit("usage: xlsxwriter_write.py large OUT ROWS COLS | templates DIR N")


if __name__ == "__main__":
    main(work, __doc__)
