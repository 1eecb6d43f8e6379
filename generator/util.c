/*
 * util.c - allocation, arena, string buffer, file reading, SHA-256, UTF-8.
 * No stage logic lives here; see util.h for the contracts.
 */
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

void eg_fatal(const char *fmt, ...)
{
    va_list ap;
    fputs("evgen: fatal: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(3);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        eg_fatal("out of memory allocating %zu bytes", n);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        eg_fatal("out of memory allocating %zu bytes", n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        eg_fatal("out of memory allocating %zu x %zu bytes", count, size);
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* ---- Arena ---- */

struct eg_arena_block {
    struct eg_arena_block *next;
    size_t size, used;
    max_align_t data[];
};

/* A block with its header and malloc's is 64 KiB exactly: the pages it is
 * mapped in (main.c has malloc map blocks this size) hold no slack. */
#define ARENA_BLOCK (64 * 1024 - 64)

/* Standard blocks freed by one arena wait here for the next arena to take
 * them: a stage's data freed (the parsed schema once checked) becomes the
 * next stage's (translations, template data) without handing pages back
 * to the system and faulting fresh ones in -- which, with threads running,
 * also costs a TLB shootdown per unmapped block.  At most SPARE_MAX blocks
 * (16 MiB) wait, the rest are freed: waiting blocks still count in the
 * process's memory, and no more than the next stage takes should wait
 * (`evgen check` builds no template data: 64 MiB waiting raised its peak
 * by 40 MB at 10,000 events). */
/* Under AddressSanitizer none waits: blocks are freed at once, so that a
 * pointer into a freed arena is caught when used. */
#if defined(__SANITIZE_ADDRESS__) /* gcc's way of saying it */
#define EG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) /* clang's */
#define EG_ASAN 1
#endif
#endif
#ifdef EG_ASAN
#define SPARE_MAX 0
#else
#define SPARE_MAX 256
#endif
static struct {
    pthread_mutex_t mu;
    struct eg_arena_block *list;
    size_t n;
} spare = {PTHREAD_MUTEX_INITIALIZER, NULL, 0};

static struct eg_arena_block *block_new(size_t size)
{
    struct eg_arena_block *b = NULL;
    if (size == ARENA_BLOCK) {
        pthread_mutex_lock(&spare.mu);
        if ((b = spare.list) != NULL) {
            spare.list = b->next;
            spare.n--;
        }
        pthread_mutex_unlock(&spare.mu);
    }
    return b ? b : xmalloc(sizeof(*b) + size);
}

static void block_free(struct eg_arena_block *b)
{
    if (b->size == ARENA_BLOCK && SPARE_MAX > 0) {
        pthread_mutex_lock(&spare.mu);
        if (spare.n + 1 <= SPARE_MAX) {
            b->next = spare.list;
            spare.list = b;
            spare.n++;
            b = NULL;
        }
        pthread_mutex_unlock(&spare.mu);
    }
    free(b);
}

void eg_arena_init(struct eg_arena *a)
{
    a->head = NULL;
    a->used = 0;
}

/* n bytes at an offset that is a multiple of align (a power of two). */
static void *arena_take(struct eg_arena *a, size_t n, size_t align)
{
    struct eg_arena_block *b = a->head;
    size_t off = b ? (b->used + align - 1) & ~(align - 1) : 0;
    void *p;

    if (n > SIZE_MAX / 2)
        eg_fatal("arena allocation of %zu bytes", n);
    if (!b || off > b->size || b->size - off < n) {
        size_t size = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;
        struct eg_arena_block *nb = block_new(size);
        nb->size = size;
        nb->used = 0;
        if (b && size != ARENA_BLOCK) {
            /* A big allocation gets its own block behind the current
             * one, so the current block's free space is not wasted. */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
        off = 0;
    }
    p = (char *)b->data + off;
    b->used = off + n;
    a->used += n;
    return p;
}

void *eg_arena_alloc(struct eg_arena *a, size_t n)
{
    void *p = arena_take(a, n, _Alignof(max_align_t));
    memset(p, 0, n);
    return p;
}

/* Strings need no alignment: packing them saves a third of their memory. */
char *eg_arena_strndup(struct eg_arena *a, const char *s, size_t len)
{
    char *p = arena_take(a, len + 1, 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *eg_arena_strdup(struct eg_arena *a, const char *s)
{
    return eg_arena_strndup(a, s, strlen(s));
}

char *eg_arena_printf(struct eg_arena *a, const char *fmt, ...)
{
    struct eg_sb sb = EG_SB_INIT;
    va_list ap;
    char *p;
    va_start(ap, fmt);
    eg_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    p = eg_arena_strndup(a, sb.buf, sb.len);
    eg_sb_release(&sb);
    return p;
}

/* Every block of a freed (to the spare list, or back to the system), a
 * left empty. */
static void drop_blocks(struct eg_arena *a, int to_spare)
{
    struct eg_arena_block *b = a->head;
    while (b) {
        struct eg_arena_block *next = b->next;
        if (to_spare)
            block_free(b);
        else
            free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}

void eg_arena_free(struct eg_arena *a)
{
    drop_blocks(a, 1);
}

void eg_arena_release(struct eg_arena *a)
{
    drop_blocks(a, 0);
}

/* Abandoned blocks, kept reachable from here so that leak checkers do
 * not take them for leaks. */
static struct eg_arena_block *abandoned;

void eg_arena_abandon(struct eg_arena *a)
{
    struct eg_arena_block *last = a->head;
    if (!last)
        return;
    while (last->next)
        last = last->next;
    last->next = abandoned;
    abandoned = a->head;
    a->head = NULL;
    a->used = 0;
}

void eg_arena_reset(struct eg_arena *a)
{
    struct eg_arena_block *keep = NULL, *b = a->head;
    while (b) {
        struct eg_arena_block *next = b->next;
        if (!keep && b->size == ARENA_BLOCK)
            keep = b;
        else
            block_free(b);
        b = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->used = 0;
}

void eg_arena_adopt(struct eg_arena *dst, struct eg_arena *src)
{
    struct eg_arena_block *last = src->head;
    if (!last)
        return;
    while (last->next)
        last = last->next;
    /* Behind dst's current block, which stays the one allocations use. */
    if (dst->head) {
        last->next = dst->head->next;
        dst->head->next = src->head;
    } else {
        dst->head = src->head;
    }
    dst->used += src->used;
    src->head = NULL;
    src->used = 0;
}

/* ---- String buffer ---- */

char eg_sb_empty[1];

void eg_sb_init(struct eg_sb *sb)
{
    sb->buf = eg_sb_empty;
    sb->len = 0;
    sb->alloc = 0;
}

void eg_sb_release(struct eg_sb *sb)
{
    if (sb->alloc)
        free(sb->buf);
    eg_sb_init(sb);
}

char *eg_sb_detach(struct eg_sb *sb, size_t *len)
{
    char *p;
    if (!sb->alloc)
        eg_sb_grow(sb, 0);
    p = sb->buf;
    if (len)
        *len = sb->len;
    eg_sb_init(sb);
    return p;
}

void eg_sb_grow(struct eg_sb *sb, size_t extra)
{
    size_t need;
    if (extra > SIZE_MAX - sb->len - 1)
        eg_fatal("string buffer overflow");
    need = sb->len + extra + 1;
    if (need <= sb->alloc)
        return;
    if (need < sb->alloc + sb->alloc / 2)
        need = sb->alloc + sb->alloc / 2;
    if (need < 64)
        need = 64;
    if (sb->alloc) {
        sb->buf = xrealloc(sb->buf, need);
    } else {
        sb->buf = xmalloc(need);
        sb->buf[0] = '\0';
    }
    sb->alloc = need;
}

void eg_sb_reset(struct eg_sb *sb)
{
    sb->len = 0;
    if (sb->alloc)
        sb->buf[0] = '\0';
}

void eg_sb_truncate(struct eg_sb *sb, size_t len)
{
    if (len > sb->len)
        eg_fatal("eg_sb_truncate past the end"); /* a bug, not input */
    sb->len = len;
    if (sb->alloc)
        sb->buf[len] = '\0';
}

void eg_sb_add(struct eg_sb *sb, const void *data, size_t len)
{
    if (!len)
        return;
    if (sb->alloc - sb->len <= len) /* no room for len bytes and the NUL */
        eg_sb_grow(sb, len);
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void eg_sb_adds(struct eg_sb *sb, const char *s)
{
    eg_sb_add(sb, s, strlen(s));
}

void eg_sb_addc(struct eg_sb *sb, char c)
{
    if (sb->alloc - sb->len <= 1)
        eg_sb_grow(sb, 1);
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}

void eg_sb_vaddf(struct eg_sb *sb, const char *fmt, va_list ap)
{
    va_list cp;
    int n;
    va_copy(cp, ap);
    n = vsnprintf(sb->buf + sb->len, sb->alloc ? sb->alloc - sb->len : 0, fmt,
                  cp);
    va_end(cp);
    if (n < 0)
        eg_fatal("vsnprintf failed");
    if (sb->alloc && (size_t)n < sb->alloc - sb->len) {
        sb->len += (size_t)n;
        return;
    }
    eg_sb_grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
    sb->len += (size_t)n;
}

void eg_sb_addf(struct eg_sb *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eg_sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

/* ---- Files ---- */

int eg_open_file(const char *path, size_t max_size, const char **why)
{
    struct stat st;
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
     * writer forever; fstat() below then refuses it.  Reads of a regular
     * file ignore the flag. */
    int fd = open(path, O_RDONLY | O_NONBLOCK);

    if (fd < 0) {
        *why = strerror(errno);
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        *why = strerror(errno);
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        *why = "is a directory, not a file";
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = "is not a regular file";
        close(fd);
        return -1;
    }
    if ((unsigned long long)st.st_size > max_size) {
        *why = "is larger than the size limit";
        close(fd);
        return -1;
    }
    return fd;
}

int eg_read_file(const char *path, size_t max_size, struct eg_sb *sb,
                 const char **why)
{
    int fd = eg_open_file(path, max_size, why);
    size_t start = sb->len;

    if (fd < 0)
        return -1;
    for (;;) {
        ssize_t n;
        eg_sb_grow(sb, 65536);
        n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *why = strerror(errno);
            close(fd);
            sb->len = start;
            sb->buf[sb->len] = '\0';
            return -1;
        }
        if (n == 0)
            break;
        sb->len += (size_t)n;
        sb->buf[sb->len] = '\0';
        if (sb->len - start > max_size) {
            /* The file grew while we read it. */
            *why = "is larger than the size limit";
            close(fd);
            sb->len = start;
            sb->buf[sb->len] = '\0';
            return -1;
        }
    }
    close(fd);
    return 0;
}

int eg_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ---- Hashing ---- */

uint64_t eg_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

/* ---- SHA-256 (FIPS 180-4) ---- */

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block_c(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, hh;
    int i;
    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0], b = h[1], c = h[2], d = h[3];
    e = h[4], f = h[5], g = h[6], hh = h[7];
    for (i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
                      ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
                      ((a & b) ^ (a & c) ^ (b & c));
        hh = g, g = f, f = e, e = d + t1;
        d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d;
    h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* The same compression on x86's SHA extensions, which do two rounds per
 * instruction: 4.4x the portable code's speed here, on what was 5% of a
 * large run's CPU (every translated page's source_hash hashes its en-US
 * page).  Used only when cpuid says the processor has them; the portable
 * code stays the definition (tests/suites/docs.sh checks that both give
 * the standard's hashes). */
#include <cpuid.h>
#include <immintrin.h>
#define SHA_NI 1

__attribute__((target("sha,ssse3,sse4.1"))) static void
sha_blocks_ni(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
    /* Big-endian words out of each 4 bytes. */
    const __m128i bswap =
        _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i t = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
    __m128i s0;

    /* The instructions want the state as ABEF and CDGH. */
    t = _mm_shuffle_epi32(t, 0xB1);    /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);  /* EFGH */
    s0 = _mm_alignr_epi8(t, s1, 8);    /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xF0); /* CDGH */
    for (; nblocks; nblocks--, p += 64) {
        __m128i save0 = s0, save1 = s1, m[4];
        /* Rounds four at a time; m[g % 4] holds message words 4g..4g+3,
         * each group from the four before it as the schedule says. */
        for (int g = 0; g < 16; g++) {
            __m128i k, x;
            if (g < 4) {
                m[g] = _mm_shuffle_epi8(
                    _mm_loadu_si128(
                        (const __m128i *)(const void *)(p + 16 * g)),
                    bswap);
            } else {
                x = _mm_sha256msg1_epu32(m[g % 4], m[(g + 1) % 4]);
                x = _mm_add_epi32(
                    x, _mm_alignr_epi8(m[(g + 3) % 4], m[(g + 2) % 4], 4));
                m[g % 4] = _mm_sha256msg2_epu32(x, m[(g + 3) % 4]);
            }
            k = _mm_loadu_si128((const __m128i *)(const void *)&sha_k[4 * g]);
            x = _mm_add_epi32(m[g % 4], k);
            s1 = _mm_sha256rnds2_epu32(s1, s0, x);
            x = _mm_shuffle_epi32(x, 0x0E);
            s0 = _mm_sha256rnds2_epu32(s0, s1, x);
        }
        s0 = _mm_add_epi32(s0, save0);
        s1 = _mm_add_epi32(s1, save1);
    }
    t = _mm_shuffle_epi32(s0, 0x1B);   /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);  /* DCHG */
    s0 = _mm_blend_epi16(t, s1, 0xF0); /* DCBA */
    s1 = _mm_alignr_epi8(s1, t, 8);    /* HGFE */
    _mm_storeu_si128((__m128i *)(void *)&h[0], s0);
    _mm_storeu_si128((__m128i *)(void *)&h[4], s1);
}

/* Whether the SHA extensions (with SSSE3 and SSE4.1) are there, asked
 * once.  EVGEN_NO_SHA_NI in the environment says no, so that the tests
 * can compare both ways on a machine that has them. */
static pthread_once_t sha_ni_once = PTHREAD_ONCE_INIT;
static int sha_ni;

static void ask_sha_ni(void)
{
    unsigned a, b, c, d;
    if (getenv("EVGEN_NO_SHA_NI") || !__get_cpuid(1, &a, &b, &c, &d) ||
        !(c & bit_SSSE3) || !(c & bit_SSE4_1) || __get_cpuid_max(0, NULL) < 7)
        return;
    __cpuid_count(7, 0, a, b, c, d);
    sha_ni = (b >> 29) & 1; /* CPUID.7.0:EBX.SHA */
}

static int have_sha_ni(void)
{
    pthread_once(&sha_ni_once, ask_sha_ni);
    return sha_ni;
}
#endif

static void sha_blocks(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
#ifdef SHA_NI
    if (have_sha_ni()) {
        sha_blocks_ni(h, p, nblocks);
        return;
    }
#endif
    for (; nblocks; nblocks--, p += 64)
        sha_block_c(h, p);
}

void eg_sha256_init(struct eg_sha256 *c)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->len = 0;
    c->nbuf = 0;
}

void eg_sha256_update(struct eg_sha256 *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    c->len += len;
    if (c->nbuf) {
        size_t take = 64 - c->nbuf < len ? 64 - c->nbuf : len;
        memcpy(c->buf + c->nbuf, p, take);
        c->nbuf += take;
        p += take;
        len -= take;
        if (c->nbuf < 64)
            return;
        sha_blocks(c->h, c->buf, 1);
        c->nbuf = 0;
    }
    sha_blocks(c->h, p, len / 64);
    p += len / 64 * 64;
    len %= 64;
    memcpy(c->buf, p, len);
    c->nbuf = len;
}

void eg_sha256_final_hex(struct eg_sha256 *c, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char tail[128];
    unsigned long long bits = (unsigned long long)c->len * 8;
    size_t tl = c->nbuf + 1 + 8 <= 64 ? 64 : 128;
    int i;

    memset(tail, 0, sizeof tail);
    memcpy(tail, c->buf, c->nbuf);
    tail[c->nbuf] = 0x80;
    for (i = 0; i < 8; i++)
        tail[tl - 1 - i] = (unsigned char)(bits >> (8 * i));
    sha_blocks(c->h, tail, 1);
    if (tl == 128)
        sha_blocks(c->h, tail + 64, 1);
    for (i = 0; i < 32; i++) {
        unsigned char byte = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
        out[2 * i] = hex[byte >> 4];
        out[2 * i + 1] = hex[byte & 15];
    }
    out[64] = '\0';
}

void eg_sha256_hex(const void *data, size_t len, char out[65])
{
    struct eg_sha256 c;
    eg_sha256_init(&c);
    eg_sha256_update(&c, data, len);
    eg_sha256_final_hex(&c, out);
}

/* ---- UTF-8 ---- */

size_t eg_utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        size_t n;
        unsigned cp, min;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1, cp = c & 0x1f, min = 0x80;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2, cp = c & 0x0f, min = 0x800;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3, cp = c & 0x07, min = 0x10000;
        else
            return i;
        if (len - i <= n)
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return i;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return len;
}

size_t eg_text_bad_char(const char *s, size_t len, unsigned *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        unsigned c = p[i];
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
            *cp = c;
            return i;
        }
        if (c == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
            *cp = p[i + 1]; /* U+0080..U+009F: C1 controls */
            return i;
        }
        if (c == 0xef && i + 2 < len && p[i + 1] == 0xbf &&
            (p[i + 2] == 0xbe || p[i + 2] == 0xbf)) {
            *cp = 0xffc0u | (p[i + 2] & 0x3fu); /* U+FFFE, U+FFFF */
            return i;
        }
    }
    return len;
}

size_t eg_message_units(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xc0) != 0x80) /* a character starts */
            n += c >= 0xf0 || c == '%' || c == '\t' ? 2 : 1;
    }
    return n; /* (past U+FFFF: a surrogate pair) */
}

