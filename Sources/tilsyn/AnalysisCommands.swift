import ArgumentParser
import Foundation
import TilsynAnalysis
import TilsynSheets
import TilsynRender
import TilsynStore

/// A `--by` value.
enum BreakdownArgument: String, ExpressibleByArgument, CaseIterable {
    case question, step, theme, unit, kommune, measure, level, round, reviewer

    var breakdown: Breakdown { Breakdown(rawValue: rawValue)! }
}

/// What `tilsyn summary` counts.
enum MeasureArgument: String, ExpressibleByArgument, CaseIterable {
    /// Answers: Ja / (Ja + Nej) over the answers.
    case answers
    /// Cases: the share of cases with every applicable Ja/Nej question of the group answered Ja.
    case casesAllJa = "cases-all-ja"
}

/// How `tilsyn summary`, `agreement` and `trend` write their results.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, xlsx
}

/// Options shared by the analysis commands.
struct AnalysisOptions: ParsableArguments {
    @Option(help: storeHelp)
    var db: String = AuditStore.defaultLocation

    @Option(help: "Group by question, step, theme, unit, kommune, measure, level, round or reviewer; repeatable.")
    var by: [BreakdownArgument] = []

    /// The requested breakdowns, in order.
    var breakdowns: [Breakdown] { by.map(\.breakdown) }

    @Option(help: "Only this level (niveau); repeatable.")
    var level: [Int] = []

    @Option(help: "Only this round (runde).")
    var round: String?

    @Flag(
        help: """
            Output leaving the administration: suppress groups resting on fewer than 5 cases (children; the store's \
            suppression-threshold setting), shown as –, with a footnote.
            """)
    var external = false

    @Flag(name: .customLong("whole-percent"), help: "Tables show whole percent, as the 2019 report: 88 % (7/8).")
    var wholePercent = false

    @Option(help: "table, csv, json or xlsx.")
    var format: ReportFormat = .table

    @Option(name: [.short, .long], help: "Write to this file instead of standard output (required for xlsx).")
    var output: String?

    func validate() throws {
        if format == .xlsx && output == nil { throw ValidationError("--format xlsx needs --output FILE.xlsx.") }
    }

    /// Decimals of percentages in tables.
    var decimals: Int { wholePercent ? 0 : 1 }

    /// The rows' selection.
    var selection: Selection { Selection(levels: level, round: round) }

    /// Opens the store for reading.
    func reader() throws -> StoreReader { try storeErrors { try StoreReader(path: db) } }

    /// The fewest cases a figure of external output may rest on (the store's setting, else 5).
    func threshold(_ reader: StoreReader) throws -> Int { try storeErrors { try reader.suppressionThreshold() } }
}

/// `tilsyn summary`.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Compliance (lovoverholdelse) grouped by question, step, theme, unit, ….",
        discussion: """
            Compliance is Ja / (Ja + Nej), shown the Danish way with its counts: 91,3 % (441/483), with the Wilson \
            95 % interval. Ikke relevant, blanks and answers to questions that do not apply to the case's indsats \
            leave the denominator. Degree questions show Lav / Nogen / Høj grad and the share "høj eller nogen grad". \
            Every row is for one level (levels are never added): tables print one block per level. Groups with \
            fewer than 20 cases are marked "forsigtig fortolkning"; with --external, groups resting on fewer than 5 \
            cases (children; the suppression-threshold setting) are suppressed and a \
            total row per level (keys "I alt") is added, with one more group suppressed when the total would \
            reveal a suppressed one. Without --by, a table shows one section per level by pejlemærke and \
            sagsskridt, then the temanedslag questions, with one column per round. JSON rows: level, the requested grouping keys, then yes, no, \
            notApplicable, unanswered, n (answers), cases (distinct cases behind n), rate, ciLow, ciHigh \
            (fractions or null) and for degree questions low, \
            some, high, highOrSome.
            """)

    @OptionGroup var options: AnalysisOptions

    @Option(
        help: """
            answers (Ja / (Ja + Nej) over the answers) or cases-all-ja (the share of cases, per round and level, \
            with every applicable Ja/Nej question of the group answered Ja).
            """)
    var measure: MeasureArgument = .answers

    func run() throws {
        let reader = try options.reader()
        if measure == .casesAllJa {
            let rows = try storeErrors {
                try Summary.allYesRows(reader, by: options.breakdowns, selection: options.selection)
            }
            try write(
                AllYesReport.make(
                    rows, by: options.breakdowns, external: options.external, decimals: options.decimals,
                    threshold: options.threshold(reader)), options: options)
            return
        }
        let pivot: [Compliance.Grouping]? =
            if options.format == .table && !options.external && !options.wholePercent && options.round == nil
                && options.level.count <= 1
            {
                options.by.isEmpty
                    ? [.theme, .step, .temanedslag]
                    : options.by.compactMap { Compliance.Grouping(rawValue: $0.rawValue) }
            } else {
                nil
            }
        if let pivot, pivot.count == options.by.count || options.by.isEmpty {
            try SummaryCommand.printSummary(database: reader, groupings: pivot, level: options.level.first)
            return
        }
        let rows = try storeErrors { try Summary.rows(reader, by: options.breakdowns, selection: options.selection) }
        try write(
            SummaryReport.make(
                rows, by: options.breakdowns, external: options.external, decimals: options.decimals,
                threshold: options.threshold(reader)), options: options)
    }

    /// The classic report: one section per level, one line per group, one column per round.
    static func printSummary(database: StoreReader, groupings: [Compliance.Grouping], level: Int?) throws {
        let output = Output()
        defer { output.flush() }
        let titles: [Compliance.Grouping: String] = [
            .theme: "Pejlemærke", .step: "Sagsskridt", .question: "Spørgsmål", .temanedslag: "Temanedslag",
        ]
        for (index, grouping) in groupings.enumerated() {
            let rows = try storeErrors { try Compliance.rows(database, by: grouping, level: level) }
            // A store without temanedslag questions has no such block.
            if grouping == .temanedslag && rows.isEmpty { continue }
            if index > 0 { output.write("\n") }
            output.write(
                rows.isEmpty ? "No answers in the store.\n" : ComplianceTable.text(rows, title: titles[grouping] ?? ""))
        }
    }
}

