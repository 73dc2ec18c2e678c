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

    /// Parses a space-separated list of ranges (`A1:A5 C3`).
    static func ranges(_ sqref: String) -> [CellRange] {
        sqref.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).compactMap { CellRange($0) }
    }
}
