/*
 * test_storage.c - the generated codec of the storage test schema, whose
 * events use every field type: byte vectors written by hand from the
 * schema (packed, little-endian, P-byte pointers and sizes, GUID data1-3
 * little-endian, strings NUL-terminated, binary fields as long as their
 * length field or constant), every truncation with the error it must give,
 * versions (IO_COMPLETED gained fields in versions 1 and 2, IO_FAILED in
 * version 1), unknown enum values, encoder refusals, JSON (UTF-16 and
 * UTF-8 repair, escapes, floats), and seeded random round trips.
 */
#include "storage_events.h"

#include "codec_test.h"

#include <math.h>

/* ---- Vectors ---------------------------------------------------------- */

enum kind { FIX, STR, LEN }; /* what a truncation inside the field gives */

struct field_at {
    const char *name;
    size_t offset, size;
    enum kind kind;
};

struct vector {
    const char *name;
    unsigned id, pointer_size, version;
    const char *hex;
    const char *json;
    struct field_at fields[11];
};

static const struct vector vectors[] = {
    /* GUID {01234567-89ab-cdef-0123-456789abcdef}, "Data", "NTFS",
     * FILETIME 0x01DA4B2C3D4E5F60, NVMe, read-only, 512, 10^12 bytes. */
    {"volume-mounted", 1, 8, 0,
     "67452301 abb9 efcd 0123456789abcdef | 440061007400610000 00 |"
     "4e54465300 | 605f4e3d2c4bda01 | 02 | 01000000 | 0002 |"
     "0010a5d4e8000000",
     "{\"VolumeId\":\"01234567-b9ab-cdef-0123-456789abcdef\","
     "\"Label\":\"Data\",\"FileSystem\":\"NTFS\","
     "\"MountTime\":133501792340041568,"
     "\"Bus\":{\"value\":2,\"name\":\"BUS_NVME\"},\"ReadOnly\":true,"
     "\"SectorSize\":512,\"Capacity\":1000000000000}",
     {{"VolumeId", 0, 16, FIX}, {"Label", 16, 10, STR},
      {"FileSystem", 26, 5, STR}, {"MountTime", 31, 8, FIX},
      {"Bus", 39, 1, FIX}, {"ReadOnly", 40, 4, FIX},
      {"SectorSize", 44, 2, FIX}, {"Capacity", 46, 8, FIX}}},
    /* The same with 4-byte pointers: no field of it is pointer-sized. */
    {"volume-mounted-32", 1, 4, 0,
     "67452301 abb9 efcd 0123456789abcdef | 440061007400610000 00 |"
     "4e54465300 | 605f4e3d2c4bda01 | 02 | 01000000 | 0002 |"
     "0010a5d4e8000000",
     "{\"VolumeId\":\"01234567-b9ab-cdef-0123-456789abcdef\","
     "\"Label\":\"Data\",\"FileSystem\":\"NTFS\","
     "\"MountTime\":133501792340041568,"
     "\"Bus\":{\"value\":2,\"name\":\"BUS_NVME\"},\"ReadOnly\":true,"
     "\"SectorSize\":512,\"Capacity\":1000000000000}",
     {{"VolumeId", 0, 16, FIX}, {"Label", 16, 10, STR},
      {"FileSystem", 26, 5, STR}, {"MountTime", 31, 8, FIX},
      {"Bus", 39, 1, FIX}, {"ReadOnly", 40, 4, FIX},
      {"SectorSize", 44, 2, FIX}, {"Capacity", 46, 8, FIX}}},
    {"io-completed-64", 2, 8, 2,
     "78563412 0080ffff | 00ccbbaa 0080ffff | 00f0ffffffffffff |"
     "0000010000000000 | 0000c03f | 0080 | 07 | 02000100 |"
     "9a9999999999b93f | 0df0fecaefbeadde",
     "{\"Request\":\"0xffff800012345678\",\"Device\":\"0xffff8000aabbcc00\","
     "\"Offset\":-4096,\"Length\":65536,\"LatencyMs\":1.5,"
     "\"Status\":{\"value\":32768,\"name\":\"IO_MEDIA_ERROR\"},"
     "\"QueueDepth\":7,\"Flags\":\"0x10002\",\"Score\":0.1,"
     "\"Tag\":\"0xdeadbeefcafef00d\"}",
     {{"Request", 0, 8, FIX}, {"Device", 8, 8, FIX}, {"Offset", 16, 8, FIX},
      {"Length", 24, 8, FIX}, {"LatencyMs", 32, 4, FIX},
      {"Status", 36, 2, FIX}, {"QueueDepth", 38, 1, FIX},
      {"Flags", 39, 4, FIX}, {"Score", 43, 8, FIX}, {"Tag", 51, 8, FIX}}},
    {"io-completed-32", 2, 4, 2,
     "68452381 | c0ccab8a | ffffffffffffffff | 00100000 | 00000080 |"
     "0100 | ff | 00000000 | 0000000000000440 | 0000000000000000",
     "{\"Request\":\"0x81234568\",\"Device\":\"0x8aabccc0\","
     "\"Offset\":-1,\"Length\":4096,\"LatencyMs\":-0,"
     "\"Status\":{\"value\":1,\"name\":\"IO_RETRIED\"},"
     "\"QueueDepth\":255,\"Flags\":\"0x0\",\"Score\":2.5,\"Tag\":\"0x0\"}",
     {{"Request", 0, 4, FIX}, {"Device", 4, 4, FIX}, {"Offset", 8, 8, FIX},
      {"Length", 16, 4, FIX}, {"LatencyMs", 20, 4, FIX},
      {"Status", 24, 2, FIX}, {"QueueDepth", 26, 1, FIX},
      {"Flags", 27, 4, FIX}, {"Score", 31, 8, FIX}, {"Tag", 39, 8, FIX}}},
    /* Version 0 and 1 payloads: only the fields those versions had. */
    {"io-completed-64-v0", 2, 8, 0,
     "78563412 0080ffff | 00ccbbaa 0080ffff | 00f0ffffffffffff |"
     "0000010000000000 | 0000c03f | 0080",
     "{\"Request\":\"0xffff800012345678\",\"Device\":\"0xffff8000aabbcc00\","
     "\"Offset\":-4096,\"Length\":65536,\"LatencyMs\":1.5,"
     "\"Status\":{\"value\":32768,\"name\":\"IO_MEDIA_ERROR\"}}",
     {{"Request", 0, 8, FIX}, {"Device", 8, 8, FIX}, {"Offset", 16, 8, FIX},
      {"Length", 24, 8, FIX}, {"LatencyMs", 32, 4, FIX},
      {"Status", 36, 2, FIX}}},
    {"io-completed-32-v1", 2, 4, 1,
     "68452381 | c0ccab8a | ffffffffffffffff | 00100000 | 00000080 |"
     "0100 | ff | 00000000",
     "{\"Request\":\"0x81234568\",\"Device\":\"0x8aabccc0\","
     "\"Offset\":-1,\"Length\":4096,\"LatencyMs\":-0,"
     "\"Status\":{\"value\":1,\"name\":\"IO_RETRIED\"},"
     "\"QueueDepth\":255,\"Flags\":\"0x0\"}",
     {{"Request", 0, 4, FIX}, {"Device", 4, 4, FIX}, {"Offset", 8, 8, FIX},
      {"Length", 16, 4, FIX}, {"LatencyMs", 20, 4, FIX},
      {"Status", 24, 2, FIX}, {"QueueDepth", 26, 1, FIX},
      {"Flags", 27, 4, FIX}}},
    /* STATUS_IO_DEVICE_ERROR, 3 retries... -3, sense data 70 00 05, a
     * READ(10) CDB, and the path D:\v. */
    {"io-failed-64", 3, 8, 1,
     "7856341200000000 | 850100c0 | fd | 0300 | 700005 |"
     "28000000100000000800000000000000 | 44003a005c0076000000",
     "{\"Request\":\"0x12345678\",\"NtStatus\":-1073741435,\"Retries\":-3,"
     "\"SenseLength\":3,\"SenseData\":\"700005\","
     "\"Cdb\":\"28000000100000000800000000000000\",\"Path\":\"D:\\\\v\"}",
     {{"Request", 0, 8, FIX}, {"NtStatus", 8, 4, FIX}, {"Retries", 12, 1, FIX},
      {"SenseLength", 13, 2, FIX}, {"SenseData", 15, 3, LEN},
      {"Cdb", 18, 16, FIX}, {"Path", 34, 10, STR}}},
    {"io-failed-32", 3, 4, 1,
     "78563412 | 850100c0 | fd | 0300 | 700005 |"
     "28000000100000000800000000000000 | 44003a005c0076000000",
     "{\"Request\":\"0x12345678\",\"NtStatus\":-1073741435,\"Retries\":-3,"
     "\"SenseLength\":3,\"SenseData\":\"700005\","
     "\"Cdb\":\"28000000100000000800000000000000\",\"Path\":\"D:\\\\v\"}",
     {{"Request", 0, 4, FIX}, {"NtStatus", 4, 4, FIX}, {"Retries", 8, 1, FIX},
      {"SenseLength", 9, 2, FIX}, {"SenseData", 11, 3, LEN},
      {"Cdb", 14, 16, FIX}, {"Path", 30, 10, STR}}},
    {"io-failed-32-v0", 3, 4, 0,
     "78563412 | 850100c0 | fd | 0000 | 28000000100000000800000000000000",
     "{\"Request\":\"0x12345678\",\"NtStatus\":-1073741435,\"Retries\":-3,"
     "\"SenseLength\":0,\"SenseData\":\"\","
     "\"Cdb\":\"28000000100000000800000000000000\"}",
     {{"Request", 0, 4, FIX}, {"NtStatus", 4, 4, FIX}, {"Retries", 8, 1, FIX},
      {"SenseLength", 9, 2, FIX}, {"SenseData", 11, 0, LEN},
      {"Cdb", 11, 16, FIX}}},
    {"cache-stats", 4, 8, 0,
     "e8030000 | ffffffff | efbe | 80 | 0080 | 00000000",
     "{\"Hits\":1000,\"Misses\":4294967295,\"Evictions\":\"0xbeef\","
     "\"Dirty\":\"0x80\",\"Delta\":-32768,\"Enabled\":false}",
     {{"Hits", 0, 4, FIX}, {"Misses", 4, 4, FIX}, {"Evictions", 8, 2, FIX},
      {"Dirty", 10, 1, FIX}, {"Delta", 11, 2, FIX}, {"Enabled", 13, 4, FIX}}},
};

