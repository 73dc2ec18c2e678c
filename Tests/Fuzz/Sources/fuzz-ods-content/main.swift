@_spi(Fuzzing) import TilsynSheets
import FuzzSupport

// An OpenDocument content.xml: sheet list, hidden styles, named ranges, then the first sheet's rows.
runFuzzer(FuzzEntryPoints.parseODSContent)
