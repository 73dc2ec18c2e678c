/// One problem found in a returned file, in Danish for the reviewer who must fix it.
///
/// Messages name no CPR number, no remark text and no case number: the file, sheet and cell say where to look.
public struct Finding: Sendable, Equatable, Hashable {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        /// The file is rejected and nothing from it is stored.
        case error = "fejl"
        /// The file is accepted; the reviewer should still look.
        case warning = "advarsel"

        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    /// Which rule found it: stable codes for tests and scripts.
    public struct Rule: Hashable, Sendable, CustomStringConvertible {
        /// The rule's name (`unknownAnswer`).
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file cannot be read (damaged, empty, not a workbook).
        public static let unreadable = Rule("unreadable")
        /// A password-protected (encrypted) workbook.
        public static let passwordProtected = Rule("passwordProtected")
        /// An Excel 97–2003 `.xls` workbook.
        public static let legacyXLS = Rule("legacyXLS")
        /// Another kind of file than a workbook or CSV (PDF, Word, HTML, text, `.xlsb`) under a workbook's name.
        public static let wrongFileType = Rule("wrongFileType")
        /// Neither a template, nor a question/answer sheet, nor a known CSV layout.
        public static let unknownLayout = Rule("unknownLayout")
        /// Required metadata (sagsnummer, niveau, runde, enhed, indsats) is missing; reviewer or date as a warning.
        public static let missingMetadata = Rule("missingMetadata")
        /// Metadata that cannot be read (a level that is not 1–4, a date that is no date, an uncertain indsats).
        public static let invalidMetadata = Rule("invalidMetadata")
        /// The catalogue named by the file is unknown, or its version differs (warning).
        public static let unknownCatalogue = Rule("unknownCatalogue")
        /// A question id the catalogue does not have.
        public static let unknownQuestion = Rule("unknownQuestion")
        /// The same question answered twice in one review.
        public static let duplicateQuestion = Rule("duplicateQuestion")
        /// An answer that is not on the question's scale, or not a form the vocabulary knows.
        public static let answerOutsideScale = Rule("answerOutsideScale")
        /// An answer to a question that does not apply to the case's indsats (warning).
        public static let inapplicableAnswer = Rule("inapplicableAnswer")
        /// An answer that requires a remark has none (warning).
        public static let missingRemark = Rule("missingRemark")
        /// A CPR-like number in a cell (error; a warning when masked with `--redact-cpr`).
        public static let cprNumber = Rule("cprNumber")
        /// A row of a foreign layout whose question could not be matched to the catalogue (warning).
        public static let unmatchedQuestion = Rule("unmatchedQuestion")
        /// A template question missing from the sheet (warning).
        public static let questionMissing = Rule("questionMissing")
        /// The same case, level and round twice in one batch.
        public static let duplicateReview = Rule("duplicateReview")
        /// A resubmission whose answers differ from the stored ones (error, or a warning with `--replace`).
        public static let resubmission = Rule("resubmission")
        /// The round in the file differs from `--round`.
        public static let roundConflict = Rule("roundConflict")
        /// The kommune in the file differs from `--kommune`, or the store holds the case with a kommune where the
        /// file names none, or without one where the file names one.
        public static let kommuneConflict = Rule("kommuneConflict")
        /// An applicable question left blank (error; a catalogue may mark a question optional).
        public static let missingAnswer = Rule("missingAnswer")
        /// A cell whose value the reviewer cannot have meant as typed: a formula without a result, TRUE/FALSE, a
        /// merged cell covering several answers.
        public static let unreadableCell = Rule("unreadableCell")
        /// Defined names, header row and cells disagree about where an answer is.
        public static let layoutConflict = Rule("layoutConflict")
        /// A column header the reader does not know beside a table it reads (warning: its cells are not stored).
        public static let unknownColumn = Rule("unknownColumn")
        /// A cell with a note or comment, whose text is not read (warning).
        public static let cellNote = Rule("cellNote")
        /// A file in a walked folder that is not read (lock files, hidden files, other kinds of file).
        public static let skippedFile = Rule("skippedFile")
        /// A file whose bytes changed between being read and being stored (another program saved it meanwhile).
        public static let changedDuringImport = Rule("changedDuringImport")
    }

    /// The file as given on the command line (or found in a folder).
    public var file: String
    /// The sheet, empty for CSV files and whole-file findings.
    public var sheet: String
    /// The cell (`E12`); for CSV the cell Excel shows when it opens the file; empty for whole-file findings.
    public var cell: String
    /// An error rejects the file; a warning is stored with it.
    public var severity: Severity
    /// Which check found it.
    public var rule: Rule
    /// What is wrong (Danish).
    public var message: String
    /// What to do about it (Danish): the forslag.
    public var suggestion: String

    /// A finding at `cell` of `sheet` in `file`.
    public init(
        file: String, sheet: String = "", cell: String = "", severity: Severity, rule: Rule, message: String,
        suggestion: String
    ) {
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.severity = severity
        self.rule = rule
        self.message = message
        self.suggestion = suggestion
    }

    /// One line for a terminal: `fil: ark!celle: fejl: besked (forslag)`.
    public var line: String {
        var place = file
        let at = sheet.isEmpty ? cell : cell.isEmpty ? sheet : "\(sheet)!\(cell)"
        if !at.isEmpty { place += ": " + at }
        return "\(place): \(severity.rawValue): \(message) Forslag: \(suggestion)"
    }
}
