internal import TilsynSheets

/// A CSV file's layout, from its header, and the reviews being read from its rows.
struct CSVLayout {
    private enum Kind {
        case long(LongCSV)
        case wide(WideCSV)
        case none
    }

    private var kind: Kind
    /// The layout the header shows; nil when it shows none.
    let shape: InputShape?
    /// Columns whose header is neither known nor ignored: each is reported when some row fills it.
    let unknown: [Int]

    /// The layout of a file with this header; reports a header that shows none, or lacks a required column.
    init(header: CSVRecord, contiguous: Bool, context: inout ReadContext) {
        let folded = header.fields.map { AnswerVocabulary.fold($0) }
        let columns = CSVLayout.metadataColumns(folded)
        var known: (Int) -> Bool = { _ in true }
        if let (question, answer) = LongCSV.questionAndAnswer(folded) {
            shape = .csvLong
            known = { index in
                index == question || index == answer || Vocabulary.metadata[folded[index]] != nil
                    || Vocabulary.remark.contains(folded[index]) || Vocabulary.questionID.contains(folded[index])
                    || Vocabulary.question.contains(folded[index])
            }
            kind = context.requireColumns(columns, header: header)
                ? .long(LongCSV(folded: folded, columns: columns, question: question, answer: answer,
                                contiguous: contiguous))
                : .none
        } else if header.fields.contains(where: { QuestionMatcher.looksLikeID(ReturnedFileReader.idPart($0)) }) {
            shape = .csvWide
            known = { index in
                Vocabulary.metadata[folded[index]] != nil
                    || QuestionMatcher.looksLikeID(ReturnedFileReader.idPart(header.fields[index]))
            }
            kind = context.requireColumns(columns, header: header)
                ? .wide(WideCSV(header: header, columns: columns)) : .none
        } else {
            shape = nil
            kind = .none
            context.add(
                at: Provenance(sheet: "", cell: "A\(header.line)"), severity: .error, rule: .unknownLayout,
                message: "CSV-filen har hverken kolonnerne »spørgsmål« og »svar« (én række pr. svar) eller én kolonne "
                    + "pr. spørgsmåls-id (én række pr. sag).",
                suggestion: "Brug overskrifterne sagsnummer;niveau;runde;spørgsmål;svar;bemærkning, eller ét "
                    + "spørgsmåls-id (fx B.2) pr. kolonne.")
        }
        unknown = folded.indices.filter { !known($0) && !Vocabulary.ignoredColumns.contains(folded[$0]) }
    }

    /// Reads one record after the header.
    mutating func add(_ record: CSVRecord, context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void) {
        switch kind {
        case .long(var long):
            kind = .none
            long.add(record, context: &context, emit: emit)
            kind = .long(long)
        case .wide(var wide):
            kind = .none
            wide.add(record, context: &context, emit: emit)
            kind = .wide(wide)
        case .none:
            break
        }
    }

    /// Hands on the reviews not handed on yet, after the last record.
    mutating func finish(context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void) {
        if case .long(var long) = kind {
            kind = .none
            long.finish(context: &context, emit: emit)
        }
    }

    /// The first column of each metadata key.
    static func metadataColumns(_ folded: [String]) -> [String: Int] {
        var columns: [String: Int] = [:]
        for (index, name) in folded.enumerated() {
            if let key = Vocabulary.metadata[name], columns[key] == nil { columns[key] = index }
        }
        return columns
    }
}

/// CSV long: one row per answer, grouped into reviews by sagsnummer, niveau and runde (rows that differ in reviewer
/// or date are one review with a mistake in it, reported, not two reviews).
struct LongCSV {
    private static let keyNames = ["Sagsnummer", "Niveau", "Runde"]
    private static let consistentNames = ["Enhed", "Indsats", "Reviewer", "Dato", "Alder", "Kommune", "Katalog", "Version"]

