internal import TilsynAnalysis
internal import TilsynSheets

/// The report as a workbook with the same content as the HTML page: one sheet per section (pejlemærker and
/// sagsskridt on their own sheets), counts as numbers, shares as numbers with a percent format, `n/N` as text.
///
/// Every table starts at row 4 under a title and a subtitle, with its header row frozen; the `Id` column holds the
/// key `tilsyn summary` prints, so the figures can be checked against it.
public enum ReportWorkbook {
    /// The sheet names, in order (`Bemærkninger` only in internal reports with remarks, `Analytikerens tekst` only
    /// with a narrative).
    public static let sheetNames = [
        "Nøgletal", "Omfang", "Hovedresultater", "Pejlemærker", "Sagsskridt", "Enheder", "Indsatser",
        "Spørgsmål pr. sagsskridt", "Udvikling", "Enighed", "Lavest overholdelse", "Socialfaglig kvalitet", "Temanedslag",
        "Bemærkninger", "Analytikerens tekst", "Noter",
    ]

    /// The column widths of the sheets made only of tables: a name, then figures.
    static let tableWidths: [Double] = [34] + Array(repeating: 18, count: 12)

    /// The header of the line sheets (pejlemærker, sagsskridt, enheder, indsatser).
    public static let lineHeaders = ["Id", "Navn", "Ja", "N", "Ja/N", "Lovoverholdelse", "Note"]

    /// Writes the report as an XLSX workbook at `path` (replaced whole, or left as it was on an error).
    public static func write(_ report: AuditReport, to path: String) throws {
        try ReportText.$decimals.withValue(report.decimals) { try workbook(report, to: path) }
    }

