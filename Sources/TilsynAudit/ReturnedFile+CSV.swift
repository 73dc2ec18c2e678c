internal import TilsynSheets

/// Returned CSV files, long (one answer per row) and wide (one review per row, a column per question), read record by
/// record: no file is held as records, and a long file whose rows come review by review hands each review on as soon
/// as its last row is read.
extension ReturnedFileReader {
    /// Reads a CSV file; `emit` gets each raw review when it is complete, in the order of each review's first row.
    ///
    /// A first pass over the bytes (views, no strings) finds the header, checks that the whole file can be read
    /// (so no review is handed on from a file that turns out unreadable) and, for the long layout, whether each
    /// review's rows come together; only then can a review be handed on before the file's end.
    static func readCSV(
        bytes: [UInt8], context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void
    ) -> InputShape? {
        let reader: CSVReader
        do {
            reader = try CSVReader(bytes: bytes, name: context.file)
        } catch {
            context.unreadable(error)
            return nil
        }
        return readCSV(reader, context: &context, emit: emit)
    }

    /// Reads CSV records from `reader` in two passes (see ``readCSV(bytes:context:emit:)``).
    static func readCSV(
        _ reader: any CSVRecordSource, context: inout ReadContext, emit: (RawReview, inout ReadContext) -> Void
    ) -> InputShape? {
        let survey: CSVSurvey
        do {
            survey = try CSVSurvey(reader)
            reader.rewind()
        } catch {
            context.unreadable(error)
            return nil
        }
        guard let header = survey.header else {
            context.add(severity: .error, rule: .unknownLayout, message: "CSV-filen er tom.",
                        suggestion: "Send filen med svarene igen.")
            return nil
        }
        let start = context.findings.count
        var layout = CSVLayout(header: header, contiguous: survey.contiguous, context: &context)
        var cprCells: [Provenance] = []
        var filled = Set<Int>()
        var seenHeader = false
        do {
            try reader.forEachRecord { row in
                if CSVSurvey.isBlank(row) { return }
                for index in row.indices where CPRDetector.mayContainCPR(row.utf8(at: index)) {
                    if CPRDetector.containsCPR(row[index]) {
                        cprCells.append(Provenance(
                            sheet: "", cell: CellAddress(row: row.line, column: index + 1).description))
                    }
                }
                guard seenHeader else {
                    seenHeader = true
                    return
                }
                for index in layout.unknown where !filled.contains(index) && !row.isBlank(at: index) {
                    filled.insert(index)
                }
                layout.add(row, context: &context, emit: emit)
            }
        } catch {
            // The first pass parsed the whole file: this pass fails only when a file read from disk changed in
            // between (and its hash then differs too). Nothing of it counts.
            context.findings.removeSubrange(start...)
            context.unreadable(error)
            return nil
        }
        layout.finish(context: &context, emit: emit)
        // CPR numbers and unknown columns first, as they concern the whole file.
        let later = Array(context.findings[start...])
        context.findings.removeSubrange(start...)
        for cell in cprCells { context.reportCPR(at: cell) }
        context.reportUnknownColumns(header: header, filled: filled.sorted())
        context.findings += later
        return layout.shape
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

/// What a first pass over a CSV file's bytes finds: the header record, and whether each review's rows (by the long
/// layout's sagsnummer, niveau and runde columns) come together.
struct CSVSurvey {
    /// The first record that is not blank.
    private(set) var header: CSVRecord?
    /// Whether no review's rows are split by another review's; true when the file has no long layout.
    private(set) var contiguous = true

    /// Reads the whole file once, throwing what reading it record by record would throw.
    init(_ reader: any CSVRecordSource) throws {
        var header: CSVRecord?
        var contiguous = true
        var keyColumns: [Int?] = []
        var previous: [String] = []
        var current: [String] = []
        var finished = Set<[String]>()
        try reader.forEachRecord { view in
            guard header != nil else {
                if !CSVSurvey.isBlank(view) {
                    let fields = view.strings
                    header = CSVRecord(line: view.line, fields: fields)
                    keyColumns = LongCSV.keyColumns(fields)
                }
                return
            }
            guard contiguous, !keyColumns.isEmpty else { return }
            // Most rows repeat the row before's key byte for byte: compared in place, only a change is copied and
            // builds the key (a blank row, whose key is blank too, is passed over only then).
            if previous.count == keyColumns.count,
                zip(keyColumns, previous).allSatisfy({ column, text in
                    column.map { view.field($0, isByteForByte: text) } ?? true
                })
            {
                return
            }
            if CSVSurvey.isBlank(view) { return }
            previous = keyColumns.map { $0.map { $0 < view.count ? view[$0] : "" } ?? "" }
            let key = previous.map(\.trimmed)
            guard key != current else { return }
            if !current.isEmpty { finished.insert(current) }
            if finished.contains(key) { contiguous = false }
            current = key
        }
        self.header = header
        self.contiguous = contiguous
    }

    /// Whether every field of a record is blank, without making strings of ASCII fields.
    static func isBlank(_ view: CSVFieldsView) -> Bool { view.indices.allSatisfy { view.isBlank(at: $0) } }
}
