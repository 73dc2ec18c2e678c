/// One worksheet being written: its XML (`xl/worksheets/sheetN.xml`) is streamed into the archive row by row.
///
/// The parts of CT_Worksheet that precede `<sheetData>` (sheetPr, dimension, sheetViews, sheetFormatPr, cols)
/// come from the `SheetOptions` given when the sheet is created. Rows follow in increasing order. The parts that
/// follow `<sheetData>` (sheetProtection, autoFilter, mergeCells, dataValidations, hyperlinks, printOptions,
/// pageMargins, pageSetup) are collected while the sheet is open and written, in ECMA-376 order, when it is
/// finished: when the next sheet is started or the workbook is closed. Memory does not grow with the number of
/// rows; only the shared string table and the after-rows settings are kept.
public final class XLSXWorksheetWriter {
    /// The sheet's name, as on its tab.
    public let name: String
    /// The sheet's zero-based position in the workbook.
    public let index: Int
    /// The settings the sheet was created with.
    public let options: XLSXWriter.SheetOptions
    /// The zero-based row that `appendRow` writes next: one past the last row written.
    public private(set) var nextRow = 0
    /// Whether rows and settings can still be added.
    public private(set) var isOpen = true

    weak var workbook: XLSXWriter?
    let partName: String
    let tabSelected: Bool
    // The hot path's state. Only this writer touches it, on one thread: no dynamic exclusivity checks needed.
    @exclusivity(unchecked) var xml = XMLBuffer(capacity: XLSXWorksheetWriter.flushThreshold + 4096)
    /// Column letters as UTF-8, by column, filled as columns are first used.
    @exclusivity(unchecked) private var columnNames: [[UInt8]] = []
    /// The current row's number as UTF-8.
    @exclusivity(unchecked) private var rowDigits: [UInt8] = []
    var autoFilter: String?
    var merges: [(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int)] = []
    var validations: [(validation: XLSXWriter.DataValidation, sqref: String)] = []
    var hyperlinks: [(cell: String, location: String, display: String?, tooltip: String?)] = []
    var protection: XLSXWriter.SheetProtection?
    var cellsWithHyperlinks: Set<String> = []
    /// Tables begun on this sheet: the table, its workbook-wide id and its header row; each ends where the next
    /// begins, the last at the last row written.
    var tables: [(table: XLSXWriter.Table, id: Int, headerRow: Int)] = []

    static let flushThreshold = 1 << 16

    init(workbook: XLSXWriter, name: String, index: Int, options: XLSXWriter.SheetOptions, tabSelected: Bool) {
        self.workbook = workbook
        self.name = name
        self.index = index
        self.options = options
        self.tabSelected = tabSelected
        partName = "xl/worksheets/sheet\(index + 1).xml"
    }

    func error(_ code: SpreadsheetError.Code, _ message: String, cell: String? = nil) -> SpreadsheetError {
        SpreadsheetError(code, message, part: partName, sheet: name, cell: cell)
    }

    func requireOpen(_ what: String) throws -> XLSXWriter {
        guard isOpen, let workbook, workbook.isUsable else {
            throw error(
                .invalidArgument,
                "cannot \(what): the sheet is finished (a later sheet was started or the workbook was closed); "
                    + "add everything for a sheet before starting the next")
        }
        return workbook
    }

    func appendColumnName(_ column: Int) {
        while columnNames.count <= column { columnNames.append(Array(A1.column(columnNames.count).utf8)) }
        xml.append(columnNames[column])
    }

    // MARK: - Start

    /// Begins the sheet's entry and writes everything before `<sheetData>`.
    func start(zip: ZipWriter) throws {
        try zip.beginEntry(partName)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" ")
        xml.raw("xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">")
        let setup = options.pageSetup
        if options.tabColor != nil || setup.fitToPages != nil {
            xml.raw("<sheetPr>")
            if let color = options.tabColor {
                xml.raw("<tabColor")
                xml.attribute("rgb", color.argb)
                xml.raw("/>")
            }
            if setup.fitToPages != nil { xml.raw("<pageSetUpPr fitToPage=\"1\"/>") }
            xml.raw("</sheetPr>")
        }
        if let dimension = options.dimension, let range = A1.parseRange(dimension) {
            xml.raw("<dimension")
            xml.attribute(
                "ref",
                A1.range(
                    firstRow: range.firstRow, firstColumn: range.firstColumn, lastRow: range.lastRow,
                    lastColumn: range.lastColumn))
            xml.raw("/>")
        }
        writeSheetViews()
        xml.raw("<sheetFormatPr")
        if let height = options.defaultRowHeight {
            xml.attribute("defaultRowHeight", number: height)
            xml.raw(" customHeight=\"1\"/>")
        } else {
            xml.raw(" defaultRowHeight=\"15\"/>")
        }
        if !options.columns.isEmpty {
            xml.raw("<cols>")
            for column in options.columns.sorted(by: { $0.first < $1.first }) {
                xml.raw("<col")
                xml.attribute("min", column.first + 1)
                xml.attribute("max", column.last + 1)
                xml.attribute("width", number: column.storedWidth ?? 9.140625)
                if let style = column.style { xml.attribute("style", style.index) }
                if column.hidden { xml.raw(" hidden=\"1\"") }
                if column.width != nil { xml.raw(" customWidth=\"1\"") }
                xml.raw("/>")
            }
            xml.raw("</cols>")
        }
        xml.raw("<sheetData>")
    }

