@preconcurrency import Glibc

/// A ZIP archive written front to back, with entries deflated (or stored) as a stream.
///
/// Entries are added whole with `addEntry(_:contents:method:)` (sizes and CRC-32 go into the local header)
/// or streamed with `beginEntry(_:method:)`, `write(_:)` and `endEntry()` (sizes follow the data in a
/// data descriptor, flag bit 3). ZIP64 records are written exactly when needed: for an entry of 4 GiB or
/// more or one starting at or beyond 4 GiB, and for an archive of 65,535 entries or more or whose central
/// directory lies beyond 4 GiB. A streamed entry that turns out to need ZIP64 gets 8-byte sizes in its data
/// descriptor and a ZIP64 extra field in the central directory only (as Java's and Go's writers do); readers
/// take the sizes from the central directory.
///
/// Output is deterministic: every entry carries the same DOS timestamp and no other time or host data, so
/// the same input gives identical bytes. Names are stored as UTF-8 (flag bit 11 when not ASCII).
///
/// A writer to a path writes a temporary file next to it and renames it into place in `finish()`; if
/// anything fails, or the writer is dropped before `finish()`, the temporary file is removed and the path
/// is left as it was. A writer is not thread-safe; use it from one task.
public final class ZipWriter {
    /// How an entry's bytes are kept.
    public enum Method: Sendable, Equatable {
        /// Raw deflate (method 8), at the writer's level.
        case deflated
        /// As they are (method 0).
        case stored
    }

    /// Settings for a writer.
    public struct Options: Sendable, Equatable {
        /// The deflate level, 1 (fastest, about 3× faster than 6) to 9 (smallest); 6 is zlib's default.
        public var compressionLevel: Int
        /// The size of the write buffer for file output, in bytes.
        public var bufferSize: Int
        /// The modification time stored for every entry (local time, as DOS keeps it).
        public var timestamp: DOSTimestamp
        /// Whether a file written to a path is flushed to disk (`fsync`) before it is renamed into place, so that
        /// a crash cannot leave an empty or partial file under the final name. On by default; turn it off only
        /// for many files that are cheap to write again (a flush costs milliseconds per file).
        public var syncToDisk: Bool
        /// Where small whole entries are kept deflated, to be added again without deflating them (nil: deflate
        /// every entry). The shared cache by default; see ``DeflateCache``.
        public var deflateCache: DeflateCache?
        /// Forces ZIP64 records for every entry and the archive; for tests of the ZIP64 path.
        var forceZip64 = false

        /// Options for writing; zlib level 6 and flushed to disk by default.
        public init(
            compressionLevel: Int = 6, bufferSize: Int = 1 << 16, timestamp: DOSTimestamp = .earliest,
            syncToDisk: Bool = true, deflateCache: DeflateCache? = .shared
        ) {
            self.compressionLevel = compressionLevel
            self.bufferSize = bufferSize
            self.timestamp = timestamp
            self.syncToDisk = syncToDisk
            self.deflateCache = deflateCache
        }
    }

    private enum Target {
        case memory
        /// A descriptor the caller owns and closes.
        case descriptor(Int32)
        /// A temporary file this writer created, renamed into place on success.
        case file(AtomicFile)
    }

    private enum State: Equatable {
        case idle
        case inEntry
        case finished
        case failed
    }

    /// One entry as the central directory will describe it.
    private typealias Record = ZipRecord

    static let marker32 = ZipRecord.marker32
    static let marker16 = ZipRecord.marker16

    /// The writer's settings.
    public let options: Options
    private var target: Target
    private var state = State.idle
    private let buffer: UnsafeMutableRawPointer
    private let bufferSize: Int
    private var buffered = 0
    private var memory: [UInt8] = []
    /// Bytes written so far, buffered or not: the offset of the next byte in the archive.
    private var position: UInt64 = 0
    private var records: [Record] = []
    private var names: Set<String> = []
    private let deflater: Deflater
    private var deflateOutput: UnsafeMutableRawBufferPointer
    // The entry being streamed.
    private var current: Record?
    private var currentCRC: UInt32 = 0
    private var currentCompressed: UInt64 = 0
    private var currentUncompressed: UInt64 = 0

