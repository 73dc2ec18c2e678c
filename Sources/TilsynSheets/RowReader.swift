/// Hands out the rows of one sheet, inflating and parsing only as far as needed.
///
/// Merged ranges, data validations and protection follow the cell data in the file, so they are complete once
/// ``next()`` has returned nil. Large sheets are parsed on all cores in segments; the rows still come in order.
/// Rows come in ascending order of their numbers, each number once: a row at or before one already read (never
/// written by a spreadsheet program) is refused with `.rowOutOfOrder`, not moved or merged.
public final class RowReader {
    private enum Source {
        case none
        /// The part read one piece after another: pulled whole by ``forEach(_:)``, or pushed piece by piece by
        /// ``next()`` through the entry reader and parser it makes on its first call (one way or the other).
        case sequential(ZipEntry)
        case openDocument(ZipEntryReader, SAXParser, ODSContentReader)
        case parallel(ParallelSheetReader)
    }

    /// The sheet being read.
    public let sheet: SheetInfo
    private let workbook: Workbook
    private var source: Source
    /// The entry reader and push parser of a sequential part read with ``next()``.
    private var pushed: (stream: ZipEntryReader, parser: SAXParser)?
    /// The reader of the whole part (sequential) or of the last segment (parallel): holds what follows the rows.
    private var trailer: WorksheetReader
    private let buffer: UnsafeMutableRawBufferPointer
    private var queue: [Row] = []
    private var head = 0
    private var finished = false
    /// Whether any of the sheet has been parsed (by ``next()`` or ``forEach(_:)``).
    private var started = false
    private var parsedCells = 0
    /// The last row number of the segments handed out so far (parallel mode).
    private var rowBase = 0
    /// The number of the last row handed out from the segments so far (parallel mode).
    private var handedRow = 0
    /// Formula cells without a cached result, from the segments parsed so far (parallel reading).
    private var uncached: [CellAddress] = []

    init(workbook: Workbook, sheet: SheetInfo) throws {
        self.workbook = workbook
        self.sheet = sheet
        let options = workbook.options
        trailer = WorksheetReader(
            sharedStrings: workbook.sharedStrings, dateKinds: workbook.dateKinds, date1904: workbook.date1904,
            wantFormulas: options.formulas, limits: options.limits)
        buffer = .allocate(byteCount: 1 << 16, alignment: 16)
        source = .none
        if sheet.kind == .chartsheet || sheet.kind == .dialogsheet || sheet.part == nil {
            // No cells to read: a chart or dialog, or a sheet entry that no relationship gives a part.
            finished = true
            return
        }
        // Every stored property is set by now, so deinit frees the buffer if this initialiser throws.
        if workbook.isOpenDocument, let entry = workbook.archive.entry(named: ODSPackage.contentPart) {
            let reader = ODSContentReader(limits: options.limits, wantFormulas: options.formulas, target: sheet.index)
            let parser = try SAXParser(handler: reader, partName: entry.name)
            source = .openDocument(try ZipEntryReader(archive: workbook.archive, entry: entry), parser, reader)
            return
        }
        guard let partName = sheet.part, let entry = workbook.archive.entry(named: partName) else {
            throw SpreadsheetError(
                .missingPart,
                "the sheet's part \(sheet.part.map { "(\($0)) " } ?? "")is missing from the package: the workbook is "
                    + "damaged; open it in Excel and save it again",
                part: sheet.part, sheet: sheet.name)
        }
        // Shared formulas refer back to their master cell, so formula reading stays sequential. The cores are asked
        // only for a sheet large enough to share out (asking reads /proc: 4 % of reading a small workbook).
        if options.parallel, !options.formulas, entry.uncompressedSize >= options.parallelThreshold,
            case let cores = availableCores(), cores > 1,
            let parallel = ParallelSheetReader(workbook: workbook, entry: entry, workers: cores)
        {
            source = .parallel(parallel)
            return
        }
        source = .sequential(entry)
    }

    deinit {
        if case .parallel(let parallel) = source { parallel.cancel() }
        buffer.deallocate()
    }

    /// The next row with at least one value, or nil at the end of the sheet.
    public func next() throws -> Row? {
        while true {
            if head < queue.count {
                let row = queue[head]
                head += 1
                return row
            }
            if finished { return nil }
            queue.removeAll(keepingCapacity: true)
            head = 0
            do {
                try fill()
            } catch var error as SpreadsheetError {
                finished = true
                if error.file == nil { error.file = workbook.fileName }
                if error.sheet == nil { error.sheet = sheet.name }
                throw error
            }
        }
    }

