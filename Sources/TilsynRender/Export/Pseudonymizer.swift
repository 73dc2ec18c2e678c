internal import Crypto
internal import TilsynAudit

@preconcurrency import Glibc

/// Keyed pseudonyms for case numbers: the first 16 hex digits of HMAC-SHA256(key, UTF-8 of the case number), unless
/// they hold a CPR-like number (`b2609799272bb9f4` holds 260979-9272; about one pseudonym in 500), then the next 16
/// of the MAC's 64 that hold none.
///
/// The same key gives the same pseudonym for a case in every export (so exports of different rounds join), a
/// different key gives unrelated ones, and without the key a pseudonym cannot be traced back by hashing guessed
/// case numbers. No pseudonym looks like a CPR number, so no CPR check (Tilsyn's own import of an export, or the
/// recipient's) refuses it. Pseudonymised data is still personal data: keep the key file apart from the exports.
///
/// In Python: `mac = hmac.new(key, case.encode(), hashlib.sha256).hexdigest()`, then the first of `mac[0:16]`,
/// `mac[16:32]`, `mac[32:48]`, `mac[48:64]` with no CPR-like number.
public struct Pseudonymizer: Sendable {
    /// Hex digits kept of the 64 of the MAC: 64 bits, collision-free in practice for any municipality's cases.
    public static let length = 16

    private let key: [UInt8]

    /// A pseudonymizer over `key`, which must have at least 16 bytes.
    public init(key: [UInt8]) throws {
        guard key.count >= 16 else {
            throw ExportError(
                .badKey,
                "the key has \(key.count) bytes; give at least 16 (32 random bytes are made "
                    + "when the key file does not exist)")
        }
        self.key = key
    }

    /// The pseudonym of `text` (a case number, or a file name).
    public func pseudonym(_ text: String) -> String {
        // Four windows all CPR-like: about one text in 10^10; the MAC of the text marked as a second try then.
        for attempt in [text, text + "\u{1F}1"] {
            if let clean = candidates(attempt).first(where: { !CPRDetector.containsCPR($0) }) { return clean }
        }
        var windows = candidates(text).makeIterator()
        return windows.next() ?? ""
    }

    /// The MAC of `text` in hex, cut in windows of ``length`` digits, first to last, each made when it is asked for
    /// (most pseudonyms are the first).
    func candidates(_ text: String) -> LazyMapSequence<StrideTo<Int>, String> {
        let mac = HMAC<Crypto.SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: key))
        let bytes = Array(mac)
        let digits = Array("0123456789abcdef")
        return stride(from: 0, to: bytes.count, by: Self.length / 2).lazy.map { start in
            var window = ""
            window.reserveCapacity(Self.length)
            for byte in bytes[start..<(start + Self.length / 2)] {
                window.append(digits[Int(byte >> 4)])
                window.append(digits[Int(byte & 0x0F)])
            }
            return window
        }
    }

    /// What `load(keyFile:)` found.
    public enum KeyFileState: Sendable, Equatable {
        /// The file existed and was read.
        case read
        /// The file did not exist: 32 random bytes were written to it, readable by the owner only (0600).
        case created
        /// The file existed but group or others may read it.
        case readableByOthers
    }

    /// Reads the key in `keyFile`, or creates the file with a new random key, owner-only (0600), when it is
    /// absent.
    ///
    /// The file holds the key as 64 hex digits and a newline; a file of other bytes (at least 16) is used as the
    /// raw key. The key is never written anywhere else.
    public static func load(keyFile: String) throws -> (Pseudonymizer, KeyFileState) {
        var status = stat()
        if stat(keyFile, &status) != 0 {
            guard errno == ENOENT else {
                throw ExportError(.badKey, "the key file cannot be read (\(errnoText()))", path: keyFile)
            }
            var generator = SystemRandomNumberGenerator()
            let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try create(keyFile, contents: Array((hex(key) + "\n").utf8))
            return (try Pseudonymizer(key: key), .created)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw ExportError(.badKey, "the key file is not a regular file", path: keyFile)
        }
        let bytes = try read(keyFile)
        let state: KeyFileState = (status.st_mode & 0o077) != 0 ? .readableByOthers : .read
        return (try Pseudonymizer(key: parse(bytes)), state)
    }

    /// The key in a key file's bytes: hex digits (whitespace around them ignored), else the raw bytes.
    static func parse(_ bytes: [UInt8]) -> [UInt8] {
        var start = 0
        var end = bytes.count
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        let trimmed = bytes[start..<end]
        func value(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x61...0x66: byte - 0x61 + 10
            case 0x41...0x46: byte - 0x41 + 10
            default: nil
            }
        }
        guard trimmed.count >= 32, trimmed.count % 2 == 0, trimmed.allSatisfy({ value($0) != nil }) else {
            return bytes
        }
        var key: [UInt8] = []
        var index = trimmed.startIndex
        while index < trimmed.endIndex {
            key.append((value(trimmed[index]) ?? 0) << 4 | (value(trimmed[index + 1]) ?? 0))
            index += 2
        }
        return key
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Creates `path` with mode 0600 (failing if it appeared meanwhile) and writes `contents` to disk.
    private static func create(_ path: String, contents: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ExportError(.badKey, "the key file cannot be created (\(errnoText()))", path: path)
        }
        defer { close(descriptor) }
        _ = fchmod(descriptor, 0o600)
        var offset = 0
        while offset < contents.count {
            let written = contents.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                unlink(path)
                throw ExportError(.badKey, "the key file cannot be written (\(errnoText()))", path: path)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            unlink(path)
            throw ExportError(.badKey, "the key file cannot be written (\(errnoText()))", path: path)
        }
    }

    private static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ExportError(.badKey, "the key file cannot be read (\(errnoText()))", path: path)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 1 << 16 {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ExportError(.badKey, "the key file cannot be read (\(errnoText()))", path: path)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}

/// POSIX `read`, named apart from `Pseudonymizer.read(_:)`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    Glibc.read(descriptor, buffer, count)
}