    /// A writer whose archive is kept in memory; read it from `bytes` after `finish()`.
    public convenience init(options: Options = Options()) throws {
        try self.init(target: .memory, options: options)
    }

    /// A writer to a file descriptor opened for writing; the caller keeps ownership and closes it.
    ///
    /// A failure can leave a partial archive in the file: use `init(path:options:)` to avoid that.
    public convenience init(fileDescriptor: Int32, options: Options = Options()) throws {
        try self.init(target: .descriptor(fileDescriptor), options: options)
    }

    /// A writer to `path`, which is replaced only when `finish()` succeeds.
    ///
    /// The archive is written to a new temporary file in the same folder (so the final rename is atomic),
    /// created with the permissions a new file gets (0666 less the umask).
    public convenience init(path: String, options: Options = Options()) throws {
        let file = try AtomicFile(path: path)
        try self.init(target: .file(file), options: options)
    }

    private init(target: Target, options: Options) throws {
        guard options.bufferSize >= 1024 else {
            throw SpreadsheetError(.invalidArgument, "the ZIP write buffer must be at least 1024 bytes")
        }
        self.options = options
        self.target = target
        deflater = try Deflater(level: options.compressionLevel)
        bufferSize = options.bufferSize
        buffer = .allocate(byteCount: options.bufferSize, alignment: 16)
        deflateOutput = .allocate(byteCount: options.bufferSize, alignment: 16)
    }

    deinit {
        discard()
        buffer.deallocate()
        deflateOutput.deallocate()
    }

    /// The archive written to memory; complete once `finish()` has returned. Empty for file output.
    public var bytes: [UInt8] { memory }

    /// Whether `finish()` has completed.
    public var isFinished: Bool { state == .finished }

    /// Whether the archive is finished or was discarded, so that nothing more can be written.
    var isFailedOrFinished: Bool { state == .finished || state == .failed }

    // MARK: - Entries

    /// Adds a whole entry; its sizes and CRC-32 go into the local header.
    public func addEntry(_ name: String, contents: [UInt8], method: Method = .deflated) throws {
        try guarded {
            try requireState(.idle, doing: "add entry '\(name)'")
            let nameBytes = try checkedName(name)
            let cache = method == .deflated ? options.deflateCache?.holding(contents) : nil
            let cached = cache?.entry(contents, level: options.compressionLevel)
            let crc = cached?.crc ?? contents.withUnsafeBytes { crc32Update(0, $0) }
            var compressed: [UInt8] = cached?.compressed ?? []
            if method == .deflated && cached == nil {
                try deflater.reset()
                compressed.reserveCapacity(contents.count / 4 + 64)
                try contents.withUnsafeBytes { raw in
                    try deflater.compress(raw, into: deflateOutput) { compressed.append(contentsOf: $0) }
                }
                try deflater.finish(into: deflateOutput) { compressed.append(contentsOf: $0) }
                cache?.keep(
                    Precompressed(
                        level: options.compressionLevel, compressed: compressed, crc: crc,
                        uncompressedSize: contents.count),
                    for: contents)
            }
            let compressedSize = UInt64(method == .deflated ? compressed.count : contents.count)
            let uncompressedSize = UInt64(contents.count)
            let zip64 = options.forceZip64 || compressedSize >= Self.marker32 || uncompressedSize >= Self.marker32
            let record = Record(
                name: nameBytes, flags: ZipRecord.flags(for: nameBytes, streamed: false), method: method == .deflated ? 8 : 0,
                crc: crc, compressedSize: compressedSize, uncompressedSize: uncompressedSize, offset: position,
                zip64InLocalHeader: zip64)
            try emit(record.localHeader(timestamp: options.timestamp))
            if method == .deflated {
                try compressed.withUnsafeBytes { try emit($0) }
            } else {
                try contents.withUnsafeBytes { try emit($0) }
            }
            records.append(record)
        }
    }

