/*
 * test_heap.c - the generated heap_events codec against byte vectors
 * written by hand from the published layout (shared/facts: "Payload
 * layout"), plus truncations, trailing bytes, unknown enum values,
 * versions, encoder refusals, JSON, the dispatcher, and seeded random
 * round trips.  Payloads are exact-size heap copies, so that a build with
 * AddressSanitizer catches a read past their end.
 */
#include "heap_events.h"

#include "codec_test.h"

/* ---- Vectors ----------------------------------------------------------
 *
 * Packed, little-endian; P-byte HeapHandle, addresses and sizes; Source a
 * 4-byte integer.  Alloc: HeapHandle 0, Size P, Address 2P, Source 3P
 * (16 / 28 bytes).  Free: HeapHandle 0, Address P, Source 2P (12 / 20).
 * ReAlloc: HeapHandle 0, NewAddress P, OldAddress 2P, NewSize 3P,
 * OldSize 4P, Source 5P (24 / 44).
 */

struct field_at {
    const char *name;
    size_t offset, size;
};

struct vector {
    const char *name;
    unsigned opcode, pointer_size;
    const char *hex;
    const char *json; /* the fields, as *_json() prints them */
    struct field_at fields[7];
};

static const struct vector vectors[] = {
    {"alloc-64", 33, 8,
     "0000b4a3d2010000 | 0010000000000000 | 7056b4a3d2010000 | 03000000",
     "{\"HeapHandle\":\"0x1d2a3b40000\",\"Size\":4096,"
     "\"Address\":\"0x1d2a3b45670\","
     "\"Source\":{\"value\":3,\"name\":\"MEMORY_FROM_MAINPATH\"}}",
     {{"HeapHandle", 0, 8}, {"Size", 8, 8}, {"Address", 16, 8},
      {"Source", 24, 4}}},
    {"alloc-32", 33, 4, "0000a100 | 20000000 | 4023a100 | 01000000",
     "{\"HeapHandle\":\"0xa10000\",\"Size\":32,\"Address\":\"0xa12340\","
     "\"Source\":{\"value\":1,\"name\":\"MEMORY_FROM_LOOKASIDE\"}}",
     {{"HeapHandle", 0, 4}, {"Size", 4, 4}, {"Address", 8, 4},
      {"Source", 12, 4}}},
    {"free-64", 36, 8, "0000b4a3d2010000 | 7056b4a3d2010000 | 02000000",
     "{\"HeapHandle\":\"0x1d2a3b40000\",\"Address\":\"0x1d2a3b45670\","
     "\"Source\":{\"value\":2,\"name\":\"MEMORY_FROM_LOWFRAG\"}}",
     {{"HeapHandle", 0, 8}, {"Address", 8, 8}, {"Source", 16, 4}}},
    {"free-32", 36, 4, "0000a100 | 4023a100 | 04000000",
     "{\"HeapHandle\":\"0xa10000\",\"Address\":\"0xa12340\","
     "\"Source\":{\"value\":4,\"name\":\"MEMORY_FROM_SLOWPATH\"}}",
     {{"HeapHandle", 0, 4}, {"Address", 4, 4}, {"Source", 8, 4}}},
    {"realloc-64", 34, 8,
     "0000b4a3d2010000 | 0080b4a3d2010000 | 7056b4a3d2010000 |"
     "0020000000000000 | 0010000000000000 | 04000000",
     "{\"HeapHandle\":\"0x1d2a3b40000\",\"NewAddress\":\"0x1d2a3b48000\","
     "\"OldAddress\":\"0x1d2a3b45670\",\"NewSize\":8192,\"OldSize\":4096,"
     "\"Source\":{\"value\":4,\"name\":\"MEMORY_FROM_SLOWPATH\"}}",
     {{"HeapHandle", 0, 8}, {"NewAddress", 8, 8}, {"OldAddress", 16, 8},
      {"NewSize", 24, 8}, {"OldSize", 32, 8}, {"Source", 40, 4}}},
    {"realloc-32", 34, 4,
     "0000a100 | 0050a100 | 4023a100 | 40000000 | 20000000 | 06000000",
     "{\"HeapHandle\":\"0xa10000\",\"NewAddress\":\"0xa15000\","
     "\"OldAddress\":\"0xa12340\",\"NewSize\":64,\"OldSize\":32,"
     "\"Source\":{\"value\":6,\"name\":\"MEMORY_FROM_SEGMENT_HEAP\"}}",
     {{"HeapHandle", 0, 4}, {"NewAddress", 4, 4}, {"OldAddress", 8, 4},
      {"NewSize", 12, 4}, {"OldSize", 16, 4}, {"Source", 20, 4}}},
};

