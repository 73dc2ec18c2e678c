import Foundation
import PropertyBased
import Synchronization
import Testing
import TilsynAudit
import TilsynSamples
import TilsynSheets
import TilsynTestSupport

/// Returned files changed the way reviewers, Excel, LibreOffice and scripts change them: every answer is stored
/// exactly as meant, or the file is refused with a finding that names the cell. Each variant is built here from a
/// generated template (through `WorkbookModel`, CSV text or a foreign sheet) and states what must come out.
@Suite struct ReturnedFileFidelityTests {
    typealias Fixture = ReturnedFileTests
    static let catalogue = Fixture.catalogue

    /// The review the base template is filled with.
    static let review = Fixture.data.reviews(round: "2025", level: 1)[0]

    static func model() throws -> WorkbookModel { try WorkbookModel(try Fixture.template()) }

    static func read(_ model: WorkbookModel, name: String = "svar.xlsx", catalogues: CatalogueSet = Fixture.catalogues)
        -> ReturnedFile
    {
        ReturnedFileReader.read(bytes: model.build(), name: name, catalogues: catalogues, options: ImportOptions())
    }

    /// The canonical answer a text normalises to on the question's scale, or nil when it is no answer.
    static func canonical(_ text: String?, question id: String) -> String? {
        guard let question = catalogue.allQuestions.first(where: { $0.id == id }),
            let scale = catalogue.scale(question.type),
            case .answer(let canonical, _) = AnswerVocabulary.normalise(text, scale: scale)
        else { return nil }
        return canonical
    }

