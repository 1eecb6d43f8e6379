/*
 * outputs.c - last stage: the declared outputs (TEMPLATES/outputs.yaml)
 * are rendered from the context trees (context.c) through the template
 * engine (render.c), then written atomically, and only where they changed.
 * See outputs.h for the contract.
 */
/* renameat2(2) is Linux's, strcasecmp(3) in <strings.h>: the build asks
 * for POSIX.1-2008 alone. */
#define _GNU_SOURCE

#include "outputs.h"
#include "load.h"
#include "render.h"
#include "write.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#define MAX_TEMPLATE_SIZE (4u * 1024 * 1024)

enum per { PER_ONCE = 0, PER_LOCALE = 1, PER_EVENT = 2 };

struct decl {
    const char *template_name; /* as written, relative to the templates */
    const char *template_path;
    const char *text;
    size_t len;
    const char *path; /* path template */
    struct eg_loc path_loc;
    int per;
    enum eg_escape escape;
};

/* An output, once rendered: its bytes are not kept (a large schema's
 * outputs need not fit in memory); they are staged in a temporary file
 * beside the target when they differ from what is on disk. */
struct output {
    const char *path;  /* relative to the output folder */
    const char *tmp;   /* staged file, or NULL when unchanged */
    const char *final; /* out_dir/path */
    char hash[65];     /* SHA-256 of the bytes, for source_hash: only
                          of en-US renderings that have translations */
    size_t decl;       /* the declaration it comes from */
};

struct gen {
    struct eg_arena *a;
    const struct eg_schema *s;
    const struct eg_generate_opts *opts;
    const char **inputs; /* files read, for the depfile */
    size_t ninputs, capinputs;
    struct partial {
        const char *name, *file, *text;
        size_t len;
        int found;
    } * partials;
    size_t npartials, cappartials;
    struct output *outs;
    size_t nouts, capouts;
    size_t *index; /* open-addressing set of outs by path */
    size_t capindex;
    struct eg_writer *w; /* stages what changed (write.h); NULL: dry run */
    long pid;
    size_t written;
    struct eg_render_cache *cache; /* parsed templates, for every output */

    /* Rendering on several threads (see "Rendering", below).  mu guards
     * what they share: the next unit, the error count and stop, and the
     * partials, inputs and arena find_partial() touches. */
    pthread_mutex_t mu;
    struct unit *units;
    size_t nunits;
    size_t *order;                /* the order units are taken in */
    size_t taken;                 /* how many have been */
    struct eg_diag_capture *caps; /* what each unit reported */
    unsigned char *done;          /* which units rendered */
    /* Units 0..prefix-1 are all done, and reported `errors` errors
     * together with those before rendering began: the diagnostics the
     * run shows are those of units in order up to the cap (render_all). */
    size_t prefix;
    int errors, stop;
};

static void add_input(struct gen *g, const char *path)
{
    for (size_t i = 0; i < g->ninputs; i++)
        if (strcmp(g->inputs[i], path) == 0)
            return;
    if (g->ninputs == g->capinputs) {
        g->capinputs = g->capinputs ? g->capinputs * 2 : 16;
        g->inputs = xrealloc(g->inputs, g->capinputs * sizeof(*g->inputs));
    }
    g->inputs[g->ninputs++] = eg_arena_strdup(g->a, path);
}