#define NVECTORS (sizeof(vectors) / sizeof(vectors[0]))

static size_t nfields(const struct vector *v)
{
    size_t n = 0;
    while (n < 11 && v->fields[n].name)
        n++;
    return n;
}

static void test_vectors(void)
{
    size_t i;
    for (i = 0; i < NVECTORS; i++) {
        const struct vector *v = &vectors[i];
        const struct field_at *last = &v->fields[nfields(v) - 1];
        char name[64], json[2048];
        struct storage_events_event ev;
        uint8_t out[128], *c;
        size_t n, size = 0;
        uint8_t *bytes = unhex(v->hex, &n);

        snprintf(name, sizeof(name), "vector-%s", v->name);
        case_begin(name);
        CHECK_EQ_U(n, last->offset + last->size);
        c = exact_copy(bytes, n);
        CHECK_EQ_U(storage_events_decode_by_id(v->id, c, n, v->pointer_size,
                                               v->version, &ev),
                   STORAGE_EVENTS_OK);
        CHECK_EQ_U(ev.info.size, n);
        CHECK_EQ_U(ev.info.trailing, 0);
        CHECK_EQ_U(ev.info.unknown_enums, 0);
        CHECK_EQ_U(ev.info.decoded, v->version);
        storage_events_event_fields_json(&ev, json, sizeof(json));
        CHECK_STR(json, v->json);
        CHECK_EQ_U(storage_events_event_encode(&ev, v->pointer_size, v->version, out,
                                sizeof(out), &size),
                   STORAGE_EVENTS_OK);
        CHECK_EQ_U(size, n);
        CHECK(memcmp(out, bytes, n) == 0);
        CHECK_EQ_U(storage_events_event_encode(&ev, v->pointer_size, v->version, out, n - 1,
                                &size),
                   STORAGE_EVENTS_E_BUFFER_TOO_SMALL);
        CHECK_EQ_U(size, n);
        free(c);
        free(bytes);
    }
}

