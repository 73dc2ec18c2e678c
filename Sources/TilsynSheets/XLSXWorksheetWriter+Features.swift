/// What a sheet carries besides its rows: an autofilter, tables, merged cells, data validation, hyperlinks and
/// protection, each checked when it is added and written after the rows.
extension XLSXWorksheetWriter {
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


    func writeTables(_ workbook: XLSXWriter) throws {
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

    func writeProtection(_ protection: XLSXWriter.SheetProtection) {
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

    func write(_ validation: XLSXWriter.DataValidation, sqref: String) {
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
}