    /// The oracle: the file is accepted, and every tagged cell holds what is stored for its question (answer
    /// normalised, remark as written); no answer is stored that no tagged cell holds.
    static func expectStoredExactly(
        _ model: WorkbookModel, _ file: ReturnedFile, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let review = file.reviews.first, !file.isRejected else {
            Issue.record("rejected: \(file.findings.map(\.line).joined(separator: "\n"))", sourceLocation: sourceLocation)
            return
        }
        let stored = Dictionary(review.answers.map { ($0.questionID, $0) }, uniquingKeysWith: { a, _ in a })
        for (address, tag) in model.tags {
            let text = WorkbookModel.text(model[address])?.trimmingCharacters(in: .whitespaces)
            let answer = stored[tag.questionID]
            if tag.isRemark {
                #expect(answer?.remark == (text?.isEmpty == false ? text : nil),
                        "remark of \(tag.questionID) at \(address)", sourceLocation: sourceLocation)
            } else {
                #expect(answer?.answer == canonical(text, question: tag.questionID),
                        "answer of \(tag.questionID) at \(address)", sourceLocation: sourceLocation)
                if text != nil {
                    #expect(answer?.at == Provenance(sheet: model.answerSheet, cell: address.description),
                            sourceLocation: sourceLocation)
                }
            }
        }
        let tagged = Set(model.tags.values.filter { !$0.isRemark }.map(\.questionID))
        for answer in review.answers where answer.answer != nil {
            #expect(tagged.contains(answer.questionID), "\(answer.questionID) stored from no answer cell",
                    sourceLocation: sourceLocation)
        }
    }

    /// The file is refused, and a finding of `rule` names `cell` (with the sheet for workbooks).
    static func expectRefused(
        _ file: ReturnedFile, _ rule: Finding.Rule, at cell: String, sheet: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(file.isRejected, "accepted: \(file.findings.map(\.line))", sourceLocation: sourceLocation)
        #expect(file.reviews.isEmpty || file.isRejected, sourceLocation: sourceLocation)
        let found = file.findings.contains { $0.rule == rule && $0.cell == cell && (sheet == nil || $0.sheet == sheet) }
        #expect(found, "no \(rule) at \(cell): \(file.findings.map(\.line).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    /// The header row of the answer table and the first and last question rows.
    static func table(_ model: WorkbookModel) -> (header: Int, rows: ClosedRange<Int>) {
        let header = model.find("Id")?.row ?? 0
        let rows = model.tags.keys.map(\.row)
        return (header, (rows.min() ?? header + 1)...(rows.max() ?? header + 1))
    }

    /// A question that applies to the case and whose answer cell is filled.
    static func applicableQuestion(_ model: WorkbookModel) throws -> (id: String, cell: CellAddress) {
        let question = try #require(catalogue.questions.first { question in
            question.applies(to: review.record.indsats) && model.cell(of: question.id).map { model[$0] != nil } == true
        })
        return (question.id, try #require(model.cell(of: question.id)))
    }

    // MARK: - 1. Metadata from the cell that belongs to its label

    /// The template without its meta sheet and names: read as a sheet with labels above a table.
    static func bare() throws -> WorkbookModel {
        var model = try model()
        model.dropMeta()
        model.dropNames()
        return model
    }

    @Test(arguments: [("Sagsnummer/pseudonym", "Sagsnummer"), ("Enhed", "Enhed"), ("Indsats (§)", "Indsats")])
    func aBlankRequiredValueIsMissingNotTheNextLabel(label: String, key: String) throws {
        var model = try Self.bare()
        let at = try #require(model.find(label))
        let value = CellAddress(row: at.row, column: at.column + 1)
        model[value] = nil
        let file = Self.read(model)
        Self.expectRefused(file, .missingMetadata, at: value.description)
        #expect(file.findings.contains { $0.message.hasPrefix(ReturnedFileTestsLabel.label(key)) })
    }

    @Test func aTitleWithALabelWordIsNoLabel() throws {
        var model = try Self.bare()
        model[CellAddress(row: 1, column: 1)] = .text("Tilsyn: Ledelsestilsyn børn og unge")
        let file = Self.read(model)
        #expect(file.reviews.first?.round == "2025", "\(file.findings.map(\.line))")
    }

    @Test func theKeysOwnNameWinsOverASynonym() throws {
        var model = try Self.bare()
        // A title split over two cells: "Tilsyn" is a synonym of Runde, "Runde" below is the label itself.
        model[CellAddress(row: 1, column: 1)] = .text("Tilsyn")
        model[CellAddress(row: 1, column: 2)] = .text("Ledelsestilsyn børn og unge")
        let file = Self.read(model)
        #expect(file.reviews.first?.round == "2025", "\(file.findings.map(\.line))")
    }

    @Test func theBareTemplateIsReadExactly() throws {
        let model = try Self.bare()
        Self.expectStoredExactly(model, Self.read(model))
    }

    /// A foreign sheet with the given metadata rows above a one-question table.
    static func foreign(_ metadata: [[String]], remarkHeader: String = "Bemærkning", extraHeader: String? = nil)
        -> [UInt8]
    {
        var builder = XLSXBuilder()
        builder.addSheet("Ark1", rows: foreignRows(metadata, remarkHeader: remarkHeader, extraHeader: extraHeader))
        return builder.build()
    }

    /// The rows of a foreign sheet: `metadata` above a one-question table answered `answer`.
    static func foreignRows(
        _ metadata: [[String]], remarkHeader: String = "Bemærkning", extraHeader: String? = nil, answer: String = "Nej"
    ) -> String {
        var rows = ""
        var number = 1
        func row(_ cells: [String]) {
            rows += "<row r=\"\(number)\">"
            for (index, text) in cells.enumerated() where !text.isEmpty {
                let ref = CellAddress.columnName(index + 1) + String(number)
                rows += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(escape(text))</t></is></c>"
            }
            rows += "</row>"
            number += 1
        }
        for line in metadata { row(line) }
        row(["Id", "Spørgsmål", "Svar", remarkHeader] + (extraHeader.map { [$0] } ?? []))
        row(["U.1", "Vurderet inden for 24 timer?", answer, "Ikke vurderet.", extraHeader == nil ? "" : "Noget andet"])
        return rows
    }

    /// The metadata of `standardMetadata` for another case number.
    static func metadata(case number: String) -> [[String]] {
        standardMetadata.map { $0[0] == "Sagsnummer" ? ["Sagsnummer", number] : $0 }
    }

    @Test func aWorkbookWithASheetPerCaseStoresEverySheet() throws {
        var builder = XLSXBuilder()
        builder.addSheet("Sag 1", rows: Self.foreignRows(Self.metadata(case: "F-1")))
        builder.addSheet("Noter", rows: "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Husk</t></is></c></row>")
        builder.addSheet("Sag 2", rows: Self.foreignRows(Self.metadata(case: "F-2"), answer: "Ja"))
        let file = Self.readForeign(builder.build())
        #expect(!file.isRejected, "\(file.findings.map(\.line))")
        #expect(file.reviews.map(\.caseNumber) == ["F-1", "F-2"])
        #expect(file.reviews.map { $0.answers.first?.answer } == ["Nej", "Ja"])
        #expect(file.reviews.map { $0.answers.first?.at.sheet } == ["Sag 1", "Sag 2"])
    }

    /// A hidden second sheet with the same case (an old copy, say) was passed over when the first sheet had a
    /// table: now it is read, and two reviews of one case in one file are refused, naming the hidden sheet.
    @Test(arguments: ["Nej", "Ja"])
    func aHiddenSheetWithTheSameCaseIsNotPassedOver(hiddenAnswer: String) throws {
        var builder = XLSXBuilder()
        builder.addSheet("Sag", rows: Self.foreignRows(Self.standardMetadata))
        builder.addSheet("Gammel", rows: Self.foreignRows(Self.standardMetadata, answer: hiddenAnswer), state: "hidden")
        let file = Self.readForeign(builder.build())
        #expect(file.isRejected)
        #expect(file.findings.contains { $0.rule == .duplicateReview && $0.sheet == "Gammel" },
                "\(file.findings.map(\.line))")
    }

    static let standardMetadata = [
        ["Sagsnummer", "F-1"], ["Enhed", "Nord"], ["Indsats", "§ 32"], ["Niveau", "1"], ["Runde", "2025"],
        ["Reviewer", "AB"], ["Dato", "14-03-2025"],
    ]

    static func readForeign(_ bytes: [UInt8]) -> ReturnedFile {
        ReturnedFileReader.read(bytes: bytes, name: "ark.xlsx", catalogues: Fixture.catalogues, options: ImportOptions())
    }

    @Test func labelsSideBySideOverTheirValues() throws {
        let file = Self.readForeign(Self.foreign([
            ["Sagsnummer", "Enhed", "Indsats", "Niveau", "Runde", "Reviewer", "Dato"],
            ["F-2", "Syd", "§ 46", "2", "2025", "CD", "15-03-2025"],
        ]))
        let review = try #require(file.reviews.first, "\(file.findings.map(\.line))")
        #expect([review.caseNumber, review.unit, review.reviewer, review.round] == ["F-2", "Syd", "CD", "2025"])
        #expect(review.level == 2 && review.measure == .anbringelseMedSamtykke)
    }

    @Test func aLabelAndItsValueInOneCell() throws {
        var metadata = Self.standardMetadata.filter { $0[0] != "Runde" }
        metadata.append(["Runde: 2025"])
        let file = Self.readForeign(Self.foreign(metadata))
        #expect(file.reviews.first?.round == "2025", "\(file.findings.map(\.line))")
    }

    @Test func twoLabelsForOneKeyThatDisagreeAreAnError() throws {
        var metadata = Self.standardMetadata
        metadata.append(["Runde", "2024"])
        let file = Self.readForeign(Self.foreign(metadata))
        Self.expectRefused(file, .layoutConflict, at: "B8", sheet: "Ark1")
    }

    @Test func aValueBesideALabelThatIsAnotherLabelIsBlank() throws {
        var metadata = Self.standardMetadata.filter { $0[0] != "Enhed" }
        metadata.append(["Enhed", "Runde"])
        let file = Self.readForeign(Self.foreign(metadata))
        Self.expectRefused(file, .missingMetadata, at: "B7")
    }

    // MARK: - 2. Names, header and meta sheet cross-checked

    @Test func answerBlockMovedRightWithTheNamesLeftBehind() throws {
        var model = try Self.model()
        let table = Self.table(model)
        model.shiftColumnsRight(from: 5, rows: table.header...table.rows.upperBound)
        Self.expectStoredExactly(model, Self.read(model))
    }

    @Test(arguments: [1, 2, 5, 6, 7])
    func aColumnInsertedAsExcelDoes(before column: Int) throws {
        var model = try Self.model()
        model.insertColumn(before: column)
        Self.expectStoredExactly(model, Self.read(model))
    }

    @Test(arguments: [1, 3, 12, 14, 30])
    func aRowInsertedAsExcelDoes(before row: Int) throws {
        var model = try Self.model()
        model.insertRow(before: row)
        Self.expectStoredExactly(model, Self.read(model))
    }

    @Test func theNamesDropped() throws {
        var model = try Self.model()
        model.dropNames()
        Self.expectStoredExactly(model, Self.read(model))
    }

    @Test func theSheetRenamed() throws {
        var model = try Self.model()
        model.renameAnswerSheet("Min gennemgang")
        Self.expectStoredExactly(model, Self.read(model))
    }

    @Test func aQuestionRowMovedBelowTheTableWithItsNamesLeftBehind() throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        model.moveRow(cell.row, to: 300)
        Self.expectStoredExactly(model, Self.read(model))
    }

    @Test func aQuestionRowDeletedIsReportedMissing() throws {
        var model = try Self.model()
        let (id, cell) = try Self.applicableQuestion(model)
        model.deleteRow(cell.row)
        let file = Self.read(model)
        #expect(file.findings.contains { $0.rule == .questionMissing && $0.message.contains(id) })
        Self.expectStoredExactly(model, file)
    }

    @Test func aNamedCellOutsideTheHeaderColumnsThatIsFilledIsAConflict() throws {
        var model = try Self.model()
        let (id, cell) = try Self.applicableQuestion(model)
        let elsewhere = CellAddress(row: cell.row, column: 8)
        model[elsewhere] = .text("Nej")
        let index = try #require(model.names.firstIndex { $0.name == TemplateWriter.answerName(id) })
        model.names[index].address = elsewhere
        Self.expectRefused(Self.read(model), .layoutConflict, at: elsewhere.description)
    }

    // MARK: - 3. Cells whose value is not plain

    @Test func aFormulaWithoutACachedResult() throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        model[cell] = .formula("IF(1=1,\"Ja\",\"Nej\")", cached: nil)
        let file = Self.read(model)
        Self.expectRefused(file, .unreadableCell, at: cell.description)
        #expect(file.findings.contains { $0.message.contains("formel") && $0.suggestion.contains("genberegn og gem") })
    }

    @Test func aFormulaWithACachedResultIsItsResult() throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        model[cell] = .formula("IF(1=1,\"Ja\",\"Nej\")", cached: "Ja")
        Self.expectStoredExactly(model, Self.read(model))
    }

    @Test(arguments: [true, false])
    func aCheckBoxIsNoAnswer(ticked: Bool) throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        model[cell] = .bool(ticked)
        Self.expectRefused(Self.read(model), .unreadableCell, at: cell.description)
    }

    @Test func aCheckBoxInARemark() throws {
        var model = try Self.model()
        let (id, _) = try Self.applicableQuestion(model)
        let remark = try #require(model.cell(of: id, remark: true))
        model[remark] = .bool(true)
        Self.expectRefused(Self.read(model), .unreadableCell, at: remark.description)
    }

    @Test func anAnswerMergedDownOverThreeQuestions() throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        let below = [1, 2].map { CellAddress(row: cell.row + $0, column: cell.column) }
        for address in below { model[address] = nil }
        model.sheets[0].merged.append(CellRange(first: cell, last: below[1]))
        let file = Self.read(model)
        for address in below { Self.expectRefused(file, .unreadableCell, at: address.description) }
    }

    @Test func aFormulaWithoutResultAsTheCaseNumber() throws {
        var model = try Self.model()
        let at = try #require(model.find("Sagsnummer/pseudonym"))
        let value = CellAddress(row: at.row, column: at.column + 1)
        model[value] = .formula("CONCAT(\"S-\",\"1\")", cached: nil)
        Self.expectRefused(Self.read(model), .unreadableCell, at: value.description)
    }

    /// A damaged file gives the answer's row again with another answer (Excel, LibreOffice and Numbers never write a
    /// row twice; a script may): neither value can be taken as the one meant, so the file is refused at that cell.
    @Test(arguments: [true, false])
    func anAnswerRowGivenAgain(sameAnswer: Bool) throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        model[cell] = .text("Ja")
        let again = sameAnswer ? "Ja" : "Nej"
        model.sheets[0].rawRowsAfter =
            "<row r=\"\(cell.row)\"><c r=\"\(cell)\" t=\"inlineStr\"><is><t>\(again)</t></is></c></row>"
        let file = Self.read(model)
        Self.expectRefused(file, .unreadable, at: cell.description, sheet: model.answerSheet)
        #expect(file.findings.contains { $0.message.contains("to gange") && $0.suggestion.contains("LibreOffice") })
    }

    /// A damaged file names two sheets alike (a script's copy of the answer sheet): either could hold the answers,
    /// and a sheet cached by name would hide the other from the CPR scan, so the file is refused naming the sheet.
    @Test func twoSheetsWithTheAnswerSheetsName() throws {
        var model = try Self.model()
        var copy = model.sheets[0]
        copy.name = model.sheets[0].name.uppercased()
        copy.cells[CellAddress(row: 1, column: 9)] = .text("0101901234")
        model.sheets.insert(copy, at: 1)
        let file = Self.read(model)
        #expect(file.isRejected && file.reviews.isEmpty)
        #expect(file.findings.map(\.rule) == [.unreadable])
        #expect(file.findings.first?.sheet == copy.name)
        #expect(file.findings.first?.message.contains("to ark med samme navn") == true)
        #expect(file.findings.allSatisfy { !$0.line.contains("0101901234") })
    }

    /// The answer sheet copied in Excel ("Move or Copy", which names the copy `Tilsyn (2)`), the copy at `index`.
    static func withCopiedAnswerSheet(_ model: WorkbookModel, at index: Int = 1) -> WorkbookModel {
        var model = model
        var copy = model.sheets[0]
        copy.name = model.sheets[0].name + " (2)"
        model.sheets.insert(copy, at: index)
        return model
    }

    /// Tagged answer and remark cells that hold something, in address order.
    static func filledTags(_ model: WorkbookModel, remarks: Bool) -> [(address: CellAddress, tag: WorkbookModel.Tag)] {
        model.tags.filter { $0.value.isRemark == remarks && WorkbookModel.text(model[$0.key]) != nil }
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    @Test("a copy of the answer sheet that repeats the answers, or is blank, changes nothing", arguments: [false, true])
    func aCopyThatSaysTheSame(blank: Bool) throws {
        var model = Self.withCopiedAnswerSheet(try Self.model(), at: blank ? 2 : 1)
        if blank {
            for (address, _) in model.tags { model.sheets[2].cells[address] = nil }
        }
        Self.expectStoredExactly(model, Self.read(model))
    }

    @Test("an answer or remark on a copy of the answer sheet that says otherwise is refused at the copy's cell",
          arguments: [false, true])
    func aCopyThatSaysOtherwise(remark: Bool) throws {
        var model = Self.withCopiedAnswerSheet(try Self.model())
        let (address, tag) = try #require(Self.filledTags(model, remarks: remark).first)
        let original = WorkbookModel.text(model[address])
        model.sheets[1].cells[address] = .text(remark ? "En anden bemærkning" : (original == "Ja" ? "Nej" : "Ja"))
        let file = Self.read(model)
        Self.expectRefused(file, .layoutConflict, at: address.description, sheet: model.sheets[1].name)
        let finding = try #require(file.findings.first { $0.rule == .layoutConflict })
        #expect(finding.message.contains("»\(model.sheets[1].name)«") && finding.message.contains(tag.questionID))
        #expect(finding.message.contains("»\(model.answerSheet)« (\(address))"))
        #expect(!finding.line.contains("En anden bemærkning"))
        #expect(file.findings.filter { $0.rule == .layoutConflict }.count == 1)
    }

    @Test func answersWrittenOnACopyWhileTheAnswerSheetIsBlank() throws {
        var model = Self.withCopiedAnswerSheet(try Self.model())
        let filled = Self.filledTags(model, remarks: false) + Self.filledTags(model, remarks: true)
        for (address, _) in filled { model.sheets[0].cells[address] = nil }
        let file = Self.read(model)
        #expect(file.isRejected)
        // Every answer and remark the reviewer wrote on the copy is named at its cell.
        let named = Set(file.findings.filter { $0.rule == .layoutConflict && $0.sheet == model.sheets[1].name }.map(\.cell))
        #expect(named == Set(filled.map(\.address.description)))
    }

    @Test func aValueInACopysRowOfNoQuestionIsNamed() throws {
        var model = Self.withCopiedAnswerSheet(try Self.model())
        let (_, cell) = try Self.applicableQuestion(model)
        let below = CellAddress(row: (model.sheets[1].cells.keys.map(\.row).max() ?? 0) + 3, column: cell.column)
        model.sheets[1].cells[below] = .text("Ja")
        Self.expectRefused(Self.read(model), .layoutConflict, at: below.description, sheet: model.sheets[1].name)
    }

    /// A note written below the header in a column the template did not make was dropped without a word: the
    /// answers stand, and the note's cell is named in a warning.
    @Test(arguments: [false, true])
    func aNoteOutsideTheAnswerAndRemarkColumnsIsNamed(insertedColumn: Bool) throws {
        var model = try Self.model()
        let (id, _) = try Self.applicableQuestion(model)
        let remark = try #require(model.cell(of: id, remark: true))
        var note = CellAddress(row: remark.row, column: TemplateWriter.tableHeaders.count + 2)
        if insertedColumn {
            // A column of the reviewer's own between the answer and the remark, with a heading.
            model.insertColumn(before: remark.column)
            let header = try #require(model.find("Bemærkning"))
            model[CellAddress(row: header.row, column: remark.column)] = .text("Opfølgning")
            note = CellAddress(row: remark.row, column: remark.column)
        }
        model[note] = .text("Drøftes på teammødet")
        let file = Self.read(model)
        Self.expectStoredExactly(model, file)
        let finding = try #require(file.findings.first { $0.rule == .unknownColumn }, "\(file.findings.map(\.line))")
        #expect(finding.severity == .warning && finding.cell == note.description && finding.sheet == model.answerSheet)
        #expect(file.findings.count { $0.rule == .unknownColumn } == 1)
        #expect(!finding.line.contains("teammødet"))
    }

    /// A note (Excel's right-click note or comment) on an answer and on the case number: its text is the reviewer's
    /// and nothing reads it, so each is named in a warning; the answers stand.
    @Test func aNoteOnACellIsNamed() throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        let caseNumber = try #require(model.find("S-2025-0001"))
        model.sheets[0].notes = [caseNumber, cell]
        let file = Self.read(model)
        Self.expectStoredExactly(model, file)
        let notes = file.findings.filter { $0.rule == .cellNote }
        #expect(notes.map(\.cell) == [caseNumber.description, cell.description])
        #expect(notes.allSatisfy { $0.severity == .warning && $0.sheet == model.answerSheet })
        #expect(notes.allSatisfy { !$0.line.contains("journalen") })
    }

    /// Above the header a note beside the fields, or in an empty row, is read by nothing: named, the fields stand.
    @Test(arguments: [(3, 2), (5, 9), (11, 3), (3, 1)])
    func aNoteAmongTheFieldsIsNamed(row: Int, column: Int) throws {
        var model = try Self.model()
        let note = CellAddress(row: row, column: column)
        #expect(model[note] == nil)
        model[note] = .text("Sagen er overgået til anden kommune")
        let file = Self.read(model)
        Self.expectStoredExactly(model, file)
        #expect(file.reviews.first?.caseNumber == "S-2025-0001" && file.reviews.first?.unit == "Enhed Nord")
        let named = file.findings.filter { $0.rule == .unknownColumn }
        #expect(named.map(\.cell) == [note.description], "\(file.findings.map(\.line))")
        #expect(named.allSatisfy { $0.severity == .warning && !$0.line.contains("kommune") })
    }

    @Test func thePristineTemplateHasNoCellOutsideItsColumns() throws {
        let model = try Self.model()
        let file = Self.read(model)
        #expect(!file.findings.contains { $0.rule == .unknownColumn }, "\(file.findings.map(\.line))")
    }

    // MARK: - 4. Nothing blank without a finding

    @Test func aBlankApplicableAnswer() throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        model[cell] = nil
        Self.expectRefused(Self.read(model), .missingAnswer, at: cell.description)
    }

    @Test func aTemplateReturnedEmpty() throws {
        var model = try Self.model()
        for (address, tag) in model.tags {
            let question = try #require(Self.catalogue.allQuestions.first { $0.id == tag.questionID })
            if question.applies(to: Self.review.record.indsats) { model[address] = nil }
        }
        let file = Self.read(model)
        let applicable = Self.catalogue.allQuestions.filter { $0.applies(to: Self.review.record.indsats) }
        #expect(file.isRejected)
        #expect(file.findings.filter { $0.rule == .missingAnswer }.count == applicable.count)
    }

    @Test func aBlankQuestionThatDoesNotApplyIsUnanswered() throws {
        var model = try Self.model()
        let question = try #require(Self.catalogue.questions.first { !$0.applies(to: Self.review.record.indsats) })
        let cell = try #require(model.cell(of: question.id))
        model[cell] = nil
        let file = Self.read(model)
        Self.expectStoredExactly(model, file)
        #expect(file.reviews.first?.answers.first { $0.questionID == question.id }?.answer == nil)
    }

    @Test func aBlankOptionalQuestionIsAccepted() throws {
        var catalogue = Self.catalogue
        var model = try Self.model()
        let (id, cell) = try Self.applicableQuestion(model)
        let index = try #require(catalogue.questions.firstIndex { $0.id == id })
        catalogue.questions[index].optional = true
        model[cell] = nil
        let file = Self.read(model, catalogues: CatalogueSet([catalogue]))
        Self.expectStoredExactly(model, file)
    }

    // MARK: - 5. Two answers to one question

    @Test(arguments: ["Nej", "Ja"])
    func aQuestionRowCopiedBelowTheTable(answer: String) throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        let target = 400
        for column in 1...6 {
            model[CellAddress(row: target, column: column)] = model[CellAddress(row: cell.row, column: column)]
        }
        model[CellAddress(row: target, column: cell.column)] = .text(answer)
        Self.expectRefused(Self.read(model), .duplicateQuestion, at: "E400")
    }

    @Test func anAnswerInARowWithoutQuestion() throws {
        var model = try Self.model()
        model[CellAddress(row: 401, column: 5)] = .text("Ja")
        Self.expectRefused(Self.read(model), .unknownQuestion, at: "E401")
    }

    @Test func aQuestionTwiceInALongCSV() throws {
        let file = Fixture.read(csv: Fixture.longHeader
            + "L-1;1;2025;U.1;Ja;;Enhed Vest;32;AB;14-03-2025\r\n"
            + "L-1;1;2025;U.1;Nej;x;Enhed Vest;32;AB;14-03-2025\r\n")
        Self.expectRefused(file, .duplicateQuestion, at: "E3")
        #expect(file.findings.contains { $0.message.contains("E2") })
    }

    // MARK: - 9. Columns by other names, CSV dialects

    @Test(arguments: ["Begrundelse", "Kommentar", "Note", "Noter", "Uddybning", "Comment", "Bemærkninger"])
    func aRemarkColumnByAnotherName(header: String) throws {
        let file = Self.readForeign(Self.foreign(Self.standardMetadata, remarkHeader: header))
        let answer = try #require(file.reviews.first?.answers.first, "\(file.findings.map(\.line))")
        #expect(answer.answer == "Nej")
        #expect(answer.remark == "Ikke vurderet.")
    }

    @Test func anUnknownColumnWithContentIsAWarningNamingIt() throws {
        let file = Self.readForeign(Self.foreign(Self.standardMetadata, extraHeader: "Opfølgning aftalt"))
        #expect(!file.isRejected)
        #expect(file.findings.contains { $0.rule == .unknownColumn && $0.cell == "E8" && $0.severity == .warning })
    }

    /// A case detail given per row of a foreign table (a date per answer) was skipped without a finding: a foreign
    /// sheet's metadata is read above its table only. Now the column is named.
    @Test func aMetadataColumnInAForeignTableIsNamed() throws {
        let file = Self.readForeign(Self.foreign(Self.standardMetadata, extraHeader: "Dato"))
        let review = try #require(file.reviews.first, "\(file.findings.map(\.line))")
        #expect(review.reviewDate == "2025-03-14")
        let finding = try #require(file.findings.first { $0.rule == .unknownColumn })
        #expect(finding.cell == "E8" && finding.severity == .warning)
        #expect(finding.message.contains("over tabellen") && finding.suggestion.contains("»Dato: …«"))
    }

    @Test func anUnknownCSVColumnWithContentIsAWarningNamingIt() throws {
        let file = Fixture.read(csv: "sagsnummer;niveau;runde;enhed;indsats;spørgsmål;svar;opfølgning aftalt\r\n"
            + "C-1;1;2025;Nord;32;U.1;Ja;Ja, i maj\r\n")
        #expect(!file.isRejected)
        #expect(file.findings.contains { $0.rule == .unknownColumn && $0.cell == "H1" })
    }

    /// A second CSV column of a kind already read: its content was dropped without a finding (only the first of
    /// each kind is read). Now it is named, and the first column's value is what is stored.
    @Test(arguments: [
        ("sagsnummer;niveau;runde;enhed;indsats;spørgsmål;svar;bemærkning;kommentar\r\n"
            + "C-1;1;2025;Nord;32;U.1;Nej;Første;Anden\r\n", "I1", "H"),
        ("sagsnummer;niveau;runde;enhed;indsats;spørgsmål;svar;bemærkning;Enhed\r\n"
            + "C-1;1;2025;Nord;32;U.1;Nej;Første;Syd\r\n", "I1", "D"),
        ("Sagsnummer,Enhed,Indsats,Niveau,Runde,U.1,U.1 bemærkning,Bemærkning U.1\n"
            + "W-1,Nord,46,1,2025,Nej,Første,Anden\n", "H1", "G"),
        ("Sagsnummer,Enhed,Indsats,Niveau,Runde,U.1,U.1 bemærkning,Enhed\n"
            + "W-1,Nord,46,1,2025,Nej,Første,Syd\n", "H1", "B"),
    ])
    func aSecondCSVColumnOfAKindIsNamed(csv: String, cell: String, first: String) throws {
        let file = Fixture.read(csv: csv)
        let review = try #require(file.reviews.first, "\(file.findings.map(\.line))")
        #expect(review.unit == "Nord")
        #expect(review.answers.first { $0.questionID == "U.1" }?.remark == "Første")
        let finding = try #require(file.findings.first { $0.rule == .unknownColumn }, "\(file.findings.map(\.line))")
        #expect(finding.cell == cell && finding.severity == .warning)
        #expect(finding.message.contains("samme slags som kolonne \(first)"))
        #expect(!finding.line.contains("Anden") && !finding.line.contains("Syd"))
    }

    static let csvBody = "sagsnummer;niveau;runde;enhed;indsats;spørgsmål;svar;bemærkning\r\n"
        + "C-1;1;2025;Nørrebro;§ 32;U.1;Nej;Ikke dokumenteret i sagen, før mødet blev afholdt.\r\n"

    @Test func excelsSepLine() throws {
        let file = Fixture.read(csv: "sep=;\r\n" + Self.csvBody)
        let review = try #require(file.reviews.first, "\(file.findings.map(\.line))")
        #expect(review.unit == "Nørrebro")
        // Cells are named as Excel shows them: the sep line is row 1.
        #expect(review.answers.first?.at.cell == "G3")
    }

    @Test func macRomanCSV() throws {
        // Mac OS Roman by hand (Foundation on Linux does not write it): ø 0xBF, å 0x8C, æ 0xBE, § 0xA4.
        let mac: [Character: UInt8] = ["ø": 0xBF, "å": 0x8C, "æ": 0xBE, "§": 0xA4]
        let bytes = Self.csvBody.flatMap { character in mac[character].map { [$0] } ?? Array(String(character).utf8) }
        #expect(bytes.allSatisfy { $0 < 0x80 || mac.values.contains($0) })
        let file = Fixture.read(bytes, "mac.csv")
        let review = try #require(file.reviews.first, "\(file.findings.map(\.line))")
        #expect(review.unit == "Nørrebro")
        #expect(review.answers.first?.remark == "Ikke dokumenteret i sagen, før mødet blev afholdt.")
    }

    @Test func windows1252CSVStillWindows1252() throws {
        let bytes = try #require(Self.csvBody.data(using: .windowsCP1252))
        let file = Fixture.read([UInt8](bytes), "win.csv")
        #expect(file.reviews.first?.unit == "Nørrebro")
    }

    // MARK: - 10. Values that are almost right

    @Test(arguments: ["14-03-2025 10:30", "2025-03-14 10:30:00", "14.03.2025 10.30", "2025-03-14T10:30:00"])
    func aDateWithATimeIsThatDate(text: String) throws {
        let file = Fixture.read(csv: Fixture.longHeader + "L-1;1;2025;U.1;Ja;;Enhed Vest;32;AB;\(text)\r\n")
        #expect(file.reviews.first?.reviewDate == "2025-03-14", "\(file.findings.map(\.line))")
    }

    @Test func aCatalogueVersionThatDoesNotExist() throws {
        let file = Fixture.read(csv: "sagsnummer;niveau;runde;enhed;indsats;katalog;version;spørgsmål;svar\r\n"
            + "C-1;1;2025;Nord;32;kk-2025;2099.1;U.1;Ja\r\n")
        Self.expectRefused(file, .unknownCatalogue, at: "G2")
    }

    @Test func anEarlierCatalogueVersionIsAWarning() throws {
        let file = Fixture.read(csv: "sagsnummer;niveau;runde;enhed;indsats;katalog;version;spørgsmål;svar\r\n"
            + "C-1;1;2025;Nord;32;kk-2025;2024.1;U.1;Ja\r\n")
        #expect(!file.isRejected)
        #expect(file.findings.contains { $0.rule == .unknownCatalogue && $0.severity == .warning })
    }

    @Test(arguments: [("Ja\u{200B}", "Ja"), ("Ne\u{00AD}j", "Nej"), ("\u{FEFF}ikke relevant", "Ikke relevant")])
    func invisibleCharactersAreRemovedBeforeMatching(typed: String, stored: String) throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        model[cell] = .text(typed)
        let file = Self.read(model)
        let review = try #require(file.reviews.first, "\(file.findings.map(\.line))")
        #expect(review.answers.first { $0.at.cell == cell.description }?.answer == stored)
    }

    @Test func aRefusedValueShowsItsInvisibleCharacters() throws {
        var model = try Self.model()
        let (_, cell) = try Self.applicableQuestion(model)
        model[cell] = .text("jaa\u{200B}")
        let file = Self.read(model)
        Self.expectRefused(file, .answerOutsideScale, at: cell.description)
        #expect(file.findings.contains { $0.message.contains("»jaa<U+200B>«") })
    }

    // MARK: - 8. Folders: every file read or skipped with its reason

    @Test func aFolderWalkListsEveryFileItSkips() throws {
        let directory = try TemporaryDirectory("walk")
        defer { directory.cleanUp() }
        for name in ["b.xlsx", "a.ods", "c.csv", "~$b.xlsx", ".~lock.b.xlsx#", ".DS_Store", "noter.docx"] {
            _ = FileManager.default.createFile(atPath: directory.path(name), contents: Data([1]))
        }
        let walked = try ReturnedFiles.walk([directory.url.path])
        #expect(walked.files.map { ($0 as NSString).lastPathComponent } == ["a.ods", "b.xlsx", "c.csv"])
        let reasons = Dictionary(uniqueKeysWithValues: walked.skipped.map {
            (($0.path as NSString).lastPathComponent, $0.reason)
        })
        #expect(reasons == ["~$b.xlsx": .lockFile, ".~lock.b.xlsx#": .lockFile, ".DS_Store": .hidden,
                            "noter.docx": .otherKind])
        #expect(walked.skipped.map { ReturnedFiles.finding($0).rule } == Array(repeating: .skippedFile, count: 4))
    }

    /// Links are followed: a folder given as a link, a linked folder inside, a linked file; a loop of links is walked
    /// once; a link to nothing is skipped with its reason, never silently.
    @Test func aFolderWalkFollowsLinksAndNamesABrokenOne() throws {
        let directory = try TemporaryDirectory("walk-links")
        defer { directory.cleanUp() }
        let manager = FileManager.default
        for folder in ["svar", "andet", "andet/dybere"] {
            try manager.createDirectory(atPath: directory.path(folder), withIntermediateDirectories: true)
        }
        for name in ["svar/a.xlsx", "andet/b.xlsx", "andet/dybere/c.csv"] {
            _ = manager.createFile(atPath: directory.path(name), contents: Data([1]))
        }
        for (link, target) in [
            ("svar/andet", "andet"), ("andet/dybere/op", "andet"), ("svar/l.xlsx", "andet/b.xlsx"),
            ("svar/væk.xlsx", "ingen.xlsx"), ("genvej", "svar"),
        ] {
            try manager.createSymbolicLink(atPath: directory.path(link), withDestinationPath: directory.path(target))
        }

        for root in ["svar", "genvej"] {
            let walked = try ReturnedFiles.walk([directory.path(root)])
            let prefix = directory.path(root) + "/"
            #expect(walked.files.map { String($0.dropFirst(prefix.count)) } == [
                "a.xlsx", "andet/b.xlsx", "andet/dybere/c.csv", "l.xlsx",
            ], "\(root)")
            #expect(walked.skipped.map(\.path) == [prefix + "væk.xlsx"])
            #expect(walked.skipped.map(\.reason) == [.brokenLink])
            #expect(ReturnedFiles.finding(walked.skipped[0]).message.contains("ikke findes"))
        }
    }
}

