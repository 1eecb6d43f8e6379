/*
 * bench_codec.c - speed of the generated heap_events codec (what `ninja
 * bench-codec` runs, built at -O2): for each event and pointer size, ns
 * per event to encode and to decode (with every check, and the info a
 * decoder reports), beside memcpy of the same payload bytes in the same
 * run, and the ratios.  Aims: encode within 1.5x of memcpy, decode within
 * 2x.
 *
 * Method: 1024 random events per case, cycled; each round times 100,000
 * events of each operation, interleaved (memcpy, encode, decode); the best
 * of 31 rounds counts, which filters out other load on the machine.  The
 * memcpy length is read at run time, as a decoder's would be, so the
 * compiler cannot turn it into two fixed moves.  Reports; never fails on
 * timing.
 */
#define _POSIX_C_SOURCE 200809L
#include "heap_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 1024     /* events cycled through (all in L1/L2) */
#define ROUND 100000
#define ROUNDS 31

/* Keep the compiler from dropping work whose result is not used. */
#define ESCAPE(p) __asm__ volatile("" : : "r"(p) : "memory")

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Du;
}

static uint8_t payload[N][64];
static size_t length[N];
static volatile size_t length_source[N]; /* memcpy's run-time lengths */

struct result {
    double copy, encode, decode; /* ns per event, best round */
};

/* One case: the three loops, per event type. */
#define BENCH(EV, FILL)                                                     \
    static struct result bench_##EV(unsigned p)                             \
    {                                                                       \
        static struct heap_events_##EV ev[N];                               \
        struct heap_events_##EV out;                                        \
        struct heap_events_info info;                                       \
        struct result best = {1e30, 1e30, 1e30};                            \
        uint8_t dst[64];                                                    \
        size_t len[N], i, k, size;                                          \
        uint64_t mask = p == 8 ? ~(uint64_t)0 : 0xFFFFFFFFu;                \
        int r, bad = 0;                                                     \
        for (i = 0; i < N; i++) {                                           \
            FILL;                                                           \
            bad |= heap_events_##EV##_encode(&ev[i], p, payload[i], 64,     \
                                             &length[i]);                   \
            length_source[i] = length[i];                                   \
        }                                                                   \
        for (i = 0; i < N; i++)                                             \
            len[i] = length_source[i];                                      \
        for (r = 0; r < ROUNDS; r++) {                                      \
            double t0, t1, t2, t3;                                          \
            t0 = now_ns();                                                  \
            for (k = 0; k < ROUND; k++) {                                   \
                i = k & (N - 1);                                            \
                memcpy(dst, payload[i], len[i]);                            \
                ESCAPE(dst);                                                \
            }                                                               \
            t1 = now_ns();                                                  \
            for (k = 0; k < ROUND; k++) {                                   \
                i = k & (N - 1);                                            \
                bad |= heap_events_##EV##_encode(&ev[i], p, dst,            \
                                                 sizeof(dst), &size);       \
                ESCAPE(dst);                                                \
            }                                                               \
            t2 = now_ns();                                                  \
            for (k = 0; k < ROUND; k++) {                                   \
                i = k & (N - 1);                                            \
                bad |= heap_events_##EV##_decode(payload[i], len[i], p, 2,  \
                                                 &out, &info);              \
                ESCAPE(&out);                                               \
                ESCAPE(&info);                                              \
            }                                                               \
            t3 = now_ns();                                                  \
            if ((t1 - t0) / ROUND < best.copy)                              \
                best.copy = (t1 - t0) / ROUND;                              \
            if ((t2 - t1) / ROUND < best.encode)                            \
                best.encode = (t2 - t1) / ROUND;                            \
            if ((t3 - t2) / ROUND < best.decode)                            \
                best.decode = (t3 - t2) / ROUND;                            \
        }                                                                   \
        if (bad) {                                                          \
            fprintf(stderr, "bench: %s failed to encode or decode\n", #EV); \
            exit(1);                                                        \
        }                                                                   \
        return best;                                                        \
    }

/* Handles and addresses look like heap pointers; sizes are small. */
BENCH(etw_heap_event_alloc,
      (ev[i].HeapHandle = rnd() & mask & ~(uint64_t)0xFFFF,
       ev[i].Size = rnd() % 4096, ev[i].Address = rnd() & mask & ~7u,
       ev[i].Source = 1 + (uint32_t)(rnd() % 5)))
BENCH(etw_heap_event_free,
      (ev[i].HeapHandle = rnd() & mask & ~(uint64_t)0xFFFF,
       ev[i].Address = rnd() & mask & ~7u,
       ev[i].Source = 1 + (uint32_t)(rnd() % 5)))
BENCH(etw_heap_event_realloc,
      (ev[i].HeapHandle = rnd() & mask & ~(uint64_t)0xFFFF,
       ev[i].NewAddress = rnd() & mask & ~7u,
       ev[i].OldAddress = rnd() & mask & ~7u, ev[i].NewSize = rnd() % 8192,
       ev[i].OldSize = rnd() % 4096,
       ev[i].Source = 1 + (uint32_t)(rnd() % 5)))

int main(void)
{
    static const struct {
        const char *name;
        struct result (*run)(unsigned p);
        size_t size32, size64;
    } cases[] = {
        {"ETW_HEAP_EVENT_ALLOC", bench_etw_heap_event_alloc,
         HEAP_EVENTS_ETW_HEAP_EVENT_ALLOC_SIZE32,
         HEAP_EVENTS_ETW_HEAP_EVENT_ALLOC_SIZE64},
        {"ETW_HEAP_EVENT_FREE", bench_etw_heap_event_free,
         HEAP_EVENTS_ETW_HEAP_EVENT_FREE_SIZE32,
         HEAP_EVENTS_ETW_HEAP_EVENT_FREE_SIZE64},
        {"ETW_HEAP_EVENT_REALLOC", bench_etw_heap_event_realloc,
         HEAP_EVENTS_ETW_HEAP_EVENT_REALLOC_SIZE32,
         HEAP_EVENTS_ETW_HEAP_EVENT_REALLOC_SIZE64},
    };
    size_t c;
    unsigned p;
    int over = 0;

    printf("heap_events codec speed: ns per event, best of %d rounds of "
           "%d events\n\n",
           ROUNDS, ROUND);
    printf("%-24s %2s %5s %7s %7s %6s %7s %6s\n", "event", "P", "bytes",
           "memcpy", "encode", "ratio", "decode", "ratio");
    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        for (p = 4; p <= 8; p += 4) {
            struct result r = cases[c].run(p);
            double re = r.encode / r.copy, rd = r.decode / r.copy;
            over |= re > 1.5 || rd > 2.0;
            printf("%-24s %2u %5lu %7.2f %7.2f %5.2fx %7.2f %5.2fx\n",
                   cases[c].name, p,
                   (unsigned long)(p == 8 ? cases[c].size64
                                          : cases[c].size32),
                   r.copy, r.encode, re, r.decode, rd);
        }
    }
    printf("\naims: encode <= 1.50x memcpy, decode <= 2.00x memcpy: %s\n",
           over ? "NOT all met (see the ratios)" : "all met");
    return 0;
}
