/*
 * check.c - second stage: the loaded tree (load.c) becomes the model
 * (model.h), or diagnostics say why it cannot.
 *
 * Every mapping is read against the keys it may hold, so a typo is an
 * "unknown key, did you mean" error, not a silently ignored line.  Errors
 * are collected (up to the diagnostic cap) rather than stopping at the
 * first, so one run shows an author everything to fix.
 */
#include "model.h"
#include "render.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Events checked so far, chained by hash of name, of id and of task and
 * opcode, so that comparing a new event with those before it costs the
 * few that share one of them, not all of them (O(n) for n events, where
 * a plain loop was O(n^2): 10,000 events made 50 million comparisons). */
enum { BY_NAME, BY_ID, BY_TASK_OPCODE, NBY };
struct event_index {
    size_t mask;       /* buckets - 1 */
    size_t *head[NBY]; /* bucket -> latest event + 1, or 0 */
    size_t *next[NBY]; /* event -> previous in its bucket + 1, or 0 */
};

struct checker {
    struct eg_arena *a; /* what outlives the model: strings, string ids */
    struct eg_arena *m; /* the model (s->model) */
    /* What a check needs for a moment (YAML scalars read as numbers,
     * string id prefixes): emptied after each event. */
    struct eg_arena t;
    struct eg_schema *s;
    struct event_index ix;
};

/* ---- Reading mappings ---- */

static int is_text(const struct eg_val *v)
{
    return v && v->kind == EG_STR;
}

static const char *kind_of(struct checker *c, const struct eg_val *v)
{
    const struct eg_val *r = eg_val_resolve(&c->t, v);
    if (r->kind == EG_STR)
        return "a string";
    switch (r->kind) {
    case EG_NULL: return "nothing (null)";
    case EG_BOOL: return "a boolean";
    case EG_INT: return "an integer";
    case EG_FLOAT: return "a number";
    case EG_SEQ: return "a sequence";
    case EG_MAP: return "a mapping";
    default: return "a string";
    }
}

/* Report keys of map not in allowed[]; required[] must all be present. */
static int check_keys(struct checker *c, const struct eg_val *map,
                      const char *what, const char *const *allowed,
                      const char *const *required)
{
    int rc = 0;
    size_t nallowed = 0;
    (void)c;
    while (allowed[nallowed])
        nallowed++;
    for (size_t i = 0; i < map->u.map.n; i++) {
        const struct eg_val *k = map->u.map.pairs[i].key;
        size_t j;
        for (j = 0; j < nallowed; j++)
            if (strcmp(k->u.str.s, allowed[j]) == 0)
                break;
        if (j == nallowed) {
            const char *near = eg_closest(k->u.str.s, allowed, nallowed);
            if (strcmp(k->u.str.s, "<<") == 0 && k->plain)
                rc = eg_error(eg_val_loc(k),
                              "'<<' (a YAML 1.1 merge key) is not supported "
                              "in %s; write the keys out, or share values "
                              "with anchors and aliases (&name, *name)",
                              what);
            else if (near)
                rc = eg_error(eg_val_loc(k),
                              "unknown key '%s' in %s; did you mean "
                              "'%s'?",
                              k->u.str.s, what, near);
            else
                rc = eg_error(eg_val_loc(k), "unknown key '%s' in %s",
                              k->u.str.s, what);
        }
    }
    for (; required && *required; required++) {
        if (!eg_map_get(map, *required))
            rc = eg_error(eg_val_loc(map), "%s has no '%s'; it is required",
                          what, *required);
    }
    return rc;
}

static int expect_map(struct checker *c, const struct eg_val *v,
                      const char *what)
{
    if (v->kind == EG_MAP)
        return 0;
    return eg_error(eg_val_loc(v),
                    "%s must be a mapping (key: value lines), not %s", what,
                    kind_of(c, v));
}

static int expect_seq(struct checker *c, const struct eg_val *v,
                      const char *what)
{
    if (v->kind == EG_SEQ)
        return 0;
    return eg_error(eg_val_loc(v), "%s must be a sequence ('- ' items), not %s",
                    what, kind_of(c, v));
}

int eg_refuse_bad_chars(struct eg_loc loc, const char *what, const char *name,
                        const char *s, size_t len)
{
    unsigned cp;
    char buf[48];
    size_t at = eg_text_bad_char(s, len, &cp);
    if (at == len)
        return 0;
    return eg_error(loc,
                    "%s'%s' holds %s (byte %zu of the text); text may hold "
                    "tabs and line breaks but no other control character",
                    what, name, eg_bad_char_name(cp, buf), at + 1);
}

int eg_refuse_long_message(struct eg_loc loc, const char *what,
                           const char *name, const char *s)
{
    size_t units = eg_message_units(s, strlen(s));
    if (units <= EG_MAX_TEXT_UNITS)
        return 0;
    return eg_error(loc,
                    "%s'%s' is %zu UTF-16 characters long as a message; a "
                    "description may have %d (a manifest's message holds at "
                    "most 64 KiB)",
                    what, name, units, EG_MAX_TEXT_UNITS);
}

static int bad_chars(const struct eg_val *v, const char *name)
{
    return eg_refuse_bad_chars(eg_val_loc(v), "", name, v->u.str.s,
                               v->u.str.len);
}

/* A string-valued key.  Plain scalars that YAML would read as another type
 * (yes, 1.0, null) are refused: quote them. */
static int get_str(struct checker *c, const struct eg_val *map, const char *key,
                   const char **out, struct eg_loc *loc)
{
    const struct eg_val *v = eg_map_get(map, key);
    *out = NULL;
    if (!v)
        return 0;
    if (loc)
        *loc = eg_val_loc(v);
    if (!is_text(v) || eg_val_resolve(&c->t, v) != v)
        return eg_error(eg_val_loc(v), "'%s' must be a string, not %s%s", key,
                        kind_of(c, v),
                        v->kind == EG_STR ? "; put it in quotes" : "");
    if (bad_chars(v, key))
        return -1;
    *out = v->u.str.s;
    return 0;
}

static int get_int(struct checker *c, const struct eg_val *map, const char *key,
                   long long min, long long max, long long *out,
                   struct eg_loc *loc)
{
    const struct eg_val *v = eg_map_get(map, key);
    const struct eg_val *r;
    if (!v)
        return 0;
    if (loc)
        *loc = eg_val_loc(v);
    r = eg_val_resolve(&c->t, v);
    /* Digits too many for 64 bits read as a float: say what is wrong. */
    if (r->kind == EG_FLOAT && v->kind == EG_STR && v->plain &&
        v->u.str.s[strspn(v->u.str.s, "+-0123456789")] == '\0')
        return eg_error(eg_val_loc(v),
                        "'%s' is %s; it must be between %lld and %lld", key,
                        v->u.str.s, min, max);
    if (r->kind != EG_INT)
        return eg_error(eg_val_loc(v), "'%s' must be an integer, not %s", key,
                        kind_of(c, v));
    if (r->u.i < min || r->u.i > max)
        return eg_error(eg_val_loc(v),
                        "'%s' is %lld; it must be between %lld and "
                        "%lld",
                        key, r->u.i, min, max);
    *out = r->u.i;
    return 0;
}

