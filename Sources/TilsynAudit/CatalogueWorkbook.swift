internal import Foundation
internal import TilsynSheets

/// Catalogues as workbooks for authoring in Excel: a "Spørgsmål" sheet with one question per row and a "Katalog"
/// sheet with the id, version, title, scales, steps and themes.
///
/// The question sheet's columns are found by their headers (in any order, extra columns ignored): Id, Sagsskridt,
/// Pejlemærke, Spørgsmål, Vejledning, Type, Gælder for, §, Bemærkning ved, Temanedslag, Erstatter, Valgfri (`Ja`
/// for a question a reviewer may leave blank). Lists are
/// written `INB, UDR` (themes), `30, 32` (indsatser), `barnets lov § 20; forvaltningsloven § 19` (legal
/// references) and `U.1, U.2` (the earlier ids a question replaces, for trends across catalogue versions).
/// A catalogue exported and imported again is identical.
public enum CatalogueWorkbook {
    /// The name of the question sheet.
    public static let questionSheet = "Spørgsmål"
    /// The name of the metadata sheet.
    public static let metadataSheet = "Katalog"

    /// The question sheet's headers, in the order `export` writes them.
    public static let headers = [
        "Id", "Sagsskridt", "Pejlemærke", "Spørgsmål", "Vejledning", "Type", "Gælder for", "§", "Bemærkning ved",
        "Temanedslag", "Erstatter", "Valgfri", "Fra alder", "Til alder",
    ]

    private enum Key {
        static let id = "Id"
        static let version = "Version"
        static let title = "Titel"
        static let source = "Kilde"
        static let scope = "Omfang"
        static let basedOn = "Bygger på"
        static let baselineLevel = "Basisniveau"
        static let round = "Temanedslag runde"
        static let temaTitle = "Temanedslag titel"
        static let scale = "Svarskala"
        static let step = "Sagsskridt"
        static let theme = "Pejlemærke"
    }

    // MARK: - Export

    /// Writes `catalogue` as a workbook to `path`.
    public static func export(_ catalogue: Catalogue, to path: String) throws {
        let writer = try XLSXWriter(path: path)
        try write(catalogue, with: writer)
    }

    /// The workbook for `catalogue`, in memory.
    public static func export(_ catalogue: Catalogue) throws -> [UInt8] {
        let writer = try XLSXWriter()
        try write(catalogue, with: writer)
        return writer.bytes
    }

