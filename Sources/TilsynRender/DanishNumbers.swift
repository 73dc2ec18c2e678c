// The one place numbers are written the Danish way: percentages, decimals and percentage points.

/// Danish formatting of rates for tables meant for people.
public enum DanishPercent {
    /// `91,3 %` (one decimal) or `88 %` (`decimals` 0); rounded half up, computed exactly from the counts.
    public static func format(_ part: Int, of whole: Int, decimals: Int = 1) -> String {
        precondition(whole > 0 && decimals >= 0 && decimals <= 3)
        var scale = 100
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (2 * part * scale + whole) / (2 * whole)
        guard decimals > 0 else { return "\(scaled) %" }
        var divisor = 1
        for _ in 0..<decimals { divisor *= 10 }
        let fraction = String(scaled % divisor)
        return "\(scaled / divisor),\(String(repeating: "0", count: decimals - fraction.count))\(fraction) %"
    }

    /// A fraction in [0, 1] as `91,3 %`, rounded half up to `decimals` places.
    public static func format(fraction: Double, decimals: Int = 1) -> String {
        var scale = 100.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((fraction * scale).rounded())
        var divisor = 1
        for _ in 0..<decimals { divisor *= 10 }
        guard decimals > 0 else { return "\(scaled) %" }
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        let digits = String(magnitude % divisor)
        return "\(sign)\(magnitude / divisor),\(String(repeating: "0", count: decimals - digits.count))\(digits) %"
    }

    /// A rate with its counts: `91,3 % (441/483)`, or `88 % (7/8)` with `decimals` 0; `– (0/0)` when n is 0.
    public static func rate(yes: Int, n: Int, decimals: Int = 1) -> String {
        guard n > 0 else { return "– (0/0)" }
        return "\(format(yes, of: n, decimals: decimals)) (\(yes)/\(n))"
    }
}

/// Danish decimals: `0,47`; a negative number with a hyphen-minus (`-0,47`), as in data.
public enum DanishDecimal {
    /// `value` with `decimals` decimals and a decimal comma.
    public static func format(_ value: Double, decimals: Int) -> String {
        precondition(decimals >= 0 && decimals <= 6)
        var divisor = 1
        for _ in 0..<decimals { divisor *= 10 }
        let scaled = Int((value * Double(divisor)).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        guard decimals > 0 else { return "\(sign)\(magnitude)" }
        let digits = String(magnitude % divisor)
        return "\(sign)\(magnitude / divisor),\(String(repeating: "0", count: decimals - digits.count))\(digits)"
    }

    /// A change in percentage points for people to read: `+3,1 pp`, `−2,0 pp` (a typographic minus), `0,0 pp`
    /// signed as its rounded value is.
    public static func points(_ value: Double, decimals: Int = 1) -> String {
        let text = format(value, decimals: decimals)
        if text.hasPrefix("-") { return "−" + text.dropFirst() + " pp" }
        return (value >= 0 ? "+" : "") + text + " pp"
    }
}
