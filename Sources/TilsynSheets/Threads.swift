import Dispatch
import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

// Tilsyn's one concurrency model, for every module: threads started with `startThread` (POSIX threads, detached,
// with a stack size of our choosing), shared state behind a `Mutex` (Synchronization), and waiting on a
// `DispatchSemaphore`. No Foundation threads or locks, no Dispatch queues, no Swift concurrency on the hot paths:
// the readers are synchronous C callbacks, and the work is a handful of long-lived threads per run.

/// Starts a detached thread running `body`; false when the system refuses a thread. `stackSize` 0 takes the
/// system's default.
package func startThread(stackSize: Int = 0, _ body: @escaping @Sendable () -> Void) -> Bool {
    final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    if stackSize > 0 { pthread_attr_setstacksize(&attributes, stackSize) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, &attributes, { argument in
        guard let argument else { return nil }
        Unmanaged<Box>.fromOpaque(argument).takeRetainedValue().body()
        return nil
    }, box)
    guard rc == 0 else {
        Unmanaged<Box>.fromOpaque(box).release()
        return false
    }
    return true
}

/// Runs `body(0)` … `body(count - 1)` at once, `body(0)` on the calling thread and each other on a thread of its
/// own, and returns when all have returned. A part whose thread cannot be started runs on the calling thread.
package func inParallel(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    guard count > 1 else {
        if count == 1 { body(0) }
        return
    }
    let finished = DispatchSemaphore(value: 0)
    var started = 0
    for part in 1..<count {
        if startThread({ body(part); finished.signal() }) {
            started += 1
        } else {
            body(part)
        }
    }
    body(0)
    for _ in 0..<started { finished.wait() }
}

/// Values produced by worker threads in any order and consumed in index order: workers `claim` an index, compute
/// and `put` its value; the consumer `take`s them one by one, waiting for each. `cancel` makes `claim` return nil,
/// so workers stop after the value they are computing.
///
/// With a `window`, at most that many values are claimed ahead of the consumer: `claim` waits while index
/// `taken + window` is reached, so what is held between the workers and the consumer stays bounded however fast the
/// workers are.
package final class OrderedResults<Value: Sendable>: Sendable {
    private struct State {
        var slots: [Value?]
        var next = 0
        var taken = 0
        var waiting = 0
    }

    private let state: Mutex<State>
    private let window: Int
    private let ready = DispatchSemaphore(value: 0)
    private let room = DispatchSemaphore(value: 0)

    /// Results for indices `0..<count`, at most `window` of them claimed before the consumer took them.
    package init(count: Int, window: Int = .max) {
        state = Mutex(State(slots: Array(repeating: nil, count: count)))
        self.window = max(1, window)
    }

    /// The next index to work on, or nil when all are claimed (or the work is cancelled); waits while the window
    /// ahead of the consumer is full.
    package func claim() -> Int? {
        while true {
            // nil: nothing left to claim; (nil, wait): the window is full.
            let claim = state.withLock { state -> (index: Int?, wait: Bool)? in
                guard state.next < state.slots.count else { return nil }
                guard state.next - state.taken < window else {
                    state.waiting += 1
                    return (nil, true)
                }
                state.next += 1
                return (state.next - 1, false)
            }
            guard let claim else { return nil }
            if let index = claim.index { return index }
            room.wait()
        }
    }

    /// Leaves no index to claim: workers stop after their current value, and waiting ones return nil.
    package func cancel() {
        let waiting = state.withLock { state in
            state.next = state.slots.count
            defer { state.waiting = 0 }
            return state.waiting
        }
        for _ in 0..<waiting { room.signal() }
    }

    package func put(_ value: Value, at index: Int) {
        state.withLock { state in state.slots[index] = value }
        ready.signal()
    }

    /// Waits for the value at `index` and removes it; indices are taken in order.
    package func take(_ index: Int) -> Value {
        while true {
            let (value, wake) = state.withLock { state -> (Value?, Bool) in
                guard let value = state.slots[index] else { return (nil, false) }
                state.slots[index] = nil
                state.taken = max(state.taken, index + 1)
                guard state.waiting > 0 else { return (value, false) }
                state.waiting -= 1
                return (value, true)
            }
            if wake { room.signal() }
            if let value { return value }
            ready.wait()
        }
    }
}

/// The number of cores this process may run on: its CPU affinity (`taskset`, a cgroup's cpuset) as Linux states it
/// in `/proc/self/status` (`Cpus_allowed_list: 0-1`), else the cores online. A process pinned to one core of two
/// works as one core should: no second thread to hand work to and wait for.
public func availableCores() -> Int {
    let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    guard let allowed = allowedCPUs() else { return online }
    return max(1, min(online, allowed))
}

/// The number of CPUs in `Cpus_allowed_list` of `/proc/self/status`; nil when it cannot be read.
private func allowedCPUs() -> Int? {
    let descriptor = open("/proc/self/status", O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 1 << 16 {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    let key = Array("Cpus_allowed_list:".utf8)
    guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: key) }) else { return nil }
    var total = 0
    var low: Int?
    var number: Int?
    for byte in bytes[(start + key.count)...] {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            number = (number ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "-"):
            low = number
            number = nil
        case UInt8(ascii: ","), UInt8(ascii: "\n"):
            if let high = number { total += low.map { high >= $0 ? high - $0 + 1 : 0 } ?? 1 }
            low = nil
            number = nil
            if byte == UInt8(ascii: "\n") { return total > 0 ? total : nil }
        default:
            continue
        }
    }
    return total > 0 ? total : nil
}