    private let columns: [String: Int]
    private let keyColumns: [Int?]
    private let consistent: [(name: String, column: Int)]
    private let question: Int
    private let answer: Int
    private let remarkColumn: Int?
    private let idColumn: Int?
    /// Whether each review's rows come together, so that a review is complete when the next begins.
    private let contiguous: Bool
    /// The reviews being read, by key; with `contiguous` at most the current one.
    private var groups: [[String]: (raw: RawReview, first: CSVRecord)] = [:]
    /// The keys in the order of their first row (held reviews only).
    private var order: [[String]] = []
    private var current: [String]?
    /// The catalogue and matcher of the row before (most files name one catalogue), and every matcher made.
    private var lastCatalogue: (catalogue: Catalogue, matcher: QuestionMatcher)?
    private var matchers: [String: QuestionMatcher] = [:]

    /// The question and answer columns, when the header has both.
    static func questionAndAnswer(_ folded: [String]) -> (question: Int, answer: Int)? {
        let question = folded.firstIndex { Vocabulary.question.contains($0) }
            ?? folded.firstIndex { Vocabulary.questionID.contains($0) }
        guard let question, let answer = folded.firstIndex(where: { Vocabulary.answer.contains($0) }) else {
            return nil
        }
        return (question, answer)
    }

    /// The sagsnummer, niveau and runde columns of a long layout's header; empty for another layout.
    static func keyColumns(_ header: [String]) -> [Int?] {
        let folded = header.map { AnswerVocabulary.fold($0) }
        guard questionAndAnswer(folded) != nil else { return [] }
        let columns = CSVLayout.metadataColumns(folded)
        return keyNames.map { columns[$0] }
    }

    init(folded: [String], columns: [String: Int], question: Int, answer: Int, contiguous: Bool) {
        self.columns = columns
        keyColumns = LongCSV.keyNames.map { columns[$0] }
        consistent = LongCSV.consistentNames.compactMap { name in columns[name].map { (name, $0) } }
        self.question = question
        self.answer = answer
        remarkColumn = folded.firstIndex { Vocabulary.remark.contains($0) }
        idColumn = folded.firstIndex { Vocabulary.questionID.contains($0) }
        self.contiguous = contiguous
    }

    mutating func add(_ record: CSVRecord, context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void) {
        let key: [String]
        if let current, zip(keyColumns, current).allSatisfy({ (record.field($0) ?? "") == $1 }) {
            key = current
        } else {
            key = keyColumns.map { record.field($0) ?? "" }
        }
        let catalogueID = record.field(columns["Katalog"]) ?? context.options.defaultCatalogue
        if lastCatalogue?.catalogue.id != catalogueID {
            guard let catalogue = context.catalogue(catalogueID, at: columns["Katalog"].map { record.place($0) })
            else { return }
            let matcher = matchers[catalogue.id] ?? QuestionMatcher(catalogue: catalogue)
            matchers[catalogue.id] = matcher
            lastCatalogue = (catalogue, matcher)
        }
        guard let (catalogue, matcher) = lastCatalogue else { return }
        let answerText = SourceText(record.field(answer), at: record.place(answer))
        let remark = SourceText(record.field(remarkColumn), at: record.place(remarkColumn ?? answer + 1))
        let id = context.resolveQuestion(
            id: idColumn == question ? record.field(question) : record.field(idColumn),
            text: idColumn == question ? nil : record.field(question), matcher: matcher,
            answered: answerText.text != nil, at: record.place(question))
        if key != current {
            if contiguous, let current, let done = groups.removeValue(forKey: current) { emit(done.raw, &context) }
            current = key
        }
        if groups[key] == nil {
            if !contiguous { order.append(key) }
            let metadata = record.metadata(columns)
            groups[key] = (
                RawReview(
                    metadata: metadata, answers: [], at: metadata["Sagsnummer"]?.at ?? record.place(0),
                    catalogueID: catalogue.id, catalogueVersion: record.field(columns["Version"])),
                record
            )
        } else if let first = groups[key]?.first {
            for (name, column) in consistent {
                let value = record.field(column)
                let firstValue = first.field(column)
                guard value != firstValue else { continue }
                let label = ReadContext.label(name)
                if value == nil {
                    context.add(
                        at: record.place(column), severity: .error, rule: .invalidMetadata,
                        message: "\(label) er udfyldt i sagens første række (\(first.place(column).cell)), men ikke i "
                            + "denne.",
                        suggestion: "Udfyld \(label.lowercased()) ens i alle rækker for samme sag, niveau og runde.")
                } else {
                    context.add(
                        at: record.place(column), severity: .error, rule: .invalidMetadata,
                        message: "\(label) er ikke den samme som i sagens første række (\(first.place(column).cell)).",
                        suggestion: "Ret, så alle rækker for samme sag, niveau og runde har samme "
                            + "\(label.lowercased()).")
                }
            }
        }
        if let id { groups[key]?.raw.answers.append(RawAnswer(questionID: id, answer: answerText, remark: remark)) }
    }

