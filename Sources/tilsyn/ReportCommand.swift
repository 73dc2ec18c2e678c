import ArgumentParser
import Foundation
import TilsynAnalysis
import TilsynRender
import TilsynSheets
import TilsynStore

/// `tilsyn report`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "The yearly report to the Socialudvalg, as an HTML page or a workbook.",
        discussion: """
            Writes the report for one round (--round, default the latest) against a baseline (--baseline, default \
            the earliest): key figures; compliance per pejlemærke and sagsskridt, per enhed and per indsats with \
            n/N; the development since the baseline in percentage points; agreement between levels and where the \
            higher level overrules; the questions with the lowest compliance; degree questions as stacked bars. \
            The format follows the extension of --out: .html is one self-contained page (inline CSS and SVG, no \
            network, A4 print styles), .xlsx a workbook with one sheet per section. Every compliance figure is \
            for one level: --level, else the store's baseline level (tilsyn config get baseline-level); the \
            round's other levels are shown beside it, never added, so the figures equal tilsyn summary --round R \
            --level L. Agreement always compares every level of the round. An internal report \
            quotes up to three remarks on Nej answers to each of the lowest questions, with case numbers, CPR-like \
            numbers masked; --external leaves remarks and case numbers out and suppresses groups resting on fewer \
            than 5 cases (children; the store's suppression-threshold setting) as –.
            """)

    @Option(help: "The store (SQLite file).")
    var db: String = AuditStore.defaultFileName

    @Option(help: "The round to report on; the latest by default.")
    var round: String?

    @Option(help: "The baseline round; the earliest by default.")
    var baseline: String?

    @Option(help: "The level (niveau) the figures are for; the store's baseline level by default.")
    var level: Int?

    @Flag(help: "A report leaving the administration: suppress groups of fewer than 5 cases, leave out remarks and case numbers.")
    var external = false

    @Option(help: "The date printed on the report (YYYY-MM-DD); today by default.")
    var date: String?

    @Option(name: [.short, .long], help: "The report file: rapport.html or rapport.xlsx.")
    var out: String

    enum Kind { case html, xlsx }

    var kind: Kind? {
        switch URL(fileURLWithPath: out).pathExtension.lowercased() {
        case "html", "htm": .html
        case "xlsx": .xlsx
        default: nil
        }
    }

    func validate() throws {
        if kind == nil {
            throw ValidationError("--out must end in .html or .xlsx (the report's format follows the extension).")
        }
        if let date, Self.parse(date) == nil { throw ValidationError("--date must be YYYY-MM-DD, not \(date).") }
    }

    static func parse(_ text: String) -> DanishDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return DanishDate(year: year, month: month, day: day)
    }

    /// Today in Denmark.
    static func today() -> DanishDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Copenhagen") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return DanishDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    func run() throws {
        let reader = try storeErrors { try StoreReader(path: db) }
        var options = AuditReport.Options(
            round: round, baseline: baseline, level: level, external: external,
            date: date.flatMap(Self.parse) ?? Self.today())
        options.threshold = try storeErrors { try reader.suppressionThreshold() }
        let report: AuditReport
        do {
            report = try storeErrors { try AuditReport.make(reader, options: options) }
        } catch let error as ReportError {
            throw DataError(message: error.message)
        }
        do {
            switch kind {
            case .xlsx:
                try ReportWorkbook.write(report, to: out)
            default:
                try Data(ReportHTML.render(report).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            }
        } catch let error as SpreadsheetError {
            throw DataError(message: "\(out): the report cannot be written: \(error.message)")
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError(message: "\(out): the report cannot be written")
        }
    }
}
