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
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw SpreadsheetError(.inflateFailed, "zlib could not start decompressing (code \(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates all of `input`, handing out decompressed chunks of at most `output.count` bytes.
    ///
    /// Returns when the deflate stream ends; throws if the input ends first or is corrupt.
    func inflateAll(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = 0
        var remaining = input.count
        var offset = 0
        while true {
            if stream.pointee.avail_in == 0 && remaining > 0 {
                let take = min(remaining, Int(UInt32.max >> 1))
                stream.pointee.next_in = UnsafeMutablePointer(
                    mutating: input.baseAddress!.advanced(by: offset).assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = UInt32(take)
                offset += take
                remaining -= take
            }
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(output.count)
            let rc = inflate(stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 {
                try body(UnsafeRawBufferPointer(rebasing: output[0..<produced]))
            }
            switch rc {
            case Z_STREAM_END:
                return
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.pointee.avail_in == 0 && remaining == 0:
                throw SpreadsheetError(.corruptZip, "the compressed data ends early: the file is truncated; ask for a new copy")
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "code \(rc)"
                throw SpreadsheetError(.inflateFailed, "the compressed data is corrupt (\(detail)): ask for a new copy")
            }
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
