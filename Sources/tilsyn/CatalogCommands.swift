import ArgumentParser
import Foundation
import TilsynAudit
import TilsynStore
import TilsynSheets

/// Runs `body`, turning catalogue and spreadsheet errors into `DataError` (exit 65).
func dataErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as CatalogueError {
        throw DataError(message: error.description)
    } catch let error as SpreadsheetError {
        throw DataError(message: error.description)
    }
}

/// Where catalogues come from: `--catalogs DIR`, `TILSYN_CATALOGS`, the store, the built-in ones.
struct CatalogueOptions: ParsableArguments {
    @Option(name: .customLong("catalogs"), help: "A folder of catalogue .json files, used before all others.")
    var folder: String?

    /// The catalogues, with those kept in the store at `db` (when it exists) before the built-in ones.
    func store(db: String?) throws -> CatalogueStore {
        let path = db ?? AuditStore.defaultLocation
        let kept = try storeErrors { try AuditStore.keptCatalogues(StoreLocation(path)) }
        if let folder {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw DataError(message: "\(folder): --catalogs names no folder")
            }
        }
        return try dataErrors { try CatalogueStore.locate(folder: folder, stored: kept, storePath: path) }
    }

    /// A catalogue by id, or from a `.json` path.
    func load(_ reference: String, db: String?) throws -> Catalogue {
        if reference.hasSuffix(".json") { return try dataErrors { try Catalogue.load(path: reference) } }
        let store = try store(db: db)
        return try dataErrors { try store.load(reference) }
    }
}

let schemasHelp = """
    Catalogues come from, in order: the folder given by --catalogs (<id>.json files), the folder in \
    $TILSYN_CATALOGS, the store (catalogues kept with 'tilsyn catalog import --db'), and the catalogues built into \
    tilsyn. 'tilsyn catalogs' says where each one comes from.
    """

/// `tilsyn catalogs`: lists the catalogues.
struct CatalogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogs", abstract: "List the question catalogues and where each comes from.",
        discussion: schemasHelp)

    @OptionGroup var catalogues: CatalogueOptions

    @Option(help: "The store whose kept catalogues to include (default tilsyn.sqlite, when it exists).")
    var db: String?

    func run() throws {
        let output = Output()
        defer { output.flush() }
        let store = try catalogues.store(db: db)
        try dataErrors {
            for id in try store.ids() {
                let catalogue = try store.load(id)
                let tema = catalogue.temanedslag.map { " + \($0.questions.count) temanedslag" } ?? ""
                output.write("\(id)\t\(catalogue.version)\t\(catalogue.questions.count) spørgsmål\(tema)\t"
                    + "\(catalogue.title)\t\(store.origin(of: id).map(Self.shown) ?? "")\n")
            }
        }
    }

    /// Where a catalogue comes from, naming the flag for a folder given on the command line.
    static func shown(_ origin: CatalogueStore.Origin) -> String {
        if case .folder(let path) = origin { return "--catalogs \(path)" }
        return origin.description
    }
}

