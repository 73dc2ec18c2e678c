@preconcurrency import Glibc

/// Whole-file reads over POSIX calls, without Foundation.
public enum FileBytes {
    /// Files at least this large are read into memory advised to use huge pages.
    static let hugePageThreshold = 8 << 20

    /// Reads a whole file into one buffer (no copy on the way), refusing files larger than `limit` bytes.
    public static func read(path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SpreadsheetError(.fileUnreadable, "cannot open the file (\(errnoText())): check the path and permissions", file: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SpreadsheetError(.fileUnreadable, "cannot read the file's size (\(errnoText()))", file: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw SpreadsheetError(.fileUnreadable, "this is a folder, not a file", file: path)
        }
        let size = Int(info.st_size)
        guard size <= limit else {
            throw SpreadsheetError(
                .archiveTooLarge,
                "the file is \(size / 1_048_576) MiB, more than the \(limit / 1_048_576) MiB allowed: split it into smaller files",
                file: path)
        }
        // Read into uninitialised storage: zero-filling first would touch every page of a large file twice.
        var failure: SpreadsheetError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            // A large buffer in huge pages: 2 MiB a page fault instead of 4 KiB, which is most of the system time of
            // reading a large file. Only advice: where transparent huge pages are off it changes nothing.
            if size >= Self.hugePageThreshold, let base = buffer.baseAddress {
                let huge = 2 << 20
                let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
                let end = (Int(bitPattern: base) + size) & ~(huge - 1)
                if end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) {
                    _ = madvise(aligned, end - start, MADV_HUGEPAGE)
                }
            }
            do throws(SpreadsheetError) {
                initialized = try read(fd, into: buffer, at: nil, path: path)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Calls `body` with the file's bytes a chunk of `size` bytes at a time, in order.
    public static func forEachChunk(
        path: String, size: Int = 1 << 20, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SpreadsheetError(.fileUnreadable, "cannot open the file (\(errnoText())): check the path and permissions", file: path)
        }
        defer { close(fd) }
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, size))
        defer { chunk.deallocate() }
        while true {
            let n = try read(fd, into: chunk, at: nil, path: path)
            if n == 0 { return }
            try body(UnsafeBufferPointer(rebasing: chunk[..<n]))
        }
    }

    /// Reads from `fd` until `target` is full or the file ends; returns the bytes read (0 at the end). From file
    /// offset `at` when given (`pread`), else from where the descriptor stands (`read`, which pipes allow too). The
    /// one read loop of the layer: interrupted calls are retried, short reads continued.
    static func read(
        _ fd: Int32, into target: UnsafeMutableBufferPointer<UInt8>, at: Int?, path: String
    ) throws(SpreadsheetError) -> Int {
        guard let base = target.baseAddress else { return 0 }
        var done = 0
        while done < target.count {
            let n = at.map { pread(fd, base + done, target.count - done, off_t($0 + done)) }
                ?? Glibc.read(fd, base + done, target.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw SpreadsheetError(.fileUnreadable, "reading failed (\(errnoText()))", file: path)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
