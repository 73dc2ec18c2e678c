import Foundation
import Glibc
import Testing
import TilsynTestSupport

@testable import TilsynSheets

/// An output that is a device or a pipe is written into, never replaced: renaming a finished file over `/dev/null`
/// (as root) put a regular file where the device was, and every program after that failed to discard output.
@Suite(.serialized) struct OutputTargetTests {
    static func fileType(_ path: String) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return info.st_mode & S_IFMT
    }

    /// What a reader of the FIFO `path` gets from `write` (less than a pipe's buffer): the reading end is opened
    /// first without waiting, so the writer's open does not wait either, and nothing hangs when the writer never
    /// opens the pipe.
    static func throughPipe(_ path: String, _ write: () throws -> Void) throws -> [UInt8] {
        let reader = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        #expect(reader >= 0)
        defer { close(reader) }
        try write()
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(reader, &chunk, chunk.count)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return bytes
    }

    @Test func aCSVWrittenIntoAPipeArrivesWholeAndThePipeStays() throws {
        let folder = try TemporaryDirectory("pipe")
        defer { folder.cleanUp() }
        let path = folder.path("svar.csv")
        #expect(mkfifo(path, 0o600) == 0)
        let rows: [[CSVValue]] = [[.text("sagsnummer"), .text("svar")], [.text("A-1"), .text("Ja")]]
        let bytes = try Self.throughPipe(path) {
            let writer = try CSVWriter(path: path)
            for row in rows { try writer.writeRow(row) }
            try writer.finish()
        }
        #expect(bytes == (try CSVWriter.encode(rows)))
        #expect(Self.fileType(path) == S_IFIFO)
        // Nothing was left beside the pipe.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["svar.csv"])
    }

    @Test func writersAndConversionsIntoDevNullLeaveTheDevice() throws {
        #expect(Self.fileType("/dev/null") == S_IFCHR)
        let writer = try XLSXWriter(path: "/dev/null")
        let sheet = try writer.addWorksheet("Tilsyn")
        try sheet.appendRow(["sagsnummer", "svar"])
        try writer.close()
        #expect(Self.fileType("/dev/null") == S_IFCHR)

        let csv = try CSVWriter(path: "/dev/null")
        try csv.writeRow(["A-1", "Ja"])
        try csv.finish()
        #expect(Self.fileType("/dev/null") == S_IFCHR)

        let folder = try TemporaryDirectory("convert")
        defer { folder.cleanUp() }
        let input = folder.path("svar.csv")
        try Data("sagsnummer;svar\r\nA-1;Ja\r\n".utf8).write(to: URL(fileURLWithPath: input))
        _ = try SheetConversion.csvToXLSX(input: input, output: "/dev/null")
        #expect(Self.fileType("/dev/null") == S_IFCHR)
        let workbook = folder.path("svar.xlsx")
        _ = try SheetConversion.csvToXLSX(input: input, output: workbook)
        _ = try SheetConversion.xlsxToCSV(input: workbook, output: "/dev/null")
        #expect(Self.fileType("/dev/null") == S_IFCHR)
        // Nothing was created beside the device.
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/dev").allSatisfy { !$0.hasSuffix(".tmp") })
    }
}
