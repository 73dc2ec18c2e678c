import Foundation
import Testing

@testable import TilsynSheets

/// Entries used by the ZIP round trips: names, contents and how each is written.
private struct SampleEntry {
    var name: String
    var contents: [UInt8]
    var method: ZipWriter.Method
    var streamed: Bool
}

private func sampleEntries() -> [SampleEntry] {
    var generator = SystemRandomNumberGenerator()
    let noise = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let text = Array(String(repeating: "<row r=\"1\"><c r=\"A1\"><v>42</v></c></row>", count: 20_000).utf8)
    return [
        SampleEntry(name: "[Content_Types].xml", contents: Array("<Types/>".utf8), method: .deflated, streamed: false),
        SampleEntry(name: "empty.bin", contents: [], method: .deflated, streamed: false),
        SampleEntry(name: "stored/noise.bin", contents: noise, method: .stored, streamed: false),
        SampleEntry(name: "streamed/text.xml", contents: text, method: .deflated, streamed: true),
        SampleEntry(name: "streamed/stored.bin", contents: Array(noise.prefix(5000)), method: .stored, streamed: true),
        SampleEntry(
            name: "docs/Tilsyn æøå.txt", contents: Array("Børn og unge".utf8), method: .deflated, streamed: false),
        SampleEntry(name: "streamed/empty.xml", contents: [], method: .deflated, streamed: true),
    ]
}

private func write(_ entries: [SampleEntry], to writer: ZipWriter) throws {
    for entry in entries {
        if entry.streamed {
            try writer.beginEntry(entry.name, method: entry.method)
            var offset = 0
            // Uneven chunks exercise the deflater's buffering.
            while offset < entry.contents.count {
                let end = min(entry.contents.count, offset + 7_919)
                try writer.write(Array(entry.contents[offset..<end]))
                offset = end
            }
            try writer.endEntry()
        } else {
            try writer.addEntry(entry.name, contents: entry.contents, method: entry.method)
        }
    }
    try writer.finish()
}

private let pythonZipCheck = """
    import base64, json, sys, zipfile
    with zipfile.ZipFile(sys.argv[1]) as z:
        bad = z.testzip()
        out = {"testzip": bad, "entries": {i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist()},
               "flags": {i.filename: i.flag_bits for i in z.infolist()}, "count": len(z.infolist())}
    print(json.dumps(out))
    """

@Suite("ZipWriter")
struct ZipWriterTests {
    @Test("entries read back by ZipArchive", arguments: [false, true])
    func roundTripThroughZipArchive(forceZip64: Bool) throws {
        var options = ZipWriter.Options()
        options.forceZip64 = forceZip64
        let writer = try ZipWriter(options: options)
        let entries = sampleEntries()
        try write(entries, to: writer)
        let archive = try ZipArchive(bytes: writer.bytes)
        #expect(archive.entries.map(\.name) == entries.map(\.name))
        for entry in entries {
            let read = try #require(archive.entry(named: entry.name))
            #expect(try archive.data(read) == entry.contents, "\(entry.name)")
            #expect(read.method == (entry.method == .deflated ? 8 : 0))
            #expect((read.flags & 0x0008 != 0) == entry.streamed, "data descriptor flag of \(entry.name)")
            let ascii = entry.name.utf8.allSatisfy { $0 < 0x80 }
            #expect((read.flags & 0x0800 != 0) == !ascii, "UTF-8 flag of \(entry.name)")
        }
        let bytes = writer.bytes
        let hasZip64End =
            bytes.count > 98
            && (0..<(bytes.count - 3)).contains {
                bytes[$0] == 0x50 && bytes[$0 + 1] == 0x4b && bytes[$0 + 2] == 0x06 && bytes[$0 + 3] == 0x06
            }
        #expect(hasZip64End == forceZip64)
    }

