#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Cuts inflated worksheet XML into segments that end right after a `</row>` tag, never inside a comment, CDATA
/// section or processing instruction, and records the framing (opening tags up to `<sheetData>`, closing tags).
///
/// Raw `<` cannot occur in XML text or attribute values, so a segment without `<!` or `<?` can be cut at the first
/// `</row>` (or `</x:row>`) past the target size: found with `memchr`, nearly free. A segment that holds a comment,
/// CDATA or instruction is cut by a precise scan instead.
struct SegmentCutter {
    struct Framing {
        var prefix: [UInt8]
        var suffix: [UInt8]
    }

    let segmentSize: Int
    private var buffer: [UInt8] = []
    private(set) var framing: Framing?
    /// Where the sheet data starts in the first segment: no cut is made before it.
    private var dataStart = 0
    /// No cuts at all: the sheet data is empty or could not be located safely.
    private var uncuttable = false

    init(segmentSize: Int) {
        self.segmentSize = max(segmentSize, 4096)
        buffer.reserveCapacity(self.segmentSize * 2)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        if framing == nil && !uncuttable { locateFraming() }
    }

    /// The next complete segment, if one is ready.
    mutating func nextSegment() -> [UInt8]? {
        guard framing != nil, !uncuttable, buffer.count >= segmentSize + 16 else { return nil }
        let cut = buffer.withUnsafeBufferPointer { Self.findCut(in: $0, from: max(segmentSize, dataStart), regionStart: dataStart) }
        guard let cut else { return nil }
        let segment = Array(buffer[0..<cut])
        buffer.removeSubrange(0..<cut)
        dataStart = 0
        return segment
    }

    /// Everything left at the end of the part: the last segment.
    mutating func remainder() -> [UInt8] {
        defer { buffer = [] }
        return buffer
    }

    /// Finds the `<sheetData>` start tag and the root element's name, once enough of the part has arrived.
    private mutating func locateFraming() {
        let found: (prefixEnd: Int, root: [UInt8], data: [UInt8])?? = buffer.withUnsafeBufferPointer { bytes in
            guard let hit = Self.find(Array("sheetData".utf8), in: bytes, from: 0) else {
                return bytes.count > 1 << 20 ? .some(nil) : nil  // no sheetData in the first MiB: give up cutting
            }
            // The tag's qualified name runs back to '<': `<sheetData` or `<x:sheetData`.
            var nameStart = hit
            while nameStart > 0, bytes[nameStart - 1] != UInt8(ascii: "<") {
                guard bytes[nameStart - 1] == UInt8(ascii: ":") || Self.isNameByte(bytes[nameStart - 1]) else {
                    return .some(nil)
                }
                nameStart -= 1
            }
            guard nameStart > 0, let gt = Self.find(UInt8(ascii: ">"), in: bytes, from: hit) else {
                return bytes.count > 1 << 20 ? .some(nil) : nil
            }
            // A comment, CDATA or DOCTYPE before the sheet data, or an empty <sheetData/>: read in one piece.
            guard bytes[gt - 1] != UInt8(ascii: "/"),
                Self.find(Array("<!".utf8), in: UnsafeBufferPointer(rebasing: bytes[0..<gt]), from: 0) == nil
            else { return .some(nil) }
            // The root element is the first tag that is not a declaration or instruction.
            var i = 0
            while let lt = Self.find(UInt8(ascii: "<"), in: bytes, from: i), lt < nameStart {
                if bytes[lt + 1] != UInt8(ascii: "?") && bytes[lt + 1] != UInt8(ascii: "!") {
                    var end = lt + 1
                    while end < gt, bytes[end] == UInt8(ascii: ":") || Self.isNameByte(bytes[end]) { end += 1 }
                    return .some((gt + 1, Array(bytes[(lt + 1)..<end]), Array(bytes[nameStart..<(hit + 9)])))
                }
                i = lt + 1
            }
            return .some(nil)
        }
        switch found {
        case .none:
            return  // wait for more bytes
        case .some(.none):
            uncuttable = true
        case .some(.some(let framing)):
            dataStart = framing.prefixEnd
            self.framing = Framing(
                prefix: Array(buffer[0..<framing.prefixEnd]),
                suffix: Array("</".utf8) + framing.data + Array("></".utf8) + framing.root + [UInt8(ascii: ">")])
        }
    }

