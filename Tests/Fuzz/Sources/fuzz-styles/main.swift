@_spi(Fuzzing) import TilsynSheets
import FuzzSupport

// xl/styles.xml: number formats and cell formats reduced to date kinds.
runFuzzer(FuzzEntryPoints.parseStyles)