static void test_values(void)
{
    struct storage_events_volume_mounted vm;
    struct storage_events_io_failed f;
    struct storage_events_info info;
    size_t n;
    uint8_t *b;

    case_begin("values");
    b = unhex(vectors[0].hex, &n);
    CHECK_EQ_U(storage_events_volume_mounted_decode(b, n, 8, 0, &vm, &info),
               0);
    CHECK_EQ_U(vm.VolumeId.data1, 0x01234567);
    CHECK_EQ_U(vm.VolumeId.data2, 0xb9ab);
    CHECK_EQ_U(vm.VolumeId.data3, 0xcdef);
    CHECK_EQ_U(vm.VolumeId.data4[0], 0x01);
    CHECK_EQ_U(vm.VolumeId.data4[7], 0xef);
    CHECK_EQ_U(vm.Label.len, 4);
    CHECK((const uint8_t *)vm.Label.data == b + 16); /* a view, no copy */
    CHECK_EQ_U(vm.FileSystem.len, 4);
    CHECK(memcmp(vm.FileSystem.data, "NTFS", 4) == 0);
    CHECK_EQ_U(vm.MountTime, 0x01DA4B2C3D4E5F60u);
    CHECK_EQ_U(vm.Bus, STORAGE_EVENTS_BUS_NVME);
    CHECK_EQ_U(vm.ReadOnly, 1);
    CHECK_EQ_U(vm.SectorSize, 512);
    CHECK_EQ_U(vm.Capacity, 1000000000000u);
    free(b);
    b = unhex(vectors[6].hex, &n);
    CHECK_EQ_U(storage_events_io_failed_decode(b, n, 8, 1, &f, &info), 0);
    CHECK(f.NtStatus == -1073741435);
    CHECK(f.Retries == -3);
    CHECK_EQ_U(f.SenseData.len, 3);
    CHECK(f.SenseData.data == b + 15);
    CHECK_EQ_U(f.Cdb.len, 16);
    CHECK(f.Cdb.data == b + 18);
    CHECK_EQ_U(f.Path.len, 4);
    free(b);
}

/* Every truncation: inside a fixed-size field "too short", inside a
 * string "no terminator", inside a binary field sized by another "length
 * past the end"; the field and its offset named. */
static void test_truncations(void)
{
    size_t i;
    case_begin("truncations");
    for (i = 0; i < NVECTORS; i++) {
        const struct vector *v = &vectors[i];
        size_t n, len;
        uint8_t *bytes = unhex(v->hex, &n);
        for (len = 0; len < n; len++) {
            struct storage_events_event ev;
            uint8_t *c = exact_copy(bytes, len);
            const struct field_at *f = v->fields;
            int st, want;
            while (f->offset + f->size <= len)
                f++;
            want = f->kind == FIX   ? STORAGE_EVENTS_E_TOO_SHORT
                   : f->kind == STR ? STORAGE_EVENTS_E_NO_TERMINATOR
                                    : STORAGE_EVENTS_E_LENGTH_PAST_END;
            st = storage_events_decode_by_id(v->id, c, len, v->pointer_size,
                                             v->version, &ev);
            if (st != want || !ev.info.field ||
                strcmp(ev.info.field, f->name) != 0 ||
                ev.info.offset != f->offset)
                failf(__FILE__, __LINE__,
                      "%s cut to %lu bytes: %s (%s at %lu), want %s (%s at "
                      "%lu)",
                      v->name, (unsigned long)len, storage_events_strerror(st),
                      ev.info.field ? ev.info.field : "-",
                      (unsigned long)ev.info.offset,
                      storage_events_strerror(want), f->name,
                      (unsigned long)f->offset);
            free(c);
        }
        free(bytes);
    }
}

