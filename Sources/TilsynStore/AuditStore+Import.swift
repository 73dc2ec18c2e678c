internal import GRDB
public import TilsynAudit
internal import Foundation
internal import TilsynSheets

/// What importing one file did.
public struct ImportOutcome: Sendable, Equatable {
    /// The file's fate in the store.
    public enum Status: Sendable, Equatable {
        /// Stored (reviews unchanged from an earlier file are kept as they were).
        case imported
        /// A file with the same content hash was imported before: nothing to do.
        case alreadyImported
        /// Not stored: the file has errors, or a resubmission differs and `replace` was not given.
        case rejected
    }

    /// What became of the file.
    public var status: Status
    /// Findings the store added: resubmissions.
    public var findings: [Finding]
    /// Reviews written (new or replacing).
    public var reviewsStored: Int
    /// Answers written.
    public var answersStored: Int
    /// Reviews that replaced a stored one with different answers.
    public var reviewsReplaced: Int
    /// Reviews identical to a stored one, left as they were.
    public var reviewsUnchanged: Int

    static let rejected = ImportOutcome(
        status: .rejected, findings: [], reviewsStored: 0, answersStored: 0, reviewsReplaced: 0, reviewsUnchanged: 0)
}

extension AuditStore {
    /// Reads a file for storing: hands each of its reviews to `each`, in file order, and returns the file (its
    /// findings, shape and counts) at the end.
    public typealias Reading = (_ each: (Review) throws -> Void) throws -> ReturnedFile

    /// The reading of a file that holds its reviews: hands them on and returns the file.
    static func held(_ file: ReturnedFile) -> Reading {
        { each in
            for review in file.reviews { try each(review) }
            return file
        }
    }

    /// How a review relates to what the store holds.
    enum StoredState {
        case new
        case unchanged
        case differs(reviewID: Int64)
    }

    /// Imports one file atomically: all its reviews, answers and counts in one transaction, or nothing.
    ///
    /// A file with errors is not stored. A review whose case, level and round are stored already is left alone
    /// when its answers and remarks are the same; when they differ the file is rejected, unless `replace` is true,
    /// in which case the stored review is replaced; both are reported.
    public func importFile(_ file: ReturnedFile, replace: Bool) throws -> ImportOutcome {
        guard !file.isRejected else { return .rejected }
        do {
            return try database.writeWithoutTransaction { db in
                var outcome = ImportOutcome.rejected
                try db.inTransaction(.immediate) {
                    outcome = try AuditStore.importFile(file, replace: replace, in: db)
                    return outcome.status == .imported ? .commit : .rollback
                }
                return outcome
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path, action: "importing \(file.path)", busyTimeout: busyTimeout)
        }
    }

    /// Runs `body` with a batch that imports files one after another on this store's writer (one writer access
    /// for the whole run), each file under its own savepoint, committed together with the files before it every
    /// `maxFiles` files or `maxSeconds` seconds and at the end.
    ///
    /// Each file is atomic: a file with errors is rolled back to its savepoint and leaves nothing; a process killed
    /// mid-batch loses the batch's uncommitted files wholly, never part of one. When a write or a commit fails (a
    /// full disk, say), the batch is rolled back and its files are written again one by one, each committed on its
    /// own, up to the one that fails: the files before it are kept, as with one transaction per file. Files stored
    /// before an error thrown by `body` are committed before it is rethrown.
    public func withImportBatch<T>(
        maxFiles: Int = 64, maxSeconds: Double = 0.25, _ body: (ImportBatch) throws -> T
    ) throws -> T {
        do {
            return try database.writeWithoutTransaction { db in
                // Under the file's savepoint SQLite keeps, for each statement, the pages it changes (to undo that
                // statement alone): kept in memory instead of written to a temporary file and truncated again
                // (about 15 KB a review: 376 MiB of writes for a million answers). Only while the batch imports.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                // Should this fail, only the setting stays: nothing is written differently.
                defer { try? db.execute(sql: "PRAGMA temp_store = DEFAULT") }
                let batch = ImportBatch(
                    db: db, path: path, busyTimeout: busyTimeout, maxFiles: maxFiles, maxSeconds: maxSeconds)
                return try committing(batch.commit) { try body(batch) }
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path, action: "committing the imported files", busyTimeout: busyTimeout)
        }
    }

