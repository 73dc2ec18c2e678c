import Foundation
import Testing
import TilsynTestSupport
@testable import TilsynSheets

@Suite("Parallel sheet parsing")
struct ParallelReaderTests {
    /// Reads a sheet both ways: sequentially, and in parallel with tiny segments so it is cut many times.
    func readBothWays(_ builder: XLSXBuilder) throws -> (sequential: Sheet, parallel: Sheet) {
        let bytes = builder.build()
        let sequential = try Workbook(bytes: bytes, name: "s.xlsx", options: ReadOptions(parallel: false))
        let parallel = try Workbook(
            bytes: bytes, name: "p.xlsx", options: ReadOptions(parallel: true, parallelThreshold: 0, segmentSize: 4096))
        return (try sequential.load(sequential.sheets[0]), try parallel.load(parallel.sheets[0]))
    }

    static func rows(count: Int, withReferences: Bool, prefix: String = "") -> String {
        (1...count).map { r in
            let p = prefix
            let rowRef = withReferences || r % 7 == 0 ? " r=\"\(r)\"" : ""
            let cellRef = withReferences ? " r=\"A\(r)\"" : ""
            return "<\(p)row\(rowRef)><\(p)c\(cellRef)><\(p)v>\(r)</\(p)v></\(p)c><\(p)c t=\"inlineStr\"><\(p)is><\(p)t>rad \(r) æøå</\(p)t></\(p)is></\(p)c></\(p)row>"
        }.joined()
    }

    @Test("parallel and sequential reads agree", arguments: [true, false])
    func agree(withReferences: Bool) throws {
        var builder = XLSXBuilder()
        builder.addSheet("S", rows: Self.rows(count: 3000, withReferences: withReferences),
                         trailer: "<mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells>")
        let (sequential, parallel) = try readBothWays(builder)
        #expect(sequential.rows.count == 3000)
        #expect(parallel.rows == sequential.rows)
        #expect(parallel.mergedRanges == sequential.mergedRanges)
        #expect(parallel.rows.last?.number == 3000)
    }

    @Test("rows without r are numbered across segment boundaries, including empty rows")
    func relativeRows() throws {
        var builder = XLSXBuilder()
        let rows = (1...2000).map { r in r % 3 == 0 ? "<row/>" : "<row><c><v>\(r)</v></c></row>" }.joined()
        builder.addSheet("S", rows: rows)
        let (sequential, parallel) = try readBothWays(builder)
        #expect(parallel.rows == sequential.rows)
        #expect(sequential.rows.map(\.number) == (1...2000).filter { $0 % 3 != 0 })
    }

    @Test("a namespace prefix, comments and CDATA holding </row> are never cut")
    func trickyMarkup() throws {
        var builder = XLSXBuilder()
        builder.prefix = "x"
        var rows = ""
        for r in 1...1500 {
            rows += "<x:row r=\"\(r)\"><x:c r=\"A\(r)\" t=\"inlineStr\"><x:is><x:t><![CDATA[a</x:row>b</row>]]></x:t></x:is></x:c></x:row>"
            if r % 10 == 0 { rows += "<!-- </x:row> --><?pi </row> ?>" }
        }
        builder.addSheet("S", rows: rows)
        let (sequential, parallel) = try readBothWays(builder)
        #expect(sequential.rows.count == 1500)
        #expect(sequential["A9"] == .string("a</x:row>b</row>"))
        #expect(parallel.rows == sequential.rows)
    }

    @Test("an error in a later segment is reported with the sheet and cell")
    func errorInSegment() throws {
        var builder = XLSXBuilder()
        var rows = Self.rows(count: 2000, withReferences: true)
        rows += "<row r=\"2001\"><c r=\"A2001\"><v>not a number</v></c></row>"
        builder.addSheet("Ark", rows: rows)
        let workbook = try Workbook(
            bytes: builder.build(), name: "p.xlsx", options: ReadOptions(parallelThreshold: 0, segmentSize: 4096))
        let error = #expect(throws: SpreadsheetError.self) { _ = try workbook.load(workbook.sheets[0]) }
        #expect(error?.code == .invalidValue)
        #expect(error?.cell == "A2001")
        #expect(error?.sheet == "Ark")
    }

    @Test("dropping a reader midway stops its threads cleanly")
    func earlyDrop() throws {
        var builder = XLSXBuilder()
        builder.addSheet("S", rows: Self.rows(count: 20_000, withReferences: true))
        let workbook = try Workbook(
            bytes: builder.build(), name: "p.xlsx", options: ReadOptions(parallelThreshold: 0, segmentSize: 4096))
        for _ in 0..<20 {
            let reader = try workbook.rows(of: workbook.sheets[0])
            #expect(try reader.next()?.number == 1)
        }
        let all = try workbook.load(workbook.sheets[0])
        #expect(all.rows.count == 20_000)
    }
}

@Suite("Segment cutting")
struct SegmentCutterTests {
    static func document(prefix: String, rows: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let p = prefix.isEmpty ? "" : prefix + ":"
        let ns = prefix.isEmpty ? "xmlns" : "xmlns:\(prefix)"
        var xml = "<?xml version=\"1.0\"?>\n<\(p)worksheet \(ns)=\"\(XLSXBuilder().mainNamespace)\"><\(p)sheetData>"
        for r in 1...rows {
            xml += "<\(p)row r=\"\(r)\"><\(p)c r=\"A\(r)\"><\(p)v>\(r)</\(p)v></\(p)c></\(p)row>"
            switch next() % 40 {
            case 0: xml += "<!-- </\(p)row> -->"
            case 1: xml += "<?pi </\(p)row> ?>"
            default: break
            }
        }
        xml += "</\(p)sheetData></\(p)worksheet>"
        return Array(xml.utf8)
    }

    @Test("segments put back together give the document, and every cut follows a real </row>",
          arguments: ["", "x"], [UInt64(1), 2, 3])
    func cuts(prefix: String, seed: UInt64) throws {
        let document = Self.document(prefix: prefix, rows: 4000, seed: seed)
        var cutter = SegmentCutter(segmentSize: 4096)
        var segments: [[UInt8]] = []
        var offset = 0
        var chunk = 1 + Int(seed * 977 % 5000)
        while offset < document.count {
            let end = min(document.count, offset + chunk)
            document[offset..<end].withUnsafeBytes { cutter.append($0) }
            while let segment = cutter.nextSegment() { segments.append(segment) }
            offset = end
            chunk = 1 + (chunk * 31 + 7) % 9000
        }
        segments.append(cutter.remainder())
        #expect(segments.count > 10)
        #expect(Array(segments.joined()) == document)
        let closing = Array("row>".utf8)
        for segment in segments.dropLast() {
            #expect(Array(segment.suffix(4)) == closing)
            // Every comment and instruction opened in a segment is closed in it.
            let text = String(decoding: segment, as: UTF8.self)
            #expect(text.components(separatedBy: "<!--").count == text.components(separatedBy: "-->").count)
            #expect(text.components(separatedBy: "<?").count == text.components(separatedBy: "?>").count)
        }
        let framing = try #require(cutter.framing)
        let p = prefix.isEmpty ? "" : prefix + ":"
        #expect(String(decoding: framing.suffix, as: UTF8.self) == "</\(p)sheetData></\(p)worksheet>")
    }
}
