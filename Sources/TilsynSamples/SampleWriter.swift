internal import Foundation
internal import TilsynAudit
internal import TilsynSheets

/// Writes the sample folder: the case list, returned files of every input shape, and typical mistakes.
///
/// Layout (under the output folder):
/// - `cases/sagsliste.csv`: the case list;
/// - `returned/2024/niveau1/`: older municipal sheets (a question and an answer column, questions by text) for
///   two units, survey exports (CSV wide) for three;
/// - `returned/2024/niveau2/`: one CSV long file;
/// - `returned/2025/niveau1/`: Tilsyn templates for three units, CSV long for one, a survey export for one;
/// - `returned/2025/niveau2/`: Tilsyn templates;
/// - `invalid/`: the mistakes reviewers make (see `Samples/README.md`).
public struct SampleWriter: Sendable {
    /// What to write.
    public let data: SampleData

    /// A writer of `data`.
    public init(data: SampleData) { self.data = data }

    /// The number of files written, by folder.
    public struct Manifest: Sendable {
        /// Files written per folder.
        public var files: [String: Int] = [:]
        /// Files written in all.
        public var total: Int { files.values.reduce(0, +) }
    }

    static let slugs = ["nord", "syd", "oest", "vest", "centrum"]

    /// Writes everything below `directory` (created if missing; existing sample files are overwritten).
    public func write(to directory: String) throws -> Manifest {
        var manifest = Manifest()
        func count(_ folder: String, _ n: Int = 1) { manifest.files[folder, default: 0] += n }
        let root = URL(fileURLWithPath: directory)
        func path(_ relative: String) throws -> String {
            let url = root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            return url.path
        }

        // The case list.
        let list = try CSVWriter(path: path("cases/sagsliste.csv"))
        try list.writeRow(CaseList.columns + ["sagsbehandler"])
        for record in data.cases() {
            try list.writeRow([
                record.sagsnummer, record.enhed, String(record.indsats.paragraph), record.alder.map(String.init) ?? "",
                record.udgangspunkt, record.udgangspunktDato,
            ] + record.extra.filter { $0.key == "sagsbehandler" }.map(\.value))
        }
        try list.finish()
        count("cases")

        // 2024, niveau 1: foreign sheets (Nord, Syd) and survey exports (Øst, Vest, Centrum).
        let l1of2024 = data.reviews(round: "2024", level: 1)
        for review in l1of2024 {
            let unit = SampleData.units.firstIndex(of: review.record.enhed) ?? 0
            guard unit < 2 else { continue }
            let file = "returned/2024/niveau1/\(SampleWriter.slugs[unit])/\(review.record.sagsnummer).xlsx"
            try writeForeignSheet(review, extraRow: review.record.sagsnummer.hasSuffix("7"), to: path(file))
            count("returned/2024/niveau1")
        }
        for unit in 2..<5 {
            let reviews = l1of2024.filter { $0.record.enhed == SampleData.units[unit] }
            try writeWide(
                reviews, dialect: .excelDA, to: path("returned/2024/niveau1/\(SampleWriter.slugs[unit])-survey.csv"))
            count("returned/2024/niveau1")
        }
        // 2024, niveau 2: CSV long.
        try writeLong(
            data.reviews(round: "2024", level: 2), variants: true, to: path("returned/2024/niveau2/niveau2-2024.csv"))
        count("returned/2024/niveau2")

        // 2025, niveau 1: templates (Nord, Syd, Øst), CSV long (Vest), survey export (Centrum, comma-separated).
        let l1of2025 = data.reviews(round: "2025", level: 1)
        for review in l1of2025 {
            let unit = SampleData.units.firstIndex(of: review.record.enhed) ?? 0
            guard unit < 3 else { continue }
            try writeTemplate(review, to: path("returned/2025/niveau1/\(SampleWriter.slugs[unit])/"
                + TemplateWriter.fileName(for: review.record)))
            count("returned/2025/niveau1")
        }
        try writeLong(
            l1of2025.filter { $0.record.enhed == SampleData.units[3] }, variants: true,
            to: path("returned/2025/niveau1/vest-long.csv"))
        try writeWide(
            l1of2025.filter { $0.record.enhed == SampleData.units[4] }, dialect: .rfc4180,
            to: path("returned/2025/niveau1/centrum-survey.csv"))
        count("returned/2025/niveau1", 2)
        // 2025, niveau 2: templates.
        for review in data.reviews(round: "2025", level: 2) {
            try writeTemplate(review, to: path("returned/2025/niveau2/" + TemplateWriter.fileName(for: review.record)))
            count("returned/2025/niveau2")
        }

        count("invalid", try writeInvalid(l1of2025, path: path))
        return manifest
    }

    /// A returned Tilsyn template for a review.
    public func templateBytes(_ review: SampleData.GeneratedReview) throws -> [UInt8] {
        try TemplateWriter.bytes(
            catalogue: data.catalogue, case: review.record,
            options: TemplateOptions(kommune: SampleData.kommune, round: review.round, level: review.level),
            fill: TemplateFill(reviewer: review.reviewer, date: review.date, answers: review.answers,
                               remarks: review.remarks))
    }

    func writeTemplate(_ review: SampleData.GeneratedReview, to path: String) throws {
        try write(templateBytes(review), to: path)
    }

