/*
 * sha_test.c - evgen's SHA-256 (util.c), which names translated pages'
 * sources (ms.openlocfilehash) and locale entries' English texts.
 *
 *     build/sha_test            the standard's test vectors, and every
 *                               way of feeding the same bytes in pieces
 *     build/sha_test --list N   the hash of each message of 0..N bytes
 *                               (bytes i*7+len), one per line
 *
 * tests/suites/mustache.sh runs both: the list against Python's hashlib,
 * and with EVGEN_NO_SHA_NI=1 (util.c's portable code where the processor
 * has the SHA extensions).
 */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void expect(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) == 0) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s:\n  got  %s\n  want %s\n", what, got, want);
    }
}

static unsigned char *message(size_t len)
{
    unsigned char *m = xmalloc(len ? len : 1);
    for (size_t i = 0; i < len; i++)
        m[i] = (unsigned char)(i * 7 + len);
    return m;
}

int main(int argc, char **argv)
{
    char whole[65], pieces[65];

    if (argc == 3 && strcmp(argv[1], "--list") == 0) {
        long n = atol(argv[2]);
        for (long len = 0; len <= n; len++) {
            unsigned char *m = message((size_t)len);
            eg_sha256_hex(m, (size_t)len, whole);
            printf("%s\n", whole);
            free(m);
        }
        return 0;
    }

    /* FIPS 180-2, appendix B. */
    eg_sha256_hex("abc", 3, whole);
    expect("abc", whole,
           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    eg_sha256_hex("", 0, whole);
    expect("empty", whole,
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    eg_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                  56, whole);
    expect("two blocks", whole,
           "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    {
        struct eg_sha256 c;
        char a[1000];
        memset(a, 'a', sizeof a);
        eg_sha256_init(&c);
        for (int i = 0; i < 1000; i++)
            eg_sha256_update(&c, a, sizeof a);
        eg_sha256_final_hex(&c, whole);
        expect(
            "a million a", whole,
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    /* The same bytes in pieces of every size from 1 to 130 give the hash
     * of the whole, for messages around the block and padding edges: one
     * check, naming the first that differs. */
    {
        char what[64] = "";
        for (size_t len = 0; len <= 300 && !what[0];
             len += len < 140 ? 1 : 37) {
            unsigned char *m = message(len);
            eg_sha256_hex(m, len, whole);
            for (size_t step = 1; step <= 130 && !what[0]; step++) {
                struct eg_sha256 c;
                eg_sha256_init(&c);
                for (size_t off = 0; off < len; off += step)
                    eg_sha256_update(&c, m + off,
                                     len - off < step ? len - off : step);
                eg_sha256_final_hex(&c, pieces);
                if (strcmp(pieces, whole) != 0)
                    snprintf(what, sizeof what, "%zu bytes in pieces of %zu",
                             len, step);
            }
            free(m);
        }
        expect(what[0] ? what : "every message in pieces",
               what[0] ? pieces : whole, whole);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
