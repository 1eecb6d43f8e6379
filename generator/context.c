/*
 * context.c - third stage: the checked model (model.h) becomes the data
 * tree templates read (value.h), one tree per locale.
 *
 * Everything a template could want is computed here, once, in C, so that
 * templates stay logic-less: payload offsets and sizes for both pointer
 * widths, per-type flags to branch on (is_ustring, is_pointer_sized...),
 * first/last markers for separators, upper/lower case and slug spellings
 * of names, every version's layout, and every text in the locale asked
 * for.  `evgen context SCHEMA` prints the tree; the README documents it.
 *
 * Size matters at scale (10,000 events, several locales), so trees share
 * rather than copy:
 *   - every locale shares one tree.  A translatable text is a `tr` node
 *     (value.h) holding the English and the text's index; it shows in the
 *     locale of the nearest enclosing map tagged with one, through the
 *     translation tables (struct eg_texts).  Each locale's root is a small
 *     map, tagged with its locale, holding what differs (`locale`, and
 *     `docs` and `strings` in its language), whose prototype is the tree;
 *   - what a field's type says (codec, in_type, is_* flags...) lives in one
 *     map per type, the prototype of every field of that type (map
 *     prototypes: value.h).
 * Keys are interned, booleans and small integers are shared nodes.
 */
#include "context.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVGEN_VERSION_STRING "0.1.0"

struct ctx {
    struct eg_arena *a;
    const struct eg_schema *s;
    const struct eg_locale *loc; /* docs: and strings: in this; NULL =
                                    English */
    struct eg_val *keys[512];    /* interned key nodes, open addressing */
    struct eg_val *bools[2];
    struct eg_val *empty;      /* the empty string */
    struct eg_val *ints[4096]; /* offsets and sizes, made once each */
    struct eg_val *type_protos[EG_T_COUNT];
    /* Maps being built (begin_map/end_map), innermost last: their pairs
     * collect here and move to the arena, at their exact size, when the
     * map is done. */
    struct eg_pair scratch[8][64];
    size_t nscratch;
};

/* ---- Nodes ---- */

static struct eg_val *key(struct ctx *c, const char *k)
{
    size_t h = (size_t)eg_hash(k, strlen(k));
    for (size_t i = 0; i < EG_ARRAY_LEN(c->keys); i++) {
        struct eg_val **slot = &c->keys[(h + i) % EG_ARRAY_LEN(c->keys)];
        if (!*slot) {
            *slot = eg_val_key(c->a, k);
            return *slot;
        }
        if (strcmp((*slot)->u.str.s, k) == 0)
            return *slot;
    }
    return eg_val_key(c->a, k); /* table full: correct, just not shared */
}

/* A string node for s, which must live as long as the tree: the model's
 * strings, arena strings and literals all do, so nothing is copied. */
static struct eg_val *S(struct ctx *c, const char *s)
{
    struct eg_val *v;
    if (!s || !*s)
        return c->empty;
    v = eg_val_new(c->a, EG_STR);
    v->u.str.s = s;
    v->u.str.len = strlen(s);
    return v;
}

static struct eg_val *B(struct ctx *c, int b)
{
    return c->bools[!!b];
}

static struct eg_val *I(struct ctx *c, long long i)
{
    if (i >= 0 && i < (long long)EG_ARRAY_LEN(c->ints)) {
        if (!c->ints[i])
            c->ints[i] = eg_val_int(c->a, i);
        return c->ints[i];
    }
    return eg_val_int(c->a, i);
}

static struct eg_val *new_map(struct ctx *c, const struct eg_val *proto,
                              size_t n)
{
    struct eg_val *m = eg_val_map(c->a);
    eg_map_set_proto(m, proto);
    /* n is what the builder sets: reserving exactly leaves no growth
     * slack in the arena (a field map with 26 keys in space for 24 would
     * cost 48 pairs plus the 24 abandoned). */
    eg_map_reserve(c->a, m, n);
    return m;
}

/* The hot builders (events, fields, layouts: 100,000s of maps at scale)
 * build each map in scratch space and give it an exact-size array once
 * done; maps are ended in the reverse order they were begun. */
static struct eg_val *begin_map(struct ctx *c, const struct eg_val *proto)
{
    struct eg_val *m = eg_val_map(c->a);
    if (c->nscratch == EG_ARRAY_LEN(c->scratch))
        eg_fatal("context maps nested too deep"); /* a bug, not input */
    eg_map_set_proto(m, proto);
    m->u.map.pairs = c->scratch[c->nscratch++];
    m->u.map.cap = EG_ARRAY_LEN(c->scratch[0]);
    return m;
}

static void end_map(struct ctx *c, struct eg_val *m)
{
    eg_map_freeze(c->a, m); /* out of scratch: shaped (value.h) */
    c->nscratch--;
}

