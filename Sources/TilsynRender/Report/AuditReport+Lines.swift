internal import TilsynAnalysis

/// The figures of the report, one group each.
extension AuditReport {
    /// One group's Ja/Nej compliance: `yes` of `n`.
    public struct Line: Sendable, Equatable {
        /// The group's key as `tilsyn summary` prints it (`B`, `INB`, `Nord`, `32`); empty for a total.
        public var id: String
        /// The Danish name shown (`Børnefaglig undersøgelse`).
        public var name: String
        /// Ja answers.
        public var yes: Int
        /// Ja + Nej answers.
        public var n: Int
        /// Suppressed (external reports, fewer than 5 cases or to protect a total): shown as `–`.
        public var hidden: Bool
        /// The same group at the report's other levels (`AuditReport.otherLevels`, in that order), shown beside it;
        /// n is 0 where a level has no answers in the group.
        public var others: [Line] = []
        /// The distinct cases behind `n`: suppression and caution count children, not answers.
        public var cases: Int = 0

        /// Ja / (Ja + Nej); nil without answers.
        public var rate: Double? { n > 0 ? Double(yes) / Double(n) : nil }
        /// Fewer than 20 cases: "forsigtig fortolkning".
        public var caution: Bool { !hidden && cases > 0 && cases < Suppression.cautionThreshold }
    }

    /// A degree question's distribution.
    public struct DegreeLine: Sendable, Equatable {
        /// The question id.
        public var id: String
        /// The question text shown.
        public var name: String
        /// Answers Lav grad.
        public var low: Int
        /// Answers Nogen grad.
        public var some: Int
        /// Answers Høj grad.
        public var high: Int
        /// Suppressed: shown as `–`.
        public var hidden: Bool
        /// The distinct cases behind the answers.
        public var cases: Int = 0

        /// Lav + Nogen + Høj grad.
        public var n: Int { low + some + high }
        /// The share "høj eller nogen grad".
        public var highOrSome: Double? { n > 0 ? Double(high + some) / Double(n) : nil }
        /// Fewer than 20 cases (children): "forsigtig fortolkning".
        public var caution: Bool { !hidden && cases > 0 && cases < Suppression.cautionThreshold }
    }

    /// One group in the round against the baseline, over the questions both rounds asked.
    public struct TrendLine: Sendable, Equatable {
        /// The group's key.
        public var id: String
        /// The Danish name shown.
        public var name: String
        /// The round compared with the baseline.
        public var round: String
        /// Ja and Ja + Nej in the round.
        public var yes: Int
        /// See `yes`.
        public var n: Int
        /// Ja and Ja + Nej in the baseline.
        public var baselineYes: Int
        /// See `baselineYes`.
        public var baselineN: Int
        /// Suppressed: shown as `–`.
        public var hidden: Bool
        /// The distinct cases behind `n` and `baselineN`.
        public var cases: Int = 0
        /// The distinct cases behind `baselineN`.
        public var baselineCases: Int = 0

        /// The round's Ja / (Ja + Nej).
        public var rate: Double? { n > 0 ? Double(yes) / Double(n) : nil }
        /// The baseline's Ja / (Ja + Nej).
        public var baselineRate: Double? { baselineN > 0 ? Double(baselineYes) / Double(baselineN) : nil }
        /// The change in percentage points.
        public var changePoints: Double? {
            guard let rate, let baselineRate else { return nil }
            return (rate - baselineRate) * 100
        }
        /// Fewer than 20 cases (children) in the round or the baseline: "forsigtig fortolkning".
        public var caution: Bool {
            !hidden
                && (cases > 0 && cases < Suppression.cautionThreshold
                    || baselineCases > 0 && baselineCases < Suppression.cautionThreshold)
        }
    }

    /// Agreement between the levels on one group.
    public struct AgreementLine: Sendable, Equatable {
        /// The group's key.
        public var id: String
        /// The Danish name shown.
        public var name: String
        /// Items (case × question) both levels answered.
        public var compared: Int
        /// Of those, the items answered alike.
        public var agree: Int
        /// Cohen's κ; nil where it is undefined.
        public var kappa: Double?
        /// Items the lower level answered Ja and the higher Nej.
        public var overruledYesToNo: Int
        /// Items the lower level answered Nej and the higher Ja.
        public var overruledNoToYes: Int
        /// Suppressed: shown as `–`.
        public var hidden: Bool
        /// The distinct cases behind `compared`.
        public var cases: Int = 0

        /// agree / compared.
        public var rate: Double? { compared > 0 ? Double(agree) / Double(compared) : nil }
        /// The share of compared items the higher level overruled.
        public var overruleRate: Double? {
            compared > 0 ? Double(overruledYesToNo + overruledNoToYes) / Double(compared) : nil
        }
        /// Fewer than 20 cases (children): "forsigtig fortolkning".
        public var caution: Bool { !hidden && cases > 0 && cases < Suppression.cautionThreshold }
    }

    /// A question on the lowest-compliance list.
    public struct QuestionLine: Sendable, Equatable {
        /// The question id.
        public var id: String
        /// The question text.
        public var text: String
        /// Its sagsskridt.
        public var step: String
        /// Ja and Ja + Nej.
        public var yes: Int
        /// See `yes`.
        public var n: Int
        /// The distinct cases behind `n`.
        public var cases: Int = 0

        /// Ja / (Ja + Nej).
        public var rate: Double? { n > 0 ? Double(yes) / Double(n) : nil }
        /// Fewer than 20 cases (children): "forsigtig fortolkning".
        public var caution: Bool { cases > 0 && cases < Suppression.cautionThreshold }
    }

    /// A remark on a Nej answer (internal reports only), redacted.
    public struct RemarkLine: Sendable, Equatable {
        /// The question id.
        public var question: String
        /// The case number (pseudonymised in exports).
        public var caseNumber: String
        /// The level of the review.
        public var level: Int
        /// The case's enhed.
        public var unit: String
        /// The remark, with CPR-like numbers masked.
        public var text: String
    }

    /// One level's reviews and cases in the round.
    public struct LevelLine: Sendable, Equatable {
        /// The level.
        public var level: Int
        /// Its reviews in the round.
        public var reviews: Int
        /// Its distinct cases in the round.
        public var cases: Int
        /// Ja/Nej compliance over all questions at this level.
        public var compliance: Line
    }
}
