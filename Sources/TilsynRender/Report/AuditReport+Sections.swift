internal import TilsynAnalysis
internal import TilsynAudit

/// The sections of the report in Copenhagen's form that are built as tables: scope, the main results over rounds,
/// every question per sagsskridt over rounds, the unit and indsats matrices, agreement per pair of levels and over
/// rounds, the degree questions over rounds and the temanedslag.
///
/// Every figure is for the report's level, counted as `tilsyn summary` counts it; external reports suppress each
/// cell resting on fewer cases (children) than the threshold. No cell of these tables is a total of others, so a
/// suppressed cell cannot be recovered from them.
struct ReportSections {
    let store: StoreReader
    let round: String
    let level: Int
    let external: Bool
    let threshold: Int
    let names: ReportFacts.Names
    /// The rounds shown as columns: up to the last six, ending with the report's round.
    let rounds: [String]
    /// The round the changes "since the baseline" are measured from.
    let baseline: String
    /// Decimals of the percentages in the sentences (the report's).
    var decimals = 0

    init(
        store: StoreReader, round: String, baseline: String, allRounds: [String], level: Int, external: Bool,
        threshold: Int, names: ReportFacts.Names
    ) {
        self.store = store
        self.round = round
        self.level = level
        self.external = external
        self.threshold = threshold
        self.names = names
        self.baseline = baseline
        self.rounds = Array(allRounds.filter { $0 <= round }.suffix(6))
    }

    /// The round before the report's, if any.
    var previous: String? { rounds.dropLast().last }

    /// A share cell, `–` when it rests on too few cases in an external report.
    func share(_ row: Summary.Row?) -> ReportTable.Cell {
        guard let row, row.n > 0 else { return .empty }
        if hidden(row) { return .hidden }
        return row.kind == .degree ? .share(yes: row.high + row.some, n: row.n) : .share(yes: row.yes, n: row.n)
    }

    func hidden(_ row: Summary.Row) -> Bool {
        external && (row.cases ?? 0) > 0 && (row.cases ?? 0) < threshold
    }

    /// The change in percentage points from `from` to `to`; nil when either is missing or suppressed.
    func change(_ from: Summary.Row?, _ to: Summary.Row?) -> Double? {
        guard let from, let to, !hidden(from), !hidden(to), let a = rate(from), let b = rate(to) else { return nil }
        return (b - a) * 100
    }

    func rate(_ row: Summary.Row) -> Double? { row.kind == .degree ? row.highOrSome : row.rate }

    func name(_ id: String, _ dimension: Breakdown) -> String {
        let text: String =
            switch dimension {
            case .theme: names.themes[id] ?? id
            case .step: names.steps[id] ?? id
            case .question: names.questions[id] ?? id
            case .measure: Int(id).flatMap(Indsats.init(rawValue:)).map { "\($0) \($0.danishName)" } ?? "§ \(id)"
            default: id
            }
        return AuditReport.redact(text)
    }

    func key(_ row: Summary.Row, _ dimension: Breakdown) -> String { row.keys[dimension]?.description ?? "" }

    /// A percentage as the sentences say it: `62 %` (with the report's decimals).
    func whole(_ row: Summary.Row) -> String {
        row.kind == .degree
            ? DanishPercent.format(row.high + row.some, of: row.n, decimals: decimals)
            : DanishPercent.format(row.yes, of: row.n, decimals: decimals)
    }

    /// Rows at the report's level, Ja/Nej or degree.
    func rows(by dimensions: [Breakdown], round: String? = nil, kind: QuestionKind = .yesNo) throws -> [Summary.Row] {
        try Summary.rows(store, by: dimensions, selection: Selection(levels: [level], round: round))
            .filter { $0.kind == kind }
    }

    // MARK: - Omfang

