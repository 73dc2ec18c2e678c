// Writing benchmarks: `write-xlsx OUT ROWS COLS [--level N]` and `write-templates DIR N [--level N]`.
//
// The same content is written by Benchmarks/peers/xlsxwriter_write.py (XlsxWriter) and
// Benchmarks/peers/libxlsxwriter_write.c (libxlsxwriter); keep the three in step (see Benchmarks/README.md).
import TilsynSheets

import Glibc

/// Content shared with the peers, value for value.
enum BenchContent {
    static let vocabulary = [
        "Ja", "Nej", "Ikke relevant", "Afventer", "Godkendt", "Afvist", "Under behandling", "Lukket", "Åben",
        "Høring", "Påbud", "Tilsyn", "Bemærkning", "Opfølgning", "Frist overskredet", "Kvalitetssikring",
    ]
    static let units = [
        "Afdeling Nord", "Afdeling Syd", "Område Øst", "Område Vest", "Plejecenter Åparken", "Bostedet Søholm",
        "Hjemmeplejen Ærø", "Dagcentret Fælledgården", "Skolen ved Søen", "Sundhedshuset Køge",
    ]
    static let efforts = ["Hjemmepleje", "Plejecenter", "Botilbud", "Dagtilbud"]
    static let levels = ["Basis", "Udvidet", "Skærpet"]
    static let reviewers = ["Anne Sørensen", "Bjørn Læssøe", "Carsten Ølgaard", "Dorthe Åberg", "Else Mærsk"]
    static let stems = [
        "Er der udarbejdet en skriftlig procedure for", "Bliver der fulgt op på", "Er medarbejderne instrueret i",
        "Foreligger der dokumentation for", "Er ledelsen orienteret om", "Er borgerens ønsker til",
    ]
    static let topics = [
        "magtanvendelse", "medicinhåndtering", "underretninger", "handleplaner", "børnesamtaler",
        "samvær", "klager", "tavshedspligt",
    ]
    static let answers = ["Ja", "Nej", "Ikke relevant"]

    /// Days from 1970-01-01 to 2020-01-01, the first date of the large sheet.
    static let daysTo2020 = 18_262
}

/// Parses `--level N` off the end of `operands`; returns the remaining operands and the level (6 by default).
private func splitLevel(_ operands: [String]) -> ([String], Int) {
    guard operands.count >= 2, operands[operands.count - 2] == "--level",
        let level = Int(operands[operands.count - 1]), (1...9).contains(level)
    else {
        if operands.contains("--level") { fail("--level needs a zlib level 1 to 9 as the last option") }
        return (operands, 6)
    }
    return (Array(operands.dropLast(2)), level)
}

/// Writes ROWS × COLS cells into one sheet, streaming, with inline strings as the peers' constant-memory modes.
///
/// Column kinds repeat every 10 columns: integer, decimal, vocabulary text, unique text, date, date-time,
/// boolean, integer, decimal, vocabulary text.
func writeLargeSheet(_ operands: [String]) {
    let (rest, level) = splitLevel(operands)
    guard rest.count == 3, let rows = Int(rest[1]), let columns = Int(rest[2]), rows > 0, columns > 0 else {
        fail("write-xlsx needs OUT ROWS COLS [--level N]")
    }
    do {
        let writer = try XLSXWriter(
            path: rest[0], options: .init(compressionLevel: level, sharedStrings: false, syncToDisk: false))
        let dateStyle = try writer.addStyle(.init(numberFormat: .date))
        let dateTimeStyle = try writer.addStyle(.init(numberFormat: .dateTime))
        let sheet = try writer.addWorksheet("Data")
        var cells = [XLSXWriter.Cell?](repeating: nil, count: columns)
        for row in 0..<rows {
            for column in 0..<columns {
                let value: XLSXWriter.Cell
                switch column % 10 {
                case 0: value = .number(Double(row))
                case 1: value = .number(Double(row) * 1.25 + 0.1)
                case 2: value = .string(BenchContent.vocabulary[row % 16])
                case 3: value = .string("Sag-\(row)")
                case 4:
                    value = .dateTime(
                        try .init(secondsSince1970: Double(BenchContent.daysTo2020 + row % 3650) * 86_400),
                        style: dateStyle)
                case 5:
                    value = .dateTime(
                        try .init(
                            secondsSince1970: Double(BenchContent.daysTo2020 + row % 3650) * 86_400
                                + Double(row % 86_400)),
                        style: dateTimeStyle)
                case 6: value = .bool(row % 2 == 0)
                case 7: value = .number(Double(row * 7 % 1000))
                case 8: value = .number(Double(row) / 3)
                default: value = .string(BenchContent.vocabulary[(row * 7) % 10])
                }
                cells[column] = value
            }
            try sheet.appendRow(cells)
        }
        try writer.close()
    } catch {
        fail("write-xlsx: \(error)")
    }
    print("cells=\(rows * columns)")
}

