internal import Foundation
internal import TilsynSheets

/// A value read from a filled template, with the cell it came from.
public struct TemplateValue: Sendable, Equatable {
    /// The text as typed (numbers without decimals when whole, dates as `dd-mm-yyyy`); nil when the cell is empty.
    public var value: String?
    /// Where it was read: `Tilsyn!E12` (with the sheet's current name).
    public var cell: String
    /// Set when the cell holds something the reviewer cannot have meant as this value (see `CellProblem`).
    public var problem: CellProblem?

    /// A value read at `cell`.
    public init(value: String?, cell: String, problem: CellProblem? = nil) {
        self.value = value
        self.cell = cell
        self.problem = problem
    }
}

/// One question's answer and remark from a filled template.
public struct TemplateAnswer: Sendable, Equatable {
    /// The question id.
    public var questionID: String
    /// The answer cell.
    public var answer: TemplateValue
    /// The remark cell.
    public var remark: TemplateValue

    /// A question's answer and remark.
    public init(questionID: String, answer: TemplateValue, remark: TemplateValue) {
        self.questionID = questionID
        self.answer = answer
        self.remark = remark
    }
}

/// What a filled template holds: the catalogue it was made from, the metadata and the answers by question id.
public struct FilledTemplate: Sendable, Equatable {
    /// The catalogue the template was made from (its meta sheet).
    public var catalogueID: String
    /// That catalogue's version then.
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
    /// The sagsskridt the template asks about, when it was made for some steps only (`tilsyn template --steps`).
    public var steps: Set<String>?
    /// What the sheet says that the reader could not take as one question's answer: rows answered twice, names
    /// that disagree with the header, answers in rows of no question.
    public var conflicts: [TemplateConflict] = []
}

/// A place where a filled template's cells, names and header do not agree on what was answered.
public struct TemplateConflict: Sendable, Equatable {
    /// What disagrees.
    public enum Kind: Sendable, Equatable {
        /// The question's id is in two rows and both have an answer or remark (`cell` and `otherCell`).
        case duplicateRow
        /// The defined name points at a filled cell (`otherCell`) that is not the cell under the header (`cell`).
        case nameDisagrees
        /// An answer or remark on another sheet with the question table (`cell`) that differs from what was read
        /// from the answer sheet (`otherCell`, empty when the row is of no question read).
        case copiedTable
        /// An answer or remark in a row that belongs to no question of the template.
        case rowWithoutQuestion
        /// A filled cell the template does not read: below the header in a column the template did not make, or
        /// above it outside the title lines, labels and values (not an error: the reviewer is told).
        case cellOutsideTable
    }

    /// What disagrees.
    public var kind: Kind
    /// The question id (empty for `rowWithoutQuestion`).
    public var questionID: String
    /// `Tilsyn!E12`.
    public var cell: String
    /// The other cell involved, `Tilsyn!E40`; empty when there is none.
    public var otherCell: String

    /// A conflict of `kind` at `cell`.
    public init(kind: Kind, questionID: String, cell: String, otherCell: String = "") {
        self.kind = kind
        self.questionID = questionID
        self.cell = cell
        self.otherCell = otherCell
    }
}

/// The worksheets of one workbook, each parsed at most once (by its place in the workbook).
final class SheetCache {
    let workbook: Workbook
    private var loaded: [Int: Sheet] = [:]

    init(_ workbook: Workbook) { self.workbook = workbook }

