public import TilsynAnalysis

/// Builds the compliance report.
public enum SummaryReport {
    /// The compliance summary report of `rows`: with `external`, groups resting on fewer than `threshold` cases (children) are
    /// suppressed; shares are shown with `decimals` decimals.
    public static func make(
        _ source: [Summary.Row], by dimensions: [Breakdown], external: Bool, decimals: Int = 1,
        threshold: Int = Suppression.threshold
    ) -> Report
    {
        var seen: Set<Breakdown> = []
        let dimensions = dimensions.filter { seen.insert($0).inserted }
        // One block per level (levels are never added); external output carries a total per level and question
        // kind, and suppression keeps it from revealing small groups.
        var rows: [Summary.Row] = []
        var suppressed: [Bool] = []
        var blocks: [Int: String] = [:]
        for level in Array(Set(source.map(\.level))).sorted() {
            let block = source.filter { $0.level == level }
            blocks[rows.count] = "Niveau \(level)"
            var totals: [(Summary.Row, Bool)] = []
            var hidden = [Bool](repeating: false, count: block.count)
            if external {
                for kind in [QuestionKind.yesNo, .degree] {
                    let indices = block.indices.filter { block[$0].kind == kind }
                    guard !indices.isEmpty else { continue }
                    // Small numbers are counted in children: a group rests on its cases, not its answers.
                    let decision = Suppression.decide(
                        indices.map { block[$0].cases ?? block[$0].n }, totalShown: !dimensions.isEmpty,
                        threshold: threshold)
                    for (position, index) in indices.enumerated() { hidden[index] = decision.cells[position] }
                    if !dimensions.isEmpty {
                        var total = Summary.Row(keys: [:], level: level, kind: kind)
                        for index in indices {
                            let row = block[index]
                            total.yes += row.yes
                            total.no += row.no
                            total.notApplicable += row.notApplicable
                            total.unanswered += row.unanswered
                            total.low += row.low
                            total.some += row.some
                            total.high += row.high
                        }
                        for dimension in dimensions {
                            total.keys[dimension] = dimension == .level ? .number(level) : .text("I alt")
                        }
                        totals.append((total, decision.total))
                    }
                }
            }
            rows += block + totals.map(\.0)
            suppressed += hidden + totals.map(\.1)
        }
        let hasDegree = rows.contains { $0.kind == .degree }
        // Every JSON row says its level; as a key when grouped by level, else in a column of its own.
        let levelColumn = !dimensions.contains(.level)
        var columns = levelColumn ? [ReportColumn(key: "level", header: "Niveau")] : []
        columns += dimensions.map { ReportColumn(key: $0.rawValue, header: $0.danishHeader) }
        columns += [
            ReportColumn(key: "yes", header: "Ja"), ReportColumn(key: "no", header: "Nej"),
            ReportColumn(key: "notApplicable", header: "Ikke relevant"),
            ReportColumn(key: "unanswered", header: "Ubesvaret"), ReportColumn(key: "n", header: "N"),
            ReportColumn(key: "cases", header: "Sager"), ReportColumn(key: "rate", header: "Andel ja"), ReportColumn(key: "ciLow", header: "95 %-KI, nedre"),
            ReportColumn(key: "ciHigh", header: "95 %-KI, øvre"),
        ]
        if hasDegree {
            columns += [
                ReportColumn(key: "low", header: "Lav grad"), ReportColumn(key: "some", header: "Nogen grad"),
                ReportColumn(key: "high", header: "Høj grad"),
                ReportColumn(key: "highOrSome", header: "Høj eller nogen grad"),
            ]
        }
        var values: [[ReportValue]] = []
        var table: [[String]] = []
        for (index, row) in rows.enumerated() {
            let hidden = suppressed[index]
            let keys = dimensions.map { ReportValue(key: row.keys[$0]) }
            func count(_ value: Int) -> ReportValue { hidden ? .null : .integer(value) }
            func share(_ value: Double?) -> ReportValue { hidden ? .null : value.map { .fraction($0) } ?? .null }
            var line =
                (levelColumn ? [ReportValue.integer(row.level)] : []) + keys + [
                    count(row.yes), count(row.no), count(row.notApplicable), count(row.unanswered), count(row.n),
                    row.cases.map(count) ?? .null, share(row.rate), share(row.interval?.low), share(row.interval?.high),
                ]
            if hasDegree {
                line +=
                    row.kind == .degree
                    ? [count(row.low), count(row.some), count(row.high), share(row.highOrSome)]
                    : [.absent, .absent, .absent, .absent]
            }
            values.append(line)

            var text = dimensions.map { row.keys[$0]?.description ?? "" }
            if hidden {
                text += ["–", "", ""]
            } else if row.kind == .yesNo {
                text.append(DanishPercent.rate(yes: row.yes, n: row.n, decimals: decimals))
                text.append(
                    row.interval.map {
                        DanishPercent.format(fraction: $0.low, decimals: decimals) + "–"
                            + DanishPercent.format(fraction: $0.high, decimals: decimals)
                    } ?? "")
                text.append("Ja/Nej")
            } else {
                text.append(DanishPercent.rate(yes: row.high + row.some, n: row.n, decimals: decimals))
                text.append("")
                text.append("høj/nogen/lav grad: \(row.high)/\(row.some)/\(row.low)")
            }
            let base = row.cases ?? row.n
            text.append(!hidden && base > 0 && base < Suppression.cautionThreshold ? Suppression.cautionText : "")
            table.append(text)
        }
        var headers = dimensions.map(\.danishHeader)
        headers += ["Andel (ja, eller høj/nogen grad)", "95 %-KI", "Svar", "Bemærkning"]
        return Report(
            title: "Ledelsestilsyn – lovoverholdelse", columns: columns, rows: values, tableHeaders: headers,
            tableRows: table, notes: suppressed.contains(true) ? [suppressionFootnote(threshold: threshold)] : [],
            blocks: dimensions.contains(.level) ? [:] : blocks)
    }
}