    /// Calls `body` for every remaining row.
    ///
    /// A sheet read one part after another from its start is parsed in libxml2's pull mode, 7–10 % faster than
    /// pushing it chunk by chunk as ``next()`` must: the rows completed so far are handed to `body` each time the
    /// parser asks for more bytes, so memory stays as flat as with ``next()``.
    public func forEach(_ body: (Row) throws -> Void) throws {
        if case .sequential(let entry) = source, !started {
            started = true
            finished = true
            do {
                try withoutActuallyEscaping(body) { body in
                    let trailer = self.trailer
                    func handOut() throws {
                        guard !trailer.completed.isEmpty else { return }
                        // Taken out first: `body` may be slow, and the parser must not see the array shared.
                        let rows = trailer.completed
                        trailer.completed.removeAll(keepingCapacity: true)
                        for row in rows { try body(row) }
                    }
                    try SAXParser.parse(
                        workbook.archive, entry, handler: trailer, callbacks: WorksheetReader.callbacks,
                        between: handOut)
                    try handOut()
                }
                parsedCells = trailer.cellCount
            } catch var error as SpreadsheetError {
                parsedCells = trailer.cellCount
                if error.file == nil { error.file = workbook.fileName }
                if error.sheet == nil { error.sheet = sheet.name }
                throw error
            }
            return
        }
        while let row = try next() { try body(row) }
    }

    private func fill() throws {
        started = true
        switch source {
        case .none:
            finished = true
        case .sequential(let entry):
            let (stream, parser) = try pushed ?? (
                ZipEntryReader(archive: workbook.archive, entry: entry),
                SAXParser(handler: trailer, callbacks: WorksheetReader.callbacks, partName: entry.name))
            pushed = (stream, parser)
            if try !parser.feed(from: stream, buffer: buffer) { finished = true }
            queue = trailer.completed
            trailer.completed.removeAll(keepingCapacity: true)
            parsedCells = trailer.cellCount
        case .openDocument(let stream, let parser, let reader):
            if try !parser.feed(from: stream, buffer: buffer) || reader.targetDone { finished = true }
            queue = reader.completed
            reader.completed.removeAll(keepingCapacity: true)
            parsedCells = reader.cellCount
        case .parallel(let parallel):
            guard var segment = try parallel.next() else {
                finished = true
                return
            }
            // Rows numbered before the segment's first reference continue from the previous segment.
            for k in 0..<segment.relativeRows {
                segment.rows[k].number += rowBase
                guard segment.rows[k].number <= CellAddress.maxRow else {
                    throw SpreadsheetError(.invalidCellReference, "the sheet has more than \(CellAddress.maxRow) rows")
                }
            }
            for cell in segment.formulasWithoutValue {
                uncached.append(CellAddress(row: cell.relative ? cell.row + rowBase : cell.row, column: cell.column))
            }
            // Each segment checks its own anchored rows; across segments (and from a segment's rows numbered by
            // count to its first with a reference) the order is checked here.
            for row in segment.rows {
                guard row.number > handedRow else {
                    throw SpreadsheetError.rowOutOfOrder(row.number, after: handedRow, column: row.cells.first?.column ?? 1)
                }
                handedRow = row.number
            }
            rowBase = segment.anchored ? segment.lastRowNumber : rowBase + segment.lastRowNumber
            parsedCells += segment.cellCount
            if let last = segment.trailer { trailer = last }
            queue = segment.rows
        }
    }

    /// The sheet's merged ranges; complete once ``next()`` returned nil.
    public var mergedRanges: [CellRange] {
        if case .openDocument(_, _, let reader) = source { return reader.mergedRanges }
        return trailer.mergedRanges
    }
    /// Cells read so far that hold a formula without a cached result (`<f>` and no or an empty `<v>`): their value
    /// is unknown until a spreadsheet program recalculates and saves the file. Complete once ``next()`` returned nil.
    public var formulasWithoutValue: [CellAddress] {
        switch source {
        case .parallel: return uncached
        case .openDocument(_, _, let reader): return reader.formulasWithoutValue
        default: return trailer.formulasWithoutValue.map { CellAddress(row: $0.row, column: $0.column) }
        }
    }
    /// The sheet's data validations; complete once ``next()`` returned nil.
    public var dataValidations: [DataValidation] { trailer.dataValidations }
    /// The cells of an OpenDocument sheet with an annotation, in address order; complete once ``next()`` returned
    /// nil (an XLSX sheet's notes are in their own parts: see ``Workbook/load(_:)``).
    public var annotatedCells: [CellAddress] {
        if case .openDocument(_, _, let reader) = source { return reader.annotatedCells }
        return []
    }
    /// The `<dimension>` the sheet declares, if any.
    public var dimension: CellRange? { trailer.dimension }
    /// Whether the sheet is protected; known once ``next()`` returned nil.
    public var isProtected: Bool { trailer.isProtected }
    /// The number of non-empty cells read so far.
    public var cellCount: Int { parsedCells }
}