#define NVECTORS (sizeof(vectors) / sizeof(vectors[0]))

static void test_vectors(void)
{
    size_t i;
    for (i = 0; i < NVECTORS; i++) {
        const struct vector *v = &vectors[i];
        char name[64], json[1024];
        struct heap_events_event ev;
        uint8_t out[64];
        size_t n, size = 0, nf;
        uint8_t *bytes = unhex(v->hex, &n);
        int st;

        snprintf(name, sizeof(name), "vector-%s", v->name);
        case_begin(name);
        for (nf = 0; nf < 7 && v->fields[nf].name; nf++)
            ;
        CHECK_EQ_U(n, v->fields[nf - 1].offset + v->fields[nf - 1].size);
        st = heap_events_decode_by_opcode(v->opcode, bytes, n,
                                          v->pointer_size, 2, &ev);
        CHECK_EQ_U(st, HEAP_EVENTS_OK);
        CHECK_EQ_U(ev.info.size, n);
        CHECK_EQ_U(ev.info.trailing, 0);
        CHECK_EQ_U(ev.info.unknown_enums, 0);
        CHECK_EQ_U(ev.info.decoded, 2);
        heap_events_event_fields_json(&ev, json, sizeof(json));
        CHECK_STR(json, v->json);
        st = heap_events_event_encode(&ev, v->pointer_size, 2, out, sizeof(out), &size);
        CHECK_EQ_U(st, HEAP_EVENTS_OK);
        CHECK_EQ_U(size, n);
        CHECK(memcmp(out, bytes, n) == 0);
        /* Exactly the size needed is enough; one byte less is not. */
        st = heap_events_event_encode(&ev, v->pointer_size, 2, out, n, &size);
        CHECK_EQ_U(st, HEAP_EVENTS_OK);
        st = heap_events_event_encode(&ev, v->pointer_size, 2, out, n - 1, &size);
        CHECK_EQ_U(st, HEAP_EVENTS_E_BUFFER_TOO_SMALL);
        CHECK_EQ_U(size, n);
        st = heap_events_event_encode(&ev, v->pointer_size, 2, NULL, 0, &size);
        CHECK_EQ_U(st, HEAP_EVENTS_E_BUFFER_TOO_SMALL);
        CHECK_EQ_U(size, n);
        free(bytes);
    }
}

/* The values themselves, field by field, for one vector per event and
 * pointer size (the JSON above covers the rest). */
static void test_values(void)
{
    struct heap_events_etw_heap_event_alloc a;
    struct heap_events_etw_heap_event_free f;
    struct heap_events_etw_heap_event_realloc r;
    struct heap_events_info info;
    size_t n;
    uint8_t *b;

    case_begin("values");
    b = unhex(vectors[0].hex, &n);
    CHECK_EQ_U(heap_events_etw_heap_event_alloc_decode(b, n, 8, 2, &a, &info),
               0);
    CHECK_EQ_U(a.HeapHandle, 0x000001D2A3B40000u);
    CHECK_EQ_U(a.Size, 0x1000);
    CHECK_EQ_U(a.Address, 0x000001D2A3B45670u);
    CHECK_EQ_U(a.Source, HEAP_EVENTS_MEMORY_FROM_MAINPATH);
    free(b);
    b = unhex(vectors[3].hex, &n);
    CHECK_EQ_U(heap_events_etw_heap_event_free_decode(b, n, 4, 2, &f, &info),
               0);
    CHECK_EQ_U(f.HeapHandle, 0x00A10000);
    CHECK_EQ_U(f.Address, 0x00A12340);
    CHECK_EQ_U(f.Source, 4);
    free(b);
    b = unhex(vectors[4].hex, &n);
    CHECK_EQ_U(
        heap_events_etw_heap_event_realloc_decode(b, n, 8, 2, &r, &info), 0);
    CHECK_EQ_U(r.HeapHandle, 0x000001D2A3B40000u);
    CHECK_EQ_U(r.NewAddress, 0x000001D2A3B48000u);
    CHECK_EQ_U(r.OldAddress, 0x000001D2A3B45670u);
    CHECK_EQ_U(r.NewSize, 0x2000);
    CHECK_EQ_U(r.OldSize, 0x1000);
    CHECK_EQ_U(r.Source, 4);
    free(b);
}

