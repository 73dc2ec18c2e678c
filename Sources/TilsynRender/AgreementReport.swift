public import TilsynAnalysis

/// Builds the agreement report.
public enum AgreementReport {
    /// The agreement report of `rows`: with `external`, groups resting on fewer than `threshold` cases (children) are
    /// suppressed; shares are shown with `decimals` decimals.
    public static func make(
        _ rows: [Agreement.Row], by dimensions: [Breakdown], external: Bool, decimals: Int = 1,
        threshold: Int = Suppression.threshold
    ) -> Report {
        var seen: Set<Breakdown> = []
        let dimensions = dimensions.filter { seen.insert($0).inserted }
        // Each row stands alone (no total): suppressed when it rests on fewer cases (children) than the threshold.
        let decision =
            external
            ? Suppression.decide(rows.map(\.cases), totalShown: false, threshold: threshold)
            : Suppression.Decision(cells: rows.map { _ in false }, total: false)
        var columns = [ReportColumn(key: "levels", header: "Niveauer")]
        columns += dimensions.map { ReportColumn(key: $0.rawValue, header: $0.danishHeader) }
        columns += [
            ReportColumn(key: "cases", header: "Sager"),
            ReportColumn(key: "compared", header: "Sammenlignet"), ReportColumn(key: "agree", header: "Enige"),
            ReportColumn(key: "rate", header: "Enighed"), ReportColumn(key: "kappa", header: "Kappa"),
            ReportColumn(key: "overruledYesToNo", header: "Omgjort ja til nej"),
            ReportColumn(key: "overruledNoToYes", header: "Omgjort nej til ja"),
            ReportColumn(key: "overruleRate", header: "Andel omgjort"),
        ]
        var values: [[ReportValue]] = []
        var table: [[String]] = []
        for (index, row) in rows.enumerated() {
            let hidden = decision.cells[index]
            func count(_ value: Int) -> ReportValue { hidden ? .null : .integer(value) }
            var line =
                [ReportValue.integers(row.levels)]
                + dimensions.map { row.keys[$0].map { ReportValue.text($0.description) } ?? .null }
            line += [
                count(row.cases), count(row.compared), count(row.agree),
                hidden ? .null : row.rate.map { .fraction($0) } ?? .null,
                hidden ? .null : row.kappa.map { .fraction($0) } ?? .null, count(row.overruledYesToNo),
                count(row.overruledNoToYes), hidden ? .null : row.overruleRate.map { .fraction($0) } ?? .null,
            ]
            values.append(line)
            var text = [row.levels.map(String.init).joined(separator: "–")]
            text += dimensions.map { row.keys[$0]?.description ?? "" }
            if hidden {
                text += ["–", "–", "", "", "", ""]
            } else {
                text.append(String(row.cases))
                text.append(DanishPercent.rate(yes: row.agree, n: row.compared, decimals: decimals))
                text.append(row.kappa.map { DanishDecimal.format($0, decimals: 2) } ?? "–")
                text.append(String(row.overruledYesToNo))
                text.append(String(row.overruledNoToYes))
                text.append(
                    DanishPercent.rate(
                        yes: row.overruledYesToNo + row.overruledNoToYes, n: row.compared, decimals: decimals))
            }
            text.append(
                !hidden && row.cases > 0 && row.cases < Suppression.cautionThreshold
                    ? Suppression.cautionText : "")
            table.append(text)
        }
        var headers = ["Niveauer"] + dimensions.map(\.danishHeader)
        headers += ["Sager", "Enighed", "Kappa", "Omgjort ja→nej", "Omgjort nej→ja", "Andel omgjort", "Bemærkning"]
        // Without a grouping, each comparison in Copenhagen's words: "Niveau 1, 2, 3 og 4 er enige i 441 ud af 483
        // besvarede spørgsmål, svarende til 91,3 %."
        var notes: [String] = []
        if dimensions.isEmpty {
            for (index, row) in rows.enumerated() where !decision.cells[index] && row.compared > 0 {
                notes.append(AgreementReport.sentence(row, decimals: decimals))
            }
        }
        if decision.cells.contains(true) { notes.append(suppressionFootnote(threshold: threshold)) }
        return Report(
            title: "Ledelsestilsyn – enighed mellem niveauer", columns: columns, rows: values, tableHeaders: headers,
            tableRows: table, notes: notes)
    }

    /// "Niveau 1 og 2 er enige i 441 ud af 483 besvarede spørgsmål (130 sager), svarende til 91,3 %."
    public static func sentence(_ row: Agreement.Row, decimals: Int = 1) -> String {
        let names = row.levels.map(String.init)
        let levels = names.count <= 1
            ? names.joined() : names.dropLast().joined(separator: ", ") + " og " + (names.last ?? "")
        let share = row.compared > 0 ? DanishPercent.format(row.agree, of: row.compared, decimals: decimals) : "–"
        let cases = row.cases == 1 ? "1 sag" : "\(row.cases) sager"
        return "Niveau \(levels) er enige i \(row.agree) ud af \(row.compared) besvarede spørgsmål (\(cases)), "
            + "svarende til \(share)."
    }
}
