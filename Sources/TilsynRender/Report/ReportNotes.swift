internal import TilsynAnalysis

/// The report's footnotes and method note, shared by the HTML page and the workbook.
enum ReportNotes {
    static func all(_ report: AuditReport) -> [String] {
        let caution: String =
            "Forsigtig fortolkning: grupper med færre end \(Suppression.cautionThreshold) sager er markeret "
            + "og vist med lysere søjler."
        var notes: [String] = [
            "Lovoverholdelse = Ja / (Ja + Nej). Ikke relevant, ubesvarede spørgsmål og spørgsmål, der ikke gælder "
                + "sagens indsats, indgår ikke i nævneren. Tallene vises som andel med antal: "
                + "\(ReportText.percent(441, 483)) (441/483).",
            "\(ReportHTML.levelText(report)). Niveauerne er forskellige målinger af de samme sager og lægges "
                + "aldrig sammen; de øvrige niveauer vises ved siden af. Tallene er tællinger af sager og svar i "
                + "runde \(report.round) på niveau \(report.level).",
            "Udviklingen sammenligner hver runde med baseline \(report.baseline) over de Ja/Nej-spørgsmål, der er "
                + "besvaret i begge runder, og kan derfor afvige fra rundens samlede lovoverholdelse.",
            "Enighed tæller kun spørgsmål, som alle sammenlignede niveauer har besvaret med Ja, Nej eller en grad "
                + "i den samme sag (ikke Ikke relevant).",
            caution,
        ]
        if report.external {
            notes.append(
                "Ekstern udgave: grupper, der bygger på færre end \(report.threshold) sager (børn), er undertrykt "
                    + "(–); når "
                    + "en total vises, er endnu en gruppe undertrykt, så det undertrykte tal ikke kan regnes ud. "
                    + "Bemærkninger og sagsnumre er udeladt.")
        } else {
            notes.append(
                "Intern udgave: bemærkningerne er gengivet, som gennemgangen skrev dem, med CPR-lignende numre "
                    + "maskeret (XXXXXX-XXXX). Rapporten må ikke forlade forvaltningen.")
        }
        if report.anySuppressed {
            notes.append(suppressionFootnote(threshold: report.threshold))
        }
        return notes + report.methodNotes
    }
}
