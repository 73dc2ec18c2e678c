import PropertyBased
import Testing
import TilsynAudit

/// Answers, dates, indsatser and CPR numbers as reviewers write them.
@Suite struct VocabularyTests {
    static let jn = AnswerScale(
        id: "JN", name: "JN", answers: ["Ja", "Nej", "Ikke relevant"], notApplicable: "Ikke relevant")
    static let grad = AnswerScale(
        id: "GRAD", name: "GRAD", answers: ["Lav grad", "Nogen grad", "Høj grad", "Ikke relevant"],
        notApplicable: "Ikke relevant")

    @Test(arguments: [
        ("ja", "Ja"), ("JA ", "Ja"), (" Ja.", "Ja"), ("j", "Ja"), ("Yes", "Ja"), ("nej", "Nej"), ("N", "Nej"),
        ("NEJ!", "Nej"), ("ikke rel.", "Ikke relevant"), ("IR", "Ikke relevant"), ("i.r.", "Ikke relevant"),
        ("Ikke-relevant", "Ikke relevant"), ("n/a", "Ikke relevant"), ("Ikke\u{A0}relevant", "Ikke relevant"),
    ])
    func jaNejForms(text: String, expected: String) {
        guard case .answer(let canonical, let code) = AnswerVocabulary.normalise(text, scale: Self.jn) else {
            Issue.record("\(text) not recognised")
            return
        }
        #expect(canonical == expected)
        #expect(code?.canonical == expected)
    }

    @Test(arguments: [
        ("høj", "Høj grad"), ("I høj grad", "Høj grad"), ("HØJ GRAD", "Høj grad"), ("hoej", "Høj grad"),
        ("nogen", "Nogen grad"), ("i nogen grad", "Nogen grad"), ("lav", "Lav grad"), ("I lav grad.", "Lav grad"),
        ("IR", "Ikke relevant"),
    ])
    func degreeForms(text: String, expected: String) {
        let result = AnswerVocabulary.normalise(text, scale: Self.grad)
        #expect(result == .answer(expected, AnswerCode(canonical: expected)))
    }

    @Test(arguments: ["jaa", "ja/nej", "ja nej", "nej?", "1", "0", "x", "delvis", "måske", "Ja, delvist", "nja"])
    func ambiguousFormsAreRejected(text: String) {
        #expect(AnswerVocabulary.normalise(text, scale: Self.jn) == .unrecognised)
    }

    @Test func answersOfAnotherScaleAreOutsideTheScale() {
        #expect(AnswerVocabulary.normalise("høj", scale: Self.jn) == .outsideScale("Høj grad"))
        #expect(AnswerVocabulary.normalise("ja", scale: Self.grad) == .outsideScale("Ja"))
        #expect(AnswerVocabulary.normalise("  ", scale: Self.jn) == .blank)
        #expect(AnswerVocabulary.normalise(nil, scale: Self.jn) == .blank)
    }

    /// Characters that make up answers and near-misses.
    static let answerCharacter = Gen<Character?>
        .element(of: Array("jaJAneNEiIrRkKlLvVhHøØgGdDoO .,-/?1æx"))
        .map { $0 ?? "a" }

    @Test func randomStringsAreNeverGuessed() async {
        let known = Set(["ja", "j", "yes", "y", "nej", "n", "no", "ikke relevant", "ikkerelevant", "ikke rel",
                         "ikke rele", "ir", "i r", "na", "not relevant", "not applicable", "lav", "lav grad",
                         "i lav grad", "low", "nogen", "nogen grad", "i nogen grad", "some", "høj", "høj grad",
                         "i høj grad", "hoej", "hoej grad", "i hoej grad", "high"])
        await propertyCheck(count: 2000, input: Self.answerCharacter.string(of: 0...12)) { text in
            for scale in [Self.jn, Self.grad] {
                switch AnswerVocabulary.normalise(text, scale: scale) {
                case .answer(let canonical, _):
                    #expect(scale.answers.contains(canonical))
                    #expect(known.contains(AnswerVocabulary.fold(text)), "\(text) was accepted")
                case .outsideScale(let canonical):
                    #expect(!scale.answers.contains(canonical))
                case .blank:
                    #expect(text.allSatisfy { $0.isWhitespace })
                case .unrecognised:
                    #expect(!known.contains(AnswerVocabulary.fold(text)), "\(text) was rejected")
                }
            }
        }
    }

