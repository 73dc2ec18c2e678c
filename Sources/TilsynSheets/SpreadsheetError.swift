/// An error reading or writing a spreadsheet file, with what went wrong, how to fix it and where.
///
/// The message never contains cell contents: workbooks carry sensitive case data, so errors name
/// the file, part, sheet and cell, not the values found there.
public struct SpreadsheetError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem this is; stable for tests and scripts.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        // Container and format detection
        public static let fileUnreadable = Code("fileUnreadable")
        public static let notAWorkbook = Code("notAWorkbook")
        public static let passwordProtected = Code("passwordProtected")
        public static let legacyXLS = Code("legacyXLS")
        public static let binaryXLSB = Code("binaryXLSB")
        public static let openDocument = Code("openDocument")
        public static let spreadsheetML2003 = Code("spreadsheetML2003")
        public static let htmlDisguised = Code("htmlDisguised")
        public static let pdfDisguised = Code("pdfDisguised")
        public static let csvDisguised = Code("csvDisguised")
        public static let textFile = Code("textFile")
        public static let wordDocument = Code("wordDocument")
        public static let emptyFile = Code("emptyFile")
        public static let truncatedFile = Code("truncatedFile")
        // ZIP
        public static let corruptZip = Code("corruptZip")
        public static let duplicateEntry = Code("duplicateEntry")
        public static let overlappingEntries = Code("overlappingEntries")
        public static let encryptedEntry = Code("encryptedEntry")
        public static let unsupportedCompression = Code("unsupportedCompression")
        public static let entryTooLarge = Code("entryTooLarge")
        public static let archiveTooLarge = Code("archiveTooLarge")
        public static let compressionRatio = Code("compressionRatio")
        public static let tooManyEntries = Code("tooManyEntries")
        public static let sizeMismatch = Code("sizeMismatch")
        public static let crcMismatch = Code("crcMismatch")
        public static let inflateFailed = Code("inflateFailed")
        // Package and XML
        public static let missingPart = Code("missingPart")
        public static let invalidXML = Code("invalidXML")
        public static let forbiddenDTD = Code("forbiddenDTD")
        public static let limitExceeded = Code("limitExceeded")
        public static let invalidCellReference = Code("invalidCellReference")
        public static let invalidValue = Code("invalidValue")
        public static let noSheets = Code("noSheets")
        public static let sheetNotFound = Code("sheetNotFound")
        // CSV
        public static let invalidCSV = Code("invalidCSV")
        // Writing
        public static let writeFailed = Code("writeFailed")
        public static let invalidArgument = Code("invalidArgument")
    }

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
