/// Builds minimal XLSX packages from XML snippets, for reader tests.
public struct XLSXBuilder {
    public var sheets: [(name: String, xml: String, state: String?)] = []
    public var sharedStrings: [String]?
    public var stylesXML: String?
    public var date1904 = false
    public var definedNames: [(name: String, formula: String)] = []
    /// The SpreadsheetML namespace: transitional by default; Strict when set.
    public var strict = false
    /// A namespace prefix for SpreadsheetML elements (`x`), or nil for the default namespace.
    public var prefix: String?
    public var extraEntries: [ZipBuilder.Entry] = []

    public init() {}

    public var mainNamespace: String {
        strict ? "http://purl.oclc.org/ooxml/spreadsheetml/main" : "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    }

    var relNamespace: String {
        strict ? "http://purl.oclc.org/ooxml/officeDocument/relationships"
            : "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    }

    var relTypeBase: String {
        strict ? "http://purl.oclc.org/ooxml/officeDocument/relationships"
            : "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    }

    /// Adds a worksheet whose `<sheetData>` content is `rows` (plus anything after it in `trailer`).
    public mutating func addSheet(_ name: String, rows: String, trailer: String = "", state: String? = nil) {
        let p = prefix.map { "\($0):" } ?? ""
        let ns = prefix.map { "xmlns:\($0)=\"\(mainNamespace)\"" } ?? "xmlns=\"\(mainNamespace)\""
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <\(p)worksheet \(ns) xmlns:r="\(relNamespace)"><\(p)sheetData>\(rows)</\(p)sheetData>\(trailer)</\(p)worksheet>
            """
        sheets.append((name, xml, state))
    }

    /// Adds a worksheet part with exactly this XML.
    public mutating func addRawSheet(_ name: String, xml: String) {
        sheets.append((name, xml, nil))
    }

    public func build() -> [UInt8] {
        var zip = ZipBuilder()
        let p = prefix.map { "\($0):" } ?? ""
        let ns = prefix.map { "xmlns:\($0)=\"\(mainNamespace)\"" } ?? "xmlns=\"\(mainNamespace)\""
        zip.add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/></Types>
            """)
        zip.add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relTypeBase)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        var sheetList = ""
        var rels = ""
        for (i, sheet) in sheets.enumerated() {
            let state = sheet.state.map { " state=\"\($0)\"" } ?? ""
            sheetList += "<\(p)sheet name=\"\(escape(sheet.name))\" sheetId=\"\(i + 1)\"\(state) r:id=\"rId\(i + 1)\"/>"
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"\(relTypeBase)/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
            zip.add("xl/worksheets/sheet\(i + 1).xml", sheet.xml)
        }
        var names = ""
        if !definedNames.isEmpty {
            names = "<\(p)definedNames>"
                + definedNames.map { "<\(p)definedName name=\"\(escape($0.name))\">\(escape($0.formula))</\(p)definedName>" }
                .joined() + "</\(p)definedNames>"
        }
        let workbookPr = date1904 ? "<\(p)workbookPr date1904=\"1\"/>" : ""
        zip.add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?><\(p)workbook \(ns) xmlns:r="\(relNamespace)">\(workbookPr)\
            <\(p)sheets>\(sheetList)</\(p)sheets>\(names)</\(p)workbook>
            """)
        let n = sheets.count
        if let sharedStrings {
            rels += "<Relationship Id=\"rId\(n + 1)\" Type=\"\(relTypeBase)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
            let items = sharedStrings.map { $0.hasPrefix("<") ? "<\(p)si>\($0)</\(p)si>" : "<\(p)si><\(p)t>\(escape($0))</\(p)t></\(p)si>" }.joined()
            zip.add("xl/sharedStrings.xml", "<?xml version=\"1.0\"?><\(p)sst \(ns) count=\"\(sharedStrings.count)\">\(items)</\(p)sst>")
        }
        if let stylesXML {
            rels += "<Relationship Id=\"rId\(n + 2)\" Type=\"\(relTypeBase)/styles\" Target=\"styles.xml\"/>"
            zip.add("xl/styles.xml", "<?xml version=\"1.0\"?><\(p)styleSheet \(ns)>\(stylesXML)</\(p)styleSheet>")
        }
        zip.add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)</Relationships>
            """)
        zip.entries.append(contentsOf: extraEntries)
        return zip.build()
    }

    /// Styles with: 0 General, 1 dd-mm-yyyy (custom 164), 2 built-in 14 (date), 3 built-in 20 (h:mm), 4 [h]:mm:ss, 5 built-in 22.
    public static let dateStyles = """
        <numFmts count="2"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/><numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts>\
        <cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="20"/><xf numFmtId="165"/><xf numFmtId="22"/></cellXfs>
        """
}

/// XML escaping for test fixtures.
public func escape(_ text: String) -> String {
    var out = ""
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}
