public import TilsynAudit
internal import TilsynSheets

/// Deterministic, realistic audit data: cases, and reviews at two levels in two rounds.
///
/// Nothing is real: case numbers are `S-<year>-<nnnn>`, units are named after points of the compass, reviewers are
/// made-up initials. The same seed gives the same data on every machine (SplitMix64).
public struct SampleData: Sendable {
    /// The municipality the samples are from: its templates name it, its CSV files do not (import them with
    /// `--kommune`, or set the store's kommune).
    public static let kommune = "Eksempel Kommune"
    /// The units (enheder).
    public static let units = ["Enhed Nord", "Enhed Syd", "Enhed Øst", "Enhed Vest", "Enhed Centrum"]
    /// Niveau 1 reviewers (team leaders), two per unit, in unit order.
    public static let leaders = ["ANK", "BOL", "CHM", "DIT", "EJS", "FRH", "GUN", "HAV", "IBK", "JEP"]
    /// Niveau 2 reviewers (jurists).
    public static let jurists = ["KLJ", "MOS", "NIR"]
    /// The rounds: 2024 is the baseline.
    public static let rounds = ["2024", "2025"]

    /// The catalogue the reviews answer.
    public let catalogue: Catalogue
    /// The seed of the generator: the same seed gives the same samples, byte for byte.
    public let seed: UInt64
    /// Cases per round in the case list (the sample is drawn from them).
    public let casesPerRound: Int
    /// Cases reviewed at niveau 1 per round.
    public let levelOneCount: Int
    /// Of those, cases reviewed again at niveau 2.
    public let levelTwoCount: Int

    /// Sample data for `catalogue`: Copenhagen's proportions by default (150 cases at niveau 1 per round, 75 of them
    /// at niveau 2).
    public init(
        catalogue: Catalogue, seed: UInt64 = 2025, casesPerRound: Int = 155, levelOneCount: Int = 150,
        levelTwoCount: Int = 75
    ) {
        self.catalogue = catalogue
        self.seed = seed
        self.casesPerRound = casesPerRound
        self.levelOneCount = min(levelOneCount, casesPerRound)
        self.levelTwoCount = min(levelTwoCount, levelOneCount)
    }

    /// One generated review: the case, who reviewed it, and the answers as typed.
    public struct GeneratedReview: Sendable {
        /// The case as the case list gives it.
        public var record: CaseRecord
        /// The round.
        public var round: String
        /// The level.
        public var level: Int
        /// The reviewer's initials.
        public var reviewer: String
        /// ISO date of review.
        public var date: String
        /// Canonical answers by question id (blank questions are absent).
        public var answers: [String: String]
        /// Remarks by question id.
        public var remarks: [String: String]
        /// Questions in catalogue order that the round asks.
        public var questions: [Question]
    }

    /// The case list: `casesPerRound` cases per round, units and measures spread realistically.
    public func cases() -> [CaseRecord] {
        var rng = SplitMix64(seed: seed)
        var records: [CaseRecord] = []
        var line = 2
        for round in SampleData.rounds {
            let year = (Int(round) ?? 2025) - 1
            for index in 1...casesPerRound {
                let unit = SampleData.units[rng.next(below: SampleData.units.count)]
                let roll = rng.next(below: 100)
                let indsats: Indsats =
                    roll < 20 ? .forebyggende : roll < 68 ? .stottende : roll < 86 ? .anbringelseMedSamtykke
                    : .anbringelseUdenSamtykke
                let age = 1 + rng.next(below: 17)
                let month = 1 + rng.next(below: 12)
                let day = 1 + rng.next(below: 28)
                // Made-up caseworker initials, three per unit (`SNO1` … `SNO3` for Enhed Nord): for feedback per
                // caseworker. Drawn without the generator, so the rest of the data is as before.
                let caseworker = "S" + String(unit.dropFirst("Enhed ".count).prefix(2)).uppercased()
                    + String(index % 3 + 1)
                records.append(CaseRecord(
                    sagsnummer: "S-\(round)-" + pad(index, 4), enhed: unit, indsats: indsats, alder: age,
                    udgangspunkt: rng.next(below: 3) == 0 ? "Henvendelse" : "Underretning",
                    udgangspunktDato: "\(pad(day, 2))-\(pad(month, 2))-\(year)",
                    extra: [MetadataField(key: "sagsbehandler", value: caseworker)], line: line))
                line += 1
            }
        }
        return records
    }