static int isalnum_ascii(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* A name inside the templates folder: relative, no "..", no empty or
 * hidden components, a conservative character set. */
static int safe_relative(const char *p)
{
    const char *c = p;
    if (!*p || *p == '/')
        return 0;
    for (; *c; c++)
        if (!(isalnum_ascii(*c) || *c == '_' || *c == '-' || *c == '.' ||
              *c == '/'))
            return 0;
    for (c = p; *c;) {
        const char *e = strchr(c, '/');
        size_t n = e ? (size_t)(e - c) : strlen(c);
        if (n == 0 || c[0] == '.')
            return 0;
        c += n + (e ? 1 : 0);
        if (e && !*c)
            return 0;
    }
    return 1;
}

static int read_text(struct gen *g, const char *path, const char **text,
                     size_t *len, struct eg_loc where)
{
    struct eg_sb sb = EG_SB_INIT;
    const char *why;
    if (eg_read_file(path, MAX_TEMPLATE_SIZE, &sb, &why)) {
        eg_sb_release(&sb);
        return eg_error(where, "cannot read '%s': %s", path, why);
    }
    *text = eg_arena_strndup(g->a, sb.buf, sb.len);
    *len = sb.len;
    eg_sb_release(&sb);
    if (eg_utf8_check(*text, *len) != *len || memchr(*text, 0, *len))
        return eg_error(where, "'%s' is not UTF-8 text", path);
    eg_diag_add_source(eg_arena_strdup(g->a, path), *text, *len);
    add_input(g, path);
    return 0;
}

static int find_partial_locked(struct gen *g, const char *name,
                               const char **text, size_t *len,
                               const char **file)
{
    struct partial *p;
    for (size_t i = 0; i < g->npartials; i++) {
        p = &g->partials[i];
        if (strcmp(p->name, name) == 0) {
            *text = p->text;
            *len = p->len;
            *file = p->file;
            return p->found;
        }
    }
    if (g->npartials == g->cappartials) {
        g->cappartials = g->cappartials ? g->cappartials * 2 : 8;
        g->partials =
            xrealloc(g->partials, g->cappartials * sizeof(*g->partials));
    }
    p = &g->partials[g->npartials];
    memset(p, 0, sizeof(*p));
    p->name = eg_arena_strdup(g->a, name);
    if (!safe_relative(name)) {
        struct eg_loc none = {NULL, 0, 0};
        eg_error(none,
                 "partial name '%s' is not a path inside the templates "
                 "folder",
                 name);
        return -1;
    }
    p->file = eg_arena_printf(g->a, "%s/%s.mustache", g->opts->templates, name);
    {
        struct stat st;
        if (stat(p->file, &st) != 0) {
            /* Missing: remember it, and list the path in the depfile so
             * creating the partial later reruns generation. */
            add_input(g, p->file);
            p->found = 0;
            g->npartials++;
            return 0;
        }
    }
    {
        struct eg_loc where = {p->file, 0, 0};
        if (read_text(g, p->file, &p->text, &p->len, where))
            return -1;
    }
    p->found = 1;
    g->npartials++;
    *text = p->text;
    *len = p->len;
    *file = p->file;
    return 1;
}

/* Templates render on several threads; the partials list is theirs. */
static int find_partial(void *ctx, const char *name, const char **text,
                        size_t *len, const char **file)
{
    struct gen *g = ctx;
    int rc;
    pthread_mutex_lock(&g->mu);
    rc = find_partial_locked(g, name, text, len, file);
    pthread_mutex_unlock(&g->mu);
    return rc;
}

/* ---- The output list ---- */

static int load_decls(struct gen *g, struct decl **out, size_t *n)
{
    const char *path =
        eg_arena_printf(g->a, "%s/outputs.yaml", g->opts->templates);
    struct eg_val *root = eg_load_file(g->a, path), *list;
    int rc = 0;
    add_input(g, path);
    if (!root)
        return -1;
    list = root->kind == EG_MAP ? eg_map_get(root, "outputs") : NULL;
    if (list && eg_val_resolve(g->a, list)->kind == EG_NULL)
        return 0; /* "outputs:" with none yet */
    if (!list || list->kind != EG_SEQ)
        return eg_error(eg_val_loc(root),
                        "the output list is a mapping with "
                        "'outputs:', a sequence of {template, "
                        "path, per, escape}");
    for (size_t i = 0; i < root->u.map.n; i++)
        if (strcmp(root->u.map.pairs[i].key->u.str.s, "outputs") != 0)
            rc = eg_error(eg_val_loc(root->u.map.pairs[i].key),
                          "unknown key '%s'; the output list holds only "
                          "'outputs'",
                          root->u.map.pairs[i].key->u.str.s);
    *out = eg_arena_alloc(g->a, (list->u.seq.n + 1) * sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < list->u.seq.n; i++) {
        static const char *const keys[] = {"template", "path", "per", "escape",
                                           NULL};
        const struct eg_val *item = list->u.seq.items[i], *t, *p, *per, *esc;
        struct decl *d = &(*out)[*n];
        if (item->kind != EG_MAP) {
            rc = eg_error(eg_val_loc(item),
                          "an output is a mapping {template, path, "
                          "per, escape}");
            continue;
        }
        for (size_t k = 0; k < item->u.map.n; k++) {
            const struct eg_val *key = item->u.map.pairs[k].key;
            size_t j;
            for (j = 0; keys[j]; j++)
                if (strcmp(key->u.str.s, keys[j]) == 0)
                    break;
            if (!keys[j]) {
                const char *near = eg_closest(key->u.str.s, keys, 4);
                rc = near ? eg_error(eg_val_loc(key),
                                     "unknown key '%s' in an output; "
                                     "did you mean '%s'?",
                                     key->u.str.s, near)
                          : eg_error(eg_val_loc(key),
                                     "unknown key '%s' in an output "
                                     "(template, path, per, escape)",
                                     key->u.str.s);
            }
        }
        t = eg_map_get(item, "template");
        p = eg_map_get(item, "path");
        if (!t || t->kind != EG_STR || !p || p->kind != EG_STR) {
            rc = eg_error(eg_val_loc(item),
                          "an output needs 'template' and 'path', "
                          "both strings");
            continue;
        }
        if (!safe_relative(t->u.str.s)) {
            rc = eg_error(eg_val_loc(t),
                          "template '%s' must be a relative path "
                          "inside the templates folder",
                          t->u.str.s);
            continue;
        }
        d->template_name = t->u.str.s;
        d->template_path =
            eg_arena_printf(g->a, "%s/%s", g->opts->templates, t->u.str.s);
        d->path = p->u.str.s;
        d->path_loc = eg_val_loc(p);
        d->escape = EG_ESC_NONE;
        if ((esc = eg_map_get(item, "escape"))) {
            int e = esc->kind == EG_STR ? eg_escape_parse(esc->u.str.s) : -1;
            if (e < 0) {
                rc = eg_error(eg_val_loc(esc),
                              "escape must be html, xml, c, md, yaml, "
                              "message, md-cell or none");
                continue;
            }
            d->escape = (enum eg_escape)e;
        }
        if ((per = eg_map_get(item, "per"))) {
            const struct eg_val *const *items = &per;
            size_t nitems = 1;
            if (per->kind == EG_SEQ) {
                items = (const struct eg_val *const *)per->u.seq.items;
                nitems = per->u.seq.n;
            }
            /* once, locale, event, or the list [locale, event]: nothing
             * else (a word twice, once in a list, an empty list) is
             * something the author meant otherwise. */
            int ok = per->kind == EG_SEQ
                         ? nitems == 2 && items[0]->kind == EG_STR &&
                               items[1]->kind == EG_STR &&
                               strcmp(items[0]->u.str.s, "locale") == 0 &&
                               strcmp(items[1]->u.str.s, "event") == 0
                         : per->kind == EG_STR &&
                               (strcmp(per->u.str.s, "once") == 0 ||
                                strcmp(per->u.str.s, "locale") == 0 ||
                                strcmp(per->u.str.s, "event") == 0);
            if (!ok) {
                rc = eg_error(eg_val_loc(per), "per is once, locale, event or "
                                               "[locale, event]");
            } else {
                for (size_t k = 0; k < nitems; k++) {
                    if (strcmp(items[k]->u.str.s, "locale") == 0)
                        d->per |= PER_LOCALE;
                    else if (strcmp(items[k]->u.str.s, "event") == 0)
                        d->per |= PER_EVENT;
                }
            }
        }
        if (read_text(g, d->template_path, &d->text, &d->len, eg_val_loc(t))) {
            rc = -1;
            continue;
        }
        if (eg_template_check(d->template_path, d->text, d->len)) {
            rc = -1;
            continue;
        }
        (*n)++;
    }
    return rc;
}

/* ---- Rendering ---- */

static int check_out_path(const char *path, struct eg_loc loc)
{
    if (!safe_relative(path))
        return eg_error(loc,
                        "output path '%s' is not a plain relative path "
                        "inside the output folder (letters, digits, "
                        "'_', '-', '.', '/'; no '..', no leading '/' or "
                        "'.')",
                        path);
    if (strcmp(path, EG_OUTPUT_LIST) == 0)
        return eg_error(loc, "output path '%s' is reserved", path);
    if (strstr(path, ".tmp-evgen-"))
        return eg_error(loc,
                        "output path '%s' looks like one of evgen's "
                        "temporary files (NAME.tmp-evgen-PID), which a "
                        "later run removes; choose another name",
                        path);
    return 0;
}

/* A folder inside the output folder that is a symbolic link would take
 * the outputs under it somewhere else ("sub" -> "../elsewhere"): refused,
 * as a path with ".." is.  (The output folder itself may be a link: that
 * is where the user sends them.)  The folders looked at last are
 * remembered: outputs come a locale's folder after another's. */
#define RECENT_DIRS 16
static int check_no_links(struct gen *g, const struct decl *decls)
{
    const char *recent[RECENT_DIRS] = {NULL};
    size_t rlen[RECENT_DIRS] = {0}, next = 0;
    int rc = 0;
    for (size_t k = 0; k < g->nouts && !rc; k++) {
        const char *p = g->outs[k].path;
        for (const char *q = strchr(p, '/'); q && !rc; q = strchr(q + 1, '/')) {
            struct stat st;
            size_t n = (size_t)(q - p), j;
            for (j = 0; j < RECENT_DIRS; j++)
                if (recent[j] && rlen[j] == n && strncmp(recent[j], p, n) == 0)
                    break;
            if (j < RECENT_DIRS)
                continue;
            recent[next] = p;
            rlen[next] = n;
            next = (next + 1) % RECENT_DIRS;
            if (lstat(eg_arena_printf(g->a, "%s/%.*s", g->opts->out_dir,
                                      (int)n, p),
                      &st) == 0 &&
                S_ISLNK(st.st_mode))
                rc = eg_error(decls[g->outs[k].decl].path_loc,
                              "'%s/%.*s' is a symbolic link: output '%s' "
                              "would be written outside the output folder",
                              g->opts->out_dir, (int)n, p, p);
        }
    }
    return rc;
}

/* The slot of path[0..len) in the outputs' index: where it is, or the
 * empty slot where it would go (the index has room: claim_path). */
static size_t index_slot(const struct gen *g, const char *path, size_t len)
{
    size_t i = (size_t)eg_hash(path, len) & (g->capindex - 1);
    for (; g->index[i] != (size_t)-1; i = (i + 1) & (g->capindex - 1)) {
        const char *o = g->outs[g->index[i]].path;
        if (strncmp(o, path, len) == 0 && o[len] == '\0')
            break;
    }
    return i;
}

/* Whether path[0..len) is a claimed output. */
static int is_output(const struct gen *g, const char *path, size_t len)
{
    return g->capindex && g->index[index_slot(g, path, len)] != (size_t)-1;
}

/* An output that is a folder of another ("a.txt" and "a.txt/b.txt")
 * could not be committed: refused before anything is written. */
static int check_folders(const struct gen *g, const struct decl *decls)
{
    for (size_t k = 0; k < g->nouts; k++) {
        const char *p = g->outs[k].path;
        for (const char *q = strchr(p, '/'); q; q = strchr(q + 1, '/'))
            if (is_output(g, p, (size_t)(q - p)))
                return eg_error(decls[g->outs[k].decl].path_loc,
                                "output '%.*s' would also be the folder of "
                                "output '%s'",
                                (int)(q - p), p, p);
    }
    return 0;
}

/* Register path as an output; -1 (no report) if it already is one. */
static int claim_path(struct gen *g, const char *path)
{
    size_t i;
    if (2 * (g->nouts + 1) > g->capindex) {
        size_t cap = g->capindex ? g->capindex * 2 : 64;
        free(g->index);
        g->index = xmalloc(cap * sizeof(*g->index));
        for (i = 0; i < cap; i++)
            g->index[i] = (size_t)-1;
        g->capindex = cap;
        for (size_t k = 0; k < g->nouts; k++)
            g->index[index_slot(g, g->outs[k].path, strlen(g->outs[k].path))] =
                k;
    }
    i = index_slot(g, path, strlen(path));
    if (g->index[i] != (size_t)-1)
        return -1;
    if (g->nouts == g->capouts) {
        g->capouts = g->capouts ? g->capouts * 2 : 16;
        g->outs = xrealloc(g->outs, g->capouts * sizeof(*g->outs));
    }
    memset(&g->outs[g->nouts], 0, sizeof(g->outs[g->nouts]));
    g->outs[g->nouts].path = eg_arena_strdup(g->a, path);
    g->index[i] = g->nouts++;
    return 0;
}

/* ---- Rendering ----
 *
 * In two passes.  First, in this thread and in order, every output's
 * path is rendered, checked and claimed: output numbers, and the errors
 * about paths, come out the same on every run.  Then the bodies render
 * on every core (the costly part: a 10,000-event schema has 30,000
 * outputs), a unit at a time: a declaration's output for one event, or
 * its only one, in each locale it has.  A unit renders its en-US output
 * first, because the translations record its hash.  The outputs rendered
 * once or per locale are taken first: they are few but large (a codec of
 * every event), and one of them left for last would keep one core busy
 * while the others wait.  What each unit reports is captured (diag.h) and
 * replayed in unit order once all are done, so the diagnostics are those
 * of rendering in order, whatever the timing: as in order, the units
 * shown end with the one that reaches the error cap, and rendering stops
 * once the units done in order reach it.  The rendering threads share only the
 * data (read only), the interned names (value.h locks them), the
 * partials (find_partial locks them) and the writer (a channel each). */

struct unit {
    const struct decl *d;
    size_t event; /* with PER_EVENT */
    size_t first; /* its outputs: g->outs[first..first+n), in locale order */
    size_t n;
};

/* One rendering thread: its channel to the writer, its render cache
 * (parsed templates, lookups, scratch space) and buffers. */
struct worker {
    struct gen *g;
    const struct eg_context *cx;
    size_t ch;
    struct eg_render_cache *cache;
    struct eg_sb body;
    /* What generate adds to the data (README): one map, refilled for each
     * output, so 30,000 outputs cost nothing here. */
    struct eg_val *extra, *hash;
};

/* An output streams out in pieces (render.h's flush), so the largest (a
 * 10,000-event schema's codec is 60 MB) never has to be in memory whole.
 * Each piece goes to the writer (write.h), which compares it with the file
 * on disk and stages only what changed, on its own thread; the en-US
 * renderings that have translations are hashed here, as they pass (their
 * source_hash). */
struct sink {
    struct worker *wk;
    int hashing;
    struct eg_sha256 sha;
};

#define FLUSH_AT ((size_t)256 << 10)

static void sink_put(struct sink *k, const char *data, size_t len)
{
    struct eg_writer *w = k->wk->g->w;
    if (k->hashing)
        eg_sha256_update(&k->sha, data, len);
    if (w)
        eg_writer_put(w, k->wk->ch, data, len);
}

static int sink_flush(void *ctx, struct eg_sb *out)
{
    struct sink *k = ctx;
    struct eg_writer *w = k->wk->g->w;
    sink_put(k, out->buf, out->len);
    eg_sb_reset(out);
    /* A write failed: stop rendering; eg_writer_finish says why. */
    return w && eg_writer_failed(w) ? -1 : 0;
}

/* The data an output of declaration d sees in locale l: that locale's
 * root, and event e on top when d is per event.  Returns the count. */
static size_t data_stack(const struct eg_context *cx, const struct decl *d,
                         size_t e, size_t l, const struct eg_val **stack)
{
    size_t n = 0;
    stack[n++] = cx->roots[l];
    if (d->per & PER_EVENT)
        stack[n++] = eg_map_get(cx->roots[l], "events")->u.seq.items[e];
    return n;
}

/* The path of each output of each unit: claimed in order, here. */
static int claim_outputs(struct gen *g, const struct eg_context *cx,
                         const struct decl *decls, size_t ndecls)
{
    struct eg_partials partials = {find_partial, g};
    struct eg_render_opts ro;
    struct eg_sb path = EG_SB_INIT;
    size_t cap = 0;
    int rc = 0;

    memset(&ro, 0, sizeof ro);
    ro.strict = 1;
    ro.partials = &partials;
    ro.escape = EG_ESC_NONE;
    ro.cache = g->cache;
    ro.fixed_data = 1; /* the context does not change while it renders */
    ro.texts = &cx->texts;
    for (size_t di = 0; di < ndecls && !eg_diag_too_many(); di++) {
        const struct decl *d = &decls[di];
        size_t nloc = d->per & PER_LOCALE ? cx->n : 1;
        size_t nev = d->per & PER_EVENT ? g->s->nevents : 1;
        ro.origin = d->path_loc;
        for (size_t e = 0; e < nev && !eg_diag_too_many(); e++) {
            struct unit *u;
            if (g->nunits == cap) {
                cap = cap ? cap * 2 : 64;
                g->units = xrealloc(g->units, cap * sizeof(*g->units));
            }
            u = &g->units[g->nunits];
            u->d = d;
            u->event = e;
            u->first = g->nouts;
            u->n = 0;
            for (size_t l = 0; l < nloc; l++) {
                const struct eg_val *stack[2];
                size_t n = data_stack(cx, d, e, l, stack);
                eg_sb_reset(&path);
                if (eg_render_stack(d->path_loc.file, d->path, strlen(d->path),
                                    stack, n, &ro, &path) ||
                    check_out_path(path.buf, d->path_loc)) {
                    rc = -1;
                    break;
                }
                if (claim_path(g, path.buf)) {
                    rc = eg_error(d->path_loc,
                                  "two outputs would both be written to "
                                  "'%s'",
                                  path.buf);
                    break;
                }
                g->outs[g->nouts - 1].decl = di;
                if (g->opts->out_dir)
                    g->outs[g->nouts - 1].final = eg_arena_printf(
                        g->a, "%s/%s", g->opts->out_dir, path.buf);
                u->n++;
            }
            if (u->n)
                g->nunits++;
        }
    }
    eg_sb_release(&path);
    if (!rc)
        rc = check_folders(g, decls);
    if (!rc && g->opts->out_dir)
        rc = check_no_links(g, decls);
    return rc;
}

/* Render the output of unit u in locale l and hand it to the writer. */
static int render_body(struct worker *wk, const struct unit *u, size_t l)
{
    size_t id = u->first + l;
    struct gen *g = wk->g;
    const struct decl *d = u->d;
    const struct eg_context *cx = wk->cx;
    struct eg_partials partials = {find_partial, g};
    struct eg_render_opts ro;
    const struct eg_val *stack[3];
    struct output *o = &g->outs[id];
    size_t n = data_stack(cx, d, u->event, l, stack);
    struct sink k;
    int rc;

    /* A translation records the hash of the en-US rendering of the same
     * output (empty in en-US itself), which this thread made: the unit's
     * first output. */
    wk->hash->u.str.s = l > 0 ? g->outs[u->first].hash : "";
    wk->hash->u.str.len = strlen(wk->hash->u.str.s);
    stack[n++] = wk->extra;

    memset(&ro, 0, sizeof ro);
    ro.strict = 1;
    ro.partials = &partials;
    ro.escape = d->escape;
    ro.cache = wk->cache;
    /* Only `extra` changes between outputs, and only its values' bytes. */
    ro.fixed_data = 1;
    ro.texts = &cx->texts;
    ro.flush = sink_flush;
    ro.flush_ctx = &k;
    ro.flush_at = FLUSH_AT;

    memset(&k, 0, sizeof k);
    k.wk = wk;
    /* Hashing every output would cost 10% of a large run: only en-US
     * renderings that have translations need it (their source_hash). */
    k.hashing = l == 0 && u->n > 1;
    if (k.hashing)
        eg_sha256_init(&k.sha);
    if (g->w)
        eg_writer_open(g->w, wk->ch, id, o->final);
    eg_sb_reset(&wk->body);
    rc = eg_render_stack(d->template_path, d->text, d->len, stack, n, &ro,
                         &wk->body);
    if (rc == 0)
        sink_put(&k, wk->body.buf, wk->body.len);
    eg_sb_reset(&wk->body);
    if (rc == 0 && k.hashing)
        eg_sha256_final_hex(&k.sha, o->hash);
    if (g->w) {
        eg_writer_close(g->w, wk->ch);
        if (rc == 0 && eg_writer_failed(g->w))
            rc = -1; /* eg_writer_finish reports it */
    }
    return rc;
}

/* Take units in order until none are left (or there is no point going
 * on); each unit's diagnostics are captured, for replay in order. */
static void *work(void *arg)
{
    struct worker *wk = arg;
    struct gen *g = wk->g;
    for (;;) {
        struct eg_diag_capture *cap;
        const struct unit *u;
        size_t i;
        pthread_mutex_lock(&g->mu);
        i = g->stop || eg_interrupted() || g->taken == g->nunits
                ? g->nunits
                : g->order[g->taken++];
        pthread_mutex_unlock(&g->mu);
        if (i >= g->nunits)
            return NULL;
        u = &g->units[i];
        cap = &g->caps[i];
        eg_diag_capture_begin(cap);
        for (size_t l = 0; l < u->n; l++)
            if (render_body(wk, u, l))
                break;
        eg_diag_capture_end();
        pthread_mutex_lock(&g->mu);
        g->done[i] = 1;
        while (g->prefix < g->nunits && g->done[g->prefix] &&
               g->errors < eg_diag_error_cap())
            g->errors += g->caps[g->prefix++].errors;
        if (g->errors >= eg_diag_error_cap() ||
            (g->w && eg_writer_failed(g->w)))
            g->stop = 1;
        pthread_mutex_unlock(&g->mu);
    }
}

/* How many threads render (and rename): one per core, at most one per
 * unit. */
static size_t job_count(const struct gen *g)
{
    size_t n = g->opts->jobs > 0 ? (size_t)g->opts->jobs : eg_cores();
    if (n > EG_MAX_JOBS)
        n = EG_MAX_JOBS;
    if (n > g->nunits)
        n = g->nunits;
    return n ? n : 1;
}

static int render_all(struct gen *g, const struct eg_context *cx, size_t njobs)
{
    struct worker *wks = xcalloc(njobs, sizeof(*wks));
    void **args = xmalloc(njobs * sizeof(*args));
    size_t n = 0, cut;
    int rc = 0;

    g->errors = eg_diag_errors(); /* so far: the output paths' */
    g->caps = xcalloc(g->nunits, sizeof(*g->caps));
    g->done = xcalloc(g->nunits, 1);
    g->order = xmalloc(g->nunits * sizeof(*g->order));
    for (size_t i = 0; i < g->nunits; i++)
        if (!(g->units[i].d->per & PER_EVENT))
            g->order[n++] = i;
    for (size_t i = 0; i < g->nunits; i++)
        if (g->units[i].d->per & PER_EVENT)
            g->order[n++] = i;
    for (size_t j = 0; j < njobs; j++) {
        struct worker *wk = &wks[j];
        wk->g = g;
        wk->cx = cx;
        wk->ch = j;
        wk->cache = j == 0 ? g->cache : eg_render_cache_new();
        eg_sb_init(&wk->body);
        wk->extra = eg_val_map(g->a);
        wk->hash = eg_val_new(g->a, EG_STR);
        eg_map_set(g->a, wk->extra, "source_hash", wk->hash);
    }
    for (size_t j = 0; j < njobs; j++)
        args[j] = &wks[j];
    eg_run_threads(njobs, work, args); /* this thread is worker 0 */
    /* Rendering in order would have stopped before unit `cut`: what the
     * units after it said is not shown. */
    cut = g->errors >= eg_diag_error_cap() ? g->prefix : g->nunits;
    for (size_t i = 0; i < g->nunits; i++) {
        if (!g->done[i])
            continue;
        if (g->caps[i].errors)
            rc = -1;
        if (i < cut)
            eg_diag_replay(&g->caps[i]);
        else
            eg_diag_discard(&g->caps[i]);
    }
    for (size_t j = 0; j < njobs; j++) {
        eg_sb_release(&wks[j].body);
        if (j > 0)
            eg_render_cache_free(wks[j].cache);
    }
    free(wks);
    free(args);
    if (g->taken < g->nunits) /* stopped early: errors said why */
        rc = -1;
    free(g->caps);
    free(g->done);
    free(g->order);
    return rc;
}

/* ---- Writing ---- */

static int same_as_disk(const char *path, const char *data, size_t len)
{
    struct eg_sb sb = EG_SB_INIT;
    const char *why;
    int same = eg_read_file(path, len + 1, &sb, &why) == 0 && sb.len == len &&
               memcmp(sb.buf, data, len) == 0;
    eg_sb_release(&sb);
    return same;
}

static int write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0)
        return -1;
    if (eg_write_all(fd, data, len) != 0) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return close(fd);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A run killed while staging (SIGKILL: nothing else stops it before it
 * cleans up) leaves NAME.tmp-evgen-PID files.  Remove those of processes
 * that no longer exist, in every folder this run writes outputs to. */
