/// Finds the same case, level and round in more than one file of a batch.
///
/// Files are checked in the order given; the later file gets the error and names the earlier one.
public struct BatchChecker: Sendable {
    private var seen: [ReviewKey: (file: String, at: Provenance)] = [:]

    public init() {}

    /// Adds an error to `file` for each review whose key an earlier file of the batch has.
    public mutating func check(_ file: inout ReturnedFile) {
        for review in file.reviews {
            if let earlier = seen[review.key], earlier.file != file.path {
                file.findings.append(Finding(
                    file: file.path, sheet: review.at.sheet, cell: review.at.cell, severity: .error,
                    rule: .duplicateReview,
                    message: "Samme sag, niveau og runde findes også i filen \(earlier.file).",
                    suggestion: "Send kun én gennemgang pr. sag, niveau og runde; slet den forkerte fil, eller ret "
                        + "niveau eller runde."))
            } else if seen[review.key] == nil {
                seen[review.key] = (file.path, review.at)
            }
        }
    }
}
