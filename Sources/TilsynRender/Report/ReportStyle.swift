extension ReportHTML {
    /// The page's CSS: screen layout, and A4 print with page numbers, a page per section and repeated table
    /// headers; wide tables wrap their figures so they fit the page.
    static let style = """
        @page { size: A4; margin: 16mm 15mm 18mm 15mm;
                @bottom-left { content: "Ledelsestilsyn · Rapport til Socialudvalget"; font-size: 8pt; color: #5a6b78; }
                @bottom-right { content: "Side " counter(page) " af " counter(pages); font-size: 8pt;
                                color: #5a6b78; } }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.4;
               color: #1d2730; margin: 0 auto; max-width: 190mm; padding: 8mm 6mm; background: #fff; }
        h1 { font-size: 24pt; margin: 4pt 0 8pt; color: #123c5a; }
        h2 { font-size: 16pt; color: #123c5a; border-bottom: 2px solid #1f5f8b; padding-bottom: 3pt;
             margin: 0 0 10pt; }
        h3 { font-size: 12pt; margin: 14pt 0 6pt; color: #123c5a; }
        p { margin: 0 0 8pt; }
        .kicker { text-transform: uppercase; letter-spacing: 0.06em; font-size: 9pt; color: #5a6b78; }
        .lead { font-size: 11.5pt; }
        .meta, .small, figcaption, caption { color: #5a6b78; font-size: 9pt; }
        .badge { display: inline-block; background: #e8f0f6; border-left: 4px solid #1f5f8b; padding: 4pt 8pt; }
        .badge.internal { background: #fbf1e0; border-left-color: #e0a030; }
        nav ol { columns: 2; margin: 4pt 0 0; padding-left: 18pt; }
        nav a { color: #1f5f8b; text-decoration: none; }
        h2.toc { font-size: 12pt; border: 0; margin-top: 12pt; }
        header.cover { margin-bottom: 14pt; }
        section { margin: 18pt 0 0; }
        .cards { display: flex; flex-wrap: wrap; gap: 8pt; margin-bottom: 10pt; }
        .card { flex: 1 1 30%; border: 1px solid #d5dbe0; border-top: 4px solid #1f5f8b; padding: 6pt 8pt; }
        .card .label { font-size: 9pt; color: #5a6b78; }
        .card .value { font-size: 20pt; font-weight: bold; color: #123c5a; }
        .card .detail { font-size: 9pt; }
        table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; font-size: 9.5pt; }
        caption { text-align: left; caption-side: top; padding-bottom: 3pt; }
        th, td { border-bottom: 1px solid #d5dbe0; padding: 2.5pt 5pt; text-align: left; vertical-align: top; }
        th { background: #e8f0f6; font-weight: bold; }
        td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        table.wide { font-size: 8.5pt; }
        table.wide td.num, table.wide th.num { white-space: normal; }
        table.wide th, table.wide td { padding: 2pt 3pt; }
        tr.total td { font-weight: bold; border-top: 1.5px solid #1d2730; }
        figure { margin: 6pt 0 10pt; }
        svg.chart { width: 100%; height: auto; display: block; font-size: 11px; font-family: inherit;
                    fill: #1d2730; }
        ul.notes li { margin-bottom: 4pt; }
        section.narrative th, section.narrative td, section.narrative p, section.narrative li {
            overflow-wrap: break-word; hyphens: auto; }
        section.narrative pre { white-space: pre-wrap; overflow-wrap: anywhere; }
        @media print {
            body { padding: 0; max-width: none; }
            section { break-before: page; margin-top: 0; }
            section#noegletal { break-before: auto; margin-top: 14pt; }
            table, figure, .cards, tr { break-inside: avoid; }
            thead { display: table-header-group; }
            h2, h3 { break-after: avoid; }
            nav a { color: inherit; }
        }

        """

    /// The internal version's mark, in the top margin of every printed page (a page margin box, so it never covers
    /// the text).
    static let internalStyle = """
        @page { @top-right { content: "Intern udgave – må ikke forlade forvaltningen"; font-size: 8pt;
                             color: #8a5a00; } }

        """
}
