/// Finds the same case, level and round in more than one file of a batch.
///
/// No file wins by its place in the path order (`S-1 (2).xlsx` before `S-1.xlsx`): when the files disagree, every
/// one of them gets an error naming the others and none is stored. Files that hold the very same review (a copy
/// sent twice) are no conflict: the store keeps the review once and the copy changes nothing.
public enum BatchChecker {
    /// Adds an error to each file whose review's case, level and round another file of `files` has with other
    /// answers, remarks or metadata.
    public static func check(_ files: inout [ReturnedFile]) {
        var byKey: [ReviewKey: [(file: Int, review: Int)]] = [:]
        for (f, file) in files.enumerated() {
            for (r, review) in file.reviews.enumerated() { byKey[review.key, default: []].append((f, r)) }
        }
        for (_, places) in byKey where Set(places.map(\.file)).count > 1 {
            let reviews = places.map { files[$0.file].reviews[$0.review] }
            let first = Content(reviews[0])
            guard reviews.dropFirst().contains(where: { Content($0) != first }) else { continue }
            for (index, place) in places.enumerated() {
                let others = places.enumerated().filter { $0.offset != index && $0.element.file != place.file }
                    .map { files[$0.element.file].path }
                let review = reviews[index]
                files[place.file].findings.append(Finding(
                    file: files[place.file].path, sheet: review.at.sheet, cell: review.at.cell, severity: .error,
                    rule: .duplicateReview,
                    message: "Samme sag, niveau og runde findes også i " + (others.count == 1 ? "filen " : "filerne ")
                        + Array(Set(others)).sorted().joined(separator: ", ")
                        + " med andre svar eller oplysninger. Ingen af filerne er indlæst.",
                    suggestion: "Afklar, hvilken fil der er den rigtige, og indlæs kun den; slet den forkerte, eller ret "
                        + "niveau eller runde."))
            }
        }
    }

    /// What a review says, without where it was read.
    private struct Content: Equatable {
        var metadata: [String?]
        var answers: [[String?]]

        init(_ review: Review) {
            metadata = [
                review.reviewer, review.unit, String(review.measure.paragraph), review.age.map(String.init),
                review.kommune, review.reviewDate, review.catalogueID, review.catalogueVersion,
            ]
            answers = review.answers.map { [$0.questionID, $0.answer, $0.remark] }.sorted { ($0[0] ?? "") < ($1[0] ?? "") }
        }
    }
}