static void remove_dead_temps(struct gen *g)
{
    const char **dirs = xmalloc((g->nouts + 1) * sizeof(*dirs));
    size_t n = 0;
    dirs[n++] = g->opts->out_dir;
    for (size_t i = 0; i < g->nouts; i++) {
        const char *slash = strrchr(g->outs[i].path, '/');
        if (slash)
            dirs[n++] = eg_arena_printf(g->a, "%s/%.*s", g->opts->out_dir,
                                        (int)(slash - g->outs[i].path),
                                        g->outs[i].path);
    }
    qsort(dirs, n, sizeof(*dirs), cmp_cstr);
    for (size_t i = 0; i < n; i++) {
        DIR *d;
        struct dirent *de;
        if (i && strcmp(dirs[i], dirs[i - 1]) == 0)
            continue;
        if (!(d = opendir(dirs[i])))
            continue;
        while ((de = readdir(d))) {
            const char *t = strstr(de->d_name, ".tmp-evgen-");
            char *end;
            long pid;
            if (!t)
                continue;
            pid = strtol(t + 11, &end, 10);
            if (strcmp(end, "-old") == 0) /* a backup_name() */
                end += 4;
            if (*end || pid <= 0 || pid == g->pid || kill((pid_t)pid, 0) == 0 ||
                errno != ESRCH)
                continue;
            unlink(eg_arena_printf(g->a, "%s/%s", dirs[i], de->d_name));
        }
        closedir(d);
    }
    free(dirs);
}

