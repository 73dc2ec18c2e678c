/// One file in a ZIP archive, as the central directory describes it.
public struct ZipEntry: Sendable, Equatable {
    /// The name as stored, with `\` turned into `/` and any leading `/` removed.
    public let name: String
    /// The name folded for case-insensitive lookup.
    let key: String
    /// The compression method: 0 stored, 8 deflated.
    public let method: UInt16
    /// The general-purpose flags (bit 0: encrypted; bit 3: sizes in a data descriptor).
    public let flags: UInt16
    /// The CRC-32 of the uncompressed bytes.
    public let crc32: UInt32
    /// The size as stored.
    public let compressedSize: Int64
    /// The size unpacked.
    public let uncompressedSize: Int64
    let localHeaderOffset: Int64
    /// Where the entry's compressed bytes start in the archive (after the local header).
    let dataOffset: Int

    /// Whether the entry is a folder (its name ends in `/`).
    public var isDirectory: Bool { name.hasSuffix("/") }
}

/// A read-only ZIP archive held in memory, with entries inflated as a stream.
///
/// Supports stored and deflated entries, data descriptors and ZIP64; verifies CRC-32 and sizes; rejects
/// duplicate names (compared case-insensitively, `\` as `/`), overlapping entries and zip bombs.
public final class ZipArchive: Sendable {
    /// The archive's bytes.
    public let bytes: [UInt8]
    /// Its entries in central-directory order.
    public let entries: [ZipEntry]
    /// The limits it was checked against.
    public let limits: ZipLimits
    private let index: [String: Int]

    /// Reads an archive from a file.
    public convenience init(path: String, limits: ZipLimits = .default) throws {
        let bytes = try FileBytes.read(path: path, limit: limits.maxArchiveSize)
        do {
            try self.init(bytes: bytes, limits: limits)
        } catch let error as SpreadsheetError {
            throw error.inFile(path)
        }
    }

    /// Reads an archive from bytes in memory.
    public init(bytes: [UInt8], limits: ZipLimits = .default) throws {
        guard bytes.count <= limits.maxArchiveSize else {
            throw SpreadsheetError(.archiveTooLarge, "the archive is larger than \(limits.maxArchiveSize) bytes")
        }
        self.bytes = bytes
        self.limits = limits
        let parsed = try bytes.withUnsafeBytes { (raw) throws in
            try CentralDirectory.parse(raw, limits: limits)
        }
        self.entries = parsed
        var index: [String: Int] = [:]
        index.reserveCapacity(parsed.count)
        for (i, entry) in parsed.enumerated() {
            if index.updateValue(i, forKey: entry.key) != nil {
                throw SpreadsheetError(
                    .duplicateEntry,
                    "the archive holds two entries named '\(entry.name)' (names differ only in case or slashes): "
                        + "the workbook is damaged; open and save it again in Excel",
                    part: entry.name)
            }
        }
        self.index = index
    }

    /// The entry with this name, compared case-insensitively and with `\` as `/`.
    public func entry(named name: String) -> ZipEntry? {
        index[ZipArchive.key(for: name)].map { entries[$0] }
    }

    static func key(for name: String) -> String {
        CentralDirectory.normalisedName(name).lowercasedName
    }

    /// Streams the entry's uncompressed bytes in chunks, verifying size and CRC-32 at the end.
    ///
    /// The chunks are only valid during the call.
    public func read(
        _ entry: ZipEntry, chunkSize: Int = 1 << 17, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let reader = try ZipEntryReader(archive: self, entry: entry)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try reader.read(into: buffer)
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// The whole uncompressed entry in memory; for small parts.
    public func data(_ entry: ZipEntry) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 24)))
        try read(entry) { chunk in out.append(contentsOf: chunk) }
        return out
    }
}

/// Pull-style reader of one entry's uncompressed bytes, checking size and CRC-32 as it goes.
public final class ZipEntryReader {
    /// The archive read from.
    public let archive: ZipArchive
    /// The entry read.
    public let entry: ZipEntry
    private let inflater: Inflater?
    private var consumed = 0
    private var produced: Int64 = 0
    private var crc: UInt32 = 0
    private var finished = false

