import Foundation
import TilsynSamples
import GRDB
import Testing
import TilsynAudit
import TilsynTestSupport

/// The committed samples imported once, with CPR numbers and Danish letters planted in remarks (the import
/// rejects CPR numbers, so they go in with SQL, as an older store might hold them).
final class ExportSampleStore: Sendable {
    static let shared = Result { try ExportSampleStore() }
    static let plantedCPR = ["010101-1234", "2912881234", "311299 4321"]
    static let danishRemark = "Barnet ønsker mere samvær med sin far; bør følges op. ÆØÅ"

    let directory: TemporaryDirectory
    let db: String
    let reviews: Int
    let answers: Int

    private init() throws {
        directory = try TemporaryDirectory("cli-export")
        // The store outlives every test of the run; remove it when the test process exits.
        atexit { if case .success(let store) = ExportSampleStore.shared { store.directory.cleanUp() } }
        db = directory.path("t.sqlite")
        let samples = TestPaths.packageRoot.appendingPathComponent("Samples/returned").path
        let result = try runTilsyn(["import", samples, "--db", db, "--kommune", SampleData.kommune])
        guard result.status == 0 else { throw ExportTestError(message: "import failed: \(result.stderr)") }
        let queue = try DatabaseQueue(path: db)
        (reviews, answers) = try queue.write { db in
            try db.execute(
                sql: "UPDATE answer SET remark = ? WHERE question = 'U.1' AND review_id % 3 = 0",
                arguments: ["Mor (CPR \(Self.plantedCPR[0])) er orienteret"])
            try db.execute(
                sql: "UPDATE answer SET remark = ? WHERE question = 'I.1' AND review_id % 5 = 0",
                arguments: ["Far: \(Self.plantedCPR[1]), søster \(Self.plantedCPR[2])"])
            try db.execute(
                sql: "UPDATE answer SET remark = ? WHERE question = 'T.1'", arguments: [Self.danishRemark])
            return (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM review") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM answer") ?? 0
            )
        }
        try queue.close()
    }

    /// Exports with `arguments` to `name` in a fresh folder; returns the path and the run.
    func export(_ name: String, _ arguments: [String]) throws -> (String, ProcessResult) {
        let path = directory.path(name)
        return (path, try runTilsyn(["export", "--db", db, "--out", path] + arguments))
    }
}

struct ExportTestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

@Suite struct ExportCommandTests {
    static func store() throws -> ExportSampleStore { try ExportSampleStore.shared.get() }

