public import TilsynAudit
internal import Foundation
internal import TilsynSheets
internal import GRDB

/// What happened to one file in an import or validation run.
public struct FileReport: Sendable {
    /// The outcome for the file.
    public enum Status: String, Sendable {
        /// Stored (or, when validating, would be) without warnings.
        case accepted
        /// Stored (or would be) with warnings.
        case acceptedWithWarnings
        /// Not stored: it has errors.
        case rejected
        /// The same bytes, or the very same reviews, were imported before: nothing to do.
        case alreadyImported
        /// A file in a walked folder that is not read (a lock file, a hidden file, another kind of file).
        case skipped
    }

    /// The file's path as given.
    public var path: String
    /// What became of it.
    public var status: Status
    /// How it was read (template, foreign sheet, long or wide CSV); nil for files not read.
    public var shape: InputShape?
    /// Reviews stored from it (or that would be).
    public var reviews: Int
    /// Answers stored from it (or that would be).
    public var answers: Int
    /// Every finding for the file: the reader's, the batch's and the store's.
    public var findings: [Finding]
    /// The reviews the file holds, as written (empty for files not read).
    public var identities: [ReviewIdentity] = []
}

/// Totals of an import or validation run.
public struct ImportSummary: Sendable {
    /// Every file of the run, in the order given.
    public var files: [FileReport]

    /// The files that ended with `status`.
    public func count(_ status: FileReport.Status) -> Int { files.filter { $0.status == status }.count }
    /// Files stored without warnings.
    public var accepted: Int { count(.accepted) }
    /// Files stored with warnings.
    public var acceptedWithWarnings: Int { count(.acceptedWithWarnings) }
    /// Files not stored: they have errors.
    public var rejected: Int { count(.rejected) }
    /// Files imported before (the same bytes or the very same reviews).
    public var alreadyImported: Int { count(.alreadyImported) }
    /// Files a folder walk did not read.
    public var skipped: Int { count(.skipped) }
    /// Reviews stored (or that would be) by accepted files: new ones and ones replacing a stored review.
    public var reviews: Int { files.filter { $0.status != .rejected }.reduce(0) { $0 + $1.reviews } }

    /// A summary of `files`.
    public init(files: [FileReport]) { self.files = files }

    /// Adds the files a folder walk skipped, each with a warning saying why.
    public mutating func add(skipped: [ReturnedFiles.Skipped]) {
        for item in skipped {
            files.append(FileReport(
                path: item.path, status: .skipped, shape: nil, reviews: 0, answers: 0,
                findings: [ReturnedFiles.finding(item)]))
        }
    }
    /// Answers stored (or that would be) by accepted files.
    public var answers: Int { files.filter { $0.status != .rejected }.reduce(0) { $0 + $1.answers } }
    /// All findings in file order.
    public var findings: [Finding] { files.flatMap(\.findings) }
}

/// Imports (or validates) a batch of returned files: reads and normalises them in parallel, then checks and stores
/// them one by one in the order given, each atomically under its own savepoint, committed in batches.
public struct Importer: Sendable {
    /// The catalogues returned files may name.
    public var catalogues: CatalogueSet
    /// How files are read (round, default catalogue, CPR redaction).
    public var options: ImportOptions
    /// Replace stored reviews whose answers differ.
    public var replace: Bool
    /// Reader threads; the default is the number of cores.
    public var threads: Int

    /// An importer reading with `threads` threads (the cores this process may use by default).
    public init(catalogues: CatalogueSet, options: ImportOptions, replace: Bool = false, threads: Int? = nil) {
        self.catalogues = catalogues
        self.options = options
        self.replace = replace
        self.threads = max(1, threads ?? availableCores())
    }

    /// Imports `paths` (files, already collected) into `store`; `progress` is called after each file with the number
    /// done and the total.
    public func run(
        paths: [String], store: AuditStore, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try store.register(catalogues)
        let hashes = try store.fileHashes()
        let known: @Sendable (String) -> Bool = { hashes.contains($0) }
        // One writer for the whole run: files are committed in batches, each under its own savepoint.
        return try store.withImportBatch { batch in
            try process(paths: paths, known: known, progress: progress) { file in
                let outcome = try batch.importFile(file, replace: replace)
                return (outcome.status, outcome.findings, outcome.reviewsStored, outcome.answersStored)
            }
        }
    }