/// The Danish label of a metadata key, as findings start with it.
enum ReturnedFileTestsLabel {
    static func label(_ key: String) -> String {
        TemplateWriter.metadataLabels.first { $0.key == key }?.label ?? key
    }
}

/// Random edits of a filled template: whatever happens to the workbook, every answer cell the reviewer filled is
/// stored with its exact normalised value or named in a finding, and nothing else is stored.
@Suite struct ReturnedFilePropertyTests {
    typealias Fidelity = ReturnedFileFidelityTests

    /// The answers a reviewer may type, each as the cell would hold it.
    static let typed: [WorkbookModel.Value] = [
        .text("ja"), .text("NEJ "), .text("i.r."), .text("Ikke relevant"), .text("jaa"), .text("Ja\u{200B}"),
        .bool(true), .bool(false), .formula("\"Ja\"", cached: nil), .formula("\"Nej\"", cached: "Nej"), .number(1),
        .text("Høj grad"), .text("lav"),
    ]

    /// Applies edit `code` (an edit kind and its argument) to `model`.
    static func apply(_ code: Int, to model: inout WorkbookModel) {
        let kind = code % 11
        let argument = code / 11
        let filled = model.tags.keys.sorted()
        let table = Fidelity.table(model)
        switch kind {
        case 0: model.insertRow(before: 1 + argument % (table.rows.upperBound + 2))
        case 1: if !filled.isEmpty { model.deleteRow(filled[argument % filled.count].row) }
        case 2: model.insertColumn(before: 1 + argument % 7)
        case 3: model.shiftColumnsRight(from: 5, rows: table.header...table.rows.upperBound)
        case 4: if !filled.isEmpty { model[filled[argument % filled.count]] = nil }
        case 5:
            if !filled.isEmpty { model[filled[argument % filled.count]] = typed[argument % typed.count] }
        case 6: model.renameAnswerSheet("Ark \(argument % 5)")
        case 7: model.dropMeta()
        case 8: model.dropNames()
        case 9: if !filled.isEmpty { model.moveRow(filled[argument % filled.count].row, to: 500 + argument % 50) }
        default:
            // A remark typed or cleared.
            let remarks = filled.filter { model.tags[$0]?.isRemark == true }
            if !remarks.isEmpty {
                model[remarks[argument % remarks.count]] = argument % 2 == 0 ? nil : .text("Uddybet \(argument).")
            }
        }
    }

