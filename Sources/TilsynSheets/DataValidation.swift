/// A data-validation rule of a worksheet.
public struct DataValidation: Sendable, Equatable {
    /// `list`, `whole`, `decimal`, `date`, `time`, `textLength`, `custom`, or `none`.
    public var type: String
    /// The ranges the rule applies to.
    public var ranges: [CellRange]
    /// The first formula: for lists the inline values (`"Ja,Nej"`) or a range (`Lister!$A$1:$A$3`).
    public var formula1: String?
    /// The second formula (the upper bound of a between rule), when there is one.
    public var formula2: String?
    /// Whether an empty cell is valid.
    public var allowBlank: Bool

    /// For a list rule with inline values, the values; nil for a range or another type.
    public var listValues: [String]? {
        guard type == "list", let formula = formula1, formula.hasPrefix("\""), formula.hasSuffix("\""),
            formula.count >= 2
        else { return nil }
        return formula.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}