    /// The reviews of one round at one level. Niveau 2 reviews a subset of niveau 1's cases and mostly agrees, but
    /// overrules some answers (mostly Ja → Nej, and a degree one step down).
    public func reviews(round: String, level: Int) -> [GeneratedReview] {
        let roundIndex = SampleData.rounds.firstIndex(of: round) ?? 0
        let inRound = cases().filter { $0.sagsnummer.hasPrefix("S-\(round)-") }.prefix(levelOneCount)
        let questions = catalogue.questions
            + ((catalogue.temanedslag?.round == round) ? (catalogue.temanedslag?.questions ?? []) : [])
        var result: [GeneratedReview] = []
        for (position, record) in inRound.enumerated() {
            var rng = SplitMix64(seed: seed &+ UInt64(roundIndex) &* 1_000_003 &+ UInt64(position) &* 7919)
            let unitIndex = SampleData.units.firstIndex(of: record.enhed) ?? 0
            let leader = SampleData.leaders[unitIndex * 2 + rng.next(below: 2)]
            var answers: [String: String] = [:]
            var remarks: [String: String] = [:]
            for (questionIndex, question) in questions.enumerated() {
                let answer = levelOneAnswer(
                    question: question, questionIndex: questionIndex, record: record, roundIndex: roundIndex,
                    unitIndex: unitIndex, rng: &rng)
                if let answer { answers[question.id] = answer }
                if let answer, question.remarkRequiredOn.contains(answer), rng.next(below: 100) < 93 {
                    remarks[question.id] = SampleData.remarkTexts[rng.next(below: SampleData.remarkTexts.count)]
                }
            }
            let date = "\(round)-0\(2 + rng.next(below: 2))-" + pad(1 + rng.next(below: 28), 2)
            let review = GeneratedReview(
                record: record, round: round, level: 1, reviewer: leader, date: date, answers: answers,
                remarks: remarks, questions: questions)
            if level == 1 {
                result.append(review)
            } else if position < levelTwoCount * 2, position % 2 == 0 {
                result.append(overrule(review, rng: &rng))
            }
        }
        return result
    }

    static let remarkTexts = [
        "Dokumentation mangler i sagen.", "Fremgår ikke af journalen.", "Fristen er overskredet.",
        "Kun delvist beskrevet; bør uddybes.", "Ikke drøftet med barnet.", "Vurderingen er ikke begrundet.",
    ]

    private func levelOneAnswer(
        question: Question, questionIndex: Int, record: CaseRecord, roundIndex: Int, unitIndex: Int,
        rng: inout SplitMix64
    ) -> String? {
        guard question.applies(to: record.indsats) else { return "Ikke relevant" }
        let conditional = ["Hvis", "Ved ", "Ung over", "Ungeplan", "Anbringelse:"].contains {
            question.text.hasPrefix($0)
        }
        if conditional, rng.next(below: 100) < 55 { return "Ikke relevant" }
        // Base compliance 62–96 % by question, units differ by up to ±7 points, 2025 is 3 points better.
        let base = 62 + (questionIndex * 37 + 11) % 35
        let unitShift = [4, -7, 2, -3, 5][unitIndex % 5]
        let rate = min(99, max(30, base + unitShift + roundIndex * 3))
        let roll = rng.next(below: 100)
        if question.type == "GRAD" {
            return roll < rate - 25 ? "Høj grad" : roll < rate + 10 ? "Nogen grad" : "Lav grad"
        }
        return roll < rate ? "Ja" : "Nej"
    }

    private func overrule(_ review: GeneratedReview, rng: inout SplitMix64) -> GeneratedReview {
        var copy = review
        copy.level = 2
        copy.reviewer = SampleData.jurists[rng.next(below: SampleData.jurists.count)]
        let day = Int(review.date.suffix(2)) ?? 1
        copy.date = String(review.date.dropLast(2)) + pad(min(28, day + 7), 2)
        copy.remarks = [:]
        for question in review.questions {
            guard let answer = review.answers[question.id] else { continue }
            let roll = rng.next(below: 100)
            var changed = answer
            switch answer {
            case "Ja" where roll < 12: changed = "Nej"
            case "Nej" where roll < 8: changed = "Ja"
            case "Høj grad" where roll < 18: changed = "Nogen grad"
            case "Nogen grad" where roll < 12: changed = "Lav grad"
            default: break
            }
            copy.answers[question.id] = changed
            if question.remarkRequiredOn.contains(changed) {
                copy.remarks[question.id] = changed == answer
                    ? (review.remarks[question.id] ?? SampleData.remarkTexts[0])
                    : "Niveau 2: " + SampleData.remarkTexts[rng.next(below: SampleData.remarkTexts.count)]
            }
        }
        return copy
    }
}


