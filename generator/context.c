/*
 * context.c - third stage: the checked model (model.h) becomes the data
 * tree templates read (value.h), once per locale.
 *
 * Everything a template could want is computed here, once, in C, so that
 * templates stay logic-less: payload offsets and sizes for both pointer
 * widths, per-type flags to branch on (is_ustring, is_pointer_sized...),
 * first/last markers for separators, upper/lower case and slug spellings
 * of names, every version's layout, and every text in the locale asked
 * for.  `evgen context SCHEMA` prints the tree; the README documents it.
 */
#include "context.h"

#include <ctype.h>
#include <string.h>

#define EVGEN_VERSION_STRING "0.1.0"

struct ctx {
    struct eg_arena *a;
    const struct eg_schema *s;
    const struct eg_locale *loc; /* NULL = English */
};

static struct eg_val *S(struct ctx *c, const char *s)
{
    return eg_val_str(c->a, s ? s : "");
}

static struct eg_val *B(struct ctx *c, int b)
{
    return eg_val_bool(c->a, b);
}

static struct eg_val *I(struct ctx *c, long long i)
{
    return eg_val_int(c->a, i);
}

static void set(struct ctx *c, struct eg_val *m, const char *k,
                struct eg_val *v)
{
    eg_map_set(c->a, m, k, v);
}

