import ArgumentParser
import TilsynSheets

/// `tilsyn cat`: prints what Tilsyn reads from a workbook or CSV file, for checking a file or feeding a script.
struct CatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print the cells of a workbook (XLSX or ODS) or CSV file as Tilsyn reads them.",
        discussion: """
            jsonl prints one object per non-empty cell in sheet order:
              {"sheet":"Ark1","cell":"B3","type":"number|string|bool|date|error","value":...}
            Dates are ISO 8601 (2017-10-27T21:00:00, or 2017-10-27 without a time of day).
            csv prints the used rows in the Danish Excel dialect (UTF-8 with BOM, ';', CRLF, decimal comma);
            with --all each sheet starts with a line '# <sheet name>'.
            A CSV input has one sheet named after the file; its cells are strings.
            Exit status 65 when the file cannot be read.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl
    }

    @Argument(help: "The file to read (.xlsx, .xlsm, .ods or .csv).")
    var file: String

    @Option(help: "Read only the sheet with this name.")
    var sheet: String?

    @Flag(help: "Read every sheet (the default is the first sheet).")
    var all = false

    @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Format = .jsonl

    func validate() throws {
        if sheet != nil && all { throw ValidationError("Use either --sheet NAME or --all, not both.") }
    }

    func run() throws {
        let output = Output()
        defer { output.flush() }
        do {
            let printer = CellPrinter(format: format, output: output, multipleSheets: all)
            if isCSV(file) {
                try printCSV(printer)
            } else {
                try printWorkbook(printer)
            }
            try printer.finish()
        } catch let error as SpreadsheetError {
            output.flush()
            throw DataError(message: error.description)
        }
    }

    private func isCSV(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".csv") || lower.hasSuffix(".txt") || lower.hasSuffix(".tsv")
    }

    private func printWorkbook(_ printer: CellPrinter) throws {
        let workbook = try Workbook(path: file)
        let chosen: [SheetInfo]
        if let sheet {
            chosen = [try workbook.requireSheet(named: sheet, file: file)]
        } else {
            chosen = all ? workbook.sheets : [workbook.sheets[0]]
        }
        for info in chosen {
            try printer.beginSheet(info.name)
            try workbook.rows(of: info).forEach { try printer.row($0) }
        }
    }

    private func printCSV(_ printer: CellPrinter) throws {
        let reader = try CSVReader(path: file)
        var name = file.split(separator: "/").last.map(String.init) ?? file
        if let dot = name.lastIndex(of: ".") { name = String(name[..<dot]) }
        if let sheet, sheet != name {
            throw SpreadsheetError(.sheetNotFound, "a CSV file has one sheet, named '\(name)'", file: file)
        }
        try printer.beginSheet(name)
        var number = 0
        while let record = try reader.next() {
            number += 1
            let cells = record.fields.enumerated().compactMap { index, field in
                field.isEmpty ? nil : Cell(column: index + 1, value: .string(field))
            }
            if !cells.isEmpty { try printer.row(Row(number: number, cells: cells)) }
        }
    }
}

/// Prints rows as JSON lines or Danish CSV.
final class CellPrinter {
    let format: CatCommand.Format
    let output: Output
    let multipleSheets: Bool
    private var sheetName = ""
    private var jsonPrefix = ""
    private var csv: CSVWriter?
    private var nextRow = 1

    init(format: CatCommand.Format, output: Output, multipleSheets: Bool) {
        self.format = format
        self.output = output
        self.multipleSheets = multipleSheets
    }

    func beginSheet(_ name: String) throws {
        sheetName = name
        jsonPrefix = "{\"sheet\":" + JSONText.string(name) + ",\"cell\":\""
        nextRow = 1
        if format == .csv {
            if csv == nil { csv = CSVWriter() }
            if multipleSheets { try csv?.writeRow([.text("# " + name)]) }
        }
    }

    func row(_ row: Row) throws {
        switch format {
        case .jsonl:
            let rowText = String(row.number)
            for cell in row.cells {
                output.write(jsonPrefix)
                output.write(CellAddress.columnName(cell.column))
                output.write(rowText)
                output.write("\",\"type\":\"")
                output.write(cell.value.typeName)
                output.write("\",\"value\":")
                output.write(Self.jsonValue(cell.value))
                output.write("}\n")
            }
        case .csv:
            guard let csv else { return }
            while nextRow < row.number {
                try csv.writeRow([CSVValue]())
                nextRow += 1
            }
            var values: [CSVValue] = []
            for cell in row.cells {
                while values.count < cell.column - 1 { values.append(.empty) }
                values.append(SheetConversion.csvValue(cell.value))
            }
            try csv.writeRow(values)
            nextRow = row.number + 1
            output.write(bytes: csv.takeBytes())
        }
    }

    func finish() throws {
        if let csv {
            try csv.finish()
            output.write(bytes: csv.takeBytes())
        }
    }

    static func jsonValue(_ value: CellValue) -> String {
        switch value {
        case .string(let text): JSONText.string(text)
        case .number(let number): JSONText.number(number)
        case .bool(let flag): flag ? "true" : "false"
        case .date(let date): JSONText.string(date.iso8601)
        case .error(let text): JSONText.string(text)
        }
    }
}

/// A data error: printed as `Error: …` and exiting with status 65 (EX_DATAERR).
struct DataError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
