// The benchmark driver: reads (and, through Write.swift, writes) spreadsheets with Tilsyn's own code so
// Benchmarks/harness.py can time it against the peers in one run.
//
// Contract (see Benchmarks/README.md):
//   tilsyn-bench xlsx FILE...            every cell of the first sheet of each file -> "cells=N"
//   tilsyn-bench xlsx-all FILE...        every cell of every sheet of each file      -> "cells=N"
//   tilsyn-bench xlsx-sequential FILE... as xlsx, on one core                         -> "cells=N"
//   tilsyn-bench csv FILE                every field, as bytes                         -> "fields=N"
//   tilsyn-bench csv-strings FILE        every field, as a String                      -> "fields=N"
//   tilsyn-bench write-xlsx OUT ROWS COLS                                              -> "cells=N"
//   tilsyn-bench write-templates DIR N                                                 -> "cells=N"
import TilsynSheets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let usage = """
    usage: tilsyn-bench xlsx FILE... | xlsx-all FILE... | xlsx-sequential FILE... | csv FILE | csv-strings FILE
           | write-xlsx OUT ROWS COLS | write-templates DIR N
    """

func fail(_ message: String) -> Never {
    let text = "tilsyn-bench: \(message)\n\(usage)\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(2)
}

/// Reads every cell of the chosen sheets, keeping each row's values alive as a reader of the data would.
func readWorkbooks(_ paths: [String], allSheets: Bool, parallel: Bool = true) throws -> Int {
    var cells = 0
    var checksum = 0
    for path in paths {
        let workbook = try Workbook(path: path, options: ReadOptions(parallel: parallel))
        for sheet in allSheets ? workbook.sheets : [workbook.sheets[0]] {
            let rows = try workbook.rows(of: sheet)
            while let row = try rows.next() {
                cells += row.cells.count
                for cell in row.cells {
                    if case .string(let text) = cell.value { checksum &+= text.utf8.count }
                }
            }
        }
    }
    if checksum == -1 { print("") }  // keeps the values observable
    return cells
}

func readCSV(_ path: String, strings: Bool) throws -> Int {
    let reader = try CSVReader(path: path)
    var fields = 0
    var bytes = 0
    if strings {
        while let record = try reader.next() {
            fields += record.fields.count
            for field in record.fields { bytes &+= field.utf8.count }
        }
    } else {
        try reader.forEachRecord { record in
            fields += record.count
            for i in 0..<record.count { bytes &+= record.utf8(at: i).count }
        }
    }
    if bytes == -1 { print("") }
    return fields
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail("missing command") }
let operands = Array(arguments.dropFirst())

do {
    switch command {
    case "xlsx", "xlsx-all", "xlsx-sequential":
        if operands.isEmpty { fail("\(command) needs at least one FILE") }
        let cells = try readWorkbooks(
            operands, allSheets: command == "xlsx-all", parallel: command != "xlsx-sequential")
        print("cells=\(cells)")
    case "csv", "csv-strings":
        if operands.count != 1 { fail("\(command) needs exactly one FILE") }
        print("fields=\(try readCSV(operands[0], strings: command == "csv-strings"))")
    case "write-xlsx":
        writeLargeSheet(operands)
    case "write-templates":
        writeTemplates(operands)
    default:
        fail("unknown command \(command)")
    }
} catch {
    fail("\(error)")
}