/* Every truncation of every vector: "payload too short", naming the field
 * the payload ends in (or before) and its offset. */
static void test_truncations(void)
{
    size_t i;
    case_begin("truncations");
    for (i = 0; i < NVECTORS; i++) {
        const struct vector *v = &vectors[i];
        size_t n, len;
        uint8_t *bytes = unhex(v->hex, &n);
        for (len = 0; len < n; len++) {
            struct heap_events_event ev;
            uint8_t *c = exact_copy(bytes, len);
            const struct field_at *f = v->fields;
            int st;
            while (f->offset + f->size <= len)
                f++;
            st = heap_events_decode_by_opcode(v->opcode, c, len,
                                              v->pointer_size, 2, &ev);
            CHECK_EQ_U(st, HEAP_EVENTS_E_TOO_SHORT);
            CHECK_STR(ev.info.field, f->name);
            CHECK_EQ_U(ev.info.offset, f->offset);
            free(c);
        }
        free(bytes);
    }
}

/* Bytes after the layout decode, and are counted. */
static void test_trailing(void)
{
    size_t i, extra;
    case_begin("trailing-bytes");
    for (i = 0; i < NVECTORS; i++) {
        const struct vector *v = &vectors[i];
        size_t n;
        uint8_t *bytes = unhex(v->hex, &n), *longer = malloc(n + 9);
        memcpy(longer, bytes, n);
        memset(longer + n, 0xEE, 9);
        for (extra = 1; extra <= 9; extra++) {
            struct heap_events_event ev;
            uint8_t *c = exact_copy(longer, n + extra);
            char json[1024];
            CHECK_EQ_U(heap_events_decode_by_opcode(v->opcode, c, n + extra,
                                                    v->pointer_size, 2, &ev),
                       0);
            CHECK_EQ_U(ev.info.size, n);
            CHECK_EQ_U(ev.info.trailing, extra);
            heap_events_event_fields_json(&ev, json, sizeof(json));
            CHECK_STR(json, v->json);
            free(c);
        }
        free(longer);
        free(bytes);
    }
}

/* Versions: the heap events have had one layout since version 0 (the
 * security dictionaries list version 2).  An older version decodes the
 * same fields; a newer one decodes the known fields and counts the rest
 * as trailing. */
static void test_versions(void)
{
    struct heap_events_event ev;
    char json[1024];
    size_t n;
    uint8_t *b = unhex(vectors[0].hex, &n), *longer = malloc(n + 4);
    unsigned v;

    case_begin("versions");
    for (v = 0; v <= 2; v++) {
        CHECK_EQ_U(heap_events_decode_by_opcode(33, b, n, 8, v, &ev), 0);
        CHECK_EQ_U(ev.version, v);
        CHECK_EQ_U(ev.info.decoded, v);
        CHECK_EQ_U(ev.info.trailing, 0);
    }
    memcpy(longer, b, n);
    memcpy(longer + n, "\x01\x02\x03\x04", 4); /* a version 3 field */
    CHECK_EQ_U(heap_events_decode_by_opcode(33, longer, n + 4, 8, 3, &ev), 0);
    CHECK_EQ_U(ev.version, 3);
    CHECK_EQ_U(ev.info.decoded, 2);
    CHECK_EQ_U(ev.info.size, n);
    CHECK_EQ_U(ev.info.trailing, 4);
    heap_events_event_json(&ev, json, sizeof(json));
    CHECK_STR(json,
              "{\"event\":\"ETW_HEAP_EVENT_ALLOC\",\"id\":33,\"opcode\":33,"
              "\"version\":3,\"decoded_version\":2,\"pointer_size\":8,"
              "\"fields\":" "{\"HeapHandle\":\"0x1d2a3b40000\",\"Size\":4096,"
              "\"Address\":\"0x1d2a3b45670\",\"Source\":{\"value\":3,"
              "\"name\":\"MEMORY_FROM_MAINPATH\"}},\"trailing_bytes\":4,"
              "\"unknown_enums\":0}");
    /* A version 3 payload must still hold all version 2 fields. */
    CHECK_EQ_U(heap_events_decode_by_opcode(33, longer, n - 1, 8, 3, &ev),
               HEAP_EVENTS_E_TOO_SHORT);
    /* Encoding a version the schema does not know is refused; the ones it
     * knows all have this layout. */
    CHECK_EQ_U(heap_events_decode_by_opcode(33, b, n, 8, 2, &ev), 0);
    CHECK_EQ_U(heap_events_etw_heap_event_alloc_encode_version(
                   &ev.u.etw_heap_event_alloc, 8, 3, longer, n, NULL),
               HEAP_EVENTS_E_VERSION);
    for (v = 0; v <= 2; v++) {
        uint8_t out[32];
        size_t size;
        CHECK_EQ_U(heap_events_etw_heap_event_alloc_encode_version(
                       &ev.u.etw_heap_event_alloc, 8, v, out, sizeof(out),
                       &size),
                   0);
        CHECK_EQ_U(size, n);
        CHECK(memcmp(out, b, n) == 0);
    }
    free(longer);
    free(b);
}

