internal import TilsynSheets

extension Catalogue {
    /// Every problem in the catalogue, in file order; empty when it is valid.
    ///
    /// Checks: ids present, well-formed and unique (questions across `questions` and the temanedslag); each
    /// question's step, themes and scale defined; texts not empty; `appliesTo` a non-empty subset of § 30, 32, 46
    /// and 47; `remarkRequiredOn` answers of the question's scale; scales usable as Excel drop-downs; a temanedslag
    /// of 2 to 4 questions; `replaces` names earlier ids that are no longer questions, each replaced by one question.
    public func problems(file: String? = nil) -> [CatalogueError] {
        var found: [CatalogueError] = []
        func fail(_ code: CatalogueError.Code, _ message: String, question: String? = nil) {
            found.append(CatalogueError(code, message, file: file, question: question))
        }
        if !Self.isCatalogueID(id) {
            fail(.invalidValue, "the catalogue id '\(id)' must be lower-case letters, digits and hyphens")
        }
        if version.trimmed.isEmpty { fail(.emptyText, "the version is empty") }
        if title.trimmed.isEmpty { fail(.emptyText, "the title is empty") }
        if scales.isEmpty { fail(.invalidValue, "the catalogue defines no answer scales") }
        if steps.isEmpty { fail(.invalidValue, "the catalogue defines no sagsskridt (steps)") }
        if let baselineLevel, !(1...4).contains(baselineLevel) {
            fail(.invalidValue, "baselineLevel is \(baselineLevel); levels are 1 to 4")
        }

        var scaleIDs: Set<String> = []
        for scale in scales {
            if scale.id.trimmed.isEmpty { fail(.emptyText, "a scale has an empty id") }
            if !scaleIDs.insert(scale.id).inserted { fail(.duplicateId, "the scale id '\(scale.id)' is used twice") }
            if scale.answers.isEmpty { fail(.invalidValue, "the scale '\(scale.id)' has no answers") }
            if Set(scale.answers).count != scale.answers.count {
                fail(.duplicateId, "the scale '\(scale.id)' lists an answer twice")
            }
            if scale.answers.contains(where: { $0.trimmed.isEmpty || $0.contains(",") || $0.contains("\"") }) {
                fail(.invalidValue, "the scale '\(scale.id)' has an empty answer or one with a comma or quote")
            }
            if scale.answers.joined(separator: ",").utf16.count > 255 {
                fail(.invalidValue, "the answers of scale '\(scale.id)' are longer than Excel's 255-character list")
            }
            if let notApplicable = scale.notApplicable, !scale.answers.contains(notApplicable) {
                fail(.invalidValue, "the scale '\(scale.id)' names '\(notApplicable)' as not applicable, "
                    + "which is not one of its answers")
            }
        }
        for (kind, items) in [("step", steps.map { ($0.id, $0.name) }), ("theme", themes.map { ($0.id, $0.name) })] {
            var seen: Set<String> = []
            for (itemID, name) in items {
                if !Self.isQuestionID(itemID) {
                    fail(.invalidValue, "the \(kind) id '\(itemID)' must be letters and digits")
                }
                if !seen.insert(itemID).inserted { fail(.duplicateId, "the \(kind) id '\(itemID)' is used twice") }
                if name.trimmed.isEmpty { fail(.emptyText, "the \(kind) '\(itemID)' has no name") }
            }
        }

        let stepIDs = Set(steps.map(\.id))
        let themeIDs = Set(themes.map(\.id))
        for step in templateSteps ?? [] where !stepIDs.contains(step) {
            fail(.unknownStep, "templateSteps names '\(step)'; the steps are " + steps.map(\.id).joined(separator: ", "))
        }
        var questionIDs: Set<String> = []
        for question in allQuestions {
            let qid = question.id
            if !Self.isQuestionID(qid) {
                fail(.invalidValue, "the id must be letters and digits in parts separated by '.', such as B.2",
                     question: qid.isEmpty ? "(no id)" : qid)
            }
            if !questionIDs.insert(qid).inserted { fail(.duplicateId, "the id is used by two questions", question: qid) }
            if !stepIDs.contains(question.step) {
                fail(.unknownStep, "unknown step '\(question.step)'; the steps are "
                    + steps.map(\.id).joined(separator: ", "), question: qid)
            }
            for theme in question.themes where !themeIDs.contains(theme) {
                fail(.unknownTheme, "unknown theme '\(theme)'; the themes are "
                    + themes.map(\.id).joined(separator: ", "), question: qid)
            }
            if question.text.trimmed.isEmpty { fail(.emptyText, "the question text is empty", question: qid) }
            if let low = question.minimumAge, let high = question.maximumAge, low > high {
                fail(.invalidValue, "minimumAge \(low) is above maximumAge \(high)", question: qid)
            }
            if let scale = scale(question.type) {
                for answer in question.remarkRequiredOn where !scale.answers.contains(answer) {
                    fail(.invalidValue, "remarkRequiredOn names '\(answer)', which is not an answer of scale "
                        + "'\(scale.id)'", question: qid)
                }
            } else {
                fail(.unknownScale, "unknown answer scale '\(question.type)'; the scales are "
                    + scales.map(\.id).joined(separator: ", "), question: qid)
            }
            if question.appliesTo.isEmpty {
                fail(.invalidAppliesTo, "appliesTo is empty; list the indsatser among 30, 32, 46 and 47", question: qid)
            } else if let bad = question.appliesTo.first(where: { Indsats(rawValue: $0) == nil }) {
                fail(.invalidAppliesTo, "appliesTo names § \(bad); only 30, 32, 46 and 47 are indsatser", question: qid)
            } else if Set(question.appliesTo).count != question.appliesTo.count {
                fail(.invalidAppliesTo, "appliesTo lists an indsats twice", question: qid)
            }
            if question.legal.contains(where: { $0.trimmed.isEmpty }) {
                fail(.emptyText, "a legal reference is empty", question: qid)
            }
        }
        // Renamed questions: each earlier id is well-formed, no longer a question here, and replaced only once.
        var replaced: Set<String> = []
        for question in allQuestions {
            for previous in question.replaces {
                if !Self.isQuestionID(previous) {
                    fail(.invalidValue, "replaces names '\(previous)', which is not a question id such as B.2",
                         question: question.id)
                } else if questionIDs.contains(previous) {
                    fail(.invalidValue, "replaces names '\(previous)', which is still a question of the catalogue",
                         question: question.id)
                } else if !replaced.insert(previous).inserted {
                    fail(.duplicateId, "replaces names '\(previous)', which another question replaces too",
                         question: question.id)
                }
            }
        }
        if let temanedslag {
            if !(2...4).contains(temanedslag.questions.count) {
                fail(.invalidValue, "the temanedslag has \(temanedslag.questions.count) questions; give 2 to 4")
            }
            if temanedslag.round.trimmed.isEmpty { fail(.emptyText, "the temanedslag has no round") }
        }
        return found
    }

    /// Throws the first problem `problems(file:)` finds.
    public func validate(file: String? = nil) throws {
        if let first = problems(file: file).first { throw first }
    }

    /// Whether `text` is a valid catalogue id: `[a-z0-9][a-z0-9-]*`.
    public static func isCatalogueID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isLowerAlnum else { return false }
        return text.unicodeScalars.allSatisfy { $0.isLowerAlnum || $0 == "-" }
    }

    /// Whether `text` is a valid question, step or theme id: ASCII letters and digits in `.`-separated parts.
    public static func isQuestionID(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty && parts.allSatisfy { part in
            !part.isEmpty && part.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic || $0.isDigit }
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isLowerAlnum: Bool { ("a"..."z").contains(self) || isDigit }
}
