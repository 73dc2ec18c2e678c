import Foundation
import PropertyBased
import Testing

@testable import TilsynSheets

private typealias W = XLSXWriter

/// One generated cell: what is written and, from it, what reading must give back.
enum RoundTripCell: Sendable, CustomStringConvertible {
    case text(String)
    case number(Double)
    case bool(Bool)
    /// A date with a time of day when any of hour, minute, second is not zero.
    case date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)
    case formulaNumber(String, Double)
    case formulaText(String, String)
    case formulaBool(String, Bool)
    /// No cell.
    case empty

    var description: String {
        switch self {
        case .text(let text): "text(\(text.debugDescription))"
        case .number(let number): "number(\(number))"
        case .bool(let flag): "bool(\(flag))"
        case .date(let y, let m, let d, let h, let mi, let s): "date(\(y)-\(m)-\(d) \(h):\(mi):\(s))"
        case .formulaNumber(let f, let v): "formula(\(f), \(v))"
        case .formulaText(let f, let v): "formula(\(f), \(v.debugDescription))"
        case .formulaBool(let f, let v): "formula(\(f), \(v))"
        case .empty: "empty"
        }
    }

    /// The writer's cell, bold when `bold` (so that dates derive their date style from a style of ours).
    func writerCell(bold: XLSXWriter.StyleID?) throws -> XLSXWriter.Cell? {
        switch self {
        case .text(let text): .string(text, style: bold)
        case .number(let number): .number(number, style: bold)
        case .bool(let flag): .bool(flag, style: bold)
        case .date(let y, let m, let d, let h, let mi, let s):
            .dateTime(try W.DateTime(year: y, month: m, day: d, hour: h, minute: mi, second: Double(s)), style: bold)
        case .formulaNumber(let formula, let value): .formula(formula, cached: .number(value), style: bold)
        case .formulaText(let formula, let value): .formula(formula, cached: .string(value), style: bold)
        case .formulaBool(let formula, let value): .formula(formula, cached: .bool(value), style: bold)
        case .empty: nil
        }
    }

    /// Checks the cell read back against what was written.
    func check(_ cell: Cell?, at address: String, guarded: Bool) {
        guard let cell else {
            Issue.record("\(address): \(self) was written but nothing was read back")
            return
        }
        switch self {
        case .text(let text):
            let expected = guarded && W.startsLikeFormula(text) ? "'" + text : text
            #expect(cell.value == .string(expected), "\(address): \(self)")
            #expect(cell.formula == nil)
        case .number(let number):
            guard case .number(let read) = cell.value else {
                Issue.record("\(address): \(self) read back as \(cell.value)")
                return
            }
            // Exactly the same Double; negative zero is written as 0, which Excel shows the same.
            #expect(read == number, "\(address): \(self) read back as \(read)")
        case .bool(let flag):
            #expect(cell.value == .bool(flag), "\(address): \(self)")
        case .date(let y, let m, let d, let h, let mi, let s):
            guard case .date(let date) = cell.value else {
                Issue.record("\(address): \(self) read back as \(cell.value) instead of a date")
                return
            }
            let c = date.components
            let parts: [Int] = [c.year, c.month, c.day, c.hour, c.minute, c.second, c.millisecond]
            #expect(parts == [y, m, d, h, mi, s, 0], "\(address): \(self)")
            let hasTime = h != 0 || mi != 0 || s != 0
            let kind: ExcelDateTime.Kind = hasTime ? .dateTime : .date
            #expect(date.kind == kind, "\(address): the style-derived kind of \(self)")
        case .formulaNumber(let formula, let value):
            #expect(cell.formula == formula && cell.value == .number(value), "\(address): \(self)")
        case .formulaText(let formula, let value):
            #expect(cell.formula == formula && cell.value == .string(value), "\(address): \(self)")
        case .formulaBool(let formula, let value):
            #expect(cell.formula == formula && cell.value == .bool(value), "\(address): \(self)")
        case .empty:
            Issue.record("\(address): nothing was written, but \(cell.value) was read back")
        }
    }
}

/// A generated sheet: rows after gaps of skipped rows, some cells bold.
struct RoundTripSheet: Sendable, CustomStringConvertible {
    var rows: [(gap: Int, bold: Bool, cells: [RoundTripCell])]

    var description: String {
        rows.map { "+\($0.gap)\($0.bold ? " bold" : ""): \($0.cells)" }.joined(separator: "\n")
    }
}

/// Generators of the values a sheet can hold, biased towards the awkward ones.
enum RoundTripGen {
    /// Pieces of text: Danish letters, markup characters, white space at the edges, control characters,
    /// formula starters, escapes that must stay literal, astral and non-characters.
    static let fragments = [
        "a", "Z", "æ", "ø", "å", "Æ", "Ø", "Å", "sag", " ", "  ", "\n", "\r\n", "\r", "\t", "\u{1}", "\u{8}", "\u{B}",
        "\u{1F}", "\u{0}", "=", "+", "-", "@", "=SUM(A1)", "&", "<", ">", "\"", "'", "_x0041_", "_x", "☕", "𝄞",
        "\u{FFFE}", "\u{FFFF}", "é", "e\u{301}", "0", "1,5", "ja",
    ]

    static let text = Gen.element(of: fragments).compactMap { $0 }.array(of: 1...6).map { $0.joined() }

    /// Extremes, signed zeros, subnormals, and ordinary numbers of every magnitude.
    static let specialNumbers: [Double] = [
        0, -0.0, 1, -1, 0.1, 1.0 / 3, -2.5, 1e15, 1e15 + 1, 9_007_199_254_740_991, 1e-7, 123_456_789.123_456_78,
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude, 1e300, 1e-300, Double.leastNormalMagnitude.nextDown,
        Double.leastNonzeroMagnitude.nextUp, Double(Int64.max), Double(Int64.min),
    ]

