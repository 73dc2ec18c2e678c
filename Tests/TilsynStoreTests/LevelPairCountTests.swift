import PropertyBased
import Testing
@testable import TilsynAnalysis
import TilsynAudit
import TilsynStore
import TilsynTestSupport

/// `level_pair_count`, which the import keeps for agreement between two levels: after any sequence of imports and
/// replacements it equals a recomputation from the stored answers, on SQLite and on PostgreSQL.
@Suite struct LevelPairCountTests {
    /// The pair counts recomputed in Swift from the answers, independently of the import's SQL: per pair of reviews
    /// of one case and round at two levels, per question answered Ja, Nej or a degree (applying) at both.
    static func recomputed(_ store: BackendStore) throws -> [String: Int] {
        let rows = try store.rows("""
            SELECT r.case_id, r.round_id, r.level, r.catalogue, a.question, a.code, r.unit_id, r.measure,
                r.reviewer_id
            FROM answer a JOIN review r ON r.id = a.review_id
            WHERE a.applies = 1 AND a.code IN (1, 2, 4, 5, 6)
            """)
        // (case, round, question) → [(level, catalogue and the review's unit, measure, reviewer, code)]
        var items: [String: [(level: Int, catalogue: String, code: Int)]] = [:]
        for row in rows {
            let key = "\(row.int(0))|\(row.int(1))|\(row.string(4))"
            let review = "\(row.string(3))|\(row.int(6))|\(row.int(7))|\(row.int(8))"
            items[key, default: []].append((row.int(2), review, row.int(5)))
        }
        var counts: [String: Int] = [:]
        for (key, answers) in items {
            let parts = key.split(separator: "|")
            for low in answers {
                for high in answers where high.level > low.level {
                    let id = "\(low.level)|\(high.level)|\(parts[1])|\(low.catalogue)|\(parts[2])|\(low.code)|"
                        + "\(high.code)"
                    counts[id, default: 0] += 1
                }
            }
        }
        return counts
    }

