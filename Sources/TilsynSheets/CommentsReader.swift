/// The cells that carry a note or comment in one comments part: Excel's notes (`<comment ref="E14">`, which Excel,
/// LibreOffice and Google Sheets write) and Excel 365's threaded comments (`<threadedComment ref="E14">`). Only the
/// references are kept: a note's text is the reviewer's, and is not read.
final class CommentsReader: SAXHandler {
    private(set) var cells: [CellAddress] = []
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    override func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        guard name.is("comment") || name.is("threadedComment") else { return }
        guard let reference = attributes.string("ref"), let address = CellAddress(reference) else {
            throw SpreadsheetError(
                .invalidCellReference,
                "a note or comment names no valid cell: the workbook is damaged; open it in Excel and save it again")
        }
        cells.append(address)
        if cells.count > limit {
            throw SpreadsheetError(.limitExceeded, "the sheet has more than \(limit) notes and comments")
        }
    }

    override func endElement(_ name: XMLName) throws {}
    override func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
}
