import Foundation
import Testing
import TilsynAudit
import TilsynSamples
import TilsynSheets
import TilsynTestSupport

/// Every input shape and every validation rule of the import, without a database.
@Suite struct ReturnedFileTests {
    static let store = CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas"))
    static let catalogue = try! store.load("kk-2025")  // swiftlint:disable:this force_try
    static let catalogues = CatalogueSet([catalogue])
    static let data = SampleData(catalogue: catalogue, seed: 7, casesPerRound: 20, levelOneCount: 20, levelTwoCount: 10)

    static func read(_ bytes: [UInt8], _ name: String, options: ImportOptions = ImportOptions()) -> ReturnedFile {
        ReturnedFileReader.read(bytes: bytes, name: name, catalogues: catalogues, options: options)
    }

    static func read(csv: String, name: String = "svar.csv", options: ImportOptions = ImportOptions()) -> ReturnedFile {
        read(Array(csv.utf8), name, options: options)
    }

    /// A returned template for the first generated review, changed by `change`.
    static func template(_ change: (inout SampleData.GeneratedReview) -> Void = { _ in }) throws -> [UInt8] {
        var review = data.reviews(round: "2025", level: 1)[0]
        change(&review)
        return try SampleWriter(data: data).templateBytes(review)
    }

    static func rules(_ file: ReturnedFile, _ severity: Finding.Severity) -> [Finding.Rule] {
        file.findings.filter { $0.severity == severity }.map(\.rule)
    }

    // MARK: - Input shapes

    @Test func templateGivesOneReviewWithProvenance() throws {
        let review = Self.data.reviews(round: "2025", level: 1)[0]
        let file = Self.read(try Self.template(), "a.xlsx")
        #expect(file.shape == .template)
        #expect(!file.isRejected, "\(file.findings.map(\.line))")
        let stored = try #require(file.reviews.first)
        #expect(stored.caseNumber == review.record.sagsnummer)
        #expect(stored.level == 1)
        #expect(stored.round == "2025")
        #expect(stored.reviewer == review.reviewer)
        #expect(stored.unit == review.record.enhed)
        #expect(stored.measure == review.record.indsats)
        #expect(stored.reviewDate == review.date)
        #expect(stored.catalogueID == "kk-2025")
        #expect(stored.catalogueVersion == Self.catalogue.version)
        #expect(stored.answers.count == Self.catalogue.allQuestions.count)
        for answer in stored.answers {
            #expect(answer.answer == review.answers[answer.questionID], "\(answer.questionID)")
            #expect(answer.at.sheet == "Tilsyn")
            #expect(answer.at.cell.hasPrefix("E"))
        }
        #expect(file.sha256 == ContentHash.sha256Hex(try Self.template()))
    }

    @Test(.needsPython) func templateMovedRowsRenamedSheetAndAddedColumnsViaOpenpyxl() throws {
        let python = try #require(TestPaths.python, "no .venv/bin/python: bash .ci/run creates it")
        let directory = try TemporaryDirectory("moved")
        defer { directory.cleanUp() }
        try Data(try Self.template()).write(to: URL(fileURLWithPath: directory.path("a.xlsx")))
        let script = """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb["Tilsyn"]
            names = {n: wb.defined_names[n].attr_text for n in wb.defined_names}
            row = ws[names["Svar_I_1"].split("!")[1].replace("$", "")].row
            ws.move_range(f"A{row}:F{row}", rows=300 - row)
            ws["E300"].value = "nej"
            ws["F300"].value = "Flyttet række."
            ws["H5"].value = "Egen note"
            ws.insert_rows(2)
            ws.title = "Min gennemgang"
            wb.save(sys.argv[2])
            """
        let result = try runPython(
            python, script: script, arguments: [directory.path("a.xlsx"), directory.path("b.xlsx")])
        try #require(result.status == 0, "\(result.stderr)")
        let file = ReturnedFileReader.read(
            path: directory.path("b.xlsx"), catalogues: Self.catalogues, options: ImportOptions())
        #expect(file.shape == .template)
        let review = try #require(file.reviews.first, "\(file.findings.map(\.line).joined(separator: "\n"))")
        let moved = try #require(review.answers.first { $0.questionID == "I.1" })
        #expect(moved.answer == "Nej")
        #expect(moved.remark == "Flyttet række.")
        // A row inserted above the table moves the answer to row 301.
        #expect(moved.at == Provenance(sheet: "Min gennemgang", cell: "E301"))
        #expect(review.answers.count == Self.catalogue.allQuestions.count)
    }