static void test_enums(void)
{
    static const uint32_t unknown[] = {0, 7, 8, 0x100, 0xFFFFFFFFu};
    struct heap_events_etw_heap_event_free f;
    struct heap_events_info info;
    uint8_t buf[20];
    char json[256];
    size_t i, size;

    case_begin("enums");
    CHECK_STR(heap_events_memory_source_name(1), "MEMORY_FROM_LOOKASIDE");
    CHECK_STR(heap_events_memory_source_name(6), "MEMORY_FROM_SEGMENT_HEAP");
    CHECK_EQ_U(HEAP_EVENTS_MEMORY_FROM_INVALID, 5);
    for (i = 1; i <= 6; i++)
        CHECK(heap_events_memory_source_is_known((uint32_t)i));
    for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        CHECK(heap_events_memory_source_name(unknown[i]) == NULL);
        CHECK(!heap_events_memory_source_is_known(unknown[i]));
    }

    case_begin("unknown-enum-values");
    for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        unsigned p;
        for (p = 4; p <= 8; p += 4) {
            char want[128];
            uint8_t *c;
            f.HeapHandle = 0x10;
            f.Address = 0x20;
            f.Source = unknown[i];
            CHECK_EQ_U(heap_events_etw_heap_event_free_encode(&f, p, buf,
                                                              sizeof(buf),
                                                              &size),
                       0);
            c = exact_copy(buf, size);
            memset(&f, 0x55, sizeof(f));
            CHECK_EQ_U(heap_events_etw_heap_event_free_decode(c, size, p, 2,
                                                              &f, &info),
                       0);
            CHECK_EQ_U(f.Source, unknown[i]);
            CHECK_EQ_U(info.unknown_enums, 1);
            heap_events_etw_heap_event_free_json(&f, 2, json, sizeof(json));
            snprintf(want, sizeof(want),
                     "{\"HeapHandle\":\"0x10\",\"Address\":\"0x20\","
                     "\"Source\":{\"value\":%lu,\"name\":null}}",
                     (unsigned long)unknown[i]);
            CHECK_STR(json, want);
            free(c);
        }
    }
}

