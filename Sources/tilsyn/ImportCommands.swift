import ArgumentParser
import Foundation
import Synchronization
import TilsynAnalysis
import TilsynAudit
import TilsynStore

/// Options shared by `tilsyn import` and `tilsyn validate`.
struct ReadingOptions: ParsableArguments {
    @Argument(help: "Returned workbooks and CSV files, or folders to walk (.xlsx, .xlsm, .xls, .csv, .tsv).")
    var paths: [String]

    @Option(help: storeHelp)
    var db: String = AuditStore.defaultLocation

    @Option(help: "The round (runde) for files that name none; a file naming another round is rejected.")
    var round: String?

    @Option(
        help: """
            The municipality (kommune) for files that name none (default: the store's kommune setting); a file \
            naming another is rejected.
            """)
    var kommune: String?

    @Flag(name: .customLong("redact-cpr"), help: "Mask CPR-like numbers and go on, instead of rejecting the file.")
    var redactCPR = false

    @Option(
        name: .customLong("catalog"),
        help: "The catalogue for CSV files and foreign sheets that name none (id, e.g. kk-2025).")
    var catalogue = "kk-2025"

    @OptionGroup var catalogueSources: CatalogueOptions

    @Option(help: "Write the findings for the reviewers (Danish: an overview per file and one row per finding) to this .xlsx or .csv file.")
    var report: String?

    @Option(
        name: .customLong("report-per-reviewer"),
        help: "Write one findings workbook per reviewer (fund-<initials>.xlsx, only their files) to this folder.")
    var reportPerReviewer: String?

    @Flag(help: "Print warnings too, not only errors.")
    var verbose = false

