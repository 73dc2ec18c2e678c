extension String {
    /// `lowercased()`, on the bytes when the text is ASCII, as part names nearly always are: the same result,
    /// without a new string when there is nothing to lower (a part is looked up by its lower-cased name several
    /// times a workbook).
    var lowercasedName: String {
        var text = self
        let ascii = text.withUTF8 { bytes -> String? in
            var upper = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte &- 0x41 < 26 { upper = true }
            }
            guard upper else { return "" }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for index in bytes.indices {
                    out[index] = bytes[index] &- 0x41 < 26 ? bytes[index] | 0x20 : bytes[index]
                }
                return bytes.count
            }
        }
        guard let ascii else { return lowercased() }
        return ascii.isEmpty ? self : ascii
    }
}
