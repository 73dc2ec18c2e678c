public import TilsynAnalysis
internal import TilsynSheets

/// The learning workbook for one unit (or one caseworker) after a round: Copenhagen's "Formål 2: Læring".
///
/// Sheets: **Om** (what the workbook is, that it is internal and holds case numbers and remarks), **Sager** (per
/// case, the questions answered Nej or Lav grad at any level and those where the levels disagreed, with every
/// level's answer and remark side by side) and **Tal** (the unit's compliance per sagsskridt and level beside the
/// whole municipality's). In Danish, printable on A4 landscape one page wide.
public enum FeedbackWorkbook {
    /// Writes `feedback` for `title` (the unit, or the unit and caseworker) to `path`.
    public static func write(_ feedback: Feedback, title: String, to path: String) throws {
        let writer = try XLSXWriter(path: path)
        writer.properties.title = "Ledelsestilsyn \(feedback.round) – læring for \(title)"
        writer.properties.description = "Intern: indeholder sagsnumre og bemærkninger."
        let bold = try writer.addStyle(
            XLSXWriter.Style(font: XLSXWriter.Font(bold: true), alignment: XLSXWriter.Alignment(vertical: .top, wrapText: true)))
        let heading = try writer.addStyle(XLSXWriter.Style(font: XLSXWriter.Font(size: 14, bold: true)))
        let wrap = try writer.addStyle(XLSXWriter.Style(alignment: XLSXWriter.Alignment(vertical: .top, wrapText: true)))
        let flag = try writer.addStyle(
            XLSXWriter.Style(
                font: XLSXWriter.Font(bold: true), fill: XLSXWriter.Color(rgb: 0xFFF2CC),
                alignment: XLSXWriter.Alignment(vertical: .top, wrapText: true)))
        func setup(_ widths: [Double], landscape: Bool = true) -> XLSXWriter.SheetOptions {
            XLSXWriter.SheetOptions(
                columns: widths.enumerated().map { XLSXWriter.Column.width($0.offset, $0.element) },
                frozenRows: landscape ? 1 : 0,
                pageSetup: XLSXWriter.PageSetup(
                    orientation: landscape ? .landscape : .portrait, paperSize: XLSXWriter.PageSetup.a4,
                    fitToWidth: true, repeatedRows: landscape ? 0...0 : nil))
        }
        func height(_ texts: [String], _ widths: [Double]) -> Double {
            TextMetrics.rowHeight(
                lines: zip(texts, widths).map { TextMetrics.lineCount($0, columnWidth: $1) }.max() ?? 1)
        }

        // Om.
        let about = try writer.addWorksheet("Om", options: setup([90], landscape: false))
        let levels = Array(Set(feedback.cases.flatMap(\.levels))).sorted()
        let lines = [
            "Ledelsestilsyn \(feedback.round) – læring for \(title)",
            "INTERN: Projektmappen indeholder sagsnumre og bemærkninger fra gennemgangen. Den må ikke sendes uden for "
                + "forvaltningen og skal slettes, når den er brugt.",
            "Arket »Sager« viser for hver sag de spørgsmål, der er besvaret »Nej« eller »Lav grad« på mindst ét niveau, "
                + "og de spørgsmål, hvor niveauerne har svaret forskelligt. Hvert niveaus svar og bemærkning står side om "
                + "side.",
            "Arket »Tal« viser enhedens lovoverholdelse pr. sagsskridt og niveau ved siden af hele kommunens. "
                + "Lovoverholdelse er andelen af »Ja« blandt »Ja« og »Nej«; »Ikke relevant« og ubesvarede tæller ikke med.",
            "Sager: \(feedback.cases.count). Niveauer: " + levels.map(String.init).joined(separator: ", ") + ".",
        ]
        for (index, line) in lines.enumerated() {
            try about.appendRow(
                [.string(line, style: index == 0 ? heading : index == 1 ? flag : wrap)],
                height: index == 0 ? 20 : height([line], [90]))
        }

        // Sager.
        let levelColumns = levels.flatMap { ["Niveau \($0) svar", "Niveau \($0) bemærkning"] }
        let headers = ["Sag", "Indsats", "Sagsbehandler", "Id", "Spørgsmål", "Uenighed"] + levelColumns
        let widths: [Double] = [14, 8, 14, 6, 46, 10] + levels.flatMap { _ in [12.0, 36.0] }
        let cases = try writer.addWorksheet("Sager", options: setup(widths))
        try cases.appendRow(headers.map { .string($0, style: bold) }, height: height(headers, widths))
        var rows = 0
        for record in feedback.cases {
            for item in record.items {
                var texts = [
                    record.caseNumber, "§ \(record.measure)", record.caseworker ?? "", item.questionID, item.text,
                    item.disagreement ? "Ja" : "",
                ]
                for level in levels {
                    texts.append(item.answers[level]?.answer ?? "")
                    texts.append(item.answers[level]?.remark ?? "")
                }
                try cases.appendRow(
                    texts.enumerated().map { offset, text in
                        .string(text, style: offset == 5 && item.disagreement ? flag : wrap)
                    }, height: height(texts, widths))
                rows += 1
            }
        }
        try cases.setAutoFilter("A1:\(CellAddress.columnName(headers.count))\(max(1, rows + 1))")

        // Tal.
        let figureHeaders = ["Sagsskridt", "Niveau", "Enheden", "Ja/N", "Hele kommunen", "Ja/N", "Forskel"]
        let figureWidths: [Double] = [34, 8, 12, 12, 14, 12, 12]
        let figures = try writer.addWorksheet("Tal", options: setup(figureWidths))
        try figures.appendRow(figureHeaders.map { .string($0, style: bold) }, height: height(figureHeaders, figureWidths))
        for figure in feedback.steps {
            let unitN = figure.unitYes + figure.unitNo
            let allN = figure.allYes + figure.allNo
            let difference: String
            if unitN > 0, allN > 0 {
                let points = (Double(figure.unitYes) / Double(unitN) - Double(figure.allYes) / Double(allN)) * 100
                difference = ReportText.points(points)
            } else {
                difference = "–"
            }
            try figures.appendRow([
                .string(figure.name, style: wrap), .number(Double(figure.level)),
                .string(ReportText.percent(figure.unitYes, unitN)), .string(ReportText.counts(figure.unitYes, unitN)),
                .string(ReportText.percent(figure.allYes, allN)), .string(ReportText.counts(figure.allYes, allN)),
                .string(difference),
            ])
        }
        try writer.close()
    }
}
