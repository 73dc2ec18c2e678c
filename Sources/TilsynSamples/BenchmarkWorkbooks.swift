internal import Foundation
public import TilsynAudit
internal import TilsynSheets

/// Many returned templates, one case each, for benchmarks and crash tests.
public enum BenchmarkWorkbooks {
    /// Writes `count` returned templates (niveau 1, round 2025) named `0000.xlsx`, `0001.xlsx`, … to `directory`;
    /// each holds a distinct case. Returns the number written.
    public static func write(count: Int, catalogue: Catalogue, seed: UInt64, to directory: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let data = SampleData(catalogue: catalogue, seed: seed)
        let writer = SampleWriter(data: data)
        let models = data.reviews(round: "2025", level: 1)
        guard !models.isEmpty else { return 0 }
        for index in 0..<count {
            var review = models[index % models.count]
            review.record.sagsnummer = "B-2025-" + pad(index + 1, 5)
            let name = URL(fileURLWithPath: directory).appendingPathComponent(pad(index, 4) + ".xlsx").path
            try writer.writeTemplate(review, to: name)
        }
        return count
    }
}