    /// The position just after the first safe `</row>` at or after `from`, or nil if none has arrived yet.
    static func findCut(in bytes: UnsafeBufferPointer<UInt8>, from: Int, regionStart: Int) -> Int? {
        var search = max(from - 3, regionStart)
        while let hit = find(Array("row>".utf8), in: bytes, from: search) {
            search = hit + 1
            guard isEndTag(bytes, hit) else { continue }
            let cut = hit + 4
            let region = UnsafeBufferPointer(rebasing: bytes[regionStart..<cut])
            if find(Array("<!".utf8), in: region, from: 0) == nil && find(Array("<?".utf8), in: region, from: 0) == nil {
                return cut
            }
            return preciseCut(in: bytes, from: from, regionStart: regionStart)
        }
        return nil
    }

    /// Whether the `row>` at `hit` closes an end tag: `</row>` or `</prefix:row>`.
    private static func isEndTag(_ bytes: UnsafeBufferPointer<UInt8>, _ hit: Int) -> Bool {
        guard hit >= 2 else { return false }
        if bytes[hit - 1] == UInt8(ascii: "/") { return bytes[hit - 2] == UInt8(ascii: "<") }
        guard bytes[hit - 1] == UInt8(ascii: ":") else { return false }
        var i = hit - 2
        while i > 0, isNameByte(bytes[i]) { i -= 1 }
        return i >= 1 && i < hit - 2 && bytes[i] == UInt8(ascii: "/") && bytes[i - 1] == UInt8(ascii: "<")
    }

    /// Scans the region tag by tag, skipping comments, CDATA and instructions, for a `</row>` at or after `from`.
    private static func preciseCut(in bytes: UnsafeBufferPointer<UInt8>, from: Int, regionStart: Int) -> Int? {
        var i = regionStart
        while let lt = find(UInt8(ascii: "<"), in: bytes, from: i) {
            guard lt + 9 <= bytes.count else { return nil }
            if bytes[lt + 1] == UInt8(ascii: "!") {
                let isComment = bytes[lt + 2] == UInt8(ascii: "-") && bytes[lt + 3] == UInt8(ascii: "-")
                let terminator = Array((isComment ? "-->" : "]]>").utf8)
                guard let end = find(terminator, in: bytes, from: lt + 2) else { return nil }
                i = end + terminator.count
            } else if bytes[lt + 1] == UInt8(ascii: "?") {
                guard let end = find(Array("?>".utf8), in: bytes, from: lt + 2) else { return nil }
                i = end + 2
            } else {
                guard let gt = find(UInt8(ascii: ">"), in: bytes, from: lt + 1) else { return nil }
                if gt + 1 > from, gt >= 3, bytes[lt + 1] == UInt8(ascii: "/"), bytes[gt - 3] == UInt8(ascii: "r"),
                    bytes[gt - 2] == UInt8(ascii: "o"), bytes[gt - 1] == UInt8(ascii: "w"), isEndTag(bytes, gt - 3)
                {
                    return gt + 1
                }
                i = gt + 1
            }
        }
        return nil
    }

    @inline(__always)
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= 48 && byte <= 57)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte >= 0x80
    }

    private static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The first occurrence of `pattern` at or after `from`: `memchr` for the pattern's rarest byte in XML (the last
    /// one that is not markup punctuation: `!` of `<!`, `w` of `row>`), each hit checked whole. The patterns are
    /// short and the candidates few, so this is as fast as a two-way search here.
    private static func find(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard !pattern.isEmpty else { return from <= bytes.count ? from : nil }
        let common: Set<UInt8> = [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "\""),
                                  UInt8(ascii: " "), UInt8(ascii: "=")]
        let key = pattern.lastIndex { !common.contains($0) } ?? pattern.count - 1
        var at = from + key
        while let hit = find(pattern[key], in: bytes, from: at) {
            let start = hit - key
            if start + pattern.count <= bytes.count && pattern.indices.allSatisfy({ bytes[start + $0] == pattern[$0] }) {
                return start
            }
            at = hit + 1
        }
        return nil
    }
}
