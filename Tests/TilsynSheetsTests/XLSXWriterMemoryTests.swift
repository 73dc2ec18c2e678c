import Foundation
import Testing

@testable import TilsynSheets

/// The resident set size of this process in bytes, from /proc/self/status (VmRSS).
private func residentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let digits = line.filter(\.isNumber)
        return Int(digits).map { $0 * 1024 }
    }
    return nil
}

@Suite("XLSXWriter memory")
struct XLSXWriterMemoryTests {
    @Test("200,000 rows are written with memory that does not grow with the rows", arguments: [true, false])
    func constantMemory(sharedStrings: Bool) throws {
        let folder = try WriterTemporaryFolder()
        let path = folder.path("big.xlsx")
        let writer = try XLSXWriter(path: path, options: .init(compressionLevel: 1, sharedStrings: sharedStrings))
        let date = try writer.addStyle(XLSXWriter.Style(numberFormat: .date))
        let sheet = try writer.addWorksheet("Data", options: .init(frozenRows: 1))
        try sheet.appendRow(["Sag", "Kommune", "Beløb", "Dato", "Ok"])
        let kommuner = ["Aarhus", "Odense", "Aalborg", "Esbjerg", "Randers"]
        let day = try XLSXWriter.DateTime(year: 2024, month: 1, day: 1)
        // Warm up (buffers, style and string tables) before the baseline.
        for row in 0..<1_000 {
            try sheet.appendRow([
                .number(Double(row)), .string(kommuner[row % 5]), .number(Double(row) * 1.25),
                .dateTime(day, style: date), .bool(row % 2 == 0),
            ])
        }
        let baseline = try #require(residentBytes(), "/proc/self/status is not readable")
        var peak = baseline
        for row in 1_000..<200_000 {
            try sheet.appendRow([
                .number(Double(row)), .string(kommuner[row % 5]), .number(Double(row) * 1.25),
                .dateTime(day, style: date), .bool(row % 2 == 0),
            ])
            if row % 10_000 == 0, let now = residentBytes() { peak = max(peak, now) }
        }
        try writer.close()
        if let now = residentBytes() { peak = max(peak, now) }
        let growth = peak - baseline
        #expect(growth < 30 << 20, "resident memory grew by \(growth >> 20) MiB while writing 199,000 rows")
        let archive = try ZipArchive(path: path)
        let entry = try #require(archive.entry(named: "xl/worksheets/sheet1.xml"))
        #expect(entry.uncompressedSize > 20_000_000, "the sheet holds all rows")
    }
}
