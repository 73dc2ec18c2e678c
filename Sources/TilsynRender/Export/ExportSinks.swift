internal import TilsynSheets
internal import TilsynStore

/// One value of an export row.
enum ExportValue: Equatable {
    case text(String)
    case integer(Int)
    case date(year: Int, month: Int, day: Int)
    case null

    /// `2025-03-14`.
    static func iso(_ year: Int, _ month: Int, _ day: Int) -> String {
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The value of an ISO date (`yyyy-mm-dd`), or nil when the text is not one.
    static func parseISODate(_ text: String) -> ExportValue? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (try? XLSXWriter.DateTime(year: year, month: month, day: day)) != nil
        else { return nil }
        return .date(year: year, month: month, day: day)
    }
}

/// The type of an export column.
enum ExportColumnKind {
    case text, integer, date
}

/// A column of an export: its key and its type.
struct ExportColumn {
    var name: String
    var kind: ExportColumnKind

    static func text(_ name: String) -> ExportColumn { ExportColumn(name: name, kind: .text) }
    static func integer(_ name: String) -> ExportColumn { ExportColumn(name: name, kind: .integer) }
    static func date(_ name: String) -> ExportColumn { ExportColumn(name: name, kind: .date) }
}

/// Where export rows go: one implementation per format. `discard()` leaves the target as it was.
protocol ExportSink: AnyObject {
    func begin(columns: [ExportColumn]) throws
    func write(_ row: [ExportValue]) throws
    /// Adds the catalogue questions (XLSX sheet "Spørgsmål", SQLite table `questions`); others ignore them.
    func finish(questions: [ExportQuestion]) throws
    func discard()
}

// MARK: - CSV

final class CSVExportSink: ExportSink {
    private let writer: CSVWriter
    private let dialect: CSVDialect
    private var kinds: [ExportColumnKind] = []

    init(path: String, dialect: CSVDialect) throws {
        self.dialect = dialect
        writer = try CSVWriter(path: path, options: CSVWriteOptions(dialect: dialect, guardFormulas: true))
    }

    func begin(columns: [ExportColumn]) throws {
        kinds = columns.map(\.kind)
        try writer.writeRow(columns.map(\.name))
    }

    func write(_ row: [ExportValue]) throws {
        try writer.writeRow(
            row.map { value -> CSVValue in
                switch value {
                case .text(let text): .text(text)
                case .integer(let number): .integer(number)
                // Danish Excel reads dd-mm-yyyy as a date; programs read ISO dates.
                case .date(let year, let month, let day):
                    dialect == .excelDA
                        ? .date(year: year, month: month, day: day) : .text(ExportValue.iso(year, month, day))
                case .null: .empty
                }
            })
    }

    func finish(questions: [ExportQuestion]) throws { try writer.finish() }
    func discard() { writer.discard() }
}

// MARK: - JSON and NDJSON

final class JSONExportSink: ExportSink {
    private let file: AtomicFileWriter
    private let lines: Bool
    private var keys: [String] = []
    private var rows = 0

    init(path: String, lines: Bool) throws {
        file = try AtomicFileWriter(path: path)
        self.lines = lines
    }

    func begin(columns: [ExportColumn]) throws {
        keys = columns.map { JSONText.string($0.name) + ":" }
        if !lines { try file.write("[") }
    }

    func write(_ row: [ExportValue]) throws {
        var text = lines ? "{" : (rows == 0 ? "\n{" : ",\n{")
        for (index, value) in row.enumerated() {
            if index > 0 { text += "," }
            text += keys[index]
            switch value {
            case .text(let string): text += JSONText.string(string)
            case .integer(let number): text += String(number)
            case .date(let year, let month, let day): text += "\"" + ExportValue.iso(year, month, day) + "\""
            case .null: text += "null"
            }
        }
        text += lines ? "}\n" : "}"
        try file.write(text)
        rows += 1
    }

    func finish(questions: [ExportQuestion]) throws {
        if !lines { try file.write(rows == 0 ? "]\n" : "\n]\n") }
        try file.commit()
    }

    func discard() { file.discard() }
}

// MARK: - SQLite

final class SQLiteExportSink: ExportSink {
    private let database: ExportDatabase
    private let table: String

    init(path: String, table: String) throws {
        database = try ExportDatabase(path: path)
        self.table = table
    }

    func begin(columns: [ExportColumn]) throws {
        try database.createTable(
            table,
            columns: columns.map { column in
                let type: ExportDatabase.ColumnType =
                    switch column.kind {
                    case .text: .text
                    case .integer: .integer
                    case .date: .date
                    }
                return (column.name, type)
            })
    }

    func write(_ row: [ExportValue]) throws {
        try database.insert(
            into: table,
            row.map { value in
                switch value {
                case .text(let text): .text(text)
                case .integer(let number): .integer(number)
                case .date(let year, let month, let day): .text(ExportValue.iso(year, month, day))
                case .null: .null
                }
            })
    }

