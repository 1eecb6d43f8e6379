/*
 * fuzz_codec.c - fuzz entry point for the generated C decoders: the
 * dispatcher (by kind, by id, by opcode) at both pointer sizes, then the
 * JSON formatter and the encoder on whatever decoded.
 *
 * Built once per generated codec: -DCODEC=heap_events_ -DCODEC_UP=
 * HEAP_EVENTS_ -DCODEC_H='"heap_events.h"'.  What decoded is encoded again
 * with the codec's own event_encode() and must give back the same bytes.
 *
 * Input: byte 0 picks the dispatcher (% 3: kind, id, opcode), bytes 1-2
 * the kind, id or opcode (little-endian), byte 3 the version; the rest is
 * the payload, decoded with 4- and with 8-byte pointers (and once with a
 * pointer size that is neither, which must be refused).
 *
 * Oracles, on every payload that decodes:
 *   - the bytes decoded plus the trailing ones are the whole payload;
 *   - the event's JSON is valid JSON (RFC 8259, strings valid UTF-8), its
 *     length is what the size query returned, and a truncated call writes
 *     a NUL-terminated prefix of the same text and returns the same length;
 *   - encoding the decoded event at the decoded version gives back exactly
 *     the bytes decoded.
 * Nothing here allocates beyond one buffer per call, freed: leaks would be
 * the generated code's, which allocates nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include CODEC_H

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define F(x) CAT(CODEC, x)    /* heap_events_ ## x */
#define K(x) CAT(CODEC_UP, x) /* HEAP_EVENTS_ ## x */


/* ---- A strict JSON checker ---- */

struct js {
    const unsigned char *p, *end;
    int depth;
};

static int ws(struct js *j)
{
    while (j->p < j->end &&
           (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
    return 0;
}

static int utf8_char(struct js *j)
{
    unsigned c = *j->p, n, cp, min;
    if (c < 0x80) {
        j->p++;
        return c >= 0x20 ? 0 : -1; /* control characters must be escaped */
    }
    if (c >= 0xc2 && c <= 0xdf)
        n = 1, cp = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        n = 2, cp = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 3, cp = c & 0x07, min = 0x10000;
    else
        return -1;
    if ((size_t)(j->end - j->p) <= n)
        return -1;
    for (unsigned k = 1; k <= n; k++) {
        if ((j->p[k] & 0xc0) != 0x80)
            return -1;
        cp = cp << 6 | (j->p[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    j->p += n + 1;
    return 0;
}

static int string(struct js *j)
{
    if (j->p >= j->end || *j->p != '"')
        return -1;
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        if (*j->p == '\\') {
            if (++j->p >= j->end)
                return -1;
            if (*j->p == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (j->p + k >= j->end ||
                        !strchr("0123456789abcdefABCDEF", j->p[k]) ||
                        !j->p[k])
                        return -1;
                j->p += 5;
            } else if (*j->p && strchr("\"\\/bfnrt", *j->p)) {
                j->p++;
            } else {
                return -1;
            }
        } else if (utf8_char(j)) {
            return -1;
        }
    }
    if (j->p >= j->end)
        return -1;
    j->p++;
    return 0;
}

static int number(struct js *j)
{
    const unsigned char *s = j->p;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (j->p < j->end && *j->p == '0')
        j->p++;
    else if (j->p < j->end && *j->p >= '1' && *j->p <= '9')
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    else
        return -1;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9')
            return -1;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9')
            return -1;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    }
    return j->p > s ? 0 : -1;
}

static int word(struct js *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
        return -1;
    j->p += n;
    return 0;
}

static int value(struct js *j)
{
    int rc = 0;
    ws(j);
    if (j->p >= j->end || ++j->depth > 32)
        return -1;
    switch (*j->p) {
    case '{':
    case '[': {
        unsigned char close = *j->p == '{' ? '}' : ']';
        int obj = close == '}';
        j->p++;
        ws(j);
        if (j->p < j->end && *j->p == close) {
            j->p++;
            break;
        }
        for (;;) {
            if (obj) {
                ws(j);
                if (string(j))
                    return -1;
                ws(j);
                if (j->p >= j->end || *j->p++ != ':')
                    return -1;
            }
            if (value(j))
                return -1;
            ws(j);
            if (j->p >= j->end)
                return -1;
            if (*j->p == ',') {
                j->p++;
                continue;
            }
            if (*j->p++ != close)
                return -1;
            break;
        }
        break;
    }
    case '"': rc = string(j); break;
    case 't': rc = word(j, "true"); break;
    case 'f': rc = word(j, "false"); break;
    case 'n': rc = word(j, "null"); break;
    default: rc = number(j); break;
    }
    j->depth--;
    return rc;
}

static void check_json(const char *s, size_t n)
{
    struct js j = {(const unsigned char *)s, (const unsigned char *)s + n, 0};
    if (value(&j) || ws(&j) || j.p != j.end)
        abort();
}

/* ---- The entry point ---- */

static void one(const unsigned char *data, size_t size, unsigned p)
{
    unsigned mode = data[0] % 3, num = data[1] | (unsigned)data[2] << 8;
    unsigned version = data[3];
    const unsigned char *payload = data + 4;
    size_t plen = size - 4;
    struct F(event) ev;
    int rc;

    memset(&ev, 0xa5, sizeof ev); /* outputs must not depend on garbage */
    if (mode == 0)
        rc = F(decode)((enum F(kind))(num % (K(KIND_COUNT) + 1)), payload,
                       plen, p, version, &ev);
    else if (mode == 1)
        rc = F(decode_by_id)(num, payload, plen, p, version, &ev);
    else
        rc = F(decode_by_opcode)(num, payload, plen, p, version, &ev);
    if (!F(strerror)(rc))
        abort();
    if (p != 4 && p != 8) {
        if (rc == K(OK))
            abort();
        return;
    }
    if (rc != K(OK))
        return;
    if (ev.info.size + ev.info.trailing != plen)
        abort();
    {
        size_t n = F(event_json)(&ev, NULL, 0), half;
        char *buf = malloc(n + 1);
        if (!buf)
            abort();
        if (F(event_json)(&ev, buf, n + 1) != n || strlen(buf) != n)
            abort();
        check_json(buf, n);
        half = n / 2 + 1;
        {
            char *part = malloc(half);
            if (!part)
                abort();
            if (F(event_json)(&ev, part, half) != n ||
                part[half - 1] != '\0' ||
                memcmp(part, buf, half - 1) != 0)
                abort();
            free(part);
        }
        free(buf);
    }
    {
        size_t need = 0, got = 0;
        unsigned char *out;
        rc = F(event_encode)(&ev, p, ev.info.decoded, NULL, 0, &need);
        if (rc != K(OK) && rc != K(E_BUFFER_TOO_SMALL))
            abort();
        if (need != ev.info.size)
            abort();
        out = malloc(need ? need : 1);
        if (!out)
            abort();
        if (F(event_encode)(&ev, p, ev.info.decoded, out, need, &got) != K(OK) ||
            got != need || memcmp(out, payload, need) != 0)
            abort();
        free(out);
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 4)
        return 0;
    one(data, size, 4);
    one(data, size, 8);
    if (data[0] >> 2 != 4 && data[0] >> 2 != 8)
        one(data, size, data[0] >> 2); /* must be refused */
    return 0;
}
