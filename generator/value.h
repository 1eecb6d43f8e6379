/*
 * value.h - the data tree shared by the stages.
 *
 * The YAML loader (load.c) produces it from files, keeping the place of
 * every node; the checker (check.c) reads it to build the model; the context
 * builder (context.c) produces one from the model for templates; the
 * template renderer (render.c) reads it.  Nodes live in an arena.
 *
 * Scalars from YAML are EG_STR nodes with `plain` set when the scalar was
 * unquoted; eg_val_resolve() applies the YAML 1.2 core schema to them (null,
 * true/false, integers, floats) when a consumer wants typed data (the
 * template renderer does, as the Mustache spec's YAML tests expect).
 * Nodes built by code carry their real kind directly.
 */
#ifndef EVGEN_VALUE_H
#define EVGEN_VALUE_H

#include "diag.h"

enum eg_kind { EG_NULL, EG_BOOL, EG_INT, EG_FLOAT, EG_STR, EG_SEQ, EG_MAP };

struct eg_val;

struct eg_pair {
    struct eg_val *key; /* always EG_STR */
    struct eg_val *val;
};

struct eg_val {
    unsigned kind : 3;  /* enum eg_kind (bit-fields: a node is 32 bytes) */
    unsigned plain : 1; /* EG_STR from an unquoted YAML scalar */
    unsigned block : 1; /* EG_STR from a literal/folded block scalar */
    /* EG_STR that is itself a template: interpolating it renders it
     * against the current context stack first, as the Mustache spec
     * renders the text a lambda returns (context.c marks the page chrome
     * of `strings:` so, letting "{{name}} event" follow the data). */
    unsigned lambda : 1;
    /* EG_STR whose s came from eg_intern(): two such strings are equal
     * exactly when their addresses are, which is how the renderer
     * compares a name with the keys of a map built by context.c. */
    unsigned interned : 1;
    /* EG_STR that is a translatable text: u.str holds its English and
     * u.str.tid its index in the translation tables (struct eg_texts);
     * it shows in the locale of the nearest enclosing map that has one. */
    unsigned tr : 1;
    /* EG_MAP that sets the locale texts show in below it: 0 = none, else
     * 1 + the locale's index in struct eg_texts (context.c tags each
     * locale's root). */
    unsigned locale : 8;
    /* EG_MAP whose `keys` is the signature of all its own keys: every key
     * was added by eg_map_add (or eg_map_set) and is interned.  Maps
     * built otherwise (the YAML loader's) have none and are scanned. */
    unsigned has_keys : 1;
    /* EG_MAP whose keys are in a shape (see "Shapes" below). */
    unsigned shaped : 1;
    /* The file the node was read from: its index in the file table
     * (eg_file_index), or 0 for a node built by code, which has no place
     * (eg_val_loc).  A node read from a file has `at`, a node built by
     * code may have `proto`: the two share their bytes. */
    unsigned file : 14;
    /* With has_keys: eg_key_bit() of each key, or-ed.  A name whose bit
     * is not set is not among the map's own keys, which is most of the
     * lookups a template makes: a field row asks the field, its type, the
     * layout and the event for `strings` before the root has it. */
    uint32_t keys;
    union {
        struct { /* with file: where the node starts, 1-based */
            uint32_t line, col;
        } at;
        /* EG_MAP built by code (file 0): keys not found among its own
         * are looked up in proto (and its proto): context.c shares what
         * per-type and per-locale trees have in common this way instead
         * of copying it.  Read it with eg_map_proto(). */
        const struct eg_val *proto;
    } x;
    union {
        int b;       /* EG_BOOL */
        long long i; /* EG_INT */
        double f;    /* EG_FLOAT */
        struct {     /* EG_STR: NUL-terminated, may hold NULs before len
                      * (32 bits: files and outputs are capped far
                      * below 4 GiB) */
            const char *s;
            uint32_t len;
            uint32_t tid; /* with tr: the text's index */
        } str;
        struct { /* EG_SEQ; 32-bit counts keep nodes small (the loader
                  * caps a tree far below 2^32 nodes) */
            struct eg_val **items;
            uint32_t n, cap;
        } seq;
        struct { /* EG_MAP: insertion order kept, keys unique */
            union {
                struct eg_pair *pairs; /* n of them, room for cap */
                struct eg_val **vals;  /* shaped: n values; cap is the
                                        * shape's index */
            };
            uint32_t n, cap;
        } map;
    } u;
};