size_t eg_message_bad_percent(const char *s)
{
    const char *p = s;
    while ((p = strchr(p, '%'))) {
        if (p[1] && strchr("123456789%n.!0tr", p[1]))
            p += 2;
        else
            return (size_t)(p - s);
    }
    return strlen(s);
}

const char *eg_bad_char_name(unsigned cp, char buf[48])
{
    if (cp == 0)
        return "a NUL character";
    snprintf(buf, 48, "the %s U+%04X",
             cp >= 0xfffe ? "non-character" : "control character", cp);
    return buf;
}

/* ---- Interrupts ---- */

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
    caught = sig; /* async-signal-safe: a flag, nothing more */
}

static const int interrupts[] = {SIGINT, SIGTERM, SIGHUP};

void eg_catch_interrupts(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second one kills */
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < EG_ARRAY_LEN(interrupts); i++)
        /* One ignored when evgen started (nohup, a script's trap '')
         * stays ignored. */
        if (sigaction(interrupts[i], NULL, &old) == 0 &&
            old.sa_handler != SIG_IGN)
            sigaction(interrupts[i], &sa, NULL);
}

void eg_hold_interrupts(int hold)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < EG_ARRAY_LEN(interrupts); i++)
        sigaddset(&set, interrupts[i]);
    pthread_sigmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

