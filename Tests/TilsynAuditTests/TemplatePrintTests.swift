import Foundation
import Testing
import TilsynAudit
import TilsynSheets
import TilsynTestSupport

/// Templates as reviewers print and fill them: LibreOffice prints them to PDF with every question and guidance text
/// whole (rows as high as their wrapped text, every sheet one page wide), and openpyxl sees the row heights, the
/// dropdowns on the case's metadata and the prefills by age.
@Suite(.serialized) struct TemplatePrintTests {
    static let catalogue = ReturnedFileTests.catalogue

    /// A 12-year-old's § 32 case: the ungeplan question (16 years and older) does not apply by age.
    static let record = CaseRecord(
        sagsnummer: "S-2025-0042", enhed: "Enhed Nord", indsats: .stottende, alder: 12, udgangspunkt: "Underretning",
        udgangspunktDato: "03-02-2025", line: 2)

    static func template() throws -> [UInt8] {
        try TemplateWriter.bytes(
            catalogue: catalogue, case: record,
            options: TemplateOptions(
                kommune: "Eksempel Kommune", round: "2025", level: 1, units: ["Enhed Nord", "Enhed Syd"]))
    }

    /// One word of a PDF page with its position, from `pdftotext -bbox-layout`.
    struct Word {
        var page: Int
        var x: Double
        var y: Double
        var text: String
    }

    static func words(_ pdf: String) throws -> [Word] {
        let pdftotext = try #require(ExternalTools.find(["pdftotext"]), "no pdftotext: .ci/run installs poppler-utils")
        let html = pdf + ".html"
        let result = try runProcess(pdftotext, ["-bbox-layout", pdf, html])
        try #require(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        var words: [Word] = []
        var page = 0
        for line in text.split(separator: "\n") {
            if line.contains("<page ") { page += 1 }
            guard let start = line.range(of: "<word "), let close = line.range(of: ">", range: start.upperBound..<line.endIndex),
                let end = line.range(of: "</word>")
            else { continue }
            func attribute(_ name: String) -> Double {
                guard let range = line.range(of: name + "=\"") else { return 0 }
                let rest = line[range.upperBound...]
                return Double(rest.prefix { $0 != "\"" }) ?? 0
            }
            let raw = String(line[close.upperBound..<end.lowerBound])
            let word = raw.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&#39;", with: "'")
            words.append(Word(page: page, x: attribute("xMin"), y: attribute("yMin"), text: word))
        }
        return words
    }

    static func normalised(_ text: String) -> String {
        text.split { $0.isWhitespace }.joined(separator: " ")
    }

    /// The text of the words between two header words' x positions, page by page, in reading order.
    static func column(_ words: [Word], from left: String, to right: String) throws -> String {
        var result = ""
        for page in Set(words.map(\.page)).sorted() {
            let onPage = words.filter { $0.page == page }
            guard let start = onPage.first(where: { $0.text == left })?.x,
                let end = onPage.first(where: { $0.text == right })?.x
            else { continue }
            let inColumn = onPage.filter { $0.x >= start - 1 && $0.x < end - 1 }
                .sorted { abs($0.y - $1.y) > 2 ? $0.y < $1.y : $0.x < $1.x }
            result += inColumn.map(\.text).joined(separator: " ") + " "
        }
        return normalised(result)
    }

