internal import GRDB
internal import GRDBSQLite
public import TilsynAudit
internal import TilsynSheets

/// A store's export handed to another store: `tilsyn export --format sqlite` (the long shape's `answers` table)
/// imported like a returned long CSV, so a municipality can hand its reviews to a shared (national) store.
///
/// The table's columns that describe a review and its answers are read as a long CSV's columns (`case_number` as
/// sagsnummer, `case_pseudonym` as a pseudonym, `question` as the question id, …), through the same reader, rules and
/// findings as any returned file; the columns the export derives (step, themes, question type, applies, answer code)
/// and its provenance are left out, as the importing store derives them again from its catalogues. A finding names
/// the export file and the table's row and column as a spreadsheet shows them (row 1 the header, column A `round`).
/// The file's identity is the export's bytes: the same export again is already imported, and a later export's
/// unchanged reviews are left as they are.
///
/// The database is opened from the bytes that were hashed (never the path again), read only, with its schema
/// untrusted: a hostile file can make it unreadable, never run anything.
public enum ExportedStore {
    /// The export's columns that are read, and the long CSV header each is read as.
    static let headers: [String: String] = [
        "round": "runde", "level": "niveau", "case_number": "sagsnummer", "case_pseudonym": "pseudonym",
        "kommune": "kommune", "unit": "enhed", "measure": "indsats", "age": "alder", "reviewer": "reviewer",
        "review_date": "dato", "catalogue": "katalog", "catalogue_version": "version", "question": "id",
        "answer": "svar", "remark": "bemærkning",
    ]

    /// What the sender of a file that is not an export to import does (no flags: findings go to people who may not
    /// run the command themselves).
    static let exportAgain =
        "Lav eksporten igen fra lageret som SQLite i den lange form (én række pr. svar), og send den igen."

    /// Columns an export always has.
    static let required = ["round", "level", "unit", "measure", "question", "answer"]

    /// Why a database is not an export that can be imported.
    struct Refusal: Error {
        let message: String
        let suggestion: String
    }

    /// `source` as it is read: an SQLite database as the long CSV of its `answers` table (or refused with a finding
    /// saying why), any other file as it is.
    public static func reading(_ source: ReturnedFileSource) -> ReturnedFileSource {
        guard source.isSQLiteDatabase, let bytes = source.contents else { return source }
        do {
            return source.reading(csv: try longCSV(bytes))
        } catch let refusal as Refusal {
            return source.refused(refusal.message, suggestion: refusal.suggestion)
        } catch {
            return source.refused(
                "Filen er en SQLite-database, men den kan ikke læses.",
                suggestion: exportAgain)
        }
    }

    /// The `answers` table of the export in `bytes` as a long CSV: the header, then one line per row in row order,
    /// each column in its place (columns not read left empty).
    static func longCSV(_ bytes: [UInt8]) throws -> [UInt8] {
        // A database in WAL mode (a store, or an export opened and changed by another program) says so in bytes
        // 18 and 19; SQLite cannot open such bytes from memory unless they say "rollback journal". The file's own
        // pages are read then (never its -wal file), and an export so changed is refused below.
        var bytes = bytes
        let wal = bytes.count > 19 && bytes[18] == 2 && bytes[19] == 2
        if wal { (bytes[18], bytes[19]) = (1, 1) }
        let queue = try DatabaseQueue()
        return try queue.inDatabase { db in
            try load(bytes, into: db)
            try db.execute(sql: "PRAGMA trusted_schema = OFF")
            let kind = try String.fetchOne(
                db, sql: "SELECT type FROM sqlite_master WHERE name = 'answers'")
            guard kind == "table" else {
                let wide = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reviews')")
                throw Refusal(
                    message: wide == true
                        ? "Databasen er en eksport med én række pr. gennemgang (bred form); kun den lange form kan "
                            + "indlæses."
                        : "Filen er en SQLite-database, men ikke en eksport fra Tilsyn: tabellen »answers« mangler.",
                    suggestion: exportAgain)
            }
            guard !wal else {
                throw Refusal(
                    message: "Eksporten er ændret, efter at Tilsyn skrev den (databasen er i WAL-tilstand).",
                    suggestion: "Lav eksporten igen, og send den uden at åbne og gemme den i et andet program.")
            }
            let columns = try GRDB.Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info('answers') ORDER BY cid")
                .map { (row: GRDB.Row) -> String in row[0] }
            let missing =
                required.filter { !columns.contains($0) }
                + (columns.contains("case_number") || columns.contains("case_pseudonym") ? [] : ["case_number"])
            guard missing.isEmpty else {
                throw Refusal(
                    message: "Eksporten mangler kolonnerne "
                        + missing.map { "»\($0)«" }.joined(separator: ", ") + ".",
                    suggestion: exportAgain)
            }
            let read = columns.map { headers[$0] != nil }
            // Every value as it is: no formula guard (it would add a ' to what a reviewer wrote).
            let csv = CSVWriter(options: CSVWriteOptions(dialect: .rfc4180, guardFormulas: false))
            try csv.writeRow(columns.map { headers[$0] ?? "" })
            let list = columns.map(ExportDatabase.quoted).joined(separator: ", ")
            let cursor = try GRDB.Row.fetchCursor(db, sql: "SELECT \(list) FROM answers ORDER BY rowid")
            var fields: [String] = []
            var line = 1
            while let row = try cursor.next() {
                line += 1
                fields.removeAll(keepingCapacity: true)
                for index in columns.indices {
                    guard read[index] else {
                        fields.append("")
                        continue
                    }
                    let value: DatabaseValue = row[index]
                    switch value.storage {
                    case .null: fields.append("")
                    case .int64(let number): fields.append(String(number))
                    case .double(let number): fields.append(String(number))
                    case .string(let text): fields.append(text)
                    case .blob:
                        // Not text an export writes: refused rather than read as empty.
                        let cell = CellAddress(row: line, column: index + 1)
                        throw Refusal(
                            message: "Cellen \(cell) i eksporten (kolonnen »\(columns[index])«) holder binære data, "
                                + "ikke tekst eller et tal.",
                            suggestion: exportAgain)
                    }
                }
                try csv.writeRow(fields)
            }
            return csv.bytes
        }
    }

    /// Opens `bytes` as the connection's main database, read only (SQLite frees its copy when the connection
    /// closes).
    private static func load(_ bytes: [UInt8], into db: Database) throws {
        guard let copy = sqlite3_malloc64(sqlite3_uint64(bytes.count)) else {
            throw Refusal(message: "Der er ikke hukommelse nok til at læse databasen.", suggestion: "Prøv igen.")
        }
        bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        let flags = UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY)
        let code = sqlite3_deserialize(
            db.sqliteConnection, "main", copy.assumingMemoryBound(to: UInt8.self), sqlite3_int64(bytes.count),
            sqlite3_int64(bytes.count), flags)
        guard code == SQLITE_OK else {
            throw Refusal(
                message: "Filen er en SQLite-database, men den kan ikke åbnes.",
                suggestion: exportAgain)
        }
    }
}
