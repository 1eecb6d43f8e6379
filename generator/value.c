/*
 * value.c - the data tree: construction, lookup, YAML core-schema
 * resolution of plain scalars, and the YAML/JSON writers used by
 * `evgen context`.
 */
#include "value.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Interned strings ---- */

static struct {
    struct eg_arena a;
    const char **slots; /* open addressing; NULL = empty */
    size_t cap, n;
} interned;
/* Templates are parsed (their names interned) on every rendering thread
 * (outputs.c); a lock per name parsed costs nothing beside the parse. */
static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;

/* Interned strings are stored with their length in front, so a probe
 * compares lengths before bytes and s may hold NUL bytes. */
static size_t intern_len(const char *p)
{
    size_t len;
    memcpy(&len, p - sizeof len, sizeof len);
    return len;
}

static const char *intern_locked(const char *s, size_t len)
{
    size_t mask, i;
    char *copy;
    if (2 * (interned.n + 1) > interned.cap) {
        size_t cap = interned.cap ? interned.cap * 2 : 256;
        const char **slots = xcalloc(cap, sizeof(*slots));
        for (size_t k = 0; k < interned.cap; k++) {
            const char *p = interned.slots[k];
            if (!p)
                continue;
            i = (size_t)eg_hash(p, intern_len(p)) & (cap - 1);
            while (slots[i])
                i = (i + 1) & (cap - 1);
            slots[i] = p;
        }
        free(interned.slots);
        interned.slots = slots;
        interned.cap = cap;
    }
    mask = interned.cap - 1;
    for (i = (size_t)eg_hash(s, len) & mask; interned.slots[i];
         i = (i + 1) & mask) {
        const char *p = interned.slots[i];
        if (intern_len(p) == len && memcmp(p, s, len) == 0)
            return p;
    }
    copy = eg_arena_alloc(&interned.a, sizeof len + len + 1);
    memcpy(copy, &len, sizeof len);
    copy += sizeof len;
    memcpy(copy, s, len);
    copy[len] = '\0';
    interned.slots[i] = copy;
    interned.n++;
    return copy;
}

const char *eg_intern(const char *s, size_t len)
{
    const char *r;
    pthread_mutex_lock(&intern_lock);
    r = intern_locked(s, len);
    pthread_mutex_unlock(&intern_lock);
    return r;
}

/* ---- Shapes ---- (under intern_lock: their keys are interned names) */

static struct {
    struct eg_arena a;
    const struct eg_shape *at[EG_MAX_SHAPES];
    uint32_t n;
    uint32_t *slots; /* open addressing: index + 1; 0 = empty */
    size_t cap;
} shapes;

/* A shape's hash: of its keys' interned addresses, in order. */
static uint64_t shape_hash(const struct eg_pair *pairs, size_t n)
{
    uint64_t h = n;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uintptr_t)pairs[i].key->u.str.s) * 0x100000001B3u;
    return h ^ (h >> 29);
}

