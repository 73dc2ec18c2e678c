import CZlib

/// Builds ZIP archives byte by byte for tests, including malformed ones the production writer never makes.
public struct ZipBuilder {
    public struct Entry {
        public var name: String
        public var data: [UInt8]
        public var deflate: Bool
        public var dataDescriptor: Bool
        /// Overrides for crafting damaged archives.
        public var declaredSize: UInt32?
        public var declaredCRC: UInt32?
        /// Overrides of this entry's ZIP64 extra field (written only with `forceZip64`).
        public var zip64Size: UInt64?
        public var zip64CompressedSize: UInt64?
        public var zip64Offset: UInt64?

        public init(_ name: String, _ data: [UInt8], deflate: Bool = true, dataDescriptor: Bool = false,
                    declaredSize: UInt32? = nil, declaredCRC: UInt32? = nil) {
            self.name = name
            self.data = data
            self.deflate = deflate
            self.dataDescriptor = dataDescriptor
            self.declaredSize = declaredSize
            self.declaredCRC = declaredCRC
        }

        public init(_ name: String, _ text: String, deflate: Bool = true, dataDescriptor: Bool = false) {
            self.init(name, Array(text.utf8), deflate: deflate, dataDescriptor: dataDescriptor)
        }
    }

    public var entries: [Entry] = []
    /// Write ZIP64 end records and extra fields even though nothing needs them.
    public var forceZip64 = false
    /// Make the ZIP64 record declare a different entry count than the classic record.
    public var zip64CountMismatch = false
    /// Point the second entry's central record at the first entry's local header.
    public var overlapSecondEntry = false
    /// Overrides of the ZIP64 end record's directory size and offset and of the locator's record offset.
    public var zip64DirectorySize: UInt64?
    public var zip64DirectoryOffset: UInt64?
    public var zip64RecordOffset: UInt64?

    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    public mutating func add(_ name: String, _ text: String, deflate: Bool = true) {
        entries.append(Entry(name, text, deflate: deflate))
    }

    public func build() -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        var offsets: [Int] = []
        for entry in entries {
            let compressed = entry.deflate ? rawDeflate(entry.data) : entry.data
            let crc = entry.declaredCRC ?? crc32Of(entry.data)
            let size = entry.declaredSize ?? UInt32(entry.data.count)
            let method: UInt16 = entry.deflate ? 8 : 0
            let flags: UInt16 = (entry.dataDescriptor ? 0x0008 : 0) | 0x0800
            let name = Array(entry.name.utf8)
            offsets.append(out.count)
            // Local header
            out.u32(0x0403_4b50); out.u16(forceZip64 ? 45 : 20); out.u16(flags); out.u16(method)
            out.u16(0); out.u16(0x21)
            out.u32(entry.dataDescriptor ? 0 : crc)
            out.u32(entry.dataDescriptor ? 0 : UInt32(compressed.count))
            out.u32(entry.dataDescriptor ? 0 : size)
            out.u16(UInt16(name.count)); out.u16(0)
            out.append(contentsOf: name)
            out.append(contentsOf: compressed)
            if entry.dataDescriptor {
                out.u32(0x0807_4b50); out.u32(crc); out.u32(UInt32(compressed.count)); out.u32(size)
            }
        }
        for (i, entry) in entries.enumerated() {
            let compressed = entry.deflate ? rawDeflate(entry.data) : entry.data
            let crc = entry.declaredCRC ?? crc32Of(entry.data)
            let size = entry.declaredSize ?? UInt32(entry.data.count)
            let name = Array(entry.name.utf8)
            let offset = overlapSecondEntry && i == 1 ? offsets[0] : offsets[i]
            var extra: [UInt8] = []
            if forceZip64 {
                extra.u16(0x0001); extra.u16(24)
                extra.u64(entry.zip64Size ?? UInt64(size))
                extra.u64(entry.zip64CompressedSize ?? UInt64(compressed.count))
                extra.u64(entry.zip64Offset ?? UInt64(offset))
            }
            central.u32(0x0201_4b50); central.u16(45); central.u16(forceZip64 ? 45 : 20)
            central.u16((entry.dataDescriptor ? 0x0008 : 0) | 0x0800); central.u16(entry.deflate ? 8 : 0)
            central.u16(0); central.u16(0x21); central.u32(crc)
            central.u32(forceZip64 ? 0xFFFF_FFFF : UInt32(compressed.count))
            central.u32(forceZip64 ? 0xFFFF_FFFF : size)
            central.u16(UInt16(name.count)); central.u16(UInt16(extra.count)); central.u16(0)
            central.u16(0); central.u16(0); central.u32(0)
            central.u32(forceZip64 ? 0xFFFF_FFFF : UInt32(offset))
            central.append(contentsOf: name)
            central.append(contentsOf: extra)
        }
        let centralOffset = out.count
        out.append(contentsOf: central)
        if forceZip64 {
            let recordOffset = out.count
            out.u32(0x0606_4b50); out.u64(44); out.u16(45); out.u16(45); out.u32(0); out.u32(0)
            let count = UInt64(entries.count) + (zip64CountMismatch ? 1 : 0)
            out.u64(count); out.u64(count)
            out.u64(zip64DirectorySize ?? UInt64(central.count)); out.u64(zip64DirectoryOffset ?? UInt64(centralOffset))
            out.u32(0x0706_4b50); out.u32(0); out.u64(zip64RecordOffset ?? UInt64(recordOffset)); out.u32(1)
        }
        out.u32(0x0605_4b50); out.u16(0); out.u16(0)
        let classicCount: UInt16 = forceZip64 && !zip64CountMismatch ? 0xFFFF : UInt16(entries.count)
        out.u16(classicCount); out.u16(classicCount)
        out.u32(forceZip64 ? 0xFFFF_FFFF : UInt32(central.count))
        out.u32(forceZip64 ? 0xFFFF_FFFF : UInt32(centralOffset))
        out.u16(0)
        return out
    }
}

/// Raw deflate of a buffer with zlib, for building test archives.
public func rawDeflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
    precondition(CZlib_deflateInit2(stream, level, -MAX_WBITS) == Z_OK)
    var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(input.count))) + 16)
    var input = input
    let written: Int = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            stream.pointee.next_in = inBuf.baseAddress
            stream.pointee.avail_in = UInt32(inBuf.count)
            stream.pointee.next_out = outBuf.baseAddress
            stream.pointee.avail_out = UInt32(outBuf.count)
            let rc = deflate(stream, Z_FINISH)
            precondition(rc == Z_STREAM_END)
            return outBuf.count - Int(stream.pointee.avail_out)
        }
    }
    return Array(output[0..<written])
}

public func crc32Of(_ data: [UInt8]) -> UInt32 {
    data.withUnsafeBufferPointer { UInt32(CZlib_crc32(0, $0.baseAddress, UInt32($0.count))) }
}

extension [UInt8] {
    mutating func u16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func u32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { append(UInt8((v >> UInt32(s)) & 0xFF)) } }
    mutating func u64(_ v: UInt64) { for s in stride(from: 0, to: 64, by: 8) { append(UInt8((v >> UInt64(s)) & 0xFF)) } }
}