/// `tilsyn catalog`: shows, imports and exports catalogues.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Show, import or export a question catalogue.",
        subcommands: [Show.self, Import.self, Export.self])

    /// `tilsyn catalog show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a catalogue's questions.", discussion: schemasHelp)

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

        @Argument(help: "The catalogue id (e.g. kk-2025) or a catalogue .json file.")
        var catalogue: String

        @Option(help: "Output format: table, json or csv (Danish Excel dialect).")
        var format: Format = .table

        @OptionGroup var catalogues: CatalogueOptions

        @Option(help: "The store whose kept catalogues to include (default tilsyn.sqlite, when it exists).")
        var db: String?

        func run() throws {
            let catalogue = try catalogues.load(catalogue, db: db)
            let output = Output()
            defer { output.flush() }
            switch format {
            case .json:
                output.write(catalogue.canonicalJSON())
            case .csv:
                let writer = CSVWriter()
                try dataErrors {
                    try writer.writeRow(CatalogueWorkbook.headers)
                    let tema = Set(catalogue.temanedslag?.questions.map(\.id) ?? [])
                    for q in catalogue.allQuestions {
                        try writer.writeRow([
                            q.id, q.step, q.themes.joined(separator: ", "), q.text, q.help, q.type,
                            q.appliesTo.map(String.init).joined(separator: ", "), q.legal.joined(separator: "; "),
                            q.remarkRequiredOn.joined(separator: "; "), tema.contains(q.id) ? "Ja" : "",
                        ])
                    }
                    try writer.finish()
                }
                output.write(bytes: writer.bytes)
            case .table:
                output.write("\(catalogue.title) (\(catalogue.id), version \(catalogue.version))\n")
                output.write("\(catalogue.source)\n")
                for step in catalogue.steps {
                    let questions = catalogue.allQuestions.filter { $0.step == step.id }
                    guard !questions.isEmpty else { continue }
                    output.write("\n\(step.name)\n")
                    for q in questions {
                        let applies = q.appliesTo.map { "§ \($0)" }.joined(separator: ", ")
                        let padded = q.id.padding(toLength: 6, withPad: " ", startingAt: 0)
                        output.write("  \(padded) [\(q.type)] \(q.text)\n")
                        output.write("         gælder: \(applies); \(q.legal.joined(separator: "; "))\n")
                    }
                }
            }
        }
    }

    /// `tilsyn catalog import`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a catalogue from a workbook (or JSON) and keep it in a store or write its JSON.",
            discussion: """
                The Spørgsmål sheet has one question per row under the headers Id, Sagsskridt, Pejlemærke, \
                Spørgsmål, Vejledning, Type, Gælder for, §, Bemærkning ved, Temanedslag (found by name, in any \
                order). The Katalog sheet holds Id, Version, Titel, Kilde and the Svarskala, Sagsskridt and \
                Pejlemærke rows. Export a catalogue to see the layout. A .json file is read as a catalogue. The \
                catalogue is validated; errors name the file and the question (exit 65). With --db it is kept in \
                the store, which then offers it before the built-in catalogues; otherwise its JSON is written.
                """)

        @Argument(help: "The workbook (.xlsx) or a catalogue .json file.")
        var file: String

        @Option(help: "Write the JSON to this file instead of standard output.")
        var out: String?

        @Option(help: "Keep the catalogue in this store (created when missing).")
        var db: String?

        func run() throws {
            let catalogue = try dataErrors {
                file.lowercased().hasSuffix(".json")
                    ? try Catalogue.load(path: file) : try CatalogueWorkbook.import(path: file)
            }
            if let db {
                let store = try storeErrors { try AuditStore.openWriting(StoreLocation(db)) }
                try storeErrors { try store.keep(catalogue) }
                let output = Output(descriptor: 2)
                output.write("Kept catalogue \(catalogue.id) version \(catalogue.version) in \(db)\n")
                output.flush()
                if out == nil { return }
            }
            let json = catalogue.canonicalJSON()
            if let out {
                do {
                    try AtomicFileWriter.write(json, to: out)
                } catch {
                    throw DataError(message: "\(out): cannot write the file")
                }
            } else {
                let output = Output()
                output.write(json)
                output.flush()
            }
        }
    }

    /// `tilsyn catalog export`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a catalogue as a workbook for editing in Excel.", discussion: schemasHelp)

        @Argument(help: "The catalogue id or a catalogue .json file.")
        var catalogue: String

        @Option(help: "The workbook to write (.xlsx).")
        var out: String

        @OptionGroup var catalogues: CatalogueOptions

        @Option(help: "The store whose kept catalogues to include (default tilsyn.sqlite, when it exists).")
        var db: String?

        func run() throws {
            let catalogue = try catalogues.load(catalogue, db: db)
            try dataErrors { try CatalogueWorkbook.export(catalogue, to: out) }
        }
    }
}

