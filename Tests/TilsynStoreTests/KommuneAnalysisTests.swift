import Foundation
import Testing
import TilsynTestSupport
import TilsynAnalysis
import TilsynStore

/// Figures by kommune, and units that are never added across kommuner; counted by hand.
@Suite struct KommuneAnalysisTests {
    /// Aarhus: A1…A6 in Vest at level 1, J1 Ja but A6 Nej; A1 and A2 again at level 2, J1 Ja and Nej.
    /// Odense: O1, O2 and A1 (its own child, whose number Aarhus uses too) in Vest at level 1, J1 Ja, Ja, Nej.
    static func twoKommuner(_ backend: Backend = .sqlite) throws -> AnalysisFixture {
        let fixture = try AnalysisFixture(backend)
        for index in 1...6 {
            try fixture.add(case: "A\(index)", kommune: "Aarhus", [("J1", index == 6 ? 2 : 1)])
        }
        try fixture.add(case: "A1", level: 2, reviewer: "JU", kommune: "Aarhus", [("J1", 1)])
        try fixture.add(case: "A2", level: 2, reviewer: "JU", kommune: "Aarhus", [("J1", 2)])
        try fixture.add(case: "O1", kommune: "Odense", [("J1", 1)])
        try fixture.add(case: "O2", kommune: "Odense", [("J1", 1)])
        try fixture.add(case: "A1", kommune: "Odense", [("J1", 2)])
        try fixture.finish()
        return fixture
    }

    static func counts(_ rows: [Summary.Row]) -> [String: [Int?]] {
        var result: [String: [Int?]] = [:]
        for row in rows {
            let key = row.keys.sorted { $0.key.rawValue < $1.key.rawValue }.map(\.value.description)
                .joined(separator: "/") + "@\(row.level)"
            result[key] = [row.yes, row.no, row.cases]
        }
        return result
    }

    @Test(arguments: Backend.available) func summaryByKommune(backend: Backend) throws {
        let fixture = try Self.twoKommuner(backend)
        let rows = try Summary.rows(fixture.reader, by: [.kommune])
        #expect(Self.counts(rows) == [
            "Aarhus@1": [5, 1, 6], "Odense@1": [2, 1, 3], "Aarhus@2": [1, 1, 2],
        ])
        let allYes = try Summary.allYesRows(fixture.reader, by: [.kommune], selection: Selection(levels: [1]))
        #expect(allYes.map { [$0.keys[.kommune]?.description, String($0.cases), String($0.allYes)] } == [
            ["Aarhus", "6", "5"], ["Odense", "3", "2"],
        ])
    }

    /// Two kommuner's units named Vest stay apart, named with their kommune; asked by kommune and unit together the
    /// unit table is joined once.
    @Test(arguments: Backend.available) func unitsOfTwoKommunerAreNeverAddedUp(backend: Backend) throws {
        let fixture = try Self.twoKommuner(backend)
        let byUnit = try Summary.rows(fixture.reader, by: [.unit], selection: Selection(levels: [1]))
        #expect(Self.counts(byUnit) == ["Aarhus: Vest@1": [5, 1, 6], "Odense: Vest@1": [2, 1, 3]])
        let both = try Summary.rows(fixture.reader, by: [.kommune, .unit], selection: Selection(levels: [1]))
        #expect(Self.counts(both) == ["Aarhus/Aarhus: Vest@1": [5, 1, 6], "Odense/Odense: Vest@1": [2, 1, 3]])

        // One municipality: the names as they are.
        let one = try AnalysisFixture(backend)
        try one.add(case: "A1", kommune: "Aarhus", [("J1", 1)])
        try one.finish()
        #expect(Self.counts(try Summary.rows(one.reader, by: [.unit])) == ["Vest@1": [1, 0, 1]])
    }

    /// Agreement by kommune: Aarhus compares A1 (Ja, Ja) and A2 (Ja, Nej); Odense's A1 is another child, never
    /// paired with Aarhus's level 2.
    @Test(arguments: Backend.available) func agreementByKommune(backend: Backend) throws {
        let fixture = try Self.twoKommuner(backend)
        let rows = try Agreement.comparisons(fixture.reader, levels: [1, 2], by: [.kommune])
        #expect(rows.map { [$0.keys[.kommune]?.description, String($0.compared), String($0.agree)] } == [
            ["Aarhus", "2", "1"],
        ])
    }

    /// Feedback is per unit of a kommune, its figures beside its own kommune's, never the whole store's.
    @Test(arguments: Backend.available) func feedbackIsPerUnitOfAKommune(backend: Backend) throws {
        let fixture = try Self.twoKommuner(backend)
        #expect(try Feedback.units(round: "2025", in: fixture.reader) == ["Aarhus: Vest", "Odense: Vest"])
        let odense = try Feedback.load(unit: "Odense: Vest", round: "2025", from: fixture.reader)
        #expect(odense.cases.map(\.caseNumber) == ["A1", "O1", "O2"])
        #expect(odense.cases.first?.levels == [1], "Aarhus's A1 at level 2 is another child")
        let step = try #require(odense.steps.first { $0.step == "S1" && $0.level == 1 })
        #expect([step.unitYes, step.unitNo, step.allYes, step.allNo] as [Int] == [2, 1, 2, 1])
    }
}
