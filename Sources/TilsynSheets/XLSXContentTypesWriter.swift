/// `[Content_Types].xml`: the content type of every part in the package.
enum XLSXContentTypesWriter {
    static let partName = "[Content_Types].xml"

    private static let prefix = "application/vnd.openxmlformats-officedocument."

    static func xml(sheetCount: Int, sharedStrings: Bool, customProperties: Bool, tables: Int = 0) -> [UInt8] {
        var xml = XMLBuffer(capacity: 2048)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
        xml.raw(
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
        xml.raw("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
        func override(_ part: String, _ type: String) {
            xml.raw("<Override PartName=\"/\(part)\" ContentType=\"\(type)\"/>")
        }
        override(XLSXAppPropertiesWriter.partName, prefix + "extended-properties+xml")
        override(XLSXCorePropertiesWriter.partName, "application/vnd.openxmlformats-package.core-properties+xml")
        if customProperties { override(XLSXCustomPropertiesWriter.partName, prefix + "custom-properties+xml") }
        if sharedStrings { override(XLSXSharedStringsWriter.partName, prefix + "spreadsheetml.sharedStrings+xml") }
        override(XLSXStylesWriter.partName, prefix + "spreadsheetml.styles+xml")
        override(XLSXThemeWriter.partName, prefix + "theme+xml")
        override(XLSXWorkbookPartWriter.partName, prefix + "spreadsheetml.sheet.main+xml")
        for index in 0..<sheetCount {
            override("xl/worksheets/sheet\(index + 1).xml", prefix + "spreadsheetml.worksheet+xml")
        }
        for id in 0..<tables {
            override(XLSXTableWriter.partName(id: id + 1), XLSXTableWriter.contentType)
        }
        xml.raw("</Types>")
        return xml.bytes
    }
}
