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
    @exclusivity(unchecked) private var xml = XMLBuffer(capacity: XLSXWorksheetWriter.flushThreshold + 4096)
    /// Column letters as UTF-8, by column, filled as columns are first used.
    @exclusivity(unchecked) private var columnNames: [[UInt8]] = []
    /// The current row's number as UTF-8.
    @exclusivity(unchecked) private var rowDigits: [UInt8] = []
    private(set) var autoFilter: String?
    private var merges: [(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int)] = []
    private var validations: [(validation: XLSXWriter.DataValidation, sqref: String)] = []
    private var hyperlinks: [(cell: String, location: String, display: String?, tooltip: String?)] = []
    private var protection: XLSXWriter.SheetProtection?
    private var cellsWithHyperlinks: Set<String> = []
    /// Tables begun on this sheet: the table, its workbook-wide id and its header row; each ends where the next
    /// begins, the last at the last row written.
    private var tables: [(table: XLSXWriter.Table, id: Int, headerRow: Int)] = []

    static let flushThreshold = 1 << 16

    init(workbook: XLSXWriter, name: String, index: Int, options: XLSXWriter.SheetOptions, tabSelected: Bool) {
        self.workbook = workbook
        self.name = name
        self.index = index
        self.options = options
        self.tabSelected = tabSelected
        partName = "xl/worksheets/sheet\(index + 1).xml"
    }

    private func error(_ code: SpreadsheetError.Code, _ message: String, cell: String? = nil) -> SpreadsheetError {
        SpreadsheetError(code, message, part: partName, sheet: name, cell: cell)
    }

    private func requireOpen(_ what: String) throws -> XLSXWriter {
        guard isOpen, let workbook, workbook.isUsable else {
            throw error(
                .invalidArgument,
                "cannot \(what): the sheet is finished (a later sheet was started or the workbook was closed); "
                    + "add everything for a sheet before starting the next")
        }
        return workbook
    }

    private func appendColumnName(_ column: Int) {
        while columnNames.count <= column { columnNames.append(Array(A1.column(columnNames.count).utf8)) }
        xml.bytes.append(contentsOf: columnNames[column])
    }

    // MARK: - Start

    /// Checks the creation-time settings; throws before anything is written.
    static func validate(_ options: XLSXWriter.SheetOptions, sheet name: String) throws {
        func fail(_ message: String) -> SpreadsheetError {
            SpreadsheetError(.invalidArgument, message, sheet: name)
        }
        guard (0..<A1.rowCount).contains(options.frozenRows), (0..<A1.columnCount).contains(options.frozenColumns)
        else {
            throw fail("frozen rows and columns must lie inside the sheet (0 to 1,048,575 rows, 0 to 16,383 columns)")
        }
        if let zoom = options.zoom, !(10...400).contains(zoom) {
            throw fail("the zoom \(zoom)% is outside Excel's 10% to 400%")
        }
        if let height = options.defaultRowHeight, !(height > 0 && height <= 409) {
            throw fail("the default row height must be more than 0 and at most 409 points")
        }
        if let dimension = options.dimension, A1.parseRange(dimension) == nil {
            throw fail("the dimension '\(dimension)' is not a range such as A1:H200 inside A1:XFD1048576")
        }
        if let cell = options.frozenTopLeftCell, A1.parseCell(Substring(cell)) == nil {
            throw fail("the frozen panes' top-left cell '\(cell)' is not a cell such as D12 inside A1:XFD1048576")
        }
        if let fit = options.pageSetup.fitToPages, !(0...32_767).contains(fit.wide) || !(0...32_767).contains(fit.tall)
        {
            throw fail("fit to pages needs 0 to 32,767 pages wide and tall (0: as many as needed)")
        }
        if let paper = options.pageSetup.paperSize, !(1...118).contains(paper) {
            throw fail("the paper size \(paper) is not one of Excel's paper codes (1 to 118; A4 is 9)")
        }
        if let rows = options.pageSetup.repeatedRows, rows.lowerBound < 0 || rows.upperBound >= A1.rowCount {
            throw fail("the repeated rows must lie inside the sheet")
        }
        var previousLast = -1
        for column in options.columns.sorted(by: { $0.first < $1.first }) {
            guard column.first >= 0, column.first <= column.last, column.last < A1.columnCount else {
                throw fail(
                    "the column run \(column.first)...\(column.last) is not inside columns 0 to 16,383 (A to XFD)")
            }
            guard column.first > previousLast else {
                throw fail(
                    "column \(A1.column(column.first)) is given more than one width or style: runs must not overlap")
            }
            if let width = column.width, !(0...255).contains(width) {
                throw fail("the width of column \(A1.column(column.first)) must be 0 to 255 characters")
            }
            previousLast = column.last
        }
    }

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
            xml.bytes.append(contentsOf: rowDigits)
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
        if xml.bytes.count >= XLSXWorksheetWriter.flushThreshold {
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
        xml.bytes.append(contentsOf: rowDigits)
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
        guard !xml.bytes.isEmpty else { return }
        try workbook.zip.write(xml.bytes)
        xml.bytes.removeAll(keepingCapacity: true)
    }

    // MARK: - After the rows

    private func parseRange(_ text: String, what: String) throws -> (Int, Int, Int, Int) {
        guard let range = A1.parseRange(text) else {
            throw error(
                .invalidCellReference, "the \(what) '\(text)' is not a range such as B2:D9 inside A1:XFD1048576")
        }
        return range
    }

    /// Adds an autofilter (drop-down filter buttons) on the header row of `range`, e.g. `A1:F1` or `A1:F200`.
    public func setAutoFilter(_ range: String) throws {
        _ = try requireOpen("set the autofilter")
        guard tables.isEmpty else {
            throw error(
                .invalidArgument, "the sheet has a table, which brings its own filter buttons: set no autofilter")
        }
        let (r1, c1, r2, c2) = try parseRange(range, what: "autofilter range")
        autoFilter = A1.range(firstRow: r1, firstColumn: c1, lastRow: r2, lastColumn: c2)
    }

    /// Writes `table`'s header row as the next row and starts the table there; it takes in every row written
    /// below it until the next table begins or the sheet finishes (at least one row, empty if none is written).
    ///
    /// The table brings its own filter buttons, so a sheet with tables has no sheet autofilter. Throws, writing
    /// nothing, for an invalid or taken name, duplicate or formula-like column names, or a sheet autofilter.
    public func beginTable(_ table: XLSXWriter.Table, headerStyle: XLSXWriter.StyleID? = nil) throws {
        let workbook = try requireOpen("begin a table")
        guard autoFilter == nil else {
            throw error(
                .invalidArgument, "the sheet has an autofilter; a table brings its own filter buttons: drop one")
        }
        do {
            try XLSXTableWriter.validate(table, taken: workbook.takenTableNames, sheet: name)
        } catch var failure as SpreadsheetError {
            failure.part = partName
            throw failure
        }
        if let last = tables.last, nextRow <= last.headerRow + 1 {
            throw error(
                .invalidArgument,
                "the table '\(last.table.name)' needs at least one row below its header before the next table begins")
        }
        let header = table.columns.map { XLSXWriter.Cell(.string($0), style: headerStyle) }
        try writeRow(nextRow, header, firstColumn: table.firstColumn)
        let id = workbook.registerTable(table.name)
        tables.append((table, id, nextRow - 1))
    }

    /// Merges the cells of `range` (e.g. `B2:D2`) into one; the top-left cell's value shows.
    ///
    /// Merged ranges must not overlap each other (Excel would report the file as damaged).
    public func mergeCells(_ range: String) throws {
        _ = try requireOpen("merge cells")
        let (r1, c1, r2, c2) = try parseRange(range, what: "merge range")
        guard r1 != r2 || c1 != c2 else {
            throw error(.invalidArgument, "the merge range '\(range)' is a single cell: merge at least two cells")
        }
        for merge in merges
        where r1 <= merge.lastRow && merge.firstRow <= r2 && c1 <= merge.lastColumn
            && merge.firstColumn <= c2
        {
            let other = A1.range(
                firstRow: merge.firstRow, firstColumn: merge.firstColumn, lastRow: merge.lastRow,
                lastColumn: merge.lastColumn)
            throw error(.invalidArgument, "the merge range '\(range)' overlaps the merged range \(other)")
        }
        merges.append((r1, c1, r2, c2))
    }

    /// Adds a data validation to `ranges`: one range or several separated by spaces (`B2:B40 D2:D40`).
    public func addDataValidation(_ validation: XLSXWriter.DataValidation, to ranges: String) throws {
        _ = try requireOpen("add a data validation")
        let parts = ranges.split(separator: " ")
        guard !parts.isEmpty else {
            throw error(.invalidCellReference, "the data validation has no range: give one such as B2:B40")
        }
        var sqref: [String] = []
        for part in parts {
            let (r1, c1, r2, c2) = try parseRange(String(part), what: "data validation range")
            sqref.append(A1.range(firstRow: r1, firstColumn: c1, lastRow: r2, lastColumn: c2))
        }
        let place = sqref.joined(separator: " ")
        func limit(_ text: String?, _ maximum: Int, _ what: String) throws {
            if let text, text.utf16.count > maximum {
                throw error(
                    .invalidArgument,
                    "the data validation's \(what) has \(text.utf16.count) characters; Excel allows at most \(maximum)",
                    cell: place)
            }
        }
        try limit(validation.inputTitle, 32, "input title")
        try limit(validation.inputMessage, 255, "input message")
        try limit(validation.errorTitle, 32, "error title")
        try limit(validation.errorMessage, 255, "error message")
        switch validation.rule {
        case .list(let values):
            guard !values.isEmpty else {
                throw error(.invalidArgument, "the validation list is empty: give at least one value", cell: place)
            }
            if values.contains(where: { $0.contains(",") }) {
                throw error(
                    .invalidArgument,
                    "a value of the validation list contains a comma, which Excel reads as a separator: "
                        + "put the values on a (hidden) sheet and use listFromRange",
                    cell: place)
            }
            let length = values.joined(separator: ",").utf16.count
            guard length <= 255 else {
                throw error(
                    .invalidArgument,
                    "the validation list has \(length) characters with its commas; Excel allows at most 255: "
                        + "put the values on a (hidden) sheet and use listFromRange",
                    cell: place)
            }
        case .listFromRange(let formula), .custom(let formula):
            let body = formula.hasPrefix("=") ? formula.dropFirst() : Substring(formula)
            guard !body.isEmpty, body.utf16.count <= 255 else {
                throw error(.invalidArgument, "the validation formula must have 1 to 255 characters", cell: place)
            }
        case .wholeNumber(let min, let max):
            guard min <= max else {
                throw error(
                    .invalidArgument, "the validation's minimum \(min) is above its maximum \(max)", cell: place)
            }
        case .decimal(let min, let max):
            guard min.isFinite, max.isFinite, min <= max else {
                throw error(
                    .invalidArgument, "the validation's bounds must be finite with minimum ≤ maximum", cell: place)
            }
        case .textLength(let max):
            guard max >= 0 else {
                throw error(.invalidArgument, "the validation's text length must not be negative", cell: place)
            }
        }
        validations.append((validation, place))
    }

    /// Makes `cell` (e.g. `A5`) a link to a place in the workbook, e.g. `'Lister'!A1` or a defined name.
    ///
    /// Only links inside the workbook are supported; they need no relationship part.
    public func addHyperlink(at cell: String, to location: String, display: String? = nil, tooltip: String? = nil)
        throws
    {
        _ = try requireOpen("add a hyperlink")
        guard let (row, column) = A1.parseCell(Substring(cell)) else {
            throw error(
                .invalidCellReference, "the hyperlink cell '\(cell)' is not a cell such as A5 inside A1:XFD1048576")
        }
        let reference = A1.cell(row: row, column: column)
        let target = location.hasPrefix("#") ? String(location.dropFirst()) : location
        guard !target.isEmpty, target.utf16.count <= 255 else {
            throw error(.invalidArgument, "the hyperlink's location must have 1 to 255 characters", cell: reference)
        }
        if let tooltip, tooltip.utf16.count > 255 {
            throw error(.invalidArgument, "the hyperlink's tooltip has more than 255 characters", cell: reference)
        }
        guard cellsWithHyperlinks.insert(reference).inserted else {
            throw error(.invalidArgument, "the cell already has a hyperlink", cell: reference)
        }
        hyperlinks.append((reference, target, display, tooltip))
    }

    /// Protects the sheet: locked cells cannot be edited, cells whose style is unlocked can.
    public func protect(_ protection: XLSXWriter.SheetProtection = XLSXWriter.SheetProtection()) throws {
        _ = try requireOpen("protect the sheet")
        if let password = protection.password, password.isEmpty || password.count > 255 {
            throw error(.invalidArgument, "the sheet password must have 1 to 255 characters (or be nil for none)")
        }
        self.protection = protection
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
    private func writeTables(_ workbook: XLSXWriter) throws {
        guard !tables.isEmpty else { return }
        for (offset, entry) in tables.enumerated() {
            let end = offset + 1 < tables.count ? tables[offset + 1].headerRow - 1 : nextRow - 1
            let range = A1.range(
                firstRow: entry.headerRow, firstColumn: entry.table.firstColumn,
                lastRow: max(end, entry.headerRow + 1),
                lastColumn: entry.table.firstColumn + entry.table.columns.count - 1)
            try workbook.zip.addEntry(
                XLSXTableWriter.partName(id: entry.id),
                contents: XLSXTableWriter.xml(entry.table, id: entry.id, range: range))
        }
        try workbook.zip.addEntry(
            XLSXTableWriter.relationshipsPartName(sheetPartName: partName),
            contents: XLSXTableWriter.relationshipsXML(tableIDs: tables.map(\.id)))
    }

    private func writeProtection(_ protection: XLSXWriter.SheetProtection) {
        xml.raw("<sheetProtection")
        if let password = protection.password {
            xml.attribute("password", XLSXWriter.SheetProtection.legacyHash(password))
        }
        xml.raw(" sheet=\"1\" objects=\"1\" scenarios=\"1\"")
        // These attributes say what is protected: "0" allows the action.
        if protection.allowFormattingCells { xml.raw(" formatCells=\"0\"") }
        if protection.allowFormattingColumns { xml.raw(" formatColumns=\"0\"") }
        if protection.allowFormattingRows { xml.raw(" formatRows=\"0\"") }
        if !protection.allowSelectingLockedCells { xml.raw(" selectLockedCells=\"1\"") }
        if protection.allowSorting { xml.raw(" sort=\"0\"") }
        if protection.allowAutoFilter { xml.raw(" autoFilter=\"0\"") }
        if !protection.allowSelectingUnlockedCells { xml.raw(" selectUnlockedCells=\"1\"") }
        xml.raw("/>")
    }

    private func write(_ validation: XLSXWriter.DataValidation, sqref: String) {
        xml.raw("<dataValidation")
        var formula1: String
        var formula2: String?
        switch validation.rule {
        case .list(let values):
            xml.raw(" type=\"list\"")
            formula1 = "\"" + values.joined(separator: ",").replacingAll("\"", with: "\"\"") + "\""
        case .listFromRange(let formula):
            xml.raw(" type=\"list\"")
            formula1 = formula.hasPrefix("=") ? String(formula.dropFirst()) : formula
        case .wholeNumber(let min, let max):
            xml.raw(" type=\"whole\"")
            formula1 = String(min)
            formula2 = String(max)
        case .decimal(let min, let max):
            xml.raw(" type=\"decimal\"")
            formula1 = XMLBuffer.number(min)
            formula2 = XMLBuffer.number(max)
        case .textLength(let max):
            xml.raw(" type=\"textLength\" operator=\"lessThanOrEqual\"")
            formula1 = String(max)
        case .custom(let formula):
            xml.raw(" type=\"custom\"")
            formula1 = formula.hasPrefix("=") ? String(formula.dropFirst()) : formula
        }
        if validation.errorStyle != .stop { xml.attribute("errorStyle", validation.errorStyle.rawValue) }
        if validation.allowBlank { xml.raw(" allowBlank=\"1\"") }
        xml.raw(" showInputMessage=\"1\" showErrorMessage=\"1\"")
        if let title = validation.errorTitle { xml.attribute("errorTitle", title) }
        if let message = validation.errorMessage { xml.attribute("error", message) }
        if let title = validation.inputTitle { xml.attribute("promptTitle", title) }
        if let message = validation.inputMessage { xml.attribute("prompt", message) }
        xml.attribute("sqref", sqref)
        xml.raw("><formula1>")
        xml.text(formula1)
        xml.raw("</formula1>")
        if let formula2 {
            xml.raw("<formula2>")
            xml.text(formula2)
            xml.raw("</formula2>")
        }
        xml.raw("</dataValidation>")
    }
}
