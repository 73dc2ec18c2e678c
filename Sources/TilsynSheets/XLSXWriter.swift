/// A streaming XLSX writer: worksheets written row by row, with memory that does not grow with the rows.
///
/// Sheets are written one after another. `addWorksheet(_:options:)` finishes the sheet before it and returns the
/// new one, open for rows and for its after-the-rows settings (merges, validations, protection, …) until the next
/// sheet is started or the workbook is closed. Each sheet's XML goes straight into its own deflate entry; the
/// shared string table (deduplicated), the styles and the names are kept in memory and written by `close()`.
///
/// The package holds `[Content_Types].xml`, `_rels/.rels`, `docProps/app.xml`, `docProps/core.xml`,
/// `docProps/custom.xml` (with custom properties), `xl/workbook.xml`, `xl/_rels/workbook.xml.rels`,
/// `xl/styles.xml`, `xl/sharedStrings.xml` (unless strings are inline or there are none, as Excel leaves it out),
/// `xl/theme/theme1.xml` and
/// `xl/worksheets/sheetN.xml`. The sheets come first in the archive and `[Content_Types].xml` last, because its
/// list of sheets is known only at the end; readers find parts through the central directory.
///
/// Invalid input (a bad sheet name, text over 32,767 characters, NaN, a cell past XFD1048576, …) throws a
/// `SpreadsheetError` naming the sheet and cell, and the writer stays usable. A failed write discards the output:
/// a file being written is removed and the path left as it was. Output is deterministic.
public final class XLSXWriter {
    /// Settings for a writer.
    public struct Options: Sendable, Equatable {
        /// The deflate level, 1 (fastest, about 3× faster) to 9 (smallest); 6 by default.
        public var compressionLevel: Int
        /// Whether text goes into the shared string table (Excel's way, smaller files) or inline into each cell
        /// (no table kept in memory, for exports with many distinct texts).
        public var sharedStrings: Bool
        /// Whether text cells starting with `=`, `+`, `-`, `@`, TAB or CR get a leading `'`, as `CSVWriter` guards
        /// them, for workbooks meant for people.
        ///
        /// Excel never evaluates a text cell, but a sheet saved again as CSV (or pasted elsewhere) turns such text
        /// into a formula: the guard keeps formula injection from travelling through our exports. Off by default,
        /// so that the writer gives back exactly what it is given; `tilsyn convert` turns it on.
        public var guardFormulaText: Bool
        /// Whether a workbook written to a path is flushed to disk before it is renamed into place (see
        /// `ZipWriter.Options.syncToDisk`); on by default.
        public var syncToDisk: Bool
        /// Where the workbook's small package parts are kept deflated (see `ZipWriter.Options.deflateCache`).
        public var deflateCache: DeflateCache?

        /// Options for writing; the defaults are safe ones (flushed, shared strings, zlib level 6).
        public init(
            compressionLevel: Int = 6, sharedStrings: Bool = true, guardFormulaText: Bool = false,
            syncToDisk: Bool = true, deflateCache: DeflateCache? = .shared
        ) {
            self.compressionLevel = compressionLevel
            self.sharedStrings = sharedStrings
            self.guardFormulaText = guardFormulaText
            self.syncToDisk = syncToDisk
            self.deflateCache = deflateCache
        }
    }

    /// Whether `text` starts with a character that makes a spreadsheet read it as a formula: `=`, `+`, `-`, `@`,
    /// TAB or CR.
    @inline(__always)
    static func startsLikeFormula(_ text: String) -> Bool {
        switch text.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
    }

    /// `text` with the formula-injection guard applied: a leading `'` when it starts like a formula.
    public static func guardedText(_ text: String) -> String {
        startsLikeFormula(text) ? "'" + text : text
    }

    private struct UserName {
        var name: String
        var refersTo: String
        var sheet: String?
        var hidden: Bool
    }

    /// The writer's settings.
    public let options: Options
    /// The document properties; may be changed until `close()`.
    public var properties = DocumentProperties()

    let zip: ZipWriter
    var styles = XLSXStylesWriter()
    var sharedStrings = XLSXSharedStringsWriter()
    private var sheets: [XLSXWorksheetWriter] = []
    private var names: [UserName] = []
    /// The names of the tables begun so far, in id order (table ids are 1-based positions here).
    private var tableNames: [String] = []
    private var closed = false
    private let file: String?

    /// A writer to `path`; the file appears only when `close()` succeeds.
    public convenience init(path: String, options: Options = Options()) throws {
        let zip = try ZipWriter(
            path: path,
            options: ZipWriter.Options(
                compressionLevel: options.compressionLevel, syncToDisk: options.syncToDisk,
                deflateCache: options.deflateCache))
        self.init(zip: zip, options: options, file: path)
    }

