import TilsynAudit
import TilsynSheets
import TilsynTestSupport

/// A returned workbook as a model of its cells, names and merges, changed the way reviewers, Excel and scripts
/// change workbooks, then written as XLSX again (inline strings, no styles: what the importer reads).
///
/// The cells a reviewer filled (each question's answer and remark cell) carry a tag that moves with the cell
/// through every edit, so a test knows where each answer is after the edits: the oracle for "every filled answer
/// cell is stored exactly or named in a finding".
struct WorkbookModel {
    enum Value: Equatable {
        case text(String)
        case number(Double)
        case bool(Bool)
        /// A formula; `cached` is the result a spreadsheet program stored, nil when none was (openpyxl, scripts).
        case formula(String, cached: String?)
    }

    struct Sheet {
        var name: String
        var cells: [CellAddress: Value] = [:]
        var merged: [CellRange] = []
        var state: String?
        /// Rows written after the sheet's rows as they are, as a damaged file can have them (a row given again).
        var rawRowsAfter = ""
        /// Cells with an Excel note (its text: "Se journalen").
        var notes: [CellAddress] = []
    }

    /// Which question's answer or remark a cell holds.
    struct Tag: Hashable {
        var questionID: String
        var isRemark: Bool
    }

    var sheets: [Sheet]
    /// Workbook-level names of single cells.
    var names: [(name: String, sheet: String, address: CellAddress)]
    /// The answer and remark cells of the answer sheet (sheet 0), by where they are now.
    var tags: [CellAddress: Tag] = [:]

    /// The model of a workbook (a filled template), tagging the cells the names `Svar_…`/`Bemaerkning_…` point at.
    init(_ bytes: [UInt8]) throws {
        let workbook = try Workbook(bytes: bytes, name: "model.xlsx")
        sheets = []
        for info in workbook.sheets {
            let loaded = try workbook.load(info)
            var sheet = Sheet(name: info.name)
            for row in loaded.rows {
                for cell in row.cells {
                    let value: Value =
                        switch cell.value {
                        case .string(let text): .text(text)
                        case .number(let number): .number(number)
                        case .bool(let flag): .bool(flag)
                        case .date(let date): .text(ExcelDateFormat.danish(date))
                        case .error(let text): .text(text)
                        }
                    sheet.cells[CellAddress(row: row.number, column: cell.column)] = value
                }
            }
            sheet.merged = loaded.mergedRanges
            sheet.state = info.visibility == .veryHidden ? "veryHidden" : info.visibility == .hidden ? "hidden" : nil
            sheets.append(sheet)
        }
        names = []
        for name in workbook.definedNames where name.localSheet == nil {
            guard let bang = name.formula.lastIndex(of: "!"),
                let address = CellAddress(name.formula[name.formula.index(after: bang)...])
            else { continue }
            var sheet = String(name.formula[..<bang])
            if sheet.hasPrefix("'") { sheet = String(sheet.dropFirst().dropLast()) }
            names.append((name.name, sheet, address))
        }
        for name in names where name.sheet == sheets[0].name {
            if name.name.hasPrefix("Svar_") {
                tags[name.address] = Tag(questionID: Self.id(name.name.dropFirst(5)), isRemark: false)
            } else if name.name.hasPrefix("Bemaerkning_") {
                tags[name.address] = Tag(questionID: Self.id(name.name.dropFirst(12)), isRemark: true)
            }
        }
    }

    private static func id(_ suffix: Substring) -> String { String(suffix.map { $0 == "_" ? "." : $0 }) }

    // MARK: Looking up

    /// The current address of a question's answer (or remark) cell.
    func cell(of questionID: String, remark: Bool = false) -> CellAddress? {
        tags.first { $0.value == Tag(questionID: questionID, isRemark: remark) }?.key
    }

    subscript(_ address: CellAddress) -> Value? {
        get { sheets[0].cells[address] }
        set { sheets[0].cells[address] = newValue }
    }

    /// The address of the first cell of the answer sheet holding exactly `text`.
    func find(_ text: String) -> CellAddress? {
        sheets[0].cells.filter { $0.value == .text(text) }.keys.min()
    }

    /// The value's text as the importer reads it; nil when the cell is empty or holds no text.
    static func text(_ value: Value?) -> String? {
        switch value {
        case .text(let text)?: text
        case .number(let number)?: number == number.rounded() ? String(Int(number)) : String(number)
        case .formula(_, let cached?)?: cached
        default: nil
        }
    }

    var answerSheet: String { sheets[0].name }

    // MARK: Edits

    /// Moves every cell, tag, merge and (when `names`) name of the answer sheet through `map`; nil removes it.
    mutating func remap(movingNames: Bool, _ map: (CellAddress) -> CellAddress?) {
        var cells: [CellAddress: Value] = [:]
        for (address, value) in sheets[0].cells { if let moved = map(address) { cells[moved] = value } }
        sheets[0].cells = cells
        var moved: [CellAddress: Tag] = [:]
        for (address, tag) in tags { if let to = map(address) { moved[to] = tag } }
        tags = moved
        sheets[0].merged = sheets[0].merged.compactMap { range in
            guard let first = map(range.first), let last = map(range.last) else { return nil }
            return CellRange(first: first, last: last)
        }
        if movingNames {
            let sheet = answerSheet
            names = names.compactMap { name in
                guard name.sheet == sheet else { return name }
                return map(name.address).map { (name.name, name.sheet, $0) }
            }
        }
    }

