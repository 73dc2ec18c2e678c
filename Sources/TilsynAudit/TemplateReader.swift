internal import Foundation
internal import TilsynSheets

/// A value read from a filled template, with the cell it came from.
public struct TemplateValue: Sendable, Equatable {
    /// The text as typed (numbers without decimals when whole, dates as `dd-mm-yyyy`); nil when the cell is empty.
    public var value: String?
    /// Where it was read: `Tilsyn!E12` (with the sheet's current name).
    public var cell: String

    public init(value: String?, cell: String) {
        self.value = value
        self.cell = cell
    }
}

/// One question's answer and remark from a filled template.
public struct TemplateAnswer: Sendable, Equatable {
    public var questionID: String
    public var answer: TemplateValue
    public var remark: TemplateValue

    public init(questionID: String, answer: TemplateValue, remark: TemplateValue) {
        self.questionID = questionID
        self.answer = answer
        self.remark = remark
    }
}

/// What a filled template holds: the catalogue it was made from, the metadata and the answers by question id.
public struct FilledTemplate: Sendable, Equatable {
    public var catalogueID: String
    public var catalogueVersion: String
    /// The name of the sheet the answers were read from (it may have been renamed).
    public var sheetName: String
    /// Metadata by key (`Sagsnummer`, `Reviewer`, `Dato`, … and extra case-list columns).
    public var metadata: [String: TemplateValue]
    /// Answers by question id.
    public var answers: [String: TemplateAnswer]
    /// Question ids the meta sheet lists but the template no longer has.
    public var missing: [String]
    /// Whether the workbook counts date serials from 1904 (old Mac Excel); plain numbers in date fields follow it.
    public var date1904: Bool = false
}

/// The worksheets of one workbook, each parsed at most once.
final class SheetCache {
    let workbook: Workbook
    private var loaded: [String: Sheet] = [:]

    init(_ workbook: Workbook) { self.workbook = workbook }

    func load(_ info: SheetInfo) throws -> Sheet {
        if let sheet = loaded[info.name] { return sheet }
        let sheet = try workbook.load(info)
        loaded[info.name] = sheet
        return sheet
    }

    /// Every worksheet, in workbook order.
    func worksheets() throws -> [Sheet] {
        try workbook.sheets.filter { $0.kind == .worksheet }.map { try load($0) }
    }
}

/// Reads a filled template back without depending on row positions.
///
/// Each answer is found through its defined name (`Svar_B_2`), accepted only when the id column of that row still
/// holds the question's id; otherwise through the question id in the id column, wherever the row now is. The
/// question ids come from the hidden meta sheet. Sorted or moved rows, a renamed sheet, inserted columns (found by
/// their headers) and added rows are tolerated.
public enum TemplateReader {
    /// Reads the template at `path`.
    public static func read(path: String) throws -> FilledTemplate {
        do {
            return try read(SheetCache(Workbook(path: path)), file: path)
        } catch let error as SpreadsheetError {
            throw CatalogueError(.unreadable, error.description)
        }
    }

    /// Reads a template from bytes; `name` is used in errors.
    public static func read(bytes: [UInt8], name: String) throws -> FilledTemplate {
        do {
            return try read(SheetCache(Workbook(bytes: bytes, name: name)), file: name)
        } catch let error as SpreadsheetError {
            throw CatalogueError(.unreadable, error.description)
        }
    }

    private struct Grid {
        let name: String
        var cells: [CellAddress: CellValue] = [:]

        init(_ sheet: Sheet) {
            name = sheet.name
            for row in sheet.rows {
                for cell in row.cells { cells[CellAddress(row: row.number, column: cell.column)] = cell.value }
            }
        }

        func text(_ address: CellAddress) -> String? {
            guard let value = cells[address] else { return nil }
            let text = value.auditText.trimmed
            return text.isEmpty ? nil : text
        }

        func value(_ address: CellAddress) -> TemplateValue {
            TemplateValue(value: text(address), cell: "\(name)!\(address)")
        }

        /// The row and columns of the table header (`Id` … `Svar` … `Bemærkning`): the first row holding all three.
        func header() -> (row: Int, id: Int, answer: Int, remark: Int)? {
            var candidates: [Int: Int] = [:]
            for (address, value) in cells {
                if case .string(let text) = value, text == "Id" || text.trimmed == "Id" {
                    if let row = candidates[address.row], row <= address.column { continue }
                    candidates[address.row] = address.column
                }
            }
            for row in candidates.keys.sorted() {
                guard let id = candidates[row] else { continue }
                var answer: Int?
                var remark: Int?
                for (address, value) in cells where address.row == row {
                    guard case .string(let text) = value else { continue }
                    let label = text.trimmed
                    if label == "Svar", answer == nil { answer = address.column }
                    if label == "Bemærkning", remark == nil { remark = address.column }
                }
                if let answer, let remark { return (row, id, answer, remark) }
            }
            return nil
        }
    }

    /// The sheet and cell of a defined name's formula (`'Tilsyn'!$E$12`), read on its UTF-8 bytes: a template has
    /// a hundred names, and Character-level string work on each was a tenth of reading the template.
    private static func reference(_ formula: String) -> (sheet: String, address: CellAddress)? {
        var formula = formula
        return formula.withUTF8 { bytes -> (sheet: String, address: CellAddress)? in
            guard let bang = bytes.lastIndex(of: UInt8(ascii: "!")) else { return nil }
            var sheetBytes = UnsafeBufferPointer(rebasing: bytes[..<bang])
            var quoted = false
            if sheetBytes.count >= 2, sheetBytes.first == UInt8(ascii: "'"), sheetBytes.last == UInt8(ascii: "'") {
                sheetBytes = UnsafeBufferPointer(rebasing: sheetBytes[1..<(sheetBytes.count - 1)])
                quoted = true
            }
            var sheet = String(decoding: sheetBytes, as: UTF8.self)
            // A quote inside a quoted name is doubled; most names have none, so skip the search then.
            if quoted, sheetBytes.contains(UInt8(ascii: "'")) { sheet = sheet.replacingAll("''", with: "'") }
            var cell: [UInt8] = []
            cell.reserveCapacity(bytes.count - bang)
            for byte in bytes[(bang + 1)...] where byte != UInt8(ascii: "$") { cell.append(byte) }
            guard let address = CellAddress(String(decoding: cell, as: UTF8.self)) else { return nil }
            return (sheet, address)
        }
    }