    /// A writer to memory; read the workbook from `bytes` after `close()`.
    public convenience init(options: Options = Options()) throws {
        let zip = try ZipWriter(
            options: ZipWriter.Options(compressionLevel: options.compressionLevel, deflateCache: options.deflateCache))
        self.init(zip: zip, options: options, file: nil)
    }

    init(zip: ZipWriter, options: Options, file: String?) {
        self.zip = zip
        self.options = options
        self.file = file
    }

    /// The workbook written to memory, complete after `close()`; empty for a writer to a path.
    public var bytes: [UInt8] { zip.bytes }

    /// The names of the sheets created so far, in order.
    public var worksheetNames: [String] { sheets.map(\.name) }

    /// Whether the writer can still be used: not closed and no write has failed.
    var isUsable: Bool { !closed && !zip.isFailedOrFinished }

    private func located(_ error: SpreadsheetError) -> SpreadsheetError {
        file.map { error.inFile($0) } ?? error
    }

    private func requireUsable(_ what: String) throws {
        guard isUsable else {
            throw located(
                SpreadsheetError(
                    .invalidArgument,
                    "cannot \(what): the workbook is already closed or an earlier write failed"))
        }
    }

    // MARK: - Styles

    /// Registers `style` and returns its id; equal styles share one id.
    public func addStyle(_ style: Style) throws -> StyleID {
        try requireUsable("add a style")
        do {
            return try styles.add(style)
        } catch let error as SpreadsheetError {
            throw located(error)
        }
    }

    // MARK: - Sheets

    /// Finishes the current sheet and starts a new one named `name`, with the settings Excel stores before rows.
    ///
    /// Names have 1 to 31 characters, none of `[ ] : * ? / \`, no apostrophe first or last, are unique ignoring
    /// case and are not `History` (reserved by Excel).
    @discardableResult
    public func addWorksheet(_ name: String, options sheetOptions: SheetOptions = SheetOptions()) throws
        -> XLSXWorksheetWriter
    {
        try requireUsable("add sheet '\(name)'")
        do {
            try checkSheetName(name)
            try XLSXWorksheetWriter.validate(sheetOptions, sheet: name)
            for column in sheetOptions.columns {
                if let style = column.style, !styles.contains(style) {
                    throw SpreadsheetError(
                        .invalidArgument,
                        "the style of column \(A1.column(column.first)) was not registered with addStyle",
                        sheet: name)
                }
            }
        } catch let error as SpreadsheetError {
            throw located(error)
        }
        try sheets.last?.finish()
        let selected = sheetOptions.visibility == .visible && !sheets.contains { $0.tabSelected }
        let sheet = XLSXWorksheetWriter(
            workbook: self, name: name, index: sheets.count, options: sheetOptions, tabSelected: selected)
        try sheet.start(zip: zip)
        sheets.append(sheet)
        return sheet
    }

    private func checkSheetName(_ name: String) throws {
        func fail(_ why: String) -> SpreadsheetError {
            SpreadsheetError(.invalidArgument, "the sheet name is invalid: \(why)", sheet: name)
        }
        guard !name.isEmpty else { throw fail("it is empty; give 1 to 31 characters") }
        guard name.utf16.count <= 31 else {
            throw fail("it has \(name.utf16.count) characters; Excel allows at most 31")
        }
        if let bad = name.unicodeScalars.first(where: { "[]:*?/\\".unicodeScalars.contains($0) || $0.value < 0x20 }) {
            let shown = bad.value < 0x20 ? "a control character" : "'\(bad)'"
            throw fail("it contains \(shown); Excel does not allow [ ] : * ? / \\ in sheet names")
        }
        guard !name.hasPrefix("'"), !name.hasSuffix("'") else {
            throw fail("it starts or ends with an apostrophe, which Excel does not allow")
        }
        guard name.lowercased() != "history" else { throw fail("Excel reserves the name History") }
        let folded = name.lowercased()
        if let existing = sheets.first(where: { $0.name.lowercased() == folded }) {
            throw fail("the workbook already has a sheet named '\(existing.name)' (names are compared ignoring case)")
        }
    }

    // MARK: - Tables

    /// Table and defined names in use, lowercased: a new table's name must differ from all of them.
    var takenTableNames: Set<String> {
        Set(tableNames.map { $0.lowercased() } + names.map { $0.name.lowercased() })
    }

    /// Records a new table and returns its workbook-wide id.
    func registerTable(_ name: String) -> Int {
        tableNames.append(name)
        return tableNames.count
    }

    // MARK: - Names