    func validate() throws {
        if let report, !(report.lowercased().hasSuffix(".xlsx") || report.lowercased().hasSuffix(".csv")) {
            throw ValidationError("--report must name a .xlsx or .csv file.")
        }
        if let round, round.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--round must not be empty.")
        }
        if let kommune, kommune.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--kommune must not be empty.")
        }
    }

    /// The importer for these options.
    func importer(replace: Bool) throws -> Importer {
        let sources = try catalogueSources.store(db: db)
        let catalogues = try dataErrors { try CatalogueSet(store: sources) }
        guard catalogues[catalogue] != nil else {
            throw DataError(message: "there is no catalogue '\(catalogue)'; the catalogues are: "
                + catalogues.byID.keys.sorted().joined(separator: ", "))
        }
        return Importer(
            catalogues: catalogues,
            options: ImportOptions(
                round: round, redactCPR: redactCPR, defaultCatalogue: catalogue,
                kommune: kommune?.trimmingCharacters(in: .whitespaces)),
            replace: replace)
    }

    /// The files to read, and those a folder walk skipped.
    func files() throws -> (files: [String], skipped: [ReturnedFiles.Skipped]) {
        let walked = try dataErrors { try ReturnedFiles.walk(paths) }
        guard !walked.files.isEmpty else {
            throw DataError(message: "no .xlsx, .ods, .xls or .csv files found in the given paths"
                + (walked.skipped.isEmpty ? "" : " (\(walked.skipped.count) other files skipped)"))
        }
        return walked
    }

    /// A file's name as the reviewers see it in the report: relative to the folder it was found in, or its own name
    /// when given directly; never an absolute path.
    func shownName(_ path: String) -> String {
        for given in paths where path.hasPrefix(given.hasSuffix("/") ? given : given + "/") {
            return String(path.dropFirst(given.hasSuffix("/") ? given.count : given.count + 1))
        }
        return (path as NSString).lastPathComponent
    }

    /// The report's view of the files.
    func reportFiles(_ summary: ImportSummary) -> [FindingsReport.File] {
        summary.files.map { file in
            let status: FindingsReport.Status =
                switch file.status {
                case .accepted: .received
                case .acceptedWithWarnings: .receivedWithRemarks
                case .rejected: .rejected
                case .alreadyImported: .alreadyImported
                case .skipped: .skipped
                }
            let findings = file.findings.map { finding -> Finding in
                var finding = finding
                finding.file = shownName(finding.file)
                return finding
            }
            return FindingsReport.File(
                name: shownName(file.path), status: status, identities: file.identities, findings: findings)
        }
    }

    /// Prints findings, writes the reports and the closing summary (Danish, as the findings); returns the exit
    /// status.
    func finish(_ summary: ImportSummary, verb: String) throws -> Int32 {
        let errors = Output(descriptor: 2)
        for finding in summary.findings where verbose || finding.severity == .error {
            errors.write(finding.line + "\n")
        }
        errors.flush()
        let files = reportFiles(summary)
        if let report {
            try dataErrors { try FindingsReport.write(files, to: report) }
        }
        if let folder = reportPerReviewer {
            try dataErrors {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw DataError(message: "\(folder): cannot create the folder")
                }
                let byReviewer = Dictionary(grouping: files) { $0.reviewers.isEmpty ? "ukendt" : $0.reviewers }
                for (reviewer, own) in byReviewer.sorted(by: { $0.key < $1.key }) {
                    let name = "fund-" + String(reviewer.unicodeScalars.map { scalar -> Character in
                        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-"
                            ? Character(scalar) : "_"
                    }) + ".xlsx"
                    try FindingsReport.write(own, to: URL(fileURLWithPath: folder).appendingPathComponent(name).path)
                }
            }
        }
        let output = Output()
        let warnings = summary.findings.filter { $0.severity == .warning }.count
        output.write(
            "Filer: \(summary.accepted) modtaget, \(summary.acceptedWithWarnings) modtaget med bemærkninger, "
                + "\(summary.rejected) afvist"
                + (summary.alreadyImported > 0 ? ", \(summary.alreadyImported) allerede indlæst" : "")
                + (summary.skipped > 0 ? ", \(summary.skipped) sprunget over" : "") + "\n")
        output.write("Gennemgange \(verb): \(summary.reviews); svar: \(summary.answers)\n")
        output.write("Fund: \(summary.findings.count - warnings) fejl, \(warnings) advarsler")
        if let report {
            output.write(" (rapport: \(report))\n")
        } else if !summary.findings.isEmpty {
            output.write(verbose ? "\n" : " (--verbose viser advarslerne; --report FIL.xlsx skriver alle fund)\n")
        } else {
            output.write("\n")
        }
        // What the flags of this command can do about the errors (the findings themselves name no flags: they go to
        // the reviewers).
        let rules = Set(summary.findings.filter { $0.severity == .error }.map(\.rule))
        if rules.contains(.resubmission) {
            output.write("Gennemgange indsendt igen med andre svar er ikke indlæst; --replace erstatter de gemte.\n")
        }
        if rules.contains(.roundConflict) {
            output.write("--round gælder alle filer i indlæsningen; indlæs filer fra en anden runde for sig.\n")
        }
        if rules.contains(.kommuneConflict) {
            output.write(
                "Sager gemt med og uden kommune tælles ikke sammen: --kommune K angiver kommunen for filer uden "
                    + "kommune, og »tilsyn config set kommune K« gør K til lagerets kommune, så de gemte sager uden "
                    + "kommune hører til den.\n")
        }
        output.flush()
        return summary.rejected > 0 ? 65 : 0
    }
}

/// A progress bar on standard error when it is a terminal; nothing otherwise.
final class ProgressBar: Sendable {
    private let enabled = isTerminal(2)
    /// The percentage last shown.
    private let shown = Mutex(-1)

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        let percent = done * 100 / total
        shown.withLock { shown in
            guard percent != shown || done == total else { return }
            shown = percent
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let output = Output(descriptor: 2)
            output.write("\r[\(bar)] \(done)/\(total) files")
            if done == total { output.write("\r\u{1B}[K") }
            output.flush()
        }
    }
}

