public import Foundation
public import Testing

/// Programs the report tests drive: headless Chromium and LibreOffice, found on PATH.
public enum ExternalTools {
    /// The first of `names` that is an executable on PATH.
    public static func find(_ names: [String]) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in names {
            for directory in path.split(separator: ":") {
                let url = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        return nil
    }

    /// Chromium (Debian's `chromium`), or nil.
    public static var chromium: URL? { find(["chromium", "chromium-browser", "google-chrome"]) }

    /// LibreOffice's soffice, or nil.
    public static var soffice: URL? { find(["soffice"]) }

    /// A Python 3 for stdlib-only scripts: the system one, else the oracle venv.
    public static var python3: URL? { find(["python3"]) ?? TestPaths.python }

    /// Converts `files` with one headless soffice run (private profile, killed after `timeout` seconds) into
    /// `outputDirectory`; returns the exit status and soffice's output.
    public static func convertWithLibreOffice(
        _ soffice: URL, files: [String], to filter: String, outputDirectory: URL, timeout: TimeInterval = 300
    ) throws -> (status: Int32, killed: Bool, output: String) {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("lo-profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = soffice
        process.arguments =
            [
                "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore", "--convert-to", filter,
                "--outdir", outputDirectory.path,
            ] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        timer.cancel()
        return (process.terminationStatus, process.terminationReason != .exit, text)
    }
}

extension Requirement {
    /// Headless Chromium; records a failure under CI when missing (`.ci/run` installs `chromium`).
    public static func chromium(sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        if let chromium = ExternalTools.chromium { return chromium }
        if TestPaths.isCI {
            Issue.record("chromium is not on PATH: .ci/run must install it", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// LibreOffice's soffice; records a failure under CI when missing (`.ci/run` installs libreoffice-calc-nogui).
    public static func soffice(sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        if let soffice = ExternalTools.soffice { return soffice }
        if TestPaths.isCI {
            Issue.record(
                "soffice is not on PATH: .ci/run must install libreoffice-calc-nogui",
                sourceLocation: sourceLocation)
        }
        return nil
    }

    /// A Python 3 for stdlib-only scripts; records a failure under CI when missing.
    public static func python3(sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        if let python = ExternalTools.python3 { return python }
        if TestPaths.isCI { Issue.record("python3 is not on PATH", sourceLocation: sourceLocation) }
        return nil
    }
}
