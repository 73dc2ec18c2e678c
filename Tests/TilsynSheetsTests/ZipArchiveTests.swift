import Testing
import TilsynTestSupport
@testable import TilsynSheets

@Suite("ZIP reading")
struct ZipArchiveTests {
    let payload = String(repeating: "Tilsyn æøå <row/> ", count: 500)

    @Test("stored, deflated and data-descriptor entries read back byte for byte", arguments: [
        (false, false), (true, false), (false, true), (true, true),
    ])
    func entriesRoundTrip(deflate: Bool, descriptor: Bool) throws {
        let zip = ZipBuilder([
            .init("a.xml", payload, deflate: deflate, dataDescriptor: descriptor),
            .init("folder/b.txt", "kort", deflate: deflate, dataDescriptor: descriptor),
        ]).build()
        let archive = try ZipArchive(bytes: zip)
        #expect(archive.entries.map(\.name) == ["a.xml", "folder/b.txt"])
        let a = try #require(archive.entry(named: "a.xml"))
        #expect(try archive.data(a) == Array(payload.utf8))
        #expect(try archive.data(#require(archive.entry(named: "folder/b.txt"))) == Array("kort".utf8))
    }

    @Test("names match case-insensitively and with backslashes")
    func nameLookup() throws {
        let archive = try ZipArchive(bytes: ZipBuilder([.init("xl\\Worksheets\\Sheet1.XML", "x")]).build())
        #expect(archive.entry(named: "xl/worksheets/sheet1.xml")?.name == "xl/Worksheets/Sheet1.XML")
        #expect(archive.entry(named: "/XL/WORKSHEETS/SHEET1.xml") != nil)
        #expect(archive.entry(named: "xl/worksheets/sheet2.xml") == nil)
    }

    @Test("ZIP64 end records and extra fields are honoured")
    func zip64() throws {
        var builder = ZipBuilder([.init("a.xml", payload), .init("b.xml", "b", deflate: false)])
        builder.forceZip64 = true
        let archive = try ZipArchive(bytes: builder.build())
        #expect(archive.entries.count == 2)
        #expect(try archive.data(#require(archive.entry(named: "a.xml"))) == Array(payload.utf8))
    }

    @Test("a chunked read delivers the whole entry in pieces")
    func chunkedRead() throws {
        let archive = try ZipArchive(bytes: ZipBuilder([.init("a.xml", payload)]).build())
        var chunks = 0
        var total: [UInt8] = []
        try archive.read(archive.entries[0], chunkSize: 100) { chunk in
            chunks += 1
            #expect(chunk.count <= 100)
            total.append(contentsOf: chunk)
        }
        #expect(total == Array(payload.utf8))
        #expect(chunks >= payload.utf8.count / 100)
    }

    static let damaged: [(String, SpreadsheetError.Code)] = [
        ("duplicate", .duplicateEntry), ("duplicateCase", .duplicateEntry), ("crc", .crcMismatch),
        ("bomb", .entryTooLarge), ("lyingSize", .sizeMismatch), ("overlap", .overlappingEntries),
        ("zip64Mismatch", .corruptZip), ("truncated", .corruptZip), ("empty", .corruptZip),
    ]

