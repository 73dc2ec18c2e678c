/// Relationship parts (`_rels/.rels`, `xl/_rels/workbook.xml.rels`): which part refers to which.
enum XLSXRelationshipsWriter {
    static let packagePartName = "_rels/.rels"
    static let workbookPartName = "xl/_rels/workbook.xml.rels"

    private static let officeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

    /// `_rels/.rels`: the workbook and the document properties.
    static func packageXML(customProperties: Bool) -> [UInt8] {
        var relationships = [
            (officeDocument + "officeDocument", XLSXWorkbookPartWriter.partName),
            (
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                XLSXCorePropertiesWriter.partName
            ),
            (officeDocument + "extended-properties", XLSXAppPropertiesWriter.partName),
        ]
        if customProperties {
            relationships.append((officeDocument + "custom-properties", XLSXCustomPropertiesWriter.partName))
        }
        return xml(relationships)
    }

    /// `xl/_rels/workbook.xml.rels`: sheets first (`rId1`…`rIdN`, as workbook.xml refers to them), then theme,
    /// styles and shared strings.
    static func workbookXML(sheetCount: Int, sharedStrings: Bool) -> [UInt8] {
        var relationships: [(String, String)] = (0..<sheetCount).map {
            (officeDocument + "worksheet", "worksheets/sheet\($0 + 1).xml")
        }
        relationships.append((officeDocument + "theme", "theme/theme1.xml"))
        relationships.append((officeDocument + "styles", "styles.xml"))
        if sharedStrings { relationships.append((officeDocument + "sharedStrings", "sharedStrings.xml")) }
        return xml(relationships)
    }

    private static func xml(_ relationships: [(type: String, target: String)]) -> [UInt8] {
        var xml = XMLBuffer(capacity: 1024)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">")
        for (offset, relationship) in relationships.enumerated() {
            xml.raw("<Relationship")
            xml.attribute("Id", "rId\(offset + 1)")
            xml.attribute("Type", relationship.type)
            xml.attribute("Target", relationship.target)
            xml.raw("/>")
        }
        xml.raw("</Relationships>")
        return xml.bytes
    }
}
