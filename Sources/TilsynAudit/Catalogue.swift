/// A question catalogue: the questions a ledelsestilsyn asks of a case, with their answer scales, case steps
/// (sagsskridt) and themes (pejlemærker).
///
/// Catalogues are data, stored as JSON in `Schemas/catalogues/<id>.json` and described by
/// `Schemas/catalogue.schema.json`. A municipality's model (such as `kk-2025`) is itself a catalogue: a subset of
/// the questions of the catalogues named in `basedOn`, plus the temanedslag questions of one round.
public struct Catalogue: Sendable, Equatable {
    /// The catalogue id, lower case letters, digits and hyphens (`sbs-overordnet`); also the file name.
    public var id: String
    /// The version of the question set, e.g. `2025.1`; templates record it so answers can be traced to wording.
    public var version: String
    /// The catalogue's Danish title.
    public var title: String
    /// Where the wording comes from, e.g. "afledt af barnets lov — ikke Social- og Boligstyrelsens ordlyd".
    public var source: String
    /// What the catalogue covers, one Danish sentence for templates and `tilsyn catalogs` (e.g. that the SBS
    /// templates do not cover anbringelse uden samtykke); empty when not stated.
    public var scope: String = ""
    /// The sagsskridt (step ids) a municipality's model asks about in its templates, as `tilsyn template --steps`
    /// chooses them; nil for every step.
    public var templateSteps: [String]? = nil
    /// The ids of the catalogues a model draws its questions from; empty for a base catalogue.
    public var basedOn: [String]
    /// The answer scales its questions use.
    public var scales: [AnswerScale]
    /// The sagsskridt in case order; templates group questions under them in this order.
    public var steps: [Step]
    /// The pejlemærker (themes) questions can be tagged with.
    public var themes: [Theme]
    /// The fixed questions, in template order.
    public var questions: [Question]
    /// The rotating thematic questions of one round, asked in addition to `questions`.
    public var temanedslag: Temanedslag?
    /// For a municipality's model: the level (niveau) whose answers are the statistical baseline (kk-2025: 2);
    /// nil when the model names none.
    public var baselineLevel: Int? = nil

    /// A catalogue (see `Schemas/catalogue.schema.json` for the fields).
    public init(
        id: String, version: String, title: String, source: String, basedOn: [String] = [],
        scales: [AnswerScale], steps: [Step], themes: [Theme], questions: [Question], temanedslag: Temanedslag? = nil
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.source = source
        self.basedOn = basedOn
        self.scales = scales
        self.steps = steps
        self.themes = themes
        self.questions = questions
        self.temanedslag = temanedslag
    }

    /// The questions a template asks: the catalogue's own, then the temanedslag's.
    public var allQuestions: [Question] { questions + (temanedslag?.questions ?? []) }

    /// The question with this id, among `allQuestions`.
    public func question(_ id: String) -> Question? { allQuestions.first { $0.id == id } }

    /// The scale with this id.
    public func scale(_ id: String) -> AnswerScale? { scales.first { $0.id == id } }

    /// The step with this id.
    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }

    /// The theme with this id.
    public func theme(_ id: String) -> Theme? { themes.first { $0.id == id } }
}

/// The answers a question may have, e.g. JN (Ja / Nej / Ikke relevant).
public struct AnswerScale: Sendable, Equatable {
    /// A short id questions refer to in `type` (`JN`, `GRAD`).
    public var id: String
    /// Its name (`Ja / Nej / Ikke relevant`).
    public var name: String
    /// The answers in the order a drop-down shows them, including the not-applicable answer.
    public var answers: [String]
    /// The answer meaning "does not apply" (`Ikke relevant`): prefilled for inapplicable questions and left out of
    /// compliance denominators; nil when the scale has none.
    public var notApplicable: String?

    /// A scale of `answers`.
    public init(id: String, name: String, answers: [String], notApplicable: String? = nil) {
        self.id = id
        self.name = name
        self.answers = answers
        self.notApplicable = notApplicable
    }
}