    private func writeSheetViews() {
        xml.raw("<sheetViews><sheetView")
        if !options.showGridLines { xml.raw(" showGridLines=\"0\"") }
        if tabSelected { xml.raw(" tabSelected=\"1\"") }
        if let zoom = options.zoom {
            xml.attribute("zoomScale", zoom)
            xml.attribute("zoomScaleNormal", zoom)
        }
        xml.raw(" workbookViewId=\"0\"")
        let rows = options.frozenRows
        let columns = options.frozenColumns
        guard rows > 0 || columns > 0 else {
            xml.raw("/></sheetViews>")
            return
        }
        xml.raw("><pane")
        if columns > 0 { xml.attribute("xSplit", columns) }
        if rows > 0 { xml.attribute("ySplit", rows) }
        let topLeft = options.frozenTopLeftCell.flatMap { A1.parseCell(Substring($0)) }
        let topRow = max(topLeft?.row ?? rows, rows)
        xml.attribute("topLeftCell", A1.cell(row: topRow, column: max(topLeft?.column ?? columns, columns)))
        // As Excel writes it: the panes that are not active keep their first cell selected; the active pane's
        // selection has no cell, so the cursor stays on A1.
        if rows > 0 && columns > 0 {
            xml.raw(" activePane=\"bottomRight\" state=\"frozen\"/>")
            xml.raw("<selection pane=\"topRight\"")
            xml.attribute("activeCell", A1.cell(row: 0, column: columns))
            xml.attribute("sqref", A1.cell(row: 0, column: columns))
            xml.raw("/><selection pane=\"bottomLeft\"")
            xml.attribute("activeCell", A1.cell(row: rows, column: 0))
            xml.attribute("sqref", A1.cell(row: rows, column: 0))
            xml.raw("/><selection pane=\"bottomRight\"/>")
        } else if rows > 0 {
            xml.raw(" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/>")
        } else {
            xml.raw(" activePane=\"topRight\" state=\"frozen\"/><selection pane=\"topRight\"/>")
        }
        xml.raw("</sheetView></sheetViews>")
    }

    // MARK: - Rows

    /// Writes `cells` as the next row (`nextRow`), starting in column A; nil leaves a cell empty.
    public func appendRow(_ cells: [XLSXWriter.Cell?], height: Double? = nil, hidden: Bool = false) throws {
        try writeRow(nextRow, cells, height: height, hidden: hidden)
    }

