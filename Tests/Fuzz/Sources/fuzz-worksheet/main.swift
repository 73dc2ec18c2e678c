@_spi(Fuzzing) import TilsynSheets
import FuzzSupport

// A worksheet part: rows, cells, values, formulas, merges, validations.
runFuzzer(FuzzEntryPoints.parseWorksheet)
