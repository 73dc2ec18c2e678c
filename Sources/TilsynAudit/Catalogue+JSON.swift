internal import Foundation
import TilsynSheets

extension Catalogue: Decodable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case id, version, title, source, scope, basedOn, baselineLevel, templateSteps, scales, steps, themes, questions
        case temanedslag
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, also: ["$schema"], in: "a catalogue")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        version = try c.decode(String.self, forKey: .version)
        title = try c.decode(String.self, forKey: .title)
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
        scope = try c.decodeIfPresent(String.self, forKey: .scope) ?? ""
        templateSteps = try c.decodeIfPresent([String].self, forKey: .templateSteps)
        basedOn = try c.decodeIfPresent([String].self, forKey: .basedOn) ?? []
        baselineLevel = try c.decodeIfPresent(Int.self, forKey: .baselineLevel)
        scales = try c.decode([AnswerScale].self, forKey: .scales)
        steps = try c.decode([Step].self, forKey: .steps)
        themes = try c.decodeIfPresent([Theme].self, forKey: .themes) ?? []
        questions = try c.decode([Question].self, forKey: .questions)
        temanedslag = try c.decodeIfPresent(Temanedslag.self, forKey: .temanedslag)
    }
}

extension AnswerScale: Decodable {
    private enum CodingKeys: String, CodingKey, CaseIterable { case id, name, answers, notApplicable }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "an answer scale")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? id
        answers = try c.decode([String].self, forKey: .answers)
        notApplicable = try c.decodeIfPresent(String.self, forKey: .notApplicable)
    }
}


extension Question: Decodable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case id, step, themes, text, help, type, appliesTo, legal, remarkRequiredOn, replaces, optional, minimumAge
        case maximumAge
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "a question")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        step = try c.decode(String.self, forKey: .step)
        themes = try c.decodeIfPresent([String].self, forKey: .themes) ?? []
        text = try c.decode(String.self, forKey: .text)
        help = try c.decodeIfPresent(String.self, forKey: .help) ?? ""
        type = try c.decode(String.self, forKey: .type)
        appliesTo = try c.decodeIfPresent([Int].self, forKey: .appliesTo) ?? Indsats.allParagraphs
        legal = try c.decodeIfPresent([String].self, forKey: .legal) ?? []
        remarkRequiredOn = try c.decodeIfPresent([String].self, forKey: .remarkRequiredOn) ?? []
        replaces = try c.decodeIfPresent([String].self, forKey: .replaces) ?? []
        optional = try c.decodeIfPresent(Bool.self, forKey: .optional) ?? false
        minimumAge = try c.decodeIfPresent(Int.self, forKey: .minimumAge)
        maximumAge = try c.decodeIfPresent(Int.self, forKey: .maximumAge)
    }
}

extension Step: Decodable {
    private enum CodingKeys: String, CodingKey, CaseIterable { case id, name }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "a sagsskridt")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), name: try c.decode(String.self, forKey: .name))
    }
}

extension Theme: Decodable {
    private enum CodingKeys: String, CodingKey, CaseIterable { case id, name }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "a pejlemærke")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), name: try c.decode(String.self, forKey: .name))
    }
}

extension Temanedslag: Decodable {
    private enum CodingKeys: String, CodingKey, CaseIterable { case round, title, questions }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "the temanedslag")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            round: try c.decode(String.self, forKey: .round), title: try c.decode(String.self, forKey: .title),
            questions: try c.decode([Question].self, forKey: .questions))
    }
}

/// Any key of a JSON object, to find the ones a type does not know.
private struct AnyJSONKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws for a key of the object that `Keys` does not name (the schema's `additionalProperties: false`), so a
    /// misspelt field is an error naming it and where it is, not a setting silently dropped.
    fileprivate func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(
        _ keys: Keys.Type, also: [String] = [], in object: String
    ) throws {
        let known = Keys.allCases.map(\.stringValue) + also
        for key in try container(keyedBy: AnyJSONKey.self).allKeys where !known.contains(key.stringValue) {
            let near = known.first { $0.lowercased() == key.stringValue.lowercased() }
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: codingPath + [key],
                    debugDescription: "\(object) has no field '\(key.stringValue)'"
                        + (near.map { "; did you mean '\($0)'?" } ?? "; its fields are " + known.joined(separator: ", "))))
        }
    }
}

