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
    public var identities = ReviewIdentities()
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
    /// How many answers (and findings) of files read but not yet stored are held in memory. The batch check needs
    /// every file read before any is stored; files beyond this are read again when stored, so memory stays bounded
    /// by this and the largest file, not by the batch.
    public var bufferedAnswers = 1_000_000
    /// For tests: called once before the files not held are read again.
    package var beforeReadingAgain: (@Sendable () -> Void)?

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
        let (importer, known) = try prepared(kommune: store.value(of: .kommune), hashes: store.fileHashes())
        // One writer for the whole run: files are committed in batches, each under its own savepoint.
        return try store.withImportBatch { batch in
            try importer.fill(batch, paths: paths, known: known, progress: progress)
        }
    }

    /// Imports `paths` into a store on a PostgreSQL server, as ``run(paths:store:progress:)`` into SQLite.
    public func run(
        paths: [String], store: PostgresStore, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> ImportSummary {
        try store.register(catalogues)
        let (importer, known) = try prepared(kommune: store.value(of: .kommune), hashes: store.fileHashes())
        return try store.withImportBatch { batch in
            try importer.fill(batch, paths: paths, known: known, progress: progress)
        }
    }

    /// Stores `paths` through `batch`.
    private func fill(
        _ batch: some FileBatch, paths: [String], known: @escaping @Sendable (String) -> Bool,
        progress: (@Sendable (Int, Int) -> Void)?
    ) throws -> ImportSummary {
        try process(paths: paths, known: known, progress: progress) { stored, read in
            let (file, outcome) = try batch.importFile(stored, replace: replace, read: read)
            return (file, outcome.status, outcome.findings, outcome.reviewsStored, outcome.answersStored)
        }
    }

    /// This importer with the store's kommune for files naming none (unless the options name one), and whether a
    /// content hash is stored already.
    private func prepared(kommune: String?, hashes: Set<String>) -> (Importer, @Sendable (String) -> Bool) {
        var importer = self
        if importer.options.kommune == nil { importer.options.kommune = kommune }
        return (importer, { hashes.contains($0) })
    }

    /// Validates `paths` without storing; with `store` (SQLite or PostgreSQL), resubmissions are compared with it.
    public func validate(
        paths: [String], store: (any StoreReading)?, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> ImportSummary {
        let kommune = try store?.read { try AuditStore.value(of: .kommune, in: $0) }
        let importer = prepared(kommune: kommune ?? nil, hashes: []).0
        return try importer.process(paths: paths, known: nil, progress: progress) { stored, read in
            guard let store else {
                let file = try read { _ in }
                return (file, .imported, [], file.reviewCount, file.answerCount)
            }
            return try store.read { sql in
                if try sql.value("SELECT 1 FROM file WHERE sha256 = ?", [.text(stored.sha256)]) != nil {
                    let file = try read { _ in }
                    return (file, .alreadyImported, [], file.reviewCount, file.answerCount)
                }
                let (file, findings) = try AuditStore.resubmissionFindings(
                    stored, replace: replace, in: sql, read: read)
                let status: ImportOutcome.Status = findings.contains { $0.severity == .error } ? .rejected : .imported
                return (file, status, file.isRejected ? [] : findings, file.reviewCount, file.answerCount)
            }
        }
    }

    /// What storing (or validating) one file gave: the file as read, what became of it, the store's findings, and
    /// the reviews and answers stored.
    private typealias Stored = (
        file: ReturnedFile, status: ImportOutcome.Status, findings: [Finding], reviews: Int, answers: Int
    )

    /// A file of the batch read but not yet stored.
    private enum Pending {
        /// Read, with its reviews: stored from memory.
        case held(ReturnedFile)
        /// Read, with too many answers to hold: its reviews are read again as they are stored (`file` has its
        /// findings).
        case streamed(ReturnedFile)
        /// Read, but let go to bound memory: read again (on the reader threads) before it is stored.
        case again
    }

    /// Reads the files on worker threads (skipping the parsing of files `known` says are imported already), checks
    /// the batch, then hands the files to `store` one by one in order.
    ///
    /// Every file is read before any is stored: two files with the same case, level and round must both be known
    /// before either is stored, as neither may win by its place in the path order. The check needs only each
    /// review's key and digest, so of the files read only `bufferedAnswers` answers' worth is held for storing; the
    /// rest are read again when their turn comes (and refused if their bytes changed meanwhile), a file with more
    /// answers than that as its reviews are stored. A batch of one file has nothing to check: it is read once, as
    /// it is stored.
    private func process(
        paths: [String], known: (@Sendable (String) -> Bool)?, progress: (@Sendable (Int, Int) -> Void)?,
        store: (StoredFile, @escaping AuditStore.Reading) throws -> Stored
    ) throws -> ImportSummary {
        let catalogues = catalogues
        let options = options
        if paths.count == 1 {
            let report = try single(paths[0], known: known, store: store)
            progress?(1, 1)
            return ImportSummary(files: [report])
        }
        let limit = bufferedAnswers
        let workers = min(threads, max(1, paths.count))
        let first = Readers<(file: ReturnedFile, known: Bool, entry: BatchChecker.Entry)>(
            count: paths.count, workers: workers
        ) { index in
            let path = paths[index]
            guard let source = Self.source(path) else {
                let file = ReturnedFileReader.unopenable(path)
                return (file, false, BatchChecker.Entry(file))
            }
            if let known, known(source.sha256) {
                let file = ReturnedFile(
                    path: path, sha256: source.sha256, byteCount: source.byteCount, shape: nil, reviews: [],
                    findings: [])
                return (file, true, BatchChecker.Entry(file))
            }
            var entry = BatchChecker.Entry(path: path)
            let file = ReturnedFileReader.read(source, catalogues: catalogues, options: options, holding: limit) {
                entry.add($0)
            }
            // A file that could not be read after all (or changed while it was) holds nothing to compare.
            if file.reviewCount == 0 { entry = BatchChecker.Entry(path: path) }
            return (file, false, entry)
        }
        // Whatever ends this run, no worker claims another file.
        defer { first.cancel() }
        var pending: [Pending] = []
        var hashes: [String] = []
        var isKnown: [Bool] = []
        var entries: [BatchChecker.Entry] = []
        var kept = 0
        for index in paths.indices {
            let read = first.take(index)
            let size = read.file.answerCount + read.file.findings.count
            if read.known {
                // Nothing to store and nothing to read again.
                pending.append(.held(read.file))
            } else if !read.file.holdsReviews {
                pending.append(.streamed(read.file))
            } else if kept + size <= limit {
                kept += size
                pending.append(.held(read.file))
            } else {
                pending.append(.again)
            }
            hashes.append(read.file.sha256)
            isKnown.append(read.known)
            entries.append(read.entry)
        }
        let batchFindings = BatchChecker.findings(entries)
        entries = []
        let again = paths.indices.filter { if case .again = pending[$0] { true } else { false } }
        if pending.contains(where: { if case .held = $0 { false } else { true } }) { beforeReadingAgain?() }
        let second = Readers<ReturnedFile>(count: again.count, workers: min(workers, max(1, again.count))) { slot in
            let path = paths[again[slot]]
            guard let source = Self.source(path) else {
                return ReturnedFileReader.unopenable(path)
            }
            return ReturnedFileReader.read(source, catalogues: catalogues, options: options)
        }
        defer { second.cancel() }
        var nextAgain = 0
        var reports: [FileReport] = []
        reports.reserveCapacity(paths.count)
        for index in paths.indices {
            defer { progress?(index + 1, paths.count) }
            if isKnown[index] {
                reports.append(FileReport(
                    path: paths[index], status: .alreadyImported, shape: nil, reviews: 0, answers: 0, findings: []))
                continue
            }
            var file: ReturnedFile
            var streamed = false
            switch pending[index] {
            case .held(let held):
                file = held
            case .streamed(let read):
                file = read
                streamed = true
            case .again:
                file = second.take(nextAgain)
                nextAgain += 1
                if file.sha256 != hashes[index] { file = ReturnedFileReader.changed(paths[index]) }
            }
            // What was held for this file is let go once it is stored.
            pending[index] = .again
            file.findings += batchFindings[index]
            guard !file.isRejected else {
                reports.append(Self.report(file, status: .rejected, extra: [], reviews: 0, answers: 0))
                continue
            }
            let path = paths[index]
            let hash = hashes[index]
            let reading: AuditStore.Reading
            if streamed {
                let byteCount = file.byteCount
                reading = { each in
                    guard let source = Self.source(path, sha256: hash, byteCount: byteCount) else {
                        return ReturnedFileReader.changed(path)
                    }
                    return try ReturnedFileReader.read(source, catalogues: catalogues, options: options, each: each)
                }
            } else {
                reading = AuditStore.held(file)
            }
            let stored = try store(StoredFile(file), reading)
            reports.append(Self.report(
                stored.file, status: stored.status, extra: stored.findings, reviews: stored.reviews,
                answers: stored.answers))
        }
        return ImportSummary(files: reports)
    }

    /// The file at `path` to read (a store's SQLite export as the long CSV it holds), or nil when it cannot be read;
    /// with `sha256` and `byteCount`, only as it was when it was hashed first.
    private static func source(_ path: String, sha256: String? = nil, byteCount: Int = 0) -> ReturnedFileSource? {
        let source =
            if let sha256 {
                ReturnedFileSource(path: path, sha256: sha256, byteCount: byteCount)
            } else {
                ReturnedFileSource(path: path)
            }
        return source.map(ExportedStore.reading)
    }

    /// A batch of one file: read once, as it is stored.
    private func single(
        _ path: String, known: (@Sendable (String) -> Bool)?,
        store: (StoredFile, @escaping AuditStore.Reading) throws -> Stored
    ) throws -> FileReport {
        guard let source = Self.source(path) else {
            return Self.report(ReturnedFileReader.unopenable(path), status: .rejected, extra: [], reviews: 0, answers: 0)
        }
        if let known, known(source.sha256) {
            return FileReport(path: path, status: .alreadyImported, shape: nil, reviews: 0, answers: 0, findings: [])
        }
        let catalogues = catalogues
        let options = options
        let stored = try store(StoredFile(path: path, sha256: source.sha256, byteCount: source.byteCount)) { each in
            try ReturnedFileReader.read(source, catalogues: catalogues, options: options, each: each)
        }
        return Self.report(
            stored.file, status: stored.status, extra: stored.findings, reviews: stored.reviews, answers: stored.answers)
    }

    /// The report of a file stored (or validated) with `status`, the store's `extra` findings and counts.
    private static func report(
        _ file: ReturnedFile, status: ImportOutcome.Status, extra: [Finding], reviews: Int, answers: Int
    ) -> FileReport {
        let findings = file.findings + extra
        let fileStatus: FileReport.Status
        switch file.isRejected ? .rejected : status {
        case .rejected: fileStatus = .rejected
        case .alreadyImported: fileStatus = .alreadyImported
        case .imported: fileStatus = findings.contains { $0.severity == .warning } ? .acceptedWithWarnings : .accepted
        }
        return FileReport(
            path: file.path, status: fileStatus, shape: file.shape,
            reviews: fileStatus == .alreadyImported ? 0 : reviews,
            answers: fileStatus == .alreadyImported ? 0 : answers, findings: findings, identities: file.identities)
    }
}

/// Values for indices `0..<count` computed by `workers` reader threads, at most a few per worker ahead of the
/// consumer, or, when no thread can be started, by the consumer itself as it takes them.
private struct Readers<Value: Sendable> {
    private let results: OrderedResults<Value>?
    private let read: @Sendable (Int) -> Value

    init(count: Int, workers: Int, read: @escaping @Sendable (Int) -> Value) {
        self.read = read
        guard count > 0 else {
            results = nil
            return
        }
        let results = OrderedResults<Value>(count: count, window: 4 * workers)
        let work: @Sendable () -> Void = {
            while let index = results.claim() { results.put(read(index), at: index) }
        }
        // 4 MiB of stack for the readers' recursion into nested XML; a thread the system refuses leaves the work to
        // the others, and to the consumer when none could start.
        var started = 0
        for _ in 0..<workers where startThread(stackSize: 4 << 20, work) { started += 1 }
        self.results = started > 0 ? results : nil
    }

    /// The value at `index` (taken in order).
    func take(_ index: Int) -> Value { results.map { $0.take(index) } ?? read(index) }

    /// Stops the workers after the value each is computing.
    func cancel() { results?.cancel() }
}

