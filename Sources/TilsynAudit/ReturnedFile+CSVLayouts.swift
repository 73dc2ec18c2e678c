internal import TilsynSheets

/// A CSV file's layout, from its header, and the reviews being read from its rows.
struct CSVLayout {
    /// The reviews being read: of the long layout, the wide one, or neither when the header shows none.
    private var long: LongCSV?
    private var wide: WideCSV?
    /// The layout the header shows; nil when it shows none.
    let shape: InputShape?
    /// Columns that are not read and whose header is not ignored: each is reported when some row fills it. A
    /// header of a kind already read (a second `enhed`, `bemærkning` or remark of one question) is one of them.
    let unknown: [Int]

    /// The layout of a file with this header; reports a header that shows none, or lacks a required column.
    init(header: CSVRecord, contiguous: Bool, context: inout ReadContext) {
        let folded = header.fields.map { AnswerVocabulary.fold($0) }
        let columns = CSVLayout.metadataColumns(folded)
        // Exactly the columns read: the first of each kind.
        var read = Set(columns.values)
        if let (question, answer) = LongCSV.questionAndAnswer(folded) {
            shape = .csvLong
            read.formUnion([question, answer])
            if let remark = LongCSV.remarkColumn(folded) { read.insert(remark) }
            if let id = LongCSV.idColumn(folded) { read.insert(id) }
            if context.requireColumns(columns, header: header) {
                long = LongCSV(folded: folded, columns: columns, question: question, answer: answer,
                               contiguous: contiguous)
            }
        } else if header.fields.contains(where: { QuestionMatcher.looksLikeID(ReturnedFileReader.idPart($0)) }) {
            shape = .csvWide
            let layout = WideCSV.columns(header)
            read.formUnion(layout.answers.map(\.column))
            read.formUnion(layout.remarks.values)
            if context.requireColumns(columns, header: header) { wide = WideCSV(header: header, columns: columns) }
        } else {
            shape = nil
            context.add(
                at: Provenance(sheet: "", cell: "A\(header.line)"), severity: .error, rule: .unknownLayout,
                message: "CSV-filen har hverken kolonnerne »spørgsmål« og »svar« (én række pr. svar) eller én kolonne "
                    + "pr. spørgsmåls-id (én række pr. sag).",
                suggestion: "Brug overskrifterne sagsnummer;niveau;runde;spørgsmål;svar;bemærkning, eller ét "
                    + "spørgsmåls-id (fx B.2) pr. kolonne.")
        }
        unknown = folded.indices.filter { !read.contains($0) && !Vocabulary.ignoredColumns.contains(folded[$0]) }
    }

    /// Reads one record after the header.
    mutating func add(_ row: CSVFieldsView, context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void) {
        if long != nil {
            long?.add(row, context: &context, emit: emit)
        } else {
            wide?.add(CSVRecord(line: row.line, fields: row.strings), context: &context, emit: emit)
        }
    }

