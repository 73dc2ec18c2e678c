public import Foundation

/// The question catalogues a run can use, each from one place.
///
/// Catalogues come from, in this order (the first place that has an id wins):
/// 1. a folder given on the command line (`--catalogs DIR`) of `<id>.json` files;
/// 2. the folder in the environment variable `TILSYN_CATALOGS` (or the older `TILSYN_SCHEMAS`, a `Schemas`
///    folder holding `catalogues/`);
/// 3. the store: catalogues imported with `tilsyn catalog import --db`, kept there so a store describes itself;
/// 4. the shipped catalogues, compiled into the binary from `Schemas/` (`BuiltInCatalogues`), so a copied binary
///    needs no files beside it.
public struct CatalogueStore: Sendable {
    /// Where a catalogue comes from.
    public enum Origin: Sendable, Equatable, CustomStringConvertible {
        /// A folder given on the command line.
        case folder(String)
        /// The folder in `TILSYN_CATALOGS` (or `TILSYN_SCHEMAS`).
        case environment(String)
        /// Imported into the store at this path.
        case store(String)
        /// Shipped inside the binary.
        case builtIn

        public var description: String {
            switch self {
            case .folder(let path): "folder \(path)"
            case .environment(let path): "TILSYN_CATALOGS \(path)"
            case .store(let path): "store \(path)"
            case .builtIn: "built-in"
            }
        }
    }

    /// The catalogues by id: their JSON (or the file holding it) and where they come from.
    private var entries: [String: (origin: Origin, file: String?, json: String?)] = [:]

    /// The JSON Schema the catalogues follow, as shipped.
    public static var schemaJSON: String { BuiltInCatalogues.schema }

    /// The built-in catalogues' ids and versions, read off their JSON without decoding it (for `--version`).
    public static var builtInVersions: [(id: String, version: String)] {
        BuiltInCatalogues.files.map { file in
            guard let key = file.json.range(of: "\"version\": \"") else { return (file.id, "?") }
            return (file.id, String(file.json[key.upperBound...].prefix { $0 != "\"" }))
        }
    }

    /// The shipped catalogues only.
    public init() {
        for (id, json) in BuiltInCatalogues.files { entries[id] = (.builtIn, nil, json) }
    }

    /// The catalogues of a `Schemas` folder (holding `catalogues/`), before the shipped ones.
    public init(schemas: URL) {
        self.init()
        add(folder: schemas.appendingPathComponent("catalogues"), origin: .folder(schemas.path))
    }

    /// The catalogues of the places the type's documentation lists: `folder` (from `--catalogs`), then the
    /// environment, then `stored` (id and JSON of the catalogues kept in the store at `storePath`), then the
    /// shipped ones. Throws when a folder that was named does not exist.
    public static func locate(
        folder: String? = nil, stored: [(id: String, json: String)] = [], storePath: String = "",
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> CatalogueStore {
        var store = CatalogueStore()
        for (id, json) in stored { store.entries[id] = (.store(storePath), nil, json) }
        let manager = FileManager.default
        func isFolder(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        if let legacy = environment["TILSYN_SCHEMAS"], !legacy.isEmpty, environment["TILSYN_CATALOGS"] == nil {
            let catalogues = URL(fileURLWithPath: legacy).appendingPathComponent("catalogues")
            guard isFolder(catalogues.path) else {
                throw CatalogueError(
                    .notFound, "TILSYN_SCHEMAS is set but has no catalogues/ folder; point it at the Schemas folder",
                    file: legacy)
            }
            store.add(folder: catalogues, origin: .environment(catalogues.path))
        }
        if let path = environment["TILSYN_CATALOGS"], !path.isEmpty {
            guard isFolder(path) else {
                throw CatalogueError(.notFound, "TILSYN_CATALOGS is set but is not a folder of catalogues", file: path)
            }
            store.add(folder: URL(fileURLWithPath: path), origin: .environment(path))
        }
        if let folder {
            guard isFolder(folder) else {
                throw CatalogueError(.notFound, "the catalogue folder given is not a folder", file: folder)
            }
            store.add(folder: URL(fileURLWithPath: folder), origin: .folder(folder))
        }
        return store
    }

    /// Adds the `<id>.json` files of `folder`, in front of what is there.
    private mutating func add(folder: URL, origin: Origin) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let id = String(name.dropLast(5))
            guard Catalogue.isCatalogueID(id) else { continue }
            entries[id] = (origin, folder.appendingPathComponent(name).path, nil)
        }
    }

    /// The ids of the catalogues, sorted.
    public func ids() throws -> [String] { entries.keys.sorted() }

    /// Where the catalogue with this id comes from; nil when there is none.
    public func origin(of id: String) -> Origin? { entries[id]?.origin }

    /// Loads and validates the catalogue with this id; a file's name must match the id inside.
    public func load(_ id: String) throws -> Catalogue {
        guard Catalogue.isCatalogueID(id) else {
            throw CatalogueError(.notFound, "'\(id)' is not a catalogue id (lower-case letters, digits, hyphens)")
        }
        guard let entry = entries[id] else {
            throw CatalogueError(.notFound, "there is no catalogue '\(id)'; the catalogues are: "
                + entries.keys.sorted().joined(separator: ", "))
        }
        let catalogue: Catalogue
        let where_: String
        if let file = entry.file {
            catalogue = try Catalogue.load(path: file)
            where_ = file
        } else {
            where_ = "\(id) (\(entry.origin))"
            catalogue = try Catalogue.decode(json: Array((entry.json ?? "").utf8), file: where_)
        }
        guard catalogue.id == id else {
            throw CatalogueError(.invalidValue, "the file holds catalogue '\(catalogue.id)'; rename it or fix its id",
                                 file: where_)
        }
        return catalogue
    }

    /// Loads a catalogue given by id, or by the path of a JSON file when `reference` ends in `.json`.
    public func resolve(_ reference: String) throws -> Catalogue {
        reference.hasSuffix(".json") ? try Catalogue.load(path: reference) : try load(reference)
    }
}
