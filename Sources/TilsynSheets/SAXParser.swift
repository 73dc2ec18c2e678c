internal import CLibXML2
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Receives the events of a ``SAXParser``: each package part has a subclass that overrides the three events.
///
/// Holds the state the C callbacks share (first error, nesting depth, namespace cache). Names and attribute values
/// are borrowed from libxml2 and valid only during the call. One handler serves one parse on one thread.
class SAXHandler {
    @exclusivity(unchecked) final var error: (any Error)?
    @exclusivity(unchecked) final var firstXMLError: (message: String, line: Int)?
    @exclusivity(unchecked) final var depth = 0
    @exclusivity(unchecked) final var lastURI: UnsafePointer<UInt8>?
    @exclusivity(unchecked) final var lastNamespace: XMLNamespace = .none
    /// The libxml2 parser context, for stopping the parser from a callback.
    final var parserContext: UnsafeMutableRawPointer?

    func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {}
    func endElement(_ name: XMLName) throws {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}

    /// The namespace of an element, cached by URI pointer (libxml2 interns URIs, so equal pointers mean equal URIs).
    @inline(__always)
    final func namespace(of uri: UnsafePointer<UInt8>?) -> XMLNamespace {
        if uri == lastURI { return lastNamespace }
        lastURI = uri
        lastNamespace = SAXParser.classify(uri)
        return lastNamespace
    }

    /// Records the first error and stops the parser.
    final func fail(_ error: any Error) {
        if self.error == nil { self.error = error }
        if let parserContext { CLibXML2_stop(parserContext) }
    }

    /// Counts one level of nesting; false (after failing) when the document is nested too deeply.
    @inline(__always)
    final func enter() -> Bool {
        guard error == nil else { return false }
        depth += 1
        if depth > SAXParser.maxDepth {
            failTooDeep()
            return false
        }
        return true
    }

    /// Out of line, so that the error's construction does not weigh on every element's callback (its stack frame
    /// and saved registers).
    @inline(never)
    private final func failTooDeep() {
        fail(
            SpreadsheetError(
                .limitExceeded,
                "the XML is nested more than \(SAXParser.maxDepth) levels deep, which no spreadsheet program "
                    + "writes: the file was refused"))
    }

    @inline(__always)
    final func leave() -> Bool {
        guard error == nil else { return false }
        depth -= 1
        return true
    }
}

/// The namespace families a part reader cares about.
enum XMLNamespace: UInt8 {
    case none, spreadsheetML, relationships, packageRelationships, markupCompatibility, other
}

/// An element or attribute name: the local name bytes and the namespace it belongs to.
struct XMLName {
    let local: UnsafePointer<UInt8>
    let namespace: XMLNamespace

    /// Whether the local name equals `name` (ASCII).
    ///
    /// One `strncmp` (which stops at the local name's terminator) rather than a loop: element names are compared on
    /// every SAX event, and a debug build's loop made a part of millions of tiny elements take seconds.
    @inline(__always)
    func `is`(_ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        let expected = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
        let actual = UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self)
        return strncmp(actual, expected, count) == 0 && local[count] == 0
    }

    var string: String { String(cString: local) }
}

/// The attributes of a start tag, as libxml2's SAX2 hands them out (five pointers per attribute).
struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    let count: Int

    /// The raw bytes of the value of the attribute with this local name (and no namespace unless given).
    @inline(__always)
    func raw(_ name: StaticString, namespace: XMLNamespace? = nil) -> UnsafeBufferPointer<UInt8>? {
        guard let base else { return nil }
        for i in 0..<count {
            let entry = base + 5 * i
            guard let local = entry[0] else { continue }
            if XMLName(local: local, namespace: .none).is(name) {
                if let namespace, SAXParser.classify(entry[2]) != namespace { continue }
                guard let start = entry[3], let end = entry[4] else { return nil }
                return UnsafeBufferPointer(start: start, count: end - start)
            }
        }
        return nil
    }

    /// The value of the attribute as a string.
    ///
    /// Without entity substitution libxml2 hands `&amp;` in attribute values out as `&#38;`; that is undone here.
    func string(_ name: StaticString, namespace: XMLNamespace? = nil) -> String? {
        guard let bytes = raw(name, namespace: namespace) else { return nil }
        return decodeAttributeText(bytes)
    }
}

