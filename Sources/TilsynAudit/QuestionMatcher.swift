/// Finds a catalogue question from what a foreign sheet or CSV file writes: its id, or failing that its text.
///
/// Texts are compared by token Jaccard similarity (the share of distinct words two texts have in common, after
/// lower-casing and splitting on anything but letters and digits). The best question is taken when its similarity is
/// at least `threshold` and at least `margin` above the runner-up; otherwise the row is ambiguous or unmatched, and
/// nothing is guessed.
public struct QuestionMatcher: Sendable {
    /// The outcome of matching one text.
    public enum Match: Sendable, Equatable {
        /// The question id and the similarity (1 for an id).
        case matched(String, Double)
        /// Two or more questions are about equally similar; their ids, best first.
        case ambiguous([String])
        /// No question is similar enough.
        case none
    }

    /// The least similarity (0–1) a question text must reach to match.
    public let threshold: Double
    /// How far ahead of the next the best match must be; closer is ambiguous.
    public let margin: Double
    /// The id of the catalogue matched against.
    public let catalogueID: String
    private let ids: [String: String]
    private let questions: [(id: String, tokens: Set<String>)]

    /// A matcher of texts against `catalogue`'s questions.
    public init(catalogue: Catalogue, threshold: Double = 0.5, margin: Double = 0.1) {
        self.threshold = threshold
        self.margin = margin
        catalogueID = catalogue.id
        var ids: [String: String] = [:]
        for question in catalogue.allQuestions { ids[QuestionMatcher.foldID(question.id)] = question.id }
        self.ids = ids
        questions = catalogue.allQuestions.map { ($0.id, QuestionMatcher.tokens($0.text)) }
    }

    /// The words of a text: lower-cased runs of letters and digits.
    public static func tokens(_ text: String) -> Set<String> {
        var result: Set<String> = []
        var word = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                result.insert(word)
                word = ""
            }
        }
        if !word.isEmpty { result.insert(word) }
        return result
    }

    /// Jaccard similarity of two token sets, 0 when both are empty.
    public static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }

    /// An id folded for comparison: upper case, `_` and `-` as `.`, no spaces, no trailing `.`.
    static func foldID(_ text: String) -> String {
        var result = ""
        for character in text.uppercased() where !character.isWhitespace {
            result.append(character == "_" || character == "-" ? "." : character)
        }
        while result.hasSuffix(".") { result.removeLast() }
        return result
    }

    /// Whether a text is shaped like a question id (`B.2`, `TN.1`, `b_2`), known or not.
    public static func looksLikeID(_ text: String) -> Bool {
        let folded = foldID(text)
        let parts = folded.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let letters = parts.first, let digits = parts.last else { return false }
        return (1...3).contains(letters.count) && letters.allSatisfy { $0.isASCII && $0.isLetter }
            && (1...3).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The catalogue id for an id as written (`b_2` → `B.2`), nil when the catalogue has none.
    public func id(_ text: String) -> String? { ids[QuestionMatcher.foldID(text)] }

    /// The id a text starts with (`B.2 Er der …`, `B.2. Er der …`, `B.2: …`), when the catalogue has it.
    public func leadingID(_ text: String) -> String? {
        let head = text.prefix { !$0.isWhitespace && $0 != ":" && $0 != ")" }
        return head.isEmpty ? nil : id(String(head))
    }

    /// Matches a question text (or an id) against the catalogue.
    public func match(_ text: String) -> Match {
        if let id = id(text) ?? leadingID(text) { return .matched(id, 1) }
        let tokens = QuestionMatcher.tokens(text)
        guard !tokens.isEmpty else { return .none }
        var scored = questions.map { ($0.id, QuestionMatcher.jaccard(tokens, $0.tokens)) }
        scored.sort { $0.1 > $1.1 }
        guard let best = scored.first, best.1 >= threshold else { return .none }
        if scored.count > 1, scored[1].1 > best.1 - margin {
            return .ambiguous(scored.prefix { $0.1 > best.1 - margin }.map(\.0))
        }
        return .matched(best.0, best.1)
    }
}
