/// Text widths in the workbook's default font, for row heights that fit wrapped text.
///
/// Advance widths (units of 1/2048 em) of Calibri's metric-compatible twin Carlito (Regular and Bold, the
/// `fonts-crosextra-carlito` package), read with fontTools for U+0020–U+007E, U+00A0–U+00FF and typographic
/// punctuation. Calibri and Carlito have the same advance widths, so Excel and LibreOffice (with Carlito installed)
/// lay the text out alike. Other characters count as the widest Latin capital, so a row is never too low.
public enum TextMetrics {
    static let unitsPerEm = 2048.0
    /// The width counted for a character outside the tables: `W`, the widest.
    static let fallback: UInt16 = 1822

    static let regular: [UInt16] = [
        463, 667, 821, 1020, 1038, 1464, 1397, 452, 621, 621, 1020, 1020, 511, 627, 517, 791,
        1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 548, 548, 1020, 1020, 1020, 949,
        1831, 1185, 1114, 1092, 1260, 1000, 941, 1292, 1276, 516, 653, 1064, 861, 1751, 1322, 1356,
        1058, 1378, 1112, 941, 998, 1314, 1162, 1822, 1063, 998, 959, 628, 791, 628, 1020, 1020,
        596, 981, 1076, 866, 1076, 1019, 625, 964, 1076, 470, 490, 931, 470, 1636, 1076, 1080,
        1076, 1076, 714, 801, 686, 1076, 925, 1464, 887, 927, 809, 644, 943, 644, 1020, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 667, 1020, 1038, 1020, 1038, 1020, 1020, 804, 1709, 824, 1049, 1020, 0, 1038, 807,
        694, 1020, 688, 685, 598, 1126, 1200, 517, 629, 504, 865, 1049, 1303, 1375, 1383, 949,
        1185, 1185, 1185, 1185, 1185, 1185, 1563, 1092, 1000, 1000, 1000, 1000, 516, 516, 516, 516,
        1279, 1322, 1356, 1356, 1356, 1356, 1356, 1020, 1359, 1314, 1314, 1314, 1314, 998, 1058, 1080,
        981, 981, 981, 981, 981, 981, 1583, 866, 1019, 1019, 1019, 1019, 470, 470, 470, 470,
        1076, 1076, 1080, 1080, 1080, 1080, 1080, 1020, 1084, 1076, 1076, 1076, 1076, 927, 1076, 927,
    ]
    static let bold: [UInt16] = [
        463, 667, 898, 1020, 1038, 1493, 1443, 478, 638, 638, 1020, 1020, 528, 627, 547, 880,
        1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 565, 565, 1020, 1020, 1020, 949,
        1840, 1241, 1148, 1084, 1291, 999, 940, 1305, 1292, 546, 678, 1120, 866, 1790, 1349, 1385,
        1090, 1405, 1153, 968, 1014, 1337, 1211, 1856, 1128, 1064, 979, 665, 880, 665, 1020, 1020,
        615, 1011, 1099, 857, 1099, 1031, 648, 971, 1099, 503, 523, 983, 503, 1666, 1099, 1101,
        1099, 1099, 728, 817, 710, 1099, 969, 1526, 941, 970, 814, 704, 973, 704, 1020, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 667, 1020, 1038, 1020, 1038, 1020, 1020, 849, 1709, 852, 1103, 1020, 0, 1038, 799,
        701, 1020, 692, 688, 616, 1154, 1224, 548, 621, 517, 891, 1103, 1347, 1415, 1437, 949,
        1241, 1241, 1241, 1241, 1241, 1241, 1588, 1084, 999, 999, 999, 999, 546, 546, 546, 546,
        1309, 1349, 1385, 1385, 1385, 1385, 1385, 1020, 1394, 1337, 1337, 1337, 1337, 1064, 1090, 1136,
        1011, 1011, 1011, 1011, 1011, 1011, 1587, 857, 1031, 1031, 1031, 1031, 503, 503, 503, 503,
        1099, 1099, 1101, 1101, 1101, 1101, 1101, 1020, 1114, 1099, 1099, 1099, 1099, 970, 1099, 970,
    ]
    static let regularExtra: [UInt32: UInt16] = [0x2013: 1020, 0x2014: 1854, 0x2018: 511, 0x2019: 511, 0x201C: 857, 0x201D: 857, 0x2026: 1414, 0x20AC: 1038, 0x2022: 1020]
    static let boldExtra: [UInt32: UInt16] = [0x2013: 1020, 0x2014: 1854, 0x2018: 528, 0x2019: 528, 0x201C: 891, 0x201D: 891, 0x2026: 1457, 0x20AC: 1038, 0x2022: 1020]

    /// The advance width of one character, in font units.
    @inline(__always)
    static func advance(_ scalar: Unicode.Scalar, bold: Bool) -> UInt16 {
        let value = scalar.value
        if value >= 32 && value < 256 {
            let width = (bold ? Self.bold : regular)[Int(value) - 32]
            if width > 0 { return width }
        }
        if value == 0x09 { return (bold ? Self.bold : regular)[0] * 4 }
        return (bold ? boldExtra : regularExtra)[value] ?? fallback
    }

    /// The width of `text` in points at `size` points.
    public static func width(_ text: some StringProtocol, size: Double = 11, bold: Bool = false) -> Double {
        var units = 0
        for scalar in text.unicodeScalars { units += Int(advance(scalar, bold: bold)) }
        return Double(units) / unitsPerEm * size
    }

    /// The width in points that a column `characters` wide (Excel's unit: the width of the digit 0 in Calibri 11,
    /// 7 pixels) leaves for text, less the cell's margins.
    public static func textWidth(ofColumn characters: Double) -> Double {
        max(1, (characters * 7 - 6) * 0.75)
    }

    /// The number of lines `text` takes wrapped in a column `columnWidth` characters wide: words are kept whole
    /// where they fit (a longer word is broken), and each line break in the text starts a new line.
    public static func lineCount(_ text: String, columnWidth: Double, size: Double = 11, bold: Bool = false) -> Int {
        let available = textWidth(ofColumn: columnWidth)
        let space = width(" ", size: size, bold: bold)
        var lines = 0
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += 1
            var used = 0.0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var wordWidth = width(word, size: size, bold: bold)
                let needed = used == 0 ? wordWidth : used + space + wordWidth
                if needed <= available {
                    used = needed
                    continue
                }
                if used > 0 { lines += 1 }
                // A word wider than the column is broken where it reaches the edge.
                while wordWidth > available {
                    lines += 1
                    wordWidth -= available
                }
                used = wordWidth
            }
        }
        return max(1, lines)
    }

    /// The row height in points for `lines` lines of text at `size` points: Excel's 15 points a line for Calibri 11,
    /// plus a little room, at most 409 (the largest height a row may have).
    public static func rowHeight(lines: Int, size: Double = 11) -> Double {
        min(409, (Double(max(1, lines)) * 15 * size / 11 + 2).rounded(.up))
    }
}
