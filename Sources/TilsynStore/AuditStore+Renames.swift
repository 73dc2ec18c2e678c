internal import GRDB
internal import TilsynAudit

extension AuditStore {
    /// Records the question ids `catalogue`'s questions replace (`Question.replaces`) in `question_rename`, so that
    /// answers stored under an earlier version's id count as the current question's when rounds are compared.
    ///
    /// Renames chain: when `B` replaced `A` earlier and `C` now replaces `B`, `A` maps to `C` as well. A mapping is
    /// kept when a later version no longer lists it, and dropped when its earlier id is a question again.
    static func registerRenames(_ catalogue: Catalogue, in db: Database) throws {
        for question in catalogue.allQuestions {
            for previous in question.replaces {
                try db.cachedStatement(
                    sql: "UPDATE question_rename SET question = ? WHERE catalogue = ? AND question = ?"
                ).execute(arguments: [question.id, catalogue.id, previous])
                try db.cachedStatement(
                    sql: """
                        INSERT INTO question_rename(catalogue, previous, question) VALUES (?, ?, ?)
                        ON CONFLICT(catalogue, previous) DO UPDATE SET question = excluded.question
                        """
                ).execute(arguments: [catalogue.id, previous, question.id])
            }
        }
        for question in catalogue.allQuestions {
            try db.cachedStatement(sql: "DELETE FROM question_rename WHERE catalogue = ? AND previous = ?")
                .execute(arguments: [catalogue.id, question.id])
        }
    }
}
