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
            var done = 0
            while done < size {
                let n = Glibc.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = SpreadsheetError(.fileUnreadable, "reading failed (\(errnoText()))", file: path)
                    break
                }
                if n == 0 { break }
                done += n
            }
            initialized = done
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
            let n = Glibc.read(fd, chunk.baseAddress!, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw SpreadsheetError(.fileUnreadable, "reading failed (\(errnoText()))", file: path)
            }
            if n == 0 { return }
            try body(UnsafeBufferPointer(rebasing: chunk[..<n]))
        }
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
