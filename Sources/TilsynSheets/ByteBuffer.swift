/// A growable byte buffer, without Array's copy-on-write checks: text collected from SAX callbacks, or output
/// being encoded (``CSVWriter``).
///
/// Owned by exactly one object, which calls ``free()`` in its `deinit`; a copy shares the bytes (and must not
/// outlive a mutation of the original that grows it).
struct ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    func free() { base.deallocate() }

    @inline(__always)
    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let needed = count + bytes.count
        if needed > capacity { grow(to: needed) }
        if let source = bytes.baseAddress { (base + count).update(from: source, count: bytes.count) }
        count = needed
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    /// Appends the bytes of a sequence one by one (for short or rare runs of bytes).
    mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        for byte in bytes { append(byte) }
    }

    /// Keeps the first `length` bytes.
    mutating func truncate(to length: Int) { count = max(0, min(count, length)) }

    @inline(never)
    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    var isEmpty: Bool { count == 0 }

    /// The collected bytes, valid until the next mutation.
    @inline(__always)
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// A ``ByteBuffer`` owned by a class instance and freed with it: growing output held by a struct (``XMLBuffer``).
final class ByteStore {
    @exclusivity(unchecked) var buffer: ByteBuffer

    init(capacity: Int) { buffer = ByteBuffer(capacity: capacity) }

    deinit { buffer.free() }
}
