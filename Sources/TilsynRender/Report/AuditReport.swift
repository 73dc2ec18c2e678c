public import TilsynAnalysis
internal import TilsynAudit
internal import TilsynStore

/// The yearly report to the Socialudvalg: every figure of `tilsyn report`, built from the analysis results and
/// rendered as HTML (`ReportHTML`) and as a workbook (`ReportWorkbook`) with the same content.
///
/// Every compliance figure is for one level (`level`, by default the store's baseline level): levels are different
/// measurements of the same cases, compared and never added. The other levels of the round are shown beside it
/// (`Line.others`). The figures are `Summary` rows of the report's round, so they equal
/// `tilsyn summary --round R --level L --by …` number by number. The report holds no case-level data but the remarks (internal reports only); every text that
/// comes from the data is passed through `CPRDetector.redact` before it is stored here.
public struct AuditReport: Sendable {
    /// What to report.
    public struct Options: Sendable {
        /// The round reported on; the latest by name when nil.
        public var round: String?
        /// The baseline round; the earliest by name when nil.
        public var baseline: String?
        /// The level the figures are for; the store's baseline level when nil.
        public var level: Int?
        /// Output leaving the administration: suppression below 5, no remarks and no case numbers.
        public var external: Bool
        /// The date printed on the report.
        public var date: DanishDate
        /// How many questions the lowest-compliance list shows.
        public var lowestCount: Int
        /// How many remarks per listed question an internal report shows.
        public var remarksPerQuestion: Int
        /// External reports suppress a figure resting on fewer cases (children) than this (the store's setting).
        public var threshold: Int = Suppression.threshold
        /// Decimals of the percentages printed (0–2): `88 % (7/8)` with 0, Copenhagen's form.
        public var decimals: Int = 0

        /// Options for the report of `round` (the latest when nil) against `baseline` (the earliest when nil).
        public init(
            round: String? = nil, baseline: String? = nil, level: Int? = nil, external: Bool = false,
            date: DanishDate, lowestCount: Int = 10, remarksPerQuestion: Int = 3
        ) {
            self.round = round
            self.baseline = baseline
            self.level = level
            self.external = external
            self.date = date
            self.lowestCount = lowestCount
            self.remarksPerQuestion = remarksPerQuestion
        }
    }

    /// The report's title.
    public var title: String
    /// The round reported on.
    public var round: String
    /// The round compared with (the earliest by default).
    public var baseline: String
    /// Every round with answers, by name.
    public var rounds: [String]
    /// The level every compliance figure is for.
    public var level: Int
    /// The store's baseline level (its setting, else the catalogue model's, else 1); `level` unless the options
    /// named another.
    public var baselineLevel: Int
    /// The round's other levels, ascending: shown beside `level` as columns, never added to it.
    public var otherLevels: [Int]
    /// An external report: suppressed small groups, no remarks or case numbers.
    public var external: Bool
    /// The fewest cases (children) a figure of an external report may rest on.
    public var threshold: Int = Suppression.threshold
    /// The report's date.
    public var date: DanishDate
    /// Decimals of the percentages printed (the options').
    public var decimals: Int = 0
    /// The analyst's own text, placed at its marked points; nil for none.
    public var narrative: ReportNarrative?

    /// Distinct cases reviewed in the round.
    public var cases: Int
    /// Reviews and cases per level.
    public var levelLines: [LevelLine]
    /// All Ja/Nej answers of the round at `level`: the total the tables add up to (per step, unit and indsats).
    public var overall: Line
    /// All degree answers of the round at `level`.
    public var overallDegree: DegreeLine?

    /// Compliance at `level` per pejlemærke, sagsskridt, enhed and indsats.
    public var byTheme: [Line]
    /// See `byTheme`.
    public var byStep: [Line]
    /// See `byTheme`.
    public var byUnit: [Line]
    /// See `byTheme`.
    public var byMeasure: [Line]
    /// Per kommune, in a store across municipalities (suppressed as units are); empty in a store of one.
    public var byKommune: [Line] = []

    /// Each round against the baseline (all groups together).
    public var trendRounds: [TrendLine]
    /// The round against the baseline per pejlemærke and per sagsskridt.
    public var trendByTheme: [TrendLine]
    /// See `trendByTheme`.
    public var trendByStep: [TrendLine]

    /// The compared levels, ascending; empty when the round has fewer than two.
    public var agreementLevels: [Int]
    /// Agreement between the lowest and the highest compared level over all questions.
    public var agreement: AgreementLine?
    /// The same per pejlemærke.
    public var agreementByTheme: [AgreementLine]
    /// The questions the highest level changed most often (Ja → Nej plus Nej → Ja), at most five.
    public var mostOverruled: [AgreementLine]