    /// A reader of `entry`; throws for an encrypted entry or an unsupported method.
    public init(archive: ZipArchive, entry: ZipEntry) throws {
        self.archive = archive
        self.entry = entry
        switch entry.method {
        case 0: inflater = nil
        case 8: inflater = try Inflater()
        default:
            throw SpreadsheetError(
                .unsupportedCompression,
                "the entry uses compression method \(entry.method); only deflate and stored are supported: "
                    + "save the workbook again in Excel",
                part: entry.name)
        }
    }

    /// Fills `buffer` with the next uncompressed bytes; returns 0 at the end of the entry.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished || buffer.count == 0 { return 0 }
        let compressed = Int(entry.compressedSize)
        var count = 0
        do {
            try archive.bytes.withUnsafeBytes { raw in
                let data = UnsafeRawBufferPointer(rebasing: raw[entry.dataOffset..<(entry.dataOffset + compressed)])
                if let inflater {
                    while count == 0 {
                        let input = UnsafeRawBufferPointer(rebasing: data[consumed...])
                        let step = try inflater.step(input, into: buffer)
                        consumed += step.consumed
                        count = step.produced
                        if step.ended {
                            finished = true
                            break
                        }
                        if step.consumed == 0 && step.produced == 0 {
                            throw SpreadsheetError(
                                .corruptZip, "the compressed data ends early: the file is truncated; ask for a new copy")
                        }
                    }
                } else {
                    count = min(buffer.count, compressed - consumed)
                    if count > 0 {
                        buffer.baseAddress!.copyMemory(from: data.baseAddress!.advanced(by: consumed), byteCount: count)
                    }
                    consumed += count
                    if consumed == compressed { finished = true }
                }
            }
        } catch var error as SpreadsheetError {
            if error.part == nil { error.part = entry.name }
            throw error
        }
        produced += Int64(count)
        guard produced <= entry.uncompressedSize else {
            throw SpreadsheetError(
                .sizeMismatch,
                "the entry inflates to more than the \(entry.uncompressedSize) bytes its header declares: "
                    + "the archive is damaged or hostile",
                part: entry.name)
        }
        crc = crc32Update(crc, UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        if finished {
            guard produced == entry.uncompressedSize else {
                throw SpreadsheetError(
                    .sizeMismatch,
                    "the entry holds \(produced) bytes but its header declares \(entry.uncompressedSize): "
                        + "the file is damaged; ask for a new copy",
                    part: entry.name)
            }
            guard crc == entry.crc32 else {
                throw SpreadsheetError(
                    .crcMismatch, "the entry's checksum (CRC-32) does not match: the file is damaged; ask for a new copy",
                    part: entry.name)
            }
        }
        return count
    }
}

/// Parsing of the end-of-central-directory records and the central directory.
enum CentralDirectory {
    static let eocdSignature: UInt32 = 0x0605_4b50
    static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    static let zip64EOCDSignature: UInt32 = 0x0606_4b50
    static let centralSignature: UInt32 = 0x0201_4b50
    static let localSignature: UInt32 = 0x0403_4b50

    static func corrupt(_ what: String) -> SpreadsheetError {
        SpreadsheetError(.corruptZip, "\(what): the file is damaged or not a complete workbook; ask for a new copy")
    }

