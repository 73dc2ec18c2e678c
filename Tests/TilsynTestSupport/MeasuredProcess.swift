public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A finished child process with its own resource use, from `wait4`.
public struct MeasuredResult: Sendable {
    /// The exit status, or 128 + the signal number when the child was killed by a signal.
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Wall-clock time from spawn to exit, in seconds.
    public var elapsed: Double
    /// User plus system CPU time of the child, in seconds.
    public var cpu: Double
    /// The child's peak resident set size, in bytes.
    public var maxRSS: Int

    public var summary: String {
        "status \(status), \(String(format: "%.2f", elapsed)) s wall, \(String(format: "%.2f", cpu)) s CPU, "
            + "\(maxRSS >> 20) MiB peak RSS"
    }
}

/// Runs a program in a child process of its own and measures it with GNU time (`/usr/bin/time`, Debian package
/// `time`), which reads the child's `rusage` from `wait4`. Standard output and error go to temporary files; stdin
/// is empty.
///
/// The child is not spawned straight from the test runner: Linux carries the high-water RSS of the address space a
/// process had before `execve` into its `ru_maxrss`, and a child made by `posix_spawn` (vfork) or `fork` starts from
/// the runner's address space, hundreds of megabytes. GNU time is small, so the RSS it reports is the program's own.
public func runMeasured(_ executable: URL, _ arguments: [String]) throws -> MeasuredResult {
    let time = "/usr/bin/time"
    guard FileManager.default.isExecutableFile(atPath: time) else {
        throw CocoaError(
            .executableNotLoadable, userInfo: [NSLocalizedDescriptionKey: "\(time) is missing: apt-get install time"])
    }
    let folder = try TemporaryDirectory("tilsyn-measured")
    defer { folder.cleanUp() }
    let outPath = folder.path("stdout")
    let errPath = folder.path("stderr")
    let statsPath = folder.path("stats")

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

    let command = [time, "--quiet", "-f", "%e %U %S %M", "-o", statsPath, executable.path] + arguments
    let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }

    var pid: pid_t = 0
    let rc = posix_spawn(&pid, time, &actions, nil, argv, environ)
    guard rc == 0 else {
        throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "posix_spawn failed: \(rc)"])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "waitpid failed: \(errno)"])
        }
    }
    let signal = status & 0x7F
    let exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    // "%e %U %S %M": elapsed, user and system seconds, peak RSS in KiB.
    let stats = ((try? String(contentsOfFile: statsPath, encoding: .utf8)) ?? "")
        .split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
    guard stats.count == 4 else {
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no statistics from \(time)"])
    }
    return MeasuredResult(
        status: exitStatus,
        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
        elapsed: stats[0], cpu: stats[1] + stats[2], maxRSS: Int(stats[3]) * 1024)
}