    /// The questions with the lowest compliance (the options' `lowestCount`).
    public var lowest: [QuestionLine]
    /// The degree questions' distributions.
    public var degree: [DegreeLine]
    /// Empty in external reports.
    public var remarks: [RemarkLine]

    /// Whether any figure is suppressed (the footnote on `–` is then printed).
    public var anySuppressed: Bool {
        ([overall] + byTheme + byStep + byUnit + byMeasure + byKommune).contains(where: \.hidden)
            || (trendRounds + trendByTheme + trendByStep).contains(where: \.hidden)
            || (agreementByTheme + (agreement.map { [$0] } ?? [])).contains(where: \.hidden)
            || degree.contains(where: \.hidden)
    }

    /// The section headings, in order; HTML `<h2>` and workbook sheets follow them.
    public static let sectionTitles = [
        "Nøgletal", "Omfang", "Hovedresultater", "Lovoverholdelse pr. pejlemærke og sagsskridt",
        "Spørgsmål pr. sagsskridt", "Lovoverholdelse pr. enhed", "Lovoverholdelse pr. indsats",
        "Udvikling siden baseline", "Enighed mellem niveauer", "Spørgsmål med lavest overholdelse",
        "Socialfaglig kvalitet", "Temanedslag", "Noter og metode",
    ]

    /// Scope: cases per udgangspunkt and per level.
    public var scope = ReportSection()
    /// The main results over rounds: per pejlemærke and sagsskridt.
    public var history = ReportSection()
    /// Every question per sagsskridt over rounds.
    public var stepQuestions = ReportSection()
    /// Enhed × sagsskridt and enhed × pejlemærke.
    public var unitMatrices = ReportSection()
    /// Indsats × sagsskridt.
    public var measureMatrix = ReportSection()
    /// Agreement per pair of levels and over rounds.
    public var agreementTables = ReportSection()
    /// The degree questions over rounds.
    public var degreeHistory = ReportSection()
    /// The temanedslag questions.
    public var temanedslag = ReportSection()
    /// Method notes from the store: the units, the baseline level, the suppression rule, the catalogues and
    /// their versions, and the questions renamed between versions.
    public var methodNotes: [String] = []
}

