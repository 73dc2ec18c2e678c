import ArgumentParser
import Foundation
import TilsynRender
import TilsynSheets
import TilsynStore

/// A `--format` value.
enum ExportFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case csv, xlsx, json, ndjson, sqlite

    var format: ExportFormat { ExportFormat(rawValue: rawValue) ?? .csv }
}

/// A `--shape` value.
enum ExportShapeArgument: String, ExpressibleByArgument, CaseIterable {
    case long, wide

    var shape: ExportShape { self == .long ? .long : .wide }
}

/// A `--dialect` value.
enum DialectArgument: String, ExpressibleByArgument, CaseIterable {
    case excelDA = "excel-da"
    case rfc4180

    var dialect: CSVDialect { self == .excelDA ? .excelDA : .rfc4180 }
}

/// `tilsyn export`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export the store's answers for Excel, Power BI, R, pandas or DuckDB.",
        discussion: """
            --shape long writes one row per answer with its review's metadata and provenance: round, level, \
            case_number (case_pseudonym with --pseudonymize), kommune, unit, measure, age, reviewer, review_date, \
            catalogue, catalogue_version, question, step, themes, question_type, applies, answer, answer_code, \
            remark, source_file, source_sha256, sheet, cell. --shape wide writes one row per review: the review's \
            columns, source_file, source_sha256, then one column per question id in catalogue order (the answer) \
            and <id>_bemaerkning (the remark). xlsx puts the rows on sheet "Data" as the Excel table Data and the \
            catalogue questions on "Spørgsmål"; sqlite writes the table answers (long) or reviews (wide) and \
            questions. CPR-like numbers are masked in every value and counted on standard error. \
            --pseudonymize replaces case numbers and file names with HMAC-SHA256 pseudonyms (16 hex digits) under \
            the key in --key-file, which is created (32 random bytes, mode 0600) when absent; keep it apart from \
            the exports. The output appears only when complete.
            """)

    @Option(help: storeHelp)
    var db: String = AuditStore.defaultLocation

    @Option(help: "csv, xlsx, json, ndjson or sqlite.")
    var format: ExportFormatArgument

    @Option(help: "long (one row per answer) or wide (one row per review, one column per question).")
    var shape: ExportShapeArgument = .long

    @Option(help: "CSV only: excel-da (BOM, ';', CRLF, decimal comma; the default) or rfc4180 (',', LF).")
    var dialect: DialectArgument?

    @Flag(help: "Replace case numbers and file names with keyed pseudonyms (needs --key-file).")
    var pseudonymize = false

    @Option(name: .customLong("key-file"), help: "The pseudonymisation key; created (mode 0600) if absent.")
    var keyFile: String?

    @Flag(name: .customLong("no-remarks"), help: "Leave out the remarks (bemærkninger).")
    var noRemarks = false

    @Option(help: "The file to write.")
    var out: String

    func validate() throws {
        if dialect != nil && format != .csv { throw ValidationError("--dialect applies to --format csv only.") }
        if pseudonymize && keyFile == nil { throw ValidationError("--pseudonymize needs --key-file FILE.") }
        if keyFile != nil && !pseudonymize { throw ValidationError("--key-file is used with --pseudonymize only.") }
        if out.isEmpty || out.hasSuffix("/") { throw ValidationError("--out must name a file.") }
        if let keyFile, Self.samePath(keyFile, out) {
            throw ValidationError("--out must not be the key file: the key never goes into an export.")
        }
        if Self.samePath(db, out) { throw ValidationError("--out must not be the store.") }
    }

    static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath().path
            == URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath().path
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue {
            throw DataError(message: "\(out): is a folder; --out must name a file")
        }
        let database = try storeErrors { try AuditStore.openReading(StoreLocation(db)) }
        var pseudonymizer: Pseudonymizer?
        if pseudonymize, let keyFile {
            let (loaded, state) = try exportErrors { try Pseudonymizer.load(keyFile: keyFile) }
            pseudonymizer = loaded
            let standardError = Output(descriptor: 2)
            switch state {
            case .created:
                standardError.write("Created the key file \(keyFile) (mode 0600); keep it apart from exports.\n")
            case .readableByOthers:
                standardError.write("Warning: the key file \(keyFile) is readable by others; run chmod 600 on it.\n")
            case .read: break
            }
            standardError.flush()
        }
        let options = ExportOptions(
            format: format.format, shape: shape.shape, dialect: dialect?.dialect ?? .excelDA,
            pseudonymizer: pseudonymizer,
            includeRemarks: !noRemarks)
        let summary = try exportErrors {
            try storeErrors { try Exporter.export(from: database, to: out, options: options) }
        }
        if summary.redactions > 0 {
            let standardError = Output(descriptor: 2)
            standardError.write("Redacted \(summary.redactions) CPR-like values\n")
            standardError.flush()
        }
        let output = Output()
        let what = shape == .long ? "answers" : "reviews"
        output.write(
            "Exported \(summary.rows) \(what) (\(summary.reviews) reviews, \(summary.columns.count) columns) to \(out)\n"
        )
        output.flush()
    }
}

private func exportErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExportError {
        // The library says what is wrong; the flags to use are the command's.
        let advice = error.code == .tooLarge ? " (--format csv or --format sqlite, or --shape wide)" : ""
        throw DataError(message: error.description + advice)
    }
}