    private static func workbook(_ report: AuditReport, to path: String) throws {
        let writer = try XLSXWriter(path: path)
        writer.properties.title = report.title + " – rapport til Socialudvalget"
        let styles = try Styles(writer, decimals: report.decimals)
        let subtitle =
            "\(report.title) · runde \(report.round) · baseline \(report.baseline) · "
            + "niveau \(report.level)" + " · \(report.date.text)"
            + (report.external ? " · ekstern udgave" : " · intern udgave")

        // Nøgletal.
        var sheet = try Block(
            writer, "Nøgletal", title: "Nøgletal", subtitle: subtitle, styles: styles,
            widths: [34, 14, 16, 14, 22, 13, 16, 22])
        try sheet.header(["Nøgletal", "Værdi", "Ja/N", "Andel", "Note"])
        try sheet.row([.string("Sager gennemgået"), .number(Double(report.cases)), nil, nil, nil])
        try sheet.row(
            [.string("Gennemgange")] + [
                .number(Double(report.levelLines.reduce(0) { $0 + $1.reviews })), nil, nil, nil,
            ])
        try sheet.row(
            [.string("Lovoverholdelse, niveau \(report.level)"), nil] + shares(report.overall, styles)
                + [note(report.overall)])
        if report.round != report.baseline, let total = report.trendRounds.first(where: { $0.round == report.round }) {
            try sheet.row([
                .string("Udvikling siden \(report.baseline) (procentpoint)"),
                total.hidden ? .string("–") : total.changePoints.map { .number(rounded($0), style: styles.points) },
                nil, nil, .string("samme spørgsmål i begge runder"),
            ])
        }
        if let agreement = report.agreement {
            try sheet.row(
                [.string("Enighed mellem niveauer"), nil]
                    + (agreement.hidden
                        ? [.string("–"), nil]
                        : [
                            .string(ReportText.counts(agreement.agree, agreement.compared), style: styles.right),
                            agreement.rate.map { .number($0, style: styles.percent) },
                        ])
                    + [agreement.hidden ? nil : .string("κ = " + ReportText.kappa(agreement.kappa))])
        }
        if let degree = report.overallDegree, degree.n > 0 {
            try sheet.row(
                [.string("Høj eller nogen grad"), nil]
                    + (degree.hidden
                        ? [.string("–"), nil]
                        : [
                            .string(ReportText.counts(degree.high + degree.some, degree.n), style: styles.right),
                            degree.highOrSome.map { .number($0, style: styles.percent) },
                        ]) + [nil])
        }
        try sheet.gap()
        try sheet.header(["Niveau", "Sager", "Gennemgange", "Ja", "N", "Ja/N", "Lovoverholdelse", "Note"])
        for level in report.levelLines {
            try sheet.row(
                [.number(Double(level.level)), .number(Double(level.cases)), .number(Double(level.reviews))]
                    + counts(level.compliance, styles) + [note(level.compliance)])
        }

        for (name, title, section) in [
            ("Omfang", "Omfang", report.scope), ("Hovedresultater", "Hovedresultater", report.history),
        ] {
            sheet = try Block(writer, name, title: title, subtitle: subtitle, styles: styles, widths: tableWidths)
            try sheet.section(section)
        }

        // One sheet per breakdown.
        for (name, title, lines, total) in [
            ("Pejlemærker", "Lovoverholdelse pr. pejlemærke", report.byTheme, nil),
            ("Sagsskridt", "Lovoverholdelse pr. sagsskridt", report.byStep, report.overall),
            ("Kommuner", "Lovoverholdelse pr. kommune", report.byKommune, report.overall),
            ("Enheder", "Lovoverholdelse pr. enhed", report.byUnit, report.overall),
            ("Indsatser", "Lovoverholdelse pr. indsats", report.byMeasure, report.overall),
        ] as [(String, String, [AuditReport.Line], AuditReport.Line?)] where name != "Kommuner" || !lines.isEmpty {
            sheet = try Block(
                writer, name, title: "\(title), niveau \(report.level)", subtitle: subtitle, styles: styles,
                widths: [8, 44, 9, 9, 13, 16] + report.otherLevels.map { _ in 16 } + [22])
            // The other levels beside the report's level, each its own share: never added to it.
            try sheet.header(lineHeaders.dropLast() + report.otherLevels.map { "Niveau \($0)" } + ["Note"])
            for line in lines {
                let others: [XLSXWriter.Cell?] = line.others.map {
                    $0.hidden || $0.n == 0 ? .string("–") : $0.rate.map { .number($0, style: styles.percent) }
                }
                try sheet.row([.string(line.id), .string(line.name)] + counts(line, styles) + others + [note(line)])
            }
            if let total {
                try sheet.row(
                    [.string(""), .string("I alt")] + counts(total, styles)
                        + report.otherLevels.map { _ in nil } + [note(total)],
                    style: styles.bold)
            }
            if name == "Enheder" { try sheet.section(report.unitMatrices) }
            if name == "Indsatser" { try sheet.section(report.measureMatrix) }
            try sheet.notes(ReportNotes.all(report).prefix(1) + (report.anySuppressed ? [suppressed(report)] : []))
        }

        sheet = try Block(
            writer, "Spørgsmål pr. sagsskridt", title: "Spørgsmål pr. sagsskridt", subtitle: subtitle, styles: styles,
            widths: [8] + tableWidths)
        try sheet.section(report.stepQuestions)

        // Udvikling.
        sheet = try Block(
            writer, "Udvikling", title: "Udvikling siden baseline \(report.baseline)", subtitle: subtitle,
            styles: styles, widths: [8, 40, 9, 9, 16, 9, 9, 16, 14, 22], frozenRows: 3)
        let trendHeaders = [
            "Id", "Gruppe", "Ja", "N", "Andel \(report.round)", "Ja (baseline)", "N (baseline)",
            "Andel \(report.baseline)", "Ændring (pp)", "Note",
        ]
        try sheet.caption("Runder mod baseline \(report.baseline)")
        try sheet.header([
            "Runde", "Ja", "N", "Andel", "Ja (baseline)", "N (baseline)", "Andel (baseline)",
            "Ændring (pp)", "Note",
        ])
        for line in report.trendRounds {
            try sheet.row([.string(line.round)] + trendCells(line, styles, baseline: report.baseline))
        }
        for (caption, lines) in [("Pr. pejlemærke", report.trendByTheme), ("Pr. sagsskridt", report.trendByStep)] {
            try sheet.gap()
            try sheet.caption("\(caption), \(report.baseline) → \(report.round)")
            try sheet.header(trendHeaders)
            for line in lines {
                try sheet.row(
                    [.string(line.id), .string(line.name)] + trendCells(line, styles, baseline: report.baseline))
            }
        }
        try sheet.notes([ReportNotes.all(report)[2]] + (report.anySuppressed ? [suppressed(report)] : []))

        // Enighed.
        sheet = try Block(
            writer, "Enighed", title: "Enighed mellem niveauer", subtitle: subtitle, styles: styles,
            widths: [8, 40, 14, 10, 10, 10, 10, 10, 22], frozenRows: 5)
        if report.agreementLevels.isEmpty {
            try sheet.row([.string("Runden har ikke gennemgange af de samme sager på to niveauer eller flere.")])
        } else {
            try sheet.caption("Niveau " + report.agreementLevels.map(String.init).joined(separator: " og "))
            try sheet.header([
                "Id", "Pejlemærke", "Sammenlignet", "Enige", "Enighed", "Kappa", "Ja → Nej",
                "Nej → Ja", "Note",
            ])
            for line in report.agreementByTheme + (report.agreement.map { [$0] } ?? []) {
                var cells: [XLSXWriter.Cell?] = [.string(line.id), .string(line.name)]
                if line.hidden {
                    cells += [.string("–"), nil, nil, nil, nil, nil, nil]
                } else {
                    cells += [
                        .number(Double(line.compared)), .number(Double(line.agree)),
                        line.rate.map { .number($0, style: styles.percent) },
                        line.kappa.map { .number(($0 * 100).rounded() / 100, style: styles.decimal2) },
                        .number(Double(line.overruledYesToNo)), .number(Double(line.overruledNoToYes)),
                        line.caution ? .string(Suppression.cautionText) : nil,
                    ]
                }
                try sheet.row(cells, style: line.id.isEmpty ? styles.bold : nil)
            }
            if !report.mostOverruled.isEmpty {
                try sheet.gap()
                try sheet.caption("Hvor det højeste niveau oftest omgør")
                try sheet.header(["Id", "Spørgsmål", "Sammenlignet", "Enige", "Enighed", "Ja → Nej", "Nej → Ja"])
                for line in report.mostOverruled {
                    try sheet.row([
                        .string(line.id), .string(line.name), .number(Double(line.compared)),
                        .number(Double(line.agree)), line.rate.map { .number($0, style: styles.percent) },
                        .number(Double(line.overruledYesToNo)), .number(Double(line.overruledNoToYes)),
                    ])
                }
            }
            try sheet.section(report.agreementTables)
            try sheet.notes([
                "Ja → Nej: det højeste niveau svarede Nej, hvor det laveste svarede Ja; Nej → Ja: omvendt.",
                ReportNotes.all(report)[3],
            ])
        }

        // Lavest overholdelse.
        sheet = try Block(
            writer, "Lavest overholdelse", title: "Spørgsmål med lavest overholdelse", subtitle: subtitle,
            styles: styles, widths: [8, 60, 26, 9, 9, 13, 16, 22])
        try sheet.header(["Id", "Spørgsmål", "Sagsskridt", "Ja", "N", "Ja/N", "Lovoverholdelse", "Note"])
        for line in report.lowest {
            try sheet.row([
                .string(line.id), .string(line.text), .string(line.step), .number(Double(line.yes)),
                .number(Double(line.n)), .string(ReportText.counts(line.yes, line.n), style: styles.right),
                line.rate.map { .number($0, style: styles.percent) },
                line.caution ? .string(Suppression.cautionText) : nil,
            ])
        }

        // Socialfaglig kvalitet.
        sheet = try Block(
            writer, "Socialfaglig kvalitet", title: "Socialfaglig kvalitet (gradsspørgsmål)",
            subtitle: subtitle, styles: styles, widths: [8, 60, 9, 9, 9, 9, 20, 22])
        try sheet.header([
            "Id", "Spørgsmål", "Lav grad", "Nogen grad", "Høj grad", "N", "Høj eller nogen grad",
            "Note",
        ])
        for line in report.degree {
            if line.hidden {
                try sheet.row([.string(line.id), .string(line.name), .string("–")])
            } else {
                try sheet.row([
                    .string(line.id), .string(line.name), .number(Double(line.low)), .number(Double(line.some)),
                    .number(Double(line.high)), .number(Double(line.n)),
                    line.highOrSome.map { .number($0, style: styles.percent) },
                    line.caution ? .string(Suppression.cautionText) : nil,
                ])
            }
        }
        try sheet.section(report.degreeHistory)
        try sheet.notes(report.anySuppressed ? [suppressed(report)] : [])

        sheet = try Block(
            writer, "Temanedslag", title: "Temanedslag", subtitle: subtitle, styles: styles, widths: [8] + tableWidths)
        try sheet.section(report.temanedslag)

        // Bemærkninger (internal only).
        if !report.remarks.isEmpty {
            sheet = try Block(
                writer, "Bemærkninger", title: "Bemærkninger til Nej-svar (kun intern udgave)",
                subtitle: subtitle, styles: styles, widths: [8, 16, 8, 16, 80])
            try sheet.header(["Id", "Sag", "Niveau", "Enhed", "Bemærkning"])
            for remark in report.remarks {
                try sheet.row([
                    .string(remark.question), .string(remark.caseNumber), .number(Double(remark.level)),
                    .string(remark.unit), .string(remark.text),
                ])
            }
        }

        // Analytikerens tekst: each part's paragraphs wrapped, its tables as cells.
        if let narrative = report.narrative {
            sheet = try Block(
                writer, "Analytikerens tekst", title: "Analytikerens tekst", subtitle: subtitle, styles: styles,
                widths: [30, 40, 40, 40], frozenRows: 3)
            for section in narrative.sections {
                try sheet.caption(section.part.title)
                try sheet.narrative(section.markdown)
                try sheet.gap()
            }
        }

        // Noter.
        sheet = try Block(
            writer, "Noter", title: "Noter og metode", subtitle: subtitle, styles: styles, widths: [120], frozenRows: 3)
        for note in ReportNotes.all(report) { try sheet.row([.string(note)]) }
        try writer.close()
    }