/* Renaming the staged outputs into place, shared out in runs of 64; each
 * rename's errno is kept for reporting in order.
 *
 * A rename can fail half-way through 30,000 (an immutable file, a full
 * disk's metadata, EIO): the outputs renamed so far are then put back.
 * On Linux an output and the file it replaces swap names in one step
 * (renameat2 RENAME_EXCHANGE), so the previous file waits under the
 * staged name, to be put back or removed once every output is in place:
 * no more work than a rename, which removes it itself.  Elsewhere (or on
 * a file system that cannot swap) the previous file first gets a second
 * name, a hard link NAME.tmp-evgen-PID-old.  A run killed meanwhile
 * leaves only temporaries, which the next run removes. */
struct renames {
    struct gen *g;
    struct eg_queue q;
    int *errs;
    unsigned char *state; /* by output: one of enum below */
    int undo;             /* settle_some: put the previous files back */
};
enum {
    R_NONE,     /* not renamed */
    R_NEW,      /* renamed; there was no previous file */
    R_SWAPPED,  /* swapped: the previous file is at o->tmp */
    R_REPLACED, /* renamed; the previous file is at its backup_name() */
    R_STUCK     /* could not be put back (settle_some) */
};

/* The second name of output o's previous file, in buf: its staged
 * name and "-old" (no output is named like a staged file, so no other
 * output's staged file has this name; remove_dead_temps knows it). */
