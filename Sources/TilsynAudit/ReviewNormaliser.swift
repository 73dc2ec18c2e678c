internal import TilsynSheets

/// Turns raw reviews into normalised ones, applying the validation rules to each.
extension ReadContext {
    /// Metadata that must be present: the file is rejected without it.
    static let requiredMetadata = ["Sagsnummer", "Niveau", "Runde", "Enhed", "Indsats"]

    /// The Danish label of a metadata key, as templates show it.
    static func label(_ key: String) -> String {
        TemplateWriter.metadataLabels.first { $0.key == key }?.label ?? key
    }

    /// What `text` says on `scale` of `catalogue`: `AnswerVocabulary.normalise` of it without invisible characters,
    /// remembered per file, as a file repeats a handful of answers thousands of times.
    mutating func answerForm(_ text: String?, catalogue: String, scale: AnswerScale) -> AnswerVocabulary.Result {
        let key = TextKey(catalogue: catalogue, scale: scale.id, text: text)
        if let known = answerForms.value(for: key) { return known }
        let result = AnswerVocabulary.normalise(text.map(ReadContext.withoutInvisibles), scale: scale)
        answerForms.remember(result, for: key)
        return result
    }

    /// The review, or nil when its metadata makes it unusable (findings say why).
    mutating func normalise(_ raw: RawReview) -> Review? {
        let redact = options.redactCPR
        func value(_ key: String) -> SourceText? {
            guard var text = raw.metadata[key] else { return nil }
            if redact, let original = text.text { text.text = CPRDetector.redact(original) }
            return text
        }
        func fallback(_ key: String) -> Provenance { raw.metadata[key]?.at ?? raw.at }
        var usable = true

        for key in raw.metadata.keys.sorted() {
            guard let text = raw.metadata[key], let problem = text.problem else { continue }
            usable = false
            reportCell(problem, at: text.at, what: ReadContext.label(key))
        }

        for key in ReadContext.requiredMetadata where value(key)?.text == nil && value(key)?.problem == nil {
            if key == "Runde", options.round != nil { continue }
            usable = false
            add(at: fallback(key), severity: .error, rule: .missingMetadata,
                message: "\(ReadContext.label(key)) mangler.",
                suggestion: "Udfyld \(ReadContext.label(key).lowercased()), og send filen igen.")
        }
        for key in ["Reviewer", "Dato"] where value(key)?.text == nil && value(key)?.problem == nil {
            add(at: fallback(key), severity: .warning, rule: .missingMetadata,
                message: "\(ReadContext.label(key)) er ikke udfyldt.",
                suggestion: "Udfyld \(ReadContext.label(key).lowercased()) næste gang.")
        }

        let caseNumber = raw.metadata["Sagsnummer"]?.text ?? ""
        if CPRDetector.containsCPR(caseNumber) {
            usable = false
            add(at: fallback("Sagsnummer"), severity: .error, rule: .cprNumber,
                message: "Sagsnummeret ligner et CPR-nummer. En sag må aldrig identificeres ved CPR-nummer.",
                suggestion: "Skriv sagsnummeret eller pseudonymet fra sagslisten.")
        }

        var level = 0
        if let text = value("Niveau")?.text {
            if let parsed = ReadContext.parseLevel(text) {
                level = parsed
            } else {
                usable = false
                add(at: fallback("Niveau"), severity: .error, rule: .invalidMetadata,
                    message: "Niveau \(quote(text)) er ikke et niveau fra 1 til 4.", suggestion: "Skriv 1 eller 2.")
            }
        }

        var round = value("Runde")?.text ?? options.round ?? ""
        if let given = options.round, let text = value("Runde")?.text, text != given {
            usable = false
            add(at: fallback("Runde"), severity: .error, rule: .roundConflict,
                message: "Filen er fra runde \(quote(text)), men indlæsningen gælder runde \(quote(given)).",
                suggestion: "Ret runden i filen, eller indlæs filen sammen med filerne fra dens egen runde.")
        }
        round = round.trimmed

        // The kommune is part of the case's identity (case numbers repeat across municipalities): the file's, else
        // the one the import names; never both when they differ.
        let kommune = value("Kommune")?.text ?? options.kommune
        if let given = options.kommune, let text = value("Kommune")?.text, text != given {
            usable = false
            add(at: fallback("Kommune"), severity: .error, rule: .kommuneConflict,
                message: "Filen er fra kommunen \(quote(text)), men indlæsningen gælder kommunen \(quote(given)).",
                suggestion: "Ret kommunen i filen, eller indlæs filen sammen med filerne fra dens egen kommune.")
        }

        var measure: Indsats?
        if let text = value("Indsats")?.text {
            switch IndsatsMapping.map(text) {
            case .certain(let indsats):
                measure = indsats
            case .uncertain(let reason):
                usable = false
                add(at: fallback("Indsats"), severity: .error, rule: .invalidMetadata,
                    message: "Indsatsen kan ikke oversættes sikkert til barnets lov: \(reason).",
                    suggestion: "Skriv paragraffen i barnets lov: § 30, § 32, § 46 eller § 47.")
            case .unknown:
                usable = false
                add(at: fallback("Indsats"), severity: .error, rule: .invalidMetadata,
                    message: "Indsatsen \(quote(text)) er ikke en kendt indsats.",
                    suggestion: "Skriv paragraffen i barnets lov: § 30, § 32, § 46 eller § 47.")
            }
        }

        // A date that cannot be read is a warning: the review is stored without it.
        func date(_ key: String, of what: String, example: String) -> String? {
            guard let text = value(key)?.text else { return nil }
            if let date = AuditDate.parse(text, date1904: date1904) { return date }
            add(at: fallback(key), severity: .warning, rule: .invalidMetadata,
                message: "Datoen for \(what) kan ikke læses og gemmes ikke.",
                suggestion: "Skriv datoen som dd-mm-åååå, fx \(example).")
            return nil
        }
        let reviewDate = date("Dato", of: "gennemgangen", example: "14-03-2025")
        let udgangspunktDate = date("UdgangspunktDato", of: "udgangspunktet", example: "02-11-2024")
        var age: Int?
        if let text = value("Alder")?.text {
            if let years = Int(text), (0...30).contains(years) {
                age = years
            } else {
                add(at: fallback("Alder"), severity: .warning, rule: .invalidMetadata,
                    message: "Barnets alder \(quote(text)) er ikke et helt antal år.",
                    suggestion: "Skriv alderen i hele år, fx 12.")
            }
        }

        guard let catalogue = catalogues[raw.catalogueID] else {
            add(at: raw.at, severity: .error, rule: .unknownCatalogue,
                message: "Spørgsmålskataloget \(quote(raw.catalogueID)) findes ikke.",
                suggestion: "Brug en skabelon lavet med et af katalogerne: "
                    + catalogues.byID.keys.sorted().joined(separator: ", ") + ".")
            return nil
        }
        if let version = raw.catalogueVersion, !version.isEmpty, version != catalogue.version,
            !ReadContext.isEarlierVersion(version, than: catalogue.version)
        {
            usable = false
            add(at: raw.metadata["Version"]?.at ?? raw.at, severity: .error, rule: .unknownCatalogue,
                message: "Version \(quote(version)) af kataloget \(catalogue.id) findes ikke; den gældende version er "
                    + "\(catalogue.version).",
                suggestion: "Ret versionen til \(catalogue.version), eller brug en ny skabelon fra tilsynet.")
        } else if let version = raw.catalogueVersion, !version.isEmpty, version != catalogue.version {
            add(at: raw.at, severity: .warning, rule: .unknownCatalogue,
                message: "Skabelonen er lavet med version \(version) af kataloget \(catalogue.id); den gældende "
                    + "version er \(catalogue.version).",
                suggestion: "Brug en ny skabelon ved næste runde.")
        }
        for id in raw.missing {
            add(at: Provenance(sheet: raw.sheet, cell: ""), severity: .warning, rule: .questionMissing,
                message: "Spørgsmål \(id) findes ikke længere i arket.",
                suggestion: "Slet ikke rækker i skabelonen; brug en ny skabelon, hvis rækken er slettet.")
        }

        var answers: [Answer] = []
        answers.reserveCapacity(raw.answers.count)
        let positions = catalogues.positions[catalogue.id] ?? [:]
        let list = catalogues.questionLists[catalogue.id] ?? []
        // Where each question was answered, by its place in `allQuestions` (the catalogue's own questions first).
        var seen = [Provenance?](
            repeating: nil, count: catalogue.questions.count + (catalogue.temanedslag?.questions.count ?? 0))
        // Answers mostly come in the catalogue's order: the question after the one found last is tried first, by
        // equality, before the id is hashed (where the catalogue's ids are unique, one position each, so that both
        // find the same).
        let ordered = positions.count == list.count
        var previous = -1
        for rawAnswer in raw.answers {
            let id = rawAnswer.questionID
            let found: Int?
            if ordered, previous + 1 < list.count, list[previous + 1].id == id {
                found = previous + 1
            } else {
                found = positions[id]
            }
            guard let position = found else {
                if rawAnswer.answer.text != nil {
                    usable = false
                    add(at: rawAnswer.answer.at, severity: .error, rule: .unknownQuestion,
                        message: "Spørgsmål \(QuestionMatcher.looksLikeID(id) ? "»\(id)«" : quote(id)) findes "
                            + "ikke i kataloget \(catalogue.id).",
                        suggestion: "Ret spørgsmålets id til et id fra kataloget, eller slet svaret.")
                }
                continue
            }
            if let earlier = seen[position] {
                usable = false
                add(at: rawAnswer.answer.at, severity: .error, rule: .duplicateQuestion,
                    message: "Spørgsmål \(id) er besvaret to gange i samme gennemgang (også i \(earlier.cell)).",
                    suggestion: "Slet det ene svar.")
                continue
            }
            seen[position] = rawAnswer.answer.at
            previous = position
            // The question is read in place (`list[position]`), not copied: this runs for every answer.
            let applies = measure.map { list[position].applies(to: $0) } ?? true
            if let problem = rawAnswer.answer.problem {
                usable = false
                reportCell(problem, at: rawAnswer.answer.at, what: "Svaret på spørgsmål \(id)")
                continue
            }
            if let problem = rawAnswer.remark.problem {
                usable = false
                reportCell(problem, at: rawAnswer.remark.at, what: "Bemærkningen til spørgsmål \(id)")
                continue
            }
            var remark = rawAnswer.remark.text
            if redact, let text = remark { remark = CPRDetector.redact(text) }
            guard let scale = catalogue.scale(list[position].type) else { continue }
            var choices: String { scale.answers.joined(separator: ", ") }
            switch answerForm(rawAnswer.answer.text, catalogue: catalogue.id, scale: scale) {
            case .blank:
                if applies, !list[position].optional {
                    usable = false
                    add(at: rawAnswer.answer.at, severity: .error, rule: .missingAnswer,
                        message: "Spørgsmål \(id) er ikke besvaret.",
                        suggestion: "Vælg et af svarene \(choices). Gælder spørgsmålet ikke for sagen, så vælg »"
                            + (scale.notApplicable ?? "Ikke relevant") + "«.")
                }
                answers.append(Answer(
                    questionID: id, answer: nil, code: nil, remark: remark, applies: applies, at: rawAnswer.answer.at))
            case .answer(let canonical, let code):
                if !applies, canonical != scale.notApplicable, let measure {
                    add(at: rawAnswer.answer.at, severity: .warning, rule: .inapplicableAnswer,
                        message: "Spørgsmål \(id) gælder ikke for \(measure) (\(measure.danishName.lowercased())), "
                            + "men er besvaret »\(canonical)«.",
                        suggestion: "Kontrollér sagens indsats; ellers skal svaret være »"
                            + (scale.notApplicable ?? "Ikke relevant") + "«.")
                }
                if list[position].remarkRequiredOn.contains(canonical), remark == nil {
                    add(at: rawAnswer.remark.at, severity: .warning, rule: .missingRemark,
                        message: "Svaret »\(canonical)« på spørgsmål \(id) skal begrundes i en bemærkning.",
                        suggestion: "Skriv kort, hvad der mangler i sagen (uden CPR-numre og navne).")
                }
                answers.append(Answer(
                    questionID: id, answer: canonical, code: code, remark: remark, applies: applies,
                    at: rawAnswer.answer.at))
            case .outsideScale(let canonical):
                usable = false
                add(at: rawAnswer.answer.at, severity: .error, rule: .answerOutsideScale,
                    message: "Svaret »\(canonical)« hører ikke til spørgsmål \(id)s svarmuligheder (\(choices)).",
                    suggestion: "Vælg et af svarene \(choices).")
            case .unrecognised:
                usable = false
                add(at: rawAnswer.answer.at, severity: .error, rule: .answerOutsideScale,
                    message: "Svaret \(quote(rawAnswer.answer.text)) på spørgsmål \(id) "
                        + "kan ikke læses som et af svarene \(choices).",
                    suggestion: "Vælg et af svarene \(choices) i rullelisten.")
            }
        }
        // A catalogue question is in the file when it was answered (`seen`, also when answered twice; a catalogue's
        // question ids are unique, so the n-th question is at place n) or its row is there without an id the
        // template knows (`missing`).
        var absent: [String] = []
        for position in catalogue.questions.indices where seen[position] == nil {
            let question = catalogue.questions[position]
            if !raw.missing.contains(question.id) && (measure.map { question.applies(to: $0) } ?? true)
                && !question.optional && (raw.steps?.contains(question.step) ?? true)
            {
                absent.append(question.id)
            }
        }
        if !absent.isEmpty {
            add(at: Provenance(sheet: raw.sheet, cell: ""), severity: .warning, rule: .questionMissing,
                message: "\(absent.count) af katalogets spørgsmål er ikke med i filen (" + absent.prefix(10).joined(
                    separator: ", ") + (absent.count > 10 ? ", …" : "") + ") og tælles som ubesvarede.",
                suggestion: "Tilføj spørgsmålene, eller brug skabelonen fra tilsynet, der har dem alle.")
        }
        guard usable, let measure, level > 0, !caseNumber.isEmpty, !round.isEmpty else { return nil }
        return Review(
            caseNumber: caseNumber, level: level, round: round,
            reviewer: value("Reviewer")?.text ?? "", unit: value("Enhed")?.text ?? "", measure: measure, age: age,
            kommune: kommune, reviewDate: reviewDate, catalogueID: catalogue.id,
            catalogueVersion: raw.catalogueVersion.flatMap { $0.isEmpty ? nil : $0 } ?? catalogue.version, at: raw.at,
            answers: answers, caseworker: (value("Sagsbehandler") ?? value("sagsbehandler"))?.text,
            udgangspunkt: value("Udgangspunkt")?.text, udgangspunktDate: udgangspunktDate)
    }

