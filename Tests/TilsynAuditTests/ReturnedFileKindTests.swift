import Foundation
import Testing
import TilsynAudit
import TilsynSamples
import TilsynSheets
import TilsynTestSupport

/// Issue 12, class 13: one clear Danish finding per kind of wrong file, recognised by content rather than name;
/// and OpenDocument spreadsheets, which are read.
@Suite struct ReturnedFileKindTests {
    static let catalogues = ReturnedFileTests.catalogues

    static func read(_ bytes: [UInt8], _ name: String) -> ReturnedFile {
        ReturnedFileReader.read(bytes: bytes, name: name, catalogues: catalogues, options: ImportOptions())
    }

    static let template: [UInt8] = (try? ReturnedFileTests.template()) ?? []

    static let cfb: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 600)

    /// (label, bytes, file name, rule, words the message must contain).
    static let kinds: [(String, [UInt8], String, Finding.Rule, String)] = [
        ("xls", cfb, "svar.xlsx", .legacyXLS, "gamle Excel-format (.xls)"),
        ("encrypted", cfb + Array("EncryptionInfo".utf8).flatMap { [$0, 0] }, "svar.xlsx", .passwordProtected,
            "adgangskode"),
        ("csv", Array("Sagsnummer;Spørgsmål;Svar\r\nS-1;U.1;Ja\r\nS-1;U.2;Nej\r\n".utf8), "svar.xlsx", .wrongFileType,
            "CSV-tekstfil"),
        ("html", Array("<!DOCTYPE html><html><body><table><tr><td>Ja</td></tr></table></body></html>".utf8),
            "svar.xlsx", .wrongFileType, "webside (HTML)"),
        ("pdf", Array("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".utf8), "svar.xlsx", .wrongFileType,
            "PDF-dokument"),
        ("docx", ZipBuilder([
            .init("[Content_Types].xml", "<Types/>"), .init("word/document.xml", "<w:document/>"),
        ]).build(), "svar.xlsx", .wrongFileType, "Word-dokument"),
        ("text", Array("Hej,\nsvarene kommer i morgen.\nMvh AB\n".utf8), "svar.xlsx", .wrongFileType, "tekstfil"),
        ("odt", ZipBuilder([.init("mimetype", "application/vnd.oasis.opendocument.text", deflate: false)]).build(),
            "svar.xlsx", .wrongFileType, "OpenDocument-dokument"),
        ("xlsb", ZipBuilder([.init("[Content_Types].xml", "<Types/>"), .init("xl/workbook.bin", "x")]).build(),
            "svar.xlsx", .wrongFileType, "binær Excel-projektmappe (.xlsb)"),
        ("truncated", Array(template.prefix(template.count / 2)), "svar.xlsx", .unreadable, "ufuldstændig"),
        ("empty", [], "svar.xlsx", .unreadable, "tom (0 byte)"),
    ]

    @Test("each kind of wrong file gets its own Danish finding", arguments: kinds.map(\.0))
    func wrongFiles(label: String) throws {
        let (_, bytes, name, rule, words) = try #require(Self.kinds.first { $0.0 == label })
        let file = Self.read(bytes, name)
        #expect(file.isRejected, "\(label)")
        #expect(file.reviews.isEmpty, "\(label)")
        #expect(file.findings.count == 1, "\(label): \(file.findings.map(\.message))")
        let finding = file.findings.first
        #expect(finding?.rule == rule, "\(label)")
        #expect(finding?.severity == .error, "\(label)")
        #expect(finding?.file == name, "\(label)")
        #expect(finding?.message.contains(words) == true, "\(label): \(finding?.message ?? "")")
        // Each says what to do; a file of another kind names the format to send.
        #expect(finding?.suggestion.isEmpty == false, "\(label)")
        if rule == .wrongFileType || rule == .legacyXLS {
            #expect(finding?.suggestion.contains(".xlsx") == true, "\(label): \(finding?.suggestion ?? "")")
        }
    }

    @Test("the kinds are told apart by content: the same bytes under any name give the same finding")
    func byContentNotName() {
        let pdf = Array("%PDF-1.4\n".utf8)
        for name in ["svar.xlsx", "svar.xlsm", "svar.ods", "svar"] {
            #expect(Self.read(pdf, name).findings.map(\.rule) == [.wrongFileType], "\(name)")
        }
    }

    @Test("an encrypted ODS is refused as password-protected")
    func encryptedODS() {
        var builder = ODSBuilder()
        builder.addSheet("Ark1", rows: ODSBuilder.row(ODSBuilder.text("x")))
        builder.manifest = """
            <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">\
            <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">\
            <manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>\
            </manifest:file-entry></manifest:manifest>
            """
        let file = Self.read(builder.build(), "svar.ods")
        #expect(file.findings.map(\.rule) == [.passwordProtected])
        #expect(file.findings.first?.suggestion.contains("LibreOffice") == true)
    }

    @Test("a folder walk includes .ods files")
    func folderWalkFindsODS() throws {
        let directory = try TemporaryDirectory("ods-walk")
        defer { directory.cleanUp() }
        try Data(ODSBuilder().build()).write(to: directory.url.appendingPathComponent("svar.ods"))
        #expect(try ReturnedFiles.collect([directory.url.path]).map { ($0 as NSString).lastPathComponent } == ["svar.ods"])
    }

    // MARK: - LibreOffice-saved ODS

    /// A filled template with remarks that exercise ODS text: several lines, runs of spaces, markup characters.
    static func filledTemplate() throws -> (bytes: [UInt8], review: SampleData.GeneratedReview) {
        var review = ReturnedFileTests.data.reviews(round: "2025", level: 1)[0]
        let ids = review.answers.keys.sorted()
        review.remarks[ids[0]] = "Første linje\nAnden linje"
        review.remarks[ids[1]] = "  To mellemrum før,   tre i midten  "
        review.remarks[ids[2]] = "Mor & far <ikke> \"enige\"; 50 % færdig\ttab"
        return (try SampleWriter(data: ReturnedFileTests.data).templateBytes(review), review)
    }

    @Test(
        "a template and a foreign sheet saved by LibreOffice as .ods import exactly as the .xlsx",
        .enabled(if: ExternalTools.soffice != nil || TestPaths.isCI, "soffice is not on PATH (install libreoffice-calc-nogui)"))
    func libreOfficeODS() throws {
        let soffice = try #require(Requirement.soffice())
        let directory = try TemporaryDirectory("ods-lo")
        defer { directory.cleanUp() }
        let (template, review) = try Self.filledTemplate()
        try Data(template).write(to: directory.url.appendingPathComponent("skabelon.xlsx"))
        let foreignSource = TestPaths.packageRoot.appendingPathComponent("Samples/returned/2024/niveau1/nord")
        let foreignName = try #require(
            try FileManager.default.contentsOfDirectory(atPath: foreignSource.path).filter { $0.hasSuffix(".xlsx") }.min())
        try FileManager.default.copyItem(
            at: foreignSource.appendingPathComponent(foreignName), to: directory.url.appendingPathComponent("fremmed.xlsx"))

        let run = try ExternalTools.convertWithLibreOffice(
            soffice, files: [directory.path("skabelon.xlsx"), directory.path("fremmed.xlsx")], to: "ods",
            outputDirectory: directory.url)
        #expect(run.status == 0 && !run.killed, "\(run.output)")

        for name in ["skabelon", "fremmed"] {
            let xlsx = ReturnedFileReader.read(
                path: directory.path("\(name).xlsx"), catalogues: Self.catalogues, options: ImportOptions())
            let ods = ReturnedFileReader.read(
                path: directory.path("\(name).ods"), catalogues: Self.catalogues, options: ImportOptions())
            #expect(ods.shape == xlsx.shape, "\(name)")
            #expect(xlsx.shape != nil, "\(name)")
            #expect(!ods.isRejected, "\(name): \(ods.findings.map(\.message))")
            #expect(ods.findings.map(\.rule) == xlsx.findings.map(\.rule), "\(name)")
            #expect(ods.reviews.count == 1 && xlsx.reviews.count == 1, "\(name)")
            #expect(ods.reviews == xlsx.reviews, "\(name)")
            for (a, b) in zip(ods.reviews.first?.answers ?? [], xlsx.reviews.first?.answers ?? []) {
                #expect(a == b, "\(name) \(b.questionID)")
            }
        }

        // The template's answers and remarks as written, not just as the XLSX reads them.
        let ods = ReturnedFileReader.read(
            path: directory.path("skabelon.ods"), catalogues: Self.catalogues, options: ImportOptions())
        let stored = try #require(ods.reviews.first)
        #expect(stored.caseNumber == review.record.sagsnummer)
        #expect(stored.reviewer == review.reviewer)
        #expect(stored.reviewDate == review.date)
        for answer in stored.answers {
            #expect(answer.answer == review.answers[answer.questionID], "\(answer.questionID)")
            // The importer trims a remark's leading and trailing spaces, from any format.
            #expect(
                answer.remark == review.remarks[answer.questionID]?.trimmingCharacters(in: .whitespaces),
                "\(answer.questionID)")
        }
    }
}
