/// Maps the ways reviewers and older systems name a measure to barnets lov, only where the mapping is certain.
///
/// Barnets lov (in force 1 January 2024) replaced the child-welfare parts of serviceloven (SEL). Accepted:
///
/// | Written | Indsats | Certain |
/// |---|---|---|
/// | `30`, `§ 30`, `barnets lov § 30`, `BL § 30`, `Tidligt forebyggende indsats`, `Forebyggende indsats` | § 30 | yes |
/// | `32`, `§ 32`, `Støttende indsats`, `§ 32 støttende indsats` (what templates write) | § 32 | yes |
/// | `SEL § 52`, `serviceloven § 52`, `SEL § 52, stk. 3` with any `nr.` but 7 | § 32 | yes: SEL § 52's støttende |
/// |  |  | foranstaltninger are barnets lov § 32 |
/// | `SEL § 52, stk. 3, nr. 7` | § 46 | yes: anbringelse uden for hjemmet with consent |
/// | `46`, `§ 46`, `Anbringelse med samtykke`, `Frivillig anbringelse` | § 46 | yes |
/// | `47`, `§ 47`, `SEL § 58`, `Anbringelse uden samtykke`, `Tvangsanbringelse` | § 47 | yes |
/// | `SEL § 11` | — | no: it covers both rådgivning and forebyggende indsatser (§ 30 or none) |
/// | `SEL § 50` | — | no: a børnefaglig undersøgelse, not a measure |
/// | `SEL § 52 a` | — | no: økonomisk støtte, which barnets lov splits over several paragraphs |
/// | `Anbringelse` alone | — | no: with or without consent (§ 46 or § 47) |
///
/// A paragraph and a name that disagree (`§ 32 anbringelse uden samtykke`) are not certain either.
public enum IndsatsMapping {
    /// The outcome of mapping one text.
    public enum Result: Sendable, Equatable {
        /// The measure, certainly.
        case certain(Indsats)
        /// A known text whose measure is not certain; the Danish reason says what to write instead.
        case uncertain(String)
        /// Nothing recognised.
        case unknown
    }

    private static let names: [(String, Indsats)] = [
        ("tidligt forebyggende indsats", .forebyggende), ("forebyggende indsats", .forebyggende),
        ("forebyggende", .forebyggende), ("støttende indsats", .stottende), ("støttende", .stottende),
        ("anbringelse med samtykke", .anbringelseMedSamtykke), ("frivillig anbringelse", .anbringelseMedSamtykke),
        ("anbringelse uden samtykke", .anbringelseUdenSamtykke), ("tvangsanbringelse", .anbringelseUdenSamtykke),
        ("tvangsmæssig anbringelse", .anbringelseUdenSamtykke),
    ]

    /// The texts a template's drop-down list offers (`§ 32 støttende indsats`), mapped once: nearly every returned
    /// workbook names its measure so.
    private static let templateForms: [String: Result] = Dictionary(
        uniqueKeysWithValues: Indsats.allCases.map(TemplateWriter.indsatsText).map { ($0, mapText($0)) })

    /// Maps `text`.
    public static func map(_ text: String) -> Result {
        if let plain = Indsats(text: text) { return .certain(plain) }
        if let known = templateForms[text] { return known }
        return mapText(text)
    }

    /// Maps `text`, word by word.
    private static func mapText(_ text: String) -> Result {
        let folded = AnswerVocabulary.fold(text.replacingAll("§", with: " § ").replacingAll(".", with: " "))
        let words = folded.split(separator: " ").map(String.init)

        var law = "bl"
        var rest = words[...]
        if let first = rest.first {
            if first == "sel" || first.hasPrefix("servicelov") {
                law = "sel"
                rest = rest.dropFirst()
            } else if first == "bl" {
                rest = rest.dropFirst()
            } else if first == "barnets", rest.dropFirst().first == "lov" {
                rest = rest.dropFirst(2)
            }
        }
        if rest.first == "§" { rest = rest.dropFirst() }
        var paragraph: Int?
        var letter: String?
        if let first = rest.first {
            let digits = first.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, let number = Int(digits) {
                paragraph = number
                let suffix = first.dropFirst(digits.count)
                rest = rest.dropFirst()
                if !suffix.isEmpty {
                    letter = String(suffix)
                } else if let next = rest.first, next.count == 1, next.first?.isLetter == true {
                    letter = next
                    rest = rest.dropFirst()
                }
            }
        }
        let remainder = rest.joined(separator: " ")
        func number(after word: String) -> Int? {
            guard let index = rest.firstIndex(of: word), rest.index(after: index) < rest.endIndex else { return nil }
            return Int(rest[rest.index(after: index)])
        }
        let named = names.first { remainder == $0.0 || remainder.hasSuffix(" " + $0.0) || remainder.hasPrefix($0.0) }?.1

        guard let paragraph else {
            if let exact = names.first(where: { $0.0 == remainder }) { return .certain(exact.1) }
            if remainder == "anbringelse" || remainder == "anbringelse uden for hjemmet" {
                return .uncertain("»Anbringelse« kan være med eller uden samtykke: skriv § 46 eller § 47")
            }
            return .unknown
        }
        if law == "bl" {
            guard let indsats = Indsats(rawValue: paragraph), letter == nil else { return .unknown }
            if let named, named != indsats {
                return .uncertain("paragraffen og navnet på indsatsen passer ikke sammen: skriv kun paragraffen")
            }
            return .certain(indsats)
        }
        // Serviceloven.
        switch (paragraph, letter) {
        case (52, nil):
            if number(after: "stk") == 3, number(after: "nr") == 7 { return .certain(.anbringelseMedSamtykke) }
            return .certain(.stottende)
        case (58, nil):
            return .certain(.anbringelseUdenSamtykke)
        case (11, nil):
            return .uncertain("SEL § 11 dækker både rådgivning og forebyggende indsatser: skriv barnets lov § 30, "
                + "hvis det er en forebyggende indsats")
        case (50, nil):
            return .uncertain("SEL § 50 er en børnefaglig undersøgelse, ikke en indsats: skriv den indsats, der blev "
                + "besluttet (§ 30, 32, 46 eller 47)")
        case (52, "a"):
            return .uncertain("SEL § 52 a (økonomisk støtte) fordeler sig på flere paragraffer i barnets lov: skriv "
                + "paragraffen i barnets lov")
        default:
            return .unknown
        }
    }
}