static int is_c_ident(const char *s)
{
    if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

static int is_c_keyword(const char *s)
{
    static const char *const kw[] = {
        "auto",       "break",     "case",           "char",
        "const",      "continue",  "default",        "do",
        "double",     "else",      "enum",           "extern",
        "float",      "for",       "goto",           "if",
        "inline",     "int",       "long",           "register",
        "restrict",   "return",    "short",          "signed",
        "sizeof",     "static",    "struct",         "switch",
        "typedef",    "union",     "unsigned",       "void",
        "volatile",   "while",     "_Bool",          "_Complex",
        "_Imaginary", "_Alignas",  "_Alignof",       "_Atomic",
        "_Generic",   "_Noreturn", "_Static_assert", "_Thread_local",
        NULL};
    for (int i = 0; kw[i]; i++)
        if (strcmp(s, kw[i]) == 0)
            return 1;
    return 0;
}

/* A name that becomes a C identifier (and a file name, and a manifest
 * symbol): [A-Za-z_][A-Za-z0-9_]*, not a C keyword, not too long. */
static int get_name(struct checker *c, const struct eg_val *map,
                    const char *what, const char **out, struct eg_loc *loc)
{
    struct eg_loc l = eg_val_loc(map);
    if (get_str(c, map, "name", out, &l))
        return -1;
    if (loc)
        *loc = l;
    if (!*out)
        return -1; /* check_keys reported it: 'name' is always required */
    if (!is_c_ident(*out))
        return eg_error(l,
                        "%s name '%s' is not a valid C identifier (letters, "
                        "digits and '_', not starting with a digit)",
                        what, *out);
    if (is_c_keyword(*out))
        return eg_error(l, "%s name '%s' is a C keyword; choose another", what,
                        *out);
    if (strlen(*out) > 100)
        return eg_error(l, "%s name is %zu characters long; keep it under 100",
                        what, strlen(*out));
    return 0;
}

/* Grow an arena array by doubling; the old block stays in the arena. */
static void *grow(struct eg_arena *a, void *old, size_t n, size_t *cap,
                  size_t size)
{
    void *p;
    if (n < *cap)
        return old;
    *cap = *cap ? *cap * 2 : 16;
    p = eg_arena_alloc(a, *cap * size);
    if (n)
        memcpy(p, old, n * size);
    return p;
}

static void add_text(struct checker *c, struct eg_text *t)
{
    struct eg_schema *s = c->s;
    s->texts = grow(c->m, s->texts, s->ntexts, &s->captexts, sizeof(*s->texts));
    t->index = (uint32_t)s->ntexts;
    s->texts[s->ntexts++] = t;
}

/* A translatable text under key; its string id is prefix + "." + key. */
static int get_text(struct checker *c, const struct eg_val *map,
                    const char *key, const char *prefix, int required,
                    struct eg_text *t)
{
    t->text = NULL;
    t->loc = eg_val_loc(map);
    if (get_str(c, map, key, &t->text, &t->loc))
        return -1;
    if (!t->text) {
        if (required)
            return eg_error(eg_val_loc(map), "'%s' is required here", key);
        return 0;
    }
    if (!t->text[strspn(t->text, " \t\n")])
        return eg_error(t->loc,
                        "'%s' is blank; write the text, or leave the key "
                        "out",
                        key);
    t->id = eg_arena_printf(c->a, "%s.%s", prefix, key);
    add_text(c, t);
    return eg_refuse_long_message(t->loc, "", key, t->text);
}

/* ms.date's form: MM/DD/YYYY, a real month and day. */
static int check_date(const char *d, struct eg_loc loc)
{
    int m = 0, day = 0, y = 0;
    char end;
    if (strlen(d) == 10 && d[2] == '/' && d[5] == '/' &&
        sscanf(d, "%2d/%2d/%4d%c", &m, &day, &y, &end) == 3 && m >= 1 &&
        m <= 12 && day >= 1 && day <= 31 && y >= 1900 &&
        strspn(d, "0123456789/") == 10)
        return 0;
    return eg_error(loc,
                    "'%s' is not a date as the docs' ms.date writes it: "
                    "MM/DD/YYYY, as 05/31/2018",
                    d);
}

static int check_guid(const char *g, struct eg_loc loc)
{
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    size_t i;
    for (i = 0; g[i] && shape[i]; i++) {
        if (shape[i] == '-' ? g[i] != '-' : !isxdigit((unsigned char)g[i]))
            break;
    }
    if (i == sizeof shape - 1 && !g[i])
        return 0;
    return eg_error(loc,
                    "'%s' is not a GUID; write it as "
                    "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex digits, "
                    "no braces)",
                    g);
}

/* Inputs that land in depfiles. */
static void add_input(struct eg_arena *a, struct eg_schema *s, const char *p)
{
    s->inputs =
        grow(a, s->inputs, s->ninputs, &s->capinputs, sizeof(*s->inputs));
    s->inputs[s->ninputs++] = eg_arena_strdup(a, p);
}

/* ---- Sections ---- */

static int check_provider(struct checker *c, const struct eg_val *v)
{
    static const char *const keys[] = {
        "name",         "symbol",      "guid", "resource_file",
        "message_file", "description", NULL};
    static const char *const req[] = {"name", "symbol", "guid", NULL};
    struct eg_schema *s = c->s;
    struct eg_loc loc;
    int rc = 0;
    if (expect_map(c, v, "'provider'"))
        return -1;
    rc |= check_keys(c, v, "the provider", keys, req);
    rc |= get_str(c, v, "name", &s->provider_name, NULL);
    if (get_str(c, v, "symbol", &s->provider_symbol, &loc) == 0 &&
        s->provider_symbol && !is_c_ident(s->provider_symbol))
        rc = eg_error(loc, "provider symbol '%s' is not a valid C identifier",
                      s->provider_symbol);
    if (get_str(c, v, "guid", &s->provider_guid, &loc) == 0 && s->provider_guid)
        rc |= check_guid(s->provider_guid, loc);
    rc |= get_str(c, v, "resource_file", &s->resource_file, NULL);
    rc |= get_str(c, v, "message_file", &s->message_file, NULL);
    rc |=
        get_text(c, v, "description", "provider", 0, &s->provider_description);
    return rc ? -1 : 0;
}

/* tasks: and opcodes: share a shape. */
static int check_named_list(struct checker *c, const struct eg_val *v,
                            const char *section, const char *what,
                            long long min, long long max, int with_guid,
                            struct eg_named **out, size_t *n)
{
    static const char *const keys_guid[] = {"name", "value", "guid",
                                            "description", NULL};
    static const char *const keys[] = {"name", "value", "description", NULL};
    static const char *const req[] = {"name", "value", NULL};
    int rc = 0;
    if (expect_seq(c, v, section))
        return -1;
    *out = eg_arena_alloc(c->m, (v->u.seq.n + 1) * sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < v->u.seq.n; i++) {
        const struct eg_val *item = v->u.seq.items[i];
        struct eg_named *t = &(*out)[*n];
        struct eg_loc vloc = eg_val_loc(item);
        if (expect_map(c, item, what)) {
            rc = -1;
            continue;
        }
        t->loc = eg_val_loc(item);
        rc |= check_keys(c, item, what, with_guid ? keys_guid : keys, req);
        if (get_name(c, item, what, &t->name, &t->loc)) {
            rc = -1;
            continue;
        }
        rc |= get_int(c, item, "value", min, max, &t->value, &vloc);
        if (with_guid) {
            struct eg_loc gloc;
            if (get_str(c, item, "guid", &t->guid, &gloc))
                rc = -1;
            else if (t->guid && check_guid(t->guid, gloc))
                rc = -1;
        }
        rc |= get_text(c, item, "description",
                       eg_arena_printf(&c->t, "%s.%s", section, t->name), 0,
                       &t->description);
        for (size_t j = 0; j < *n; j++) {
            if (strcmp((*out)[j].name, t->name) == 0) {
                rc =
                    eg_error(t->loc, "%s '%s' is defined twice", what, t->name);
                eg_note((*out)[j].loc, "first defined here");
            } else if ((*out)[j].value == t->value &&
                       eg_map_get(item, "value")) {
                rc = eg_error(vloc,
                              "%s '%s' has value %lld, which %s '%s' "
                              "already has",
                              what, t->name, t->value, what, (*out)[j].name);
                eg_note((*out)[j].loc, "'%s' is defined here", (*out)[j].name);
            }
        }
        (*n)++;
    }
    return rc ? -1 : 0;
}

static int check_enums(struct checker *c, const struct eg_val *v)
{
    static const char *const keys[] = {"name", "header", "description",
                                       "values", NULL};
    static const char *const req[] = {"name", "values", NULL};
    static const char *const vkeys[] = {"name", "value", "description", NULL};
    static const char *const vreq[] = {"name", "value", NULL};
    struct eg_schema *s = c->s;
    int rc = 0;
    if (expect_seq(c, v, "'enums'"))
        return -1;
    s->enums = eg_arena_alloc(c->m, (v->u.seq.n + 1) * sizeof(*s->enums));
    for (size_t i = 0; i < v->u.seq.n; i++) {
        const struct eg_val *item = v->u.seq.items[i], *vals;
        struct eg_enum *e = &s->enums[s->nenums];
        const char *prefix;
        if (expect_map(c, item, "an enum")) {
            rc = -1;
            continue;
        }
        e->loc = eg_val_loc(item);
        rc |= check_keys(c, item, "an enum", keys, req);
        if (get_name(c, item, "enum", &e->name, &e->loc)) {
            rc = -1;
            continue;
        }
        for (size_t j = 0; j < s->nenums; j++)
            if (strcmp(s->enums[j].name, e->name) == 0) {
                rc = eg_error(e->loc, "enum '%s' is defined twice", e->name);
                eg_note(s->enums[j].loc, "first defined here");
            }
        prefix = eg_arena_printf(&c->t, "enums.%s", e->name);
        rc |= get_str(c, item, "header", &e->header, NULL);
        rc |= get_text(c, item, "description", prefix, 0, &e->description);
        vals = eg_map_get(item, "values");
        s->nenums++;
        if (!vals)
            continue;
        if (expect_seq(c, vals, "'values'")) {
            rc = -1;
            continue;
        }
        if (vals->u.seq.n == 0)
            rc = eg_error(eg_val_loc(vals), "enum '%s' has no values", e->name);
        e->values =
            eg_arena_alloc(c->m, (vals->u.seq.n + 1) * sizeof(*e->values));
        for (size_t k = 0; k < vals->u.seq.n; k++) {
            const struct eg_val *iv = vals->u.seq.items[k];
            struct eg_enum_value *ev = &e->values[e->nvalues];
            struct eg_loc vloc;
            if (expect_map(c, iv, "an enum value")) {
                rc = -1;
                continue;
            }
            ev->loc = eg_val_loc(iv);
            vloc = eg_val_loc(iv);
            rc |= check_keys(c, iv, "an enum value", vkeys, vreq);
            if (get_name(c, iv, "enum value", &ev->name, &ev->loc)) {
                rc = -1;
                continue;
            }
            if (get_int(c, iv, "value", 0, 0xffffffffLL, &ev->value, &vloc)) {
                rc = -1;
                continue;
            }
            rc |= get_text(
                c, iv, "description",
                eg_arena_printf(&c->t, "%s.values.%s", prefix, ev->name), 0,
                &ev->description);
            for (size_t j = 0; j < e->nvalues; j++) {
                if (strcmp(e->values[j].name, ev->name) == 0) {
                    rc = eg_error(ev->loc, "enum value '%s' is defined twice",
                                  ev->name);
                    eg_note(e->values[j].loc, "first defined here");
                } else if (e->values[j].value == ev->value) {
                    rc = eg_error(vloc,
                                  "'%s' has value %lld, which '%s' "
                                  "already has",
                                  ev->name, ev->value, e->values[j].name);
                    eg_note(e->values[j].loc, "'%s' is defined here",
                            e->values[j].name);
                }
            }
            /* Names are C constants in one namespace across enums. */
            for (size_t j = 0; j + 1 < s->nenums; j++)
                for (size_t m = 0; m < s->enums[j].nvalues; m++)
                    if (strcmp(s->enums[j].values[m].name, ev->name) == 0) {
                        rc = eg_error(ev->loc,
                                      "enum value '%s' is also "
                                      "defined in enum '%s'",
                                      ev->name, s->enums[j].name);
                        eg_note(s->enums[j].values[m].loc,
                                "first defined here");
                    }
            e->nvalues++;
        }
    }
    return rc ? -1 : 0;
}

static struct eg_named *find_named(struct eg_named *list, size_t n,
                                   const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0)
            return &list[i];
    return NULL;
}

