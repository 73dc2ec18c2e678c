import Foundation
import Testing
import TilsynTestSupport

/// The binary users install: built for release with the Swift runtime linked in, copied alone into an empty
/// folder outside the package, and run there with no environment at all. It must find its catalogues inside itself.
///
/// The release build takes minutes, so the test runs under CI (where it must pass) or with TILSYN_TEST_RELEASE=1.
@Suite struct ReleaseBinaryTests {
    static let enabled = TestPaths.isCI || ProcessInfo.processInfo.environment["TILSYN_TEST_RELEASE"] == "1"

    @Test(.enabled(if: Self.enabled, "builds the release binary: runs under CI or with TILSYN_TEST_RELEASE=1"))
    func aCopiedReleaseBinaryRunsFromAnEmptyFolder() throws {
        let swift = try #require(ExternalTools.find(["swift"]), "swift is not on PATH")
        let scratch = TestPaths.packageRoot.appendingPathComponent(".build-release").path
        let build = try runProcess(
            swift,
            ["build", "-c", "release", "--static-swift-stdlib", "--product", "tilsyn", "--scratch-path", scratch],
            currentDirectory: TestPaths.packageRoot)
        try #require(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let built = try runProcess(swift, ["build", "-c", "release", "--scratch-path", scratch, "--show-bin-path"],
                                   currentDirectory: TestPaths.packageRoot)
        let binPath = built.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let directory = try TemporaryDirectory("installed")
        defer { directory.cleanUp() }
        let tilsyn = directory.url.appendingPathComponent("tilsyn")
        try FileManager.default.copyItem(atPath: binPath + "/tilsyn", toPath: tilsyn.path)
        let sample = TestPaths.packageRoot.appendingPathComponent("Samples/returned/2025/niveau2").path
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: sample).sorted().first)
        try FileManager.default.copyItem(atPath: sample + "/" + file, toPath: directory.path(file))

        func run(_ arguments: [String]) throws -> ProcessResult {
            try runProcess(tilsyn, arguments, environment: [:], currentDirectory: directory.url)
        }
        let version = try run(["--version"])
        #expect(version.status == 0 && version.stdout.contains("kk-2025 2025.1"), "\(version.stdout)\(version.stderr)")
        let catalogs = try run(["catalogs"])
        #expect(catalogs.status == 0, "\(catalogs.stderr)")
        for id in ["kk-2025", "sbs-overordnet", "sbs-tematiseret"] {
            #expect(catalogs.stdout.split(separator: "\n").contains { $0.hasPrefix(id) && $0.hasSuffix("built-in") })
        }
        let template = try run(["template", "--catalog", "kk-2025", "--out", "skabeloner"])
        #expect(template.status == 0, "\(template.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.path("skabeloner/tilsyn-skabelon.xlsx")))
        let imported = try run(["import", file, "--db", "t.sqlite"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Gennemgange gemt: 1;"), "\(imported.stdout)")
        let summary = try run(["summary", "--db", "t.sqlite"])
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.stdout.contains("%"), "\(summary.stdout)")

        // What it needs from the system: no Swift runtime, only C libraries Debian ships.
        let ldd = try #require(ExternalTools.find(["ldd"]))
        let libraries = try runProcess(ldd, [tilsyn.path]).stdout
        #expect(!libraries.contains("libswift") && !libraries.contains("not found"), "\(libraries)")
        #expect(libraries.contains("libxml2") && libraries.contains("libz"), "\(libraries)")
    }
}
