internal import CLibXML2

/// Streams the rows of one worksheet part, resolving shared strings and date styles.
final class WorksheetReader: SAXHandler {
    enum CellType: UInt8 { case number, sharedString, inlineString, formulaString, bool, error, isoDate }
    enum Capture: UInt8 { case none, value, inlineText, formula, validationFormula, sqref }

    let sharedStrings: [String]
    let dateKinds: [ExcelDateTime.Kind?]
    let date1904: Bool
    private let wantFormulas: Bool
    private let limits: ReadLimits

    // Row and cell state. Only this reader touches it, on one thread: no dynamic exclusivity checks needed.
    @exclusivity(unchecked) var rowNumber = 0
    @exclusivity(unchecked) private var rowHasNumber = false
    @exclusivity(unchecked) private var nextColumn = 1
    @exclusivity(unchecked) var column = 1
    @exclusivity(unchecked) var cellType = CellType.number
    @exclusivity(unchecked) var style = 0
    @exclusivity(unchecked) private var inCell = false
    @exclusivity(unchecked) private var inInlineString = false
    @exclusivity(unchecked) private var phoneticDepth = 0
    @exclusivity(unchecked) private var hasValue = false
    @exclusivity(unchecked) private var hasInline = false
    @exclusivity(unchecked) var capture = Capture.none
    @exclusivity(unchecked) private var value = ByteBuffer(capacity: 64)
    @exclusivity(unchecked) private var inline = ByteBuffer()
    @exclusivity(unchecked) var formula = ByteBuffer()
    @exclusivity(unchecked) private var cells: [Cell] = []
    /// Whether a cell of the current row came after one at or beyond its column (never in a file a spreadsheet
    /// program wrote): the row's cells are put in column order when it ends.
    @exclusivity(unchecked) private var cellsOutOfOrder = false
    /// Whether a `<row>` is open; cells outside any (never in a file a spreadsheet program wrote) are a row of
    /// their own.
    @exclusivity(unchecked) private var inRow = false
    /// The number of the last row completed with values: a row must come after it (see ``endRow()``).
    @exclusivity(unchecked) private var lastCompletedRow = 0

    /// Whether row numbers are known: false for a segment of a sheet parsed in parallel until its first row (or cell)
    /// with a reference; rows numbered before that count from the segment's start and are rebased later.
    @exclusivity(unchecked) private(set) var anchored = true
    /// Rows emitted while not anchored (numbered relative to the segment's start).
    @exclusivity(unchecked) private(set) var relativeRows = 0
    /// The number of the last row seen (absolute when anchored).
    var lastRowNumber: Int { rowNumber }
    // Formula state, touched only when formulas were asked for.
    struct SharedFormula {
        var text: String
        /// The master cell, where the text is written; the children's offsets count from it.
        var row: Int
        var column: Int
    }
    @exclusivity(unchecked) var hasFormula = false
    /// Whether the current cell has an `<f>` element, noted even when formulas were not asked for.
    @exclusivity(unchecked) private var sawFormula = false
    /// Cells with a formula but no cached result (as openpyxl and scripts write them): the reader cannot know their
    /// value. `relative` rows were numbered before this segment was anchored (see ``relativeRows``).
    var formulasWithoutValue: [(row: Int, column: Int, relative: Bool)] = []
    var formulaSharedIndex: Int?
    var sharedFormulas: [Int: SharedFormula] = [:]

    /// Rows completed since the row reader last took them.
    @exclusivity(unchecked) var completed: [Row] = []
    /// The number of non-empty cells read so far.
    @exclusivity(unchecked) private(set) var cellCount = 0

    // What follows sheetData.
    private(set) var mergedRanges: [CellRange] = []
    private(set) var dataValidations: [DataValidation] = []
    private(set) var dimension: CellRange?
    private(set) var isProtected = false
    private var validation: DataValidation?
    private var validationFormulaIndex = 0
    private var text = ByteBuffer()