    mutating func finish(context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void) {
        if contiguous {
            if let current, let done = groups.removeValue(forKey: current) { emit(done.raw, &context) }
        } else {
            for key in order { if let done = groups.removeValue(forKey: key) { emit(done.raw, &context) } }
        }
    }
}

/// CSV wide: one row per review, one column per question id, optionally `<id> bemærkning` columns.
struct WideCSV {
    private let columns: [String: Int]
    private var answerColumns: [(id: String, column: Int)] = []
    private var remarkColumns: [String: Int] = [:]
    private var matchers: [String: QuestionMatcher] = [:]

    init(header: CSVRecord, columns: [String: Int]) {
        self.columns = columns
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
    }

    mutating func add(_ record: CSVRecord, context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void) {
        let catalogueID = record.field(columns["Katalog"]) ?? context.options.defaultCatalogue
        guard let catalogue = context.catalogue(catalogueID, at: columns["Katalog"].map { record.place($0) }) else {
            return
        }
        let matcher = matchers[catalogue.id] ?? QuestionMatcher(catalogue: catalogue)
        matchers[catalogue.id] = matcher
        let answers = answerColumns.map { item in
            let remarkColumn = remarkColumns[item.id]
            return RawAnswer(
                questionID: matcher.id(item.id) ?? item.id,
                answer: SourceText(record.field(item.column), at: record.place(item.column)),
                remark: SourceText(record.field(remarkColumn), at: record.place(remarkColumn ?? item.column)))
        }
        let metadata = record.metadata(columns)
        emit(RawReview(
            metadata: metadata, answers: answers, at: metadata["Sagsnummer"]?.at ?? record.place(0),
            catalogueID: catalogue.id, catalogueVersion: record.field(columns["Version"])), &context)
    }
}

extension CSVRecord {
    /// Where a field is: the cell Excel shows when it opens the file.
    fileprivate func place(_ column: Int) -> Provenance {
        Provenance(sheet: "", cell: CellAddress(row: line, column: column + 1).description)
    }

    /// The field in `column`, trimmed; nil when blank or missing.
    fileprivate func field(_ column: Int?) -> String? {
        guard let column, column < fields.count else { return nil }
        let text = fields[column].trimmed
        return text.isEmpty ? nil : text
    }

    fileprivate func metadata(_ columns: [String: Int]) -> [String: SourceText] {
        var metadata: [String: SourceText] = [:]
        for (key, column) in columns { metadata[key] = SourceText(field(column), at: place(column)) }
        return metadata
    }
}

extension ReadContext {
    /// The catalogue with this id; nil, with an error finding at the cell, when there is none.
    mutating func catalogue(_ id: String, at: Provenance?) -> Catalogue? {
        guard let catalogue = catalogues[id] else {
            add(at: at, severity: .error, rule: .unknownCatalogue,
                message: "Spørgsmålskataloget \(quote(id)) findes ikke.",
                suggestion: "Skriv et af katalogerne: " + catalogues.byID.keys.sorted().joined(separator: ", ") + ".")
            return nil
        }
        return catalogue
    }

    /// Reports required metadata columns the header lacks.
    mutating func requireColumns(_ columns: [String: Int], header: CSVRecord) -> Bool {
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

    /// Warns about each CSV column whose header is not known and that holds something in some row.
    mutating func reportUnknownColumns(header: CSVRecord, filled: [Int]) {
        for index in filled {
            add(at: Provenance(sheet: "", cell: CellAddress(row: header.line, column: index + 1).description),
                severity: .warning, rule: .unknownColumn,
                message: "Kolonnen \(quote(header.fields[index])) kendes ikke, så dens indhold er ikke indlæst.",
                suggestion: "Flyt indholdet til kolonnen »bemærkning«, hvis det er en bemærkning, eller slet kolonnen.")
        }
    }
}
