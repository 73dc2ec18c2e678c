public import TilsynAnalysis

/// Compliance rows (`Compliance.rows`) as the compact text table the import's closing summary prints.
public enum ComplianceTable {
    /// A compact text table: one section per level, one line per group, one column per round.
    public static func text(_ rows: [Compliance.Row], title: String) -> String {
        let rounds = Array(Set(rows.map(\.round))).sorted()
        var text = ""
        for level in Array(Set(rows.map(\.level))).sorted() {
            let atLevel = rows.filter { $0.level == level }
            var groups: [(String, String)] = []
            for row in atLevel where !groups.contains(where: { $0.0 == row.group }) {
                groups.append((row.group, row.name))
            }
            // Degree-only groups (no Ja/Nej answers in any round) have no compliance rate.
            groups = groups.filter { group in atLevel.contains { $0.group == group.0 && $0.n > 0 } }
            guard !groups.isEmpty else { continue }
            var lines = [[title + ", niveau \(level)"] + rounds.map { "Runde \($0)" }]
            for (group, name) in groups {
                var line = [name == group ? group : "\(name) (\(group))"]
                for round in rounds {
                    let cell = atLevel.first { $0.group == group && $0.round == round }
                    line.append(cell.map { DanishPercent.rate(yes: $0.yes, n: $0.n) } ?? "")
                }
                lines.append(line)
            }
            if !text.isEmpty { text += "\n" }
            text += render(lines)
        }
        return text
    }

    private static func render(_ lines: [[String]]) -> String {
        var widths: [Int] = []
        for line in lines {
            for (index, cell) in line.enumerated() {
                if index >= widths.count { widths.append(0) }
                widths[index] = max(widths[index], cell.count)
            }
        }
        var text = ""
        for (number, line) in lines.enumerated() {
            var parts: [String] = []
            for (index, cell) in line.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                parts.append(index == 0 ? cell + pad : pad + cell)
            }
            text += parts.joined(separator: "  ") + "\n"
            if number == 0 {
                text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        return text
    }
}
