internal import TilsynStore

/// What a unit learns from a round's review of its cases: per case, the questions answered Nej or Lav grad at any
/// level (with the remarks) and those where the levels disagreed; and the unit's compliance per sagsskridt beside
/// the whole municipality's.
///
/// Internal by nature: it holds case numbers and remarks. Temanedslag questions are left out of the step figures
/// (they are their own theme, not a sagsskridt of the case).
public struct Feedback: Sendable, Equatable {
    /// One question of one case with each level's answer and remark.
    public struct Item: Sendable, Equatable {
        /// The question id (`B.2`).
        public var questionID: String
        /// The question's text from the stored catalogue.
        public var text: String
        /// The question's sagsskridt.
        public var step: String
        /// Answer and remark by level.
        public var answers: [Int: (answer: String?, remark: String?)]
        /// Whether two levels answered differently (both answered, not Ikke relevant).
        public var disagreement: Bool
        /// Whether some level answered Nej or Lav grad.
        public var shortfall: Bool

        public static func == (a: Item, b: Item) -> Bool {
            a.questionID == b.questionID && a.text == b.text && a.step == b.step && a.disagreement == b.disagreement
                && a.shortfall == b.shortfall && a.answers.keys.sorted() == b.answers.keys.sorted()
                && a.answers.keys.allSatisfy { a.answers[$0]?.answer == b.answers[$0]?.answer
                    && a.answers[$0]?.remark == b.answers[$0]?.remark }
        }
    }

    /// One case of the unit with the items to learn from.
    public struct Case: Sendable, Equatable {
        /// The case number (sagsnummer).
        public var caseNumber: String
        /// The indsats as the paragraph of barnets lov.
        public var measure: Int
        /// The levels the case was reviewed at.
        public var levels: [Int]
        /// The caseworker (sagsbehandler) when the case list named one.
        public var caseworker: String?
        /// The questions to learn from, in catalogue order.
        public var items: [Item]
    }

    /// Compliance per sagsskridt and level: the unit's and the municipality's.
    public struct StepFigure: Sendable, Equatable {
        /// The sagsskridt id.
        public var step: String
        /// Its name.
        public var name: String
        /// The level the answers are from.
        public var level: Int
        /// The unit's Ja and Nej answers in the sagsskridt.
        public var unitYes: Int
        /// See `unitYes`.
        public var unitNo: Int
        /// The whole municipality's Ja and Nej answers in the sagsskridt, for comparison.
        public var allYes: Int
        /// See `allYes`.
        public var allNo: Int
    }

    /// The enhed the feedback is for.
    public var unit: String
    /// The round reviewed.
    public var round: String
    /// The unit's cases, in case order.
    public var cases: [Case]
    /// The unit's compliance per sagsskridt and level beside its municipality's (its kommune's units).
    public var steps: [StepFigure]

    /// The units with reviews in `round`, by name; in a store across municipalities named with their kommune
    /// (`Aarhus: Vest`, as ``Summary`` names them), so that two kommuners' units of the same name stay apart.
    public static func units(round: String, in reader: StoreReader) throws -> [String] {
        try reader.read { runner in
            try runner.rows(
                """
                SELECT DISTINCT \(UnitSQL.unit) FROM review r JOIN unit u ON u.id = r.unit_id
                JOIN round d ON d.id = r.round_id
                WHERE d.name = ? ORDER BY 1
                """, [.text(round)]
            ).map { $0.string(0) }
        }
    }

