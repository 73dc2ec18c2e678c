import ArgumentParser
import Foundation
import TilsynAnalysis
import TilsynStore

/// A setting's name on the command line.
enum SettingArgument: String, ExpressibleByArgument, CaseIterable {
    case baselineLevel = "baseline-level"
    case suppressionThreshold = "suppression-threshold"
    case kommune

    var setting: AuditStore.Setting { AuditStore.Setting(rawValue: rawValue)! }
}

/// `tilsyn config`: store-wide settings.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Store-wide settings (kept in the store).",
        discussion: """
            baseline-level: the level (niveau, 1–4) every compliance figure is for unless a command names one with \
            --level. Without a setting it is the level the catalogue's model names as its baseline (kk-2025: 2), \
            else 1. Levels are compared, never added.
            suppression-threshold: with --external (and in external reports) a figure resting on fewer cases \
            (children) than this is suppressed; 5 by default, never below 3.
            kommune: the store's own municipality. Reviews whose file names no kommune are stored under it (an \
            import's --kommune wins), and setting it moves the cases and units stored without a kommune to it. A case \
            is its number within its kommune: a store may hold several municipalities.
            """,
        subcommands: [Get.self, SetValue.self, Unset.self])

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a setting's value and where it comes from.")

        @Option(help: storeHelp)
        var db: String = AuditStore.defaultLocation

        @Argument(help: "The setting: baseline-level, suppression-threshold or kommune.")
        var name: SettingArgument

        func run() throws {
            let reader = try storeErrors { try StoreReader(path: db) }
            if name == .kommune {
                let kommune = try storeErrors { try reader.value(of: .kommune) }
                let output = Output()
                output.write(kommune.map { "\($0) (set in the store)\n" } ?? "(not set: files name their kommune)\n")
                output.flush()
                return
            }
            if name == .suppressionThreshold {
                let threshold = try storeErrors { try reader.suppressionThreshold() }
                let set = try storeErrors { try reader.value(of: .suppressionThreshold) } != nil
                let output = Output()
                output.write("\(threshold) (\(set ? "set in the store" : "default"))\n")
                output.flush()
                return
            }
            let baseline = try storeErrors { try reader.baselineLevel() }
            let source =
                switch baseline.source {
                case .setting: "set in the store"
                case .catalogue(let id): "the baseline level of catalogue \(id)"
                case .fallback: "default: no setting and no catalogue names a baseline level"
                }
            let output = Output()
            output.write("\(baseline.level) (\(source))\n")
            output.flush()
        }
    }

    struct SetValue: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Store a setting in the store.")

        @Option(help: ArgumentHelp(storeHelp.abstract + " It must exist."))
        var db: String = AuditStore.defaultLocation

        @Argument(help: "The setting: baseline-level, suppression-threshold or kommune.")
        var name: SettingArgument

        @Argument(
            help: """
                The value: a level from 1 to 4 for baseline-level; a number of cases, at least 3, for \
                suppression-threshold; the municipality's name for kommune.
                """)
        var value: String

        func validate() throws {
            if let problem = name.setting.check(value) { throw ValidationError(problem + ".") }
        }

        func run() throws {
            let store = try openExisting(db)
            do {
                try store.set(name.setting, to: value)
            } catch let error as StoreError where error.code == .conflict {
                throw DataError(
                    message: error.description + "; import the files of one of them again into a new store, with "
                        + "--kommune")
            } catch {
                try storeErrors { throw error }
            }
        }
    }

    struct Unset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a setting, so its default applies again.")

        @Option(help: ArgumentHelp(storeHelp.abstract + " It must exist."))
        var db: String = AuditStore.defaultLocation

        @Argument(help: "The setting: baseline-level, suppression-threshold or kommune.")
        var name: SettingArgument

        func run() throws {
            let store = try openExisting(db)
            try storeErrors { try store.set(name.setting, to: nil) }
        }
    }

    /// Opens (and migrates) a store that exists: a mistyped --db must not create a new one.
    static func openExisting(_ db: String) throws -> any StoreWriting {
        let location = try storeErrors { try StoreLocation(db) }
        switch location {
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw DataError(message: "\(path): there is no store here; import files first with 'tilsyn import'")
            }
        case .postgres:
            // Reading checks that the database holds a store (and says so when it holds none).
            _ = try storeErrors { try AuditStore.openReading(location) }
        }
        return try storeErrors { try AuditStore.openWriting(location) }
    }
}

private func openExisting(_ path: String) throws -> any StoreWriting { try ConfigCommand.openExisting(path) }
