internal import TilsynSheets

/// The validation report sent back to reviewers: one row per finding, in Danish.
///
/// Columns: fil, ark, celle, alvor, besked, forslag. As a workbook (`.xlsx`, sheet "Fund", frozen header row, an
/// auto-filter) or as CSV for Danish Excel (`.csv`: UTF-8 with BOM, `;`, CRLF; cells starting with `= + - @` are
/// guarded against formula injection).
public enum FindingsReport {
    /// The column headers.
    public static let headers = ["fil", "ark", "celle", "alvor", "besked", "forslag"]

    /// Writes the report; the format follows the extension (`.csv`, else a workbook).
    public static func write(_ findings: [Finding], to path: String) throws {
        let rows = findings.map { [$0.file, $0.sheet, $0.cell, $0.severity.rawValue, $0.message, $0.suggestion] }
        do {
            if path.lowercased().hasSuffix(".csv") {
                let writer = try CSVWriter(path: path)
                try writer.writeRow(headers)
                for row in rows { try writer.writeRow(row) }
                try writer.finish()
                return
            }
            let writer = try XLSXWriter(path: path)
            writer.properties.title = "Ledelsestilsyn – fund ved indlæsning"
            let bold = try writer.addStyle(XLSXWriter.Style(font: XLSXWriter.Font(bold: true)))
            let wrap = try writer.addStyle(
                XLSXWriter.Style(alignment: XLSXWriter.Alignment(vertical: .top, wrapText: true)))
            let widths: [Double] = [40, 12, 8, 10, 70, 60]
            let sheet = try writer.addWorksheet(
                "Fund",
                options: XLSXWriter.SheetOptions(
                    columns: widths.enumerated().map { XLSXWriter.Column.width($0.offset, $0.element) },
                    frozenRows: 1))
            try sheet.appendRow(headers.map { XLSXWriter.Cell.string($0, style: bold) })
            for row in rows { try sheet.appendRow(row.map { XLSXWriter.Cell.string($0, style: wrap) }) }
            try sheet.setAutoFilter("A1:F\(max(1, rows.count + 1))")
            try writer.close()
        } catch let error as SpreadsheetError {
            throw CatalogueError(.unreadable, "the report cannot be written: \(error.message)", file: path)
        }
    }
}
