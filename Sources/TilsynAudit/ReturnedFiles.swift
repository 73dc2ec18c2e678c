internal import Foundation

/// Finds the returned files to read among paths given on the command line.
public enum ReturnedFiles {
    /// The extensions read when walking a folder.
    public static let extensions: Set<String> = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv"]

    /// The files: each file path as given; each folder walked recursively for files with a known extension,
    /// skipping hidden files and Excel's lock files (`~$…`), sorted by path. Throws for a path that does not exist.
    public static func collect(_ paths: [String]) throws -> [String] {
        let manager = FileManager.default
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CatalogueError(.unreadable, "no such file or folder", file: path)
            }
            guard isDirectory.boolValue else {
                result.append(path)
                continue
            }
            var found: [String] = []
            let base = URL(fileURLWithPath: path)
            guard let enumerator = manager.enumerator(atPath: path) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") || name.hasPrefix("~$") { continue }
                let ext = (name as NSString).pathExtension.lowercased()
                guard extensions.contains(ext) else { continue }
                let full = base.appendingPathComponent(relative).path
                var isFolder: ObjCBool = false
                if manager.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue {
                    found.append(path.hasSuffix("/") ? path + relative : path + "/" + relative)
                }
            }
            result.append(contentsOf: found.sorted())
        }
        return result
    }
}