    /// Defines a name for a range or constant, e.g. `Svar_B_2` → `'Tilsyn'!$D$12`.
    ///
    /// With `sheet`, the name is local to that sheet (as `_xlnm.Print_Area` is); the sheet may be added later.
    /// `refersTo` is a formula without `=` (a leading `=` is dropped). Repeated header rows are set with
    /// `PageSetup.repeatedRows` and autofilters name themselves.
    public func defineName(_ name: String, refersTo: String, sheet: String? = nil, hidden: Bool = false) throws {
        try requireUsable("define name '\(name)'")
        do {
            try checkDefinedName(name, sheet: sheet)
            let formula = refersTo.hasPrefix("=") ? String(refersTo.dropFirst()) : refersTo
            guard !formula.isEmpty, formula.utf16.count <= 8192 else {
                throw SpreadsheetError(
                    .invalidArgument, "the name '\(name)' must refer to a formula of 1 to 8,192 characters",
                    sheet: sheet)
            }
            let folded = name.lowercased()
            if sheet == nil, tableNames.contains(where: { $0.lowercased() == folded }) {
                throw SpreadsheetError(.invalidArgument, "the name '\(name)' is already the name of a table")
            }
            if names.contains(where: { $0.name.lowercased() == folded && $0.sheet?.lowercased() == sheet?.lowercased() }
            ) {
                throw SpreadsheetError(
                    .invalidArgument,
                    "the name '\(name)' is already defined \(sheet == nil ? "for the workbook" : "on this sheet")",
                    sheet: sheet)
            }
            names.append(UserName(name: name, refersTo: formula, sheet: sheet, hidden: hidden))
        } catch let error as SpreadsheetError {
            throw located(error)
        }
    }

    private func checkDefinedName(_ name: String, sheet: String?) throws {
        func fail(_ why: String) -> SpreadsheetError {
            SpreadsheetError(.invalidArgument, "the defined name '\(name)' is invalid: \(why)", sheet: sheet)
        }
        if name.hasPrefix("_xlnm.") {
            let builtIn = ["Print_Area", "Print_Titles", "_FilterDatabase", "Criteria", "Extract"]
            guard builtIn.contains(String(name.dropFirst(6))) else {
                throw fail("the only built-in names are _xlnm.\(builtIn.joined(separator: ", _xlnm."))")
            }
            guard sheet != nil else { throw fail("built-in names belong to a sheet; give the sheet") }
            return
        }
        guard !name.isEmpty, name.utf16.count <= 255 else { throw fail("give 1 to 255 characters") }
        guard let first = name.unicodeScalars.first,
            first.properties.isAlphabetic || first == "_" || first == "\\",
            name.unicodeScalars.allSatisfy({
                $0.properties.isAlphabetic || $0.properties.numericType != nil || "_.\\?".unicodeScalars.contains($0)
            })
        else {
            throw fail("start with a letter, _ or \\ and use only letters, digits, _, . and \\")
        }
        let upper = name.uppercased()
        let looksLikeR1C1 =
            upper == "R" || upper == "C"
            || (upper.first == "R" && upper.dropFirst().allSatisfy { $0.isNumber || $0 == "C" }
                && upper.filter { $0 == "C" }.count <= 1 && upper.dropFirst().first?.isNumber != false)
        if A1.parseCell(Substring(name)) != nil || looksLikeR1C1 {
            throw fail("it looks like a cell reference")
        }
    }

    // MARK: - Close