static const char *backup_name(const struct output *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s-old", o->tmp);
    return buf;
}

static void *rename_some(void *arg)
{
    struct renames *r = arg;
    size_t from, to;
    char buf[8192];
    while (eg_queue_take(&r->q, &from, &to))
        for (size_t i = from; i < to; i++) {
            const struct output *o = &r->g->outs[i];
            int had;
            if (!o->tmp)
                continue;
#ifdef RENAME_EXCHANGE
            if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->final,
                          RENAME_EXCHANGE) == 0) {
                r->state[i] = R_SWAPPED;
                continue;
            }
            if (errno == ENOENT) { /* nothing to swap with: a new file */
                if (rename(o->tmp, o->final) != 0)
                    r->errs[i] = errno;
                else
                    r->state[i] = R_NEW;
                continue;
            }
            if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
                r->errs[i] = errno;
                continue;
            }
#endif
            if (strlen(o->final) + 16 + strlen(o->tmp) > sizeof buf) {
                r->errs[i] = ENAMETOOLONG;
                continue;
            }
            had = link(o->final, backup_name(o, buf, sizeof buf)) == 0;
            if (!had && errno != ENOENT) {
                r->errs[i] = errno; /* no second name: not replaced */
                continue;
            }
            if (rename(o->tmp, o->final) != 0) {
                r->errs[i] = errno;
                if (had)
                    unlink(buf);
                continue;
            }
            r->state[i] = had ? R_REPLACED : R_NEW;
        }
    return NULL;
}