static char *upper(struct ctx *c, const char *s)
{
    char *r = eg_arena_strdup(c->a, s);
    for (char *p = r; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return r;
}

static char *lower(struct ctx *c, const char *s)
{
    char *r = eg_arena_strdup(c->a, s);
    for (char *p = r; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return r;
}

/* ETW_HEAP_EVENT_ALLOC -> etw-heap-event-alloc: the docs' page names. */
static char *slug(struct ctx *c, const char *s)
{
    char *r = lower(c, s);
    for (char *p = r; *p; p++)
        if (*p == '_')
            *p = '-';
    return r;
}

/* A translatable text: `key` holds the (translated) text, `key_id` its
 * string id, `has_key` whether the schema gave one. */
static void text(struct ctx *c, struct eg_val *m, const char *key,
                 const struct eg_text *t)
{
    const char *tr = eg_translate(c->loc, t);
    set(c, m, key, S(c, tr));
    set(c, m, eg_arena_printf(c->a, "%s_id", key), S(c, t->id));
    set(c, m, eg_arena_printf(c->a, "has_%s", key), B(c, tr && *tr));
}

static void mark_ends(struct ctx *c, struct eg_val *seq);

/* Sequences in docs: get first/last markers when they hold mappings. */
static void mark_ends_if_maps(struct ctx *c, struct eg_val *seq)
{
    for (size_t i = 0; i < seq->u.seq.n; i++)
        if (seq->u.seq.items[i]->kind != EG_MAP)
            return;
    mark_ends(c, seq);
}

static void mark_ends(struct ctx *c, struct eg_val *seq)
{
    for (size_t i = 0; i < seq->u.seq.n; i++) {
        struct eg_val *m = seq->u.seq.items[i];
        set(c, m, "index", I(c, (long long)i));
        set(c, m, "first", B(c, i == 0));
        set(c, m, "last", B(c, i + 1 == seq->u.seq.n));
    }
}

/* {0x222962ab, 0x6180, 0x4b88, {0xa8, 0x25, ...}} from the text form. */
static struct eg_val *guid_c(struct ctx *c, const char *g)
{
    struct eg_sb sb = EG_SB_INIT;
    struct eg_val *v;
    eg_sb_addf(&sb, "{0x%.8s, 0x%.4s, 0x%.4s, {", g, g + 9, g + 14);
    for (int i = 0; i < 8; i++) {
        const char *p = i < 2 ? g + 19 + 2 * i : g + 24 + 2 * (i - 2);
        eg_sb_addf(&sb, "%s0x%.2s", i ? ", " : "", p);
    }
    eg_sb_adds(&sb, "}}");
    v = eg_val_str(c->a, lower(c, sb.buf));
    eg_sb_release(&sb);
    return v;
}

static struct eg_val *named(struct ctx *c, const struct eg_named *n,
                            const char *kind)
{
    struct eg_val *m = eg_val_map(c->a);
    set(c, m, "name", S(c, n->name));
    set(c, m, "NAME", S(c, upper(c, n->name)));
    set(c, m, "value", I(c, n->value));
    set(c, m, "symbol", S(c, eg_arena_printf(c->a, "%s_%s", kind, n->name)));
    set(c, m, "guid", S(c, n->guid ? lower(c, n->guid) : ""));
    set(c, m, "has_guid", B(c, n->guid != NULL));
    text(c, m, "description", &n->description);
    return m;
}

static struct eg_val *enum_val(struct ctx *c, const struct eg_enum *e)
{
    struct eg_val *m = eg_val_map(c->a), *vals = eg_val_seq(c->a);
    set(c, m, "name", S(c, e->name));
    set(c, m, "lower", S(c, lower(c, e->name)));
    set(c, m, "header", S(c, e->header));
    set(c, m, "has_header", B(c, e->header != NULL));
    text(c, m, "description", &e->description);
    for (size_t i = 0; i < e->nvalues; i++) {
        const struct eg_enum_value *ev = &e->values[i];
        struct eg_val *vm = eg_val_map(c->a);
        set(c, vm, "name", S(c, ev->name));
        set(c, vm, "anchor", S(c, lower(c, ev->name)));
        set(c, vm, "value", I(c, ev->value));
        set(c, vm, "hex", eg_val_strf(c->a, "0x%llX", ev->value));
        text(c, vm, "description", &ev->description);
        eg_seq_push(c->a, vals, vm);
    }
    mark_ends(c, vals);
    set(c, m, "values", vals);
    set(c, m, "count", I(c, (long long)e->nvalues));
    {
        long long min = 0, max = 0;
        for (size_t i = 0; i < e->nvalues; i++) {
            if (i == 0 || e->values[i].value < min)
                min = e->values[i].value;
            if (i == 0 || e->values[i].value > max)
                max = e->values[i].value;
        }
        set(c, m, "min", I(c, min));
        set(c, m, "max", I(c, max));
    }
    return m;
}

static struct eg_val *find_by_name(struct eg_val *seq, const char *name)
{
    for (size_t i = 0; i < seq->u.seq.n; i++) {
        struct eg_val *n = eg_map_get(seq->u.seq.items[i], "name");
        if (n && strcmp(n->u.str.s, name) == 0)
            return seq->u.seq.items[i];
    }
    return NULL;
}

/* One field, with its place in the payload at both pointer widths as far
 * as it is fixed (offsets after a variable-length field are not). */
static struct eg_val *field_val(struct ctx *c, const struct eg_event *ev,
                                size_t i, struct eg_val *enums,
                                long long off[2], int *fixed_so_far)
{
    const struct eg_field *f = &ev->fields[i];
    const struct eg_type_info *ti = &eg_types[f->type];
    struct eg_val *m = eg_val_map(c->a);
    int s4 = eg_field_size(f, 4), s8 = eg_field_size(f, 8);
    int variable = s4 < 0;

    set(c, m, "name", S(c, f->name));
    set(c, m, "lower", S(c, lower(c, f->name)));
    set(c, m, "number", I(c, (long long)i + 1));
    set(c, m, "type", S(c, ti->name));
    set(c, m, "codec", S(c, ti->codec));
    set(c, m, "c_type", S(c, ti->c_type));
    set(c, m, "win_type", S(c, ti->win_type));
    set(c, m, "in_type", S(c, ti->in_type));
    set(c, m, "out_type", S(c, ti->out_type));
    set(c, m, "has_out_type", B(c, ti->out_type != NULL));
    set(c, m, "size32", I(c, variable ? 0 : s4));
    set(c, m, "size64", I(c, variable ? 0 : s8));
    set(c, m, "size", I(c, ti->size > 0 ? ti->size : 0));
    set(c, m, "is_fixed", B(c, !variable));
    set(c, m, "is_variable", B(c, variable));
    set(c, m, "is_pointer_sized", B(c, ti->size == 0));
    set(c, m, "is_pointer", B(c, f->type == EG_T_POINTER));
    set(c, m, "is_size", B(c, f->type == EG_T_SIZE));
    set(c, m, "is_integer", B(c, ti->is_integer && ti->size > 0));
    set(c, m, "is_signed", B(c, ti->is_signed && ti->is_integer));
    set(c, m, "is_hex", B(c, f->type >= EG_T_HEX8 && f->type <= EG_T_HEX64));
    set(c, m, "is_bool", B(c, f->type == EG_T_BOOL));
    set(c, m, "is_float", B(c, f->type == EG_T_FLOAT));
    set(c, m, "is_double", B(c, f->type == EG_T_DOUBLE));
    set(c, m, "is_guid", B(c, f->type == EG_T_GUID));
    set(c, m, "is_filetime", B(c, f->type == EG_T_FILETIME));
    set(c, m, "is_string", B(c, f->type == EG_T_USTRING ||
                                    f->type == EG_T_ASTRING));
    set(c, m, "is_ustring", B(c, f->type == EG_T_USTRING));
    set(c, m, "is_astring", B(c, f->type == EG_T_ASTRING));
    set(c, m, "is_binary", B(c, f->type == EG_T_BINARY));
    set(c, m, "has_fixed_offset", B(c, *fixed_so_far));
    set(c, m, "offset32", I(c, *fixed_so_far ? off[0] : 0));
    set(c, m, "offset64", I(c, *fixed_so_far ? off[1] : 0));
    if (variable)
        *fixed_so_far = 0;
    else {
        off[0] += s4;
        off[1] += s8;
    }
    if (f->enumeration) {
        set(c, m, "enum", find_by_name(enums, f->enumeration->name));
        set(c, m, "has_enum", B(c, 1));
    } else {
        set(c, m, "enum", B(c, 0));
        set(c, m, "has_enum", B(c, 0));
    }
    set(c, m, "has_length_field", B(c, f->length_field >= 0));
    set(c, m, "length_field",
        S(c, f->length_field >= 0 ? ev->fields[f->length_field].name : ""));
    set(c, m, "has_length_const", B(c, f->length_const >= 0));
    set(c, m, "length_const", I(c, f->length_const >= 0 ? f->length_const : 0));
    {
        const char *of = NULL;
        for (size_t j = i + 1; j < ev->nfields; j++)
            if (ev->fields[j].length_field == (int)i)
                of = ev->fields[j].name;
        set(c, m, "is_length", B(c, of != NULL));
        set(c, m, "length_of", S(c, of));
    }
    set(c, m, "since", I(c, f->since));
    text(c, m, "description", &f->description);
    return m;
}

/* The layouts of an event: one per distinct `since`, each valid from that
 * version up to the version before the next (the last up to the current
 * version).  A layout lists the fields it has, with sizes. */
static struct eg_val *layouts(struct ctx *c, const struct eg_event *ev,
                              struct eg_val *fields)
{
    struct eg_val *seq = eg_val_seq(c->a);
    size_t start = 0;
    while (start <= ev->nfields) {
        size_t end = start;
        int since = start < ev->nfields ? ev->fields[start].since : 0;
        int to;
        struct eg_val *m = eg_val_map(c->a), *fl = eg_val_seq(c->a);
        long long size4 = 0, size8 = 0;
        int fixed = 1;
        while (end < ev->nfields && ev->fields[end].since == since)
            end++;
        to = end < ev->nfields ? ev->fields[end].since - 1 : ev->version;
        if (start == 0)
            since = 0;
        for (size_t i = 0; i < end; i++) {
            eg_seq_push(c->a, fl, fields->u.seq.items[i]);
            if (eg_field_size(&ev->fields[i], 4) < 0)
                fixed = 0;
            else {
                size4 += eg_field_size(&ev->fields[i], 4);
                size8 += eg_field_size(&ev->fields[i], 8);
            }
        }
        set(c, m, "version", I(c, to));
        set(c, m, "from", I(c, since));
        set(c, m, "to", I(c, to));
        set(c, m, "is_range", B(c, since != to));
        set(c, m, "fields", fl);
        set(c, m, "nfields", I(c, (long long)end));
        set(c, m, "has_fields", B(c, end > 0));
        set(c, m, "is_fixed", B(c, fixed));
        set(c, m, "size32", I(c, size4));
        set(c, m, "size64", I(c, size8));
        set(c, m, "is_current", B(c, end == ev->nfields));
        set(c, m, "template", eg_val_strf(c->a, "%s_v%d", ev->name, to));
        eg_seq_push(c->a, seq, m);
        if (end == ev->nfields)
            break;
        start = end;
    }
    mark_ends(c, seq);
    return seq;
}

static struct eg_val *event_val(struct ctx *c, const struct eg_event *ev,
                                struct eg_val *tasks, struct eg_val *opcodes,
                                struct eg_val *enums)
{
    struct eg_val *m = eg_val_map(c->a), *fields = eg_val_seq(c->a);
    struct eg_val *doc = eg_val_map(c->a), *lv = eg_val_map(c->a), *vs;
    long long off[2] = {0, 0};
    int fixed = 1;

    set(c, m, "name", S(c, ev->name));
    set(c, m, "lower", S(c, lower(c, ev->name)));
    set(c, m, "slug", S(c, slug(c, ev->name)));
    set(c, m, "id", I(c, ev->id));
    set(c, m, "version", I(c, ev->version));
    set(c, m, "task", ev->task ? find_by_name(tasks, ev->task->name)
                               : B(c, 0));
    set(c, m, "has_task", B(c, ev->task != NULL));
    set(c, m, "opcode", ev->opcode ? find_by_name(opcodes, ev->opcode->name)
                                   : B(c, 0));
    set(c, m, "has_opcode", B(c, ev->opcode != NULL));
    set(c, lv, "value", I(c, ev->level));
    set(c, lv, "name", S(c, eg_level_name(ev->level)));
    set(c, lv, "manifest", S(c, eg_level_manifest(ev->level)));
    set(c, m, "level", lv);
    text(c, m, "description", &ev->description);
    text(c, m, "message", &ev->message);
    set(c, doc, "assetid", S(c, ev->assetid));
    set(c, doc, "date", S(c, ev->date));
    text(c, doc, "summary", &ev->summary);
    text(c, doc, "remarks", &ev->remarks);
    set(c, m, "doc", doc);
    for (size_t i = 0; i < ev->nfields; i++)
        eg_seq_push(c->a, fields, field_val(c, ev, i, enums, off, &fixed));
    mark_ends(c, fields);
    set(c, m, "fields", fields);
    set(c, m, "nfields", I(c, (long long)ev->nfields));
    set(c, m, "has_fields", B(c, ev->nfields > 0));
    /* For a fixed event these are its size; otherwise the fixed part's. */
    set(c, m, "is_fixed", B(c, fixed));
    set(c, m, "is_variable", B(c, !fixed));
    {
        long long min4 = 0, min8 = 0;
        for (size_t i = 0; i < ev->nfields; i++) {
            int s4 = eg_field_size(&ev->fields[i], 4);
            int s8 = eg_field_size(&ev->fields[i], 8);
            /* A variable field takes at least its terminator. */
            if (s4 < 0) {
                s4 = s8 = ev->fields[i].type == EG_T_USTRING  ? 2
                          : ev->fields[i].type == EG_T_ASTRING ? 1
                                                               : 0;
            }
            min4 += s4;
            min8 += s8;
        }
        set(c, m, "size32", I(c, min4));
        set(c, m, "size64", I(c, min8));
    }
    {
        int has_enum = 0, has_string = 0, has_binary = 0;
        for (size_t i = 0; i < ev->nfields; i++) {
            has_enum |= ev->fields[i].enumeration != NULL;
            has_string |= ev->fields[i].type == EG_T_USTRING ||
                          ev->fields[i].type == EG_T_ASTRING;
            has_binary |= ev->fields[i].type == EG_T_BINARY;
        }
        set(c, m, "has_enum_fields", B(c, has_enum));
        set(c, m, "has_strings", B(c, has_string));
        set(c, m, "has_binary", B(c, has_binary));
    }
    vs = layouts(c, ev, fields);
    set(c, m, "layouts", vs);
    set(c, m, "has_old_layouts", B(c, vs->u.seq.n > 1));
    set(c, m, "template", eg_val_strf(c->a, "%s_v%d", ev->name, ev->version));
    return m;
}

/* docs: and strings: are free-form: copy them, translating every text
 * leaf by the id its path gives (the ids check.c assigned). */
static struct eg_val *tr_tree(struct ctx *c, const struct eg_val *v,
                              const char *path, int lambda)
{
    struct eg_val *r;
    if (v->kind == EG_MAP) {
        r = eg_val_map(c->a);
        for (size_t i = 0; i < v->u.map.n; i++) {
            const char *k = v->u.map.pairs[i].key->u.str.s;
            set(c, r, k,
                tr_tree(c, v->u.map.pairs[i].val,
                        eg_arena_printf(c->a, "%s.%s", path, k), lambda));
        }
        return r;
    }
    if (v->kind == EG_SEQ) {
        r = eg_val_seq(c->a);
        for (size_t i = 0; i < v->u.seq.n; i++)
            eg_seq_push(c->a, r,
                        tr_tree(c, v->u.seq.items[i],
                                eg_arena_printf(c->a, "%s.%zu", path, i),
                                lambda));
        mark_ends_if_maps(c, r);
        return r;
    }
    if (v->kind == EG_STR && eg_val_resolve(c->a, v) == v) {
        struct eg_text t;
        t.id = path;
        t.text = v->u.str.s;
        t.loc = v->loc;
        r = S(c, eg_translate(c->loc, &t));
        r->lambda = (unsigned)lambda;
        return r;
    }
    return (struct eg_val *)eg_val_resolve(c->a, v);
}

static struct eg_val *build(struct ctx *c)
{
    const struct eg_schema *s = c->s;
    struct eg_val *root = eg_val_map(c->a), *m, *seq;
    struct eg_val *tasks, *opcodes, *enums;
    const char *base = strrchr(s->file, '/');

    m = eg_val_map(c->a);
    set(c, m, "version", S(c, EVGEN_VERSION_STRING));
    set(c, root, "evgen", m);

    m = eg_val_map(c->a);
    set(c, m, "name", S(c, s->name));
    set(c, m, "NAME", S(c, upper(c, s->name)));
    set(c, m, "file", S(c, base ? base + 1 : s->file));
    set(c, root, "schema", m);

    m = eg_val_map(c->a);
    set(c, m, "name", S(c, s->provider_name));
    set(c, m, "symbol", S(c, s->provider_symbol));
    set(c, m, "SYMBOL", S(c, upper(c, s->provider_symbol)));
    set(c, m, "guid", S(c, lower(c, s->provider_guid)));
    set(c, m, "GUID", S(c, upper(c, s->provider_guid)));
    set(c, m, "guid_c", guid_c(c, s->provider_guid));
    set(c, m, "resource_file", S(c, s->resource_file));
    set(c, m, "has_resource_file", B(c, s->resource_file != NULL));
    set(c, m, "message_file", S(c, s->message_file));
    set(c, m, "has_message_file", B(c, s->message_file != NULL));
    text(c, m, "description", &s->provider_description);
    set(c, root, "provider", m);

    tasks = eg_val_seq(c->a);
    for (size_t i = 0; i < s->ntasks; i++)
        eg_seq_push(c->a, tasks, named(c, &s->tasks[i], "task"));
    mark_ends(c, tasks);
    set(c, root, "tasks", tasks);
    set(c, root, "has_tasks", B(c, s->ntasks > 0));

    opcodes = eg_val_seq(c->a);
    for (size_t i = 0; i < s->nopcodes; i++)
        eg_seq_push(c->a, opcodes, named(c, &s->opcodes[i], "opcode"));
    mark_ends(c, opcodes);
    set(c, root, "opcodes", opcodes);
    set(c, root, "has_opcodes", B(c, s->nopcodes > 0));

    enums = eg_val_seq(c->a);
    for (size_t i = 0; i < s->nenums; i++)
        eg_seq_push(c->a, enums, enum_val(c, &s->enums[i]));
    mark_ends(c, enums);
    set(c, root, "enums", enums);
    set(c, root, "has_enums", B(c, s->nenums > 0));

    seq = eg_val_seq(c->a);
    for (size_t i = 0; i < s->nevents; i++)
        eg_seq_push(c->a, seq,
                    event_val(c, &s->events[i], tasks, opcodes, enums));
    mark_ends(c, seq);
    set(c, root, "events", seq);

    {
        const struct eg_val *docs = eg_map_get(s->root, "docs");
        const struct eg_val *strings = eg_map_get(s->root, "strings");
        set(c, root, "docs", docs ? tr_tree(c, docs, "docs", 0)
                                  : eg_val_map(c->a));
        set(c, root, "strings", strings ? tr_tree(c, strings, "strings", 1)
                                        : eg_val_map(c->a));
    }

    m = eg_val_map(c->a);
    set(c, m, "name", S(c, c->loc ? c->loc->name : "en-US"));
    set(c, m, "is_default", B(c, c->loc == NULL));
    set(c, root, "locale", m);
    return root;
}

struct eg_context *eg_context_build(struct eg_arena *a,
                                    const struct eg_schema *s)
{
    struct eg_context *cx = eg_arena_alloc(a, sizeof(*cx));
    struct eg_val *locales = eg_val_seq(a), **trees;
    struct ctx c;

    cx->n = s->nlocales + 1;
    cx->roots = eg_arena_alloc(a, cx->n * sizeof(*cx->roots));
    cx->names = eg_arena_alloc(a, cx->n * sizeof(*cx->names));
    trees = eg_arena_alloc(a, cx->n * sizeof(*trees));
    c.a = a;
    c.s = s;
    for (size_t i = 0; i < cx->n; i++) {
        struct eg_val *m = eg_val_map(a);
        c.loc = i == 0 ? NULL : &s->locales[i - 1];
        cx->names[i] = c.loc ? c.loc->name : "en-US";
        trees[i] = build(&c);
        set(&c, m, "name", S(&c, cx->names[i]));
        set(&c, m, "is_default", B(&c, i == 0));
        set(&c, m, "tr", trees[i]);
        eg_seq_push(a, locales, m);
    }
    mark_ends(&c, locales);
    /* Each root is its locale's tree plus `locales`, through which the
     * manifest reaches every locale's text.  The trees are shared, not
     * copied, and no tree contains itself. */
    for (size_t i = 0; i < cx->n; i++) {
        struct eg_val *root = eg_val_map(a);
        for (size_t k = 0; k < trees[i]->u.map.n; k++)
            set(&c, root, trees[i]->u.map.pairs[k].key->u.str.s,
                trees[i]->u.map.pairs[k].val);
        set(&c, root, "locales", locales);
        cx->roots[i] = root;
    }
    return cx;
}
