/// A buffered byte writer to a file that appears only when ``commit()`` succeeds, for exports in formats that
/// have no writer of their own here (JSON, NDJSON).
///
/// The bytes go through a 64 KiB buffer into a temporary file next to the target, which ``commit()`` flushes to
/// disk and renames into place; ``discard()`` (or dropping the writer uncommitted) removes it and leaves the target
/// as it was.
public final class AtomicFileWriter {
    private static let flushThreshold = 64 * 1024
    private let file: AtomicFile
    private var buffer: [UInt8] = []

    /// The target path.
    public var path: String { file.path }

    /// Creates the temporary file next to `path`; throws a `SpreadsheetError` when the folder is not writable.
    public init(path: String) throws {
        file = try AtomicFile(path: path)
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Writes `text` as UTF-8 to `path`, which appears whole or not at all (a device or a pipe is written into).
    public static func write(_ text: String, to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(text)
        try writer.commit()
    }

    /// Appends text as UTF-8.
    public func write(_ text: String) throws {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Appends bytes.
    public func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { try file.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered, flushes the file to disk and renames it into place.
    public func commit() throws {
        try flush()
        try file.commit()
    }

    /// Removes the temporary file; the target is left as it was.
    public func discard() {
        file.discard()
    }
}
