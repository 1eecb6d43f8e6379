/*
 * fuzz_render.c - fuzz entry point for the template engine (render.c):
 * parse, render in strict and lenient mode with every escape kind, with
 * partials, parents and lambda strings; and the escapers' guarantees.
 *
 * Input layout (text, so seeds can be read and written by hand):
 *
 *     byte 0         options: escape = (b & 7) % 5 (html xml c md none),
 *                    strict = b & 8, stack = b & 16 (render with the
 *                    context stack [data, {source_hash}] as generate
 *                    does), event = b & 32 (and data.events[0] between
 *                    the two, as for a per-event output), cached = b & 64
 *                    (rendered twice through one render cache, as
 *                    generate renders; both renders must agree).  So
 *                    '0'..'4' are lenient, '8'..'<' strict, with the
 *                    event; 'P'..'T' and 'X'..'\' the same without it
 *     TEMPLATE       up to the first line "%%data" (or the end)
 *     %%data
 *     DATA           YAML, up to the first line "%%partial NAME" (or the
 *                    end); string values directly under a key `strings`
 *                    are lambda strings, as context.c marks them
 *     %%partial NAME
 *     TEXT           a partial (or parent) called NAME; up to 16 of them
 *
 * So "0Hello {{name}}\n%%data\nname: x\n" renders lenient HTML.  Beside
 * the input's partials there is a fixed set (recursive, parent, broken,
 * and one name whose lookup fails as an unsafe path does in outputs.c).
 *
 * Oracles beyond the sanitizers: every escaper's output, for the template
 * bytes taken as a value, obeys its contract in render.h (C: no raw quote
 * or control byte, no star-slash, slash-star or "??", only well-formed
 * escapes; XML/HTML: no raw < > " ', every & an entity; Markdown: every
 * special character backslashed; none: unchanged); and every diagnostic
 * is whole lines without NUL bytes.
 */
#include "../../generator/load.h"
#include "../../generator/render.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PARTIALS 16

static void sink(void *ctx, enum eg_severity sev, const char *text, size_t len)
{
    (void)ctx;
    (void)sev;
    if (len == 0 || text[len - 1] != '\n' || memchr(text, '\0', len))
        abort();
}

struct part {
    const char *name, *text;
    size_t len;
};

static const struct part builtin[] = {
    {"self", "{{>self}}", 9},
    {"item", "- {{name}}\n", 11},
    {"layout", "<{{$title}}untitled{{/title}}>\n  {{$body}}\n  {{/body}}\n", 51},
    {"deep", "{{#a}}{{>deep}}{{/a}}{{^a}}{{.}}{{/a}}", 38},
    {"broken", "{{#open}}", 9},
    {"dyn", "{{>*name}}", 10},
};

struct parts {
    struct part p[MAX_PARTIALS];
    size_t n;
};

static int find(void *ctx, const char *name, const char **text, size_t *len,
                const char **file)
{
    const struct parts *ps = ctx;
    if (strcmp(name, "unsafe") == 0) {
        /* What outputs.c does for a name that would leave the folder. */
        struct eg_loc none = {NULL, 0, 0};
        return eg_error(none, "partial name '%s' is not a path inside the "
                              "templates folder",
                        name);
    }
    for (size_t i = 0; i < ps->n; i++)
        if (strcmp(ps->p[i].name, name) == 0) {
            *text = ps->p[i].text;
            *len = ps->p[i].len;
            *file = ps->p[i].name;
            return 1;
        }
    for (size_t i = 0; i < EG_ARRAY_LEN(builtin); i++)
        if (strcmp(builtin[i].name, name) == 0) {
            *text = builtin[i].text;
            *len = builtin[i].len;
            *file = builtin[i].name;
            return 1;
        }
    return 0;
}

/* ---- The escapers' contracts (render.h) ---- */

