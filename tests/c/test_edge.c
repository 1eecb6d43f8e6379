/*
 * test_edge.c - the generated codec of tests/codec/edge/edge.yaml, the C
 * templates' edge cases: an event without fields, a string as the first
 * field, binary fields sized by uint8, uint32 and hex16 fields, an enum
 * value of 0xFFFFFFFF, two events sharing an opcode, a fixed-length
 * binary inside a fixed event that gained fields in versions 2 and 3, and
 * fields named like the generated code's own variables.
 */
#include "edge_events.h"

#include "codec_test.h"

/* Decode hex; the bytes stay until the next call (ev points into them). */
static int decode_hex(unsigned id, unsigned p, unsigned version,
                      const char *hex, struct edge_events_event *ev)
{
    static uint8_t *b;
    size_t n;
    free(b);
    b = hex ? unhex(hex, &n) : NULL;
    return hex ? edge_events_decode_by_id(id, b, n, p, version, ev) : 0;
}

/* Every truncation of hex gives the status of the first field it cuts. */
struct cut {
    size_t from; /* truncations from this length on... */
    int status;  /* ...give this */
    const char *field;
    size_t offset;
};

static void check_cuts(unsigned id, unsigned p, unsigned version,
                       const char *hex, const struct cut *cuts)
{
    size_t n, len;
    uint8_t *b = unhex(hex, &n);
    for (len = 0; len < n; len++) {
        const struct cut *c = cuts;
        struct edge_events_event ev;
        uint8_t *copy = exact_copy(b, len);
        int st = edge_events_decode_by_id(id, copy, len, p, version, &ev);
        while (c[1].field && c[1].from <= len)
            c++;
        if (st != c->status || !ev.info.field ||
            strcmp(ev.info.field, c->field) || ev.info.offset != c->offset)
            failf(__FILE__, __LINE__, "id %u cut to %lu: %s (%s at %lu)", id,
                  (unsigned long)len, edge_events_strerror(st),
                  ev.info.field ? ev.info.field : "-",
                  (unsigned long)ev.info.offset);
        free(copy);
    }
    free(b);
}

static void test_empty(void)
{
    struct edge_events_empty e;
    struct edge_events_event ev;
    char json[256];
    size_t size = 99;

    case_begin("empty-event");
    CHECK_EQ_U(edge_events_empty_encode(&e, 8, NULL, 0, &size), 0);
    CHECK_EQ_U(size, 0);
    CHECK_EQ_U(EDGE_EVENTS_EMPTY_SIZE64, 0);
    CHECK_EQ_U(decode_hex(1, 4, 0, "", &ev), 0);
    CHECK_EQ_U(ev.info.size, 0);
    CHECK_EQ_U(decode_hex(1, 4, 0, "010203", &ev), 0);
    CHECK_EQ_U(ev.info.trailing, 3);
    edge_events_empty_json(&ev.u.empty, 0, json, sizeof(json));
    CHECK_STR(json, "{}");
    edge_events_event_json(&ev, json, sizeof(json));
    CHECK_STR(json, "{\"event\":\"Empty\",\"id\":1,\"version\":0,"
                    "\"decoded_version\":0,\"pointer_size\":4,\"fields\":{},"
                    "\"trailing_bytes\":3,\"unknown_enums\":0}");
    CHECK(!edge_events_descriptors[EDGE_EVENTS_KIND_EMPTY].has_opcode);
}

static void test_strings_first(void)
{
    static const struct cut cuts[] = {
        {0, EDGE_EVENTS_E_NO_TERMINATOR, "Text", 0},
        {3, EDGE_EVENTS_E_NO_TERMINATOR, "Wide", 3},
        {7, EDGE_EVENTS_E_TOO_SHORT, "Kind", 7},
        {0, 0, NULL, 0}};
    struct edge_events_event ev;
    char json[256];

    case_begin("string-first");
    CHECK_EQ_U(decode_hex(2, 8, 0, "686900 | e9000000 | ffffffff", &ev), 0);
    CHECK_EQ_U(ev.info.unknown_enums, 0); /* WIDE_MAX */
    edge_events_stringfirst_json(&ev.u.stringfirst, 0, json, sizeof(json));
    CHECK_STR(json, "{\"Text\":\"hi\",\"Wide\":\"\xC3\xA9\","
                    "\"Kind\":{\"value\":4294967295,\"name\":\"WIDE_MAX\"}}");
    CHECK_EQ_U(EDGE_EVENTS_WIDE_MAX, 0xFFFFFFFFu);
    CHECK_EQ_U(decode_hex(2, 8, 0, "00 | 0000 | 05000000", &ev), 0);
    CHECK_EQ_U(ev.info.unknown_enums, 1);
    CHECK_EQ_U(ev.u.stringfirst.Text.len, 0);
    check_cuts(2, 8, 0, "686900 | e9000000 | ffffffff", cuts);
}

