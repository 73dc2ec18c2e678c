@_spi(Fuzzing) import TilsynSheets
import FuzzSupport

// A CSV file: encoding and delimiter detection, quoting, limits.
runFuzzer(FuzzEntryPoints.readCSV)
