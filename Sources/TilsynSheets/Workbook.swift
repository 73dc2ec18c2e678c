/// Options for reading a workbook.
public struct ReadOptions: Sendable, Equatable {
    /// Keep each cell's formula text as well as its cached value.
    public var formulas: Bool
    public var zipLimits: ZipLimits
    public var limits: ReadLimits

    public init(formulas: Bool = false, zipLimits: ZipLimits = .default, limits: ReadLimits = ReadLimits()) {
        self.formulas = formulas
        self.zipLimits = zipLimits
        self.limits = limits
    }
}

/// An XLSX/XLSM workbook opened for reading: sheet list, defined names and date system up front, sheets streamed
/// row by row on demand.
///
/// Reads what Excel, LibreOffice, Numbers, Google Sheets and generators write: Transitional and Strict namespaces,
/// any namespace prefix, cells and rows without references, missing or wrong dimensions, absent shared strings.
public final class Workbook: Sendable {
    /// The file name as the caller gave it (used in errors).
    public let fileName: String
    public let sheets: [SheetInfo]
    public let definedNames: [DefinedName]
    /// Whether serials count from 1904-01-01 (old Mac Excel) rather than 1900.
    public let date1904: Bool
    public let options: ReadOptions
    let archive: ZipArchive
    let sharedStrings: [String]
    let dateKinds: [ExcelDateTime.Kind?]

    /// Opens a workbook file.
    public convenience init(path: String, options: ReadOptions = ReadOptions()) throws {
        let bytes = try FileBytes.read(path: path, limit: options.zipLimits.maxArchiveSize)
        try self.init(bytes: bytes, name: path, options: options)
    }

    /// Opens a workbook from bytes; `name` is used in errors.
    public init(bytes: [UInt8], name: String, options: ReadOptions = ReadOptions()) throws {
        fileName = name
        self.options = options
        do {
            try FormatSniffer.requireZip(bytes)
            let archive = try ZipArchive(bytes: bytes, limits: options.zipLimits)
            try FormatSniffer.requireXLSX(archive)
            self.archive = archive

            // _rels/.rels names the workbook part; fall back to the conventional name.
            var workbookPart = "xl/workbook.xml"
            if let rels = archive.entry(named: "_rels/.rels") {
                let reader = RelationshipsReader()
                try SAXParser.parse(archive, rels, handler: reader)
                if let main = reader.relationships.first(where: { $0.isType("officeDocument") && !$0.external }) {
                    workbookPart = RelationshipsReader.resolve(main.target, from: "")
                }
            }
            guard let workbookEntry = archive.entry(named: workbookPart) ?? archive.entry(named: "xl/workbook.xml") else {
                throw SpreadsheetError(
                    .missingPart, "the package has no workbook part (\(workbookPart)): it is not a complete XLSX workbook",
                    part: workbookPart)
            }
            workbookPart = workbookEntry.name
            let workbook = WorkbookPartReader()
            try SAXParser.parse(archive, workbookEntry, handler: workbook)

            var relationships: [Relationship] = []
            if let rels = archive.entry(named: RelationshipsReader.relationshipsPart(of: workbookPart)) {
                let reader = RelationshipsReader()
                try SAXParser.parse(archive, rels, handler: reader)
                relationships = reader.relationships
            }
            func target(_ type: String) -> ZipEntry? {
                relationships.first { $0.isType(type) && !$0.external }
                    .flatMap { archive.entry(named: RelationshipsReader.resolve($0.target, from: workbookPart)) }
            }

            var sheets: [SheetInfo] = []
            for (index, entry) in workbook.sheets.enumerated() {
                let relationship = entry.relationshipId.flatMap { id in relationships.first { $0.id == id } }
                let kind: SheetInfo.Kind =
                    switch relationship?.type.split(separator: "/").last {
                    case "worksheet": .worksheet
                    case "chartsheet": .chartsheet
                    case "dialogsheet": .dialogsheet
                    case "xlMacrosheet", "xlIntlMacrosheet": .macrosheet
                    case nil: .worksheet
                    default: .unknown
                    }
                var part = relationship.map { RelationshipsReader.resolve($0.target, from: workbookPart) }
                if part == nil, relationships.isEmpty {
                    // No relationships part at all: assume the conventional layout.
                    part = "xl/worksheets/sheet\(index + 1).xml"
                }
                sheets.append(SheetInfo(name: entry.name, index: index, visibility: entry.visibility, kind: kind, part: part))
            }
            guard !sheets.isEmpty else {
                throw SpreadsheetError(
                    .noSheets, "the workbook has no sheets: save it again in Excel with at least one sheet",
                    part: workbookPart)
            }
            self.sheets = sheets
            definedNames = workbook.definedNames
            date1904 = workbook.date1904

            if let entry = target("sharedStrings") ?? archive.entry(named: "xl/sharedStrings.xml") {
                let reader = SharedStringsReader(limits: options.limits)
                try SAXParser.parse(archive, entry, handler: reader)
                sharedStrings = reader.strings
            } else {
                sharedStrings = []
            }
            if let entry = target("styles") ?? archive.entry(named: "xl/styles.xml") {
                let reader = StylesReader()
                try SAXParser.parse(archive, entry, handler: reader)
                dateKinds = reader.kinds
            } else {
                dateKinds = []
            }
        } catch var error as SpreadsheetError {
            if error.file == nil { error.file = name }
            throw error
        }
    }

