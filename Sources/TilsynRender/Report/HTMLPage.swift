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

    mutating func figure(_ svg: String, caption: String) {
        text += "<figure>\(svg)<figcaption>Figur: \(htmlEscape(caption))</figcaption></figure>\n"
    }

    mutating func table(
        caption: String, headers: [String], numeric: Set<Int>, rows: [[String]],
        totalRow: Bool = false
    ) {
        text += "<table>\n<caption>\(htmlEscape(caption))</caption>\n<thead><tr>"
        for (index, header) in headers.enumerated() {
            text += "<th\(numeric.contains(index) ? " class=\"num\"" : "")>\(htmlEscape(header))</th>"
        }
        text += "</tr></thead>\n<tbody>\n"
        for (number, row) in rows.enumerated() {
            text += totalRow && number == rows.count - 1 ? "<tr class=\"total\">" : "<tr>"
            for (index, cell) in row.prefix(headers.count).enumerated() {
                text += "<td\(numeric.contains(index) ? " class=\"num\"" : "")>\(htmlEscape(cell))</td>"
            }
            text += "</tr>\n"
        }
        text += "</tbody>\n</table>\n"
    }
}
