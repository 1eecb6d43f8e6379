/*
 * outputs.c - last stage: the declared outputs (TEMPLATES/outputs.yaml)
 * are rendered from the context trees (context.c) through the template
 * engine (render.c), then written atomically, and only where they changed.
 * See outputs.h for the contract.
 */
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
#include <sys/stat.h>
#include <fcntl.h>
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

static int find_partial(void *ctx, const char *name, const char **text,
                        size_t *len, const char **file)
{
    struct gen *g = ctx;
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
        return eg_error(root->loc, "the output list is a mapping with "
                                   "'outputs:', a sequence of {template, "
                                   "path, per, escape}");
    for (size_t i = 0; i < root->u.map.n; i++)
        if (strcmp(root->u.map.pairs[i].key->u.str.s, "outputs") != 0)
            rc = eg_error(root->u.map.pairs[i].key->loc,
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
            rc = eg_error(item->loc, "an output is a mapping {template, path, "
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
                rc = near ? eg_error(key->loc,
                                     "unknown key '%s' in an output; "
                                     "did you mean '%s'?",
                                     key->u.str.s, near)
                          : eg_error(key->loc,
                                     "unknown key '%s' in an output "
                                     "(template, path, per, escape)",
                                     key->u.str.s);
            }
        }
        t = eg_map_get(item, "template");
        p = eg_map_get(item, "path");
        if (!t || t->kind != EG_STR || !p || p->kind != EG_STR) {
            rc = eg_error(item->loc, "an output needs 'template' and 'path', "
                                     "both strings");
            continue;
        }
        if (!safe_relative(t->u.str.s)) {
            rc = eg_error(t->loc,
                          "template '%s' must be a relative path "
                          "inside the templates folder",
                          t->u.str.s);
            continue;
        }
        d->template_name = t->u.str.s;
        d->template_path =
            eg_arena_printf(g->a, "%s/%s", g->opts->templates, t->u.str.s);
        d->path = p->u.str.s;
        d->path_loc = p->loc;
        d->escape = EG_ESC_NONE;
        if ((esc = eg_map_get(item, "escape"))) {
            int e = esc->kind == EG_STR ? eg_escape_parse(esc->u.str.s) : -1;
            if (e < 0) {
                rc = eg_error(esc->loc, "escape must be html, xml, c, md or "
                                        "none");
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
            for (size_t k = 0; k < nitems; k++) {
                const struct eg_val *w = items[k];
                if (w->kind == EG_STR && strcmp(w->u.str.s, "locale") == 0)
                    d->per |= PER_LOCALE;
                else if (w->kind == EG_STR && strcmp(w->u.str.s, "event") == 0)
                    d->per |= PER_EVENT;
                else if (!(w->kind == EG_STR &&
                           strcmp(w->u.str.s, "once") == 0))
                    rc = eg_error(w->loc, "per is once, locale, event or "
                                          "[locale, event]");
            }
        }
        if (read_text(g, d->template_path, &d->text, &d->len, t->loc)) {
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
        for (size_t k = 0; k < g->nouts; k++) {
            i = (size_t)eg_hash(g->outs[k].path, strlen(g->outs[k].path)) &
                (cap - 1);
            while (g->index[i] != (size_t)-1)
                i = (i + 1) & (cap - 1);
            g->index[i] = k;
        }
    }
    i = (size_t)eg_hash(path, strlen(path)) & (g->capindex - 1);
    for (; g->index[i] != (size_t)-1; i = (i + 1) & (g->capindex - 1))
        if (strcmp(g->outs[g->index[i]].path, path) == 0)
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

/* ---- Handing an output to the writer, as it renders ----
 *
 * An output streams out in pieces (render.h's flush), so the largest (a
 * 10,000-event schema's codec is 60 MB) never has to be in memory whole.
 * Each piece goes to the writer (write.h), which compares it with the file
 * on disk and stages only what changed, on its own thread; the en-US
 * renderings that have translations are hashed here, as they pass (their
 * source_hash). */
struct sink {
    struct gen *g;
    struct output *o;
    int hashing;
    struct eg_sha256 sha;
};

#define FLUSH_AT ((size_t)256 << 10)

static void sink_put(struct sink *k, const char *data, size_t len)
{
    if (k->hashing)
        eg_sha256_update(&k->sha, data, len);
    if (k->g->w)
        eg_writer_put(k->g->w, data, len);
}

static int sink_flush(void *ctx, struct eg_sb *out)
{
    struct sink *k = ctx;
    sink_put(k, out->buf, out->len);
    eg_sb_reset(out);
    /* A write failed: stop rendering; eg_writer_finish says why. */
    return k->g->w && eg_writer_failed(k->g->w) ? -1 : 0;
}

static void sink_open(struct sink *k, struct gen *g, struct output *o,
                      size_t id, int hashing)
{
    memset(k, 0, sizeof(*k));
    k->g = g;
    k->o = o;
    k->hashing = hashing;
    if (hashing)
        eg_sha256_init(&k->sha);
    if (!g->w)
        return;
    o->final = eg_arena_printf(g->a, "%s/%s", g->opts->out_dir, o->path);
    eg_writer_open(g->w, id, o->final);
}

static void sink_close(struct sink *k, int ok)
{
    if (ok && k->hashing)
        eg_sha256_final_hex(&k->sha, k->o->hash);
    if (k->g->w)
        eg_writer_close(k->g->w);
}

static int render_one(struct gen *g, const struct decl *d,
                      const struct eg_val *const *stack, size_t nstack,
                      struct eg_sb *body, int need_hash,
                      const struct eg_texts *texts)
{
    struct eg_partials partials = {find_partial, g};
    struct eg_render_opts ro;
    struct eg_sb path = EG_SB_INIT;
    struct output *o;
    struct sink k;
    size_t id;
    int rc;

    memset(&ro, 0, sizeof ro);
    ro.strict = 1;
    ro.partials = &partials;
    ro.escape = EG_ESC_NONE;
    ro.origin = d->path_loc;
    ro.cache = g->cache;
    ro.texts = texts;
    eg_sb_reset(body);
    rc = eg_render_stack(d->path_loc.file, d->path, strlen(d->path), stack,
                         nstack, &ro, &path);
    if (rc == 0)
        rc = check_out_path(path.buf, d->path_loc);
    if (rc == 0 && claim_path(g, path.buf))
        rc = eg_error(d->path_loc,
                      "two outputs would both be written to "
                      "'%s'",
                      path.buf);
    eg_sb_release(&path);
    if (rc)
        return -1;
    id = g->nouts - 1;
    o = &g->outs[id];
    ro.escape = d->escape;
    ro.origin.file = NULL;
    ro.flush = sink_flush;
    ro.flush_ctx = &k;
    ro.flush_at = FLUSH_AT;
    /* Hashing every output would cost 10% of a large run: only en-US
     * renderings that have translations need it (their source_hash). */
    sink_open(&k, g, o, id, need_hash);
    rc = eg_render_stack(d->template_path, d->text, d->len, stack, nstack, &ro,
                         body);
    if (rc == 0)
        sink_put(&k, body->buf, body->len);
    eg_sb_reset(body);
    sink_close(&k, rc == 0);
    if (rc == 0 && g->w && eg_writer_failed(g->w))
        rc = -1; /* eg_writer_finish reports it */
    return rc;
}

static int render_all(struct gen *g, const struct eg_context *cx,
                      const struct decl *decls, size_t ndecls)
{
    struct eg_sb body = EG_SB_INIT;
    /* What generate adds to the data (README): one map, refilled for each
     * output, so 30,000 outputs cost nothing here. */
    struct eg_val *extra = eg_val_map(g->a), *hash = eg_val_new(g->a, EG_STR);
    char en_hash[65];
    int rc = 0;
    eg_map_set(g->a, extra, "source_hash", hash);
    for (size_t di = 0; di < ndecls && !eg_diag_too_many(); di++) {
        const struct decl *d = &decls[di];
        size_t nloc = d->per & PER_LOCALE ? cx->n : 1;
        size_t nev = d->per & PER_EVENT ? g->s->nevents : 1;
        for (size_t e = 0; e < nev && !eg_diag_too_many(); e++) {
            /* By index: g->outs moves as it grows. */
            size_t en = (size_t)-1;
            for (size_t l = 0; l < nloc; l++) {
                const struct eg_val *stack[3];
                size_t n = 0;
                stack[n++] = cx->roots[l];
                if (d->per & PER_EVENT)
                    stack[n++] =
                        eg_map_get(cx->roots[l], "events")->u.seq.items[e];
                /* A translation records the hash of the en-US rendering
                 * of the same output (empty in en-US itself). */
                /* A copy: g->outs moves as it grows. */
                memcpy(en_hash, en != (size_t)-1 ? g->outs[en].hash : "",
                       en != (size_t)-1 ? sizeof en_hash : 1);
                hash->u.str.s = en_hash;
                hash->u.str.len = strlen(en_hash);
                stack[n++] = extra;
                if (render_one(g, d, stack, n, &body, l == 0 && nloc > 1,
                               &cx->texts)) {
                    rc = -1;
                    break;
                }
                if (l == 0)
                    en = g->nouts - 1;
            }
        }
    }
    eg_sb_release(&body);
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
            if (*end || pid <= 0 || pid == g->pid || kill((pid_t)pid, 0) == 0 ||
                errno != ESRCH)
                continue;
            unlink(eg_arena_printf(g->a, "%s/%s", dirs[i], de->d_name));
        }
        closedir(d);
    }
    free(dirs);
}

