internal import TilsynSheets

/// Returned CSV files, long (one answer per row) and wide (one review per row, a column per question).
extension ReturnedFileReader {
    static func readCSV(bytes: [UInt8], context: inout ReadContext) -> (InputShape?, [RawReview]) {
        let records: [CSVRecord]
        do {
            records = try CSVReader(bytes: bytes, name: context.file).readAll()
        } catch {
            context.unreadable(error)
            return (nil, [])
        }
        let rows = records.filter { !$0.fields.allSatisfy { $0.trimmed.isEmpty } }
        guard let header = rows.first else {
            context.add(severity: .error, rule: .unknownLayout, message: "CSV-filen er tom.",
                        suggestion: "Send filen med svarene igen.")
            return (nil, [])
        }
        let data = Array(rows.dropFirst())
        for record in rows {
            for (index, field) in record.fields.enumerated() where context.mayHoldCPR(field) {
                if CPRDetector.containsCPR(field) {
                    context.reportCPR(at: Provenance(
                        sheet: "", cell: CellAddress(row: record.line, column: index + 1).description))
                }
            }
        }
        let folded = header.fields.map { AnswerVocabulary.fold($0) }
        let questionColumn = folded.firstIndex { Vocabulary.question.contains($0) }
            ?? folded.firstIndex { Vocabulary.questionID.contains($0) }
        let answerColumn = folded.firstIndex { Vocabulary.answer.contains($0) }
        if let questionColumn, let answerColumn {
            let known = folded.indices.filter { index in
                index == questionColumn || index == answerColumn || Vocabulary.metadata[folded[index]] != nil
                    || Vocabulary.remark.contains(folded[index]) || Vocabulary.questionID.contains(folded[index])
                    || Vocabulary.question.contains(folded[index])
            }
            context.reportUnknownColumns(header: header, rows: data, known: Set(known))
            return (.csvLong, context.readLong(
                header: header, folded: folded, rows: data, question: questionColumn, answer: answerColumn))
        }
        if header.fields.contains(where: { QuestionMatcher.looksLikeID(idPart($0)) }) {
            let known = header.fields.indices.filter { index in
                Vocabulary.metadata[folded[index]] != nil || QuestionMatcher.looksLikeID(idPart(header.fields[index]))
            }
            context.reportUnknownColumns(header: header, rows: data, known: Set(known))
            return (.csvWide, context.readWide(header: header, folded: folded, rows: data))
        }
        context.add(
            at: Provenance(sheet: "", cell: "A\(header.line)"), severity: .error, rule: .unknownLayout,
            message: "CSV-filen har hverken kolonnerne »spørgsmål« og »svar« (én række pr. svar) eller én kolonne pr. "
                + "spørgsmåls-id (én række pr. sag).",
            suggestion: "Brug overskrifterne sagsnummer;niveau;runde;spørgsmål;svar;bemærkning, eller ét spørgsmåls-id "
                + "(fx B.2) pr. kolonne.")
        return (nil, [])
    }

    /// The id part of a wide header: `B.2`, `B.2 bemærkning`, `B.2. Er der …` → `B.2`; `Bemærkning B.2` → `B.2`.
    static func idPart(_ header: String) -> String {
        let words = header.split { $0.isWhitespace || $0 == ":" || $0 == "(" || $0 == ")" }
        if let first = words.first, QuestionMatcher.looksLikeID(String(first)) { return String(first) }
        if words.count == 2, let last = words.last, QuestionMatcher.looksLikeID(String(last)),
            Vocabulary.isRemark(AnswerVocabulary.fold(String(words[0])))
        {
            return String(last)
        }
        // `B.2_bemærkning`, as some survey tools join words.
        if let underscore = header.firstIndex(of: "_") {
            let head = String(header[..<underscore])
            let rest = AnswerVocabulary.fold(String(header[underscore...]))
            if QuestionMatcher.looksLikeID(head), Vocabulary.isRemark(rest) {
                return head
            }
        }
        return header.trimmed
    }
}

extension ReadContext {
    private func place(_ record: CSVRecord, _ column: Int) -> Provenance {
        Provenance(sheet: "", cell: CellAddress(row: record.line, column: column + 1).description)
    }

    private func metadataColumns(_ folded: [String]) -> [String: Int] {
        var columns: [String: Int] = [:]
        for (index, name) in folded.enumerated() {
            if let key = Vocabulary.metadata[name], columns[key] == nil { columns[key] = index }
        }
        return columns
    }

    /// The catalogue a row names in its Katalog column, else the default one; nil, with an error finding at the
    /// cell, when no catalogue has that id.
    private mutating func catalogue(of record: CSVRecord, columns: [String: Int]) -> Catalogue? {
        let catalogueID = field(record, columns["Katalog"]) ?? options.defaultCatalogue
        guard let catalogue = catalogues[catalogueID] else {
            add(at: columns["Katalog"].map { place(record, $0) }, severity: .error, rule: .unknownCatalogue,
                message: "Spørgsmålskataloget \(quote(catalogueID)) findes ikke.",
                suggestion: "Skriv et af katalogerne: " + catalogues.byID.keys.sorted().joined(separator: ", ") + ".")
            return nil
        }
        return catalogue
    }

    private func field(_ record: CSVRecord, _ column: Int?) -> String? {
        guard let column, column < record.fields.count else { return nil }
        let text = record.fields[column].trimmed
        return text.isEmpty ? nil : text
    }

    private func metadata(_ record: CSVRecord, _ columns: [String: Int]) -> [String: SourceText] {
        var metadata: [String: SourceText] = [:]
        for (key, column) in columns { metadata[key] = SourceText(field(record, column), at: place(record, column)) }
        return metadata
    }