/* Every rename done (ok) or some failed (undo): drop the previous files,
 * or put each back and remove each new one; on every core, as the
 * renames were (r->undo says which). */
static void *settle_some(void *arg)
{
    struct renames *r = arg;
    char buf[8192];
    size_t from, to;
    while (eg_queue_take(&r->q, &from, &to))
        for (size_t i = from; i < to; i++) {
            const struct output *o = &r->g->outs[i];
            if (r->state[i] == R_SWAPPED) {
                if (!r->undo)
                    unlink(o->tmp); /* the previous file */
                else if (rename(o->tmp, o->final) != 0) /* put back */
                    r->state[i] = R_STUCK;
            } else if (r->state[i] == R_REPLACED) {
                backup_name(o, buf, sizeof buf);
                if (!r->undo)
                    unlink(buf);
                else if (rename(buf, o->final) != 0)
                    r->state[i] = R_STUCK;
            } else if (r->state[i] == R_NEW && r->undo) {
                if (unlink(o->final) != 0)
                    r->state[i] = R_STUCK;
            } else if (r->state[i] == R_NONE && o->tmp) {
                unlink(o->tmp); /* not renamed: it failed, or came after */
            }
        }
    return NULL;
}

/* Everything rendered: write the output list, rename the staged files
 * into place (all or, if one fails, none), then the list, and remove
 * outputs no longer declared (only those the previous list names: evgen
 * never deletes a file it did not write). */
