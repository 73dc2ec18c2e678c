internal import TilsynAnalysis
internal import TilsynSheets

/// A table of the report, built once from the analysis results and rendered alike by the HTML page and the
/// workbook, with the paragraphs and generated sentences that go with it.
public struct ReportTable: Sendable, Equatable {
    /// One cell.
    public enum Cell: Sendable, Equatable {
        /// Text.
        case text(String)
        /// A count (`150`).
        case count(Int)
        /// A share with its counts: `88,0 % (7/8)` on the page, the fraction with a percent format in the workbook.
        case share(yes: Int, n: Int)
        /// A change in percentage points: `+3,1 pp`; nil when either side is missing or suppressed.
        case points(Double?)
        /// A chance-corrected agreement (κ): `0,62`.
        case kappa(Double?)
        /// Suppressed (external reports): `–`.
        case hidden
        /// Nothing (no answers in the group).
        case empty
    }

    /// The caption above the table.
    public var caption: String
    /// The column headers.
    public var headers: [String]
    /// The rows, one cell per header.
    public var rows: [[Cell]]
    /// Generated sentences shown under the table.
    public var notes: [String]

    /// A table with its caption, headers, rows and notes.
    public init(caption: String, headers: [String], rows: [[Cell]], notes: [String] = []) {
        self.caption = caption
        self.headers = headers
        self.rows = rows
        self.notes = notes
    }

    /// The columns holding figures (right-aligned): those with a figure in some row.
    var numericColumns: Set<Int> {
        var columns: Set<Int> = []
        for row in rows {
            for (index, cell) in row.enumerated() {
                switch cell {
                case .text, .empty: continue
                default: columns.insert(index)
                }
            }
        }
        return columns
    }
}

/// A section of the report made of tables: its lead paragraphs, then the tables.
public struct ReportSection: Sendable, Equatable {
    /// The lead paragraphs.
    public var paragraphs: [String]
    /// The tables, in order.
    public var tables: [ReportTable]

    /// A section of `paragraphs` and `tables`.
    public init(paragraphs: [String] = [], tables: [ReportTable] = []) {
        self.paragraphs = paragraphs
        self.tables = tables
    }

    /// Whether the section has nothing to show.
    public var isEmpty: Bool { paragraphs.isEmpty && tables.isEmpty }
}

extension ReportTable.Cell {
    /// The cell as the page shows it.
    var text: String {
        switch self {
        case .text(let text): text
        case .count(let count): ReportText.integer(count)
        case .share(let yes, let n): n > 0 ? "\(ReportText.percent(yes, n)) (\(ReportText.counts(yes, n)))" : ""
        case .points(let points): points.map { ReportText.points($0) } ?? ""
        case .kappa(let kappa): ReportText.kappa(kappa)
        case .hidden: "–"
        case .empty: ""
        }
    }
}

extension HTMLPage {
    /// The section's paragraphs and tables, each table followed by its sentences.
    mutating func section(_ section: ReportSection) {
        for paragraph in section.paragraphs { element("p", paragraph) }
        for table in section.tables {
            self.table(
                caption: table.caption, headers: table.headers, numeric: table.numericColumns,
                rows: table.rows.map { $0.map(\.text) })
            for note in table.notes { element("p", note, class: "finding") }
        }
    }
}

extension ReportWorkbook.Block {
    /// The section's paragraphs and tables: shares as fractions with a percent format, counts as numbers.
    func section(_ section: ReportSection) throws {
        for paragraph in section.paragraphs { try caption(paragraph) }
        for table in section.tables {
            try gap()
            try caption(table.caption)
            try header(table.headers)
            for row in table.rows {
                try self.row(
                    row.map { cell -> XLSXWriter.Cell? in
                        switch cell {
                        case .text(let text): .string(text)
                        case .count(let count): .number(Double(count))
                        case .share(let yes, let n): n > 0 ? .number(Double(yes) / Double(n), style: styles.percent) : nil
                        case .points(let points):
                            points.map { .number(($0 * 10).rounded() / 10, style: styles.points) }
                        case .kappa(let kappa): kappa.map { .number($0, style: styles.decimal2) }
                        case .hidden: .string("–", style: styles.right)
                        case .empty: nil
                        }
                    })
            }
            for note in table.notes { try caption(note) }
        }
    }
}
