import ArgumentParser

@main
struct Tilsyn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tilsyn",
        abstract: "Management case audits (ledelsestilsyn) under barnets lov: templates, import, analysis, reports.",
        subcommands: [])
}