    /// Writes `cells` into zero-based `row` from zero-based `firstColumn`; nil leaves a cell empty.
    ///
    /// Rows must be written in increasing order (`row >= nextRow`); rows skipped stay empty. An invalid cell
    /// (text over 32,767 characters, NaN, a column past XFD, an unknown style) rejects the whole row.
    public func writeRow(
        _ row: Int, _ cells: [XLSXWriter.Cell?], firstColumn: Int = 0, height: Double? = nil, hidden: Bool = false
    ) throws {
        let workbook = try requireOpen("write a row")
        guard row >= 0, row < A1.rowCount else {
            throw error(.invalidCellReference, "row \(row + 1) is outside Excel's rows 1 to 1,048,576")
        }
        guard row >= nextRow else {
            throw error(
                .invalidArgument,
                "row \(row + 1) comes after row \(nextRow) was written: write rows in increasing order",
                cell: A1.cell(row: row, column: max(firstColumn, 0)))
        }
        guard firstColumn >= 0, firstColumn + cells.count <= A1.columnCount else {
            let last = firstColumn + cells.count - 1
            throw error(
                .invalidCellReference, "the row reaches column \(last + 1), past Excel's last column XFD (16,384)",
                cell: firstColumn >= 0 && last < 1_000_000 ? "row \(row + 1)" : nil)
        }
        if let height, !(height >= 0 && height <= 409) {
            throw error(
                .invalidArgument, "the row height must be 0 to 409 points", cell: A1.cell(row: row, column: firstColumn)
            )
        }
        try validate(cells, row: row, firstColumn: firstColumn, workbook: workbook)
        let hasCells = cells.contains { $0 != nil && !($0?.value == .blank && $0?.style == nil) }
        if hasCells || height != nil || hidden {
            rowDigits.removeAll(keepingCapacity: true)
            XMLBuffer.appendDigits(of: row + 1, to: &rowDigits)
            xml.raw("<row r=\"")
            xml.append(rowDigits)
            xml.raw("\"")
            if let height {
                xml.attribute("ht", number: height)
            }
            if hidden { xml.raw(" hidden=\"1\"") }
            if height != nil { xml.raw(" customHeight=\"1\"") }
            if hasCells {
                xml.raw(">")
                for (offset, cell) in cells.enumerated() {
                    guard let cell, cell.value != .blank || cell.style != nil else { continue }
                    try write(cell, column: firstColumn + offset, workbook: workbook)
                }
                xml.raw("</row>")
            } else {
                xml.raw("/>")
            }
        }
        nextRow = row + 1
        if xml.count >= XLSXWorksheetWriter.flushThreshold {
            try flushBuffer(workbook)
        }
    }

    /// Rejects a row with any invalid cell before a byte of it is written.
    private func validate(_ cells: [XLSXWriter.Cell?], row: Int, firstColumn: Int, workbook: XLSXWriter) throws {
        for (offset, cell) in cells.enumerated() {
            guard let cell else { continue }
            let reference = { A1.cell(row: row, column: firstColumn + offset) }
            if let style = cell.style, !workbook.styles.contains(style) {
                throw error(
                    .invalidArgument, "\(style) was not registered with this writer's addStyle", cell: reference())
            }
            switch cell.value {
            case .string(let text):
                let guarded = workbook.options.guardFormulaText && XLSXWriter.startsLikeFormula(text)
                try checkText(text, extra: guarded ? 1 : 0, cell: reference)
            case .number(let number):
                guard number.isFinite else {
                    throw error(
                        .invalidValue, "the number is NaN or infinite, which Excel cannot hold", cell: reference())
                }
            case .formula(let formula, let cached):
                let body = formula.hasPrefix("=") ? String(formula.dropFirst()) : formula
                guard !body.isEmpty, body.utf16.count <= 8192 else {
                    throw error(.invalidValue, "a formula must have 1 to 8,192 characters", cell: reference())
                }
                switch cached {
                case .number(let number)?:
                    guard number.isFinite else {
                        throw error(.invalidValue, "the formula's cached result is NaN or infinite", cell: reference())
                    }
                case .string(let text)?:
                    try checkText(text, cell: reference)
                default:
                    break
                }
            case .bool, .dateTime, .blank:
                break
            }
        }
    }

    private func checkText(_ text: String, extra: Int = 0, cell: () -> String) throws {
        // UTF-16 never has more code units than UTF-8 has bytes: count them only for long texts.
        guard text.utf8.count + extra > 32_767 else { return }
        let length = text.utf16.count + extra
        guard length <= 32_767 else {
            throw error(
                .invalidValue,
                "the text has \(length) characters, more than the 32,767 an Excel cell can hold: shorten or split it",
                cell: cell())
        }
    }

