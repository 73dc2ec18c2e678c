internal import TilsynSheets

/// Settings of a reviewer template that are the same for every case of a round.
public struct TemplateOptions: Sendable, Equatable {
    /// The municipality, written in the template's metadata unless the case list names the case's own.
    public var kommune: String?
    /// The round (runde), e.g. `2025`.
    public var round: String?
    /// The review level (niveau), 1 or 2.
    public var level: Int?
    /// The sagsskridt (step ids) the template asks about; nil for every step of the catalogue.
    public var steps: Set<String>?
    /// The units offered in the Enhed dropdown (every enhed of the case list); the case's own is always offered.
    public var units: [String]

    /// Settings for a round's templates.
    public init(
        kommune: String? = nil, round: String? = nil, level: Int? = nil, steps: Set<String>? = nil, units: [String] = []
    ) {
        self.kommune = kommune
        self.round = round
        self.level = level
        self.steps = steps
        self.units = units
    }
}

/// A reviewer's answers to write into a template, as a returned workbook would hold them (samples, tests).
public struct TemplateFill: Sendable, Equatable {
    /// The reviewer's initials.
    public var reviewer: String?
    /// The date of review as ISO `yyyy-mm-dd`; written as a date cell.
    public var date: String?
    /// Answer text by question id, as typed (any wording; not checked).
    public var answers: [String: String]
    /// Remarks by question id.
    public var remarks: [String: String]

    /// A reviewer's fill.
    public init(reviewer: String? = nil, date: String? = nil, answers: [String: String] = [:],
                remarks: [String: String] = [:]) {
        self.reviewer = reviewer
        self.date = date
        self.answers = answers
        self.remarks = remarks
    }
}

/// Writes the reviewer's workbook for one case (or a blank one): a protected "Tilsyn" sheet with the metadata and
/// the questions grouped by sagsskridt, a "Vejledning" sheet, and a very hidden "TilsynMeta" sheet.
///
/// Every metadata, answer and remark cell is a workbook-level defined name (`Sagsnummer`, `Svar_B_2`,
/// `Bemaerkning_B_2`, …) and the meta sheet lists the catalogue, the metadata keys and each question's id, so
/// `TemplateReader` never depends on row positions.
public enum TemplateWriter {
    /// The name of the sheet the reviewer fills in.
    public static let sheetName = "Tilsyn"
    /// The name of the instructions sheet.
    public static let guideSheetName = "Vejledning"
    /// The name of the very hidden sheet with the template's structure.
    public static let metaSheetName = "TilsynMeta"
    /// The marker in the meta sheet's A1.
    public static let marker = "tilsyn-template"

    /// The table's column headers (Danish), by column A–G.
    public static let tableHeaders = ["Id", "Spørgsmål", "Vejledning", "Lovgrundlag", "Svar", "Bemærkning", "Pejlemærke"]

    /// The table's column widths in characters, by column A–G.
    static let columnWidths: [Double] = [8, 48, 55, 22, 16, 45, 24]

    /// The sentence that says the questions are not the official wording: in the document properties and on the
    /// Vejledning sheet.
    public static func disclaimer(_ catalogue: Catalogue) -> String {
        "Skabelonen er ikke en officiel skabelon fra Social- og Boligstyrelsen. Spørgsmålene er "
            + catalogue.source.trimmingSuffix(".") + "."
    }

    /// The metadata keys a template always has, with their Danish labels, in header-block order.
    public static let metadataLabels: [(key: String, label: String)] = [
        ("Sagsnummer", "Sagsnummer/pseudonym"), ("Enhed", "Enhed"), ("Indsats", "Indsats (§)"),
        ("Alder", "Barnets alder"), ("Udgangspunkt", "Udgangspunkt"), ("UdgangspunktDato", "Dato for udgangspunkt"),
        ("Kommune", "Kommune"), ("Runde", "Runde"), ("Niveau", "Niveau"), ("Reviewer", "Gennemført af (initialer)"),
        ("Dato", "Dato for gennemgang"),
    ]

    /// The defined name of a question's answer cell: `Svar_B_2`.
    public static func answerName(_ questionID: String) -> String { "Svar_" + questionIDSuffix(questionID) }

