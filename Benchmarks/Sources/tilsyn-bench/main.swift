// TEMPORARY: placeholder until the readers' benchmark driver is written. It only validates the
// command line and reports `unsupported`, which Benchmarks/harness.py shows as "tilsyn: unavailable".
//
// Contract (see Benchmarks/README.md):
//   tilsyn-bench xlsx FILE...            every cell of the first sheet of each file -> "cells=N"
//   tilsyn-bench xlsx-all FILE...        every cell of every sheet of each file      -> "cells=N"
//   tilsyn-bench csv FILE                every field                                   -> "fields=N"
//   tilsyn-bench write-xlsx OUT ROWS COLS                                              -> "cells=N"
//   tilsyn-bench write-templates DIR N                                                 -> "cells=N"
import TilsynSheets

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let usage = """
    usage: tilsyn-bench xlsx FILE... | xlsx-all FILE... | csv FILE
           | write-xlsx OUT ROWS COLS | write-templates DIR N
    """

func fail(_ message: String) -> Never {
    let text = "tilsyn-bench: \(message)\n\(usage)\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail("missing command") }
let operands = Array(arguments.dropFirst())
if let write = writeCommands[command] { write(operands); exit(0) }  // Write.swift

switch command {
case "xlsx", "xlsx-all":
    if operands.isEmpty { fail("\(command) needs at least one FILE") }
case "csv":
    if operands.count != 1 { fail("csv needs exactly one FILE") }
case "write-xlsx":
    if operands.count != 3 || Int(operands[1]) == nil || Int(operands[2]) == nil {
        fail("write-xlsx needs OUT ROWS COLS")
    }
case "write-templates":
    if operands.count != 2 || Int(operands[1]) == nil { fail("write-templates needs DIR N") }
default:
    fail("unknown command \(command)")
}
print("unsupported")
exit(3)
