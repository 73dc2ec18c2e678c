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
            Writes the report to the Socialudvalg for one round (--round, default the latest) against a baseline \
            (--baseline, default the earliest), in Copenhagen's form: key figures; scope (cases per udgangspunkt, \
            the period covered, the cases' age at review, each level's cases and review dates); the main results \
            per pejlemærke and sagsskridt over the last six rounds with the change in percentage points; every \
            question per sagsskridt over rounds with the largest changes named; compliance per enhed and per \
            indsats with the enhed × sagsskridt, enhed × pejlemærke and indsats × sagsskridt matrices; the \
            development since the baseline; agreement per pair of levels and over all levels, with κ, overrule \
            rates and its development; the questions with the lowest compliance; degree questions over rounds; \
            the temanedslag; notes on method. The format follows the extension of --out: .html is one \
            self-contained page (inline CSS and SVG, no network, A4 print styles), .xlsx a workbook with one sheet \
            per section. Every compliance figure is for one level: --level, else the store's baseline level \
            (tilsyn config get baseline-level); the round's other levels are shown beside it, never added. The \
            report is the committee's (external) version unless --internal is given: no remarks, no case numbers, \
            and no figure resting on fewer than 5 cases (children; the store's suppression-threshold setting), \
            shown as –. The internal version quotes up to three remarks on Nej answers to each of the lowest \
            questions, with case numbers and CPR-like numbers masked.

            .pdf prints the HTML page with headless Chromium (chromium on PATH, or TILSYN_CHROMIUM; Debian's \
            package chromium): A4, page numbers, a new page per section, table headers repeated on every page. \
            The target is replaced only when the PDF was made.

            --narrative FILE.md adds the analyst's own text, in Markdown, at marked points: ## Sammenfatning \
            (after the key figures), ## Tendenser (after the main results), ## Udfordringer (after the questions \
            with the lowest compliance; usually a table Sagstrin | Vigtigste udfordring | Hvad ses i sagerne | \
            Mulige tiltag) and ## Næste skridt (before the notes). Raw HTML, links and images in the file are \
            shown as text; see Samples/narrative.md.
            """)

    @Option(help: storeHelp)
    var db: String = AuditStore.defaultLocation

    @Option(help: "The round to report on; the latest by default.")
    var round: String?

    @Option(help: "The baseline round; the earliest by default.")
    var baseline: String?

    @Option(help: "The level (niveau) the figures are for; the store's baseline level by default.")
    var level: Int?

    @Flag(
        help: """
            The internal version: remarks on Nej answers and case numbers, no suppression; it says so on its cover \
            and must not leave the administration. Without it the report is the committee's (external) version.
            """)
    var `internal` = false

    @Flag(help: "The external (committee) version, the default; kept for scripts that name it.")
    var external = false

    @Option(help: "The date printed on the report (YYYY-MM-DD); today by default.")
    var date: String?

    @Option(help: "Decimals of the percentages: 0 (88 %, the default), 1 (88,2 %) or 2.")
    var decimals: Int = 0

    @Option(help: "The analyst's text in Markdown (## Sammenfatning, ## Tendenser, ## Udfordringer, ## Næste skridt).")
    var narrative: String?

    @Option(name: [.short, .long], help: "The report file: rapport.html, rapport.pdf or rapport.xlsx.")
    var out: String

    enum Kind { case html, pdf, xlsx }

    var kind: Kind? {
        switch URL(fileURLWithPath: out).pathExtension.lowercased() {
        case "html", "htm": .html
        case "pdf": .pdf
        case "xlsx": .xlsx
        default: nil
        }
    }

    func validate() throws {
        if `internal` && external { throw ValidationError("--internal and --external exclude each other.") }
        if kind == nil {
            throw ValidationError(
                "--out must end in .html, .pdf or .xlsx (the report's format follows the extension).")
        }
        if !(0...2).contains(decimals) { throw ValidationError("--decimals must be 0, 1 or 2, not \(decimals).") }
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

    /// The narrative file, read and parsed before the store is opened, so a mistake in it costs no work.
    func readNarrative() throws -> ReportNarrative? {
        guard let narrative else { return nil }
        let attributes = try? FileManager.default.attributesOfItem(atPath: narrative)
        guard let size = attributes?[.size] as? Int, let data = FileManager.default.contents(atPath: narrative) else {
            throw DataError(message: "\(narrative): the narrative file cannot be read")
        }
        guard size <= Self.narrativeLimit else {
            throw DataError(
                message: "\(narrative): the narrative file is \(size) bytes; at most \(Self.narrativeLimit) are read")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw DataError(message: "\(narrative): the narrative file is not UTF-8 text; save it as UTF-8")
        }
        do {
            return try ReportNarrative(markdown: text)
        } catch {
            throw DataError(message: "\(narrative) line \(error.line): \(error.message)")
        }
    }

    static let narrativeLimit = 1 << 20

    func run() throws {
        let narrative = try readNarrative()
        let browser = kind == .pdf ? ReportPDF.findBrowser() : nil
        if kind == .pdf && browser == nil {
            throw DataError(
                message: "\(out): a PDF is printed by headless Chromium, which was not found on PATH; install it "
                    + "(Debian/Ubuntu: apt-get install chromium), set TILSYN_CHROMIUM to its path, or write "
                    + ".html and print that")
        }
        let reader = try storeErrors { try StoreReader(path: db) }
        var options = AuditReport.Options(
            round: round, baseline: baseline, level: level, external: !`internal`,
            date: date.flatMap(Self.parse) ?? Self.today())
        options.threshold = try storeErrors { try reader.suppressionThreshold() }
        options.decimals = decimals
        var report: AuditReport
        do {
            report = try storeErrors { try AuditReport.make(reader, options: options) }
        } catch let error as ReportError {
            throw DataError(message: error.message)
        }
        report.narrative = narrative
        do {
            switch kind {
            case .xlsx:
                try ReportWorkbook.write(report, to: out)
            case .pdf:
                try ReportPDF.write(html: ReportHTML.render(report), to: out, browser: browser ?? "")
            default:
                try AtomicFileWriter.write(ReportHTML.render(report), to: out)
            }
        } catch let error as ReportPDF.Failure {
            switch error.reason {
            case .browserFailed(let status, let log):
                throw DataError(
                    message: "\(out): Chromium (\(browser ?? "")) did not print the report (status \(status))"
                        + (log.isEmpty ? "" : ":\n" + log) + "\nThe file is as it was.")
            case .timedOut(let seconds):
                throw DataError(
                    message: "\(out): Chromium did not print the report within \(seconds) s; the file is as it was")
            case .notWritable(let path):
                throw DataError(message: "\(path): cannot be written; the report file is as it was")
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
