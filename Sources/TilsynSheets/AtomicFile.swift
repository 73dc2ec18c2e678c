@preconcurrency import Glibc

/// A file written under a temporary name and renamed into place on commit, over POSIX calls.
///
/// Until ``commit()`` succeeds the target is untouched; a failed or abandoned write removes the temporary
/// file, so no reader ever sees half a file. Owns its file descriptor.
final class AtomicFile {
    let path: String
    let temporaryPath: String
    private var descriptor: Int32
    private var done = false

    /// Creates the temporary file next to `path` (same folder, so the rename stays on one file system).
    init(path: String) throws {
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw SpreadsheetError(
                .writeFailed, "the output path names a folder, not a file: add a file name", file: path)
        }
        self.path = path
        let folderEnd = path.lastIndex(of: "/")
        let folder = folderEnd.map { String(path[...$0]) } ?? ""
        let base = folderEnd.map { String(path[path.index(after: $0)...]) } ?? path
        let tag = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        temporaryPath = "\(folder).\(base).\(tag).tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw SpreadsheetError(
                .writeFailed,
                "cannot create a file in the output folder (\(FileBytes.errnoText())): check that the folder "
                    + "exists and that you may write there",
                file: path)
        }
    }

    deinit {
        discard()
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = systemWrite(descriptor, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("writing failed")
            }
            next += written
            left -= written
        }
    }

    /// Flushes the file to disk and renames it into place.
    func commit() throws {
        guard !done else { return }
        guard fsync(descriptor) == 0 else { throw failure("flushing to disk failed") }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw failure("closing the file failed") }
        guard rename(temporaryPath, path) == 0 else { throw failure("replacing the file failed") }
        done = true
    }

    /// Closes and removes the temporary file, leaving the target as it was.
    func discard() {
        guard !done else { return }
        done = true
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
    }

    /// An error for a failed step, with errno's text; the temporary file is removed first.
    private func failure(_ what: String) -> SpreadsheetError {
        let reason = FileBytes.errnoText()
        discard()
        return SpreadsheetError(
            .writeFailed,
            "\(what) (\(reason)): check free disk space and permissions; the file was left as it was",
            file: path)
    }
}

/// POSIX `write`, named apart from the method above.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    Glibc.write(descriptor, bytes, count)
}
