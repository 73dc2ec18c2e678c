/// The workbook's styles: deduplicated fonts, fills, borders, number formats and cell formats, written as
/// `xl/styles.xml` in the order CT_Stylesheet requires (numFmts, fonts, fills, borders, cellStyleXfs, cellXfs,
/// cellStyles, dxfs, tableStyles).
struct XLSXStylesWriter {
    static let partName = "xl/styles.xml"

    private struct FormatRecord: Hashable {
        var numberFormatID: Int
        var fontID: Int
        var fillID: Int
        var borderID: Int
        var alignment: XLSXWriter.Alignment
        var locked: Bool
        var hidden: Bool
    }

    private var fonts: [XLSXWriter.Font] = [XLSXWriter.Font()]
    private var fontIDs: [XLSXWriter.Font: Int] = [XLSXWriter.Font(): 0]
    /// Fills 0 and 1 are the `none` and `gray125` patterns Excel requires; solid fills follow.
    private var fills: [XLSXWriter.Color] = []
    private var fillIDs: [XLSXWriter.Color: Int] = [:]
    private var borders: [XLSXWriter.Border] = [XLSXWriter.Border()]
    private var borderIDs: [XLSXWriter.Border: Int] = [XLSXWriter.Border(): 0]
    private var customFormats: [String] = []
    private var customFormatIDs: [String: Int] = [:]
    private var formats: [FormatRecord] = []
    private var styleIDs: [XLSXWriter.Style: XLSXWriter.StyleID] = [:]
    private var styles: [XLSXWriter.Style] = []
    /// The date style derived from a style (whose number format is General) for cells holding dates.
    private var dateStyles: [DateStyleKey: XLSXWriter.StyleID] = [:]

    private struct DateStyleKey: Hashable {
        var style: Int
        var withTime: Bool
    }

    init() {
        // The default style is cellXfs[0].
        _ = try? add(XLSXWriter.Style())
    }

    /// The id of `style`, registering it if it is new; throws when the style is invalid.
    mutating func add(_ style: XLSXWriter.Style) throws -> XLSXWriter.StyleID {
        if let existing = styleIDs[style] { return existing }
        let font = style.font
        guard font.size >= 1, font.size <= 409, !font.name.isEmpty, font.name.utf16.count <= 31 else {
            throw SpreadsheetError(
                .invalidArgument, "the font must have a name of 1 to 31 characters and a size of 1 to 409 points")
        }
        guard (0...250).contains(style.alignment.indent) else {
            throw SpreadsheetError(.invalidArgument, "the indent must be 0 to 250")
        }
        let numberFormatID: Int
        if let builtIn = style.numberFormat.builtInID {
            guard (0...163).contains(builtIn) else {
                throw SpreadsheetError(
                    .invalidArgument, "built-in number formats have ids 0 to 163; use .custom for others")
            }
            numberFormatID = builtIn
        } else if case .custom(let code) = style.numberFormat {
            guard !code.isEmpty, code.utf16.count <= 255 else {
                throw SpreadsheetError(.invalidArgument, "a number format code must have 1 to 255 characters")
            }
            if let known = customFormatIDs[code] {
                numberFormatID = known
            } else {
                numberFormatID = 164 + customFormats.count
                customFormats.append(code)
                customFormatIDs[code] = numberFormatID
            }
        } else {
            numberFormatID = 0
        }
        let fontID =
            fontIDs[font]
            ?? {
                fonts.append(font)
                fontIDs[font] = fonts.count - 1
                return fonts.count - 1
            }()
        var fillID = 0
        if let fill = style.fill {
            fillID =
                fillIDs[fill]
                ?? {
                    fills.append(fill)
                    fillIDs[fill] = fills.count + 1
                    return fills.count + 1
                }()
        }
        var border = style.border
        if border.isEmpty { border.color = nil }
        let borderID =
            borderIDs[border]
            ?? {
                borders.append(border)
                borderIDs[border] = borders.count - 1
                return borders.count - 1
            }()
        formats.append(
            FormatRecord(
                numberFormatID: numberFormatID, fontID: fontID, fillID: fillID, borderID: borderID,
                alignment: style.alignment, locked: style.locked, hidden: style.hidden))
        styles.append(style)
        let id = XLSXWriter.StyleID(formats.count - 1)
        styleIDs[style] = id
        return id
    }

    /// The style for a date cell: `style` itself when it has a number format, else `style` with a date format.
    mutating func dateStyle(for style: XLSXWriter.StyleID?, withTime: Bool) throws -> XLSXWriter.StyleID {
        let base = style?.index ?? 0
        let key = DateStyleKey(style: base, withTime: withTime)
        if let known = dateStyles[key] { return known }
        guard base < styles.count else {
            throw SpreadsheetError(.invalidArgument, "style \(base) was not registered with this writer")
        }
        var derived = styles[base]
        if derived.numberFormat.builtInID == 0 {
            derived.numberFormat = withTime ? .dateTime : .date
        }
        let id = try add(derived)
        dateStyles[key] = id
        return id
    }

    /// Whether `style` was registered with this writer.
    func contains(_ style: XLSXWriter.StyleID) -> Bool {
        style.index >= 0 && style.index < formats.count
    }