static int shape_is(const struct eg_shape *sh, const struct eg_pair *pairs,
                    size_t n)
{
    if (sh->n != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (sh->keys[i].u.str.s != pairs[i].key->u.str.s)
            return 0;
    return 1;
}

/* The index of the shape of these n pairs (keys interned), made if new;
 * -1 when the table is full. */
static long shape_of(const struct eg_pair *pairs, size_t n)
{
    long ix = -1;
    size_t mask, i;
    uint64_t h = shape_hash(pairs, n);
    pthread_mutex_lock(&intern_lock);
    if (2 * (shapes.n + 1) > shapes.cap) {
        size_t cap = shapes.cap ? shapes.cap * 2 : 256;
        uint32_t *slots = xcalloc(cap, sizeof(*slots));
        for (uint32_t k = 0; k < shapes.n; k++) {
            i = (size_t)shapes.at[k]->hash & (cap - 1);
            while (slots[i])
                i = (i + 1) & (cap - 1);
            slots[i] = k + 1;
        }
        free(shapes.slots);
        shapes.slots = slots;
        shapes.cap = cap;
    }
    mask = shapes.cap - 1;
    for (i = (size_t)h & mask; shapes.slots[i]; i = (i + 1) & mask) {
        if (shape_is(shapes.at[shapes.slots[i] - 1], pairs, n)) {
            ix = (long)shapes.slots[i] - 1;
            break;
        }
    }
    if (ix < 0 && shapes.n < EG_MAX_SHAPES) {
        struct eg_shape *sh =
            eg_arena_alloc(&shapes.a, sizeof(*sh) + n * sizeof(sh->keys[0]) +
                                          n * sizeof(sh->names[0]));
        sh->hash = h;
        sh->n = (uint32_t)n;
        sh->names = (const char **)(void *)(sh->keys + n);
        for (size_t k = 0; k < n; k++) {
            sh->keys[k].kind = EG_STR;
            sh->keys[k].interned = 1;
            sh->keys[k].u.str = pairs[k].key->u.str;
            sh->names[k] = pairs[k].key->u.str.s;
        }
        ix = (long)shapes.n;
        shapes.at[shapes.n++] = sh;
        shapes.slots[i] = (uint32_t)ix + 1;
    }
    pthread_mutex_unlock(&intern_lock);
    return ix;
}

/* No lock: a shape is written once, before its index is handed out (as
 * file names are: eg_file_name). */
const struct eg_shape *eg_shape_at(uint32_t ix)
{
    return shapes.at[ix];
}

void eg_map_freeze(struct eg_arena *a, struct eg_val *m)
{
    size_t n = m->u.map.n;
    long ix = m->has_keys && n && !m->shaped ? shape_of(m->u.map.pairs, n) : -1;
    if (ix >= 0) {
        struct eg_val **vals = eg_arena_alloc(a, n * sizeof(*vals));
        for (size_t i = 0; i < n; i++)
            vals[i] = m->u.map.pairs[i].val;
        m->u.map.vals = vals;
        m->u.map.cap = (uint32_t)ix;
        m->shaped = 1;
    } else if (!m->shaped) {
        struct eg_pair *pairs = eg_arena_alloc(a, n * sizeof(*pairs));
        if (n)
            memcpy(pairs, m->u.map.pairs, n * sizeof(*pairs));
        m->u.map.pairs = pairs;
        m->u.map.cap = (uint32_t)n;
    }
}

/* A shaped map about to change gets pairs again. */
static void unshape(struct eg_arena *a, struct eg_val *m)
{
    const struct eg_shape *sh = eg_shape_at(m->u.map.cap);
    size_t n = m->u.map.n, cap = n ? n : 8;
    struct eg_pair *pairs = eg_arena_alloc(a, cap * sizeof(*pairs));
    for (size_t i = 0; i < n; i++) {
        pairs[i].key = (struct eg_val *)&sh->keys[i]; /* shared, as keys */
        pairs[i].val = m->u.map.vals[i];              /* may be */
    }
    m->u.map.pairs = pairs;
    m->u.map.cap = (uint32_t)cap;
    m->shaped = 0;
}

void eg_intern_reset(void)
{
    pthread_mutex_lock(&intern_lock);
    eg_arena_free(&interned.a);
    free(interned.slots);
    interned.slots = NULL;
    interned.cap = interned.n = 0;
    eg_arena_free(&shapes.a);
    free(shapes.slots);
    shapes.slots = NULL;
    shapes.cap = 0;
    shapes.n = 0;
    pthread_mutex_unlock(&intern_lock);
}

/* ---- Places ---- */

static struct {
    pthread_mutex_t mu;
    const char *names[EG_MAX_FILES + 1]; /* [0] unused: no place */
    unsigned n;
} files = {PTHREAD_MUTEX_INITIALIZER, {NULL}, 0};

unsigned eg_file_index(const char *name)
{
    unsigned ix = 0;
    pthread_mutex_lock(&files.mu);
    /* Linear: a run reads a schema, its translations and a few more. */
    for (unsigned i = files.n; i >= 1 && !ix; i--)
        if (strcmp(files.names[i], name) == 0)
            ix = i;
    if (!ix && files.n < EG_MAX_FILES) {
        files.names[++files.n] = xstrdup(name);
        ix = files.n;
    }
    pthread_mutex_unlock(&files.mu);
    return ix;
}

/* No lock: a name is written once, before its index is handed out, and
 * whoever holds an index got it after that (from eg_file_index, or with a
 * node passed on through a thread's creation, join or a lock). */
const char *eg_file_name(unsigned ix)
{
    return files.names[ix];
}

/* A string's length as a node holds it.  Strings come from files and
 * outputs, both capped far below 4 GiB. */
static uint32_t len32(size_t len)
{
    if (len > UINT32_MAX)
        eg_fatal("a string of %zu bytes; 4 GiB is the most", len);
    return (uint32_t)len;
}

struct eg_val *eg_val_key(struct eg_arena *a, const char *s)
{
    struct eg_val *v = eg_arena_alloc(a, sizeof(*v));
    v->kind = EG_STR;
    v->interned = 1;
    v->u.str.len = len32(strlen(s));
    v->u.str.s = eg_intern(s, v->u.str.len);
    return v;
}

struct eg_val *eg_val_new(struct eg_arena *a, enum eg_kind kind)
{
    struct eg_val *v = eg_arena_alloc(a, sizeof(*v));
    v->kind = kind;
    return v;
}

struct eg_val *eg_val_null(struct eg_arena *a)
{
    return eg_val_new(a, EG_NULL);
}

struct eg_val *eg_val_bool(struct eg_arena *a, int b)
{
    struct eg_val *v = eg_val_new(a, EG_BOOL);
    v->u.b = !!b;
    return v;
}

struct eg_val *eg_val_int(struct eg_arena *a, long long i)
{
    struct eg_val *v = eg_val_new(a, EG_INT);
    v->u.i = i;
    return v;
}

struct eg_val *eg_val_strn(struct eg_arena *a, const char *s, size_t len)
{
    struct eg_val *v = eg_val_new(a, EG_STR);
    v->u.str.s = eg_arena_strndup(a, s, len);
    v->u.str.len = len32(len);
    return v;
}

struct eg_val *eg_val_str(struct eg_arena *a, const char *s)
{
    return eg_val_strn(a, s, strlen(s));
}

struct eg_val *eg_val_strf(struct eg_arena *a, const char *fmt, ...)
{
    struct eg_sb sb = EG_SB_INIT;
    struct eg_val *v;
    va_list ap;
    va_start(ap, fmt);
    eg_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    v = eg_val_strn(a, sb.buf, sb.len);
    eg_sb_release(&sb);
    return v;
}

struct eg_val *eg_val_seq(struct eg_arena *a)
{
    return eg_val_new(a, EG_SEQ);
}

struct eg_val *eg_val_map(struct eg_arena *a)
{
    return eg_val_new(a, EG_MAP);
}

/* Arrays grow by doubling inside the arena; the old block is abandoned to
 * the arena, which costs at most as much again as the final size. */
void eg_seq_push(struct eg_arena *a, struct eg_val *seq, struct eg_val *v)
{
    if (seq->u.seq.n == seq->u.seq.cap)
        eg_seq_reserve(a, seq, seq->u.seq.cap ? (size_t)seq->u.seq.cap * 2 : 4);
    seq->u.seq.items[seq->u.seq.n++] = v;
}

void eg_seq_reserve(struct eg_arena *a, struct eg_val *seq, size_t n)
{
    struct eg_val **items;
    if (n <= seq->u.seq.cap)
        return;
    items = eg_arena_alloc(a, n * sizeof(*items));
    if (seq->u.seq.n)
        memcpy(items, seq->u.seq.items, seq->u.seq.n * sizeof(*items));
    seq->u.seq.items = items;
    seq->u.seq.cap = (uint32_t)n;
}

/* The index of key among map's own entries, or -1. */
static long own_index(const struct eg_val *map, const char *key)
{
    /* The first byte settles most comparisons without a call. */
    if (map->shaped) {
        const char **names = eg_shape_at(map->u.map.cap)->names;
        for (size_t i = 0; i < map->u.map.n; i++)
            if (names[i][0] == key[0] && strcmp(names[i], key) == 0)
                return (long)i;
        return -1;
    }
    for (size_t i = 0; i < map->u.map.n; i++) {
        const char *k = map->u.map.pairs[i].key->u.str.s;
        if (k[0] == key[0] && strcmp(k, key) == 0)
            return (long)i;
    }
    return -1;
}

struct eg_pair *eg_map_pair(const struct eg_val *map, const char *key)
{
    long i;
    if (!map || map->kind != EG_MAP)
        return NULL;
    if (map->shaped)
        eg_fatal("eg_map_pair on a shaped map"); /* a bug, not input */
    i = own_index(map, key);
    return i < 0 ? NULL : &map->u.map.pairs[i];
}

struct eg_val *eg_map_get(const struct eg_val *map, const char *key)
{
    for (; map && map->kind == EG_MAP; map = eg_map_proto(map)) {
        long i = own_index(map, key);
        if (i >= 0)
            return eg_map_val(map, (size_t)i);
    }
    return NULL;
}

const struct eg_val *eg_map_get_in(const struct eg_val *map, const char *in)
{
    uint32_t bit = eg_key_bit(in);
    for (; map && map->kind == EG_MAP; map = eg_map_proto(map)) {
        if (!eg_map_may_have(map, bit))
            continue;
        if (map->shaped) { /* its keys are interned: by address */
            const char **names = eg_shape_at(map->u.map.cap)->names;
            for (size_t i = 0; i < map->u.map.n; i++)
                if (names[i] == in)
                    return map->u.map.vals[i];
        } else if (map->has_keys) { /* all its keys are interned */
            for (size_t i = 0; i < map->u.map.n; i++)
                if (map->u.map.pairs[i].key->u.str.s == in)
                    return map->u.map.pairs[i].val;
        } else {
            long i = own_index(map, in);
            if (i >= 0)
                return eg_map_val(map, (size_t)i);
        }
    }
    return NULL;
}

void eg_map_reserve(struct eg_arena *a, struct eg_val *map, size_t n)
{
    struct eg_pair *pairs;
    if (map->shaped)
        unshape(a, map);
    if (n <= map->u.map.cap)
        return;
    pairs = eg_arena_alloc(a, n * sizeof(*pairs));
    if (map->u.map.n)
        memcpy(pairs, map->u.map.pairs, map->u.map.n * sizeof(*pairs));
    map->u.map.pairs = pairs;
    map->u.map.cap = n;
}

void eg_map_add(struct eg_arena *a, struct eg_val *map, struct eg_val *key,
                struct eg_val *v)
{
    if (map->shaped)
        unshape(a, map);
    if (map->u.map.n == map->u.map.cap)
        eg_map_reserve(a, map, map->u.map.cap ? map->u.map.cap * 2 : 8);
    if (map->u.map.n == 0) { /* every key comes through here: sign them */
        map->has_keys = 1;
        map->keys = 0;
    }
    if (key->interned)
        map->keys |= eg_key_bit(key->u.str.s);
    else
        map->has_keys = 0;
    map->u.map.pairs[map->u.map.n].key = key;
    map->u.map.pairs[map->u.map.n].val = v;
    map->u.map.n++;
}

void eg_map_set(struct eg_arena *a, struct eg_val *map, const char *key,
                struct eg_val *v)
{
    struct eg_pair *p;
    if (map->shaped)
        unshape(a, map);
    p = eg_map_pair(map, key);
    if (p) {
        p->val = v;
        return;
    }
    eg_map_add(a, map, eg_val_key(a, key), v);
}

struct eg_val *eg_val_copy(struct eg_arena *a, const struct eg_val *v)
{
    struct eg_val *c = eg_arena_alloc(a, sizeof(*c));
    *c = *v;
    if (v->kind == EG_SEQ) {
        c->u.seq.items =
            eg_arena_alloc(a, v->u.seq.n * sizeof(*c->u.seq.items));
        c->u.seq.cap = v->u.seq.n;
        for (size_t i = 0; i < v->u.seq.n; i++)
            c->u.seq.items[i] = eg_val_copy(a, v->u.seq.items[i]);
    } else if (v->kind == EG_MAP && v->shaped) { /* the same shape */
        c->u.map.vals = eg_arena_alloc(a, v->u.map.n * sizeof(*c->u.map.vals));
        for (size_t i = 0; i < v->u.map.n; i++)
            c->u.map.vals[i] = eg_val_copy(a, v->u.map.vals[i]);
    } else if (v->kind == EG_MAP) {
        c->u.map.pairs =
            eg_arena_alloc(a, v->u.map.n * sizeof(*c->u.map.pairs));
        c->u.map.cap = v->u.map.n;
        for (size_t i = 0; i < v->u.map.n; i++) {
            c->u.map.pairs[i].key = eg_val_copy(a, v->u.map.pairs[i].key);
            c->u.map.pairs[i].val = eg_val_copy(a, v->u.map.pairs[i].val);
        }
    }
    return c;
}

/* ---- YAML 1.2 core schema ---- */

static int is_one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+, within long long. */
static int parse_int(const char *s, long long *out)
{
    const char *p = s, *digits = "0123456789";
    int base = 10;
    char *end;

    if (s[0] == '0' && s[1] == 'o')
        p = s + 2, base = 8, digits = "01234567";
    else if (s[0] == '0' && s[1] == 'x')
        p = s + 2, base = 16, digits = "0123456789abcdefABCDEF";
    else if (*p == '-' || *p == '+')
        p++;
    if (!*p || strspn(p, digits) != strlen(p))
        return 0;
    errno = 0;
    *out = strtoll(base == 10 ? s : p, &end, base);
    return errno == 0 && *end == '\0';
}

const struct eg_val *eg_val_resolve(struct eg_arena *a, const struct eg_val *v)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    static const char *const infs[] = {".inf",  ".Inf",  ".INF", "+.inf",
                                       "+.Inf", "+.INF", NULL};
    static const char *const ninfs[] = {"-.inf", "-.Inf", "-.INF", NULL};
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    const char *s;
    struct eg_val *r;

    if (!v || v->kind != EG_STR || !v->plain)
        return v;
    s = v->u.str.s;
    if (strlen(s) != v->u.str.len)
        return v;
    if (is_one_of(s, nulls))
        r = eg_val_null(a);
    else if (is_one_of(s, trues))
        r = eg_val_bool(a, 1);
    else if (is_one_of(s, falses))
        r = eg_val_bool(a, 0);
    else if (is_one_of(s, infs) || is_one_of(s, ninfs) || is_one_of(s, nans)) {
        r = eg_val_new(a, EG_FLOAT);
        r->u.f = is_one_of(s, nans)    ? NAN
                 : is_one_of(s, ninfs) ? -INFINITY
                                       : INFINITY;
    } else {
        long long i;
        if (parse_int(s, &i)) {
            r = eg_val_int(a, i);
            eg_val_copy_loc(r, v);
            return r;
        }
        const char *p = s;
        /* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
        if (*p == '-' || *p == '+')
            p++;
        {
            size_t digits = strspn(p, "0123456789"), frac = 0;
            const char *q = p + digits;
            if (*q == '.') {
                frac = strspn(q + 1, "0123456789");
                q += 1 + frac;
            }
            if ((digits || frac) && (*q == 'e' || *q == 'E')) {
                const char *e = q + 1;
                if (*e == '-' || *e == '+')
                    e++;
                if (strspn(e, "0123456789"))
                    q = e + strspn(e, "0123456789");
            }
            if ((digits || frac) && *q == '\0' && q != p) {
                r = eg_val_new(a, EG_FLOAT);
                r->u.f = strtod(s, NULL);
                eg_val_copy_loc(r, v);
                return r;
            }
        }
        return v;
    }
    eg_val_copy_loc(r, v);
    return r;
}

const char *eg_kind_name(enum eg_kind k)
{
    static const char *const names[] = {"null",   "boolean", "integer",
                                        "number", "string",  "sequence",
                                        "mapping"};
    return (unsigned)k < EG_ARRAY_LEN(names) ? names[k] : "?";
}

const char *eg_val_text(const struct eg_texts *t, unsigned k,
                        const struct eg_val *v, size_t *len)
{
    if (v->tr && t && k >= 1 && k - 1 < t->nlocales && t->table[k - 1] &&
        v->u.str.tid < t->ntexts) {
        const char *s = t->table[k - 1][v->u.str.tid];
        *len = strlen(s);
        return s;
    }
    *len = v->u.str.len;
    return v->u.str.s;
}

/* ---- Writers ---- */

void eg_json_string(const char *s, size_t len, struct eg_sb *out)
{
    eg_sb_addc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': eg_sb_adds(out, "\\\""); break;
        case '\\': eg_sb_adds(out, "\\\\"); break;
        case '\n': eg_sb_adds(out, "\\n"); break;
        case '\t': eg_sb_adds(out, "\\t"); break;
        case '\r': eg_sb_adds(out, "\\r"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                eg_sb_addf(out, "\\u%04x", c);
            else
                eg_sb_addc(out, (char)c);
        }
    }
    eg_sb_addc(out, '"');
}

static void add_float(double f, struct eg_sb *out)
{
    char buf[40];
    if (isnan(f)) {
        eg_sb_adds(out, ".nan");
        return;
    }
    if (isinf(f)) {
        eg_sb_adds(out, f < 0 ? "-.inf" : ".inf");
        return;
    }
    /* Shortest representation that reads back to the same double. */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, f);
        if (strtod(buf, NULL) == f)
            break;
    }
    eg_sb_adds(out, buf);
}

