/// Builds the HTML text.
struct HTMLPage {
    private(set) var text = ""

    mutating func raw(_ html: String) { text += html }

    mutating func element(_ name: String, _ content: String, class className: String? = nil) {
        text += "<\(name)\(className.map { " class=\"\(htmlEscape($0))\"" } ?? "")>\(htmlEscape(content))</\(name)>\n"
    }

    /// Opens the section with this id (one of `ReportHTML.sectionIDs`) under its title.
    mutating func openSection(_ id: String) {
        let index = ReportHTML.sectionIDs.firstIndex(of: id) ?? 0
        text += "<section id=\"\(id)\">\n"
        element("h2", AuditReport.sectionTitles[index])
    }

    /// Whether a table laid out on one line per cell would be wider than the page: the widest text of each column
    /// (header or cell), added over the columns, against the characters an A4 line holds at the table's font.
    static func isWide(headers: [String], rows: [[String]]) -> Bool {
        let characters = headers.indices.reduce(0) { total, column in
            total + rows.reduce(headers[column].count) { max($0, column < $1.count ? $1[column].count : 0) } + 2
        }
        return characters > 96
    }

    /// A figure of a wide table, escaped, that may break only between its parts: `88 %` and `+3,1 pp` stay whole
    /// (a no-break space), `(7/8)` has no space to break at.
    static func figure(_ text: String) -> String {
        htmlEscape(text).replacing(" %", with: "&nbsp;%").replacing(" pp", with: "&nbsp;pp")
    }

    mutating func figure(_ svg: String, caption: String) {
        text += "<figure>\(svg)<figcaption>Figur: \(htmlEscape(caption))</figcaption></figure>\n"
    }

    mutating func table(
        caption: String, headers: [String], numeric: Set<Int>, rows: [[String]],
        totalRow: Bool = false
    ) {
        // A wide table (a matrix, rounds as columns) lets its headers wrap and its figures break between the
        // percentage and the counts, so it fits the A4 page's width.
        let wide = Self.isWide(headers: headers, rows: rows)
        text += "<table\(wide ? " class=\"wide\"" : "")>\n<caption>\(htmlEscape(caption))</caption>\n<thead><tr>"
        for (index, header) in headers.enumerated() {
            text += "<th\(numeric.contains(index) ? " class=\"num\"" : "")>\(htmlEscape(header))</th>"
        }
        text += "</tr></thead>\n<tbody>\n"
        for (number, row) in rows.enumerated() {
            text += totalRow && number == rows.count - 1 ? "<tr class=\"total\">" : "<tr>"
            for (index, cell) in row.prefix(headers.count).enumerated() {
                let number = numeric.contains(index)
                let content = number && wide ? Self.figure(cell) : htmlEscape(cell)
                text += "<td\(number ? " class=\"num\"" : "")>\(content)</td>"
            }
            text += "</tr>\n"
        }
        text += "</tbody>\n</table>\n"
    }
}