static void check_escaped(enum eg_escape e, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (e) {
        case EG_ESC_HTML:
        case EG_ESC_XML:
        case EG_ESC_MESSAGE:
            if (c == '<' || c == '>' || c == '"' || c == '\'')
                abort();
            if (e != EG_ESC_HTML && (c == '\t' || c == '\n' || c == '\r'))
                abort(); /* an attribute would read them as spaces */
            if (e == EG_ESC_MESSAGE && c == '%') {
                /* FormatMessage: %% %n %t only, never an insertion */
                if (i + 1 >= n || !strchr("%nt", s[i + 1]) || !s[i + 1])
                    abort();
                i++;
            }
            if (c == '&') {
                static const char *const ents[] = {
                    "&amp;", "&lt;", "&gt;", "&quot;", "&#39;",
                    "&apos;", "&#9;", "&#10;", "&#13;"};
                size_t k;
                for (k = 0; k < EG_ARRAY_LEN(ents); k++)
                    if (n - i >= strlen(ents[k]) &&
                        memcmp(s + i, ents[k], strlen(ents[k])) == 0)
                        break;
                if (k == EG_ARRAY_LEN(ents))
                    abort();
            }
            break;
        case EG_ESC_C:
            /* Inside "..." and inside a block comment alike. */
            if (c < 0x20 || c == 0x7f || c == '"')
                abort();
            if (i + 1 < n && ((c == '*' && s[i + 1] == '/') ||
                              (c == '/' && s[i + 1] == '*') ||
                              (c == '?' && s[i + 1] == '?')))
                abort();
            if (c == '\\') {
                unsigned char d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
                if (d >= '0' && d <= '7') {
                    if (i + 3 >= n || s[i + 2] < '0' || s[i + 2] > '7' ||
                        s[i + 3] < '0' || s[i + 3] > '7')
                        abort();
                    i += 3;
                } else if (d && strchr("\\\"ntr?", d)) {
                    i++;
                } else {
                    abort();
                }
            }
            break;
        case EG_ESC_MD:
            if (c == '\\') {
                if (i + 1 >= n || !strchr("\\`*_[]<>|", s[i + 1]))
                    abort();
                i++;
            } else if (c && strchr("`*_[]<>|", c)) {
                abort();
            }
            break;
        case EG_ESC_YAML:
            /* Inside "...": no raw quote, control or lone backslash. */
            if (c < 0x20 || c == 0x7f || c == '"')
                abort();
            if (c == '\\') {
                if (i + 1 >= n || !s[i + 1] || !strchr("\\\"ntrx", s[i + 1]))
                    abort();
                i++;
            }
            break;
        case EG_ESC_MD_CELL: {
            /* One cell: no line break, every '|' escaped. */
            size_t k = i;
            if (c == '\n' || c == '\r')
                abort();
            while (c == '|' && k > 0 && s[k - 1] == '\\')
                k--;
            if (c == '|' && (i - k) % 2 == 0)
                abort();
            break;
        }
        case EG_ESC_NONE:
            break;
        }
    }
    if (e == EG_ESC_MD_CELL) { /* no lone backslash left at the end */
        size_t k = n;
        while (k > 0 && s[k - 1] == '\\')
            k--;
        if ((n - k) % 2)
            abort();
    }
}

static void escapes(const char *s, size_t n)
{
    for (int e = 0; e <= EG_ESC_NONE; e++) {
        struct eg_sb sb = EG_SB_INIT;
        eg_escape_append((enum eg_escape)e, s, n, &sb);
        check_escaped((enum eg_escape)e, sb.buf, sb.len);
        if (e == EG_ESC_NONE && (sb.len != n || memcmp(sb.buf, s, n)))
            abort();
        eg_sb_release(&sb);
    }
}

/* ---- Input ---- */

/* Offset of the line "marker" (with its '\n' or at the end) at a line
 * start in s[from..n), or n. */
static size_t find_line(const char *s, size_t n, size_t from,
                        const char *marker)
{
    size_t m = strlen(marker);
    for (size_t i = from; i + m <= n; i++) {
        if ((i == 0 || s[i - 1] == '\n') && memcmp(s + i, marker, m) == 0)
            return i;
        {
            const char *nl = memchr(s + i, '\n', n - i);
            if (!nl)
                break;
            i = (size_t)(nl - s);
        }
    }
    return n;
}

