internal import TilsynSheets

/// Column headers and metadata labels as Danish and English sheets write them, folded.
enum Vocabulary {
    /// Metadata key (as in templates) by folded label.
    static let metadata: [String: String] = {
        let entries: [(String, [String])] = [
            ("Sagsnummer", [
                "sagsnummer", "sagsnr", "sag", "pseudonym", "sagsnummerpseudonym", "sagsnummer pseudonym", "case",
                "case number", "case id", "caseid",
            ]),
            ("Enhed", ["enhed", "unit", "team", "afdeling"]),
            ("Indsats", ["indsats", "indsats §", "indsats paragraf", "paragraf", "§", "measure"]),
            ("Niveau", ["niveau", "niv", "level"]),
            ("Runde", ["runde", "tilsyn", "tilsynsrunde", "round"]),
            ("Reviewer", [
                "reviewer", "reviewer initialer", "initialer", "gennemgået af", "reviewed by", "reviewer initials",
                "gennemført af", "gennemført af initialer",
            ]),
            ("Dato", ["dato", "dato for gennemgang", "gennemgangsdato", "date", "review date"]),
            ("Alder", ["alder", "barnets alder", "age"]),
            ("Kommune", ["kommune", "municipality"]),
            ("Sagsbehandler", ["sagsbehandler", "caseworker"]),
            ("Udgangspunkt", ["udgangspunkt"]),
            ("UdgangspunktDato", ["udgangspunkt_dato", "udgangspunktdato", "udgangspunkt dato", "dato for udgangspunkt"]),
            ("Katalog", ["katalog", "catalogue", "catalog"]),
            ("Version", ["version", "katalogversion"]),
        ]
        var table: [String: String] = [:]
        for (key, labels) in entries { for label in labels { table[label] = key } }
        return table
    }()

    /// Metadata labels that are the key's own name (`runde`, `sagsnummer`): they win over a synonym (`tilsyn`,
    /// `sag`) found in the same sheet, and only they may carry their value in the same cell (`Runde: 2025`).
    static let canonicalLabels: Set<String> = [
        "sagsnummer", "sagsnr", "enhed", "indsats", "niveau", "runde", "reviewer", "gennemført af", "dato", "alder",
        "kommune",
        "katalog", "version",
    ]

    /// Column headers beside a question table that hold no answers and are not read (guidance, legal basis, …).
    static let ignoredColumns: Set<String> = [
        "vejledning", "lovgrundlag", "lovhjemmel", "paragraf", "§", "pejlemærke", "pejlemærker", "sagsskridt",
        "sagstrin", "type", "hjælpetekst", "help", "guidance", "legal basis", "step", "theme", "tema",
        // What survey tools add to every response: when it was given, not what the reviewer wrote.
        "tidsstempel", "timestamp", "starttidspunkt", "sluttidspunkt", "start time", "completion time",
    ]

    static let question: Set<String> = [
        "spørgsmål", "spørgsmålstekst", "spm", "question", "questions", "item", "spørgsmål tekst",
    ]
    static let questionID: Set<String> = [
        "id", "nr", "spørgsmål id", "spørgsmålid", "spørgsmålsid", "spørgsmålsnummer", "question id", "questionid",
        "kode", "code",
    ]
    static let answer: Set<String> = ["svar", "answer", "besvarelse", "vurdering", "response"]
    static let remark: Set<String> = [
        "bemærkning", "bemærkninger", "kommentar", "kommentarer", "remark", "remarks", "comment", "comments", "note",
        "noter", "notes", "begrundelse", "begrundelser", "uddybning", "uddybninger",
    ]

    /// Whether a folded header names a remark (`bemærkning`, `b2 bemærkning`, …).
    static func isRemark(_ folded: String) -> Bool {
        folded.split(separator: " ").contains { remark.contains(String($0)) }
    }
}