    @Test("Python's zipfile accepts the archive", .enabled(if: WriterPython.shouldRun), arguments: [false, true])
    func pythonZipfileOracle(forceZip64: Bool) throws {
        let folder = try WriterTemporaryFolder()
        let path = folder.path("sample.zip")
        var options = ZipWriter.Options(compressionLevel: 1)
        options.forceZip64 = forceZip64
        let entries = sampleEntries()
        try write(entries, to: ZipWriter(path: path, options: options))
        #expect(try folder.contents() == ["sample.zip"], "no temporary file is left behind")
        let result = try #require(try WriterPython.json(pythonZipCheck, [path]) as? [String: Any])
        #expect(result["testzip"] is NSNull)
        let contents = try #require(result["entries"] as? [String: String])
        #expect(contents.count == entries.count)
        for entry in entries {
            let read = contents[entry.name].flatMap { Data(base64Encoded: $0) }.map { Array($0) }
            #expect(read == entry.contents, "\(entry.name)")
        }
    }

    @Test("65,535 entries switch the archive to ZIP64 records", .enabled(if: WriterPython.shouldRun))
    func manyEntriesUseZip64() throws {
        let folder = try WriterTemporaryFolder()
        let path = folder.path("many.zip")
        let writer = try ZipWriter(path: path)
        for index in 0..<65_535 {
            try writer.addEntry("e\(index)", contents: [UInt8(truncatingIfNeeded: index)], method: .stored)
        }
        try writer.finish()
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        // The classic end record carries the 0xFFFF marker and a ZIP64 end record precedes it.
        let end = bytes.count - 22
        #expect(bytes[end + 10] == 0xFF && bytes[end + 11] == 0xFF)
        #expect(Array(bytes[(end - 20)..<(end - 16)]) == [0x50, 0x4b, 0x06, 0x07])
        let result = try #require(try WriterPython.json(pythonZipCheck, [path]) as? [String: Any])
        #expect(result["count"] as? Int == 65_535)
        #expect(result["testzip"] is NSNull)
        let archive = try ZipArchive(bytes: bytes, limits: ZipLimits(maxEntries: 70_000))
        #expect(archive.entries.count == 65_535)
    }

    @Test("fewer than 65,535 small entries need no ZIP64 records")
    func noZip64WhenNotNeeded() throws {
        let writer = try ZipWriter()
        for index in 0..<100 { try writer.addEntry("e\(index)", text: "x") }
        try writer.beginEntry("s")
        try writer.write([1, 2, 3])
        try writer.endEntry()
        try writer.finish()
        let bytes = writer.bytes
        let zip64Signatures: [[UInt8]] = [[0x50, 0x4b, 0x06, 0x06], [0x50, 0x4b, 0x06, 0x07]]
        for signature in zip64Signatures {
            let found = (0..<(bytes.count - 3)).contains { Array(bytes[$0..<($0 + 4)]) == signature }
            #expect(!found)
        }
    }

    @Test("the same input gives identical bytes", arguments: [1, 6, 9])
    func deterministic(level: Int) throws {
        let entries = sampleEntries()
        let first = try ZipWriter(options: ZipWriter.Options(compressionLevel: level))
        try write(entries, to: first)
        let second = try ZipWriter(options: ZipWriter.Options(compressionLevel: level))
        try write(entries, to: second)
        #expect(first.bytes == second.bytes)
        // Every local header carries the fixed DOS timestamp 1980-01-01 00:00.
        #expect(Array(first.bytes[10..<14]) == [0, 0, 0x21, 0])
    }

    @Test("the deflate cache is the writer's to choose, and a hit writes the bytes deflating would")
    func deflateCacheIsInjected() throws {
        let entries = sampleEntries()
        let own = DeflateCache(maxEntrySize: 1 << 10, maxEntries: 64)
        let small = Set(entries.filter { !$0.streamed && $0.method == .deflated && $0.contents.count <= 1 << 10 }
            .map(\.contents)).count
        #expect(small > 0)
        var archives: [[UInt8]] = []
        for cache in [nil, own, own] as [DeflateCache?] {
            let writer = try ZipWriter(options: ZipWriter.Options(deflateCache: cache))
            try write(entries, to: writer)
            archives.append(writer.bytes)
        }
        #expect(own.count == small, "the small deflated entries, each once")
        #expect(archives[0] == archives[1] && archives[1] == archives[2], "no cache, filling it, hitting it")
        #expect(own != DeflateCache.shared && DeflateCache.shared == .shared)
    }

