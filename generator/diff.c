/*
 * diff.c - schema evolution: `evgen diff` compares the checked models
 * (model.h) of two versions of a schema and lists every change, each
 * classified by who it breaks.  It is a side branch of the pipeline: load
 * -> check for both versions, then this instead of context -> render.
 *
 * What a consumer depends on, and so what the rules protect:
 *   - an event's identity: provider GUID, id + version (manifest events),
 *     task + opcode + version (classic events); an old decoder keeps
 *     decoding the versions it knows with the layout it knows;
 *   - the payload layout of every version: the fields with since <= V, in
 *     order, with their types (sizes), enums and lengths;
 *   - names decoders show and code compiles against: event, field, task,
 *     opcode, enum value names, the provider's name and symbol;
 *   - the level sessions filter on.
 * Translations depend on the English text of each string id.
 *
 * Rules ("what" tags; B = breaking, C = compatible, T = text only):
 *   schema-name             B  generated files and C prefix are renamed
 *   provider-name/-symbol   B  tools enable it by name; code uses the symbol
 *   provider-guid           B  the provider's identity
 *   provider-files          C  resource/message file moved: re-register
 *   task-/opcode-added      C
 *   task-/opcode-removed, -renumbered, -renamed, task-guid
 *                           B if an old event used it (its identity or the
 *                             name decoders show changes), else C
 *   enum-added              C
 *   enum-removed, enum-value-removed, -renumbered, -renamed
 *                           B if an old field used the enum, else C (no
 *                             payload was ever decoded with it)
 *   enum-value-added        C  old decoders show the number
 *   event-added             C
 *   event-removed           B
 *   event-renamed           B  same id (or task + opcode), new name
 *   event-id, -task, -opcode B the event's identity changed
 *   event-id-reused, event-identity-reused
 *                           B  an id, or task + opcode, that identified
 *                              another event now names this one
 *   event-version-bumped    C
 *   event-version-decreased B
 *   event-level             C when it becomes more severe (lower number,
 *                              or LogAlways): every session that got it
 *                              still does; B when less severe: sessions
 *                              enabled at the old level silently lose it
 *   field-added             C  appended with since above the old version
 *   field-appended-unversioned B appended to a version that already exists
 *   field-inserted          B  added before an existing field
 *   field-removed, -moved, -renamed, -type, -pointer-size, -enum,
 *   -length, -since         B  the layout (or names) of an existing version
 *                              changes
 *   text-changed/-added/-removed/-id-changed
 *                           T  translations of that string id are stale,
 *                              missing, unused or under the old id
 *   doc-changed             T  untranslated doc data (assetid, date, header)
 *
 * Matching is by name; an unmatched old/new pair with the same identity
 * (an event's id or task + opcode; a field's position, type and since; a
 * task's, opcode's or enum value's number) is reported as a rename.
 */
#include "diff.h"

#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *const kind_names[] = {"breaking", "compatible", "text"};

struct differ {
    struct eg_arena *a;
    const struct eg_schema *o, *n;
    struct eg_diff *d;
};

static void vadd(struct differ *df, enum eg_change_kind kind, const char *what,
                 struct eg_loc old_loc, int old_is_parent,
                 struct eg_loc new_loc, const char *id, const char *fmt,
                 va_list ap)
{
    struct eg_diff *d = df->d;
    struct eg_sb sb = EG_SB_INIT;
    struct eg_change *c;

    eg_sb_vaddf(&sb, fmt, ap);
    if (d->n == d->cap) {
        struct eg_change *p;
        d->cap = d->cap ? d->cap * 2 : 32;
        p = eg_arena_alloc(df->a, d->cap * sizeof(*p));
        if (d->n)
            memcpy(p, d->changes, d->n * sizeof(*p));
        d->changes = p;
    }
    c = &d->changes[d->n++];
    c->kind = kind;
    c->what = what;
    c->message = eg_arena_strndup(df->a, sb.buf, sb.len);
    c->old_loc = old_loc;
    c->new_loc = new_loc;
    c->old_is_parent = old_is_parent;
    c->id = id;
    d->count[kind]++;
    eg_sb_release(&sb);
}

/* A change to something both schemas have, or that the new one lacks
 * (new_loc is then its parent there). */
static void add(struct differ *df, enum eg_change_kind kind, const char *what,
                struct eg_loc old_loc, struct eg_loc new_loc, const char *id,
                const char *fmt, ...) EG_PRINTF(7, 8);

static void add(struct differ *df, enum eg_change_kind kind, const char *what,
                struct eg_loc old_loc, struct eg_loc new_loc, const char *id,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(df, kind, what, old_loc, 0, new_loc, id, fmt, ap);
    va_end(ap);
}

/* Something the old schema lacks: old_parent is where it would be there. */
static void add_new(struct differ *df, enum eg_change_kind kind,
                    const char *what, struct eg_loc old_parent,
                    struct eg_loc new_loc, const char *id, const char *fmt, ...)
    EG_PRINTF(7, 8);

static void add_new(struct differ *df, enum eg_change_kind kind,
                    const char *what, struct eg_loc old_parent,
                    struct eg_loc new_loc, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(df, kind, what, old_parent, 1, new_loc, id, fmt, ap);
    va_end(ap);
}

/* ---- Places ----
 * The model keeps the place of names; the places of other keys (an event's
 * task, a field's length) are in the loaded tree.  A checked schema has one
 * model element per sequence item, so indexes match. */

static const struct eg_val *item_of(const struct eg_val *map, const char *key,
                                    size_t i)
{
    const struct eg_val *seq = map ? eg_map_get(map, key) : NULL;
    if (!seq || seq->kind != EG_SEQ || i >= seq->u.seq.n)
        return NULL;
    return seq->u.seq.items[i];
}

static const struct eg_val *event_node(const struct eg_schema *s,
                                       const struct eg_event *e)
{
    return item_of(s->root, "events", (size_t)(e - s->events));
}

static const struct eg_val *field_node(const struct eg_schema *s,
                                       const struct eg_event *e,
                                       const struct eg_field *f)
{
    return item_of(event_node(s, e), "fields", (size_t)(f - e->fields));
}

static struct eg_loc key_loc(const struct eg_val *map, const char *key,
                             struct eg_loc fallback)
{
    const struct eg_val *v =
        map && map->kind == EG_MAP ? eg_map_get(map, key) : NULL;
    return v ? eg_val_loc(v) : fallback;
}

/* Where a top-level section starts ("events:"), or the file's start. */
static struct eg_loc section_loc(const struct eg_schema *s, const char *key)
{
    const struct eg_pair *p = eg_map_pair(s->root, key);
    return p ? eg_val_loc(p->key) : eg_val_loc(s->root);
}