    static let number = Gen.oneOf(
        Gen.element(of: specialNumbers).compactMap { $0 },
        Gen.double(in: -1e6...1e6),
        Gen.int64(in: -9_007_199_254_740_992...9_007_199_254_740_992).map { Double($0) },
        zip(Gen.double(in: -9.999...9.999), Gen.int(in: -307...307)).map { $0 * pow(10, Double($1)) })

    static let date = zip(
        Gen.int(in: 1900...9999), Gen.int(in: 1...12), Gen.int(in: 1...31), Gen.bool,
        Gen.int(in: 0...23), Gen.int(in: 0...59), Gen.int(in: 0...59)
    ).map { year, month, day, withTime, hour, minute, second -> RoundTripCell in
        let day = min(day, W.DateTime.daysInMonth(year: year, month: month))
        return withTime
            ? .date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            : .date(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
    }

    static let formula = Gen.element(of: ["SUM(A1:B2)", "A1&\"<x>\"", "IF(A1>0,\"ja\",\"nej\")", "'Ark 1'!A1*2"])
        .compactMap { $0 }

    static let cell = Gen.oneOf(
        text.map { RoundTripCell.text($0) },
        number.map { RoundTripCell.number($0) },
        Gen.bool.map { RoundTripCell.bool($0) },
        date,
        zip(formula, number).map { RoundTripCell.formulaNumber($0, $1) },
        zip(formula, text).map { RoundTripCell.formulaText($0, $1) },
        zip(formula, Gen.bool).map { RoundTripCell.formulaBool($0, $1) },
        Gen.always(RoundTripCell.empty),
        Gen.always(RoundTripCell.empty))

    static let sheet = zip(Gen.int(in: 0...3), Gen.bool(0.25), cell.array(of: 0...9))
        .map { (gap: $0, bold: $1, cells: $2) }
        .array(of: 0...12)
        .map { RoundTripSheet(rows: $0) }
}

/// Writes `sheet`, reads it back with our reader and checks every cell, value, type and date kind.
private func roundTrip(_ sheet: RoundTripSheet, sharedStrings: Bool, guarded: Bool = false) throws {
    let writer = try XLSXWriter(
        options: .init(compressionLevel: 1, sharedStrings: sharedStrings, guardFormulaText: guarded))
    let bold = try writer.addStyle(W.Style(font: W.Font(bold: true)))
    let worksheet = try writer.addWorksheet("Ark 1")
    var expected: [CellAddress: RoundTripCell] = [:]
    var row = 0
    for generated in sheet.rows {
        row += generated.gap
        let cells = try generated.cells.map { try $0.writerCell(bold: generated.bold ? bold : nil) }
        try worksheet.writeRow(row, cells)
        for (column, cell) in generated.cells.enumerated() {
            if case .empty = cell { continue }
            expected[CellAddress(row: row + 1, column: column + 1)] = cell
        }
        row += 1
    }
    try writer.close()

    let workbook = try Workbook(bytes: writer.bytes, name: "roundtrip.xlsx", options: ReadOptions(formulas: true))
    #expect(workbook.sheets.map(\.name) == ["Ark 1"])
    var read: [CellAddress: Cell] = [:]
    try workbook.rows(of: workbook.sheets[0]).forEach { row in
        for cell in row.cells { read[CellAddress(row: row.number, column: cell.column)] = cell }
    }
    for (address, cell) in expected {
        cell.check(read[address], at: address.description, guarded: guarded)
    }
    for (address, cell) in read where expected[address] == nil {
        Issue.record("\(address): \(cell.value) was read back where nothing was written")
    }
}

@Suite("XLSX writer → reader round trip")
struct XLSXRoundTripTests {
    @Test("every value, type and style-derived date comes back", arguments: [true, false])
    func randomSheets(sharedStrings: Bool) async {
        await propertyCheck(count: 150, input: RoundTripGen.sheet) { sheet in
            #expect(throws: Never.self) { try roundTrip(sheet, sharedStrings: sharedStrings) }
        }
    }

    @Test("with the formula-text guard, text starting like a formula comes back with a leading '")
    func guardedSheets() async {
        await propertyCheck(count: 60, input: RoundTripGen.sheet) { sheet in
            #expect(throws: Never.self) { try roundTrip(sheet, sharedStrings: true, guarded: true) }
        }
    }

    @Test("the awkward values, each on its own", arguments: [true, false])
    func fixedAwkwardValues(sharedStrings: Bool) throws {
        var cells = RoundTripGen.fragments.map { RoundTripCell.text($0) }
        cells += RoundTripGen.specialNumbers.map { RoundTripCell.number($0) }
        cells += [
            .date(year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0),
            .date(year: 1900, month: 2, day: 28, hour: 23, minute: 59, second: 59),
            .date(year: 1900, month: 3, day: 1, hour: 0, minute: 0, second: 0),
            .date(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59),
            .date(year: 2024, month: 2, day: 29, hour: 12, minute: 0, second: 0),
            .bool(true), .bool(false), .formulaText("A1", ""), .formulaNumber("1/3", 1.0 / 3),
            .text(String(repeating: "ø", count: 32_767)),
        ]
        let rows = cells.enumerated().map { (gap: $0.offset % 2, bold: $0.offset % 3 == 0, cells: [$0.element]) }
        try roundTrip(RoundTripSheet(rows: rows), sharedStrings: sharedStrings)
    }
}
