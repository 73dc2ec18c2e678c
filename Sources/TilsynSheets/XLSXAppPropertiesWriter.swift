/// `docProps/app.xml`: the application, the sheet names and named ranges (extended properties).
enum XLSXAppPropertiesWriter {
    static let partName = "docProps/app.xml"

    /// `sheets` are the worksheet names in order; `namedRanges` the names Excel lists (e.g. `Tilsyn!Print_Titles`).
    static func xml(_ properties: XLSXWriter.DocumentProperties, sheets: [String], namedRanges: [String]) -> [UInt8] {
        var xml = XMLBuffer(capacity: 2048)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" ")
        xml.raw("xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">")
        xml.raw("<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>")
        xml.raw("<HeadingPairs><vt:vector size=\"\(namedRanges.isEmpty ? 2 : 4)\" baseType=\"variant\">")
        xml.raw("<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>")
        xml.raw("<vt:variant><vt:i4>\(sheets.count)</vt:i4></vt:variant>")
        if !namedRanges.isEmpty {
            xml.raw("<vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant>")
            xml.raw("<vt:variant><vt:i4>\(namedRanges.count)</vt:i4></vt:variant>")
        }
        xml.raw("</vt:vector></HeadingPairs>")
        xml.raw("<TitlesOfParts><vt:vector size=\"\(sheets.count + namedRanges.count)\" baseType=\"lpstr\">")
        for title in sheets + namedRanges {
            xml.raw("<vt:lpstr>")
            xml.text(title)
            xml.raw("</vt:lpstr>")
        }
        xml.raw("</vt:vector></TitlesOfParts>")
        if let manager = properties.manager {
            xml.raw("<Manager>")
            xml.text(manager)
            xml.raw("</Manager>")
        }
        xml.raw("<Company>")
        xml.text(properties.company ?? "")
        xml.raw("</Company>")
        xml.raw("<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>")
        xml.raw("<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>")
        return xml.bytes
    }
}
