/// What an answer means for counting, whatever its wording: the six answers of the shipped scales.
public enum AnswerCode: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Ja.
    case yes = 1
    /// Nej.
    case no = 2
    /// Ikke relevant: leaves the compliance denominator.
    case notApplicable = 3
    /// Lav grad.
    case low = 4
    /// Nogen grad.
    case some = 5
    /// Høj grad.
    case high = 6

    /// The canonical Danish answer, as the scales in `Schemas/catalogues` spell it.
    public var canonical: String {
        switch self {
        case .yes: "Ja"
        case .no: "Nej"
        case .notApplicable: "Ikke relevant"
        case .low: "Lav grad"
        case .some: "Nogen grad"
        case .high: "Høj grad"
        }
    }

    /// The code of a canonical answer (`Ja` → `.yes`); nil for answers of other scales.
    public init?(canonical: String) {
        guard let code = AnswerCode.allCases.first(where: { $0.canonical == canonical }) else { return nil }
        self = code
    }

    public var description: String { canonical }
}

/// Normalises answers as reviewers type them (`"JA "`, `"j"`, `"i.r."`, `"I høj grad"`) to a scale's answers.
///
/// A text is folded (lower case, no punctuation `. , : ; ! ' " * ( ) [ ] - _ /`, runs of white space as one
/// space, no leading or trailing space) and looked up in a fixed table of forms. Only forms whose meaning is
/// certain are in the table: anything else, such as `"jaa"`, `"ja/nej"`, `"nej?"`, `"1"` or `"delvis"`, is
/// rejected, never guessed. A recognised answer that the question's scale lacks (`"høj"` on a Ja/Nej question) is
/// rejected as outside the scale.
///
/// | Answer | Accepted forms (after folding) |
/// |---|---|
/// | Ja | `ja`, `j`, `yes`, `y` |
/// | Nej | `nej`, `n`, `no` |
/// | Ikke relevant | `ikke relevant`, `ikkerelevant`, `ikke rel`, `ikke rele`, `ir`, `i r`, `na`, `not relevant`, |
/// |               | `not applicable` |
/// | Lav grad | `lav`, `lav grad`, `i lav grad`, `low` |
/// | Nogen grad | `nogen`, `nogen grad`, `i nogen grad`, `some` |
/// | Høj grad | `høj`, `høj grad`, `i høj grad`, `hoej`, `hoej grad`, `i hoej grad`, `high` |
///
/// Any other scale's own answers are accepted in their folded form too.
public enum AnswerVocabulary {
    /// The outcome of normalising one answer.
    public enum Result: Sendable, Equatable {
        /// The cell is empty: the question is unanswered.
        case blank
        /// A recognised answer of the scale: its canonical text and, for the shipped scales, its code.
        case answer(String, AnswerCode?)
        /// A recognised answer that the scale does not have (its canonical text).
        case outsideScale(String)
        /// Not a form the vocabulary knows: rejected.
        case unrecognised
    }

    /// The forms of the six canonical answers, folded.
    static let forms: [String: AnswerCode] = {
        var table: [String: AnswerCode] = [:]
        let entries: [(AnswerCode, [String])] = [
            (.yes, ["ja", "j", "yes", "y"]),
            (.no, ["nej", "n", "no"]),
            (.notApplicable, [
                "ikke relevant", "ikkerelevant", "ikke rel", "ikke rele", "ir", "i r", "na", "not relevant",
                "not applicable",
            ]),
            (.low, ["lav", "lav grad", "i lav grad", "low"]),
            (.some, ["nogen", "nogen grad", "i nogen grad", "some"]),
            (.high, ["høj", "høj grad", "i høj grad", "hoej", "hoej grad", "i hoej grad", "high"]),
        ]
        for (code, words) in entries { for word in words { table[word] = code } }
        return table
    }()

    /// Characters dropped when folding.
    private static let dropped: Set<Character> = [".", ",", ":", ";", "!", "'", "\"", "*", "(", ")", "[", "]", "-",
                                                  "_", "/"]

    /// The folded form of a text: lower case, punctuation dropped, white space collapsed and trimmed.
    public static func fold(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in text.lowercased() {
            if character.isWhitespace || character == "\u{A0}" {
                pendingSpace = !result.isEmpty
                continue
            }
            if dropped.contains(character) { continue }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(character)
        }
        return result
    }

    /// Normalises `text` against `scale`.
    public static func normalise(_ text: String?, scale: AnswerScale) -> Result {
        guard let text, !text.allSatisfy({ $0.isWhitespace || $0 == "\u{A0}" }) else { return .blank }
        let folded = fold(text)
        if let code = forms[folded] {
            let canonical = code.canonical
            return scale.answers.contains(canonical) ? .answer(canonical, code) : .outsideScale(canonical)
        }
        for answer in scale.answers where fold(answer) == folded {
            return .answer(answer, AnswerCode(canonical: answer))
        }
        return .unrecognised
    }
}
