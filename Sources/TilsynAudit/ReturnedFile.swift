internal import TilsynSheets

/// The layout a returned file was recognised as.
public enum InputShape: String, Sendable, CaseIterable {
    /// A Tilsyn template (`tilsyn template`), read through its hidden meta sheet.
    case template
    /// A foreign workbook: a sheet with a question column and an answer column.
    case sheet
    /// CSV with one row per answer (`sagsnummer;niveau;runde;spørgsmål;svar;bemærkning`).
    case csvLong = "csv-long"
    /// CSV with one row per review and one column per question id (survey tools).
    case csvWide = "csv-wide"
}

/// The catalogues an import can refer to, by id.
public struct CatalogueSet: Sendable {
    /// The catalogues by id.
    public let byID: [String: Catalogue]
    /// Each catalogue's `allQuestions`, and each question's position in them by id: looked up once per answer, the
    /// question then read in place rather than copied out of a dictionary.
    let questionLists: [String: [Question]]
    let positions: [String: [String: Int]]

    /// A set of `catalogues` (a later one with the same id wins).
    public init(_ catalogues: [Catalogue]) {
        var byID: [String: Catalogue] = [:]
        var questionLists: [String: [Question]] = [:]
        var positions: [String: [String: Int]] = [:]
        for catalogue in catalogues {
            byID[catalogue.id] = catalogue
            let list = catalogue.allQuestions
            var index: [String: Int] = [:]
            for (position, question) in list.enumerated() where index[question.id] == nil {
                index[question.id] = position
            }
            questionLists[catalogue.id] = list
            positions[catalogue.id] = index
        }
        self.byID = byID
        self.questionLists = questionLists
        self.positions = positions
    }

    /// The position in `allQuestions` of the question with this id in the catalogue with this id.
    func position(_ id: String, in catalogue: String) -> Int? {
        positions[catalogue]?[id]
    }

    /// Every catalogue in a catalogue folder.
    public init(store: CatalogueStore) throws {
        self.init(try store.ids().map { try store.load($0) })
    }

    /// The catalogue with this id, if the set holds it.
    public subscript(id: String) -> Catalogue? { byID[id] }
}

/// One returned file, read, normalised and validated: its reviews and what is wrong with it.
public struct ReturnedFile: Sendable {
    /// The path as given (or found in a folder).
    public var path: String
    /// SHA-256 of the file's bytes, lower-case hex.
    public var sha256: String
    /// The file's size in bytes.
    public var byteCount: Int
    /// The layout; nil when the file could not be read.
    public var shape: InputShape?
    /// The normalised reviews (empty when the file could not be read at all).
    public var reviews: [Review]
    /// Everything found wrong with it, in file order.
    public var findings: [Finding]
    /// Which case, level and round each review in the file is about, as written, also when the review itself is
    /// refused: for the reviewer's overview of findings.
    public var identities: ReviewIdentities

    /// A file as read.
    public init(
        path: String, sha256: String, byteCount: Int, shape: InputShape?, reviews: [Review], findings: [Finding],
        identities: ReviewIdentities = ReviewIdentities()
    ) {
        self.path = path
        self.sha256 = sha256
        self.byteCount = byteCount
        self.shape = shape
        self.reviews = reviews
        self.findings = findings
        self.identities = identities
    }

    /// Whether any finding is an error: then nothing from the file is stored.
    public var isRejected: Bool { findings.contains { $0.severity == .error } }

    /// Whether the file has warnings.
    public var hasWarnings: Bool { findings.contains { $0.severity == .warning } }

    /// The reviews and answers handed on instead of held (see
    /// ``ReturnedFileReader/read(bytes:name:sha256:catalogues:options:holding:each:)``).
    var handedOn: (reviews: Int, answers: Int)?

    /// Whether `reviews` holds every review of the file: false when they were handed on instead.
    public var holdsReviews: Bool { handedOn == nil }

    /// The number of normalised reviews, held in `reviews` or handed on.
    public var reviewCount: Int { handedOn?.reviews ?? reviews.count }