    @Test func everyFilledAnswerCellIsStoredExactlyOrNamed() async throws {
        let base = try Fidelity.model()
        let accepted = Mutex(0)
        await propertyCheck(count: 150, input: Gen.int(in: 0...10_000).array(of: 1...6)) { edits in
            var model = base
            for edit in edits { Self.apply(edit, to: &model) }
            let file = Fidelity.read(model)
            if file.isRejected {
                // Refused: nothing is stored, and the reviewer is told where to look.
                #expect(file.findings.contains { $0.severity == .error && !$0.message.isEmpty })
                return
            }
            accepted.withLock { $0 += 1 }
            let review = try #require(file.reviews.first)
            let stored = Dictionary(review.answers.map { ($0.questionID, $0) }, uniquingKeysWith: { a, _ in a })
            let named = Set(file.findings.map { "\($0.sheet)!\($0.cell)" })
            for (address, tag) in model.tags {
                guard let text = WorkbookModel.text(model[address])?.trimmingCharacters(in: .whitespaces),
                    !text.isEmpty
                else { continue }
                if named.contains("\(model.answerSheet)!\(address)") { continue }
                if tag.isRemark {
                    #expect(stored[tag.questionID]?.remark?.trimmingCharacters(in: .whitespaces) == text,
                            "remark \(tag.questionID), edits \(edits)")
                } else {
                    #expect(stored[tag.questionID]?.answer == Fidelity.canonical(text, question: tag.questionID),
                            "answer \(tag.questionID) at \(address), edits \(edits)")
                }
            }
            // Nothing stored that no filled answer cell holds.
            let filled = Set(model.tags.filter { !$0.value.isRemark && WorkbookModel.text(model[$0.key]) != nil }
                .map(\.value.questionID))
            for answer in review.answers where answer.answer != nil {
                #expect(filled.contains(answer.questionID), "\(answer.questionID) stored from nothing, edits \(edits)")
            }
        }
        // The property says something only if edits leave many files readable: at least a fifth are accepted.
        #expect(accepted.withLock { $0 } >= 30)
    }
}