/* Is key, found in m (v itself or one of its protos), hidden by a map
 * nearer to v in the chain? */
static int shadowed(const struct eg_val *v, const struct eg_val *m,
                    const char *key)
{
    for (; v != m; v = eg_map_proto(v))
        if (own_index(v, key) >= 0)
            return 1;
    return 0;
}

static size_t map_size(const struct eg_val *v)
{
    size_t n = 0;
    for (const struct eg_val *m = v; m; m = eg_map_proto(m))
        for (size_t i = 0; i < m->u.map.n; i++)
            n += !shadowed(v, m, eg_map_key(m, i)->u.str.s);
    return n;
}

/* What the writers carry down the tree: the tables and the locale tag in
 * force (value.h). */
struct wstate {
    const struct eg_texts *t;
    unsigned k;
};

static unsigned tag_of(const struct eg_val *v, unsigned k)
{
    return v->kind == EG_MAP && v->locale ? v->locale : k;
}

static void json_val(const struct eg_val *v, struct eg_sb *out, int depth,
                     struct wstate w)
{
    w.k = tag_of(v, w.k);
    switch (v->kind) {
    case EG_NULL: eg_sb_adds(out, "null"); break;
    case EG_BOOL: eg_sb_adds(out, v->u.b ? "true" : "false"); break;
    case EG_INT: eg_sb_addf(out, "%lld", v->u.i); break;
    case EG_FLOAT:
        if (isnan(v->u.f) || isinf(v->u.f))
            eg_sb_adds(out, "null");
        else
            add_float(v->u.f, out);
        break;
    case EG_STR: {
        size_t len;
        const char *s = eg_val_text(w.t, w.k, v, &len);
        eg_json_string(s, len, out);
        break;
    }
    case EG_SEQ:
        eg_sb_addc(out, '[');
        for (size_t i = 0; i < v->u.seq.n; i++) {
            if (i)
                eg_sb_addc(out, ',');
            json_val(v->u.seq.items[i], out, depth + 1, w);
        }
        eg_sb_addc(out, ']');
        break;
    case EG_MAP: {
        int first = 1;
        eg_sb_addc(out, '{');
        for (const struct eg_val *m = v; m; m = eg_map_proto(m)) {
            for (size_t i = 0; i < m->u.map.n; i++) {
                const struct eg_val *k = eg_map_key(m, i);
                if (shadowed(v, m, k->u.str.s))
                    continue;
                if (!first)
                    eg_sb_addc(out, ',');
                first = 0;
                eg_json_string(k->u.str.s, k->u.str.len, out);
                eg_sb_addc(out, ':');
                json_val(eg_map_val(m, i), out, depth + 1, w);
            }
        }
        eg_sb_addc(out, '}');
        break;
    }
    }
}

