import Testing

@testable import TilsynRender

/// The analyst's Markdown: the marked parts, their order of appearance in the file kept, mistakes named by line,
/// and nothing from the file reaching the page as markup.
@Suite("The report's narrative (Markdown by the analyst)")
struct ReportNarrativeTests {
    @Test func thePartsAreFoundByTheirHeadings() throws {
        let narrative = try ReportNarrative(
            markdown: """

                ## Sammenfatning
                Fremgang i **tre** sagsskridt.

                ## de væsentligste udfordringer
                | Sagstrin | Vigtigste udfordring | Hvad ses i sagerne | Mulige tiltag |
                |---|---|---|---|
                | Opfølgning | Rettidighed | Sen opfølgning | Frister |

                ## Næste skridt
                1. Personalemøde

                ### Til udvalget
                Forelægges i marts.
                """)
        #expect(narrative.sections.map(\.part) == [.summary, .challenges, .nextSteps])
        let summary = try #require(narrative.section(.summary))
        #expect(summary.html == "<p>Fremgang i <strong>tre</strong> sagsskridt.</p>")
        #expect(summary.markdown == ["Fremgang i **tre** sagsskridt.", ""])
        let challenges = try #require(narrative.section(.challenges)).html
        #expect(challenges.hasPrefix("<table><thead><tr><th>Sagstrin</th><th>Vigtigste udfordring</th>"))
        #expect(challenges.contains("<td>Opfølgning</td><td>Rettidighed</td><td>Sen opfølgning</td><td>Frister</td>"))
        #expect(ReportNarrative.Part.challenges.title == "De væsentligste udfordringer")
        let next = try #require(narrative.section(.nextSteps)).html
        #expect(next.contains("<ol><li>Personalemøde</li></ol>") && next.contains("<h3>Til udvalget</h3>"))
        #expect(narrative.section(.trends) == nil)
    }

    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("[rapporten](javascript:alert(1))", "rapporten"),
        ("[her](http://example.invalid/\" onclick=\"x)", "her"),
        ("![logo](http://example.invalid/logo.png)", "logo"),
        ("a & b < c", "a &amp; b &lt; c"),
        ("```html\"><script>\n<b>fed</b>\n```", "<pre><code>&lt;b&gt;fed&lt;/b&gt;</code></pre>"),
    ])
    func nothingFromTheFileIsMarkup(markdown: String, shown: String) throws {
        let html = try #require(try ReportNarrative(markdown: "## Tendenser\n" + markdown).section(.trends)).html
        #expect(html.contains(shown), "\(html)")
        for forbidden in ["<script", "<img", "<a ", "href", "javascript:", "http:", "class=", "=\""] {
            #expect(!html.contains(forbidden), "\(forbidden) in \(html)")
        }
    }

    @Test(arguments: [
        ("Indledning\n## Sammenfatning\nTekst", 1, "text before the first heading"),
        ("## Sammenfatning\nTekst\n## Konklusion\nTekst", 3, "the heading 'Konklusion' is not one of"),
        ("## Tendenser\nA\n\n## tendenser\nB", 4, "'tendenser' appears again (first on line 1)"),
        ("# Ledelsestilsyn 2025\n## Sammenfatning", 1, "a level-1 heading"),
        ("\n\n", 1, "no part"),
    ])
    func mistakesAreNamedByLine(markdown: String, line: Int, message: String) {
        #expect {
            _ = try ReportNarrative(markdown: markdown)
        } throws: { error in
            guard let error = error as? ReportNarrative.Error else { return false }
            return error.line == line && error.message.contains(message)
        }
    }

    @Test func onlyTheKnownTagsWithoutAttributesPassTheCheck() {
        #expect(ReportNarrative.checked("<p>a</p><table><tr><td align=\"right\">1</td></tr></table>") != nil)
        #expect(ReportNarrative.checked("<p class=\"x\">a</p>") == nil)
        #expect(ReportNarrative.checked("<p>a</p><iframe>") == nil)
        #expect(ReportNarrative.checked("<td align=\"right\" onclick=\"x\">") == nil)
        #expect(ReportNarrative.checked("<p>unclosed <") == nil)
    }
}
