/*
 * mustache_spec_test.c - runs the official Mustache spec (every *.yml in
 * the folder named on the command line, optional ~modules included)
 * against render.c, through the project's own YAML loader.
 *
 * Each test renders its template against its data, with its partials,
 * HTML escaping and lenient mode, as the spec intends.  A failing test
 * prints its file, name, expected and actual output (C-escaped, so
 * whitespace differences show).  The last line is "N passed, N failed";
 * the exit code is 1 when any failed.  A missing spec folder is skipped
 * with a message and exit code 0, so machines without it still build.
 *
 *   mustache_spec_test ../shared/mustache-spec
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../generator/diag.h"
#include "../generator/load.h"
#include "../generator/render.h"

static int passed, failed;

/* Partials come from the test's `partials` mapping.  The file name given
 * for diagnostics is the key's own text, which lives as long as the
 * loaded tree (render.c registers it with diag.c). */
static int find_partial(void *ctx, const char *name, const char **text,
                        size_t *len, const char **file)
{
    const struct eg_val *map = ctx;
    const struct eg_pair *p = eg_map_pair(map, name);
    if (!p || p->val->kind != EG_STR)
        return 0;
    *text = p->val->u.str.s;
    *len = p->val->u.str.len;
    *file = p->key->u.str.s;
    return 1;
}

static void show(const char *label, const char *s, size_t len)
{
    struct eg_sb sb = EG_SB_INIT;
    eg_escape_append(EG_ESC_C, s, len, &sb);
    printf("  %s \"%s\"\n", label, sb.buf);
    eg_sb_release(&sb);
}

static const struct eg_val *field(const struct eg_val *test, const char *key)
{
    return test->kind == EG_MAP ? eg_map_get(test, key) : NULL;
}

static void run_test(struct eg_arena *a, const char *fname,
                     const struct eg_val *test)
{
    const struct eg_val *name = field(test, "name");
    const struct eg_val *tpl = field(test, "template");
    const struct eg_val *exp = field(test, "expected");
    const struct eg_val *data = field(test, "data");
    const struct eg_val *parts = field(test, "partials");
    const char *tname = name && name->kind == EG_STR ? name->u.str.s : "?";
    struct eg_partials partials = {find_partial, NULL};
    struct eg_render_opts opts = {.escape = EG_ESC_HTML, .strict = 0};
    struct eg_sb out = EG_SB_INIT;
    const char *file;

    if (!tpl || tpl->kind != EG_STR || !exp || exp->kind != EG_STR) {
        printf("FAIL %s: %s: no template or expected string\n", fname, tname);
        failed++;
        return;
    }
    if (parts && parts->kind == EG_MAP) {
        partials.ctx = (void *)parts;
        opts.partials = &partials;
    }
    /* Diagnostics name the test, and show its template line. */
    file = eg_arena_printf(a, "%s: %s", fname, tname);
    eg_diag_add_source(file, tpl->u.str.s, tpl->u.str.len);
    /* Three renders must agree with the spec: one as `evgen render` does
     * it, and two through a render cache as `evgen generate` does (parsed
     * templates kept, the lookup cache and scratch arena reused). */
    struct eg_render_cache *cache = eg_render_cache_new();
    for (int pass = 0; pass < 3; pass++) {
        opts.cache = pass ? cache : NULL;
        eg_sb_reset(&out);
        if (eg_render(file, tpl->u.str.s, tpl->u.str.len, data, &opts, &out)) {
            printf("FAIL %s: %s: render error (above)%s\n", fname, tname,
                   pass ? ", with a render cache" : "");
            failed++;
            break;
        }
        if (out.len != exp->u.str.len ||
            memcmp(out.buf, exp->u.str.s, out.len) != 0) {
            printf("FAIL %s: %s%s\n", fname, tname,
                   pass ? " (with a render cache)" : "");
            show("expected:", exp->u.str.s, exp->u.str.len);
            show("actual:  ", out.buf, out.len);
            failed++;
            break;
        }
        if (pass == 2)
            passed++;
    }
    eg_render_cache_free(cache);
    eg_sb_release(&out);
}

static void run_file(const char *dir, const char *fname)
{
    struct eg_arena a;
    struct eg_val *root;
    const struct eg_val *tests;
    char *path;

    eg_arena_init(&a);
    path = eg_arena_printf(&a, "%s/%s", dir, fname);
    root = eg_load_file(&a, path);
    tests = root ? field(root, "tests") : NULL;
    if (!tests || tests->kind != EG_SEQ) {
        printf("FAIL %s: cannot read its tests\n", path);
        failed++;
    } else {
        for (size_t i = 0; i < tests->u.seq.n; i++)
            run_test(&a, fname, tests->u.seq.items[i]);
    }
    /* diag.c keeps pointers to the registered texts, which die with the
     * arena. */
    eg_diag_reset();
    eg_arena_free(&a);
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "../shared/mustache-spec";
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;

    if (!d) {
        if (errno == ENOENT || errno == ENOTDIR) {
            printf("mustache spec: %s not found, skipped\n", dir);
            return 0;
        }
        printf("mustache spec: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".yml") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = xrealloc(names, cap * sizeof(*names));
        }
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n == 0) {
        printf("mustache spec: %s has no .yml files, skipped\n", dir);
        return 0;
    }
    /* readdir order is the file system's: sort for a stable report. */
    qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        run_file(dir, names[i]);
        free(names[i]);
    }
    free(names);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