    /// The resubmission findings of a file whose reviews `read` hands on one by one (for `tilsyn validate`), and the
    /// file it returns.
    static func resubmissionFindings(
        _ stored: StoredFile, replace: Bool, in sql: any SQLRunner, read: Reading
    ) throws -> (file: ReturnedFile, findings: [Finding]) {
        let comparer = Comparer(path: stored.path, replace: replace, in: sql)
        var findings: [Finding] = []
        let file = try read { review in
            if let finding = try comparer.compare(review).1 { findings.append(finding) }
        }
        return (file, findings)
    }

    static func importFile(
        _ file: ReturnedFile, replace: Bool, in db: Database, shared: ImportShared = ImportShared()
    ) throws -> ImportOutcome {
        guard !file.isRejected else { return .rejected }
        return try importFile(StoredFile(file), replace: replace, in: db, shared: shared, read: held(file))
            .outcome
    }

    /// Imports one file whose reviews `read` hands to its argument one by one and whose findings it returns at the
    /// end: each review is compared with the store and written as it comes, so a file is never held whole. The
    /// caller runs this under a transaction or savepoint and rolls it back unless the outcome is `imported` (a file
    /// found rejected at its end, or a resubmission refused half-way, leaves nothing).
    ///
    /// The counts stay exact although the reviews come one by one: a case and round's agreement over three or four
    /// levels is taken out before the first of its reviews changes and added again at the end; a replaced review's
    /// pairs are taken out only with reviews that are not of this file (whose pairs are added at the end).
    static func importFile(
        _ stored: StoredFile, replace: Bool, in db: Database, shared: ImportShared = ImportShared(),
        read: Reading
    ) throws -> (file: ReturnedFile, outcome: ImportOutcome) {
        try importFile(
            stored, replace: replace, in: GRDBRunner(db: db, statements: shared.statements),
            writers: SQLiteImportWriters(db, shared), read: read)
    }

