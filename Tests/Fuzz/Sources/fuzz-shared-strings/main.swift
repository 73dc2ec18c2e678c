@_spi(Fuzzing) import TilsynSheets
import FuzzSupport

// xl/sharedStrings.xml: rich and phonetic runs, escapes, limits.
runFuzzer(FuzzEntryPoints.parseSharedStrings)
