import Foundation
import PropertyBased
import Testing
import TilsynAudit
import TilsynSamples
import TilsynTestSupport

/// Long CSV files read record by record: a file whose rows come review by review hands each review on when its last
/// row is read; one in any other order is read whole; both give the same reviews and findings.
@Suite struct ReturnedFileStreamingTests {
    static let catalogues = ReturnedFileTests.catalogues
    static let reviews = ReturnedFileTests.data.reviews(round: "2025", level: 1)

    /// One row per answer of `reviews` (every question, blank ones too), fields quoted.
    static func rows(_ reviews: [SampleData.GeneratedReview]) -> [(key: String, question: Int, fields: [String])] {
        reviews.flatMap { review in
            review.questions.enumerated().map { index, question in
                (review.record.sagsnummer, index, [
                    review.record.sagsnummer, String(review.level), review.round, question.id,
                    review.answers[question.id] ?? "", review.remarks[question.id] ?? "", review.record.enhed,
                    review.record.indsats.description, review.reviewer, review.date,
                ])
            }
        }
    }

    static func csv(_ rows: [(key: String, question: Int, fields: [String])]) -> [UInt8] {
        let lines = rows.map { row in
            row.fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ";")
                + "\r\n"
        }
        return Array((ReturnedFileTests.longHeader + lines.joined()).utf8)
    }

    /// What a review says, without where it was read.
    static func content(_ review: Review) -> [String] {
        [review.caseNumber, String(review.level), review.round, review.unit, review.reviewer]
            + review.answers.flatMap { [$0.questionID, $0.answer ?? "", $0.remark ?? ""] }
    }

    static func handedOn(_ bytes: [UInt8], name: String = "svar.csv") -> (file: ReturnedFile, reviews: [Review]) {
        var reviews: [Review] = []
        let file = ReturnedFileReader.read(
            bytes: bytes, name: name, catalogues: catalogues, options: ImportOptions()) { reviews.append($0) }
        return (file, reviews)
    }

    @Test func rowsInAnyOrderGiveTheSameReviewsAsRowsReviewByReview() throws {
        let rows = Self.rows(Array(Self.reviews.prefix(6)))
        let grouped = ReturnedFileTests.read(Self.csv(rows), "svar.csv")
        // Question by question: every review's rows are split by the others'.
        let interleaved = ReturnedFileTests.read(
            Self.csv(rows.sorted { ($0.question, $0.key) < ($1.question, $1.key) }), "svar.csv")
        #expect(!grouped.isRejected, "\(grouped.findings.map(\.line))")
        #expect(!interleaved.isRejected, "\(interleaved.findings.map(\.line))")
        #expect(grouped.reviews.count == 6)
        let byCase = { (file: ReturnedFile) in file.reviews.map(Self.content).sorted { $0[0] < $1[0] } }
        #expect(byCase(grouped) == byCase(interleaved))
        #expect(grouped.reviews.map(\.caseNumber) == Self.reviews.prefix(6).map(\.record.sagsnummer))
    }

    /// Handed on or held, whether the rows come review by review or not: the same reviews in the same order, the
    /// same findings and counts; handed on, nothing is held.
    @Test(arguments: [false, true])
    func handingOnGivesWhatHoldingGives(interleave: Bool) throws {
        var rows = Self.rows(Array(Self.reviews.prefix(5)))
        // Mistakes in the first and the last review: an answer outside the scale, and an enhed that differs from
        // the review's first row.
        rows[1].fields[4] = "Måske"
        rows[rows.count - 1].fields[6] = "Anden enhed"
        if interleave { rows.sort { ($0.question, $0.key) < ($1.question, $1.key) } }
        let held = ReturnedFileTests.read(Self.csv(rows), "svar.csv")
        let (file, reviews) = Self.handedOn(Self.csv(rows))
        #expect(held.isRejected)
        #expect(Set(held.findings.map(\.rule)).isSuperset(of: [.answerOutsideScale, .invalidMetadata]))
        #expect(file.findings == held.findings)
        #expect(file.reviews.isEmpty)
        #expect(reviews.map(Self.content) == held.reviews.map(Self.content))
        #expect(reviews.map { $0.answers.map(\.at) } == held.reviews.map { $0.answers.map(\.at) })
        // The review with the answer outside the scale is refused by the normaliser; the others are handed on.
        #expect(file.reviewCount == held.reviewCount && file.reviewCount == 4)
        let answers = rows.filter { $0.key != Self.reviews[0].record.sagsnummer }.count
        #expect(file.answerCount == held.answerCount && file.answerCount == answers)
        #expect(file.identities == held.identities)
    }

    /// A review's questions in another order than the catalogue's (reversed, or every other one first) give the
    /// same answers and findings: the normaliser's look-up that tries the next question first falls back to the id.
    @Test(arguments: ["reversed", "odd first"])
    func questionsOutOfTheCataloguesOrderGiveTheSameAnswers(order: String) throws {
        let rows = Self.rows(Array(Self.reviews.prefix(4)))
        let reordered = rows.sorted { first, second in
            guard first.key == second.key else {
                return rows.firstIndex { $0.key == first.key }! < rows.firstIndex { $0.key == second.key }!
            }
            return order == "reversed"
                ? first.question > second.question
                : (first.question % 2, first.question) > (second.question % 2, second.question)
        }
        let inOrder = ReturnedFileTests.read(Self.csv(rows), "svar.csv")
        let outOfOrder = ReturnedFileTests.read(Self.csv(reordered), "svar.csv")
        #expect(!inOrder.isRejected && inOrder.reviews.count == 4)
        let answers = { (file: ReturnedFile) -> [[String]] in
            file.reviews.flatMap { review -> [[String]] in
                let each: [[String]] = review.answers.map { answer in
                    [review.caseNumber, answer.questionID, answer.answer ?? "-", answer.remark ?? "-"]
                }
                return each.sorted { $0[1] < $1[1] }
            }
        }
        #expect(answers(inOrder) == answers(outOfOrder))
        let rules = { (file: ReturnedFile) -> [String] in file.findings.map { "\($0.rule)" }.sorted() }
        #expect(rules(inOrder) == rules(outOfOrder))
    }

    /// A file that turns out unreadable after its first reviews hands none of them on.
    @Test func anUnreadableFileHandsNothingOn() throws {
        var bytes = Self.csv(Self.rows(Array(Self.reviews.prefix(3))))
        bytes = [0xEF, 0xBB, 0xBF] + bytes + Array("\"X-1\";\"1\";\"2025\";\"U.1\";\"".utf8) + [0xFF, 0xFE]
            + Array("\";\"\";\"E\";\"32\";\"AB\";\"2025-03-01\"\r\n".utf8)
        let (file, reviews) = Self.handedOn(bytes)
        #expect(reviews.isEmpty)
        #expect(file.findings.map(\.rule) == [.unreadable])
        #expect(file.reviewCount == 0)
    }

    /// A CSV file read from disk through a window gives what its bytes give in memory; one that changes after it
    /// was hashed is refused, and nothing of it counts.
    @Test func aFileReadFromDiskIsTheFileThatWasHashed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = directory.path("svar.csv")
        let bytes = Self.csv(Self.rows(Array(Self.reviews.prefix(3))))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let source = try #require(ReturnedFileSource(path: path))
        #expect(source.sha256 == ContentHash.sha256Hex(bytes) && source.byteCount == bytes.count)
        let fromDisk = ReturnedFileReader.read(source, catalogues: Self.catalogues, options: ImportOptions())
        let inMemory = ReturnedFileTests.read(bytes, path)
        #expect(fromDisk.reviews.map(Self.content) == inMemory.reviews.map(Self.content))
        #expect(fromDisk.findings == inMemory.findings && fromDisk.sha256 == inMemory.sha256)
        try Data(bytes.map { $0 == UInt8(ascii: "J") ? UInt8(ascii: "N") : $0 }).write(to: URL(fileURLWithPath: path))
        var handed = 0
        let changed = ReturnedFileReader.read(source, catalogues: Self.catalogues, options: ImportOptions()) { _ in
            handed += 1
        }
        #expect(changed.findings.map(\.rule) == [.changedDuringImport])
        #expect(changed.reviewCount == 0 && handed > 0)
    }

    /// A CSV file on disk that is read once only (its survey finds no header, so no records are parsed) keeps the
    /// finding that says why, rather than one saying it changed: only the parsing pass is hashed.
    @Test(arguments: [Array("\r\n\r\n".utf8), Array(";;;\r\n\r\n".utf8), []])
    func aFileReadOnceKeepsItsOwnFinding(_ bytes: [UInt8]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = directory.path("svar.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let source = try #require(ReturnedFileSource(path: path))
        let fromDisk = ReturnedFileReader.read(source, catalogues: Self.catalogues, options: ImportOptions())
        let inMemory = ReturnedFileTests.read(bytes, path)
        #expect(fromDisk.isRejected && fromDisk.reviewCount == 0)
        #expect(!fromDisk.findings.map(\.rule).contains(.changedDuringImport))
        #expect(fromDisk.findings == inMemory.findings)
    }

    /// A long file's reviews are summed up for the reviewers' overview in a few distinct values per column, not one
    /// per review (a cell of 25,000 case numbers is more than Excel holds).
    @Test func aLongFileIsSummedUpInAFewValues() throws {
        let identities = ReviewIdentities((1...7).map { number in
            ReviewIdentity(
                caseNumber: "S-\(number)", level: "1", round: "2025", unit: number < 4 ? "Nord" : "Syd",
                reviewer: number == 2 ? "" : "AB")
        })
        #expect(identities.count == 7)
        #expect(identities.caseNumbers.joined == "S-1, S-2, S-3, S-4, S-5 m.fl.")
        #expect(identities.levels.joined == "1" && identities.units.joined == "Nord, Syd")
        #expect(identities.reviewers.joined == "AB")
        let file = ReturnedFileTests.read(Self.csv(Self.rows(Array(Self.reviews.prefix(8)))), "svar.csv")
        #expect(file.identities.count == 8)
        #expect(file.identities.caseNumbers.values == Self.reviews.prefix(5).map(\.record.sagsnummer))
        #expect(file.identities.caseNumbers.more)
    }

    /// White space around any field, ASCII or not, changes nothing: rows are compared with their review's first row
    /// byte for byte, and only rows that differ are compared as trimmed texts. In either row order.
    @Test func whiteSpaceAroundFieldsChangesNothing() async {
        let rows = Self.rows(Array(Self.reviews.prefix(4)))
        let interleaved = rows.sorted { ($0.question, $0.key) < ($1.question, $1.key) }
        let pads = ["", "", " ", "\t", "\u{A0}", " \u{2003}"]
        await propertyCheck(count: 20, input: Gen.int(in: 0...1_000_000), Gen.bool) { seed, interleave in
            var random = SplitMix64(seed: UInt64(seed))
            let plainRows = interleave ? interleaved : rows
            let padded = plainRows.map { row in
                (row.key, row.question, row.fields.map { field in
                    pads.randomElement(using: &random)! + field + pads.randomElement(using: &random)!
                })
            }
            let plain = Self.handedOn(Self.csv(plainRows))
            let file = Self.handedOn(Self.csv(padded))
            #expect(plain.reviews.count == 4)
            #expect(file.reviews.map(Self.content) == plain.reviews.map(Self.content))
            #expect(file.reviews.map { $0.answers.map(\.at) } == plain.reviews.map { $0.answers.map(\.at) })
            #expect(file.file.findings == plain.file.findings)
        }
    }

    /// A catalogue column is read row by row: the same name with white space is the same catalogue, a name that
    /// is no catalogue is reported at its cell and its row is not read, and the review goes on after it.
    @Test func aCatalogueColumnIsReadOnEveryRow() throws {
        let header = "sagsnummer;niveau;runde;enhed;indsats;katalog;spørgsmål;svar\r\n"
        let (file, reviews) = Self.handedOn(Array((header
            + "C-1;1;2025;Nord;32;kk-2025;U.1;Ja\r\n"
            + "C-1;1;2025;Nord;32; kk-2025 ;U.2;Nej\r\n"
            + "C-1;1;2025;Nord;32;kk-2099;U.3;Ja\r\n"
            + "C-1;1;2025;Nord;32;kk-2025;U.4;Ja\r\n").utf8))
        #expect(file.findings.filter { $0.severity == .error }.map(\.rule) == [.unknownCatalogue])
        #expect(file.findings.first { $0.rule == .unknownCatalogue }?.cell == "F4")
        #expect(reviews.first?.answers.map(\.questionID) == ["U.1", "U.2", "U.4"])
    }
}
