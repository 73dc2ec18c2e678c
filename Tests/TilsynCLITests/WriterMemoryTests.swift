import Foundation
import Testing
import TilsynTestSupport

/// The XLSX writer's memory does not grow with the rows: `tilsyn convert` writes a 20,000-row and a 200,000-row
/// CSV file as workbooks, each in a child process of its own, and the larger one's peak RSS stays within 30 MiB of
/// the smaller one's. (Measured in child processes: the test runner's own RSS moves with every test running beside
/// it.) The CSV input itself is held in memory, about 7 MB more for the larger file, which the margin covers; a
/// writer that kept rows or cells would need hundreds of megabytes for 1,000,000 cells.
@Suite("XLSX writing in memory that does not grow with the rows", .serialized)
struct WriterMemoryTests {
    static let maxGrowth = 30 << 20

    /// A CSV file of `rows` rows in the excel-da dialect: numbers, a few repeated texts, dates and booleans.
    static func writeCSV(rows: Int, to path: String) throws {
        let kommuner = ["Aarhus", "Odense", "Aalborg", "Esbjerg", "Randers"]
        var text = "Sag;Kommune;Beløb;Dato;Ok\r\n"
        text.reserveCapacity(rows * 36)
        for row in 0..<rows {
            let day = row % 28 + 1
            text += "\(row);\(kommuner[row % 5]);\(row),25;\(day < 10 ? "0" : "")\(day)-01-2024;"
            text += row % 2 == 0 ? "SAND\r\n" : "FALSK\r\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test("convert of 200,000 rows peaks within 30 MiB of 20,000 rows")
    func peakDoesNotGrowWithRows() throws {
        let folder = try TemporaryDirectory("tilsyn-writer-memory")
        defer { folder.cleanUp() }
        var peaks: [Int: Int] = [:]
        for rows in [20_000, 200_000] {
            let csv = folder.path("data-\(rows).csv")
            let xlsx = folder.path("data-\(rows).xlsx")
            try Self.writeCSV(rows: rows, to: csv)
            let result = try runMeasured(TestPaths.tilsynExecutable, ["convert", csv, xlsx])
            #expect(result.status == 0, "\(rows) rows: \(result.summary): \(result.stderr)")
            let size = try FileManager.default.attributesOfItem(atPath: xlsx)[.size] as? Int ?? 0
            #expect(size > rows * 10, "\(rows) rows: the workbook holds the rows (\(size) bytes)")
            peaks[rows] = result.maxRSS
        }
        let small = try #require(peaks[20_000])
        let large = try #require(peaks[200_000])
        #expect(
            large - small < Self.maxGrowth,
            "peak RSS \(small >> 20) MiB for 20,000 rows, \(large >> 20) MiB for 200,000 rows")
    }
}
