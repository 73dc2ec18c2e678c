extension XLSXWriter {
    /// An Excel table (Insert ▸ Table, a `ListObject`): a header row and the rows below it, with filter buttons,
    /// banded rows and a name that formulas and Power Query refer to (`Data[svar]`).
    ///
    /// Started with `XLSXWorksheetWriter.beginTable(_:headerStyle:)`, which writes the header row; the table then
    /// takes in every row written below it until the sheet finishes or the next table begins.
    public struct Table: Sendable, Equatable {
        /// The table's name (`displayName`): 1 to 255 letters, digits, `_` and `.`, starting with a letter or `_`,
        /// not a cell reference, unique in the workbook ignoring case.
        public var name: String
        /// The header texts, one per column: unique ignoring case, 1 to 255 characters, none starting like a
        /// formula.
        public var columns: [String]
        /// The zero-based column of the table's first column.
        public var firstColumn: Int
        /// A built-in table style such as `TableStyleMedium2`, or nil for none.
        public var style: String?
        /// Banded rows.
        public var showRowStripes: Bool

        /// A table named `name` with `columns`.
        public init(
            name: String, columns: [String], firstColumn: Int = 0, style: String? = "TableStyleMedium2",
            showRowStripes: Bool = true
        ) {
            self.name = name
            self.columns = columns
            self.firstColumn = firstColumn
            self.style = style
            self.showRowStripes = showRowStripes
        }
    }
}

/// A table part (`xl/tables/tableN.xml`, CT_Table) and the worksheet relationships that point to it.
enum XLSXTableWriter {
    static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
    static let relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"

    /// The part name of the table with workbook-wide `id`.
    static func partName(id: Int) -> String { "xl/tables/table\(id).xml" }

    /// The relationships part of worksheet `sheetPartName` (`xl/worksheets/_rels/sheet1.xml.rels`).
    static func relationshipsPartName(sheetPartName: String) -> String {
        guard let slash = sheetPartName.lastIndex(of: "/") else { return "_rels/\(sheetPartName).rels" }
        let directory = sheetPartName[..<slash]
        let file = sheetPartName[sheetPartName.index(after: slash)...]
        return "\(directory)/_rels/\(file).rels"
    }

    /// The table part: its range, autofilter, columns and style.
    static func xml(_ table: XLSXWriter.Table, id: Int, range: String) -> [UInt8] {
        var xml = XMLBuffer(capacity: 512 + table.columns.count * 48)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<table xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"")
        xml.attribute("id", id)
        xml.attribute("name", table.name)
        xml.attribute("displayName", table.name)
        xml.attribute("ref", range)
        xml.raw(" totalsRowShown=\"0\"><autoFilter")
        xml.attribute("ref", range)
        xml.raw("/><tableColumns")
        xml.attribute("count", table.columns.count)
        xml.raw(">")
        for (offset, column) in table.columns.enumerated() {
            xml.raw("<tableColumn")
            xml.attribute("id", offset + 1)
            xml.attribute("name", column)
            xml.raw("/>")
        }
        xml.raw("</tableColumns>")
        if let style = table.style {
            xml.raw("<tableStyleInfo")
            xml.attribute("name", style)
            xml.raw(" showFirstColumn=\"0\" showLastColumn=\"0\"")
            xml.raw(table.showRowStripes ? " showRowStripes=\"1\"" : " showRowStripes=\"0\"")
            xml.raw(" showColumnStripes=\"0\"/>")
        }
        xml.raw("</table>")
        return xml.bytes
    }

    /// A worksheet's relationships: its tables as `rId1`…, in the order of `<tableParts>`.
    static func relationshipsXML(tableIDs: [Int]) -> [UInt8] {
        var xml = XMLBuffer(capacity: 256 + tableIDs.count * 160)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">")
        for (offset, id) in tableIDs.enumerated() {
            xml.raw("<Relationship")
            xml.attribute("Id", "rId\(offset + 1)")
            xml.attribute("Type", relationshipType)
            xml.attribute("Target", "../tables/table\(id).xml")
            xml.raw("/>")
        }
        xml.raw("</Relationships>")
        return xml.bytes
    }

    /// Checks a table's name and columns; `taken` holds the workbook's table and defined names, lowercased.
    static func validate(_ table: XLSXWriter.Table, taken: Set<String>, sheet: String) throws {
        func fail(_ message: String) -> SpreadsheetError {
            SpreadsheetError(.invalidArgument, message, sheet: sheet)
        }
        let name = table.name
        guard !name.isEmpty, name.utf16.count <= 255, let first = name.unicodeScalars.first,
            first.properties.isAlphabetic || first == "_",
            name.unicodeScalars.allSatisfy({
                $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == "."
            })
        else {
            throw fail(
                "the table name '\(name)' is invalid: give 1 to 255 letters, digits, _ and ., starting with a letter "
                    + "or _")
        }
        let upper = name.uppercased()
        if A1.parseCell(Substring(name)) != nil || upper == "R" || upper == "C" {
            throw fail("the table name '\(name)' looks like a cell reference")
        }
        guard !taken.contains(name.lowercased()) else {
            throw fail("the workbook already has a table or defined name '\(name)' (names are compared ignoring case)")
        }
        guard !table.columns.isEmpty else { throw fail("the table '\(name)' has no columns: give at least one") }
        guard table.firstColumn >= 0, table.firstColumn + table.columns.count <= A1.columnCount else {
            throw fail("the table '\(name)' reaches past Excel's last column XFD (16,384)")
        }
        var seen: Set<String> = []
        for column in table.columns {
            guard !column.isEmpty, column.utf16.count <= 255 else {
                throw fail("a column of the table '\(name)' is empty or longer than 255 characters")
            }
            guard !XLSXWriter.startsLikeFormula(column) else {
                throw fail("the column '\(column)' of the table '\(name)' starts like a formula (= + - @)")
            }
            guard seen.insert(column.lowercased()).inserted else {
                throw fail("the table '\(name)' has the column '\(column)' twice (names are compared ignoring case)")
            }
        }
    }
}
