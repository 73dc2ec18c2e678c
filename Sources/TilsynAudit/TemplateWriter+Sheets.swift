internal import TilsynSheets

/// The template's other sheets: the guide (Vejledning) and the hidden meta sheet.
extension TemplateWriter {
    static func writeGuide(writer: XLSXWriter, catalogue: Catalogue, styles: Styles) throws {
        let width = 90.0
        let guide = try writer.addWorksheet(
            guideSheetName,
            options: XLSXWriter.SheetOptions(
                columns: [.width(0, width)], showGridLines: false,
                pageSetup: XLSXWriter.PageSetup(orientation: .portrait, paperSize: XLSXWriter.PageSetup.a4,
                                                fitToWidth: true)))
        let reviewer = metadataLabels.first { $0.key == "Reviewer" }?.label ?? "Gennemført af (initialer)"
        let lines = [
            "Sådan udfylder du skabelonen",
            "",
            "1. Skriv dine initialer ud for »\(reviewer)« og datoen for gennemgangen ud for »Dato for "
                + "gennemgang« (dd-mm-åååå) i arket »\(sheetName)«.",
            "2. Kontrollér sagens oplysninger (enhed, indsats, alder og udgangspunkt). Er de forkerte, så ret dem i "
                + "de gule felter.",
            "3. Gennemgå sagen sagsskridt for sagsskridt. Læs spørgsmålet og vejledningen, som beskriver de kriterier, "
                + "svaret skal vurderes ud fra.",
            "4. Vælg svaret i rullelisten i kolonnen »Svar«. Kun de gule og grå felter kan udfyldes.",
            "5. Skriv en bemærkning, når svaret er »Nej« eller »Lav grad«, og når dit svar kræver en forklaring. "
                + "Skriv aldrig CPR-numre eller navne i bemærkningerne.",
            "6. Spørgsmål, der ikke gælder for sagens indsats eller barnets alder, er udfyldt med »Ikke relevant« og "
                + "vist med gråt. De indgår ikke i opgørelsen. Gælder spørgsmålet alligevel, så vælg et andet svar.",
            "7. Flyt, slet eller omdøb ikke spørgsmål og ark. Tilsyn finder svarene ud fra spørgsmålenes id, "
                + "så skabelonen kan læses, selv om rækker er sorteret eller flyttet.",
            "8. Gem filen som Excel-projektmappe (.xlsx) med samme filnavn, og aflever den som aftalt, fx i den fælles "
                + "mappe for ledelsestilsynet. Send den ikke med almindelig e-mail, da den indeholder fortrolige "
                + "oplysninger.",
            "",
            "Katalog: \(catalogue.title) (\(catalogue.id), version \(catalogue.version)).",
            catalogue.scope,
            disclaimer(catalogue),
        ]
        for (index, line) in lines.enumerated() {
            let height = line.isEmpty ? nil : TextMetrics.rowHeight(
                lines: TextMetrics.lineCount(line, columnWidth: width, size: index == 0 ? 14 : 11, bold: index == 0),
                size: index == 0 ? 14 : 11)
            try guide.appendRow(
                [.string(line, style: index == 0 ? styles.title : styles.text)].filter { _ in !line.isEmpty },
                height: height)
        }
        try guide.protect()
    }

    /// The meta sheet: one record per row, its kind in column A.
    ///
    /// `tilsyn-template | 1`, `katalog | id`, `version | v`, `ark | Tilsyn`, `sagsskridt | U,S,B` (when the
    /// template asks about some steps only),
    /// `metadata | key | label | defined name | cell`, `spørgsmål | id | answer cell | remark cell`.
    static func writeMeta(
        writer: XLSXWriter, catalogue: Catalogue, metadata: [(Meta, String)], questions: [(Question, Int)],
        steps: [String]?
    ) throws {
        let meta = try writer.addWorksheet(metaSheetName, options: XLSXWriter.SheetOptions(visibility: .veryHidden))
        try meta.appendRow([.string(marker), .string("1")])
        try meta.appendRow([.string("katalog"), .string(catalogue.id)])
        try meta.appendRow([.string("version"), .string(catalogue.version)])
        try meta.appendRow([.string("ark"), .string(sheetName)])
        if let steps { try meta.appendRow([.string("sagsskridt"), .string(steps.joined(separator: ","))]) }
        for (item, reference) in metadata {
            try meta.appendRow([
                .string("metadata"), .string(item.key), .string(item.label), .string(item.name), .string(reference),
            ])
        }
        for (question, row) in questions {
            try meta.appendRow([
                .string("spørgsmål"), .string(question.id), .string(cell(row, 4)), .string(cell(row, 5)),
            ])
        }
        try meta.protect()
    }
}
