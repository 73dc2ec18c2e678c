/// The measure decided in a case, by its paragraph in barnets lov: § 30, § 32, § 46 or § 47.
public enum Indsats: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// § 30: tidligt forebyggende indsats.
    case forebyggende = 30
    /// § 32: støttende indsats.
    case stottende = 32
    /// § 46: anbringelse med samtykke.
    case anbringelseMedSamtykke = 46
    /// § 47: anbringelse uden samtykke.
    case anbringelseUdenSamtykke = 47

    /// The paragraphs of all indsatser, `[30, 32, 46, 47]`.
    public static let allParagraphs = allCases.map(\.rawValue)

    /// The paragraph number.
    public var paragraph: Int { rawValue }

    /// The paragraph as Danish text shows it: `§ 32`.
    public var description: String { "§ \(rawValue)" }

    /// The Danish name of the measure.
    public var danishName: String {
        switch self {
        case .forebyggende: "Forebyggende indsats"
        case .stottende: "Støttende indsats"
        case .anbringelseMedSamtykke: "Anbringelse med samtykke"
        case .anbringelseUdenSamtykke: "Anbringelse uden samtykke"
        }
    }

    /// Reads `32`, `§ 32`, `§32` or `§ 32.` (surrounding spaces ignored); nil for anything else.
    public init?(text: some StringProtocol) {
        var rest = Substring(text).drop { $0 == " " || $0 == "\u{A0}" }
        if rest.first == "§" { rest = rest.dropFirst().drop { $0 == " " || $0 == "\u{A0}" } }
        while let last = rest.last, last == " " || last == "." || last == "\u{A0}" { rest = rest.dropLast() }
        guard let number = Int(rest), let indsats = Indsats(rawValue: number) else { return nil }
        self = indsats
    }

    public static func < (a: Indsats, b: Indsats) -> Bool { a.rawValue < b.rawValue }
}
