internal import TilsynAudit

extension AuditStore {
    /// Records the question ids `catalogue`'s questions replace (`Question.replaces`) in `question_rename`, so that
    /// answers stored under an earlier version's id count as the current question's when rounds are compared.
    ///
    /// Renames chain: when `B` replaced `A` earlier and `C` now replaces `B`, `A` maps to `C` as well. A mapping is
    /// kept when a later version no longer lists it, and dropped when its earlier id is a question again.
    static func registerRenames(_ catalogue: Catalogue, in sql: any SQLRunner) throws {
        for question in catalogue.allQuestions {
            for previous in question.replaces {
                try sql.run(
                    "UPDATE question_rename SET question = ? WHERE catalogue = ? AND question = ?",
                    [.text(question.id), .text(catalogue.id), .text(previous)])
                try sql.run(
                    """
                    INSERT INTO question_rename(catalogue, previous, question) VALUES (?, ?, ?)
                    ON CONFLICT (catalogue, previous) DO UPDATE SET question = excluded.question
                    """, [.text(catalogue.id), .text(previous), .text(question.id)])
            }
        }
        for question in catalogue.allQuestions {
            try sql.run(
                "DELETE FROM question_rename WHERE catalogue = ? AND previous = ?",
                [.text(catalogue.id), .text(question.id)])
        }
    }
}
