internal import Foundation
internal import TilsynSheets

/// One case from a case list: the metadata a template is prefilled with.
public struct CaseRecord: Sendable, Equatable {
    /// The case number or pseudonym (never a CPR number).
    public var sagsnummer: String
    /// The enhed (unit) owning the case.
    public var enhed: String
    /// The indsats under barnets lov.
    public var indsats: Indsats
    /// The child's age in years, when given.
    public var alder: Int?
    /// The underretning or henvendelse the review starts from.
    public var udgangspunkt: String
    /// Its date as given in the list (`dd-mm-yyyy` or ISO).
    public var udgangspunktDato: String
    /// The municipality owning the case, when the list has a `kommune` column (a list across municipalities).
    public var kommune: String?
    /// Further columns of the list, in their order, kept as metadata.
    public var extra: [MetadataField]
    /// The line of the case in the list (1-based), for errors that must not show the case number.
    public var line: Int

    /// A case from the list.
    public init(
        sagsnummer: String, enhed: String, indsats: Indsats, alder: Int? = nil, udgangspunkt: String = "",
        udgangspunktDato: String = "", kommune: String? = nil, extra: [MetadataField] = [], line: Int = 0
    ) {
        self.sagsnummer = sagsnummer
        self.enhed = enhed
        self.indsats = indsats
        self.alder = alder
        self.udgangspunkt = udgangspunkt
        self.udgangspunktDato = udgangspunktDato
        self.kommune = kommune
        self.extra = extra
        self.line = line
    }
}

/// A named metadata value, such as an extra column of the case list.
public struct MetadataField: Sendable, Equatable {
    /// The name (a column header).
    public var key: String
    /// The value.
    public var value: String

    /// A metadata value named `key`.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Reads the case list: a CSV file (`;` or `,`, UTF-8 or Windows-1252) with the header
/// `sagsnummer;enhed;indsats;alder;udgangspunkt;udgangspunkt_dato`, and `kommune` in a list across
/// municipalities; further columns are kept as metadata.
public enum CaseList {
    /// The standard columns, in order.
    public static let columns = ["sagsnummer", "enhed", "indsats", "alder", "udgangspunkt", "udgangspunkt_dato"]

    /// The header of the list and its cases.
    public struct Contents: Sendable, Equatable {
        /// The header as written (extra columns included), for writing the list out again.
        public var header: [String]
        /// The fields of each case as written, parallel to `cases`.
        public var rows: [[String]]
        /// The cases, in list order.
        public var cases: [CaseRecord]
    }

    /// Reads the list at `path`; errors name the file and line but never a case number.
    public static func read(path: String) throws -> Contents {
        do {
            return try parse(CSVReader(path: path), file: path)
        } catch let error as SpreadsheetError {
            throw CatalogueError(.invalidCaseList, error.description)
        }
    }

    /// Reads a list from bytes; `name` is used in errors.
    public static func read(bytes: [UInt8], name: String) throws -> Contents {
        do {
            return try parse(CSVReader(bytes: bytes, name: name), file: name)
        } catch let error as SpreadsheetError {
            throw CatalogueError(.invalidCaseList, error.description)
        }
    }

    private static func key(_ header: String) -> String {
        header.trimmed.lowercased().replacingOccurrences(of: " ", with: "_")
    }

    private static func parse(_ reader: CSVReader, file: String) throws -> Contents {
        guard let headerRecord = try reader.next() else {
            throw CatalogueError(.invalidCaseList, "the case list is empty; its first line must be the header "
                + columns.joined(separator: ";"), file: file)
        }
        let header = headerRecord.fields.map(\.trimmed)
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() where index[key(name)] == nil { index[key(name)] = position }
        if index["sagsnummer"] == nil, let pseudonym = index["pseudonym"] { index["sagsnummer"] = pseudonym }
        for required in ["sagsnummer", "indsats"] where index[required] == nil {
            throw CatalogueError(.invalidCaseList, "the header lacks the column '\(required)'; expected "
                + columns.joined(separator: ";"), file: file, location: "line \(headerRecord.line)")
        }
        let known = Set(columns + ["pseudonym", "kommune"])
        var rows: [[String]] = []
        var cases: [CaseRecord] = []
        var seen: Set<String> = []
        while let record = try reader.next() {
            let fields = record.fields
            if fields.allSatisfy({ $0.trimmed.isEmpty }) { continue }
            func value(_ name: String) -> String {
                guard let position = index[name], position < fields.count else { return "" }
                return fields[position].trimmed
            }
            let location = "line \(record.line)"
            let number = value("sagsnummer")
            guard !number.isEmpty else {
                throw CatalogueError(.invalidCaseList, "the case has no sagsnummer", file: file, location: location)
            }
            // A case is its number within its kommune.
            let kommune = value("kommune")
            guard seen.insert(kommune + "\u{1F}" + number).inserted else {
                throw CatalogueError(.invalidCaseList, "the sagsnummer appears on an earlier line too"
                    + (kommune.isEmpty ? "" : " of the same kommune"), file: file, location: location)
            }
            guard let indsats = Indsats(text: value("indsats")) else {
                throw CatalogueError(.invalidCaseList, "indsats must be 30, 32, 46 or 47 (or § 32); found '"
                    + value("indsats") + "'", file: file, location: location)
            }
            let ageText = value("alder")
            var age: Int?
            if !ageText.isEmpty {
                guard let parsed = Int(ageText), (0...30).contains(parsed) else {
                    throw CatalogueError(.invalidCaseList, "alder must be a whole number of years", file: file,
                                         location: location)
                }
                age = parsed
            }
            var extra: [MetadataField] = []
            for (position, name) in header.enumerated() where !known.contains(key(name)) && !name.isEmpty {
                extra.append(MetadataField(key: name, value: position < fields.count ? fields[position].trimmed : ""))
            }
            rows.append(header.indices.map { $0 < fields.count ? fields[$0] : "" })
            cases.append(CaseRecord(
                sagsnummer: number, enhed: value("enhed"), indsats: indsats, alder: age,
                udgangspunkt: value("udgangspunkt"), udgangspunktDato: value("udgangspunkt_dato"),
                kommune: kommune.isEmpty ? nil : kommune, extra: extra,
                line: record.line))
        }
        return Contents(header: header, rows: rows, cases: cases)
    }
}