    /// A foreign sheet in English: metadata labels above a Question/Answer/Comment table, questions by text.
    static func foreignSheet(date1904: Bool = false, extraRows: [(String, String)] = []) -> [UInt8] {
        var builder = XLSXBuilder()
        builder.date1904 = date1904
        var rows = ""
        var number = 1
        func row(_ cells: [(String, String)]) {
            rows += "<row r=\"\(number)\">"
            for (column, value) in cells {
                if let numeric = Double(value) {
                    rows += "<c r=\"\(column)\(number)\"><v>\(numeric)</v></c>"
                } else {
                    rows += "<c r=\"\(column)\(number)\" t=\"inlineStr\"><is><t>\(escape(value))</t></is></c>"
                }
            }
            rows += "</row>"
            number += 1
        }
        row([("A", "Case number"), ("B", "F-1")])
        row([("A", "Unit"), ("B", "Enhed Syd")])
        row([("A", "Measure"), ("B", "SEL § 52")])
        row([("A", "Level"), ("B", "2")])
        row([("A", "Round"), ("B", "2024")])
        row([("A", "Reviewed by"), ("B", "QX")])
        row([("A", "Date"), ("B", date1904 ? "43808" : "45270")])
        row([("A", "No"), ("B", "Question"), ("C", "Answer"), ("D", "Comment")])
        row([("B", "Underretning")])
        let u1 = "Er det vurderet inden for 24 timer om barnets sundhed eller udvikling er i fare og der er behov "
            + "for akutte indsatser"
        row([("A", "1"), ("B", u1), ("C", "JA")])
        row([("A", "2"), ("B", "vurderingen af underretningen dokumenteret i sagen"), ("C", "Nej"), ("D", "Mangler.")])
        row([("A", "3"), ("B", "B.2 Undersøgelsen blev afsluttet til tiden"), ("C", "i.r.")])
        for (question, answer) in extraRows { row([("B", question), ("C", answer)]) }
        builder.addSheet("Review", rows: rows)
        return builder.build()
    }

    @Test func foreignSheetWithEnglishHeadersMatchesQuestionsByTextAndID() throws {
        let file = Self.read(
            Self.foreignSheet(extraRows: [("Other remarks about the case", "Nej"), ("I hvilken grad", "Høj")]),
            "foreign.xlsx")
        #expect(file.shape == .sheet)
        let review = try #require(file.reviews.first, "\(file.findings.map(\.line).joined(separator: "\n"))")
        #expect(review.caseNumber == "F-1")
        #expect(review.level == 2)
        #expect(review.measure == .stottende)
        #expect(review.reviewDate == "2023-12-10")
        #expect(review.answers.map(\.questionID) == ["U.1", "U.2", "B.2"])
        #expect(review.answers.map(\.answer) == ["Ja", "Nej", "Ikke relevant"])
        #expect(review.answers[0].at == Provenance(sheet: "Review", cell: "C10"))
        // The unknown row and the ambiguous "I hvilken grad" (six degree questions) are reported, not guessed.
        let unmatched = file.findings.filter { $0.rule == .unmatchedQuestion }
        #expect(unmatched.map(\.cell) == ["B13", "B14"])
        #expect(unmatched.allSatisfy { $0.severity == .warning })
        #expect(!file.isRejected)
    }

    @Test func foreignSheetIn1904DateSystem() throws {
        let file = Self.read(Self.foreignSheet(date1904: true), "mac.xlsx")
        #expect(file.reviews.first?.reviewDate == "2023-12-10")
    }

    static let longHeader = "sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato\r\n"

