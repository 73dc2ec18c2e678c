/// Small-number rules for reports: suppression below 5 and caution below 20.
public enum Suppression {
    /// Groups with 0 < N < 5 are suppressed in output leaving the administration.
    public static let threshold = 5
    /// Groups with N < 20 are marked "forsigtig fortolkning".
    public static let cautionThreshold = 20
    /// The mark for groups with few answers.
    public static let cautionText = "forsigtig fortolkning"

    /// Which cells of a table, and whether its total, to suppress.
    public struct Decision: Sendable, Equatable {
        /// One flag per cell.
        public var cells: [Bool]
        /// Whether the total must be suppressed too (no cell could hide the suppressed ones).
        public var total: Bool

        public init(cells: [Bool], total: Bool) {
            self.cells = cells
            self.total = total
        }
    }

    /// Primary suppression of 0 < N < 5, with complementary suppression when the total is shown.
    ///
    /// A shown total minus the shown cells gives the sum of the suppressed ones. Whenever a cell is suppressed,
    /// one more cell with N ≥ 6 (the smallest, first on ties) is suppressed too, so that every suppressed count can
    /// move by one against it while staying in its class (1–4, or ≥ 5). With no such cell the total is suppressed.
    public static func decide(_ counts: [Int], totalShown: Bool = true) -> Decision {
        var cells = counts.map { $0 > 0 && $0 < threshold }
        guard totalShown, cells.contains(true) else { return Decision(cells: cells, total: false) }
        let candidates = counts.indices.filter { !cells[$0] && counts[$0] >= threshold + 1 }
        guard let secondary = candidates.min(by: { (counts[$0], $0) < (counts[$1], $1) }) else {
            return Decision(cells: cells, total: true)
        }
        cells[secondary] = true
        return Decision(cells: cells, total: false)
    }
}