/// `tilsyn import`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import returned workbooks and CSV files into the audit store.",
        discussion: """
            Reads Tilsyn templates, foreign sheets with a question and an answer column, and CSV in long \
            (sagsnummer;niveau;runde;spørgsmål;svar;bemærkning) or wide form (one column per question id), and a \
            store's export (tilsyn export --format sqlite, long shape) named as a file: how a municipality hands its \
            reviews to a shared store (a folder walk does not take .sqlite files, as the store itself may sit \
            there). Each file \
            is imported in one transaction: wholly or not at all. A file with errors is not stored; the errors are \
            printed (Danish, naming file, sheet and cell) and --report writes every finding for the reviewers. \
            Importing the same file again does nothing (SHA-256 of its bytes). A review of a case, level and round \
            already stored with other answers is rejected unless --replace is given. Exit status: 0 when every \
            file was accepted, 65 when some were rejected.
            """)

    @OptionGroup var reading: ReadingOptions

    @Flag(help: "Replace stored reviews whose answers differ from the new file's.")
    var replace = false

    @Flag(help: "Print the compliance summary of the store afterwards (as 'tilsyn summary').")
    var summary = false

    /// For the crash tests: with `TILSYN_TEST_PAUSE_AFTER_FILES=N` the import stops for good after its N-th file,
    /// before the batch holding it is committed, and says `paused` on standard error, so that a test can kill it
    /// at a known point instead of after a guessed time.
    static let pauseVariable = "TILSYN_TEST_PAUSE_AFTER_FILES"

    static func pauseForTest() {
        let errors = Output(descriptor: 2)
        errors.write("paused\n")
        errors.flush()
        while true { pause() }
    }

    /// The next step after the summary: the report, with the analyst's text (the sample one where it is at hand).
    static func reportHint(db: String) -> String {
        let sample = "Samples/narrative.md"
        let narrative = FileManager.default.fileExists(atPath: sample) ? sample : "tekst.md"
        return "\nNext: the report to the Socialudvalg, with the analyst's text:\n"
            + "  tilsyn report --db \(shellQuoted(db)) --narrative \(narrative) --out rapport.pdf"
    }

    func run() throws {
        let importer = try reading.importer(replace: replace)
        let (files, skipped) = try reading.files()
        let location = try storeErrors { try StoreLocation(reading.db) }
        let bar = ProgressBar()
        let pauseAfter = ProcessInfo.processInfo.environment[Self.pauseVariable].flatMap { Int($0) }
        let progress: @Sendable (Int, Int) -> Void = { done, total in
            bar.update(done, total)
            if done == pauseAfter { Self.pauseForTest() }
        }
        var result: ImportSummary
        let reader: StoreReader
        switch location {
        case .sqlite(let path):
            let store = try storeErrors { try AuditStore(path: path) }
            result = try storeErrors { try importer.run(paths: files, store: store, progress: progress) }
            reader = StoreReader(store)
        case .postgres(let database):
            let store = try storeErrors { try PostgresStore(database) }
            result = try storeErrors { try importer.run(paths: files, store: store, progress: progress) }
            reader = StoreReader(try storeErrors { try store.reading() })
        }
        result.add(skipped: skipped)
        let status = try reading.finish(result, verb: "gemt")
        if summary {
            try SummaryCommand.printSummary(database: reader, groupings: [.theme, .step], level: nil)
            print(Self.reportHint(db: reading.db))
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `tilsyn validate`.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check returned files as 'tilsyn import' would, without storing anything.",
        discussion: """
            Applies every rule of 'tilsyn import'. When the store given by --db exists, resubmissions are compared \
            with it (read only). Exit status: 0 when every file would be accepted, 65 otherwise.
            """)

    @OptionGroup var reading: ReadingOptions

    func run() throws {
        let importer = try reading.importer(replace: false)
        let (files, skipped) = try reading.files()
        // A store not made yet has nothing to compare with.
        let store = try storeErrors { try AuditStore.openReadingIfPresent(StoreLocation(reading.db)) }
        let bar = ProgressBar()
        var result = try storeErrors { try importer.validate(paths: files, store: store) { bar.update($0, $1) } }
        result.add(skipped: skipped)
        let status = try reading.finish(result, verb: "gyldige")
        if status != 0 { throw ExitCode(status) }
    }
}

/// Runs `body`, turning store errors into `DataError` (exit 65).
func storeErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as StoreError {
        // The library says what is wrong; the flag to use is the command's.
        let advice = [.readOnly, .cannotOpen].contains(error.code) ? " (--db FILE)" : ""
        throw DataError(message: error.description + advice)
    }
}

/// The help of every command's `--db`.
let storeHelp: ArgumentHelp =
    "The store: a .sqlite file or postgres://user@host:port/dbname (default: TILSYN_DB, else tilsyn.sqlite)."

/// A path as a shell word: as it is when it holds only safe characters, else in single quotes.
func shellQuoted(_ text: String) -> String {
    let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:,@%".contains($0) }
    return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