    /// The same text read for questions on different scales means what it means on each (answers are remembered
    /// per file, by scale): »Høj grad« is a degree for T.1 and outside U.1's Ja/Nej scale, in either order.
    @Test(arguments: [true, false])
    func theSameAnswerTextOnTwoScalesIsReadOnEach(degreeFirst: Bool) throws {
        let rows = [
            "L-1;1;2025;T.1;Høj grad;;Enhed Vest;32;AB;14-03-2025\r\n",
            "L-1;1;2025;U.1;Høj grad;;Enhed Vest;32;AB;14-03-2025\r\n",
            "L-2;1;2025;U.1;ja;;Enhed Vest;32;AB;14-03-2025\r\n",
            "L-2;1;2025;T.1;ja;;Enhed Vest;32;AB;14-03-2025\r\n",
        ]
        let file = Self.read(csv: Self.longHeader + (degreeFirst ? rows : rows.reversed()).joined())
        let outside = file.findings.filter { $0.rule == .answerOutsideScale }.map(\.cell).sorted()
        #expect(outside == (degreeFirst ? ["E3", "E5"] : ["E2", "E4"]))
    }

    @Test func csvLongGroupsRowsIntoReviews() throws {
        let csv = Self.longHeader
            + "L-1;1;2025;U.1;ja;;Enhed Vest;§ 32;AB;14-03-2025\r\n"
            + "L-1;1;2025;U.2;Nej;Mangler.;Enhed Vest;§ 32;AB;14-03-2025\r\n"
            + "L-1;1;2025;T.1;I høj grad;;Enhed Vest;§ 32;AB;14-03-2025\r\n"
            + "L-2;1;2025;Er vurderingen af underretningen dokumenteret i sagen?;IR;;Enhed Vest;30;AB;2025-03-15\r\n"
        let file = Self.read(csv: csv)
        #expect(file.shape == .csvLong)
        #expect(!file.isRejected, "\(file.findings.map(\.line))")
        #expect(file.reviews.map(\.caseNumber) == ["L-1", "L-2"])
        #expect(file.reviews[0].answers.map(\.answer) == ["Ja", "Nej", "Høj grad"])
        #expect(file.reviews[0].answers[1].remark == "Mangler.")
        #expect(file.reviews[0].answers[1].at == Provenance(sheet: "", cell: "E3"))
        #expect(file.reviews[1].answers.map(\.questionID) == ["U.2"])
        #expect(file.reviews[1].reviewDate == "2025-03-15")
    }

    @Test func csvWideFromASurveyTool() throws {
        let csv = "Tidsstempel,Sagsnummer,Enhed,Indsats,Niveau,Runde,Reviewer,Dato,U.1,U.1 bemærkning,U_2,"
            + "Bemærkning U.2\n"
            + "2025-03-14T10:00,W-1,Enhed Øst,§ 46,1,2025,CD,2025-03-14,Nej,Ikke dokumenteret,ja,\n"
            + "2025-03-14T11:00,W-2,Enhed Øst,47,1,2025,CD,2025-03-14,Ja,,Ikke relevant,\n"
        let file = Self.read(csv: csv, name: "survey.csv")
        #expect(file.shape == .csvWide)
        #expect(!file.isRejected, "\(file.findings.map(\.line))")
        #expect(file.reviews.count == 2)
        #expect(file.reviews[0].answers.map(\.questionID) == ["U.1", "U.2"])
        #expect(file.reviews[0].answers[0].remark == "Ikke dokumenteret")
        #expect(file.reviews[0].answers[0].at.cell == "I2")
        #expect(file.reviews[1].measure == .anbringelseUdenSamtykke)
    }