static int str_eq(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

static int guid_eq(const char *x, const char *y)
{
    return x == y || (x && y && strcasecmp(x, y) == 0);
}

static const char *or_none(const char *s)
{
    return s ? s : "none";
}

/* 'text', or none (unquoted) when absent. */
static const char *quoted(struct differ *df, const char *s)
{
    return s ? eg_arena_printf(df->a, "'%s'", s) : "none";
}

/* t, placed at fallback when it is absent and has no place of its own
 * (an event's doc texts when the event has no doc). */
static struct eg_text placed(const struct eg_text *t, struct eg_loc fallback)
{
    struct eg_text r = *t;
    if (!r.loc.file)
        r.loc = fallback;
    return r;
}

/* ---- Texts ---- */

/* A translatable text of an element present in both schemas.  label names
 * it ("the description of event 'X'"). */
static void diff_text(struct differ *df, const char *label,
                      const struct eg_text *ot, const struct eg_text *nt)
{
    if (!ot->text && !nt->text)
        return;
    if (!ot->text) {
        add_new(df, EG_CHANGE_TEXT, "text-added", ot->loc, nt->loc, nt->id,
                "%s added; '%s' has no translations yet", label, nt->id);
    } else if (!nt->text) {
        add(df, EG_CHANGE_TEXT, "text-removed", ot->loc, nt->loc, ot->id,
            "%s removed; translations of '%s' are unused now", label, ot->id);
    } else if (strcmp(ot->text, nt->text) != 0) {
        if (strcmp(ot->id, nt->id) == 0)
            add(df, EG_CHANGE_TEXT, "text-changed", ot->loc, nt->loc, nt->id,
                "%s changed; translations of '%s' are stale", label, nt->id);
        else
            add(df, EG_CHANGE_TEXT, "text-changed", ot->loc, nt->loc, nt->id,
                "%s changed and its string id is now '%s' (was '%s'); "
                "translate it anew",
                label, nt->id, ot->id);
    } else if (strcmp(ot->id, nt->id) != 0) {
        add(df, EG_CHANGE_TEXT, "text-id-changed", ot->loc, nt->loc, nt->id,
            "%s is unchanged but its string id is now '%s' (was '%s'); move "
            "its translations",
            label, nt->id, ot->id);
    }
}

/* Documentation data that is not translated (asset ids, dates, headers). */
static void diff_doc(struct differ *df, const char *label, const char *o,
                     const char *n, struct eg_loc ol, struct eg_loc nl)
{
    if (str_eq(o, n))
        return;
    if (!o)
        add_new(df, EG_CHANGE_TEXT, "doc-changed", ol, nl, NULL,
                "%s added: '%s'", label, n);
    else if (!n)
        add(df, EG_CHANGE_TEXT, "doc-changed", ol, nl, NULL,
            "%s removed; it was '%s'", label, o);
    else
        add(df, EG_CHANGE_TEXT, "doc-changed", ol, nl, NULL,
            "%s changed from '%s' to '%s'", label, o, n);
}

/* ---- Provider ---- */

static void diff_provider(struct differ *df)
{
    const struct eg_schema *o = df->o, *n = df->n;
    const struct eg_val *op = eg_map_get(o->root, "provider"),
                        *np = eg_map_get(n->root, "provider");
    struct eg_loc ol = eg_val_loc(op), nl = eg_val_loc(np);

    if (!str_eq(o->name, n->name))
        add(df, EG_CHANGE_BREAKING, "schema-name",
            key_loc(o->root, "name", eg_val_loc(o->root)),
            key_loc(n->root, "name", eg_val_loc(n->root)), NULL,
            "schema name changed from '%s' to '%s': the generated files and "
            "C identifiers are renamed",
            o->name, n->name);
    if (!str_eq(o->provider_name, n->provider_name))
        add(df, EG_CHANGE_BREAKING, "provider-name", key_loc(op, "name", ol),
            key_loc(np, "name", nl), NULL,
            "provider name changed from '%s' to '%s': sessions and tools "
            "that enable it by name no longer find it",
            o->provider_name, n->provider_name);
    if (!str_eq(o->provider_symbol, n->provider_symbol))
        add(df, EG_CHANGE_BREAKING, "provider-symbol",
            key_loc(op, "symbol", ol), key_loc(np, "symbol", nl), NULL,
            "provider symbol changed from '%s' to '%s': code that uses the "
            "generated provider no longer compiles",
            o->provider_symbol, n->provider_symbol);
    if (!guid_eq(o->provider_guid, n->provider_guid))
        add(df, EG_CHANGE_BREAKING, "provider-guid", key_loc(op, "guid", ol),
            key_loc(np, "guid", nl), NULL,
            "provider GUID changed from %s to %s: consumers enable and "
            "decode the provider by its GUID",
            o->provider_guid, n->provider_guid);
    if (!str_eq(o->resource_file, n->resource_file))
        add(df, EG_CHANGE_COMPATIBLE, "provider-files",
            key_loc(op, "resource_file", ol), key_loc(np, "resource_file", nl),
            NULL,
            "provider resource file changed from %s to %s; re-register the "
            "manifest",
            quoted(df, o->resource_file), quoted(df, n->resource_file));
    if (!str_eq(o->message_file, n->message_file))
        add(df, EG_CHANGE_COMPATIBLE, "provider-files",
            key_loc(op, "message_file", ol), key_loc(np, "message_file", nl),
            NULL,
            "provider message file changed from %s to %s; re-register the "
            "manifest",
            quoted(df, o->message_file), quoted(df, n->message_file));
    diff_text(df, "the provider's description", &o->provider_description,
              &n->provider_description);
}

/* ---- Tasks and opcodes ---- */

/* "used by event 'X'" / "used by event 'X' and 2 more" / NULL. */
static const char *named_users(struct differ *df, const struct eg_named *t,
                               int opcode)
{
    const struct eg_schema *s = df->o;
    const char *first = NULL;
    size_t n = 0;
    for (size_t i = 0; i < s->nevents; i++) {
        if ((opcode ? s->events[i].opcode : s->events[i].task) != t)
            continue;
        if (!n++)
            first = s->events[i].name;
    }
    if (!n)
        return NULL;
    if (n == 1)
        return eg_arena_printf(df->a, "used by event '%s'", first);
    return eg_arena_printf(df->a, "used by event '%s' and %zu more", first,
                           n - 1);
}

static enum eg_change_kind if_used(const char *users)
{
    return users ? EG_CHANGE_BREAKING : EG_CHANGE_COMPATIBLE;
}

static void diff_named(struct differ *df, const char *section, int opcode,
                       const struct eg_named *ol, size_t on,
                       const struct eg_named *nl, size_t nn)
{
    const char *what = opcode ? "opcode" : "task";
    struct eg_loc o_parent = section_loc(df->o, section),
                  n_parent = section_loc(df->n, section);
    char *taken = eg_arena_alloc(df->a, nn + 1);

    for (size_t i = 0; i < on; i++) {
        const struct eg_named *t = &ol[i], *u = NULL;
        const char *users = named_users(df, t, opcode), *label;
        size_t j;
        for (j = 0; j < nn; j++)
            if (!taken[j] && strcmp(nl[j].name, t->name) == 0)
                break;
        if (j == nn) {
            /* Not there by name: renamed if its number survives under a
             * name the old schema does not have. */
            for (j = 0; j < nn; j++) {
                size_t k;
                if (taken[j] || nl[j].value != t->value)
                    continue;
                for (k = 0; k < on; k++)
                    if (strcmp(ol[k].name, nl[j].name) == 0)
                        break;
                if (k == on)
                    break;
            }
            if (j == nn) {
                add(df, if_used(users),
                    eg_arena_printf(df->a, "%s-removed", what), t->loc,
                    n_parent, NULL, "%s '%s' (%lld) removed (%s)", what,
                    t->name, t->value, users ? users : "no event used it");
                continue;
            }
            u = &nl[j];
            taken[j] = 1;
            add(df, if_used(users), eg_arena_printf(df->a, "%s-renamed", what),
                t->loc, u->loc, NULL,
                "%s '%s' (%lld) renamed to '%s': decoders show the new name "
                "(%s)",
                what, t->name, t->value, u->name,
                users ? users : "no event used it");
        } else {
            u = &nl[j];
            taken[j] = 1;
            if (u->value != t->value)
                add(df, if_used(users),
                    eg_arena_printf(df->a, "%s-renumbered", what), t->loc,
                    u->loc, NULL,
                    "%s '%s' renumbered from %lld to %lld: the identity of "
                    "its events changes (%s)",
                    what, t->name, t->value, u->value,
                    users ? users : "no event used it");
        }
        if (!guid_eq(t->guid, u->guid))
            add(df, if_used(users), "task-guid", t->loc, u->loc, NULL,
                "task '%s' GUID changed from %s to %s: classic events are "
                "identified by it (%s)",
                u->name, or_none(t->guid), or_none(u->guid),
                users ? users : "no event used it");
        label =
            eg_arena_printf(df->a, "the description of %s '%s'", what, u->name);
        diff_text(df, label, &t->description, &u->description);
    }
    for (size_t j = 0; j < nn; j++)
        if (!taken[j])
            add_new(df, EG_CHANGE_COMPATIBLE,
                    eg_arena_printf(df->a, "%s-added", what), o_parent,
                    nl[j].loc, NULL, "%s '%s' (%lld) added", what, nl[j].name,
                    nl[j].value);
}

/* ---- Enums ---- */

/* "used by field 'F' of event 'E'" (and N more), or NULL. */
static const char *enum_users(struct differ *df, const struct eg_enum *e)
{
    const struct eg_schema *s = df->o;
    const struct eg_event *fe = NULL;
    const struct eg_field *ff = NULL;
    size_t n = 0;
    for (size_t i = 0; i < s->nevents; i++)
        for (size_t j = 0; j < s->events[i].nfields; j++)
            if (s->events[i].fields[j].enumeration == e && !n++) {
                fe = &s->events[i];
                ff = &fe->fields[j];
            }
    if (!n)
        return NULL;
    if (n == 1)
        return eg_arena_printf(df->a, "used by field '%s' of event '%s'",
                               ff->name, fe->name);
    return eg_arena_printf(df->a,
                           "used by field '%s' of event '%s' and %zu "
                           "more",
                           ff->name, fe->name, n - 1);
}

static void diff_enum_values(struct differ *df, const struct eg_enum *oe,
                             const struct eg_enum *ne, const char *users)
{
    const char *why = users ? users : "no field used the enum";
    char *taken = eg_arena_alloc(df->a, ne->nvalues + 1);

    for (size_t i = 0; i < oe->nvalues; i++) {
        const struct eg_enum_value *v = &oe->values[i], *u;
        size_t j;
        for (j = 0; j < ne->nvalues; j++)
            if (!taken[j] && strcmp(ne->values[j].name, v->name) == 0)
                break;
        if (j == ne->nvalues) {
            for (j = 0; j < ne->nvalues; j++) {
                size_t k;
                if (taken[j] || ne->values[j].value != v->value)
                    continue;
                for (k = 0; k < oe->nvalues; k++)
                    if (strcmp(oe->values[k].name, ne->values[j].name) == 0)
                        break;
                if (k == oe->nvalues)
                    break;
            }
            if (j == ne->nvalues) {
                add(df, if_used(users), "enum-value-removed", v->loc, ne->loc,
                    NULL, "value '%s' (%lld) removed from enum '%s' (%s)",
                    v->name, v->value, ne->name, why);
                continue;
            }
            u = &ne->values[j];
            add(df, if_used(users), "enum-value-renamed", v->loc, u->loc, NULL,
                "value '%s' (%lld) of enum '%s' renamed to '%s': decoders "
                "show the new name (%s)",
                v->name, v->value, ne->name, u->name, why);
        } else {
            u = &ne->values[j];
            if (u->value != v->value)
                add(df, if_used(users), "enum-value-renumbered", v->loc, u->loc,
                    NULL,
                    "value '%s' of enum '%s' renumbered from %lld to %lld (%s)",
                    v->name, ne->name, v->value, u->value, why);
        }
        taken[j] = 1;
        diff_text(df,
                  eg_arena_printf(df->a,
                                  "the description of value '%s' of "
                                  "enum '%s'",
                                  u->name, ne->name),
                  &v->description, &u->description);
    }
    for (size_t j = 0; j < ne->nvalues; j++)
        if (!taken[j])
            add_new(df, EG_CHANGE_COMPATIBLE, "enum-value-added", oe->loc,
                    ne->values[j].loc, NULL,
                    "value '%s' (%lld) added to enum '%s'", ne->values[j].name,
                    ne->values[j].value, ne->name);
}

static void diff_enums(struct differ *df)
{
    const struct eg_schema *o = df->o, *n = df->n;
    char *taken = eg_arena_alloc(df->a, n->nenums + 1);

    for (size_t i = 0; i < o->nenums; i++) {
        const struct eg_enum *oe = &o->enums[i];
        const char *users = enum_users(df, oe);
        size_t j;
        for (j = 0; j < n->nenums; j++)
            if (strcmp(n->enums[j].name, oe->name) == 0)
                break;
        if (j == n->nenums) {
            add(df, if_used(users), "enum-removed", oe->loc,
                section_loc(n, "enums"), NULL, "enum '%s' removed (%s)",
                oe->name, users ? users : "no field used it");
            continue;
        }
        taken[j] = 1;
        diff_doc(
            df, eg_arena_printf(df->a, "the header of enum '%s'", oe->name),
            oe->header, n->enums[j].header,
            key_loc(item_of(o->root, "enums", i), "header", oe->loc),
            key_loc(item_of(n->root, "enums", j), "header", n->enums[j].loc));
        diff_text(
            df,
            eg_arena_printf(df->a, "the description of enum '%s'", oe->name),
            &oe->description, &n->enums[j].description);
        diff_enum_values(df, oe, &n->enums[j], users);
    }
    for (size_t j = 0; j < n->nenums; j++)
        if (!taken[j])
            add_new(df, EG_CHANGE_COMPATIBLE, "enum-added",
                    section_loc(o, "enums"), n->enums[j].loc, NULL,
                    "enum '%s' added", n->enums[j].name);
}

/* ---- Fields ---- */

static const char *size_desc(struct differ *df, const struct eg_field *f)
{
    int s4 = eg_field_size(f, 4), s8 = eg_field_size(f, 8);
    if (s4 < 0)
        return "variable-size";
    if (s4 != s8)
        return "pointer-sized";
    return eg_arena_printf(df->a, "%d byte%s", s4, s4 == 1 ? "" : "s");
}

static const char *length_desc(struct differ *df, const struct eg_event *e,
                               const struct eg_field *f)
{
    if (f->length_field >= 0)
        return eg_arena_printf(df->a, "field '%s'",
                               e->fields[f->length_field].name);
    return eg_arena_printf(df->a, "%lld bytes", f->length_const);
}

/* Compare field of with nf (the same field: by name, or renamed).  on
 * maps old field indexes to new ones (-1: gone), so a length field that
 * was renamed is still the same length field. */
static void diff_field(struct differ *df, const struct eg_event *oe,
                       const struct eg_field *of, const struct eg_event *ne,
                       const struct eg_field *nf, const int *on)
{
    const char *label =
        eg_arena_printf(df->a, "field '%s' of event '%s'", nf->name, ne->name);
    const struct eg_val *onode = field_node(df->o, oe, of),
                        *nnode = field_node(df->n, ne, nf);

    if (of->type != nf->type) {
        const char *os = size_desc(df, of), *ns = size_desc(df, nf);
        int optr = eg_types[of->type].size == 0,
            nptr = eg_types[nf->type].size == 0;
        if (strcmp(os, ns) != 0)
            add(df, EG_CHANGE_BREAKING,
                optr != nptr ? "field-pointer-size" : "field-type",
                of->type_loc, nf->type_loc, NULL,
                "%s changed type from %s to %s (%s to %s): every later "
                "offset moves",
                label, eg_types[of->type].name, eg_types[nf->type].name, os,
                ns);
        else
            add(df, EG_CHANGE_BREAKING, "field-type", of->type_loc,
                nf->type_loc, NULL,
                "%s changed type from %s to %s (both %s): decoders read the "
                "value differently",
                label, eg_types[of->type].name, eg_types[nf->type].name, os);
    }
    if (of->enumeration != NULL || nf->enumeration != NULL) {
        const char *oen = of->enumeration ? of->enumeration->name : NULL,
                   *nen = nf->enumeration ? nf->enumeration->name : NULL;
        struct eg_loc ol = key_loc(onode, "enum", of->type_loc),
                      nl = key_loc(nnode, "enum", nf->type_loc);
        if (!oen)
            add(df, EG_CHANGE_BREAKING, "field-enum", ol, nl, NULL,
                "%s now maps its values through enum '%s': decoders show "
                "names where they showed numbers",
                label, nen);
        else if (!nen)
            add(df, EG_CHANGE_BREAKING, "field-enum", ol, nl, NULL,
                "%s no longer maps its values through enum '%s': decoders "
                "show numbers where they showed names",
                label, oen);
        else if (strcmp(oen, nen) != 0)
            add(df, EG_CHANGE_BREAKING, "field-enum", ol, nl, NULL,
                "%s maps its values through enum '%s' instead of '%s'", label,
                nen, oen);
    }
    if (of->type == EG_T_BINARY && nf->type == EG_T_BINARY) {
        const char *ol = length_desc(df, oe, of), *nl = length_desc(df, ne, nf);
        int same =
            of->length_field >= 0
                ? on[of->length_field] == nf->length_field
                : nf->length_field < 0 && of->length_const == nf->length_const;
        if (!same)
            add(df, EG_CHANGE_BREAKING, "field-length",
                key_loc(onode, "length", of->loc),
                key_loc(nnode, "length", nf->loc), NULL,
                "the length of %s changed from %s to %s", label, ol, nl);
    }
    if (of->since != nf->since) {
        int v = of->since < nf->since ? of->since : nf->since;
        add(df, EG_CHANGE_BREAKING, "field-since",
            key_loc(onode, "since", of->loc), key_loc(nnode, "since", nf->loc),
            NULL,
            "%s changed 'since' from %d to %d: the layout of version %d "
            "changes",
            label, of->since, nf->since, v);
    }
    diff_text(df, eg_arena_printf(df->a, "the description of %s", label),
              &of->description, &nf->description);
}

/* Old fields are matched to new ones by name, or as a rename when an
 * unmatched pair sits at the same position with the same type and since.
 * Of the matched fields, those off a longest run that kept its order are
 * the ones that moved. */
static void diff_fields(struct differ *df, const struct eg_event *oe,
                        const struct eg_event *ne)
{
    size_t m = oe->nfields, n = ne->nfields, k = 0;
    int *on = eg_arena_alloc(df->a, (m + 1) * sizeof(int));
    int *no = eg_arena_alloc(df->a, (n + 1) * sizeof(int));
    char *renamed = eg_arena_alloc(df->a, m + 1);
    char *kept = eg_arena_alloc(df->a, m + 1);
    size_t *lis = eg_arena_alloc(df->a, (m + 1) * sizeof(size_t));
    size_t *prev = eg_arena_alloc(df->a, (m + 1) * sizeof(size_t));
    size_t *idx = eg_arena_alloc(df->a, (m + 1) * sizeof(size_t));

    for (size_t j = 0; j < n; j++)
        no[j] = -1;
    for (size_t i = 0; i < m; i++) {
        on[i] = -1;
        for (size_t j = 0; j < n; j++)
            if (strcmp(oe->fields[i].name, ne->fields[j].name) == 0) {
                on[i] = (int)j;
                no[j] = (int)i;
            }
    }
    for (size_t i = 0; i < m && i < n; i++) {
        const struct eg_field *of = &oe->fields[i], *nf = &ne->fields[i];
        if (on[i] < 0 && no[i] < 0 && of->type == nf->type &&
            of->since == nf->since) {
            on[i] = (int)i;
            no[i] = (int)i;
            renamed[i] = 1;
        }
    }

    /* Longest increasing run of new positions, in old order (O(k^2); an
     * event has at most 128 fields). */
    for (size_t i = 0; i < m; i++)
        if (on[i] >= 0)
            idx[k++] = i;
    {
        size_t best = 0, best_end = 0;
        for (size_t x = 0; x < k; x++) {
            lis[x] = 1;
            prev[x] = (size_t)-1;
            for (size_t y = 0; y < x; y++)
                if (on[idx[y]] < on[idx[x]] && lis[y] + 1 > lis[x]) {
                    lis[x] = lis[y] + 1;
                    prev[x] = y;
                }
            if (lis[x] > best) {
                best = lis[x];
                best_end = x;
            }
        }
        if (k)
            for (size_t x = best_end; x != (size_t)-1; x = prev[x])
                kept[idx[x]] = 1;
    }

    for (size_t i = 0; i < m; i++) {
        const struct eg_field *of = &oe->fields[i], *nf;
        if (on[i] < 0) {
            add(df, EG_CHANGE_BREAKING, "field-removed", of->loc, ne->loc, NULL,
                "field '%s' (position %zu, since version %d) removed from "
                "event '%s'",
                of->name, i + 1, of->since, ne->name);
            continue;
        }
        nf = &ne->fields[on[i]];
        if (renamed[i])
            add(df, EG_CHANGE_BREAKING, "field-renamed", of->loc, nf->loc, NULL,
                "field '%s' of event '%s' renamed to '%s' (same position and "
                "type): decoders find fields by name",
                of->name, ne->name, nf->name);
        if (!kept[i])
            add(df, EG_CHANGE_BREAKING, "field-moved", of->loc, nf->loc, NULL,
                "field '%s' of event '%s' moved from position %zu to %d",
                nf->name, ne->name, i + 1, on[i] + 1);
        diff_field(df, oe, of, ne, nf, on);
    }

    for (size_t j = 0; j < n; j++) {
        const struct eg_field *nf = &ne->fields[j];
        const struct eg_field *after = NULL;
        if (no[j] >= 0)
            continue;
        for (size_t x = j + 1; x < n && !after; x++)
            if (no[x] >= 0)
                after = &ne->fields[x];
        if (nf->since > oe->version)
            add_new(df, EG_CHANGE_COMPATIBLE, "field-added", oe->loc, nf->loc,
                    NULL, "field '%s' added to event '%s' in version %d",
                    nf->name, ne->name, nf->since);
        else if (after)
            add_new(
                df, EG_CHANGE_BREAKING, "field-inserted", oe->loc, nf->loc,
                NULL,
                "field '%s' inserted into event '%s' before '%s': the fields "
                "after it move (append fields instead, with a version bump)",
                nf->name, ne->name, after->name);
        else if (ne->version == oe->version)
            add_new(
                df, EG_CHANGE_BREAKING, "field-appended-unversioned", oe->loc,
                nf->loc, NULL,
                "field '%s' appended to event '%s' without a version bump: "
                "version %d consumers decode the old layout (raise 'version' "
                "to %d and give '%s' since: %d)",
                nf->name, ne->name, oe->version, oe->version + 1, nf->name,
                oe->version + 1);
        else
            add_new(
                df, EG_CHANGE_BREAKING, "field-appended-unversioned", oe->loc,
                nf->loc, NULL,
                "field '%s' appended to event '%s' with since: %d, but version "
                "%d already existed without it (give it since: %d or later)",
                nf->name, ne->name, nf->since, nf->since, oe->version + 1);
    }
}

/* ---- Finding by name ----
 * Events and free-form strings can number in the thousands: they are
 * looked up through a sorted index rather than by scanning. */

struct name_ix {
    const char *name;
    size_t i;
};

static int name_ix_cmp(const void *x, const void *y)
{
    const struct name_ix *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

static void name_ix_sort(struct name_ix *ix, size_t n)
{
    if (n > 1)
        qsort(ix, n, sizeof(*ix), name_ix_cmp);
}

/* The first entry not yet taken with this name (taken is indexed by
 * entry.i and may be NULL), or NULL. */
static const struct name_ix *name_ix_find(const struct name_ix *ix, size_t n,
                                          const char *name, const char *taken)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && strcmp(ix[lo].name, name) == 0; lo++)
        if (!taken || !taken[ix[lo].i])
            return &ix[lo];
    return NULL;
}

