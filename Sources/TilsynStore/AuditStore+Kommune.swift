internal import GRDB

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
    static func adoptUnnamed(kommune: String, in db: Database) throws {
        let arguments: StatementArguments = ["kommune": kommune]
        try db.execute(
            sql: """
                UPDATE review SET unit_id = (
                    SELECT n.id FROM unit e JOIN unit n ON n.kommune = :kommune AND n.name = e.name
                    WHERE e.id = review.unit_id)
                WHERE unit_id IN (SELECT e.id FROM unit e JOIN unit n ON n.kommune = :kommune AND n.name = e.name
                    WHERE e.kommune = '')
                """, arguments: arguments)
        var merged = db.changesCount > 0
        let clash = try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (
                    SELECT 1 FROM review r JOIN audit_case e ON e.id = r.case_id AND e.kommune = ''
                    JOIN audit_case n ON n.kommune = :kommune AND n.number = e.number
                    JOIN review o ON o.case_id = n.id AND o.round_id = r.round_id AND o.level = r.level)
                """, arguments: arguments) ?? false
        if clash {
            throw StoreError(
                .conflict,
                "the store holds a case both without a kommune and under '\(kommune)', with a review at the same "
                    + "level and round under each, so the two cannot be made one case")
        }
        try db.execute(
            sql: """
                UPDATE review SET case_id = (
                    SELECT n.id FROM audit_case e JOIN audit_case n ON n.kommune = :kommune AND n.number = e.number
                    WHERE e.id = review.case_id)
                WHERE case_id IN (SELECT e.id FROM audit_case e
                    JOIN audit_case n ON n.kommune = :kommune AND n.number = e.number WHERE e.kommune = '')
                """, arguments: arguments)
        merged = merged || db.changesCount > 0
        try db.execute(
            sql: """
                DELETE FROM unit WHERE kommune = '' AND EXISTS (
                    SELECT 1 FROM unit n WHERE n.kommune = :kommune AND n.name = unit.name);
                UPDATE unit SET kommune = :kommune WHERE kommune = '';
                DELETE FROM audit_case WHERE kommune = '' AND EXISTS (
                    SELECT 1 FROM audit_case n WHERE n.kommune = :kommune AND n.number = audit_case.number);
                UPDATE audit_case SET kommune = :kommune WHERE kommune = '';
                """, arguments: arguments)
        guard merged else { return }
        // Counts are kept by unit and case: merged ones are counted again from the answers.
        try db.execute(sql: "DELETE FROM answer_count")
        try updateCounts(in: GRDBRunner(db: db), filter: "1 = 1", arguments: [], sign: 1)
        try rebuildCaseCounts(in: db)
    }
}
