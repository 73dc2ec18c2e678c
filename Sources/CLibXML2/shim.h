#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

// Resolved through the -I/usr/include/libxml2 flag that pkg-config (libxml-2.0) supplies.
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <string.h>

// `xmlFree` is a global function-pointer variable, which Swift 6 rejects as shared mutable state.
static inline void CLibXML2_xmlFree(void *ptr) {
    xmlFree(ptr);
}

/// Options for untrusted input: no network, no entity substitution, no DTD loading, no HUGE.
static inline int CLibXML2_safeOptions(void) {
    return XML_PARSE_NONET | XML_PARSE_NOCDATA;
}

/// The SAX2 magic that marks an xmlSAXHandler as using the namespace-aware callbacks.
static inline unsigned int CLibXML2_sax2Magic(void) {
    return XML_SAX2_MAGIC;
}

/// Stops a push parser from inside a callback (the parser reports XML_ERR_USER_STOP afterwards).
static inline void CLibXML2_stop(void *ctx) {
    xmlStopParser((xmlParserCtxtPtr)ctx);
}

/// The user data pointer stored in a parser context.
static inline void *CLibXML2_userData(xmlParserCtxtPtr ctxt) {
    return ctxt->userData;
}

/// Whether the parser's input failed to convert from the encoding the document declares (a pull parser learns this
/// from its input buffer; the parse then ends early with an unrelated "premature end" error).
static inline int CLibXML2_inputEncodingFailed(xmlParserCtxtPtr ctxt) {
    return ctxt->input != NULL && ctxt->input->buf != NULL && ctxt->input->buf->error == XML_IO_ENCODER;
}

/// Whether the parser context is still well-formed.
static inline int CLibXML2_wellFormed(xmlParserCtxtPtr ctxt) {
    return ctxt->wellFormed;
}

/// Ignores an error libxml2 reports outside any parser context.
static void CLibXML2_ignoreGenericError(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

static void CLibXML2_ignoreStructuredError(void *ctx, xmlErrorPtr error) {
    (void)ctx;
    (void)error;
}

/// Stops libxml2 from printing to standard error on this thread (its error handlers are per thread). Encoding and
/// I/O errors, and "xmlParseChunk: encoder error", bypass the parser's own handler and would otherwise go to stderr,
/// with bytes of the document in hex. Parsers still fail, and report through their own SAX handler.
static inline void CLibXML2_silenceGlobalErrors(void) {
    xmlSetGenericErrorFunc(NULL, CLibXML2_ignoreGenericError);
    xmlSetStructuredErrorFunc(NULL, CLibXML2_ignoreStructuredError);
}

#endif