    func scope() throws -> ReportSection {
        let scope = try ReportFacts.scope(store, round: round, level: level)
        let origins = scope.origins.map { origin -> [ReportTable.Cell] in
            let few = external && origin.cases < threshold
            return [
                .text(origin.udgangspunkt.isEmpty ? "Ikke oplyst" : AuditReport.redact(origin.udgangspunkt)),
                .count(origin.cases),
                few ? .hidden : .text(period(origin.earliest, origin.latest)),
                few ? .hidden : origin.meanAgeDays.map { .text(ReportText.integer(Int($0.rounded()))) } ?? .empty,
            ]
        }
        let levels = scope.levels.map { line -> [ReportTable.Cell] in
            [
                .text("Niveau \(line.level)"), .count(line.cases), .count(line.reviews),
                .text(period(line.firstReview, line.lastReview)),
            ]
        }
        return ReportSection(
            paragraphs: [
                "Omfanget af runde \(round): sagerne på niveau \(level) efter udgangspunkt, perioden deres "
                    + "udgangspunkt ligger i, og hvor mange dage der i gennemsnit gik fra udgangspunktet til "
                    + "gennemgangen; derefter hvert niveaus sager og hvornår de blev gennemgået."
            ],
            tables: [
                ReportTable(
                    caption: "Sager pr. udgangspunkt, niveau \(level)",
                    headers: ["Udgangspunkt", "Sager", "Periode", "Sagens alder ved gennemgang (dage)"],
                    rows: origins),
                ReportTable(
                    caption: "Sager og gennemgange pr. niveau",
                    headers: ["Niveau", "Sager", "Gennemgange", "Gennemgået"], rows: levels),
            ])
    }

    /// `2. januar 2024 – 25. december 2024`, or one date, or empty.
    func period(_ first: String?, _ last: String?) -> String {
        let dates = [first, last].compactMap { $0.flatMap(DanishDate.init(iso:))?.text }
        guard let start = dates.first else { return "" }
        return dates.count == 2 && dates[1] != start ? "\(start) – \(dates[1])" : start
    }

    // MARK: - Hovedresultater

    /// Compliance per pejlemærke and per sagsskridt in each round, with the change since the previous round.
    func history() throws -> ReportSection {
        var tables: [ReportTable] = []
        for (dimension, title) in [(Breakdown.theme, "Pejlemærke"), (.step, "Sagsskridt")] {
            let all = try rows(by: [dimension, .round])
            var order: [String] = []
            for row in all where !order.contains(key(row, dimension)) { order.append(key(row, dimension)) }
            func cell(_ id: String, _ round: String) -> Summary.Row? {
                all.first { key($0, dimension) == id && key($0, .round) == round }
            }
            var table = ReportTable(
                caption: "Lovoverholdelse pr. \(title.lowercased()) over runder, niveau \(level)",
                headers: [title] + rounds.map { "Runde \($0)" } + (previous.map { ["Ændring siden \($0)"] } ?? []),
                rows: order.map { id in
                    [.text(name(id, dimension))] + rounds.map { share(cell(id, $0)) }
                        + (previous.map { [.points(change(cell(id, $0), cell(id, round)))] } ?? [])
                })
            if let previous {
                table.notes = changeSentence(
                    order.compactMap { id in
                        guard let from = cell(id, previous), let to = cell(id, round), let points = change(from, to)
                        else { return nil }
                        return (name(id, dimension), from, to, points)
                    }, since: previous)
            }
            tables.append(table)
        }
        return ReportSection(
            paragraphs: [
                "Lovoverholdelsen på niveau \(level) pr. pejlemærke og sagsskridt i de seneste runder. Ændringen er "
                    + "i procentpoint fra den forrige runde."
            ],
            tables: tables)
    }

    /// "De største ændringer siden 2024: Børnefaglig undersøgelse fra 92 % til 62 %, …" (at most three, of at
    /// least 5 percentage points).
    func changeSentence(_ changes: [(String, Summary.Row, Summary.Row, Double)], since round: String) -> [String] {
        let largest = changes.filter { abs($0.3) >= 5 }.sorted { abs($0.3) > abs($1.3) }.prefix(3)
        guard !largest.isEmpty else { return ["Ingen ændring på 5 procentpoint eller mere siden \(round)."] }
        return [
            "De største ændringer siden \(round): "
                + largest.map { "\($0.0) fra \(whole($0.1)) til \(whole($0.2))" }.joined(separator: "; ") + "."
        ]
    }

