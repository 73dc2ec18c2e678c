public import TilsynSheets

/// The file format of an export.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// CSV in the chosen dialect (Danish Excel by default).
    case csv
    /// A workbook: the rows as an Excel table on "Data", the catalogue questions on "Spørgsmål".
    case xlsx
    /// One JSON array of objects.
    case json
    /// One JSON object per line.
    case ndjson
    /// A standalone SQLite database with the rows and a `questions` table.
    case sqlite
}

/// The shape of an export's rows.
public enum ExportShape: String, Sendable, CaseIterable {
    /// One row per answer, with its review's metadata and its provenance.
    case long
    /// One row per review, one column per question id in catalogue order (pivot-ready).
    case wide
}

/// How to export.
public struct ExportOptions: Sendable {
    /// The file format.
    public var format: ExportFormat
    /// One row per answer or one per review.
    public var shape: ExportShape
    /// The CSV dialect (CSV only).
    public var dialect: CSVDialect
    /// Replaces case numbers (and file names) with keyed pseudonyms; nil keeps case numbers.
    public var pseudonymizer: Pseudonymizer?
    /// Whether remarks (bemærkninger) are exported.
    public var includeRemarks: Bool

    /// Options for an export in `format`.
    public init(
        format: ExportFormat, shape: ExportShape = .long, dialect: CSVDialect = .excelDA,
        pseudonymizer: Pseudonymizer? = nil, includeRemarks: Bool = true
    ) {
        self.format = format
        self.shape = shape
        self.dialect = dialect
        self.pseudonymizer = pseudonymizer
        self.includeRemarks = includeRemarks
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable, Equatable {
    /// Data rows written (answers for the long shape, reviews for the wide shape).
    public var rows: Int
    /// Reviews exported.
    public var reviews: Int
    /// Text values in which a CPR-like number was masked.
    public var redactions: Int
    /// The data columns, in order.
    public var columns: [String]
}

/// An export that cannot be written; the message names no case number, remark or CPR number.
public struct ExportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name (`badKey`).
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The key file cannot be read or created, or holds too short a key.
        public static let badKey = Code("badKey")
        /// The output cannot be written.
        public static let cannotWrite = Code("cannotWrite")
        /// The data does not fit the format (too many rows for a sheet, …).
        public static let tooLarge = Code("tooLarge")
        /// The store cannot be read.
        public static let cannotRead = Code("cannotRead")
    }

    /// What kind of error it is.
    public var code: Code
    /// What went wrong and what to do, in words.
    public var message: String
    /// The file concerned, if any.
    public var path: String?

    /// An error of kind `code` about `path`.
    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// `<path>: <message>`.
    public var description: String { (path.map { "\($0): " } ?? "") + message }
}
