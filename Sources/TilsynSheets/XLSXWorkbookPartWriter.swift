/// `xl/workbook.xml`: the sheets with their states, the defined names and calculation settings.
enum XLSXWorkbookPartWriter {
    static let partName = "xl/workbook.xml"

    /// A defined name resolved to its scope.
    struct Name {
        var name: String
        var refersTo: String
        /// The zero-based sheet the name is local to, or nil for a workbook-wide name.
        var localSheet: Int?
        var hidden: Bool
    }

    /// Names in the order Excel keeps them: by name without the `_xlnm.` prefix, ignoring case, then workbook
    /// names before local ones and local ones by the name of their sheet, ignoring case.
    static func sorted(_ names: [Name], sheetNames: [String]) -> [Name] {
        func key(_ name: Name) -> String {
            (name.name.hasPrefix("_xlnm.") ? String(name.name.dropFirst(6)) : name.name).lowercased()
        }
        func scope(_ name: Name) -> String? {
            name.localSheet.map { sheetNames[$0].lowercased() }
        }
        return names.sorted { lhs, rhs in
            let (left, right) = (key(lhs), key(rhs))
            if left != right { return Array(left.utf8).lexicographicallyPrecedes(right.utf8) }
            switch (scope(lhs), scope(rhs)) {
            case (nil, nil), (_?, nil): return false
            case (nil, _?): return true
            case (let a?, let b?): return Array(a.utf8).lexicographicallyPrecedes(b.utf8)
            }
        }
    }

    static func xml(
        sheets: [(name: String, visibility: XLSXWriter.SheetVisibility)], activeSheet: Int, names: [Name]
    ) -> [UInt8] {
        var xml = XMLBuffer(capacity: 2048)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" ")
        xml.raw("xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">")
        xml.raw("<fileVersion appName=\"xl\" lastEdited=\"4\" lowestEdited=\"4\" rupBuild=\"4505\"/>")
        xml.raw("<workbookPr defaultThemeVersion=\"124226\"/>")
        xml.raw("<bookViews><workbookView xWindow=\"240\" yWindow=\"15\" windowWidth=\"16095\" windowHeight=\"9660\"")
        if activeSheet > 0 {
            xml.attribute("firstSheet", activeSheet)
            xml.attribute("activeTab", activeSheet)
        }
        xml.raw("/></bookViews><sheets>")
        for (index, sheet) in sheets.enumerated() {
            xml.raw("<sheet")
            xml.attribute("name", sheet.name)
            xml.attribute("sheetId", index + 1)
            if sheet.visibility != .visible { xml.attribute("state", sheet.visibility.rawValue) }
            xml.attribute("r:id", "rId\(index + 1)")
            xml.raw("/>")
        }
        xml.raw("</sheets>")
        if !names.isEmpty {
            xml.raw("<definedNames>")
            for name in sorted(names, sheetNames: sheets.map(\.name)) {
                xml.raw("<definedName")
                xml.attribute("name", name.name)
                if let sheet = name.localSheet { xml.attribute("localSheetId", sheet) }
                if name.hidden { xml.raw(" hidden=\"1\"") }
                xml.raw(">")
                xml.text(name.refersTo)
                xml.raw("</definedName>")
            }
            xml.raw("</definedNames>")
        }
        // Formulas may be written without cached results: ask Excel to recalculate on load.
        xml.raw("<calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>")
        return xml.bytes
    }
}
