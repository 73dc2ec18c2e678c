// The OpenDocument value syntax (durations, cell references, formulas), apart from the content.xml events in
// ODSContentReader.swift.
extension ODSContentReader {
    /// A repeat or span count: 1 when absent, not a number or below 1; capped so that sums cannot overflow.
    static func count(_ bytes: UnsafeBufferPointer<UInt8>?) -> Int {
        guard let bytes, !bytes.isEmpty else { return 1 }
        var value = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { return 1 }
            value = min(value * 10 + Int(byte - 48), 1 << 31)
        }
        return max(value, 1)
    }

    /// Seconds of an ISO 8601 duration as ODS writes times: `PT10H10M10.123456S`, `-PT1H`, `P1DT2H`.
    static func durationSeconds(_ text: String) -> Double? {
        var bytes = Substring(text)
        var sign = 1.0
        if bytes.first == "-" {
            sign = -1
            bytes = bytes.dropFirst()
        }
        guard bytes.first == "P" else { return nil }
        bytes = bytes.dropFirst()
        var total = 0.0
        var number = ""
        var inTime = false
        var sawPart = false
        for character in bytes {
            switch character {
            case "0"..."9", ".", ",":
                number.append(character == "," ? "." : character)
            case "T":
                guard number.isEmpty, !inTime else { return nil }
                inTime = true
            case "D", "H", "M", "S", "W":
                guard let value = Double(number), value.isFinite else { return nil }
                let unit: Double =
                    switch (character, inTime) {
                    case ("W", false): 7 * 86_400
                    case ("D", false): 86_400
                    case ("H", true): 3_600
                    case ("M", true): 60
                    case ("S", true): 1
                    default: -1
                    }
                guard unit > 0 else { return nil }
                total += value * unit
                number = ""
                sawPart = true
            default:
                return nil
            }
        }
        guard sawPart, number.isEmpty, total < 1e12 else { return nil }
        return sign * total
    }

    /// An ODS range address as Excel writes a defined name: `$Tilsyn.$E$12` → `Tilsyn!$E$12`,
    /// `$'Min side'.$A$1:.$B$2` → `'Min side'!$A$1:$B$2`. A list of ranges keeps the first.
    static func excelReference(_ address: String) -> String {
        // A list of ranges is separated by spaces outside quoted sheet names.
        var first = ""
        var quoted = false
        for character in address {
            if character == "'" { quoted.toggle() }
            if character == " " && !quoted {
                if first.isEmpty { continue }
                break
            }
            first.append(character)
        }
        var sheet: String?
        var cells: [String] = []
        for part in splitRange(first) {
            let (partSheet, cell) = splitSheet(part)
            if sheet == nil, let partSheet, !partSheet.isEmpty { sheet = partSheet }
            cells.append(cell)
        }
        let range = cells.joined(separator: ":")
        guard let sheet else { return range }
        return quotedSheetName(sheet) + "!" + range
    }

    /// Splits `A:B` at colons outside quotes.
    private static func splitRange(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "'" { quoted.toggle() }
            if character == ":" && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// Splits `$'Sheet'.$A$1` into the unquoted sheet name and the cell; the sheet is nil without a dot.
    private static func splitSheet(_ text: String) -> (String?, String) {
        var quoted = false
        var dot: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "'" { quoted.toggle() }
            if character == "." && !quoted { dot = index }
            index = text.index(after: index)
        }
        guard let dot else { return (nil, text) }
        var sheet = Substring(text[..<dot])
        if sheet.first == "$" { sheet = sheet.dropFirst() }
        if sheet.count >= 2, sheet.first == "'", sheet.last == "'" {
            // A quote inside a quoted name is doubled.
            var name = ""
            var previousQuote = false
            for character in sheet.dropFirst().dropLast() {
                if character == "'" && previousQuote {
                    previousQuote = false
                    continue
                }
                previousQuote = character == "'"
                name.append(character)
            }
            return (name, String(text[text.index(after: dot)...]))
        }
        return (String(sheet), String(text[text.index(after: dot)...]))
    }

    /// A formula without its namespace prefix and equals sign: `of:=[.B1]+1` → `[.B1]+1`.
    static func formulaText(_ formula: String) -> String {
        var text = Substring(formula)
        if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter }),
            text[text.index(after: colon)...].first == "="
        {
            text = text[text.index(after: colon)...]
        }
        if text.first == "=" { text = text.dropFirst() }
        return String(text)
    }
}
