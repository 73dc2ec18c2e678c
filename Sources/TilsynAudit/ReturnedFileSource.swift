internal import Crypto
internal import TilsynSheets

/// A returned file about to be read: its path, hash and size, and its bytes unless it is a CSV file, which is read
/// through a window of its bytes (see `CSVFileReader` in TilsynSheets) so that a long one is never held whole.
public struct ReturnedFileSource: Sendable {
    /// The path as given.
    public let path: String
    /// SHA-256 of the file's bytes, lower-case hex.
    public let sha256: String
    /// The file's size in bytes.
    public let byteCount: Int
    /// The bytes of a workbook (read once, hashed and parsed); nil for a CSV file.
    let bytes: [UInt8]?
    /// The long CSV another layer made of the file's bytes (an SQLite export's answers), read instead of them.
    private(set) var csvText: [UInt8]?
    /// Why another layer refused the file before it was read.
    private(set) var refusal: Finding?

    /// The file's bytes, when they are held (not for a CSV file, which is read through a window).
    public var contents: [UInt8]? { bytes }

    /// Whether the bytes are an SQLite database (`SQLite format 3` and a NUL).
    public var isSQLiteDatabase: Bool { bytes?.starts(with: Self.sqliteMagic) ?? false }

    private static let sqliteMagic = Array("SQLite format 3\u{0}".utf8)

    /// This file, read as the long CSV `csv` made of its bytes (its path, hash and size stay the file's).
    public func reading(csv: [UInt8]) -> ReturnedFileSource {
        var source = self
        source.csvText = csv
        return source
    }

    /// This file, refused without reading: an error finding with `message` and `suggestion` (Danish).
    public func refused(_ message: String, suggestion: String) -> ReturnedFileSource {
        var source = self
        source.refusal = Finding(
            file: path, severity: .error, rule: .unreadable, message: message, suggestion: suggestion)
        return source
    }

    /// The file at `path`, hashed; nil when it cannot be read.
    public init?(path: String) {
        if ReturnedFileReader.isCSV(path) {
            guard let (hash, count) = Self.hash(path) else { return nil }
            self.init(path: path, sha256: hash, byteCount: count, bytes: nil)
        } else {
            guard let bytes = ReturnedFileReader.contents(path) else { return nil }
            self.init(path: path, sha256: ContentHash.sha256Hex(bytes), byteCount: bytes.count, bytes: bytes)
        }
    }

    /// The file at `path` as it was when it hashed to `sha256` and had `byteCount` bytes: a CSV file is not hashed
    /// again here, as reading it checks the bytes it parses against `sha256`; a workbook is read and must hash so.
    /// Nil when it cannot be read or no longer hashes so.
    public init?(path: String, sha256: String, byteCount: Int) {
        if ReturnedFileReader.isCSV(path) {
            self.init(path: path, sha256: sha256, byteCount: byteCount, bytes: nil)
        } else {
            guard let bytes = ReturnedFileReader.contents(path), ContentHash.sha256Hex(bytes) == sha256 else {
                return nil
            }
            self.init(path: path, sha256: sha256, byteCount: bytes.count, bytes: bytes)
        }
    }

    /// A file whose bytes are in memory.
    public init(path: String, bytes: [UInt8]) {
        self.init(path: path, sha256: ContentHash.sha256Hex(bytes), byteCount: bytes.count, bytes: bytes)
    }

    private init(path: String, sha256: String, byteCount: Int, bytes: [UInt8]?) {
        self.path = path
        self.sha256 = sha256
        self.byteCount = byteCount
        self.bytes = bytes
    }

    /// SHA-256 and size of the file at `path`, read a chunk at a time.
    private static func hash(_ path: String) -> (String, Int)? {
        var hasher = SHA256()
        var count = 0
        do {
            try FileBytes.forEachChunk(path: path) { chunk in
                hasher.update(bufferPointer: UnsafeRawBufferPointer(chunk))
                count += chunk.count
            }
        } catch {
            return nil
        }
        return (ContentHash.hex(hasher.finalize()), count)
    }
}