    /// Adds a whole entry deflated ahead of time (at this writer's level, so the archive is the same).
    func addEntry(_ name: String, precompressed: Precompressed) throws {
        try guarded {
            try requireState(.idle, doing: "add entry '\(name)'")
            let nameBytes = try checkedName(name)
            let compressedSize = UInt64(precompressed.compressed.count)
            let uncompressedSize = UInt64(precompressed.uncompressedSize)
            let zip64 = options.forceZip64 || compressedSize >= Self.marker32 || uncompressedSize >= Self.marker32
            let record = Record(
                name: nameBytes, flags: ZipRecord.flags(for: nameBytes, streamed: false), method: 8, crc: precompressed.crc,
                compressedSize: compressedSize, uncompressedSize: uncompressedSize, offset: position,
                zip64InLocalHeader: zip64)
            try emit(record.localHeader(timestamp: options.timestamp))
            try precompressed.compressed.withUnsafeBytes { try emit($0) }
            records.append(record)
        }
    }

    /// Adds a whole entry from text, encoded as UTF-8.
    public func addEntry(_ name: String, text: String, method: Method = .deflated) throws {
        try addEntry(name, contents: Array(text.utf8), method: method)
    }

    /// Starts a streamed entry; write its bytes with `write(_:)` and end it with `endEntry()`.
    public func beginEntry(_ name: String, method: Method = .deflated) throws {
        try guarded {
            try requireState(.idle, doing: "begin entry '\(name)'")
            let nameBytes = try checkedName(name)
            let record = Record(
                name: nameBytes, flags: ZipRecord.flags(for: nameBytes, streamed: true), method: method == .deflated ? 8 : 0,
                crc: 0, compressedSize: 0, uncompressedSize: 0, offset: position, zip64InLocalHeader: options.forceZip64
            )
            if method == .deflated { try deflater.reset() }
            try emit(record.localHeader(timestamp: options.timestamp))
            current = record
            currentCRC = 0
            currentCompressed = 0
            currentUncompressed = 0
            state = .inEntry
        }
    }