/* ---- Events ---- */

static long long task_value(const struct eg_event *e)
{
    return e->task ? e->task->value : 0;
}

static long long opcode_value(const struct eg_event *e)
{
    return e->opcode ? e->opcode->value : 0;
}

static const char *named_desc(struct differ *df, const struct eg_named *t)
{
    return t ? eg_arena_printf(df->a, "'%s' (%lld)", t->name, t->value)
             : "none";
}

/* Classic events are identified by task + opcode when both are given. */
static int same_classic_identity(const struct eg_event *x,
                                 const struct eg_event *y)
{
    return x->task && x->opcode && y->task && y->opcode &&
           x->task->value == y->task->value &&
           x->opcode->value == y->opcode->value;
}

/* Does ne's identity belong to an old event other than self?  what: 1 id,
 * 2 task + opcode. */
static void check_reuse(struct differ *df, const struct eg_event *ne,
                        const struct eg_event *self, int what, int added)
{
    const struct eg_schema *o = df->o;
    const struct eg_val *node = event_node(df->n, ne);
    for (size_t i = 0; i < o->nevents; i++) {
        const struct eg_event *oe = &o->events[i];
        if (oe == self)
            continue;
        if (what == 1 && oe->id == ne->id)
            add(df, EG_CHANGE_BREAKING, "event-id-reused", oe->id_loc,
                ne->id_loc, NULL,
                "%sevent '%s' has id %lld, which identified event '%s' in the "
                "old schema: old consumers take it for '%s'",
                added ? "new " : "", ne->name, ne->id, oe->name, oe->name);
        else if (what == 2 && same_classic_identity(oe, ne))
            add(df, EG_CHANGE_BREAKING, "event-identity-reused", oe->loc,
                key_loc(node, "opcode", ne->loc), NULL,
                "%sevent '%s' has task '%s' and opcode '%s', which identified "
                "event '%s' in the old schema: old consumers take it for '%s'",
                added ? "new " : "", ne->name, ne->task->name, ne->opcode->name,
                oe->name, oe->name);
    }
}

