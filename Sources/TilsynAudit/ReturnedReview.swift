internal import TilsynSheets

/// Where a value was read: the sheet (empty for CSV) and the cell.
public struct Provenance: Sendable, Hashable {
    /// The sheet's name; empty for CSV.
    public var sheet: String
    /// `E12`; for CSV the cell Excel shows when it opens the file.
    public var cell: String

    /// The cell `cell` of `sheet`.
    public init(sheet: String, cell: String) {
        self.sheet = sheet
        self.cell = cell
    }

    /// Splits `Tilsyn!E12` (as `TemplateValue.cell` writes it).
    init(reference: String) {
        // On the UTF-8 bytes: `!` is ASCII, so its index falls between characters (a Character search cost a
        // hundredth of reading a template).
        if let bang = reference.utf8.lastIndex(of: UInt8(ascii: "!")) {
            sheet = String(reference[..<bang])
            cell = String(reference[reference.utf8.index(after: bang)...])
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
    /// The text, trimmed; nil for an empty cell.
    public var text: String?
    /// Where it was read.
    public var at: Provenance
    /// Set when the cell holds something that is not plain text or number (see `CellProblem`).
    public var problem: CellProblem?

    /// `text` read at `at`, trimmed (blank text counts as empty).
    public init(_ text: String?, at: Provenance, problem: CellProblem? = nil) {
        let trimmed = text?.trimmed
        self.text = trimmed?.isEmpty == true ? nil : trimmed
        self.at = at
        self.problem = problem
    }

    /// Text already trimmed, nil when empty, read at `at`.
    init(trimmed text: String?, at: Provenance) {
        self.text = text
        self.at = at
        self.problem = nil
    }
}

/// One review as a file holds it, before normalisation: metadata by key and answers by question id.
///
/// Metadata keys are the template's (`Sagsnummer`, `Enhed`, `Indsats`, `Alder`, `Kommune`, `Runde`, `Niveau`,
/// `Reviewer`, `Dato`); every input shape maps its columns or labels to them.
public struct RawReview: Sendable {
    /// The metadata by the template's key.
    public var metadata: [String: SourceText]
    /// The answers in file order.
    public var answers: [RawAnswer]
    /// Where the review as a whole is (the sagsnummer cell, or the first cell of the record).
    public var at: Provenance
    /// The catalogue the file names (or the default).
    public var catalogueID: String
    /// The catalogue version a template carries; nil for other files.
    public var catalogueVersion: String?
    /// Question ids a template's meta sheet lists that its sheet no longer has.
    public var missing: [String] = []
    /// The sheet the review was read from; empty for CSV.
    public var sheet: String = ""
    /// The sagsskridt the file asks about, when a template was made for some steps only; nil for all.
    public var steps: Set<String>?

    /// A review read from a file.
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
    /// The question id as the file gives it (matched to the catalogue by the normaliser).
    public var questionID: String
    /// The answer as written.
    public var answer: SourceText
    /// The remark as written.
    public var remark: SourceText

    /// An answer and its remark.
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
    /// The child's age in years, when given.
    public var age: Int?
    /// The municipality, when the file names one.
    public var kommune: String?
    /// The date of the review, ISO (`2025-03-14`).
    public var reviewDate: String?
    /// The catalogue the review answers.
    public var catalogueID: String
    /// Its version, as the template carried it (the catalogue's own for other files).
    public var catalogueVersion: String
    /// Where the review is (the sagsnummer cell).
    public var at: Provenance
    /// The answers, one per question, in catalogue order.
    public var answers: [Answer]
    /// The caseworker (sagsbehandler) the case list names, for feedback to the unit; personal data, never in
    /// exports or reports.
    public var caseworker: String? = nil
    /// What the case was drawn for (udgangspunkt: the sagsskridt or event the sample took it from), as written.
    public var udgangspunkt: String? = nil
    /// The date of the udgangspunkt, ISO (`2024-11-02`): with the review date, the case's age at review.
    public var udgangspunktDate: String? = nil

    /// The identity the batch and the store keep unique: case (its kommune and number), level and round.
    public var key: ReviewKey { ReviewKey(caseNumber: caseNumber, level: level, round: round, kommune: kommune ?? "") }
}

/// Case, level and round: at most one review each. A case is its number within its kommune: municipalities number
/// their cases each on their own.
public struct ReviewKey: Sendable, Hashable {
    /// The case number.
    public var caseNumber: String
    /// The level.
    public var level: Int
    /// The round.
    public var round: String
    /// The case's kommune; empty when neither the file nor the import names one.
    public var kommune: String

    /// The key of a review.
    public init(caseNumber: String, level: Int, round: String, kommune: String = "") {
        self.caseNumber = caseNumber
        self.level = level
        self.round = round
        self.kommune = kommune
    }
}

/// One normalised answer with its provenance.
public struct Answer: Sendable, Equatable {
    /// The catalogue's question id.
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

    /// A normalised answer.
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
    /// The case number as written.
    public var caseNumber: String
    /// The level as written.
    public var level: String
    /// The round as written.
    public var round: String
    /// The enhed as written.
    public var unit: String
    /// The reviewer as written.
    public var reviewer: String

    /// The identity of a review as written.
    public init(caseNumber: String, level: String, round: String, unit: String, reviewer: String) {
        self.caseNumber = caseNumber
        self.level = level
        self.round = round
        self.unit = unit
        self.reviewer = reviewer
    }
}

extension ReviewIdentity {
    /// The identity of a raw review as written (CPR-like numbers masked when `options` say so, and a case number
    /// holding one left out).
    init(_ raw: RawReview, options: ImportOptions) {
        func text(_ key: String) -> String {
            let value = raw.metadata[key]?.text ?? ""
            return options.redactCPR ? CPRDetector.redact(value) : value
        }
        self.init(
            caseNumber: CPRDetector.containsCPR(text("Sagsnummer")) ? "" : text("Sagsnummer"), level: text("Niveau"),
            round: raw.metadata["Runde"]?.text ?? options.round ?? "", unit: text("Enhed"), reviewer: text("Reviewer"))
    }
}

/// Which cases, levels, rounds, enheder and reviewers a file's reviews are about, as written, for the reviewers'
/// overview: each column's first few distinct values, so that a file of 25,000 reviews is summed up in a few
/// words (and in memory that does not grow with it) instead of a cell Excel cannot hold.
public struct ReviewIdentities: Sendable, Equatable {
    /// The distinct values of one column, in the order first read.
    public struct Column: Sendable, Equatable {
        /// The first ``ReviewIdentities/shown`` distinct values that are not blank.
        public private(set) var values: [String] = []
        /// Whether the file has more distinct values than `values`.
        public private(set) var more = false

        mutating func add(_ value: String) {
            guard !value.isEmpty, !values.contains(value) else { return }
            if values.count < ReviewIdentities.shown { values.append(value) } else { more = true }
        }

        /// The values joined with commas, and »m.fl.« (med flere) when there are more.
        public var joined: String { values.joined(separator: ", ") + (more ? " m.fl." : "") }
    }

    /// How many distinct values of each column are kept.
    public static let shown = 5

    /// The sagsnumre (a case number holding a CPR-like number is left out).
    public private(set) var caseNumbers = Column()
    /// The levels.
    public private(set) var levels = Column()
    /// The rounds.
    public private(set) var rounds = Column()
    /// The enheder.
    public private(set) var units = Column()
    /// The reviewers.
    public private(set) var reviewers = Column()
    /// How many reviews the file holds, as written (refused ones too).
    public private(set) var count = 0

    /// No reviews.
    public init() {}

    /// The reviews `identities`.
    public init(_ identities: [ReviewIdentity]) {
        for identity in identities { add(identity) }
    }

    /// Adds one review.
    public mutating func add(_ identity: ReviewIdentity) {
        caseNumbers.add(identity.caseNumber)
        levels.add(identity.level)
        rounds.add(identity.round)
        units.add(identity.unit)
        reviewers.add(identity.reviewer)
        count += 1
    }
}
