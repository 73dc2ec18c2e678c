extension XLSXWriter {
    /// Whether a sheet's tab shows.
    public enum SheetVisibility: String, Sendable, Equatable {
        /// Shown.
        case visible
        /// Hidden; the user can unhide it from Excel's menu.
        case hidden
        /// Hidden so that only VBA (or editing the file) can show it again: for lookup lists.
        case veryHidden
    }

    /// The width, style or visibility of a run of columns.
    public struct Column: Sendable, Equatable {
        /// Zero-based first and last column of the run.
        public var first: Int
        /// See `first`.
        public var last: Int
        /// The width in characters of the default font, as Excel's Column Width dialog shows it.
        public var width: Double?
        /// The style of the run's empty cells, or none.
        public var style: StyleID?
        /// Whether the columns are hidden.
        public var hidden: Bool

        /// A run of columns `first...last`.
        public init(first: Int, last: Int, width: Double? = nil, style: StyleID? = nil, hidden: Bool = false) {
            self.first = first
            self.last = last
            self.width = width
            self.style = style
            self.hidden = hidden
        }

        /// One column with a width.
        public static func width(_ column: Int, _ width: Double) -> Column {
            Column(first: column, last: column, width: width)
        }

        /// The width stored in the file: characters plus Excel's padding, in 1/256 of a character (Calibri 11).
        var storedWidth: Double? {
            guard let width else { return nil }
            let maxDigitWidth = 7.0
            let padding = 5.0
            let pixels: Double
            if width <= 0 {
                return 0
            } else if width < 1 {
                pixels = (width * (maxDigitWidth + padding) + 0.5).rounded(.down)
            } else {
                pixels = (width * maxDigitWidth + 0.5).rounded(.down) + padding
            }
            return (pixels / maxDigitWidth * 256).rounded(.down) / 256
        }
    }

    /// How a sheet prints.
    public struct PageSetup: Sendable, Equatable {
        /// Portrait or landscape paper.
        public enum Orientation: String, Sendable, Equatable {
            /// Upright or sideways paper.
            case portrait, landscape
        }

        /// Portrait or landscape, or the printer's default when nil.
        public var orientation: Orientation?
        /// Excel's paper code (9 = A4, 1 = Letter), or the printer's default when nil.
        public var paperSize: Int?
        /// Scale every page to the width of one sheet of paper (as many pages tall as needed): `fitToPages` of
        /// one page wide and any number tall.
        public var fitToWidth: Bool {
            get { fitToPages == FitToPages(wide: 1, tall: 0) }
            set { fitToPages = newValue ? FitToPages(wide: 1, tall: 0) : nil }
        }
        /// Scale the printout to fit this many pages, or print at 100 % when nil.
        public var fitToPages: FitToPages?
        /// Zero-based rows repeated at the top of every page (the `_xlnm.Print_Titles` name), e.g. `0...0`.
        public var repeatedRows: ClosedRange<Int>?
        /// Print the cell grid.
        public var printGridLines: Bool
        /// Centre the printout horizontally on the page.
        public var centerHorizontally: Bool

        /// A page setup; the printer's defaults when nothing is given.
        public init(
            orientation: Orientation? = nil, paperSize: Int? = nil, fitToWidth: Bool = false,
            repeatedRows: ClosedRange<Int>? = nil, printGridLines: Bool = false, centerHorizontally: Bool = false,
            fitToPages: FitToPages? = nil
        ) {
            self.orientation = orientation
            self.paperSize = paperSize
            self.fitToPages = fitToPages ?? (fitToWidth ? FitToPages(wide: 1, tall: 0) : nil)
            self.repeatedRows = repeatedRows
            self.printGridLines = printGridLines
            self.centerHorizontally = centerHorizontally
        }

        /// Excel's paper code for A4.
        public static let a4 = 9
    }

    /// How many pages wide and tall a printout is scaled to; 0 means as many as needed.
    public struct FitToPages: Sendable, Equatable {
        /// Pages wide.
        public var wide: Int
        /// Pages tall.
        public var tall: Int

        /// Scale to `wide` × `tall` pages.
        public init(wide: Int, tall: Int) {
            self.wide = wide
            self.tall = tall
        }
    }

    /// Settings that Excel stores before a sheet's rows, so they are fixed when the sheet is created.
    public struct SheetOptions: Sendable, Equatable {
        /// Whether the sheet's tab shows.
        public var visibility: SheetVisibility
        /// Column widths, styles and hidden columns; runs must not overlap.
        public var columns: [Column]
        /// The number of top rows that stay in view when scrolling (0 for none).
        public var frozenRows: Int
        /// The number of left columns that stay in view when scrolling (0 for none).
        public var frozenColumns: Int
        /// The first cell shown in the scrolling pane below and right of frozen panes (e.g. `D12` to open the
        /// sheet scrolled down), or nil for the cell just past the frozen rows and columns.
        public var frozenTopLeftCell: String?
        /// The used range to declare up front (`A1:H200`), or nil to leave `<dimension>` out.
        ///
        /// The dimension precedes the rows in the file but is known only after them; Excel does not need it (it
        /// computes the used range on load), so by default it is omitted rather than guessed.
        public var dimension: String?
        /// Whether the cell grid shows on screen.
        public var showGridLines: Bool
        /// Zoom in percent, 10 to 400, or Excel's 100 when nil.
        public var zoom: Int?
        /// The tab's colour, or Excel's when nil.
        public var tabColor: Color?
        /// The default height of rows in points, or Excel's 15 when nil.
        public var defaultRowHeight: Double?
        /// How the sheet prints.
        public var pageSetup: PageSetup

        /// Options as given; Excel's defaults otherwise.
        public init(
            visibility: SheetVisibility = .visible, columns: [Column] = [], frozenRows: Int = 0,
            frozenColumns: Int = 0, dimension: String? = nil, showGridLines: Bool = true, zoom: Int? = nil,
            tabColor: Color? = nil, defaultRowHeight: Double? = nil, pageSetup: PageSetup = PageSetup(),
            frozenTopLeftCell: String? = nil
        ) {
            self.frozenTopLeftCell = frozenTopLeftCell
            self.visibility = visibility
            self.columns = columns
            self.frozenRows = frozenRows
            self.frozenColumns = frozenColumns
            self.dimension = dimension
            self.showGridLines = showGridLines
            self.zoom = zoom
            self.tabColor = tabColor
            self.defaultRowHeight = defaultRowHeight
            self.pageSetup = pageSetup
        }
    }

    /// A rule for what may be typed into cells, with an optional prompt and error message.
    public struct DataValidation: Sendable, Equatable {
        /// What a cell may hold.
        public enum Rule: Sendable, Equatable {
            /// A drop-down of these values; together (with separating commas) at most 255 characters, none
            /// containing a comma.
            case list([String])
            /// A drop-down of the values in a range, e.g. `'Lister'!$A$1:$A$4` (on a hidden sheet).
            case listFromRange(String)
            /// A whole number between the bounds, inclusive.
            case wholeNumber(min: Int, max: Int)
            /// A number between the bounds, inclusive.
            case decimal(min: Double, max: Double)
            /// Text of at most this many characters.
            case textLength(max: Int)
            /// Any formula that is true for valid input, e.g. `ISNUMBER(B2)`.
            case custom(String)
        }

        /// What Excel does with invalid input.
        public enum ErrorStyle: String, Sendable, Equatable {
            /// Refuse it.
            case stop
            /// Ask whether to keep it.
            case warning
            /// Inform and keep it.
            case information
        }

        /// What the cells may hold.
        public var rule: Rule
        /// Whether an empty cell is valid.
        public var allowBlank: Bool
        /// The prompt's title (at most 32 characters) and text (at most 255) shown when the cell is selected.
        public var inputTitle: String?
        /// See `inputTitle`.
        public var inputMessage: String?
        /// The error's title (at most 32 characters) and text (at most 255) shown for invalid input.
        public var errorTitle: String?
        /// See `errorTitle`.
        public var errorMessage: String?
        /// What Excel does with invalid input.
        public var errorStyle: ErrorStyle

        /// A validation by `rule`.
        public init(
            _ rule: Rule, allowBlank: Bool = true, inputTitle: String? = nil, inputMessage: String? = nil,
            errorTitle: String? = nil, errorMessage: String? = nil, errorStyle: ErrorStyle = .stop
        ) {
            self.rule = rule
            self.allowBlank = allowBlank
            self.inputTitle = inputTitle
            self.inputMessage = inputMessage
            self.errorTitle = errorTitle
            self.errorMessage = errorMessage
            self.errorStyle = errorStyle
        }
    }

    /// Sheet protection: locked cells cannot be changed; cells whose style is unlocked can be filled in.
    ///
    /// Without a password anyone can unprotect the sheet; the optional password uses Excel's legacy 16-bit hash,
    /// which keeps honest users from editing by mistake and is no security.
    public struct SheetProtection: Sendable, Equatable {
        /// The password to unprotect the sheet, or none.
        public var password: String?
        /// What users may still do on the protected sheet, as Excel's Protect Sheet dialog lists it.
        public var allowSelectingLockedCells: Bool
        /// See `allowSelectingLockedCells`.
        public var allowSelectingUnlockedCells: Bool
        /// See `allowSelectingLockedCells`.
        public var allowFormattingCells: Bool
        /// See `allowSelectingLockedCells`.
        public var allowFormattingColumns: Bool
        /// See `allowSelectingLockedCells`.
        public var allowFormattingRows: Bool
        /// See `allowSelectingLockedCells`.
        public var allowSorting: Bool
        /// See `allowSelectingLockedCells`.
        public var allowAutoFilter: Bool

        /// Protection as Excel's dialog sets it by default.
        public init(
            password: String? = nil, allowSelectingLockedCells: Bool = true, allowSelectingUnlockedCells: Bool = true,
            allowFormattingCells: Bool = false, allowFormattingColumns: Bool = false, allowFormattingRows: Bool = false,
            allowSorting: Bool = false, allowAutoFilter: Bool = false
        ) {
            self.password = password
            self.allowSelectingLockedCells = allowSelectingLockedCells
            self.allowSelectingUnlockedCells = allowSelectingUnlockedCells
            self.allowFormattingCells = allowFormattingCells
            self.allowFormattingColumns = allowFormattingColumns
            self.allowFormattingRows = allowFormattingRows
            self.allowSorting = allowSorting
            self.allowAutoFilter = allowAutoFilter
        }

        /// Excel's legacy sheet-password hash (the `password` attribute), as four hex digits.
        static func legacyHash(_ password: String) -> String {
            let bytes = Array(password.utf8)
            guard !bytes.isEmpty else { return "0000" }
            var hash: UInt16 = 0
            for byte in bytes.reversed() {
                hash = ((hash >> 14) & 0x01) | ((hash << 1) & 0x7FFF)
                hash ^= UInt16(byte)
            }
            hash = ((hash >> 14) & 0x01) | ((hash << 1) & 0x7FFF)
            hash ^= UInt16(truncatingIfNeeded: bytes.count)
            hash ^= 0xCE4B
            let digits = String(hash, radix: 16, uppercase: true)
            return String(repeating: "0", count: 4 - digits.count) + digits
        }
    }
}