    /// Reports required metadata columns the header lacks.
    private mutating func requireColumns(_ columns: [String: Int], header: CSVRecord) -> Bool {
        var required = ["Sagsnummer", "Niveau", "Enhed", "Indsats"]
        if options.round == nil { required.insert("Runde", at: 2) }
        let missing = required.filter { columns[$0] == nil }
        guard !missing.isEmpty else { return true }
        add(at: Provenance(sheet: "", cell: "A\(header.line)"), severity: .error, rule: .missingMetadata,
            message: "CSV-filen mangler kolonnen " + missing.map { "»\($0.lowercased())«" }.joined(separator: ", ")
                + ".",
            suggestion: "Tilføj kolonnen i første række, og udfyld den for hver række.")
        return false
    }

    /// CSV long: one row per answer, grouped into reviews by sagsnummer, niveau, runde and reviewer.
    mutating func readLong(header: CSVRecord, folded: [String], rows: [CSVRecord], question: Int, answer: Int)
        -> [RawReview]
    {
        let columns = metadataColumns(folded)
        guard requireColumns(columns, header: header) else { return [] }
        let remarkColumn = folded.firstIndex { Vocabulary.remark.contains($0) }
        let idColumn = folded.firstIndex { Vocabulary.questionID.contains($0) }
        var order: [[String]] = []
        var groups: [[String]: (raw: RawReview, first: CSVRecord)] = [:]
        var matchers: [String: QuestionMatcher] = [:]
        for record in rows {
            // One review per case, level and round: rows that differ in reviewer or date are one review with a
            // mistake in it, reported below, not two reviews.
            let key = ["Sagsnummer", "Niveau", "Runde"].map { field(record, columns[$0]) ?? "" }
            guard let catalogue = catalogue(of: record, columns: columns) else { continue }
            let matcher = matchers[catalogue.id] ?? QuestionMatcher(catalogue: catalogue)
            matchers[catalogue.id] = matcher
            let answerText = SourceText(field(record, answer), at: place(record, answer))
            let remark = SourceText(field(record, remarkColumn), at: place(record, remarkColumn ?? answer + 1))
            let id = resolveQuestion(
                id: idColumn == question ? field(record, question) : field(record, idColumn),
                text: idColumn == question ? nil : field(record, question), matcher: matcher,
                answered: answerText.text != nil, at: place(record, question))
            if groups[key] == nil {
                order.append(key)
                let metadata = metadata(record, columns)
                groups[key] = (
                    RawReview(
                        metadata: metadata, answers: [],
                        at: metadata["Sagsnummer"]?.at ?? place(record, 0), catalogueID: catalogue.id,
                        catalogueVersion: field(record, columns["Version"])),
                    record
                )
            } else if let first = groups[key]?.first {
                for name in ["Enhed", "Indsats", "Reviewer", "Dato", "Alder", "Kommune", "Katalog", "Version"] {
                    guard let column = columns[name] else { continue }
                    let value = field(record, column)
                    var label: String { ReadContext.label(name) }
                    if value == nil, field(first, column) != nil {
                        add(at: place(record, column), severity: .error, rule: .invalidMetadata,
                            message: "\(label) er udfyldt i sagens første række (\(place(first, column).cell)), men "
                                + "ikke i denne.",
                            suggestion: "Udfyld \(label.lowercased()) ens i alle rækker for samme sag, niveau og runde.")
                    } else if let value, value != field(first, column) {
                        add(at: place(record, column), severity: .error, rule: .invalidMetadata,
                            message: "\(label) er ikke den samme som i sagens første række "
                                + "(\(place(first, column).cell)).",
                            suggestion: "Ret, så alle rækker for samme sag, niveau og runde har samme "
                                + "\(label.lowercased()).")
                    }
                }
            }
            if let id { groups[key]?.raw.answers.append(RawAnswer(questionID: id, answer: answerText, remark: remark)) }
        }
        return order.compactMap { groups[$0]?.raw }
    }

    /// CSV wide: one row per review, one column per question id, optionally `<id> bemærkning` columns.
    mutating func readWide(header: CSVRecord, folded: [String], rows: [CSVRecord]) -> [RawReview] {
        let columns = metadataColumns(folded)
        guard requireColumns(columns, header: header) else { return [] }
        var answerColumns: [(id: String, column: Int)] = []
        var remarkColumns: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let id = ReturnedFileReader.idPart(name)
            guard QuestionMatcher.looksLikeID(id) else { continue }
            let folded = QuestionMatcher.foldID(id)
            if Vocabulary.isRemark(AnswerVocabulary.fold(name)) {
                remarkColumns[folded] = index
            } else {
                answerColumns.append((folded, index))
            }
        }
        var reviews: [RawReview] = []
        var matchers: [String: QuestionMatcher] = [:]
        for record in rows {
            guard let catalogue = catalogue(of: record, columns: columns) else { continue }
            let matcher = matchers[catalogue.id] ?? QuestionMatcher(catalogue: catalogue)
            matchers[catalogue.id] = matcher
            let answers = answerColumns.map { item in
                let remarkColumn = remarkColumns[item.id]
                return RawAnswer(
                    questionID: matcher.id(item.id) ?? item.id,
                    answer: SourceText(field(record, item.column), at: place(record, item.column)),
                    remark: SourceText(
                        field(record, remarkColumn), at: place(record, remarkColumn ?? item.column)))
            }
            let metadata = metadata(record, columns)
            reviews.append(RawReview(
                metadata: metadata, answers: answers, at: metadata["Sagsnummer"]?.at ?? place(record, 0),
                catalogueID: catalogue.id, catalogueVersion: field(record, columns["Version"])))
        }
        return reviews
    }
}
