// The benchmark driver: reads (and, through Write.swift, writes) spreadsheets with Tilsyn's own code so
// Benchmarks/harness.py can time it against the peers in one run.
//
// Contract (see Benchmarks/README.md):
//   tilsyn-bench xlsx FILE...            every cell of the first sheet of each file, files read in parallel -> "cells=N"
//   tilsyn-bench xlsx-all FILE...        every cell of every sheet of each file      -> "cells=N"
//   tilsyn-bench xlsx-sequential FILE... as xlsx, on one core                         -> "cells=N"
//   tilsyn-bench csv FILE                every field, as bytes                         -> "fields=N"
//   tilsyn-bench csv-strings FILE        every field, as a String                      -> "fields=N"
//   tilsyn-bench write-xlsx OUT ROWS COLS                                              -> "cells=N"
//   tilsyn-bench write-templates DIR N                                                 -> "cells=N"
//   tilsyn-bench write-returned DIR N    N returned templates (kk-2025) for the import  -> "cells=answers"
//   tilsyn-bench import DIR DB           `tilsyn import` of DIR into a new store DB      -> "cells=answers stored"
import Foundation
import TilsynAudit
import TilsynSamples
import TilsynSheets
import TilsynStore

import Glibc

let usage = """
    usage: tilsyn-bench xlsx FILE... | xlsx-all FILE... | xlsx-sequential FILE... | csv FILE | csv-strings FILE
           | write-xlsx OUT ROWS COLS | write-templates DIR N | write-returned DIR N | import DIR DB
    """

func fail(_ message: String) -> Never {
    let text = "tilsyn-bench: \(message)\n\(usage)\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(2)
}

/// Reads every cell of the chosen sheets, keeping each row's values alive as a reader of the data would.
/// With `parallel`, several files are read at once, one per core, as `tilsyn import` and `validate` read them
/// (and a large sheet is cut at row boundaries and parsed on all cores); otherwise one file after another on one
/// core.
func readWorkbooks(_ paths: [String], allSheets: Bool, parallel: Bool = true) throws -> Int {
    @Sendable func read(_ path: String, parallelSheet: Bool) throws -> (cells: Int, checksum: Int) {
        var cells = 0
        var checksum = 0
        let workbook = try Workbook(path: path, options: ReadOptions(parallel: parallelSheet))
        for sheet in allSheets ? workbook.sheets : [workbook.sheets[0]] {
            try workbook.rows(of: sheet).forEach { row in
                cells += row.cells.count
                for cell in row.cells {
                    if case .string(let text) = cell.value { checksum &+= text.utf8.count }
                }
            }
        }
        return (cells, checksum)
    }
    let workers = parallel ? min(paths.count, ProcessInfo.processInfo.activeProcessorCount) : 1
    guard workers > 1 else {
        var cells = 0
        var checksum = 0
        for path in paths {
            let result = try read(path, parallelSheet: parallel)
            cells += result.cells
            checksum &+= result.checksum
        }
        if checksum == -1 { print("") }  // keeps the values observable
        return cells
    }
    // Files are handed out one at a time under a lock; each worker sums its own counts.
    let lock = NSLock()
    nonisolated(unsafe) var next = 0
    nonisolated(unsafe) var totals = [(cells: Int, checksum: Int)](repeating: (0, 0), count: workers)
    nonisolated(unsafe) var failure: (any Error)?
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        while true {
            lock.lock()
            let index = next
            next += 1
            let stop = failure != nil
            lock.unlock()
            if stop || index >= paths.count { return }
            do {
                let result = try read(paths[index], parallelSheet: false)
                totals[worker].cells += result.cells
                totals[worker].checksum &+= result.checksum
            } catch {
                lock.lock()
                if failure == nil { failure = error }
                lock.unlock()
            }
        }
    }
    if let failure { throw failure }
    if totals.reduce(0, { $0 &+ $1.checksum }) == -1 { print("") }
    return totals.reduce(0) { $0 + $1.cells }
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
    case "write-returned":
        guard operands.count == 2, let count = Int(operands[1]) else { fail("write-returned needs DIR N") }
        let catalogue = try CatalogueStore.locate().load("kk-2025")
        let written = try BenchmarkWorkbooks.write(count: count, catalogue: catalogue, seed: 2025, to: operands[0])
        print("cells=\(written * catalogue.allQuestions.count)")
    case "import":
        // The whole of `tilsyn import` (read, normalise, validate, store) into a fresh store.
        if operands.count != 2 { fail("import needs DIR DB") }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: operands[1] + suffix) }
        let importer = Importer(catalogues: try CatalogueSet(store: CatalogueStore.locate()), options: ImportOptions())
        let store = try AuditStore(path: operands[1])
        let summary = try importer.run(paths: try ReturnedFiles.collect([operands[0]]), store: store)
        if summary.rejected > 0 { fail("\(summary.rejected) files rejected") }
        print("cells=\(summary.answers)")
        print("reviews=\(summary.reviews)")
    default:
        fail("unknown command \(command)")
    }
} catch {
    fail("\(error)")
}
