internal import Foundation
internal import TilsynSheets

/// The report printed to PDF by headless Chromium: the HTML page's own A4 print styles (page numbers in the page
/// margins, a new page per section, table headers repeated on every page a table spans).
///
/// The page is written to a private temporary folder with a throwaway browser profile; Chromium prints it with no
/// network (every host name resolves to nothing and any other request goes to a closed loopback port), and the
/// PDF replaces the target only when Chromium succeeded and wrote a PDF: a failed or killed print leaves the
/// target as it was.
public enum ReportPDF {
    /// Why the PDF could not be made.
    public struct Failure: Error, Sendable, Equatable {
        /// What went wrong.
        public enum Reason: Sendable, Equatable {
            /// Chromium ran but gave no PDF: its exit status and the last lines it printed.
            case browserFailed(status: Int32, log: String)
            /// Chromium did not finish within the time allowed.
            case timedOut(seconds: Int)
            /// The temporary folder or the target could not be written.
            case notWritable(String)
        }

        /// What went wrong.
        public let reason: Reason
    }

    /// The executables tried, in order, on PATH.
    public static let browserNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// `TILSYN_CHROMIUM` if set, else the first of `browserNames` found on PATH.
    public static func findBrowser() -> String? { findBrowser(environment: ProcessInfo.processInfo.environment) }

    /// As `findBrowser()`, in the given environment.
    public static func findBrowser(environment: [String: String]) -> String? {
        if let explicit = environment["TILSYN_CHROMIUM"], !explicit.isEmpty {
            return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for name in browserNames {
            for folder in folders {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Prints `html` to `path` with the browser at `browser`.
    public static func write(html: String, to path: String, browser: String, timeout: Int = 180) throws(Failure) {
        let fileManager = FileManager.default
        let folder = fileManager.temporaryDirectory.appendingPathComponent("tilsyn-report-\(UUID().uuidString)")
        defer { try? fileManager.removeItem(at: folder) }
        let page = folder.appendingPathComponent("rapport.html")
        let pdf = folder.appendingPathComponent("rapport.pdf")
        let log = folder.appendingPathComponent("chromium.log")
        do {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: false)
            try Data(html.utf8).write(to: page)
            _ = fileManager.createFile(atPath: log.path, contents: nil)
        } catch {
            throw Failure(reason: .notWritable(fileManager.temporaryDirectory.path))
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments =
            [
                "--headless", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
                "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                "--print-to-pdf=\(pdf.path)",
            ]
            // Chromium's sandbox refuses to start as root; the page is our own, with no script and no URL.
            + (geteuid() == 0 ? ["--no-sandbox"] : []) + [page.absoluteString]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let logHandle = FileHandle(forWritingAtPath: log.path)
        process.standardError = logHandle ?? FileHandle.nullDevice
        defer { try? logHandle?.close() }
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw Failure(reason: .browserFailed(status: -1, log: "\(browser) could not be started"))
        }
        if finished.wait(timeout: .now() + .seconds(timeout)) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + .seconds(5)) == .timedOut { kill(process.processIdentifier, SIGKILL) }
            throw Failure(reason: .timedOut(seconds: timeout))
        }
        guard process.terminationStatus == 0, let bytes = fileManager.contents(atPath: pdf.path),
            bytes.starts(with: Array("%PDF-".utf8))
        else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let tail = text.split(separator: "\n").suffix(3).joined(separator: "\n")
            throw Failure(reason: .browserFailed(status: process.terminationStatus, log: tail))
        }
        do {
            let writer = try AtomicFileWriter(path: path)
            try writer.write(bytes: Array(bytes))
            try writer.commit()
        } catch {
            throw Failure(reason: .notWritable(path))
        }
    }
}
