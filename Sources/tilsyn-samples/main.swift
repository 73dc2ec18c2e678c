import ArgumentParser
import Foundation
import TilsynAudit
import TilsynSamples

/// `tilsyn-samples`: writes the deterministic sample data in `Samples/`, or returned workbooks for benchmarks.
@main
struct TilsynSamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tilsyn-samples",
        abstract: "Write deterministic sample data: a case list, returned files of every shape, typical mistakes.",
        discussion: """
            Without --workbooks, writes the sample folder described in Samples/README.md. With --workbooks N, \
            writes N returned Tilsyn templates (niveau 1, round 2025, one case each) to --out, for benchmarks and \
            crash tests. The same seed gives the same files.
            """)

    @Option(help: "The seed.")
    var seed: UInt64 = 2025

    @Option(help: "The output folder.")
    var out: String = "Samples"

    @Option(name: .customLong("catalog"), help: "The catalogue id.")
    var catalogue = "kk-2025"

    @Option(help: "Write this many returned templates instead of the sample folder.")
    var workbooks: Int?

    func run() throws {
        let catalogue = try CatalogueStore.locate().load(catalogue)
        if let workbooks {
            let written = try BenchmarkWorkbooks.write(
                count: workbooks, catalogue: catalogue, seed: seed, to: out)
            print("Wrote \(written) returned workbooks to \(out)")
            return
        }
        let manifest = try SampleWriter(data: SampleData(catalogue: catalogue, seed: seed)).write(to: out)
        for (folder, count) in manifest.files.sorted(by: { $0.key < $1.key }) { print("\(folder)\t\(count)") }
        print("Wrote \(manifest.total) files to \(out)")
    }
}