    /// The number of answers over all reviews (unanswered questions included), held or handed on.
    public var answerCount: Int { handedOn?.answers ?? reviews.reduce(0) { $0 + $1.answers.count } }
}

/// Reads returned files of every shape into reviews, with findings in Danish.
///
/// Reading never throws: a file that cannot be read gives a finding saying what to do. Pure Swift and safe to call
/// from several threads at once, one file per call.
public enum ReturnedFileReader {
    /// Reads the file at `path`.
    public static func read(path: String, catalogues: CatalogueSet, options: ImportOptions) -> ReturnedFile {
        guard let source = ReturnedFileSource(path: path) else { return unopenable(path) }
        return read(source, catalogues: catalogues, options: options)
    }

    /// Reads a file from bytes; `name` is the path shown in findings and decides CSV (`.csv`, `.txt`, `.tsv`).
    /// `sha256` is the bytes' hash when the caller has computed it already.
    public static func read(
        bytes: [UInt8], name: String, sha256: String? = nil, catalogues: CatalogueSet, options: ImportOptions
    ) -> ReturnedFile {
        reading(
            .bytes(bytes), name: name, sha256: sha256 ?? ContentHash.sha256Hex(bytes), byteCount: bytes.count,
            catalogues: catalogues, options: options, each: nil)
    }

    /// Reads a file from bytes as ``read(bytes:name:sha256:catalogues:options:)`` does, and hands each normalised
    /// review to `each` as soon as it is complete. The returned file holds the reviews as well while they come to
    /// at most `holding` answers; a file with more holds none (``ReturnedFile/holdsReviews`` is false) and its
    /// `reviewCount` and `answerCount` count what was handed on. A long CSV whose rows come review by review is so
    /// read in memory that does not grow with its length. Whether the file is rejected is known only at the end,
    /// from the returned file's findings. An error `each` throws ends the handing on and is thrown at the end.
    public static func read<Failure: Error>(
        bytes: [UInt8], name: String, sha256: String? = nil, catalogues: CatalogueSet, options: ImportOptions,
        holding: Int = 0, each: (Review) throws(Failure) -> Void
    ) throws(Failure) -> ReturnedFile {
        try handingOn(
            .bytes(bytes), name: name, sha256: sha256 ?? ContentHash.sha256Hex(bytes), byteCount: bytes.count,
            catalogues: catalogues, options: options, holding: holding, each: each)
    }

    /// Reads a CSV file through a window of its bytes, as ``read(bytes:name:sha256:catalogues:options:holding:each:)``
    /// reads one in memory.
    static func read<Failure: Error>(
        csv reader: CSVFileReader, name: String, sha256: String, byteCount: Int, catalogues: CatalogueSet,
        options: ImportOptions, holding: Int, each: (Review) throws(Failure) -> Void
    ) throws(Failure) -> ReturnedFile {
        try handingOn(
            .csv(reader), name: name, sha256: sha256, byteCount: byteCount, catalogues: catalogues, options: options,
            holding: holding, each: each)
    }

    /// Where a file's text comes from: bytes in memory, a CSV file read through a window, or CSV text another layer
    /// made of the file (an SQLite export's answers, whatever the file's name).
    enum Input {
        case bytes([UInt8])
        case csv(CSVFileReader)
        case csvText([UInt8])
    }

    static func handingOn<Failure: Error>(
        _ input: Input, name: String, sha256: String, byteCount: Int, catalogues: CatalogueSet,
        options: ImportOptions, holding: Int, each: (Review) throws(Failure) -> Void
    ) throws(Failure) -> ReturnedFile {
        try withoutActuallyEscaping(each) { (each) throws(Failure) -> ReturnedFile in
            var failure: Failure?
            let file = reading(
                input, name: name, sha256: sha256, byteCount: byteCount, catalogues: catalogues, options: options,
                holding: holding
            ) { review in
                guard failure == nil else { return }
                do throws(Failure) { try each(review) } catch { failure = error }
            }
            if let failure { throw failure }
            return file
        }
    }