/// A case step (sagsskridt), e.g. `B` Børnefaglig undersøgelse.
public struct Step: Sendable, Equatable {
    /// The step's id (`B`).
    public var id: String
    /// Its Danish name.
    public var name: String

    /// A step named `name`.
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// A theme (pejlemærke), e.g. `INB` Inddragelse af barnet.
public struct Theme: Sendable, Equatable {
    /// The theme's id (`INB`).
    public var id: String
    /// Its Danish name.
    public var name: String

    /// A theme named `name`.
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// One question of a catalogue.
public struct Question: Sendable, Equatable {
    /// A stable id, `<step>.<n>` (`B.2`); templates and imports key answers by it, never by row position.
    public var id: String
    /// The id of the sagsskridt the question belongs to.
    public var step: String
    /// The ids of the pejlemærker the question informs; may be empty.
    public var themes: [String]
    /// The question as the reviewer reads it (Danish).
    public var text: String
    /// The criteria to judge the answer by (Danish); may be empty.
    public var help: String
    /// The id of the answer scale (`JN`, `GRAD`).
    public var type: String
    /// The indsatser (§ 30, 32, 46, 47) the question applies to; for others it is "Ikke relevant".
    public var appliesTo: [Int]
    /// The legal basis, e.g. `barnets lov § 20, stk. 3` or `forvaltningsloven § 19`.
    public var legal: [String]
    /// Answers that require a bemærkning, e.g. `["Nej"]`.
    public var remarkRequiredOn: [String]
    /// The ids this question had in earlier versions of the catalogue (a renamed question): trends across rounds
    /// compare answers stored under those ids with this one's. Empty for most questions.
    public var replaces: [String]
    /// Whether a reviewer may leave the question blank; a blank answer to any other applicable question is an
    /// error on import.
    public var optional: Bool
    /// The youngest age (in whole years) the question applies to, e.g. 16 for the ungeplan; nil for every age.
    public var minimumAge: Int?
    /// The oldest age the question applies to; nil for every age.
    public var maximumAge: Int?

    /// A question (see `Schemas/catalogue.schema.json` for the fields).
    public init(
        id: String, step: String, themes: [String] = [], text: String, help: String = "", type: String,
        appliesTo: [Int] = Indsats.allParagraphs, legal: [String] = [], remarkRequiredOn: [String] = [],
        replaces: [String] = [], optional: Bool = false, minimumAge: Int? = nil, maximumAge: Int? = nil
    ) {
        self.id = id
        self.step = step
        self.themes = themes
        self.text = text
        self.help = help
        self.type = type
        self.appliesTo = appliesTo
        self.legal = legal
        self.remarkRequiredOn = remarkRequiredOn
        self.replaces = replaces
        self.optional = optional
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
    }

    /// Whether the question applies to a child of this age (true when the age is not known).
    public func applies(toAge age: Int?) -> Bool {
        guard let age else { return true }
        return (minimumAge.map { age >= $0 } ?? true) && (maximumAge.map { age <= $0 } ?? true)
    }

    /// Whether the question applies to a case with this indsats.
    public func applies(to indsats: Indsats) -> Bool { appliesTo.contains(indsats.paragraph) }

    /// The id as it appears in defined names: `.` written as `_` (`B.2` → `B_2`).
    public var nameSuffix: String { String(id.map { $0 == "." ? "_" : $0 }) }
}

/// The temanedslag of one round: 2–4 thematic questions asked in addition to the fixed ones.
public struct Temanedslag: Sendable, Equatable {
    /// The round the questions belong to, e.g. `2025`.
    public var round: String
    /// The theme of the round, e.g. "Bisidder og anbringelsens kvalitet".
    public var title: String
    /// The round's extra questions.
    public var questions: [Question]

    /// The temanedslag of `round`.
    public init(round: String, title: String, questions: [Question]) {
        self.round = round
        self.title = title
        self.questions = questions
    }
}