    /// The pair counts the import keeps, keyed as `recomputed` keys them; a row of zero is an error.
    static func kept(_ store: BackendStore) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try store.rows("""
            SELECT low_level, high_level, round_id, catalogue, question, low_code, high_code, items, unit_id,
                measure, reviewer_id
            FROM level_pair_count
            """)
        {
            let id = "\(row.int(0))|\(row.int(1))|\(row.int(2))|\(row.string(3))|\(row.int(8))|"
                + "\(row.int(9))|\(row.int(10))|\(row.string(4))|\(row.int(5))|\(row.int(6))"
            #expect(counts[id] == nil)
            #expect(row.int(7) > 0)
            counts[id] = row.int(7)
        }
        return counts
    }

    /// B.1 does not apply to § 30; TN.1 is the temanedslag of round 2025 (in the counts by question only).
    static let questions = ["U.1", "U.2", "S.1", "T.1", "B.1", "TN.1"]
    static let answers = ["Ja", "Nej", "Ikke relevant", "", "Høj grad", "Lav grad"]

    /// A long CSV file of the reviews `spec` describes: each an integer read as case (3), level (3), round (2),
    /// measure (2) and an answer per question.
    static func file(_ spec: [Int], name: String) -> ReturnedFile {
        var csv = AuditStoreTests.header
        var seen: Set<String> = []
        for value in spec {
            let (number, level, round) = ("P-\(value % 3)", value / 3 % 3 + 1, ["2024", "2025"][value / 9 % 2])
            // § 30 makes B-questions inapplicable; U/S/T apply to all measures.
            let measure = ["32", "30"][value / 18 % 2]
            // Enhed and reviewer vary too: agreement is kept by the lowest level's.
            let (unit, reviewer) = (["Enhed Vest", "Enhed Nord"][value / 5 % 2], ["AB", "CD", "EF"][value / 7 % 3])
            guard seen.insert("\(number)|\(level)|\(round)").inserted else { continue }
            for (index, question) in questions.enumerated() {
                let pick = (value / 36 / (index + 1) + index) % answers.count
                var answer = answers[pick]
                if question == "T.1" {
                    answer = ["Høj grad", "Lav grad", "Nogen grad", "Ikke relevant", ""][pick % 5]
                } else if answer.hasSuffix("grad") {
                    answer = "Ja"
                }
                csv += AuditStoreTests.row(
                    number, question, answer, level: level, round: round, unit: unit, measure: measure,
                    reviewer: reviewer)
            }
        }
        return AuditStoreTests.file(csv, name: name)
    }

    @Test(arguments: Backend.available)
    func maintainedPairCountsEqualARecomputationAfterRandomImportsAndReplacements(_ backend: Backend) async {
        // Each operation: whether to replace (the first number's parity), then one to three reviews.
        let operations = Gen.int(in: 0...2_000).array(of: 2...4).array(of: 1...12)
        await propertyCheck(count: 30, input: operations) { operations in
            let (store, directory) = try AuditStoreTests.makeStore(backend)
            defer { directory.cleanUp() }
            for (index, operation) in operations.enumerated() {
                let file = Self.file(Array(operation.dropFirst()), name: "f\(index).csv")
                _ = try store.importFile(file, replace: operation[0] % 2 == 0)
            }
            #expect(try Self.kept(store) == Self.recomputed(store))
            try AuditStoreTests.expectCountsMatchAnswers(store)
            // The levels read from the kept counts are those of the reviews.
            let levels = try store.rows("SELECT DISTINCT level FROM review ORDER BY level").map { $0.int(0) }
            #expect(try store.reader.levels() == levels)
        }
    }

    @Test(arguments: Backend.available)
    func replacingAReviewMovesItsPairs(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        let header = AuditStoreTests.header
        func row(_ question: String, _ answer: String, level: Int) -> String {
            AuditStoreTests.row("A-1", question, answer, level: level, reviewer: level == 1 ? "AB" : "CD")
        }
        let first = AuditStoreTests.file(
            header + row("U.1", "Ja", level: 1)
                + row("U.2", "Ja", level: 1)
                + row("U.1", "Ja", level: 2)
                + row("U.2", "Nej", level: 2),
            name: "a.csv")
        #expect(try store.importFile(first, replace: false).status == .imported)
        var rows = try Agreement.rows(store.reader, levels: [1, 2])
        #expect([rows[0].compared, rows[0].agree, rows[0].overruledYesToNo] == [2, 1, 1])

        // Level 2 resubmits: U.2 is now Ja, U.1 Ikke relevant (left out).
        let second = AuditStoreTests.file(
            header + row("U.1", "Ikke relevant", level: 2)
                + row("U.2", "Ja", level: 2),
            name: "b.csv")
        #expect(try store.importFile(second, replace: false).status == .rejected)
        #expect(try Self.kept(store) == Self.recomputed(store))
        let replaced = try store.importFile(second, replace: true)
        #expect(replaced.status == .imported && replaced.reviewsReplaced == 1)
        rows = try Agreement.rows(store.reader, levels: [1, 2])
        #expect([rows[0].compared, rows[0].agree, rows[0].overruledYesToNo] == [1, 1, 0])
        #expect(try Self.kept(store) == Self.recomputed(store))

        // Both levels replaced in one file: each pair is taken out and put back once.
        let both = AuditStoreTests.file(
            header + row("U.1", "Nej", level: 1)
                + row("U.2", "Nej", level: 1)
                + row("U.1", "Ja", level: 2)
                + row("U.2", "Nej", level: 2),
            name: "c.csv")
        #expect(try store.importFile(both, replace: true).reviewsReplaced == 2)
        rows = try Agreement.rows(store.reader, levels: [1, 2])
        #expect([rows[0].compared, rows[0].agree, rows[0].overruledNoToYes] == [2, 1, 1])
        #expect(try Self.kept(store) == Self.recomputed(store))
    }

    /// A case and round held at three levels is counted once in the agreement over all three: a later file that
    /// replaces one of its reviews, or adds one for another case beside it, leaves it counted once (its level set
    /// is taken out before the file changes it and added again after).
    @Test(arguments: Backend.available)
    func aThreeLevelCaseResubmittedIsCountedOnce(_ backend: Backend) throws {
        let (store, directory) = try AuditStoreTests.makeStore(backend)
        defer { directory.cleanUp() }
        let header = AuditStoreTests.header
        func row(_ number: String, _ question: String, _ answer: String, level: Int) -> String {
            AuditStoreTests.row(number, question, answer, level: level, reviewer: ["AB", "CD", "EF"][level - 1])
        }
        let first = AuditStoreTests.file(
            header + (1...3).map { row("A-1", "U.1", "Ja", level: $0) + row("A-1", "U.2", "Nej", level: $0) }.joined(),
            name: "a.csv")
        #expect(try store.importFile(first, replace: false).status == .imported)
        try AuditStoreTests.expectCountsMatchAnswers(store)
        let second = AuditStoreTests.file(
            header + row("A-1", "U.1", "Nej", level: 2) + row("A-1", "U.2", "Nej", level: 2)
                + row("A-2", "U.1", "Ja", level: 1),
            name: "b.csv")
        let replaced = try store.importFile(second, replace: true)
        #expect(replaced.status == .imported && replaced.reviewsReplaced == 1)
        try AuditStoreTests.expectCountsMatchAnswers(store)
        let sets = try store.rows("SELECT sum(compared) FROM level_set_count WHERE question = 'U.2'")
        #expect(sets[0].optionalInt(0) == 1)
    }

    /// Two-level agreement from the kept counts equals the self-join over the answers that more levels use.
    @Test(arguments: Backend.available)
    func twoLevelAgreementEqualsTheSelfJoin(_ backend: Backend) async {
        await propertyCheck(count: 15, input: Gen.int(in: 0...2_000).array(of: 1...6).array(of: 1...4)) { files in
            let (store, directory) = try AuditStoreTests.makeStore(backend)
            defer { directory.cleanUp() }
            for (index, spec) in files.enumerated() {
                _ = try store.importFile(Self.file(spec, name: "f\(index).csv"), replace: true)
            }
            let reader = store.reader
            let groupings: [[Breakdown]] = [
                [], [.question], [.theme, .round], [.unit], [.measure, .round], [.reviewer, .step, .round],
                [.question, .unit, .reviewer, .round], [.step, .theme, .round], [.theme, .measure, .step, .round],
            ]
            for dimensions in groupings {
                for levels in [[1, 3], [1, 2, 3]] {
                    let kept = try Agreement.rows(reader, levels: levels, by: dimensions)
                    let joined = try Agreement.rows(reader, levels: levels, by: dimensions, round: nil, fromAnswers: true)
                    #expect(kept == joined, "\(levels) \(dimensions)")
                }
            }
        }
    }
}
