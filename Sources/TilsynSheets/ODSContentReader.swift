#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The namespaces of OpenDocument attributes the content reader tells apart (`office:value-type` from
/// `calcext:value-type`).
enum ODSNamespace {
    static let office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    static let calcext = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

    /// Whether the attribute's namespace URI is exactly `uri`.
    @inline(__always)
    static func matches(_ pointer: UnsafePointer<UInt8>?, _ uri: StaticString) -> Bool {
        guard let pointer else { return false }
        let expected = UnsafeRawPointer(uri.utf8Start).assumingMemoryBound(to: CChar.self)
        return strcmp(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self), expected) == 0
    }
}

/// Streams `content.xml` of an OpenDocument spreadsheet.
///
/// Two uses: without a target sheet it collects what the workbook lists up front (sheet names, hidden sheets,
/// named ranges) and skips every cell; with a target sheet it hands out that sheet's rows as ``completed`` fills,
/// and stops once the sheet has ended.
///
/// Repeat counts (`number-columns-repeated`, `number-rows-repeated`) are numbers in the file, not bytes: a
/// thirteen-hundred-byte file can ask for a billion rows of a billion cells. Empty repeats only move the position
/// and cost nothing; every cell a repeat adds beyond the one written counts against
/// ``ReadLimits/maxRepeatedCells``, and a non-empty cell beyond XFD1048576 is refused.
final class ODSContentReader: SAXHandler {
    struct SheetEntry {
        var name: String
        var styleName: String?
    }

    private let limits: ReadLimits
    private let wantFormulas: Bool
    /// The 0-based sheet whose rows are wanted; nil to collect the sheet list only.
    private let target: Int?

    // The workbook's metadata.
    private(set) var sheets: [SheetEntry] = []
    /// The table styles that hide a sheet (`table:display="false"`).
    private(set) var hiddenStyles: Set<String> = []
    private(set) var definedNames: [DefinedName] = []
    private var pendingTableStyle: String?

    // Position.
    private var tableDepth = 0
    private var sheetIndex = -1
    private var inTarget = false
    /// True once the target sheet has ended: nothing more to read.
    private(set) var targetDone = false
    private var row = 0
    private var column = 1
    private var rowRepeat = 1
    private var cells: [Cell] = []

    // The cell being read.
    private var inCell = false
    private var cellRepeat = 1
    private var columnsSpanned = 1
    private var rowsSpanned = 1
    private var valueType: String?
    private var calcextType: String?
    private var valueAttribute: String?
    private var formulaAttribute: String?
    /// Whether the current cell has `table:formula`, noted even when formulas were not asked for.
    private var sawFormula = false
    /// Cells with a formula but no value (written by scripts, never calculated): their value is unknown.
    private(set) var formulasWithoutValue: [CellAddress] = []
    private var paragraphs = 0
    private var paragraphDepth = 0
    /// Inside an annotation, a frame or a note: text there is not the cell's.
    private var ignoreDepth = 0
    /// The cells of the target sheet with an annotation (a comment), by their first cell.
    private var noted: Set<CellAddress> = []
    /// The cells with an annotation, in address order.
    var annotatedCells: [CellAddress] { noted.sorted() }
    private var text = ByteBuffer()

    /// Rows completed since the row reader last took them.
    var completed: [Row] = []
    private(set) var mergedRanges: [CellRange] = []
    private(set) var cellCount = 0
    private var repeatedCells = 0

    init(limits: ReadLimits, wantFormulas: Bool, target: Int?) {
        self.limits = limits
        self.wantFormulas = wantFormulas
        self.target = target
    }

    deinit { text.free() }

    private var reference: String {
        CellAddress(row: min(max(row, 1), CellAddress.maxRow), column: min(max(column, 1), CellAddress.maxColumn))
            .description
    }