/// The same classes of change made by the tools reviewers and scripts use: openpyxl (which writes formulas without
/// results, keeps names where they were when rows and columns move, and writes booleans) and LibreOffice (which
/// saves the workbook anew). Each result is compared with what the untouched template stores.
@Suite(.serialized) struct ReturnedFileToolTests {
    typealias Fidelity = ReturnedFileFidelityTests

    /// Question id → (answer, remark) as the untouched template stores them.
    static func baseline() throws -> [String: [String?]] {
        let file = ReturnedFileReader.read(
            bytes: try ReturnedFileTests.template(), name: "base.xlsx", catalogues: ReturnedFileTests.catalogues,
            options: ImportOptions())
        let review = try #require(file.reviews.first)
        return Dictionary(uniqueKeysWithValues: review.answers.map { ($0.questionID, [$0.answer, $0.remark]) })
    }

    /// A question that applies to the case, filled, with a question below it of the same step that also applies.
    static let question: String = {
        let applicable = ReturnedFileTests.catalogue.questions.filter { $0.applies(to: Fidelity.review.record.indsats) }
        return applicable.first { q in
            let next = applicable.drop { $0.id != q.id }.dropFirst().prefix(2)
            return next.count == 2 && next.allSatisfy { $0.step == q.step }
        }?.id ?? "U.1"
    }()