    init(
        sharedStrings: [String], dateKinds: [ExcelDateTime.Kind?], date1904: Bool, wantFormulas: Bool,
        limits: ReadLimits, anchored: Bool = true
    ) {
        self.anchored = anchored
        self.sharedStrings = sharedStrings
        self.dateKinds = dateKinds
        self.date1904 = date1904
        self.wantFormulas = wantFormulas
        self.limits = limits
    }

    deinit {
        value.free()
        inline.free()
        formula.free()
        text.free()
    }

    var reference: String { CellAddress(row: max(rowNumber, 1), column: column).description }

    private func invalid(_ message: String) -> SpreadsheetError {
        SpreadsheetError(.invalidCellReference, message, cell: rowNumber > 0 ? reference : nil)
    }

    // MARK: SAX events

    // Inlined into the specialised callbacks (see `callbacks`): one call fewer per element.
    @inline(__always)
    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        let local = name.local
        // Hot path first: <c>, <v>, <row>.
        if local[0] == UInt8(ascii: "c") && local[1] == 0 {
            try startCell(attributes)
            return
        }
        if local[0] == UInt8(ascii: "v") && local[1] == 0 {
            if inCell {
                capture = .value
                value.removeAll()
                hasValue = true
            }
            return
        }
        if name.is("row") {
            try startRow(attributes)
            return
        }
        if inCell {
            if local[0] == UInt8(ascii: "f") && local[1] == 0 {
                sawFormula = true
                if wantFormulas { startFormula(attributes) }
            } else if name.is("is") {
                inInlineString = true
                hasInline = true
                inline.removeAll()
            } else if name.is("t") {
                if inInlineString && phoneticDepth == 0 { capture = .inlineText }
            } else if name.is("rPh") {
                phoneticDepth += 1
            }
            return
        }
        if name.is("mergeCell") {
            if let ref = attributes.string("ref"), let range = CellRange(ref) {
                mergedRanges.append(range)
                if mergedRanges.count > 1_000_000 {
                    throw SpreadsheetError(.limitExceeded, "the sheet declares more than a million merged ranges")
                }
            }
        } else if name.is("dimension") {
            dimension = attributes.string("ref").flatMap { CellRange($0) }
        } else if name.is("sheetProtection") {
            let sheet = attributes.string("sheet")
            isProtected = sheet == "1" || sheet == "true"
        } else if name.is("dataValidation") {
            var rule = DataValidation(
                type: attributes.string("type") ?? "none", ranges: [], formula1: nil, formula2: nil,
                allowBlank: attributes.string("allowBlank").map { $0 == "1" || $0 == "true" } ?? false)
            if let sqref = attributes.raw("sqref") { rule.ranges = Self.ranges(sqref) }
            validation = rule
            if dataValidations.count > 100_000 {
                throw SpreadsheetError(.limitExceeded, "the sheet declares more than 100,000 data validations")
            }
        } else if validation != nil {
            if name.is("formula1") || name.is("formula2") {
                validationFormulaIndex = name.is("formula1") ? 1 : 2
                capture = .validationFormula
                text.removeAll()
            } else if name.is("sqref") {
                capture = .sqref
                text.removeAll()
            }
        }
    }

    @inline(__always)
    override func endElement(_ name: XMLName) throws {
        let local = name.local
        if local[0] == UInt8(ascii: "v") && local[1] == 0 {
            if capture == .value { capture = .none }
            return
        }
        if local[0] == UInt8(ascii: "c") && local[1] == 0 {
            if inCell { try endCell() }
            return
        }
        if name.is("row") {
            try endRow()
            return
        }
        if inCell {
            if local[0] == UInt8(ascii: "f") && local[1] == 0 {
                if capture == .formula { capture = .none }
            } else if name.is("t") {
                if capture == .inlineText { capture = .none }
            } else if name.is("is") {
                inInlineString = false
            } else if name.is("rPh") {
                phoneticDepth -= 1
            }
            return
        }
        if name.is("sheetData") || name.is("worksheet") {
            // Cells outside any row (after the last one, or in a sheet without rows) are a row of their own.
            if !cells.isEmpty { try endRow() }
        } else if name.is("dataValidation") {
            if let rule = validation { dataValidations.append(rule) }
            validation = nil
        } else if capture == .validationFormula, name.is("formula1") || name.is("formula2") {
            let formula = text.string
            if validationFormulaIndex == 1 { validation?.formula1 = formula } else { validation?.formula2 = formula }
            capture = .none
        } else if capture == .sqref, name.is("sqref") {
            validation?.ranges = Self.ranges(text.bytes)
            capture = .none
        }
    }

    @inline(__always)
    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        switch capture {
        case .none:
            return
        case .value:
            value.append(bytes)
            if value.count > limits.maxCellBytes { throw tooLong() }
        case .inlineText:
            inline.append(bytes)
            if inline.count > limits.maxCellBytes { throw tooLong() }
        case .formula:
            formula.append(bytes)
            if formula.count > limits.maxCellBytes { throw tooLong() }
        case .validationFormula, .sqref:
            text.append(bytes)
            if text.count > 1 << 20 {
                throw SpreadsheetError(.limitExceeded, "a data validation's formula or range list is longer than 1 MiB")
            }
        }
    }

    @inline(never)
    private func tooLong() -> SpreadsheetError {
        SpreadsheetError(
            .limitExceeded, "the cell holds more than \(limits.maxCellBytes) bytes of text, far beyond Excel's own limit",
            cell: reference)
    }

    // MARK: Rows and cells

    private func startRow(_ attributes: XMLAttributes) throws {
        // Cells outside any row before this one are a row of their own, not dropped.
        if !cells.isEmpty { try endRow() }
        inRow = true
        if let raw = attributes.raw("r") {
            guard let number = ExcelText.index(raw), number >= 1, number <= CellAddress.maxRow else {
                throw SpreadsheetError(
                    .invalidCellReference,
                    "a row number is not between 1 and \(CellAddress.maxRow): the sheet is damaged; save it again in Excel")
            }
            rowNumber = number
            rowHasNumber = true
            anchored = true
        } else {
            rowNumber += 1
            rowHasNumber = false
            guard rowNumber <= CellAddress.maxRow || !anchored else {
                throw SpreadsheetError(.invalidCellReference, "the sheet has more than \(CellAddress.maxRow) rows")
            }
        }
        nextColumn = 1
        cells.removeAll(keepingCapacity: true)
        cellsOutOfOrder = false
    }

    private func endRow() throws {
        inRow = false
        if cellsOutOfOrder {
            cellsOutOfOrder = false
            try putCellsInOrder()
        }
        if !cells.isEmpty {
            if !anchored {
                relativeRows += 1
            } else if rowNumber <= lastCompletedRow {
                throw rowOutOfOrder()
            }
            lastCompletedRow = rowNumber
            completed.append(Row(number: max(rowNumber, 1), cells: cells))
            cells.removeAll(keepingCapacity: true)
        }
    }

    @inline(__always)
    private func startCell(_ attributes: XMLAttributes) throws {
        inCell = true
        hasValue = false
        sawFormula = false
        hasInline = false
        cellType = .number
        style = 0
        capture = .none
        if !inRow && cells.isEmpty {
            // The first cell outside any row starts a row of its own, numbered as a row without `r` would be
            // unless the cell's reference says otherwise.
            try startRow(XMLAttributes(base: nil, count: 0))
            inRow = false
        }
        var sawReference = false
        if let base = attributes.base {
            for i in 0..<attributes.count {
                let entry = base + 5 * i
                guard let localName = entry[0], let start = entry[3], let end = entry[4] else { continue }
                let bytes = UnsafeBufferPointer(start: start, count: end - start)
                switch (localName[0], localName[1]) {
                case (UInt8(ascii: "r"), 0):
                    try parseReference(bytes)
                    sawReference = true
                case (UInt8(ascii: "t"), 0):
                    cellType = Self.cellType(bytes)
                case (UInt8(ascii: "s"), 0):
                    style = ExcelText.index(bytes) ?? 0
                default:
                    break
                }
            }
        }
        if !sawReference {
            column = nextColumn
            guard column <= CellAddress.maxColumn else { throw tooManyColumns() }
        }
        nextColumn = column + 1
    }

    /// Parses the `r` attribute of a cell: letters then digits, e.g. `AB12`.
    @inline(__always)
    private func parseReference(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        // Wrapping arithmetic: each loop stops once its number passes Excel's limit, long before an overflow.
        var i = 0
        var col = 0
        while i < bytes.count {
            let letter = (bytes[i] | 0x20) &- UInt8(ascii: "a")
            guard letter < 26 else { break }
            col = col &* 26 &+ Int(letter) &+ 1
            i &+= 1
            if col > CellAddress.maxColumn { break }
        }
        var row = 0
        let digitsStart = i
        while i < bytes.count, bytes[i] &- 48 < 10, row <= CellAddress.maxRow {
            row = row &* 10 &+ Int(bytes[i] &- 48)
            i &+= 1
        }
        guard col >= 1, col <= CellAddress.maxColumn, i == bytes.count, i > digitsStart, row >= 1,
            row <= CellAddress.maxRow
        else { throw invalidReference() }
        column = col
        // Rows without r take their number from their first cell.
        if !rowHasNumber && cells.isEmpty && (row != rowNumber || !anchored) {
            rowNumber = row
            anchored = true
        }
    }


    // The errors of the per-cell events, made out of line: built inline, their strings and locations gave every
    // cell's event a larger stack frame and more registers to save.

    @inline(never)
    private func tooManyColumns() -> SpreadsheetError {
        invalid("the row has more than \(CellAddress.maxColumn) columns")
    }

    @inline(never)
    private func invalidReference() -> SpreadsheetError {
        SpreadsheetError(
            .invalidCellReference,
            "a cell reference is not a valid address within A1:XFD1048576: the sheet is damaged; save it again in Excel",
            cell: rowNumber > 0 ? CellAddress(row: rowNumber, column: nextColumn).description : nil)
    }

    /// A row numbered at or before one already read: no spreadsheet program writes rows out of order, and a row given
    /// twice could hold two values at one cell. Refused rather than put in order, so that nothing is read at the
    /// wrong place or taken from one of two cells (``RowReader`` checks the same across a sheet's parallel segments).
    @inline(never)
    private func rowOutOfOrder() -> SpreadsheetError {
        SpreadsheetError.rowOutOfOrder(rowNumber, after: lastCompletedRow, column: cells.first?.column ?? 1)
    }

    /// Sorts the row's cells by column; two cells at one reference are refused, as neither can be taken for the
    /// value the sheet holds there.
    private func putCellsInOrder() throws {
        cells.sort { $0.column < $1.column }
        for k in cells.indices.dropFirst() where cells[k].column == cells[k - 1].column {
            throw SpreadsheetError(
                .invalidCellReference,
                "the sheet holds two cells at the same reference, so which value it holds there is unknown: the "
                    + "sheet is damaged; open it in Excel, check the cell and save it again",
                cell: CellAddress(row: max(rowNumber, 1), column: cells[k].column).description)
        }
    }

    @inline(__always)
    private func endCell() throws {
        inCell = false
        capture = .none
        let cellValue: CellValue?
        if hasInline && (cellType == .inlineString || !hasValue) {
            cellValue = .string(ExcelText.string(inline.bytes))
        } else if hasValue && !(sawFormula && value.isEmpty && cellType != .formulaString) {
            // An empty `<v>` after a formula is no result (openpyxl writes `<v></v>`), except for a formula typed
            // as text (`t="str"`), whose result may be the empty string.
            cellValue = try convert(value.bytes)
        } else {
            cellValue = nil
        }
        if sawFormula && cellValue == nil {
            formulasWithoutValue.append((max(rowNumber, 1), column, !anchored))
        }
        // Resolved even for a cell without a value: a shared formula's master must be remembered.
        let formulaText = hasFormula ? endFormula() : nil
        guard let cellValue else { return }
        if let last = cells.last, last.column >= column { cellsOutOfOrder = true }
        cells.append(Cell(column: column, value: cellValue, formula: formulaText))
        cellCount += 1
    }
}
