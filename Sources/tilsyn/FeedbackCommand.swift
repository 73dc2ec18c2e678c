import ArgumentParser
import Foundation
import TilsynAnalysis
import TilsynAudit
import TilsynRender
import TilsynStore

/// `tilsyn feedback`: learning workbooks for the units after a round.
struct FeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Write a learning workbook per unit (and per caseworker) from a round's reviews.",
        discussion: """
            For each unit (or only --unit), writes feedback-<unit>.xlsx with, per case, the questions answered Nej or \
            Lav grad at any level with the remarks, the questions where the levels disagreed (each level's answer \
            side by side), and the unit's compliance per sagsskridt beside its whole municipality's (its kommune's \
            units). Where the case list had a sagsbehandler column, one workbook per caseworker is written as well \
            (feedback-<unit>-<caseworker>.xlsx). The workbooks are internal: they hold case numbers, remarks and \
            caseworkers' names, say so on their first sheet, and there is no external version.
            """)

    @Option(help: storeHelp)
    var db: String = AuditStore.defaultLocation

    @Option(help: "The round (runde).")
    var round: String

    @Option(help: "Only this unit (enhed), as stored; in a store of several kommuner with its kommune: 'Aarhus: Vest'.")
    var unit: String?

    @Option(help: "The folder to write the workbooks to (created if missing).")
    var out: String

    @OptionGroup var catalogueSources: CatalogueOptions

    @Flag(help: "Not available: feedback holds case numbers and remarks and is never external.")
    var external = false

    func validate() throws {
        if external {
            throw ValidationError("feedback is internal by nature (case numbers and remarks); there is no --external.")
        }
    }

    func run() throws {
        let reader = try storeErrors { try StoreReader(path: db) }
        let catalogues = try? CatalogueSet(store: catalogueSources.store(db: db))
        let temanedslag = Set(catalogues?.byID.values.flatMap { $0.temanedslag?.questions.map(\.id) ?? [] } ?? [])
        try dataErrors {
            let units = try Feedback.units(round: round, in: reader)
            guard !units.isEmpty else { throw DataError(message: "the store has no reviews in round '\(round)'") }
            let chosen = try unit.map { name -> [String] in
                guard units.contains(name) else {
                    throw DataError(message: "round '\(round)' has no reviews of the unit '\(name)'; its units are: "
                        + units.joined(separator: ", "))
                }
                return [name]
            } ?? units
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw DataError(message: "\(out): cannot create the folder")
            }
            var written = 0
            for name in chosen {
                let feedback = try Feedback.load(unit: name, round: round, temanedslag: temanedslag, from: reader)
                try FeedbackWorkbook.write(feedback, title: name, to: path("feedback-" + Self.fileSafe(name)))
                written += 1
                let caseworkers = Set(feedback.cases.compactMap(\.caseworker)).sorted()
                for caseworker in caseworkers {
                    var own = feedback
                    own.cases = feedback.cases.filter { $0.caseworker == caseworker }
                    try FeedbackWorkbook.write(
                        own, title: "\(name), \(caseworker)",
                        to: path("feedback-" + Self.fileSafe(name) + "-" + Self.fileSafe(caseworker)))
                    written += 1
                }
            }
            let output = Output(descriptor: 2)
            output.write("Wrote \(written) feedback workbook\(written == 1 ? "" : "s") to \(out) (internal)\n")
            output.flush()
        }
    }

    private func path(_ base: String) -> String {
        URL(fileURLWithPath: out).appendingPathComponent(base + ".xlsx").path
    }

    /// A name as part of a file name: letters, digits and `-`; anything else `_`.
    static func fileSafe(_ name: String) -> String {
        String(name.unicodeScalars.map { scalar -> Character in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" ? Character(scalar) : "_"
        })
    }
}
