/// Small-number rules for reports, counted in cases (children): suppression below 5 and caution below 20.
public enum Suppression {
    /// Groups resting on 0 < cases < 5 are suppressed in output leaving the administration, unless the store's
    /// `suppression-threshold` setting names another threshold (never below `minimumThreshold`).
    public static let threshold = 5
    /// The lowest threshold the setting may name.
    public static let minimumThreshold = 3
    /// Groups resting on fewer than 20 cases are marked "forsigtig fortolkning".
    public static let cautionThreshold = 20
    /// The mark for groups with few answers.
    public static let cautionText = "forsigtig fortolkning"

    /// Which cells of a table, and whether its total, to suppress.
    public struct Decision: Sendable, Equatable {
        /// One flag per cell.
        public var cells: [Bool]
        /// Whether the total must be suppressed too (no cell could hide the suppressed ones).
        public var total: Bool

        /// A decision with a flag per cell and one for the total.
        public init(cells: [Bool], total: Bool) {
            self.cells = cells
            self.total = total
        }
    }

    /// Primary suppression of 0 < N < `threshold` (N: the cases behind each cell), with complementary suppression
    /// when the total is shown.
    ///
    /// A shown total minus the shown cells gives the sum of the suppressed ones. Whenever a cell is suppressed,
    /// one more cell with N > threshold (the smallest, first on ties) is suppressed too, so that every suppressed
    /// count can move by one against it while staying in its class (below the threshold, or not). With no such cell
    /// the total is suppressed.
    public static func decide(_ counts: [Int], totalShown: Bool = true, threshold: Int = Suppression.threshold) -> Decision {
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