/* ---- Places ----
 * A node keeps where it was read as a 14-bit index into a table of file
 * names, kept for the whole run, and a line and column: 32 bytes a node
 * instead of 48 (a 10,000-event schema is a million nodes).  The table
 * holds up to EG_MAX_FILES names; the loader refuses files past that
 * (load.c), so every node read from a file has its place. */
#define EG_MAX_FILES 16383
/* The index of file name `name` (registered on first use; the table
 * keeps its own copy), or 0 when the table is full.  Thread-safe. */
unsigned eg_file_index(const char *name);
/* The name of file index ix (NULL for 0). */
const char *eg_file_name(unsigned ix);

/* Where v was read: {NULL, 0, 0} for a node built by code. */
static inline struct eg_loc eg_val_loc(const struct eg_val *v)
{
    struct eg_loc loc = {NULL, 0, 0};
    if (v->file) {
        loc.file = eg_file_name(v->file);
        loc.line = (int)v->x.at.line;
        loc.col = (int)v->x.at.col;
    }
    return loc;
}

/* Give v the place src has (none when src has none).  v must not be a
 * map with a prototype. */
static inline void eg_val_copy_loc(struct eg_val *v, const struct eg_val *src)
{
    v->file = src->file;
    v->x.at = src->file ? src->x.at : v->x.at;
}

/* The prototype of map m: NULL for a map read from a file. */
static inline const struct eg_val *eg_map_proto(const struct eg_val *m)
{
    return m->file ? NULL : m->x.proto;
}

/* Make proto m's prototype (m loses its place, if it had one). */
static inline void eg_map_set_proto(struct eg_val *m,
                                    const struct eg_val *proto)
{
    m->file = 0;
    m->x.proto = proto;
}

/* ---- Interned strings ----
 * One canonical copy of each distinct string, kept for the whole run (or
 * until eg_intern_reset()).  context.c interns every key it builds and the
 * template parser every name part, so a lookup compares addresses instead
 * of bytes.  A table of names, not of data: keys and tag names only. */
const char *eg_intern(const char *s, size_t len);
/* Free every interned string (the fuzzers do, between inputs). */
void eg_intern_reset(void);
/* A key node for s: interned, so lookups by interned name are fast. */
struct eg_val *eg_val_key(struct eg_arena *a, const char *s);
/* The bit interned string s sets in a map's key signature. */
static inline uint32_t eg_key_bit(const char *s)
{
    return (uint32_t)1 << (((uintptr_t)s * (uintptr_t)0x9E3779B97F4A7C15u) >>
                           (sizeof(uintptr_t) * 8 - 5));
}
/* 0 when map's own keys cannot include the interned name whose bit this
 * is (its signature lacks it); 1 when they may. */
static inline int eg_map_may_have(const struct eg_val *map, uint32_t bit)
{
    return !map->has_keys || (map->keys & bit) != 0;
}

/* ---- Shapes ----
 * A map built by code whose keys are all interned may keep them in a
 * shape, shared by every map with the same keys in the same order, and
 * hold only its values: half the bytes an entry (context.c's event, field
 * and layout maps: 1.7 million entries at 10,000 events, 14 MB less).
 * Such a map is `shaped`: u.map.vals holds its n values and u.map.cap its
 * shape's index.  Read any map's entries with eg_map_key/eg_map_val;
 * adding to a shaped map first gives it pairs again.  Shapes live as long
 * as interned strings (eg_intern_reset frees both). */
struct eg_shape {
    uint64_t hash; /* of its keys' addresses (value.c) */
    uint32_t n;
    const char **names;   /* the keys' interned text, for scanning */
    struct eg_val keys[]; /* interned key nodes */
};
#define EG_MAX_SHAPES 65536 /* more distinct shapes: maps keep pairs */
/* The shape with index ix (the u.map.cap of a shaped map). */
const struct eg_shape *eg_shape_at(uint32_t ix);

/* The key and the value of map m's own entry i (i < m->u.map.n). */
static inline const struct eg_val *eg_map_key(const struct eg_val *m, size_t i)
{
    return m->shaped ? &eg_shape_at(m->u.map.cap)->keys[i]
                     : m->u.map.pairs[i].key;
}
static inline struct eg_val *eg_map_val(const struct eg_val *m, size_t i)
{
    return m->shaped ? m->u.map.vals[i] : m->u.map.pairs[i].val;
}