    /// The sheet with this name, compared case-insensitively as Excel does.
    public func sheet(named name: String) -> SheetInfo? {
        sheets.first { $0.name == name } ?? sheets.first { $0.name.lowercased() == name.lowercased() }
    }

    /// A reader handing out the sheet's rows one at a time; memory does not grow with the sheet.
    public func rows(of sheet: SheetInfo) throws -> RowReader {
        do {
            return try RowReader(workbook: self, sheet: sheet)
        } catch var error as SpreadsheetError {
            if error.file == nil { error.file = fileName }
            if error.sheet == nil { error.sheet = sheet.name }
            throw error
        }
    }

    /// Reads a whole sheet into memory.
    public func load(_ sheet: SheetInfo) throws -> Sheet {
        let reader = try rows(of: sheet)
        var rows: [Row] = []
        while let row = try reader.next() { rows.append(row) }
        return Sheet(
            info: sheet, rows: rows, mergedRanges: reader.mergedRanges, dataValidations: reader.dataValidations,
            dimension: reader.dimension, isProtected: reader.isProtected)
    }
}

/// A whole sheet in memory.
public struct Sheet: Sendable, Equatable {
    public var info: SheetInfo
    public var rows: [Row]
    public var mergedRanges: [CellRange]
    public var dataValidations: [DataValidation]
    /// The `<dimension>` the file declares: a hint at most, often missing or wrong.
    public var dimension: CellRange?
    public var isProtected: Bool

    public var name: String { info.name }

    /// The value at an address, if the cell has one.
    public subscript(_ address: CellAddress) -> CellValue? {
        guard let row = rows.first(where: { $0.number == address.row }) else { return nil }
        return row[column: address.column]?.value
    }

    /// The value at `B3`, if the cell has one.
    public subscript(_ reference: String) -> CellValue? {
        guard let address = CellAddress(reference) else { return nil }
        return self[address]
    }

    /// The number of non-empty cells.
    public var cellCount: Int { rows.reduce(0) { $0 + $1.cells.count } }
}

/// Hands out the rows of one sheet, inflating and parsing only as far as needed.
///
/// Merged ranges, data validations and protection follow the cell data in the file, so they are complete once
/// ``next()`` has returned nil.
public final class RowReader {
    public let sheet: SheetInfo
    private let workbook: Workbook
    private let stream: ZipEntryReader?
    private let parser: SAXParser?
    private let worksheet: WorksheetReader
    private let buffer: UnsafeMutableRawBufferPointer
    private var queue: [Row] = []
    private var head = 0
    private var finished = false

    init(workbook: Workbook, sheet: SheetInfo) throws {
        self.workbook = workbook
        self.sheet = sheet
        worksheet = WorksheetReader(
            sharedStrings: workbook.sharedStrings, dateKinds: workbook.dateKinds, date1904: workbook.date1904,
            wantFormulas: workbook.options.formulas, limits: workbook.options.limits)
        buffer = .allocate(byteCount: 1 << 16, alignment: 16)
        if sheet.kind == .chartsheet || sheet.kind == .dialogsheet || sheet.part == nil {
            // No cells to read: a chart or dialog, or a sheet entry that no relationship gives a part.
            stream = nil
            parser = nil
            finished = true
            return
        }
        guard let partName = sheet.part, let entry = workbook.archive.entry(named: partName) else {
            buffer.deallocate()
            throw SpreadsheetError(
                .missingPart,
                "the sheet's part \(sheet.part.map { "(\($0)) " } ?? "")is missing from the package: the workbook is "
                    + "damaged; open it in Excel and save it again",
                part: sheet.part, sheet: sheet.name)
        }
        do {
            stream = try ZipEntryReader(archive: workbook.archive, entry: entry)
            parser = try SAXParser(handler: worksheet, callbacks: WorksheetReader.callbacks, partName: entry.name)
        } catch {
            buffer.deallocate()
            throw error
        }
    }

    deinit {
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
            try fill()
            queue = worksheet.completed
            worksheet.completed.removeAll(keepingCapacity: true)
        }
    }

    /// Calls `body` for every remaining row.
    public func forEach(_ body: (Row) throws -> Void) throws {
        while let row = try next() { try body(row) }
    }

    private func fill() throws {
        guard let stream, let parser else {
            finished = true
            return
        }
        do {
            let count = try stream.read(into: buffer)
            if count == 0 {
                try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
                finished = true
            } else {
                try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
        } catch var error as SpreadsheetError {
            finished = true
            if error.file == nil { error.file = workbook.fileName }
            if error.sheet == nil { error.sheet = sheet.name }
            throw error
        }
    }

    public var mergedRanges: [CellRange] { worksheet.mergedRanges }
    public var dataValidations: [DataValidation] { worksheet.dataValidations }
    public var dimension: CellRange? { worksheet.dimension }
    public var isProtected: Bool { worksheet.isProtected }
    /// The number of non-empty cells read so far.
    public var cellCount: Int { worksheet.cellCount }
}