void eg_die_of_interrupt(void)
{
    int sig = caught;
    if (!sig)
        return;
    signal(sig, SIG_DFL);
    raise(sig); /* the parent sees evgen die of it, as of any signal */
}

int eg_interrupted(void)
{
    return caught;
}

/* ---- Threads ---- */

size_t eg_cores(void)
{
    const char *env = getenv("EVGEN_CORES");
    long n;
    if (env && *env) { /* util.h: a count from 1 to 1024, else ignored */
        char *end;
        n = strtol(env, &end, 10);
        if (!*end && n >= 1 && n <= 1024)
            return (size_t)n;
    }
    n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 1 ? (size_t)n : 1;
}

void eg_queue_init(struct eg_queue *q, size_t n, size_t run)
{
    pthread_mutex_init(&q->lock, NULL);
    q->next = 0;
    q->n = n;
    q->run = run ? run : 1;
    q->stopped = 0;
}

void eg_queue_destroy(struct eg_queue *q)
{
    pthread_mutex_destroy(&q->lock);
}

int eg_queue_take(struct eg_queue *q, size_t *from, size_t *to)
{
    pthread_mutex_lock(&q->lock);
    *from = q->stopped ? q->n : q->next;
    *to = q->n - *from > q->run ? *from + q->run : q->n;
    q->next = *to;
    pthread_mutex_unlock(&q->lock);
    return *from < *to;
}