void eg_val_to_json_tr(const struct eg_val *v, const struct eg_texts *t,
                       struct eg_sb *out)
{
    struct wstate w = {t, 0};
    json_val(v, out, 0, w);
}

void eg_val_to_json(const struct eg_val *v, struct eg_sb *out)
{
    eg_val_to_json_tr(v, NULL, out);
}

/* A string may be written plain in YAML when it cannot be mistaken for
 * anything else; otherwise it is double-quoted with JSON escapes (JSON
 * strings are valid YAML double-quoted scalars). */
static int yaml_plain_ok(const char *s, size_t len)
{
    struct eg_val probe;
    struct eg_arena a;
    int ok;

    if (len == 0 || len != strlen(s))
        return 0;
    if (strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) || s[len - 1] == ' ')
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return 0;
        if (c == ':' && (i + 1 == len || s[i + 1] == ' '))
            return 0;
        if (c == '#' && s[i - 1] == ' ')
            return 0;
    }
    memset(&probe, 0, sizeof probe);
    probe.kind = EG_STR;
    probe.u.str.s = s;
    probe.u.str.len = len32(len);
    probe.plain = 1;
    eg_arena_init(&a);
    ok = eg_val_resolve(&a, &probe) == &probe;
    eg_arena_free(&a);
    return ok;
}