static void test_versions(void)
{
    struct storage_events_event ev;
    size_t n0, n1, n2;
    uint8_t *v2 = unhex(vectors[2].hex, &n2);  /* IO_COMPLETED v2, P8 */
    uint8_t *v0 = unhex(vectors[4].hex, &n0);  /* ...its v0 prefix */
    uint8_t *f1 = unhex(vectors[6].hex, &n1);  /* IO_FAILED v1, P8 */
    uint8_t out[128];
    size_t size;
    char json[1024];

    case_begin("versions-older-payload");
    CHECK_EQ_U(storage_events_decode_by_id(2, v0, n0, 8, 0, &ev), 0);
    CHECK_EQ_U(ev.u.io_completed.QueueDepth, 0); /* not in version 0 */
    CHECK_EQ_U(ev.u.io_completed.Tag, 0);
    CHECK_EQ_U(ev.info.decoded, 0);
    /* A version 0 payload is too short for version 1. */
    CHECK_EQ_U(storage_events_decode_by_id(2, v0, n0, 8, 1, &ev),
               STORAGE_EVENTS_E_TOO_SHORT);
    CHECK_STR(ev.info.field, "QueueDepth");
    CHECK_EQ_U(ev.info.offset, 38);

    case_begin("versions-newer-than-asked");
    /* A version 2 payload read as version 0: the rest is trailing. */
    CHECK_EQ_U(storage_events_decode_by_id(2, v2, n2, 8, 0, &ev), 0);
    CHECK_EQ_U(ev.info.size, 38);
    CHECK_EQ_U(ev.info.trailing, n2 - 38);
    CHECK_EQ_U(storage_events_decode_by_id(2, v2, n2, 8, 1, &ev), 0);
    CHECK_EQ_U(ev.info.size, 43);
    CHECK_EQ_U(ev.u.io_completed.Flags, 0x10002);
    CHECK(ev.u.io_completed.Score == 0);
    storage_events_event_json(&ev, json, sizeof(json));
    CHECK(strstr(json, "\"Flags\":\"0x10002\"}") != NULL);
    CHECK(strstr(json, "Score") == NULL);
    CHECK(strstr(json, "\"version\":1,\"decoded_version\":1,") != NULL);

    case_begin("versions-newer-than-schema");
    {
        uint8_t *longer = malloc(n2 + 5);
        memcpy(longer, v2, n2);
        memset(longer + n2, 0xAB, 5);
        CHECK_EQ_U(storage_events_decode_by_id(2, longer, n2 + 5, 8, 7, &ev),
                   0);
        CHECK_EQ_U(ev.version, 7);
        CHECK_EQ_U(ev.info.decoded, 2);
        CHECK_EQ_U(ev.info.trailing, 5);
        CHECK_EQ_U(ev.u.io_completed.Tag, 0xDEADBEEFCAFEF00Du);
        free(longer);
        /* IO_FAILED version 3 (the schema knows 1): Path, then more. */
        longer = malloc(n1 + 2);
        memcpy(longer, f1, n1);
        memset(longer + n1, 0x11, 2);
        CHECK_EQ_U(storage_events_decode_by_id(3, longer, n1 + 2, 8, 3, &ev),
                   0);
        CHECK_EQ_U(ev.info.decoded, 1);
        CHECK_EQ_U(ev.info.trailing, 2);
        CHECK_EQ_U(ev.u.io_failed.Path.len, 4);
        free(longer);
    }

    case_begin("versions-encode");
    CHECK_EQ_U(storage_events_decode_by_id(2, v2, n2, 8, 2, &ev), 0);
    CHECK_EQ_U(storage_events_io_completed_encode_version(
                   &ev.u.io_completed, 8, 0, out, sizeof(out), &size),
               0);
    CHECK(size == 38 && memcmp(out, v2, 38) == 0);
    CHECK_EQ_U(storage_events_io_completed_encode_version(
                   &ev.u.io_completed, 8, 1, out, sizeof(out), &size),
               0);
    CHECK(size == 43 && memcmp(out, v2, 43) == 0);
    CHECK_EQ_U(storage_events_io_completed_encode_version(
                   &ev.u.io_completed, 8, 3, out, sizeof(out), &size),
               STORAGE_EVENTS_E_VERSION);
    CHECK_EQ_U(STORAGE_EVENTS_IO_COMPLETED_V0_SIZE64, 38);
    CHECK_EQ_U(STORAGE_EVENTS_IO_COMPLETED_V1_SIZE32, 31);
    CHECK_EQ_U(STORAGE_EVENTS_IO_COMPLETED_SIZE32, 47);
    CHECK_EQ_U(STORAGE_EVENTS_IO_FAILED_V0_MIN_SIZE32, 27);
    CHECK_EQ_U(STORAGE_EVENTS_IO_FAILED_V1_MIN_SIZE64, 33);
    CHECK_EQ_U(STORAGE_EVENTS_VOLUME_MOUNTED_MIN_SIZE64, 42);
    free(v0);
    free(v2);
    free(f1);
}

static void test_enums(void)
{
    struct storage_events_cache_stats unused;
    struct storage_events_volume_mounted vm;
    struct storage_events_io_completed io;
    struct storage_events_info info;
    uint8_t buf[128];
    char json[1024];
    size_t n;

    (void)unused;
    case_begin("enums");
    CHECK_STR(storage_events_io_status_name(0), "IO_OK");
    CHECK_STR(storage_events_io_status_name(0x8000), "IO_MEDIA_ERROR");
    CHECK_STR(storage_events_io_status_name(65535), "IO_TIMEOUT");
    CHECK(storage_events_io_status_name(2) == NULL);
    CHECK(storage_events_storage_bus_is_known(3));
    CHECK(!storage_events_storage_bus_is_known(0));
    CHECK(!storage_events_storage_bus_is_known(4));
    CHECK_EQ_U(STORAGE_EVENTS_IO_TIMEOUT, 65535);

    case_begin("unknown-enum-values");
    memset(&vm, 0, sizeof(vm));
    vm.Bus = 200;
    CHECK_EQ_U(storage_events_volume_mounted_encode(&vm, 8, buf, sizeof(buf),
                                                    &n),
               0);
    CHECK_EQ_U(storage_events_volume_mounted_decode(buf, n, 8, 0, &vm, &info),
               0);
    CHECK_EQ_U(info.unknown_enums, 1);
    storage_events_volume_mounted_json(&vm, 0, json, sizeof(json));
    CHECK(strstr(json, "\"Bus\":{\"value\":200,\"name\":null}") != NULL);
    memset(&io, 0, sizeof(io));
    io.Status = 0x1234;
    CHECK_EQ_U(storage_events_io_completed_encode(&io, 4, buf, sizeof(buf),
                                                  &n),
               0);
    CHECK_EQ_U(storage_events_io_completed_decode(buf, n, 4, 2, &io, &info),
               0);
    CHECK_EQ_U(info.unknown_enums, 1);
    io.Status = 0; /* IO_OK: named */
    storage_events_io_completed_encode(&io, 4, buf, sizeof(buf), &n);
    storage_events_io_completed_decode(buf, n, 4, 2, &io, &info);
    CHECK_EQ_U(info.unknown_enums, 0);
    /* The general path counts them too (a version 0 payload). */
    io.Status = 7;
    storage_events_io_completed_encode_version(&io, 4, 0, buf, sizeof(buf),
                                               &n);
    CHECK_EQ_U(storage_events_io_completed_decode(buf, n, 4, 0, &io, &info),
               0);
    CHECK_EQ_U(info.unknown_enums, 1);
}

