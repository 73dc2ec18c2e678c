/// Builds small OpenDocument spreadsheets (`.ods`) for tests: `content.xml` from sheets written as XML, plus the
/// mimetype and manifest, and any part replaced or added for hostile and damaged cases.
public struct ODSBuilder {
    public struct Sheet {
        public var name: String
        public var xml: String
        public var styleName: String?
    }

    public var sheets: [Sheet] = []
    /// Written inside `office:automatic-styles`.
    public var automaticStyles = ""
    /// Written after the sheets, inside `office:spreadsheet` (e.g. `table:named-expressions`).
    public var afterSheets = ""
    /// Replaces the whole `content.xml` when set.
    public var rawContent: String?
    public var manifest: String =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">\
        <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>\
        <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>\
        </manifest:manifest>
        """
    public var mimetype = "application/vnd.oasis.opendocument.spreadsheet"

    public init() {}

    /// Adds a sheet whose `table:table` holds `rows` (`table:table-row` elements).
    public mutating func addSheet(_ name: String, rows: String, styleName: String? = nil) {
        sheets.append(Sheet(name: name, xml: rows, styleName: styleName))
    }

    public static let namespaces =
        "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        + "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
        + "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
        + "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
        + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        + "xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0\" "
        + "xmlns:of=\"urn:oasis:names:tc:opendocument:xmlns:of:1.2\""

    /// The `content.xml` text.
    public var content: String {
        if let rawContent { return rawContent }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \(Self.namespaces) office:version=\"1.3\">"
        xml += "<office:automatic-styles>\(automaticStyles)</office:automatic-styles><office:body><office:spreadsheet>"
        for sheet in sheets {
            let style = sheet.styleName.map { " table:style-name=\"\($0)\"" } ?? ""
            xml += "<table:table table:name=\"\(escape(sheet.name))\"\(style)>\(sheet.xml)</table:table>"
        }
        xml += afterSheets + "</office:spreadsheet></office:body></office:document-content>"
        return xml
    }

    public func build() -> [UInt8] {
        ZipBuilder([
            .init("mimetype", mimetype, deflate: false),
            .init("META-INF/manifest.xml", manifest),
            .init("content.xml", content),
        ]).build()
    }

    /// A string cell with one paragraph.
    public static func text(_ value: String, repeated: Int? = nil) -> String {
        let repetition = repeated.map { " table:number-columns-repeated=\"\($0)\"" } ?? ""
        return "<table:table-cell office:value-type=\"string\"\(repetition)><text:p>\(escape(value))</text:p></table:table-cell>"
    }

    /// A float cell.
    public static func number(_ value: String) -> String {
        "<table:table-cell office:value-type=\"float\" office:value=\"\(value)\"><text:p>\(value)</text:p></table:table-cell>"
    }

    /// `count` empty cells.
    public static func empty(_ count: Int = 1) -> String {
        "<table:table-cell table:number-columns-repeated=\"\(count)\"/>"
    }

    /// A row of cells, repeated when asked.
    public static func row(_ cells: String..., repeated: Int? = nil) -> String {
        let repetition = repeated.map { " table:number-rows-repeated=\"\($0)\"" } ?? ""
        return "<table:table-row\(repetition)>" + cells.joined() + "</table:table-row>"
    }
}