static void test_lengths(void)
{
    static const char *hex = "02 aabb | 01000000 cc | 0300 ddeeff";
    static const struct cut cuts[] = {
        {0, EDGE_EVENTS_E_TOO_SHORT, "n8", 0},
        {1, EDGE_EVENTS_E_LENGTH_PAST_END, "b8", 1},
        {3, EDGE_EVENTS_E_TOO_SHORT, "n32", 3},
        {7, EDGE_EVENTS_E_LENGTH_PAST_END, "d", 7},
        {8, EDGE_EVENTS_E_TOO_SHORT, "n16", 8},
        {10, EDGE_EVENTS_E_LENGTH_PAST_END, "b16", 10},
        {0, 0, NULL, 0}};
    struct edge_events_event ev;
    uint8_t out[32];
    char json[256];
    size_t n, size;
    uint8_t *b = unhex(hex, &n);

    case_begin("length-fields");
    CHECK_EQ_U(edge_events_decode_by_id(3, b, n, 4, 0, &ev), 0);
    edge_events_lengths_json(&ev.u.lengths, 0, json, sizeof(json));
    CHECK_STR(json, "{\"n8\":2,\"b8\":\"aabb\",\"n32\":1,\"d\":\"cc\","
                    "\"n16\":\"0x3\",\"b16\":\"ddeeff\"}");
    CHECK_EQ_U(edge_events_lengths_encode(&ev.u.lengths, 4, out, sizeof(out),
                                          &size),
               0);
    CHECK(size == n && memcmp(out, b, n) == 0);
    ev.u.lengths.d.len = 2;
    CHECK_EQ_U(edge_events_lengths_encode(&ev.u.lengths, 4, out, sizeof(out),
                                          &size),
               EDGE_EVENTS_E_LENGTH_MISMATCH);
    check_cuts(3, 4, 0, hex, cuts);
    /* A length field far past the end, not an overflow. */
    CHECK_EQ_U(decode_hex(3, 8, 0, "00 ffffffff 00", &ev),
               EDGE_EVENTS_E_LENGTH_PAST_END);
    CHECK_STR(ev.info.field, "d");
    free(b);

    case_begin("shared-opcode");
    {
        int ambiguous = 0;
        CHECK_EQ_U(edge_events_kind_by_opcode(10, &ambiguous),
                   EDGE_EVENTS_KIND_NONE);
        CHECK_EQ_U(ambiguous, 1);
        CHECK_EQ_U(edge_events_decode_by_opcode(10, out, 8, 8, 0, &ev),
                   EDGE_EVENTS_E_AMBIGUOUS);
        CHECK_EQ_U(edge_events_kind_by_id(3), EDGE_EVENTS_KIND_LENGTHS);
    }
}