    enum Expectation: Sendable {
        /// Accepted, every answer as in the untouched template except these ids (absent).
        case sameAs(except: [String])
        /// Refused with this rule at the cell the script prints.
        case refused(Finding.Rule)
    }

    /// A Python snippet run with `wb` (the workbook), `ws` (the Tilsyn sheet), `row` (the question's row) and
    /// `cell` (its answer cell) defined; it may `print` a cell reference for the expectation.
    static let edits: [(name: String, script: String, expected: Expectation)] = [
        ("formula without result", "ws[cell] = '=IF(1=1,\"Ja\",\"Nej\")'\nprint(cell)", .refused(.unreadableCell)),
        ("merged over three answers",
         "ws.merge_cells(f'E{row}:E{row + 2}')\nprint(f'E{row + 1}')", .refused(.unreadableCell)),
        ("unticked check box", "ws[cell] = False\nprint(cell)", .refused(.unreadableCell)),
        ("ticked check box", "ws[cell] = True\nprint(cell)", .refused(.unreadableCell)),
        ("answer cleared", "ws[cell] = None\nprint(cell)", .refused(.missingAnswer)),
        ("row copied below the table, answered differently",
         "for c in 'ABCDEF':\n    ws[f'{c}300'] = ws[f'{c}{row}'].value\nws['E300'] = 'Nej' if ws[cell].value != 'Nej' else 'Ja'\nprint('E300')",
         .refused(.duplicateQuestion)),
        ("column inserted before Svar, names left behind", "ws.insert_cols(5)", .sameAs(except: [])),
        ("row inserted above the table, names left behind", "ws.insert_rows(2)", .sameAs(except: [])),
        ("question row deleted, names left behind", "ws.delete_rows(row)", .sameAs(except: [Self.question])),
        ("sheet renamed", "ws.title = 'Gennemgang'", .sameAs(except: [])),
        ("meta sheet removed", "del wb['TilsynMeta']", .sameAs(except: [])),
        ("remark header renamed Begrundelse",
         "for r in ws.iter_rows():\n    for c in r:\n        if c.value == 'Bemærkning': c.value = 'Begrundelse'",
         .sameAs(except: [])),
    ]