    func write(_ bytes: [UInt8], to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CatalogueError(.unreadable, "cannot write the file", file: path)
        }
    }

    /// An older municipal sheet: labels above a table `Nr. | Spørgsmål | Svar | Kommentar`, questions by text only
    /// (numbered 1, 2, …, not by id), section rows for the steps, answers in reviewers' own spelling.
    func writeForeignSheet(_ review: SampleData.GeneratedReview, extraRow: Bool, to path: String) throws {
        let writer = try XLSXWriter(path: path)
        let bold = try writer.addStyle(XLSXWriter.Style(font: XLSXWriter.Font(bold: true)))
        let sheet = try writer.addWorksheet(
            "Gennemgang", options: XLSXWriter.SheetOptions(columns: [.width(0, 14), .width(1, 70), .width(2, 14),
                                                                     .width(3, 40)]))
        let day = review.date.split(separator: "-")
        let danishDate = day.count == 3 ? "\(day[2]).\(day[1]).\(day[0])" : review.date
        try sheet.appendRow([.string("Ledelsestilsyn \(review.round) – gennemgang af sag", style: bold)])
        try sheet.appendRow([])
        let labels: [(String, XLSXWriter.Cell)] = [
            ("Sagsnr.:", .string(review.record.sagsnummer)), ("Enhed:", .string(review.record.enhed)),
            ("Indsats:", .string(review.record.indsats.danishName)), ("Niveau:", .number(Double(review.level))),
            ("Tilsyn:", .string(review.round)), ("Gennemgået af:", .string(review.reviewer)),
            ("Dato:", .string(danishDate)),
        ]
        for (label, value) in labels { try sheet.appendRow([.string(label, style: bold), value]) }
        try sheet.appendRow([])
        try sheet.appendRow(["Nr.", "Spørgsmål", "Svar", "Kommentar"].map { XLSXWriter.Cell.string($0, style: bold) })
        var rng = SplitMix64(seed: data.seed &+ UInt64(review.record.line))
        var number = 1
        for step in data.catalogue.steps {
            let questions = review.questions.filter { $0.step == step.id }
            guard !questions.isEmpty else { continue }
            try sheet.appendRow([nil, .string(step.name, style: bold)])
            for (index, question) in questions.enumerated() {
                // Older wording: no question mark, and now and then without its first word.
                var text = question.text.replacingOccurrences(of: "?", with: "")
                if index % 3 == 2, let space = text.firstIndex(of: " ") {
                    text = String(text[text.index(after: space)...])
                    text = text.prefix(1).uppercased() + text.dropFirst()
                }
                let answer = review.answers[question.id].map { SampleWriter.variant($0, &rng) }
                try sheet.appendRow([
                    .number(Double(number)), .string(text), answer.map { .string($0) },
                    review.remarks[question.id].map { .string($0) },
                ])
                number += 1
            }
        }
        if extraRow {
            try sheet.appendRow([
                .number(Double(number)), .string("Øvrige forhold ved sagens behandling"), .string("Nej"),
                .string("Se notat."),
            ])
        }
        try writer.close()
    }

    /// An answer as reviewers type it: the canonical form or a common variant.
    static func variant(_ answer: String, _ rng: inout SplitMix64) -> String {
        let variants: [String: [String]] = [
            "Ja": ["Ja", "Ja", "ja", "JA ", "j"], "Nej": ["Nej", "Nej", "nej", "N"],
            "Ikke relevant": ["Ikke relevant", "ikke rel.", "IR", "i.r."],
            "Høj grad": ["Høj grad", "I høj grad", "høj"], "Nogen grad": ["Nogen grad", "i nogen grad", "nogen"],
            "Lav grad": ["Lav grad", "lav", "I lav grad"],
        ]
        guard let options = variants[answer] else { return answer }
        return options[rng.next(below: options.count)]
    }

    /// CSV long: `sagsnummer;niveau;runde;spørgsmål;svar;bemærkning;enhed;indsats;reviewer;dato`.
    func writeLong(_ reviews: [SampleData.GeneratedReview], variants: Bool, to path: String) throws {
        let writer = try CSVWriter(path: path)
        try writer.writeRow(["sagsnummer", "niveau", "runde", "spørgsmål", "svar", "bemærkning", "enhed", "indsats",
                             "reviewer", "dato"])
        for review in reviews {
            var rng = SplitMix64(seed: data.seed &+ UInt64(review.record.line) &* 31)
            let parts = review.date.split(separator: "-")
            let date = parts.count == 3 ? "\(parts[2])-\(parts[1])-\(parts[0])" : review.date
            for question in review.questions {
                let answer = review.answers[question.id].map { variants ? SampleWriter.variant($0, &rng) : $0 } ?? ""
                try writer.writeRow([
                    review.record.sagsnummer, String(review.level), review.round, question.id, answer,
                    review.remarks[question.id] ?? "", review.record.enhed, review.record.indsats.description,
                    review.reviewer, date,
                ])
            }
        }
        try writer.finish()
    }

    /// CSV wide, as survey tools export: one row per review, `<id>` and `<id> bemærkning` columns.
    func writeWide(_ reviews: [SampleData.GeneratedReview], dialect: CSVDialect, to path: String) throws {
        let writer = try CSVWriter(path: path, options: CSVWriteOptions(dialect: dialect))
        guard let questions = reviews.first?.questions else {
            try writer.finish()
            return
        }
        var header = ["Tidsstempel", "Sagsnummer", "Enhed", "Indsats", "Niveau", "Runde", "Reviewer", "Dato"]
        for question in questions { header += [question.id, question.id + " bemærkning"] }
        try writer.writeRow(header)
        for review in reviews {
            var row = [
                review.date + "T15:04:00", review.record.sagsnummer, review.record.enhed,
                review.record.indsats.description, String(review.level), review.round, review.reviewer, review.date,
            ]
            for question in questions { row += [review.answers[question.id] ?? "", review.remarks[question.id] ?? ""] }
            try writer.writeRow(row)
        }
        try writer.finish()
    }
}