    // MARK: - Sagsskridt og spørgsmål

    /// Per sagsskridt, every Ja/Nej question in each round, the change since the previous round and since the
    /// baseline round, and the largest changes in a sentence.
    func stepQuestions() throws -> ReportSection {
        let all = try rows(by: [.question, .round]).filter { !names.temanedslag.contains(key($0, .question)) }
        func cell(_ id: String, _ round: String) -> Summary.Row? {
            all.first { key($0, .question) == id && key($0, .round) == round }
        }
        var tables: [ReportTable] = []
        let asked = Set(all.map { key($0, .question) })
        let sinceBaseline = baseline != round && baseline != previous
        for step in names.stepOrder {
            let questions = names.questionOrder.filter { names.questionSteps[$0] == step && asked.contains($0) }
            guard !questions.isEmpty else { continue }
            var headers = ["Nr.", "Spørgsmål"] + rounds.map { "Runde \($0)" }
            if let previous { headers.append("Ændring siden \(previous)") }
            if sinceBaseline { headers.append("Ændring siden \(baseline)") }
            var table = ReportTable(
                caption: "\(name(step, .step)): spørgsmålene over runder, niveau \(level)", headers: headers,
                rows: questions.map { id in
                    var line: [ReportTable.Cell] = [.text(id), .text(name(id, .question))]
                    line += rounds.map { share(cell(id, $0)) }
                    if let previous { line.append(.points(change(cell(id, previous), cell(id, round)))) }
                    if sinceBaseline { line.append(.points(change(cell(id, baseline), cell(id, round)))) }
                    return line
                })
            if let previous {
                table.notes = changeSentence(
                    questions.compactMap { id in
                        guard let from = cell(id, previous), let to = cell(id, round), let points = change(from, to)
                        else { return nil }
                        return ("\(id) (\(name(id, .question)))", from, to, points)
                    }, since: previous)
            }
            tables.append(table)
        }
        return ReportSection(
            paragraphs: [
                "Hvert sagsskridts Ja/Nej-spørgsmål i de seneste runder på niveau \(level), som andel Ja af de "
                    + "besvarede med antal."
            ],
            tables: tables)
    }

    // MARK: - Enheder og indsatser

    /// Enhed × sagsskridt and enhed × pejlemærke in the report's round, each enhed's parameters up and down since
    /// the previous round, and the spread between units in a sentence.
    func unitMatrices() throws -> ReportSection {
        var tables: [ReportTable] = []
        let totals = try rows(by: [.unit], round: round)
        let previousCells = try previous.map { try rows(by: [.unit, .step], round: $0) + rows(by: [.unit, .theme], round: $0) } ?? []
        let currentCells = try rows(by: [.unit, .step], round: round) + rows(by: [.unit, .theme], round: round)
        for (dimension, title) in [(Breakdown.step, "sagsskridt"), (.theme, "pejlemærke")] {
            let cells = try rows(by: [.unit, dimension], round: round)
            let columns = orderedKeys(cells, dimension)
            let units = orderedKeys(totals, .unit)
            var headers = ["Enhed"] + columns.map { name($0, dimension) }
            if dimension == .step, previous != nil { headers.append("Op/ned siden \(previous ?? "")") }
            tables.append(ReportTable(
                caption: "Lovoverholdelse pr. enhed og \(title), niveau \(level), runde \(round)", headers: headers,
                rows: units.map { unit in
                    var line: [ReportTable.Cell] = [.text(AuditReport.redact(unit))]
                    line += columns.map { column in
                        share(cells.first { key($0, .unit) == unit && key($0, dimension) == column })
                    }
                    if dimension == .step, previous != nil {
                        line.append(.text(upAndDown(unit, currentCells, previousCells)))
                    }
                    return line
                }))
        }
        let shown = totals.filter { !hidden($0) && $0.n > 0 }.sorted { (rate($0) ?? 0) < (rate($1) ?? 0) }
        if let low = shown.first, let high = shown.last, shown.count >= 2 {
            tables[0].notes.append(
                "Lovoverholdelsen spænder fra \(whole(low)) i \(AuditReport.redact(key(low, .unit))) til "
                    + "\(whole(high)) i \(AuditReport.redact(key(high, .unit))).")
        }
        return ReportSection(tables: tables)
    }

