/// What one file's texts were read as (a question id, an answer), remembered for the rest of the file, at most
/// ``limit`` of them. A long CSV names the same questions in the same order on every review and uses the same few
/// answers, so a look-up first tries the entry after the one found last, then the first few entries, each by
/// equality, and only then hashes the key: hashing the key's three strings for every answer was about 5 % of a long
/// CSV's import.
struct TextMemo<Value> {
    typealias Key = ReadContext.TextKey

    /// Entries past this many are not remembered (a file of free text in the answer column would grow it without end).
    static var limit: Int { 4_096 }
    /// The entries tried one by one after the next in order.
    private static var scanned: Int { 8 }

    private var keys: [Key] = []
    private var values: [Value] = []
    private var positions: [Key: Int] = [:]
    /// The entry after the one found or added last.
    private var next = 0

    /// The value remembered for `key`, or nil.
    mutating func value(for key: Key) -> Value? {
        if next < keys.count, keys[next] == key {
            next += 1
            return values[next - 1]
        }
        for index in 0..<min(keys.count, Self.scanned) where keys[index] == key {
            next = index + 1
            return values[index]
        }
        guard let index = positions[key] else { return nil }
        next = index + 1
        return values[index]
    }

    /// Remembers `value` for `key` (a key not remembered yet), unless ``limit`` entries are remembered already.
    mutating func remember(_ value: Value, for key: Key) {
        guard keys.count < Self.limit else { return }
        positions[key] = keys.count
        keys.append(key)
        values.append(value)
        next = keys.count
    }

    /// How many entries are remembered.
    var count: Int { keys.count }
}
