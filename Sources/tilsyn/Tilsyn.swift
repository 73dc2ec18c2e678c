import ArgumentParser
import TilsynAudit

@main
struct Tilsyn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tilsyn",
        abstract: "Management case audits (ledelsestilsyn) under barnets lov: templates, import, analysis, reports.",
        version: Tilsyn.versionText,
        subcommands: [
            CatCommand.self, ConvertCommand.self, CatalogsCommand.self, CatalogCommand.self, TemplateCommand.self,
            SampleCommand.self, ImportCommand.self, ValidateCommand.self, SummaryCommand.self, AgreementCommand.self,
            TrendCommand.self, ReportCommand.self, ExportCommand.self, FeedbackCommand.self, ConfigCommand.self,
        ])

    /// The version of tilsyn.
    static let version = "0.10.0"

    /// `tilsyn --version`: the version and the built-in catalogues' versions.
    static var versionText: String {
        "tilsyn \(version)\ncatalogues: "
            + CatalogueStore.builtInVersions.map { "\($0.id) \($0.version)" }.joined(separator: ", ")
    }

    /// Runs the command; data errors print `Error: …` and exit with 65 instead of argument-parser's usage exit.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as DataError {
            let standardError = Output(descriptor: 2)
            standardError.write("Error: \(error.message)\n")
            standardError.flush()
            exit(withError: ExitCode(65))
        } catch {
            exit(withError: error)
        }
    }
}
