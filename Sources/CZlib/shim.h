#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

#include <zlib.h>

// inflateInit2 / deflateInit2 are function-like macros that pass ZLIB_VERSION and sizeof(z_stream):
// Swift cannot import them, so they are wrapped here.
static inline int CZlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

static inline int CZlib_deflateInit2(z_streamp strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

/// CRC-32 of a buffer, continuing from `crc` (0 to start).
static inline unsigned long CZlib_crc32(unsigned long crc, const unsigned char *buf, unsigned int len) {
    return crc32(crc, buf, len);
}

#endif