/* Mark string values under `strings:` as lambdas, as context.c does. */
static void mark_lambdas(struct eg_val *v, int depth)
{
    if (!v || depth > 70)
        return;
    if (v->kind == EG_MAP) {
        for (size_t i = 0; i < v->u.map.n; i++) {
            struct eg_val *val = v->u.map.pairs[i].val;
            if (strcmp(v->u.map.pairs[i].key->u.str.s, "strings") == 0 &&
                val->kind == EG_MAP) {
                for (size_t k = 0; k < val->u.map.n; k++)
                    if (val->u.map.pairs[k].val->kind == EG_STR)
                        val->u.map.pairs[k].val->lambda = 1;
            }
            mark_lambdas(val, depth + 1);
        }
    } else if (v->kind == EG_SEQ) {
        for (size_t i = 0; i < v->u.seq.n; i++)
            mark_lambdas(v->u.seq.items[i], depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct eg_arena a;
    struct parts ps;
    struct eg_partials partials = {find, &ps};
    struct eg_render_opts ro;
    struct eg_sb out = EG_SB_INIT;
    const struct eg_val *stack[3];
    struct eg_val *root = NULL;
    char *s;
    size_t n, tend, dend;
    unsigned flags;

    if (size < 1)
        return 0;
    eg_diag_reset();
    eg_diag_set_sink(sink, NULL);
    eg_arena_init(&a);
    flags = data[0];
    n = size - 1;
    /* A copy that outlives every diagnostic and node pointing into it. */
    s = eg_arena_strndup(&a, (const char *)data + 1, n);

    tend = find_line(s, n, 0, "%%data\n");
    if (tend == n)
        tend = find_line(s, n, 0, "%%data"); /* at the very end */
    dend = find_line(s, n, tend, "%%partial ");
    memset(&ps, 0, sizeof ps);
    for (size_t p = dend; p < n && ps.n < MAX_PARTIALS;) {
        size_t name = p + 10, nl, body, next;
        const char *q = memchr(s + name, '\n', name < n ? n - name : 0);
        nl = q ? (size_t)(q - s) : n;
        body = nl < n ? nl + 1 : n;
        next = find_line(s, n, body, "%%partial ");
        s[nl < n ? nl : n] = '\0'; /* the name; a copy's NUL at n */
        ps.p[ps.n].name = s + name;
        ps.p[ps.n].text = s + body;
        ps.p[ps.n].len = (next > body ? next : body) - body;
        ps.n++;
        p = next;
    }
    for (size_t i = 0; i < ps.n; i++)
        eg_diag_add_source(ps.p[i].name, ps.p[i].text, ps.p[i].len);

    if (tend < n) {
        size_t d0 = tend + 6 < n ? tend + 7 : n;
        size_t dlen = dend > d0 ? dend - d0 : 0;
        char *yaml = eg_arena_strndup(&a, s + d0, dlen);
        eg_diag_add_source("data.yaml", yaml, dlen);
        root = eg_load_text(&a, "data.yaml", yaml, dlen);
        mark_lambdas(root, 0);
    }

    escapes(s, tend);
    eg_diag_add_source("t.mustache", s, tend);
    eg_template_check("t.mustache", s, tend);

    memset(&ro, 0, sizeof ro);
    ro.escape = (enum eg_escape)((flags & 7) % 5);
    ro.strict = (flags & 8) != 0;
    ro.partials = &partials;
    ro.max_depth = 16; /* keeps recursive inputs quick; 64 is the default */
    if (flags & 16) {
        struct eg_val *extra = eg_val_map(&a);
        const struct eg_val *events = root && root->kind == EG_MAP
                                          ? eg_map_get(root, "events")
                                          : NULL;
        size_t k = 0;
        eg_map_set(&a, extra, "source_hash", eg_val_str(&a, "0123abcd"));
        stack[k++] = root;
        if ((flags & 32) && events && events->kind == EG_SEQ &&
            events->u.seq.n)
            stack[k++] = events->u.seq.items[0];
        stack[k++] = extra;
        if (flags & 64) {
            /* Through a cache, twice: the second render reuses what the
             * first kept, and must give the same bytes and result. */
            struct eg_sb again = EG_SB_INIT;
            int rc1, rc2;
            ro.cache = eg_render_cache_new();
            rc1 = eg_render_stack("t.mustache", s, tend, stack, k, &ro, &out);
            rc2 = eg_render_stack("t.mustache", s, tend, stack, k, &ro, &again);
            if (rc1 != rc2 || (rc1 == 0 && (out.len != again.len ||
                                            memcmp(out.buf, again.buf,
                                                   out.len) != 0)))
                abort();
            eg_render_cache_free(ro.cache);
            eg_sb_release(&again);
        } else {
            eg_render_stack("t.mustache", s, tend, stack, k, &ro, &out);
        }
    } else {
        eg_render("t.mustache", s, tend, root, &ro, &out);
    }
    eg_sb_release(&out);

    eg_arena_free(&a);
    eg_diag_reset();
    eg_intern_reset(); /* names interned by this input: none outlive it */
    return 0;
}