    /// `A`, `B`, … for a zero-based column (the report's sheets are narrower than 27 columns).
    static func columnName(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(65 + min(25, max(0, index)))))
    }

    /// The footnote on suppressed figures, with the report's threshold.
    static func suppressed(_ report: AuditReport) -> String { suppressionFootnote(threshold: report.threshold) }

    /// Ja, N, `Ja/N` and the share; `–` and blanks when suppressed.
    private static func counts(_ line: AuditReport.Line, _ styles: Styles) -> [XLSXWriter.Cell?] {
        guard !line.hidden else { return [nil, nil, .string("–", style: styles.right), nil] }
        return [.number(Double(line.yes)), .number(Double(line.n))] + shares(line, styles)
    }

    private static func shares(_ line: AuditReport.Line, _ styles: Styles) -> [XLSXWriter.Cell?] {
        guard !line.hidden else { return [.string("–", style: styles.right), nil] }
        return [
            .string(ReportText.counts(line.yes, line.n), style: styles.right),
            line.rate.map { .number($0, style: styles.percent) },
        ]
    }

    private static func note(_ line: AuditReport.Line) -> XLSXWriter.Cell? {
        line.caution ? .string(Suppression.cautionText) : nil
    }

    private static func trendCells(_ line: AuditReport.TrendLine, _ styles: Styles, baseline: String)
        -> [XLSXWriter.Cell?]
    {
        guard !line.hidden else { return [.string("–")] }
        return [
            .number(Double(line.yes)), .number(Double(line.n)), line.rate.map { .number($0, style: styles.percent) },
            .number(Double(line.baselineYes)), .number(Double(line.baselineN)),
            line.baselineRate.map { .number($0, style: styles.percent) },
            line.round == baseline
                ? .string("basis") : line.changePoints.map { .number(rounded($0), style: styles.points) },
            line.caution ? .string(Suppression.cautionText) : nil,
        ]
    }

    /// Percentage points to one decimal, as the HTML page shows them.
    private static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    struct Styles {
        let title: XLSXWriter.StyleID
        let bold: XLSXWriter.StyleID
        let header: XLSXWriter.StyleID
        let percent: XLSXWriter.StyleID
        let points: XLSXWriter.StyleID
        let decimal2: XLSXWriter.StyleID
        let note: XLSXWriter.StyleID
        let right: XLSXWriter.StyleID

        init(_ writer: XLSXWriter, decimals: Int) throws {
            title = try writer.addStyle(XLSXWriter.Style(font: XLSXWriter.Font(size: 14, bold: true)))
            bold = try writer.addStyle(XLSXWriter.Style(font: XLSXWriter.Font(bold: true)))
            header = try writer.addStyle(
                XLSXWriter.Style(
                    font: XLSXWriter.Font(bold: true), fill: XLSXWriter.Color(rgb: 0xE8F0F6),
                    border: XLSXWriter.Border(bottom: .thin)))
            let places = decimals > 0 ? "." + String(repeating: "0", count: decimals) : ""
            percent = try writer.addStyle(XLSXWriter.Style(numberFormat: .custom("0\(places) %")))
            points = try writer.addStyle(XLSXWriter.Style(numberFormat: .custom("+0.0;-0.0;0.0")))
            decimal2 = try writer.addStyle(XLSXWriter.Style(numberFormat: .decimal2))
            note = try writer.addStyle(
                XLSXWriter.Style(
                    font: XLSXWriter.Font(italic: true),
                    alignment: XLSXWriter.Alignment(vertical: .top, wrapText: true)))
            right = try writer.addStyle(XLSXWriter.Style(alignment: XLSXWriter.Alignment(horizontal: .right)))
        }
    }

    /// One sheet: title, subtitle, then tables.
    struct Block {
        let sheet: XLSXWorksheetWriter
        let styles: Styles
        let widths: [Double]

        init(
            _ writer: XLSXWriter, _ name: String, title: String, subtitle: String, styles: Styles,
            widths: [Double], frozenRows: Int = 4
        ) throws {
            sheet = try writer.addWorksheet(
                name,
                options: XLSXWriter.SheetOptions(
                    columns: widths.enumerated().map { XLSXWriter.Column.width($0, $1) }, frozenRows: frozenRows,
                    pageSetup: XLSXWriter.PageSetup(orientation: .portrait, paperSize: 9, fitToWidth: true)))
            self.styles = styles
            self.widths = widths
            try sheet.appendRow([.string(title, style: styles.title)])
            try sheet.appendRow([.string(subtitle)])
            try sheet.appendRow([])
        }

        func header(_ cells: [String]) throws {
            try sheet.appendRow(cells.map { .string($0, style: styles.header) })
        }

        func caption(_ text: String) throws { try sheet.appendRow([.string(text, style: styles.bold)]) }

        func row(_ cells: [XLSXWriter.Cell?], style: XLSXWriter.StyleID? = nil) throws {
            try sheet.appendRow(
                cells.map { cell in
                    guard let style, var cell, cell.style == nil else { return cell }
                    cell.style = style
                    return cell
                })
        }

        func gap() throws { try sheet.appendRow([]) }

        /// Markdown lines as the sheet shows them: a paragraph per run of text lines, wrapped; a list item per row
        /// with a bullet; a table's rows as cells (its header row in the header style, the `---` row left out);
        /// strong emphasis without its `**`; everything else as written.
        func narrative(_ lines: [String]) throws {
            var paragraph: [String] = []
            var tableRow = 0
            func flush() throws {
                if !paragraph.isEmpty { try notes([paragraph.joined(separator: " ")]) }
                paragraph = []
            }
            for line in lines {
                let text = line.trimmed
                if text.hasPrefix("|") {
                    try flush()
                    let cells = text.dropFirst().split(separator: "|", omittingEmptySubsequences: false)
                        .map { $0.trimmed }
                    let trimmed = cells.last?.isEmpty == true ? Array(cells.dropLast()) : cells
                    if trimmed.allSatisfy({ !$0.isEmpty && $0.allSatisfy { "-: ".contains($0) } }) { continue }
                    try row(trimmed.map { .string($0) }, style: tableRow == 0 ? styles.header : styles.note)
                    tableRow += 1
                } else if text.isEmpty {
                    try flush()
                    tableRow = 0
                } else if text.hasPrefix("- ") || text.hasPrefix("* ") {
                    // A list item: a row of its own, with a bullet.
                    try flush()
                    tableRow = 0
                    paragraph.append("• " + plain(text.dropFirst(2)))
                    try flush()
                } else {
                    tableRow = 0
                    paragraph.append(plain(text))
                }
            }
            try flush()
        }

        private func plain(_ text: some StringProtocol) -> String {
            String(text).replacing("**", with: "").replacing("__", with: "")
        }

        func notes(_ notes: some Collection<String>) throws {
            guard !notes.isEmpty else { return }
            try gap()
            // Each note wraps across the table's width, in cells merged for it.
            let characters = max(20, widths.reduce(0, +))
            for note in notes {
                let row = sheet.nextRow
                let lines = (Double(note.count) / characters).rounded(.up)
                try sheet.appendRow([.string(note, style: styles.note)], height: 15 * max(1, lines))
                if widths.count > 1 {
                    try sheet.mergeCells("A\(row + 1):\(columnName(widths.count - 1))\(row + 1)")
                }
            }
        }
    }
}
