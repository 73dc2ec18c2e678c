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

    /// The type's last non-empty `/`-separated segment (`worksheet`), nil when it has none: what
    /// `type.split(separator: "/").last` answers, found on the bytes of an ASCII type, as every type URI is (the
    /// Character walk cost 70,000 instructions a workbook; elsewhere a `/` may begin a longer Character).
    var typeName: Substring? {
        let utf8 = type.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return type.split(separator: "/").last }
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "/") {
            end = utf8.index(before: end)
        }
        guard end > utf8.startIndex else { return nil }
        let start = utf8[..<end].lastIndex(of: UInt8(ascii: "/")).map { utf8.index(after: $0) } ?? utf8.startIndex
        return type[start..<end]
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
        // On the names' bytes: a Character-level walk cost about 35,000 instructions a target, and every workbook
        // resolves several.
        var resolved: [UInt8] = []
        resolved.reserveCapacity(sourcePart.utf8.count + target.utf8.count)
        // Where each segment of `resolved` starts, to take the last one out for `..`.
        var starts: [Int] = []
        func append(_ segment: Substring.UTF8View) {
            if !resolved.isEmpty { resolved.append(UInt8(ascii: "/")) }
            starts.append(resolved.count)
            resolved.append(contentsOf: segment)
        }
        func removeLast() {
            guard let start = starts.popLast() else { return }
            resolved.removeSubrange(max(0, start - 1)...)
        }
        let isSeparator = { (byte: UInt8) in byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") }
        var target = Substring(target).utf8
        if let hash = target.firstIndex(of: UInt8(ascii: "#")) { target = target[..<hash] }
        if let first = target.first, isSeparator(first) {
            // Absolute: from the package's root.
        } else {
            for segment in Substring(sourcePart).utf8.split(separator: UInt8(ascii: "/")) { append(segment) }
            removeLast()
        }
        for segment in target.split(whereSeparator: isSeparator) {
            if segment.elementsEqual(".".utf8) { continue }
            if segment.elementsEqual("..".utf8) {
                removeLast()
            } else {
                append(segment)
            }
        }
        return String(decoding: resolved, as: UTF8.self)
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