static int commit(struct gen *g)
{
    const char *dir = g->opts->out_dir;
    const char **paths = xmalloc((g->nouts + 1) * sizeof(*paths));
    struct eg_sb list = EG_SB_INIT, old = EG_SB_INIT;
    struct output lo;
    const char *why;
    int rc = 0, have_old;

    for (size_t i = 0; i < g->nouts; i++)
        paths[i] = g->outs[i].path;
    qsort(paths, g->nouts, sizeof(*paths), cmp_cstr);
    for (size_t i = 0; i < g->nouts; i++)
        eg_sb_addf(&list, "%s\n", paths[i]);
    /* The list is staged like an output (the writer's thread is done:
     * this runs here, now). */
    memset(&lo, 0, sizeof lo);
    lo.path = EG_OUTPUT_LIST;
    lo.final = eg_arena_printf(g->a, "%s/%s", dir, EG_OUTPUT_LIST);
    eg_writer_open(g->w, 0, g->nouts, lo.final);
    eg_writer_put(g->w, 0, list.buf, list.len);
    eg_writer_close(g->w, 0);
    if (eg_writer_finish(g->w)) {
        eg_writer_unstage(g->w);
        rc = -1;
        goto out;
    }
    lo.tmp = eg_writer_staged(g->w, g->nouts);
    remove_dead_temps(g);
    /* The previous list, read before the new one takes its place. */
    have_old = eg_read_file(eg_arena_printf(g->a, "%s/%s", dir,
                                            EG_OUTPUT_LIST),
                            64u << 20, &old, &why) == 0;
    /* The outputs, on every core (renames in a folder with 10,000 files
     * take a third less time on two), then the list, last: until it is in
     * place, ninja sees the outputs as out of date.  Interrupts wait till
     * all is settled (util.h). */
    eg_hold_interrupts(1);
    {
        size_t n = job_count(g);
        struct renames r;
        void *args[EG_MAX_JOBS];
        size_t failed = g->nouts + 1;
        r.g = g;
        r.errs = xcalloc(g->nouts + 1, sizeof(*r.errs));
        r.state = xcalloc(g->nouts + 1, 1);
        eg_queue_init(&r.q, g->nouts, 64);
        for (size_t i = 0; i < n; i++)
            args[i] = &r;
        eg_run_threads(n, rename_some, args);
        eg_queue_destroy(&r.q);
        for (size_t i = 0; i < g->nouts && failed > g->nouts; i++)
            if (r.errs[i])
                failed = i;
        if (failed > g->nouts && lo.tmp && rename(lo.tmp, lo.final) != 0) {
            r.errs[g->nouts] = errno;
            failed = g->nouts;
        }
        r.undo = failed <= g->nouts;
        eg_queue_init(&r.q, g->nouts, 64);
        eg_run_threads(n, settle_some, args);
        eg_queue_destroy(&r.q);
        if (failed <= g->nouts) {
            const struct output *o = failed < g->nouts ? &g->outs[failed] : &lo;
            size_t stuck = 0;
            for (size_t i = 0; i < g->nouts; i++)
                stuck += r.state[i] == R_STUCK;
            if (lo.tmp)
                unlink(lo.tmp);
            if (!stuck) {
                rc = eg_error_plain("cannot rename '%s' to '%s': %s; every "
                                    "output is left as it was",
                                    o->tmp, o->final, strerror(r.errs[failed]));
                eg_writer_unstage(g->w); /* the folders this run made */
            } else {
                /* The file system failed under us: say what is where. */
                rc = eg_error_plain("cannot rename '%s' to '%s': %s; and %zu "
                                    "output(s) could not be put back: each "
                                    "previous version is in NAME.tmp-evgen-"
                                    "%ld (or NAME.tmp-evgen-%ld-old); rename "
                                    "them back before the next run removes "
                                    "them",
                                    o->tmp, o->final, strerror(r.errs[failed]),
                                    stuck, g->pid, g->pid);
            }
        } else {
            for (size_t i = 0; i < g->nouts; i++)
                g->written += g->outs[i].tmp != NULL;
        }
        free(r.errs);
        free(r.state);
    }
    eg_hold_interrupts(0);
    /* Outputs no longer declared go once the new ones are in place. */
    if (rc == 0 && have_old) {
        char *line = old.buf, *nl;
        for (; (nl = strchr(line, '\n')); line = nl + 1) {
            *nl = '\0';
            if (safe_relative(line) &&
                !bsearch(&line, paths, g->nouts, sizeof(*paths), cmp_cstr))
                unlink(eg_arena_printf(g->a, "%s/%s", dir, line));
        }
    }
out:
    eg_sb_release(&list);
    eg_sb_release(&old);
    free(paths);
    return rc;
}

/* Depfile, in the form ninja reads: "target: dep dep ...".  The target is
 * the output list, the edge's first output. */
static void dep_escape(struct eg_sb *sb, const char *p)
{
    for (; *p; p++) {
        if (*p == ' ' || *p == '\\' || *p == '#')
            eg_sb_addc(sb, '\\');
        if (*p == '$')
            eg_sb_addc(sb, '$');
        eg_sb_addc(sb, *p);
    }
}

/* Whether paths a and b name the same directory entry, existing or not:
 * the same name in the same folder, however the folder is reached ("-o ."
 * beside the schema, "..", symbolic links, a bind mount); names that
 * differ in case only when they are one file (a case-folding file
 * system).  A hard link elsewhere is another entry: replacing it leaves
 * the input as it was. */
