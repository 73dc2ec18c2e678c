/// Limits that protect against zip bombs and oversized input; every limit has its own error.
public struct ZipLimits: Sendable, Equatable {
    /// The largest archive file accepted, in bytes.
    public var maxArchiveSize: Int
    /// The largest uncompressed size of one entry, in bytes.
    public var maxEntrySize: Int64
    /// The largest uncompressed size of all entries together, in bytes.
    public var maxTotalSize: Int64
    /// The highest uncompressed/compressed ratio accepted for entries above `ratioThreshold` bytes.
    public var maxCompressionRatio: Int64
    /// Entries smaller than this (uncompressed) are not checked for their ratio.
    public var ratioThreshold: Int64
    /// The most entries an archive may have.
    public var maxEntries: Int

    /// Limits; the defaults are `.default`'s.
    public init(
        maxArchiveSize: Int = 1 << 30, maxEntrySize: Int64 = 1 << 30, maxTotalSize: Int64 = 4 << 30,
        maxCompressionRatio: Int64 = 1000, ratioThreshold: Int64 = 4 << 20, maxEntries: Int = 50_000
    ) {
        self.maxArchiveSize = maxArchiveSize
        self.maxEntrySize = maxEntrySize
        self.maxTotalSize = maxTotalSize
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioThreshold = ratioThreshold
        self.maxEntries = maxEntries
    }

    /// The defaults: generous for real workbooks (1 GiB per part), tight against bombs.
    public static let `default` = ZipLimits()
}
