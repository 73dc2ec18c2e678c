/// The municipality (kommune) in the store: part of the identity of cases and units (migration v10).
///
/// A case is its number within its kommune and a unit its name within its kommune, `''` where none is named. An
/// import never pairs a case stored with a kommune with a review naming none, or the other way round (the file is
/// refused with a `kommuneConflict` finding); naming the store's kommune resolves it.
extension AuditStore {
    /// Moves the cases and units stored without a kommune to `kommune`, in the transaction that sets the store's
    /// kommune setting: those reviews were of the store's own municipality.
    ///
    /// A unit already stored under `kommune` with the same name takes the reviews of the unnamed one. A case number
    /// the store holds both without a kommune and under `kommune` (possible only in a store upgraded from before
    /// v10, whose reviews named several kommuner) cannot be merged when both have a review at the same level and
    /// round; that is reported and nothing changes. When anything was merged the kept counts are counted again.
    static func adoptUnnamed(kommune: String, in sql: any SQLRunner) throws {
        let name: [SQLValue] = [.text(kommune)]
        var merged =
            try sql.run(
                """
                UPDATE review SET unit_id = (
                    SELECT n.id FROM unit e JOIN unit n ON n.kommune = ?1 AND n.name = e.name
                    WHERE e.id = review.unit_id)
                WHERE unit_id IN (SELECT e.id FROM unit e JOIN unit n ON n.kommune = ?1 AND n.name = e.name
                    WHERE e.kommune = '')
                """, name) > 0
        let clash = try sql.value(
            """
            SELECT 1 FROM review r JOIN audit_case e ON e.id = r.case_id AND e.kommune = ''
            JOIN audit_case n ON n.kommune = ? AND n.number = e.number
            JOIN review o ON o.case_id = n.id AND o.round_id = r.round_id AND o.level = r.level
            LIMIT 1
            """, name)
        if clash != nil {
            throw StoreError(
                .conflict,
                "the store holds a case both without a kommune and under '\(kommune)', with a review at the same "
                    + "level and round under each, so the two cannot be made one case")
        }
        merged =
            try sql.run(
                """
                UPDATE review SET case_id = (
                    SELECT n.id FROM audit_case e JOIN audit_case n ON n.kommune = ?1 AND n.number = e.number
                    WHERE e.id = review.case_id)
                WHERE case_id IN (SELECT e.id FROM audit_case e
                    JOIN audit_case n ON n.kommune = ?1 AND n.number = e.number WHERE e.kommune = '')
                """, name) > 0 || merged
        for statement in [
            """
            DELETE FROM unit WHERE kommune = '' AND EXISTS (
                SELECT 1 FROM unit n WHERE n.kommune = ? AND n.name = unit.name)
            """,
            "UPDATE unit SET kommune = ? WHERE kommune = ''",
            """
            DELETE FROM audit_case WHERE kommune = '' AND EXISTS (
                SELECT 1 FROM audit_case n WHERE n.kommune = ? AND n.number = audit_case.number)
            """,
            "UPDATE audit_case SET kommune = ? WHERE kommune = ''",
        ] {
            try sql.run(statement, name)
        }
        guard merged else { return }
        // Counts are kept by unit and case: merged ones are counted again from the answers.
        try sql.run("DELETE FROM answer_count", [])
        try updateCounts(in: sql, filter: "1 = 1", arguments: [], sign: 1)
        try rebuildCaseCounts(in: sql)
    }

    /// Stores `value` for `setting` through `sql` (nil removes it), in the caller's writing transaction.
    static func set(_ setting: Setting, to value: String?, in sql: any SQLRunner) throws {
        guard let value else {
            try sql.run("DELETE FROM setting WHERE name = ?", [.text(setting.rawValue)])
            return
        }
        precondition(setting.check(value) == nil, "unchecked setting value")
        try sql.run(
            "INSERT INTO setting(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            [.text(setting.rawValue), .text(value)])
        if setting == .kommune { try adoptUnnamed(kommune: value, in: sql) }
    }
}