    static func parse(_ raw: UnsafeRawBufferPointer, limits: ZipLimits) throws -> [ZipEntry] {
        let reader = ByteReader(raw)
        guard raw.count >= 22 else { throw corrupt("the file is too short to be a ZIP archive") }
        // The end-of-central-directory record is within the last 22 + 65535 bytes.
        var eocd = -1
        var position = raw.count - 22
        let lowest = max(0, raw.count - 22 - 65_535)
        while position >= lowest {
            if raw[position] == 0x50, reader.u32(position) == eocdSignature {
                eocd = position
                break
            }
            position -= 1
        }
        guard eocd >= 0 else { throw corrupt("no end-of-central-directory record was found") }

        var entryCount = Int64(reader.u16(eocd + 10))
        var directorySize = Int64(reader.u32(eocd + 12))
        var directoryOffset = Int64(reader.u32(eocd + 16))
        let diskNumber = reader.u16(eocd + 4)
        guard diskNumber == 0 || diskNumber == 0xFFFF else {
            throw SpreadsheetError(.corruptZip, "the archive is split over several disks, which is not supported: save it as one file")
        }

        // ZIP64: a locator just before the EOCD record points at the ZIP64 EOCD record.
        let locator = eocd - 20
        if locator >= 0, reader.u32(locator) == zip64LocatorSignature {
            let recordOffset = reader.u64(locator + 8)
            guard recordOffset >= 0, recordOffset <= Int64(locator) - 56, reader.u32(Int(recordOffset)) == zip64EOCDSignature
            else { throw corrupt("the ZIP64 end-of-central-directory locator points outside the file") }
            let record = Int(recordOffset)
            let count64 = reader.u64(record + 32)
            let size64 = reader.u64(record + 40)
            let offset64 = reader.u64(record + 48)
            // Each 32-bit field must either agree with its 64-bit twin or be the 0xFFFF… marker.
            if entryCount != 0xFFFF && entryCount != count64
                || directorySize != 0xFFFF_FFFF && directorySize != size64
                || directoryOffset != 0xFFFF_FFFF && directoryOffset != offset64
            {
                throw corrupt("the ZIP64 and classic end-of-central-directory records disagree")
            }
            entryCount = count64
            directorySize = size64
            directoryOffset = offset64
        } else if entryCount == 0xFFFF || directoryOffset == 0xFFFF_FFFF {
            // Markers without a ZIP64 record are only plausible if the values are genuinely that large.
            if directoryOffset == 0xFFFF_FFFF { throw corrupt("the ZIP64 end-of-central-directory record is missing") }
        }
        guard entryCount >= 0, entryCount <= Int64(limits.maxEntries) else {
            throw SpreadsheetError(
                .tooManyEntries, "the archive declares \(entryCount) entries, more than the \(limits.maxEntries) allowed")
        }
        // Compared by subtraction: the 64-bit fields may hold anything up to Int64.max, so their sum could overflow.
        guard directoryOffset >= 0, directorySize >= 0, directorySize <= Int64(eocd) - directoryOffset else {
            throw corrupt("the central directory lies outside the file")
        }

        var entries: [ZipEntry] = []
        entries.reserveCapacity(Int(entryCount))
        var cursor = Int(directoryOffset)
        let directoryEnd = Int(directoryOffset + directorySize)
        var total: Int64 = 0
        for _ in 0..<entryCount {
            guard cursor + 46 <= directoryEnd, reader.u32(cursor) == centralSignature else {
                throw corrupt("the central directory is shorter than it declares")
            }
            let flags = reader.u16(cursor + 8)
            let method = reader.u16(cursor + 10)
            let crc = reader.u32(cursor + 16)
            var compressed = Int64(reader.u32(cursor + 20))
            var uncompressed = Int64(reader.u32(cursor + 24))
            let nameLength = Int(reader.u16(cursor + 28))
            let extraLength = Int(reader.u16(cursor + 30))
            let commentLength = Int(reader.u16(cursor + 32))
            var localOffset = Int64(reader.u32(cursor + 42))
            let nameStart = cursor + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= directoryEnd else { throw corrupt("a central directory record runs past the directory's end") }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: raw[nameStart..<extraStart]), as: UTF8.self)