extension Catalogue {
    /// Decodes and validates a catalogue from JSON; errors name `file` and, where they concern one, the question.
    public static func decode(json bytes: [UInt8], file: String) throws -> Catalogue {
        let catalogue: Catalogue
        do {
            catalogue = try JSONDecoder().decode(Catalogue.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw CatalogueError(.invalidJSON, Self.describe(error), file: file)
        } catch {
            throw CatalogueError(.invalidJSON, "the file is not valid JSON", file: file)
        }
        try catalogue.validate(file: file)
        return catalogue
    }

    /// Reads, decodes and validates the catalogue at `path`.
    public static func load(path: String) throws -> Catalogue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogueError(.unreadable, "the file cannot be read; check the path and permissions", file: path)
        }
        return try decode(json: [UInt8](data), file: path)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : "." + key.stringValue
                }
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let place = context.codingPath.isEmpty ? "the catalogue" : path(context.codingPath)
            return "\(place) lacks the required field '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) has the wrong type; expected \(Self.jsonType(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null; expected \(Self.jsonType(type))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "the file is not valid JSON" : "\(path(context.codingPath)) is invalid: \(context.debugDescription)"
        @unknown default:
            return "the file does not match the catalogue schema"
        }
    }

    private static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is [String].Type: "a list of strings"
        case is [Int].Type: "a list of whole numbers"
        default: "an object or list as the schema describes"
        }
    }

    /// The catalogue as canonical JSON: two-space indents, fields in schema order, UTF-8 unescaped, final newline.
    ///
    /// The catalogues in `Schemas/catalogues` are stored in this form, so exporting and importing one reproduces
    /// the file byte for byte.
    public func canonicalJSON() -> String {
        var json = CanonicalJSONWriter()
        json.object(level: 0) { o in
            o.field("$schema") { $0.string("../catalogue.schema.json") }
            o.field("id") { $0.string(id) }
            o.field("version") { $0.string(version) }
            o.field("title") { $0.string(title) }
            o.field("source") { $0.string(source) }
            if !scope.isEmpty { o.field("scope") { $0.string(scope) } }
            if !basedOn.isEmpty { o.field("basedOn") { $0.strings(basedOn, level: 1) } }
            if let templateSteps { o.field("templateSteps") { $0.strings(templateSteps, level: 1) } }
            if let baselineLevel { o.field("baselineLevel") { $0.text += String(baselineLevel) } }
            o.field("scales") { v in
                v.array(scales, level: 1) { v, scale in
                    v.object(level: 2) { o in
                        o.field("id") { $0.string(scale.id) }
                        o.field("name") { $0.string(scale.name) }
                        o.field("answers") { $0.strings(scale.answers, level: 3) }
                        if let notApplicable = scale.notApplicable {
                            o.field("notApplicable") { $0.string(notApplicable) }
                        }
                    }
                }
            }
            for (key, items) in [("steps", steps.map { ($0.id, $0.name) }), ("themes", themes.map { ($0.id, $0.name) })]
            {
                o.field(key) { v in
                    v.array(items, level: 1) { v, item in
                        v.object(level: 2) { o in
                            o.field("id") { $0.string(item.0) }
                            o.field("name") { $0.string(item.1) }
                        }
                    }
                }
            }
            o.field("questions") { $0.questions(questions, level: 1) }
            if let temanedslag {
                o.field("temanedslag") { v in
                    v.object(level: 1) { o in
                        o.field("round") { $0.string(temanedslag.round) }
                        o.field("title") { $0.string(temanedslag.title) }
                        o.field("questions") { $0.questions(temanedslag.questions, level: 2) }
                    }
                }
            }
        }
        json.text += "\n"
        return json.text
    }
}

/// Writes JSON as Python's `json.dumps(indent=2, ensure_ascii=False)` does, so hand edits and scripts agree.
struct CanonicalJSONWriter {
    var text = ""

    struct ObjectWriter {
        var json: CanonicalJSONWriter
        let level: Int
        var first = true

        mutating func field(_ key: String, _ value: (inout CanonicalJSONWriter) -> Void) {
            json.text += first ? "\n" : ",\n"
            first = false
            json.indent(level + 1)
            json.string(key)
            json.text += ": "
            value(&json)
        }
    }

    mutating func indent(_ level: Int) { text += String(repeating: "  ", count: level) }

    mutating func object(level: Int, _ body: (inout ObjectWriter) -> Void) {
        text += "{"
        var writer = ObjectWriter(json: self, level: level)
        body(&writer)
        self = writer.json
        if writer.first {
            text += "}"
        } else {
            text += "\n"
            indent(level)
            text += "}"
        }
    }

    mutating func array<T>(_ items: [T], level: Int, _ element: (inout CanonicalJSONWriter, T) -> Void) {
        guard !items.isEmpty else {
            text += "[]"
            return
        }
        text += "["
        for (index, item) in items.enumerated() {
            text += index == 0 ? "\n" : ",\n"
            indent(level + 1)
            element(&self, item)
        }
        text += "\n"
        indent(level)
        text += "]"
    }

    mutating func strings(_ items: [String], level: Int) { array(items, level: level) { $0.string($1) } }

    mutating func questions(_ questions: [Question], level: Int) {
        array(questions, level: level) { v, q in
            v.object(level: level + 1) { o in
                let inner = level + 2
                o.field("id") { $0.string(q.id) }
                o.field("step") { $0.string(q.step) }
                o.field("themes") { $0.strings(q.themes, level: inner) }
                o.field("text") { $0.string(q.text) }
                o.field("help") { $0.string(q.help) }
                o.field("type") { $0.string(q.type) }
                o.field("appliesTo") { $0.array(q.appliesTo, level: inner) { $0.text += String($1) } }
                o.field("legal") { $0.strings(q.legal, level: inner) }
                o.field("remarkRequiredOn") { $0.strings(q.remarkRequiredOn, level: inner) }
                if !q.replaces.isEmpty { o.field("replaces") { $0.strings(q.replaces, level: inner) } }
                if q.optional { o.field("optional") { $0.text += "true" } }
                if let age = q.minimumAge { o.field("minimumAge") { $0.text += String(age) } }
                if let age = q.maximumAge { o.field("maximumAge") { $0.text += String(age) } }
            }
        }
    }

    mutating func string(_ value: String) {
        text += JSONText.string(value)
    }
}
