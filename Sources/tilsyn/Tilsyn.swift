import ArgumentParser

@main
struct Tilsyn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tilsyn",
        abstract: "Management case audits (ledelsestilsyn) under barnets lov: templates, import, analysis, reports.",
        subcommands: [
            CatCommand.self, ConvertCommand.self, CatalogsCommand.self, CatalogCommand.self, TemplateCommand.self,
            SampleCommand.self, ImportCommand.self, ValidateCommand.self, SummaryCommand.self, AgreementCommand.self,
            TrendCommand.self, ReportCommand.self, ExportCommand.self, ConfigCommand.self,
        ])

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
