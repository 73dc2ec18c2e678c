/// Settings of one import or validation run.
public struct ImportOptions: Sendable, Equatable {
    /// The round for files that name none; a file naming another round is rejected.
    public var round: String?
    /// Mask CPR-like numbers and go on, instead of rejecting the file.
    public var redactCPR: Bool
    /// The catalogue for CSV files and foreign sheets that name none.
    public var defaultCatalogue: String
    /// The municipality (kommune) for reviews whose file names none; a review naming another is rejected.
    public var kommune: String?

    /// Options for reading returned files.
    public init(
        round: String? = nil, redactCPR: Bool = false, defaultCatalogue: String = "kk-2025", kommune: String? = nil
    ) {
        self.round = round
        self.redactCPR = redactCPR
        self.defaultCatalogue = defaultCatalogue
        self.kommune = kommune
    }
}
