internal import TilsynSheets

/// The cells of a filled template that nothing reads, so that what a reviewer wrote there is named in a finding
/// instead of lost unseen: cells beside the question table, among the fields above it, and a copy of the answer
/// sheet that says something else.
extension TemplateReader {
    /// Filled cells below the header in a column the template did not make: beside the remark, or in a column
    /// inserted with a heading of its own. The template's own columns are taken from the header row.
    static func cellsBesideTable(_ grid: SheetGrid, header: (row: Int, id: Int, answer: Int, remark: Int))
        -> [CellAddress]
    {
        var templateColumns = Set<Int>()
        for cell in grid.row(header.row)?.cells ?? [] {
            if case .string(let title) = cell.value, TemplateWriter.tableHeaders.contains(title.trimmed) {
                templateColumns.insert(cell.column)
            }
        }
        var cells: [CellAddress] = []
        for row in grid.rows where row.number > header.row {
            for cell in row.cells where !templateColumns.contains(cell.column) {
                let address = CellAddress(row: row.number, column: cell.column)
                if !grid.isEmpty(address) && !grid.isStepHeading(address) { cells.append(address) }
            }
        }
        return cells
    }

    /// Filled cells above the header row that are neither the template's two title lines (the first two cells of
    /// column A above the first label: the title and the catalogue line), a label nor a value `read`.
    static func cellsAmongFields(
        _ grid: SheetGrid, above headerRow: Int, labels: Set<String>, labelCells: [String: CellAddress],
        read: [String: TemplateValue]
    ) -> [CellAddress] {
        let firstLabelRow = labelCells.filter { labels.contains($0.key) }.map(\.value.row).min() ?? headerRow
        let titleRows = Set(grid.rows.lazy.filter { $0.number < firstLabelRow && $0[column: 1] != nil }.prefix(2)
            .map(\.number))
        let readCells = Set(read.values.map(\.cell))
        var cells: [CellAddress] = []
        for row in grid.rows where row.number < headerRow {
            for cell in row.cells where !(cell.column == 1 && titleRows.contains(row.number)) {
                let address = CellAddress(row: row.number, column: cell.column)
                guard !grid.isEmpty(address), !readCells.contains("\(grid.name)!\(address)") else { continue }
                if let text = grid.text(address), labels.contains(text) { continue }
                cells.append(address)
            }
        }
        return cells
    }

    /// The answers and remarks on `other`, a second sheet with the question table (a copy of the answer sheet, as
    /// Excel's "Move or Copy" makes it), that say something else than the `answers` read from the answer sheet: only
    /// one sheet's answers are read, so a different value on the copy is neither stored nor passed over in silence.
    /// A copy that repeats the answers read, or is left blank, is no conflict.
    static func copiedTable(_ other: SheetGrid, answers: [String: TemplateAnswer]) -> [TemplateConflict] {
        guard let header = header(other) else { return [] }
        var conflicts: [TemplateConflict] = []
        for row in other.rows where row.number > header.row {
            let id = other.text(CellAddress(row: row.number, column: header.id))
            let read = id.flatMap { answers[$0] }
            for (column, value) in [(header.answer, read?.answer), (header.remark, read?.remark)] {
                let cell = CellAddress(row: row.number, column: column)
                guard !other.isEmpty(cell) else { continue }
                if other.isStepHeading(cell) { continue }
                let source = other.source(cell)
                if let value, source.problem == nil, value.problem == nil,
                    source.text?.trimmed ?? "" == value.value?.trimmed ?? ""
                {
                    continue
                }
                conflicts.append(TemplateConflict(
                    kind: .copiedTable, questionID: read?.questionID ?? "", cell: "\(other.name)!\(cell)",
                    otherCell: value?.cell ?? ""))
            }
        }
        return conflicts
    }
}