/// `tilsyn template`: writes reviewer workbooks.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Write reviewer templates (Danish workbooks), one per case.",
        discussion: """
            With --cases, writes one workbook per case, named after the case number (characters other than \
            letters, digits, - and _ become _). The case list is CSV (';' or ','; UTF-8 or Windows-1252) with the \
            header sagsnummer;enhed;indsats;alder;udgangspunkt;udgangspunkt_dato; further columns are kept as \
            metadata. A column niveau (as 'tilsyn sample' writes it) gives each case its levels: a case drawn for \
            niveau 2 gets two workbooks, S-2025-0003_niveau1.xlsx and S-2025-0003_niveau2.xlsx; with --level, only \
            the workbooks of that level are written. Questions that do not apply to the case's indsats or the \
            child's age are prefilled Ikke relevant (grey, still changeable). Without --cases, writes one blank \
            template, tilsyn-skabelon.xlsx.
            """ + "\n" + schemasHelp)

    @Option(help: "The catalogue id (e.g. kk-2025) or a catalogue .json file.")
    var catalog: String

    @Option(help: "The folder to write the workbooks to (created if missing).")
    var out: String

    @Option(help: "The case list (CSV).")
    var cases: String?

    @Option(help: "The review level (niveau), 1 or 2.")
    var level: Int?

    @Option(help: "The round (runde), e.g. 2025.")
    var round: String?

    @Option(help: "The municipality (kommune); a case list's kommune column names each case's own.")
    var kommune: String?

    @Option(help: "The sagsskridt to ask about, by id, comma-separated (e.g. U,S,B); default the catalogue's templateSteps, else all.")
    var steps: String?

    @OptionGroup var catalogues: CatalogueOptions

    @Option(help: "The store whose kept catalogues to include (default tilsyn.sqlite, when it exists).")
    var db: String?

    func validate() throws {
        if let level, !(1...2).contains(level) { throw ValidationError("--level must be 1 or 2.") }
    }

    func run() throws {
        let catalogue = try catalogues.load(catalog, db: db)
        var chosen: Set<String>?
        if let steps {
            let ids = steps.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let known = Set(catalogue.steps.map(\.id))
            if let unknown = ids.first(where: { !known.contains($0) }) {
                throw DataError(message: "--steps names '\(unknown)', which is not a sagsskridt of \(catalogue.id); "
                    + "its steps are " + catalogue.steps.map(\.id).joined(separator: ", "))
            }
            guard !ids.isEmpty else { throw DataError(message: "--steps names no sagsskridt") }
            chosen = Set(ids)
        } else if let modelSteps = catalogue.templateSteps {
            // The municipality's model chooses its steps; --steps overrides it.
            chosen = Set(modelSteps)
        }
        try dataErrors {
            let records: [CaseRecord?] = try cases.map { try CaseList.read(path: $0).cases } ?? [nil]
            // The Enhed dropdown offers the units of the case's own kommune.
            var unitsByKommune: [String: Set<String>] = [:]
            for record in records {
                if let record, !record.enhed.isEmpty {
                    unitsByKommune[record.kommune ?? "", default: []].insert(record.enhed)
                }
            }
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw DataError(message: "\(out): cannot create the folder")
            }
            var used: Set<String> = []
            var written = 0
            for record in records {
                if let own = record?.kommune, let kommune, own != kommune {
                    throw DataError(message: "\(cases ?? ""): line \(record?.line ?? 0): the case list names another "
                        + "kommune than --kommune; leave --kommune out for a list across municipalities")
                }
                // The levels this case is reviewed at: from the list's niveau column, else --level.
                let drawn = record?.extra.first { $0.key.lowercased() == "niveau" }.map(\.value)
                var levels: [Int?] = [level]
                if let drawn {
                    guard let top = Int(drawn.trimmingCharacters(in: .whitespaces)), (1...2).contains(top) else {
                        throw DataError(message: "\(cases ?? ""): line \(record?.line ?? 0): niveau must be 1 or 2")
                    }
                    levels = Array(1...top).filter { level == nil || $0 == level }
                }
                for caseLevel in levels {
                    let options = TemplateOptions(
                        kommune: kommune, round: round, level: caseLevel, steps: chosen,
                        units: (unitsByKommune[record?.kommune ?? ""] ?? []).sorted())
                    var name = drawn != nil && caseLevel != nil
                        ? TemplateWriter.fileName(for: record, level: caseLevel ?? 1) : TemplateWriter.fileName(for: record)
                    while !used.insert(name.lowercased()).inserted { name = String(name.dropLast(5)) + "_2.xlsx" }
                    let path = URL(fileURLWithPath: out).appendingPathComponent(name).path
                    try TemplateWriter.write(catalogue: catalogue, case: record, options: options, to: path)
                    written += 1
                }
            }
            let output = Output(descriptor: 2)
            output.write("Wrote \(written) template\(written == 1 ? "" : "s") to \(out)\n")
            output.flush()
        }
    }
}

/// `tilsyn sample`: the udtræk.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Draw a reproducible stratified sample of cases (udtræk).",
        discussion: """
            Strata are indsats × enhed (or indsats alone with --strata indsats). The sample is allocated to strata \
            in proportion to their size with largest-remainder rounding, so each stratum gets its exact quota \
            rounded down or up; the second level is allocated the same way over the first-level sample and is a \
            subset of it. Cases are chosen with a seeded SplitMix64 generator: the same list and seed give the \
            same sample on every machine. The output lists the chosen cases in list order with the column niveau \
            (1, or 2 for cases reviewed at both levels), as CSV for Danish Excel.
            """)

    @Option(help: "The case list (CSV).")
    var cases: String

    @Option(help: "The number of cases at niveau 1.")
    var size: Int

    @Option(name: .customLong("second-level"), help: "How many of them also go to niveau 2.")
    var secondLevel: Int = 0

    @Option(help: "The seed (a whole number); record it to reproduce the draw.")
    var seed: UInt64

    @Option(help: "Strata: indsats or indsats,enhed.")
    var strata: String = Sampler.Strata.indsatsAndEnhed.rawValue

    @Option(help: "The CSV file to write.")
    var out: String

    func validate() throws {
        if Sampler.Strata(rawValue: strata) == nil {
            throw ValidationError("--strata must be 'indsats' or 'indsats,enhed'.")
        }
        if size < 0 || secondLevel < 0 { throw ValidationError("--size and --second-level must not be negative.") }
        if secondLevel > size { throw ValidationError("--second-level must not exceed --size.") }
    }

    func run() throws {
        try dataErrors {
            let list = try CaseList.read(path: cases)
            let picks = try Sampler.draw(
                list.cases, size: size, secondLevel: secondLevel, seed: seed,
                strata: Sampler.Strata(rawValue: strata) ?? .indsatsAndEnhed)
            let writer = try CSVWriter(path: out)
            try writer.writeRow(list.header + ["niveau"])
            for pick in picks { try writer.writeRow(list.rows[pick.index] + [String(pick.level)]) }
            try writer.finish()
            let output = Output(descriptor: 2)
            output.write("Drew \(picks.count) cases, \(picks.filter { $0.level == 2 }.count) of them for niveau 2\n")
            output.flush()
        }
    }
}
