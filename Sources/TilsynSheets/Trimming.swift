extension StringProtocol {
    /// The text without leading and trailing white space (Unicode's `White_Space`): one owner for every layer that
    /// trims, cells and metadata as the analyst's text.
    @inlinable
    public var trimmed: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return String(self) }
        if !first.isTrimmedSpace && !last.isTrimmedSpace { return String(self) }
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
        value < 0x80 ? value == 0x20 || (0x09...0x0D).contains(value) : properties.isWhitespace
    }
}
