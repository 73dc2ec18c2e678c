import Foundation
import Testing
import TilsynTestSupport

/// The tests' process runner starts a program that is, for a moment, still open for writing somewhere (as a binary
/// just copied is, when another test's child was forked during the copy): Linux refuses it with "Text file busy"
/// until then, and the runner tries again instead of failing the test.
@Suite struct ProcessStartTests {
    @Test func aProgramStillOpenForWritingIsStartedOnceItIsClosed() throws {
        let directory = try TemporaryDirectory("busy")
        defer { directory.cleanUp() }
        let path = directory.path("hello")
        let script = Array("#!/bin/sh\necho hej\n".utf8)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o755)
        try #require(descriptor >= 0)
        try #require(script.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == script.count)
        // Open for writing here while the runner first tries to start it; closed a moment later.
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(150)) { close(descriptor) }
        let result = try runProcess(URL(fileURLWithPath: path), [])
        #expect(result.status == 0)
        #expect(result.stdout == "hej\n")
    }
}