    /// Finishes the last sheet and writes the remaining parts; for a path, moves the file into place.
    ///
    /// Throws, leaving the writer open, when there is no sheet, no visible sheet, or a defined name refers to a
    /// sheet that does not exist: add what is missing and close again.
    public func close() throws {
        try requireUsable("close the workbook")
        guard !sheets.isEmpty else {
            throw located(SpreadsheetError(.noSheets, "the workbook has no sheets: add at least one with addWorksheet"))
        }
        guard let active = sheets.firstIndex(where: { $0.options.visibility == .visible }) else {
            throw located(
                SpreadsheetError(
                    .invalidArgument, "every sheet is hidden: Excel needs at least one visible sheet; make one visible")
            )
        }
        var resolved: [XLSXWorkbookPartWriter.Name] = []
        for name in names {
            var local: Int?
            if let sheet = name.sheet {
                guard let index = sheets.firstIndex(where: { $0.name.lowercased() == sheet.lowercased() }) else {
                    throw located(
                        SpreadsheetError(
                            .sheetNotFound, "the defined name '\(name.name)' belongs to a sheet that was never added",
                            sheet: sheet))
                }
                local = index
            }
            resolved.append(.init(name: name.name, refersTo: name.refersTo, localSheet: local, hidden: name.hidden))
        }
        for (index, sheet) in sheets.enumerated() {
            let quoted = formulaSheetName(sheet.name)
            if let rows = sheet.options.pageSetup.repeatedRows {
                guard !resolved.contains(where: { $0.name == "_xlnm.Print_Titles" && $0.localSheet == index }) else {
                    throw located(
                        SpreadsheetError(
                            .invalidArgument,
                            "the sheet has repeated rows in its page setup and a _xlnm.Print_Titles name: keep one",
                            sheet: sheet.name))
                }
                resolved.append(
                    .init(
                        name: "_xlnm.Print_Titles",
                        refersTo: "\(quoted)!$\(rows.lowerBound + 1):$\(rows.upperBound + 1)",
                        localSheet: index, hidden: false))
            }
            // The sheet is open until it finishes below; its autofilter is final only then.
        }
        try sheets.last?.finish()
        for (index, sheet) in sheets.enumerated() {
            guard let filter = sheet.autoFilter, let range = A1.parseRange(filter) else { continue }
            let absolute =
                A1.absoluteCell(row: range.firstRow, column: range.firstColumn) + ":"
                + A1.absoluteCell(row: range.lastRow, column: range.lastColumn)
            resolved.append(
                .init(
                    name: "_xlnm._FilterDatabase", refersTo: "\(formulaSheetName(sheet.name))!\(absolute)",
                    localSheet: index, hidden: true))
        }
        closed = true
        do {
            try writeRemainingParts(names: resolved, activeSheet: active)
            try zip.finish()
        } catch let error as SpreadsheetError {
            zip.discard()
            throw located(error)
        }
    }

    private func writeRemainingParts(names: [XLSXWorkbookPartWriter.Name], activeSheet: Int) throws {
        // Excel writes no shared string table for a workbook without text.
        let hasSharedStrings = options.sharedStrings && sharedStrings.count > 0
        if hasSharedStrings {
            try zip.beginEntry(XLSXSharedStringsWriter.partName)
            try sharedStrings.write { try zip.write($0) }
            try zip.endEntry()
        }
        try zip.addEntry(XLSXStylesWriter.partName, contents: styles.xml())
        try zip.addEntry(
            XLSXThemeWriter.partName, precompressed: try XLSXThemeWriter.deflated(level: options.compressionLevel))
        try zip.addEntry(
            XLSXWorkbookPartWriter.partName,
            contents: XLSXWorkbookPartWriter.xml(
                sheets: sheets.map { ($0.name, $0.options.visibility) }, activeSheet: activeSheet, names: names))
        try zip.addEntry(
            XLSXRelationshipsWriter.workbookPartName,
            contents: XLSXRelationshipsWriter.workbookXML(
                sheetCount: sheets.count, sharedStrings: hasSharedStrings))
        let custom = !properties.custom.isEmpty
        if custom {
            var seen: Set<String> = []
            for property in properties.custom {
                guard !property.name.isEmpty, property.name.utf16.count <= 255,
                    seen.insert(property.name.lowercased()).inserted
                else {
                    throw SpreadsheetError(
                        .invalidArgument,
                        "the custom property '\(property.name)' is empty, longer than 255 characters or given twice")
                }
            }
            try zip.addEntry(
                XLSXCustomPropertiesWriter.partName, contents: XLSXCustomPropertiesWriter.xml(properties.custom))
        }
        let sortedNames = XLSXWorkbookPartWriter.sorted(names, sheetNames: sheets.map(\.name))
        let namedRanges = sortedNames.compactMap { name -> String? in
            // Excel lists the names of ranges; hidden names and constants (`Baz` = 0.98) are left out.
            guard !name.hidden, name.name != "_xlnm._FilterDatabase", name.refersTo.contains("!") else { return nil }
            let plain = name.name.hasPrefix("_xlnm.") ? String(name.name.dropFirst(6)) : name.name
            guard let sheet = name.localSheet else { return plain }
            return formulaSheetName(sheets[sheet].name) + "!" + plain
        }
        try zip.addEntry(
            XLSXAppPropertiesWriter.partName,
            contents: XLSXAppPropertiesWriter.xml(properties, sheets: sheets.map(\.name), namedRanges: namedRanges))
        try zip.addEntry(XLSXCorePropertiesWriter.partName, contents: XLSXCorePropertiesWriter.xml(properties))
        try zip.addEntry(
            XLSXRelationshipsWriter.packagePartName,
            contents: XLSXRelationshipsWriter.packageXML(customProperties: custom))
        try zip.addEntry(
            XLSXContentTypesWriter.partName,
            contents: XLSXContentTypesWriter.xml(
                sheetCount: sheets.count, sharedStrings: hasSharedStrings, customProperties: custom,
                tables: tableNames.count))
    }
}