extension ReturnedFileReader {
    /// Whether a file is read as CSV, by its name: `.csv`, `.txt` or `.tsv`.
    public static func isCSV(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".csv") || lower.hasSuffix(".txt") || lower.hasSuffix(".tsv")
    }

    /// The bytes of the file at `path`, or nil when it cannot be read.
    public static func contents(_ path: String) -> [UInt8]? {
        try? FileBytes.read(path: path, limit: .max)
    }

    /// The result for a file that cannot be opened.
    public static func unopenable(_ path: String) -> ReturnedFile {
        ReturnedFile(
            path: path, sha256: "", byteCount: 0, shape: nil, reviews: [],
            findings: [Finding(
                file: path, severity: .error, rule: .unreadable, message: "Filen kan ikke åbnes.",
                suggestion: "Kontrollér, at filen findes og kan læses, og send den igen.")])
    }

    /// Reads a file from its source, as ``read(bytes:name:sha256:catalogues:options:)`` does: a CSV file through a
    /// window of its bytes (or whole when it is not UTF-8). A file whose bytes no longer hash as they did when the
    /// source was made is refused (``Finding/Rule/changedDuringImport``), and nothing of it counts.
    public static func read(_ source: ReturnedFileSource, catalogues: CatalogueSet, options: ImportOptions)
        -> ReturnedFile
    {
        read(source, catalogues: catalogues, options: options, holding: .max) { _ in }
    }

    /// Reads a file from its source and hands each review on as it is complete, holding them as well up to
    /// `holding` answers, as ``read(bytes:name:sha256:catalogues:options:holding:each:)`` does.
    public static func read<Failure: Error>(
        _ source: ReturnedFileSource, catalogues: CatalogueSet, options: ImportOptions, holding: Int = 0,
        each: (Review) throws(Failure) -> Void
    ) throws(Failure) -> ReturnedFile {
        if let refusal = source.refusal {
            return ReturnedFile(
                path: source.path, sha256: "", byteCount: 0, shape: nil, reviews: [], findings: [refusal])
        }
        if let csv = source.csvText {
            return try handingOn(
                .csvText(csv), name: source.path, sha256: source.sha256, byteCount: source.byteCount,
                catalogues: catalogues, options: options, holding: holding, each: each)
        }
        let bytes: [UInt8]
        if let held = source.bytes {
            bytes = held
        } else if let reader = try? CSVFileReader.open(path: source.path) {
            var hasher = SHA256()
            var passes = 0
            // Each pass reads the file again. The first only surveys it (its header and layout); the records are
            // parsed by the second, whose bytes are hashed (hashing the first as well cost 1 % of a long CSV's
            // import).
            reader.observe = { offset, bytes in
                if offset == 0 {
                    passes += 1
                    hasher = SHA256()
                }
                if passes >= 2 { hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes)) }
            }
            var file = try read(
                csv: reader, name: source.path, sha256: source.sha256, byteCount: source.byteCount,
                catalogues: catalogues, options: options, holding: holding, each: each)
            if passes >= 2 {
                // The last pass's bytes are the ones parsed: they must be the ones hashed.
                if ContentHash.hex(hasher.finalize()) != source.sha256 { file = changed(source.path) }
            } else if !file.isRejected {
                // Read once only: the survey found the file empty or unreadable (refused for that), or the file
                // was emptied before the parsing pass. Nothing read unhashed is stored.
                file = changed(source.path)
            }
            return file
        } else if let whole = contents(source.path), ContentHash.sha256Hex(whole) == source.sha256 {
            bytes = whole
        } else {
            return changed(source.path)
        }
        return try read(
            bytes: bytes, name: source.path, sha256: source.sha256, catalogues: catalogues, options: options,
            holding: holding, each: each)
    }

    /// The file whose bytes differ from those hashed first: nothing of it is stored.
    public static func changed(_ path: String) -> ReturnedFile {
        ReturnedFile(
            path: path, sha256: "", byteCount: 0, shape: nil, reviews: [],
            findings: [Finding(
                file: path, severity: .error, rule: .changedDuringImport,
                message: "Filen er ændret eller slettet, mens den blev indlæst, og intet fra den er indlæst.",
                suggestion: "Indlæs filen igen, når ingen andre arbejder i den.")])
    }
}

extension ContentHash {
    /// A digest as 64 lower-case hex digits.
    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