static void diff_event(struct differ *df, const struct eg_event *oe,
                       const struct eg_event *ne)
{
    const struct eg_val *onode = event_node(df->o, oe),
                        *nnode = event_node(df->n, ne);
    const char *name = ne->name;
    int identity = 0;

    if (oe->id != ne->id) {
        add(df, EG_CHANGE_BREAKING, "event-id", oe->id_loc, ne->id_loc, NULL,
            "event '%s' id changed from %lld to %lld", name, oe->id, ne->id);
        check_reuse(df, ne, oe, 1, 0);
    }
    if (ne->version < oe->version)
        add(df, EG_CHANGE_BREAKING, "event-version-decreased", oe->version_loc,
            ne->version_loc, NULL,
            "event '%s' version decreased from %d to %d: consumers of "
            "version %d lose its layout",
            name, oe->version, ne->version, oe->version);
    else if (ne->version > oe->version)
        add(df, EG_CHANGE_COMPATIBLE, "event-version-bumped", oe->version_loc,
            ne->version_loc, NULL, "event '%s' version raised from %d to %d",
            name, oe->version, ne->version);
    if (task_value(oe) != task_value(ne)) {
        add(df, EG_CHANGE_BREAKING, "event-task",
            key_loc(onode, "task", oe->loc), key_loc(nnode, "task", ne->loc),
            NULL, "event '%s' task changed from %s to %s", name,
            named_desc(df, oe->task), named_desc(df, ne->task));
        identity = 1;
    }
    if (opcode_value(oe) != opcode_value(ne)) {
        add(df, EG_CHANGE_BREAKING, "event-opcode",
            key_loc(onode, "opcode", oe->loc),
            key_loc(nnode, "opcode", ne->loc), NULL,
            "event '%s' opcode changed from %s to %s", name,
            named_desc(df, oe->opcode), named_desc(df, ne->opcode));
        identity = 1;
    }
    if (identity)
        check_reuse(df, ne, oe, 2, 0);
    if (oe->level != ne->level) {
        struct eg_loc ol = key_loc(onode, "level", oe->loc),
                      nl = key_loc(nnode, "level", ne->loc);
        const char *from = eg_level_name(oe->level),
                   *to = eg_level_name(ne->level);
        /* A session enabled at level L gets events with level <= L, and
         * level 0 always. */
        if (ne->level < oe->level)
            add(df, EG_CHANGE_COMPATIBLE, "event-level", ol, nl, NULL,
                "event '%s' level changed from %s to %s: every session that "
                "received it still does",
                name, from, to);
        else
            add(df, EG_CHANGE_BREAKING, "event-level", ol, nl, NULL,
                "event '%s' level changed from %s to %s: sessions enabled at "
                "%s no longer receive it",
                name, from, to, from);
    }
    diff_text(df, eg_arena_printf(df->a, "the description of event '%s'", name),
              &oe->description, &ne->description);
    diff_text(df, eg_arena_printf(df->a, "the message of event '%s'", name),
              &oe->message, &ne->message);
    {
        const struct eg_val *od = eg_map_get(onode, "doc"),
                            *nd = eg_map_get(nnode, "doc");
        struct eg_loc odl = od ? eg_val_loc(od) : oe->loc,
                      ndl = nd ? eg_val_loc(nd) : ne->loc;
        struct eg_text os = placed(&oe->summary, odl),
                       ns = placed(&ne->summary, ndl),
                       orm = placed(&oe->remarks, odl),
                       nrm = placed(&ne->remarks, ndl);
        diff_doc(df,
                 eg_arena_printf(df->a, "the doc assetid of event '%s'", name),
                 oe->assetid, ne->assetid, key_loc(od, "assetid", odl),
                 key_loc(nd, "assetid", ndl));
        diff_doc(df, eg_arena_printf(df->a, "the doc date of event '%s'", name),
                 oe->date, ne->date, key_loc(od, "date", odl),
                 key_loc(nd, "date", ndl));
        diff_text(df,
                  eg_arena_printf(df->a, "the doc summary of event '%s'", name),
                  &os, &ns);
        diff_text(df,
                  eg_arena_printf(df->a, "the doc remarks of event '%s'", name),
                  &orm, &nrm);
    }
    diff_fields(df, oe, ne);
}

