public import TilsynAnalysis

/// Builds the report of `summary --measure cases-all-ja`: per group, round and level, the cases with every
/// applicable Ja/Nej question of the group answered Ja.
public enum AllYesReport {
    /// The report of `rows`: with `external`, groups resting on fewer than `threshold` cases (children) are
    /// suppressed; shares are shown with `decimals` decimals.
    public static func make(
        _ rows: [Summary.AllYesRow], by dimensions: [Breakdown], external: Bool, decimals: Int = 1,
        threshold: Int = Suppression.threshold
    ) -> Report {
        var seen: Set<Breakdown> = []
        var dimensions = dimensions.filter { $0 != .level && seen.insert($0).inserted }
        if !dimensions.contains(.round) { dimensions.append(.round) }
        var columns = [ReportColumn(key: "level", header: "Niveau")]
        columns += dimensions.map { ReportColumn(key: $0.rawValue, header: $0.danishHeader) }
        columns += [
            ReportColumn(key: "cases", header: "Sager"), ReportColumn(key: "allYes", header: "Sager med alle ja"),
            ReportColumn(key: "rate", header: "Andel sager med alle ja"),
        ]
        var values: [[ReportValue]] = []
        var table: [[String]] = []
        var blocks: [Int: String] = [:]
        var anyHidden = false
        for (index, row) in rows.enumerated() {
            if index == 0 || rows[index - 1].level != row.level { blocks[values.count] = "Niveau \(row.level)" }
            // Each row stands alone (no total is shown): suppressed when it rests on few cases.
            let hidden = external && row.cases > 0 && row.cases < threshold
            anyHidden = anyHidden || hidden
            var line = [ReportValue.integer(row.level)]
            line += dimensions.map { ReportValue(key: row.keys[$0]) }
            line += [
                hidden ? .null : .integer(row.cases), hidden ? .null : .integer(row.allYes),
                hidden ? .null : row.rate.map { .fraction($0) } ?? .null,
            ]
            values.append(line)
            var text = dimensions.map { row.keys[$0]?.description ?? "" }
            text.append(hidden ? "–" : DanishPercent.rate(yes: row.allYes, n: row.cases, decimals: decimals))
            text.append(
                !hidden && row.cases > 0 && row.cases < Suppression.cautionThreshold ? Suppression.cautionText : "")
            table.append(text)
        }
        let headers = dimensions.map(\.danishHeader) + ["Sager med alle ja", "Bemærkning"]
        return Report(
            title: "Ledelsestilsyn – sager, hvor alle spørgsmål er besvaret ja", columns: columns, rows: values,
            tableHeaders: headers, tableRows: table,
            notes: anyHidden ? [suppressionFootnote(threshold: threshold)] : [], blocks: blocks)
    }
}