    private static func write(_ catalogue: Catalogue, with writer: XLSXWriter) throws {
        writer.properties.title = catalogue.title
        let header = try writer.addStyle(
            XLSXWriter.Style(font: XLSXWriter.Font(bold: true), fill: XLSXWriter.Color(rgb: 0xDDEBF7)))
        let wrap = try writer.addStyle(XLSXWriter.Style(alignment: XLSXWriter.Alignment(vertical: .top, wrapText: true)))
        let top = try writer.addStyle(XLSXWriter.Style(alignment: XLSXWriter.Alignment(vertical: .top)))
        let widths: [Double] = [8, 11, 12, 60, 70, 7, 14, 28, 14, 12, 12, 10, 10, 10]
        let sheet = try writer.addWorksheet(
            questionSheet,
            options: XLSXWriter.SheetOptions(
                columns: widths.enumerated().map { XLSXWriter.Column.width($0.offset, $0.element) }, frozenRows: 1))
        try sheet.appendRow(headers.map { XLSXWriter.Cell.string($0, style: header) })
        let tema = Set(catalogue.temanedslag?.questions.map(\.id) ?? [])
        for question in catalogue.allQuestions {
            try sheet.appendRow([
                .string(question.id, style: top), .string(question.step, style: top),
                .string(question.themes.joined(separator: ", "), style: top), .string(question.text, style: wrap),
                .string(question.help, style: wrap), .string(question.type, style: top),
                .string(question.appliesTo.map(String.init).joined(separator: ", "), style: top),
                .string(question.legal.joined(separator: "; "), style: wrap),
                .string(question.remarkRequiredOn.joined(separator: "; "), style: top),
                .string(tema.contains(question.id) ? "Ja" : "", style: top),
                .string(question.replaces.joined(separator: ", "), style: top),
                .string(question.optional ? "Ja" : "", style: top),
                question.minimumAge.map { .number(Double($0), style: top) } ?? .string("", style: top),
                question.maximumAge.map { .number(Double($0), style: top) } ?? .string("", style: top),
            ])
        }
        try sheet.setAutoFilter("A1:N\(catalogue.allQuestions.count + 1)")

        let meta = try writer.addWorksheet(
            metadataSheet, options: XLSXWriter.SheetOptions(columns: [.width(0, 20), .width(1, 40), .width(2, 30)]))
        func row(_ key: String, _ values: [String]) throws {
            try meta.appendRow([.string(key, style: header)] + values.map { .string($0) })
        }
        try row(Key.id, [catalogue.id])
        try row(Key.version, [catalogue.version])
        try row(Key.title, [catalogue.title])
        try row(Key.source, [catalogue.source])
        try row(Key.scope, [catalogue.scope])
        try row(Key.basedOn, [catalogue.basedOn.joined(separator: ", ")])
        try row(Key.baselineLevel, [catalogue.baselineLevel.map(String.init) ?? ""])
        try row(Key.round, [catalogue.temanedslag?.round ?? ""])
        try row(Key.temaTitle, [catalogue.temanedslag?.title ?? ""])
        try meta.appendRow([])
        for scale in catalogue.scales {
            try row(Key.scale, [scale.id, scale.name, scale.notApplicable ?? ""] + scale.answers)
        }
        for step in catalogue.steps { try row(Key.step, [step.id, step.name]) }
        for theme in catalogue.themes { try row(Key.theme, [theme.id, theme.name]) }
        try meta.appendRow([])
        try meta.appendRow([
            .string("Svarskala: id, navn, svaret for »ikke relevant« og derefter svarene i rækkefølge.")
        ])
        try writer.close()
    }

    // MARK: - Import

    /// Reads a catalogue from the workbook at `path` and validates it; errors name the file, the cell and the
    /// question.
    public static func `import`(path: String) throws -> Catalogue {
        do {
            return try read(Workbook(path: path), file: path)
        } catch let error as SpreadsheetError {
            throw CatalogueError(.unreadable, error.description)
        }
    }

    /// Reads a catalogue from workbook bytes; `name` is used in errors.
    public static func `import`(bytes: [UInt8], name: String) throws -> Catalogue {
        do {
            return try read(Workbook(bytes: bytes, name: name), file: name)
        } catch let error as SpreadsheetError {
            throw CatalogueError(.unreadable, error.description)
        }
    }

    private static func normalised(_ text: String) -> String { text.trimmed.lowercased() }

