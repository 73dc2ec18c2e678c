#if canImport(Glibc)
import Glibc
#endif
import CFuzzerDriver
import TilsynSheets

/// The reader under test; set once by ``runFuzzer(_:)`` before libFuzzer starts.
nonisolated(unsafe) private var currentTarget: (([UInt8]) throws -> Void)?

/// Runs libFuzzer (its flags come from the command line) with `target` as the code under test.
///
/// `target` may throw ``SpreadsheetError``: rejecting a hostile input is the expected outcome. Any other error is
/// reported as a crash, like a trap or a sanitizer report.
public func runFuzzer(_ target: @escaping ([UInt8]) throws -> Void) -> Never {
    currentTarget = target
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in testOneInput(data, size) })
}

/// One input; also exported under libFuzzer's conventional name for tools that look for it.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = currentTarget else { fatalError("runFuzzer was not called before the first input") }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        try target(bytes)
    } catch is SpreadsheetError {
        // A clean rejection.
    } catch {
        fatalError("the reader threw \(type(of: error)), not a SpreadsheetError: \(error)")
    }
    return 0
}