static int unknown_ref(struct eg_loc loc, const char *what, const char *name,
                       const char *const *cands, size_t n, const char *where)
{
    const char *near = eg_closest(name, cands, n);
    if (near)
        return eg_error(loc, "no %s named '%s'; did you mean '%s'?", what, name,
                        near);
    if (n == 0)
        return eg_error(loc,
                        "no %s named '%s': the schema defines no %s "
                        "(add it under '%s')",
                        what, name, where, where);
    if (n <= 8) {
        /* Few choices: list them all. */
        struct eg_sb sb = EG_SB_INIT;
        for (size_t i = 0; i < n; i++)
            eg_sb_addf(&sb, "%s%s", i ? ", " : "", cands[i]);
        eg_error(loc, "no %s named '%s'; %s %s", what, name,
                 n == 1 ? "the only one is" : "the choices are", sb.buf);
        eg_sb_release(&sb);
        return -1;
    }
    return eg_error(loc, "no %s named '%s' (see '%s')", what, name, where);
}

static int ref_named(struct checker *c, const struct eg_val *map,
                     const char *key, const char *what, const char *where,
                     struct eg_named *list, size_t n, struct eg_named **out)
{
    const char *name;
    struct eg_loc loc;
    const char **cands;
    int rc;
    *out = NULL;
    if (get_str(c, map, key, &name, &loc) || !name)
        return name ? -1 : 0;
    if ((*out = find_named(list, n, name)))
        return 0;
    cands = xmalloc((n + 1) * sizeof(*cands));
    for (size_t i = 0; i < n; i++)
        cands[i] = list[i].name;
    rc = unknown_ref(loc, what, name, cands, n, where);
    free(cands);
    return rc;
}

