import Synchronization

/// Small whole ZIP entries kept deflated, by level and contents, so that a part written again is not deflated again.
///
/// Package parts such as `[Content_Types].xml`, relationships, styles and document properties are often the same in
/// every workbook a program writes, and deflating them again cost half the time of writing a small workbook. A
/// writer uses the cache its options name (``ZipWriter/Options/deflateCache``): ``shared`` by default, a cache of
/// its own, or none. Entries are looked up by their whole contents, so a hit gives the same bytes deflating would;
/// the cache is emptied when it holds `maxEntries`.
public final class DeflateCache: Sendable, Equatable {
    /// The cache writers share unless told otherwise.
    public static let shared = DeflateCache()

    /// Entries up to this many bytes are kept.
    public let maxEntrySize: Int
    /// The most entries kept (at most `maxEntrySize × maxEntries` bytes of contents).
    public let maxEntries: Int

    private struct Key: Hashable, Sendable {
        var level: Int
        var contents: [UInt8]
    }

    private let entries = Mutex<[Key: ZipWriter.Precompressed]>([:])

    /// A cache of at most `maxEntries` entries of at most `maxEntrySize` bytes each.
    public init(maxEntrySize: Int = 8 << 10, maxEntries: Int = 256) {
        self.maxEntrySize = maxEntrySize
        self.maxEntries = maxEntries
    }

    /// The cache if it keeps entries of this size, else nil.
    func holding(_ contents: [UInt8]) -> DeflateCache? { contents.count <= maxEntrySize ? self : nil }

    /// The entry deflated at `level` before, if kept.
    func entry(_ contents: [UInt8], level: Int) -> ZipWriter.Precompressed? {
        entries.withLock { $0[Key(level: level, contents: contents)] }
    }

    /// Keeps a deflated entry (emptying the cache first when it is full).
    func keep(_ entry: ZipWriter.Precompressed, for contents: [UInt8]) {
        entries.withLock { cache in
            if cache.count >= maxEntries { cache.removeAll(keepingCapacity: true) }
            cache[Key(level: entry.level, contents: contents)] = entry
        }
    }

    /// The number of entries kept.
    public var count: Int { entries.withLock { $0.count } }

    /// Caches are the same when they are the same object.
    public static func == (lhs: DeflateCache, rhs: DeflateCache) -> Bool { lhs === rhs }
}

extension ZipWriter {
    /// Deflates `contents` at `level` on its own, for entries that are the same in every archive: compress once,
    /// add many times with `addEntry(_:precompressed:)`.
    static func precompress(_ contents: [UInt8], level: Int) throws -> Precompressed {
        let deflater = try Deflater(level: level)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { output.deallocate() }
        var compressed: [UInt8] = []
        try contents.withUnsafeBytes { raw in
            try deflater.compress(raw, into: output) { compressed.append(contentsOf: $0) }
        }
        try deflater.finish(into: output) { compressed.append(contentsOf: $0) }
        let crc = contents.withUnsafeBytes { crc32Update(0, $0) }
        return Precompressed(level: level, compressed: compressed, crc: crc, uncompressedSize: contents.count)
    }

    /// An entry's contents deflated ahead of time.
    struct Precompressed: Sendable {
        var level: Int
        var compressed: [UInt8]
        var crc: UInt32
        var uncompressedSize: Int
    }
}