static void test_refusals(void)
{
    static const uint16_t nul_inside[] = {'a', 0, 'b'};
    static const uint8_t sense[4] = {1, 2, 3, 4}, cdb[16] = {0x28};
    struct storage_events_volume_mounted vm;
    struct storage_events_io_failed f;
    uint8_t buf[128];
    size_t n;

    case_begin("encode-embedded-nul");
    memset(&vm, 0, sizeof(vm));
    vm.Label.data = nul_inside;
    vm.Label.len = 3;
    CHECK_EQ_U(storage_events_volume_mounted_encode(&vm, 8, buf, sizeof(buf),
                                                    &n),
               STORAGE_EVENTS_E_EMBEDDED_NUL);
    vm.Label.len = 1; /* "a" alone is fine */
    CHECK_EQ_U(storage_events_volume_mounted_encode(&vm, 8, buf, sizeof(buf),
                                                    &n),
               0);
    vm.FileSystem.data = "NT\0FS";
    vm.FileSystem.len = 5;
    CHECK_EQ_U(storage_events_volume_mounted_encode(&vm, 8, buf, sizeof(buf),
                                                    &n),
               STORAGE_EVENTS_E_EMBEDDED_NUL);
    vm.FileSystem.len = 2;
    CHECK_EQ_U(storage_events_volume_mounted_encode(&vm, 8, buf, sizeof(buf),
                                                    &n),
               0);
    CHECK_EQ_U(n, 16 + 4 + 3 + 8 + 1 + 4 + 2 + 8);
    vm.FileSystem.data = NULL;
    CHECK_EQ_U(storage_events_volume_mounted_encode(&vm, 8, buf, sizeof(buf),
                                                    &n),
               STORAGE_EVENTS_E_ARGUMENT);
    vm.FileSystem.len = 0; /* NULL and empty: the empty string */
    CHECK_EQ_U(storage_events_volume_mounted_encode(&vm, 8, buf, sizeof(buf),
                                                    &n),
               0);

    case_begin("encode-length-mismatch");
    memset(&f, 0, sizeof(f));
    f.SenseLength = 4;
    f.SenseData.data = sense;
    f.SenseData.len = 4;
    f.Cdb.data = cdb;
    f.Cdb.len = 16;
    CHECK_EQ_U(storage_events_io_failed_encode(&f, 8, buf, sizeof(buf), &n),
               0);
    CHECK_EQ_U(n, 8 + 4 + 1 + 2 + 4 + 16 + 2);
    f.SenseLength = 3;
    CHECK_EQ_U(storage_events_io_failed_encode(&f, 8, buf, sizeof(buf), &n),
               STORAGE_EVENTS_E_LENGTH_MISMATCH);
    f.SenseLength = 4;
    f.Cdb.len = 15;
    CHECK_EQ_U(storage_events_io_failed_encode(&f, 8, buf, sizeof(buf), &n),
               STORAGE_EVENTS_E_LENGTH_MISMATCH);
    f.Cdb.len = 17;
    CHECK_EQ_U(storage_events_io_failed_encode(&f, 4, NULL, 0, &n),
               STORAGE_EVENTS_E_LENGTH_MISMATCH);
    f.Cdb.len = 16;
    f.Cdb.data = NULL;
    CHECK_EQ_U(storage_events_io_failed_encode(&f, 8, buf, sizeof(buf), &n),
               STORAGE_EVENTS_E_ARGUMENT);
    f.Cdb.data = cdb;
    f.Request = 0x100000000u;
    CHECK_EQ_U(storage_events_io_failed_encode(&f, 4, buf, sizeof(buf), &n),
               STORAGE_EVENTS_E_RANGE);
    /* A size query of a variable event. */
    f.Request = 1;
    CHECK_EQ_U(storage_events_io_failed_encode(&f, 4, NULL, 0, &n),
               STORAGE_EVENTS_E_BUFFER_TOO_SMALL);
    CHECK_EQ_U(n, 4 + 4 + 1 + 2 + 4 + 16 + 2);
}

/* ---- JSON: strings, floats -------------------------------------------- */

