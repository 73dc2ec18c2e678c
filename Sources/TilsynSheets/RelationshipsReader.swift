/// One relationship from a `.rels` part.
struct Relationship: Sendable, Equatable {
    var id: String
    var type: String
    var target: String
    var external: Bool

    /// Whether the type ends with `/name` (transitional and Strict URIs share their last segment).
    func isType(_ name: String) -> Bool {
        type.hasSuffix("/" + name)
    }
}

/// Reads a relationships part (`_rels/.rels`, `xl/_rels/workbook.xml.rels`); unknown types are kept, not fatal.
final class RelationshipsReader: SAXHandler {
    private(set) var relationships: [Relationship] = []

    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        guard name.is("Relationship") else { return }
        guard let id = attributes.string("Id"), let type = attributes.string("Type"),
            let target = attributes.string("Target")
        else { return }
        let external = attributes.string("TargetMode") == "External"
        relationships.append(Relationship(id: id, type: type, target: target, external: external))
        if relationships.count > 100_000 {
            throw SpreadsheetError(.limitExceeded, "the relationships part lists more than 100,000 relationships")
        }
    }

    override func endElement(_ name: XMLName) throws {}
    override func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}

    /// The part name a target refers to, resolved against the folder of the part that owns the relationships.
    static func resolve(_ target: String, from sourcePart: String) -> String {
        var target = String(target.map { $0 == "\\" ? "/" : $0 })
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        var segments: [Substring]
        if target.hasPrefix("/") {
            segments = []
        } else {
            segments = sourcePart.split(separator: "/", omittingEmptySubsequences: true)
            if !segments.isEmpty { segments.removeLast() }
        }
        for segment in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }

    /// The relationships part of a part: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
    static func relationshipsPart(of part: String) -> String {
        var segments = part.split(separator: "/", omittingEmptySubsequences: true)
        let file = segments.popLast() ?? ""
        segments.append("_rels")
        segments.append(file + ".rels")
        return segments.joined(separator: "/")
    }
}
