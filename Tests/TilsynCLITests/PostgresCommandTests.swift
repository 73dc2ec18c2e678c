import Foundation
import Synchronization
import Testing
import TilsynAudit
import TilsynSamples
import TilsynTestSupport

/// `--db postgres://…` (and `TILSYN_DB`) through `tilsyn`: import, validate, the analysis commands, export and config
/// give what they give on SQLite; four processes importing at once store every file once.
@Suite(.needsPostgres) struct PostgresCommandTests {
    static var samples: String { TestPaths.packageRoot.appendingPathComponent("Samples/returned").path }

    @Test func importAndAnalysisGiveWhatTheyGiveOnSQLite() throws {
        let database = try TestPostgres.Database("cli")
        defer { database.drop() }
        let directory = try TemporaryDirectory("cli-postgres")
        defer { directory.cleanUp() }
        let file = directory.path("t.sqlite")
        for db in [file, database.url] {
            let imported = try runTilsyn(["import", Self.samples, "--db", db, "--kommune", SampleData.kommune])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        for command in [
            ["summary", "--by", "theme", "--by", "kommune", "--format", "json"],
            ["agreement", "--by", "round", "--format", "json"], ["trend", "--by", "step", "--format", "csv"],
            ["summary", "--external", "--by", "unit", "--format", "csv"], ["config", "get", "baseline-level"],
        ] {
            let sqlite = try runTilsyn(command + ["--db", file])
            let postgres = try runTilsyn(command + ["--db", database.url])
            #expect(sqlite.status == 0 && postgres.status == 0, "\(command): \(postgres.stderr)")
            #expect(postgres.stdout == sqlite.stdout, "\(command)")
        }
        // The report and the feedback workbooks: the same as from SQLite.
        for db in [file, database.url] {
            let name = db == file ? "sqlite" : "postgres"
            #expect(try runTilsyn(
                ["report", "--db", db, "--internal", "--date", "2026-12-04", "--out", directory.path("\(name).html")]
            ).status == 0)
            #expect(
                try runTilsyn(["feedback", "--db", db, "--round", "2025", "--out", directory.path(name)]).status == 0)
        }
        #expect(try Data(contentsOf: directory.url.appendingPathComponent("postgres.html"))
            == Data(contentsOf: directory.url.appendingPathComponent("sqlite.html")))
        let workbooks = try FileManager.default.contentsOfDirectory(atPath: directory.path("sqlite")).sorted()
        #expect(workbooks.count > 5)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("postgres")).sorted() == workbooks)

        // TILSYN_DB stands for --db.
        let environment = ["TILSYN_DB": database.url]
        let viaEnvironment = try runProcess(
            TestPaths.tilsynExecutable, ["summary", "--by", "round", "--format", "csv"], environment: environment)
        #expect(
            viaEnvironment.stdout
                == (try runTilsyn(["summary", "--by", "round", "--format", "csv", "--db", file])).stdout)

        // Every export format and shape: the same bytes as from SQLite.
        for (format, shape) in [("csv", "long"), ("ndjson", "wide"), ("sqlite", "long"), ("xlsx", "wide")] {
            for db in [file, database.url] {
                let name = (db == file ? "sqlite-" : "postgres-") + shape + "." + format
                let result = try runTilsyn(
                    ["export", "--db", db, "--format", format, "--shape", shape, "--out", directory.path(name)])
                #expect(result.status == 0, "\(format) \(shape): \(result.stderr)")
            }
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: directory.path("postgres-\(shape).\(format)")))
                    == Data(contentsOf: URL(fileURLWithPath: directory.path("sqlite-\(shape).\(format)"))),
                "\(format) \(shape)")
        }
        // validate against the store: the same findings (the samples are stored: unchanged resubmissions).
        let validations = try [file, database.url].map { db in
            try runTilsyn(["validate", Self.samples, "--db", db, "--kommune", SampleData.kommune])
        }
        #expect(validations[1].status == validations[0].status && validations[1].stdout == validations[0].stdout)
        #expect(validations[1].stderr == validations[0].stderr)
        // config set and unset, and a kept catalogue, as on SQLite.
        #expect(try runTilsyn(["config", "set", "baseline-level", "1", "--db", database.url]).status == 0)
        #expect(try runTilsyn(["config", "get", "baseline-level", "--db", database.url]).stdout.hasPrefix("1 (set"))
        #expect(try runTilsyn(["config", "unset", "baseline-level", "--db", database.url]).status == 0)
        #expect(try runTilsyn(["config", "get", "baseline-level", "--db", database.url]).stdout
            == (try runTilsyn(["config", "get", "baseline-level", "--db", file])).stdout)
        let workbook = directory.path("katalog.xlsx")
        #expect(try runTilsyn(["catalog", "export", "sbs-tematiseret", "--out", workbook]).status == 0)
        #expect(try runTilsyn(["catalog", "import", workbook, "--db", database.url, "--out", "/dev/null"]).status == 0)
        let listed = try runTilsyn(["catalogs", "--db", database.url]).stdout.split(separator: "\n")
        #expect(listed.contains { $0.hasPrefix("sbs-tematiseret") && $0.contains("store postgres://") }, "\(listed)")
        // A password in the URL is refused and never repeated.
        let secret = database.url.replacingOccurrences(of: "tilsyn@", with: "tilsyn:hemmelig@")
        let refused = try runTilsyn(["summary", "--db", secret])
        #expect(refused.status != 0 && refused.stderr.contains("PGPASSWORD") && !refused.stderr.contains("hemmelig"))
    }

    /// Four processes import the same 1,000 returned workbooks at once, each in its own order: every file is stored
    /// once (the others find it stored), no process fails or meets a deadlock, and the counts equal those of one
    /// import into SQLite.
    @Test func fourProcessesImportingAtOnceStoreEveryFileOnce() throws {
        let database = try TestPostgres.Database("concurrent")
        defer { database.drop() }
        let directory = try TemporaryDirectory("cli-concurrent")
        defer { directory.cleanUp() }
        let catalogue = try CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas"))
            .load("kk-2025")
        let folder = directory.path("returned")
        #expect(try BenchmarkWorkbooks.write(count: 1_000, catalogue: catalogue, seed: 19, to: folder) == 1_000)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            .map { folder + "/" + $0 }
        #expect(files.count == 1_000)
        let results = Mutex<[ProcessResult]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            // Each process in its own order, so that they meet on every file.
            let order = index % 2 == 0 ? files : files.reversed()
            if let result = try? runTilsyn(["import"] + order + ["--db", database.url]) {
                results.withLock { $0.append(result) }
            }
        }
        let done = results.withLock { $0 }
        #expect(done.count == 4)
        for result in done {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.lowercased().contains("deadlock"))
        }
        let sqlite = directory.path("t.sqlite")
        #expect(try runTilsyn(["import"] + files + ["--db", sqlite]).status == 0)
        for command in [["summary", "--by", "question", "--format", "csv"], ["agreement", "--format", "csv"]] {
            #expect(
                try runTilsyn(command + ["--db", database.url]).stdout == runTilsyn(command + ["--db", sqlite]).stdout)
        }
        let again = try runTilsyn(["import"] + files + ["--db", database.url])
        #expect(again.status == 0 && again.stdout.contains("1000 allerede indlæst"), "\(again.stdout)")
    }
}