    private func write(_ cell: XLSXWriter.Cell, column: Int, workbook: XLSXWriter) throws {
        var style = cell.style
        if case .dateTime(let date) = cell.value {
            style = try workbook.styles.dateStyle(for: style, withTime: date.hasTime)
        }
        xml.raw("<c r=\"")
        appendColumnName(column)
        xml.append(rowDigits)
        xml.raw("\"")
        if let style, style.index != 0 {
            xml.raw(" s=\"")
            xml.integer(style.index)
            xml.raw("\"")
        }
        switch cell.value {
        case .string(var text):
            if workbook.options.guardFormulaText && XLSXWriter.startsLikeFormula(text) { text = "'" + text }
            if workbook.options.sharedStrings {
                xml.raw(" t=\"s\"><v>")
                xml.integer(workbook.sharedStrings.index(of: text))
                xml.raw("</v></c>")
            } else {
                if XMLBuffer.needsPreserve(text) {
                    xml.raw(" t=\"inlineStr\"><is><t xml:space=\"preserve\">")
                } else {
                    xml.raw(" t=\"inlineStr\"><is><t>")
                }
                xml.text(text)
                xml.raw("</t></is></c>")
            }
        case .number(let number):
            xml.raw("><v>")
            xml.number(number)
            xml.raw("</v></c>")
        case .bool(let flag):
            xml.raw(flag ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>")
        case .dateTime(let date):
            xml.raw("><v>")
            xml.number(date.serial)
            xml.raw("</v></c>")
        case .formula(let formula, let cached):
            let body = formula.hasPrefix("=") ? String(formula.dropFirst()) : formula
            switch cached {
            case .string?: xml.raw(" t=\"str\"")
            case .bool?: xml.raw(" t=\"b\"")
            default: break
            }
            xml.raw("><f>")
            xml.text(body)
            xml.raw("</f>")
            switch cached {
            case .number(let number)?:
                xml.raw("<v>")
                xml.raw(XMLBuffer.number(number))
                xml.raw("</v>")
            case .string(let text)?:
                xml.raw("<v>")
                xml.text(text)
                xml.raw("</v>")
            case .bool(let flag)?:
                xml.raw(flag ? "<v>1</v>" : "<v>0</v>")
            case nil:
                break
            }
            xml.raw("</c>")
        case .blank:
            xml.raw("/>")
        }
    }

    private func flushBuffer(_ workbook: XLSXWriter) throws {
        guard !xml.isEmpty else { return }
        try xml.withBytes { try workbook.zip.write($0) }
        xml.removeAll()
    }

    // MARK: - Finish

    /// Writes everything after `<sheetData>` and ends the entry; the sheet cannot change afterwards.
    func finish() throws {
        guard isOpen, let workbook else { return }
        isOpen = false
        xml.raw("</sheetData>")
        if let protection { writeProtection(protection) }
        if let autoFilter {
            xml.raw("<autoFilter")
            xml.attribute("ref", autoFilter)
            xml.raw("/>")
        }
        if !merges.isEmpty {
            xml.raw("<mergeCells")
            xml.attribute("count", merges.count)
            xml.raw(">")
            for merge in merges {
                xml.raw("<mergeCell")
                xml.attribute(
                    "ref",
                    A1.range(
                        firstRow: merge.firstRow, firstColumn: merge.firstColumn, lastRow: merge.lastRow,
                        lastColumn: merge.lastColumn))
                xml.raw("/>")
            }
            xml.raw("</mergeCells>")
        }
        if !validations.isEmpty {
            xml.raw("<dataValidations")
            xml.attribute("count", validations.count)
            xml.raw(">")
            for (validation, sqref) in validations { write(validation, sqref: sqref) }
            xml.raw("</dataValidations>")
        }
        if !hyperlinks.isEmpty {
            xml.raw("<hyperlinks>")
            for link in hyperlinks {
                xml.raw("<hyperlink")
                xml.attribute("ref", link.cell)
                xml.attribute("location", link.location)
                if let display = link.display { xml.attribute("display", display) }
                if let tooltip = link.tooltip { xml.attribute("tooltip", tooltip) }
                xml.raw("/>")
            }
            xml.raw("</hyperlinks>")
        }
        let setup = options.pageSetup
        if setup.centerHorizontally || setup.printGridLines {
            xml.raw("<printOptions")
            if setup.centerHorizontally { xml.raw(" horizontalCentered=\"1\"") }
            if setup.printGridLines { xml.raw(" gridLines=\"1\"") }
            xml.raw("/>")
        }
        xml.raw("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>")
        if setup.paperSize != nil || setup.orientation != nil || setup.fitToPages != nil {
            xml.raw("<pageSetup")
            if let paper = setup.paperSize { xml.attribute("paperSize", paper) }
            if let fit = setup.fitToPages {
                xml.attribute("fitToWidth", fit.wide)
                xml.attribute("fitToHeight", fit.tall)
            }
            if let orientation = setup.orientation { xml.attribute("orientation", orientation.rawValue) }
            xml.raw("/>")
        }
        if !tables.isEmpty {
            xml.raw("<tableParts")
            xml.attribute("count", tables.count)
            xml.raw(">")
            for offset in tables.indices {
                xml.raw("<tablePart")
                xml.attribute("r:id", "rId\(offset + 1)")
                xml.raw("/>")
            }
            xml.raw("</tableParts>")
        }
        xml.raw("</worksheet>")
        try flushBuffer(workbook)
        try workbook.zip.endEntry()
        try writeTables(workbook)
        xml = XMLBuffer()
        columnNames = []
    }

    /// Writes the table parts and the sheet's relationships to them, once the sheet's rows are known.
}
