internal import TilsynAnalysis

/// The figures of the report, one group each.
extension AuditReport {
    /// One group's Ja/Nej compliance: `yes` of `n`.
    public struct Line: Sendable, Equatable {
        /// The group's key as `tilsyn summary` prints it (`B`, `INB`, `Nord`, `32`); empty for a total.
        public var id: String
        /// The Danish name shown (`Børnefaglig undersøgelse`).
        public var name: String
        public var yes: Int
        public var n: Int
        /// Suppressed (external reports, fewer than 5 cases or to protect a total): shown as `–`.
        public var hidden: Bool
        /// The same group at the report's other levels (`AuditReport.otherLevels`, in that order), shown beside it;
        /// n is 0 where a level has no answers in the group.
        public var others: [Line] = []
        /// The distinct cases behind `n`: suppression and caution count children, not answers.
        public var cases: Int = 0

        public var rate: Double? { n > 0 ? Double(yes) / Double(n) : nil }
        /// Fewer than 20 cases: "forsigtig fortolkning".
        public var caution: Bool { !hidden && cases > 0 && cases < Suppression.cautionThreshold }
    }

    /// A degree question's distribution.
    public struct DegreeLine: Sendable, Equatable {
        public var id: String
        public var name: String
        public var low: Int
        public var some: Int
        public var high: Int
        public var hidden: Bool
        /// The distinct cases behind the answers.
        public var cases: Int = 0

        public var n: Int { low + some + high }
        /// The share "høj eller nogen grad".
        public var highOrSome: Double? { n > 0 ? Double(high + some) / Double(n) : nil }
        public var caution: Bool { !hidden && cases > 0 && cases < Suppression.cautionThreshold }
    }

    /// One group in the round against the baseline, over the questions both rounds asked.
    public struct TrendLine: Sendable, Equatable {
        public var id: String
        public var name: String
        public var round: String
        public var yes: Int
        public var n: Int
        public var baselineYes: Int
        public var baselineN: Int
        public var hidden: Bool
        /// The distinct cases behind `n` and `baselineN`.
        public var cases: Int = 0
        public var baselineCases: Int = 0

        public var rate: Double? { n > 0 ? Double(yes) / Double(n) : nil }
        public var baselineRate: Double? { baselineN > 0 ? Double(baselineYes) / Double(baselineN) : nil }
        /// The change in percentage points.
        public var changePoints: Double? {
            guard let rate, let baselineRate else { return nil }
            return (rate - baselineRate) * 100
        }
        public var caution: Bool {
            !hidden
                && (cases > 0 && cases < Suppression.cautionThreshold
                    || baselineCases > 0 && baselineCases < Suppression.cautionThreshold)
        }
    }

    /// Agreement between the levels on one group.
    public struct AgreementLine: Sendable, Equatable {
        public var id: String
        public var name: String
        public var compared: Int
        public var agree: Int
        public var kappa: Double?
        public var overruledYesToNo: Int
        public var overruledNoToYes: Int
        public var hidden: Bool
        /// The distinct cases behind `compared`.
        public var cases: Int = 0

        public var rate: Double? { compared > 0 ? Double(agree) / Double(compared) : nil }
        /// The share of compared items the higher level overruled.
        public var overruleRate: Double? {
            compared > 0 ? Double(overruledYesToNo + overruledNoToYes) / Double(compared) : nil
        }
        public var caution: Bool { !hidden && cases > 0 && cases < Suppression.cautionThreshold }
    }

    /// A question on the lowest-compliance list.
    public struct QuestionLine: Sendable, Equatable {
        public var id: String
        public var text: String
        public var step: String
        public var yes: Int
        public var n: Int
        /// The distinct cases behind `n`.
        public var cases: Int = 0

        public var rate: Double? { n > 0 ? Double(yes) / Double(n) : nil }
        public var caution: Bool { cases > 0 && cases < Suppression.cautionThreshold }
    }

    /// A remark on a Nej answer (internal reports only), redacted.
    public struct RemarkLine: Sendable, Equatable {
        public var question: String
        public var caseNumber: String
        public var level: Int
        public var unit: String
        public var text: String
    }

    /// One level's reviews and cases in the round.
    public struct LevelLine: Sendable, Equatable {
        public var level: Int
        public var reviews: Int
        public var cases: Int
        /// Ja/Nej compliance over all questions at this level.
        public var compliance: Line
    }
}
