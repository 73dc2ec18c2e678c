public import TilsynAnalysis

/// Builds the trend report.
public enum TrendReport {
    /// The trend report of `rows`: with `external`, groups resting on fewer than `threshold` cases (children) are
    /// suppressed; shares are shown with `decimals` decimals.
    public static func make(
        _ rows: [Trend.Row], by dimensions: [Breakdown], external: Bool, decimals: Int = 1,
        threshold: Int = Suppression.threshold
    ) -> Report {
        var seen: Set<Breakdown> = []
        let dimensions = dimensions.filter { seen.insert($0).inserted }
        var columns = [ReportColumn(key: "level", header: "Niveau")]
        columns += dimensions.map { ReportColumn(key: $0.rawValue, header: $0.danishHeader) }
        columns += [
            ReportColumn(key: "round", header: "Runde"), ReportColumn(key: "baseline", header: "Basisrunde"),
            ReportColumn(key: "kind", header: "Spørgsmålstype"),
            ReportColumn(key: "rate", header: "Andel ja / høj eller nogen grad"), ReportColumn(key: "n", header: "N"),
            ReportColumn(key: "cases", header: "Sager"),
            ReportColumn(key: "changePoints", header: "Ændring (procentpoint)"),
        ]
        var values: [[ReportValue]] = []
        var table: [[String]] = []
        var anyHidden = false
        var blocks: [Int: String] = [:]
        for (index, row) in rows.enumerated() {
            let block =
                "Niveau \(row.level)" + (row.kind == .degree ? ", socialfaglig kvalitet (høj eller nogen grad)" : "")
            if index == 0 || rows[index - 1].level != row.level || rows[index - 1].kind != row.kind {
                blocks[values.count] = block
            }
            // Each cell stands alone (no total is shown): suppress it, or its baseline, when it rests on few cases.
            let hidden =
                external
                && ((row.cases > 0 && row.cases < threshold)
                    || (row.baselineCases > 0 && row.baselineCases < threshold))
            anyHidden = anyHidden || hidden
            var line = [ReportValue.integer(row.level)]
            line += dimensions.map { ReportValue(key: row.keys[$0]) }
            line += [
                .text(row.round), .text(row.baseline), .text(row.kind == .degree ? "degree" : "yesNo"),
                hidden ? .null : row.rate.map { .fraction($0) } ?? .null,
                hidden ? .null : .integer(row.n), hidden ? .null : .integer(row.cases),
                hidden ? .null : row.changePoints.map { .fraction($0) } ?? .null,
            ]
            values.append(line)
            var text = dimensions.map { row.keys[$0]?.description ?? "" } + [row.round]
            if hidden {
                text += ["–", ""]
            } else {
                text.append(DanishPercent.rate(yes: row.yes, n: row.n, decimals: decimals))
                text.append(
                    row.round == row.baseline
                        ? "basis"
                        : row.changePoints.map { DanishDecimal.points($0) }
                            ?? "")
            }
            text.append(
                !hidden && row.cases > 0 && row.cases < Suppression.cautionThreshold ? Suppression.cautionText : "")
            table.append(text)
        }
        let headers =
            dimensions.map(\.danishHeader) + [
                "Runde", "Andel", "Ændring fra \(rows.first?.baseline ?? "basis")", "Bemærkning",
            ]
        return Report(
            title: "Ledelsestilsyn – udvikling", columns: columns, rows: values, tableHeaders: headers,
            tableRows: table, notes: anyHidden ? [suppressionFootnote(threshold: threshold)] : [], blocks: blocks)
    }
}