    @Test(.enabled(if: (ExternalTools.soffice != nil && ExternalTools.find(["pdftotext"]) != nil) || TestPaths.isCI,
                   "needs LibreOffice and pdftotext"))
    func printedByLibreOfficeEveryTextWholeAndOnePageWide() throws {
        let soffice = try #require(ExternalTools.soffice, "no soffice: .ci/run installs libreoffice-calc-nogui")
        let directory = try TemporaryDirectory("template-pdf")
        defer { directory.cleanUp() }
        let input = directory.path("skabelon.xlsx")
        try Data(try Self.template()).write(to: URL(fileURLWithPath: input))
        let run = try ExternalTools.convertWithLibreOffice(soffice, files: [input], to: "pdf", outputDirectory: directory.url)
        try #require(run.status == 0, "\(run.output)")
        let words = try Self.words(directory.path("skabelon.pdf"))
        let questions = Self.catalogue.allQuestions

        // Every page of the question sheet repeats the header with all seven columns: one page wide.
        let tablePages = Set(words.filter { $0.text == "Lovgrundlag" }.map(\.page))
        #expect(tablePages.count >= 2)
        for page in tablePages {
            let texts = Set(words.filter { $0.page == page }.map(\.text))
            #expect(texts.isSuperset(of: ["Id", "Spørgsmål", "Vejledning", "Svar", "Bemærkning", "Pejlemærke"]),
                    "page \(page) lacks a column")
        }
        // Each question's and each guidance text's words, whole and in order, in its column.
        let questionColumn = try Self.column(words, from: "Spørgsmål", to: "Vejledning")
        let helpColumn = try Self.column(words, from: "Vejledning", to: "Lovgrundlag")
        for question in questions {
            #expect(questionColumn.contains(Self.normalised(question.text)), "\(question.id) text cut or overlapped")
            #expect(helpColumn.contains(Self.normalised(question.help)), "\(question.id) guidance cut or overlapped")
        }
        // The Vejledning sheet: every line whole, on one page.
        let guidePage = try #require(words.first { $0.text == "Sådan" }?.page)
        let guide = Self.normalised(words.filter { $0.page == guidePage }.map(\.text).joined(separator: " "))
        // Every line of the Vejledning sheet, as the workbook holds it, whole in the PDF.
        let workbook = try Workbook(bytes: try Self.template(), name: "t.xlsx")
        let vejledning = try workbook.load(try #require(workbook.sheet(named: TemplateWriter.guideSheetName)))
        let lines = vejledning.rows.compactMap { row -> String? in
            if case .string(let text)? = row[column: 1]?.value { return text }
            return nil
        }
        #expect(lines.count >= 12)
        for line in lines { #expect(guide.contains(Self.normalised(line)), "guide line cut: \(line)") }
        for line in [TemplateWriter.disclaimer(Self.catalogue), Self.catalogue.scope] {
            #expect(lines.contains(line))
        }
        #expect(!words.contains { $0.page == guidePage && $0.x > 560 }, "the guide runs off the page's right edge")
    }

    @Test(.enabled(if: TestPaths.python != nil || TestPaths.isCI, "needs .venv with openpyxl"))
    func openpyxlSeesHeightsDropdownsAndPrefills() throws {
        let python = try #require(TestPaths.python, "no .venv/bin/python: .ci/run creates it")
        let directory = try TemporaryDirectory("template-openpyxl")
        defer { directory.cleanUp() }
        let path = directory.path("skabelon.xlsx")
        try Data(try Self.template()).write(to: URL(fileURLWithPath: path))
        let script = """
            import sys, json, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb['Tilsyn']
            names = {n: wb.defined_names[n].attr_text.split('!')[1].replace('$', '') for n in wb.defined_names}
            heights = {}
            for n, ref in names.items():
                if n.startswith('Svar_'):
                    heights[n[5:].replace('_', '.')] = ws.row_dimensions[ws[ref].row].height
            validated = {}
            for dv in ws.data_validations.dataValidation:
                for r in str(dv.sqref).split():
                    validated[r] = [dv.type, dv.formula1]
            meta = {k: [names[k], validated.get(names[k]), ws[names[k]].protection.locked]
                    for k in ['Enhed', 'Indsats', 'Alder', 'Udgangspunkt']}
            p6 = names['Svar_P_6']
            print(json.dumps({'heights': heights, 'meta': meta,
                              'p6': [ws[p6].value, ws[p6].protection.locked],
                              'props': wb.properties.description, 'fit': ws.page_setup.fitToWidth}))
            """
        let result = try runPython(python, script: script, arguments: [path])
        try #require(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let heights = try #require(json["heights"] as? [String: Double])
        // Each row as high as its longest wrapped text: computed, so rows differ, and none is Excel's bare 15.
        for question in Self.catalogue.allQuestions {
            let lines = [(question.text, 48.0), (question.help, 55.0)].map {
                TextMetrics.lineCount($0.0, columnWidth: $0.1)
            }.max() ?? 1
            let height = try #require(heights[question.id])
            #expect(height >= TextMetrics.rowHeight(lines: lines), "\(question.id)")
        }
        #expect(Set(heights.values).count > 2)
        let meta = try #require(json["meta"] as? [String: [Any]])
        for key in ["Enhed", "Indsats", "Alder", "Udgangspunkt"] {
            let entry = try #require(meta[key])
            #expect((entry[1] as? [Any])?.first as? String == (key == "Alder" ? "whole" : "list"), "\(key) dropdown")
            #expect(entry[2] as? Bool == false, "\(key) is locked")
        }
        let enhed = try #require((meta["Enhed"]?[1] as? [Any])?.last as? String)
        #expect(enhed == "\"Enhed Nord,Enhed Syd\"")
        // P.6 applies from 16 years: prefilled for the 12-year-old, still open to the reviewer.
        let p6 = try #require(json["p6"] as? [Any])
        #expect(p6[0] as? String == "Ikke relevant")
        #expect(p6[1] as? Bool == false)
        #expect((json["props"] as? String)?.hasPrefix("Skabelonen er ikke en officiel skabelon") == true)
        #expect(json["fit"] as? Int == 1)
    }

    @Test func theTitleSaysLedelsestilsynOnceAndTheLabelsAreDanish() throws {
        let workbook = try Workbook(bytes: try Self.template(), name: "t.xlsx")
        let sheet = try workbook.load(try #require(workbook.sheet(named: TemplateWriter.sheetName)))
        guard case .string(let title)? = sheet["A1"] else { Issue.record("no title"); return }
        #expect(title.lowercased().components(separatedBy: "ledelsestilsyn").count == 2, "\(title)")
        let texts = sheet.rows.flatMap(\.cells).compactMap { cell -> String? in
            if case .string(let text) = cell.value { return text }
            return nil
        }
        #expect(texts.contains("Gennemført af (initialer)"))
        #expect(!texts.contains { $0.contains("Reviewer") })
        #expect(texts.contains("Pejlemærke"))
        // The disclaimer is in the properties and on the Vejledning sheet, not above the questions.
        #expect(!texts.contains { $0.contains("ikke Social- og Boligstyrelsens ordlyd") })
    }

    @Test func onlyTheChosenStepsAndTheirQuestionsAreAsked() throws {
        let bytes = try TemplateWriter.bytes(
            catalogue: Self.catalogue, case: Self.record, options: TemplateOptions(round: "2025", level: 1, steps: ["U", "S"]))
        let filled = try TemplateReader.read(bytes: bytes, name: "t.xlsx")
        let expected = Self.catalogue.allQuestions.filter { ["U", "S"].contains($0.step) }.map(\.id)
        #expect(filled.answers.keys.sorted() == expected.sorted())
        #expect(filled.steps == ["U", "S"])
    }

    @Test func sbsCataloguesDoNotApplyToAnbringelseUdenSamtykke() throws {
        let store = ReturnedFileTests.store
        for id in ["sbs-overordnet", "sbs-tematiseret"] {
            let catalogue = try store.load(id)
            #expect(catalogue.allQuestions.allSatisfy { !$0.applies(to: .anbringelseUdenSamtykke) }, "\(id)")
            #expect(catalogue.scope.contains("§ 47"))
            #expect(catalogue.source.contains("afledt"))
        }
    }
}