static void diff_events(struct differ *df)
{
    const struct eg_schema *o = df->o, *n = df->n;
    int *match = eg_arena_alloc(df->a, (o->nevents + 1) * sizeof(int));
    char *paired = eg_arena_alloc(df->a, o->nevents + 1);
    char *taken = eg_arena_alloc(df->a, n->nevents + 1);

    struct name_ix *ix = eg_arena_alloc(df->a, (n->nevents + 1) * sizeof(*ix));

    for (size_t j = 0; j < n->nevents; j++) {
        ix[j].name = n->events[j].name;
        ix[j].i = j;
    }
    name_ix_sort(ix, n->nevents);
    for (size_t i = 0; i < o->nevents; i++) {
        const struct name_ix *hit =
            name_ix_find(ix, n->nevents, o->events[i].name, NULL);
        match[i] = hit ? (int)hit->i : -1;
        if (hit)
            taken[hit->i] = 1;
    }
    /* A name that is gone, and a new name with its identity: a rename. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < o->nevents; i++) {
            if (match[i] >= 0)
                continue;
            for (size_t j = 0; j < n->nevents; j++) {
                if (taken[j])
                    continue;
                if (pass == 0
                        ? o->events[i].id == n->events[j].id
                        : same_classic_identity(&o->events[i], &n->events[j])) {
                    match[i] = (int)j;
                    paired[i] = (char)(pass + 1);
                    taken[j] = 1;
                    break;
                }
            }
        }

    for (size_t i = 0; i < o->nevents; i++) {
        const struct eg_event *oe = &o->events[i], *ne;
        if (match[i] < 0) {
            add(df, EG_CHANGE_BREAKING, "event-removed", oe->loc,
                section_loc(n, "events"), NULL, "event '%s' (id %lld) removed",
                oe->name, oe->id);
            continue;
        }
        ne = &n->events[match[i]];
        if (paired[i])
            add(df, EG_CHANGE_BREAKING, "event-renamed", oe->loc, ne->loc, NULL,
                "event '%s' renamed to '%s' (same %s): consumers that know "
                "it by name break",
                oe->name, ne->name, paired[i] == 1 ? "id" : "task and opcode");
        diff_event(df, oe, ne);
    }
    for (size_t j = 0; j < n->nevents; j++) {
        const struct eg_event *ne = &n->events[j];
        if (taken[j])
            continue;
        add_new(df, EG_CHANGE_COMPATIBLE, "event-added",
                section_loc(o, "events"), ne->loc, NULL,
                "event '%s' (id %lld, version %d) added", ne->name, ne->id,
                ne->version);
        check_reuse(df, ne, NULL, 1, 1);
        check_reuse(df, ne, NULL, 2, 1);
    }
}

/* ---- docs: and strings: ----
 * Free-form trees templates read.  Every scalar leaf is compared by its
 * path; string leaves are translatable and their path is their string id
 * (as check.c assigns them). */

struct leaf {
    const char *path;
    const struct eg_val *v;
    int text; /* translatable */
};

struct leaves {
    struct leaf *v;
    size_t n, cap;
};

static void collect(struct differ *df, const struct eg_schema *s,
                    const struct eg_val *v, const char *path,
                    struct leaves *out)
{
    if (v->kind == EG_MAP) {
        for (size_t i = 0; i < v->u.map.n; i++)
            collect(df, s, v->u.map.pairs[i].val,
                    eg_arena_printf(df->a, "%s.%s", path,
                                    v->u.map.pairs[i].key->u.str.s),
                    out);
        return;
    }
    if (v->kind == EG_SEQ) {
        for (size_t i = 0; i < v->u.seq.n; i++)
            collect(df, s, v->u.seq.items[i],
                    eg_arena_printf(df->a, "%s.%zu", path, i), out);
        return;
    }
    if (out->n == out->cap) {
        struct leaf *p;
        out->cap = out->cap ? out->cap * 2 : 64;
        p = eg_arena_alloc(df->a, out->cap * sizeof(*p));
        if (out->n)
            memcpy(p, out->v, out->n * sizeof(*p));
        out->v = p;
    }
    out->v[out->n].path = path;
    out->v[out->n].v = v;
    out->v[out->n].text = v->kind == EG_STR && eg_val_resolve(df->a, v) == v;
    out->n++;
}

static const char *leaf_text(const struct eg_val *v)
{
    switch (v->kind) {
    case EG_STR: return v->u.str.s;
    case EG_BOOL: return v->u.b ? "true" : "false";
    default: return "";
    }
}

static void diff_free(struct differ *df, const char *section)
{
    const struct eg_val *ov = eg_map_get(df->o->root, section),
                        *nv = eg_map_get(df->n->root, section);
    struct leaves ol = {NULL, 0, 0}, nl = {NULL, 0, 0};
    struct name_ix *ix;
    char *taken;

    if (ov)
        collect(df, df->o, ov, section, &ol);
    if (nv)
        collect(df, df->n, nv, section, &nl);
    taken = eg_arena_alloc(df->a, nl.n + 1);
    ix = eg_arena_alloc(df->a, (nl.n + 1) * sizeof(*ix));
    for (size_t j = 0; j < nl.n; j++) {
        ix[j].name = nl.v[j].path;
        ix[j].i = j;
    }
    name_ix_sort(ix, nl.n);
    for (size_t i = 0; i < ol.n; i++) {
        const struct leaf *x = &ol.v[i], *y = NULL;
        const struct name_ix *hit = name_ix_find(ix, nl.n, x->path, taken);
        if (hit) {
            y = &nl.v[hit->i];
            taken[hit->i] = 1;
        }
        if (!y) {
            add(df, EG_CHANGE_TEXT, x->text ? "text-removed" : "doc-changed",
                eg_val_loc(x->v), section_loc(df->n, section),
                x->text ? x->path : NULL, "string '%s' removed%s", x->path,
                x->text ? "; its translations are unused now" : "");
        } else if (x->text != y->text ||
                   strcmp(leaf_text(x->v), leaf_text(y->v)) != 0) {
            if (y->text)
                add(df, EG_CHANGE_TEXT, "text-changed", eg_val_loc(x->v),
                    eg_val_loc(y->v), y->path,
                    "string '%s' changed; its translations are stale", y->path);
            else
                add(df, EG_CHANGE_TEXT, "doc-changed", eg_val_loc(x->v),
                    eg_val_loc(y->v), NULL,
                    "value '%s' changed from '%s' to '%s'", y->path,
                    leaf_text(x->v), leaf_text(y->v));
        }
    }
    for (size_t j = 0; j < nl.n; j++)
        if (!taken[j])
            add_new(df, EG_CHANGE_TEXT,
                    nl.v[j].text ? "text-added" : "doc-changed",
                    section_loc(df->o, section), eg_val_loc(nl.v[j].v),
                    nl.v[j].text ? nl.v[j].path : NULL, "string '%s' added%s",
                    nl.v[j].path,
                    nl.v[j].text ? "; it has no translations yet" : "");
}

void eg_diff_schemas(struct eg_arena *a, const struct eg_schema *old,
                     const struct eg_schema *new_, struct eg_diff *d)
{
    struct differ df;
    memset(d, 0, sizeof *d);
    df.a = a;
    df.o = old;
    df.n = new_;
    df.d = d;
    diff_provider(&df);
    diff_named(&df, "tasks", 0, old->tasks, old->ntasks, new_->tasks,
               new_->ntasks);
    diff_named(&df, "opcodes", 1, old->opcodes, old->nopcodes, new_->opcodes,
               new_->nopcodes);
    diff_enums(&df);
    diff_events(&df);
    diff_free(&df, "docs");
    diff_free(&df, "strings");
}

/* ---- Output ---- */

static void add_loc(struct eg_sb *sb, struct eg_loc l)
{
    if (!l.file)
        eg_sb_adds(sb, "?");
    else if (!l.line)
        eg_sb_adds(sb, l.file);
    else if (!l.col)
        eg_sb_addf(sb, "%s:%d", l.file, l.line);
    else
        eg_sb_addf(sb, "%s:%d:%d", l.file, l.line, l.col);
}

/* One change, one line: control characters (from free-form keys or file
 * names) are escaped so a line stays a line. */
static void add_line_safe(struct eg_sb *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            eg_sb_adds(out, "\\n");
        else if (c == '\t')
            eg_sb_adds(out, "\\t");
        else if (c < 0x20 || c == 0x7f)
            eg_sb_addf(out, "\\x%02x", c);
        else
            eg_sb_addc(out, (char)c);
    }
}