static void indent(struct eg_sb *out, int n)
{
    for (int i = 0; i < n; i++)
        eg_sb_adds(out, "  ");
}

static void yaml_scalar(const struct eg_val *v, struct eg_sb *out,
                        struct wstate w)
{
    if (v->kind == EG_STR) {
        size_t len;
        const char *s = eg_val_text(w.t, w.k, v, &len);
        if (yaml_plain_ok(s, len))
            eg_sb_add(out, s, len);
        else
            eg_json_string(s, len, out);
    } else if (v->kind == EG_FLOAT) {
        add_float(v->u.f, out);
    } else {
        json_val(v, out, 0, w);
    }
}

static int is_collection(const struct eg_val *v)
{
    return (v->kind == EG_SEQ && v->u.seq.n) ||
           (v->kind == EG_MAP && map_size(v));
}

static void yaml_val(const struct eg_val *v, struct eg_sb *out, int depth,
                     struct wstate w);

static void yaml_map_body(const struct eg_val *v, struct eg_sb *out, int depth,
                          int first_inline, struct wstate w)
{
    size_t shown = 0;
    w.k = tag_of(v, w.k);
    for (const struct eg_val *m = v; m; m = eg_map_proto(m))
        for (size_t i = 0; i < m->u.map.n; i++) {
            const struct eg_val *k = eg_map_key(m, i);
            const struct eg_val *val = eg_map_val(m, i);
            if (shadowed(v, m, k->u.str.s))
                continue;
            if (shown++ || !first_inline)
                indent(out, depth);
            yaml_scalar(k, out, w);
            eg_sb_addc(out, ':');
            if (is_collection(val)) {
                eg_sb_addc(out, '\n');
                yaml_val(val, out, val->kind == EG_SEQ ? depth : depth + 1, w);
            } else {
                eg_sb_addc(out, ' ');
                yaml_val(val, out, depth + 1, w);
            }
        }
}

