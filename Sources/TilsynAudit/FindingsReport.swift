internal import TilsynSheets

/// The report sent back to reviewers after an import or validation, in Danish.
///
/// As a workbook (`.xlsx`): a sheet **Overblik** with one row per file (file name, sagsnummer, niveau, runde, enhed,
/// reviewer, status, the counts of fejl and advarsler) and a sheet **Fund** with one row per finding (the same
/// identifying columns, then ark, celle, alvor, besked, forslag); capitalised headers, an auto-filter, a frozen
/// header, rows as high as their wrapped text, printed on A4 landscape one page wide with the header on every page.
/// As CSV for Danish Excel (`.csv`: UTF-8 with BOM, `;`, CRLF; cells starting with `= + - @` are guarded against
/// formula injection): the Fund rows.
///
/// File names are shown relative to the folder given to the import, never as absolute paths.
public enum FindingsReport {
    /// What happened to a file, as the reviewer reads it.
    public enum Status: String, Sendable, CaseIterable {
        /// Stored without findings.
        case received = "Modtaget"
        /// Stored with warnings.
        case receivedWithRemarks = "Modtaget med bemærkninger"
        /// Not stored: it has errors.
        case rejected = "Afvist"
        /// Imported before.
        case alreadyImported = "Allerede indlæst"
        /// Not read (a lock file, another kind of file).
        case skipped = "Sprunget over"
    }

    /// One file and its findings.
    public struct File: Sendable {
        /// The file name as shown: relative to the folder given.
        public var name: String
        /// What happened to it.
        public var status: Status
        /// The reviews the file holds, as written (several for CSV files).
        public var identities: ReviewIdentities
        /// Its findings, in file order.
        public var findings: [Finding]

        /// A file's line in the report.
        public init(name: String, status: Status, identities: ReviewIdentities, findings: [Finding]) {
            self.name = name
            self.status = status
            self.identities = identities
            self.findings = findings
        }

        /// The reviewers' initials in the file, joined; empty when none is written.
        public var reviewers: String { identities.reviewers.joined }

        /// Sagsnummer, niveau, runde, enhed and reviewer, each joined over the file's reviews.
        var identityColumns: [String] {
            [
                identities.caseNumbers.joined, identities.levels.joined, identities.rounds.joined,
                identities.units.joined, reviewers,
            ]
        }
    }

    /// The Overblik sheet's headers.
    public static let overviewHeaders = [
        "Fil", "Sagsnummer", "Niveau", "Runde", "Enhed", "Gennemført af", "Status", "Fejl", "Advarsler",
    ]
    /// The Fund sheet's (and the CSV report's) headers.
    public static let headers = [
        "Fil", "Sagsnummer", "Niveau", "Runde", "Enhed", "Gennemført af", "Ark", "Celle", "Alvor", "Besked", "Forslag",
    ]

    /// Writes the report for `files`; the format follows the extension (`.csv`, else a workbook).
    public static func write(_ files: [File], to path: String) throws {
        var rows: [[String]] = []
        for file in files {
            for finding in file.findings {
                rows.append(
                    [file.name] + file.identityColumns
                        + [finding.sheet, finding.cell, finding.severity.rawValue, finding.message, finding.suggestion])
            }
        }
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
            let bold = try writer.addStyle(
                XLSXWriter.Style(
                    font: XLSXWriter.Font(bold: true), alignment: XLSXWriter.Alignment(vertical: .top, wrapText: true)))
            let wrap = try writer.addStyle(
                XLSXWriter.Style(alignment: XLSXWriter.Alignment(vertical: .top, wrapText: true)))
            let count = try writer.addStyle(XLSXWriter.Style(alignment: XLSXWriter.Alignment(vertical: .top)))

            let overviewWidths: [Double] = [40, 16, 8, 10, 16, 14, 24, 8, 10]
            let overview = try sheet(writer, "Overblik", widths: overviewWidths)
            try overview.appendRow(
                overviewHeaders.map { XLSXWriter.Cell.string($0, style: bold) },
                height: height(overviewHeaders, overviewWidths, bold: true))
            for file in files {
                let texts = [file.name] + file.identityColumns + [file.status.rawValue]
                let errors = file.findings.filter { $0.severity == .error }.count
                try overview.appendRow(
                    texts.map { XLSXWriter.Cell.string($0, style: wrap) }
                        + [.number(Double(errors), style: count),
                           .number(Double(file.findings.count - errors), style: count)],
                    height: height(texts, overviewWidths))
            }
            try overview.setAutoFilter("A1:I\(max(1, files.count + 1))")

            let widths: [Double] = [36, 16, 7, 9, 16, 12, 12, 8, 10, 60, 50]
            let fund = try sheet(writer, "Fund", widths: widths)
            try fund.appendRow(headers.map { XLSXWriter.Cell.string($0, style: bold) },
                               height: height(headers, widths, bold: true))
            for row in rows {
                try fund.appendRow(row.map { XLSXWriter.Cell.string($0, style: wrap) }, height: height(row, widths))
            }
            try fund.setAutoFilter("A1:K\(max(1, rows.count + 1))")
            try writer.close()
        } catch let error as SpreadsheetError {
            throw CatalogueError(.unreadable, "the report cannot be written: \(error.message)", file: path)
        }
    }

    /// A sheet printed on A4 landscape, one page wide, with its frozen header row repeated on every page.
    private static func sheet(_ writer: XLSXWriter, _ name: String, widths: [Double]) throws -> XLSXWorksheetWriter {
        try writer.addWorksheet(
            name,
            options: XLSXWriter.SheetOptions(
                columns: widths.enumerated().map { XLSXWriter.Column.width($0.offset, $0.element) }, frozenRows: 1,
                pageSetup: XLSXWriter.PageSetup(
                    orientation: .landscape, paperSize: XLSXWriter.PageSetup.a4, fitToWidth: true,
                    repeatedRows: 0...0)))
    }

    /// The height of a row of wrapped texts in columns of these widths.
    private static func height(_ texts: [String], _ widths: [Double], bold: Bool = false) -> Double {
        let lines = zip(texts, widths).map { TextMetrics.lineCount($0, columnWidth: $1, bold: bold) }.max() ?? 1
        return TextMetrics.rowHeight(lines: lines)
    }
}