    @Test(.enabled(if: TestPaths.python != nil || TestPaths.isCI, "needs .venv with openpyxl"),
          arguments: Self.edits.indices)
    func editedWithOpenpyxl(index: Int) throws {
        let python = try #require(TestPaths.python, "no .venv/bin/python: .ci/run creates it")
        let edit = Self.edits[index]
        let directory = try TemporaryDirectory("openpyxl-variant")
        defer { directory.cleanUp() }
        try Data(try ReturnedFileTests.template()).write(to: URL(fileURLWithPath: directory.path("a.xlsx")))
        let script = """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb['Tilsyn']
            cell = wb.defined_names['\(TemplateWriter.answerName(Self.question))'].attr_text.split('!')[1].replace('$', '')
            row = ws[cell].row

            """ + edit.script + "\nwb.save(sys.argv[2])\n"
        let result = try runPython(python, script: script, arguments: [directory.path("a.xlsx"), directory.path("b.xlsx")])
        try #require(result.status == 0, "\(edit.name): \(result.stderr)")
        let file = ReturnedFileReader.read(
            path: directory.path("b.xlsx"), catalogues: ReturnedFileTests.catalogues, options: ImportOptions())
        try Self.check(file, edit.expected, printed: result.stdout, name: edit.name)
    }

    static func check(_ file: ReturnedFile, _ expected: Expectation, printed: String, name: String) throws {
        switch expected {
        case .refused(let rule):
            Fidelity.expectRefused(file, rule, at: printed.trimmingCharacters(in: .whitespacesAndNewlines))
        case .sameAs(let except):
            let review = try #require(file.reviews.first, "\(name): \(file.findings.map(\.line).joined(separator: "\n"))")
            #expect(!file.isRejected, "\(name)")
            var expected = try baseline()
            for id in except { expected[id] = nil }
            let stored = Dictionary(uniqueKeysWithValues: review.answers.map { ($0.questionID, [$0.answer, $0.remark]) })
            #expect(stored == expected, "\(name)")
        }
    }

    @Test(.enabled(if: ExternalTools.soffice != nil || TestPaths.isCI, "needs LibreOffice (soffice)"))
    func savedAgainByLibreOffice() throws {
        let soffice = try #require(ExternalTools.soffice, "no soffice: .ci/run installs libreoffice-calc-nogui")
        let directory = try TemporaryDirectory("lo-variant")
        defer { directory.cleanUp() }
        let input = directory.url.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try Data(try ReturnedFileTests.template()).write(to: input.appendingPathComponent("svar.xlsx"))
        let output = directory.url.appendingPathComponent("out")
        let run = try ExternalTools.convertWithLibreOffice(
            soffice, files: [input.appendingPathComponent("svar.xlsx").path], to: "xlsx", outputDirectory: output)
        try #require(run.status == 0, "\(run.output)")
        let file = ReturnedFileReader.read(
            path: output.appendingPathComponent("svar.xlsx").path, catalogues: ReturnedFileTests.catalogues,
            options: ImportOptions())
        try Self.check(file, .sameAs(except: []), printed: "", name: "LibreOffice")
    }
}