    // MARK: SAX events

    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        if inCell {
            try startInCell(name, attributes)
            return
        }
        if name.is("table-cell") || name.is("covered-table-cell") {
            if inTarget && tableDepth == 1 { startCell(attributes) }
        } else if name.is("table-row") {
            if inTarget && tableDepth == 1 {
                rowRepeat = Self.count(attributes.raw("number-rows-repeated"))
                row += 1
                column = 1
                cells.removeAll(keepingCapacity: true)
            }
        } else if name.is("table") {
            tableDepth += 1
            guard tableDepth == 1 else { return }
            sheetIndex += 1
            if target == nil {
                sheets.append(SheetEntry(name: attributes.string("name") ?? "", styleName: attributes.string("style-name")))
                if sheets.count > 10_000 {
                    throw SpreadsheetError(.limitExceeded, "the workbook lists more than 10,000 sheets")
                }
            } else if sheetIndex == target {
                inTarget = true
                row = 0
            }
        } else if target == nil {
            try startMetadata(name, attributes)
        }
    }

    override func endElement(_ name: XMLName) throws {
        if inCell {
            if ignoreDepth == 0 && (name.is("table-cell") || name.is("covered-table-cell")) {
                try endCell()
            } else if name.is("p") || name.is("h") {
                if ignoreDepth == 0 { paragraphDepth -= 1 }
            } else if Self.ignoresText(name) {
                ignoreDepth -= 1
            }
            return
        }
        if name.is("table-row") {
            if inTarget && tableDepth == 1 { try endRow() }
        } else if name.is("table") {
            if tableDepth == 1 && inTarget {
                inTarget = false
                targetDone = true
            }
            tableDepth -= 1
        } else if name.is("style") {
            pendingTableStyle = nil
        }
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard inCell, paragraphDepth > 0, ignoreDepth == 0 else { return }
        try append(bytes)
    }

    // MARK: Metadata

    private func startMetadata(_ name: XMLName, _ attributes: XMLAttributes) throws {
        if name.is("style") {
            pendingTableStyle = attributes.string("family") == "table" ? attributes.string("name") : nil
        } else if name.is("table-properties") {
            if let style = pendingTableStyle, attributes.string("display") == "false" { hiddenStyles.insert(style) }
        } else if name.is("named-range") || name.is("named-expression") {
            let rangeName = attributes.string("name") ?? ""
            let formula: String
            if let address = attributes.string("cell-range-address") {
                formula = Self.excelReference(address)
            } else {
                formula = Self.formulaText(attributes.string("expression") ?? "")
            }
            definedNames.append(
                DefinedName(
                    name: rangeName, formula: formula, localSheet: tableDepth > 0 ? sheetIndex : nil, hidden: false))
            if definedNames.count > 100_000 {
                throw SpreadsheetError(.limitExceeded, "the workbook defines more than 100,000 names")
            }
        }
    }

    // MARK: Rows and cells

    private func startCell(_ attributes: XMLAttributes) {
        inCell = true
        cellRepeat = 1
        columnsSpanned = 1
        rowsSpanned = 1
        valueType = nil
        calcextType = nil
        valueAttribute = nil
        formulaAttribute = nil
        sawFormula = false
        paragraphs = 0
        paragraphDepth = 0
        ignoreDepth = 0
        text.removeAll()
        guard let base = attributes.base else { return }
        for i in 0..<attributes.count {
            let entry = base + 5 * i
            guard let local = entry[0], let start = entry[3], let end = entry[4] else { continue }
            let name = XMLName(local: local, namespace: .none)
            let bytes = UnsafeBufferPointer(start: start, count: end - start)
            if name.is("value-type") {
                if ODSNamespace.matches(entry[2], "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0") {
                    calcextType = String(decoding: bytes, as: UTF8.self)
                } else {
                    valueType = String(decoding: bytes, as: UTF8.self)
                }
            } else if name.is("value") || name.is("date-value") || name.is("time-value")
                || name.is("boolean-value")
            {
                valueAttribute = String(decoding: bytes, as: UTF8.self)
            } else if name.is("string-value") {
                // Only a string cell's string-value is its value; error cells carry an empty one.
                if valueAttribute == nil { valueAttribute = decodeAttributeText(bytes) }
            } else if name.is("number-columns-repeated") {
                cellRepeat = Self.count(bytes)
            } else if name.is("number-columns-spanned") {
                columnsSpanned = Self.count(bytes)
            } else if name.is("number-rows-spanned") {
                rowsSpanned = Self.count(bytes)
            } else if name.is("formula") {
                sawFormula = true
                if wantFormulas { formulaAttribute = decodeAttributeText(bytes) }
            }
        }
    }

    private func startInCell(_ name: XMLName, _ attributes: XMLAttributes) throws {
        if Self.ignoresText(name) {
            if ignoreDepth == 0, name.is("annotation"), row <= CellAddress.maxRow, column <= CellAddress.maxColumn {
                noted.insert(CellAddress(row: max(row, 1), column: max(column, 1)))
                if noted.count > limits.maxRepeatedCells {
                    throw SpreadsheetError(.limitExceeded, "the sheet has more than \(limits.maxRepeatedCells) notes")
                }
            }
            ignoreDepth += 1
            return
        }
        guard ignoreDepth == 0 else { return }
        if name.is("p") || name.is("h") {
            if paragraphs > 0 { try append(newline) }
            paragraphs += 1
            paragraphDepth += 1
        } else if paragraphDepth > 0 {
            if name.is("s") {
                var count = attributes.raw("c").map(Self.count) ?? 1
                guard text.count + count <= limits.maxCellBytes else { throw tooLong() }
                while count > 0 {
                    let piece = min(count, Self.spaces.utf8CodeUnitCount)
                    try append(UnsafeBufferPointer(start: Self.spaces.utf8Start, count: piece))
                    count -= piece
                }
            } else if name.is("tab") {
                try append(tab)
            } else if name.is("line-break") {
                try append(newline)
            }
        }
    }

    private static func ignoresText(_ name: XMLName) -> Bool {
        name.is("annotation") || name.is("frame") || name.is("note") || name.is("custom-shape")
            || name.is("table")
    }

    private let newline: StaticString = "\n"
    private static let spaces: StaticString = "                                                                "
    private let tab: StaticString = "\t"

    private func append(_ text: StaticString) throws {
        try append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        text.append(bytes)
        if text.count > limits.maxCellBytes { throw tooLong() }
    }

    private func tooLong() -> SpreadsheetError {
        SpreadsheetError(
            .limitExceeded, "the cell holds more than \(limits.maxCellBytes) bytes of text, far beyond any spreadsheet "
                + "program's own limit", cell: reference)
    }

    private func endCell() throws {
        inCell = false
        let value = try cellValue()
        let first = column
        column += cellRepeat
        if columnsSpanned > 1 || rowsSpanned > 1, first <= CellAddress.maxColumn, row <= CellAddress.maxRow {
            for k in 0..<min(cellRepeat, CellAddress.maxColumn) where first + k <= CellAddress.maxColumn {
                let start = CellAddress(row: row, column: first + k)
                let end = CellAddress(
                    row: min(row + rowsSpanned - 1, CellAddress.maxRow),
                    column: min(first + k + columnsSpanned - 1, CellAddress.maxColumn))
                mergedRanges.append(CellRange(first: start, last: end))
                if mergedRanges.count > 1_000_000 {
                    throw SpreadsheetError(.limitExceeded, "the sheet declares more than a million merged ranges")
                }
            }
        }
        guard let value else {
            if sawFormula, first <= CellAddress.maxColumn, row <= CellAddress.maxRow, formulasWithoutValue.count < 100_000 {
                formulasWithoutValue.append(CellAddress(row: max(row, 1), column: first))
            }
            return
        }
        guard first + cellRepeat - 1 <= CellAddress.maxColumn else {
            throw SpreadsheetError(
                .limitExceeded,
                "a cell with a value is repeated beyond the last column (\(CellAddress.columnName(CellAddress.maxColumn))): "
                    + "the repeat count is not one any spreadsheet program writes; the file was refused",
                cell: CellAddress(row: min(max(row, 1), CellAddress.maxRow), column: min(first, CellAddress.maxColumn))
                    .description)
        }
        try countRepeats(cellRepeat - 1)
        let formula = formulaAttribute.map(Self.formulaText)
        for k in 0..<cellRepeat {
            cells.append(Cell(column: first + k, value: value, formula: formula))
        }
        cellCount += cellRepeat
    }

    private func countRepeats(_ added: Int) throws {
        repeatedCells += added
        if repeatedCells > limits.maxRepeatedCells {
            throw SpreadsheetError(
                .limitExceeded,
                "the sheet's repeat counts (number-columns-repeated, number-rows-repeated) make more than "
                    + "\(limits.maxRepeatedCells) cells with values out of a few written ones: the file was refused",
                cell: reference)
        }
    }

    private func endRow() throws {
        let repeats = rowRepeat
        defer { row += repeats - 1 }
        guard !cells.isEmpty else { return }
        guard row + repeats - 1 <= CellAddress.maxRow else {
            throw SpreadsheetError(
                .limitExceeded,
                "a row with values is repeated beyond or lies beyond the last row (\(CellAddress.maxRow)): more rows "
                    + "than Excel can hold; the file was refused",
                cell: reference)
        }
        try countRepeats(cells.count * (repeats - 1))
        let shared = cells
        for k in 0..<repeats {
            completed.append(Row(number: row + k, cells: shared))
        }
        cellCount += cells.count * (repeats - 1)
        cells.removeAll(keepingCapacity: true)
    }

    /// The cell's value from its value type, or nil for an empty cell.
    private func cellValue() throws -> CellValue? {
        func invalid(_ what: String) -> SpreadsheetError {
            SpreadsheetError(
                .invalidValue, "a \(what) cell does not hold a valid \(what): the file is damaged; open it in "
                    + "LibreOffice and save it again", cell: reference)
        }
        if calcextType == "error" {
            return .error(text.string)
        }
        switch valueType {
        case "float", "percentage", "currency":
            guard let raw = valueAttribute, let number = Double(raw.trimmingSpaces), number.isFinite else {
                throw invalid("number")
            }
            return .number(number)
        case "date":
            guard let raw = valueAttribute, let date = ExcelDateTime(iso: raw.trimmingSpaces) else { throw invalid("date") }
            return .date(date)
        case "time":
            guard let raw = valueAttribute, let seconds = Self.durationSeconds(raw.trimmingSpaces) else {
                throw invalid("time")
            }
            return .date(ExcelDateTime(serial: seconds / 86_400, kind: .time))
        case "boolean":
            switch valueAttribute?.trimmingSpaces.lowercased() {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default: throw invalid("boolean")
            }
        case "string":
            if let valueAttribute { return valueAttribute.isEmpty && text.isEmpty ? nil : .string(valueAttribute) }
            return text.isEmpty ? nil : .string(text.string)
        default:
            // No value type: a cell without a value, unless hand-written XML gives it text.
            return text.isEmpty ? nil : .string(text.string)
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks (no Foundation).
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