    @Test("damaged and hostile archives fail with their own error", arguments: damaged)
    func damagedArchives(kind: String, code: SpreadsheetError.Code) throws {
        var builder = ZipBuilder([.init("a.xml", payload), .init("b.xml", "second entry")])
        var bytes: [UInt8]
        switch kind {
        case "duplicate": builder.entries.append(.init("a.xml", "again"))
        case "duplicateCase": builder.entries.append(.init("A.XML", "again"))
        case "crc": builder.entries[0].declaredCRC = 0xDEAD_BEEF
        case "bomb": builder.entries[0].declaredSize = 0xFFFF_FFF0
        case "lyingSize": builder.entries[0].declaredSize = 10
        case "overlap": builder.overlapSecondEntry = true
        case "zip64Mismatch":
            builder.forceZip64 = true
            builder.zip64CountMismatch = true
        default: break
        }
        bytes = builder.build()
        if kind == "truncated" { bytes = Array(bytes.prefix(bytes.count / 2)) }
        if kind == "empty" { bytes = [] }
        let error = #expect(throws: SpreadsheetError.self) {
            let archive = try ZipArchive(bytes: bytes)
            for entry in archive.entries { _ = try archive.data(entry) }
        }
        #expect(error?.code == code, "\(kind): \(String(describing: error))")
    }

    static let extremeZip64: [(String, SpreadsheetError.Code)] = [
        ("record offset Int64.max", .corruptZip), ("directory offset near Int64.max", .corruptZip),
        ("directory size Int64.max", .corruptZip), ("compressed size 2^62 with an 8 MiB entry", .corruptZip),
        ("local header offset Int64.max", .corruptZip), ("uncompressed size Int64.max", .entryTooLarge),
    ]

    /// Sums and products of 64-bit fields used to overflow and trap (found reviewing the reader for the fuzz targets).
    @Test("ZIP64 fields at their extremes are rejected without an arithmetic overflow", arguments: extremeZip64)
    func extremeZip64Fields(kind: String, code: SpreadsheetError.Code) throws {
        var builder = ZipBuilder([.init("a.xml", payload)])
        builder.forceZip64 = true
        let huge = UInt64(Int64.max)
        switch kind {
        case "record offset Int64.max": builder.zip64RecordOffset = huge
        case "directory offset near Int64.max": builder.zip64DirectoryOffset = huge - 16
        case "directory size Int64.max": builder.zip64DirectorySize = huge
        case "compressed size 2^62 with an 8 MiB entry":
            builder.entries[0].zip64CompressedSize = 1 << 62
            builder.entries[0].zip64Size = 8 << 20
        case "local header offset Int64.max": builder.entries[0].zip64Offset = huge
        default: builder.entries[0].zip64Size = huge
        }
        let error = #expect(throws: SpreadsheetError.self) { _ = try ZipArchive(bytes: builder.build()) }
        #expect(error?.code == code, "\(kind): \(String(describing: error))")
    }

    @Test("the compression-ratio limit stops a highly compressed entry before it is inflated")
    func compressionRatio() throws {
        let zeros = [UInt8](repeating: 0, count: 5 << 20)
        let bytes = ZipBuilder([.init("zeros.bin", zeros)]).build()
        let error = #expect(throws: SpreadsheetError.self) {
            _ = try ZipArchive(bytes: bytes, limits: ZipLimits(maxCompressionRatio: 100, ratioThreshold: 1 << 20))
        }
        #expect(error?.code == .compressionRatio)
        // A higher limit accepts it (deflate cannot exceed about 1032:1).
        let archive = try ZipArchive(bytes: bytes, limits: ZipLimits(maxCompressionRatio: 2000))
        #expect(try archive.data(archive.entries[0]).count == zeros.count)
    }

    @Test("total size limit")
    func totalSize() throws {
        let bytes = ZipBuilder([.init("a", payload), .init("b", payload)]).build()
        let error = #expect(throws: SpreadsheetError.self) {
            _ = try ZipArchive(bytes: bytes, limits: ZipLimits(maxTotalSize: Int64(payload.utf8.count) + 10))
        }
        #expect(error?.code == .archiveTooLarge)
    }

    @Test("an archive truncated at every kilobyte fails cleanly or reads intact")
    func truncatedEverywhere() throws {
        let bytes = ZipBuilder([.init("a.xml", payload), .init("b.xml", payload, deflate: false)]).build()
        for cut in stride(from: 0, to: bytes.count, by: 256) {
            do {
                let archive = try ZipArchive(bytes: Array(bytes.prefix(cut)))
                for entry in archive.entries { _ = try archive.data(entry) }
                Issue.record("truncated at \(cut) of \(bytes.count) bytes but read without error")
            } catch let error as SpreadsheetError {
                #expect(!error.message.isEmpty)
            }
        }
    }
}
