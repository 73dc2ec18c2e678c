/// A filled template taken into the common model: its answers as a raw review, and each place where its names,
/// header and cells disagree, or where something was written that nothing reads, as a finding.
extension ReadContext {
    /// The template's metadata and answers as a raw review, answers in catalogue order.
    mutating func rawReview(from filled: FilledTemplate) -> RawReview {
        var metadata: [String: SourceText] = [:]
        for (key, value) in filled.metadata {
            metadata[key] = SourceText(value.value, at: Provenance(reference: value.cell), problem: value.problem)
        }
        for conflict in filled.conflicts { report(conflict) }
        // Sorted by index: moving the answers themselves while sorting was a percent of an import.
        let values = Array(filled.answers.values)
        let positions = values.map { catalogues.position($0.questionID, in: filled.catalogueID) ?? Int.max }
        let order = values.indices.sorted { a, b in
            positions[a] != positions[b] ? positions[a] < positions[b] : values[a].questionID < values[b].questionID
        }
        let answers = order.map { index in
            let answer = values[index]
            return RawAnswer(
                questionID: answer.questionID,
                answer: SourceText(
                    answer.answer.value, at: Provenance(reference: answer.answer.cell), problem: answer.answer.problem),
                remark: SourceText(
                    answer.remark.value, at: Provenance(reference: answer.remark.cell), problem: answer.remark.problem))
        }
        let at = metadata["Sagsnummer"]?.at ?? Provenance(sheet: filled.sheetName, cell: "")
        var raw = RawReview(
            metadata: metadata, answers: answers, at: at, catalogueID: filled.catalogueID,
            catalogueVersion: filled.catalogueVersion)
        raw.missing = filled.missing
        raw.sheet = filled.sheetName
        raw.steps = filled.steps
        return raw
    }

    /// Reports a place where a template's names, header and rows disagree: an error, as nothing there can be
    /// stored without guessing.
    mutating func report(_ conflict: TemplateConflict) {
        let at = Provenance(reference: conflict.otherCell.isEmpty ? conflict.cell : conflict.otherCell)
        let cell = Provenance(reference: conflict.cell).cell
        let other = Provenance(reference: conflict.otherCell).cell
        switch conflict.kind {
        case .duplicateRow:
            add(at: at, severity: .error, rule: .duplicateQuestion,
                message: "Spørgsmål \(conflict.questionID) står i to rækker, og begge er udfyldt (\(cell) og "
                    + "\(other)).",
                suggestion: "Slet den række, der ikke gælder, så spørgsmålet kun er besvaret én gang.")
        case .nameDisagrees:
            add(at: at, severity: .error, rule: .layoutConflict,
                message: "Cellen \(other) er udfyldt, men svaret på spørgsmål \(conflict.questionID) skal stå i "
                    + "\(cell) under overskriften. Det kan ikke afgøres, hvilken celle der gælder.",
                suggestion: "Flyt svaret til kolonnen under overskriften »Svar« (bemærkningen under »Bemærkning«), "
                    + "eller brug en ny skabelon.")
        case .copiedTable:
            let copy = Provenance(reference: conflict.cell)
            let answerSheet = Provenance(reference: conflict.otherCell)
            let question = conflict.questionID.isEmpty ? "" : " til spørgsmål \(conflict.questionID)"
            let read = conflict.otherCell.isEmpty
                ? "end det, der læses fra svararket"
                : "end svaret\(question) på arket »\(answerSheet.sheet)« (\(answerSheet.cell))"
            add(at: copy, severity: .error, rule: .layoutConflict,
                message: "Arket »\(copy.sheet)« har også spørgsmålstabellen, og cellen \(copy.cell) siger noget andet "
                    + read + ". Svarene læses kun fra ét ark, så det kan ikke afgøres, hvilket der gælder.",
                suggestion: "Skriv alle svar og bemærkninger på svararket, og slet kopien af arket, før filen sendes.")
        case .cellOutsideTable:
            add(at: at, severity: .warning, rule: .unknownColumn,
                message: "Cellen er udfyldt et sted, skabelonen ikke læser fra (kun felterne øverst og kolonnerne "
                    + "»Svar« og »Bemærkning« læses), så dens indhold er ikke indlæst.",
                suggestion: "Skriv det i kolonnen »Bemærkning« ud for spørgsmålet, hvis det hører til et svar, eller i "
                    + "det felt øverst, det hører til.")
        case .rowWithoutQuestion:
            add(at: at, severity: .error, rule: .unknownQuestion,
                message: "Cellen er udfyldt i en række uden et spørgsmåls-id fra skabelonen, så den kan ikke "
                    + "knyttes til et spørgsmål.",
                suggestion: "Skriv svaret ud for det rigtige spørgsmål, og slet den ekstra række.")
        }
    }
}
