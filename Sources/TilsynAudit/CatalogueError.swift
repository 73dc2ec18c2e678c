/// An error in a catalogue, a template or a case list, naming the file and the question or row it concerns.
public struct CatalogueError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for callers that react to particular errors.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name (`unreadable`).
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file cannot be read.
        public static let unreadable = Code("unreadable")
        /// The JSON is malformed or a field has the wrong type.
        public static let invalidJSON = Code("invalidJSON")
        /// Two questions, steps, themes or scales share an id.
        public static let duplicateId = Code("duplicateId")
        /// A question names a step the catalogue does not have.
        public static let unknownStep = Code("unknownStep")
        /// A question names a theme the catalogue does not have.
        public static let unknownTheme = Code("unknownTheme")
        /// A question names a scale the catalogue does not have.
        public static let unknownScale = Code("unknownScale")
        /// A required text (question text, title, …) is empty.
        public static let emptyText = Code("emptyText")
        /// `appliesTo` is empty or names something other than § 30, 32, 46 or 47.
        public static let invalidAppliesTo = Code("invalidAppliesTo")
        /// Any other invalid value (an id with forbidden characters, an unknown answer, …).
        public static let invalidValue = Code("invalidValue")
        /// No catalogue with the requested id.
        public static let notFound = Code("notFound")
        /// A workbook is not a Tilsyn template or catalogue sheet, or lacks a required part.
        public static let notATemplate = Code("notATemplate")
        /// A case list is malformed.
        public static let invalidCaseList = Code("invalidCaseList")
    }

    /// What kind of error it is.
    public var code: Code
    /// What is wrong and how to fix it.
    public var message: String
    /// The file, when known.
    public var file: String?
    /// The question id, when the error concerns one question.
    public var question: String?
    /// Where in a workbook or CSV file (`Spørgsmål!B7`, `line 4`), when known.
    public var location: String?

    /// An error of kind `code`.
    public init(_ code: Code, _ message: String, file: String? = nil, question: String? = nil, location: String? = nil)
    {
        self.code = code
        self.message = message
        self.file = file
        self.question = question
        self.location = location
    }

    /// One line for the command line: `<file>: <location>: question <id>: <message>`.
    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let location { parts.append(location) }
        if let question { parts.append("question \(question)") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    /// A copy with the file set, unless one is set already.
    public func inFile(_ file: String) -> CatalogueError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }
}