extension ReadContext {
    /// A short, harmless quotation of a cell for a message: only short texts without digits, else a placeholder.
    /// Characters nobody can see (a zero-width space, a soft hyphen) are shown as `<U+200B>`.
    func quote(_ text: String?) -> String {
        guard let text else { return "(teksten vises ikke)" }
        let seen = ReadContext.withoutInvisibles(text)
        guard seen.count <= 20, !seen.contains(where: \.isNumber) else { return "(teksten vises ikke)" }
        return "»\(ReadContext.visible(text))«"
    }

    // MARK: - Foreign sheets

    /// Reads a sheet with a question and an answer column; nil when the sheet has no such header row.
    mutating func readForeignSheet(_ sheet: Sheet) -> [RawReview]? {
        var header: (row: Int, question: Int?, id: Int?, answer: Int, remark: Int?)?
        for row in sheet.rows.prefix(60) {
            var question: Int?
            var id: Int?
            var answer: Int?
            var remark: Int?
            for cell in row.cells {
                guard case .string(let text) = cell.value else { continue }
                let folded = AnswerVocabulary.fold(text)
                if Vocabulary.question.contains(folded), question == nil {
                    question = cell.column
                } else if Vocabulary.questionID.contains(folded), id == nil {
                    id = cell.column
                } else if Vocabulary.answer.contains(folded), answer == nil {
                    answer = cell.column
                } else if Vocabulary.remark.contains(folded), remark == nil {
                    remark = cell.column
                }
            }
            if let answer, question != nil || id != nil {
                header = (row.number, question, id, answer, remark)
                break
            }
        }
        guard let header else { return nil }
        func at(_ row: Int, _ column: Int) -> Provenance {
            Provenance(sheet: sheet.name, cell: CellAddress(row: row, column: column).description)
        }

        let grid = SheetGrid(sheet)
        reportUnknownColumns(grid, headerRow: header.row, known: [header.question, header.id, header.answer, header.remark])
        let metadata = foreignMetadata(grid, above: header.row)
        let catalogueID = metadata["Katalog"]?.text ?? options.defaultCatalogue
        guard let catalogue = catalogues[catalogueID] else {
            add(at: metadata["Katalog"]?.at, severity: .error, rule: .unknownCatalogue,
                message: "Spørgsmålskataloget \(quote(catalogueID)) findes ikke.",
                suggestion: "Skriv et af katalogerne: " + catalogues.byID.keys.sorted().joined(separator: ", ") + ".")
            return []
        }
        let matcher = QuestionMatcher(catalogue: catalogue)
        var answers: [RawAnswer] = []
        for row in sheet.rows where row.number > header.row {
            func text(_ column: Int?) -> String? {
                guard let column, let value = row[column: column]?.value.auditText.trimmed, !value.isEmpty else {
                    return nil
                }
                return value
            }
            let questionText = text(header.question)
            let idText = text(header.id)
            let answer = grid.source(CellAddress(row: row.number, column: header.answer))
            let remark = header.remark.map { grid.source(CellAddress(row: row.number, column: $0)) }
                ?? SourceText(nil, at: at(row.number, header.answer + 1))
            guard questionText != nil || idText != nil else {
                if answer.text != nil || answer.problem != nil || remark.text != nil {
                    let filled = answer.text != nil || answer.problem != nil ? answer.at : remark.at
                    add(at: filled, severity: .error, rule: .unknownQuestion,
                        message: "Cellen er udfyldt i en række uden spørgsmål, så den kan ikke knyttes til et "
                            + "spørgsmål.",
                        suggestion: "Skriv svaret ud for det rigtige spørgsmål, og slet den ekstra række.")
                }
                continue
            }
            let place = at(row.number, header.question ?? header.id ?? 1)
            if let id = resolveQuestion(
                id: idText, text: questionText, matcher: matcher,
                answered: answer.text != nil || answer.problem != nil || remark.text != nil, at: place)
            {
                answers.append(RawAnswer(questionID: id, answer: answer, remark: remark))
            }
        }
        let reviewAt = metadata["Sagsnummer"]?.at ?? at(header.row, header.answer)
        var raw = RawReview(
            metadata: metadata, answers: answers, at: reviewAt, catalogueID: catalogue.id,
            catalogueVersion: metadata["Version"]?.text)
        raw.sheet = sheet.name
        return [raw]
    }

