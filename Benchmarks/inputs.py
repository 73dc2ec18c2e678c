"""Deterministic benchmark inputs, generated into Benchmarks/.work/ by the harness.

Each input has a stamp file `<name>.params.json` holding its generator parameters and the number
of non-empty cells (or fields) it contains. An input is regenerated only when it or its stamp is
missing or the parameters differ. Every cell that is written is non-empty, so readers that skip
empty cells and readers that do not must report the same count.

Run directly for one input: `python inputs.py large-xlsx|templates|large-csv WORKDIR`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import sys
from pathlib import Path

# Bump when the generated content changes, so existing inputs are regenerated.
GENERATOR_VERSION = 1

VOCABULARY = [
    "Ja", "Nej", "Ikke relevant", "Afventer", "Godkendt", "Afvist", "Under behandling", "Lukket",
    "Åben", "Høring", "Påbud", "Tilsyn", "Bemærkning", "Opfølgning", "Frist overskredet",
    "Kvalitetssikring", "Sagsbehandling", "Økonomi", "Personale", "Hjemmepleje", "Plejecenter",
    "Botilbud", "Dagtilbud", "Skole", "Sundhed", "Beskæftigelse", "Miljø", "Teknik", "Kultur",
    "Fritid", "Børn og unge", "Ældre", "Handicap", "Psykiatri", "Misbrug", "Forebyggelse",
    "Rehabilitering", "Træning", "Medicin", "Dokumentation", "Journalføring", "Hygiejne",
    "Brandsikring", "Arbejdsmiljø", "Magtanvendelse", "Klage", "Samtykke", "Tavshedspligt",
    "Databeskyttelse", "Ledelse",
]
UNITS = [
    "Afdeling Nord", "Afdeling Syd", "Område Øst", "Område Vest", "Plejecenter Åparken",
    "Bostedet Søholm", "Hjemmeplejen Ærø", "Dagcentret Fælledgården", "Skolen ved Søen",
    "Sundhedshuset Køge",
]
REVIEWERS = ["Anne Sørensen", "Bjørn Læssøe", "Carsten Ølgaard", "Dorthe Åberg", "Else Mærsk"]
QUESTION_STEMS = [
    "Er der udarbejdet en skriftlig procedure for", "Bliver der fulgt op på", "Er medarbejderne instrueret i",
    "Foreligger der dokumentation for", "Er ledelsen orienteret om", "Er borgerens ønsker til",
    "Sker der løbende evaluering af", "Er der truffet afgørelse om", "Er ansvaret placeret for",
]
QUESTION_TOPICS = [
    "medicinhåndtering", "magtanvendelse", "hygiejne og smitteforebyggelse", "brandsikkerhed",
    "klagesager", "tavshedspligt og databeskyttelse", "kost og ernæring", "fysisk træning",
    "pårørendesamarbejde", "arbejdsmiljø", "personalets kompetencer", "økonomiske forhold",
    "døgnrytme og søvn", "særlige behov for støtte",
]
REMARKS = [
    "Procedure er under revision.", "Se bilag 3.", "Drøftet på personalemøde; følges op næste runde.",
    "Mangler underskrift fra leder.", "Opfyldt – ingen bemærkninger.",
    "Dokumentationen er delvist på plads.\nResten følger inden fristen.", "Aftalt med Søren Ørsted.",
]
ANSWERS = ["Ja", "Nej", "Ikke relevant"]


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".params.json")


def _fresh(target: Path, params: dict) -> dict | None:
    """The stamp if `target` exists and was generated with `params`, else None."""
    stamp = _stamp_path(target)
    if not target.exists() or not stamp.exists():
        return None
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return None
    return recorded if recorded.get("params") == params else None


def _write_stamp(target: Path, params: dict, cells: int) -> dict:
    stamp = {"params": params, "cells": cells}
    _stamp_path(target).write_text(json.dumps(stamp, indent=2) + "\n")
    return stamp


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# ----------------------------------------------------------------------------------------------
# a) One large sheet of mixed types


def large_xlsx(workdir: Path, rows: int = 100_000, seed: int = 20240601) -> dict:
    """`large.xlsx`: rows x 10 columns of integers, floats, vocabulary strings (shared), unique
    strings, dates, booleans and datetimes, written by XlsxWriter in normal mode (shared strings)."""
    import xlsxwriter

    target = workdir / "large.xlsx"
    params = {"version": GENERATOR_VERSION, "rows": rows, "columns": 10, "seed": seed}
    if (stamp := _fresh(target, params)) is not None:
        return stamp
    rng = random.Random(seed)
    temporary = target.with_name(target.name + ".tmp")
    _remove(temporary)
    workbook = xlsxwriter.Workbook(str(temporary), {"strings_to_numbers": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("Data")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    base_date = dt.date(2000, 1, 1)
    base_datetime = dt.datetime(2020, 1, 1)
    for row in range(rows):
        sheet.write_number(row, 0, row + 1)
        sheet.write_number(row, 1, round(rng.uniform(-1_000_000, 1_000_000), 2))
        sheet.write_string(row, 2, rng.choice(VOCABULARY))
        sheet.write_string(row, 3, f"Sag {row + 1:07d} {rng.getrandbits(40):010x} æøå")
        sheet.write_datetime(row, 4, base_date + dt.timedelta(days=rng.randrange(9000)), date_format)
        sheet.write_boolean(row, 5, rng.random() < 0.5)
        sheet.write_number(row, 6, rng.randint(-1_000_000, 1_000_000))
        sheet.write_number(row, 7, rng.random())
        sheet.write_string(row, 8, rng.choice(UNITS))
        sheet.write_datetime(row, 9, base_datetime + dt.timedelta(seconds=rng.randrange(200_000_000)), datetime_format)
    workbook.close()
    os.replace(temporary, target)
    return _write_stamp(target, params, rows * 10)


# ----------------------------------------------------------------------------------------------
# b) Many small template-like workbooks


def _template(path: Path, rng: random.Random, number: int) -> int:
    """One audit template; returns the number of cells written (all non-empty)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Tilsyn")
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 2, 14)
    sheet.set_column(3, 3, 40)
    cells = 0

    metadata = [
        ("Sagsnummer", f"2024-{number:04d}"),
        ("Enhed", rng.choice(UNITS)),
        ("Indsats", rng.choice(["Hjemmepleje", "Plejecenter", "Botilbud", "Dagtilbud"])),
        ("Niveau", rng.choice(["Basis", "Udvidet", "Skærpet"])),
        ("Runde", rng.randint(1, 4)),
        ("Reviewer", rng.choice(REVIEWERS)),
        ("Dato", dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(366))),
    ]
    for row, (label, value) in enumerate(metadata):
        sheet.write_string(row, 0, label, bold)
        if isinstance(value, dt.date):
            sheet.write_datetime(row, 1, value, date_format)
        elif isinstance(value, int):
            sheet.write_number(row, 1, value)
        else:
            sheet.write_string(row, 1, value)
        cells += 2

    first = len(metadata) + 1
    for column, title in enumerate(["id", "spørgsmål", "svar", "bemærkning"]):
        sheet.write_string(first, column, title, header)
        cells += 1

    questions = rng.randint(42, 48)
    for index in range(questions):
        row = first + 1 + index
        section = "ABCDEF"[index // 9]
        sheet.write_string(row, 0, f"{section}.{index % 9 + 1}")
        text = f"{rng.choice(QUESTION_STEMS)} {rng.choice(QUESTION_TOPICS)}?"
        sheet.write_string(row, 1, text, wrap)
        cells += 2
        if rng.random() < 0.9:  # Some questions are still unanswered: no cell at all.
            sheet.write_string(row, 2, rng.choice(ANSWERS))
            cells += 1
        if rng.random() < 0.3:
            sheet.write_string(row, 3, rng.choice(REMARKS), wrap)
            cells += 1
    sheet.data_validation(
        first + 1, 2, first + questions, 2,
        {"validate": "list", "source": ANSWERS, "error_message": "Vælg Ja, Nej eller Ikke relevant"},
    )
    sheet.freeze_panes(first + 1, 0)
    workbook.close()
    return cells


def templates(workdir: Path, count: int = 1000, seed: int = 7100) -> dict:
    """`templates/0000.xlsx ...`: `count` small audit templates with a metadata block, ~45 question
    rows and a list-validated answer column."""
    target = workdir / "templates"
    params = {"version": GENERATOR_VERSION, "count": count, "seed": seed}
    if (stamp := _fresh(target, params)) is not None:
        return stamp
    temporary = workdir / "templates.tmp"
    _remove(temporary)
    temporary.mkdir(parents=True)
    cells = 0
    for number in range(count):
        cells += _template(temporary / f"{number:04d}.xlsx", random.Random(seed + number), number)
    _remove(target)
    os.replace(temporary, target)
    return _write_stamp(target, params, cells)


def template_files(workdir: Path) -> list[str]:
    return sorted(str(path) for path in (workdir / "templates").glob("*.xlsx"))


# ----------------------------------------------------------------------------------------------
# c) A large Danish-style CSV file


def _csv_field(value: str) -> str:
    if any(character in value for character in ';"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def large_csv(workdir: Path, rows: int = 1_000_000, seed: int = 5150, name: str = "large.csv") -> dict:
    """`large.csv` (or `name`): a header plus `rows` records of 8 fields; `;`-separated, UTF-8 with BOM, CRLF,
    decimal commas, æøå, and quoted fields containing `;`, `"` and line breaks."""
    target = workdir / name
    params = {"version": GENERATOR_VERSION, "rows": rows, "fields": 8, "seed": seed}
    if (stamp := _fresh(target, params)) is not None:
        return stamp
    rng = random.Random(seed)
    tricky = [
        'Se "bilag 2"; side 4',
        "Opfølgning aftalt;\r\nny frist 1. juni",
        'Leder: "Det er på plads"',
        "Flere linjer\nmed æøå; og ÆØÅ",
    ]
    base_date = dt.date(2015, 1, 1)
    temporary = target.with_name(target.name + ".tmp")
    header = ["id", "navn", "beløb", "dato", "kategori", "bemærkning", "antal", "status"]
    with open(temporary, "wb") as handle:
        handle.write(b"\xef\xbb\xbf" + (";".join(header) + "\r\n").encode())
        lines: list[str] = []
        for row in range(rows):
            remark = rng.choice(tricky) if rng.random() < 0.1 else rng.choice(VOCABULARY)
            fields = [
                str(row + 1),
                f"{rng.choice(REVIEWERS)} {row % 997}",
                f"{rng.uniform(-100_000, 100_000):.2f}".replace(".", ","),
                (base_date + dt.timedelta(days=rng.randrange(3650))).isoformat(),
                rng.choice(UNITS),
                remark,
                str(rng.randint(0, 5000)),
                rng.choice(ANSWERS),
            ]
            lines.append(";".join(_csv_field(field) for field in fields))
            if len(lines) == 10_000:
                handle.write(("\r\n".join(lines) + "\r\n").encode())
                lines.clear()
        if lines:
            handle.write(("\r\n".join(lines) + "\r\n").encode())
    os.replace(temporary, target)
    return _write_stamp(target, params, (rows + 1) * len(header))


def convert_csv(workdir: Path) -> dict:
    """`convert.csv`: `large.csv`'s kind of data, 124,999 records + the header × 8 fields = 1,000,000 cells."""
    return large_csv(workdir, rows=124_999, seed=5151, name="convert.csv")


CATALOGUE = Path(__file__).resolve().parent.parent / "Schemas" / "catalogues" / "kk-2025.json"
LONG_UNITS = ["Børn og Unge Nord", "Børn og Unge Syd", "Familieafsnit Øst", "Familieafsnit Vest", "Ungeenheden",
              "Handicapteamet Åparken"]
LONG_REMARKS = ["Børnesamtalen er ikke dokumenteret.", "Handleplanen mangler mål for skolegang.",
                "Opfølgning er aftalt; frist overskredet med 3 uger.", "Forældrenes perspektiv fremgår ikke.",
                "Underretningen er vurderet, men begrundelsen mangler.", "Se journalnotat af 12. marts."]
LONG_HEADER = ["sagsnummer", "niveau", "runde", "spørgsmål", "svar", "bemærkning", "enhed", "indsats", "reviewer",
               "dato"]


def long_csv(workdir: Path, reviews: int, name: str, seed: int = 4141) -> dict:
    """A long audit CSV as `tilsyn import` reads it: one row per answer (sagsnummer;niveau;runde;spørgsmål;svar;
    bemærkning;enhed;indsats;reviewer;dato), `reviews` reviews of kk-2025's 41 questions, each case at niveau 1 in
    round 2025; answers drawn as reviewers give them (mostly Ja, a remark with every Nej and some Ja, degrees for
    degree questions, questions that do not apply to the case's indsats left blank). Cells = answers."""
    target = workdir / name
    catalogue = json.loads(CATALOGUE.read_text())
    questions = [(question["id"], question["type"], question["appliesTo"]) for question in catalogue["questions"]]
    params = {"version": GENERATOR_VERSION, "reviews": reviews, "questions": len(questions), "seed": seed,
              "catalogue": catalogue["version"]}
    if (stamp := _fresh(target, params)) is not None:
        return stamp
    rng = random.Random(seed)
    base_date = dt.date(2025, 1, 6)
    initials = ["AS", "BL", "CØ", "DÅ", "EM"]
    temporary = target.with_name(target.name + ".tmp")
    answers = 0
    with open(temporary, "wb") as handle:
        handle.write(b"\xef\xbb\xbf" + (";".join(LONG_HEADER) + "\r\n").encode())
        lines: list[str] = []
        for review in range(reviews):
            case = f"S-{review + 1:07d}"
            unit = LONG_UNITS[review % len(LONG_UNITS)]
            measure = [32, 30, 46, 47][review % 7 % 4]
            reviewer = initials[review % len(initials)]
            date = (base_date + dt.timedelta(days=review % 200)).strftime("%d-%m-%Y")
            for question, kind, applies in questions:
                remark = ""
                if measure not in applies:
                    answer = ""
                elif kind == "GRAD":
                    answer = rng.choice(["Lav grad", "Nogen grad", "Høj grad", "Høj grad"])
                else:
                    draw = rng.random()
                    answer = "Ja" if draw < 0.78 else "Nej" if draw < 0.92 else "Ikke relevant"
                if answer in ("Nej", "Lav grad") or (answer == "Ja" and rng.random() < 0.05):
                    remark = rng.choice(LONG_REMARKS)
                fields = [case, "1", "2025", question, answer, remark, unit, str(measure), reviewer, date]
                lines.append(";".join(_csv_field(field) for field in fields))
                answers += 1
            if len(lines) >= 10_000:
                handle.write(("\r\n".join(lines) + "\r\n").encode())
                lines.clear()
        if lines:
            handle.write(("\r\n".join(lines) + "\r\n").encode())
    os.replace(temporary, target)
    return _write_stamp(target, params, answers)


GENERATORS = {"large-xlsx": large_xlsx, "templates": templates, "large-csv": large_csv, "convert-csv": convert_csv}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in GENERATORS:
        sys.exit(f"usage: python inputs.py {{{'|'.join(GENERATORS)}}} WORKDIR")
    directory = Path(sys.argv[2])
    directory.mkdir(parents=True, exist_ok=True)
    print(json.dumps(GENERATORS[sys.argv[1]](directory)))
