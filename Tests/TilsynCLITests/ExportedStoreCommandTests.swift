import Foundation
import GRDB
import Testing
import TilsynSamples
import TilsynTestSupport

/// A municipality hands its store to a shared one: `tilsyn export --format sqlite` of its store, and `tilsyn import`
/// of that export into a store on either back end, which then holds the same reviews and gives the same figures.
@Suite struct ExportedStoreCommandTests {
    static var samples: String { TestPaths.packageRoot.appendingPathComponent("Samples/returned").path }
    /// The long export's columns that say where an answer was read: the receiving store's are the export's own.
    static let provenance: Set<String> = ["source_file", "source_sha256", "sheet", "cell"]

    /// The rows of an NDJSON export, without the provenance columns.
    static func rows(_ path: String) throws -> [NSDictionary] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return row.filter { !provenance.contains($0.key) } as NSDictionary
        }
    }

    /// A municipality's SQLite store of the samples and its export (`--format sqlite`, long).
    static func municipality(_ directory: TemporaryDirectory, _ extra: [String] = []) throws -> (String, String) {
        let store = directory.path("kommune.sqlite")
        let imported = try runTilsyn(["import", samples, "--db", store, "--kommune", SampleData.kommune])
        #expect(imported.status == 0, "\(imported.stderr)")
        let export = directory.path("kommune-eksport.sqlite")
        let exported = try runTilsyn(["export", "--db", store, "--format", "sqlite", "--out", export] + extra)
        #expect(exported.status == 0, "\(exported.stderr)")
        return (store, export)
    }

    @Test(arguments: Backend.available)
    func anExportedStoreImportsAsItWasStored(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("exported-store")
        defer { directory.cleanUp() }
        let (source, export) = try Self.municipality(directory)
        let target = try TestStore(backend, in: directory, name: "national")
        defer { target.drop() }

        let imported = try runTilsyn(["import", export, "--db", target.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Gennemgange gemt: 450; svar: 19125"), "\(imported.stdout)")
        // Every answer as the municipality stored it, in the same order.
        for (db, name) in [(source, "source.ndjson"), (target.db, "target.ndjson")] {
            let result = try runTilsyn(["export", "--db", db, "--format", "ndjson", "--out", directory.path(name)])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let expected = try Self.rows(directory.path("source.ndjson"))
        #expect(expected.count == 19_125)
        #expect(try Self.rows(directory.path("target.ndjson")) == expected)
        // The same figures.
        for command in [
            ["summary", "--by", "theme", "--by", "kommune", "--format", "json"],
            ["agreement", "--by", "round", "--format", "json"], ["trend", "--by", "step", "--format", "csv"],
        ] {
            let want = try runTilsyn(command + ["--db", source])
            let got = try runTilsyn(command + ["--db", target.db])
            #expect(got.status == 0 && got.stdout == want.stdout, "\(command): \(got.stderr)")
        }
        // The same export again: already imported, nothing changes.
        let again = try runTilsyn(["import", export, "--db", target.db])
        #expect(again.status == 0 && again.stdout.contains("1 allerede indlæst"), "\(again.stdout)")
    }

    @Test(arguments: Backend.available)
    func aPseudonymisedExportKeepsItsPseudonyms(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("exported-pseudonyms")
        defer { directory.cleanUp() }
        let key = directory.path("noegle.key")
        let (_, export) = try Self.municipality(directory, ["--pseudonymize", "--key-file", key, "--no-remarks"])
        let target = try TestStore(backend, in: directory, name: "pseudonyms")
        defer { target.drop() }
        let imported = try runTilsyn(["import", export, "--db", target.db])
        #expect(imported.status == 0, "\(imported.stderr.prefix(600))")
        let out = directory.path("national.ndjson")
        #expect(try runTilsyn(["export", "--db", target.db, "--format", "ndjson", "--out", out]).status == 0)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        // The case numbers the national store holds are the pseudonyms; the municipality's numbers never arrive.
        #expect(!text.contains("S-2024-") && !text.contains("S-2025-"))
        let cases = Set(try Self.rows(out).compactMap { $0["case_number"] as? String })
        #expect(cases.count > 100 && cases.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
        #expect(try Self.rows(out).allSatisfy { $0["remark"] == nil || $0["remark"] is NSNull })
    }

    @Test(arguments: Backend.available)
    func whatIsNotAnExportIsRefusedWithAFinding(_ backend: Backend) throws {
        let directory = try TemporaryDirectory("exported-refused")
        defer { directory.cleanUp() }
        let (source, export) = try Self.municipality(directory)
        let target = try TestStore(backend, in: directory, name: "refused")
        defer { target.drop() }
        // A wide export, a store (not an export), a cut-off export, and an export whose answer was edited.
        let wide = directory.path("bred.sqlite")
        #expect(try runTilsyn(["export", "--db", source, "--format", "sqlite", "--shape", "wide", "--out", wide])
            .status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: export))
        let cut = directory.path("afkortet.sqlite")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        let edited = directory.path("rettet.sqlite")
        try bytes.write(to: URL(fileURLWithPath: edited))
        try DatabaseQueue(path: edited).write { db in
            try db.execute(sql: "UPDATE answers SET answer = 'Måske' WHERE rowid = 5")
        }
        let binary = directory.path("binaer.sqlite")
        try bytes.write(to: URL(fileURLWithPath: binary))
        try DatabaseQueue(path: binary).write { db in
            try db.execute(sql: "UPDATE answers SET remark = x'00ff' WHERE rowid = 7")
        }
        for (file, message) in [
            (wide, "bred form"), (source, "tabellen »answers« mangler"), (cut, "kan ikke"), (edited, "Q6"),
            (binary, "Cellen S8 i eksporten (kolonnen »remark«) holder binære data"),
        ] {
            let result = try runTilsyn(["import", file, "--db", target.db])
            #expect(result.status == 65, "\(file)")
            #expect(result.stdout.contains("1 afvist"), "\(file): \(result.stdout)")
            #expect(result.stderr.contains(message), "\(file): \(result.stderr)")
            #expect(!result.stderr.contains("S-2024-") && !result.stderr.contains("S-2025-"))
        }
        // Nothing of them was stored.
        let summary = try runTilsyn(["summary", "--db", target.db, "--format", "csv"])
        #expect(summary.stdout.split(separator: "\n").count <= 1, "\(summary.stdout)")
    }
}
