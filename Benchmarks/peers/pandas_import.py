"""pandas + python-calamine: read every returned template's answer table and concatenate them into one DataFrame.

The same read-and-concatenate as `tilsyn import` (without its validation and store): for each workbook, read the
sheet "Tilsyn" with pandas' calamine engine, take the metadata block above the table, keep the rows whose Id column
holds a question id, add the case's metadata as columns, and concatenate all of them. Reports the number of answer
rows as cells.
"""

import re

import pandas as pd

from _common import main

QUESTION_ID = re.compile(r"^[A-Z]{1,3}\.\d+$")


def read_one(path):
    sheet = pd.read_excel(path, sheet_name="Tilsyn", header=None, engine="calamine", dtype=object)
    first = sheet.iloc[:, 0]
    header = int(first.index[first == "Id"][0])
    metadata = {}
    for label_column, value_column in ((1, 2), (3, 4)):
        for label, value in zip(sheet.iloc[:header, label_column], sheet.iloc[:header, value_column]):
            if isinstance(label, str):
                metadata[label] = value
    table = sheet.iloc[header + 1:, [0, 4, 5]]
    table.columns = ["question", "answer", "remark"]
    table = table[table["question"].map(lambda value: isinstance(value, str) and bool(QUESTION_ID.match(value)))]
    return table.assign(
        case=metadata.get("Sagsnummer/pseudonym"), unit=metadata.get("Enhed"), measure=metadata.get("Indsats (§)"),
        round=metadata.get("Runde"), level=metadata.get("Niveau"), reviewer=metadata.get("Reviewer (initialer)"),
        date=metadata.get("Dato for gennemgang"), file=path,
    )


def work(files, all_sheets):
    answers = pd.concat([read_one(path) for path in files], ignore_index=True)
    return len(answers)


if __name__ == "__main__":
    main(work, __doc__)