    /// Inserts an empty row before `row`, as Excel does (names move with their cells).
    mutating func insertRow(before row: Int) {
        remap(movingNames: true) { $0.row >= row ? CellAddress(row: $0.row + 1, column: $0.column) : $0 }
    }

    /// Deletes a row, as Excel does: its cells and names go, the rows below move up.
    mutating func deleteRow(_ row: Int) {
        remap(movingNames: true) { address in
            address.row == row ? nil : address.row > row ? CellAddress(row: address.row - 1, column: address.column)
                : address
        }
    }

    /// Inserts an empty column before `column`, as Excel does (names move with their cells).
    mutating func insertColumn(before column: Int) {
        remap(movingNames: true) { $0.column >= column ? CellAddress(row: $0.row, column: $0.column + 1) : $0 }
    }

    /// Moves columns `from...` one column to the right by cut and paste of the cells alone, leaving the names on
    /// the old, now empty cells (as scripts and some tools do).
    mutating func shiftColumnsRight(from column: Int, rows: ClosedRange<Int>) {
        remap(movingNames: false) { address in
            address.column >= column && rows.contains(address.row)
                ? CellAddress(row: address.row, column: address.column + 1) : address
        }
    }

    /// Moves a whole row to `target`, or the first empty row after it, leaving names where they were (openpyxl's
    /// `move_range`).
    mutating func moveRow(_ row: Int, to target: Int) {
        var target = target
        while sheets[0].cells.keys.contains(where: { $0.row == target }) { target += 1 }
        remap(movingNames: false) { $0.row == row ? CellAddress(row: target, column: $0.column) : $0 }
    }

    /// Renames the answer sheet; names follow, as in Excel.
    mutating func renameAnswerSheet(_ name: String) {
        let old = answerSheet
        sheets[0].name = name
        names = names.map { $0.sheet == old ? ($0.name, name, $0.address) : $0 }
    }

    /// Removes the hidden meta sheet (a reviewer copying the visible sheet into a new workbook).
    mutating func dropMeta() {
        sheets.removeAll { $0.name == TemplateWriter.metaSheetName }
    }

    /// Removes every defined name.
    mutating func dropNames() { names.removeAll() }

    // MARK: Writing

    /// The workbook as XLSX bytes.
    func build() -> [UInt8] {
        var builder = XLSXBuilder()
        for sheet in sheets {
            var rows = ""
            let byRow = Dictionary(grouping: sheet.cells.keys, by: \.row)
            for row in byRow.keys.sorted() {
                rows += "<row r=\"\(row)\">"
                for address in (byRow[row] ?? []).sorted() {
                    guard let value = sheet.cells[address] else { continue }
                    let ref = address.description
                    switch value {
                    case .text(let text):
                        rows += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(text))</t></is></c>"
                    case .number(let number):
                        rows += "<c r=\"\(ref)\"><v>\(number)</v></c>"
                    case .bool(let flag):
                        rows += "<c r=\"\(ref)\" t=\"b\"><v>\(flag ? 1 : 0)</v></c>"
                    case .formula(let formula, let cached):
                        if let cached {
                            rows += "<c r=\"\(ref)\" t=\"str\"><f>\(escape(formula))</f><v>\(escape(cached))</v></c>"
                        } else {
                            rows += "<c r=\"\(ref)\"><f>\(escape(formula))</f><v></v></c>"
                        }
                    }
                }
                rows += "</row>"
            }
            rows += sheet.rawRowsAfter
            let merged = sheet.merged.isEmpty ? "" : "<mergeCells count=\"\(sheet.merged.count)\">"
                + sheet.merged.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
            builder.addSheet(sheet.name, rows: rows, trailer: merged, state: sheet.state)
            if !sheet.notes.isEmpty {
                let number = builder.sheets.count
                builder.extraEntries.append(.init(
                    "xl/worksheets/_rels/sheet\(number).xml.rels",
                    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                        + "relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
                        + "officeDocument/2006/relationships/comments\" Target=\"../comments\(number).xml\"/></Relationships>"))
                builder.extraEntries.append(.init(
                    "xl/comments\(number).xml",
                    "<?xml version=\"1.0\"?><comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                        + "<authors><author>BOL</author></authors><commentList>"
                        + sheet.notes.map { "<comment ref=\"\($0)\" authorId=\"0\"><text><t>Se journalen</t></text></comment>" }
                        .joined() + "</commentList></comments>"))
            }
        }
        builder.definedNames = names.map { name in
            ("\(name.name)", "'\(name.sheet)'!$\(CellAddress.columnName(name.address.column))$\(name.address.row)")
        }
        return builder.build()
    }
}

/// Dates as the template shows them.
enum ExcelDateFormat {
    static func danish(_ date: ExcelDateTime) -> String {
        let c = date.components
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(two(c.day))-\(two(c.month))-\(c.year)"
    }
}
