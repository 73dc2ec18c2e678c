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
            /// A link (symbolic link) to nothing: its target was moved or deleted.
            case brokenLink
        }

        /// The file's path.
        public var path: String
        /// Why it is not read.
        public var reason: Reason
    }

    /// The files to read and the files skipped: each file path as given (always read, whatever its name); each
    /// folder walked recursively, sorted by path, every file in it either read (by extension) or skipped with its
    /// reason. Links are followed, to files and to folders (a folder reached twice, through a link or a loop of
    /// links, is walked once); a link to nothing is skipped with its reason. Throws for a path that does not exist.
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
            var walker = Walker()
            walker.visit(folder: path, shown: path.hasSuffix("/") ? String(path.dropLast()) : path, hidden: false)
            result.append(contentsOf: walker.found.sorted())
            skipped.append(contentsOf: walker.passed.sorted { $0.path < $1.path })
        }
        return (result, skipped)
    }

    /// One folder's walk: what it found and passed, and the folders walked (by their real path).
    private struct Walker {
        var found: [String] = []
        var passed: [Skipped] = []
        private var walked: Set<String> = []

        /// Walks `folder` (shown as `shown`); `hidden` when it is inside a hidden folder.
        mutating func visit(folder: String, shown: String, hidden: Bool) {
            let manager = FileManager.default
            let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
            guard walked.insert(real).inserted, let names = try? manager.contentsOfDirectory(atPath: folder) else {
                return
            }
            for name in names {
                let full = folder + "/" + name
                let path = shown + "/" + name
                let isHidden = hidden || name.hasPrefix(".")
                var isFolder: ObjCBool = false
                guard manager.fileExists(atPath: full, isDirectory: &isFolder) else {
                    // fileExists follows links: a link whose target is gone.
                    passed.append(Skipped(path: path, reason: .brokenLink))
                    continue
                }
                if isFolder.boolValue {
                    visit(folder: full, shown: path, hidden: isHidden)
                } else if name.hasPrefix("~$") || name.hasPrefix(".~lock.") {
                    passed.append(Skipped(path: path, reason: .lockFile))
                } else if isHidden {
                    passed.append(Skipped(path: path, reason: .hidden))
                } else if extensions.contains((name as NSString).pathExtension.lowercased()) {
                    found.append(path)
                } else {
                    passed.append(Skipped(path: path, reason: .otherKind))
                }
            }
        }
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
            case .brokenLink:
                ("Filen er en genvej (et symbolsk link) til en fil, der ikke findes længere, og er sprunget over.",
                 "Læg besvarelsen selv i mappen, eller ret genvejen, så den peger på filen.")
            }
        return Finding(
            file: skipped.path, severity: .warning, rule: .skippedFile, message: message, suggestion: suggestion)
    }
}