    /// The defined name of a question's remark cell: `Bemaerkning_B_2`.
    public static func remarkName(_ questionID: String) -> String { "Bemaerkning_" + questionIDSuffix(questionID) }

    private static func questionIDSuffix(_ id: String) -> String {
        // On the UTF-8 bytes: `.` and `_` are ASCII, so no multi-byte character changes.
        String(decoding: id.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
    }

    /// A file name for the case's workbook at a level: `S-2025-0003_niveau2.xlsx`.
    public static func fileName(for record: CaseRecord?, level: Int) -> String {
        String(fileName(for: record).dropLast(5)) + "_niveau\(level).xlsx"
    }

    /// A file name for the case's workbook: the case number with anything but letters, digits, `-` and `_`
    /// replaced by `_`, plus `.xlsx`; `tilsyn-skabelon.xlsx` for a blank template.
    public static func fileName(for record: CaseRecord?) -> String {
        guard let record else { return "tilsyn-skabelon.xlsx" }
        var name = String(record.sagsnummer.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-"
                || scalar == "_") ? Character(scalar) : "_"
        })
        while name.hasPrefix("_") || name.hasPrefix("-") { name.removeFirst() }
        if name.isEmpty { name = "sag-linje-\(record.line)" }
        return String(name.prefix(100)) + ".xlsx"
    }

    /// Writes the template for `record` (nil: a blank template to fill in by hand) to `path`.
    public static func write(
        catalogue: Catalogue, case record: CaseRecord?, options: TemplateOptions = TemplateOptions(),
        fill: TemplateFill? = nil, to path: String
    ) throws {
        try build(catalogue: catalogue, record: record, options: options, fill: fill, writer: XLSXWriter(path: path))
    }

    /// The template for `record` as workbook bytes.
    public static func bytes(
        catalogue: Catalogue, case record: CaseRecord?, options: TemplateOptions = TemplateOptions(),
        fill: TemplateFill? = nil
    ) throws -> [UInt8] {
        let writer = try XLSXWriter()
        try build(catalogue: catalogue, record: record, options: options, fill: fill, writer: writer)
        return writer.bytes
    }

    // MARK: - Layout

    struct Styles {
        var title, subtitle, label, value, input, inputDate, header, step, text, textGrey, answer, answerGrey,
            remark: XLSXWriter.StyleID

        init(_ w: XLSXWriter) throws {
            typealias S = XLSXWriter.Style
            let thin = XLSXWriter.Border.all(.thin, color: XLSXWriter.Color(rgb: 0xA6A6A6))
            let top = XLSXWriter.Alignment(vertical: .top, wrapText: true)
            let yellow = XLSXWriter.Color(rgb: 0xFFF2CC)
            let grey = XLSXWriter.Color(rgb: 0xEDEDED)
            let greyText = XLSXWriter.Font(color: XLSXWriter.Color(rgb: 0x808080))
            title = try w.addStyle(S(font: XLSXWriter.Font(size: 14, bold: true)))
            subtitle = try w.addStyle(S(font: XLSXWriter.Font(size: 9, italic: true)))
            label = try w.addStyle(S(font: XLSXWriter.Font(bold: true), alignment: top))
            value = try w.addStyle(S(border: thin, alignment: XLSXWriter.Alignment(horizontal: .left, vertical: .top)))
            input = try w.addStyle(S(fill: yellow, border: thin, alignment: top, numberFormat: .text, locked: false))
            inputDate = try w.addStyle(S(fill: yellow, border: thin, numberFormat: .date, locked: false))
            header = try w.addStyle(
                S(font: XLSXWriter.Font(bold: true, color: .white), fill: XLSXWriter.Color(rgb: 0x1F4E79),
                  border: thin, alignment: top))
            step = try w.addStyle(
                S(font: XLSXWriter.Font(bold: true), fill: XLSXWriter.Color(rgb: 0xDDEBF7), border: thin))
            text = try w.addStyle(S(border: thin, alignment: top))
            textGrey = try w.addStyle(S(font: greyText, fill: grey, border: thin, alignment: top))
            answer = try w.addStyle(S(fill: yellow, border: thin, alignment: top, locked: false))
            // A prefilled »Ikke relevant«: grey, but unlocked, as the reviewer may overrule it.
            answerGrey = try w.addStyle(S(font: greyText, fill: grey, border: thin, alignment: top, locked: false))
            remark = try w.addStyle(S(fill: yellow, border: thin, alignment: top, numberFormat: .text, locked: false))
        }
    }

    struct Meta {
        var key, label, name: String
        var value: XLSXWriter.Value?
        var isDate = false
        /// Whether the reviewer may change the value (unlocked, yellow); the round's own fields are locked.
        var editable = true
    }

    static func cell(_ row: Int, _ column: Int) -> String {
        CellAddress.columnName(column + 1) + String(row + 1)
    }

    private static func absolute(_ row: Int, _ column: Int) -> String {
        "'\(sheetName)'!$\(CellAddress.columnName(column + 1))$\(row + 1)"
    }

    private static func build(
        catalogue: Catalogue, record: CaseRecord?, options: TemplateOptions, fill: TemplateFill?, writer: XLSXWriter
    ) throws {
        let title = catalogue.title.lowercased().contains("ledelsestilsyn")
            ? catalogue.title : "Ledelsestilsyn – \(catalogue.title)"
        writer.properties.title = title
        writer.properties.subject = "Katalog \(catalogue.id) version \(catalogue.version)"
        writer.properties.description = disclaimer(catalogue)
        let styles = try Styles(writer)

        // Metadata: the case's own fields on the left, the round's and reviewer's on the right. The case's fields
        // are editable (case lists can be wrong) with dropdowns where the values are known.
        func meta(_ key: String, _ value: XLSXWriter.Value?, isDate: Bool = false, editable: Bool = true) -> Meta {
            let label = metadataLabels.first { $0.key == key }?.label ?? key
            return Meta(key: key, label: label, name: key, value: value, isDate: isDate, editable: editable)
        }
        func text(_ value: String?) -> XLSXWriter.Value? { value.flatMap { $0.isEmpty ? nil : .string($0) } }
        var left = [
            meta("Sagsnummer", text(record?.sagsnummer), editable: record == nil), meta("Enhed", text(record?.enhed)),
            meta("Indsats", text(record.map { indsatsText($0.indsats) })),
            meta("Alder", record?.alder.map { .number(Double($0)) }), meta("Udgangspunkt", text(record?.udgangspunkt)),
            meta("UdgangspunktDato", text(record?.udgangspunktDato)),
        ]
        var usedNames = Set(metadataLabels.map { $0.key.lowercased() })
        for field in record?.extra ?? [] where AnswerVocabulary.fold(field.key) != "niveau" {
            var name = "Meta_" + String(field.key.unicodeScalars.map { scalar -> Character in
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            })
            while usedNames.contains(name.lowercased()) { name += "_" }
            usedNames.insert(name.lowercased())
            left.append(
                Meta(key: field.key, label: field.key, name: name, value: text(field.value), editable: false))
        }
        let right = [
            meta("Kommune", text(record?.kommune ?? options.kommune), editable: false),
            meta("Runde", text(options.round), editable: false),
            meta("Niveau", options.level.map { .number(Double($0)) }, editable: options.level == nil),
            meta("Reviewer", text(fill?.reviewer)), meta("Dato", try fill?.date.flatMap(dateValue), isDate: true),
        ]
        let metaTop = 3
        let headerRow = metaTop + max(left.count, right.count) + 1
        let widths = columnWidths
        let sheet = try writer.addWorksheet(
            sheetName,
            options: XLSXWriter.SheetOptions(
                columns: widths.enumerated().map { XLSXWriter.Column.width($0.offset, $0.element) },
                frozenRows: headerRow + 1, tabColor: XLSXWriter.Color(rgb: 0x1F4E79),
                pageSetup: XLSXWriter.PageSetup(
                    orientation: .landscape, paperSize: XLSXWriter.PageSetup.a4, fitToWidth: true,
                    repeatedRows: headerRow...headerRow)))
        try sheet.writeRow(0, [.string(title, style: styles.title)], height: 20)
        try sheet.writeRow(1, [.string("Katalog: \(catalogue.id), version \(catalogue.version).", style: styles.subtitle)])

        /// The height of a row holding these texts in these columns (0-based), from the wrapped text.
        func height(_ texts: [(column: Int, text: String)], bold: Bool = false) -> Double {
            let lines = texts.map { TextMetrics.lineCount($0.text, columnWidth: widths[$0.column], bold: bold) }.max()
            return TextMetrics.rowHeight(lines: lines ?? 1)
        }

        var metaRecords: [(Meta, String)] = []
        var metaValidations: [(Meta, String)] = []
        for offset in 0..<max(left.count, right.count) {
            let row = metaTop + offset
            var cells: [XLSXWriter.Cell?] = Array(repeating: nil, count: 6)
            var texts: [(column: Int, text: String)] = []
            for (side, column) in [(left, 1), (right, 3)] where offset < side.count {
                let item = side[offset]
                cells[column] = .string(item.label, style: styles.label)
                texts.append((column, item.label))
                let valueColumn = column == 1 ? 2 : 4
                let style = item.isDate ? styles.inputDate : item.editable ? styles.input : styles.value
                if let value = item.value {
                    cells[valueColumn] = XLSXWriter.Cell(value, style: style)
                    if case .string(let text) = value { texts.append((valueColumn, text)) }
                } else {
                    cells[valueColumn] = .blank(style: item.isDate ? styles.inputDate : styles.input)
                }
                try writer.defineName(item.name, refersTo: absolute(row, valueColumn))
                metaRecords.append((item, cell(row, valueColumn)))
                metaValidations.append((item, cell(row, valueColumn)))
            }
            try sheet.writeRow(row, cells, height: height(texts))
        }
        try sheet.writeRow(
            headerRow, tableHeaders.map { XLSXWriter.Cell.string($0, style: styles.header) },
            height: height(tableHeaders.enumerated().map { ($0.offset, $0.element) }, bold: true))

        // Questions by step, in the catalogue's step order.
        var row = headerRow + 1
        var questionRecords: [(Question, Int)] = []
        var validations: [String: (XLSXWriter.DataValidation, [String])] = [:]
        var validationOrder: [String] = []
        let questions = catalogue.allQuestions
        let themeNames = Dictionary(catalogue.themes.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let lastColumn = CellAddress.columnName(tableHeaders.count)
        for step in catalogue.steps where options.steps?.contains(step.id) ?? true {
            let inStep = questions.filter { $0.step == step.id }
            guard !inStep.isEmpty else { continue }
            try sheet.writeRow(row, [.string(step.name, style: styles.step)] + (1..<tableHeaders.count).map { _ in
                XLSXWriter.Cell.blank(style: styles.step)
            })
            try sheet.mergeCells("A\(row + 1):\(lastColumn)\(row + 1)")
            row += 1
            for question in inStep {
                let scale = catalogue.scale(question.type)
                let applies = record.map { question.applies(to: $0.indsats) && question.applies(toAge: $0.alder) }
                    ?? true
                let notApplicable = scale?.notApplicable
                let prefill = !applies ? notApplicable : nil
                let textStyle = prefill == nil ? styles.text : styles.textGrey
                let themes = question.themes.map { themeNames[$0] ?? $0 }.joined(separator: ", ")
                let answer = fill?.answers[question.id] ?? prefill
                let remark = fill?.remarks[question.id]
                try sheet.writeRow(
                    row,
                    [
                        .string(question.id, style: textStyle), .string(question.text, style: textStyle),
                        .string(question.help, style: textStyle),
                        .string(question.legal.joined(separator: "; "), style: textStyle),
                        fill?.answers[question.id].map { .string($0, style: styles.answer) }
                            ?? prefill.map { .string($0, style: styles.answerGrey) } ?? .blank(style: styles.answer),
                        remark.map { .string($0, style: styles.remark) } ?? .blank(style: styles.remark),
                        .string(themes, style: textStyle),
                    ],
                    height: height([
                        (1, question.text), (2, question.help), (3, question.legal.joined(separator: "; ")),
                        (4, answer ?? ""), (5, remark ?? ""), (6, themes),
                    ]))
                try writer.defineName(answerName(question.id), refersTo: absolute(row, 4))
                try writer.defineName(remarkName(question.id), refersTo: absolute(row, 5))
                questionRecords.append((question, row))
                if let scale {
                    let groupKey = scale.id + "\u{1F}" + question.remarkRequiredOn.joined(separator: "\u{1F}")
                    if validations[groupKey] == nil {
                        var message = "Vælg " + scale.answers.joined(separator: ", ") + "."
                        if !question.remarkRequiredOn.isEmpty {
                            message += " Skriv en bemærkning ved svaret "
                                + question.remarkRequiredOn.joined(separator: " eller ") + "."
                        }
                        validations[groupKey] = (
                            XLSXWriter.DataValidation(
                                .list(scale.answers), inputTitle: "Svar", inputMessage: message,
                                errorTitle: "Ugyldigt svar", errorMessage: "Vælg et svar fra listen: "
                                    + scale.answers.joined(separator: ", ") + "."), []
                        )
                        validationOrder.append(groupKey)
                    }
                    validations[groupKey]?.1.append(cell(row, 4))
                }
                row += 1
            }
        }
        for key in validationOrder {
            guard let (validation, cells) = validations[key] else { continue }
            try sheet.addDataValidation(validation, to: cells.joined(separator: " "))
        }
        try addMetadataValidations(sheet, metaValidations, record: record, options: options)
        try sheet.protect()

        try writeGuide(writer: writer, catalogue: catalogue, styles: styles)
        try writeMeta(
            writer: writer, catalogue: catalogue, metadata: metaRecords, questions: questionRecords,
            steps: options.steps.map { steps in catalogue.steps.map(\.id).filter { steps.contains($0) } })
        try writer.close()
    }

    /// The indsats as the template shows it and its dropdown offers it: `§ 32 støttende indsats`.
    static func indsatsText(_ indsats: Indsats) -> String { "\(indsats) \(indsats.danishName.lowercased())" }

    /// Dropdowns and input rules on the metadata a reviewer may correct.
    private static func addMetadataValidations(
        _ sheet: XLSXWorksheetWriter, _ items: [(Meta, String)], record: CaseRecord?, options: TemplateOptions
    ) throws {
        for (item, cell) in items {
            let validation: XLSXWriter.DataValidation?
            switch item.key {
            case "Enhed":
                var units = options.units
                if let own = record?.enhed, !own.isEmpty, !units.contains(own) { units.insert(own, at: 0) }
                // A list Excel accepts: at most 255 characters in all, no commas inside an item.
                let list = units.filter { !$0.contains(",") }
                validation = !list.isEmpty && list.joined(separator: ",").utf8.count <= 255
                    ? XLSXWriter.DataValidation(
                        .list(list), inputTitle: "Enhed", inputMessage: "Ret enheden, hvis sagslisten er forkert.",
                        errorTitle: "Ukendt enhed", errorMessage: "Vælg en enhed fra listen.")
                    : nil
            case "Indsats":
                validation = XLSXWriter.DataValidation(
                    .list(Indsats.allCases.map(indsatsText)), inputTitle: "Indsats",
                    inputMessage: "Ret indsatsen, hvis sagslisten er forkert.", errorTitle: "Ukendt indsats",
                    errorMessage: "Vælg en indsats fra listen.")
            case "Alder":
                validation = XLSXWriter.DataValidation(
                    .wholeNumber(min: 0, max: 25), inputTitle: "Barnets alder",
                    inputMessage: "Alder i hele år ved gennemgangen.", errorTitle: "Ugyldig alder",
                    errorMessage: "Skriv alderen i hele år (0–25).")
            case "Udgangspunkt":
                validation = XLSXWriter.DataValidation(
                    .list(["Underretning", "Henvendelse", "Ansøgning", "Opfølgning"]), inputTitle: "Udgangspunkt",
                    inputMessage: "Det, gennemgangen tager udgangspunkt i.", errorTitle: "Ukendt udgangspunkt",
                    errorMessage: "Vælg et udgangspunkt fra listen.")
            case "Niveau":
                validation = XLSXWriter.DataValidation(
                    .list(["1", "2"]), inputTitle: "Niveau", inputMessage: "Skriv 1 eller 2.")
            default:
                validation = nil
            }
            if let validation { try sheet.addDataValidation(validation, to: cell) }
        }
    }

    /// A date cell value from ISO `yyyy-mm-dd`; nil for other text.
    private static func dateValue(_ iso: String) throws -> XLSXWriter.Value? {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return .dateTime(try XLSXWriter.DateTime(year: parts[0], month: parts[1], day: parts[2]))
    }
}

extension String {
    /// The text without `suffix` at its end, if it ends with it.
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
