extension StringProtocol {
    /// The text without leading and trailing white space (Unicode's `White_Space`): one owner for every layer that
    /// trims, cells and metadata as the analyst's text.
    @inlinable
    public var trimmed: String {
        let whole = String(self)
        // Most texts start and end with an ASCII character that is not white space: answered from the two bytes,
        // without the scalar views' index work (the template reader asks this of every text cell). Read from the
        // contiguous bytes: the view's generic `last` was most of the cost.
        var probe = whole
        let plain = probe.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last else { return false }
            return first < 0x80 && last < 0x80 && !first.isTrimmedASCIISpace && !last.isTrimmedASCIISpace
        }
        if plain { return whole }
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return whole }
        if !first.isTrimmedSpace && !last.isTrimmedSpace { return whole }
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.isTrimmedSpace { scalars.removeFirst() }
        while let last = scalars.last, last.isTrimmedSpace { scalars.removeLast() }
        return String(scalars)
    }
}

extension Unicode.Scalar {
    /// White space (Unicode's `White_Space`), answered for ASCII without the property tables (a hot path: every
    /// cell read is trimmed).
    @inlinable
    var isTrimmedSpace: Bool {
        value < 0x80 ? UInt8(value).isTrimmedASCIISpace : properties.isWhitespace
    }
}

extension CSVFieldsView {
    /// The field at `index` trimmed as ``Swift/StringProtocol/trimmed`` trims it, nil when that leaves nothing or the
    /// record has no such field. ASCII white space is cut from the bytes before a string is made; only a field
    /// that then starts or ends with a non-ASCII character is trimmed as a string.
    @inlinable
    public func trimmed(at index: Int) -> String? {
        guard index < count else { return nil }
        let bytes = utf8(at: index)
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start].isTrimmedASCIISpace { start += 1 }
        while end > start, bytes[end - 1].isTrimmedASCIISpace { end -= 1 }
        guard start < end else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        guard bytes[start] >= 0x80 || bytes[end - 1] >= 0x80 else { return text }
        let trimmed = text.trimmed
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Whether the field at `index` is missing or blank once trimmed, without making a string of an ASCII field.
    @inlinable
    public func isBlank(at index: Int) -> Bool {
        guard index < count else { return true }
        let bytes = utf8(at: index)
        if bytes.allSatisfy({ $0.isTrimmedASCIISpace }) { return true }
        // Only a field with non-ASCII characters can be white space that is not ASCII.
        guard bytes.contains(where: { $0 >= 0x80 }) else { return false }
        return self[index].trimmed.isEmpty
    }

    /// Whether the field at `index` has exactly the UTF-8 bytes of `text` (a missing field has none).
    @inlinable
    public func field(_ index: Int, isByteForByte text: String) -> Bool {
        let bytes = index < count ? utf8(at: index) : UnsafeBufferPointer(start: nil, count: 0)
        guard bytes.count == text.utf8.count else { return false }
        func same(_ stored: UnsafeBufferPointer<UInt8>) -> Bool {
            var at = 0
            while at < stored.count {
                if stored[at] != bytes[at] { return false }
                at += 1
            }
            return true
        }
        // A native string's bytes in place; a small one's copied to the stack (its view has no storage to lend).
        if let same = text.utf8.withContiguousStorageIfAvailable(same) { return same }
        var text = text
        return text.withUTF8(same)
    }
}

extension UInt8 {
    /// An ASCII byte of white space: what ``Unicode/Scalar/isTrimmedSpace`` answers for ASCII.
    @inlinable
    var isTrimmedASCIISpace: Bool { self == 0x20 || (0x09...0x0D).contains(self) }
}
