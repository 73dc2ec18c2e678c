#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The shared string table: each distinct text kept once in memory with its index, written as
/// `xl/sharedStrings.xml` when the workbook closes.
///
/// Texts are compared by their UTF-8 bytes, not by Swift's canonical equivalence, so that `é` typed as one
/// code point and as `e` + combining accent stay distinct, as they are in the caller's data.
struct XLSXSharedStringsWriter {
    static let partName = "xl/sharedStrings.xml"

    /// A string compared and hashed by its exact UTF-8 bytes.
    private struct ExactKey: Hashable {
        let text: String

        /// Byte for byte (canonically equivalent texts stay apart): one `memcmp` of the two strings' UTF-8 when
        /// both are native, which every lookup of a repeated text needs.
        static func == (lhs: ExactKey, rhs: ExactKey) -> Bool {
            let count = lhs.text.utf8.count
            guard count == rhs.text.utf8.count else { return false }
            let fast = lhs.text.utf8.withContiguousStorageIfAvailable { left in
                rhs.text.utf8.withContiguousStorageIfAvailable { right in
                    count == 0 || memcmp(left.baseAddress!, right.baseAddress!, count) == 0
                }
            }
            if let same = fast ?? nil { return same }
            return lhs.text.utf8.elementsEqual(rhs.text.utf8)
        }

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    private var indexes: [ExactKey: Int] = [:]
    private var strings: [String] = []
    /// Cells that refer to the table, counting repeats (the `count` attribute).
    private(set) var references = 0

    /// The number of distinct strings.
    var count: Int { strings.count }

    /// The index of `text`, adding it when new.
    mutating func index(of text: String) -> Int {
        references += 1
        let key = ExactKey(text: text)
        if let known = indexes[key] { return known }
        strings.append(text)
        indexes[key] = strings.count - 1
        return strings.count - 1
    }

    /// Streams `xl/sharedStrings.xml` to `sink` in chunks of about `chunkSize` bytes.
    func write(chunkSize: Int = 1 << 16, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var xml = XMLBuffer(capacity: chunkSize + 1024)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"")
        xml.attribute("count", references)
        xml.attribute("uniqueCount", strings.count)
        xml.raw(">")
        for text in strings {
            if XMLBuffer.needsPreserve(text) {
                xml.raw("<si><t xml:space=\"preserve\">")
            } else {
                xml.raw("<si><t>")
            }
            xml.text(text)
            xml.raw("</t></si>")
            if xml.count >= chunkSize {
                try xml.withBytes(sink)
                xml.removeAll()
            }
        }
        xml.raw("</sst>")
        try xml.withBytes(sink)
    }
}