    func finish(questions: [ExportQuestion]) throws {
        try database.createTable(
            "questions",
            columns: [
                ("catalogue", .text), ("catalogue_version", .text), ("question", .text), ("position", .integer),
                ("step", .text), ("step_name", .text), ("question_type", .text), ("themes", .text),
                ("theme_names", .text), ("text", .text),
            ])
        for question in questions {
            try database.insert(
                into: "questions",
                [
                    .text(question.catalogue), .text(question.catalogueVersion), .text(question.question),
                    .integer(question.position), .text(question.step), question.stepName.map { .text($0) } ?? .null,
                    .text(question.type), .text(question.themes.joined(separator: ",")),
                    .text(question.themeNames.joined(separator: ", ")), .text(question.text),
                ])
        }
        try database.commit()
    }

    func discard() { database.discard() }
}

// MARK: - XLSX

/// The workbook: sheet "Data" with the rows as the Excel table `Data` (filter buttons, banded rows, frozen
/// header, numbers as numbers, dates as dates), then sheet "Spørgsmål" with the catalogue questions as the table
/// `Spoergsmaal`.
final class XLSXExportSink: ExportSink {
    private let writer: XLSXWriter
    private let path: String
    private var sheet: XLSXWorksheetWriter?
    private var dateStyle = XLSXWriter.StyleID.default
    private var headerStyle = XLSXWriter.StyleID.default

    init(path: String) throws {
        self.path = path
        // Inline strings: remarks are mostly distinct, and no string table grows in memory with the rows. Texts are
        // written unchanged: a string cell is never a formula in XLSX, and a leading apostrophe would become part of
        // the remark for every tool that reads the export (the CSV export keeps its guard).
        writer = try XLSXWriter(path: path, options: XLSXWriter.Options(sharedStrings: false))
        writer.properties.title = "Tilsyn: eksport"
    }

    private static func width(_ column: ExportColumn) -> Double {
        switch column.kind {
        case .date: 12
        case .integer: max(8, Double(column.name.count) + 3)
        case .text: min(40, max(10, Double(column.name.count) + 3))
        }
    }

    func begin(columns: [ExportColumn]) throws {
        dateStyle = try writer.addStyle(XLSXWriter.Style(numberFormat: .date))
        headerStyle = try writer.addStyle(XLSXWriter.Style(font: XLSXWriter.Font(bold: true)))
        let sheet = try writer.addWorksheet(
            "Data",
            options: XLSXWriter.SheetOptions(
                columns: columns.enumerated().map { .width($0.offset, Self.width($0.element)) }, frozenRows: 1))
        try sheet.beginTable(XLSXWriter.Table(name: "Data", columns: columns.map(\.name)), headerStyle: headerStyle)
        self.sheet = sheet
    }

    func write(_ row: [ExportValue]) throws {
        guard let sheet else { return }
        guard sheet.nextRow < 1_048_576 else {
            throw ExportError(
                .tooLarge,
                "the export has more rows than an Excel sheet holds (1,048,575 below the header): export it as CSV "
                    + "or SQLite, or in the wide shape (a row per review)", path: path)
        }
        try sheet.appendRow(
            row.map { value -> XLSXWriter.Cell? in
                switch value {
                case .text(let text): .string(text)
                case .integer(let number): .number(Double(number))
                case .date(let year, let month, let day):
                    (try? XLSXWriter.DateTime(year: year, month: month, day: day))
                        .map { .dateTime($0, style: dateStyle) }
                case .null: nil
                }
            })
    }

    func finish(questions: [ExportQuestion]) throws {
        let headers = [
            "Katalog", "Version", "Id", "Nr.", "Sagsskridt", "Sagsskridtnavn", "Type", "Pejlemærker",
            "Pejlemærkenavne", "Spørgsmål",
        ]
        let widths: [Double] = [16, 9, 8, 6, 11, 26, 7, 13, 40, 90]
        let sheet = try writer.addWorksheet(
            "Spørgsmål",
            options: XLSXWriter.SheetOptions(
                columns: widths.enumerated().map { .width($0.offset, $0.element) }, frozenRows: 1))
        try sheet.beginTable(XLSXWriter.Table(name: "Spoergsmaal", columns: headers), headerStyle: headerStyle)
        for question in questions {
            try sheet.appendRow([
                .string(question.catalogue), .string(question.catalogueVersion), .string(question.question),
                .number(Double(question.position + 1)), .string(question.step),
                question.stepName.map { .string($0) }, .string(question.type),
                .string(question.themes.joined(separator: ", ")),
                .string(question.themeNames.joined(separator: ", ")), .string(question.text),
            ])
        }
        try writer.close()
    }

    func discard() {
        // An unclosed writer to a path leaves no file; nothing else to clean up.
    }
}
