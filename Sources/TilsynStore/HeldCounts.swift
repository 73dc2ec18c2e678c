/// The kept counts of an import batch's stored files, held back and written once before the batch commits: the
/// files of one round share most of their rows (the same catalogue, reviewers and enheder), and an upsert costs
/// SQLite about 3 µs. A file's counts join the batch's only when its savepoint is released; counts written on the
/// way (before a replaced review's are taken out) are kept aside until then, and held again if the file is rolled
/// back.
struct HeldCounts {
    /// The counts of the files stored in the batch's transaction and not yet written.
    private(set) var batch = KeptCounts()
    /// The counts of the file being stored.
    var file = KeptCounts()
    /// Batch counts written while the current file was being stored (and so under its savepoint).
    private var writtenInFile = KeptCounts()

    /// The batch's counts were written: under the current file's savepoint, or (between files, before the commit)
    /// in the batch's transaction, after which the batch starts afresh.
    mutating func wroteBatch() {
        writtenInFile.merge(batch)
        batch = KeptCounts()
    }

    /// The current file's savepoint was released: its counts join the batch's.
    mutating func fileStored() {
        batch.merge(file)
        file = KeptCounts()
        writtenInFile = KeptCounts()
    }

    /// The current file's savepoint was rolled back: its counts go, and batch counts written under it are held again.
    mutating func fileRolledBack() {
        batch.merge(writtenInFile)
        file = KeptCounts()
        writtenInFile = KeptCounts()
    }

    /// Whether the batch holds so many rows that they are better written now.
    var isLarge: Bool { batch.isLarge }
}