static void test_json_strings(void)
{
    /* A, U+1F600 as a pair, a lone high surrogate, B, a lone low one,
     * quote, backslash, U+0001, newline, tab, e-acute, euro, DEL, and a
     * high surrogate with nothing after it. */
    static const uint16_t label[] = {'A', 0xD83D, 0xDE00, 0xD800, 'B',
                                     0xDC00, '"', '\\', 1, '\n', '\t',
                                     0xE9, 0x20AC, 0x7F, 0xD83D};
    /* UTF-8 with faults: C3 28 (bad continuation), ED A0 80 (an encoded
     * surrogate), F0 9F 98 80 (fine), C0 AF and E0 80 AF (overlong), F5,
     * F4 90 80 80 (past U+10FFFF), and E2 82 cut short at the end. */
    static const char fs[] = "a\xC3(b\xED\xA0\x80" "c\xF0\x9F\x98\x80"
                             "d\xC0\xAF" "e\xF5" "g\xE0\x80\xAF"
                             "h\xF4\x90\x80\x80" "f\xE2\x82";
    struct storage_events_volume_mounted vm;
    struct storage_events_info info;
    uint8_t buf[256], le[sizeof(label)];
    char json[1024];
    size_t n, i;

    case_begin("json-strings");
    for (i = 0; i < sizeof(label) / 2; i++) { /* UTF-16LE on any host */
        le[2 * i] = (uint8_t)label[i];
        le[2 * i + 1] = (uint8_t)(label[i] >> 8);
    }
    memset(&vm, 0, sizeof(vm));
    vm.Label.data = le;
    vm.Label.len = sizeof(label) / 2;
    vm.FileSystem.data = fs;
    vm.FileSystem.len = sizeof(fs) - 1;
    CHECK_EQ_U(storage_events_volume_mounted_encode(&vm, 8, buf, sizeof(buf),
                                                    &n),
               0);
    CHECK_EQ_U(storage_events_volume_mounted_decode(buf, n, 8, 0, &vm, &info),
               0);
    CHECK_EQ_U(vm.Label.len, sizeof(label) / 2);
    storage_events_volume_mounted_json(&vm, 0, json, sizeof(json));
    CHECK_STR(json,
              "{\"VolumeId\":\"00000000-0000-0000-0000-000000000000\","
              "\"Label\":\"A\xF0\x9F\x98\x80\xEF\xBF\xBD" "B\xEF\xBF\xBD"
              "\\\"\\\\\\u0001\\n\\t\xC3\xA9\xE2\x82\xAC\x7F\xEF\xBF\xBD\","
              "\"FileSystem\":\"a\xEF\xBF\xBD(b\xEF\xBF\xBD\xEF\xBF\xBD"
              "\xEF\xBF\xBD" "c\xF0\x9F\x98\x80" "d\xEF\xBF\xBD\xEF\xBF\xBD"
              "e\xEF\xBF\xBD" "g\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
              "h\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
              "f\xEF\xBF\xBD\","
              "\"MountTime\":0,\"Bus\":{\"value\":0,\"name\":null},"
              "\"ReadOnly\":false,\"SectorSize\":0,\"Capacity\":0}");
}

/* The text after "key": in json, up to the next ',' or '}'. */
static const char *json_value(const char *json, const char *key, char *out,
                              size_t cap)
{
    const char *p = strstr(json, key);
    size_t n = 0;
    if (!p)
        return "";
    p += strlen(key) + 2; /* key, quote, colon */
    while (p[n] && p[n] != ',' && p[n] != '}' && n + 1 < cap) {
        out[n] = p[n];
        n++;
    }
    out[n] = '\0';
    return out;
}

static void test_json_floats(void)
{
    static const float fv[] = {0.1f, 1.5f, -2.75f, 3.4028235e38f,
                               1.17549435e-38f, 1.4e-45f, 16777217.0f,
                               123456.789f, 0.0f};
    static const double dv[] = {0.1, 1.0 / 3, -1e300, 4.9e-324,
                                2.2250738585072014e-308,
                                1.7976931348623157e308, 9007199254740993.0,
                                100.0};
    struct storage_events_io_completed io;
    char json[1024], v[64];
    size_t i;

    case_begin("json-floats");
    memset(&io, 0, sizeof(io));
    for (i = 0; i < sizeof(fv) / sizeof(fv[0]); i++) {
        io.LatencyMs = fv[i];
        storage_events_io_completed_json(&io, 2, json, sizeof(json));
        json_value(json, "\"LatencyMs", v, sizeof(v));
        CHECK(strtof(v, NULL) == fv[i]);
        CHECK(strchr(v, ',') == NULL);
    }
    for (i = 0; i < sizeof(dv) / sizeof(dv[0]); i++) {
        io.Score = dv[i];
        storage_events_io_completed_json(&io, 2, json, sizeof(json));
        json_value(json, "\"Score", v, sizeof(v));
        CHECK(strtod(v, NULL) == dv[i]);
    }
    io.LatencyMs = 0.1f;
    io.Score = 0.1;
    storage_events_io_completed_json(&io, 2, json, sizeof(json));
    CHECK_STR(json_value(json, "\"LatencyMs", v, sizeof(v)), "0.1");
    CHECK_STR(json_value(json, "\"Score", v, sizeof(v)), "0.1");
    io.Score = 100;
    storage_events_io_completed_json(&io, 2, json, sizeof(json));
    CHECK_STR(json_value(json, "\"Score", v, sizeof(v)), "100");
    io.LatencyMs = (float)NAN;
    io.Score = -HUGE_VAL;
    storage_events_io_completed_json(&io, 2, json, sizeof(json));
    CHECK_STR(json_value(json, "\"LatencyMs", v, sizeof(v)), "\"NaN\"");
    CHECK_STR(json_value(json, "\"Score", v, sizeof(v)), "\"-Infinity\"");
    io.LatencyMs = HUGE_VALF;
    storage_events_io_completed_json(&io, 2, json, sizeof(json));
    CHECK_STR(json_value(json, "\"LatencyMs", v, sizeof(v)), "\"Infinity\"");
}