    /// Metadata above a foreign table. A label is a cell whose whole text is a known label (`Sagsnr.:`), or a
    /// canonical label with its value after a colon (`Runde: 2025`); a label word inside a longer text (a title) is
    /// no label. Its value is the cell beside it (past a merged label), or, when that cell is another label (labels
    /// side by side over their values), the cell below it; never another label. Where a key has several labels,
    /// the key's own name wins over a synonym (`Runde` over `Tilsyn`); two of the same rank that disagree are an
    /// error naming both cells.
    mutating func foreignMetadata(_ grid: SheetGrid, above headerRow: Int) -> [String: SourceText] {
        func label(_ address: CellAddress) -> (key: String, canonical: Bool)? {
            guard case .string(let text)? = grid[address] else { return nil }
            let folded = AnswerVocabulary.fold(text)
            guard let key = Vocabulary.metadata[folded] else { return nil }
            return (key, Vocabulary.canonicalLabels.contains(folded))
        }
        var found: [String: [(rank: Int, value: SourceText)]] = [:]
        for (address, value) in grid.cells where address.row < headerRow {
            guard case .string(let text) = value else { continue }
            if let (key, canonical) = label(address) {
                var valueAddress = CellAddress(row: address.row, column: address.column + 1)
                if let range = grid.mergedRange(covering: address), range.first == address {
                    valueAddress = CellAddress(row: address.row, column: range.last.column + 1)
                }
                if label(valueAddress) != nil {
                    let below = CellAddress(row: address.row + 1, column: address.column)
                    valueAddress = below.row < headerRow && label(below) == nil ? below : valueAddress
                }
                let value = label(valueAddress) != nil
                    ? SourceText(nil, at: Provenance(sheet: grid.name, cell: valueAddress.description))
                    : grid.source(valueAddress)
                found[key, default: []].append((canonical ? 0 : 1, value))
            } else if let colon = text.firstIndex(of: ":") {
                let head = AnswerVocabulary.fold(String(text[..<colon]))
                let tail = String(text[text.index(after: colon)...]).trimmed
                // Only a short value: a sentence after the colon (`Katalog: kk-2025, version 2025.1. Spørgsmålene …`)
                // is a title or a note, not a label with its value.
                guard Vocabulary.canonicalLabels.contains(head), let key = Vocabulary.metadata[head], !tail.isEmpty,
                    tail.count <= 40, !tail.contains(", "), !tail.contains(". ")
                else { continue }
                found[key, default: []].append(
                    (0, SourceText(tail, at: Provenance(sheet: grid.name, cell: address.description))))
            }
        }
        var metadata: [String: SourceText] = [:]
        for key in found.keys.sorted() {
            guard let candidates = found[key], let best = candidates.map(\.rank).min() else { continue }
            let top = candidates.filter { $0.rank == best }.map(\.value)
            let filled = top.filter { $0.text != nil || $0.problem != nil }
            metadata[key] = filled.first ?? top[0]
            if let first = filled.first, let other = filled.dropFirst().first(where: { $0.text != first.text }) {
                add(at: other.at, severity: .error, rule: .layoutConflict,
                    message: "\(ReadContext.label(key)) står to steder med forskellig værdi (\(first.at.cell) og "
                        + "\(other.at.cell)).",
                    suggestion: "Slet den forkerte værdi, så \(ReadContext.label(key).lowercased()) kun står ét sted.")
            }
        }
        return metadata
    }

