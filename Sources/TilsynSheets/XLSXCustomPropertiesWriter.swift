/// `docProps/custom.xml`: named custom document properties.
enum XLSXCustomPropertiesWriter {
    static let partName = "docProps/custom.xml"

    static func xml(_ properties: [XLSXWriter.CustomProperty]) -> [UInt8] {
        var xml = XMLBuffer(capacity: 1024)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" ")
        xml.raw("xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">")
        for (offset, property) in properties.enumerated() {
            // pid 0 and 1 are reserved; user properties start at 2.
            xml.raw("<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\"")
            xml.attribute("pid", offset + 2)
            xml.attribute("name", property.name)
            xml.raw(">")
            switch property.value {
            case .string(let text):
                xml.raw("<vt:lpwstr>")
                xml.text(text)
                xml.raw("</vt:lpwstr>")
            case .number(let number):
                xml.raw("<vt:r8>\(XMLBuffer.number(number))</vt:r8>")
            case .integer(let number):
                xml.raw("<vt:i4>\(number)</vt:i4>")
            case .bool(let flag):
                xml.raw(flag ? "<vt:bool>true</vt:bool>" : "<vt:bool>false</vt:bool>")
            }
            xml.raw("</property>")
        }
        xml.raw("</Properties>")
        return xml.bytes
    }
}