    /// The number of cell formats.
    var count: Int { formats.count }

    /// `xl/styles.xml`.
    func xml() -> [UInt8] {
        var xml = XMLBuffer(capacity: 4096)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        xml.raw("<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">")
        if !customFormats.isEmpty {
            xml.raw("<numFmts")
            xml.attribute("count", customFormats.count)
            xml.raw(">")
            for (index, code) in customFormats.enumerated() {
                xml.raw("<numFmt")
                xml.attribute("numFmtId", 164 + index)
                xml.attribute("formatCode", code)
                xml.raw("/>")
            }
            xml.raw("</numFmts>")
        }
        xml.raw("<fonts")
        xml.attribute("count", fonts.count)
        xml.raw(">")
        for font in fonts { write(font, to: &xml) }
        xml.raw("</fonts><fills")
        xml.attribute("count", fills.count + 2)
        xml.raw("><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>")
        for color in fills {
            xml.raw("<fill><patternFill patternType=\"solid\"><fgColor")
            xml.attribute("rgb", color.argb)
            xml.raw("/><bgColor indexed=\"64\"/></patternFill></fill>")
        }
        xml.raw("</fills><borders")
        xml.attribute("count", borders.count)
        xml.raw(">")
        for border in borders { write(border, to: &xml) }
        xml.raw("</borders>")
        xml.raw(
            "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>")
        xml.raw("<cellXfs")
        xml.attribute("count", formats.count)
        xml.raw(">")
        for format in formats { write(format, to: &xml) }
        xml.raw("</cellXfs>")
        xml.raw("<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>")
        xml.raw("<dxfs count=\"0\"/>")
        xml.raw(
            "<tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium9\" defaultPivotStyle=\"PivotStyleLight16\"/>"
        )
        xml.raw("</styleSheet>")
        return xml.bytes
    }

    private func write(_ font: XLSXWriter.Font, to xml: inout XMLBuffer) {
        xml.raw("<font>")
        if font.bold { xml.raw("<b/>") }
        if font.italic { xml.raw("<i/>") }
        if font.underline { xml.raw("<u/>") }
        xml.raw("<sz")
        xml.attribute("val", number: font.size)
        xml.raw("/>")
        if let color = font.color {
            xml.raw("<color")
            xml.attribute("rgb", color.argb)
            xml.raw("/>")
        } else {
            xml.raw("<color theme=\"1\"/>")
        }
        xml.raw("<name")
        xml.attribute("val", font.name)
        xml.raw("/><family val=\"2\"/>")
        if font.name == "Calibri" { xml.raw("<scheme val=\"minor\"/>") }
        xml.raw("</font>")
    }

    private func write(_ border: XLSXWriter.Border, to xml: inout XMLBuffer) {
        xml.raw("<border>")
        let edges: [(StaticString, XLSXWriter.BorderStyle?)] = [
            ("left", border.left), ("right", border.right), ("top", border.top), ("bottom", border.bottom),
        ]
        for (name, style) in edges {
            xml.raw("<")
            xml.raw(name)
            if let style {
                xml.attribute("style", style.rawValue)
                xml.raw(">")
                if let color = border.color {
                    xml.raw("<color")
                    xml.attribute("rgb", color.argb)
                    xml.raw("/>")
                } else {
                    xml.raw("<color auto=\"1\"/>")
                }
                xml.raw("</")
                xml.raw(name)
                xml.raw(">")
            } else {
                xml.raw("/>")
            }
        }
        xml.raw("<diagonal/></border>")
    }

    private func write(_ format: FormatRecord, to xml: inout XMLBuffer) {
        xml.raw("<xf")
        xml.attribute("numFmtId", format.numberFormatID)
        xml.attribute("fontId", format.fontID)
        xml.attribute("fillId", format.fillID)
        xml.attribute("borderId", format.borderID)
        xml.raw(" xfId=\"0\"")
        if format.numberFormatID != 0 { xml.raw(" applyNumberFormat=\"1\"") }
        if format.fontID != 0 { xml.raw(" applyFont=\"1\"") }
        if format.fillID != 0 { xml.raw(" applyFill=\"1\"") }
        if format.borderID != 0 { xml.raw(" applyBorder=\"1\"") }
        let alignment = format.alignment
        if !alignment.isDefault { xml.raw(" applyAlignment=\"1\"") }
        let protection = !format.locked || format.hidden
        if protection { xml.raw(" applyProtection=\"1\"") }
        guard !alignment.isDefault || protection else {
            xml.raw("/>")
            return
        }
        xml.raw(">")
        if !alignment.isDefault {
            xml.raw("<alignment")
            if let horizontal = alignment.horizontal { xml.attribute("horizontal", horizontal.rawValue) }
            if let vertical = alignment.vertical { xml.attribute("vertical", vertical.rawValue) }
            if alignment.wrapText { xml.raw(" wrapText=\"1\"") }
            if alignment.indent > 0 { xml.attribute("indent", alignment.indent) }
            xml.raw("/>")
        }
        if protection {
            xml.raw("<protection")
            if !format.locked { xml.raw(" locked=\"0\"") }
            if format.hidden { xml.raw(" hidden=\"1\"") }
            xml.raw("/>")
        }
        xml.raw("</xf>")
    }
}
