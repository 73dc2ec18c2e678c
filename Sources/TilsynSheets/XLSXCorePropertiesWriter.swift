/// `docProps/core.xml`: title, subject, creator, keywords, description, category and dates (OPC core properties).
enum XLSXCorePropertiesWriter {
    static let partName = "docProps/core.xml"

    static func xml(_ properties: XLSXWriter.DocumentProperties) -> [UInt8] {
        var xml = XMLBuffer(capacity: 1024)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw(
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ")
        xml.raw("xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ")
        xml.raw(
            "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">")
        func element(_ name: String, _ value: String?) {
            guard let value else { return }
            xml.raw("<\(name)>")
            xml.text(value)
            xml.raw("</\(name)>")
        }
        element("dc:title", properties.title)
        element("dc:subject", properties.subject)
        element("dc:creator", properties.creator)
        element("cp:keywords", properties.keywords)
        element("dc:description", properties.description)
        element("cp:lastModifiedBy", properties.creator)
        if let created = properties.created {
            xml.raw("<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(created.w3cdtf)</dcterms:created>")
            xml.raw("<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(created.w3cdtf)</dcterms:modified>")
        }
        element("cp:category", properties.category)
        xml.raw("</cp:coreProperties>")
        return xml.bytes
    }
}
