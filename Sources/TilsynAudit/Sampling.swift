/// SplitMix64: a small, fast, seedable generator whose output is the same on every machine and Swift version.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` by rejection sampling, independent of the standard library's algorithm.
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "the bound must be positive")
        let range = UInt64(bound)
        let limit = UInt64.max - UInt64.max % range
        while true {
            let value = next()
            if value < limit { return Int(value % range) }
        }
    }
}

/// The udtræk: a reproducible sample of cases stratified by indsats (and enhed), allocated proportionally with
/// largest-remainder rounding; the second level is a stratified subset of the first.
public enum Sampler {
    /// How cases are grouped into strata.
    public enum Strata: String, Sendable, CaseIterable {
        /// By indsats (§ 30, § 32, § 46, § 47).
        case indsats
        /// By indsats and enhed together.
        case indsatsAndEnhed = "indsats,enhed"
    }

    /// One drawn case: its index in the input and the highest level it is reviewed at (1, or 2 for both levels).
    public struct Pick: Sendable, Equatable {
        /// The case's index in the input.
        public var index: Int
        /// 1, or 2 when the case is reviewed at both levels.
        public var level: Int
    }

    /// Splits `total` over groups proportionally to `counts` with largest-remainder (Hamilton) rounding.
    ///
    /// Each share is the exact quota rounded down or up, so it is within one of `total * count / sum`; ties in the
    /// remainders go to the earlier group. Requires `0 <= total <= counts.sum()`.
    public static func allocate(_ total: Int, over counts: [Int]) -> [Int] {
        let sum = counts.reduce(0, +)
        guard sum > 0, total > 0 else { return counts.map { _ in 0 } }
        var shares = counts.map { total * $0 / sum }
        let remainders = counts.map { total * $0 % sum }
        let left = total - shares.reduce(0, +)
        let order = counts.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for index in order.prefix(left) { shares[index] += 1 }
        return shares
    }

    /// Draws `size` cases and, among them, `secondLevel` for niveau 2; the same input and seed give the same draw.
    ///
    /// Strata are ordered by indsats then enhed; within each, cases are shuffled (Fisher–Yates with SplitMix64) in
    /// input order and the first ones taken, and the second level takes the first of those. Returns the picks in
    /// input order.
    public static func draw(
        _ cases: [CaseRecord], size: Int, secondLevel: Int, seed: UInt64, strata: Strata = .indsatsAndEnhed
    ) throws -> [Pick] {
        guard size >= 0, size <= cases.count else {
            throw CatalogueError(.invalidValue, "the sample size \(size) must be 0 to the \(cases.count) cases listed")
        }
        guard secondLevel >= 0, secondLevel <= size else {
            throw CatalogueError(.invalidValue, "the second level (\(secondLevel)) must be 0 to the sample size \(size)")
        }
        struct Key: Hashable, Comparable {
            var indsats: Int
            var enhed: String
            static func < (a: Key, b: Key) -> Bool {
                a.indsats != b.indsats ? a.indsats < b.indsats : a.enhed < b.enhed
            }
        }
        var groups: [Key: [Int]] = [:]
        for (index, record) in cases.enumerated() {
            let key = Key(indsats: record.indsats.paragraph, enhed: strata == .indsats ? "" : record.enhed)
            groups[key, default: []].append(index)
        }
        let keys = groups.keys.sorted()
        let first = allocate(size, over: keys.map { groups[$0]?.count ?? 0 })
        let second = allocate(secondLevel, over: first)
        var generator = SplitMix64(seed: seed)
        var levels: [Int: Int] = [:]
        for (position, key) in keys.enumerated() {
            var members = groups[key] ?? []
            if members.count > 1 {
                for i in stride(from: members.count - 1, to: 0, by: -1) {
                    members.swapAt(i, generator.next(below: i + 1))
                }
            }
            for (rank, index) in members.prefix(first[position]).enumerated() {
                levels[index] = rank < second[position] ? 2 : 1
            }
        }
        return levels.keys.sorted().map { Pick(index: $0, level: levels[$0] ?? 1) }
    }
}