    /// Every format and shape, read back by pandas, DuckDB and openpyxl: columns, types and row counts.
    @Test(.needsPython) func everyFormatReadsBackInPandasDuckDBAndOpenpyxl() throws {
        let store = try Self.store()
        var files: [String] = []
        for format in ["csv", "xlsx", "json", "ndjson", "sqlite"] {
            for shape in ["long", "wide"] {
                var arguments = ["--format", format, "--shape", shape]
                if format == "csv" { arguments += ["--dialect", "rfc4180"] }
                let (path, result) = try store.export("all-\(shape).\(format)", arguments)
                #expect(result.status == 0, "\(format) \(shape): \(result.stderr)")
                #expect(result.stderr.contains("Redacted "), "\(format) \(shape): \(result.stderr)")
                #expect(!ExportSampleStore.plantedCPR.contains { result.stderr.contains($0) })
                files.append(path)
            }
        }
        let (danish, result) = try store.export("all-long-da.csv", ["--format", "csv"])
        #expect(result.status == 0)
        files.append(danish)
        let python = try #require(TestPaths.python, "no .venv/bin/python: bash .ci/run creates it")
        let check = try runPython(
            python, script: Self.oracle, arguments: [String(store.reviews), String(store.answers)] + files)
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("ok"), "\(check.stdout)")
    }

    /// The Python oracle: pandas and DuckDB read every file; openpyxl checks the workbooks' tables and types.
    static let oracle = #"""
        import sys, json, sqlite3, re, warnings
        import pandas as pd, duckdb, openpyxl
        warnings.simplefilter("ignore")
        reviews, answers = int(sys.argv[1]), int(sys.argv[2])
        files = sys.argv[3:]
        LONG = ["round", "level", "case_number", "kommune", "unit", "measure", "age", "reviewer", "review_date",
                "catalogue", "catalogue_version", "question", "step", "themes", "question_type", "applies", "answer",
                "answer_code", "remark", "source_file", "source_sha256", "sheet", "cell"]
        WIDE_HEAD = LONG[:11] + ["source_file", "source_sha256"]
        CPR = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d\d[- ]?\d{4}(?!\d)")

        def check(frame, path, shape, date_is_date=True):
            rows = answers if shape == "long" else reviews
            assert len(frame) == rows, (path, len(frame), rows)
            cols = list(frame.columns)
            if shape == "long":
                assert cols == LONG, (path, cols)
                assert pd.api.types.is_integer_dtype(frame["answer_code"].dropna().astype("int64")), path
                assert set(frame["answer"].dropna()) <= {"Ja", "Nej", "Ikke relevant", "Lav grad", "Nogen grad",
                                                         "Høj grad"}, path
            else:
                assert cols[:13] == WIDE_HEAD, (path, cols[:13])
                assert "U.1" in cols and "U.1_bemaerkning" in cols, path
                assert cols.index("U.1") < cols.index("T.1"), path
            for name in ["level", "measure"]:
                assert pd.api.types.is_integer_dtype(frame[name]), (path, name, frame[name].dtype)
            if date_is_date:
                assert pd.api.types.is_datetime64_any_dtype(frame["review_date"]), (path, frame["review_date"].dtype)
            for column in frame.columns:
                if column != "source_sha256":
                    assert not frame[column].dropna().astype(str).str.contains(CPR).any(), (path, column)
            remarks = frame["remark" if shape == "long" else "T.1_bemaerkning"].dropna()
            assert remarks.str.contains("ønsker mere samvær").any(), path

        for path in files:
            shape = "wide" if "-wide." in path else "long"
            if path.endswith("-da.csv"):
                frame = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", parse_dates=["review_date"],
                                    dayfirst=True, date_format="%d-%m-%Y")
                check(frame, path, shape)
                con = duckdb.connect()
                rel = con.sql(f"SELECT * FROM read_csv('{path}', delim=';', decimal_separator=',', "
                              "dateformat='%d-%m-%Y', header=true)")
                types = dict(zip(rel.columns, map(str, rel.types)))
                assert types["level"] == "BIGINT" and types["review_date"] == "DATE", types
                assert con.sql(f"SELECT count(*) FROM read_csv('{path}', delim=';')").fetchall()[0][0] == answers
            elif path.endswith(".csv"):
                frame = pd.read_csv(path, parse_dates=["review_date"])
                check(frame, path, shape)
                rel = duckdb.sql(f"SELECT * FROM read_csv_auto('{path}')")
                types = dict(zip(rel.columns, map(str, rel.types)))
                assert types["level"] == "BIGINT" and types["review_date"] == "DATE", types
                assert len(rel.fetchall()) == (answers if shape == "long" else reviews)
            elif path.endswith(".ndjson") or path.endswith(".json"):
                frame = pd.read_json(path, lines=path.endswith(".ndjson"), convert_dates=["review_date"],
                                     dtype={"round": str, "catalogue_version": str})
                check(frame, path, shape)
                rel = duckdb.sql(f"SELECT * FROM read_json_auto('{path}')")
                types = dict(zip(rel.columns, map(str, rel.types)))
                assert types["level"] == "BIGINT" and types["review_date"] == "DATE", types
                assert len(rel.fetchall()) == (answers if shape == "long" else reviews)
            elif path.endswith(".sqlite"):
                con = sqlite3.connect(path)
                table = "answers" if shape == "long" else "reviews"
                declared = {row[1]: row[2] for row in con.execute(f"PRAGMA table_info({table})")}
                assert declared["level"] == "INTEGER" and declared["review_date"] == "DATE", declared
                frame = pd.read_sql(f'SELECT * FROM "{table}"', con, parse_dates=["review_date"])
                check(frame, path, shape)
                questions = pd.read_sql("SELECT * FROM questions", con)
                assert len(questions) > 0 and "text" in questions.columns
            elif path.endswith(".xlsx"):
                book = openpyxl.load_workbook(path)
                assert book.sheetnames == ["Data", "Spørgsmål"], book.sheetnames
                sheet = book["Data"]
                assert sheet.freeze_panes == "A2", sheet.freeze_panes
                table = sheet.tables["Data"]
                rows = answers if shape == "long" else reviews
                assert table.ref.endswith(str(rows + 1)), table.ref
                header = [cell.value for cell in sheet[1]]
                assert [c.name for c in table.tableColumns] == header
                second = {name: cell for name, cell in zip(header, sheet[2])}
                assert second["level"].data_type == "n" and isinstance(second["level"].value, int)
                assert second["review_date"].is_date, second["review_date"].number_format
                assert book["Spørgsmål"]["A1"].value == "Katalog"
                # The workbook is loaded once (openpyxl is slow on 19,000 rows); pandas types the cells' values.
                values = sheet.iter_rows(values_only=True)
                frame = pd.DataFrame(list(values)[1:], columns=header)
                check(frame, path, shape)
            else:
                raise AssertionError(path)
        print("ok")
        """#

    /// LibreOffice opens the Danish CSV as Danish Excel would: æøå intact, numbers as numbers, dates as dates.
    @Test(.needsPython) func libreOfficeReadsTheDanishCSV() throws {
        let store = try Self.store()
        let (csv, result) = try store.export("lo-long.csv", ["--format", "csv", "--dialect", "excel-da"])
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: csv))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(bytes.range(of: Data("\r\n".utf8)) != nil)
        guard let soffice = Self.soffice else {
            #expect(!TestPaths.isCI, "soffice is not on PATH: install libreoffice-calc-nogui (.ci/run does)")
            return
        }
        let outDirectory = store.directory.url.appendingPathComponent("lo")
        try FileManager.default.createDirectory(at: outDirectory, withIntermediateDirectories: true)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("lo-profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        // Separator ';' (59), quote '"' (34), UTF-8 (76), from line 1, Danish locale (1030).
        let converted = try runProcess(
            soffice,
            [
                "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore",
                "--infilter=CSV:59,34,76,1,,1030", "--convert-to", "xlsx", "--outdir", outDirectory.path, csv,
            ])
        #expect(converted.status == 0, "\(converted.stderr)")
        let xlsx = outDirectory.appendingPathComponent("lo-long.xlsx").path
        let python = try #require(TestPaths.python, "no .venv/bin/python: bash .ci/run creates it")
        let check = try runPython(
            python,
            script: """
                import sys, openpyxl
                sheet = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
                header = [cell.value for cell in sheet[1]]
                assert header[:3] == ["round", "level", "case_number"], header
                rows = list(sheet.iter_rows(min_row=2, values_only=True))
                assert len(rows) == int(sys.argv[2]), len(rows)
                level, measure, code = header.index("level"), header.index("measure"), header.index("answer_code")
                assert all(isinstance(r[level], (int, float)) for r in rows)
                assert all(isinstance(r[measure], (int, float)) for r in rows)
                assert all(r[code] is None or isinstance(r[code], (int, float)) for r in rows)
                date = header.index("review_date")
                assert all(hasattr(r[date], "year") for r in rows if r[date] is not None), rows[0][date]
                remark = header.index("remark")
                assert any(r[remark] == sys.argv[3] for r in rows)
                print("ok")
                """, arguments: [xlsx, String(store.answers), ExportSampleStore.danishRemark])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
    }

    static let soffice: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("soffice") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    @Test func pseudonymsAreStableForOneKeyAndDifferentAcrossKeys() throws {
        let store = try Self.store()
        let key = store.directory.path("nøgle.key")
        let (first, created) = try store.export(
            "p1.csv", ["--format", "csv", "--shape", "wide", "--no-remarks", "--pseudonymize", "--key-file", key])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("Created the key file"))
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let (second, again) = try store.export(
            "p2.csv", ["--format", "csv", "--shape", "wide", "--no-remarks", "--pseudonymize", "--key-file", key])
        #expect(again.status == 0)
        #expect(!again.stderr.contains("Created the key file"))
        let (third, other) = try store.export(
            "p3.csv",
            [
                "--format", "csv", "--shape", "wide", "--no-remarks", "--pseudonymize", "--key-file",
                store.directory.path("andet.key"),
            ])
        #expect(other.status == 0)

        func pseudonyms(_ path: String) throws -> [String] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return text.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ";")[2]) }
        }
        let one = try pseudonyms(first)
        #expect(one.count == store.reviews)
        #expect(one.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
        #expect(try pseudonyms(second) == one)
        #expect(Set(try pseudonyms(third)).isDisjoint(with: Set(one)))
        let keyText = try String(contentsOfFile: key, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        for path in [first, second] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            // No case number anywhere: not in the case column, not in the file names (the samples' files are
            // named after the case).
            #expect(!text.contains("S-2024-"))
            #expect(!text.contains("S-2025-"))
            #expect(!text.contains(keyText))
            #expect(text.trimmingPrefix("\u{FEFF}").hasPrefix("round;level;case_pseudonym;"))
        }
    }

    @Test func noRemarksLeavesRemarksOut() throws {
        let store = try Self.store()
        let (path, result) = try store.export("bare.ndjson", ["--format", "ndjson", "--no-remarks"])
        #expect(result.status == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("\"remark\""))
        #expect(!text.contains("ønsker mere samvær"))
        let (wide, _) = try store.export("bare-wide.ndjson", ["--format", "ndjson", "--shape", "wide", "--no-remarks"])
        #expect(!(try String(contentsOfFile: wide, encoding: .utf8)).contains("_bemaerkning"))
    }

    @Test func badInvocationsAndDataErrorsFailClearly() throws {
        let store = try Self.store()
        let usage: [[String]] = [
            ["--format", "xlsx", "--dialect", "excel-da"],
            ["--format", "csv", "--pseudonymize"],
            ["--format", "csv", "--key-file", "k.key"],
            ["--format", "parquet"],
            ["--format", "csv", "--shape", "tall"],
        ]
        for arguments in usage {
            let (_, result) = try store.export("bad.csv", arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
        let key = store.directory.path("same.key")
        let same = try runTilsyn([
            "export", "--db", store.db, "--format", "csv", "--pseudonymize", "--key-file", key, "--out", key,
        ])
        #expect(same.status == 64)
        #expect(!FileManager.default.fileExists(atPath: key))

        let missing = try runTilsyn([
            "export", "--db", store.directory.path("none.sqlite"), "--format", "csv", "--out",
            store.directory.path("x.csv"),
        ])
        #expect(missing.status == 65)
        #expect(missing.stderr.hasPrefix("Error: "))
        #expect(missing.stderr.contains("there is no store"))

        let unwritable = store.directory.path("no-such-folder/out.xlsx")
        let (_, failed) = try store.export("no-such-folder/out.xlsx", ["--format", "xlsx"])
        #expect(failed.status == 65)
        #expect(failed.stderr.hasPrefix("Error: "), "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: unwritable))
    }

    /// `--out /dev/null` writes into the device: a rename over it (as root) put a regular file in its place.
    @Test(arguments: ["csv", "ndjson", "json", "xlsx", "sqlite"])
    func exportingToDevNullLeavesTheDevice(format: String) throws {
        let store = try Self.store()
        let result = try runTilsyn(["export", "--db", store.db, "--out", "/dev/null", "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
    }

    /// The commands that write text files (a summary, a catalogue's JSON) write into `/dev/null` too (a report's
    /// format follows its file's extension, so it is never written to `/dev/null`).
    @Test func textOutputsToDevNullLeaveTheDevice() throws {
        let store = try Self.store()
        let workbook = store.directory.path("katalog.xlsx")
        #expect(try runTilsyn(["catalog", "export", "sbs-overordnet", "--out", workbook]).status == 0)
        let runs = [
            ["summary", "--db", store.db, "--by", "question", "--format", "json", "-o", "/dev/null"],
            ["catalog", "import", workbook, "--out", "/dev/null"],
        ]
        for arguments in runs {
            let result = try runTilsyn(arguments)
            #expect(result.status == 0, "\(arguments[0]): \(result.stderr)")
            let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/null")
            #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial, "\(arguments[0])")
        }
    }
}