static int parse_type(const char *name, enum eg_type *t)
{
    for (int i = 0; i < EG_T_COUNT; i++)
        if (strcmp(eg_types[i].name, name) == 0) {
            *t = (enum eg_type)i;
            return 0;
        }
    return -1;
}

static int check_field(struct checker *c, struct eg_event *ev,
                       const struct eg_val *item, const char *prefix)
{
    static const char *const keys[] = {"name",  "type",        "enum", "length",
                                       "since", "description", NULL};
    static const char *const req[] = {"name", "type", NULL};
    struct eg_schema *s = c->s;
    struct eg_field *f = &ev->fields[ev->nfields];
    const char *type, *ename;
    struct eg_loc loc;
    long long since = 0;
    int rc = 0;

    if (expect_map(c, item, "a field"))
        return -1;
    f->loc = eg_val_loc(item);
    f->length_field = -1;
    f->length_const = -1;
    rc |= check_keys(c, item, "a field", keys, req);
    if (get_name(c, item, "field", &f->name, &f->loc))
        return -1;
    for (size_t j = 0; j < ev->nfields; j++)
        if (strcmp(ev->fields[j].name, f->name) == 0) {
            eg_error(f->loc, "event '%s' has two fields named '%s'", ev->name,
                     f->name);
            eg_note(ev->fields[j].loc, "first defined here");
            return -1;
        }
    if (get_str(c, item, "type", &type, &f->type_loc) || !type)
        return -1;
    if (parse_type(type, &f->type)) {
        const char *names[EG_T_COUNT];
        const char *near;
        for (int i = 0; i < EG_T_COUNT; i++)
            names[i] = eg_types[i].name;
        near = eg_closest(type, names, EG_T_COUNT);
        for (size_t i = 0; i < s->nenums; i++)
            if (strcmp(s->enums[i].name, type) == 0)
                return eg_error(f->type_loc,
                                "'%s' is an enum, not a type; write the "
                                "integer type and 'enum: %s'",
                                type, type);
        if (near)
            return eg_error(f->type_loc,
                            "unknown type '%s'; did you mean "
                            "'%s'?",
                            type, near);
        return eg_error(f->type_loc,
                        "unknown type '%s'; the types are int8..int64, "
                        "uint8..uint64, hex8..hex64, pointer, size, bool, "
                        "float, double, guid, filetime, unicode_string, "
                        "ansi_string, binary",
                        type);
    }
    if (get_str(c, item, "enum", &ename, &loc))
        rc = -1;
    else if (ename) {
        const struct eg_type_info *ti = &eg_types[f->type];
        for (size_t i = 0; i < s->nenums; i++)
            if (strcmp(s->enums[i].name, ename) == 0)
                f->enumeration = &s->enums[i];
        if (!f->enumeration) {
            const char **cands = xmalloc((s->nenums + 1) * sizeof(*cands));
            for (size_t i = 0; i < s->nenums; i++)
                cands[i] = s->enums[i].name;
            rc = unknown_ref(loc, "enum", ename, cands, s->nenums, "enums");
            free(cands);
        } else if (!ti->is_integer || ti->size <= 0 || ti->size > 4 ||
                   ti->is_signed) {
            rc = eg_error(f->type_loc,
                          "field '%s' names an enum but its type is '%s'; an "
                          "enum field is uint8, uint16 or uint32",
                          f->name, type);
        } else {
            unsigned long long max =
                ti->size == 4 ? 0xffffffffULL : (1ULL << (8 * ti->size)) - 1;
            for (size_t i = 0; i < f->enumeration->nvalues; i++)
                if ((unsigned long long)f->enumeration->values[i].value > max) {
                    rc = eg_error(f->type_loc,
                                  "enum '%s' has value %s = %lld, which a "
                                  "'%s' cannot hold",
                                  ename, f->enumeration->values[i].name,
                                  f->enumeration->values[i].value, type);
                    eg_note(f->enumeration->values[i].loc, "defined here");
                    break;
                }
        }
    }
    {
        const struct eg_val *len = eg_map_get(item, "length");
        if (len && f->type != EG_T_BINARY) {
            rc = eg_error(eg_val_loc(len),
                          "'length' is only for binary fields; '%s' "
                          "is %s",
                          f->name, type);
        } else if (len) {
            const struct eg_val *r = eg_val_resolve(&c->t, len);
            if (r->kind == EG_INT) {
                if (r->u.i < 1 || r->u.i > 65535)
                    rc = eg_error(eg_val_loc(len),
                                  "a binary length is 1 to 65535 "
                                  "bytes, not %lld",
                                  r->u.i);
                else
                    f->length_const = r->u.i;
            } else if (is_text(len) && r == len) {
                size_t j;
                for (j = 0; j < ev->nfields; j++)
                    if (strcmp(ev->fields[j].name, len->u.str.s) == 0)
                        break;
                if (j == ev->nfields) {
                    int later = 0;
                    const char **cands =
                        xmalloc((ev->nfields + 1) * sizeof(*cands));
                    for (size_t k = 0; k < ev->nfields; k++)
                        cands[k] = ev->fields[k].name;
                    (void)later;
                    rc =
                        unknown_ref(eg_val_loc(len), "earlier field",
                                    len->u.str.s, cands, ev->nfields, "fields");
                    free(cands);
                } else if (!eg_types[ev->fields[j].type].is_integer ||
                           ev->fields[j].enumeration ||
                           eg_types[ev->fields[j].type].is_signed ||
                           eg_types[ev->fields[j].type].size == 8 ||
                           eg_types[ev->fields[j].type].size == 0) {
                    rc = eg_error(eg_val_loc(len),
                                  "length field '%s' is %s; a length is "
                                  "uint8, uint16 or uint32",
                                  len->u.str.s,
                                  eg_types[ev->fields[j].type].name);
                    eg_note(ev->fields[j].loc, "'%s' is defined here",
                            len->u.str.s);
                } else {
                    f->length_field = (int)j;
                }
            } else {
                rc = eg_error(eg_val_loc(len),
                              "'length' must name an earlier field "
                              "or be a byte count, not %s",
                              kind_of(c, len));
            }
        } else if (f->type == EG_T_BINARY) {
            rc = eg_error(f->type_loc,
                          "binary field '%s' needs 'length': the name of an "
                          "earlier integer field holding its size, or a byte "
                          "count",
                          f->name);
        }
    }
    if (get_int(c, item, "since", 0, 255, &since, &loc))
        rc = -1;
    f->since = (int)since;
    if (eg_map_get(item, "since") && since > ev->version)
        rc = eg_error(loc,
                      "field '%s' is added in version %lld, after the "
                      "event's version %d",
                      f->name, since, ev->version);
    if (ev->nfields && since < ev->fields[ev->nfields - 1].since)
        rc = eg_error(loc,
                      "field '%s' (since %lld) follows '%s' (since %d); "
                      "fields are only ever appended, so 'since' never "
                      "decreases",
                      f->name, since, ev->fields[ev->nfields - 1].name,
                      ev->fields[ev->nfields - 1].since);
    rc |= get_text(c, item, "description",
                   eg_arena_printf(&c->t, "%s.fields.%s", prefix, f->name), 0,
                   &f->description);
    ev->nfields++;
    return rc ? -1 : 0;
}

