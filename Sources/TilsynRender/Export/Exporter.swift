public import TilsynStore
internal import GRDB
internal import TilsynAudit
internal import TilsynSheets

/// Exports the store's answers for other tools (Excel, Power BI, R, pandas, DuckDB).
///
/// Rows stream from the store through a cursor into the format's writer; the wide shape keeps only the current
/// review's answers. Every text value passes the CPR detector (a CPR-like number is masked and counted), with
/// pseudonymisation the case number is replaced by its keyed pseudonym wherever it occurs (case column, file path,
/// sheet, remark) and file names by theirs. The output appears only when complete: a failed export leaves the
/// target path as it was.
///
/// Long columns: `round, level, case_number` (or `case_pseudonym`), `kommune, unit, measure, age, reviewer,
/// review_date, catalogue, catalogue_version, question, step, themes, question_type, applies, answer, answer_code,
/// remark, source_file, source_sha256, sheet, cell`. Wide columns: the review's columns up to `catalogue_version`,
/// then `source_file, source_sha256`, then per question id its answer and `<id>_bemaerkning`.
public enum Exporter {
    /// Writes the export of `database` to `path`.
    public static func export(
        from database: any StoreReading, to path: String, options: ExportOptions
    ) throws -> ExportSummary {
        let questions = try storeRead { try AuditStore.exportQuestions(database) }
        var scrubber = Scrubber(pseudonymizer: options.pseudonymizer)
        let sink: any ExportSink = try writeErrors(path) {
            switch options.format {
            case .csv: try CSVExportSink(path: path, dialect: options.dialect)
            case .xlsx: try XLSXExportSink(path: path)
            case .json: try JSONExportSink(path: path, lines: false)
            case .ndjson: try JSONExportSink(path: path, lines: true)
            case .sqlite: try SQLiteExportSink(path: path, table: options.shape == .long ? "answers" : "reviews")
            }
        }
        do {
            var summary: ExportSummary
            switch options.shape {
            case .long:
                summary = try exportLong(database, sink: sink, options: options, scrubber: &scrubber)
            case .wide:
                let ids = try storeRead { try AuditStore.exportQuestionIDs(database) }
                summary = try exportWide(database, sink: sink, questionIDs: ids, options: options, scrubber: &scrubber)
            }
            try writeErrors(path) { try sink.finish(questions: questions.map { scrubber.question($0) }) }
            summary.redactions = scrubber.redactions
            return summary
        } catch {
            sink.discard()
            throw error
        }
    }

    /// The long shape's columns.
    static func longColumns(_ options: ExportOptions) -> [ExportColumn] {
        var columns = reviewColumns(options)
        columns += [
            .text("question"), .text("step"), .text("themes"), .text("question_type"), .integer("applies"),
            .text("answer"), .integer("answer_code"),
        ]
        if options.includeRemarks { columns.append(.text("remark")) }
        columns += [.text("source_file"), .text("source_sha256"), .text("sheet"), .text("cell")]
        return columns
    }

    /// The columns describing a review, first in both shapes.
    static func reviewColumns(_ options: ExportOptions) -> [ExportColumn] {
        [
            .text("round"), .integer("level"), .text(options.pseudonymizer == nil ? "case_number" : "case_pseudonym"),
            .text("kommune"), .text("unit"), .integer("measure"), .integer("age"), .text("reviewer"),
            .date("review_date"), .text("catalogue"), .text("catalogue_version"),
        ]
    }

    private static func reviewValues(_ answer: ExportAnswer, _ scrubber: inout Scrubber) -> [ExportValue] {
        [
            scrubber.text(answer.round), .integer(answer.level), scrubber.caseValue(),
            scrubber.optional(answer.kommune), scrubber.text(answer.unit), .integer(answer.measure),
            answer.age.map { .integer($0) } ?? .null, scrubber.text(answer.reviewer),
            answer.reviewDate.map { ExportValue.parseISODate($0) ?? scrubber.text($0) } ?? .null,
            scrubber.text(answer.catalogue), scrubber.text(answer.catalogueVersion),
        ]
    }

    private static func exportLong(
        _ database: any StoreReading, sink: any ExportSink, options: ExportOptions, scrubber: inout Scrubber
    ) throws -> ExportSummary {
        let columns = longColumns(options)
        try sink.begin(columns: columns)
        var rows = 0
        var reviews = 0
        var lastReview: Int64?
        try storeRead {
            try AuditStore.forEachExportAnswer(database) { answer in
                if answer.reviewID != lastReview {
                    reviews += 1
                    lastReview = answer.reviewID
                }
                scrubber.setCase(answer.caseNumber)
                var row = reviewValues(answer, &scrubber)
                row += [
                    scrubber.text(answer.question), scrubber.optional(answer.step),
                    scrubber.text(answer.themes.joined(separator: ",")), scrubber.optional(answer.questionType),
                    .integer(answer.applies ? 1 : 0), scrubber.optional(answer.answer),
                    answer.code.map { .integer($0) } ?? .null,
                ]
                if options.includeRemarks { row.append(scrubber.freeText(answer.remark)) }
                row += [
                    scrubber.path(answer.filePath), .text(answer.fileSHA256), scrubber.freeText(answer.sheet),
                    scrubber.text(answer.cell),
                ]
                try sink.write(row)
                rows += 1
            }
        }
        return ExportSummary(rows: rows, reviews: reviews, redactions: 0, columns: columns.map(\.name))
    }

