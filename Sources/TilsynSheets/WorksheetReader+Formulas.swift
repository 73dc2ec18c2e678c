internal import CLibXML2

// Formulas and the C glue of the worksheet reader, apart from its per-cell events in WorksheetReader.swift.
extension WorksheetReader {
    func startFormula(_ attributes: XMLAttributes) {
        capture = .formula
        formula.removeAll()
        hasFormula = true
        formulaSharedIndex = nil
        // The group's `ref` range is not needed: the master is the first member in the file, and the members'
        // offsets count from the master cell, where its text is written.
        if attributes.string("t") == "shared" {
            formulaSharedIndex = attributes.raw("si").flatMap(ExcelText.index)
        }
    }

    /// The cell's formula text: as written, or for a member of a shared-formula group the master's text moved to
    /// this cell. Nil for a member whose master has not been seen.
    func endFormula() -> String? {
        hasFormula = false
        let text = formula.isEmpty ? nil : formula.string
        formula.removeAll()
        guard let index = formulaSharedIndex else { return text }
        let row = max(rowNumber, 1)
        if let text {
            sharedFormulas[index] = SharedFormula(text: text, row: row, column: column)
            return text
        }
        guard let master = sharedFormulas[index] else { return nil }
        return FormulaShifter.shift(master.text, rows: row - master.row, columns: column - master.column)
    }

    /// C callbacks that call this class directly (no dynamic dispatch): the worksheet is the hot path.
    nonisolated(unsafe) static let callbacks: xmlSAXHandler = {
        var callbacks = SAXParser.callbacks()
        callbacks.startElementNs = { ctx, localname, _, uri, _, _, nbAttributes, _, attributes in
            guard let ctx, let localname else { return }
            // Guaranteed by the parser, which holds the handler: no retain and release per event.
            Unmanaged<WorksheetReader>.fromOpaque(ctx)._withUnsafeGuaranteedRef { reader in
                guard reader.enter() else { return }
                do {
                    try reader.startElement(
                        XMLName(local: localname, namespace: reader.namespace(of: uri)),
                        XMLAttributes(base: attributes, count: Int(nbAttributes)))
                } catch {
                    reader.fail(error)
                }
            }
        }
        callbacks.endElementNs = { ctx, localname, _, uri in
            guard let ctx, let localname else { return }
            Unmanaged<WorksheetReader>.fromOpaque(ctx)._withUnsafeGuaranteedRef { reader in
                guard reader.leave() else { return }
                do {
                    try reader.endElement(XMLName(local: localname, namespace: reader.namespace(of: uri)))
                } catch {
                    reader.fail(error)
                }
            }
        }
        let characters: charactersSAXFunc = { ctx, bytes, length in
            guard let ctx, let bytes, length > 0 else { return }
            Unmanaged<WorksheetReader>.fromOpaque(ctx)._withUnsafeGuaranteedRef { reader in
                guard reader.capture != .none, reader.error == nil else { return }
                do {
                    try reader.characters(UnsafeBufferPointer(start: bytes, count: Int(length)))
                } catch {
                    reader.fail(error)
                }
            }
        }
        callbacks.characters = characters
        callbacks.cdataBlock = characters
        return callbacks
    }()

    /// Parses the UTF-8 bytes of a list of ranges separated by white space (`A1:A5 C3`, an `xsd:list`); a piece
    /// that is not a range is left out.
    static func ranges(_ bytes: UnsafeBufferPointer<UInt8>) -> [CellRange] {
        var found: [CellRange] = []
        var start = 0
        for index in 0...bytes.count {
            guard index == bytes.count || bytes[index].isTrimmedASCIISpace else { continue }
            if index > start, let range = CellRange.parse(UnsafeBufferPointer(rebasing: bytes[start..<index])) {
                found.append(range)
            }
            start = index + 1
        }
        return found
    }
}
