/// One entry of a ZIP archive as its headers describe it, and the byte layout of those headers (APPNOTE 6.3.10:
/// local file header 4.3.7, central directory header 4.3.12, ZIP64 extra field 4.5.3, end records 4.3.14–4.3.16).
struct ZipRecord {
    var name: [UInt8]
    var flags: UInt16
    var method: UInt16
    var crc: UInt32
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    var offset: UInt64
    var zip64InLocalHeader: Bool

    /// The value a 32-bit field holds when the real one is in the ZIP64 extra field or record.
    static let marker32: UInt64 = 0xFFFF_FFFF
    /// The same for 16-bit entry counts.
    static let marker16 = 0xFFFF

    /// General purpose flags: bit 3 when sizes and CRC follow the data, bit 11 when the name is UTF-8 beyond ASCII.
    static func flags(for name: [UInt8], streamed: Bool) -> UInt16 {
        var flags: UInt16 = streamed ? 0x0008 : 0
        if name.contains(where: { $0 >= 0x80 }) { flags |= 0x0800 }
        return flags
    }

    /// The local file header, with a ZIP64 extra field when `zip64InLocalHeader`; a streamed entry's CRC and
    /// sizes are zero here (they follow in the data descriptor).
    func localHeader(timestamp: ZipWriter.DOSTimestamp) -> [UInt8] {
        let streamed = flags & 0x0008 != 0
        var header = LittleEndianBytes()
        header.u32(0x0403_4b50)
        header.u16(zip64InLocalHeader ? 45 : 20)
        header.u16(flags)
        header.u16(method)
        header.u16(timestamp.time)
        header.u16(timestamp.date)
        header.u32(streamed ? 0 : crc)
        if zip64InLocalHeader {
            header.u32(UInt32(Self.marker32))
            header.u32(UInt32(Self.marker32))
        } else {
            header.u32(streamed ? 0 : UInt32(compressedSize))
            header.u32(streamed ? 0 : UInt32(uncompressedSize))
        }
        header.u16(UInt16(name.count))
        header.u16(zip64InLocalHeader ? 20 : 0)
        header.append(name)
        if zip64InLocalHeader {
            // The local ZIP64 field holds both sizes; zero when they follow in the data descriptor.
            header.u16(0x0001)
            header.u16(16)
            header.u64(streamed ? 0 : uncompressedSize)
            header.u64(streamed ? 0 : compressedSize)
        }
        return header.bytes
    }

    /// The central directory header, with a ZIP64 extra field for each value too large for its field (or all of
    /// them with `forceZip64`).
    func centralHeader(timestamp: ZipWriter.DOSTimestamp, forceZip64 force: Bool) -> [UInt8] {
        let wideUncompressed = force || uncompressedSize >= Self.marker32
        let wideCompressed = force || compressedSize >= Self.marker32
        let wideOffset = force || offset >= Self.marker32
        var extra = LittleEndianBytes()
        if wideUncompressed || wideCompressed || wideOffset {
            var fields = LittleEndianBytes()
            if wideUncompressed { fields.u64(uncompressedSize) }
            if wideCompressed { fields.u64(compressedSize) }
            if wideOffset { fields.u64(offset) }
            extra.u16(0x0001)
            extra.u16(UInt16(fields.bytes.count))
            extra.append(fields.bytes)
        }
        let version: UInt16 = extra.bytes.isEmpty && !zip64InLocalHeader ? 20 : 45
        var header = LittleEndianBytes()
        header.u32(0x0201_4b50)
        header.u16(version)  // made by: MS-DOS attributes, this spec version
        header.u16(version)  // needed
        header.u16(flags)
        header.u16(method)
        header.u16(timestamp.time)
        header.u16(timestamp.date)
        header.u32(crc)
        header.u32(wideCompressed ? UInt32(Self.marker32) : UInt32(compressedSize))
        header.u32(wideUncompressed ? UInt32(Self.marker32) : UInt32(uncompressedSize))
        header.u16(UInt16(name.count))
        header.u16(UInt16(extra.bytes.count))
        header.u16(0)  // comment length
        header.u16(0)  // disk number
        header.u16(0)  // internal attributes
        header.u32(0)  // external attributes
        header.u32(wideOffset ? UInt32(Self.marker32) : UInt32(offset))
        header.append(name)
        header.append(extra.bytes)
        return header.bytes
    }

    /// The end of the archive after a central directory of `entries` headers, `directorySize` bytes at
    /// `directoryOffset`: a ZIP64 end record and locator when anything is too large (or with `forceZip64`), then
    /// the classic end record.
    static func endOfCentralDirectory(
        entries count: UInt64, directorySize: UInt64, directoryOffset: UInt64, forceZip64 force: Bool
    ) -> [UInt8] {
        let zip64 = force || count >= UInt64(marker16) || directorySize >= marker32 || directoryOffset >= marker32
        var end = LittleEndianBytes()
        if zip64 {
            // The ZIP64 record starts right after the central directory.
            let recordOffset = directoryOffset + directorySize
            end.u32(0x0606_4b50)
            end.u64(44)  // size of the rest of this record
            end.u16(45)  // version made by
            end.u16(45)  // version needed
            end.u32(0)  // this disk
            end.u32(0)  // disk with the central directory
            end.u64(count)
            end.u64(count)
            end.u64(directorySize)
            end.u64(directoryOffset)
            end.u32(0x0706_4b50)  // locator
            end.u32(0)
            end.u64(recordOffset)
            end.u32(1)  // total disks
        }
        end.u32(0x0605_4b50)
        end.u16(0)
        end.u16(0)
        let count16 = force || count >= UInt64(marker16) ? UInt16(marker16) : UInt16(count)
        end.u16(count16)
        end.u16(count16)
        end.u32(force || directorySize >= marker32 ? UInt32(marker32) : UInt32(directorySize))
        end.u32(force || directoryOffset >= marker32 ? UInt32(marker32) : UInt32(directoryOffset))
        end.u16(0)  // comment length
        return end.bytes
    }
}

/// A growing little-endian byte string for ZIP headers.
struct LittleEndianBytes {
    var bytes: [UInt8] = []

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func append(_ other: [UInt8]) {
        bytes.append(contentsOf: other)
    }
}
