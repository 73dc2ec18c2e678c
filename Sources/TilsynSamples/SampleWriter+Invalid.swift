internal import Foundation
internal import TilsynAudit
internal import TilsynSheets

extension SampleWriter {
    /// A review of `record` with `template`'s answers, made consistent with the record's indsats.
    func review(of record: CaseRecord, like template: SampleData.GeneratedReview, round: String)
        -> SampleData.GeneratedReview
    {
        var review = template
        review.record = record
        review.round = round
        review.date = round + String(template.date.dropFirst(4))
        for question in review.questions where !question.applies(to: record.indsats) {
            review.answers[question.id] = "Ikke relevant"
            review.remarks[question.id] = nil
        }
        return review
    }

    /// The kinds of mistakes reviewers make, one file each; returns the number of files.
    func writeInvalid(_ levelOne: [SampleData.GeneratedReview], path: (String) throws -> String) throws -> Int {
        let all = data.cases()
        func record(_ number: String) -> CaseRecord {
            all.first { $0.sagsnummer == number }
                ?? CaseRecord(sagsnummer: number, enhed: "Enhed Nord", indsats: .stottende)
        }
        guard let first = levelOne.first(where: { $0.record.enhed == SampleData.units[0] }) else { return 0 }
        var written = 0

        // 1. The sagsnummer left blank.
        var blank = first
        blank.record.sagsnummer = ""
        try writeTemplate(blank, to: path("invalid/mangler-sagsnummer.xlsx"))
        written += 1

        // 2. A question id the catalogue does not have (CSV long).
        var unknown = review(of: record("S-2025-0151"), like: first, round: "2025")
        unknown.questions = unknown.questions.map { question in
            var copy = question
            if copy.id == "B.2" { copy.id = "B.99" }
            return copy
        }
        unknown.answers["B.99"] = unknown.answers["B.2"]
        try writeLong([unknown], variants: false, to: path("invalid/ukendt-spoergsmaal.csv"))
        written += 1

        // 3. "jaa": a typo the vocabulary must not guess.
        var typo = review(of: record("S-2025-0152"), like: first, round: "2025")
        typo.answers["U.1"] = "jaa"
        try writeTemplate(typo, to: path("invalid/svar-jaa.xlsx"))
        written += 1

        // 4. An answer to a question that does not apply to § 30, and a Nej without a remark (warnings only).
        var forebyggende = record("S-2025-0153")
        forebyggende.indsats = .forebyggende
        var inapplicable = review(of: forebyggende, like: first, round: "2025")
        inapplicable.answers["P.2"] = "Ja"
        inapplicable.answers["U.2"] = "Nej"
        inapplicable.remarks["U.2"] = nil
        try writeTemplate(inapplicable, to: path("invalid/svar-paa-ikke-relevant-spoergsmaal.xlsx"))
        written += 1

        // 5. A CPR-like number in a remark (a made-up number with a valid date).
        var cpr = review(of: record("S-2025-0154"), like: first, round: "2025")
        cpr.answers["U.1"] = "Nej"
        cpr.remarks["U.1"] = "Talt med mor (010101-0000) om underretningen."
        try writeTemplate(cpr, to: path("invalid/cpr-i-bemaerkning.xlsx"))
        written += 1

        // 6. The same case, level and round as a file in returned/ (another date, so other bytes).
        var duplicate = first
        duplicate.date = String(first.date.dropLast(2)) + "28"
        try writeTemplate(duplicate, to: path("invalid/dublet-\(first.record.sagsnummer).xlsx"))
        written += 1

        // 7. A password-protected workbook: an encrypted OOXML file is a CFB container with an EncryptedPackage stream.
        try write(SampleWriter.compoundFile(streams: ["EncryptionInfo", "EncryptedPackage"]),
                  to: path("invalid/adgangskode.xlsx"))
        written += 1

        // 8. An Excel 97–2003 workbook.
        try write(SampleWriter.compoundFile(streams: ["Workbook"]), to: path("invalid/gammelt-format.xls"))
        written += 1

        // 9. CSV saved by Danish Excel as "CSV (semikolonsepareret)": Windows-1252, with the old law's paragraph.
        var old = record("S-2025-0155")
        old.indsats = .stottende
        let legacy = review(of: old, like: first, round: "2025")
        let temporary = try path("invalid/.windows-1252.tmp")
        try writeLong([legacy], variants: true, to: temporary)
        let utf8 = try String(contentsOfFile: temporary, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: temporary)
        let converted = utf8.replacingOccurrences(of: "\u{FEFF}", with: "")
            .replacingOccurrences(of: ";§ 32;", with: ";SEL § 52;")
        guard let windows1252 = converted.data(using: .windowsCP1252) else {
            throw CatalogueError(.invalidValue, "the sample text has characters outside Windows-1252")
        }
        try write([UInt8](windows1252), to: path("invalid/windows-1252.csv"))
        written += 1

        // 10. An indsats that cannot be mapped with certainty: "Anbringelse" (with or without consent?).
        var placement = review(of: record("S-2024-0151"), like: first, round: "2024")
        placement.record.indsats = .anbringelseMedSamtykke
        try writeLong([placement], variants: false, to: path("invalid/usikker-indsats.csv"))
        let text = try String(contentsOfFile: path("invalid/usikker-indsats.csv"), encoding: .utf8)
            .replacingOccurrences(of: ";§ 46;", with: ";Anbringelse;")
        try write(Array(text.utf8), to: path("invalid/usikker-indsats.csv"))
        written += 1
        return written
    }

    /// A minimal Compound File Binary container (the format of .xls and of encrypted OOXML) naming these streams.
    ///
    /// Only the header and a directory sector with the stream names are written: enough for a reader to recognise
    /// the format, which is all the samples need.
    static func compoundFile(streams: [String]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 512 * 2)
        let magic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        bytes.replaceSubrange(0..<8, with: magic)
        bytes[0x18] = 0x3E  // minor version
        bytes[0x1A] = 0x03  // major version 3
        bytes[0x1C] = 0xFE  // little-endian byte order mark
        bytes[0x1D] = 0xFF
        bytes[0x1E] = 0x09  // 512-byte sectors
        bytes[0x20] = 0x06  // 64-byte mini sectors
        var entry = 512
        for name in ["Root Entry"] + streams {
            let utf16 = Array(name.utf16.prefix(31))
            for (index, unit) in utf16.enumerated() {
                bytes[entry + index * 2] = UInt8(unit & 0xFF)
                bytes[entry + index * 2 + 1] = UInt8(unit >> 8)
            }
            bytes[entry + 64] = UInt8((utf16.count + 1) * 2)
            bytes[entry + 66] = name == "Root Entry" ? 5 : 2
            entry += 128
            if entry >= bytes.count { break }
        }
        return bytes
    }
}