    @Test("a file descriptor target receives the archive")
    func fileDescriptorTarget() throws {
        let folder = try WriterTemporaryFolder()
        let path = folder.path("fd.zip")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        let entries = sampleEntries()
        try write(entries, to: ZipWriter(fileDescriptor: fd, options: ZipWriter.Options(bufferSize: 4096)))
        let archive = try ZipArchive(path: path)
        for entry in entries {
            let read = try #require(archive.entry(named: entry.name))
            #expect(try archive.data(read) == entry.contents)
        }
    }

    @Test("an unfinished or failed archive leaves no file behind")
    func noHalfFiles() throws {
        let folder = try WriterTemporaryFolder()
        let path = folder.path("out.zip")
        do {
            let writer = try ZipWriter(path: path)
            try writer.addEntry("a.txt", text: String(repeating: "a", count: 200_000))
            try writer.beginEntry("b.txt")
            try writer.write(Array("b".utf8))
            // Dropped without finish().
        }
        #expect(try folder.contents().isEmpty)

        let writer = try ZipWriter(path: path)
        try writer.addEntry("a.txt", text: "a")
        writer.discard()
        #expect(throws: SpreadsheetError.self) { try writer.finish() }
        #expect(try folder.contents().isEmpty)

        // An existing file is replaced only on success.
        _ = FileManager.default.createFile(atPath: path, contents: Data("old".utf8))
        do {
            let replacing = try ZipWriter(path: path)
            try replacing.addEntry("x", text: "new")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("old".utf8))
        #expect(try folder.contents() == ["out.zip"])

        #expect(throws: SpreadsheetError.self) { try ZipWriter(path: folder.path("missing/out.zip")) }
    }

    @Test("misuse is refused with a clear error and leaves the archive usable")
    func misuse() throws {
        let writer = try ZipWriter()
        try writer.addEntry("Part.xml", text: "1")
        let duplicate = #expect(throws: SpreadsheetError.self) { try writer.addEntry("part.XML", text: "2") }
        #expect(duplicate?.code == .duplicateEntry)
        #expect(duplicate?.part == "part.XML")
        #expect(throws: SpreadsheetError.self) { try writer.write([1]) }
        #expect(throws: SpreadsheetError.self) { try writer.endEntry() }
        #expect(throws: SpreadsheetError.self) { try writer.addEntry("", text: "") }
        #expect(throws: SpreadsheetError.self) { try writer.addEntry("/abs", text: "") }
        try writer.beginEntry("open")
        #expect(throws: SpreadsheetError.self) { try writer.finish() }
        try writer.endEntry()
        try writer.finish()
        #expect(try ZipArchive(bytes: writer.bytes).entries.count == 2)
        #expect(throws: SpreadsheetError.self) { try ZipWriter(options: ZipWriter.Options(compressionLevel: 0)) }
        #expect(throws: SpreadsheetError.self) { try ZipWriter.DOSTimestamp(year: 1979, month: 1, day: 1) }
    }

    @Test("a configured timestamp is stored in local and central headers")
    func timestamp() throws {
        let stamp = try ZipWriter.DOSTimestamp(year: 2025, month: 3, day: 14, hour: 15, minute: 9, second: 26)
        let writer = try ZipWriter(options: ZipWriter.Options(timestamp: stamp))
        try writer.addEntry("a", text: "a")
        try writer.finish()
        let bytes = writer.bytes
        let time = UInt16(bytes[10]) | UInt16(bytes[11]) << 8
        let date = UInt16(bytes[12]) | UInt16(bytes[13]) << 8
        #expect(time == 15 << 11 | 9 << 5 | 13)
        #expect(date == 45 << 9 | 3 << 5 | 14)
    }
}
