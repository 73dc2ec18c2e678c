/// An error reading or writing a spreadsheet file, with what went wrong, how to fix it and where.
///
/// The message never contains cell contents: workbooks carry sensitive case data, so errors name
/// the file, part, sheet and cell, not the values found there.
public struct SpreadsheetError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem this is; stable for tests and scripts.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name (`corruptZip`).
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        // Container and format detection
        /// The file cannot be opened or read (missing, no permission).
        public static let fileUnreadable = Code("fileUnreadable")
        /// The bytes are not a workbook of any kind Tilsyn knows.
        public static let notAWorkbook = Code("notAWorkbook")
        /// The workbook is encrypted with a password.
        public static let passwordProtected = Code("passwordProtected")
        /// An Excel 97–2003 workbook (`.xls`).
        public static let legacyXLS = Code("legacyXLS")
        /// A binary Excel workbook (`.xlsb`).
        public static let binaryXLSB = Code("binaryXLSB")
        /// An OpenDocument file that is not a spreadsheet.
        public static let openDocument = Code("openDocument")
        /// An Excel 2003 XML spreadsheet.
        public static let spreadsheetML2003 = Code("spreadsheetML2003")
        /// An HTML page saved with a workbook's extension.
        public static let htmlDisguised = Code("htmlDisguised")
        /// A PDF saved with a workbook's extension.
        public static let pdfDisguised = Code("pdfDisguised")
        /// A CSV file saved with a workbook's extension.
        public static let csvDisguised = Code("csvDisguised")
        /// Plain text with a workbook's extension.
        public static let textFile = Code("textFile")
        /// A Word document.
        public static let wordDocument = Code("wordDocument")
        /// The file has no bytes.
        public static let emptyFile = Code("emptyFile")
        /// The file ends before its ZIP directory: cut off in saving, copying or downloading.
        public static let truncatedFile = Code("truncatedFile")
        // ZIP
        /// The ZIP structure is damaged.
        public static let corruptZip = Code("corruptZip")
        /// Two ZIP entries have the same name.
        public static let duplicateEntry = Code("duplicateEntry")
        /// ZIP entries share bytes (a ZIP bomb's trick).
        public static let overlappingEntries = Code("overlappingEntries")
        /// A ZIP entry is encrypted.
        public static let encryptedEntry = Code("encryptedEntry")
        /// A ZIP entry uses a compression other than stored or deflate.
        public static let unsupportedCompression = Code("unsupportedCompression")
        /// A ZIP entry is larger than the limits allow.
        public static let entryTooLarge = Code("entryTooLarge")
        /// The unpacked workbook is larger than the limits allow.
        public static let archiveTooLarge = Code("archiveTooLarge")
        /// An entry unpacks to too many times its packed size.
        public static let compressionRatio = Code("compressionRatio")
        /// The ZIP holds more entries than the limits allow.
        public static let tooManyEntries = Code("tooManyEntries")
        /// An entry unpacked to another size than its header states.
        public static let sizeMismatch = Code("sizeMismatch")
        /// An entry's checksum does not match its contents.
        public static let crcMismatch = Code("crcMismatch")
        /// An entry's deflate stream is damaged.
        public static let inflateFailed = Code("inflateFailed")
        // Package and XML
        /// A part the package needs (workbook, sheet, shared strings) is missing.
        public static let missingPart = Code("missingPart")
        /// A part is not well-formed XML.
        public static let invalidXML = Code("invalidXML")
        /// A part declares a DTD or entities (refused: entity expansion attacks).
        public static let forbiddenDTD = Code("forbiddenDTD")
        /// A read limit (cells, text length, nesting) was exceeded.
        public static let limitExceeded = Code("limitExceeded")
        /// A cell reference is malformed or out of Excel's range.
        public static let invalidCellReference = Code("invalidCellReference")
        /// A row comes at or before one already read (out of order or given twice): no spreadsheet program writes
        /// that, and a cell could be read at the wrong place or twice.
        public static let rowOutOfOrder = Code("rowOutOfOrder")
        /// A cell's value does not fit its type.
        public static let invalidValue = Code("invalidValue")
        /// Two sheets have the same name (compared ignoring case).
        public static let duplicateSheetName = Code("duplicateSheetName")
        /// The workbook lists no sheets.
        public static let noSheets = Code("noSheets")
        /// No sheet has the name asked for.
        public static let sheetNotFound = Code("sheetNotFound")
        // CSV
        /// A CSV file cannot be read (encoding, quoting).
        public static let invalidCSV = Code("invalidCSV")
        // Writing
        /// The output could not be written.
        public static let writeFailed = Code("writeFailed")
        /// A writer was given something it cannot write (a bad sheet name, a cell out of range).
        public static let invalidArgument = Code("invalidArgument")
    }

    /// What kind of problem it is.
    public var code: Code
    /// What went wrong and how to fix it, in one or two sentences, without cell contents.
    public var message: String
    /// The file, as the user named it.
    public var file: String?
    /// The package part (`xl/worksheets/sheet1.xml`) or ZIP entry.
    public var part: String?
    /// The sheet name, when known.
    public var sheet: String?
    /// The cell reference (`C7`), when known.
    public var cell: String?
    /// The line in the part or CSV file, when known.
    public var line: Int?

    /// An error of kind `code`, with as much of its place as is known.
    public init(
        _ code: Code, _ message: String, file: String? = nil, part: String? = nil, sheet: String? = nil,
        cell: String? = nil, line: Int? = nil
    ) {
        self.code = code
        self.message = message
        self.file = file
        self.part = part
        self.sheet = sheet
        self.cell = cell
        self.line = line
    }

    /// The location as one phrase: `Ark1!C7 (xl/worksheets/sheet1.xml, line 12)`.
    public var location: String {
        var place = ""
        if let sheet {
            place = cell.map { "\(quotedSheetName(sheet))!\($0)" } ?? "sheet \(quotedSheetName(sheet))"
        } else if let cell {
            place = "cell \(cell)"
        }
        var details: [String] = []
        if let part { details.append(part) }
        if let line { details.append("line \(line)") }
        if !details.isEmpty {
            place += place.isEmpty ? details.joined(separator: ", ") : " (\(details.joined(separator: ", ")))"
        }
        return place
    }

    /// One line for the command line: `<file>: <where>: <message>`.
    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        let place = location
        if !place.isEmpty { parts.append(place) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    /// Row `row` read after row `previous` (at or beyond it); `column` is the row's first cell's.
    static func rowOutOfOrder(_ row: Int, after previous: Int, column: Int) -> SpreadsheetError {
        SpreadsheetError(
            .rowOutOfOrder,
            "row \(row) comes after row \(previous): the sheet's rows are out of order or one is given twice, which no "
                + "spreadsheet program writes, so a cell could be read at the wrong place or twice; the sheet is "
                + "damaged: open it in LibreOffice Calc, check the rows and save it again as .xlsx",
            cell: CellAddress(row: row, column: column).description)
    }

    /// A copy with the file name set, unless one is set already.
    public func inFile(_ file: String) -> SpreadsheetError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }
}

/// A sheet name as Excel writes it in references: quoted when it is not a plain word.
func quotedSheetName(_ name: String) -> String {
    let plain = !name.isEmpty && name.unicodeScalars.allSatisfy {
        ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == ".")
    }
    return plain ? name : "'" + name.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
}