static void test_fixed_blob(void)
{
    /* p, q (3 bytes), ev, then info (version 2) and size (version 3). */
    static const char *v3_64 =
        "8877665544332211 | 010203 | 01 |"
        "67452301 ab89 efcd 0123456789abcdef | 9900000000000000";
    static const char *v3_32 =
        "44332211 | 010203 | 01 | 67452301 ab89 efcd 0123456789abcdef |"
        "99000000";
    struct edge_events_event ev;
    struct edge_events_fixed_blob fb;
    uint8_t out[64], *b;
    size_t n, size;
    unsigned v;

    case_begin("fixed-binary-versions");
    b = unhex(v3_64, &n);
    for (v = 0; v <= 4; v++) {
        size_t want = v <= 1 ? 12 : v == 2 ? 28 : 36;
        CHECK_EQ_U(edge_events_decode_by_id(4, b, n, 8, v, &ev), 0);
        CHECK_EQ_U(ev.info.size, want);
        CHECK_EQ_U(ev.info.trailing, n - want);
        CHECK_EQ_U(ev.info.decoded, v < 3 ? v : 3);
        CHECK_EQ_U(ev.u.fixed_blob.q.len, 3);
        CHECK_EQ_U(ev.u.fixed_blob.size, v >= 3 ? 0x99 : 0);
        if (v <= 3) {
            CHECK_EQ_U(edge_events_fixed_blob_encode_version(
                           &ev.u.fixed_blob, 8, v, out, sizeof(out), &size),
                       0);
            CHECK(size == want && memcmp(out, b, size) == 0);
        }
    }
    CHECK_EQ_U(EDGE_EVENTS_FIXED_BLOB_V0_SIZE64, 12);
    CHECK_EQ_U(EDGE_EVENTS_FIXED_BLOB_V2_SIZE32, 24);
    fb = ev.u.fixed_blob;
    fb.q.len = 2; /* the fast path must not take it */
    CHECK_EQ_U(edge_events_fixed_blob_encode(&fb, 8, out, sizeof(out), &size),
               EDGE_EVENTS_E_LENGTH_MISMATCH);
    CHECK_EQ_U(edge_events_fixed_blob_encode(&fb, 4, out, sizeof(out), &size),
               EDGE_EVENTS_E_RANGE); /* p, first, does not fit */
    fb.p = 0x11223344;
    CHECK_EQ_U(edge_events_fixed_blob_encode(&fb, 4, out, sizeof(out), &size),
               EDGE_EVENTS_E_LENGTH_MISMATCH);
    fb.q.len = 3;
    CHECK_EQ_U(edge_events_fixed_blob_encode(&fb, 4, out, sizeof(out), &size),
               0);
    free(b);
    b = unhex(v3_32, &n);
    CHECK(size == n && memcmp(out, b, n) == 0);
    free(b);

    case_begin("late-fields");
    CHECK_EQ_U(decode_hex(5, 4, 1, "feffffffffffffff", &ev), 0);
    CHECK(ev.u.late.r == -2 && ev.u.late.w == 0);
    CHECK_EQ_U(decode_hex(5, 4, 2, "feffffffffffffff", &ev),
               EDGE_EVENTS_E_TOO_SHORT);
    CHECK_STR(ev.info.field, "w");
    CHECK_EQ_U(decode_hex(5, 4, 2, "feffffffffffffff 01000000", &ev), 0);
    CHECK(ev.u.late.w == 1);
}

static void test_random_bytes(void)
{
    unsigned i;
    case_begin("random-bytes");
    t_rng = 0x5EED0003u;
    for (i = 0; i < 50000; i++) {
        struct edge_events_event ev;
        uint8_t bytes[64], again[128], *c;
        size_t n = rnd() % 64, k, size = 0;
        unsigned id = 1 + (unsigned)(rnd() % 5), v = (unsigned)(rnd() % 5);
        unsigned p = rnd() % 2 ? 8 : 4;
        int st;
        for (k = 0; k < n; k++)
            bytes[k] = rnd() % 2 ? (uint8_t)(rnd() % 4) : (uint8_t)rnd_value(8);
        c = exact_copy(bytes, n);
        st = edge_events_decode_by_id(id, c, n, p, v, &ev);
        if (st == 0) {
            switch (ev.kind) {
            case EDGE_EVENTS_KIND_EMPTY:
                st = edge_events_empty_encode_version(
                    &ev.u.empty, p, ev.info.decoded, again, 128, &size);
                break;
            case EDGE_EVENTS_KIND_STRINGFIRST:
                st = edge_events_stringfirst_encode_version(
                    &ev.u.stringfirst, p, ev.info.decoded, again, 128, &size);
                break;
            case EDGE_EVENTS_KIND_LENGTHS:
                st = edge_events_lengths_encode_version(
                    &ev.u.lengths, p, ev.info.decoded, again, 128, &size);
                break;
            case EDGE_EVENTS_KIND_FIXED_BLOB:
                st = edge_events_fixed_blob_encode_version(
                    &ev.u.fixed_blob, p, ev.info.decoded, again, 128, &size);
                break;
            default:
                st = edge_events_late_encode_version(
                    &ev.u.late, p, ev.info.decoded, again, 128, &size);
                break;
            }
            CHECK_EQ_U(st, 0);
            CHECK(size == ev.info.size && !memcmp(again, bytes, size));
        }
        free(c);
    }
}

int main(void)
{
    test_empty();
    test_strings_first();
    test_lengths();
    test_fixed_blob();
    test_random_bytes();
    decode_hex(0, 0, 0, NULL, NULL);
    return finish();
}
