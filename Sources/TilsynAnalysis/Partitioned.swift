internal import TilsynSheets
internal import TilsynStore

/// Runs an aggregate query over ranges of case ids in parallel and adds up its sums per group.
enum Partitioned {
    /// One group: its key texts, ordering values (the first of them seen) and summed statistics.
    struct Group {
        var keys: [String]
        var orders: [Double]
        var sums: [Int]
    }

    /// Reads `sql` (whose last two arguments are the case id range) once per range; the rows are `keys` key
    /// texts, `orders` ordering numbers, then sums. Groups come back sorted by their ordering values, then keys.
    static func read(
        _ store: StoreReader, sql: String, arguments: [SQLValue], keys: Int, orders: Int,
        level: Int
    ) throws -> [Group] {
        let bounds = try store.read { runner in
            try runner.rows("SELECT min(case_id), max(case_id) FROM review WHERE level = ?", [SQLValue(level)]).first
        }
        guard let bounds, let low = bounds.optionalInt(0), let high = bounds.optionalInt(1) else { return [] }
        // Ranges of at least 10,000 cases, each read on its own where the back end can (SQLite on disk).
        let count = high - low > 10_000 ? max(1, min(8, availableCores())) : 1
        let width = (high - low) / count + 1
        let parts = try store.connection.readInParallel(count) { part, runner in
            let range = [SQLValue(low + part * width), SQLValue(min(high, low + (part + 1) * width - 1))]
            return merge([try runner.rows(sql, arguments + range)], keys: keys, orders: orders)
        }
        return merge(groups: parts.flatMap { $0 }, keys: keys)
    }

    /// Adds up the sums of rows from several parts per group (rows as in `read`), sorted as `read` returns them.
    static func merge(_ parts: [[[SQLValue]]], keys: Int, orders: Int) -> [Group] {
        var groups: [Group] = []
        for part in parts {
            for row in part {
                let sums = (keys + orders..<row.count).map { row.int($0) }
                // An aggregate without GROUP BY returns one row even for no matches: it adds nothing.
                guard sums.first ?? 0 > 0 else { continue }
                groups.append(Group(
                    keys: (0..<keys).map { row.string($0) }, orders: (0..<orders).map { Self.number(row[keys + $0]) },
                    sums: sums))
            }
        }
        return merge(groups: groups, keys: keys)
    }

    /// An ordering value as a number.
    private static func number(_ value: SQLValue) -> Double {
        switch value {
        case .integer(let number): Double(number)
        case .real(let number): number
        case .text(let text): Double(text) ?? 0
        case .null: 0
        }
    }

    /// Adds up groups with the same keys (the lowest ordering values win) and sorts them by ordering values, then
    /// keys.
    static func merge(groups list: [Group], keys: Int) -> [Group] {
        var groups: [[String]: Group] = [:]
        for item in list {
            guard var group = groups[item.keys] else {
                groups[item.keys] = item
                continue
            }
            for index in item.sums.indices { group.sums[index] += item.sums[index] }
            for index in item.orders.indices { group.orders[index] = min(group.orders[index], item.orders[index]) }
            groups[item.keys] = group
        }
        return groups.values.sorted { left, right in
            for index in 0..<keys {
                if left.orders[index] != right.orders[index] { return left.orders[index] < right.orders[index] }
                if left.keys[index] != right.keys[index] { return left.keys[index] < right.keys[index] }
            }
            return false
        }
    }
}

/// Chance-corrected agreement.
public enum Kappa {
    /// Cohen's κ from its sufficient statistics: `items` rated by two raters, `agree` of them alike, and each rater's
    /// count per category (`first[c]`, `second[c]`). nil when there are no items or chance agreement is 1.
    public static func cohen(items: Int, agree: Int, first: [Int], second: [Int]) -> Double? {
        guard items > 0 else { return nil }
        let total = Double(items)
        let observed = Double(agree) / total
        let expected = zip(first, second).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / (total * total)
        guard expected < 1 else { return nil }
        return (observed - expected) / (1 - expected)
    }

    /// Cohen's κ of a square contingency table (`table[i][j]`: rater one said i, rater two said j).
    public static func cohen(table: [[Int]]) -> Double? {
        let size = table.count
        let items = table.reduce(0) { $0 + $1.reduce(0, +) }
        let agree = (0..<size).reduce(0) { $0 + table[$1][$1] }
        let first = table.map { $0.reduce(0, +) }
        let second = (0..<size).map { column in table.reduce(0) { $0 + $1[column] } }
        return cohen(items: items, agree: agree, first: first, second: second)
    }

    /// Fleiss' κ from its sufficient statistics: `items` each rated by `raters`; per category the sum over items of
    /// the raters choosing it (`totals[c]`) and of its square (`squares[c]`). nil when undefined.
    public static func fleiss(items: Int, raters: Int, totals: [Int], squares: [Int]) -> Double? {
        guard items > 0, raters >= 2 else { return nil }
        let ratings = Double(items * raters)
        let observed = (Double(squares.reduce(0, +)) - ratings) / (ratings * Double(raters - 1))
        let expected = totals.reduce(0.0) { $0 + (Double($1) / ratings) * (Double($1) / ratings) }
        guard expected < 1 else { return nil }
        return (observed - expected) / (1 - expected)
    }

    /// Fleiss' κ of a table with one row per item and one column per category (`counts[i][c]`: raters choosing c).
    public static func fleiss(counts: [[Int]]) -> Double? {
        guard let raters = counts.first?.reduce(0, +), counts.allSatisfy({ $0.reduce(0, +) == raters }) else {
            return nil
        }
        let categories = counts.first?.count ?? 0
        let totals = (0..<categories).map { c in counts.reduce(0) { $0 + $1[c] } }
        let squares = (0..<categories).map { c in counts.reduce(0) { $0 + $1[c] * $1[c] } }
        return fleiss(items: counts.count, raters: raters, totals: totals, squares: squares)
    }
}