void eg_diff_write_text(const struct eg_diff *d, struct eg_sb *out)
{
    struct eg_sb line = EG_SB_INIT;
    for (size_t i = 0; i < d->n; i++) {
        const struct eg_change *c = &d->changes[i];
        eg_sb_reset(&line);
        eg_sb_addf(&line, "%s: ", kind_names[c->kind]);
        add_loc(&line, c->new_loc);
        eg_sb_addf(&line, ": %s (%s ", c->message,
                   c->old_is_parent ? "old:" : "was");
        add_loc(&line, c->old_loc);
        eg_sb_addf(&line, ") [%s]", c->what);
        add_line_safe(out, line.buf, line.len);
        eg_sb_addc(out, '\n');
    }
    eg_sb_release(&line);
    if (!d->n)
        eg_sb_adds(out, "no changes\n");
    else
        eg_sb_addf(out,
                   "%zu change%s: %zu breaking, %zu compatible, %zu text "
                   "only\n",
                   d->n, d->n == 1 ? "" : "s", d->count[EG_CHANGE_BREAKING],
                   d->count[EG_CHANGE_COMPATIBLE], d->count[EG_CHANGE_TEXT]);
}

static void json_str(struct eg_sb *out, const char *s)
{
    eg_json_string(s, strlen(s), out);
}