    /// As ``importFile(_:replace:in:shared:read:)``, on either back end: the statements through `sql`, the answers
    /// and kept counts through `writers`.
    static func importFile(
        _ stored: StoredFile, replace: Bool, in sql: any SQLRunner, writers: any ImportWriters, read: Reading
    ) throws -> (file: ReturnedFile, outcome: ImportOutcome) {
        if try !sql.rows("SELECT 1 FROM file WHERE sha256 = ?", [.text(stored.sha256)]).isEmpty {
            let file = try read { _ in }
            return (file, file.isRejected ? .rejected : ImportOutcome(
                status: .alreadyImported, findings: [], reviewsStored: 0, answersStored: 0, reviewsReplaced: 0,
                reviewsUnchanged: 0))
        }
        let comparer = Comparer(path: stored.path, replace: replace, in: sql)
        // A stored case's reviews in a round, and how many are of this file: one question per review.
        let caseReviews = """
            SELECT count(*), count(*) FILTER (WHERE r.file_id = ?)
            FROM review r JOIN round d ON d.id = r.round_id AND d.name = ?
            WHERE r.case_id = ?
            """
        var findings: [Finding] = []
        var refused = false
        var fileID: Int64?
        var (reviews, answers, replaced, unchanged) = (0, 0, 0, 0)
        var counts = KeptCounts()
        var dimensions = DimensionIDs()
        let file = try read { review in
            // The case asked for first: a case the store does not hold has no stored review to compare with or to
            // count (a first import's every review), and its id is reused when the review is inserted.
            let found = try comparer.storedCase(of: review)
            let storedCase = found.id
            let (state, finding) = try comparer.compare(review, case: found)
            if let finding {
                findings.append(finding)
                refused = refused || finding.severity == .error
            }
            guard !refused else { return }
            if case .unchanged = state {
                unchanged += 1
                return
            }
            let id = try fileID ?? insertFileRow(stored, in: sql)
            fileID = id
            // Agreement over three or four levels counts each case and round as a whole: taken out before the
            // first of its reviews in this file changes, when the store holds it at three levels or more (asked of
            // the store, so that nothing is held per review), added again at the end.
            let key = review.key
            if let storedCase, let counts = try sql.rows(
                caseReviews, [.integer(id), .text(key.round), .integer(storedCase)]
            ).first, counts.int(1) == 0, counts.int(0) >= 3 {
                try updateLevelSets(of: key, in: sql, sign: -1)
            }
            if case .differs(let oldID) = state {
                // Counts held back from the batch's earlier files are written before the replaced review's go.
                try writers.writeKept()
                try remove(oldID, notPairedWith: id, in: sql)
                replaced += 1
            }
            let inserted = try insert(
                review, caseID: storedCase, fileID: id, answers: writers, dimensions: &dimensions, in: sql)
            counts.add(
                review, stored: inserted, catalogue: try writers.groupings.catalogue(review.catalogueID, in: sql))
            if counts.isLarge {
                // The upserts add up: a long file's counts are written as they grow instead of held to its end.
                try writers.write(counts)
                counts = KeptCounts()
            }
            reviews += 1
            answers += review.answers.count
        }
        guard !file.isRejected else { return (file, .rejected) }
        if refused {
            var outcome = ImportOutcome.rejected
            outcome.findings = findings
            return (file, outcome)
        }
        guard let fileID = try fileID ?? (file.reviewCount == 0 ? insertFileRow(stored, in: sql) : nil) else {
            // Other bytes with the very same reviews: nothing new to store, and no file to record.
            return (file, ImportOutcome(
                status: .alreadyImported, findings: [], reviewsStored: 0, answersStored: 0, reviewsReplaced: 0,
                reviewsUnchanged: unchanged))
        }
        try writers.keep(counts)
        try updatePairCounts(in: sql, reviews: "s.file_id = ?1", among: "o.file_id = ?1", arguments: [.integer(fileID)],
                             sign: 1)
        try addLevelSets(ofFile: fileID, in: sql)
        try updatePairCaseCounts(in: sql, reviews: "s.file_id = ?1", among: "o.file_id = ?1",
                                 arguments: [.integer(fileID)], sign: 1)
        try addRecurringCases(in: sql, filter: "r.file_id = ?1", arguments: [.integer(fileID)])
        let warnings = file.findings.filter { $0.severity == .warning }.count + findings.count
        try sql.run(
            "UPDATE file SET shape = ?, reviews = ?, answers = ?, warnings = ? WHERE id = ?",
            [.text(file.shape?.rawValue ?? ""), SQLValue(reviews), SQLValue(answers), SQLValue(warnings),
             .integer(fileID)])
        return (file, ImportOutcome(
            status: .imported, findings: findings, reviewsStored: reviews, answersStored: answers,
            reviewsReplaced: replaced, reviewsUnchanged: unchanged))
    }

    /// The file's row, its counts to be filled in when its reviews are stored.
    private static func insertFileRow(_ file: StoredFile, in sql: any SQLRunner) throws -> Int64 {
        try sql.insertingID(
            """
            INSERT INTO file(sha256, path, shape, bytes, imported_at, reviews, answers, warnings)
            VALUES (?, ?, '', ?, ?, 0, 0, 0)
            """, [.text(file.sha256), .text(file.path), SQLValue(file.byteCount), .text(AuditStore.timestamp())])
    }

