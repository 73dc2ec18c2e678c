internal import CZlib

/// One raw-deflate decompressor; owns its heap-allocated `z_stream` (zlib keeps a back-pointer,
/// so the stream must never move) and ends it in `deinit`.
final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>

    init() throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = CZlib_inflateInit2(stream, -MAX_WBITS)
        guard rc == Z_OK else {
            // deinit still runs (every stored property is set): it ends and frees the stream.
            throw SpreadsheetError(.inflateFailed, "zlib could not start decompressing (code \(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates from `input` into `output` until one of them is used up or the stream ends.
    ///
    /// Returns how many input bytes were consumed, how many output bytes were produced and whether the
    /// deflate stream ended. `input` must hold all remaining compressed data (`isLastInput`) or more will follow.
    func step(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws -> (consumed: Int, produced: Int, ended: Bool) {
        let inCount = min(input.count, Int(UInt32.max >> 1))
        let outCount = min(output.count, Int(UInt32.max >> 1))
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(inCount)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(outCount)
        let rc = inflate(stream, Z_NO_FLUSH)
        let consumed = inCount - Int(stream.pointee.avail_in)
        let produced = outCount - Int(stream.pointee.avail_out)
        switch rc {
        case Z_STREAM_END:
            return (consumed, produced, true)
        case Z_OK:
            return (consumed, produced, false)
        case Z_BUF_ERROR:
            // No progress possible: either the input is used up (truncated data) or the output is full.
            if inCount == 0 || stream.pointee.avail_in == 0 {
                throw SpreadsheetError(
                    .corruptZip, "the compressed data ends early: the file is truncated; ask for a new copy")
            }
            return (consumed, produced, false)
        default:
            let detail = stream.pointee.msg.map { String(cString: $0) } ?? "code \(rc)"
            throw SpreadsheetError(.inflateFailed, "the compressed data is corrupt (\(detail)): ask for a new copy")
        }
    }
}

/// CRC-32 as ZIP uses it, over zlib.
func crc32Update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
    var value = UInt(crc)
    var offset = 0
    while offset < bytes.count {
        let take = min(bytes.count - offset, Int(UInt32.max >> 1))
        value = CZlib_crc32(value, base.advanced(by: offset).assumingMemoryBound(to: UInt8.self), UInt32(take))
        offset += take
    }
    return UInt32(truncatingIfNeeded: value)
}