    @Test func csvInWindows1252IsRead() throws {
        let text = Self.longHeader.replacingOccurrences(of: "\r\n", with: "\n")
            + "K-1;1;2025;U.1;Nej;Ingen vurdering på 24 timer, jf. notat;Enhed Øst;32;ÆØ;14-03-2025\n"
        let bytes = [UInt8](try #require(text.data(using: .windowsCP1252)))
        let file = Self.read(bytes, "excel.csv")
        let review = try #require(file.reviews.first, "\(file.findings.map(\.line).joined(separator: "\n"))")
        #expect(review.unit == "Enhed Øst")
        #expect(review.answers.first?.remark == "Ingen vurdering på 24 timer, jf. notat")
    }

    @Test func unknownLayoutsAreRejected() throws {
        let file = Self.read(csv: "a;b;c\r\n1;2;3\r\n")
        #expect(Self.rules(file, .error) == [.unknownLayout])
        var builder = XLSXBuilder()
        builder.addSheet("Ark1", rows: "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Hej</t></is></c></row>")
        #expect(Self.rules(Self.read(builder.build(), "x.xlsx"), .error) == [.unknownLayout])
    }

    // MARK: - Rules

    @Test func missingMetadataIsAnErrorNamingTheCell() throws {
        let file = Self.read(try Self.template { $0.record.sagsnummer = "" }, "a.xlsx")
        #expect(file.isRejected)
        let finding = try #require(file.findings.first { $0.rule == .missingMetadata && $0.severity == .error })
        #expect(finding.sheet == "Tilsyn")
        #expect(finding.cell == "C4")
        #expect(finding.message == "Sagsnummer/pseudonym mangler.")
        #expect(!finding.suggestion.isEmpty)
        #expect(file.reviews.isEmpty)
    }

    @Test func missingReviewerIsAWarning() throws {
        let file = Self.read(try Self.template { $0.reviewer = "" }, "a.xlsx")
        #expect(!file.isRejected)
        #expect(Self.rules(file, .warning).contains(.missingMetadata))
    }

    @Test func missingColumnsInCSV() throws {
        let file = Self.read(csv: "sagsnummer;spørgsmål;svar\r\nA;U.1;Ja\r\n")
        #expect(Self.rules(file, .error) == [.missingMetadata])
        #expect(file.findings[0].message.contains("»niveau«"))
    }

    @Test func unknownQuestionID() throws {
        let file = Self.read(csv: Self.longHeader + "L-1;1;2025;B.99;Ja;;Enhed Vest;32;AB;14-03-2025\r\n")
        #expect(Self.rules(file, .error) == [.unknownQuestion])
        #expect(file.findings[0].cell == "E2")
        #expect(file.findings[0].message == "Spørgsmål »B.99« findes ikke i kataloget kk-2025.")
    }

    @Test func answerOutsideTheScale() throws {
        let file = Self.read(csv: Self.longHeader
            + "L-1;1;2025;U.1;høj;;Enhed Vest;32;AB;14-03-2025\r\n"
            + "L-1;1;2025;U.2;jaa;;Enhed Vest;32;AB;14-03-2025\r\n")
        #expect(Self.rules(file, .error) == [.answerOutsideScale, .answerOutsideScale])
        #expect(file.findings[0].message.contains("»Høj grad«"))
        #expect(file.findings[1].message.contains("»jaa«"))
        #expect(file.reviews.isEmpty)
    }

    @Test func answerToAnInapplicableQuestionIsAWarning() throws {
        // P.2 does not apply to § 30.
        let file = Self.read(csv: Self.longHeader + "L-1;1;2025;P.2;Ja;;Enhed Vest;30;AB;14-03-2025\r\n")
        // The one-row file also lacks the catalogue's other questions: a warning that lists them.
        #expect(Self.rules(file, .warning) == [.inapplicableAnswer, .questionMissing])
        #expect(!file.isRejected)
        #expect(file.reviews.first?.answers.first?.applies == false)
    }

    @Test func nejWithoutRemarkIsAWarning() throws {
        let file = Self.read(csv: Self.longHeader + "L-1;1;2025;U.1;Nej;;Enhed Vest;32;AB;14-03-2025\r\n")
        #expect(Self.rules(file, .warning) == [.missingRemark, .questionMissing])
        #expect(file.findings[0].cell == "F2")
        let lav = Self.read(csv: Self.longHeader + "L-1;1;2025;T.1;lav;;Enhed Vest;32;AB;14-03-2025\r\n")
        #expect(Self.rules(lav, .warning) == [.missingRemark, .questionMissing])
    }

    static let cprRemark = "Talt med mor, 010190-1234, i telefon"

    @Test func cprInAnyCellIsAnErrorAndNeverQuoted() throws {
        let file = Self.read(try Self.template { $0.remarks["U.1"] = Self.cprRemark }, "a.xlsx")
        #expect(file.isRejected)
        let finding = try #require(file.findings.first { $0.rule == .cprNumber })
        #expect(finding.sheet == "Tilsyn")
        #expect(finding.cell.hasPrefix("F"))
        for finding in file.findings {
            #expect(!finding.line.contains("010190"))
            #expect(!finding.line.contains("Talt med mor"))
        }
        let csv = Self.read(
            csv: Self.longHeader + "L-1;1;2025;U.1;Ja;\(Self.cprRemark);Enhed Vest;32;AB;14-03-2025\r\n")
        #expect(Self.rules(csv, .error) == [.cprNumber])
        #expect(csv.findings[0].cell == "F2")
    }

    @Test func redactCPRMasksAndGoesOn() throws {
        let file = Self.read(
            try Self.template { $0.remarks["U.1"] = Self.cprRemark }, "a.xlsx",
            options: ImportOptions(redactCPR: true))
        #expect(!file.isRejected)
        #expect(Self.rules(file, .warning).contains(.cprNumber))
        let remark = file.reviews.first?.answers.first { $0.questionID == "U.1" }?.remark
        #expect(remark == "Talt med mor, XXXXXX-XXXX, i telefon")
    }

    @Test func cprAsCaseNumberIsRejectedEvenWhenRedacting() throws {
        let file = Self.read(
            csv: Self.longHeader + "0101901234;1;2025;U.1;Ja;;Enhed Vest;32;AB;14-03-2025\r\n",
            options: ImportOptions(redactCPR: true))
        #expect(file.isRejected)
        #expect(file.reviews.isEmpty)
    }

    @Test func anUnreadableReviewDateIsAWarningAndIsNotStored() throws {
        let file = Self.read(csv: Self.longHeader + "L-1;1;2025;U.1;Ja;;Enhed Vest;32;AB;31-02-2025\r\n")
        #expect(!file.isRejected)
        #expect(Self.rules(file, .warning).contains(.invalidMetadata))
        let finding = try #require(file.findings.first { $0.rule == .invalidMetadata })
        #expect(finding.cell == "J2")
        // The text itself is not repeated: a field with digits might hold a CPR number.
        #expect(finding.message == "Datoen for gennemgangen kan ikke læses og gemmes ikke.")
        #expect(file.reviews.first?.reviewDate == nil)
    }

    @Test func sameQuestionTwiceWithAnotherReviewerIsOneReviewWithMistakes() throws {
        // Rows of one case, level and round are one review: a reviewer that differs between them is that mistake,
        // not a second review, and the question answered twice is named with both cells.
        let file = Self.read(csv: Self.longHeader
            + "L-1;1;2025;U.1;Ja;;Enhed Vest;32;AB;14-03-2025\r\n"
            + "L-1;1;2025;U.1;Ja;;Enhed Vest;32;CD;14-03-2025\r\n")
        #expect(Self.rules(file, .error) == [.invalidMetadata, .duplicateQuestion])
        #expect(file.findings.first { $0.rule == .invalidMetadata }?.cell == "I3")
        #expect(file.findings.first { $0.rule == .duplicateQuestion }?.message.contains("E2") == true)
    }

    @Test func sameCaseLevelAndRoundInTwoFilesOfABatchStoresNeither() throws {
        var files = [
            Self.read(try Self.template(), "b.xlsx"), Self.read(try Self.template { $0.date = "2025-03-27" }, "a.xlsx"),
        ]
        BatchChecker.check(&files)
        #expect(Self.rules(files[0], .error) == [.duplicateReview])
        #expect(Self.rules(files[1], .error) == [.duplicateReview])
        #expect(files[0].findings.last?.message.contains("a.xlsx") == true)
        #expect(files[1].findings.last?.message.contains("b.xlsx") == true)
    }

    @Test func theSameReviewInTwoFilesIsNoConflict() throws {
        var files = [Self.read(try Self.template(), "a.xlsx"), Self.read(try Self.template(), "a (2).xlsx")]
        BatchChecker.check(&files)
        #expect(!files[0].isRejected && !files[1].isRejected)
    }

    /// Every field the store keeps of a review and compares on resubmission decides whether two files of a batch
    /// hold the same review: a sagsbehandler or udgangspunkt that differs is a conflict, as the store would
    /// otherwise keep whichever file came first.
    @Test(arguments: [
        "reviewer", "unit", "date", "caseworker", "udgangspunkt", "udgangspunktDate", "answer", "remark",
    ])
    func anyKeptFieldThatDiffersIsAConflict(field: String) throws {
        let file = Self.read(try Self.template(), "a.xlsx")
        var other = file
        other.path = "b.xlsx"
        var review = try #require(other.reviews.first)
        #expect(ReviewDigest(review) == ReviewDigest(file.reviews[0]))
        switch field {
        case "reviewer": review.reviewer += "X"
        case "unit": review.unit += " Syd"
        case "date": review.reviewDate = "2025-12-31"
        case "caseworker": review.caseworker = (review.caseworker ?? "") + "x"
        case "udgangspunkt": review.udgangspunkt = (review.udgangspunkt ?? "") + "x"
        case "udgangspunktDate": review.udgangspunktDate = "2025-01-02"
        case "answer": review.answers[0].answer = review.answers[0].answer == "Ja" ? "Nej" : "Ja"
        default: review.answers[0].remark = (review.answers[0].remark ?? "") + "x"
        }
        other.reviews[0] = review
        #expect(ReviewDigest(review) != ReviewDigest(file.reviews[0]))
        let findings = BatchChecker.findings([BatchChecker.Entry(file), BatchChecker.Entry(other)])
        #expect(findings.map { $0.map(\.rule) } == [[.duplicateReview], [.duplicateReview]])
        #expect(findings[0].first?.message.contains("b.xlsx") == true)
        // Where the review was read is no part of what it says.
        var moved = file
        moved.reviews[0].at = Provenance(sheet: "Ark2", cell: "A1")
        #expect(ReviewDigest(moved.reviews[0]) == ReviewDigest(file.reviews[0]))
    }

    /// Municipalities number their cases each on their own: the same number in two kommuner is two cases, in a
    /// batch and in one file, and no conflict.
    @Test func theSameNumberInTwoKommunerIsTwoCases() throws {
        let file = Self.read(try Self.template(), "a.xlsx")
        var other = file
        other.path = "b.xlsx"
        other.reviews[0].kommune = (file.reviews[0].kommune ?? "") + " Syd"
        #expect(other.reviews[0].key != file.reviews[0].key)
        let findings = BatchChecker.findings([BatchChecker.Entry(file), BatchChecker.Entry(other)])
        #expect(findings == [[], []])

        let rows = "L-1;1;2025;U.1;Ja;;Enhed Vest;32;AB;14-03-2025;Aarhus\r\n"
            + "L-1;1;2025;U.1;Nej;;Enhed Vest;32;AB;14-03-2025;Odense\r\n"
        let both = Self.read(csv: Self.longHeader.replacingOccurrences(of: "\r\n", with: ";kommune\r\n") + rows)
        #expect(Self.rules(both, .error) == [])
        #expect(both.reviews.map(\.kommune) == ["Aarhus", "Odense"])
    }

    /// `--kommune` names the kommune of files that name none, and refuses a file naming another.
    @Test func theGivenKommuneFillsInAndConflicts() throws {
        let header = Self.longHeader.replacingOccurrences(of: "\r\n", with: ";kommune\r\n")
        let unnamed = Self.read(
            csv: header + "L-1;1;2025;U.1;Ja;;Enhed Vest;32;AB;14-03-2025;\r\n",
            options: ImportOptions(kommune: "Aarhus"))
        #expect(Self.rules(unnamed, .error) == [])
        #expect(unnamed.reviews.map(\.kommune) == ["Aarhus"])
        let same = Self.read(
            csv: header + "L-1;1;2025;U.1;Ja;;Enhed Vest;32;AB;14-03-2025;Aarhus\r\n",
            options: ImportOptions(kommune: "Aarhus"))
        #expect(Self.rules(same, .error) == [])
        let other = Self.read(
            csv: header + "L-1;1;2025;U.1;Ja;;Enhed Vest;32;AB;14-03-2025;Odense\r\n",
            options: ImportOptions(kommune: "Aarhus"))
        #expect(Self.rules(other, .error) == [.kommuneConflict])
        #expect(other.reviews.isEmpty)
        let finding = try #require(other.findings.first { $0.rule == .kommuneConflict })
        #expect(finding.cell == "K2")
        #expect(finding.message.contains("Odense") && finding.message.contains("Aarhus"))
    }

    @Test func roundConflictsWithTheGivenRound() throws {
        let file = Self.read(
            csv: Self.longHeader + "L-1;1;2024;U.1;Ja;;Enhed Vest;32;AB;14-03-2025\r\n",
            options: ImportOptions(round: "2025"))
        #expect(Self.rules(file, .error) == [.roundConflict])
        let filled = Self.read(
            csv: Self.longHeader + "L-1;1;;U.1;Ja;;Enhed Vest;32;AB;14-03-2025\r\n",
            options: ImportOptions(round: "2025"))
        #expect(filled.reviews.first?.round == "2025")
    }

    @Test func passwordProtectedAndLegacyWorkbooks() throws {
        let samples = TestPaths.packageRoot.appendingPathComponent("Samples/invalid")
        let protected = ReturnedFileReader.read(
            path: samples.appendingPathComponent("adgangskode.xlsx").path, catalogues: Self.catalogues,
            options: ImportOptions())
        #expect(Self.rules(protected, .error) == [.passwordProtected])
        let legacy = ReturnedFileReader.read(
            path: samples.appendingPathComponent("gammelt-format.xls").path, catalogues: Self.catalogues,
            options: ImportOptions())
        #expect(Self.rules(legacy, .error) == [.legacyXLS])
        #expect(legacy.findings[0].message.contains(".xls"))
    }

    @Test func uncertainIndsatsIsRejected() throws {
        let file = Self.read(csv: Self.longHeader + "L-1;1;2025;U.1;Ja;;Enhed Vest;Anbringelse;AB;14-03-2025\r\n")
        #expect(Self.rules(file, .error) == [.invalidMetadata])
        #expect(file.findings[0].cell == "H2")
    }

    @Test func theSamplesInvalidFolderHoldsEachMistake() throws {
        let folder = TestPaths.packageRoot.appendingPathComponent("Samples/invalid").path
        let files = try ReturnedFiles.collect([folder])
        var rules: [String: Set<String>] = [:]
        for path in files {
            let file = ReturnedFileReader.read(path: path, catalogues: Self.catalogues, options: ImportOptions())
            rules[(path as NSString).lastPathComponent] = Set(file.findings.map(\.rule.name))
        }
        #expect(rules["mangler-sagsnummer.xlsx"]?.contains("missingMetadata") == true)
        #expect(rules["ukendt-spoergsmaal.csv"]?.contains("unknownQuestion") == true)
        #expect(rules["svar-jaa.xlsx"]?.contains("answerOutsideScale") == true)
        #expect(rules["svar-paa-ikke-relevant-spoergsmaal.xlsx"] == ["inapplicableAnswer", "missingRemark"])
        #expect(rules["cpr-i-bemaerkning.xlsx"]?.contains("cprNumber") == true)
        #expect(rules["adgangskode.xlsx"] == ["passwordProtected"])
        #expect(rules["gammelt-format.xls"] == ["legacyXLS"])
        #expect(rules["usikker-indsats.csv"]?.contains("invalidMetadata") == true)
        #expect(rules["windows-1252.csv"]?.contains("unreadable") == false)
        #expect(rules.count == 10)
    }
}
