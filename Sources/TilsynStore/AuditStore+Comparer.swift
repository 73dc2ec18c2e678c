internal import TilsynAudit

extension AuditStore {
    /// Compares reviews with the store, one by one: whether each is new, the same as a stored one, or differs,
    /// and the resubmission finding for one that differs.
    struct Comparer {
        /// The cases stored under one case number (see ``storedCase(of:)``).
        struct StoredCase {
            /// The id of the case in the review's kommune; nil when the store has none.
            var id: Int64?
            /// The kommunes the number is stored under, sorted ("" for none).
            var kommunes: [String]
        }

        let path: String
        let replace: Bool
        let sql: any SQLRunner

        static let lookup = """
            SELECT r.id, f.path, u.name, v.initials, r.review_date, r.measure, r.age, r.caseworker,
                r.udgangspunkt, r.udgangspunkt_date
            FROM review r
            JOIN round d ON d.id = r.round_id JOIN file f ON f.id = r.file_id
            JOIN unit u ON u.id = r.unit_id JOIN reviewer v ON v.id = r.reviewer_id
            WHERE r.case_id = ? AND d.name = ? AND r.level = ?
            """

        init(path: String, replace: Bool, in sql: any SQLRunner) {
            self.path = path
            self.replace = replace
            self.sql = sql
        }

        /// The cases the store holds under the review's case number: the id of the review's own (its number within
        /// its kommune; nil when the store has no such case, and so no review of it either) and the kommunes of all
        /// (sorted), for ``compare(_:case:)``. One question for both.
        func storedCase(of review: Review) throws -> StoredCase {
            var found = StoredCase(id: nil, kommunes: [])
            let kommune = review.kommune ?? ""
            for row in try sql.rows("SELECT id, kommune FROM audit_case WHERE number = ?", [.text(review.caseNumber)]) {
                let stored = row.string(1)
                if stored == kommune { found.id = Int64(row.int(0)) }
                found.kommunes.append(stored)
            }
            // Byte order, as SQLite's; sorted here, as a number is rarely stored under more than one kommune.
            if found.kommunes.count > 1 { found.kommunes.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
            return found
        }

        /// Compares `review` with the store; `storedCase` is what ``storedCase(of:)`` found of its case (asked for
        /// here when nil). A review whose case the store does not hold is new without asking for a stored review.
        func compare(_ review: Review, case storedCase: StoredCase? = nil) throws -> (StoredState, Finding?) {
            let found = try storedCase ?? self.storedCase(of: review)
            guard
                let caseID = found.id,
                let row = try sql.rows(
                    Self.lookup, [.integer(caseID), .text(review.round), SQLValue(review.level)]
                ).first
            else {
                return (.new, kommuneConflict(review, stored: found.kommunes))
            }
            let id = Int64(row.int(0))
            let earlierFile = row.string(1)
            var stored: [String: [String?]] = [:]
            for answer in try sql.rows(
                "SELECT question, answer, remark FROM answer WHERE review_id = ? ORDER BY question", [.integer(id)])
            {
                stored[answer.string(0)] = [answer.optionalString(1), answer.optionalString(2)]
            }
            var incoming: [String: [String?]] = [:]
            for answer in review.answers { incoming[answer.questionID] = [answer.answer, answer.remark] }
            // The metadata counts as much as the answers: a corrected enhed, reviewer or date is a new version.
            var fields: [String] = []
            if row.string(2) != review.unit { fields.append("enhed") }
            if row.string(3) != review.reviewer { fields.append("reviewer") }
            if row.optionalString(4) != review.reviewDate { fields.append("dato for gennemgang") }
            if row.int(5) != review.measure.paragraph { fields.append("indsats") }
            if row.optionalInt(6) != review.age { fields.append("barnets alder") }
            if row.optionalString(7) != review.caseworker { fields.append("sagsbehandler") }
            if row.optionalString(8) != review.udgangspunkt { fields.append("udgangspunkt") }
            if row.optionalString(9) != review.udgangspunktDate { fields.append("dato for udgangspunkt") }
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
        func kommuneConflict(_ review: Review, stored: [String]) -> Finding? {
            let kommune = review.kommune ?? ""
            let message: String
            if kommune.isEmpty, let named = stored.first(where: { !$0.isEmpty }) {
                message =
                    "Sagen er gemt under kommunen »\(named)«, men filen angiver ingen kommune, så den ville tælle "
                    + "som en anden sag."
            } else if !kommune.isEmpty, stored.contains("") {
                message =
                    "Sagen er gemt uden kommune, men filen angiver kommunen »\(kommune)«, så den ville tælle som "
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
