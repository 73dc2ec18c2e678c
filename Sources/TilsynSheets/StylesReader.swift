/// Reads `xl/styles.xml` down to one fact per cell style index: which date or time kind it shows, if any.
final class StylesReader: SAXHandler {
    private var customFormats: [Int: String] = [:]
    private var cellFormatIds: [Int] = []
    private var inCellXfs = false
    private var inNumFmts = false
    private var choiceDepth = 0

    /// The date kind per style index (`s` attribute), nil for non-date styles.
    var kinds: [ExcelDateTime.Kind?] {
        cellFormatIds.map { id in
            if let code = customFormats[id] { return NumberFormat.kind(ofCode: code) }
            return NumberFormat.builtinKind(id)
        }
    }

    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        // mc:AlternateContent: read the Fallback, skip the Choice (it repeats the content for newer readers).
        if name.namespace == .markupCompatibility {
            if name.is("Choice") { choiceDepth += 1 }
            return
        }
        guard choiceDepth == 0 else { return }
        if name.is("cellXfs") {
            inCellXfs = true
        } else if name.is("numFmts") {
            inNumFmts = true
        } else if inCellXfs, name.is("xf") {
            let id = attributes.raw("numFmtId").flatMap(ExcelText.index) ?? 0
            cellFormatIds.append(id)
            if cellFormatIds.count > 1_000_000 {
                throw SpreadsheetError(.limitExceeded, "the styles part declares more than a million cell formats")
            }
        } else if inNumFmts, name.is("numFmt") {
            if let id = attributes.raw("numFmtId").flatMap(ExcelText.index), let code = attributes.string("formatCode") {
                customFormats[id] = code
            }
        }
    }

    override func endElement(_ name: XMLName) throws {
        if name.namespace == .markupCompatibility {
            if name.is("Choice") { choiceDepth -= 1 }
            return
        }
        if name.is("cellXfs") { inCellXfs = false } else if name.is("numFmts") { inNumFmts = false }
    }

    override func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
}