static void json_loc(struct eg_sb *out, struct eg_loc l)
{
    struct eg_sb sb = EG_SB_INIT;
    add_loc(&sb, l);
    json_str(out, sb.buf);
    eg_sb_release(&sb);
}

void eg_diff_write_json(const struct eg_diff *d, struct eg_sb *out)
{
    eg_sb_addf(out,
               "{\n  \"breaking\": %zu,\n  \"compatible\": %zu,\n"
               "  \"text\": %zu,\n  \"changes\": [",
               d->count[EG_CHANGE_BREAKING], d->count[EG_CHANGE_COMPATIBLE],
               d->count[EG_CHANGE_TEXT]);
    for (size_t i = 0; i < d->n; i++) {
        const struct eg_change *c = &d->changes[i];
        eg_sb_adds(out, i ? ",\n    {\"kind\": " : "\n    {\"kind\": ");
        json_str(out, kind_names[c->kind]);
        eg_sb_adds(out, ", \"what\": ");
        json_str(out, c->what);
        eg_sb_adds(out, ", \"message\": ");
        json_str(out, c->message);
        eg_sb_adds(out, ", \"old\": ");
        json_loc(out, c->old_loc);
        eg_sb_adds(out, ", \"new\": ");
        json_loc(out, c->new_loc);
        eg_sb_adds(out, ", \"id\": ");
        if (c->id)
            json_str(out, c->id);
        else
            eg_sb_adds(out, "null");
        eg_sb_addc(out, '}');
    }
    eg_sb_adds(out, d->n ? "\n  ]\n}\n" : "]\n}\n");
}

/* ---- The old schema from git ---- */

/* Run argv (argv[0] looked up in PATH, no shell), stdin from /dev/null,
 * collecting stdout (up to max bytes; *too_big set past that) and stderr.
 * Returns the exit status, or -1 when it could not run or was killed
 * (err then says why). */
static int run_capture(char *const argv[], struct eg_sb *out, struct eg_sb *err,
                       size_t max, int *too_big)
{
    int po[2], pe[2], status, rc;
    posix_spawn_file_actions_t fa;
    pid_t pid;
    struct pollfd fds[2];
    int open_fds = 2;

    *too_big = 0;
    if (pipe(po) != 0) {
        eg_sb_addf(err, "pipe: %s", strerror(errno));
        return -1;
    }
    if (pipe(pe) != 0) {
        eg_sb_addf(err, "pipe: %s", strerror(errno));
        close(po[0]);
        close(po[1]);
        return -1;
    }
    /* The child gets them as 1 and 2 (dup2 clears close-on-exec); the
     * originals close at exec. */
    fcntl(po[0], F_SETFD, FD_CLOEXEC);
    fcntl(po[1], F_SETFD, FD_CLOEXEC);
    fcntl(pe[0], F_SETFD, FD_CLOEXEC);
    fcntl(pe[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(po[1]);
    close(pe[1]);
    if (rc != 0) {
        eg_sb_addf(err, "cannot run %s: %s", argv[0], strerror(rc));
        close(po[0]);
        close(pe[0]);
        return -1;
    }
    fds[0].fd = po[0];
    fds[1].fd = pe[0];
    fds[0].events = fds[1].events = POLLIN;
    while (open_fds) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int k = 0; k < 2; k++) {
            char buf[65536];
            ssize_t r;
            if (fds[k].fd < 0 || !fds[k].revents)
                continue;
            r = read(fds[k].fd, buf, sizeof buf);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                close(fds[k].fd);
                fds[k].fd = -1;
                open_fds--;
                continue;
            }
            /* Keep draining past the cap so the child can finish. */
            if (k == 0 && out->len + (size_t)r > max)
                *too_big = 1;
            else if (k == 0)
                eg_sb_add(out, buf, (size_t)r);
            else if (err->len < 65536)
                eg_sb_add(err, buf, (size_t)r);
        }
    }
    for (int k = 0; k < 2; k++)
        if (fds[k].fd >= 0)
            close(fds[k].fd);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            eg_sb_addf(err, "waitpid: %s", strerror(errno));
            return -1;
        }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    eg_sb_addf(err, "%s was killed by signal %d", argv[0],
               WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return -1;
}

