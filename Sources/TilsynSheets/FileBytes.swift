#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and writes over POSIX calls, without Foundation.
enum FileBytes {
    /// Reads a whole file, refusing files larger than `limit` bytes.
    static func read(path: String, limit: Int) throws -> [UInt8] {
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
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + done, size - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw SpreadsheetError(.fileUnreadable, "reading failed (\(errnoText()))", file: path)
            }
            if n == 0 { break }
            done += n
        }
        if done < size { bytes.removeLast(size - done) }
        return bytes
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
