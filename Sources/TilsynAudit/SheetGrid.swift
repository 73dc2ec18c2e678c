internal import TilsynSheets

/// One sheet's cells by address, with what the reader knows about cells whose value it could not see: merged
/// ranges and formulas without a cached result. Shared by the template and foreign-sheet readers.
///
/// The cells are the sheet's rows as read, looked up by binary search: a sheet's rows come in ascending order with
/// their cells in column order, so no table of addresses is built (hashing every cell of a template into one was
/// a tenth of the template reader's own work). A file's rows always come so: the reader refuses rows out of order or
/// given twice (`.rowOutOfOrder`) and two cells at one reference. Only a `Sheet` built in code can hold rows
/// otherwise; they are put in order first, a later cell at an address replacing an earlier one as a table would.
struct SheetGrid {
    let name: String
    /// The rows with values in ascending order, each row's cells in ascending column order, no address twice.
    let rows: [Row]
    let mergedRanges: [CellRange]
    let formulasWithoutValue: Set<CellAddress>

    init(_ sheet: Sheet) {
        name = sheet.name
        rows = Self.inOrder(sheet.rows) ? sheet.rows : Self.ordered(sheet.rows)
        mergedRanges = sheet.mergedRanges.filter { $0.first != $0.last }
        formulasWithoutValue = Set(sheet.formulasWithoutValue)
    }

    /// Whether the rows' numbers and each row's columns strictly ascend.
    private static func inOrder(_ rows: [Row]) -> Bool {
        var previous = 0
        for row in rows {
            guard row.number > previous else { return false }
            previous = row.number
            var column = 0
            for cell in row.cells {
                guard cell.column > column else { return false }
                column = cell.column
            }
        }
        return true
    }

    /// The rows in order, each address once: the last cell read at an address wins.
    private static func ordered(_ rows: [Row]) -> [Row] {
        var table: [CellAddress: CellValue] = [:]
        for row in rows {
            for cell in row.cells { table[CellAddress(row: row.number, column: cell.column)] = cell.value }
        }
        var ordered: [Row] = []
        for address in table.keys.sorted() {
            guard let value = table[address] else { continue }
            if ordered.last?.number != address.row { ordered.append(Row(number: address.row, cells: [])) }
            ordered[ordered.count - 1].cells.append(Cell(column: address.column, value: value))
        }
        return ordered
    }

    /// The row numbered `number`, if it has values.
    func row(_ number: Int) -> Row? {
        var low = 0
        var high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].number < number { low = middle + 1 } else { high = middle }
        }
        return low < rows.count && rows[low].number == number ? rows[low] : nil
    }

    /// The value at `address`, if the cell has one.
    subscript(_ address: CellAddress) -> CellValue? {
        guard let cells = row(address.row)?.cells else { return nil }
        var low = 0
        var high = cells.count
        while low < high {
            let middle = (low + high) / 2
            if cells[middle].column < address.column { low = middle + 1 } else { high = middle }
        }
        return low < cells.count && cells[low].column == address.column ? cells[low].value : nil
    }

    /// Every cell with a value, in row and then column order.
    var cells: Cells { Cells(rows: rows) }

    /// The cells of a grid with their addresses, in row and then column order.
    struct Cells: Sequence {
        let rows: [Row]

        func makeIterator() -> Iterator { Iterator(rows: rows) }

        struct Iterator: IteratorProtocol {
            let rows: [Row]
            var row = 0
            var cell = 0

            mutating func next() -> (address: CellAddress, value: CellValue)? {
                while row < rows.count {
                    let cells = rows[row].cells
                    if cell < cells.count {
                        defer { cell += 1 }
                        return (CellAddress(row: rows[row].number, column: cells[cell].column), cells[cell].value)
                    }
                    row += 1
                    cell = 0
                }
                return nil
            }
        }
    }

    /// The cell's text, trimmed; nil when empty.
    func text(_ address: CellAddress) -> String? {
        guard let value = self[address] else { return nil }
        let text = value.auditText.trimmed
        return text.isEmpty ? nil : text
    }

    /// Whether `address` lies in a range merged across from column A: a template's step heading, not a cell of
    /// the question table.
    func isStepHeading(_ address: CellAddress) -> Bool {
        mergedRange(covering: address)?.first.column == 1
    }

    /// The merged range (of more than one cell) that covers `address`, if any.
    func mergedRange(covering address: CellAddress) -> CellRange? {
        mergedRanges.first { $0.contains(address) }
    }

    /// What a cell holds, with its provenance and any reason it cannot be taken as typed.
    func source(_ address: CellAddress) -> SourceText {
        let at = Provenance(sheet: name, cell: address.description)
        if hasFormula(at: address) { return SourceText(nil, at: at, problem: .formulaWithoutValue) }
        switch self[address] {
        case .bool(let flag)?:
            return SourceText(nil, at: at, problem: .boolean(flag))
        case let value?:
            return SourceText(value.auditText, at: at)
        case nil:
            // A value merged down over several rows of this column (an answer spread over several questions); a
            // merge across one row's columns does not carry the value into another question.
            if let range = mergedRange(covering: address), range.first != address, range.first.row < address.row,
                range.first.column == address.column, text(range.first) != nil
            {
                return SourceText(nil, at: at, problem: .merged(range: range.description))
            }
            return SourceText(nil, at: at)
        }
    }

    /// Whether the cell at `address` is empty: no value but empty text, no formula.
    func isEmpty(_ address: CellAddress) -> Bool {
        text(address) == nil && !hasFormula(at: address)
    }

    /// Whether the cell holds a formula without a cached result (the set is nearly always empty: not hashed then).
    private func hasFormula(at address: CellAddress) -> Bool {
        !formulasWithoutValue.isEmpty && formulasWithoutValue.contains(address)
    }
}