/// `tilsyn agreement`.
struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement", abstract: "Agreement between levels on the same case and question.",
        discussion: """
            Counts items (case, round, question) answered at every compared level (not Ikke relevant, not blank): \
            the cases behind them, compared, agree and the rate, Cohen's κ for two levels and Fleiss' κ for more, \
            and how often the highest compared level overrules the lowest (Ja → Nej, Nej → Ja, and their share of \
            the compared items). Every pair of levels is compared, then, with three levels or more, all of them \
            together on the cases reviewed at every level. Compares the levels given with --level (at least two), \
            else every level in the store; the store is never narrowed to one level first. --by takes question, \
            theme, step, unit, measure, reviewer (those of the lowest compared level's review) and round (the \
            development over rounds). With --external a row resting on fewer than 5 cases is suppressed. JSON \
            rows: levels, the grouping keys, cases, compared, agree, rate, kappa, overruledYesToNo, \
            overruledNoToYes, overruleRate.
            """)

    @OptionGroup var options: AnalysisOptions

    func validate() throws {
        if let other = options.breakdowns.first(where: { !Agreement.dimensions.contains($0) }) {
            throw ValidationError(
                "agreement is grouped by question, theme, step, unit, measure, reviewer or round, not "
                    + "\(other.rawValue).")
        }
    }

    func run() throws {
        let reader = try options.reader()
        let levels = options.level.isEmpty ? try storeErrors { try Agreement.levels(reader) } : options.level
        guard Set(levels).count >= 2 else {
            throw DataError(
                message: "agreement needs reviews at two levels or more; the store has "
                    + (levels.isEmpty ? "none" : "only level \(levels[0])"))
        }
        let rows = try storeErrors {
            try Agreement.comparisons(reader, levels: levels, by: options.breakdowns, round: options.round)
        }
        try write(
            AgreementReport.make(
                rows, by: options.breakdowns, external: options.external, decimals: options.decimals,
                threshold: options.threshold(reader)), options: options)
    }
}

/// `tilsyn trend`.
struct TrendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend", abstract: "Compliance per round against a baseline round, in percentage points.",
        discussion: """
            For each group (--by question, theme, unit, …) and round, compliance over the Ja/Nej questions \
            answered in both that round and the baseline, and the change from the baseline's compliance over the \
            same questions in percentage points. The baseline is the earliest round (by name) unless --baseline \
            names one. Every row is for one level, compared with the baseline at the same level. Degree questions \
            follow in blocks of their own, as the share answered Høj or Nogen grad. With --external a row whose \
            round or baseline rests on fewer than 5 cases is suppressed. JSON rows: level, the grouping keys, \
            round, baseline, kind (yesNo or degree), rate, n, cases, changePoints.
            """)

    @OptionGroup var options: AnalysisOptions

    @Option(help: "The baseline round; the earliest round by default.")
    var baseline: String?

    func validate() throws {
        if options.breakdowns.contains(.round) { throw ValidationError("trend is per round already; drop --by round.") }
        if options.round != nil { throw ValidationError("trend covers every round; use --baseline to name one.") }
    }

    func run() throws {
        let reader = try options.reader()
        let rows = try storeErrors {
            // Per level, the Ja/Nej rows, then the degree rows, each in their own order.
            try [QuestionKind.yesNo, .degree].flatMap { kind in
                try Trend.rows(reader, by: options.breakdowns, baseline: baseline, levels: options.level, kind: kind)
            }.enumerated().sorted { ($0.element.level, $0.offset) < ($1.element.level, $1.offset) }.map(\.element)
        }
        try write(
            TrendReport.make(
                rows, by: options.breakdowns, external: options.external, decimals: options.decimals,
                threshold: options.threshold(reader)), options: options)
    }
}

/// Writes a report in the requested format to standard output or `--output`.
func write(_ report: Report, options: AnalysisOptions) throws {
    do {
        switch options.format {
        case .json:
            try emit(report.json(), to: options.output)
        case .table:
            try emit(report.table(), to: options.output)
        case .csv:
            let rows =
                [report.columns.map { CSVValue.text($0.header) }] + report.rows.map { $0.map(\.csv) }
                + report.notes.map { [CSVValue.text($0)] }
            if let path = options.output {
                let writer = try CSVWriter(path: path)
                for row in rows { try writer.writeRow(row) }
                try writer.finish()
            } else {
                let output = Output()
                output.write(bytes: try CSVWriter.encode(rows))
                output.flush()
            }
        case .xlsx:
            try report.writeWorkbook(to: options.output ?? "summary.xlsx")
        }
    } catch let error as SpreadsheetError {
        throw DataError(message: "the report cannot be written: \(error.message)")
    }
}

private func emit(_ text: String, to path: String?) throws {
    if let path {
        do {
            try AtomicFileWriter.write(text, to: path)
        } catch {
            throw DataError(message: "\(path): the report cannot be written")
        }
        return
    }
    let output = Output()
    output.write(text)
    output.flush()
}
