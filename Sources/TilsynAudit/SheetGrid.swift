internal import TilsynSheets

/// One sheet's cells by address, with what the reader knows about cells whose value it could not see: merged
/// ranges and formulas without a cached result. Shared by the template and foreign-sheet readers.
struct SheetGrid {
    let name: String
    private(set) var cells: [CellAddress: CellValue] = [:]
    let mergedRanges: [CellRange]
    let formulasWithoutValue: Set<CellAddress>

    init(_ sheet: Sheet) {
        name = sheet.name
        // Sized once: grown cell by cell, the table was rehashed several times for every sheet.
        cells.reserveCapacity(sheet.rows.reduce(0) { $0 + $1.cells.count })
        for row in sheet.rows {
            for cell in row.cells { cells[CellAddress(row: row.number, column: cell.column)] = cell.value }
        }
        mergedRanges = sheet.mergedRanges.filter { $0.first != $0.last }
        formulasWithoutValue = Set(sheet.formulasWithoutValue)
    }

    /// The cell's text, trimmed; nil when empty.
    func text(_ address: CellAddress) -> String? {
        guard let value = cells[address] else { return nil }
        let text = value.auditText.trimmed
        return text.isEmpty ? nil : text
    }

    /// The merged range (of more than one cell) that covers `address`, if any.
    func mergedRange(covering address: CellAddress) -> CellRange? {
        mergedRanges.first { $0.contains(address) }
    }

    /// What a cell holds, with its provenance and any reason it cannot be taken as typed.
    func source(_ address: CellAddress) -> SourceText {
        let at = Provenance(sheet: name, cell: address.description)
        if formulasWithoutValue.contains(address) { return SourceText(nil, at: at, problem: .formulaWithoutValue) }
        switch cells[address] {
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
        text(address) == nil && !formulasWithoutValue.contains(address)
    }
}