/* Everything rendered: write the output list, remove outputs no longer
 * declared (only those the previous list names: evgen never deletes a
 * file it did not write), then rename the staged files into place. */
static int commit(struct gen *g)
{
    const char *dir = g->opts->out_dir;
    const char **paths = xmalloc((g->nouts + 1) * sizeof(*paths));
    struct eg_sb list = EG_SB_INIT, old = EG_SB_INIT;
    struct output lo;
    const char *why;
    int rc = 0;

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
    eg_writer_open(g->w, g->nouts, lo.final);
    eg_writer_put(g->w, list.buf, list.len);
    eg_writer_close(g->w);
    if (eg_writer_finish(g->w)) {
        eg_writer_unstage(g->w);
        rc = -1;
        goto out;
    }
    lo.tmp = eg_writer_staged(g->w, g->nouts);
    remove_dead_temps(g);
    if (eg_read_file(eg_arena_printf(g->a, "%s/%s", dir, EG_OUTPUT_LIST),
                     64u << 20, &old, &why) == 0) {
        char *line = old.buf, *nl;
        for (; (nl = strchr(line, '\n')); line = nl + 1) {
            *nl = '\0';
            if (safe_relative(line) &&
                !bsearch(&line, paths, g->nouts, sizeof(*paths), cmp_cstr))
                unlink(eg_arena_printf(g->a, "%s/%s", dir, line));
        }
    }
    for (size_t i = 0; i <= g->nouts; i++) {
        struct output *o = i < g->nouts ? &g->outs[i] : &lo;
        if (!o->tmp)
            continue;
        if (rename(o->tmp, o->final) != 0) {
            rc = eg_error_plain("cannot rename '%s' to '%s': %s", o->tmp,
                                o->final, strerror(errno));
            unlink(o->tmp);
        } else if (i < g->nouts) {
            g->written++;
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

static int write_depfile(struct gen *g)
{
    struct eg_sb sb = EG_SB_INIT;
    int rc = 0;
    dep_escape(
        &sb, eg_arena_printf(g->a, "%s/%s", g->opts->out_dir, EG_OUTPUT_LIST));
    eg_sb_adds(&sb, ":");
    for (size_t i = 0; i < g->s->ninputs; i++) {
        eg_sb_adds(&sb, " \\\n  ");
        dep_escape(&sb, g->s->inputs[i]);
    }
    for (size_t i = 0; i < g->ninputs; i++) {
        eg_sb_adds(&sb, " \\\n  ");
        dep_escape(&sb, g->inputs[i]);
    }
    eg_sb_addc(&sb, '\n');
    if (!same_as_disk(g->opts->depfile, sb.buf, sb.len)) {
        char *tmp = eg_arena_printf(g->a, "%s.tmp-evgen-%ld", g->opts->depfile,
                                    (long)getpid());
        if (write_file(tmp, sb.buf, sb.len) != 0 ||
            rename(tmp, g->opts->depfile) != 0) {
            rc = eg_error_plain("cannot write depfile '%s': %s",
                                g->opts->depfile, strerror(errno));
            unlink(tmp);
        }
    }
    eg_sb_release(&sb);
    return rc;
}

int eg_generate(struct eg_arena *a, const struct eg_schema *s,
                const struct eg_context *cx,
                const struct eg_generate_opts *opts)
{
    struct gen g;
    struct decl *decls = NULL;
    size_t ndecls = 0;
    struct stat st;
    int rc;

    memset(&g, 0, sizeof g);
    g.a = a;
    g.s = s;
    g.opts = opts;
    g.pid = (long)getpid();
    if (!opts->dry_run && stat(opts->out_dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return eg_error_plain("output folder '%s' exists and is not a folder",
                              opts->out_dir);
    g.cache = eg_render_cache_new();
    rc = load_decls(&g, &decls, &ndecls);
    if (rc == 0 && !opts->dry_run)
        g.w = eg_writer_new(1);
    if (rc == 0)
        rc = render_all(&g, cx, decls, ndecls);
    if (g.w && eg_writer_finish(g.w)) /* its errors, after the render's */
        rc = -1;
    eg_stats("render");
    if (g.w) {
        for (size_t i = 0; i < g.nouts; i++)
            g.outs[i].tmp = eg_writer_staged(g.w, i);
        if (rc)
            eg_writer_unstage(g.w);
        else
            rc = commit(&g);
    }
    eg_stats("commit");
    if (rc == 0 && opts->depfile)
        rc = write_depfile(&g);
    if (rc == 0 && !opts->quiet)
        fprintf(stderr, "evgen: %zu outputs: %zu written, %zu unchanged\n",
                g.nouts, g.written, g.nouts - g.written);
    eg_writer_free(g.w);
    free(g.outs);
    free(g.index);
    free(g.inputs);
    free(g.partials);
    eg_render_cache_free(g.cache);
    return rc;
}