    /// Removes a stored review that a review of file `fileID` replaces, with its counts: its pairs are taken out
    /// with the reviews still stored that are not of this file (this file's pairs are added when it is done).
    private static func remove(_ oldID: Int64, notPairedWith fileID: Int64, in sql: any SQLRunner) throws {
        let arguments: [SQLValue] = [.integer(oldID), .integer(fileID)]
        try updateCounts(in: sql, filter: "r.id = ?1", arguments: [.integer(oldID)], sign: -1)
        try updatePairCounts(in: sql, reviews: "s.id = ?1 AND o.file_id <> ?2", among: "o.id = ?1",
                             arguments: arguments, sign: -1)
        try updateCaseCounts(in: sql, filter: "r.id = ?1", arguments: [.integer(oldID)], sign: -1)
        try updatePairCaseCounts(in: sql, reviews: "s.id = ?1 AND o.file_id <> ?2", among: "o.id = ?1",
                                 arguments: arguments, sign: -1)
        let old = try sql.rows("SELECT case_id, level FROM review WHERE id = ?", [.integer(oldID)]).first
        try sql.run("DELETE FROM answer WHERE review_id = ?", [.integer(oldID)])
        try sql.run("DELETE FROM review WHERE id = ?", [.integer(oldID)])
        if let old { try dropRecurringCase(in: sql, caseID: Int64(old.int(0)), level: old.int(1)) }
    }

    /// Adds or removes the level set counts of the stored case and round of `key` when it has reviews at three
    /// levels or more (others have no items in `level_set_count`).
    private static func updateLevelSets(of key: ReviewKey, in sql: any SQLRunner, sign: Int) throws {
        guard
            let ids = try sql.rows(
                """
                SELECT r.case_id, r.round_id FROM review r
                JOIN audit_case c ON c.id = r.case_id AND c.kommune = ? AND c.number = ?
                JOIN round d ON d.id = r.round_id AND d.name = ?
                GROUP BY r.case_id, r.round_id HAVING count(*) >= 3
                """, [.text(key.kommune), .text(key.caseNumber), .text(key.round)]
            ).first
        else { return }
        try updateLevelSetCounts(
            in: sql, filter: "r1.case_id = ?1 AND r1.round_id = ?2", arguments: [ids[0], ids[1]], sign: sign)
    }

    /// Adds the level set counts of every stored case and round that file `fileID` has a review of and that has
    /// reviews at three levels or more.
    private static func addLevelSets(ofFile fileID: Int64, in sql: any SQLRunner) throws {
        let cases = try sql.rows(
            """
            SELECT f.case_id, f.round_id FROM review f
            JOIN review r ON r.case_id = f.case_id AND r.round_id = f.round_id
            WHERE f.file_id = ? GROUP BY f.case_id, f.round_id HAVING count(DISTINCT r.id) >= 3
            """, [.integer(fileID)])
        for ids in cases {
            try updateLevelSetCounts(
                in: sql, filter: "r1.case_id = ?1 AND r1.round_id = ?2", arguments: [ids[0], ids[1]], sign: 1)
        }
    }

    /// The id of the unit `name` within the review's kommune (a case's id comes from ``Comparer/storedCase(of:)``).
    private static func unitID(_ name: String, kommune: String?, in sql: any SQLRunner) throws -> Int64 {
        let values: [SQLValue] = [.text(kommune ?? ""), .text(name)]
        if let id = try sql.rows("SELECT id FROM unit WHERE kommune = ? AND name = ?", values).first {
            return Int64(id.int(0))
        }
        return try sql.insertingID("INSERT INTO unit(kommune, name) VALUES (?, ?)", values)
    }

    private static func dimension(_ table: String, _ column: String, _ value: String, in sql: any SQLRunner) throws
        -> Int64
    {
        if let id = try sql.rows("SELECT id FROM \(table) WHERE \(column) = ?", [.text(value)]).first {
            return Int64(id.int(0))
        }
        return try sql.insertingID("INSERT INTO \(table)(\(column)) VALUES (?)", [.text(value)])
    }