    private static func reading(
        _ input: Input, name: String, sha256: String, byteCount: Int, catalogues: CatalogueSet,
        options: ImportOptions, holding limit: Int = .max, each: ((Review) -> Void)?
    ) -> ReturnedFile {
        var context = ReadContext(file: name, catalogues: catalogues, options: options)
        var identities = ReviewIdentities()
        // The first place of each case, level and round, and the reviews that repeat one (reported at the end).
        var places = ReviewPlaces()
        var repeats: [(at: Provenance, earlier: Provenance)] = []
        var reviews: [Review] = []
        var counts = (reviews: 0, answers: 0)
        var holds = true
        // Each raw review is normalised as soon as it is read and let go.
        let emit = { (raw: RawReview, context: inout ReadContext) in
            identities.add(ReviewIdentity(raw, options: options))
            guard let review = context.normalise(raw) else { return }
            if let earlier = places.insert(review.key, at: review.at) { repeats.append((review.at, earlier)) }
            counts.reviews += 1
            counts.answers += review.answers.count
            each?(review)
            guard holds else { return }
            if counts.answers <= limit {
                reviews.append(review)
            } else {
                holds = false
                reviews = []
            }
        }
        let shape: InputShape?
        switch input {
        case .csv(let reader):
            shape = readCSV(reader, context: &context, emit: emit)
        case .bytes(let bytes) where isCSV(name), .csvText(let bytes):
            shape = readCSV(bytes: bytes, context: &context, emit: emit)
        case .bytes(let bytes):
            let raws: [RawReview]
            (shape, raws) = readWorkbook(bytes: bytes, context: &context)
            for raw in raws { emit(raw, &context) }
        }
        if context.findings.contains(where: { $0.rule == .unreadable }) {
            // Nothing of a file that cannot be read counts, also when its first reviews were handed on.
            identities = ReviewIdentities()
            repeats = []
            reviews = []
            counts = (0, 0)
        }
        places = ReviewPlaces()
        for (at, earlier) in repeats { context.reportDuplicate(at: at, earlier: earlier) }
        if identities.count == 0, shape != nil, !context.findings.contains(where: { $0.severity == .error }) {
            context.add(severity: .error, rule: .unknownLayout, message: "Filen indeholder ingen gennemgang.",
                        suggestion: "Udfyld skabelonen for sagen, eller send den rigtige fil.")
        }
        var file = ReturnedFile(
            path: name, sha256: sha256, byteCount: byteCount, shape: shape,
            reviews: reviews, findings: context.findings, identities: identities)
        if !holds { file.handedOn = counts }
        return file
    }

    // MARK: - Workbooks

    private static func readWorkbook(bytes: [UInt8], context: inout ReadContext) -> (InputShape?, [RawReview]) {
        let workbook: Workbook
        do {
            workbook = try Workbook(bytes: bytes, name: context.file)
        } catch {
            context.unreadable(error)
            return (nil, [])
        }
        let sheets = SheetCache(workbook)
        do {
            let filled = try TemplateReader.read(sheets, file: context.file)
            context.date1904 = filled.date1904
            let worksheets = try sheets.worksheets().filter { $0.name != TemplateWriter.metaSheetName }
            context.scanForCPR(worksheets)
            context.reportNotes(worksheets)
            return (.template, [context.rawReview(from: filled)])
        } catch let error as CatalogueError where error.code == .notATemplate {
            // Not one of ours: a foreign layout.
        } catch {
            context.unreadable(error)
            return (nil, [])
        }
        do {
            context.date1904 = workbook.date1904
            let all = try sheets.worksheets()
            context.scanForCPR(all)
            context.reportNotes(all)
            // Every sheet with a question table is read, hidden ones too (a workbook with a sheet per case): the
            // reviews of a sheet after the first are not left behind without a word.
            var raws: [RawReview] = []
            var tables = 0
            for sheet in all {
                guard let read = context.readForeignSheet(sheet) else { continue }
                raws += read
                tables += 1
            }
            if tables > 0 { return (.sheet, raws) }
        } catch {
            context.unreadable(error)
            return (nil, [])
        }
        context.add(
            severity: .error, rule: .unknownLayout,
            message: "Projektmappen er hverken en Tilsyn-skabelon eller et ark med en kolonne for spørgsmål og en "
                + "for svar.",
            suggestion: "Brug skabelonen fra tilsynet, eller giv arket overskrifterne »Spørgsmål« og »Svar« (og "
                + "gerne »Bemærkning«) i samme række.")
        return (nil, [])
    }
}

