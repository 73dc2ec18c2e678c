// The floor of reading workbooks with the customer's libraries: libxml2's SAX2 pull parser with empty callbacks
// over zlib raw inflate of each ZIP entry (through a 64 KB buffer, CRC-32 computed), every XML part but the theme,
// docProps and [Content_Types].xml; each file read into memory first, as Workbook does. Builds no values.
//
//   cc -O2 Benchmarks/floor.c -o Benchmarks/.work/floor $(pkg-config --cflags --libs libxml-2.0) -lz
//   taskset -c 0 Benchmarks/.work/floor Benchmarks/.work/templates/*.xlsx
//
// Assumes well-formed ZIP files (the benchmark inputs): it is a measuring tool, not a reader of untrusted files.
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static long elements, parts, broken;
static unsigned long long bytes;
static z_stream stream;
static unsigned char out[65536];
static size_t outStart, outEnd;
static int done;
static uLong crc;

static void start(void *c, const xmlChar *l, const xmlChar *p, const xmlChar *u, int nn, const xmlChar **ns, int na,
                  int nd, const xmlChar **a) { elements++; }
static void end(void *c, const xmlChar *l, const xmlChar *p, const xmlChar *u) {}
static void characters(void *c, const xmlChar *b, int len) {}

static int readPart(void *context, char *buffer, int length) {
    if (outStart == outEnd) {
        if (done) return 0;
        stream.next_out = out;
        stream.avail_out = sizeof out;
        int rc = inflate(&stream, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) done = 1;
        else if (rc != Z_OK) return -1;
        outStart = 0;
        outEnd = sizeof out - stream.avail_out;
        crc = crc32(crc, out, (uInt)outEnd);
    }
    size_t count = outEnd - outStart;
    if (count > (size_t)length) count = (size_t)length;
    memcpy(buffer, out + outStart, count);
    outStart += count;
    return (int)count;
}

static uint32_t u16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint32_t u32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static void readFile(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); exit(1); }
    fseek(file, 0, SEEK_END);
    size_t size = (size_t)ftell(file);
    fseek(file, 0, SEEK_SET);
    unsigned char *data = malloc(size);
    if (fread(data, 1, size, file) != size) { perror(path); exit(1); }
    fclose(file);
    size_t eocd = size - 22;
    while (eocd > 0 && u32(data + eocd) != 0x06054b50) eocd--;
    uint32_t count = u16(data + eocd + 10), directory = u32(data + eocd + 16);
    for (uint32_t k = 0; k < count; k++) {
        const unsigned char *entry = data + directory;
        uint32_t compressed = u32(entry + 20), nameLength = u16(entry + 28), local = u32(entry + 42);
        char name[256];
        size_t n = nameLength < 255 ? nameLength : 255;
        memcpy(name, entry + 46, n);
        name[n] = 0;
        directory += 46 + nameLength + u16(entry + 30) + u16(entry + 32);
        if (strstr(name, "theme") || strstr(name, "docProps") || strstr(name, "Content_Types")) continue;
        if (!strstr(name, ".xml") && !strstr(name, ".rels")) continue;
        memset(&stream, 0, sizeof stream);
        inflateInit2(&stream, -15);
        stream.next_in = data + local + 30 + u16(data + local + 26) + u16(data + local + 28);
        stream.avail_in = compressed;
        outStart = outEnd = 0;
        done = 0;
        crc = crc32(0, NULL, 0);
        xmlSAXHandler sax;
        memset(&sax, 0, sizeof sax);
        sax.initialized = XML_SAX2_MAGIC;
        sax.startElementNs = start;
        sax.endElementNs = end;
        sax.characters = characters;
        xmlParserCtxtPtr parser = xmlCreateIOParserCtxt(&sax, NULL, readPart, NULL, NULL, XML_CHAR_ENCODING_NONE);
        xmlCtxtUseOptions(parser, XML_PARSE_NONET | XML_PARSE_NOCDATA);
        xmlParseDocument(parser);
        if (!parser->wellFormed) broken++;
        xmlFreeParserCtxt(parser);
        bytes += stream.total_out;
        inflateEnd(&stream);
        parts++;
    }
    free(data);
}

int main(int argc, char **argv) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int a = 1; a < argc; a++) readFile(argv[a]);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%ld parts (%ld not well-formed), %llu bytes of XML, %ld elements, %.3f s\n", parts, broken, bytes,
           elements, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9);
    return broken ? 1 : 0;
}