    @Test(arguments: [
        ("14-03-2025", "2025-03-14"), ("4.3.2025", "2025-03-04"), ("14/03/2025", "2025-03-14"),
        ("2025-03-14", "2025-03-14"), ("2025-03-14T10:00:00", "2025-03-14"), ("45730", "2025-03-14"),
        ("29-02-2024", "2024-02-29"),
    ])
    func dates(text: String, iso: String) {
        #expect(AuditDate.parse(text) == iso)
    }

    @Test func excelSerialsIn1904Workbooks() {
        // 1904 system: serial 44268 is 2025-03-14 (1462 days fewer than in the 1900 system).
        #expect(AuditDate.parse("44268", date1904: true) == "2025-03-14")
        #expect(AuditDate.parse("44268", date1904: false) == "2021-03-13")
    }

    @Test(arguments: ["31-02-2025", "14-03-25", "2025", "14-13-2025", "i går", "", "1-1-1999", "03-14-2025x"])
    func notDates(text: String) {
        #expect(AuditDate.parse(text) == nil)
    }

    @Test(arguments: [
        ("32", Indsats.stottende), ("§ 32", .stottende), ("Støttende indsats", .stottende),
        ("§ 32 støttende indsats", .stottende), ("SEL § 52", .stottende),
        ("serviceloven § 52, stk. 3, nr. 3", .stottende),
        ("SEL § 52, stk. 3, nr. 7", .anbringelseMedSamtykke), ("SEL § 58", .anbringelseUdenSamtykke),
        ("barnets lov § 30", .forebyggende), ("BL § 47", .anbringelseUdenSamtykke),
        ("Tvangsanbringelse", .anbringelseUdenSamtykke),
        ("Anbringelse med samtykke", .anbringelseMedSamtykke), ("Tidligt forebyggende indsats", .forebyggende),
    ])
    func certainIndsatser(text: String, indsats: Indsats) {
        #expect(IndsatsMapping.map(text) == .certain(indsats))
    }

    @Test(arguments: ["SEL § 11", "SEL § 50", "SEL § 52 a", "Anbringelse", "§ 32 anbringelse uden samtykke"])
    func uncertainIndsatser(text: String) {
        guard case .uncertain = IndsatsMapping.map(text) else {
            Issue.record("\(text) should be uncertain")
            return
        }
    }

    @Test(arguments: ["§ 31", "99", "hjælp", "SEL § 140"])
    func unknownIndsatser(text: String) {
        #expect(IndsatsMapping.map(text) == .unknown)
    }

    @Test(arguments: [
        "010190-1234", "0101901234", "010190 1234", "Talt med mor (311299-4321) i dag", "290200-1234",
        // Fails modulus 11 and is still a valid CPR number (issued since 2007).
        "010190-1235",
    ])
    func cprNumbersAreFound(text: String) {
        #expect(CPRDetector.containsCPR(text))
        #expect(!CPRDetector.containsCPR(CPRDetector.redact(text)))
    }

    @Test(arguments: [
        "S-2025-0001", "320190-1234", "011390-1234", "290201-1234", "01019012345", "1010190-1234", "14-03-2025",
        "12345678", "010190-123",
    ])
    func otherNumbersAreNotCPR(text: String) {
        #expect(!CPRDetector.containsCPR(text))
        #expect(CPRDetector.redact(text) == text)
    }

    @Test func redactionMasksOnlyTheDigits() {
        #expect(CPRDetector.redact("CPR 010190-1234, sag S-1") == "CPR XXXXXX-XXXX, sag S-1")
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(ContentHash.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentHash.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(ContentHash.sha256Hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(ContentHash.sha256Hex([UInt8](repeating: 0x61, count: 1_000)) ==
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