/* What encoders refuse, and bad arguments on both sides. */
static void test_refusals(void)
{
    struct heap_events_etw_heap_event_realloc r;
    struct heap_events_info info;
    uint8_t buf[64];
    size_t size = 99;
    unsigned p;
    static const unsigned bad_p[] = {0, 1, 2, 3, 5, 7, 9, 16, 32, 64};

    case_begin("encode-range");
    memset(&r, 0, sizeof(r));
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(&r, 4, buf,
                                                         sizeof(buf), &size),
               0);
    CHECK_EQ_U(size, 24);
    r.OldSize = 0xFFFFFFFFu; /* the largest that fits */
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(&r, 4, buf,
                                                         sizeof(buf), &size),
               0);
    r.OldSize = 0x100000000u; /* one more does not */
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(&r, 4, buf,
                                                         sizeof(buf), &size),
               HEAP_EVENTS_E_RANGE);
    CHECK_EQ_U(size, 0);
    /* Range errors win over a small buffer: a size query reports them. */
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(&r, 4, NULL, 0,
                                                         &size),
               HEAP_EVENTS_E_RANGE);
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(&r, 8, buf,
                                                         sizeof(buf), &size),
               0);
    CHECK_EQ_U(size, 44);
    r.OldSize = 0;
    r.HeapHandle = ~(uint64_t)0;
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(&r, 4, buf,
                                                         sizeof(buf), &size),
               HEAP_EVENTS_E_RANGE);

    case_begin("pointer-size");
    for (p = 0; p < sizeof(bad_p) / sizeof(bad_p[0]); p++) {
        CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(
                       &r, bad_p[p], buf, sizeof(buf), &size),
                   HEAP_EVENTS_E_POINTER_SIZE);
        CHECK_EQ_U(heap_events_etw_heap_event_realloc_decode(
                       buf, sizeof(buf), bad_p[p], 2, &r, &info),
                   HEAP_EVENTS_E_POINTER_SIZE);
    }

    case_begin("null-arguments");
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_decode(NULL, 0, 8, 2, &r,
                                                         &info),
               HEAP_EVENTS_E_TOO_SHORT);
    CHECK_STR(info.field, "HeapHandle");
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_decode(NULL, 44, 8, 2, &r,
                                                         &info),
               HEAP_EVENTS_E_ARGUMENT);
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(&r, 8, NULL, 44,
                                                         &size),
               HEAP_EVENTS_E_ARGUMENT);
    /* info and size may be NULL. */
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(&r, 8, buf,
                                                         sizeof(buf), NULL),
               0);
    CHECK_EQ_U(heap_events_etw_heap_event_realloc_decode(buf, 44, 8, 2, &r,
                                                         NULL),
               0);
}

static void test_strerror(void)
{
    int s, t;
    case_begin("strerror");
    for (s = HEAP_EVENTS_OK; s <= HEAP_EVENTS_E_AMBIGUOUS; s++) {
        CHECK(heap_events_strerror(s) != NULL);
        CHECK(strcmp(heap_events_strerror(s), "unknown status") != 0);
        for (t = HEAP_EVENTS_OK; t < s; t++)
            CHECK(strcmp(heap_events_strerror(s), heap_events_strerror(t)));
    }
    CHECK_STR(heap_events_strerror(HEAP_EVENTS_E_TOO_SHORT),
              "payload too short");
    CHECK_STR(heap_events_strerror(-1), "unknown status");
    CHECK_STR(heap_events_strerror(1000), "unknown status");
}

static void test_dispatch(void)
{
    struct heap_events_event ev;
    uint8_t b[44] = {0};
    int ambiguous = 5;

    case_begin("dispatch");
    CHECK_EQ_U(heap_events_kind_by_opcode(33, &ambiguous),
               HEAP_EVENTS_KIND_ETW_HEAP_EVENT_ALLOC);
    CHECK_EQ_U(ambiguous, 0);
    CHECK_EQ_U(heap_events_kind_by_opcode(34, NULL),
               HEAP_EVENTS_KIND_ETW_HEAP_EVENT_REALLOC);
    CHECK_EQ_U(heap_events_kind_by_opcode(36, NULL),
               HEAP_EVENTS_KIND_ETW_HEAP_EVENT_FREE);
    CHECK_EQ_U(heap_events_kind_by_opcode(35, NULL), HEAP_EVENTS_KIND_NONE);
    CHECK_EQ_U(heap_events_kind_by_id(36), HEAP_EVENTS_KIND_ETW_HEAP_EVENT_FREE);
    CHECK_EQ_U(heap_events_kind_by_id(0), HEAP_EVENTS_KIND_NONE);
    CHECK_EQ_U(heap_events_decode_by_opcode(32, b, sizeof(b), 8, 2, &ev),
               HEAP_EVENTS_E_UNKNOWN_EVENT);
    CHECK_EQ_U(ev.kind, HEAP_EVENTS_KIND_NONE);
    CHECK_EQ_U(heap_events_decode_by_id(999, b, sizeof(b), 8, 2, &ev),
               HEAP_EVENTS_E_UNKNOWN_EVENT);
    CHECK_EQ_U(heap_events_decode((enum heap_events_kind)77, b, sizeof(b), 8,
                                  2, &ev),
               HEAP_EVENTS_E_UNKNOWN_EVENT);
    CHECK_EQ_U(heap_events_decode_by_id(34, b, sizeof(b), 8, 2, &ev), 0);
    CHECK_EQ_U(ev.kind, HEAP_EVENTS_KIND_ETW_HEAP_EVENT_REALLOC);
    CHECK_STR(heap_events_descriptors[ev.kind].name, "ETW_HEAP_EVENT_REALLOC");
    CHECK_EQ_U(heap_events_descriptors[ev.kind].size32, 24);
    CHECK_EQ_U(heap_events_descriptors[ev.kind].size64, 44);
    CHECK_EQ_U(heap_events_descriptors[ev.kind].level, 4);
    CHECK_EQ_U(heap_events_descriptors[ev.kind].task, 1);
    CHECK_EQ_U(HEAP_EVENTS_ETW_HEAP_EVENT_ALLOC_SIZE64, 28);
    CHECK_EQ_U(HEAP_EVENTS_ETW_HEAP_EVENT_ALLOC_SIZE32, 16);
    CHECK_EQ_U(HEAP_EVENTS_ETW_HEAP_EVENT_FREE_SIZE64, 20);
    CHECK_EQ_U(HEAP_EVENTS_ETW_HEAP_EVENT_FREE_SIZE32, 12);
    CHECK_EQ_U(HEAP_EVENTS_ETW_HEAP_EVENT_REALLOC_SIZE64, 44);
    CHECK_EQ_U(HEAP_EVENTS_ETW_HEAP_EVENT_REALLOC_SIZE32, 24);
    CHECK_EQ_U(HEAP_EVENTS_ETW_HEAP_EVENT_ALLOC_OPCODE, 33);
    CHECK_EQ_U(HEAP_EVENTS_ETW_HEAP_EVENT_REALLOC_OPCODE, 34);
    CHECK_EQ_U(HEAP_EVENTS_ETW_HEAP_EVENT_FREE_OPCODE, 36);
    CHECK_EQ_U(HEAP_EVENTS_ETW_HEAP_EVENT_FREE_VERSION, 2);
    CHECK_EQ_U(heap_events_provider_guid.data1, 0x222962ab);
    CHECK_EQ_U(heap_events_provider_guid.data4[7], 0x4a);
}

