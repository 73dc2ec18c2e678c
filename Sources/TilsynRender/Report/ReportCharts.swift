/// The report's charts, drawn as inline SVG: no script, no font or image from outside, text escaped.
///
/// Every chart is an `<svg role="img">` with a `<title>` for screen readers; sizes are in user units and the
/// chart scales to the page width (`width: 100%` in the style sheet).
enum ReportCharts {
    /// One bar: a label, a share in [0, 1] (nil when suppressed or empty) and the text printed after the bar.
    struct Bar {
        var label: String
        var value: Double?
        var text: String
        var caution: Bool = false
    }

    static let width = 680.0
    static let labelWidth = 250.0
    static let valueWidth = 120.0
    static let rowHeight = 22.0
    static let blue = "#1f5f8b"
    static let grey = "#a7b4c0"
    /// Lav, nogen and høj grad: one blue ramp from light to dark, told apart by lightness alone, so that no
    /// red-green pair carries meaning (colour-blind safe, and legible in black and white).
    static let low = "#c6dbef"
    static let some = "#6baed6"
    static let high = "#08519c"
    /// The height of one line of a wrapped label.
    static let lineHeight = 12.0
    /// Characters per line of a label before it wraps.
    static let labelLine = 42

    /// Horizontal bars from 0 to 100 % with gridlines at every 25 %.
    static func bars(_ bars: [Bar], title: String) -> String {
        let plot = width - labelWidth - valueWidth
        let (rows, end) = layout(bars.map(\.label), top: 6)
        let height = end + 22
        var svg = open(title: title, height: height)
        svg += axis(x: labelWidth, plot: plot, top: 4, bottom: height - 20)
        for (index, bar) in bars.enumerated() {
            let y = rows[index]
            svg += label(bar.label, x: labelWidth - 6, y: y + 14)
            if let value = bar.value {
                let length = max(0, min(1, value)) * plot
                svg += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y + 3))\" width=\"\(n(length))\" height=\"14\" "
                svg += "fill=\"\(blue)\"\(bar.caution ? " fill-opacity=\"0.55\"" : "")/>"
            }
            svg += text(bar.text, x: labelWidth + plot + 6, y: y + 14, anchor: "start")
        }
        return svg + "</svg>"
    }

    /// Pairs of bars: the baseline (grey) above the round (blue) for each group.
    static func pairs(
        _ groups: [(label: String, baseline: Double?, round: Double?, text: String)],
        title: String, baselineName: String, roundName: String
    ) -> String {
        let plot = width - labelWidth - valueWidth
        let (positions, end) = layout(groups.map(\.label), top: 26, minimum: 30)
        let height = end + 22
        var svg = open(title: title, height: height)
        svg += legend([(grey, baselineName), (blue, roundName)], y: 12)
        svg += axis(x: labelWidth, plot: plot, top: 24, bottom: height - 20)
        for (index, item) in groups.enumerated() {
            let y = positions[index]
            svg += label(item.label, x: labelWidth - 6, y: y + 16)
            for (offset, value, colour) in [(2.0, item.baseline, grey), (14.0, item.round, blue)] {
                if let value {
                    svg +=
                        "<rect x=\"\(n(labelWidth))\" y=\"\(n(y + offset))\" width=\"\(n(max(0, min(1, value)) * plot))"
                    svg += "\" height=\"11\" fill=\"\(colour)\"/>"
                }
            }
            svg += text(item.text, x: labelWidth + plot + 6, y: y + 16, anchor: "start")
        }
        return svg + "</svg>"
    }

    /// A line over the rounds, from 0 to 100 %, with each point labelled.
    static func line(_ points: [(label: String, value: Double?, text: String)], title: String) -> String {
        let height = 220.0
        let left = 60.0
        let right = 40.0
        let top = 16.0
        let bottom = height - 40
        let plot = width - left - right
        var svg = open(title: title, height: height)
        for tick in stride(from: 0, through: 100, by: 25) {
            let y = bottom - Double(tick) / 100 * (bottom - top)
            svg += "<line x1=\"\(n(left))\" x2=\"\(n(left + plot))\" y1=\"\(n(y))\" y2=\"\(n(y))\" stroke=\"#d5dbe0\"/>"
            svg += text("\(tick) %", x: left - 6, y: y + 4, anchor: "end")
        }
        let step = points.count > 1 ? plot / Double(points.count - 1) : 0
        var coordinates: [(Double, Double)] = []
        for (index, point) in points.enumerated() {
            let x = points.count > 1 ? left + Double(index) * step : left + plot / 2
            svg += text(point.label, x: x, y: bottom + 18, anchor: "middle")
            guard let value = point.value else { continue }
            let y = bottom - max(0, min(1, value)) * (bottom - top)
            coordinates.append((x, y))
            svg += text(point.text, x: x, y: y - 9, anchor: "middle", bold: true)
        }
        if coordinates.count > 1 {
            let list = coordinates.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
            svg += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(blue)\" stroke-width=\"2.5\"/>"
        }
        for (x, y) in coordinates {
            svg += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"4.5\" fill=\"\(blue)\"/>"
        }
        return svg + "</svg>"
    }

    /// Stacked bars of Lav / Nogen / Høj grad, each bar 100 % of its answers.
    static func stacked(_ rows: [(label: String, low: Int, some: Int, high: Int, text: String)], title: String)
        -> String
    {
        let plot = width - labelWidth - valueWidth
        let (positions, end) = layout(rows.map(\.label), top: 26)
        let height = end + 22
        var svg = open(title: title, height: height)
        svg += legend([(low, "Lav grad"), (some, "Nogen grad"), (high, "Høj grad")], y: 12)
        svg += axis(x: labelWidth, plot: plot, top: 24, bottom: height - 20)
        for (index, row) in rows.enumerated() {
            let y = positions[index]
            svg += label(row.label, x: labelWidth - 6, y: y + 14)
            let total = row.low + row.some + row.high
            if total > 0 {
                var x = labelWidth
                for (count, colour) in [(row.low, low), (row.some, some), (row.high, high)] where count > 0 {
                    let length = Double(count) / Double(total) * plot
                    svg += "<rect x=\"\(n(x))\" y=\"\(n(y + 3))\" width=\"\(n(length))\" height=\"14\" "
                    svg += "fill=\"\(colour)\"/>"
                    x += length
                }
            }
            svg += text(row.text, x: labelWidth + plot + 6, y: y + 14, anchor: "start")
        }
        return svg + "</svg>"
    }

    // MARK: - Pieces

    private static func open(title: String, height: Double) -> String {
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
            + "preserveAspectRatio=\"xMinYMin meet\"><title>\(htmlEscape(title))</title>"
    }

    private static func axis(x: Double, plot: Double, top: Double, bottom: Double) -> String {
        var svg = ""
        for tick in stride(from: 0, through: 100, by: 25) {
            let position = x + Double(tick) / 100 * plot
            svg += "<line x1=\"\(n(position))\" x2=\"\(n(position))\" y1=\"\(n(top))\" y2=\"\(n(bottom))\" "
            svg += "stroke=\"\(tick == 0 ? "#6b7782" : "#d5dbe0")\"/>"
            svg += text("\(tick) %", x: position, y: bottom + 14, anchor: "middle")
        }
        return svg
    }

    private static func legend(_ items: [(String, String)], y: Double) -> String {
        var svg = ""
        var x = labelWidth
        for (colour, name) in items {
            svg += "<rect x=\"\(n(x))\" y=\"\(n(y - 9))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            svg += text(name, x: x + 14, y: y, anchor: "start")
            x += 24 + Double(name.count) * 6.5
        }
        return svg
    }

    /// A row label, cut to fit the label column (the full text is in the table below the chart).
    /// The top of each row, each as tall as its wrapped label needs, and the bottom of the last.
    static func layout(_ labels: [String], top: Double, minimum: Double = rowHeight) -> (rows: [Double], end: Double) {
        var rows: [Double] = []
        var y = top
        for label in labels {
            rows.append(y)
            y += max(minimum, Double(wrap(label).count) * lineHeight + 8)
        }
        return (rows, y)
    }

    /// A label in lines of at most `labelLine` characters, broken between words (a longer word stands alone).
    static func wrap(_ label: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in label.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > labelLine {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// The whole label, wrapped, right-aligned before the bar; its first line level with the bar.
    private static func label(_ label: String, x: Double, y: Double) -> String {
        let lines = wrap(label)
        guard lines.count > 1 else { return text(label, x: x, y: y, anchor: "end") }
        var svg = "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"end\">"
        for (index, line) in lines.enumerated() {
            svg += "<tspan x=\"\(n(x))\" dy=\"\(index == 0 ? "0" : n(lineHeight))\">\(htmlEscape(line))</tspan>"
        }
        return svg + "</text>"
    }

    private static func text(_ text: String, x: Double, y: Double, anchor: String, bold: Bool = false) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"\(bold ? " font-weight=\"bold\"" : "")>"
            + htmlEscape(text) + "</text>"
    }

    /// A coordinate with at most one decimal, `.` as the separator (SVG syntax, not Danish text).
    private static func n(_ value: Double) -> String {
        let scaled = Int((value * 10).rounded())
        return scaled % 10 == 0 ? String(scaled / 10) : "\(scaled / 10).\(abs(scaled % 10))"
    }
}
