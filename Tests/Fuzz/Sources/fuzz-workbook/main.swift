@_spi(Fuzzing) import TilsynSheets
import FuzzSupport

// A whole XLSX file: package, all parts, every sheet read sequentially and in parallel.
runFuzzer(FuzzEntryPoints.readWorkbook)
