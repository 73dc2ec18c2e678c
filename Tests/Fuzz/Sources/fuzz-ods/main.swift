@_spi(Fuzzing) import TilsynSheets
import FuzzSupport

// A whole OpenDocument spreadsheet: package, encryption check, sheet list and names, the first sheets' rows.
runFuzzer(FuzzEntryPoints.readODS)