    /// The ids of the rounds, reviewers and units one file's reviews name, remembered for that file: a long CSV
    /// names a few of each on thousands of reviews. Rows of those tables are only ever added, and the ids go with
    /// the file's import, inside its savepoint.
    fileprivate struct DimensionIDs {
        private var rounds: [String: Int64] = [:]
        private var reviewers: [String: Int64] = [:]
        /// By kommune, then by name.
        private var units: [String: [String: Int64]] = [:]

        mutating func ids(of review: Review, in sql: any SQLRunner) throws
            -> (round: Int64, reviewer: Int64, unit: Int64)
        {
            func id(
                _ known: inout [String: Int64], _ table: String, _ column: String, _ value: String
            ) throws -> Int64 {
                if let id = known[value] { return id }
                let id = try dimension(table, column, value, in: sql)
                known[value] = id
                return id
            }
            let unit: Int64
            if let known = units[review.kommune ?? ""]?[review.unit] {
                unit = known
            } else {
                unit = try unitID(review.unit, kommune: review.kommune, in: sql)
                units[review.kommune ?? "", default: [:]][review.unit] = unit
            }
            return (try id(&rounds, "round", "name", review.round),
                    try id(&reviewers, "reviewer", "initials", review.reviewer), unit)
        }
    }

    /// Inserts `review` with its answers; `caseID` is its case's id when the store held the case before it (nil:
    /// the case is added).
    private static func insert(
        _ review: Review, caseID storedCase: Int64?, fileID: Int64, answers: any ImportWriters,
        dimensions: inout DimensionIDs, in sql: any SQLRunner
    ) throws -> StoredReview {
        let caseID = try storedCase ?? sql.insertingID(
            "INSERT INTO audit_case(kommune, number) VALUES (?, ?)",
            [.text(review.kommune ?? ""), .text(review.caseNumber)])
        let (roundID, reviewerID, unitID) = try dimensions.ids(of: review, in: sql)
        let reviewID = try sql.insertingID(
            """
            INSERT INTO review(case_id, round_id, level, reviewer_id, unit_id, measure, age, caseworker, review_date,
                catalogue, catalogue_version, file_id, sheet, cell, udgangspunkt, udgangspunkt_date)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .integer(caseID), .integer(roundID), SQLValue(review.level), .integer(reviewerID), .integer(unitID),
                SQLValue(review.measure.paragraph), review.age.map(SQLValue.init) ?? .null, SQLValue(review.caseworker),
                SQLValue(review.reviewDate), .text(review.catalogueID), .text(review.catalogueVersion),
                .integer(fileID), .text(review.at.sheet), .text(review.at.cell), SQLValue(review.udgangspunkt),
                SQLValue(review.udgangspunktDate),
            ])
        try answers.insert(review.answers, reviewID: reviewID)
        return StoredReview(id: reviewID, caseID: caseID, roundID: roundID, reviewerID: reviewerID, unitID: unitID)
    }

    /// The current time, ISO 8601 in UTC to the second.
    static func timestamp() -> String {
        let seconds = Double(Int(Date().timeIntervalSince1970))
        return ExcelDateTime(serial: seconds / 86_400 + 25_569).iso8601 + "Z"
    }
}

/// What the store records of a file before its reviews are read: its path, hash and size.
public struct StoredFile: Sendable {
    /// The path as given.
    public var path: String
    /// SHA-256 of the bytes, lower-case hex.
    public var sha256: String
    /// The size in bytes.
    public var byteCount: Int

    /// A file's path, hash and size.
    public init(path: String, sha256: String, byteCount: Int) {
        self.path = path
        self.sha256 = sha256
        self.byteCount = byteCount
    }

    /// The path, hash and size of a file read.
    public init(_ file: ReturnedFile) {
        self.init(path: file.path, sha256: file.sha256, byteCount: file.byteCount)
    }
}