/* snprintf semantics: the same length whatever the buffer, the text cut
 * short and terminated when it does not fit. */
static void test_json_buffers(void)
{
    struct heap_events_event ev;
    char full[512], part[512];
    size_t n, cap, got;
    uint8_t *b = unhex(vectors[4].hex, &n);

    case_begin("json-buffers");
    CHECK_EQ_U(heap_events_decode_by_opcode(34, b, n, 8, 2, &ev), 0);
    n = heap_events_event_json(&ev, full, sizeof(full));
    CHECK_EQ_U(strlen(full), n);
    CHECK_EQ_U(heap_events_event_json(&ev, NULL, 0), n);
    for (cap = 1; cap <= n + 1; cap++) {
        char *small = malloc(cap);
        got = heap_events_event_json(&ev, small, cap);
        CHECK_EQ_U(got, n);
        CHECK_EQ_U(strlen(small), cap - 1 < n ? cap - 1 : n);
        CHECK(strncmp(small, full, strlen(small)) == 0);
        free(small);
    }
    memset(part, 'x', sizeof(part));
    heap_events_event_json(&ev, part, 10);
    CHECK(part[9] == '\0' && part[10] == 'x');
    free(b);
}

/* ---- Random round trips -------------------------------------------- */

#define ROUNDS 20000

static uint64_t rnd_ptr(unsigned p)
{
    return rnd_value(p * 8);
}

