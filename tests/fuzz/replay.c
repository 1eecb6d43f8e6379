/*
 * replay.c - runs a fuzz entry point without libFuzzer: every file named
 * on the command line (folders are walked one level deep, in name order)
 * is read and passed to LLVMFuzzerTestOneInput once.  Linked with each
 * fuzz_*.c and built with gcc + ASan/UBSan, it lets `ninja test` replay
 * the committed corpus and regressions (tests/suites/fuzz-replay.sh).
 *
 * Prints one line per input with -v, and always a last line
 * "N inputs replayed".  A sanitizer report or an abort() from an oracle
 * ends the process with a non-zero status, naming the input first (on
 * stderr, before it runs, so the name is there whatever happens).
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int verbose;
static long replayed;

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (!f) {
        perror(path);
        return -1;
    }
    do {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    fprintf(stderr, "replay: %s\n", path);
    if (verbose)
        printf("%s (%zu bytes)\n", path, len);
    /* An exact-size copy, so ASan sees a read past the end of the input
     * as the overflow it would be under libFuzzer. */
    {
        unsigned char *exact = malloc(len ? len : 1);
        if (!exact)
            abort();
        memcpy(exact, buf, len);
        free(buf);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    replayed++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    if (!(d = opendir(path))) {
        perror(path);
        return -1;
    }
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof(*names));
            if (!names)
                abort();
        }
        names[n] = malloc(strlen(path) + strlen(de->d_name) + 2);
        if (!names[n])
            abort();
        sprintf(names[n], "%s/%s", path, de->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) &&
            replay_file(names[i]))
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            verbose = 1;
            continue;
        }
        if (replay_path(argv[i]))
            rc = 1;
    }
    printf("%ld inputs replayed\n", replayed);
    return rc;
}
