/// A sheet as the workbook lists it.
public struct SheetInfo: Sendable, Equatable {
    /// Whether Excel shows the sheet's tab: `hidden` sheets can be unhidden from the menu, `veryHidden` ones only
    /// from the VBA editor.
    public enum Visibility: String, Sendable {
        /// Shown, hidden, or hidden so that only VBA can show it.
        case visible, hidden, veryHidden
    }
    /// What the sheet holds: cells (`worksheet`), a chart, an Excel 5 dialog or an Excel 4 macro sheet.
    public enum Kind: String, Sendable {
        /// The sheet kinds SpreadsheetML knows, and `unknown` for anything else.
        case worksheet, chartsheet, dialogsheet, macrosheet, unknown
    }

    /// The sheet name as shown on its tab.
    public var name: String
    /// The 0-based position in the workbook's tab order.
    public var index: Int
    /// Whether its tab shows.
    public var visibility: Visibility
    /// What it holds.
    public var kind: Kind
    /// The package part holding the sheet (`xl/worksheets/sheet1.xml`), nil when no relationship points to one.
    public var part: String?
}

/// A workbook-level or sheet-level defined name.
public struct DefinedName: Sendable, Equatable {
    /// The name (`Svar_B_2`, `_xlnm.Print_Titles`).
    public var name: String
    /// The formula or reference as written, e.g. `'Tilsyn'!$D$12`.
    public var formula: String
    /// The 0-based index of the sheet the name is local to; nil for a workbook-level name.
    public var localSheet: Int?
    /// Whether Excel hides the name from its Name Manager.
    public var hidden: Bool
}

/// Reads `xl/workbook.xml`: sheets in order with their visibility and relationship ids, defined names, date system.
final class WorkbookPartReader: SAXHandler {
    struct SheetEntry {
        var name: String
        var relationshipId: String?
        var visibility: SheetInfo.Visibility
    }

    private(set) var sheets: [SheetEntry] = []
    private(set) var definedNames: [DefinedName] = []
    private(set) var date1904 = false
    private var pendingName: DefinedName?
    private var text: [UInt8] = []

    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        if name.is("sheet") {
            guard let sheetName = attributes.string("name") else {
                throw SpreadsheetError(.invalidValue, "a sheet in the workbook has no name: save the workbook again in Excel")
            }
            let state: SheetInfo.Visibility =
                switch attributes.string("state") {
                case "hidden": .hidden
                case "veryHidden": .veryHidden
                default: .visible
                }
            let id = attributes.string("id", namespace: .relationships)
            sheets.append(SheetEntry(name: sheetName, relationshipId: id, visibility: state))
            if sheets.count > 10_000 {
                throw SpreadsheetError(.limitExceeded, "the workbook lists more than 10,000 sheets")
            }
        } else if name.is("workbookPr") {
            if let value = attributes.string("date1904") { date1904 = value == "1" || value.lowercased() == "true" }
        } else if name.is("definedName") {
            let local = attributes.raw("localSheetId").flatMap(ExcelText.index)
            let hidden = attributes.string("hidden").map { $0 == "1" || $0 == "true" } ?? false
            pendingName = DefinedName(name: attributes.string("name") ?? "", formula: "", localSheet: local, hidden: hidden)
            text.removeAll(keepingCapacity: true)
        }
    }

    override func endElement(_ name: XMLName) throws {
        if name.is("definedName"), var definedName = pendingName {
            definedName.formula = String(decoding: text, as: UTF8.self)
            definedNames.append(definedName)
            pendingName = nil
            if definedNames.count > 100_000 {
                throw SpreadsheetError(.limitExceeded, "the workbook defines more than 100,000 names")
            }
        }
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard pendingName != nil else { return }
        guard text.count + bytes.count <= 65_536 else {
            throw SpreadsheetError(.limitExceeded, "a defined name's formula is longer than 65,536 bytes")
        }
        text.append(contentsOf: bytes)
    }
}

