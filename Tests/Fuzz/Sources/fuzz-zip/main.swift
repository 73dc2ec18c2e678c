@_spi(Fuzzing) import TilsynSheets
import FuzzSupport

// ZIP container: central directory, ZIP64, local headers, inflate, sizes and CRCs.
runFuzzer(FuzzEntryPoints.readZip)
