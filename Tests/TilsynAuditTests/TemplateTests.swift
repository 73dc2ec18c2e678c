import Foundation
import Testing
import TilsynAudit
import TilsynSheets
import TilsynTestSupport

/// Reviewer templates: structure checked by Tilsyn's reader, openpyxl and LibreOffice; filled templates read back.
@Suite struct TemplateTests {
    static let store = CatalogueStore(schemas: TestPaths.packageRoot.appendingPathComponent("Schemas"))
    static let ids = ["kk-2025", "sbs-overordnet", "sbs-tematiseret"]
    static let record = CaseRecord(
        sagsnummer: "S-2024/17", enhed: "Nord", indsats: .forebyggende, alder: 11, udgangspunkt: "Underretning",
        udgangspunktDato: "03-02-2024", extra: [MetadataField(key: "team", value: "T4")], line: 2)
    static let options = TemplateOptions(kommune: "København", round: "2025", level: 2)

    @Test(arguments: ids) func structureAsTilsynReadsIt(id: String) throws {
        let catalogue = try Self.store.load(id)
        let bytes = try TemplateWriter.bytes(catalogue: catalogue, case: Self.record, options: Self.options)
        let workbook = try Workbook(bytes: bytes, name: "t.xlsx")
        #expect(workbook.sheets.map(\.name) == ["Tilsyn", "Vejledning", "TilsynMeta"])
        #expect(workbook.sheets[2].visibility == .veryHidden)
        let sheet = try workbook.load(workbook.sheets[0])
        #expect(sheet.isProtected)
        let names = Dictionary(workbook.definedNames.map { ($0.name, $0.formula) }, uniquingKeysWith: { a, _ in a })
        for key in ["Sagsnummer", "Enhed", "Indsats", "Alder", "Niveau", "Runde", "Reviewer", "Dato"] {
            #expect(names[key] != nil, "\(key)")
        }
        // Drop-downs on exactly the answer cells, plus the metadata a reviewer may correct (Niveau, Enhed, Indsats,
        // Udgangspunkt; Alder has a whole-number rule).
        var answerCells: Set<String> = []
        for question in catalogue.allQuestions {
            let formula = try #require(names[TemplateWriter.answerName(question.id)])
            answerCells.insert(String(formula.split(separator: "!")[1].filter { $0 != "$" }))
            #expect(names[TemplateWriter.remarkName(question.id)] != nil)
        }
        func cell(_ name: String) -> String {
            String((names[name] ?? "").split(separator: "!").last?.filter { $0 != "$" } ?? "")
        }
        var validated: Set<String> = []
        for validation in sheet.dataValidations where validation.listValues != nil {
            for range in validation.ranges { validated.insert(range.description) }
        }
        #expect(validated == answerCells.union(["Niveau", "Enhed", "Indsats", "Udgangspunkt"].map(cell)))
        // Questions that do not apply to the § 30 case or the 11-year-old are prefilled.
        let filled = try TemplateReader.read(bytes: bytes, name: "t.xlsx")
        for question in catalogue.allQuestions {
            let answer = filled.answers[question.id]?.answer.value
            let applies = question.applies(to: .forebyggende) && question.applies(toAge: 11)
            #expect(answer == (applies ? nil : "Ikke relevant"), "\(question.id)")
        }
        #expect(filled.metadata["Sagsnummer"]?.value == "S-2024/17")
        #expect(filled.metadata["Alder"]?.value == "11")
        #expect(filled.metadata["team"]?.value == "T4")
        #expect(filled.metadata["Niveau"]?.value == "2")
        #expect(filled.catalogueID == id && filled.missing.isEmpty)
    }

    @Test func fileNamesAreSanitised() {
        #expect(TemplateWriter.fileName(for: Self.record) == "S-2024_17.xlsx")
        #expect(TemplateWriter.fileName(for: nil) == "tilsyn-skabelon.xlsx")
    }

