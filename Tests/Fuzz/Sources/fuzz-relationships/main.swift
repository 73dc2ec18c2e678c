@_spi(Fuzzing) import TilsynSheets
import FuzzSupport

// Relationships parts (.rels) and target resolution.
runFuzzer(FuzzEntryPoints.parseRelationships)
