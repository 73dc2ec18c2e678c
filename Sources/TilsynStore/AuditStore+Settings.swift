internal import GRDB
internal import TilsynSheets

/// The level compliance figures are for when none is named, and where that choice comes from.
///
/// Levels are different measurements of the same cases: they are compared, never added. Every compliance figure is
/// therefore for one level, by default this one: the store's `baseline-level` setting, else the level the catalogue's
/// model names as its statistical baseline (kk-2025: niveau 2, as Copenhagen's reports), else level 1.
public struct BaselineLevel: Sendable, Equatable {
    /// Where the level comes from.
    public enum Source: Sendable, Equatable {
        /// `tilsyn config set baseline-level N`.
        case setting
        /// The `baselineLevel` of the named catalogue (the one most reviews use).
        case catalogue(String)
        /// Neither: level 1.
        case fallback
    }

    /// The level compliance figures are for.
    public var level: Int
    /// Where the level comes from.
    public var source: Source

    /// A baseline level and where it comes from.
    public init(level: Int, source: Source) {
        self.level = level
        self.source = source
    }

    /// The baseline level of the store `sql` reads.
    public static func read(_ sql: any SQLRunner) throws -> BaselineLevel {
        if let text = try AuditStore.value(of: .baselineLevel, in: sql), let level = Int(text) {
            return BaselineLevel(level: level, source: .setting)
        }
        let named = try sql.rows(
            """
            SELECT c.id, c.baseline_level FROM catalogue c
            WHERE c.baseline_level IS NOT NULL
            ORDER BY (SELECT count(*) FROM review r WHERE r.catalogue = c.id) DESC, c.id
            LIMIT 1
            """, []
        ).first
        if let named {
            return BaselineLevel(level: named.int(1), source: .catalogue(named.string(0)))
        }
        return BaselineLevel(level: 1, source: .fallback)
    }
}

extension AuditStore {
    /// A store-wide setting.
    public enum Setting: String, Sendable, CaseIterable {
        /// The level compliance figures are for unless a command names one (1–4).
        case baselineLevel = "baseline-level"
        /// The fewest cases (children) a figure leaving the administration may rest on (default 5, at least 3).
        case suppressionThreshold = "suppression-threshold"
        /// The store's own municipality: reviews whose file names no kommune are stored under it, and setting it
        /// moves the cases and units stored without a kommune to it.
        case kommune

        /// The lowest `suppression-threshold` allowed: fewer children than this identify a child.
        public static let minimumSuppressionThreshold = 3
        /// The `suppression-threshold` without a setting.
        public static let defaultSuppressionThreshold = 5

        /// Whether `value` is allowed; a message saying what is allowed when not.
        public func check(_ value: String) -> String? {
            switch self {
            case .baselineLevel:
                guard let level = Int(value), (1...4).contains(level) else {
                    return "baseline-level is a level from 1 to 4, not '\(value)'"
                }
                return nil
            case .suppressionThreshold:
                let lowest = Setting.minimumSuppressionThreshold
                guard let threshold = Int(value), (lowest...1000).contains(threshold) else {
                    return "suppression-threshold is a number of cases from \(lowest) to 1000, not '\(value)'"
                }
                return nil
            case .kommune:
                guard !value.isEmpty, value == value.trimmed else {
                    return "kommune is the municipality's name, without spaces around it, not '\(value)'"
                }
                return nil
            }
        }
    }

    /// The stored value of `setting`, or nil when it is not set.
    public func value(of setting: Setting) throws -> String? {
        try mapErrors("reading the settings") {
            try database.read { try AuditStore.value(of: setting, in: GRDBRunner(db: $0)) }
        }
    }

    /// The stored value of `setting` in the store `sql` reads, or nil when it is not set.
    public static func value(of setting: Setting, in sql: any SQLRunner) throws -> String? {
        try sql.value("SELECT value FROM setting WHERE name = ?", [.text(setting.rawValue)])?.text
    }

    /// Stores `value` for `setting` (nil removes it, so the default applies again).
    ///
    /// The value must pass `setting.check`; the caller reports the message otherwise.
    public func set(_ setting: Setting, to value: String?) throws {
        try mapErrors("saving the setting") {
            try database.write { db in try AuditStore.set(setting, to: value, in: GRDBRunner(db: db)) }
        }
    }

    /// The level compliance figures are for when none is named.
    public func baselineLevel() throws -> BaselineLevel {
        try mapErrors("reading the settings") { try database.read { try BaselineLevel.read(GRDBRunner(db: $0)) } }
    }
}