static void yaml_val(const struct eg_val *v, struct eg_sb *out, int depth,
                     struct wstate w)
{
    if (v->kind == EG_MAP && map_size(v)) {
        yaml_map_body(v, out, depth, 0, w);
    } else if (v->kind == EG_SEQ && v->u.seq.n) {
        for (size_t i = 0; i < v->u.seq.n; i++) {
            const struct eg_val *item = v->u.seq.items[i];
            indent(out, depth);
            eg_sb_adds(out, "- ");
            if (item->kind == EG_MAP && map_size(item))
                yaml_map_body(item, out, depth + 1, 1, w);
            else if (item->kind == EG_SEQ && item->u.seq.n) {
                eg_sb_addc(out, '\n');
                yaml_val(item, out, depth + 1, w);
            } else {
                yaml_val(item, out, depth + 1, w);
            }
        }
    } else if (v->kind == EG_MAP) {
        eg_sb_adds(out, "{}\n");
    } else if (v->kind == EG_SEQ) {
        eg_sb_adds(out, "[]\n");
    } else {
        yaml_scalar(v, out, w);
        eg_sb_addc(out, '\n');
    }
}

void eg_val_to_yaml_tr(const struct eg_val *v, const struct eg_texts *t,
                       struct eg_sb *out)
{
    struct wstate w = {t, 0};
    yaml_val(v, out, 0, w);
}

void eg_val_to_yaml(const struct eg_val *v, struct eg_sb *out)
{
    eg_val_to_yaml_tr(v, NULL, out);
}
