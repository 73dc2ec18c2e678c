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
        if let folded = foldLatin1(text) { return folded }
        return foldCharacters(text)
    }

    /// ``fold(_:)`` on the UTF-8 bytes of a text of ASCII and the Latin-1 letters and signs (U+00A0–U+00FF: æ, ø,
    /// å, é, §, …), which is nearly every answer and measure typed: the same result as ``foldCharacters(_:)``
    /// without grapheme breaking and case tables. Nil for any other text. In that range every character is one
    /// scalar (none combines with its neighbour; `\r\n` is white space either way), the white space is U+0009–U+000D,
    /// U+0020 and U+00A0, and lower case maps only A–Z and U+00C0–U+00DE but × (U+00D7), each by adding 0x20.
    static func foldLatin1(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            // Only ASCII and the two-byte sequences of U+00A0–U+00FF; anything else is left to the Character path.
            var at = 0
            while at < bytes.count {
                let byte = bytes[at]
                if byte < 0x80 {
                    at += 1
                    continue
                }
                guard at + 1 < bytes.count, byte == 0xC2 || byte == 0xC3, (0x80...0xBF).contains(bytes[at + 1]),
                    byte == 0xC3 || bytes[at + 1] >= 0xA0
                else { return nil }
                at += 2
            }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                var count = 0
                var pendingSpace = false
                var at = 0
                while at < bytes.count {
                    var byte = bytes[at]
                    var second: UInt8?
                    if byte < 0x80 {
                        at += 1
                        if byte == 0x20 || (0x09...0x0D).contains(byte) {
                            pendingSpace = count > 0
                            continue
                        }
                        if droppedASCII(byte) { continue }
                        if (0x41...0x5A).contains(byte) { byte |= 0x20 }
                    } else {
                        let next = bytes[at + 1]
                        at += 2
                        if byte == 0xC2, next == 0xA0 {
                            pendingSpace = count > 0
                            continue
                        }
                        second = byte == 0xC3 && next <= 0x9E && next != 0x97 ? next + 0x20 : next
                    }
                    if pendingSpace {
                        out[count] = UInt8(ascii: " ")
                        count += 1
                        pendingSpace = false
                    }
                    out[count] = byte
                    count += 1
                    if let second {
                        out[count] = second
                        count += 1
                    }
                }
                return count
            }
        }
    }

    /// Whether `byte` is one of the ASCII characters folding drops.
    private static func droppedASCII(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "!"),
            UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "*"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "/"):
            true
        default: false
        }
    }

    /// ``fold(_:)`` character by character: the definition, for any text.
    static func foldCharacters(_ text: String) -> String {
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