static int same_entry(const char *a, const char *b)
{
    const char *ba = strrchr(a, '/'), *bb = strrchr(b, '/');
    struct stat sa, sb;
    char *da, *db;
    int same;
    ba = ba ? ba + 1 : a;
    bb = bb ? bb + 1 : b;
    if (strcasecmp(ba, bb) != 0) /* cheap first */
        return 0;
    if (strcmp(ba, bb) != 0 &&
        (stat(a, &sa) != 0 || stat(b, &sb) != 0 || sa.st_dev != sb.st_dev ||
         sa.st_ino != sb.st_ino))
        return 0;
    da = ba > a ? strndup(a, (size_t)(ba - a)) : strdup(".");
    db = bb > b ? strndup(b, (size_t)(bb - b)) : strdup(".");
    same = da && db && stat(da, &sa) == 0 && stat(db, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    free(da);
    free(db);
    return same;
}

/* The files this run read, one after another (i from 0). */
static const char *input_at(const struct gen *g, size_t i)
{
    return i < g->s->ninputs ? g->s->inputs[i] : g->inputs[i - g->s->ninputs];
}

/* An output or the depfile that is one of the files this run reads (the
 * schema, a locale file, outputs.yaml, a template), or a depfile that is
 * an output or the output list, would overwrite what it is made from:
 * refused before anything is written. */
static int check_own_inputs(struct gen *g)
{
    size_t nin = g->s->ninputs + g->ninputs;
    const char *dep = g->opts->depfile;
    char *list = eg_arena_printf(g->a, "%s/%s", g->opts->out_dir,
                                 EG_OUTPUT_LIST);
    for (size_t k = 0; k < nin; k++) {
        const char *in = input_at(g, k), *base = strrchr(in, '/');
        base = base ? base + 1 : in;
        if (dep && same_entry(dep, in))
            return eg_error_plain("the depfile '%s' is '%s', which this run "
                                  "reads; write it elsewhere",
                                  dep, in);
        for (size_t i = 0; i < g->nouts; i++) {
            const char *f = g->outs[i].final, *fb = strrchr(f, '/');
            if (strcasecmp(fb ? fb + 1 : f, base) == 0 && same_entry(f, in))
                return eg_error_plain("output '%s' would overwrite '%s', "
                                      "which this run reads; generate into "
                                      "another folder",
                                      g->outs[i].path, in);
        }
    }
    if (dep) {
        const char *db = strrchr(dep, '/');
        db = db ? db + 1 : dep;
        if (same_entry(dep, list))
            return eg_error_plain("the depfile '%s' is the output folder's "
                                  "list of outputs; write it elsewhere",
                                  dep);
        for (size_t i = 0; i < g->nouts; i++) {
            const char *f = g->outs[i].final, *fb = strrchr(f, '/');
            if (strcasecmp(fb ? fb + 1 : f, db) != 0)
                continue;
            if (same_entry(f, dep))
                return eg_error_plain("the depfile '%s' is output '%s'; "
                                      "write it elsewhere",
                                      dep, g->outs[i].path);
        }
    }
    return 0;
}

/* The depfile is staged before the outputs are committed (a depfile that
 * cannot be written fails the run with the outputs as they were), and
 * renamed into place after: *tmp is the staged file, or NULL when the
 * depfile on disk already says the same. */
static int stage_depfile(struct gen *g, char **tmp)
{
    struct eg_sb sb = EG_SB_INIT;
    struct stat st;
    int rc = 0;
    *tmp = NULL;
    if (stat(g->opts->depfile, &st) == 0 && !S_ISREG(st.st_mode))
        return eg_error_plain("cannot write depfile '%s': it exists and is "
                              "not a file",
                              g->opts->depfile);
    dep_escape(
        &sb, eg_arena_printf(g->a, "%s/%s", g->opts->out_dir, EG_OUTPUT_LIST));
    eg_sb_adds(&sb, ":");
    for (size_t i = 0; i < g->s->ninputs; i++) {
        eg_sb_adds(&sb, " \\\n  ");
        dep_escape(&sb, g->s->inputs[i]);
    }
    /* Templates and partials in name order: threads find partials in
     * any order, and a depfile that changes from run to run would be
     * rewritten when nothing else is. */
    qsort(g->inputs, g->ninputs, sizeof(*g->inputs), cmp_cstr);
    for (size_t i = 0; i < g->ninputs; i++) {
        eg_sb_adds(&sb, " \\\n  ");
        dep_escape(&sb, g->inputs[i]);
    }
    eg_sb_addc(&sb, '\n');
    if (!same_as_disk(g->opts->depfile, sb.buf, sb.len)) {
        *tmp = eg_arena_printf(g->a, "%s.tmp-evgen-%ld", g->opts->depfile,
                               (long)getpid());
        if (write_file(*tmp, sb.buf, sb.len) != 0) {
            rc = eg_error_plain("cannot write depfile '%s': %s",
                                g->opts->depfile, strerror(errno));
            unlink(*tmp);
            *tmp = NULL;
        }
    }
    eg_sb_release(&sb);
    return rc;
}

static int place_depfile(struct gen *g, char *tmp)
{
    if (tmp && rename(tmp, g->opts->depfile) != 0) {
        int rc = eg_error_plain("cannot write depfile '%s': %s",
                                g->opts->depfile, strerror(errno));
        unlink(tmp);
        return rc;
    }
    return 0;
}

int eg_generate(struct eg_arena *a, const struct eg_schema *s,
                const struct eg_context *cx,
                const struct eg_generate_opts *opts)
{
    struct gen g;
    struct decl *decls = NULL;
    size_t ndecls = 0;
    struct stat st;
    char *dep_tmp = NULL;
    int rc, lock_fd = -1;

    memset(&g, 0, sizeof g);
    g.a = a;
    g.s = s;
    g.opts = opts;
    g.pid = (long)getpid();
    if (!opts->dry_run && stat(opts->out_dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return eg_error_plain("output folder '%s' exists and is not a folder",
                              opts->out_dir);
    /* One run at a time in a folder: another's staged files are not
     * leftovers (remove_dead_temps), and two sets of outputs would mix.
     * The lock is the folder's own (flock), released at exit. */
    if (!opts->dry_run &&
        (lock_fd = open(opts->out_dir, O_RDONLY | O_DIRECTORY)) >= 0 &&
        flock(lock_fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
        close(lock_fd);
        return eg_error_plain("another evgen is writing into '%s'; run one "
                              "at a time",
                              opts->out_dir);
    }
    pthread_mutex_init(&g.mu, NULL);
    g.cache = eg_render_cache_new();
    rc = load_decls(&g, &decls, &ndecls);
    if (rc == 0) {
        size_t njobs;
        rc = claim_outputs(&g, cx, decls, ndecls);
        eg_stats("paths");
        njobs = job_count(&g);
        if (!opts->dry_run)
            g.w = eg_writer_new(1, njobs);
        /* Bodies render even when a path failed: their errors are worth
         * seeing in the same run. */
        if (g.nunits && !eg_diag_too_many() && render_all(&g, cx, njobs))
            rc = -1;
    }
    if (g.w && eg_writer_finish(g.w)) /* its errors, after the render's */
        rc = -1;
    if (eg_interrupted()) /* main.c says so; the staged files go below */
        rc = -1;
    eg_stats("render");
    if (rc == 0 && g.w && check_own_inputs(&g))
        rc = -1;
    if (rc == 0 && opts->depfile && stage_depfile(&g, &dep_tmp))
        rc = -1;
    if (g.w) {
        for (size_t i = 0; i < g.nouts; i++)
            g.outs[i].tmp = eg_writer_staged(g.w, i);
        if (rc)
            eg_writer_unstage(g.w);
        else
            rc = commit(&g);
    }
    eg_stats("commit");
    if (rc == 0)
        rc = place_depfile(&g, dep_tmp);
    else if (dep_tmp)
        unlink(dep_tmp);
    if (rc == 0 && !opts->quiet)
        fprintf(stderr, "evgen: %zu outputs: %zu written, %zu unchanged\n",
                g.nouts, g.written, g.nouts - g.written);
    eg_writer_free(g.w);
    free(g.units);
    pthread_mutex_destroy(&g.mu);
    free(g.outs);
    free(g.index);
    free(g.inputs);
    free(g.partials);
    eg_render_cache_free(g.cache);
    if (lock_fd >= 0)
        close(lock_fd); /* and the lock with it */
    return rc;
}