    /// "5 op, 2 ned": the unit's sagsskridt and pejlemærker whose compliance rose or fell since the previous round.
    func upAndDown(_ unit: String, _ current: [Summary.Row], _ previous: [Summary.Row]) -> String {
        var up = 0
        var down = 0
        for row in current where key(row, .unit) == unit {
            let dimension: Breakdown = row.keys[.step] != nil ? .step : .theme
            guard
                let earlier = previous.first(where: {
                    key($0, .unit) == unit && $0.keys[dimension] != nil && key($0, dimension) == key(row, dimension)
                }), let points = change(earlier, row)
            else { continue }
            if points > 0 { up += 1 } else if points < 0 { down += 1 }
        }
        return "\(up) op, \(down) ned"
    }

    func orderedKeys(_ rows: [Summary.Row], _ dimension: Breakdown) -> [String] {
        var keys: [String] = []
        for row in rows where !keys.contains(key(row, dimension)) { keys.append(key(row, dimension)) }
        return keys
    }

    /// Indsats (§ 30, 32, 46, 47) × sagsskridt: forebyggelse and anbringelse side by side.
    func measureMatrix() throws -> ReportSection {
        let cells = try rows(by: [.measure, .step], round: round)
        let steps = orderedKeys(cells, .step)
        let measures = orderedKeys(cells, .measure).sorted { (Int($0) ?? 0) < (Int($1) ?? 0) }
        return ReportSection(tables: [
            ReportTable(
                caption: "Lovoverholdelse pr. indsats og sagsskridt, niveau \(level), runde \(round)",
                headers: ["Indsats"] + steps.map { name($0, .step) },
                rows: measures.map { measure in
                    [.text(name(measure, .measure))]
                        + steps.map { step in
                            share(cells.first { key($0, .measure) == measure && key($0, .step) == step })
                        }
                })
        ])
    }

    // MARK: - Enighed

    /// Every pair of levels and all levels together in the round, and the development over rounds.
    func agreement() throws -> ReportSection {
        let levels = try store.levels()
        guard levels.count >= 2 else { return ReportSection() }
        func hide(_ row: Agreement.Row) -> Bool { external && row.cases > 0 && row.cases < threshold }
        func cells(_ row: Agreement.Row, _ label: String) -> [ReportTable.Cell] {
            guard !hide(row) else { return [.text(label), .hidden, .hidden, .hidden, .hidden, .hidden] }
            return [
                .text(label), .count(row.cases), .share(yes: row.agree, n: row.compared), .kappa(row.kappa),
                .text("\(row.overruledYesToNo) / \(row.overruledNoToYes)"),
                .share(yes: row.overruledYesToNo + row.overruledNoToYes, n: row.compared),
            ]
        }
        let headers = ["Niveauer", "Sager", "Enighed", "κ", "Omgjort ja→nej / nej→ja", "Andel omgjort"]
        let pairs = try Agreement.comparisons(store, levels: levels, round: round).filter { $0.compared > 0 }
        var table = ReportTable(
            caption: "Enighed pr. par af niveauer og mellem alle niveauer, runde \(round)", headers: headers,
            rows: pairs.map { cells($0, $0.levels.map(String.init).joined(separator: ", ")) })
        table.notes = pairs.filter { !hide($0) }.map { AgreementReport.sentence($0) }
        let byRound = try Agreement.rows(store, levels: levels, by: [.round]).filter {
            $0.compared > 0 && rounds.contains($0.keys[.round]?.description ?? "")
        }
        let development = ReportTable(
            caption: "Enighed mellem niveau \(levels.map(String.init).joined(separator: ", ")) over runder",
            headers: ["Runde"] + headers.dropFirst(), rows: byRound.map { cells($0, $0.keys[.round]?.description ?? "") })
        return ReportSection(tables: [table] + (byRound.count > 1 ? [development] : []))
    }