            // ZIP64 extended information: only the fields whose 32-bit value is the marker are present.
            if uncompressed == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                var field = extraStart
                var found = false
                while field + 4 <= extraStart + extraLength {
                    let id = reader.u16(field)
                    let size = Int(reader.u16(field + 2))
                    let body = field + 4
                    guard body + size <= extraStart + extraLength else { break }
                    if id == 0x0001 {
                        found = true
                        var at = body
                        func take() throws -> Int64 {
                            guard at + 8 <= body + size else {
                                throw corrupt("the ZIP64 extra field of '\(name)' is too short")
                            }
                            defer { at += 8 }
                            return reader.u64(at)
                        }
                        if uncompressed == 0xFFFF_FFFF { uncompressed = try take() }
                        if compressed == 0xFFFF_FFFF { compressed = try take() }
                        if localOffset == 0xFFFF_FFFF { localOffset = try take() }
                    }
                    field = body + size
                }
                if !found { throw corrupt("entry '\(name)' needs a ZIP64 extra field but has none") }
            }
            guard uncompressed >= 0, compressed >= 0, localOffset >= 0 else {
                throw corrupt("entry '\(name)' declares a negative size or offset")
            }
            if flags & 0x0001 != 0 {
                throw SpreadsheetError(
                    .encryptedEntry, "the entry is encrypted: save a copy of the workbook without a password", part: name)
            }
            if uncompressed > limits.maxEntrySize {
                throw SpreadsheetError(
                    .entryTooLarge,
                    "the entry declares \(uncompressed) bytes uncompressed, more than the \(limits.maxEntrySize) allowed per part: "
                        + "the file is a zip bomb or far too large to be a review workbook",
                    part: name)
            }
            total += uncompressed
            if total > limits.maxTotalSize {
                throw SpreadsheetError(
                    .archiveTooLarge,
                    "the entries declare more than \(limits.maxTotalSize) bytes uncompressed in all: the file is a zip bomb or far too large",
                    part: name)
            }
            let (ratioLimit, ratioOverflow) = compressed.multipliedReportingOverflow(by: limits.maxCompressionRatio)
            if uncompressed >= limits.ratioThreshold, !ratioOverflow, uncompressed > ratioLimit {
                throw SpreadsheetError(
                    .compressionRatio,
                    "the entry would inflate \(compressed == 0 ? uncompressed : uncompressed / compressed) times, more than the "
                        + "\(limits.maxCompressionRatio) allowed: the file looks like a zip bomb",
                    part: name)
            }

            // The local header gives the real start of the data (its name and extra lengths may differ).
            let local = Int(clamping: localOffset)
            guard local <= raw.count - 30, reader.u32(local) == localSignature else {
                throw corrupt("the local header of '\(name)' is missing")
            }
            let dataOffset = local + 30 + Int(reader.u16(local + 26)) + Int(reader.u16(local + 28))
            guard dataOffset <= raw.count, compressed <= Int64(raw.count - dataOffset) else {
                throw corrupt("the data of '\(name)' runs past the end of the file")
            }
            if method == 0 && compressed != uncompressed {
                throw corrupt("the stored entry '\(name)' declares different compressed and uncompressed sizes")
            }
            entries.append(
                ZipEntry(
                    name: normalisedName(name), key: ZipArchive.key(for: name), method: method, flags: flags, crc32: crc,
                    compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: localOffset,
                    dataOffset: dataOffset))
            cursor = next
        }

        // Entries must not share bytes: overlapping entries are a classic zip-bomb construction.
        let ordered = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        var previousEnd = 0
        var previousName = ""
        for entry in ordered {
            if Int(entry.localHeaderOffset) < previousEnd {
                throw SpreadsheetError(
                    .overlappingEntries,
                    "entries '\(previousName)' and '\(entry.name)' share bytes in the archive: the file is damaged or hostile",
                    part: entry.name)
            }
            previousEnd = entry.dataOffset + Int(entry.compressedSize)
            previousName = entry.name
        }
        return entries
    }

    /// The name with `\\` turned into `/` and leading slashes removed.
    static func normalisedName(_ name: String) -> String {
        let utf8 = name.utf8
        guard utf8.first == UInt8(ascii: "/") || utf8.contains(UInt8(ascii: "\\")) else { return name }
        let bytes = utf8.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }
        return String(decoding: bytes.drop { $0 == UInt8(ascii: "/") }, as: UTF8.self)
    }
}

/// Little-endian reads from a byte buffer, bounds-checked by the callers.
struct ByteReader {
    let raw: UnsafeRawBufferPointer
    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    func u16(_ at: Int) -> UInt16 {
        guard at >= 0, at + 2 <= raw.count else { return 0 }
        return UInt16(raw[at]) | UInt16(raw[at + 1]) << 8
    }
    func u32(_ at: Int) -> UInt32 {
        guard at >= 0, at + 4 <= raw.count else { return 0 }
        return UInt32(raw[at]) | UInt32(raw[at + 1]) << 8 | UInt32(raw[at + 2]) << 16 | UInt32(raw[at + 3]) << 24
    }
    /// A 64-bit field as a signed value; values above Int64.max come back negative and are rejected.
    func u64(_ at: Int) -> Int64 {
        guard at >= 0, at + 8 <= raw.count else { return -1 }
        return Int64(bitPattern: UInt64(u32(at)) | UInt64(u32(at + 4)) << 32)
    }
}
