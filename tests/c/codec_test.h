/*
 * codec_test.h - what the codec tests share: a per-case report that
 * tests/suites/codec.sh reads ("PASS name" / "FAIL name: why"), hex
 * vectors, exact-size heap copies of payloads (so that AddressSanitizer
 * catches any read past a payload's end), and a seeded PRNG.
 *
 * Header-only, static: each test program includes it once.
 */
#ifndef CODEC_TEST_H
#define CODEC_TEST_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failed_cases, t_passed_cases;
static int t_case_failed;        /* in the current case */
static const char *t_case_name;

/* Start a case; cases end at the next case_begin or at finish. */
static void case_end(void)
{
    if (!t_case_name)
        return;
    if (t_case_failed)
        t_failed_cases++;
    else {
        t_passed_cases++;
        printf("PASS %s\n", t_case_name);
    }
    t_case_name = NULL;
}

static void case_begin(const char *name)
{
    case_end();
    t_case_name = name;
    t_case_failed = 0;
}

/* Report a failure of the current case (the first few of each case). */
static void failf(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    if (t_case_failed++ >= 5)
        return;
    printf("FAIL %s: %s:%d: ", t_case_name ? t_case_name : "?", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond))                                                        \
            failf(__FILE__, __LINE__, "%s", #cond);                         \
    } while (0)
#define CHECK_EQ_U(a, b)                                                    \
    do {                                                                    \
        unsigned long long a_ = (unsigned long long)(a);                    \
        unsigned long long b_ = (unsigned long long)(b);                    \
        if (a_ != b_)                                                       \
            failf(__FILE__, __LINE__, "%s == %s: 0x%llx != 0x%llx", #a, #b, \
                  a_, b_);                                                  \
    } while (0)
#define CHECK_STR(a, b)                                                     \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                              \
            failf(__FILE__, __LINE__, "%s:\n  got  %s\n  want %s", #a,     \
                  a_ ? a_ : "(null)", b_ ? b_ : "(null)");                 \
    } while (0)

static int finish(void)
{
    case_end();
    printf("%d cases passed, %d failed\n", t_passed_cases, t_failed_cases);
    return t_failed_cases != 0;
}

/* Hex digits (spaces and '|' between them are ignored) into a malloc'd
 * buffer of exactly the decoded length (one byte when empty, so that the
 * pointer is never NULL); *n is that length. */
static uint8_t *unhex(const char *s, size_t *n)
{
    size_t len = 0, i;
    uint8_t *b = malloc(strlen(s) / 2 + 1);
    int hi = -1;
    for (i = 0; s[i]; i++) {
        int c = s[i], v;
        if (c == ' ' || c == '|' || c == '\n')
            continue;
        v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
        if (v < 0) {
            fprintf(stderr, "bad hex vector: %s\n", s);
            exit(2);
        }
        if (hi < 0)
            hi = v;
        else {
            b[len++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0) {
        fprintf(stderr, "odd hex vector: %s\n", s);
        exit(2);
    }
    *n = len;
    return realloc(b, len ? len : 1);
}

/* A copy of p[0..n) in a heap block of exactly n bytes (ASan then flags
 * a read of p[n]); NULL-safe for n == 0 (returns a 1-byte block that the
 * decoder must not read). */
static uint8_t *exact_copy(const void *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    if (n)
        memcpy(c, p, n);
    return c;
}

/* xorshift64*: deterministic, seeded per test. */
static uint64_t t_rng = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
    t_rng ^= t_rng >> 12;
    t_rng ^= t_rng << 25;
    t_rng ^= t_rng >> 27;
    return t_rng * 0x2545F4914F6CDD1Du;
}

/* Mostly small values and edges, sometimes anything: codecs fail at
 * the edges. */
static uint64_t rnd_value(unsigned bits)
{
    uint64_t mask = bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
    switch (rnd() % 8) {
    case 0:
        return 0;
    case 1:
        return mask;
    case 2:
        return mask >> 1;       /* largest positive when signed */
    case 3:
        return (mask >> 1) + 1; /* smallest negative when signed */
    case 4:
        return rnd() % 256;
    default:
        return rnd() & mask;
    }
}

#endif