extension AuditReport {
    /// Reads the store and builds the report.
    public static func make(_ store: StoreReader, options: Options) throws -> AuditReport {
        let rounds = try Trend.rounds(store)
        guard let round = options.round ?? rounds.last else {
            throw ReportError("the store has no answers to report on")
        }
        guard rounds.contains(round) else {
            throw ReportError("round \(round) has no answers; rounds: \(rounds.joined(separator: ", "))")
        }
        let baseline = options.baseline ?? rounds.first ?? round
        guard rounds.contains(baseline) else {
            throw ReportError("baseline \(baseline) has no answers; rounds: \(rounds.joined(separator: ", "))")
        }
        let names = try ReportFacts.names(store)
        let baselineLevel = try store.baselineLevel().level
        let roundLevels = try ReportFacts.levelCounts(store, round: round).map(\.level)
        // The baseline level, or the round's lowest level when it has no reviews at the baseline level.
        let level = options.level ?? (roundLevels.contains(baselineLevel) ? baselineLevel : roundLevels.first ?? 1)
        guard roundLevels.contains(level) else {
            throw ReportError(
                "round \(round) has no reviews at level \(level); levels: "
                    + roundLevels.map(String.init).joined(separator: ", "))
        }
        let otherLevels = roundLevels.filter { $0 != level }
        let selection = Selection(levels: [level], round: round)
        let external = options.external
        let threshold = options.threshold

        func summary(_ by: [Breakdown]) throws -> [Summary.Row] {
            try Summary.rows(store, by: by, selection: selection)
        }
        func key(_ row: Summary.Row, _ dimension: Breakdown) -> String {
            redact(row.keys[dimension]?.description ?? "")
        }
        func name(_ id: String, _ dimension: Breakdown) -> String {
            switch dimension {
            case .theme: names.themes[id].map(redact) ?? id
            case .step: names.steps[id].map(redact) ?? id
            case .measure: Int(id).flatMap(Indsats.init(rawValue:)).map { "\($0) \($0.danishName)" } ?? "§ \(id)"
            case .question: names.questions[id].map(redact) ?? id
            default: redact(id)
            }
        }
        /// Ja/Nej lines of one breakdown at `level`, with the other levels beside them; each level suppressed
        /// against its own total in external reports.
        func lines(_ dimension: Breakdown) throws -> (lines: [Line], totalHidden: Bool) {
            let all = try Summary.rows(store, by: [dimension], selection: Selection(round: round))
                .filter { $0.kind == .yesNo }
            func atLevel(_ level: Int) -> (lines: [Line], totalHidden: Bool) {
                var lines = all.filter { $0.level == level }.map {
                    Line(
                        id: key($0, dimension), name: name(key($0, dimension), dimension), yes: $0.yes, n: $0.n,
                        hidden: false, cases: $0.cases ?? 0)
                }
                guard external else { return (lines, false) }
                let decision = Suppression.decide(lines.map(\.cases), totalShown: true, threshold: threshold)
                for index in lines.indices { lines[index].hidden = decision.cells[index] }
                return (lines, decision.total)
            }
            var (lines, totalHidden) = atLevel(level)
            let others = otherLevels.map { atLevel($0).lines }
            for index in lines.indices {
                lines[index].others = others.map { other in
                    other.first { $0.id == lines[index].id }
                        ?? Line(id: lines[index].id, name: lines[index].name, yes: 0, n: 0, hidden: false)
                }
            }
            return (lines, totalHidden)
        }

        let totals = try summary([])
        let yesNoTotal = totals.first { $0.kind == .yesNo }
        let degreeTotal = totals.first { $0.kind == .degree }
        let overallCases = yesNoTotal?.cases ?? 0
        var overall = Line(
            id: "", name: "I alt", yes: yesNoTotal?.yes ?? 0, n: yesNoTotal?.n ?? 0,
            hidden: external && overallCases > 0 && overallCases < threshold, cases: overallCases)
        let themes = try lines(.theme)
        let steps = try lines(.step)
        let units = try lines(.unit)
        let measures = try lines(.measure)
        let kommuner = try store.kommuner().count > 1 ? try lines(.kommune) : (lines: [], totalHidden: false)
        if themes.totalHidden || steps.totalHidden || units.totalHidden || measures.totalHidden || kommuner.totalHidden
        {
            overall.hidden = true
        }

        // Each level's own compliance, side by side; no total over levels exists, so none can reveal a small one.
        var levelLines: [LevelLine] = []
        let perLevel = try Summary.rows(store, by: [], selection: Selection(round: round)).filter { $0.kind == .yesNo }
        let levelDecision = Suppression.decide(
            perLevel.map { $0.cases ?? 0 }, totalShown: false, threshold: threshold)
        for count in try ReportFacts.levelCounts(store, round: round) {
            let index = perLevel.firstIndex { $0.level == count.level }
            let row = index.map { perLevel[$0] }
            levelLines.append(
                LevelLine(
                    level: count.level, reviews: count.reviews, cases: count.cases,
                    compliance: Line(
                        id: String(count.level), name: "Niveau \(count.level)", yes: row?.yes ?? 0, n: row?.n ?? 0,
                        hidden: external && index.map { levelDecision.cells[$0] } ?? false, cases: row?.cases ?? 0)))
        }

        // Trend: each round against the baseline, and the round per theme and step.
        func trendLines(_ rows: [Trend.Row], _ dimension: Breakdown?) -> [TrendLine] {
            rows.map { row in
                let id = redact(dimension.flatMap { row.keys[$0]?.description } ?? "")
                let hidden =
                    external
                    && (row.cases > 0 && row.cases < threshold
                        || row.baselineCases > 0 && row.baselineCases < threshold)
                return TrendLine(
                    id: id, name: dimension.map { name(id, $0) } ?? "I alt", round: row.round, yes: row.yes, n: row.n,
                    baselineYes: row.baselineYes, baselineN: row.baselineN, hidden: hidden, cases: row.cases,
                    baselineCases: row.baselineCases)
            }
        }
        let trendRounds = trendLines(
            try Trend.rows(store, by: [], baseline: baseline, levels: [level]), nil)
        let trendByTheme = trendLines(
            try Trend.rows(store, by: [.theme], baseline: baseline, levels: [level]).filter {
                $0.round == round
            }, .theme)
        let trendByStep = trendLines(
            try Trend.rows(store, by: [.step], baseline: baseline, levels: [level]).filter {
                $0.round == round
            }, .step)

        // Agreement between the levels reviewing the same cases in the round: computed on the store, whatever
        // level the compliance figures are for.
        var agreementLevels = try Agreement.levels(store)
        var agreement: AgreementLine?
        var agreementByTheme: [AgreementLine] = []
        var mostOverruled: [AgreementLine] = []
        if agreementLevels.count >= 2 {
            func agreementLines(_ rows: [Agreement.Row], _ dimension: Breakdown?) -> [AgreementLine] {
                let decision =
                    external
                    ? Suppression.decide(rows.map(\.cases), totalShown: false, threshold: threshold)
                    : Suppression.Decision(cells: rows.map { _ in false }, total: false)
                return rows.enumerated().map { index, row in
                    let id = redact(dimension.flatMap { row.keys[$0]?.description } ?? "")
                    return AgreementLine(
                        id: id, name: dimension.map { name(id, $0) } ?? "I alt", compared: row.compared,
                        agree: row.agree, kappa: row.kappa, overruledYesToNo: row.overruledYesToNo,
                        overruledNoToYes: row.overruledNoToYes, hidden: decision.cells[index], cases: row.cases)
                }
            }
            agreement = agreementLines(try Agreement.rows(store, levels: agreementLevels, round: round), nil).first
            agreementByTheme = agreementLines(
                try Agreement.rows(store, levels: agreementLevels, by: [.theme], round: round), .theme)
            mostOverruled = agreementLines(
                try Agreement.rows(store, levels: agreementLevels, by: [.question], round: round), .question
            ).filter { !$0.hidden && $0.overruledYesToNo + $0.overruledNoToYes > 0 }
                .sorted { left, right in
                    let l = left.overruledYesToNo + left.overruledNoToYes
                    let r = right.overruledYesToNo + right.overruledNoToYes
                    return l != r ? l > r : left.compared > right.compared
                }
                .prefix(5).map { $0 }
            if agreement?.compared == 0 {
                agreement = nil
                agreementLevels = []
            }
        } else {
            agreementLevels = []
        }

        // Questions: the lowest Ja/Nej compliance, and the degree questions.
        let questions = try summary([.question])
        let lowest = questions.filter { $0.kind == .yesNo && $0.n > 0 && (!external || ($0.cases ?? 0) >= threshold) }
            .sorted { left, right in
                let l = Double(left.yes) / Double(left.n)
                let r = Double(right.yes) / Double(right.n)
                return l != r ? l < r : left.n > right.n
            }
            .prefix(options.lowestCount)
            .map { row in
                let id = key(row, .question)
                return QuestionLine(
                    id: id, text: name(id, .question),
                    step: names.questionSteps[id].map { name($0, .step) } ?? "", yes: row.yes, n: row.n,
                    cases: row.cases ?? 0)
            }
        let degree = questions.filter { $0.kind == .degree }.map { row in
            let id = key(row, .question)
            return DegreeLine(
                id: id, name: name(id, .question), low: row.low, some: row.some, high: row.high,
                hidden: external && (row.cases ?? 0) > 0 && (row.cases ?? 0) < threshold, cases: row.cases ?? 0)
        }
        var remarks: [RemarkLine] = []
        if !external {
            remarks = try ReportFacts.remarks(
                store, round: round, questions: lowest.map(\.id), levels: [level],
                limit: options.remarksPerQuestion
            ).sorted { left, right in
                let order = lowest.map(\.id)
                return (order.firstIndex(of: left.question) ?? 0) < (order.firstIndex(of: right.question) ?? 0)
            }.map {
                RemarkLine(
                    question: redact($0.question), caseNumber: redact($0.caseNumber), level: $0.level,
                    unit: redact($0.unit), text: redact($0.text))
            }
        }

        var report = AuditReport(
            title: "Ledelsestilsyn \(round)", round: round, baseline: baseline, rounds: rounds, level: level,
            baselineLevel: baselineLevel, otherLevels: otherLevels, external: external, threshold: threshold,
            date: options.date, decimals: options.decimals,
            cases: try ReportFacts.caseCount(store, round: round), levelLines: levelLines,
            overall: overall,
            overallDegree: degreeTotal.map {
                DegreeLine(
                    id: "", name: "I alt", low: $0.low, some: $0.some, high: $0.high,
                    hidden: external && ($0.cases ?? 0) > 0 && ($0.cases ?? 0) < threshold, cases: $0.cases ?? 0)
            },
            byTheme: themes.lines, byStep: steps.lines, byUnit: units.lines, byMeasure: measures.lines,
            byKommune: kommuner.lines,
            trendRounds: trendRounds, trendByTheme: trendByTheme, trendByStep: trendByStep,
            agreementLevels: agreementLevels, agreement: agreement, agreementByTheme: agreementByTheme,
            mostOverruled: mostOverruled,
            lowest: Array(lowest), degree: degree, remarks: remarks)
        var sections = ReportSections(
            store: store, round: round, baseline: baseline, allRounds: rounds, level: level, external: external,
            threshold: threshold, names: names)
        sections.decimals = options.decimals
        report.scope = try sections.scope()
        report.history = try sections.history()
        report.stepQuestions = try sections.stepQuestions()
        report.unitMatrices = try sections.unitMatrices()
        report.measureMatrix = try sections.measureMatrix()
        report.agreementTables = try sections.agreement()
        report.degreeHistory = try sections.degreeHistory()
        report.temanedslag = try sections.temanedslag()
        report.methodNotes = try sections.methodNotes(baselineLevel: baselineLevel)
        return report
    }

    /// Masks CPR-like numbers in a text from the data.
    static func redact(_ text: String) -> String { CPRDetector.redact(text) }
}
