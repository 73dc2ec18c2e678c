@_spi(Fuzzing) import TilsynSheets
import FuzzSupport

// xl/workbook.xml: sheets, defined names, date system.
runFuzzer(FuzzEntryPoints.parseWorkbookPart)