    /// Reports a cell whose content cannot be taken as the value the reviewer meant; `what` names the value.
    mutating func reportCell(_ problem: CellProblem, at: Provenance, what: String) {
        switch problem {
        case .formulaWithoutValue:
            add(at: at, severity: .error, rule: .unreadableCell,
                message: "\(what) er en formel uden et gemt resultat, så værdien kan ikke læses.",
                suggestion: "Åbn filen i Excel eller LibreOffice, genberegn og gem filen, eller skriv værdien i stedet "
                    + "for formlen.")
        case .boolean(let flag):
            add(at: at, severity: .error, rule: .unreadableCell,
                message: "\(what) er en afkrydsning (\(flag ? "SAND" : "FALSK")), ikke et svar. Et tomt "
                    + "afkrydsningsfelt betyder ikke »Nej«.",
                suggestion: "Skriv svaret med ord, fx »Ja«, »Nej« eller »Ikke relevant«, i stedet for "
                    + "afkrydsningsfeltet.")
        case .merged(let range):
            add(at: at, severity: .error, rule: .unreadableCell,
                message: "\(what) står i en flettet celle (\(range)), der dækker flere spørgsmål, så det kan ikke "
                    + "afgøres, hvad der er svaret på hvert enkelt.",
                suggestion: "Fjern fletningen, og skriv svaret i hver række.")
        }
    }