static void test_random(void)
{
    unsigned p, i;
    case_begin("random-round-trips");
    t_rng = 0x5EED0001u;
    for (p = 4; p <= 8; p += 4) {
        for (i = 0; i < ROUNDS; i++) {
            struct heap_events_etw_heap_event_alloc a, a2;
            struct heap_events_etw_heap_event_free f, f2;
            struct heap_events_etw_heap_event_realloc r, r2;
            struct heap_events_info info;
            uint8_t buf[64], again[64], *c;
            size_t n, n2;

            a.HeapHandle = rnd_ptr(p);
            a.Size = rnd_ptr(p);
            a.Address = rnd_ptr(p);
            a.Source = (uint32_t)rnd_value(32);
            CHECK_EQ_U(heap_events_etw_heap_event_alloc_encode(
                           &a, p, buf, sizeof(buf), &n),
                       0);
            CHECK_EQ_U(n, p == 8 ? 28 : 16);
            c = exact_copy(buf, n);
            CHECK_EQ_U(heap_events_etw_heap_event_alloc_decode(c, n, p, 2,
                                                               &a2, &info),
                       0);
            CHECK(a2.HeapHandle == a.HeapHandle && a2.Size == a.Size &&
                  a2.Address == a.Address && a2.Source == a.Source);
            CHECK_EQ_U(info.unknown_enums,
                       !heap_events_memory_source_is_known(a.Source));
            heap_events_etw_heap_event_alloc_encode(&a2, p, again,
                                                    sizeof(again), &n2);
            CHECK(n2 == n && memcmp(buf, again, n) == 0);
            free(c);

            f.HeapHandle = rnd_ptr(p);
            f.Address = rnd_ptr(p);
            f.Source = (uint32_t)rnd_value(32);
            CHECK_EQ_U(heap_events_etw_heap_event_free_encode(
                           &f, p, buf, sizeof(buf), &n),
                       0);
            c = exact_copy(buf, n);
            CHECK_EQ_U(heap_events_etw_heap_event_free_decode(c, n, p, 2, &f2,
                                                              &info),
                       0);
            CHECK(f2.HeapHandle == f.HeapHandle && f2.Address == f.Address &&
                  f2.Source == f.Source);
            heap_events_etw_heap_event_free_encode(&f2, p, again,
                                                   sizeof(again), &n2);
            CHECK(n2 == n && memcmp(buf, again, n) == 0);
            free(c);

            r.HeapHandle = rnd_ptr(p);
            r.NewAddress = rnd_ptr(p);
            r.OldAddress = rnd_ptr(p);
            r.NewSize = rnd_ptr(p);
            r.OldSize = rnd_ptr(p);
            r.Source = (uint32_t)rnd_value(32);
            CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(
                           &r, p, buf, sizeof(buf), &n),
                       0);
            c = exact_copy(buf, n);
            CHECK_EQ_U(heap_events_etw_heap_event_realloc_decode(c, n, p, 2,
                                                                 &r2, &info),
                       0);
            CHECK(r2.HeapHandle == r.HeapHandle &&
                  r2.NewAddress == r.NewAddress &&
                  r2.OldAddress == r.OldAddress && r2.NewSize == r.NewSize &&
                  r2.OldSize == r.OldSize && r2.Source == r.Source);
            heap_events_etw_heap_event_realloc_encode(&r2, p, again,
                                                      sizeof(again), &n2);
            CHECK(n2 == n && memcmp(buf, again, n) == 0);
            free(c);

            /* With 4-byte pointers, a value over 32 bits is refused. */
            if (p == 4) {
                r.OldAddress |= (uint64_t)1 << (32 + rnd() % 32);
                CHECK_EQ_U(heap_events_etw_heap_event_realloc_encode(
                               &r, p, buf, sizeof(buf), &n),
                           HEAP_EVENTS_E_RANGE);
            }
        }
    }

    /* Random bytes: whatever decodes re-encodes to the bytes it used;
     * whatever does not is too short. */
    case_begin("random-bytes");
    for (i = 0; i < 3 * ROUNDS; i++) {
        static const unsigned opcodes[] = {33, 34, 36};
        struct heap_events_event ev;
        uint8_t bytes[64], again[64], *c;
        size_t n = rnd() % 50, k, size;
        unsigned op = opcodes[rnd() % 3], v = (unsigned)(rnd() % 5);
        int st;
        p = rnd() % 2 ? 8 : 4;
        for (k = 0; k < n; k++)
            bytes[k] = (uint8_t)rnd();
        c = exact_copy(bytes, n);
        st = heap_events_decode_by_opcode(op, c, n, p, v, &ev);
        if (st == 0) {
            CHECK(ev.info.size + ev.info.trailing == n);
            CHECK_EQ_U(heap_events_event_encode(&ev, p, ev.info.decoded, again,
                                    sizeof(again), &size),
                       0);
            CHECK(size == ev.info.size && memcmp(again, bytes, size) == 0);
        } else {
            CHECK_EQ_U(st, HEAP_EVENTS_E_TOO_SHORT);
            CHECK(n < (p == 8 ? heap_events_descriptors[ev.kind].size64
                            : heap_events_descriptors[ev.kind].size32));
        }
        free(c);
    }
}

int main(void)
{
    test_vectors();
    test_values();
    test_truncations();
    test_trailing();
    test_versions();
    test_enums();
    test_refusals();
    test_strerror();
    test_dispatch();
    test_json_buffers();
    test_random();
    return finish();
}