static void test_signed_edges(void)
{
    struct storage_events_io_completed io;
    struct storage_events_io_failed f;
    struct storage_events_info info;
    uint8_t buf[128];
    char json[1024], v[64];
    size_t n;

    case_begin("signed-edges");
    memset(&io, 0, sizeof(io));
    io.Offset = INT64_MIN;
    storage_events_io_completed_encode(&io, 8, buf, sizeof(buf), &n);
    CHECK(memcmp(buf + 16, "\x00\x00\x00\x00\x00\x00\x00\x80", 8) == 0);
    storage_events_io_completed_decode(buf, n, 8, 2, &io, &info);
    CHECK(io.Offset == INT64_MIN);
    storage_events_io_completed_json(&io, 2, json, sizeof(json));
    CHECK_STR(json_value(json, "\"Offset", v, sizeof(v)),
              "-9223372036854775808");
    io.Offset = INT64_MAX;
    storage_events_io_completed_json(&io, 2, json, sizeof(json));
    CHECK_STR(json_value(json, "\"Offset", v, sizeof(v)),
              "9223372036854775807");
    memset(&f, 0, sizeof(f));
    f.Cdb.data = buf;
    f.Cdb.len = 16;
    f.Retries = INT8_MIN;
    f.NtStatus = INT32_MIN;
    storage_events_io_failed_encode(&f, 4, buf + 64, 64, &n);
    storage_events_io_failed_decode(buf + 64, n, 4, 1, &f, &info);
    CHECK(f.Retries == INT8_MIN && f.NtStatus == INT32_MIN);
}

/* ---- Random round trips -------------------------------------------- */

#define ROUNDS 10000

static uint16_t units[64];
static uint8_t le_units[128], bytes_a[64], bytes_b[64];
static char chars[64];

static void rnd_ustr(struct storage_events_ustr *s)
{
    size_t i, n = rnd() % 20;
    for (i = 0; i < n; i++) {
        units[i] = (uint16_t)(1 + rnd() % 0xFFFF); /* any unit but 0 */
        le_units[2 * i] = (uint8_t)units[i];
        le_units[2 * i + 1] = (uint8_t)(units[i] >> 8);
    }
    s->data = n || rnd() % 2 ? le_units : NULL;
    s->len = n;
}

static void rnd_astr(struct storage_events_astr *s)
{
    size_t i, n = rnd() % 20;
    for (i = 0; i < n; i++)
        chars[i] = (char)(1 + rnd() % 255);
    s->data = chars;
    s->len = n;
}

static uint64_t rnd_bits(void)
{
    return rnd_value(64);
}

static int same_ustr(struct storage_events_ustr a, struct storage_events_ustr b)
{
    return a.len == b.len && (!a.len || !memcmp(a.data, b.data, 2 * a.len));
}

static int same_bytes(struct storage_events_bytes a,
                      struct storage_events_bytes b)
{
    return a.len == b.len && (!a.len || !memcmp(a.data, b.data, a.len));
}

