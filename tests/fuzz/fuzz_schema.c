/*
 * fuzz_schema.c - fuzz entry point for the front end: bytes -> load.c ->
 * check.c -> (locale.c) -> context.c, and the tree writers of value.c on
 * the context of every schema that passes.
 *
 * Input: a schema, optionally followed by locale files, each introduced
 * by a line of its own
 *
 *     #%locale CULTURE
 *
 * (a YAML comment, so a seed with locales is still a schema).  Without
 * locale files the schema is loaded from memory, the fast path.  With
 * them, schema and locales are written to a private temporary folder and
 * loaded as `evgen check` loads them, so locale.c's folder listing, hash
 * and protected-token checks run too.  CULTURE is used as a file name: one
 * holding '/' is replaced by "xx-XX", so the fuzzer never writes outside
 * its folder (a name starting with '.' makes a hidden file, which evgen
 * skips: a locales folder may hold no locale at all).
 *
 * Every input starts from clean global state (eg_diag_reset, a sink that
 * discards but checks the shape of each diagnostic) and frees everything
 * it allocated (one arena), so LeakSanitizer sees any leak.
 */
#include "../../generator/context.h"
#include "../../generator/load.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LOCALES 4

/* A diagnostic is whole lines of text: anything else is a formatting bug
 * (a NUL would cut a message short in a terminal or a log). */
static void sink(void *ctx, enum eg_severity sev, const char *text, size_t len)
{
    (void)ctx;
    (void)sev;
    if (len == 0 || text[len - 1] != '\n' || memchr(text, '\0', len))
        abort();
}

static char tmpdir[256];

/* Remove the files in folder path; 0 if it exists, -1 if it does not. */
static int empty_dir(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;
    if (!d)
        return -1;
    while ((de = readdir(d))) {
        char f[1024];
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(f, sizeof f, "%s/%s", path, de->d_name);
        unlink(f);
    }
    closedir(d);
    return 0;
}

static void remove_tmpdir(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/locales", tmpdir);
    empty_dir(path);
    rmdir(path);
    snprintf(path, sizeof path, "%s/schema.yaml", tmpdir);
    unlink(path);
    rmdir(tmpdir);
}

/* Empty the locales folder (created on first use). */
static const char *fresh_tmpdir(void)
{
    char path[512];
    if (!tmpdir[0]) {
        /* tests/fuzz/run points TMPDIR at a folder it removes afterwards:
         * a process that crashes skips atexit. */
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/fuzz-schema-XXXXXX",
                 base && *base && strlen(base) < 200 ? base : "/tmp");
        if (!mkdtemp(tmpdir))
            abort();
        atexit(remove_tmpdir);
    }
    snprintf(path, sizeof path, "%s/locales", tmpdir);
    if (empty_dir(path))
        mkdir(path, 0700);
    return tmpdir;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (len && fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
}

/* The next "#%locale " line at or after from (at a line start), or NULL. */
static const char *next_marker(const char *s, const char *end)
{
    static const char m[] = "#%locale ";
    for (const char *p = s; p + sizeof m - 1 <= end; p++) {
        p = memchr(p, '#', (size_t)(end - p));
        if (!p || p + sizeof m - 1 > end)
            return NULL;
        if ((p == s || p[-1] == '\n') && memcmp(p, m, sizeof m - 1) == 0)
            return p;
    }
    return NULL;
}

static void use(struct eg_arena *a, struct eg_schema *s)
{
    struct eg_context *cx = eg_context_build(a, s);
    struct eg_sb sb = EG_SB_INIT;
    /* As `evgen generate` does: the data must not need the model. */
    eg_schema_drop_model(s);
    /* Every locale's view: its texts come through the tables. */
    for (size_t i = 0; i < cx->n; i++) {
        eg_val_to_yaml_tr(cx->roots[i], &cx->texts, &sb);
        eg_sb_reset(&sb);
        eg_val_to_json_tr(cx->roots[i], &cx->texts, &sb);
        eg_sb_reset(&sb);
    }
    eg_sb_release(&sb);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *text = (const char *)data, *end = text + size;
    const char *mark = next_marker(text, end);
    struct eg_arena a;

    eg_diag_reset();
    eg_diag_set_sink(sink, NULL);
    eg_arena_init(&a);
    if (!mark) {
        /* The loader keeps pointers into the text: it must outlive the
         * tree, and the fuzzer's buffer is only lent. */
        char *copy = eg_arena_strndup(&a, text, size);
        struct eg_val *root;
        eg_diag_add_source("fuzz.yaml", copy, size);
        root = eg_load_text(&a, "fuzz.yaml", copy, size);
        if (root) {
            struct eg_schema *s = eg_schema_check(&a, "fuzz.yaml", root);
            if (s)
                use(&a, s);
        }
    } else {
        const char *dir = fresh_tmpdir();
        char path[600];
        struct eg_schema *s;
        int n = 0;
        snprintf(path, sizeof path, "%s/schema.yaml", dir);
        write_file(path, text, (size_t)(mark - text));
        while (mark && n++ < MAX_LOCALES) {
            const char *name = mark + 9,
                       *nl = memchr(name, '\n', (size_t)(end - name));
            const char *body = nl ? nl + 1 : end;
            const char *next = next_marker(body, end);
            size_t nlen = (size_t)((nl ? nl : end) - name);
            char culture[64], file[600];
            if (nlen == 0 || nlen >= sizeof culture ||
                memchr(name, '/', nlen) || memchr(name, '\0', nlen)) {
                strcpy(culture, "xx-XX");
            } else {
                memcpy(culture, name, nlen);
                culture[nlen] = '\0';
            }
            snprintf(file, sizeof file, "%s/locales/%s.yaml", dir, culture);
            write_file(file, body, (size_t)((next ? next : end) - body));
            mark = next;
        }
        snprintf(path, sizeof path, "%s/schema.yaml", dir);
        if ((s = eg_schema_load(&a, path)))
            use(&a, s);
    }
    eg_arena_free(&a);
    eg_diag_reset();
    eg_intern_reset(); /* names interned by this input: none outlive it */
    return 0;
}