    // MARK: - Socialfaglig kvalitet og temanedslag

    /// Each degree question's share høj eller nogen grad in each round.
    func degreeHistory() throws -> ReportSection {
        let all = try rows(by: [.question, .round], kind: .degree)
        let questions = names.questionOrder.filter { id in all.contains { key($0, .question) == id } }
        guard !questions.isEmpty else { return ReportSection() }
        return ReportSection(tables: [
            ReportTable(
                caption: "Høj eller nogen grad pr. gradsspørgsmål over runder, niveau \(level)",
                headers: ["Nr.", "Spørgsmål"] + rounds.map { "Runde \($0)" },
                rows: questions.map { id in
                    [.text(id), .text(name(id, .question))]
                        + rounds.map { round in share(all.first { key($0, .question) == id && key($0, .round) == round }) }
                })
        ])
    }

    /// The temanedslag questions of the round, on their own (they count in no other figure).
    func temanedslag() throws -> ReportSection {
        let rows = try (self.rows(by: [.question], round: round) + self.rows(by: [.question], round: round, kind: .degree))
            .filter { names.temanedslag.contains(key($0, .question)) }
        guard !rows.isEmpty else {
            return ReportSection(paragraphs: ["Runde \(round) har ingen temanedslag."])
        }
        return ReportSection(
            paragraphs: [
                "Temanedslaget er spørgsmål, der kun stilles i denne runde. De indgår ikke i pejlemærker, "
                    + "sagsskridt eller den samlede lovoverholdelse."
            ],
            tables: [
                ReportTable(
                    caption: "Temanedslag, niveau \(level), runde \(round)",
                    headers: ["Nr.", "Spørgsmål", "Sager", "Andel ja / høj eller nogen grad"],
                    rows: rows.map { row in
                        let id = key(row, .question)
                        return [.text(id), .text(name(id, .question)), hidden(row) ? .hidden : .count(row.cases ?? 0), share(row)]
                    })
            ])
    }
}

extension ReportSections {
    /// The notes on method: what is counted, which level, what is suppressed, and which catalogues.
    func methodNotes(baselineLevel: Int) throws -> [String] {
        var notes = [
            "Enheder: en sag er ét barn. Tabellerne viser svar (Ja, Nej eller en grad) og sager; en sag, der er "
                + "gennemgået i flere runder, tæller som én sag, og niveauerne lægges aldrig sammen.",
            "Niveau \(level) er rapportens niveau"
                + (level == baselineLevel ? ", tilsynets statistiske baseline." : "; baseline er niveau \(baselineLevel)."),
            external
                ? "Tal, der bygger på færre end \(threshold) sager, er undertrykt (–), og når en total vises, er "
                    + "endnu en gruppe undertrykt, så det undertrykte tal ikke kan regnes ud. Grupper med færre end "
                    + "\(Suppression.cautionThreshold) sager bør fortolkes forsigtigt."
                : "Intern udgave: ingen tal er undertrykt. Grupper med færre end \(Suppression.cautionThreshold) sager "
                    + "bør fortolkes forsigtigt.",
        ]
        let catalogues = try ReportFacts.catalogues(store, round: round)
        if !catalogues.isEmpty {
            notes.append(
                "Spørgsmålskatalog i runde \(round): "
                    + catalogues.map { "\(AuditReport.redact($0.title)) (\($0.id)), version \($0.version), "
                        + "\(ReportText.integer($0.reviews)) gennemgange" }.joined(separator: "; ") + ".")
        }
        let renames = try ReportFacts.renames(store)
        if !renames.isEmpty {
            notes.append(
                "Spørgsmål omdøbt mellem katalogversioner og talt som det nye i alle runder: "
                    + renames.map { "\($0.previous) → \($0.question)" }.joined(separator: ", ") + ".")
        }
        return notes
    }
}

extension DanishDate {
    /// A date from ISO text (`2024-11-02`); nil when it is not one.
    init?(iso: String) {
        let parts = iso.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }
}