    /// Validates `paths` without storing; with `storePath`, resubmissions are compared with that store (read only).
    public func validate(
        paths: [String], storePath: String?, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> ImportSummary {
        let store = try storePath.map { try AuditStore.openForReading(path: $0) }
        return try process(paths: paths, known: nil, progress: progress) { file in
            var findings: [Finding] = []
            var status = ImportOutcome.Status.imported
            if let store, !file.isRejected {
                let (known, resubmissions) = try store.read { db in
                    (
                        try Bool.fetchOne(
                            db, sql: "SELECT EXISTS (SELECT 1 FROM file WHERE sha256 = ?)", arguments: [file.sha256])
                            ?? false,
                        try AuditStore.resubmissionFindings(file, replace: replace, in: db)
                    )
                }
                if known {
                    status = .alreadyImported
                } else {
                    findings = resubmissions
                    if findings.contains(where: { $0.severity == .error }) { status = .rejected }
                }
            }
            return (file.isRejected ? .rejected : status, findings, file.reviews.count, file.answerCount)
        }
    }

    /// Reads the files on worker threads (skipping the parsing of files `known` says are imported already), then
    /// hands them to `store` one by one in order.
    private func process(
        paths: [String], known: (@Sendable (String) -> Bool)?, progress: (@Sendable (Int, Int) -> Void)?,
        store: (ReturnedFile) throws -> (ImportOutcome.Status, [Finding], Int, Int)
    ) throws -> ImportSummary {
        let catalogues = catalogues
        let options = options
        let results = OrderedResults<(file: ReturnedFile, known: Bool)>(count: paths.count)
        let workers = min(threads, max(1, paths.count))
        // Whatever ends this run, no worker claims another file.
        defer { results.cancel() }
        let readFiles: @Sendable () -> Void = {
            while let index = results.claim() {
                let path = paths[index]
                guard let bytes = ReturnedFileReader.contents(path) else {
                    results.put((ReturnedFileReader.unopenable(path), false), at: index)
                    continue
                }
                let hash = ContentHash.sha256Hex(bytes)
                if let known, known(hash) {
                    let file = ReturnedFile(
                        path: path, sha256: hash, byteCount: bytes.count, shape: nil, reviews: [], findings: [])
                    results.put((file, true), at: index)
                    continue
                }
                let file = ReturnedFileReader.read(
                    bytes: bytes, name: path, sha256: hash, catalogues: catalogues, options: options)
                results.put((file, false), at: index)
            }
        }
        // 4 MiB of stack for the readers' recursion into nested XML; a thread the system refuses leaves the work to
        // the others, and to this thread when none could start.
        var started = 0
        for _ in 0..<workers where startThread(stackSize: 4 << 20, readFiles) { started += 1 }
        if started == 0 { readFiles() }
        // Every file is read before any is stored: two files with the same case, level and round must both be
        // known before either is stored, as neither may win by its place in the path order.
        var read: [(file: ReturnedFile, known: Bool)] = []
        read.reserveCapacity(paths.count)
        for index in paths.indices { read.append(results.take(index)) }
        var files = read.map(\.file)
        BatchChecker.check(&files)
        var reports: [FileReport] = []
        reports.reserveCapacity(paths.count)
        for index in paths.indices {
            let file = files[index]
            if read[index].known {
                reports.append(FileReport(
                    path: file.path, status: .alreadyImported, shape: nil, reviews: 0, answers: 0, findings: []))
                progress?(index + 1, paths.count)
                continue
            }
            var (status, extra, reviews, answers) = try store(file)
            if file.isRejected { status = .rejected }
            let findings = file.findings + extra
            let fileStatus: FileReport.Status
            switch status {
            case .rejected: fileStatus = .rejected
            case .alreadyImported: fileStatus = .alreadyImported
            case .imported:
                fileStatus = findings.contains { $0.severity == .warning } ? .acceptedWithWarnings : .accepted
            }
            reports.append(FileReport(
                path: file.path, status: fileStatus, shape: file.shape,
                reviews: fileStatus == .alreadyImported ? 0 : reviews,
                answers: fileStatus == .alreadyImported ? 0 : answers, findings: findings, identities: file.identities))
            progress?(index + 1, paths.count)
        }
        return ImportSummary(files: reports)
    }
}