static void test_random(void)
{
    unsigned p, i;
    case_begin("random-round-trips");
    t_rng = 0x5EED0002u;
    for (p = 4; p <= 8; p += 4) {
        for (i = 0; i < ROUNDS; i++) {
            struct storage_events_volume_mounted vm, vm2;
            struct storage_events_io_completed io, io2;
            struct storage_events_io_failed f, f2;
            struct storage_events_cache_stats cs, cs2;
            struct storage_events_info info;
            uint8_t buf[256], again[256], *c;
            size_t n, n2, k;
            uint64_t u;
            unsigned v;

            u = rnd_bits();
            vm.VolumeId.data1 = (uint32_t)u;
            vm.VolumeId.data2 = (uint16_t)(u >> 32);
            vm.VolumeId.data3 = (uint16_t)(u >> 48);
            u = rnd_bits();
            memcpy(vm.VolumeId.data4, &u, 8);
            rnd_ustr(&vm.Label);
            rnd_astr(&vm.FileSystem);
            vm.MountTime = rnd_bits();
            vm.Bus = (uint8_t)rnd_value(8);
            vm.ReadOnly = (int32_t)rnd_value(32);
            vm.SectorSize = (uint16_t)rnd_value(16);
            vm.Capacity = rnd_bits();
            CHECK_EQ_U(storage_events_volume_mounted_encode(
                           &vm, p, buf, sizeof(buf), &n),
                       0);
            CHECK_EQ_U(n, 42 + 2 * vm.Label.len + vm.FileSystem.len);
            c = exact_copy(buf, n);
            CHECK_EQ_U(storage_events_volume_mounted_decode(c, n, p, 0, &vm2,
                                                            &info),
                       0);
            CHECK(!memcmp(&vm.VolumeId, &vm2.VolumeId, sizeof(vm.VolumeId)));
            CHECK(same_ustr(vm.Label, vm2.Label));
            CHECK(vm.FileSystem.len == vm2.FileSystem.len &&
                  !memcmp(vm.FileSystem.data, vm2.FileSystem.data,
                          vm.FileSystem.len));
            CHECK(vm.MountTime == vm2.MountTime && vm.Bus == vm2.Bus &&
                  vm.ReadOnly == vm2.ReadOnly &&
                  vm.SectorSize == vm2.SectorSize &&
                  vm.Capacity == vm2.Capacity);
            CHECK_EQ_U(info.unknown_enums,
                       !storage_events_storage_bus_is_known(vm.Bus));
            storage_events_volume_mounted_encode(&vm2, p, again, sizeof(again),
                                                 &n2);
            CHECK(n2 == n && !memcmp(buf, again, n));
            free(c);

            v = (unsigned)(rnd() % 3);
            io.Request = rnd_value(8 * p);
            io.Device = rnd_value(8 * p);
            io.Offset = (int64_t)rnd_bits();
            io.Length = rnd_value(8 * p);
            u = rnd_bits();
            memcpy(&io.LatencyMs, &u, 4); /* any bits, NaNs included */
            io.Status = (uint16_t)rnd_value(16);
            io.QueueDepth = (uint8_t)rnd_value(8);
            io.Flags = (uint32_t)rnd_value(32);
            u = rnd_bits();
            memcpy(&io.Score, &u, 8);
            io.Tag = rnd_bits();
            CHECK_EQ_U(storage_events_io_completed_encode_version(
                           &io, p, v, buf, sizeof(buf), &n),
                       0);
            CHECK_EQ_U(n, v == 0   ? (p == 8 ? 38 : 26)
                          : v == 1 ? (p == 8 ? 43 : 31)
                                   : (p == 8 ? 59 : 47));
            c = exact_copy(buf, n);
            CHECK_EQ_U(storage_events_io_completed_decode(c, n, p, v, &io2,
                                                          &info),
                       0);
            CHECK(io.Request == io2.Request && io.Device == io2.Device &&
                  io.Offset == io2.Offset && io.Length == io2.Length &&
                  !memcmp(&io.LatencyMs, &io2.LatencyMs, 4) &&
                  io.Status == io2.Status);
            if (v >= 1)
                CHECK(io.QueueDepth == io2.QueueDepth &&
                      io.Flags == io2.Flags);
            else
                CHECK(io2.QueueDepth == 0 && io2.Flags == 0);
            if (v >= 2)
                CHECK(!memcmp(&io.Score, &io2.Score, 8) && io.Tag == io2.Tag);
            storage_events_io_completed_encode_version(&io2, p, v, again,
                                                       sizeof(again), &n2);
            CHECK(n2 == n && !memcmp(buf, again, n));
            free(c);

            v = (unsigned)(rnd() % 2);
            f.Request = rnd_value(8 * p);
            f.NtStatus = (int32_t)rnd_value(32);
            f.Retries = (int8_t)rnd_value(8);
            f.SenseLength = (uint16_t)(rnd() % 40);
            for (k = 0; k < f.SenseLength; k++)
                bytes_a[k] = (uint8_t)rnd();
            f.SenseData.data = bytes_a;
            f.SenseData.len = f.SenseLength;
            for (k = 0; k < 16; k++)
                bytes_b[k] = (uint8_t)rnd();
            f.Cdb.data = bytes_b;
            f.Cdb.len = 16;
            rnd_ustr(&f.Path);
            CHECK_EQ_U(storage_events_io_failed_encode_version(
                           &f, p, v, buf, sizeof(buf), &n),
                       0);
            c = exact_copy(buf, n);
            CHECK_EQ_U(storage_events_io_failed_decode(c, n, p, v, &f2, &info),
                       0);
            CHECK(f.Request == f2.Request && f.NtStatus == f2.NtStatus &&
                  f.Retries == f2.Retries && f.SenseLength == f2.SenseLength &&
                  same_bytes(f.SenseData, f2.SenseData) &&
                  same_bytes(f.Cdb, f2.Cdb));
            if (v >= 1)
                CHECK(same_ustr(f.Path, f2.Path));
            else
                CHECK(f2.Path.len == 0 && f2.Path.data == NULL);
            storage_events_io_failed_encode_version(&f2, p, v, again,
                                                    sizeof(again), &n2);
            CHECK(n2 == n && !memcmp(buf, again, n));
            free(c);

            cs.Hits = (uint32_t)rnd_value(32);
            cs.Misses = (uint32_t)rnd_value(32);
            cs.Evictions = (uint16_t)rnd_value(16);
            cs.Dirty = (uint8_t)rnd_value(8);
            cs.Delta = (int16_t)rnd_value(16);
            cs.Enabled = (int32_t)rnd_value(32);
            CHECK_EQ_U(storage_events_cache_stats_encode(&cs, p, buf,
                                                         sizeof(buf), &n),
                       0);
            CHECK_EQ_U(n, 17);
            c = exact_copy(buf, n);
            CHECK_EQ_U(storage_events_cache_stats_decode(c, n, p, 0, &cs2,
                                                         &info),
                       0);
            CHECK(cs.Hits == cs2.Hits && cs.Misses == cs2.Misses &&
                  cs.Evictions == cs2.Evictions && cs.Dirty == cs2.Dirty &&
                  cs.Delta == cs2.Delta && cs.Enabled == cs2.Enabled);
            free(c);
        }
    }

    /* Random bytes, often with zeros (string terminators) and small
     * lengths: whatever decodes re-encodes to the bytes it used. */
    case_begin("random-bytes");
    for (i = 0; i < 8 * ROUNDS; i++) {
        struct storage_events_event ev;
        uint8_t bytes[96], again[128], *c;
        size_t n = rnd() % 96, k, size;
        unsigned id = 1 + (unsigned)(rnd() % 4), v = (unsigned)(rnd() % 4);
        int st;
        p = rnd() % 2 ? 8 : 4;
        for (k = 0; k < n; k++)
            bytes[k] = rnd() % 3 ? (uint8_t)(rnd() % 4) : (uint8_t)rnd();
        c = exact_copy(bytes, n);
        st = storage_events_decode_by_id(id, c, n, p, v, &ev);
        if (st == 0) {
            CHECK(ev.info.size + ev.info.trailing == n);
            CHECK_EQ_U(storage_events_event_encode(&ev, p, ev.info.decoded, again,
                                    sizeof(again), &size),
                       0);
            CHECK(size == ev.info.size && !memcmp(again, bytes, size));
        } else {
            CHECK(st == STORAGE_EVENTS_E_TOO_SHORT ||
                  st == STORAGE_EVENTS_E_NO_TERMINATOR ||
                  st == STORAGE_EVENTS_E_LENGTH_PAST_END);
            CHECK(ev.info.field != NULL && ev.info.offset <= n);
        }
        free(c);
    }
}

int main(void)
{
    test_vectors();
    test_values();
    test_truncations();
    test_versions();
    test_enums();
    test_refusals();
    test_json_strings();
    test_json_floats();
    test_signed_edges();
    test_random();
    return finish();
}
