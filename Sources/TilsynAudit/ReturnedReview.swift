internal import TilsynSheets

/// Where a value was read: the sheet (empty for CSV) and the cell.
public struct Provenance: Sendable, Hashable {
    public var sheet: String
    /// `E12`; for CSV the cell Excel shows when it opens the file.
    public var cell: String

    public init(sheet: String, cell: String) {
        self.sheet = sheet
        self.cell = cell
    }

    /// Splits `Tilsyn!E12` (as `TemplateValue.cell` writes it).
    init(reference: String) {
        if let bang = reference.lastIndex(of: "!") {
            sheet = String(reference[..<bang])
            cell = String(reference[reference.index(after: bang)...])
        } else {
            sheet = ""
            cell = reference
        }
    }
}

/// Why a cell's content cannot be taken as the value a reviewer meant: the normaliser reports each as a finding.
public enum CellProblem: Sendable, Hashable {
    /// A formula without a cached result (written by openpyxl or a script, never recalculated): its value is unknown.
    case formulaWithoutValue
    /// TRUE or FALSE, as Excel 365 check boxes write them: not an answer on any scale (an unticked box is FALSE).
    case boolean(Bool)
    /// The cell is covered by a merged range whose value sits in another cell (`E20` of `E20:E22`).
    case merged(range: String)
}

/// A text read from a file with its provenance; nil text for an empty cell.
public struct SourceText: Sendable, Hashable {
    public var text: String?
    public var at: Provenance
    /// Set when the cell holds something that is not plain text or number (see `CellProblem`).
    public var problem: CellProblem?

    public init(_ text: String?, at: Provenance, problem: CellProblem? = nil) {
        let trimmed = text?.trimmed
        self.text = trimmed?.isEmpty == true ? nil : trimmed
        self.at = at
        self.problem = problem
    }
}

/// One review as a file holds it, before normalisation: metadata by key and answers by question id.
///
/// Metadata keys are the template's (`Sagsnummer`, `Enhed`, `Indsats`, `Alder`, `Kommune`, `Runde`, `Niveau`,
/// `Reviewer`, `Dato`); every input shape maps its columns or labels to them.
public struct RawReview: Sendable {
    public var metadata: [String: SourceText]
    public var answers: [RawAnswer]
    /// Where the review as a whole is (the sagsnummer cell, or the first cell of the record).
    public var at: Provenance
    public var catalogueID: String
    public var catalogueVersion: String?
    /// Question ids a template's meta sheet lists that its sheet no longer has.
    public var missing: [String] = []
    /// The sheet the review was read from; empty for CSV.
    public var sheet: String = ""
    /// The sagsskridt the file asks about, when a template was made for some steps only; nil for all.
    public var steps: Set<String>?

    public init(
        metadata: [String: SourceText], answers: [RawAnswer], at: Provenance, catalogueID: String,
        catalogueVersion: String? = nil
    ) {
        self.metadata = metadata
        self.answers = answers
        self.at = at
        self.catalogueID = catalogueID
        self.catalogueVersion = catalogueVersion
    }
}

/// One answer and its remark as a file holds them.
public struct RawAnswer: Sendable {
    public var questionID: String
    public var answer: SourceText
    public var remark: SourceText

    public init(questionID: String, answer: SourceText, remark: SourceText) {
        self.questionID = questionID
        self.answer = answer
        self.remark = remark
    }
}

/// A case's review at one level in one round by one reviewer, normalised: what the store keeps.
public struct Review: Sendable, Equatable {
    /// The case number or pseudonym (never a CPR number).
    public var caseNumber: String
    /// The review level (niveau), 1–4.
    public var level: Int
    /// The round (runde), e.g. `2025`.
    public var round: String
    /// The reviewer's initials; empty when the file gives none (reported as a warning).
    public var reviewer: String
    /// The unit (enhed) owning the case.
    public var unit: String
    /// The measure (indsats).
    public var measure: Indsats
    public var age: Int?
    public var kommune: String?
    /// The date of the review, ISO (`2025-03-14`).
    public var reviewDate: String?
    public var catalogueID: String
    public var catalogueVersion: String
    /// Where the review is (the sagsnummer cell).
    public var at: Provenance
    public var answers: [Answer]
    /// The caseworker (sagsbehandler) the case list names, for feedback to the unit; personal data, never in
    /// exports or reports.
    public var caseworker: String? = nil
    /// What the case was drawn for (udgangspunkt: the sagsskridt or event the sample took it from), as written.
    public var udgangspunkt: String? = nil
    /// The date of the udgangspunkt, ISO (`2024-11-02`): with the review date, the case's age at review.
    public var udgangspunktDate: String? = nil

    /// The identity the batch and the store keep unique: case, level and round.
    public var key: ReviewKey { ReviewKey(caseNumber: caseNumber, level: level, round: round) }
}

/// Case, level and round: at most one review each.
public struct ReviewKey: Sendable, Hashable {
    public var caseNumber: String
    public var level: Int
    public var round: String

    public init(caseNumber: String, level: Int, round: String) {
        self.caseNumber = caseNumber
        self.level = level
        self.round = round
    }
}

/// One normalised answer with its provenance.
public struct Answer: Sendable, Equatable {
    public var questionID: String
    /// The canonical answer on the question's scale (`Ja`, `Høj grad`); nil when unanswered.
    public var answer: String?
    /// Its code; nil when unanswered or the scale is not one of the shipped ones.
    public var code: AnswerCode?
    /// The remark, CPR-like numbers masked when `--redact-cpr` was given.
    public var remark: String?
    /// Whether the question applies to the case's indsats.
    public var applies: Bool
    /// Where the answer was read.
    public var at: Provenance

    public init(
        questionID: String, answer: String?, code: AnswerCode?, remark: String?, applies: Bool, at: Provenance
    ) {
        self.questionID = questionID
        self.answer = answer
        self.code = code
        self.remark = remark
        self.applies = applies
        self.at = at
    }
}

/// Which review a file holds, as the reviewer wrote it (not normalised): case, level, round, unit and reviewer.
/// Kept also for refused reviews, so the overview of findings can say whose file it is.
public struct ReviewIdentity: Sendable, Hashable {
    public var caseNumber: String
    public var level: String
    public var round: String
    public var unit: String
    public var reviewer: String

    public init(caseNumber: String, level: String, round: String, unit: String, reviewer: String) {
        self.caseNumber = caseNumber
        self.level = level
        self.round = round
        self.unit = unit
        self.reviewer = reviewer
    }
}
