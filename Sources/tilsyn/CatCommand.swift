import ArgumentParser
import TilsynSheets

/// `tilsyn cat`: prints what Tilsyn reads from a workbook, for checking a file or feeding a script.
struct CatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print the cells of a workbook (XLSX) as Tilsyn reads them.",
        discussion: """
            jsonl prints one object per non-empty cell in sheet order:
              {"sheet":"Ark1","cell":"B3","type":"number|string|bool|date|error","value":...}
            Dates are ISO 8601 (2017-10-27T21:00:00, or 2017-10-27 without a time of day).
            csv prints each sheet's used rows in the Danish Excel dialect (UTF-8 with BOM, ';').
            Exit status 65 when the file cannot be read.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl
    }

    @Argument(help: "The workbook to read (.xlsx or .xlsm).")
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
            let workbook = try Workbook(path: file)
            let chosen: [SheetInfo]
            if let sheet {
                guard let found = workbook.sheet(named: sheet) else {
                    throw SpreadsheetError(
                        .sheetNotFound,
                        "there is no sheet named '\(sheet)'; the sheets are: "
                            + workbook.sheets.map { "'\($0.name)'" }.joined(separator: ", "),
                        file: file)
                }
                chosen = [found]
            } else {
                chosen = all ? workbook.sheets : [workbook.sheets[0]]
            }
            for info in chosen {
                let rows = try workbook.rows(of: info)
                switch format {
                case .jsonl:
                    let prefix = "{\"sheet\":" + JSONText.string(info.name) + ",\"cell\":\""
                    try rows.forEach { row in
                        let rowText = String(row.number)
                        for cell in row.cells {
                            output.write(prefix)
                            output.write(CellAddress.columnName(cell.column))
                            output.write(rowText)
                            output.write("\",\"type\":\"")
                            output.write(cell.value.typeName)
                            output.write("\",\"value\":")
                            output.write(Self.jsonValue(cell.value))
                            output.write("}\n")
                        }
                    }
                case .csv:
                    try CSVCatWriter.write(rows: rows, sheetCount: chosen.count, sheet: info, to: output)
                }
            }
        } catch let error as SpreadsheetError {
            output.flush()
            throw DataError(message: error.description)
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