    /// Warns about each column of a read table whose header is not known and whose cells hold something: its
    /// cells are not stored, and the reviewer should know.
    mutating func reportUnknownColumns(_ grid: SheetGrid, headerRow: Int, known: [Int?]) {
        let knownColumns = Set(known.compactMap { $0 })
        var filled = Set<Int>()
        for (address, _) in grid.cells where address.row > headerRow && !knownColumns.contains(address.column) {
            filled.insert(address.column)
        }
        for column in filled.sorted() {
            let address = CellAddress(row: headerRow, column: column)
            guard let title = grid.text(address) else { continue }
            let folded = AnswerVocabulary.fold(title)
            if Vocabulary.ignoredColumns.contains(folded) { continue }
            let at = Provenance(sheet: grid.name, cell: address.description)
            if let key = Vocabulary.metadata[folded] {
                // A case detail given per row (a date, an enhed): a foreign sheet's metadata is read above its table.
                add(at: at, severity: .warning, rule: .unknownColumn,
                    message: "Kolonnen \(quote(title)) i tabellen læses ikke: oplysninger om sagen læses kun over "
                        + "tabellen, så kolonnens indhold er ikke indlæst.",
                    suggestion: "Skriv oplysningen én gang over tabellen (fx »\(key): …«), og slet kolonnen.")
                continue
            }
            add(at: at, severity: .warning, rule: .unknownColumn,
                message: "Kolonnen \(quote(title)) kendes ikke, så dens indhold er ikke indlæst.",
                suggestion: "Flyt indholdet til kolonnen »Bemærkning«, hvis det er en bemærkning, eller giv "
                    + "kolonnen en af overskrifterne Spørgsmål, Svar eller Bemærkning.")
        }
    }

    /// The question id of a row given by id or text; reports answered rows that cannot be matched.
    mutating func resolveQuestion(
        id: String?, text: String?, matcher: QuestionMatcher, answered: Bool, at: @autoclosure () -> Provenance
    ) -> String? {
        if let id {
            // Remembered per file: a long CSV names the same few dozen ids on every review.
            let key = TextKey(catalogue: matcher.catalogueID, scale: "", text: id)
            if let known = questionIDs.value(for: key) { return known }
            if let known = matcher.id(id) {
                questionIDs.remember(known, for: key)
                return known
            }
            if QuestionMatcher.looksLikeID(id) {
                // An id the catalogue lacks: the normaliser reports it as an unknown question.
                return QuestionMatcher.foldID(id)
            }
        }
        guard let text else { return nil }
        // A long CSV names each question by the same text on every review: a match (which reports nothing) is
        // remembered per file.
        let key = TextKey(catalogue: matcher.catalogueID, scale: ReadContext.questionTextScale, text: text)
        if let known = questionIDs.value(for: key) { return known }
        switch matcher.match(text) {
        case .matched(let id, _):
            questionIDs.remember(id, for: key)
            return id
        case .ambiguous(let ids):
            if answered {
                add(at: at(), severity: .warning, rule: .unmatchedQuestion,
                    message: "Spørgsmålet ligner flere spørgsmål i kataloget (" + ids.joined(separator: ", ")
                        + "), så svaret er ikke indlæst.",
                    suggestion: "Skriv spørgsmålets id (fx \(ids[0])) i en kolonne »Id«, eller brug katalogets "
                        + "ordlyd.")
            }
        case .none:
            if QuestionMatcher.looksLikeID(text) { return QuestionMatcher.foldID(text) }
            if answered {
                add(at: at(), severity: .warning, rule: .unmatchedQuestion,
                    message: "Spørgsmålet findes ikke i kataloget, så svaret er ikke indlæst.",
                    suggestion: "Skriv spørgsmålets id i en kolonne »Id«, eller brug katalogets ordlyd. Slet rækken, "
                        + "hvis den ikke er et spørgsmål fra tilsynet.")
            }
        }
        return nil
    }
}