    /// Characters that cannot be seen and that reviewers paste with text: zero-width spaces and joiners, the soft
    /// hyphen, the word joiner and the byte-order mark. Removed before an answer is matched.
    static let invisibles: Set<Unicode.Scalar> = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{00AD}", "\u{2060}", "\u{FEFF}"]

    static func withoutInvisibles(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { invisibles.contains($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter { !invisibles.contains($0) })
        return String(scalars)
    }

    /// The text with characters one cannot see shown as `<U+00A0>`, for messages about a value that was refused.
    static func visible(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let hidden = invisibles.contains(scalar) || scalar.properties.generalCategory == .control
                || scalar.properties.generalCategory == .format || scalar == "\u{A0}"
                || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator
            if hidden {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `version` is an earlier version than `current` (both dotted numbers, `2024.2` < `2025.1`): a
    /// template of an earlier version is read with a warning; any other unknown version does not exist.
    static func isEarlierVersion(_ version: String, than current: String) -> Bool {
        func parts(_ text: String) -> [Int]? {
            let items = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
            guard !items.isEmpty, items.allSatisfy({ $0 != nil }) else { return nil }
            return items.compactMap { $0 }
        }
        guard let a = parts(version.trimmed), let b = parts(current) else { return false }
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            if x != y { return x < y }
        }
        return false
    }

    /// `1`, `1.`, `Niveau 2`, `niv. 2`, `level 1` → the level, 1–4.
    static func parseLevel(_ text: String) -> Int? {
        var words = AnswerVocabulary.fold(text).split(separator: " ").map(String.init)
        if let first = words.first, ["niveau", "niv", "level"].contains(first) { words.removeFirst() }
        guard words.count == 1, let level = Int(words[0]), (1...4).contains(level) else { return nil }
        return level
    }

    /// Reports a review of the same case, level and round as the one read at `earlier` in this file.
    mutating func reportDuplicate(at: Provenance, earlier: Provenance) {
        add(at: at, severity: .error, rule: .duplicateReview,
            message: "Samme sag, niveau og runde er gennemgået to gange i filen (også i \(earlier.cell)).",
            suggestion: "Slet den ene gennemgang, eller ret niveau eller runde.")
    }
}
