internal import Foundation
public import TilsynAnalysis
public import TilsynSheets

/// One value of a report cell.
public enum ReportValue: Equatable {
    case text(String)
    case integer(Int)
    case fraction(Double)
    /// A JSON array of integers; `1–2` elsewhere.
    case integers([Int])
    /// JSON null, an empty cell elsewhere; also what suppression leaves.
    case null
    /// Left out of the JSON row, an empty cell elsewhere.
    case absent

    public var json: String? {
        switch self {
        case .text(let text): JSONText.string(text)
        case .integer(let number): String(number)
        case .fraction(let number): JSONText.number(number)
        case .integers(let numbers): "[" + numbers.map(String.init).joined(separator: ", ") + "]"
        case .null: "null"
        case .absent: nil
        }
    }

    public var csv: CSVValue {
        switch self {
        case .text(let text): .text(text)
        case .integer(let number): .integer(number)
        case .fraction(let number): .number(number)
        case .integers(let numbers): .text(numbers.map(String.init).joined(separator: "–"))
        case .null, .absent: .empty
        }
    }
}

/// A column: its JSON key and its Danish header.
public struct ReportColumn {
    public var key: String
    public var header: String
}

/// A report: typed rows for JSON, CSV and workbooks, and text rows for the terminal table.
public struct Report {
    public var title: String
    public var columns: [ReportColumn]
    public var rows: [[ReportValue]]
    public var tableHeaders: [String]
    public var tableRows: [[String]]
    /// Footnotes (Danish), printed under tables and written after the rows.
    public var notes: [String]
    /// Titles of the table's blocks by the index of their first row (`Niveau 2`); the terminal table prints each
    /// block under its title with its own header. Empty: one block.
    public var blocks: [Int: String] = [:]

    /// One JSON object per row, in an array, one row per line.
    public func json() -> String {
        let objects = rows.map { row in
            "  {"
                + zip(columns, row).compactMap { column, value in
                    value.json.map { "\(JSONText.string(column.key)): \($0)" }
                }.joined(separator: ", ") + "}"
        }
        return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// The text table with its footnotes.
    public func table() -> String {
        guard !tableRows.isEmpty else { return "Ingen besvarelser.\n" }
        let lines = [tableHeaders] + tableRows
        var widths = [Int](repeating: 0, count: tableHeaders.count)
        for line in lines {
            for (index, cell) in line.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func render(_ line: [String]) -> String {
            let cells = line.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 || Double(cell.prefix(1)) == nil && !cell.hasPrefix("–") ? cell + pad : pad + cell
            }
            return cells.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        var text = blocks.isEmpty ? render(tableHeaders) + rule : ""
        for (number, line) in tableRows.enumerated() {
            if let title = blocks[number] {
                text += (text.isEmpty ? "" : "\n") + title + "\n" + render(tableHeaders) + rule
            }
            text += render(line)
        }
        return notes.isEmpty ? text : text + "\n" + notes.joined(separator: "\n") + "\n"
    }

    /// A workbook with one sheet: bold frozen headers, fractions as percentages, footnotes below.
    public func writeWorkbook(to path: String) throws {
        let writer = try XLSXWriter(path: path)
        writer.properties.title = title
        let bold = try writer.addStyle(XLSXWriter.Style(font: XLSXWriter.Font(bold: true)))
        let percent = try writer.addStyle(XLSXWriter.Style(numberFormat: .custom("0.0 %")))
        let sheet = try writer.addWorksheet(
            "Resultat",
            options: XLSXWriter.SheetOptions(
                columns: columns.indices.map {
                    XLSXWriter.Column.width($0, max(10, Double(columns[$0].header.count) + 2))
                },
                frozenRows: 1))
        try sheet.appendRow(columns.map { XLSXWriter.Cell.string($0.header, style: bold) })
        for row in rows {
            try sheet.appendRow(
                row.map { value in
                    switch value {
                    case .text(let text): .string(text)
                    case .integer(let number): .number(Double(number))
                    case .fraction(let number): .number(number, style: percent)
                    case .integers(let numbers): .string(numbers.map(String.init).joined(separator: "–"))
                    case .null, .absent: .string("")
                    }
                })
        }
        if !notes.isEmpty {
            try sheet.appendRow([])
            for note in notes { try sheet.appendRow([.string(note)]) }
        }
        try writer.close()
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}

/// The footnote on cells suppressed because they rest on fewer than `threshold` cases (children).
func suppressionFootnote(threshold: Int) -> String {
    "– Undertrykt: færre end \(threshold) sager (børn), eller skjult for at en total ikke afslører et undertrykt tal."
}

/// Builds the compliance report.
public enum SummaryReport {
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

/// Builds the agreement report.
public enum AgreementReport {
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

/// Builds the trend report.
public enum TrendReport {
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
                        : row.changePoints.map { ($0 >= 0 ? "+" : "") + DanishDecimal.format($0, decimals: 1) + " pp" }
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

/// Danish decimals: `0,47`.
public enum DanishDecimal {
    public static func format(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        let divisor = Int(scale)
        let digits = String(magnitude % divisor)
        return "\(sign)\(magnitude / divisor),\(String(repeating: "0", count: decimals - digits.count))\(digits)"
    }
}

/// Builds the report of `summary --measure cases-all-ja`: per group, round and level, the cases with every
/// applicable Ja/Nej question of the group answered Ja.
public enum AllYesReport {
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

extension ReportValue {
    /// A grouping key as a JSON value: text, a number (level, measure), or null when the row has no such key.
    init(key: KeyValue?) {
        switch key {
        case .text(let text): self = .text(text)
        case .number(let number): self = .integer(number)
        case nil: self = .null
        }
    }
}