    func load(_ info: SheetInfo) throws -> Sheet {
        if let sheet = loaded[info.index] { return sheet }
        let sheet = try workbook.load(info)
        loaded[info.index] = sheet
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

    /// The row and columns of the table header (`Id` … `Svar` … `Bemærkning`): the first row holding all three.
    static func header(_ grid: SheetGrid) -> (row: Int, id: Int, answer: Int, remark: Int)? {
        var candidates: [Int: Int] = [:]
        for (address, value) in grid.cells {
            if case .string(let text) = value, text == "Id" || text.trimmed == "Id" {
                if let row = candidates[address.row], row <= address.column { continue }
                candidates[address.row] = address.column
            }
        }
        for row in candidates.keys.sorted() {
            guard let id = candidates[row] else { continue }
            var answer: Int?
            var remark: Int?
            for cell in grid.row(row)?.cells ?? [] {
                guard case .string(let text) = cell.value else { continue }
                let label = text.trimmed
                if label == "Svar", answer.map({ cell.column < $0 }) ?? true { answer = cell.column }
                if label == "Bemærkning", remark.map({ cell.column < $0 }) ?? true { remark = cell.column }
            }
            if let answer, let remark { return (row, id, answer, remark) }
        }
        return nil
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
            guard let address = CellAddress.parse(bytes[(bang + 1)...]) else { return nil }
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
        var grid: SheetGrid?
        var header: (row: Int, id: Int, answer: Int, remark: Int)?
        if let originalName = fields["ark"], let info = workbook.sheet(named: originalName) {
            let candidate = SheetGrid(try sheets.load(info))
            if let found = Self.header(candidate) {
                grid = candidate
                header = found
            }
        }
        if grid == nil {
            for info in workbook.sheets where info.kind == .worksheet && info.name != metaSheet.name {
                let candidate = SheetGrid(try sheets.load(info))
                if let found = Self.header(candidate) {
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
        names.reserveCapacity(workbook.definedNames.count)
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
        func value(_ address: CellAddress) -> TemplateValue {
            let source = grid.source(address)
            return TemplateValue(
                value: source.text, cell: source.at.sheet + "!" + source.at.cell, problem: source.problem)
        }
        func place(_ address: CellAddress) -> String { "\(grid.name)!\(address)" }
        var rowsOfID: [String: [Int]] = [:]
        rowsOfID.reserveCapacity(questionRecords.count)
        for (address, _) in grid.cells where address.column == header.id && address.row > header.row {
            if let id = grid.text(address) { rowsOfID[id, default: []].append(address.row) }
        }
        for id in rowsOfID.keys { rowsOfID[id]?.sort() }

        var answers: [String: TemplateAnswer] = [:]
        answers.reserveCapacity(questionRecords.count)
        var missing: [String] = []
        var conflicts: [TemplateConflict] = []
        var rowsRead = Set<Int>()
        for record in questionRecords {
            let id = record.id
            let namedAnswer = names[TemplateWriter.answerName(id).lowercased()]
            let namedRemark = names[TemplateWriter.remarkName(id).lowercased()]
            // The name finds the row when the id column there still holds the question's id; the header row says
            // which columns are the answer and the remark, wherever the names point.
            var row: Int?
            if let namedAnswer, grid.text(CellAddress(row: namedAnswer.row, column: header.id)) == id {
                row = namedAnswer.row
            } else {
                row = rowsOfID[id]?.first
            }
            guard let row else {
                missing.append(id)
                continue
            }
            rowsRead.insert(row)
            let answerCell = CellAddress(row: row, column: header.answer)
            let remarkCell = CellAddress(row: row, column: header.remark)
            // A name on another row is stale (rows were inserted or moved without it): that cell is another
            // question's, read through its own row.
            for case let named? in [namedAnswer, namedRemark]
            where named.row == row && named != answerCell && named != remarkCell && !grid.isEmpty(named) {
                // A filled cell the name points at, in neither column the header names: which one the reviewer
                // meant cannot be known.
                conflicts.append(TemplateConflict(
                    kind: .nameDisagrees, questionID: id,
                    cell: place(named == namedAnswer ? answerCell : remarkCell), otherCell: place(named)))
            }
            answers[id] = TemplateAnswer(questionID: id, answer: value(answerCell), remark: value(remarkCell))
            for other in rowsOfID[id] ?? [] where other != row {
                rowsRead.insert(other)
                let cells = [CellAddress(row: other, column: header.answer), CellAddress(row: other, column: header.remark)]
                if let filled = cells.first(where: { !grid.isEmpty($0) }) {
                    conflicts.append(TemplateConflict(
                        kind: .duplicateRow, questionID: id, cell: place(answerCell), otherCell: place(filled)))
                }
            }
        }
        // Answers or remarks in rows of no question (a row added below the table, an id overwritten).
        var stray: [CellAddress] = []
        for (address, _) in grid.cells
        where (address.column == header.answer || address.column == header.remark) && address.row > header.row
            && !rowsRead.contains(address.row) && !grid.isEmpty(address)
        {
            if grid.isStepHeading(address) { continue }
            stray.append(address)
        }
        for address in Set(stray.map { CellAddress(row: $0.row, column: header.answer) }).sorted() {
            let filled = grid.isEmpty(address) ? CellAddress(row: address.row, column: header.remark) : address
            conflicts.append(TemplateConflict(kind: .rowWithoutQuestion, questionID: "", cell: place(filled)))
        }
        for address in cellsBesideTable(grid, header: header) {
            conflicts.append(TemplateConflict(kind: .cellOutsideTable, questionID: "", cell: place(address)))
        }
        for info in workbook.sheets
        where info.kind == .worksheet && info.name != grid.name && info.name != metaSheet.name {
            conflicts += copiedTable(SheetGrid(try sheets.load(info)), answers: answers)
        }

        var metadata: [String: TemplateValue] = [:]
        var labelCells: [String: CellAddress] = [:]
        for (address, value) in grid.cells where address.row < header.row {
            if case .string(let text) = value {
                if let known = labelCells[text.trimmed], known < address { continue }
                labelCells[text.trimmed] = address
            }
        }
        let labels = Set(metadataRecords.map(\.label))
        /// Whether `label` is in the named cell's row, left of it, with only empty cells between.
        func labelled(_ named: CellAddress, _ label: String) -> Bool {
            var column = named.column - 1
            while column >= 1 {
                let address = CellAddress(row: named.row, column: column)
                if let text = grid.text(address) { return text == label }
                column -= 1
            }
            return false
        }
        /// The value of the label at `label`: the first filled cell to its right in the row (past a merged label,
        /// and past columns inserted between them), unless that is another label; then the cell beside it, blank.
        func valueCell(of label: CellAddress) -> CellAddress {
            var beside = CellAddress(row: label.row, column: label.column + 1)
            if let range = grid.mergedRange(covering: label), range.first == label {
                beside = CellAddress(row: label.row, column: range.last.column + 1)
            }
            var address = beside
            while address.column <= beside.column + 16 {
                if !grid.isEmpty(address) {
                    if let text = grid.text(address), labels.contains(text) { return beside }
                    return address
                }
                address.column += 1
            }
            return beside
        }
        /// A metadata value; blank where the cell holds another label (never a label as a value).
        func metadataValue(_ address: CellAddress) -> TemplateValue {
            if let text = grid.text(address), labels.contains(text) {
                return TemplateValue(value: nil, cell: place(address))
            }
            return value(address)
        }
        for record in metadataRecords {
            if let named = names[record.name.lowercased()], labelled(named, record.label) {
                // A name left on an emptied cell while the value moved right (a column inserted by a script that
                // does not move names): the value that belongs to the label.
                var address = named
                if grid.isEmpty(named), let label = labelCells[record.label], label.row == named.row {
                    address = valueCell(of: label)
                }
                metadata[record.key] = metadataValue(address)
            } else if let label = labelCells[record.label] {
                metadata[record.key] = metadataValue(valueCell(of: label))
            } else if let address = CellAddress(record.cell) {
                metadata[record.key] = value(address)
            }
        }
        for address in cellsAmongFields(grid, above: header.row, labels: labels, labelCells: labelCells, read: metadata) {
            conflicts.append(TemplateConflict(kind: .cellOutsideTable, questionID: "", cell: place(address)))
        }
        return FilledTemplate(
            catalogueID: fields["katalog"] ?? "", catalogueVersion: fields["version"] ?? "", sheetName: grid.name,
            metadata: metadata, answers: answers, missing: missing, date1904: workbook.date1904,
            steps: fields["sagsskridt"].map { Set($0.split(separator: ",").map { String($0).trimmed }) },
            conflicts: conflicts)
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