/* Map m is complete: store its entries anew in a at their exact size,
 * shaped when every key is interned (eg_map_add signed them all) and the
 * shapes table has room, else as pairs.  Builders that collect a map's
 * pairs in scratch space call it once done (context.c). */
void eg_map_freeze(struct eg_arena *a, struct eg_val *m);

/* Translation tables, for nodes with `tr`: table[k] is locale k's text
 * for each text index (NULL for the schema's own language, whose text is
 * the node's).  A text index past ntexts shows the node's own text. */
struct eg_texts {
    size_t nlocales, ntexts;
    const char *const *const *table;
};

/* The text EG_STR node v shows under locale tag k (a map's `locale`; 0 =
 * none): its own, unless v is a `tr` node and that locale has a table. */
const char *eg_val_text(const struct eg_texts *t, unsigned k,
                        const struct eg_val *v, size_t *len);

/* Constructors; all allocate from a.  Strings are copied. */
struct eg_val *eg_val_new(struct eg_arena *a, enum eg_kind kind);
struct eg_val *eg_val_null(struct eg_arena *a);
struct eg_val *eg_val_bool(struct eg_arena *a, int b);
struct eg_val *eg_val_int(struct eg_arena *a, long long i);
struct eg_val *eg_val_str(struct eg_arena *a, const char *s);
struct eg_val *eg_val_strn(struct eg_arena *a, const char *s, size_t len);
struct eg_val *eg_val_strf(struct eg_arena *a, const char *fmt, ...)
    EG_PRINTF(2, 3);
struct eg_val *eg_val_seq(struct eg_arena *a);
struct eg_val *eg_val_map(struct eg_arena *a);

void eg_seq_push(struct eg_arena *a, struct eg_val *seq, struct eg_val *v);
/* Set key in map (replacing an existing value).  key is copied. */
void eg_map_set(struct eg_arena *a, struct eg_val *map, const char *key,
                struct eg_val *v);
/* Append a pair whose key the caller guarantees is new in map (builders
 * that know their keys); key is a node that may be shared between maps. */
void eg_map_add(struct eg_arena *a, struct eg_val *map, struct eg_val *key,
                struct eg_val *v);
/* Make room for n items in all (builders that know their sizes waste no
 * growth slack in the arena). */
void eg_seq_reserve(struct eg_arena *a, struct eg_val *seq, size_t n);
/* Make room for n pairs in all. */
void eg_map_reserve(struct eg_arena *a, struct eg_val *map, size_t n);
/* Value for key, or NULL; follows proto.  Linear: maps here are small. */
struct eg_val *eg_map_get(const struct eg_val *map, const char *key);
/* The pair for key in map itself (not its proto), or NULL.  Not for a
 * shaped map, which has no pairs (eg_map_get reads both). */
struct eg_pair *eg_map_pair(const struct eg_val *map, const char *key);
/* eg_map_get for an interned key: maps with a signature are passed over
 * when it lacks the key, and searched by address. */
const struct eg_val *eg_map_get_in(const struct eg_val *map, const char *in);

/* A deep copy of v's nodes in a; strings and places are shared, not
 * copied (they must outlive the copy).  Aliased nodes are copied once per
 * reference. */
struct eg_val *eg_val_copy(struct eg_arena *a, const struct eg_val *v);

/* The YAML 1.2 core-schema reading of a plain scalar (null, bool, int,
 * float), or v itself when it is not a plain scalar or reads as a string.
 * Returns a new node from a, or v. */
const struct eg_val *eg_val_resolve(struct eg_arena *a, const struct eg_val *v);

/* Writers, used by `evgen context` and `evgen render` debugging: YAML
 * (block style, every string double-quoted when it needs to be) and JSON. */
void eg_val_to_yaml(const struct eg_val *v, struct eg_sb *out);
void eg_val_to_json(const struct eg_val *v, struct eg_sb *out);
/* The same showing `tr` texts in the locales the tree's tags say. */
void eg_val_to_yaml_tr(const struct eg_val *v, const struct eg_texts *t,
                       struct eg_sb *out);
void eg_val_to_json_tr(const struct eg_val *v, const struct eg_texts *t,
                       struct eg_sb *out);

/* Append s[0..len) as a JSON string literal (quotes included); JSON
 * strings are also valid YAML double-quoted scalars. */
void eg_json_string(const char *s, size_t len, struct eg_sb *out);

const char *eg_kind_name(enum eg_kind k);

#endif