/// Turns libxml2's `&#38;` back into `&` in an attribute value.
func decodeAttributeText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    let pattern: [UInt8] = Array("&#38;".utf8)
    while i < bytes.count {
        if bytes[i] == UInt8(ascii: "&"), i + 5 <= bytes.count, Array(bytes[i..<(i + 5)]) == pattern {
            out.append(UInt8(ascii: "&"))
            i += 5
        } else {
            out.append(bytes[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// A libxml2 SAX2 push parser for one package part; never builds a tree, never substitutes entities,
/// loads no DTD and touches no network. A document with a DOCTYPE is rejected outright (no OOXML part has one).
final class SAXParser {
    private let context: xmlParserCtxtPtr
    private let handler: SAXHandler
    let partName: String

    /// Creates a parser that calls `handler` through the generic (virtual) callbacks.
    convenience init(handler: SAXHandler, partName: String) throws {
        try self.init(handler: handler, callbacks: SAXParser.genericCallbacks(), partName: partName)
    }

    /// The callbacks that call a handler through its three (virtual) events.
    static func genericCallbacks() -> xmlSAXHandler {
        var callbacks = SAXParser.callbacks()
        callbacks.startElementNs = { ctx, localname, _, uri, _, _, nbAttributes, _, attributes in
            guard let ctx, let localname else { return }
            // Guaranteed by the parser, which holds the handler: no retain and release per event.
            Unmanaged<SAXHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef { handler in
                guard handler.enter() else { return }
                do {
                    try handler.startElement(
                        XMLName(local: localname, namespace: handler.namespace(of: uri)),
                        XMLAttributes(base: attributes, count: Int(nbAttributes)))
                } catch {
                    handler.fail(error)
                }
            }
        }
        callbacks.endElementNs = { ctx, localname, _, uri in
            guard let ctx, let localname else { return }
            Unmanaged<SAXHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef { handler in
                guard handler.leave() else { return }
                do {
                    try handler.endElement(XMLName(local: localname, namespace: handler.namespace(of: uri)))
                } catch {
                    handler.fail(error)
                }
            }
        }
        let characters: charactersSAXFunc = { ctx, bytes, length in
            guard let ctx, let bytes, length > 0 else { return }
            Unmanaged<SAXHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef { handler in
                guard handler.error == nil else { return }
                do {
                    try handler.characters(UnsafeBufferPointer(start: bytes, count: Int(length)))
                } catch {
                    handler.fail(error)
                }
            }
        }
        callbacks.characters = characters
        callbacks.cdataBlock = characters
        return callbacks
    }

    /// Creates a push parser with callbacks specialised for one handler class (see ``WorksheetReader``): the caller
    /// feeds it bytes with ``feed(_:last:)``.
    convenience init(handler: SAXHandler, callbacks: xmlSAXHandler, partName: String) throws {
        var callbacks = callbacks
        let userData = Unmanaged.passUnretained(handler).toOpaque()
        guard let context = xmlCreatePushParserCtxt(&callbacks, userData, nil, 0, partName) else {
            throw SpreadsheetError(.invalidXML, "libxml2 could not create a parser", part: partName)
        }
        self.init(context: context, handler: handler, partName: partName)
    }

    /// Takes ownership of `context`, a parser context whose SAX user data is `handler`.
    private init(context: xmlParserCtxtPtr, handler: SAXHandler, partName: String) {
        self.partName = partName
        self.handler = handler
        self.context = context
        handler.parserContext = UnsafeMutableRawPointer(context)
        xmlCtxtUseOptions(context, CLibXML2_safeOptions())
        CLibXML2_silenceGlobalErrors()
    }

    /// The callbacks every parser has: DTD refusal and error collection; element callbacks are added by the caller.
    static func callbacks() -> xmlSAXHandler {
        var callbacks = xmlSAXHandler()
        callbacks.initialized = CLibXML2_sax2Magic()
        callbacks.internalSubset = { ctx, _, _, _ in
            guard let ctx else { return }
            Unmanaged<SAXHandler>.fromOpaque(ctx).takeUnretainedValue().fail(
                SpreadsheetError(
                    .forbiddenDTD,
                    "the part declares a DTD (<!DOCTYPE>), which no spreadsheet program writes and which can hide "
                        + "entity bombs or external entities: the file was refused; save it again in Excel"))
        }
        callbacks.serror = { ctx, error in
            guard let ctx, let error else { return }
            let handler = Unmanaged<SAXHandler>.fromOpaque(ctx).takeUnretainedValue()
            if handler.firstXMLError == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue {
                // The first line only: libxml2 adds lines such as "Bytes: 0xC3 0x28", bytes of the document.
                let full = error.pointee.message.map { String(cString: $0) } ?? "unknown XML error"
                var message = String(full.split(separator: "\n", omittingEmptySubsequences: true).first ?? "")
                while message.last == " " { message.removeLast() }
                if message.isEmpty { message = "unknown XML error" }
                handler.firstXMLError = (message, Int(error.pointee.line))
            }
        }
        return callbacks
    }

    deinit {
        xmlFreeParserCtxt(context)
    }

    /// Feeds the next bytes of the document; `last` marks the end.
    func feed(_ bytes: UnsafeRawBufferPointer, last: Bool = false) throws {
        let count = Int32(clamping: bytes.count)
        let rc = xmlParseChunk(context, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), count, last ? 1 : 0)
        try check(rc)
    }

    private func check(_ rc: Int32) throws {
        if let error = handler.error {
            if var located = error as? SpreadsheetError {
                if located.part == nil { located.part = partName }
                if located.line == nil { located.line = Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer(context))) }
                throw located
            }
            throw error
        }
        if rc != 0 || CLibXML2_wellFormed(context) == 0 {
            // Encoding errors bypass the parser's handler (see CLibXML2_silenceGlobalErrors): name them here. A pull
            // parser whose input failed to convert reports only the premature end that followed.
            let encoding = "the text is not in the encoding the XML declaration names"
            let encodingFailed = CLibXML2_inputEncodingFailed(context) != 0
            let detail = encodingFailed ? nil : handler.firstXMLError
            let fallback =
                encodingFailed || rc == Int32(XML_ERR_INVALID_ENCODING.rawValue) ? encoding : "libxml2 error \(rc)"
            throw SpreadsheetError(
                .invalidXML,
                "the XML is not well-formed (\(detail?.message ?? fallback)): the file is damaged; "
                    + "open it in Excel and save it again",
                part: partName, line: detail?.line)
        }
    }

    /// Parses a whole part from a ZIP entry, streaming it through the inflater.
    ///
    /// A part of 16 KB or more is parsed in libxml2's pull mode: the parser asks for bytes as it needs them (4,000
    /// at a time) and does none of the push parser's bookkeeping per event (whether the bytes fed so far hold the
    /// whole tag, how much of its buffer is left). On the `xlsx-large` benchmark's 39 MB sheet that made the whole
    /// read 7–10 % faster on one core. A smaller part is pushed whole: there the pull parser's reads at the end of
    /// its input cost more than it saves (7 µs on the parts of a template). `between` runs before each read: a row
    /// reader hands out the rows completed so far there. An error it throws ends the parse and is rethrown; so is a
    /// damaged ZIP entry.
    static func parse(
        _ archive: ZipArchive, _ entry: ZipEntry, handler: SAXHandler,
        callbacks: xmlSAXHandler = SAXParser.genericCallbacks(), between: (() throws -> Void)? = nil
    ) throws {
        if between == nil, entry.uncompressedSize < smallPart {
            let parser = try SAXParser(handler: handler, callbacks: callbacks, partName: entry.name)
            let stream = try ZipEntryReader(archive: archive, entry: entry)
            // Room for the whole part and then some, so that zlib ends on its fast path (see PullSource).
            let buffer = UnsafeMutableRawBufferPointer.allocate(
                byteCount: Int(clamping: max(0, entry.uncompressedSize)) + 1024, alignment: 16)
            defer { buffer.deallocate() }
            while try parser.feed(from: stream, buffer: buffer) {}
            return
        }
        let source = PullSource(stream: try ZipEntryReader(archive: archive, entry: entry), between: between)
        var callbacks = callbacks
        let userData = Unmanaged.passUnretained(handler).toOpaque()
        let read: xmlInputReadCallback = { context, buffer, length in
            guard let context, let buffer, length > 0 else { return 0 }
            return Unmanaged<PullSource>.fromOpaque(context)._withUnsafeGuaranteedRef {
                $0.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))
            }
        }
        // The source outlives the context: the parser is freed (and stops calling `read`) before this returns.
        let sourcePointer = Unmanaged.passUnretained(source).toOpaque()
        guard
            let context = xmlCreateIOParserCtxt(
                &callbacks, userData, read, nil, sourcePointer, XML_CHAR_ENCODING_NONE)
        else {
            throw SpreadsheetError(.invalidXML, "libxml2 could not create a parser", part: entry.name)
        }
        let parser = SAXParser(context: context, handler: handler, partName: entry.name)
        let rc = xmlParseDocument(context)
        try withExtendedLifetime(source) {
            if handler.error == nil, var error = source.error {
                if var located = error as? SpreadsheetError, located.part == nil {
                    located.part = entry.name
                    error = located
                }
                throw error
            }
            try parser.check(rc)
        }
    }

    /// Feeds the next bytes of `stream`, read into `buffer` (filled as far as the part goes); false once the
    /// document has been fed to its end.
    ///
    /// The end is always fed as an empty last chunk after the data, never with it: libxml2 reports some errors
    /// (text not in the declared encoding) only when the data comes in an unfinished chunk.
    func feed(from stream: ZipEntryReader, buffer: UnsafeMutableRawBufferPointer) throws -> Bool {
        var filled = 0
        while filled < buffer.count {
            let count = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 {
                if filled > 0 { try feed(UnsafeRawBufferPointer(rebasing: buffer[0..<filled])) }
                try feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
                return false
            }
            filled += count
        }
        try feed(UnsafeRawBufferPointer(buffer))
        return true
    }

    /// What a pull parser reads from: a ZIP entry, and the work to do between reads.
    ///
    /// libxml2 asks for 4,000 bytes at a time. The entry is inflated in pieces of up to 256 KB (the size it
    /// declares, which the entry reader holds it to, and 1 KB of room) and handed out from there: zlib decodes the
    /// last 258 bytes of every output buffer on its slow path and copies the last 32 KB of every output into its
    /// window. Inflated straight into libxml2's 4,000 bytes, the large sheet's read gained 2 % from pull mode;
    /// through a 64 KB buffer, 7–10 %; through 256 KB a further 0.3 % of its instructions (an eighth of the sheet
    /// copied into the window instead of half).
    private final class PullSource {
        let stream: ZipEntryReader
        let between: (() throws -> Void)?
        /// The first error of the entry or of `between`; the parser is told the input failed.
        var error: (any Error)?
        private let inflated: UnsafeMutableRawBufferPointer
        private var start = 0
        private var end = 0

        init(stream: ZipEntryReader, between: (() throws -> Void)?) {
            self.stream = stream
            self.between = between
            let size = min(1 << 18, Int(clamping: max(0, stream.entry.uncompressedSize)) + 1024)
            inflated = .allocate(byteCount: size, alignment: 16)
        }

        deinit { inflated.deallocate() }

        /// Fills `buffer` with the entry's next bytes: the count, 0 at its end, or -1 (after keeping the error).
        func read(into buffer: UnsafeMutableRawBufferPointer) -> Int32 {
            guard error == nil, let target = buffer.baseAddress else { return -1 }
            do {
                try between?()
                if start == end {
                    start = 0
                    end = try stream.read(into: inflated)
                }
                let count = min(buffer.count, end - start)
                if count > 0 { target.copyMemory(from: inflated.baseAddress! + start, byteCount: count) }
                start += count
                return Int32(count)
            } catch {
                self.error = error
                return -1
            }
        }
    }

    /// The deepest element nesting accepted; SpreadsheetML needs fewer than 20 levels.
    static let maxDepth = 256

    /// The declared size below which ``parse(_:_:handler:callbacks:between:)`` pushes a part whole instead of
    /// pulling it (either way reads every byte, whatever the size).
    static let smallPart: Int64 = 16 * 1024

    static let spreadsheetMLTransitional = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let spreadsheetMLStrict = "http://purl.oclc.org/ooxml/spreadsheetml/main"

    /// Classifies a namespace URI.
    static func classify(_ uri: UnsafePointer<UInt8>?) -> XMLNamespace {
        guard let uri else { return .none }
        let text = String(cString: uri)
        switch text {
        case spreadsheetMLTransitional, spreadsheetMLStrict:
            return .spreadsheetML
        case "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            "http://purl.oclc.org/ooxml/officeDocument/relationships":
            return .relationships
        case "http://schemas.openxmlformats.org/package/2006/relationships":
            return .packageRelationships
        case "http://schemas.openxmlformats.org/markup-compatibility/2006":
            return .markupCompatibility
        default:
            return .other
        }
    }
}