    /// Appends bytes to the entry being streamed.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try guarded {
            guard state == .inEntry, let record = current else {
                try requireState(.inEntry, doing: "write entry data")
                return
            }
            currentCRC = crc32Update(currentCRC, bytes)
            currentUncompressed += UInt64(bytes.count)
            if record.method == 8 {
                try deflater.compress(bytes, into: deflateOutput) { chunk in
                    currentCompressed += UInt64(chunk.count)
                    try emit(chunk)
                }
            } else {
                currentCompressed += UInt64(bytes.count)
                try emit(bytes)
            }
        }
    }

    /// Appends bytes to the entry being streamed.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Ends the streamed entry, writing its data descriptor.
    public func endEntry() throws {
        try guarded {
            guard state == .inEntry, var record = current else {
                try requireState(.inEntry, doing: "end an entry")
                return
            }
            if record.method == 8 {
                try deflater.finish(into: deflateOutput) { chunk in
                    currentCompressed += UInt64(chunk.count)
                    try emit(chunk)
                }
            }
            record.crc = currentCRC
            record.compressedSize = currentCompressed
            record.uncompressedSize = currentUncompressed
            // 8-byte sizes when the local header announced ZIP64 or the sizes do not fit in 4 bytes.
            let wide =
                record.zip64InLocalHeader || record.compressedSize >= Self.marker32
                || record.uncompressedSize >= Self.marker32
            var descriptor = LittleEndianBytes()
            descriptor.u32(0x0807_4b50)
            descriptor.u32(record.crc)
            if wide {
                descriptor.u64(record.compressedSize)
                descriptor.u64(record.uncompressedSize)
            } else {
                descriptor.u32(UInt32(record.compressedSize))
                descriptor.u32(UInt32(record.uncompressedSize))
            }
            try emit(descriptor.bytes)
            records.append(record)
            current = nil
            state = .idle
        }
    }

    /// Writes the central directory, flushes, and for a path renames the temporary file into place.
    public func finish() throws {
        try guarded {
            try requireState(.idle, doing: "finish the archive")
            let directoryOffset = position
            for record in records {
                try emit(record.centralHeader(timestamp: options.timestamp, forceZip64: options.forceZip64))
            }
            let directorySize = position - directoryOffset
            try emit(
                ZipRecord.endOfCentralDirectory(
                    entries: UInt64(records.count), directorySize: directorySize, directoryOffset: directoryOffset,
                    forceZip64: options.forceZip64))
            try flush()
            switch target {
            case .memory:
                break
            case .descriptor:
                break
            case .file(let file):
                target = .descriptor(-1)
                try file.commit(syncToDisk: options.syncToDisk)
            }
            state = .finished
        }
    }

    /// Abandons the archive: a temporary file is closed and removed. Later calls throw.
    public func discard() {
        if case .file(let file) = target {
            file.discard()
            target = .descriptor(-1)
        }
        if state != .finished { state = .failed }
    }

    // MARK: - Checks

    private func checkedName(_ name: String) throws -> [UInt8] {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 0xFFFF, bytes.first != UInt8(ascii: "/"),
            !bytes.contains(UInt8(ascii: "\\")), !bytes.contains(0)
        else {
            throw SpreadsheetError(
                .invalidArgument,
                "the entry name is empty, too long, starts with '/' or holds '\\' or NUL: use a relative path with '/'",
                part: name)
        }
        let key = name.lowercased()
        guard names.insert(key).inserted else {
            throw SpreadsheetError(
                .duplicateEntry, "the archive already has an entry with this name (compared case-insensitively)",
                part: name)
        }
        return bytes
    }

    private func requireState(_ expected: State, doing what: String) throws {
        guard state != expected else { return }
        let reason: String
        switch state {
        case .idle: reason = "no entry is open"
        case .inEntry: reason = "an entry is still open; call endEntry() first"
        case .finished: reason = "the archive is already finished"
        case .failed: reason = "an earlier write failed and the archive was discarded"
        }
        throw SpreadsheetError(.invalidArgument, "cannot \(what): \(reason)")
    }

    /// Runs `body`; on any error the archive is discarded (a temporary file is removed) and the error rethrown.
    private func guarded(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as SpreadsheetError where error.code == .invalidArgument || error.code == .duplicateEntry {
            // A refused call changes nothing: the archive stays usable.
            throw error
        } catch {
            discard()
            throw error
        }
    }

    // MARK: - Output

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try emit($0) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        position += UInt64(bytes.count)
        if case .memory = target {
            memory.append(contentsOf: bytes)
            return
        }
        if buffered + bytes.count <= bufferSize {
            (buffer + buffered).copyMemory(from: source, byteCount: bytes.count)
            buffered += bytes.count
            return
        }
        try flush()
        if bytes.count >= bufferSize {
            try writeAll(bytes)
        } else {
            buffer.copyMemory(from: source, byteCount: bytes.count)
            buffered = bytes.count
        }
    }

    private func flush() throws {
        guard buffered > 0 else { return }
        let pending = UnsafeRawBufferPointer(start: buffer, count: buffered)
        buffered = 0
        try writeAll(pending)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        let fd: Int32
        switch target {
        case .memory:
            memory.append(contentsOf: bytes)
            return
        case .descriptor(let descriptor):
            fd = descriptor
        case .file(let atomic):
            try atomic.write(bytes)
            return
        }
        guard fd >= 0, let base = bytes.baseAddress else {
            if bytes.isEmpty { return }
            throw SpreadsheetError(.writeFailed, "the output file is already closed")
        }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw SpreadsheetError(.writeFailed, "writing failed (\(FileBytes.errnoText())): check the disk has space")
            }
            done += n
        }
    }
}