/// The state of reading one file: its findings, options and catalogues.
struct ReadContext {
    let file: String
    let catalogues: CatalogueSet
    let options: ImportOptions
    var findings: [Finding] = []
    var date1904 = false
    /// The answers read so far, by the text as written (see `answerForm`).
    var answerForms = TextMemo<AnswerVocabulary.Result>()
    /// The catalogue's question ids of the ids read so far (see `resolveQuestion`).
    var questionIDs = TextMemo<String>()

    /// The `TextKey.scale` of question texts (no answer scale has this name).
    static let questionTextScale = "\u{0}question text"

    /// A text as written, in a catalogue's context and a scale's (`scale` empty for question ids, and
    /// `questionTextScale` for question texts).
    struct TextKey: Hashable {
        var catalogue: String
        var scale: String
        var text: String?
    }

    init(file: String, catalogues: CatalogueSet, options: ImportOptions) {
        self.file = file
        self.catalogues = catalogues
        self.options = options
    }

    mutating func add(
        at: Provenance? = nil, severity: Finding.Severity, rule: Finding.Rule, message: String, suggestion: String
    ) {
        findings.append(Finding(
            file: file, sheet: at?.sheet ?? "", cell: at?.cell ?? "", severity: severity, rule: rule,
            message: message, suggestion: suggestion))
    }

    /// Reports every cell of these sheets with a note or comment: its text is the reviewer's, and nothing reads it.
    mutating func reportNotes(_ sheets: [Sheet]) {
        for sheet in sheets {
            for cell in sheet.notes {
                add(at: Provenance(sheet: sheet.name, cell: cell.description), severity: .warning, rule: .cellNote,
                    message: "Cellen har en note eller kommentar. Noter indlæses ikke, så dens tekst er ikke gemt.",
                    suggestion: "Skriv det, der skal med, i kolonnen »Bemærkning« ud for spørgsmålet, og slet noten.")
            }
        }
    }

    /// Reports every cell of these sheets that holds a CPR-like number.
    mutating func scanForCPR(_ sheets: [Sheet]) {
        for sheet in sheets {
            for row in sheet.rows {
                for cell in row.cells {
                    let text: String
                    switch cell.value {
                    case .string(let string): text = string
                    case .number: text = cell.value.auditText
                    default: continue
                    }
                    if CPRDetector.mayContainCPR(text), CPRDetector.containsCPR(text) {
                        reportCPR(at: Provenance(
                            sheet: sheet.name, cell: CellAddress(row: row.number, column: cell.column).description))
                    }
                }
            }
        }
    }

    /// Reports a CPR-like number in a cell: an error, or a warning when it is masked.
    mutating func reportCPR(at: Provenance) {
        if options.redactCPR {
            add(at: at, severity: .warning, rule: .cprNumber,
                message: "Cellen indeholdt et tal, der ligner et CPR-nummer. Det er maskeret ved indlæsningen.",
                suggestion: "Slet CPR-nummeret i din egen kopi af filen. Skriv aldrig CPR-numre i ledelsestilsynet.")
        } else {
            add(at: at, severity: .error, rule: .cprNumber,
                message: "Cellen indeholder et tal, der ligner et CPR-nummer.",
                suggestion: "Slet CPR-nummeret, gem filen, og send den igen. Brug sagsnummer eller pseudonym, aldrig "
                    + "CPR-nummer.")
        }
    }
}