/// Limits on what one workbook may hold when read, beyond the ZIP limits.
public struct ReadLimits: Sendable, Equatable {
    /// The most shared strings accepted.
    public var maxSharedStrings: Int
    /// The most bytes of text all shared strings may hold together.
    public var maxSharedStringBytes: Int
    /// The most bytes one cell's text may hold (Excel's own limit is 32,767 characters).
    public var maxCellBytes: Int
    /// The most cells with values an OpenDocument sheet may gain from repeat counts (`number-columns-repeated`,
    /// `number-rows-repeated`) beyond the cells written out: repeats cost no bytes, so the ZIP ratio limit does not
    /// bound them. Empty repeats are free.
    public var maxRepeatedCells: Int

    /// Limits far above any real workbook and far below what would exhaust memory.
    public init(
        maxSharedStrings: Int = 2_000_000, maxSharedStringBytes: Int = 256 << 20, maxCellBytes: Int = 1 << 20,
        maxRepeatedCells: Int = 1_000_000
    ) {
        self.maxSharedStrings = maxSharedStrings
        self.maxSharedStringBytes = maxSharedStringBytes
        self.maxCellBytes = maxCellBytes
        self.maxRepeatedCells = maxRepeatedCells
    }
}

/// Reads `xl/sharedStrings.xml` into an array: rich runs concatenated, phonetic runs skipped, escapes decoded.
final class SharedStringsReader: SAXHandler {
    // Only this reader touches its state, on one thread: no dynamic exclusivity checks needed. A table may hold
    // millions of items, so the per-element cost matters even in a debug build.
    @exclusivity(unchecked) private(set) var strings: [String] = []
    private let limits: ReadLimits
    @exclusivity(unchecked) private var text: [UInt8] = []
    @exclusivity(unchecked) private var inItem = false
    @exclusivity(unchecked) private var inText = false
    @exclusivity(unchecked) private var phoneticDepth = 0
    @exclusivity(unchecked) private var totalBytes = 0

    init(limits: ReadLimits) {
        self.limits = limits
    }

    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        if name.is("si") {
            inItem = true
            text.removeAll(keepingCapacity: true)
        } else if name.is("t") {
            inText = inItem && phoneticDepth == 0
        } else if name.is("rPh") {
            phoneticDepth += 1
        } else if name.is("sst") {
            // The declared counts are often wrong: use them only as a capped capacity hint. A declared unique count
            // beyond the limit is refused at once, though: either the table really is too large, or the file lies.
            if let unique = attributes.raw("uniqueCount").flatMap(ExcelText.index) {
                guard unique <= limits.maxSharedStrings else {
                    throw SpreadsheetError(
                        .limitExceeded,
                        "the shared-string table declares \(unique) strings, more than the \(limits.maxSharedStrings) "
                            + "allowed: the file is hostile or far too large to be a review workbook")
                }
                strings.reserveCapacity(min(unique, 65_536))
            }
        }
    }

    override func endElement(_ name: XMLName) throws {
        if name.is("si") {
            inItem = false
            guard strings.count < limits.maxSharedStrings else {
                throw SpreadsheetError(
                    .limitExceeded,
                    "the shared-string table holds more than \(limits.maxSharedStrings) strings: the file is hostile or far "
                        + "too large to be a review workbook")
            }
            strings.append(text.isEmpty ? "" : text.withUnsafeBufferPointer { ExcelText.string($0) })
        } else if name.is("t") {
            inText = false
        } else if name.is("rPh") {
            phoneticDepth -= 1
        }
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard inText else { return }
        totalBytes += bytes.count
        guard totalBytes <= limits.maxSharedStringBytes, text.count + bytes.count <= limits.maxCellBytes else {
            throw SpreadsheetError(
                .limitExceeded,
                "the shared strings hold more text than allowed (\(limits.maxCellBytes) bytes per string, "
                    + "\(limits.maxSharedStringBytes) in all): the file is hostile or far too large")
        }
        text.append(contentsOf: bytes)
    }
}