/// Writes N small audit templates `DIR/0000.xlsx …`: a metadata block, a header, 42–48 question rows with a
/// list-validated answer column, shared strings.
func writeTemplates(_ operands: [String]) {
    let (rest, level) = splitLevel(operands)
    guard rest.count == 2, let count = Int(rest[1]), count > 0 else {
        fail("write-templates needs DIR N [--level N]")
    }
    var cells = 0
    do {
        for number in 0..<count {
            cells += try writeTemplate(
                path: rest[0] + "/" + fourDigits(number) + ".xlsx", number: number, level: level)
        }
    } catch {
        fail("write-templates: \(error)")
    }
    print("cells=\(cells)")
}

private func fourDigits(_ number: Int) -> String {
    let digits = String(number)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// One template; returns the number of cells written.
private func writeTemplate(path: String, number: Int, level: Int) throws -> Int {
    // No fsync per file, as the peers do not flush either (see Benchmarks/README.md).
    let writer = try XLSXWriter(path: path, options: .init(compressionLevel: level, syncToDisk: false))
    let bold = try writer.addStyle(.init(font: .init(bold: true)))
    let wrap = try writer.addStyle(.init(alignment: .init(vertical: .top, wrapText: true)))
    let date = try writer.addStyle(.init(numberFormat: .date))
    let header = try writer.addStyle(
        .init(font: .init(bold: true), fill: XLSXWriter.Color(rgb: 0xDDEBF7), border: .all(.thin)))
    let sheet = try writer.addWorksheet(
        "Tilsyn", options: .init(columns: [.width(0, 14), .width(1, 60), .width(2, 14), .width(3, 40)]))
    let metadata: [(String, XLSXWriter.Cell)] = [
        ("Sagsnummer", .string("2024-" + fourDigits(number))),
        ("Enhed", .string(BenchContent.units[number % 10])),
        ("Indsats", .string(BenchContent.efforts[number % 4])),
        ("Niveau", .string(BenchContent.levels[number % 3])),
        ("Runde", .number(Double(number % 4 + 1))),
        ("Reviewer", .string(BenchContent.reviewers[number % 5])),
        ("Dato", .dateTime(try .init(year: 2024, month: 1, day: 1 + number % 31), style: date)),
    ]
    var cells = 0
    for (label, value) in metadata {
        try sheet.appendRow([.string(label, style: bold), value])
        cells += 2
    }
    try sheet.writeRow(
        8, ["id", "spørgsmål", "svar", "bemærkning"].map { .string($0, style: header) })
    cells += 4
    let questions = 42 + number % 7
    for index in 0..<questions {
        let section = Character(UnicodeScalar(UInt8(ascii: "A") + UInt8(index / 9)))
        let text =
            BenchContent.stems[(number + index) % 6] + " " + BenchContent.topics[(number * 3 + index) % 8] + "?"
        var row: [XLSXWriter.Cell?] = [.string("\(section).\(index % 9 + 1)"), .string(text, style: wrap)]
        cells += 2
        if (number + index) % 10 != 0 {
            row.append(.string(BenchContent.answers[(number + index) % 3]))
            cells += 1
        }
        try sheet.appendRow(row)
    }
    try sheet.addDataValidation(
        .init(.list(BenchContent.answers), inputTitle: "Svar", inputMessage: "Vælg Ja, Nej eller Ikke relevant"),
        to: "C10:C\(9 + questions)")
    try writer.close()
    return cells
}

