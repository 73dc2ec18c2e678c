internal import Ink
internal import TilsynSheets

/// The analyst's own text for the report: Markdown with one `##` heading per part, placed at fixed points of the
/// report (`tilsyn report --narrative FILE.md`).
///
/// The parts are `## Sammenfatning` (after the key figures), `## Tendenser` (after the main results),
/// `## Udfordringer` or `## De væsentligste udfordringer` (after the lowest-compliance questions; usually a table
/// Sagstrin | Vigtigste udfordring | Hvad ses i sagerne | Mulige tiltag) and `## Næste skridt` (before the notes on
/// method). Each part may appear once; text before the first heading, another `#`/`##` heading or a part twice is
/// an error naming the line, so nothing the analyst wrote is left out silently.
///
/// The Markdown is parsed with Ink. Nothing from the file reaches the page as markup: raw HTML is shown as text,
/// links keep their text only, images their alternative text, code its escaped text; and the HTML Ink returns is
/// checked against a short list of tags before it is used.
public struct ReportNarrative: Sendable, Equatable {
    /// The places in the report the analyst's text can fill, each introduced by its `##` heading.
    public enum Part: String, Sendable, CaseIterable {
        /// `## Sammenfatning`, after the key figures.
        case summary = "sammenfatning"
        /// `## Tendenser`, after the main results.
        case trends = "tendenser"
        /// `## Udfordringer` (or `## De væsentligste udfordringer`), after the lowest questions.
        case challenges = "udfordringer"
        /// `## Næste skridt`, before the notes.
        case nextSteps = "naeste-skridt"

        /// The section's heading in the report.
        public var title: String {
            switch self {
            case .summary: "Sammenfatning"
            case .trends: "Tendenser"
            case .challenges: "De væsentligste udfordringer"
            case .nextSteps: "Næste skridt"
            }
        }

        /// The headings that mark the part in the file (compared without case).
        static func named(_ heading: String) -> Part? {
            switch heading.lowercased() {
            case "sammenfatning": .summary
            case "tendenser": .trends
            case "udfordringer", "de væsentligste udfordringer": .challenges
            case "næste skridt": .nextSteps
            default: nil
            }
        }
    }

    /// One part: its Markdown lines as written and the checked HTML.
    public struct Section: Sendable, Equatable {
        /// Where it goes.
        public let part: Part
        /// Its lines as written.
        public let markdown: [String]
        /// The HTML it became, checked against the allowed tags.
        public let html: String
    }

    /// The parts the file fills, in file order.
    public private(set) var sections: [Section] = []

    /// The analyst's text for `part`, if the file has it.
    public func section(_ part: Part) -> Section? { sections.first { $0.part == part } }

    /// A mistake in the narrative file, with its 1-based line.
    public struct Error: Swift.Error, Sendable, Equatable {
        /// The line of the file (1-based).
        public let line: Int
        /// What is wrong there and how to fix it.
        public let message: String
    }

    /// Parses the file's text.
    public init(markdown text: String) throws(Error) {
        var parts: [(Part, Int, [String])] = []
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        for (index, raw) in lines.enumerated() {
            let line = index + 1
            let trimmed = raw.trimmed
            if trimmed.hasPrefix("#") {
                let level = trimmed.prefix { $0 == "#" }.count
                let heading = String(trimmed.dropFirst(level)).trimmed
                if level == 2 {
                    guard let part = Part.named(heading) else {
                        throw Error(line: line, message: "the heading '\(heading)' is not one of \(Self.headings)")
                    }
                    if let earlier = parts.first(where: { $0.0 == part }) {
                        throw Error(line: line, message: "'\(heading)' appears again (first on line \(earlier.1))")
                    }
                    parts.append((part, line, []))
                    continue
                }
                if level == 1 {
                    throw Error(
                        line: line,
                        message: "a level-1 heading ('# \(heading)'); the report has its own title, start each part "
                            + "with one of \(Self.headings)")
                }
            }
            guard !parts.isEmpty else {
                if trimmed.isEmpty { continue }
                throw Error(line: line, message: "text before the first heading; start with one of \(Self.headings)")
            }
            parts[parts.count - 1].2.append(raw)
        }
        guard !parts.isEmpty else {
            throw Error(line: 1, message: "no part; the file must have at least one of \(Self.headings)")
        }
        for (part, line, body) in parts {
            let html = Self.html(body.joined(separator: "\n"))
            guard let checked = Self.checked(html) else {
                throw Error(line: line, message: "'\(part.title)' gives markup the report does not take")
            }
            sections.append(Section(part: part, markdown: body, html: checked))
        }
    }

    static let headings = "## Sammenfatning, ## Tendenser, ## Udfordringer, ## Næste skridt"

    /// Ink's HTML with every way for the file's own markup to reach the page taken out.
    static func html(_ markdown: String) -> String {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .html) { htmlEscape(String($0.markdown)) })
        parser.addModifier(Modifier(target: .links) { input in
            // The text between the opening tag and `</a>`; Ink has escaped it already.
            guard let open = input.html.firstIndex(of: ">"), input.html.hasSuffix("</a>") else {
                return htmlEscape(String(input.markdown))
            }
            return String(input.html[input.html.index(after: open)...].dropLast(4))
        })
        parser.addModifier(Modifier(target: .images) { input in
            let text = input.markdown.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
            return htmlEscape(String(text))
        })
        parser.addModifier(Modifier(target: .codeBlocks) { input in
            let lines = input.markdown.split(separator: "\n", omittingEmptySubsequences: false)
            let body = lines.dropFirst().dropLast().joined(separator: "\n")
            return "<pre><code>\(htmlEscape(body))</code></pre>"
        })
        parser.addModifier(Modifier(target: .headings) { input in
            // `###` and deeper become the part's subheadings (h3, h4); the page's own h1/h2 stay the report's.
            let level = min(max(input.markdown.prefix { $0 == "#" }.count, 3), 4)
            let inner = input.html.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }
            return "<h\(level)>\(inner)</h\(level)>"
        })
        return parser.html(from: markdown)
    }

    /// The tags Ink may produce for the parts, without attributes (a table cell's `align` aside).
    private static let allowedTags: Set<String> = [
        "p", "br", "h3", "h4", "ul", "ol", "li", "strong", "em", "del", "s", "blockquote", "code", "pre", "hr",
        "table", "thead", "tbody", "tr", "th", "td",
    ]

    /// The HTML if every tag is an allowed one with no attribute but `align="left|center|right"`; nil otherwise.
    static func checked(_ html: String) -> String? {
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { return nil }
            var tag = rest[rest.index(after: open)..<close]
            if tag.hasPrefix("/") { tag = tag.dropFirst() }
            if tag.hasSuffix("/") { tag = tag.dropLast() }
            let parts = tag.split(separator: " ", omittingEmptySubsequences: true)
            guard let name = parts.first, allowedTags.contains(name.lowercased()) else { return nil }
            for attribute in parts.dropFirst() {
                guard ["th", "td"].contains(name.lowercased()),
                    ["align=\"left\"", "align=\"center\"", "align=\"right\""].contains(attribute)
                else { return nil }
            }
            rest = rest[rest.index(after: close)...]
        }
        return html
    }
}