/* The value m would show for key node kn (interned: key()) without
 * setting it: its prototypes'. */
static const struct eg_val *inherited(const struct eg_val *m,
                                      const struct eg_val *kn)
{
    return eg_map_get_in(eg_map_proto(m), kn->u.str.s);
}

/* Setters.  A scalar equal to what the prototype already shows (a field's
 * type map) is not stored: only the differences are. */
static void set(struct ctx *c, struct eg_val *m, const char *k,
                struct eg_val *v)
{
    eg_map_add(c->a, m, key(c, k), v);
}

static void set_s(struct ctx *c, struct eg_val *m, const char *k, const char *s)
{
    struct eg_val *kn = key(c, k);
    const struct eg_val *p = inherited(m, kn);
    if (!s)
        s = "";
    if (p && p->kind == EG_STR && !p->lambda && strcmp(p->u.str.s, s) == 0)
        return;
    eg_map_add(c->a, m, kn, S(c, s));
}

static void set_i(struct ctx *c, struct eg_val *m, const char *k, long long i)
{
    struct eg_val *kn = key(c, k);
    const struct eg_val *p = inherited(m, kn);
    if (p && p->kind == EG_INT && p->u.i == i)
        return;
    eg_map_add(c->a, m, kn, I(c, i));
}

static void set_b(struct ctx *c, struct eg_val *m, const char *k, int b)
{
    struct eg_val *kn = key(c, k);
    const struct eg_val *p = inherited(m, kn);
    if (p && p->kind == EG_BOOL && p->u.b == !!b)
        return;
    eg_map_add(c->a, m, kn, B(c, b));
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

/* A translatable text: `key` holds the text (a `tr` node: it shows in
 * the locale being rendered), `key_id` its string id, `has_key` whether
 * the schema gave one (a translation of a text is never empty: locale.c
 * refuses that, so this holds in every locale). */
static void text(struct ctx *c, struct eg_val *m, const char *k,
                 const struct eg_text *t)
{
    int has = t->text && *t->text;
    char buf[64];
    if (has) {
        struct eg_val *v = eg_val_new(c->a, EG_STR);
        v->u.str.s = t->text;
        v->u.str.len = strlen(t->text);
        v->u.str.tid = t->index;
        v->tr = 1;
        set(c, m, k, v);
    } else {
        set(c, m, k, c->empty);
    }
    snprintf(buf, sizeof buf, "%s_id", k);
    set_s(c, m, buf, has ? t->id : "");
    snprintf(buf, sizeof buf, "has_%s", k);
    set_b(c, m, buf, has);
}

/* A list item's place: `index`, `first`, `last`. */
static void ends(struct ctx *c, struct eg_val *m, size_t index, int last)
{
    set_i(c, m, "index", (long long)index);
    set_b(c, m, "first", index == 0);
    set_b(c, m, "last", last);
}

static void mark_ends(struct ctx *c, struct eg_val *seq)
{
    for (size_t i = 0; i < seq->u.seq.n; i++) {
        ends(c, seq->u.seq.items[i], i, i + 1 == seq->u.seq.n);
    }
}

static struct eg_val *find_by_name(const struct eg_val *seq, const char *name)
{
    for (size_t i = 0; i < seq->u.seq.n; i++) {
        const struct eg_val *n = eg_map_get(seq->u.seq.items[i], "name");
        if (n && strcmp(n->u.str.s, name) == 0)
            return seq->u.seq.items[i];
    }
    return NULL;
}

/* ---- Pieces ---- */

/* {0x222962ab, 0x6180, 0x4b88, {0xa8, 0x25, ...}} from the text form. */
static const char *guid_c(struct ctx *c, const char *g)
{
    struct eg_sb sb = EG_SB_INIT;
    char *r;
    eg_sb_addf(&sb, "{0x%.8s, 0x%.4s, 0x%.4s, {", g, g + 9, g + 14);
    for (int i = 0; i < 8; i++) {
        const char *p = i < 2 ? g + 19 + 2 * i : g + 24 + 2 * (i - 2);
        eg_sb_addf(&sb, "%s0x%.2s", i ? ", " : "", p);
    }
    eg_sb_adds(&sb, "}}");
    r = lower(c, sb.buf);
    eg_sb_release(&sb);
    return r;
}

static struct eg_val *named(struct ctx *c, const struct eg_named *n,
                            const char *kind)
{
    struct eg_val *m = new_map(c, NULL, 12);
    char *sym = eg_arena_printf(c->a, "%s_%s", kind, n->name);
    set_s(c, m, "name", n->name);
    set_s(c, m, "NAME", upper(c, n->name));
    set_i(c, m, "value", n->value);
    set_s(c, m, "symbol", sym);
    set_s(c, m, "guid", n->guid ? lower(c, n->guid) : "");
    set_b(c, m, "has_guid", n->guid != NULL);
    text(c, m, "description", &n->description);
    return m;
}

static struct eg_val *enum_val(struct ctx *c, const struct eg_enum *e)
{
    struct eg_val *m = new_map(c, NULL, 16), *vals = eg_val_seq(c->a);
    long long min = 0, max = 0;
    set_s(c, m, "name", e->name);
    set_s(c, m, "NAME", upper(c, e->name));
    set_s(c, m, "lower", lower(c, e->name));
    set_s(c, m, "header", e->header);
    set_b(c, m, "has_header", e->header != NULL);
    text(c, m, "description", &e->description);
    for (size_t i = 0; i < e->nvalues; i++) {
        const struct eg_enum_value *ev = &e->values[i];
        struct eg_val *vm = new_map(c, NULL, 12);
        set_s(c, vm, "name", ev->name);
        set_s(c, vm, "anchor", lower(c, ev->name));
        set_i(c, vm, "value", ev->value);
        set_s(c, vm, "hex", eg_arena_printf(c->a, "0x%llX", ev->value));
        text(c, vm, "description", &ev->description);
        eg_seq_push(c->a, vals, vm);
        if (i == 0 || ev->value < min)
            min = ev->value;
        if (i == 0 || ev->value > max)
            max = ev->value;
    }
    mark_ends(c, vals);
    set(c, m, "values", vals);
    set_i(c, m, "count", (long long)e->nvalues);
    set_i(c, m, "min", min);
    set_i(c, m, "max", max);
    return m;
}

/* What a field's type alone decides: the prototype of its fields. */
static struct eg_val *type_proto(struct ctx *c, enum eg_type t)
{
    const struct eg_type_info *ti = &eg_types[t];
    struct eg_val *m = c->type_protos[t];
    if (m)
        return m;
    m = new_map(c, NULL, 48);
    set_s(c, m, "type", ti->name);
    set_s(c, m, "codec", ti->codec);
    set_s(c, m, "c_type", ti->c_type);
    set_s(c, m, "win_type", ti->win_type);
    set_s(c, m, "in_type", ti->in_type);
    set_s(c, m, "out_type", ti->out_type);
    set_b(c, m, "has_out_type", ti->out_type != NULL);
    set_i(c, m, "size", ti->size > 0 ? ti->size : 0);
    set_b(c, m, "is_pointer_sized", ti->size == 0);
    set_b(c, m, "is_pointer", t == EG_T_POINTER);
    set_b(c, m, "is_size", t == EG_T_SIZE);
    set_b(c, m, "is_integer", ti->is_integer && ti->size > 0);
    set_b(c, m, "is_signed", ti->is_signed && ti->is_integer);
    set_b(c, m, "is_hex", t >= EG_T_HEX8 && t <= EG_T_HEX64);
    set_b(c, m, "is_bool", t == EG_T_BOOL);
    set_b(c, m, "is_float", t == EG_T_FLOAT);
    set_b(c, m, "is_double", t == EG_T_DOUBLE);
    set_b(c, m, "is_guid", t == EG_T_GUID);
    set_b(c, m, "is_filetime", t == EG_T_FILETIME);
    set_b(c, m, "is_string", t == EG_T_USTRING || t == EG_T_ASTRING);
    set_b(c, m, "is_ustring", t == EG_T_USTRING);
    set_b(c, m, "is_astring", t == EG_T_ASTRING);
    set_b(c, m, "is_binary", t == EG_T_BINARY);
    /* What most fields of the type show, so that a field stores only
     * where it differs (field_val's setters skip what the type shows). */
    {
        struct eg_field probe;
        int s4, s8;
        memset(&probe, 0, sizeof probe);
        probe.type = t;
        probe.length_field = -1;
        probe.length_const = -1;
        s4 = eg_field_size(&probe, 4);
        s8 = eg_field_size(&probe, 8);
        set_i(c, m, "size32", s4 < 0 ? 0 : s4);
        set_i(c, m, "size64", s8 < 0 ? 0 : s8);
        set_b(c, m, "is_fixed", s4 >= 0);
        set_b(c, m, "is_variable", s4 < 0);
        set_b(c, m, "has_fixed_offset", 1);
        set_b(c, m, "enum", 0);
        set_b(c, m, "has_enum", 0);
        set_b(c, m, "has_length_field", 0);
        set_s(c, m, "length_field", "");
        set_b(c, m, "has_length_const", 0);
        set_i(c, m, "length_const", 0);
        set_b(c, m, "is_length", 0);
        set_s(c, m, "length_of", "");
        set_i(c, m, "since", 0);
        set_b(c, m, "has_since", 0);
        set_b(c, m, "has_description", 1);
        set_i(c, m, "index", 0);
        set_b(c, m, "first", 0);
        set_b(c, m, "last", 0);
    }
    c->type_protos[t] = m;
    return m;
}

/* One field, with its place in the payload at both pointer widths as far
 * as it is fixed (offsets after a variable-length field are not). */
static struct eg_val *field_val(struct ctx *c, const struct eg_event *ev,
                                size_t i, const struct eg_val *enums,
                                long long off[2], int *fixed_so_far)
{
    const struct eg_field *f = &ev->fields[i];
    struct eg_val *m = begin_map(c, type_proto(c, f->type));
    int s4 = eg_field_size(f, 4), s8 = eg_field_size(f, 8);
    int variable = s4 < 0;
    const char *length_of = NULL;

    set_s(c, m, "name", f->name);
    set_s(c, m, "lower", lower(c, f->name));
    set_i(c, m, "number", (long long)i + 1);
    set_i(c, m, "size32", variable ? 0 : s4);
    set_i(c, m, "size64", variable ? 0 : s8);
    set_b(c, m, "is_fixed", !variable);
    set_b(c, m, "is_variable", variable);
    set_b(c, m, "has_fixed_offset", *fixed_so_far);
    set_i(c, m, "offset32", *fixed_so_far ? off[0] : 0);
    set_i(c, m, "offset64", *fixed_so_far ? off[1] : 0);
    if (variable) {
        *fixed_so_far = 0;
    } else {
        off[0] += s4;
        off[1] += s8;
    }
    if (f->enumeration)
        set(c, m, "enum", find_by_name(enums, f->enumeration->name));
    else
        set_b(c, m, "enum", 0);
    set_b(c, m, "has_enum", f->enumeration != NULL);
    set_b(c, m, "has_length_field", f->length_field >= 0);
    set_s(c, m, "length_field",
          f->length_field >= 0 ? ev->fields[f->length_field].name : "");
    set_b(c, m, "has_length_const", f->length_const >= 0);
    set_i(c, m, "length_const", f->length_const >= 0 ? f->length_const : 0);
    for (size_t j = i + 1; j < ev->nfields; j++)
        if (ev->fields[j].length_field == (int)i)
            length_of = ev->fields[j].name;
    set_b(c, m, "is_length", length_of != NULL);
    set_s(c, m, "length_of", length_of);
    set_i(c, m, "since", f->since);
    set_b(c, m, "has_since", f->since > 0); /* added after version 0 */
    text(c, m, "description", &f->description);
    ends(c, m, i, i + 1 == ev->nfields);
    end_map(c, m);
    return m;
}

/* The bytes field f takes at least at pointer size p: its size, or for a
 * variable one its terminator (none for binary). */
static int min_size(const struct eg_field *f, int p)
{
    int size = eg_field_size(f, p);
    if (size >= 0)
        return size;
    return f->type == EG_T_USTRING ? 2 : f->type == EG_T_ASTRING ? 1 : 0;
}

/* The layouts of an event: one per distinct `since`, each valid from that
 * version up to the version before the next (the last up to the current
 * version).  A layout lists the fields it has, with its sizes. */
static struct eg_val *layouts(struct ctx *c, const struct eg_event *ev,
                              const struct eg_val *fields)
{
    struct eg_val *seq = eg_val_seq(c->a);
    size_t end = 0, start = 0;
    int from = 0;
    for (;;) {
        struct eg_val *m = begin_map(c, NULL);
        struct eg_val *fl = eg_val_seq(c->a), *added = eg_val_seq(c->a);
        long long size4 = 0, size8 = 0, min4 = 0, min8 = 0;
        int to, fixed = 1;
        /* The fields of versions from..to: those added in `from` or
         * before.  A first field added after version 0 leaves the early
         * versions with no fields at all. */
        while (end < ev->nfields && ev->fields[end].since <= from)
            end++;
        eg_seq_reserve(c->a, fl, end);
        eg_seq_reserve(c->a, added, end - start);
        to = end < ev->nfields ? ev->fields[end].since - 1 : ev->version;
        for (size_t i = 0; i < end; i++) {
            const struct eg_field *f = &ev->fields[i];
            int s4 = eg_field_size(f, 4), s8 = eg_field_size(f, 8);
            eg_seq_push(c->a, fl, fields->u.seq.items[i]);
            if (i >= start)
                eg_seq_push(c->a, added, fields->u.seq.items[i]);
            if (s4 < 0) {
                fixed = 0;
            } else {
                size4 += s4;
                size8 += s8;
            }
            min4 += min_size(f, 4);
            min8 += min_size(f, 8);
        }
        set_i(c, m, "version", to);
        set_i(c, m, "from", from);
        set_i(c, m, "to", to);
        set_b(c, m, "is_range", from != to);
        set(c, m, "fields", fl);
        set_i(c, m, "nfields", (long long)end);
        set_b(c, m, "has_fields", end > 0);
        /* What this layout adds to the one before (codecs read and write
         * a version's payload layout by layout). */
        set(c, m, "new_fields", added);
        set_b(c, m, "has_new_fields", added->u.seq.n > 0);
        set_b(c, m, "is_fixed", fixed);
        set_i(c, m, "size32", size4);
        set_i(c, m, "size64", size8);
        /* The smallest payload: the fixed part and strings' terminators. */
        set_i(c, m, "min32", min4);
        set_i(c, m, "min64", min8);
        set_b(c, m, "is_current", end == ev->nfields);
        set_s(c, m, "template", eg_arena_printf(c->a, "%s_v%d", ev->name, to));
        ends(c, m, seq->u.seq.n, end == ev->nfields);
        end_map(c, m);
        eg_seq_push(c->a, seq, m);
        if (end == ev->nfields)
            break;
        start = end;
        from = ev->fields[end].since;
    }
    return seq;
}

static struct eg_val *event_val(struct ctx *c, const struct eg_event *ev,
                                size_t index, size_t count,
                                const struct eg_val *tasks,
                                const struct eg_val *opcodes,
                                const struct eg_val *enums)
{
    struct eg_val *m = begin_map(c, NULL), *fields = eg_val_seq(c->a);
    struct eg_val *doc, *lv;
    long long off[2] = {0, 0}, min4 = 0, min8 = 0;
    int fixed = 1, has_enum = 0, has_string = 0, has_binary = 0, has_ptr = 0;

    eg_seq_reserve(c->a, fields, ev->nfields);
    set_s(c, m, "name", ev->name);
    set_s(c, m, "NAME", upper(c, ev->name));
    set_s(c, m, "lower", lower(c, ev->name));
    set_s(c, m, "slug", slug(c, ev->name));
    set_i(c, m, "id", ev->id);
    set_i(c, m, "version", ev->version);
    if (ev->task)
        set(c, m, "task", find_by_name(tasks, ev->task->name));
    else
        set_b(c, m, "task", 0);
    set_b(c, m, "has_task", ev->task != NULL);
    if (ev->opcode)
        set(c, m, "opcode", find_by_name(opcodes, ev->opcode->name));
    else
        set_b(c, m, "opcode", 0);
    set_b(c, m, "has_opcode", ev->opcode != NULL);
    lv = begin_map(c, NULL);
    set_i(c, lv, "value", ev->level);
    set_s(c, lv, "name", eg_level_name(ev->level));
    set_s(c, lv, "manifest", eg_level_manifest(ev->level));
    end_map(c, lv);
    set(c, m, "level", lv);
    text(c, m, "description", &ev->description);
    text(c, m, "message", &ev->message);
    doc = begin_map(c, NULL);
    set_s(c, doc, "assetid", ev->assetid);
    set_s(c, doc, "date", ev->date);
    text(c, doc, "summary", &ev->summary);
    text(c, doc, "remarks", &ev->remarks);
    end_map(c, doc);
    set(c, m, "doc", doc);
    for (size_t i = 0; i < ev->nfields; i++)
        eg_seq_push(c->a, fields, field_val(c, ev, i, enums, off, &fixed));
    set(c, m, "fields", fields);
    set_i(c, m, "nfields", (long long)ev->nfields);
    set_b(c, m, "has_fields", ev->nfields > 0);
    for (size_t i = 0; i < ev->nfields; i++) {
        const struct eg_field *f = &ev->fields[i];
        min4 += min_size(f, 4);
        min8 += min_size(f, 8);
        has_enum |= f->enumeration != NULL;
        has_string |= f->type == EG_T_USTRING || f->type == EG_T_ASTRING;
        has_binary |= f->type == EG_T_BINARY;
        has_ptr |= eg_types[f->type].size == 0;
    }
    /* For a fixed event these are its size; otherwise its minimum. */
    set_b(c, m, "is_fixed", fixed);
    set_b(c, m, "is_variable", !fixed);
    set_i(c, m, "size32", min4);
    set_i(c, m, "size64", min8);
    set_b(c, m, "has_enum_fields", has_enum);
    set_b(c, m, "has_strings", has_string);
    set_b(c, m, "has_binary", has_binary);
    set_b(c, m, "has_pointer_sized", has_ptr);
    {
        struct eg_val *vs = layouts(c, ev, fields);
        set(c, m, "layouts", vs);
        set_b(c, m, "has_old_layouts", vs->u.seq.n > 1);
    }
    set_s(c, m, "template",
          eg_arena_printf(c->a, "%s_v%d", ev->name, ev->version));
    ends(c, m, index, index + 1 == count);
    end_map(c, m);
    return m;
}

/* ---- Events, on every core ----
 * Each event is a subtree of its own: what events share (the type
 * prototypes, made first; tasks, opcodes, enums) is only read.  Each
 * thread has its own context (arena, key and integer caches, scratch), so
 * the tree is the same whichever thread built which event. */

#define EVENTS_RUN 32       /* events a thread takes at a time */
#define EVENTS_PARALLEL 256 /* fewer are not worth a thread */

struct event_work {
    struct ctx *c; /* this thread's */
    struct eg_arena arena;
    struct event_share *sh;
};

struct event_share {
    struct eg_queue q;
    struct eg_val **items;
    const struct eg_val *tasks, *opcodes, *enums;
};

static void *build_some_events(void *arg)
{
    struct event_work *w = arg;
    struct event_share *sh = w->sh;
    const struct eg_schema *s = w->c->s;
    size_t from, to;
    while (eg_queue_take(&sh->q, &from, &to))
        for (size_t i = from; i < to; i++)
            sh->items[i] = event_val(w->c, &s->events[i], i, s->nevents,
                                     sh->tasks, sh->opcodes, sh->enums);
    return NULL;
}

/* The `events` sequence. */
static struct eg_val *events(struct ctx *c, const struct eg_val *tasks,
                             const struct eg_val *opcodes,
                             const struct eg_val *enums)
{
    size_t n = c->s->nevents, nthreads = eg_cores();
    struct eg_val *seq = eg_val_seq(c->a);
    struct event_work work[8];
    struct event_share sh;
    void *args[8];

    if (nthreads > EG_ARRAY_LEN(work))
        nthreads = EG_ARRAY_LEN(work);
    if (n < EVENTS_PARALLEL)
        nthreads = 1;
    eg_seq_reserve(c->a, seq, n);
    for (int t = 0; t < EG_T_COUNT; t++) /* shared: made before */
        type_proto(c, (enum eg_type)t);
    eg_queue_init(&sh.q, n, EVENTS_RUN);
    sh.items = seq->u.seq.items;
    sh.tasks = tasks;
    sh.opcodes = opcodes;
    sh.enums = enums;
    for (size_t k = 0; k < nthreads; k++) {
        work[k].sh = &sh;
        if (k == 0) {
            work[k].c = c;
        } else {
            work[k].c = xmalloc(sizeof(*c));
            memcpy(work[k].c, c, sizeof(*c));
            eg_arena_init(&work[k].arena);
            work[k].c->a = &work[k].arena;
        }
        args[k] = &work[k];
    }
    eg_run_threads(nthreads, build_some_events, args);
    eg_queue_destroy(&sh.q);
    for (size_t k = 1; k < nthreads; k++) {
        eg_arena_adopt(c->a, &work[k].arena);
        free(work[k].c);
    }
    seq->u.seq.n = (uint32_t)n;
    return seq;
}

/* docs: and strings: are free-form: copy them, translating every text
 * leaf by the id its path gives (the ids check.c assigned).  `strings:`
 * leaves are marked as lambdas (value.h). */
static struct eg_val *tr_tree(struct ctx *c, const struct eg_val *v,
                              struct eg_sb *path, int lambda)
{
    size_t mark = path->len;
    struct eg_val *r;
    if (v->kind == EG_MAP) {
        r = new_map(c, NULL, v->u.map.n);
        for (size_t i = 0; i < v->u.map.n; i++) {
            eg_sb_addf(path, ".%s", v->u.map.pairs[i].key->u.str.s);
            eg_map_add(c->a, r, key(c, v->u.map.pairs[i].key->u.str.s),
                       tr_tree(c, v->u.map.pairs[i].val, path, lambda));
            path->len = mark;
            path->buf[mark] = '\0';
        }
        return r;
    }
    if (v->kind == EG_SEQ) {
        int maps = 1;
        r = eg_val_seq(c->a);
        for (size_t i = 0; i < v->u.seq.n; i++) {
            eg_sb_addf(path, ".%zu", i);
            eg_seq_push(c->a, r, tr_tree(c, v->u.seq.items[i], path, lambda));
            path->len = mark;
            path->buf[mark] = '\0';
            maps &= v->u.seq.items[i]->kind == EG_MAP;
        }
        if (maps)
            mark_ends(c, r);
        return r;
    }
    if (v->kind == EG_STR && eg_val_resolve(c->a, v) == v) {
        /* check.c gave each of these leaves a text by its path. */
        const struct eg_text *t = eg_schema_text(c->s, path->buf);
        /* A node of its own (not S()'s shared empty string): it is
         * marked below. */
        r = eg_val_str(c->a,
                       c->loc && t ? eg_translate(c->loc, t) : v->u.str.s);
        r->lambda = (unsigned)lambda;
        eg_val_copy_loc(r, v); /* errors inside a lambda point here */
        return r;
    }
    return (struct eg_val *)eg_val_resolve(c->a, v);
}

static struct eg_val *section(struct ctx *c, const char *name, int lambda)
{
    const struct eg_val *v = eg_map_get(c->s->root, name);
    struct eg_sb path = EG_SB_INIT;
    struct eg_val *r;
    if (!v)
        return new_map(c, NULL, 0);
    eg_sb_adds(&path, name);
    r = tr_tree(c, v, &path, lambda);
    eg_sb_release(&path);
    return r;
}

/* `uses`: which kinds of field the schema has anywhere, so that templates
 * emit a helper only where something calls it (generated C must not have
 * unused static functions).  uses.<codec> for every codec (ptr, u32,
 * ustr...), and uses.<flag> for the field flags is_<flag> that follow the
 * type (pointer, size, integer, signed, hex, bool, float, double, guid,
 * filetime, string, ustring, astring, binary), and uses.enum.  Every key
 * is present, false when unused. */
static struct eg_val *uses(struct ctx *c)
{
    /* The flags are read from the type maps (type_proto), so the two
     * never disagree; "enum" follows the fields. */
    static const char *const flags[] = {
        "pointer", "size",    "integer", "signed", "hex",
        "bool",    "float",   "double",  "guid",   "filetime",
        "string",  "ustring", "astring", "binary", "enum"};
    int used[EG_T_COUNT] = {0}, has_enum = 0;
    struct eg_val *u = new_map(c, NULL, EG_T_COUNT + EG_ARRAY_LEN(flags));

    for (size_t i = 0; i < c->s->nevents; i++) {
        const struct eg_event *ev = &c->s->events[i];
        for (size_t k = 0; k < ev->nfields; k++) {
            used[ev->fields[k].type] = 1;
            has_enum |= ev->fields[k].enumeration != NULL;
        }
    }
    /* Codec names are shared by several types (u8 by uint8 and hex8). */
    for (int t = 0; t < EG_T_COUNT; t++) {
        int on = 0;
        for (int k = 0; k < EG_T_COUNT; k++)
            if (strcmp(eg_types[k].codec, eg_types[t].codec) == 0)
                on |= used[k];
        if (!eg_map_get(u, eg_types[t].codec))
            set_b(c, u, eg_types[t].codec, on);
    }
    for (size_t n = 0; n < EG_ARRAY_LEN(flags); n++) {
        int on = 0;
        char is[32];
        snprintf(is, sizeof is, "is_%s", flags[n]);
        for (int t = 0; t < EG_T_COUNT; t++) {
            const struct eg_val *v;
            if (!used[t])
                continue;
            v = eg_map_get(type_proto(c, (enum eg_type)t), is);
            on |= v && v->kind == EG_BOOL && v->u.b;
        }
        if (strcmp(flags[n], "enum") == 0)
            on = has_enum;
        if (!eg_map_get(u, flags[n]))
            set_b(c, u, flags[n], on);
    }
    return u;
}

/* The tree every locale shares (its texts are `tr` nodes), with docs:
 * and strings: in English. */
/* The tree; docs and strings are the en-US sections (made first). */
static struct eg_val *build(struct ctx *c, struct eg_val *docs,
                            struct eg_val *strings)
{
    const struct eg_schema *s = c->s;
    struct eg_val *root = new_map(c, NULL, 24), *m;
    struct eg_val *tasks, *opcodes, *enums;
    const char *file = strrchr(s->file, '/');

    m = new_map(c, NULL, 2);
    set_s(c, m, "version", EVGEN_VERSION_STRING);
    set(c, root, "evgen", m);
    m = new_map(c, NULL, 4);
    set_s(c, m, "name", s->name);
    set_s(c, m, "NAME", upper(c, s->name));
    set_s(c, m, "file", file ? file + 1 : s->file);
    set(c, root, "schema", m);

    m = new_map(c, NULL, 16);
    set_s(c, m, "name", s->provider_name);
    set_s(c, m, "symbol", s->provider_symbol);
    set_s(c, m, "SYMBOL", upper(c, s->provider_symbol));
    set_s(c, m, "guid", lower(c, s->provider_guid));
    set_s(c, m, "GUID", upper(c, s->provider_guid));
    set_s(c, m, "guid_c", guid_c(c, s->provider_guid));
    set_s(c, m, "resource_file", s->resource_file);
    set_b(c, m, "has_resource_file", s->resource_file != NULL);
    set_s(c, m, "message_file", s->message_file);
    set_b(c, m, "has_message_file", s->message_file != NULL);
    text(c, m, "description", &s->provider_description);
    set(c, root, "provider", m);

    tasks = eg_val_seq(c->a);
    eg_seq_reserve(c->a, tasks, s->ntasks);
    for (size_t i = 0; i < s->ntasks; i++)
        eg_seq_push(c->a, tasks, named(c, &s->tasks[i], "task"));
    mark_ends(c, tasks);
    set(c, root, "tasks", tasks);
    set_b(c, root, "has_tasks", s->ntasks > 0);

    opcodes = eg_val_seq(c->a);
    eg_seq_reserve(c->a, opcodes, s->nopcodes);
    for (size_t i = 0; i < s->nopcodes; i++)
        eg_seq_push(c->a, opcodes, named(c, &s->opcodes[i], "opcode"));
    mark_ends(c, opcodes);
    set(c, root, "opcodes", opcodes);
    set_b(c, root, "has_opcodes", s->nopcodes > 0);

    enums = eg_val_seq(c->a);
    eg_seq_reserve(c->a, enums, s->nenums);
    for (size_t i = 0; i < s->nenums; i++)
        eg_seq_push(c->a, enums, enum_val(c, &s->enums[i]));
    mark_ends(c, enums);
    set(c, root, "enums", enums);
    set_b(c, root, "has_enums", s->nenums > 0);

    set(c, root, "events", events(c, tasks, opcodes, enums));
    set(c, root, "uses", uses(c));

    set(c, root, "docs", docs);
    set(c, root, "strings", strings);

    m = new_map(c, NULL, 2);
    set_s(c, m, "name", "en-US");
    set_b(c, m, "is_default", 1);
    set(c, root, "locale", m);
    return root;
}

/* A translation's view of the tree: its own docs: and strings: (made
 * first) and `locale`, over the shared tree. */
static struct eg_val *translated(struct ctx *c, const struct eg_val *tree,
                                 struct eg_val *docs, struct eg_val *strings)
{
    struct eg_val *root = new_map(c, tree, 3), *m;
    set(c, root, "docs", docs);
    set(c, root, "strings", strings);
    m = new_map(c, NULL, 2);
    set_s(c, m, "name", c->loc->name);
    set_b(c, m, "is_default", 0);
    set(c, root, "locale", m);
    return root;
}

struct eg_context *eg_context_build(struct eg_arena *a, struct eg_schema *s)
{
    struct eg_context *cx = eg_arena_alloc(a, sizeof(*cx));
    struct eg_val *locales = eg_val_seq(a), **trees, *tree, **docs, **strings;
    struct ctx *c = eg_arena_alloc(a, sizeof(*c));
    const char **tables;

    c->a = a;
    c->s = s;
    c->bools[0] = eg_val_bool(a, 0);
    c->bools[1] = eg_val_bool(a, 1);
    c->empty = eg_val_str(a, "");
    cx->n = s->nlocales + 1;
    cx->roots = eg_arena_alloc(a, cx->n * sizeof(*cx->roots));
    cx->names = eg_arena_alloc(a, cx->n * sizeof(*cx->names));
    trees = eg_arena_alloc(a, cx->n * sizeof(*trees));
    /* Table k is locale k's text for each of the schema's texts; en-US
     * (k = 0) shows the nodes' own. */
    tables = eg_arena_alloc(a, cx->n * sizeof(*tables));
    cx->texts.nlocales = cx->n;
    cx->texts.ntexts = s->ntexts;
    cx->texts.table = (const char *const *const *)tables;
    /* Each locale's docs: and strings: first: they are what needs the
     * texts' index (by path), which then goes before the events come. */
    docs = eg_arena_alloc(a, cx->n * sizeof(*docs));
    strings = eg_arena_alloc(a, cx->n * sizeof(*strings));
    for (size_t i = 0; i < cx->n; i++) {
        c->loc = i == 0 ? NULL : &s->locales[i - 1];
        docs[i] = section(c, "docs", 0);
        strings[i] = section(c, "strings", 1);
    }
    eg_schema_drop_index(s);
    tree = build(c, docs[0], strings[0]);
    for (size_t i = 0; i < cx->n; i++) {
        struct eg_val *m = new_map(c, NULL, 3);
        c->loc = i == 0 ? NULL : &s->locales[i - 1];
        cx->names[i] = c->loc ? c->loc->name : "en-US";
        ((const char *const **)tables)[i] =
            c->loc ? (const char *const *)c->loc->tr : NULL;
        trees[i] = i == 0 ? tree : translated(c, tree, docs[i], strings[i]);
        trees[i]->locale = (unsigned)(i + 1);
        set_s(c, m, "name", cx->names[i]);
        set_b(c, m, "is_default", i == 0);
        set(c, m, "tr", trees[i]);
        eg_seq_push(a, locales, m);
    }
    mark_ends(c, locales);
    /* Each root is its locale's tree plus `locales`, through which the
     * manifest reaches every locale's text.  No tree contains itself. */
    for (size_t i = 0; i < cx->n; i++) {
        struct eg_val *root = new_map(c, trees[i], 1);
        set(c, root, "locales", locales);
        root->locale = (unsigned)(i + 1);
        cx->roots[i] = root;
    }
    return cx;
}
