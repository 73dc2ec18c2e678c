internal import GRDB
internal import TilsynAudit

extension AuditStore {
    /// Compares reviews with the store, one by one: whether each is new, the same as a stored one, or differs,
    /// and the resubmission finding for one that differs.
    struct Comparer {
        let path: String
        let replace: Bool
        let lookup: Statement
        let answersOf: Statement
        /// The kommuner the store holds a case number under.
        let kommunerOf: Statement

        init(path: String, replace: Bool, in db: Database) throws {
            self.path = path
            self.replace = replace
            lookup = try db.cachedStatement(sql: """
                SELECT r.id, f.path, u.name, v.initials, r.review_date, r.measure, r.age, r.caseworker,
                    r.udgangspunkt, r.udgangspunkt_date
                FROM review r
                JOIN audit_case c ON c.id = r.case_id JOIN round d ON d.id = r.round_id JOIN file f ON f.id = r.file_id
                JOIN unit u ON u.id = r.unit_id JOIN reviewer v ON v.id = r.reviewer_id
                WHERE c.kommune = ? AND c.number = ? AND d.name = ? AND r.level = ?
                """)
            kommunerOf = try db.cachedStatement(sql: "SELECT kommune FROM audit_case WHERE number = ? ORDER BY kommune")
            answersOf = try db.cachedStatement(
                sql: "SELECT question, answer, remark FROM answer WHERE review_id = ? ORDER BY question")
        }

        func compare(_ review: Review) throws -> (StoredState, Finding?) {
            let key = review.key
            guard let row = try Row.fetchOne(lookup, arguments: [key.kommune, key.caseNumber, key.round, key.level])
            else {
                return (.new, try kommuneConflict(review))
            }
            let id: Int64 = row[0]
            let earlierFile: String = row[1]
            var stored: [String: [String?]] = [:]
            for answer in try Row.fetchAll(answersOf, arguments: [id]) {
                stored[answer[0]] = [answer[1], answer[2]]
            }
            var incoming: [String: [String?]] = [:]
            for answer in review.answers { incoming[answer.questionID] = [answer.answer, answer.remark] }
            // The metadata counts as much as the answers: a corrected enhed, reviewer or date is a new version.
            var fields: [String] = []
            if (row[2] as String) != review.unit { fields.append("enhed") }
            if (row[3] as String) != review.reviewer { fields.append("reviewer") }
            if (row[4] as String?) != review.reviewDate { fields.append("dato for gennemgang") }
            if (row[5] as Int) != review.measure.paragraph { fields.append("indsats") }
            if (row[6] as Int?) != review.age { fields.append("barnets alder") }
            if (row[7] as String?) != review.caseworker { fields.append("sagsbehandler") }
            if (row[8] as String?) != review.udgangspunkt { fields.append("udgangspunkt") }
            if (row[9] as String?) != review.udgangspunktDate { fields.append("dato for udgangspunkt") }
            if stored == incoming, fields.isEmpty { return (.unchanged, nil) }
            let changed = Set(stored.keys).union(incoming.keys).filter { stored[$0] != incoming[$0] }.count
            var what: [String] = []
            if changed > 0 { what.append("andre svar på \(changed) spørgsmål") }
            if !fields.isEmpty { what.append("en anden " + fields.joined(separator: ", ")) }
            let difference = what.joined(separator: " og ")
            if replace {
                return (.differs(reviewID: id), Finding(
                    file: path, sheet: review.at.sheet, cell: review.at.cell, severity: .warning,
                    rule: .resubmission,
                    message: "Gennemgangen er indsendt før (i filen \(earlierFile)) med \(difference). Den "
                        + "tidligere gennemgang er erstattet.",
                    suggestion: "Ingen handling, hvis den nye fil er den rigtige."))
            }
            return (.differs(reviewID: id), Finding(
                file: path, sheet: review.at.sheet, cell: review.at.cell, severity: .error,
                rule: .resubmission,
                message: "Gennemgangen er indsendt før (i filen \(earlierFile)) med \(difference). Den nye fil "
                    + "er ikke indlæst.",
                suggestion: "Afklar, hvilken version der er rigtig. Skal den nye erstatte den gamle, kan den "
                    + "indlæses igen som erstatning."))
        }

        /// The error for a new case whose number the store holds with a kommune where the review names none, or
        /// without one where the review names one: the two would be counted as two children, so the file waits
        /// until the import names the kommune or the store's kommune is set (the command's closing lines say how;
        /// the finding goes to the reviewer, who has nothing to change).
        func kommuneConflict(_ review: Review) throws -> Finding? {
            let kommune = review.kommune ?? ""
            let stored = try String.fetchAll(kommunerOf, arguments: [review.caseNumber])
            let message: String
            if kommune.isEmpty, let named = stored.first(where: { !$0.isEmpty }) {
                message = "Sagen er gemt under kommunen »\(named)«, men filen angiver ingen kommune, så den ville tælle "
                    + "som en anden sag."
            } else if !kommune.isEmpty, stored.contains("") {
                message = "Sagen er gemt uden kommune, men filen angiver kommunen »\(kommune)«, så den ville tælle som "
                    + "en anden sag."
            } else {
                return nil
            }
            return Finding(
                file: path, sheet: review.at.sheet, cell: review.at.cell, severity: .error, rule: .kommuneConflict,
                message: message,
                suggestion: "Intet at rette i filen: den, der indlæser filerne, angiver sagens kommune, og så kan "
                    + "filen indlæses.")
        }
    }
}
