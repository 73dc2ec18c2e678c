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
        guard TemporaryFile.moveIntoPlace(temporaryPath, path) else { throw failure("replacing the file failed") }
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

/// Where a file is written before it is put in place, and how it is put there.
public enum TemporaryFile {
    /// A hidden name beside `path`, unique per write: `.<name>.<random>.tmp` in the same folder, so the final
    /// rename stays on one file system; nil when `path` names a folder. For an output that is a device or a pipe
    /// (`/dev/null`, `/dev/stdout`, a FIFO), which is written into instead of replaced (see
    /// ``moveIntoPlace(_:_:)``), the name is in the system's temporary folder: nothing is created beside a device.
    public static func path(beside path: String) -> String? {
        let folderEnd = path.lastIndex(of: "/")
        let folder = folderEnd.map { String(path[...$0]) } ?? ""
        let base = folderEnd.map { String(path[path.index(after: $0)...]) } ?? path
        guard !base.isEmpty else { return nil }
        let name = ".\(base).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
        if isDeviceOrPipe(path) {
            let temporary = getenv("TMPDIR").map { String(cString: $0) } ?? ""
            return (temporary.isEmpty ? "/tmp" : temporary) + "/" + name
        }
        return folder + name
    }

    /// Puts the finished file `temporaryPath` in place of `path`: renamed over it, or, when `path` is a device or a
    /// pipe, copied into it and removed (a rename would put a regular file where the device was: as root, `--out
    /// /dev/null` replaced the system's `/dev/null`). False, with `errno` set, when that fails; the temporary file is
    /// then left for the caller to remove.
    public static func moveIntoPlace(_ temporaryPath: String, _ path: String) -> Bool {
        guard isDeviceOrPipe(path) else { return rename(temporaryPath, path) == 0 }
        let source = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { return false }
        defer { close(source) }
        let target = open(path, O_WRONLY | O_CLOEXEC)
        guard target >= 0 else { return false }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = read(source, chunk.baseAddress, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                close(target)
                return false
            }
            if count == 0 { break }
            var written = 0
            while written < count {
                let step = systemWrite(target, chunk.baseAddress! + written, count - written)
                if step < 0 && errno == EINTR { continue }
                guard step > 0 else {
                    close(target)
                    return false
                }
                written += step
            }
        }
        guard close(target) == 0 else { return false }
        unlink(temporaryPath)
        return true
    }

    /// Whether `path` is a device, a pipe or a socket (followed through links): written into, never replaced.
    static func isDeviceOrPipe(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFCHR || type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK
    }
}
