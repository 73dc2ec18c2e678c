internal import CZlib

/// One raw-deflate compressor; owns its heap-allocated `z_stream` (zlib keeps a back-pointer, so the
/// stream must never move) and ends it in `deinit`.
///
/// A stream is compressed by any number of `compress(_:into:_:)` calls followed by one `finish(into:_:)`;
/// `reset()` then starts the next stream with the same settings, without allocating zlib's state again.
final class Deflater {
    private let stream: UnsafeMutablePointer<z_stream>
    /// The compression level, 1 (fastest) to 9 (smallest).
    let level: Int

    /// Creates a compressor at `level` (1–9); throws when zlib cannot start.
    init(level: Int) throws {
        guard (1...9).contains(level) else {
            throw SpreadsheetError(
                .invalidArgument, "the deflate level \(level) is outside 1...9: use 1 (fastest) to 9")
        }
        self.level = level
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = CZlib_deflateInit2(stream, Int32(level), -MAX_WBITS)
        guard rc == Z_OK else {
            // deinit still runs (every stored property is set): it ends and frees the stream.
            throw SpreadsheetError(.writeFailed, "zlib could not start compressing (code \(rc))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Starts a new stream with the same level.
    func reset() throws {
        let rc = deflateReset(stream)
        guard rc == Z_OK else {
            throw SpreadsheetError(.writeFailed, "zlib could not restart compressing (code \(rc))")
        }
    }

    /// Compresses all of `input`, handing out compressed chunks of at most `output.count` bytes.
    ///
    /// zlib may keep some input buffered until more arrives or the stream is finished.
    func compress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try run(input, flush: Z_NO_FLUSH, into: output, body)
    }

    /// Ends the stream, handing out the last compressed chunks.
    func finish(into output: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, into: output, body)
    }

    private func run(
        _ input: UnsafeRawBufferPointer, flush: Int32, into output: UnsafeMutableRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard let outBase = output.baseAddress, output.count > 0 else {
            throw SpreadsheetError(.writeFailed, "the compression buffer is empty")
        }
        var offset = 0
        repeat {
            let take = min(input.count - offset, Int(UInt32.max >> 1))
            if let inBase = input.baseAddress, take > 0 {
                stream.pointee.next_in = UnsafeMutablePointer(
                    mutating: inBase.advanced(by: offset).assumingMemoryBound(to: Bytef.self))
            } else {
                stream.pointee.next_in = nil
            }
            stream.pointee.avail_in = UInt32(take)
            offset += take
            let last = offset == input.count
            // Keep calling deflate while it fills the whole output buffer or (when finishing) until the end.
            while true {
                stream.pointee.next_out = outBase.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(output.count)
                let rc = deflate(stream, last ? flush : Z_NO_FLUSH)
                let produced = output.count - Int(stream.pointee.avail_out)
                if produced > 0 {
                    try body(UnsafeRawBufferPointer(start: outBase, count: produced))
                }
                switch rc {
                case Z_STREAM_END:
                    return
                case Z_OK, Z_BUF_ERROR:
                    // Z_BUF_ERROR only means "no progress possible", i.e. all input taken and nothing to flush.
                    if stream.pointee.avail_out == 0 { continue }
                    if stream.pointee.avail_in > 0 && rc == Z_OK { continue }
                    if last && flush == Z_FINISH && rc == Z_OK { continue }
                default:
                    let detail = stream.pointee.msg.map { String(cString: $0) } ?? "code \(rc)"
                    throw SpreadsheetError(.writeFailed, "compressing failed (\(detail))")
                }
                break
            }
        } while offset < input.count
    }
}