static int parse_level(struct checker *c, const struct eg_val *map, int *level)
{
    static const char *const names[] = {"always",  "critical",      "error",
                                        "warning", "informational", "verbose"};
    const char *name;
    struct eg_loc loc;
    const struct eg_val *v = eg_map_get(map, "level");
    *level = 4;
    /* A number is what ETW stores; the schema names it. */
    if (v && eg_val_resolve(&c->t, v)->kind == EG_INT)
        return eg_error(eg_val_loc(v),
                        "'level' is a name: always, critical, error, "
                        "warning, informational or verbose (0 to 5 in the "
                        "manifest)");
    if (get_str(c, map, "level", &name, &loc) || !name)
        return name ? -1 : 0;
    for (int i = 0; i < 6; i++)
        if (strcmp(name, names[i]) == 0) {
            *level = i;
            return 0;
        }
    return unknown_ref(loc, "level", name, names, 6, "level");
}

/* Whether a and b differ only in the case of ASCII letters. */
static int same_but_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Event e's bucket in chain `by`. */
static size_t bucket(const struct event_index *ix, const struct eg_event *e,
                     int by)
{
    unsigned long long h;
    if (by == BY_NAME) { /* by the name in lower case: see same_but_case */
        char low[128];
        size_t n = strlen(e->name);
        if (n >= sizeof low)
            n = sizeof low - 1;
        for (size_t i = 0; i < n; i++)
            low[i] = (char)tolower((unsigned char)e->name[i]);
        return (size_t)eg_hash(low, n) & ix->mask;
    }
    h = by == BY_ID ? (unsigned long long)e->id
                    : (uintptr_t)e->task * 31 + (uintptr_t)e->opcode;
    return (size_t)(h * 0x9E3779B97F4A7C15ull >> 17) & ix->mask;
}