    static func read(_ sheets: SheetCache, file: String) throws -> FilledTemplate {
        let workbook = sheets.workbook
        // The meta sheet: by name, else by its marker.
        var metaSheet: Sheet?
        if let info = workbook.sheet(named: TemplateWriter.metaSheetName) { metaSheet = try sheets.load(info) }
        if metaSheet == nil {
            for info in workbook.sheets where info.kind == .worksheet {
                let sheet = try sheets.load(info)
                if sheet["A1"] == .string(TemplateWriter.marker) {
                    metaSheet = sheet
                    break
                }
            }
        }
        guard let metaSheet else {
            throw CatalogueError(.notATemplate, "the workbook is not a Tilsyn template: its hidden sheet '"
                + TemplateWriter.metaSheetName + "' is missing; make a new template with 'tilsyn template'", file: file)
        }
        var fields: [String: String] = [:]
        var metadataRecords: [(key: String, label: String, name: String, cell: String)] = []
        var questionRecords: [(id: String, answer: String, remark: String)] = []
        for row in metaSheet.rows {
            func text(_ column: Int) -> String { row[column: column]?.value.auditText ?? "" }
            switch text(1) {
            case "metadata": metadataRecords.append((text(2), text(3), text(4), text(5)))
            case "spørgsmål": questionRecords.append((text(2), text(3), text(4)))
            default: fields[text(1)] = text(2)
            }
        }

        // The answer sheet: by its original name, else the worksheet with the table header.
        var grid: Grid?
        var header: (row: Int, id: Int, answer: Int, remark: Int)?
        if let originalName = fields["ark"], let info = workbook.sheet(named: originalName) {
            let candidate = Grid(try sheets.load(info))
            if let found = candidate.header() {
                grid = candidate
                header = found
            }
        }
        if grid == nil {
            for info in workbook.sheets where info.kind == .worksheet && info.name != metaSheet.name {
                let candidate = Grid(try sheets.load(info))
                if let found = candidate.header() {
                    grid = candidate
                    header = found
                    break
                }
            }
        }
        guard let grid, let header else {
            throw CatalogueError(.notATemplate, "no sheet has the question table's header row (Id, Spørgsmål, …, "
                + "Svar, Bemærkning)", file: file)
        }
        let originalName = fields["ark"] ?? TemplateWriter.sheetName
        var names: [String: CellAddress] = [:]
        let gridName = grid.name.lowercased()
        let original = originalName.lowercased()
        for name in workbook.definedNames where name.localSheet == nil {
            guard let (sheet, address) = reference(name.formula) else { continue }
            if sheet == grid.name || sheet == originalName || sheet.lowercased() == gridName
                || sheet.lowercased() == original
            {
                names[name.name.lowercased()] = address
            }
        }
        var rowOfID: [String: Int] = [:]
        for (address, _) in grid.cells where address.column == header.id && address.row > header.row {
            if let id = grid.text(address), rowOfID[id] == nil { rowOfID[id] = address.row }
        }

        var answers: [String: TemplateAnswer] = [:]
        var missing: [String] = []
        for record in questionRecords {
            let id = record.id
            var row: Int?
            if let named = names[TemplateWriter.answerName(id).lowercased()],
                grid.text(CellAddress(row: named.row, column: header.id)) == id
            {
                row = named.row
                let remark = names[TemplateWriter.remarkName(id).lowercased()]
                    .flatMap { $0.row == named.row ? $0 : nil } ?? CellAddress(row: named.row, column: header.remark)
                answers[id] = TemplateAnswer(questionID: id, answer: grid.value(named), remark: grid.value(remark))
                continue
            }
            row = rowOfID[id]
            guard let row else {
                missing.append(id)
                continue
            }
            answers[id] = TemplateAnswer(
                questionID: id, answer: grid.value(CellAddress(row: row, column: header.answer)),
                remark: grid.value(CellAddress(row: row, column: header.remark)))
        }

        var metadata: [String: TemplateValue] = [:]
        var labelCells: [String: CellAddress] = [:]
        for (address, value) in grid.cells where address.row < header.row {
            if case .string(let text) = value, labelCells[text.trimmed] == nil { labelCells[text.trimmed] = address }
        }
        for record in metadataRecords {
            if let named = names[record.name.lowercased()], named.column > 1,
                grid.text(CellAddress(row: named.row, column: named.column - 1)) == record.label
            {
                metadata[record.key] = grid.value(named)
            } else if let label = labelCells[record.label] {
                metadata[record.key] = grid.value(CellAddress(row: label.row, column: label.column + 1))
            } else if let address = CellAddress(record.cell) {
                metadata[record.key] = grid.value(address)
            }
        }
        return FilledTemplate(
            catalogueID: fields["katalog"] ?? "", catalogueVersion: fields["version"] ?? "", sheetName: grid.name,
            metadata: metadata, answers: answers, missing: missing, date1904: workbook.date1904)
    }
}

extension String {
    /// The text with every occurrence of `target` replaced, without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
