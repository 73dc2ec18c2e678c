import ArgumentParser
import TilsynSheets

/// `tilsyn convert`: CSV to XLSX and back, typed and guarded, so analysts can use the writer and reader directly.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert between CSV and XLSX, in either direction (chosen by the file extensions).",
        discussion: """
            CSV to XLSX: numbers (decimal comma or point), dates (dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, with an \
            optional hh:mm[:ss]) and true/false/SAND/FALSK become typed cells; everything else, Ja and Nej \
            included, stays text. The first row is a bold, frozen header with an autofilter; columns are sized \
            to their content. The sheet is named by --sheet (default Ark1).
            XLSX to CSV: the sheet named by --sheet (default the first) in the chosen dialect.
            Both ways, text starting with =, +, -, @, TAB or CR gets a leading ' against formula injection.
            Exit status 65 when a file cannot be read or written.
            """)

    enum Dialect: String, ExpressibleByArgument, CaseIterable {
        case excelDA = "excel-da"
        case rfc4180

        var csvDialect: CSVDialect { self == .excelDA ? .excelDA : .rfc4180 }
    }

    @Argument(help: "The file to convert (.csv, or .xlsx/.xlsm).")
    var input: String

    @Argument(help: "The file to write (.xlsx from CSV, .csv from a workbook).")
    var output: String

    @Option(help: "The sheet to read (workbook input) or to create (CSV input).")
    var sheet: String?

    @Option(
        help: """
            CSV dialect: excel-da (';', UTF-8 with BOM, CRLF, decimal comma) or rfc4180 (',', LF, decimal point). \
            Written CSV uses excel-da unless given; read CSV has its delimiter detected unless given.
            """)
    var dialect: Dialect?

    private static func kind(_ path: String) -> String? {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return "csv" }
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") { return "xlsx" }
        return nil
    }

    func validate() throws {
        guard let from = Self.kind(input), let to = Self.kind(output) else {
            throw ValidationError("Give a .csv and an .xlsx file: the extensions choose the direction.")
        }
        guard from != to else {
            throw ValidationError("Both files are \(from.uppercased()); convert goes from CSV to XLSX or back.")
        }
    }

    func run() throws {
        do {
            if Self.kind(input) == "csv" {
                try SheetConversion.csvToXLSX(
                    input: input, output: output, dialect: dialect?.csvDialect, sheetName: sheet ?? "Ark1")
            } else {
                try SheetConversion.xlsxToCSV(
                    input: input, output: output, sheet: sheet, dialect: dialect?.csvDialect ?? .excelDA)
            }
        } catch let error as SpreadsheetError {
            throw DataError(message: error.description)
        }
    }
}