    private static func exportWide(
        _ database: any StoreReading, sink: any ExportSink, questionIDs: [String], options: ExportOptions,
        scrubber: inout Scrubber
    ) throws -> ExportSummary {
        var columns = reviewColumns(options) + [.text("source_file"), .text("source_sha256")]
        var slot: [String: Int] = [:]
        for id in questionIDs {
            slot[id] = columns.count
            columns.append(.text(id))
            if options.includeRemarks { columns.append(.text(id + "_bemaerkning")) }
        }
        try sink.begin(columns: columns)
        var reviews = 0
        var current: Int64?
        var row: [ExportValue] = []
        func flush() throws {
            guard current != nil else { return }
            try sink.write(row)
            reviews += 1
        }
        try storeRead {
            try AuditStore.forEachExportAnswer(database) { answer in
                if answer.reviewID != current {
                    try flush()
                    current = answer.reviewID
                    scrubber.setCase(answer.caseNumber)
                    row = reviewValues(answer, &scrubber)
                    row += [scrubber.path(answer.filePath), .text(answer.fileSHA256)]
                    row += Array(repeating: .null, count: columns.count - row.count)
                }
                guard let index = slot[answer.question] else { return }
                row[index] = scrubber.optional(answer.answer)
                if options.includeRemarks { row[index + 1] = scrubber.freeText(answer.remark) }
            }
            try flush()
        }
        return ExportSummary(rows: reviews, reviews: reviews, redactions: 0, columns: columns.map(\.name))
    }

    private static func storeRead<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw ExportError(.cannotRead, "the store cannot be read (\(error.message ?? "SQLite error"))")
        }
    }

    private static func writeErrors<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SpreadsheetError {
            throw ExportError(.cannotWrite, "the export cannot be written: \(error.message)", path: path)
        } catch let error as StoreError {
            throw ExportError(.cannotWrite, "the export cannot be written: \(error.message)", path: path)
        }
    }
}

/// Cleans every text value on its way out: CPR-like numbers are masked and counted, and when pseudonymising, the
/// current case number becomes its pseudonym in free text (remarks, sheet names, folders), where a reviewer may
/// have written it. Coded fields (round, unit, question, …) are not searched for it: a short case number would
/// otherwise corrupt them.
struct Scrubber {
    let pseudonymizer: Pseudonymizer?
    private(set) var redactions = 0
    private var caseNumber = ""
    private var casePseudonym: String?
    /// The last file name pseudonymised, and its pseudonym: a file's answers come one after another.
    private var fileName: (name: String, pseudonym: String)?

    init(pseudonymizer: Pseudonymizer?) {
        self.pseudonymizer = pseudonymizer
    }

    /// Sets the case whose number is replaced in the values that follow.
    mutating func setCase(_ number: String) {
        guard number != caseNumber else { return }
        caseNumber = number
        casePseudonym = pseudonymizer?.pseudonym(number)
    }

    /// The case column's value: the pseudonym, or the (CPR-checked) case number.
    mutating func caseValue() -> ExportValue {
        if let casePseudonym { return .text(casePseudonym) }
        return .text(clean(caseNumber))
    }

    mutating func text(_ value: String) -> ExportValue { .text(clean(value)) }

    mutating func optional(_ value: String?) -> ExportValue { value.map { .text(clean($0)) } ?? .null }

    /// Free text (a remark, a sheet name): the case number is replaced as well.
    mutating func freeText(_ value: String?) -> ExportValue {
        value.map { .text(clean($0, freeText: true)) } ?? .null
    }

    /// A file path: with pseudonyms, the file name becomes its own pseudonym (file names are often case
    /// numbers) with its extension kept, and the case number is replaced in the folders.
    mutating func path(_ value: String) -> ExportValue {
        guard let pseudonymizer else { return .text(clean(value)) }
        let slash = value.lastIndex(of: "/")
        let folder = slash.map { String(value[...$0]) } ?? ""
        let name = slash.map { String(value[value.index(after: $0)...]) } ?? value
        let dot = name.lastIndex(of: ".")
        let ext = dot.map { String(name[$0...]) } ?? ""
        if fileName?.name != name { fileName = (name, pseudonymizer.pseudonym(name)) }
        return .text(clean(folder, freeText: true) + (fileName?.pseudonym ?? "") + clean(ext))
    }

    /// A question for the question list, CPR-checked like the rest.
    mutating func question(_ question: ExportQuestion) -> ExportQuestion {
        var question = question
        question.text = clean(question.text)
        return question
    }

    /// `text` with CPR-like numbers masked and, in free text, the current case number (of at least four
    /// characters) replaced by its pseudonym.
    mutating func clean(_ text: String, freeText: Bool = false) -> String {
        var text = text
        if freeText, let casePseudonym, caseNumber.count >= 4, text.contains(caseNumber) {
            text = text.replacing(caseNumber, with: casePseudonym)
        }
        guard CPRDetector.mayContainCPR(text), CPRDetector.containsCPR(text) else { return text }
        redactions += 1
        return CPRDetector.redact(text)
    }
}