    /// Hands on the reviews not handed on yet, after the last record.
    mutating func finish(context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void) {
        long?.finish(context: &context, emit: emit)
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
///
/// Read from each row's bytes: most rows repeat their review's key, catalogue and metadata byte for byte, which is
/// compared in place; strings are made of the answer, remark and question, and of a row that starts a review.
struct LongCSV {
    /// A review's rows share these (a case is its number within its kommune).
    private static let keyNames = ["Sagsnummer", "Niveau", "Runde", "Kommune"]
    private static let consistentNames = ["Enhed", "Indsats", "Reviewer", "Dato", "Alder", "Katalog", "Version"]

    /// A review being read, and its first row.
    private struct Open {
        var raw: RawReview
        var first: CSVRecord
    }

    private let columns: [String: Int]
    private let keyColumns: [Int?]
    private let catalogueColumn: Int?
    /// The metadata columns every row of a review must fill as its first row does, and their names.
    private let consistent: [Int]
    private let consistentNames: [String]
    private let question: Int
    private let answer: Int
    private let remarkColumn: Int?
    private let idColumn: Int?
    /// Whether each review's rows come together, so that a review is complete when the next begins.
    private let contiguous: Bool
    /// The review of the row before, and its key.
    private var open: Open?
    private var current: [String]?
    /// Reviews whose rows go on later in the file (only when not `contiguous`), by key, and every review's key in
    /// the order of its first row.
    private var held: [[String]: Open] = [:]
    private var order: [[String]] = []
    /// The catalogue of the row before (most files name one), with its matcher and the row's catalogue field as it
    /// is, and every matcher made.
    private var lastCatalogue: (id: String, matcher: QuestionMatcher, field: String)?
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

    /// The remark column: the first with a remark's header.
    static func remarkColumn(_ folded: [String]) -> Int? { folded.firstIndex { Vocabulary.remark.contains($0) } }

    /// The question id column: the first with an id's header.
    static func idColumn(_ folded: [String]) -> Int? { folded.firstIndex { Vocabulary.questionID.contains($0) } }

    /// The sagsnummer, niveau, runde and kommune columns of a long layout's header; empty for another layout.
    static func keyColumns(_ header: [String]) -> [Int?] {
        let folded = header.map { AnswerVocabulary.fold($0) }
        guard questionAndAnswer(folded) != nil else { return [] }
        let columns = CSVLayout.metadataColumns(folded)
        return keyNames.map { columns[$0] }
    }

    init(folded: [String], columns: [String: Int], question: Int, answer: Int, contiguous: Bool) {
        self.columns = columns
        keyColumns = LongCSV.keyNames.map { columns[$0] }
        catalogueColumn = columns["Katalog"]
        consistentNames = LongCSV.consistentNames.filter { columns[$0] != nil }
        consistent = consistentNames.compactMap { columns[$0] }
        self.question = question
        self.answer = answer
        remarkColumn = Self.remarkColumn(folded)
        idColumn = Self.idColumn(folded)
        self.contiguous = contiguous
    }

    mutating func add(_ row: CSVFieldsView, context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void) {
        let key: [String]
        if let current, let first = open?.first,
            keyColumns.allSatisfy({ $0.map { row.field($0, isByteForByte: first.text($0)) } ?? true })
        {
            key = current
        } else {
            key = keyColumns.map { $0.flatMap { row.trimmed(at: $0) } ?? "" }
        }
        guard let (catalogueID, matcher) = catalogue(of: row, context: &context) else { return }
        let answerText = SourceText(trimmed: row.trimmed(at: answer), at: row.place(answer))
        let remark = SourceText(
            trimmed: remarkColumn.flatMap { row.trimmed(at: $0) }, at: row.place(remarkColumn ?? answer + 1))
        let questionText = row.trimmed(at: question)
        let id = context.resolveQuestion(
            id: idColumn == question ? questionText : idColumn.flatMap { row.trimmed(at: $0) },
            text: idColumn == question ? nil : questionText, matcher: matcher,
            answered: answerText.text != nil, at: row.place(question))
        if key != current {
            if let open, let current {
                if contiguous { emit(open.raw, &context) } else { held[current] = open }
            }
            open = contiguous ? nil : held.removeValue(forKey: key)
            current = key
            if open == nil {
                if !contiguous { order.append(key) }
                let first = CSVRecord(line: row.line, fields: row.strings)
                let metadata = first.metadata(columns)
                open = Open(
                    raw: RawReview(
                        metadata: metadata, answers: [], at: metadata["Sagsnummer"]?.at ?? first.place(0),
                        catalogueID: catalogueID, catalogueVersion: first.field(columns["Version"])),
                    first: first)
                if let id { open?.raw.answers.append(RawAnswer(questionID: id, answer: answerText, remark: remark)) }
                return
            }
        }
        if let first = open?.first { checkConsistent(row, with: first, context: &context) }
        if let id { open?.raw.answers.append(RawAnswer(questionID: id, answer: answerText, remark: remark)) }
    }

    /// The catalogue a row names (or the default) and its matcher; nil, reported, when there is no such catalogue.
    private mutating func catalogue(
        of row: CSVFieldsView, context: inout ReadContext
    ) -> (id: String, matcher: QuestionMatcher)? {
        if let last = lastCatalogue, catalogueColumn.map({ row.field($0, isByteForByte: last.field) }) ?? true {
            return (last.id, last.matcher)
        }
        let named = catalogueColumn.flatMap { row.trimmed(at: $0) }
        guard let catalogue = context.catalogue(
            named ?? context.options.defaultCatalogue, at: catalogueColumn.map(row.place))
        else { return nil }
        let matcher = matchers[catalogue.id] ?? QuestionMatcher(catalogue: catalogue)
        matchers[catalogue.id] = matcher
        let field = catalogueColumn.map { $0 < row.count ? row[$0] : "" } ?? ""
        lastCatalogue = (catalogue.id, matcher, field)
        return (catalogue.id, matcher)
    }

    /// Reports each metadata field of `row` that differs from its review's first row.
    private func checkConsistent(
        _ row: CSVFieldsView, with first: CSVRecord, context: inout ReadContext
    ) {
        for (index, column) in consistent.enumerated() where !row.field(column, isByteForByte: first.text(column)) {
            let name = consistentNames[index]
            let value = row.trimmed(at: column)
            let firstValue = first.field(column)
            guard value != firstValue else { continue }
            let label = ReadContext.label(name)
            if value == nil {
                context.add(
                    at: row.place(column), severity: .error, rule: .invalidMetadata,
                    message: "\(label) er udfyldt i sagens første række (\(first.place(column).cell)), men ikke i "
                        + "denne.",
                    suggestion: "Udfyld \(label.lowercased()) ens i alle rækker for samme sag, niveau og runde.")
            } else {
                context.add(
                    at: row.place(column), severity: .error, rule: .invalidMetadata,
                    message: "\(label) er ikke den samme som i sagens første række (\(first.place(column).cell)).",
                    suggestion: "Ret, så alle rækker for samme sag, niveau og runde har samme \(label.lowercased()).")
            }
        }
    }

    mutating func finish(context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void) {
        if let open, let current {
            if contiguous { emit(open.raw, &context) } else { held[current] = open }
        }
        open = nil
        current = nil
        for key in order { if let done = held.removeValue(forKey: key) { emit(done.raw, &context) } }
        order = []
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
        (answerColumns, remarkColumns) = Self.columns(header)
    }

    /// The answer columns in header order (two of one question are both read, and reported as a question answered
    /// twice), and each question's remark column: the first headed as its remark (a second is not read).
    static func columns(_ header: CSVRecord) -> (answers: [(id: String, column: Int)], remarks: [String: Int]) {
        var answers: [(id: String, column: Int)] = []
        var remarks: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let id = ReturnedFileReader.idPart(name)
            guard QuestionMatcher.looksLikeID(id) else { continue }
            let folded = QuestionMatcher.foldID(id)
            if Vocabulary.isRemark(AnswerVocabulary.fold(name)) {
                if remarks[folded] == nil { remarks[folded] = index }
            } else {
                answers.append((folded, index))
            }
        }
        return (answers, remarks)
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

/// Where a field of a CSV file is: the cell Excel shows when it opens the file.
private func place(line: Int, column: Int) -> Provenance {
    Provenance(sheet: "", cell: CellAddress(row: line, column: column + 1).description)
}

extension CSVFieldsView {
    /// Where the field in `column` is.
    fileprivate func place(_ column: Int) -> Provenance { TilsynAudit.place(line: line, column: column) }
}

extension CSVRecord {
    /// Where the field in `column` is.
    fileprivate func place(_ column: Int) -> Provenance { TilsynAudit.place(line: line, column: column) }

    /// The field in `column`, trimmed; nil when blank or missing.
    fileprivate func field(_ column: Int?) -> String? {
        guard let column, column < fields.count else { return nil }
        let text = fields[column].trimmed
        return text.isEmpty ? nil : text
    }

    /// The field in `column` as it is, empty when missing.
    fileprivate func text(_ column: Int) -> String { column < fields.count ? fields[column] : "" }

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
            let at = Provenance(sheet: "", cell: CellAddress(row: header.line, column: index + 1).description)
            let name = header.fields[index]
            if let first = header.fields.indices.first(where: { $0 < index && sameKind(name, header.fields[$0]) }) {
                let column = CellAddress.columnName(first + 1)
                add(at: at, severity: .warning, rule: .unknownColumn,
                    message: "Kolonnen \(quote(header.fields[index])) er af samme slags som kolonne \(column) "
                        + "(\(quote(header.fields[first]))), og kun den første læses, så denne kolonnes indhold er ikke "
                        + "indlæst.",
                    suggestion: "Saml indholdet i kolonne \(column), og slet den anden kolonne.")
            } else {
                add(at: at, severity: .warning, rule: .unknownColumn,
                    message: "Kolonnen \(quote(header.fields[index])) kendes ikke, så dens indhold er ikke indlæst.",
                    suggestion: "Flyt indholdet til kolonnen »bemærkning«, hvis det er en bemærkning, eller slet "
                        + "kolonnen.")
            }
        }
    }

    /// Whether two CSV headers name the same kind of column: one metadata key, a remark, a question id, the
    /// question, the answer, or one question's remark in a wide file.
    private func sameKind(_ name: String, _ other: String) -> Bool {
        let (folded, theirs) = (AnswerVocabulary.fold(name), AnswerVocabulary.fold(other))
        if let key = Vocabulary.metadata[folded] { return Vocabulary.metadata[theirs] == key }
        for kind in [Vocabulary.remark, Vocabulary.questionID, Vocabulary.question, Vocabulary.answer]
        where kind.contains(folded) {
            return kind.contains(theirs)
        }
        let id = ReturnedFileReader.idPart(other)
        let mine = ReturnedFileReader.idPart(name)
        guard QuestionMatcher.looksLikeID(mine), QuestionMatcher.looksLikeID(id) else { return false }
        return QuestionMatcher.foldID(mine) == QuestionMatcher.foldID(id)
            && Vocabulary.isRemark(folded) == Vocabulary.isRemark(theirs)
    }
}
