internal import TilsynAnalysis
public import TilsynSheets

/// One value of a report cell.
public enum ReportValue: Equatable {
    /// Text.
    case text(String)
    /// A whole number.
    case integer(Int)
    /// A share or κ as a fraction (`0.88`); percentages are made by the writers.
    case fraction(Double)
    /// A JSON array of integers; `1–2` elsewhere.
    case integers([Int])
    /// JSON null, an empty cell elsewhere; also what suppression leaves.
    case null
    /// Left out of the JSON row, an empty cell elsewhere.
    case absent

    /// The value as a JSON literal; nil for `absent`.
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

    /// The value as a CSV field.
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
    /// The JSON key (`compared`).
    public var key: String
    /// The Danish header (`Sammenlignet`).
    public var header: String
}

/// A report: typed rows for JSON, CSV and workbooks, and text rows for the terminal table.
public struct Report {
    /// The report's Danish title.
    public var title: String
    /// The columns of `rows`.
    public var columns: [ReportColumn]
    /// The typed rows, one value per column.
    public var rows: [[ReportValue]]
    /// The terminal table's headers.
    public var tableHeaders: [String]
    /// The terminal table's rows as printed (Danish numbers, `–` where suppressed).
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