void eg_queue_stop(struct eg_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->stopped = 1;
    pthread_mutex_unlock(&q->lock);
}

int eg_queue_stopped(struct eg_queue *q)
{
    int stopped;
    pthread_mutex_lock(&q->lock);
    stopped = q->stopped;
    pthread_mutex_unlock(&q->lock);
    return stopped;
}

void eg_run_threads(size_t n, void *(*fn)(void *), void *const *args)
{
    pthread_t *threads = n > 1 ? xmalloc((n - 1) * sizeof(*threads)) : NULL;
    size_t started = 0;
    for (size_t i = 1; i < n; i++)
        if (pthread_create(&threads[started], NULL, fn, args[i]) == 0)
            started++;
    fn(args[0]);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
}

/* ---- Statistics ---- */

static double stats_last = -1;

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void eg_stats_enable(void)
{
    stats_last = monotonic_seconds();
}

void eg_stats(const char *stage)
{
    struct rusage ru;
    double t;
    if (stats_last < 0)
        return;
    t = monotonic_seconds();
    getrusage(RUSAGE_SELF, &ru);
    {
        /* Resident now (Linux), beside the peak so far. */
        long pages = 0, rss = 0;
        FILE *f = fopen("/proc/self/statm", "r");
        if (f) {
            if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
                rss = 0;
            fclose(f);
        }
        double now = (double)rss * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
        double peak = (double)ru.ru_maxrss / 1024.0;
        /* The kernel updates the high-water mark lazily: never show it
         * below what is resident now. */
        fprintf(stderr,
                "evgen: stats: %-9s %7.3f s  now %6.1f MB  peak %6.1f MB\n",
                stage, t - stats_last, now, peak > now ? peak : now);
    }
    stats_last = t;
}