    static let openpyxlCheck = """
        import sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb["Tilsyn"]
        meta = wb["TilsynMeta"]
        assert meta.sheet_state == "veryHidden", meta.sheet_state
        assert ws.protection.sheet, "not protected"
        assert ws.freeze_panes is not None
        names = {n: wb.defined_names[n].attr_text for n in wb.defined_names}
        ids = [r[1] for r in meta.iter_rows(values_only=True) if r[0] == "spørgsmål"]
        answers = {names["Svar_" + i.replace(".", "_")].split("!")[1].replace("$", "") for i in ids}
        metadata = {names[k].split("!")[1].replace("$", "") for k in ["Niveau", "Enhed", "Indsats", "Alder", "Udgangspunkt"]}
        validated = set()
        for dv in ws.data_validations.dataValidation:
            validated |= {str(c) for r in dv.sqref.ranges for c in [r.coord]}
        assert validated - metadata == answers, (sorted(validated - answers), sorted(answers - validated))
        unlocked = {c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked is False}
        prefilled = [a for a in answers if ws[a].value == "Ikke relevant"]
        # Every answer cell is open, the prefilled ones too: the reviewer may overrule a prefill.
        assert all(a in unlocked for a in answers)
        assert all(m in unlocked for m in metadata - {names["Niveau"].split("!")[1].replace("$", "")})
        print(len(ids), len(prefilled))
        """

    @Test(.needsPython, arguments: ids) func openpyxlSeesDropdownsProtectionAndHiddenMeta(id: String) throws {
        let python = try #require(TestPaths.python, "no .venv/bin/python: bash .ci/run creates it")
        let directory = try TemporaryDirectory("template")
        defer { directory.cleanUp() }
        let catalogue = try Self.store.load(id)
        let path = directory.path("t.xlsx")
        try TemplateWriter.write(catalogue: catalogue, case: Self.record, options: Self.options, to: path)
        let result = try runPython(python, script: Self.openpyxlCheck, arguments: [path])
        #expect(result.status == 0, "\(result.stderr)")
        let inapplicable = catalogue.allQuestions.filter {
            !$0.applies(to: .forebyggende) || !$0.applies(toAge: Self.record.alder)
        }.count
        #expect(result.stdout == "\(catalogue.allQuestions.count) \(inapplicable)\n")
    }