/* The first line of git's complaint, for a diagnostic. */
static const char *first_line(struct eg_arena *a, const struct eg_sb *sb)
{
    const char *nl = memchr(sb->buf, '\n', sb->len);
    size_t n = nl ? (size_t)(nl - sb->buf) : sb->len;
    if (!n)
        return "it failed and said nothing";
    return eg_arena_strndup(a, sb->buf, n);
}

/* The text of path as of git revision rev, loaded under the name
 * "REV:PATH" (PATH relative to the work tree's top), which is also
 * registered as a diagnostic source.  Returns the tree or NULL. */
static struct eg_val *load_from_git(struct eg_arena *a, const char *rev,
                                    const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *dir = slash
                    ? (slash == path
                           ? eg_arena_strdup(a, "/")
                           : eg_arena_strndup(a, path, (size_t)(slash - path)))
                    : eg_arena_strdup(a, ".");
    struct eg_sb out = EG_SB_INIT, err = EG_SB_INIT;
    struct eg_loc loc = {path, 0, 0};
    char *prefix, *name, *text;
    int too_big, rc;
    size_t len;

    {
        char *argv[] = {"git",       "--no-pager",    "-C", dir,
                        "rev-parse", "--show-prefix", NULL};
        rc = run_capture(argv, &out, &err, 4096, &too_big);
    }
    if (rc != 0 || too_big) {
        eg_error(loc,
                 "--against: cannot find the git work tree of this "
                 "file: %s",
                 first_line(a, &err));
        eg_sb_release(&out);
        eg_sb_release(&err);
        return NULL;
    }
    while (out.len &&
           (out.buf[out.len - 1] == '\n' || out.buf[out.len - 1] == '\r'))
        out.buf[--out.len] = '\0';
    prefix = eg_arena_strndup(a, out.buf, out.len);
    name = eg_arena_printf(a, "%s:%s%s", rev, prefix, base);
    loc.file = name;
    eg_sb_reset(&out);
    eg_sb_reset(&err);
    {
        char *argv[] = {"git", "--no-pager", "-C", dir, "show", name, NULL};
        rc = run_capture(argv, &out, &err, EG_LOAD_MAX_SIZE, &too_big);
    }
    if (rc != 0) {
        eg_error(loc, "cannot read it from git: %s", first_line(a, &err));
        eg_sb_release(&out);
        eg_sb_release(&err);
        return NULL;
    }
    if (too_big) {
        eg_error(loc, "file is larger than %u MiB; a schema is far smaller",
                 EG_LOAD_MAX_SIZE / (1024 * 1024));
        eg_sb_release(&out);
        eg_sb_release(&err);
        return NULL;
    }
    len = out.len;
    text = eg_arena_strndup(a, out.buf, len);
    eg_sb_release(&out);
    eg_sb_release(&err);
    eg_diag_add_source(name, text, len);
    return eg_load_text(a, name, text, len);
}

/* ---- The command ---- */

static int usage(const char *fmt, const char *arg)
{
    fputs("evgen: diff: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'evgen --help'.\n", stderr);
    return 2;
}

int eg_diff_main(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL}, *rev = NULL, *format = "text";
    int npaths = 0, json, rc;
    int only_paths = 0;
    struct eg_arena a;
    struct eg_val *oroot = NULL, *nroot;
    struct eg_schema *os = NULL, *ns = NULL;

    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_paths && !strcmp(arg, "--")) {
            only_paths = 1;
        } else if (!only_paths && !strcmp(arg, "--format")) {
            if (i + 1 >= argc)
                return usage("%s needs text or json", arg);
            format = argv[++i];
        } else if (!only_paths && !strncmp(arg, "--format=", 9)) {
            format = arg + 9;
        } else if (!only_paths && !strcmp(arg, "--against")) {
            if (i + 1 >= argc)
                return usage("%s needs a git revision", arg);
            rev = argv[++i];
        } else if (!only_paths && !strncmp(arg, "--against=", 10)) {
            rev = arg + 10;
        } else if (!only_paths && arg[0] == '-' && arg[1]) {
            return usage("unknown option '%s'", arg);
        } else if (npaths == 2 || (rev && npaths == 1)) {
            return usage(rev ? "with --against, give only the new schema "
                               "('%s' is extra)"
                             : "two schemas, OLD and NEW ('%s' is extra)",
                         arg);
        } else {
            paths[npaths++] = arg;
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return usage("unknown format '%s' (text or json)", format);
    json = format[0] == 'j';
    if (rev && (!*rev || rev[0] == '-'))
        return usage("'%s' is not a git revision", rev);
    if (rev ? npaths != 1 : npaths != 2)
        return usage("%s", rev ? "which schema? (--against REV NEW)"
                               : "which schemas? (OLD NEW, or --against REV "
                                 "NEW)");

    eg_arena_init(&a);
    if (rev)
        oroot = load_from_git(&a, rev, paths[0]);
    else
        oroot = eg_load_file(&a, paths[0]);
    if (oroot)
        os = eg_schema_check(
            &a, oroot->file ? eg_file_name(oroot->file) : paths[0], oroot);
    nroot = eg_load_file(&a, paths[rev ? 0 : 1]);
    if (nroot)
        ns = eg_schema_check(&a, paths[rev ? 0 : 1], nroot);
    if (!os || !ns || eg_diag_errors()) {
        if (os)
            eg_schema_drop_model(os);
        if (ns)
            eg_schema_drop_model(ns);
        eg_arena_free(&a);
        return 1;
    }
    {
        struct eg_diff d;
        struct eg_sb out = EG_SB_INIT;
        eg_diff_schemas(&a, os, ns, &d);
        if (json)
            eg_diff_write_json(&d, &out);
        else
            eg_diff_write_text(&d, &out);
        fwrite(out.buf, 1, out.len, stdout);
        eg_sb_release(&out);
        rc = d.count[EG_CHANGE_BREAKING] ? 1 : 0;
    }
    eg_schema_drop_model(os);
    eg_schema_drop_model(ns);
    eg_arena_free(&a);
    if (fflush(stdout) != 0) {
        eg_error_plain("cannot write the output: %s", strerror(errno));
        return 1;
    }
    return rc;
}
