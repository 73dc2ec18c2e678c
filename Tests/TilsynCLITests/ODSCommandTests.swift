import Foundation
import Testing
import TilsynSheets
import TilsynTestSupport

/// `tilsyn cat` and `tilsyn import` on OpenDocument spreadsheets, through the built binary.
@Suite struct ODSCommandTests {
    @Test func catPrintsTheCellsOfAnODSFile() throws {
        let directory = try TemporaryDirectory("cli-ods")
        defer { directory.cleanUp() }
        var builder = ODSBuilder()
        builder.addSheet(
            "Svar", rows: ODSBuilder.row(ODSBuilder.text("Spørgsmål"), ODSBuilder.text("Svar"))
                + ODSBuilder.row(ODSBuilder.text("U.1"), ODSBuilder.text("Ja"), repeated: 2)
                + ODSBuilder.row(ODSBuilder.empty(3), ODSBuilder.number("2.5")))
        try Data(builder.build()).write(to: directory.url.appendingPathComponent("svar.ods"))
        let result = try runTilsyn(["cat", directory.path("svar.ods")])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 7, "\(result.stdout)")
        #expect(lines.first == #"{"sheet":"Svar","cell":"A1","type":"string","value":"Spørgsmål"}"#)
        #expect(lines.contains(#"{"sheet":"Svar","cell":"B3","type":"string","value":"Ja"}"#))
        #expect(lines.last == #"{"sheet":"Svar","cell":"D4","type":"number","value":2.5}"#)
    }

    @Test func catRefusesAnODSRepeatBombQuickly() throws {
        let directory = try TemporaryDirectory("cli-ods-bomb")
        defer { directory.cleanUp() }
        var builder = ODSBuilder()
        builder.addSheet("A", rows: ODSBuilder.row(ODSBuilder.text("X", repeated: 16_384), repeated: 1_048_576))
        try Data(builder.build()).write(to: directory.url.appendingPathComponent("bombe.ods"))
        let result = try runTilsyn(["cat", directory.path("bombe.ods")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("repeat counts"), "\(result.stderr)")
    }

    @Test(
        "import stores a template that LibreOffice saved as .ods",
        .enabled(if: ExternalTools.soffice != nil || TestPaths.isCI, "soffice is not on PATH (install libreoffice-calc-nogui)"))
    func importOfALibreOfficeODS() throws {
        let soffice = try #require(Requirement.soffice())
        let directory = try TemporaryDirectory("cli-ods-import")
        defer { directory.cleanUp() }
        let source = TestPaths.packageRoot.appendingPathComponent("Samples/returned/2025/niveau2/S-2025-0001.xlsx")
        try FileManager.default.copyItem(at: source, to: directory.url.appendingPathComponent("S-2025-0001.xlsx"))
        let run = try ExternalTools.convertWithLibreOffice(
            soffice, files: [directory.path("S-2025-0001.xlsx")], to: "ods", outputDirectory: directory.url)
        #expect(run.status == 0 && !run.killed, "\(run.output)")
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("S-2025-0001.xlsx"))

        let result = try runTilsyn(["import", directory.url.path, "--db", directory.path("t.sqlite")])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        // The summary line is English on this branch and Danish on main after issue 12's other half.
        #expect(
            result.stdout.contains("Reviews stored: 1") || result.stdout.contains("Gennemgange gemt: 1"),
            "\(result.stdout)")
    }
}
