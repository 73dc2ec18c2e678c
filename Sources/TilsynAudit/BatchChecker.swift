internal import Crypto

/// Finds the same case, level and round in more than one file of a batch.
///
/// No file wins by its place in the path order (`S-1 (2).xlsx` before `S-1.xlsx`): when the files disagree, every
/// one of them gets an error naming the others and none is stored. Files that hold the very same review (a copy
/// sent twice) are no conflict: the store keeps the review once and the copy changes nothing.
///
/// The check needs of each file only an ``Entry`` (its path and, per review, the key, the cell and a digest of what
/// the review says), so an importer can check a large batch without holding every file's answers.
public enum BatchChecker {
    /// What the check needs of one file.
    public struct Entry: Sendable {
        /// One review of the file: its case, level and round, where it was read, and a digest of what it says.
        public struct Review: Sendable {
            /// The review's case, level and round.
            public var key: ReviewKey
            /// Where the review was read.
            public var at: Provenance
            /// SHA-256 of everything the store keeps of the review, except where it was read.
            public var digest: ReviewDigest
        }

        /// The file's path as given.
        public var path: String
        /// Its reviews, in file order.
        public var reviews: [Review]

        /// An entry for the file at `path`, its reviews to be added as they are read.
        public init(path: String) {
            self.path = path
            reviews = []
        }

        /// Adds a review read from the file.
        public mutating func add(_ review: TilsynAudit.Review) {
            reviews.append(Review(key: review.key, at: review.at, digest: ReviewDigest(review)))
        }

        /// The entry of `file`.
        public init(_ file: ReturnedFile) {
            path = file.path
            reviews = file.reviews.map { Review(key: $0.key, at: $0.at, digest: ReviewDigest($0)) }
        }
    }

    /// Adds an error to each file whose review's case, level and round another file of `files` has with other
    /// answers, remarks or metadata.
    public static func check(_ files: inout [ReturnedFile]) {
        for (index, found) in findings(files.map(Entry.init)).enumerated() { files[index].findings += found }
    }

    /// The errors for each of `entries` (by index): one for each review whose case, level and round another file
    /// has with other answers, remarks or metadata.
    public static func findings(_ entries: [Entry]) -> [[Finding]] {
        var result = [[Finding]](repeating: [], count: entries.count)
        var byKey: [ReviewKey: [(file: Int, review: Int)]] = [:]
        for (f, entry) in entries.enumerated() {
            for (r, review) in entry.reviews.enumerated() { byKey[review.key, default: []].append((f, r)) }
        }
        // In file order, so a file's findings do not depend on the dictionary's order.
        let conflicts = byKey.values.filter { places in
            places.contains { $0.file != places[0].file }
                && places.contains { entries[$0.file].reviews[$0.review].digest
                    != entries[places[0].file].reviews[places[0].review].digest }
        }.sorted { ($0[0].file, $0[0].review) < ($1[0].file, $1[0].review) }
        for places in conflicts {
            for (index, place) in places.enumerated() {
                let others = Set(places.enumerated().filter { $0.offset != index && $0.element.file != place.file }
                    .map { entries[$0.element.file].path }).sorted()
                let review = entries[place.file].reviews[place.review]
                result[place.file].append(Finding(
                    file: entries[place.file].path, sheet: review.at.sheet, cell: review.at.cell, severity: .error,
                    rule: .duplicateReview,
                    message: "Samme sag, niveau og runde findes også i " + (others.count == 1 ? "filen " : "filerne ")
                        + others.joined(separator: ", ") + " med andre svar eller oplysninger. Ingen af filerne er "
                        + "indlæst.",
                    suggestion: "Afklar, hvilken fil der er den rigtige, og indlæs kun den; slet den forkerte, eller ret "
                        + "niveau eller runde."))
            }
        }
        return result
    }
}

/// SHA-256 of what a review says: its metadata (reviewer, enhed, indsats, age, kommune, date, catalogue,
/// sagsbehandler, udgangspunkt and its date) and its answers and remarks by question, without where it was read.
/// Two reviews with the same digest say the same.
public struct ReviewDigest: Sendable, Hashable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// The digest of `review`.
    public init(_ review: Review) {
        var bytes: [UInt8] = []
        func add(_ text: String?) {
            guard let text else { return bytes.append(0) }
            bytes.append(1)
            withUnsafeBytes(of: UInt64(text.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: text.utf8)
        }
        for field in [
            review.reviewer, review.unit, String(review.measure.paragraph), review.age.map(String.init), review.kommune,
            review.reviewDate, review.catalogueID, review.catalogueVersion, review.caseworker, review.udgangspunkt,
            review.udgangspunktDate,
        ] { add(field) }
        for answer in review.answers.sorted(by: { $0.questionID < $1.questionID }) {
            add(answer.questionID)
            add(answer.answer)
            add(answer.remark)
        }
        var words: [UInt64] = []
        SHA256.hash(data: bytes).withUnsafeBytes { raw in
            for offset in stride(from: 0, to: 32, by: 8) {
                words.append(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            }
        }
        self.words = (words[0], words[1], words[2], words[3])
    }

    /// Whether the two reviews say the same.
    public static func == (left: ReviewDigest, right: ReviewDigest) -> Bool { left.words == right.words }

    /// Feeds the digest to `hasher`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