    @Test(arguments: ids) func libreOfficeOpensTheTemplate(id: String) throws {
        let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/opt/libreoffice/program/soffice"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let soffice else {
            if TestPaths.isCI { Issue.record("soffice is missing: .ci/run must install libreoffice-calc-nogui") }
            return
        }
        let directory = try TemporaryDirectory("libreoffice")
        defer { directory.cleanUp() }
        let catalogue = try Self.store.load(id)
        try TemplateWriter.write(
            catalogue: catalogue, case: Self.record, options: Self.options, to: directory.path("t.xlsx"))
        let result = try runProcess(URL(fileURLWithPath: soffice), [
            "-env:UserInstallation=file://\(directory.path("profile"))", "--headless", "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76", "--outdir", directory.path("out"), directory.path("t.xlsx"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOfFile: directory.path("out/t.csv"), encoding: .utf8)
        #expect(csv.contains("Sagsnummer/pseudonym;S-2024/17"))
        #expect(csv.contains("Bemærkning"))
        for question in catalogue.allQuestions {
            #expect(csv.contains(question.text), "\(question.id)")
        }
        #expect(csv.contains("Ikke relevant") == catalogue.allQuestions.contains { !$0.applies(to: .forebyggende) })
    }

    static let fillScript = """
        import sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb["Tilsyn"]
        names = {n: wb.defined_names[n].attr_text for n in wb.defined_names}
        def cell(name):
            return ws[names[name].split("!")[1].replace("$", "")]
        cell("Reviewer").value = "ABC"
        cell("Dato").value = "12-09-2025"
        cell("Svar_U_1").value = "Ja"
        cell("Bemaerkning_U_1").value = "Vurderet samme dag."
        cell("Svar_B_2").value = "Nej"
        cell("Bemaerkning_B_2").value = "Undersøgelsen tog 5 måneder; ingen foreløbig vurdering."
        cell("Svar_T_1").value = "Nogen grad"
        # Move the row of I.1 far down (the defined names keep pointing at the old row) and answer it there.
        row = cell("Svar_I_1").row
        ws.move_range(f"A{row}:F{row}", rows=200 - row)
        ws["E200"].value = "Nej"
        ws["F200"].value = "Ingen samtale – begrundelse mangler."
        # Add a row and a column of the reviewer's own at the end, and rename the sheet.
        ws["H5"].value = "Egen note"
        ws.title = "Gennemgang"
        wb.save(sys.argv[2])
        """

    @Test(.needsPython) func filledByOpenpyxlReadsBackByQuestionID() throws {
        let python = try #require(TestPaths.python, "no .venv/bin/python: bash .ci/run creates it")
        let directory = try TemporaryDirectory("filled")
        defer { directory.cleanUp() }
        let catalogue = try Self.store.load("kk-2025")
        let record = CaseRecord(sagsnummer: "P-9", enhed: "Syd", indsats: .stottende, alder: 14, line: 2)
        try TemplateWriter.write(catalogue: catalogue, case: record, options: Self.options, to: directory.path("a.xlsx"))
        let result = try runPython(
            python, script: Self.fillScript, arguments: [directory.path("a.xlsx"), directory.path("b.xlsx")])
        try #require(result.status == 0, "\(result.stderr)")
        let filled = try TemplateReader.read(path: directory.path("b.xlsx"))
        #expect(filled.sheetName == "Gennemgang")
        #expect(filled.missing.isEmpty)
        #expect(filled.metadata["Reviewer"]?.value == "ABC")
        #expect(filled.metadata["Dato"]?.value == "12-09-2025")
        #expect(filled.metadata["Sagsnummer"]?.value == "P-9")
        let expected: [String: (String, String?)] = [
            "U.1": ("Ja", "Vurderet samme dag."),
            "B.2": ("Nej", "Undersøgelsen tog 5 måneder; ingen foreløbig vurdering."),
            "T.1": ("Nogen grad", nil),
            "I.1": ("Nej", "Ingen samtale – begrundelse mangler."),
        ]
        var given: [String: (String?, String?)] = [:]
        for (id, answer) in filled.answers where answer.answer.value != nil || answer.remark.value != nil {
            given[id] = (answer.answer.value, answer.remark.value)
        }
        // Only questions that do not apply to § 32 or a 14-year-old carry a prefilled "Ikke relevant" besides the
        // answers given.
        let prefilled = Set(catalogue.allQuestions.filter { !$0.applies(to: .stottende) || !$0.applies(toAge: 14) }
            .map(\.id))
        #expect(Set(given.keys) == Set(expected.keys).union(prefilled))
        for (id, (answer, remark)) in expected {
            #expect(given[id]?.0 == answer, "\(id)")
            #expect(given[id]?.1 == remark, "\(id)")
        }
        #expect(filled.answers["I.1"]?.answer.cell == "Gennemgang!E200")
        #expect(filled.answers["U.1"]?.answer.cell.hasPrefix("Gennemgang!E") == true)
    }

    @Test func caseListInEitherDialect() throws {
        let semicolon = "\u{FEFF}sagsnummer;enhed;indsats;alder;udgangspunkt;udgangspunkt_dato;team\r\n"
            + "S-1;Nord;§ 32;12;Underretning;03-02-2024;T1\r\n"
        let comma = "sagsnummer,enhed,indsats,alder,udgangspunkt,udgangspunkt_dato,team\nS-1,Nord,32,12,Underretning,"
            + "03-02-2024,T1\n"
        for text in [semicolon, comma] {
            let list = try CaseList.read(bytes: Array(text.utf8), name: "sager.csv")
            #expect(list.cases == [CaseRecord(
                sagsnummer: "S-1", enhed: "Nord", indsats: .stottende, alder: 12, udgangspunkt: "Underretning",
                udgangspunktDato: "03-02-2024", extra: [MetadataField(key: "team", value: "T1")], line: 2)])
        }
        let bad = "sagsnummer;enhed;indsats\nHEMMELIG-1;Nord;33\n"
        let error = try #require(throws: CatalogueError.self) {
            try CaseList.read(bytes: Array(bad.utf8), name: "sager.csv")
        }
        #expect(error.description.hasPrefix("sager.csv: line 2: indsats must be"))
        #expect(!error.description.contains("HEMMELIG"))
    }
}