/* Index event e (the i-th) in the chains whose bit is set in `in`. */
static void index_event(struct event_index *ix, const struct eg_event *e,
                        size_t i, unsigned in)
{
    for (int by = 0; by < NBY; by++) {
        size_t b = bucket(ix, e, by);
        if (!(in & 1u << by))
            continue; /* never reached: no head points to it */
        ix->next[by][i] = ix->head[by][b];
        ix->head[by][b] = i + 1;
    }
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The earlier events that share e's name, id or task and opcode bucket,
 * in schema order and each once, in *out (malloc'd); returns how many.
 * The chains hold only what a later event can clash with: an event with
 * a task and an opcode, the first of each name, of each id and version,
 * and of each task and opcode (check_event), so that 60,000 events
 * without a task, or all with the same name, are checked in linear time,
 * not quadratic. */
static size_t candidates(const struct event_index *ix, const struct eg_event *e,
                         size_t **out)
{
    size_t n = 0, cap = 8, k = 0;
    size_t *v = xmalloc(cap * sizeof(*v));
    for (int by = 0; by < NBY; by++) {
        if (by == BY_TASK_OPCODE && !(e->task && e->opcode))
            continue;
        for (size_t j = ix->head[by][bucket(ix, e, by)]; j;
             j = ix->next[by][j - 1]) {
            if (n == cap)
                v = xrealloc(v, (cap *= 2) * sizeof(*v));
            v[n++] = j - 1;
        }
    }
    qsort(v, n, sizeof(*v), cmp_size);
    for (size_t i = 0; i < n; i++) /* each once */
        if (k == 0 || v[k - 1] != v[i])
            v[k++] = v[i];
    *out = v;
    return k;
}

static int cmp_event_name(const void *a, const void *b)
{
    return strcmp((*(const struct eg_event *const *)a)->name,
                  (*(const struct eg_event *const *)b)->name);
}

static const struct eg_named *named_find(const struct eg_named *v, size_t n,
                                         const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

/* The manifest's symbols are one namespace (mc.exe makes C names of
 * them): the provider's symbol, task_NAME, opcode_NAME, each event's name
 * and NAME_vN for its older layouts (context.c).  An event named like one
 * of the others would give two elements the same symbol. */
static int check_symbols(struct checker *c)
{
    const struct eg_schema *s = c->s;
    const struct eg_event **by_name;
    int rc = 0;
    if (!s->nevents)
        return 0;
    by_name = xmalloc(s->nevents * sizeof(*by_name));
    for (size_t i = 0; i < s->nevents; i++)
        by_name[i] = &s->events[i];
    qsort(by_name, s->nevents, sizeof(*by_name), cmp_event_name);
    for (size_t i = 0; i < s->nevents && !eg_diag_too_many(); i++) {
        const struct eg_event *e = &s->events[i];
        const char *n = e->name, *v = strrchr(n, '_');
        const struct eg_named *t;
        if (s->provider_symbol && strcmp(n, s->provider_symbol) == 0)
            rc = eg_error(e->loc,
                          "event '%s' has the provider's symbol as its name; "
                          "the manifest's symbols must differ",
                          n);
        for (int k = 0; k < 2; k++) { /* task_NAME, opcode_NAME */
            const char *kind = k ? "opcode" : "task";
            size_t klen = strlen(kind);
            if (strncmp(n, kind, klen) == 0 && n[klen] == '_' &&
                (t = named_find(k ? s->opcodes : s->tasks,
                                k ? s->nopcodes : s->ntasks, n + klen + 1)))
                rc = eg_error(e->loc,
                              "event '%s' is named as the manifest names %s "
                              "'%s' (%s_NAME); the symbols must differ",
                              n, kind, t->name, kind);
        }
        /* NAME_vN: an older layout of event NAME when N < its version. */
        if (v && v[1] == 'v' && v[2] && strspn(v + 2, "0123456789") ==
                                            strlen(v + 2)) {
            struct eg_event key;
            const struct eg_event *kp = &key, **hit;
            key.name = eg_arena_strndup(&c->t, n, (size_t)(v - n));
            hit = bsearch(&kp, by_name, s->nevents, sizeof(*by_name),
                          cmp_event_name);
            if (hit && atol(v + 2) < (*hit)->version)
                rc = eg_error(e->loc,
                              "event '%s' is named as the manifest names an "
                              "older layout of event '%s' (NAME_vN); the "
                              "symbols must differ",
                              n, (*hit)->name);
        }
    }
    eg_arena_reset(&c->t);
    free(by_name);
    return rc;
}

static int check_event(struct checker *c, const struct eg_val *item)
{
    static const char *const keys[] = {
        "name",        "id",      "version", "task",   "opcode", "level",
        "description", "message", "doc",     "fields", NULL};
    static const char *const req[] = {"name", "id", "fields", NULL};
    static const char *const dkeys[] = {"assetid", "date", "summary", "remarks",
                                        NULL};
    struct eg_schema *s = c->s;
    struct eg_event *ev = &s->events[s->nevents];
    const struct eg_val *fields, *doc;
    const char *prefix;
    long long version = 0;
    int rc = 0;

    if (expect_map(c, item, "an event"))
        return -1;
    ev->loc = eg_val_loc(item);
    rc |= check_keys(c, item, "an event", keys, req);
    if (get_name(c, item, "event", &ev->name, &ev->loc))
        return -1;
    prefix = eg_arena_printf(&c->t, "events.%s", ev->name);
    ev->id_loc = ev->version_loc = ev->loc;
    rc |= get_int(c, item, "id", 0, 65535, &ev->id, &ev->id_loc);
    rc |= get_int(c, item, "version", 0, 255, &version, &ev->version_loc);
    ev->version = (int)version;
    rc |= ref_named(c, item, "task", "task", "tasks", s->tasks, s->ntasks,
                    &ev->task);
    rc |= ref_named(c, item, "opcode", "opcode", "opcodes", s->opcodes,
                    s->nopcodes, &ev->opcode);
    rc |= parse_level(c, item, &ev->level);
    rc |= get_text(c, item, "description", prefix, 0, &ev->description);
    rc |= get_text(c, item, "message", prefix, 0, &ev->message);
    ev->message.is_message = 1;
    if ((doc = eg_map_get(item, "doc"))) {
        if (expect_map(c, doc, "'doc'") == 0) {
            const char *dprefix = eg_arena_printf(&c->t, "%s.doc", prefix);
            rc |= check_keys(c, doc, "'doc'", dkeys, NULL);
            struct eg_loc aloc, dloc;
            rc |= get_str(c, doc, "assetid", &ev->assetid, &aloc);
            if (ev->assetid)
                rc |= check_guid(ev->assetid, aloc);
            rc |= get_str(c, doc, "date", &ev->date, &dloc);
            if (ev->date)
                rc |= check_date(ev->date, dloc);
            rc |= get_text(c, doc, "summary", dprefix, 0, &ev->summary);
            rc |= get_text(c, doc, "remarks", dprefix, 0, &ev->remarks);
        } else {
            rc = -1;
        }
    }
    {
        size_t *cand, ncand = candidates(&c->ix, ev, &cand);
        unsigned in = 1u << BY_NAME | 1u << BY_ID;
        if (ev->task && ev->opcode)
            in |= 1u << BY_TASK_OPCODE;
        for (size_t ci = 0; ci < ncand; ci++) {
            struct eg_event *o = &s->events[cand[ci]];
            if (same_but_case(o->name, ev->name))
                in &= ~(1u << BY_NAME);
            if (o->id == ev->id && o->version == ev->version)
                in &= ~(1u << BY_ID);
            if (ev->opcode && o->opcode == ev->opcode && ev->task &&
                o->task == ev->task)
                in &= ~(1u << BY_TASK_OPCODE);
            if (strcmp(o->name, ev->name) == 0) {
                rc = eg_error(ev->loc, "event '%s' is defined twice", ev->name);
                eg_note(o->loc, "first defined here");
            } else if (same_but_case(o->name, ev->name)) {
                rc = eg_error(ev->loc,
                              "event '%s' differs from event '%s' only in "
                              "case; the file names and C names made from "
                              "them (lower case) would be the same",
                              ev->name, o->name);
                eg_note(o->loc, "'%s' is defined here", o->name);
            } else if (o->id == ev->id && o->version == ev->version) {
                rc = eg_error(ev->id_loc,
                              "event '%s' has id %lld version %d, "
                              "which event '%s' already has",
                              ev->name, ev->id, ev->version, o->name);
                eg_note(o->loc, "'%s' is defined here", o->name);
            } else if (o->id == ev->id) {
                rc = eg_error(ev->id_loc,
                              "event '%s' reuses id %lld of event "
                              "'%s'; each event has its own id "
                              "(versions of one event share it)",
                              ev->name, ev->id, o->name);
                eg_note(o->loc, "'%s' is defined here", o->name);
            }
            if (ev->opcode && o->opcode == ev->opcode && ev->task &&
                o->task == ev->task && !(o->id == ev->id)) {
                rc = eg_error(ev->loc,
                              "events '%s' and '%s' have the same task "
                              "and opcode, so a consumer cannot tell "
                              "them apart",
                              o->name, ev->name);
                eg_note(o->loc, "'%s' is defined here", o->name);
            }
        }
        free(cand);
        index_event(&c->ix, ev, s->nevents, in);
    }
    fields = eg_map_get(item, "fields");
    s->nevents++;
    if (!fields)
        return -1;
    if (expect_seq(c, fields, "'fields'"))
        return -1;
    ev->fields =
        eg_arena_alloc(c->m, (fields->u.seq.n + 1) * sizeof(*ev->fields));
    for (size_t i = 0; i < fields->u.seq.n; i++) {
        if (eg_diag_too_many())
            return -1;
        rc |= check_field(c, ev, fields->u.seq.items[i], prefix);
    }
    if (ev->nfields > 128)
        rc = eg_error(eg_val_loc(fields),
                      "event '%s' has %zu fields; ETW allows at "
                      "most 128",
                      ev->name, ev->nfields);
    if (ev->message.text) {
        /* %n insertions must name a field that exists in every version:
         * all of an event's versions share its message. */
        size_t oldest = 0;
        const char *p = ev->message.text;
        while (oldest < ev->nfields &&
               ev->fields[oldest].since == ev->fields[0].since)
            oldest++;
        size_t bad = eg_message_bad_percent(p);
        if (p[bad])
            rc = eg_error(ev->message.loc,
                          "message of '%s' has '%.2s', which FormatMessage "
                          "does not show as written: a message inserts "
                          "fields with %%1..%%n and writes a percent sign "
                          "as %%%% (and a line break as %%n)",
                          ev->name, p + bad);
        for (; (p = strchr(p, '%')); p++) {
            if (p[1] == '%' || (p[1] && !isdigit((unsigned char)p[1]))) {
                p++;
                continue;
            }
            if (isdigit((unsigned char)p[1])) {
                long n = strtol(p + 1, NULL, 10);
                if (strspn(p + 1, "0123456789") > 2) {
                    rc = eg_error(ev->message.loc,
                                  "message of '%s' has '%%%.*s': FormatMessage "
                                  "reads at most two digits (%%1..%%99)",
                                  ev->name, (int)strspn(p + 1, "0123456789"),
                                  p + 1);
                    break;
                }
                if (n < 1 || (size_t)n > ev->nfields) {
                    rc = eg_error(ev->message.loc,
                                  "message of '%s' inserts %%%ld, but the "
                                  "event has %zu field%s (%%1..%%%zu)",
                                  ev->name, n, ev->nfields,
                                  ev->nfields == 1 ? "" : "s", ev->nfields);
                    break;
                }
                if ((size_t)n > oldest) {
                    rc = eg_error(ev->message.loc,
                                  "message of '%s' inserts %%%ld, field '%s' "
                                  "added in version %d, but every version "
                                  "shares the message and the oldest has "
                                  "%zu field%s",
                                  ev->name, n, ev->fields[n - 1].name,
                                  ev->fields[n - 1].since, oldest,
                                  oldest == 1 ? "" : "s");
                    eg_note(ev->fields[n - 1].loc, "'%s' is defined here",
                            ev->fields[n - 1].name);
                    break;
                }
            }
        }
    }
    return rc ? -1 : 0;
}

/* docs: and strings: are free-form for templates, but their text is
 * translatable: every string leaf gets an id from its path. */
static int collect_texts(struct checker *c, const struct eg_val *v,
                         const char *path)
{
    int rc = 0;
    if (v->kind == EG_MAP) {
        for (size_t i = 0; i < v->u.map.n; i++) {
            const struct eg_val *key = v->u.map.pairs[i].key;
            const char *k = key->u.str.s;
            if (memchr(k, '\0', key->u.str.len)) {
                rc = eg_error(eg_val_loc(key),
                              "key '%s...' holds a NUL character", k);
                continue;
            }
            /* Templates name it as a.b.c and string ids join with '.', so
             * "a.b" would be both a.b and a key of a. */
            if (strchr(k, '.') || !*k) {
                rc = eg_error(eg_val_loc(key),
                              "key '%s' %s; templates and string "
                              "ids could not tell it apart",
                              k, *k ? "contains '.'" : "is empty");
                continue;
            }
            /* A key is a word of a string id, which locale files and
             * `evgen strings` write as a plain YAML key. */
            if (k[strspn(k, "abcdefghijklmnopqrstuvwxyz"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")]) {
                rc = eg_error(eg_val_loc(key),
                              "key '%s' is part of a string id: use letters, "
                              "digits, '_' and '-' only",
                              k);
                continue;
            }
            rc |= collect_texts(c, v->u.map.pairs[i].val,
                                eg_arena_printf(c->a, "%s.%s", path, k));
        }
    } else if (v->kind == EG_SEQ) {
        for (size_t i = 0; i < v->u.seq.n; i++)
            rc |= collect_texts(c, v->u.seq.items[i],
                                eg_arena_printf(c->a, "%s.%zu", path, i));
    } else if (v->kind == EG_STR && eg_val_resolve(&c->t, v) == v) {
        struct eg_text *t;
        const char *last = strrchr(path, '.');
        if (bad_chars(v, path))
            return -1;
        /* Keys that name page metadata hold it in its one form (front
         * matter writes them as they are). */
        last = last ? last + 1 : path;
        if (strcmp(last, "date") == 0 && check_date(v->u.str.s, eg_val_loc(v)))
            return -1;
        if (strcmp(last, "assetid") == 0 &&
            check_guid(v->u.str.s, eg_val_loc(v)))
            return -1;
        t = eg_arena_alloc(c->m, sizeof(*t));
        t->id = path;
        t->text = v->u.str.s;
        t->loc = eg_val_loc(v);
        add_text(c, t);
    }
    return rc;
}

void eg_schema_drop_index(struct eg_schema *s)
{
    free(s->text_index);
    free(s->text_index_hash);
    free(s->text_hashes);
    s->text_index = NULL;
    s->text_index_hash = NULL;
    s->text_index_cap = 0; /* eg_schema_text finds nothing */
    s->text_hashes = NULL;
}

void eg_schema_drop_model(struct eg_schema *s)
{
    eg_schema_drop_index(s);
    eg_arena_release(&s->model);
    s->tasks = s->opcodes = NULL;
    s->enums = NULL;
    s->events = NULL;
    s->texts = NULL;
    s->captexts = 0;
}

/* A schema that failed: its model goes, and the caller gets NULL. */
static struct eg_schema *failed(struct eg_schema *s)
{
    eg_schema_drop_model(s);
    return NULL;
}

struct eg_schema *eg_schema_check(struct eg_arena *a, const char *file,
                                  struct eg_val *root)
{
    static const char *const keys[] = {"evgen",   "name",  "provider", "tasks",
                                       "opcodes", "enums", "events",   "docs",
                                       "strings", NULL};
    static const char *const req[] = {"evgen", "name", "provider", "events",
                                      NULL};
    struct checker c;
    struct eg_schema *s = eg_arena_alloc(a, sizeof(*s));
    const struct eg_val *v;
    long long fmt = 0;
    int rc = 0, errors_before = eg_diag_errors();

    memset(&c, 0, sizeof c);
    eg_arena_init(&s->model);
    eg_arena_init(&c.t);
    c.a = a;
    c.m = &s->model;
    c.s = s;
    s->file = file;
    s->root = root;
    if (root->kind == EG_NULL) {
        eg_error(eg_val_loc(root),
                 "the schema is empty; it needs at least 'evgen', "
                 "'name', 'provider' and 'events'");
        return failed(s);
    }
    if (expect_map(&c, root, "a schema")) {
        eg_arena_free(&c.t);
        return failed(s);
    }
    rc |= check_keys(&c, root, "the schema", keys, req);
    {
        const struct eg_val *f = eg_map_get(root, "evgen");
        const struct eg_val *r = f ? eg_val_resolve(&c.t, f) : NULL;
        if (r && r->kind == EG_INT && r->u.i != 1)
            rc = eg_error(eg_val_loc(f),
                          "this schema is in format %lld; this evgen "
                          "reads format 1 ('evgen: 1')",
                          r->u.i);
        else if (get_int(&c, root, "evgen", 1, 1, &fmt, NULL))
            rc = -1;
    }
    if (get_name(&c, root, "schema", &s->name, NULL))
        rc = -1;
    if ((v = eg_map_get(root, "provider")))
        rc |= check_provider(&c, v);
    if ((v = eg_map_get(root, "tasks")))
        rc |= check_named_list(&c, v, "tasks", "task", 1, 65535, 1, &s->tasks,
                               &s->ntasks);
    if ((v = eg_map_get(root, "opcodes")))
        rc |= check_named_list(&c, v, "opcodes", "opcode", 10, 239, 0,
                               &s->opcodes, &s->nopcodes);
    if ((v = eg_map_get(root, "enums")))
        rc |= check_enums(&c, v);
    if ((v = eg_map_get(root, "events"))) {
        if (expect_seq(&c, v, "'events'") == 0) {
            if (v->u.seq.n == 0)
                rc = eg_error(eg_val_loc(v), "the schema has no events");
            size_t nb = 16;
            s->events =
                eg_arena_alloc(c.m, (v->u.seq.n + 1) * sizeof(*s->events));
            while (nb < 2 * v->u.seq.n)
                nb *= 2;
            c.ix.mask = nb - 1;
            for (int by = 0; by < NBY; by++) {
                c.ix.head[by] = xcalloc(nb, sizeof(size_t));
                c.ix.next[by] = xcalloc(v->u.seq.n + 1, sizeof(size_t));
            }
            for (size_t i = 0; i < v->u.seq.n && !eg_diag_too_many(); i++) {
                rc |= check_event(&c, v->u.seq.items[i]);
                eg_arena_reset(&c.t);
            }
            for (int by = 0; by < NBY; by++) {
                free(c.ix.head[by]);
                free(c.ix.next[by]);
            }
            if (!rc)
                rc |= check_symbols(&c);
        } else {
            rc = -1;
        }
    }
    if ((v = eg_map_get(root, "docs"))) {
        if (expect_map(&c, v, "'docs'") == 0)
            rc |= collect_texts(&c, v, "docs");
        else
            rc = -1;
    }
    if ((v = eg_map_get(root, "strings"))) {
        if (expect_map(&c, v, "'strings'") == 0) {
            for (size_t i = 0; i < v->u.map.n; i++) {
                const struct eg_pair *p = &v->u.map.pairs[i];
                if (!is_c_ident(p->key->u.str.s))
                    rc = eg_error(eg_val_loc(p->key),
                                  "string name '%s' is not an identifier "
                                  "(letters, digits, '_'): templates "
                                  "refer to it as strings.NAME",
                                  p->key->u.str.s);
                else if (!is_text(p->val) ||
                         eg_val_resolve(&c.t, p->val) != p->val)
                    rc = eg_error(eg_val_loc(p->val),
                                  "string '%s' must be text, "
                                  "not %s; put it in quotes",
                                  p->key->u.str.s, kind_of(&c, p->val));
                /* Each is a template (README): a syntax error shows here,
                 * not once per output that interpolates it. */
                else if (eg_template_check_at(eg_val_loc(p->val),
                                              p->val->u.str.s,
                                              p->val->u.str.len))
                    rc = -1;
            }
            rc |= collect_texts(&c, v, "strings");
        } else {
            rc = -1;
        }
    }
    eg_arena_free(&c.t);
    if (rc || eg_diag_errors() > errors_before)
        return failed(s);
    return s;
}

/* ---- The front end ---- */

#include "load.h"

/* Give the keys of tree v a copy of their text in a. */
static void own_keys(struct eg_arena *a, struct eg_val *v)
{
    if (v->kind == EG_SEQ) {
        for (size_t i = 0; i < v->u.seq.n; i++)
            own_keys(a, v->u.seq.items[i]);
    } else if (v->kind == EG_MAP) {
        for (size_t i = 0; i < v->u.map.n; i++) {
            struct eg_val *k = v->u.map.pairs[i].key;
            k->u.str.s = eg_arena_strndup(a, k->u.str.s, k->u.str.len);
            own_keys(a, v->u.map.pairs[i].val);
        }
    }
}

/* The sections context.c copies as they are: kept when the tree goes
 * (eg_load_file_split: its keys' text too). */
static struct eg_val *free_form_sections(struct eg_arena *a,
                                         const struct eg_val *root)
{
    static const char *const keep[] = {"docs", "strings"};
    struct eg_val *r = eg_val_map(a);
    eg_val_copy_loc(r, root);
    for (size_t i = 0; i < EG_ARRAY_LEN(keep); i++) {
        const struct eg_pair *p = eg_map_pair(root, keep[i]);
        if (p)
            eg_map_add(a, r, eg_val_copy(a, p->key), eg_val_copy(a, p->val));
    }
    own_keys(a, r);
    return r;
}

struct eg_schema *eg_schema_load(struct eg_arena *a, const char *path)
{
    /* The tree costs several times the file's size, and once checked
     * the model has what later stages need (its strings are in a): only
     * the free-form sections are copied out before the nodes go. */
    struct eg_arena nodes;
    struct eg_val *root;
    struct eg_schema *s = NULL;
    /* The translations start being read now, on the other cores. */
    struct eg_locales_ahead *ahead = eg_locales_ahead(path);
    int rc;
    eg_arena_init(&nodes);
    root = eg_load_file_split(a, &nodes, path);
    if (root) {
        eg_stats("load");
        s = eg_schema_check(a, eg_arena_strdup(a, path), root);
        if (s)
            s->root = free_form_sections(a, root);
    }
    eg_arena_free(&nodes);
    eg_locales_ahead_open(ahead);
    if (!s) {
        eg_locales_ahead_free(ahead);
        return NULL;
    }
    eg_stats("check");
    add_input(a, s, path);
    rc = eg_locales_load(a, s, ahead);
    eg_locales_ahead_free(ahead);
    if (rc)
        return failed(s);
    eg_stats("locales");
    return s;
}

void eg_schema_add_input(struct eg_arena *a, struct eg_schema *s,
                         const char *path)
{
    add_input(a, s, path);
}
