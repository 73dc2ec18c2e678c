import TilsynSheets

/// Writes a sheet's rows as Danish Excel CSV for `tilsyn cat --format csv`.
enum CSVCatWriter {
    static func write(rows: RowReader, sheetCount: Int, sheet: SheetInfo, to output: Output) throws {
        if sheet.index == 0 || sheetCount == 1 { output.write(bytes: [0xEF, 0xBB, 0xBF]) }
        if sheetCount > 1 { output.write("# \(sheet.name)\r\n") }
        var nextRow = 1
        var first = true
        try rows.forEach { row in
            if first {
                nextRow = row.number
                first = false
            }
            while nextRow < row.number {
                output.write("\r\n")
                nextRow += 1
            }
            var column = 1
            for cell in row.cells {
                while column < cell.column {
                    output.write(";")
                    column += 1
                }
                output.write(field(cell.value))
            }
            output.write("\r\n")
            nextRow = row.number + 1
        }
    }

    static func field(_ value: CellValue) -> String {
        let text: String
        switch value {
        case .string(let s): text = s
        case .number(let n): text = JSONText.number(n).replacingDot()
        case .bool(let b): text = b ? "SAND" : "FALSK"
        case .date(let d): text = d.danish
        case .error(let e): text = e
        }
        if text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        return text
    }
}

extension String {
    fileprivate func replacingDot() -> String { String(map { $0 == "." ? "," : $0 }) }
}
