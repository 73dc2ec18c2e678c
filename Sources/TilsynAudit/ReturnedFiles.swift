internal import Foundation

/// Finds the returned files to read among paths given on the command line.
public enum ReturnedFiles {
    /// The extensions read when walking a folder.
    public static let extensions: Set<String> = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt"]

    /// A file in a walked folder that is not read, and why.
    public struct Skipped: Sendable, Equatable {
        /// Why the file is not read.
        public enum Reason: String, Sendable, Equatable {
            /// `~$Bog.xlsx` (Excel) or `.~lock.Bog.xlsx#` (LibreOffice): the program's note that the file is open.
            case lockFile
            /// A hidden file (its name starts with a dot), such as `.DS_Store`.
            case hidden
            /// Not a workbook or CSV file by its extension (`.docx`, `.pdf`, `.msg`, …).
            case otherKind
        }

        /// The file's path.
        public var path: String
        /// Why it is not read.
        public var reason: Reason
    }

    /// The files to read and the files skipped: each file path as given (always read, whatever its name); each
    /// folder walked recursively, sorted by path, every file in it either read (by extension) or skipped with its
    /// reason. Throws for a path that does not exist.
    public static func walk(_ paths: [String]) throws -> (files: [String], skipped: [Skipped]) {
        let manager = FileManager.default
        var result: [String] = []
        var skipped: [Skipped] = []
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
            var passed: [Skipped] = []
            let base = URL(fileURLWithPath: path)
            guard let enumerator = manager.enumerator(atPath: path) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let full = base.appendingPathComponent(relative).path
                var isFolder: ObjCBool = false
                guard manager.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else { continue }
                let shown = path.hasSuffix("/") ? path + relative : path + "/" + relative
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix("~$") || name.hasPrefix(".~lock.") {
                    passed.append(Skipped(path: shown, reason: .lockFile))
                } else if name.hasPrefix(".") || relative.split(separator: "/").dropLast().contains(where: { $0.hasPrefix(".") }) {
                    passed.append(Skipped(path: shown, reason: .hidden))
                } else if extensions.contains((name as NSString).pathExtension.lowercased()) {
                    found.append(shown)
                } else {
                    passed.append(Skipped(path: shown, reason: .otherKind))
                }
            }
            result.append(contentsOf: found.sorted())
            skipped.append(contentsOf: passed.sorted { $0.path < $1.path })
        }
        return (result, skipped)
    }

    /// The files to read (see `walk`), without the skipped ones.
    public static func collect(_ paths: [String]) throws -> [String] {
        try walk(paths).files
    }

    /// The finding that tells a reviewer a file in the folder was not read.
    public static func finding(_ skipped: Skipped) -> Finding {
        let (message, suggestion): (String, String) =
            switch skipped.reason {
            case .lockFile:
                ("Filen er en låsefil, som Excel eller LibreOffice laver, mens en projektmappe er åben. Den er "
                    + "sprunget over.", "Ingen handling; luk projektmappen, så forsvinder låsefilen.")
            case .hidden:
                ("Filen er skjult (navnet begynder med et punktum) og er sprunget over.",
                 "Ingen handling, hvis filen ikke er en besvarelse; ellers giv den et navn uden punktum først.")
            case .otherKind:
                ("Filen er hverken en Excel-projektmappe (.xlsx), et OpenDocument-regneark (.ods) eller en CSV-fil, "
                    + "og er sprunget over.",
                 "Gem besvarelsen som Excel-projektmappe (.xlsx), hvis filen er en besvarelse.")
            }
        return Finding(
            file: skipped.path, severity: .warning, rule: .skippedFile, message: message, suggestion: suggestion)
    }
}