    /// The feedback for `unit` in `round`; `temanedslag` (question ids) are left out of the step figures.
    public static func load(
        unit: String, round: String, temanedslag: Set<String> = [], from reader: StoreReader
    ) throws -> Feedback {
        // The temanedslag questions as arguments (a question list the store never holds NULL in).
        let excluded = temanedslag.isEmpty ? [""] : temanedslag.sorted()
        return try reader.read { runner in
            var cases: [String: Case] = [:]
            var order: [String] = []
            var items: [String: [String: Item]] = [:]
            let rows = try runner.rows(
                """
                SELECT c.number, r.measure, r.level, r.caseworker, a.question, a.code, a.answer, a.remark,
                    coalesce(q.text, a.question), coalesce(q.step, ''), coalesce(q.position, 1000000)
                FROM review r
                JOIN audit_case c ON c.id = r.case_id JOIN round d ON d.id = r.round_id JOIN unit u ON u.id = r.unit_id
                JOIN answer a ON a.review_id = r.id
                LEFT JOIN catalogue_question q ON q.catalogue = r.catalogue AND q.question = a.question
                WHERE d.name = ? AND \(UnitSQL.unit) = ?
                ORDER BY c.number, coalesce(q.position, 1000000), a.question, r.level
                """, [.text(round), .text(unit)])
            for row in rows {
                let number = row.string(0)
                let level = row.int(2)
                if cases[number] == nil {
                    order.append(number)
                    cases[number] = Case(
                        caseNumber: number, measure: row.int(1), levels: [], caseworker: row.optionalString(3),
                        items: [])
                }
                if cases[number]?.levels.contains(level) == false { cases[number]?.levels.append(level) }
                let question = row.string(4)
                let code = row.optionalInt(5)
                var item = items[number]?[question] ?? Item(
                    questionID: question, text: row.string(8), step: row.string(9), answers: [:], disagreement: false,
                    shortfall: false)
                item.answers[level] = (row.optionalString(6), row.optionalString(7))
                if code == 2 || code == 4 { item.shortfall = true }
                // The first time a question is seen fixes its place: the catalogue's order within the case.
                if items[number]?[question] == nil { cases[number]?.items.append(item) }
                items[number, default: [:]][question] = item
            }
            // Disagreement: two levels answered the question, neither Ikke relevant, with different answers.
            let codes = try runner.rows(
                """
                SELECT c.number, a.question, r.level, a.code FROM review r
                JOIN audit_case c ON c.id = r.case_id JOIN round d ON d.id = r.round_id JOIN unit u ON u.id = r.unit_id
                JOIN answer a ON a.review_id = r.id
                WHERE d.name = ? AND \(UnitSQL.unit) = ? AND a.applies = 1 AND a.code IS NOT NULL AND a.code <> 3
                """, [.text(round), .text(unit)])
            var answered: [String: Set<Int>] = [:]
            for row in codes {
                let key = row.string(0) + "\u{1F}" + row.string(1)
                answered[key, default: []].insert(row.int(3))
            }
            var result: [Case] = []
            for number in order {
                guard var record = cases[number] else { continue }
                record.levels.sort()
                record.items = record.items.compactMap { item in
                    guard var item = items[number]?[item.questionID] else { return nil }
                    item.disagreement = (answered[number + "\u{1F}" + item.questionID]?.count ?? 0) > 1
                    return item.shortfall || item.disagreement ? item : nil
                }
                result.append(record)
            }
            let steps = try runner.rows(
                """
                SELECT s.step, min(s.name), r.level,
                    count(*) FILTER (WHERE \(UnitSQL.unit) = ?1 AND a.applies = 1 AND a.code = 1),
                    count(*) FILTER (WHERE \(UnitSQL.unit) = ?1 AND a.applies = 1 AND a.code = 2),
                    count(*) FILTER (WHERE a.applies = 1 AND a.code = 1),
                    count(*) FILTER (WHERE a.applies = 1 AND a.code = 2)
                FROM review r
                JOIN round d ON d.id = r.round_id JOIN unit u ON u.id = r.unit_id JOIN answer a ON a.review_id = r.id
                JOIN catalogue_question q ON q.catalogue = r.catalogue AND q.question = a.question
                JOIN catalogue_step s ON s.catalogue = q.catalogue AND s.step = q.step
                WHERE d.name = ?2 AND a.question NOT IN (\(excluded.indices.map { "?\($0 + 3)" }.joined(separator: ", ")))
                    -- The unit's own municipality: its kommune's units.
                    AND u.kommune IN (SELECT u.kommune FROM unit u WHERE \(UnitSQL.unit) = ?1)
                GROUP BY s.step, r.level ORDER BY min(s.position), r.level
                """, [.text(unit), .text(round)] + excluded.map { .text($0) }
            ).map {
                StepFigure(
                    step: $0.string(0), name: $0.string(1), level: $0.int(2), unitYes: $0.int(3), unitNo: $0.int(4),
                    allYes: $0.int(5), allNo: $0.int(6))
            }
            return Feedback(unit: unit, round: round, cases: result, steps: steps)
        }
    }
}
