public import Foundation

/// The catalogues in a `Schemas/catalogues` folder, found at run time.
///
/// `CatalogueStore.locate()` looks, in order, at:
/// 1. the environment variable `TILSYN_SCHEMAS`: a `Schemas` folder (holding `catalogues/`);
/// 2. the folders above the running executable, for one holding `Schemas/catalogues` (the package root, so both
///    `swift run tilsyn` and `.build/debug/tilsyn` find the package's catalogues from any working directory);
/// 3. the current directory and the folders above it.
public struct CatalogueStore: Sendable {
    /// The `Schemas` folder.
    public let schemas: URL

    /// The folder holding `<id>.json` files.
    public var directory: URL { schemas.appendingPathComponent("catalogues") }

    /// The JSON Schema the catalogues follow.
    public var schemaFile: URL { schemas.appendingPathComponent("catalogue.schema.json") }

    public init(schemas: URL) {
        self.schemas = schemas
    }

    /// Finds the `Schemas` folder as the type's documentation describes; throws when none is found.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) throws -> CatalogueStore {
        let manager = FileManager.default
        func hasCatalogues(_ schemas: URL) -> Bool {
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: schemas.appendingPathComponent("catalogues").path,
                                      isDirectory: &isDirectory) && isDirectory.boolValue
        }
        if let explicit = environment["TILSYN_SCHEMAS"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit)
            guard hasCatalogues(url) else {
                throw CatalogueError(
                    .notFound, "TILSYN_SCHEMAS is set but has no catalogues/ folder; point it at the Schemas folder",
                    file: explicit)
            }
            return CatalogueStore(schemas: url)
        }
        var starts: [URL] = []
        if let executable { starts.append(executable.resolvingSymlinksInPath().deletingLastPathComponent()) }
        starts.append(currentDirectory)
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent("Schemas")
                if hasCatalogues(candidate) { return CatalogueStore(schemas: candidate) }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw CatalogueError(
            .notFound,
            "no Schemas/catalogues folder found above the executable or the current directory; set TILSYN_SCHEMAS "
                + "to the package's Schemas folder")
    }

    /// The ids of the catalogues in the folder, sorted.
    public func ids() throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw CatalogueError(.unreadable, "the catalogue folder cannot be read", file: directory.path)
        }
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The path of the catalogue with this id.
    public func path(of id: String) -> String { directory.appendingPathComponent(id + ".json").path }

    /// Loads and validates the catalogue with this id; also checks that the file name matches the id inside.
    public func load(_ id: String) throws -> Catalogue {
        guard Catalogue.isCatalogueID(id) else {
            throw CatalogueError(.notFound, "'\(id)' is not a catalogue id (lower-case letters, digits, hyphens)")
        }
        let path = path(of: id)
        guard FileManager.default.fileExists(atPath: path) else {
            let known = (try? ids())?.joined(separator: ", ") ?? ""
            throw CatalogueError(.notFound, "there is no catalogue '\(id)'; the catalogues are: \(known)")
        }
        let catalogue = try Catalogue.load(path: path)
        guard catalogue.id == id else {
            throw CatalogueError(.invalidValue, "the file holds catalogue '\(catalogue.id)'; rename it or fix its id",
                                 file: path)
        }
        return catalogue
    }

    /// Loads a catalogue given by id, or by the path of a JSON file when `reference` ends in `.json`.
    public func resolve(_ reference: String) throws -> Catalogue {
        reference.hasSuffix(".json") ? try Catalogue.load(path: reference) : try load(reference)
    }
}
