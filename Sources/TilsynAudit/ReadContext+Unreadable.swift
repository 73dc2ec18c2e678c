internal import TilsynSheets

extension ReadContext {
    /// A finding for a file the spreadsheet layer could not read.
    mutating func unreadable(_ error: any Error) {
        // Where in the workbook, when the reader knows: the sheet, and the cell if it has one.
        let spreadsheetError = error as? SpreadsheetError
        let at = spreadsheetError?.sheet.map { Provenance(sheet: $0, cell: spreadsheetError?.cell ?? "") }
        switch spreadsheetError?.code {
        case SpreadsheetError.Code.passwordProtected:
            add(severity: .error, rule: .passwordProtected,
                message: "Projektmappen er beskyttet med adgangskode (krypteret) og kan ikke læses.",
                suggestion: "Gem en kopi uden adgangskode (Excel: Filer > Oplysninger > Beskyt projektmappe; "
                    + "LibreOffice: Gem som uden »Gem med adgangskode«), og send den.")
        case SpreadsheetError.Code.legacyXLS:
            add(severity: .error, rule: .legacyXLS,
                message: "Filen er i det gamle Excel-format (.xls) fra Excel 97–2003.",
                suggestion: "Åbn filen i Excel, og gem den som Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.binaryXLSB:
            wrongFile("Filen er en binær Excel-projektmappe (.xlsb).", "Åbn filen i Excel, og gem den som "
                + "Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.spreadsheetML2003:
            wrongFile("Filen er et Excel 2003 XML-regneark.", "Åbn filen i Excel, og gem den som Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.htmlDisguised:
            wrongFile("Filen er en webside (HTML), ikke en Excel-projektmappe, selv om navnet siger det.",
                "Åbn filen i Excel, og gem den som Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.pdfDisguised:
            wrongFile("Filen er et PDF-dokument, ikke et regneark; en PDF kan ikke indlæses.",
                "Send det udfyldte skema som Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.wordDocument:
            wrongFile("Filen er et Word-dokument (.docx), ikke et regneark.",
                "Udfyld skabelonen i Excel, og gem som Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.csvDisguised:
            wrongFile("Filen er en CSV-tekstfil, selv om navnet siger Excel-projektmappe.",
                "Giv filen endelsen .csv, eller åbn den i Excel og gem som Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.textFile:
            wrongFile("Filen er en almindelig tekstfil, ikke et regneark.",
                "Send det udfyldte skema som Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.openDocument:
            wrongFile("Filen er et OpenDocument-dokument, men ikke et regneark (.ods).",
                "Udfyld skabelonen i Excel eller LibreOffice Calc, og gem som Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.emptyFile:
            add(severity: .error, rule: .unreadable, message: "Filen er tom (0 byte).",
                suggestion: "Send projektmappen igen; gem den som Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.truncatedFile:
            add(severity: .error, rule: .unreadable,
                message: "Filen er ufuldstændig: den er afskåret og blev ikke gemt, kopieret eller hentet helt.",
                suggestion: "Send filen igen, og kontrollér først, at den kan åbnes i Excel.")
        case SpreadsheetError.Code.invalidCSV:
            add(severity: .error, rule: .unreadable, message: "CSV-filen kan ikke læses.",
                suggestion: "Gem filen igen fra Excel som »CSV UTF-8 (kommasepareret)« eller »CSV "
                    + "(semikolonsepareret)«.")
        case SpreadsheetError.Code.duplicateSheetName:
            add(at: at, severity: .error, rule: .unreadable,
                message: "Projektmappen har to ark med samme navn (store og små bogstaver regnes for ens). Intet "
                    + "regnearksprogram gemmer det, og det ene arks celler kunne blive overset, så filen læses ikke.",
                suggestion: "Åbn filen i LibreOffice Calc, giv det ene af de to ark et andet navn, og gem den igen som "
                    + "Excel-projektmappe (.xlsx).")
        case SpreadsheetError.Code.rowOutOfOrder:
            add(at: at, severity: .error, rule: .unreadable,
                message: "Arket er beskadiget: rækkerne står ikke i stigende rækkefølge, eller en række er gemt to "
                    + "gange. Intet regnearksprogram gemmer et ark sådan, og en celle kunne blive læst på forkert plads "
                    + "eller to gange, så arket læses ikke.",
                suggestion: "Åbn filen i LibreOffice Calc, kontrollér rækkerne omkring cellen, og gem den igen som "
                    + "Excel-projektmappe (.xlsx).")
        default:
            add(at: at, severity: .error, rule: .unreadable, message: "Filen kan ikke læses som en Excel-projektmappe (.xlsx).",
                suggestion: "Kontrollér, at filen kan åbnes i Excel, og gem den igen som Excel-projektmappe (.xlsx).")
        }
    }

    /// A finding for a file that is another kind of file than a workbook.
    private mutating func wrongFile(_ message: String, _ suggestion: String) {
        add(severity: .error, rule: .wrongFileType, message: message, suggestion: suggestion)
    }
}
