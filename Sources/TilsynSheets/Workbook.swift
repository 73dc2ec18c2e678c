/// Options for reading a workbook.
public struct ReadOptions: Sendable, Equatable {
    /// Keep each cell's formula text as well as its cached value.
    public var formulas: Bool
    /// Limits on the ZIP container (sizes, ratio, entries) against hostile files.
    public var zipLimits: ZipLimits
    /// Limits on the XML content (shared strings, text per cell, repeated cells).
    public var limits: ReadLimits
    /// Parse sheets whose XML is at least ``parallelThreshold`` bytes on all cores.
    public var parallel: Bool
    /// See `parallel`: 4 MiB by default.
    public var parallelThreshold: Int64
    /// The size of the pieces a large sheet is cut into for parallel parsing.
    public var segmentSize: Int

    /// Options for reading; the defaults suit returned workbooks and large exports alike.
    public init(
        formulas: Bool = false, zipLimits: ZipLimits = .default, limits: ReadLimits = ReadLimits(),
        parallel: Bool = true, parallelThreshold: Int64 = 4 << 20, segmentSize: Int = 1 << 20
    ) {
        self.formulas = formulas
        self.zipLimits = zipLimits
        self.limits = limits
        self.parallel = parallel
        self.parallelThreshold = parallelThreshold
        self.segmentSize = segmentSize
    }
}

/// An XLSX/XLSM workbook, or an OpenDocument spreadsheet (`.ods`), opened for reading: sheet list, defined names and
/// date system up front, sheets streamed row by row on demand.
///
/// Reads what Excel, LibreOffice, Numbers, Google Sheets and generators write: Transitional and Strict namespaces,
/// any namespace prefix, cells and rows without references, missing or wrong dimensions, absent shared strings.
public final class Workbook: Sendable {
    /// The file name as the caller gave it (used in errors).
    public let fileName: String
    /// The sheets in workbook order.
    public let sheets: [SheetInfo]
    /// The defined names (named ranges), workbook- and sheet-scoped.
    public let definedNames: [DefinedName]
    /// Whether serials count from 1904-01-01 (old Mac Excel) rather than 1900.
    public let date1904: Bool
    /// The options it was opened with.
    public let options: ReadOptions
    /// Whether the file is an OpenDocument spreadsheet (`.ods`) rather than XLSX.
    public let isOpenDocument: Bool
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
            let archive = try FormatSniffer.openZip(bytes, limits: options.zipLimits)
            self.archive = archive
            isOpenDocument = try ODSPackage.isSpreadsheet(archive)
            if isOpenDocument {
                (sheets, definedNames) = try ODSPackage.open(archive, options: options)
                try Self.requireDistinctNames(sheets, part: ODSPackage.contentPart)
                (date1904, sharedStrings, dateKinds) = (false, [], [])
                return
            }
            try FormatSniffer.requireXLSX(archive)

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
                    switch relationship?.typeName {
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
            try Self.requireDistinctNames(sheets, part: workbookPart)
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

    /// Refuses two sheets with one name (compared ignoring case, as Excel does): no spreadsheet program saves that,
    /// a sheet asked for by name could be either, and one of them would be overlooked.
    private static func requireDistinctNames(_ sheets: [SheetInfo], part: String) throws {
        var seen: Set<String> = []
        seen.reserveCapacity(sheets.count)
        for sheet in sheets where !seen.insert(sheet.name.lowercased()).inserted {
            throw SpreadsheetError(
                .duplicateSheetName,
                "the workbook lists two sheets with the same name (compared ignoring case), which no spreadsheet "
                    + "program saves, so one of them could be overlooked: the workbook is damaged; open it in "
                    + "LibreOffice Calc, rename one of the two sheets and save it again",
                part: part, sheet: sheet.name)
        }
    }

    /// The sheet with this name, compared case-insensitively as Excel does.
    public func sheet(named name: String) -> SheetInfo? {
        sheets.first { $0.name == name } ?? sheets.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The sheet named `name` (as ``sheet(named:)`` finds it); throws `.sheetNotFound`, listing the sheets there are,
    /// when there is none. `file` names the workbook in the error.
    public func requireSheet(named name: String, file: String) throws -> SheetInfo {
        guard let found = sheet(named: name) else {
            throw SpreadsheetError(
                .sheetNotFound,
                "there is no sheet named '\(name)'; the sheets are: "
                    + sheets.map { "'\($0.name)'" }.joined(separator: ", "),
                file: file)
        }
        return found
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
        try reader.forEach { rows.append($0) }
        return Sheet(
            info: sheet, rows: rows, mergedRanges: reader.mergedRanges, dataValidations: reader.dataValidations,
            dimension: reader.dimension, isProtected: reader.isProtected, formulasWithoutValue: reader.formulasWithoutValue,
            notes: try isOpenDocument ? reader.annotatedCells : notes(of: sheet))
    }

    /// The cells of an XLSX sheet with a note or comment, in address order, each once (Excel writes a threaded
    /// comment twice: as itself and as a note for older versions). Read from the comments parts the sheet's
    /// relationships name; their text is not read.
    private func notes(of sheet: SheetInfo) throws -> [CellAddress] {
        guard let part = sheet.part,
            let rels = archive.entry(named: RelationshipsReader.relationshipsPart(of: part))
        else { return [] }
        do {
            let relationships = RelationshipsReader()
            try SAXParser.parse(archive, rels, handler: relationships)
            var cells: [CellAddress] = []
            for relationship in relationships.relationships
            where !relationship.external && (relationship.isType("comments") || relationship.isType("threadedComment")) {
                guard let entry = archive.entry(named: RelationshipsReader.resolve(relationship.target, from: part))
                else { continue }
                let reader = CommentsReader(limit: 1_000_000)
                try SAXParser.parse(archive, entry, handler: reader)
                cells += reader.cells
            }
            return Array(Set(cells)).sorted()
        } catch var error as SpreadsheetError {
            if error.file == nil { error.file = fileName }
            if error.sheet == nil { error.sheet = sheet.name }
            throw error
        }
    }
}

/// A whole sheet in memory.
public struct Sheet: Sendable, Equatable {
    /// The sheet as the workbook lists it.
    public var info: SheetInfo
    /// Its rows with values, in ascending order of their numbers, each number once (a file with rows out of order or
    /// given twice is refused with `.rowOutOfOrder`).
    public var rows: [Row]
    /// Its merged ranges.
    public var mergedRanges: [CellRange]
    /// Its data validations (drop-down lists and other rules).
    public var dataValidations: [DataValidation]
    /// The `<dimension>` the file declares: a hint at most, often missing or wrong.
    public var dimension: CellRange?
    /// Whether the sheet is protected.
    public var isProtected: Bool
    /// Cells holding a formula without a cached result: their value is unknown (see `RowReader`).
    public var formulasWithoutValue: [CellAddress]
    /// Cells with a note or comment (Excel's notes and threaded comments, OpenDocument annotations), in address
    /// order: the text is the writer's own and is not read.
    public var notes: [CellAddress]

    /// A sheet read whole.
    public init(
        info: SheetInfo, rows: [Row], mergedRanges: [CellRange] = [], dataValidations: [DataValidation] = [],
        dimension: CellRange? = nil, isProtected: Bool = false, formulasWithoutValue: [CellAddress] = [],
        notes: [CellAddress] = []
    ) {
        self.notes = notes
        self.info = info
        self.rows = rows
        self.mergedRanges = mergedRanges
        self.dataValidations = dataValidations
        self.dimension = dimension
        self.isProtected = isProtected
        self.formulasWithoutValue = formulasWithoutValue
    }

    /// The sheet's name.
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