    private static func read(_ workbook: Workbook, file: String) throws -> Catalogue {
        guard let metaInfo = workbook.sheet(named: metadataSheet) else {
            throw CatalogueError(.notATemplate, "the workbook has no sheet '\(metadataSheet)' with the id, version, "
                + "title and scales; export a catalogue to see the layout", file: file)
        }
        guard let questionInfo = workbook.sheet(named: questionSheet)
            ?? workbook.sheets.first(where: { $0.name != metaInfo.name && $0.kind == .worksheet })
        else {
            throw CatalogueError(.notATemplate, "the workbook has no sheet '\(questionSheet)'", file: file)
        }
        let meta = try workbook.load(metaInfo)
        var fields: [String: String] = [:]
        var scales: [AnswerScale] = []
        var steps: [Step] = []
        var themes: [Theme] = []
        for row in meta.rows {
            let values = row.cells.sorted { $0.column < $1.column }
            guard let keyCell = values.first, keyCell.column == 1 else { continue }
            func value(_ column: Int) -> String { row[column: column]?.value.auditText.trimmed ?? "" }
            let key = keyCell.value.auditText.trimmed
            switch normalised(key) {
            case normalised(Key.scale):
                let last = values.last?.column ?? 1
                let answers = last >= 5 ? (5...last).map(value).filter { !$0.isEmpty } : []
                let notApplicable = value(4)
                scales.append(AnswerScale(id: value(2), name: value(3), answers: answers,
                                          notApplicable: notApplicable.isEmpty ? nil : notApplicable))
            case normalised(Key.step): steps.append(Step(id: value(2), name: value(3)))
            case normalised(Key.theme): themes.append(Theme(id: value(2), name: value(3)))
            default: fields[normalised(key)] = value(2)
            }
        }
        func field(_ key: String) -> String { fields[normalised(key)] ?? "" }

        let sheet = try workbook.load(questionInfo)
        guard let headerRow = sheet.rows.first(where: { row in
            row.cells.contains { normalised($0.value.auditText) == "id" }
        }) else {
            throw CatalogueError(.notATemplate, "the sheet has no header row with an 'Id' column; the headers are "
                + headers.joined(separator: ", "), file: file, location: "sheet '\(questionInfo.name)'")
        }
        var columns: [String: Int] = [:]
        for cell in headerRow.cells { columns[normalised(cell.value.auditText)] = cell.column }
        for required in ["Id", "Sagsskridt", "Spørgsmål", "Type"] where columns[normalised(required)] == nil {
            throw CatalogueError(.notATemplate, "the header row lacks the column '\(required)'", file: file,
                                 location: "\(questionInfo.name)!\(headerRow.number)")
        }
        let stepByName = Dictionary(steps.map { (normalised($0.name), $0.id) }, uniquingKeysWith: { a, _ in a })
        var questions: [Question] = []
        var temaQuestions: [Question] = []
        for row in sheet.rows where row.number > headerRow.number {
            func text(_ header: String) -> String {
                columns[normalised(header)].flatMap { row[column: $0]?.value.auditText.trimmed } ?? ""
            }
            let id = text("Id")
            let questionText = text("Spørgsmål")
            if id.isEmpty && questionText.isEmpty { continue }
            let location = "\(questionInfo.name)!A\(row.number)"
            func age(_ header: String) throws -> Int? {
                let value = text(header)
                guard !value.isEmpty else { return nil }
                guard let years = Int(value), (0...25).contains(years) else {
                    throw CatalogueError(.invalidValue, "'\(header)' is '\(value)'; write a whole number of years, 0–25",
                                         file: file, question: id, location: location)
                }
                return years
            }
            var appliesTo: [Int] = []
            for item in splitList(text("Gælder for").replacingOccurrences(of: ";", with: ","), separator: ",") {
                guard let indsats = Indsats(text: item) else {
                    throw CatalogueError(.invalidAppliesTo, "'Gælder for' lists '\(item)'; write 30, 32, 46 or 47",
                                         file: file, question: id, location: location)
                }
                appliesTo.append(indsats.paragraph)
            }
            let stepText = text("Sagsskridt")
            let question = Question(
                id: id, step: stepByName[normalised(stepText)] ?? stepText,
                themes: splitList(text("Pejlemærke").replacingOccurrences(of: ";", with: ","), separator: ","),
                text: questionText, help: text("Vejledning"), type: text("Type"), appliesTo: appliesTo,
                legal: splitList(text("§"), separator: ";"),
                remarkRequiredOn: splitList(text("Bemærkning ved"), separator: ";"),
                replaces: splitList(text("Erstatter").replacingOccurrences(of: ";", with: ","), separator: ","),
                optional: ["ja", "x", "1"].contains(normalised(text("Valgfri"))),
                minimumAge: try age("Fra alder"), maximumAge: try age("Til alder"))
            if ["ja", "x", "1"].contains(normalised(text("Temanedslag"))) {
                temaQuestions.append(question)
            } else {
                questions.append(question)
            }
        }
        let round = field(Key.round)
        var catalogue = Catalogue(
            id: field(Key.id), version: field(Key.version), title: field(Key.title), source: field(Key.source),
            basedOn: splitList(field(Key.basedOn), separator: ","), scales: scales, steps: steps, themes: themes,
            questions: questions,
            temanedslag: temaQuestions.isEmpty && round.isEmpty
                ? nil : Temanedslag(round: round, title: field(Key.temaTitle), questions: temaQuestions))
        catalogue.scope = field(Key.scope)
        catalogue.baselineLevel = Int(field(Key.baselineLevel).trimmingCharacters(in: .whitespaces))
        try catalogue.validate(file: file)
        return catalogue
    }
}
