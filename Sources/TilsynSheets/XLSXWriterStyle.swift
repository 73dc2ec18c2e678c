extension XLSXWriter {
    /// The index of a registered style in the workbook's `cellXfs`; stable for the writer's lifetime.
    public struct StyleID: Hashable, Sendable, CustomStringConvertible {
        /// The position in `cellXfs` (the `s` attribute of cells); 0 is the default style.
        public let index: Int

        init(_ index: Int) { self.index = index }

        /// The workbook's default style (Calibri 11, General).
        public static let `default` = StyleID(0)

        /// `style 3`.
        public var description: String { "style \(index)" }
    }

    /// How a cell looks: font, fill, border, alignment, number format and protection.
    ///
    /// Register a style once with `XLSXWriter.addStyle(_:)`; equal styles get the same `StyleID`.
    public struct Style: Hashable, Sendable {
        /// The font.
        public var font: Font
        /// A solid background colour, or none.
        public var fill: Color?
        /// The cell's edges.
        public var border: Border
        /// Where text sits.
        public var alignment: Alignment
        /// How numbers and dates are shown.
        public var numberFormat: NumberFormat
        /// Whether the cell is locked when the sheet is protected (Excel's default); unlock input cells.
        public var locked: Bool
        /// Whether a formula is hidden in the formula bar when the sheet is protected.
        public var hidden: Bool

        /// A style; the defaults are Excel's.
        public init(
            font: Font = Font(), fill: Color? = nil, border: Border = Border(), alignment: Alignment = Alignment(),
            numberFormat: NumberFormat = .general, locked: Bool = true, hidden: Bool = false
        ) {
            self.font = font
            self.fill = fill
            self.border = border
            self.alignment = alignment
            self.numberFormat = numberFormat
            self.locked = locked
            self.hidden = hidden
        }
    }

    /// An opaque RGB colour.
    public struct Color: Hashable, Sendable, CustomStringConvertible {
        /// 0xRRGGBB.
        public let rgb: UInt32

        /// A colour from 0xRRGGBB; higher bits are ignored.
        public init(rgb: UInt32) { self.rgb = rgb & 0xFF_FFFF }

        /// `FF` + six hex digits, as SpreadsheetML writes ARGB.
        var argb: String {
            let digits = String(rgb, radix: 16, uppercase: true)
            return "FF" + String(repeating: "0", count: 6 - digits.count) + digits
        }

        /// `#RRGGBB`.
        public var description: String { "#" + argb.dropFirst(2) }

        /// #000000.
        public static let black = Color(rgb: 0x000000)
        /// #FFFFFF.
        public static let white = Color(rgb: 0xFFFFFF)
        /// #FF0000.
        public static let red = Color(rgb: 0xFF0000)
        /// #FFFF00.
        public static let yellow = Color(rgb: 0xFFFF00)
        /// #D9D9D9, Excel's light grey fill.
        public static let lightGray = Color(rgb: 0xD9D9D9)
    }

    /// A font; the default is Excel's Calibri 11 in the theme's text colour.
    public struct Font: Hashable, Sendable {
        /// The font's name (`Calibri`).
        public var name: String
        /// Points, 1 to 409.
        public var size: Double
        /// Bold.
        public var bold: Bool
        /// Italic.
        public var italic: Bool
        /// Underlined (single).
        public var underline: Bool
        /// The text colour, or the theme's text colour when nil.
        public var color: Color?

        /// A font; the defaults are Excel's.
        public init(
            name: String = "Calibri", size: Double = 11, bold: Bool = false, italic: Bool = false,
            underline: Bool = false, color: Color? = nil
        ) {
            self.name = name
            self.size = size
            self.bold = bold
            self.italic = italic
            self.underline = underline
            self.color = color
        }
    }

    /// The line style of a cell edge.
    public enum BorderStyle: String, Hashable, Sendable, CaseIterable {
        /// The line styles as Excel names them.
        case thin, medium, thick, dashed, dotted, double, hair
    }

    /// The four edges of a cell; nil edges have no line.
    public struct Border: Hashable, Sendable {
        /// The left edge.
        public var left: BorderStyle?
        /// The right edge.
        public var right: BorderStyle?
        /// The top edge.
        public var top: BorderStyle?
        /// The bottom edge.
        public var bottom: BorderStyle?
        /// The colour of every edge, or automatic (black) when nil.
        public var color: Color?

        /// Edges as given; none by default.
        public init(
            left: BorderStyle? = nil, right: BorderStyle? = nil, top: BorderStyle? = nil, bottom: BorderStyle? = nil,
            color: Color? = nil
        ) {
            self.left = left
            self.right = right
            self.top = top
            self.bottom = bottom
            self.color = color
        }

        /// The same line on all four edges.
        public static func all(_ style: BorderStyle, color: Color? = nil) -> Border {
            Border(left: style, right: style, top: style, bottom: style, color: color)
        }

        var isEmpty: Bool { left == nil && right == nil && top == nil && bottom == nil }
    }

    /// Where text sits in a cell and whether it wraps.
    public struct Alignment: Hashable, Sendable {
        /// Horizontal placement, as Excel's alignment buttons.
        public enum Horizontal: String, Hashable, Sendable {
            /// The placements as SpreadsheetML names them.
            case left, center, right, fill, justify, centerContinuous, distributed
        }

        /// Vertical placement in a row taller than its text.
        public enum Vertical: String, Hashable, Sendable {
            /// The placements as SpreadsheetML names them.
            case top, center, bottom, justify, distributed
        }

        /// Horizontal placement; Excel's general when nil.
        public var horizontal: Horizontal?
        /// Vertical placement; bottom when nil.
        public var vertical: Vertical?
        /// Whether long text wraps onto more lines.
        public var wrapText: Bool
        /// Indent in steps of three spaces, 0 to 250 (with left, right or distributed alignment).
        public var indent: Int

        /// An alignment; Excel's default when nothing is given.
        public init(horizontal: Horizontal? = nil, vertical: Vertical? = nil, wrapText: Bool = false, indent: Int = 0) {
            self.horizontal = horizontal
            self.vertical = vertical
            self.wrapText = wrapText
            self.indent = indent
        }

        var isDefault: Bool { horizontal == nil && vertical == nil && !wrapText && indent == 0 }
    }

    /// How a number is shown: a built-in format (by id) or a custom format code.
    ///
    /// A custom code equal to a built-in one is written with the built-in id, as Excel does.
    public enum NumberFormat: Hashable, Sendable {
        /// A built-in format by its id.
        case builtIn(Int)
        /// A format code (`0.0%`, `dd-mm-yyyy`).
        case custom(String)

        /// `General` (id 0).
        public static let general = NumberFormat.builtIn(0)
        /// `0` (id 1).
        public static let integer = NumberFormat.builtIn(1)
        /// `0.00` (id 2).
        public static let decimal2 = NumberFormat.builtIn(2)
        /// `#,##0` (id 3).
        public static let thousands = NumberFormat.builtIn(3)
        /// `0%` (id 9).
        public static let percent = NumberFormat.builtIn(9)
        /// `0.00%` (id 10).
        public static let percent2 = NumberFormat.builtIn(10)
        /// Excel's short date (id 14), shown in the reader's locale.
        public static let shortDate = NumberFormat.builtIn(14)
        /// `0.0%`.
        public static let percent1 = NumberFormat.custom("0.0%")
        /// `dd-mm-yyyy`, the Danish date.
        public static let date = NumberFormat.custom("dd-mm-yyyy")
        /// `dd-mm-yyyy hh:mm`, the Danish date and time.
        public static let dateTime = NumberFormat.custom("dd-mm-yyyy hh:mm")
        /// `@`, text (id 49).
        public static let text = NumberFormat.builtIn(49)

        /// Excel's built-in formats by id, for the ids whose code is the same in every locale.
        static let builtInCodes: [Int: String] = [
            0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
            12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
            18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
            37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
            40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
        ]

        /// The built-in id for this format, when it has one.
        var builtInID: Int? {
            switch self {
            case .builtIn(let id): return id
            case .custom(let code):
                return NumberFormat.builtInCodes.first { $0.value == code && $0.key != 14 && $0.key != 22 }?.key
            }
        }
    }
}
