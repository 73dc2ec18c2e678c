internal import TilsynAnalysis

/// The report as one self-contained HTML page: inline CSS and SVG, no script, no URL of any kind, A4 print styles.
///
/// A Content-Security-Policy (`default-src 'none'`) makes the browser refuse anything from outside even if a later
/// change slipped one in. Every text is escaped; texts from the data were already redacted for CPR numbers when the
/// report was built.
public enum ReportHTML {
    /// The report as one self-contained HTML page (styles inline, no scripts, no outside resources).
    public static func render(_ report: AuditReport) -> String {
        ReportText.$decimals.withValue(report.decimals) { page(report) }
    }

    private static func page(_ report: AuditReport) -> String {
        var page = HTMLPage()
        page.raw("<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n")
        page.raw(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'; img-src data:\">\n")
        page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        page.raw("<meta name=\"generator\" content=\"Tilsyn\">\n")
        page.element("title", report.title + " – rapport til Socialudvalget")
        page.raw("\n<style>\n\(style)\(report.external ? "" : internalStyle)</style>\n</head>\n<body>\n")
        cover(report, &page)
        keyFigures(report, &page)
        narrative(.summary, report, &page)
        tableSection("omfang", report.scope, &page)
        tableSection("hovedresultater", report.history, &page)
        narrative(.trends, report, &page)
        compliance(report, &page)
        tableSection("spoergsmaal", report.stepQuestions, &page)
        units(report, &page)
        measures(report, &page)
        trend(report, &page)
        agreement(report, &page)
        lowest(report, &page)
        narrative(.challenges, report, &page)
        degree(report, &page)
        tableSection("temanedslag", report.temanedslag, &page)
        narrative(.nextSteps, report, &page)
        notes(report, &page)
        page.raw("</body>\n</html>\n")
        return page.text
    }

    /// Section ids, in the order of `AuditReport.sectionTitles`.
    static let sectionIDs = [
        "noegletal", "omfang", "hovedresultater", "pejlemaerker-og-sagsskridt", "spoergsmaal", "enheder",
        "indsatser", "udvikling", "enighed", "lavest", "socialfaglig-kvalitet", "temanedslag", "noter",
    ]

    // MARK: - Sections

    /// A section made only of paragraphs and tables.
    private static func tableSection(_ id: String, _ section: ReportSection, _ page: inout HTMLPage) {
        page.openSection(id)
        page.section(section)
        page.raw("</section>\n")
    }

    /// The analyst's part, when the narrative has it: HTML checked by `ReportNarrative`.
    private static func narrative(_ part: ReportNarrative.Part, _ report: AuditReport, _ page: inout HTMLPage) {
        guard let section = report.narrative?.section(part) else { return }
        page.raw("<section id=\"\(part.rawValue)\" class=\"narrative\">\n")
        page.element("h2", part.title)
        page.raw(section.html)
        page.raw("\n</section>\n")
    }

    private static func cover(_ report: AuditReport, _ page: inout HTMLPage) {
        page.raw("<header class=\"cover\">\n")
        page.element("p", "Ledelsestilsyn efter barnets lov · Rapport til Socialudvalget", class: "kicker")
        page.element("h1", report.title)
        var lead = "Resultater for runde \(report.round)"
        if report.baseline != report.round { lead += ", sammenlignet med baseline \(report.baseline)" }
        lead += ". " + levelText(report) + "."
        page.element("p", lead, class: "lead")
        page.element("p", "Udarbejdet \(report.date.text) med Tilsyn.", class: "meta")
        if report.external {
            page.element(
                "p",
                "Ekstern udgave: tal, der bygger på færre end \(report.threshold) sager, er undertrykt (–), og "
                    + "bemærkninger og sagsnumre er udeladt.", class: "badge")
        } else {
            page.element(
                "p",
                "Intern udgave: indeholder bemærkninger og sagsnumre fra gennemgangen og må ikke forlade "
                    + "forvaltningen.", class: "badge internal")
        }
        page.raw("<nav><h2 class=\"toc\">Indhold</h2><ol>\n")
        for (index, title) in AuditReport.sectionTitles.enumerated() {
            page.raw("<li><a href=\"#\(sectionIDs[index])\">\(htmlEscape(title))</a></li>\n")
        }
        page.raw("</ol></nav>\n</header>\n")
    }

    private static func keyFigures(_ report: AuditReport, _ page: inout HTMLPage) {
        page.openSection("noegletal")
        page.raw("<div class=\"cards\">\n")
        card(&page, "Lovoverholdelse, niveau \(report.level)", value(report.overall), detail(report.overall))
        card(
            &page, "Sager gennemgået", ReportText.integer(report.cases),
            report.levelLines.map { "niveau \($0.level): \(ReportText.integer($0.cases))" }.joined(separator: ", "))
        if let total = report.trendRounds.first(where: { $0.round == report.round }), report.round != report.baseline {
            let change = total.hidden ? "–" : ReportText.points(total.changePoints)
            card(&page, "Udvikling siden \(report.baseline)", change, "samme spørgsmål i begge runder")
        }
        if let agreement = report.agreement {
            card(
                &page, "Enighed mellem niveauer",
                agreement.hidden ? "–" : ReportText.percent(agreement.agree, agreement.compared),
                agreement.hidden
                    ? ""
                    : "\(ReportText.counts(agreement.agree, agreement.compared)), κ = "
                        + ReportText.kappa(agreement.kappa))
        }
        if let degree = report.overallDegree, degree.n > 0 {
            card(
                &page, "Høj eller nogen grad",
                degree.hidden
                    ? "–"
                    : ReportText.percent(
                        degree.high + degree.some,
                        degree.n),
                degree.hidden
                    ? ""
                    : ReportText.counts(degree.high + degree.some, degree.n)
                        + " socialfaglige vurderinger")
        }
        page.raw("</div>\n")
        page.table(
            caption: "Gennemgange og lovoverholdelse pr. niveau, runde \(report.round)",
            headers: ["Niveau", "Sager", "Gennemgange", "Ja/N", "Lovoverholdelse"], numeric: [1, 2, 3, 4],
            rows: report.levelLines.map {
                ["Niveau \($0.level)", ReportText.integer($0.cases), ReportText.integer($0.reviews)]
                    + figures($0.compliance)
            })
        page.raw("</section>\n")
    }

    private static func compliance(_ report: AuditReport, _ page: inout HTMLPage) {
        page.openSection("pejlemaerker-og-sagsskridt")
        page.element(
            "p",
            "Lovoverholdelse er andelen Ja af de besvarede Ja/Nej-spørgsmål (Ja + Nej) i runde \(report.round). "
                + "Et spørgsmål under flere pejlemærker tæller med under hvert af dem.")
        page.element("h3", "Pejlemærker")
        lineBlock(
            report.byTheme, header: "Pejlemærke", title: "Lovoverholdelse pr. pejlemærke", total: nil, report, &page)
        page.element("h3", "Sagsskridt")
        lineBlock(
            report.byStep, header: "Sagsskridt", title: "Lovoverholdelse pr. sagsskridt", total: report.overall,
            report, &page)
        page.raw("</section>\n")
    }

    private static func units(_ report: AuditReport, _ page: inout HTMLPage) {
        page.openSection("enheder")
        if !report.byKommune.isEmpty {
            lineBlock(
                report.byKommune, header: "Kommune", title: "Lovoverholdelse pr. kommune", total: report.overall,
                report,
                &page)
        }
        lineBlock(
            report.byUnit, header: "Enhed", title: "Lovoverholdelse pr. enhed", total: report.overall, report, &page)
        page.section(report.unitMatrices)
        page.raw("</section>\n")
    }

    private static func measures(_ report: AuditReport, _ page: inout HTMLPage) {
        page.openSection("indsatser")
        page.element(
            "p",
            "Indsatsen er sagens paragraf i barnets lov (§ 30, 32, 46 og 47). Spørgsmål, der ikke gælder "
                + "sagens indsats, indgår ikke.")
        lineBlock(
            report.byMeasure, header: "Indsats", title: "Lovoverholdelse pr. indsats", total: report.overall,
            report, &page)
        page.section(report.measureMatrix)
        page.raw("</section>\n")
    }

    private static func trend(_ report: AuditReport, _ page: inout HTMLPage) {
        page.openSection("udvikling")
        guard report.round != report.baseline else {
            page.element(
                "p",
                "Baseline og rapportens runde er den samme (\(report.round)); der er ingen udvikling "
                    + "at vise.")
            page.raw("</section>\n")
            return
        }
        page.element(
            "p",
            "Hver runde sammenlignes med baseline \(report.baseline) over de Ja/Nej-spørgsmål, der er besvaret "
                + "i begge runder. Ændringen er i procentpoint (pp); spørgsmål, som kun den ene runde stillede, "
                + "indgår ikke.")
        let points = report.trendRounds.map { line in
            (
                label: line.round, value: line.hidden ? nil : line.rate,
                text: line.hidden ? "–" : ReportText.percent(line.yes, line.n)
            )
        }
        page.figure(
            ReportCharts.line(points, title: "Lovoverholdelse pr. runde"),
            caption: "Lovoverholdelse pr. runde over de spørgsmål, der også blev stillet i \(report.baseline)")
        page.table(
            caption: "Runder mod baseline \(report.baseline)",
            headers: ["Runde", "Ja/N", "Lovoverholdelse", "Baseline Ja/N", "Baseline", "Ændring"],
            numeric: [1, 2, 3, 4, 5],
            rows: report.trendRounds.map { trendCells($0, first: $0.round, baseline: report.baseline) })
        trendBreakdown(report.trendByTheme, of: "pejlemærke", name: "Pejlemærke", plural: "Pejlemærker", report, &page)
        trendBreakdown(report.trendByStep, of: "sagsskridt", name: "Sagsskridt", plural: "Sagsskridt", report, &page)
        page.raw("</section>\n")
    }

    private static func agreement(_ report: AuditReport, _ page: inout HTMLPage) {
        page.openSection("enighed")
        guard let total = report.agreement else {
            page.element("p", "Runden har ikke gennemgange af de samme sager på to niveauer eller flere.")
            page.raw("</section>\n")
            return
        }
        let levels = report.agreementLevels.map(String.init)
        let levelText =
            levels.count == 2
            ? "\(levels[0]) og \(levels[1])"
            : levels.dropLast().joined(separator: ", ")
                + " og " + (levels.last ?? "")
        if total.hidden {
            page.element("p", "Niveau \(levelText): for få fælles besvarelser til at vise enigheden.")
        } else {
            page.element(
                "p",
                "Niveau \(levelText) er enige i \(ReportText.integer(total.agree)) af "
                    + "\(ReportText.integer(total.compared)) spørgsmål, som alle niveauer har besvaret i de samme "
                    + "sager, svarende til \(ReportText.percent(total.agree, total.compared)) (κ = "
                    + "\(ReportText.kappa(total.kappa))). Det højeste niveau ændrede Ja til Nej "
                    + "\(ReportText.integer(total.overruledYesToNo)) gange og Nej til Ja "
                    + "\(ReportText.integer(total.overruledNoToYes)) gange.", class: "lead")
        }
        page.figure(
            ReportCharts.bars(
                report.agreementByTheme.map {
                    .init(
                        label: $0.name, value: $0.hidden ? nil : $0.rate,
                        text: $0.hidden ? "–" : ReportText.percent($0.agree, $0.compared), caution: $0.caution)
                }, title: "Enighed pr. pejlemærke"),
            caption: "Enighed mellem niveau \(levelText) pr. pejlemærke")
        let rows = (report.agreementByTheme + [total]).map { line -> [String] in
            guard !line.hidden else { return [line.name, "–", "", "", "", "", "", ""] }
            return [
                line.name, ReportText.integer(line.compared), ReportText.counts(line.agree, line.compared),
                ReportText.percent(line.agree, line.compared), ReportText.kappa(line.kappa),
                ReportText.integer(line.overruledYesToNo), ReportText.integer(line.overruledNoToYes),
                line.caution ? Suppression.cautionText : "",
            ]
        }
        page.table(
            caption: "Enighed og omgørelser pr. pejlemærke",
            headers: ["Pejlemærke", "Sammenlignet", "Enige", "Enighed", "κ", "Ja → Nej", "Nej → Ja", "Note"],
            numeric: [1, 2, 3, 4, 5, 6], rows: rows, totalRow: true)
        if !report.mostOverruled.isEmpty {
            page.element("h3", "Hvor det højeste niveau oftest omgør")
            page.table(
                caption: "Spørgsmål med flest omgørelser",
                headers: ["Nr.", "Spørgsmål", "Sammenlignet", "Enighed", "Ja → Nej", "Nej → Ja"],
                numeric: [2, 3, 4, 5],
                rows: report.mostOverruled.map {
                    [
                        $0.id, $0.name, ReportText.integer($0.compared), ReportText.percent($0.agree, $0.compared),
                        ReportText.integer($0.overruledYesToNo), ReportText.integer($0.overruledNoToYes),
                    ]
                })
        }
        page.section(report.agreementTables)
        page.element(
            "p",
            "Ja → Nej: det højeste niveau svarede Nej, hvor det laveste svarede Ja (underkendt); Nej → Ja: "
                + "omvendt. κ er Cohens kappa for to niveauer og Fleiss' kappa for flere.", class: "small")
        page.raw("</section>\n")
    }

    private static func lowest(_ report: AuditReport, _ page: inout HTMLPage) {
        page.openSection("lavest")
        page.element(
            "p",
            "De \(report.lowest.count) Ja/Nej-spørgsmål med lavest lovoverholdelse i runde \(report.round)"
                + (report.external ? " (kun spørgsmål med mindst 5 besvarelser)." : "."))
        page.table(
            caption: "Spørgsmål med lavest overholdelse",
            headers: ["Nr.", "Spørgsmål", "Sagsskridt", "Ja/N", "Lovoverholdelse", "Note"], numeric: [3, 4],
            rows: report.lowest.map {
                [
                    $0.id, $0.text, $0.step, ReportText.counts($0.yes, $0.n), ReportText.percent($0.yes, $0.n),
                    $0.caution ? Suppression.cautionText : "",
                ]
            })
        if !report.remarks.isEmpty {
            page.element("h3", "Bemærkninger til Nej-svar (kun intern udgave)")
            page.table(
                caption: "Eksempler på bemærkninger til de laveste spørgsmål",
                headers: ["Nr.", "Sag", "Niveau", "Enhed", "Bemærkning"], numeric: [],
                rows: report.remarks.map { [$0.question, $0.caseNumber, String($0.level), $0.unit, $0.text] })
        }
        page.raw("</section>\n")
    }

    private static func degree(_ report: AuditReport, _ page: inout HTMLPage) {
        page.openSection("socialfaglig-kvalitet")
        guard !report.degree.isEmpty else {
            page.element("p", "Runden har ingen gradsspørgsmål.")
            page.raw("</section>\n")
            return
        }
        page.element(
            "p",
            "Gradsspørgsmålene vurderer den socialfaglige kvalitet som lav, nogen eller høj grad. Søjlerne viser "
                + "fordelingen; tallet er andelen i høj eller nogen grad.")
        page.figure(
            ReportCharts.stacked(
                report.degree.filter { !$0.hidden }.map {
                    (
                        label: "\($0.id) \($0.name)", low: $0.low, some: $0.some, high: $0.high,
                        text: ReportText.percent($0.high + $0.some, $0.n)
                    )
                }, title: "Socialfaglig kvalitet"),
            caption: "Fordeling på lav, nogen og høj grad pr. gradsspørgsmål")
        page.table(
            caption: "Gradsspørgsmål, runde \(report.round)",
            headers: ["Nr.", "Spørgsmål", "Lav", "Nogen", "Høj", "N", "Høj eller nogen grad", "Note"],
            numeric: [2, 3, 4, 5, 6],
            rows: report.degree.map {
                guard !$0.hidden else { return [$0.id, $0.name, "–", "", "", "", "", ""] }
                return [
                    $0.id, $0.name, ReportText.integer($0.low), ReportText.integer($0.some),
                    ReportText.integer($0.high), ReportText.integer($0.n), ReportText.percent($0.high + $0.some, $0.n),
                    $0.caution ? Suppression.cautionText : "",
                ]
            })
        page.section(report.degreeHistory)
        page.raw("</section>\n")
    }

    private static func notes(_ report: AuditReport, _ page: inout HTMLPage) {
        page.openSection("noter")
        page.raw("<ul class=\"notes\">\n")
        for note in ReportNotes.all(report) { page.element("li", note) }
        page.raw("</ul>\n</section>\n")
    }

    // MARK: - Pieces

    /// A breakdown at the report's level: bars, then a table with the other levels in columns beside it (their
    /// own figures, never added to it).
    private static func lineBlock(
        _ lines: [AuditReport.Line], header: String, title: String, total: AuditReport.Line?, _ report: AuditReport,
        _ page: inout HTMLPage
    ) {
        let title = "\(title), niveau \(report.level)"
        page.figure(
            ReportCharts.bars(
                lines.map {
                    .init(label: $0.name, value: $0.hidden ? nil : $0.rate, text: value($0), caution: $0.caution)
                }, title: title), caption: title)
        let others = report.otherLevels.map { "Niveau \($0)" }
        page.table(
            caption: title,
            headers: [header, "Ja/N", "Lovoverholdelse"] + others + ["Note"],
            numeric: Set(1...(2 + others.count)),
            rows: lines.map { line in
                [line.name] + figures(line) + line.others.map(otherLevel) + [note(line)]
            } + (total.map { [[$0.name] + figures($0) + others.map { _ in "" } + [note($0)]] } ?? []),
            totalRow: total != nil)
    }

    /// Another level's figure beside the report's level: `73,3 % (11/15)`, `–` when suppressed or empty.
    private static func otherLevel(_ line: AuditReport.Line) -> String {
        line.hidden || line.n == 0 ? "–" : "\(ReportText.percent(line.yes, line.n)) (\(ReportText.counts(line.yes, line.n)))"
    }

    private static func card(_ page: inout HTMLPage, _ label: String, _ value: String, _ detail: String) {
        page.raw("<div class=\"card\">")
        page.element("div", label, class: "label")
        page.element("div", value, class: "value")
        page.element("div", detail, class: "detail")
        page.raw("</div>\n")
    }

    private static func value(_ line: AuditReport.Line) -> String {
        line.hidden ? "–" : ReportText.percent(line.yes, line.n)
    }

    private static func detail(_ line: AuditReport.Line) -> String {
        line.hidden ? "" : ReportText.counts(line.yes, line.n) + " Ja af besvarede"
    }

    private static func figures(_ line: AuditReport.Line) -> [String] {
        line.hidden ? ["–", ""] : [ReportText.counts(line.yes, line.n), ReportText.percent(line.yes, line.n)]
    }

    private static func note(_ line: AuditReport.Line) -> String { line.caution ? Suppression.cautionText : "" }

    /// The change since the baseline per pejlemærke or sagsskridt: paired bars and their table.
    private static func trendBreakdown(
        _ lines: [AuditReport.TrendLine], of kind: String, name: String, plural: String, _ report: AuditReport,
        _ page: inout HTMLPage
    ) {
        page.element("h3", "Pr. \(kind)")
        page.figure(
            ReportCharts.pairs(
                lines.map { line in
                    (
                        label: line.name, baseline: line.hidden ? nil : line.baselineRate,
                        round: line.hidden ? nil : line.rate,
                        text: line.hidden ? "–" : ReportText.points(line.changePoints)
                    )
                }, title: "Udvikling pr. \(kind)", baselineName: report.baseline, roundName: report.round),
            caption: "\(plural): baseline \(report.baseline) (grå) og \(report.round) (blå)")
        page.table(
            caption: "Udvikling pr. \(kind), \(report.baseline) → \(report.round)",
            headers: [name, "Ja/N", report.round, "Baseline Ja/N", report.baseline, "Ændring"],
            numeric: [1, 2, 3, 4, 5],
            rows: lines.map { trendCells($0, first: $0.name, baseline: report.baseline) })
    }

    private static func trendCells(_ line: AuditReport.TrendLine, first: String, baseline: String) -> [String] {
        guard !line.hidden else { return [first, "–", "", "", "", ""] }
        return [
            first, ReportText.counts(line.yes, line.n), ReportText.percent(line.yes, line.n),
            ReportText.counts(line.baselineYes, line.baselineN), ReportText.percent(line.baselineYes, line.baselineN),
            line.round == baseline ? "basis" : ReportText.points(line.changePoints),
        ]
    }

    /// Which level the figures are for: `Tallene er for niveau 2, tilsynets statistiske baseline`.
    static func levelText(_ report: AuditReport) -> String {
        "Tallene er for niveau \(report.level)"
            + (report.level == report.baselineLevel ? ", tilsynets statistiske baseline" : "")
    }
}
