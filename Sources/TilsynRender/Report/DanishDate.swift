/// A report that cannot be built: no answers, or an unknown round.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, in words.
    public var message: String

    /// An error saying `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A calendar date written the Danish way: `23. november 2026`.
public struct DanishDate: Sendable, Equatable {
    /// The year.
    public var year: Int
    /// The month, 1–12.
    public var month: Int
    /// The day of the month.
    public var day: Int

    /// The date `day`-`month`-`year`.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    static let months = [
        "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november",
        "december",
    ]

    /// `23. november 2026`.
    public var text: String {
        "\(day). \(DanishDate.months[max(1, min(12, month)) - 1]) \(year)"
    }

    /// `2026-11-23`.
    public var iso: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
