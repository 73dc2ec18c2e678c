@preconcurrency import Glibc

/// A file written under a temporary name and renamed into place on commit, over POSIX calls: the one way
/// TilsynSheets writes a file (CSV, ZIP and so XLSX, JSON).
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
        guard let temporaryPath = TemporaryFile.path(beside: path) else {
            throw SpreadsheetError(
                .writeFailed, "the output path names a folder, not a file: add a file name", file: path)
        }
        self.path = path
        self.temporaryPath = temporaryPath
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

    /// Flushes the file to disk (unless `syncToDisk` is false) and renames it into place.
    func commit(syncToDisk: Bool = true) throws {
        guard !done else { return }
        guard !syncToDisk || fsync(descriptor) == 0 else { throw failure("flushing to disk failed") }
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

/// Where a file is written before it is renamed into place.
public enum TemporaryFile {
    /// A hidden name beside `path`, unique per write: `.<name>.<random>.tmp` in the same folder, so the final
    /// rename stays on one file system; nil when `path` names a folder.
    public static func path(beside path: String) -> String? {
        let folderEnd = path.lastIndex(of: "/")
        let folder = folderEnd.map { String(path[...$0]) } ?? ""
        let base = folderEnd.map { String(path[path.index(after: $0)...]) } ?? path
        guard !base.isEmpty else { return nil }
        return "\(folder).\(base).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
    }
}
