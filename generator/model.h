/*
 * model.h - the checked schema: what check.c hands to context.c and diff.c.
 *
 * Everything here lives in the arena the schema was loaded into, and every
 * element keeps the place it was defined, for "first defined here" notes
 * and for `evgen diff`.
 */
#ifndef EVGEN_MODEL_H
#define EVGEN_MODEL_H

#include "value.h"

/* The generic field types: what real ETW manifests use. */
enum eg_type {
    EG_T_INT8,
    EG_T_INT16,
    EG_T_INT32,
    EG_T_INT64,
    EG_T_UINT8,
    EG_T_UINT16,
    EG_T_UINT32,
    EG_T_UINT64,
    EG_T_HEX8,
    EG_T_HEX16,
    EG_T_HEX32,
    EG_T_HEX64,
    EG_T_POINTER, /* P bytes, shown in hex */
    EG_T_SIZE,    /* P bytes, unsigned size (SIZE_T) */
    EG_T_BOOL,    /* 4-byte ETW boolean */
    EG_T_FLOAT,
    EG_T_DOUBLE,
    EG_T_GUID,     /* 16 bytes, Data1..3 little-endian */
    EG_T_FILETIME, /* 8 bytes, 100 ns since 1601 */
    EG_T_USTRING,  /* NUL-terminated UTF-16LE */
    EG_T_ASTRING,  /* NUL-terminated 8-bit */
    EG_T_BINARY,   /* bytes; length from an earlier field or a constant */
    EG_T_COUNT
};

struct eg_type_info {
    const char *name;     /* in the schema */
    int size;             /* bytes; 0 = pointer-sized; -1 = variable */
    int is_signed;        /* integers */
    int is_integer;       /* may carry an enum, may be a length */
    const char *in_type;  /* manifest inType */
    const char *out_type; /* manifest outType, or NULL */
    const char *c_type;   /* generated struct member type */
    const char *win_type; /* the Windows type name, for docs */
    const char *codec;    /* short name the templates branch on */
};

extern const struct eg_type_info eg_types[EG_T_COUNT];

/* A translatable string: English text, its string id and its place. */
struct eg_text {
    const char *id;   /* e.g. "events.ETW_HEAP_EVENT_FREE.description" */
    const char *text; /* English (CommonMark where it goes into docs) */
    struct eg_loc loc;
    uint32_t index; /* its place in eg_schema.texts */
    /* An ETW message, written in FormatMessage's syntax (%1 inserts the
     * first field, %% is a percent sign), not CommonMark: its
     * translations are held to that syntax too. */
    unsigned char is_message;
};

struct eg_enum_value {
    const char *name;
    long long value;
    struct eg_text description;
    struct eg_loc loc;
};

struct eg_enum {
    const char *name;
    const char *header; /* where it is defined, for docs; may be NULL */
    struct eg_text description;
    struct eg_enum_value *values;
    size_t nvalues;
    struct eg_loc loc;
};

struct eg_field {
    const char *name;
    enum eg_type type;
    struct eg_enum *enumeration; /* or NULL */
    int length_field;            /* index of the length field, or -1 */
    long long length_const;      /* binary with a constant length, or -1 */
    int since;                   /* the event version that added it */
    struct eg_text description;
    struct eg_loc loc, type_loc;
};

struct eg_named {
    const char *name;
    long long value;
    const char *guid; /* tasks only; may be NULL */
    struct eg_text description;
    struct eg_loc loc;
};

struct eg_event {
    const char *name;
    long long id;
    int version;
    struct eg_named *task, *opcode;
    int level; /* 1..5 */
    struct eg_text description, message;
    /* docs (all optional; text is NULL when absent) */
    const char *assetid, *date;
    struct eg_text summary, remarks;
    struct eg_field *fields;
    size_t nfields;
    struct eg_loc loc, id_loc, version_loc;
};

/* Translations a schema may have (a data tree tags maps with an 8-bit
 * locale: value.h). */
#define EG_MAX_LOCALES 254

struct eg_locale {
    const char *name; /* "ru-RU" */
    const char *file;
    struct eg_loc loc; /* its 'strings' mapping */
    /* The translation of each of the schema's texts, by eg_text.index
     * (its English where the file has none, or a stale one): what
     * templates show.  A stale translation was made from other English,
     * which it may contradict: the English shows until it is updated, as
     * gettext leaves out fuzzy entries, and a page's source hash
     * (ms.openlocfilehash) stays true of what the page holds. */
    const char **tr;
    unsigned char *state; /* by eg_text.index: EG_TR_* */
    /* The stale translations themselves (`evgen strings` shows them to
     * the translator), by increasing index. */
    struct eg_stale {
        size_t index;
        const char *text;
    } *stale;
    size_t nstale;
};

enum { EG_TR_MISSING, EG_TR_FRESH, EG_TR_STALE };

struct eg_schema {
    const char *file;
    const char *name; /* C prefix, file stem */
    /* The loaded tree (eg_schema_check), or after eg_schema_load only its
     * free-form sections, docs and strings, which context.c reads. */
    struct eg_val *root;
    const char *provider_name, *provider_symbol, *provider_guid;
    const char *resource_file, *message_file;
    struct eg_text provider_description;
    struct eg_named *tasks, *opcodes;
    size_t ntasks, nopcodes;
    struct eg_enum *enums;
    size_t nenums;
    struct eg_event *events;
    size_t nevents;
    /* Every translatable English string, in schema order. */
    struct eg_text **texts;
    size_t ntexts, captexts;
    /* Set by eg_locales_load: texts by id (open addressing; index + 1,
     * 0 = empty) and each text's hash (eg_text_hash); on the heap, freed
     * by eg_schema_drop_index. */
    uint32_t *text_index;
    uint64_t *text_index_hash; /* the id's hash, compared first */
    size_t text_index_cap;
    char (*text_hashes)[17];
    struct eg_locale *locales; /* translations, sorted by name */
    size_t nlocales;
    /* Files read to build this, for depfiles (schema, locale files and the
     * locales folder itself, whose mtime changes when a locale is added). */
    const char **inputs;
    size_t ninputs, capinputs;
    /* The model's own memory: the arrays above (events, fields, texts,
     * the texts' index and hashes) and what checking needed for a while.
     * The strings the model points to (names, texts, string ids), the
     * schema itself, its inputs and its translations live in the arena it
     * was loaded into: template data points to them, and outlives the
     * model (eg_schema_drop_model). */
    struct eg_arena model;
};

/* Load, check and translate: the front end.  Returns the schema, or NULL
 * when any error was reported (all semantic errors are reported, up to the
 * cap).  Warnings (stale translations) do not fail. */
struct eg_schema *eg_schema_load(struct eg_arena *a, const char *path);

/* The checked model alone, from a tree already loaded (fuzzers, diff). */
struct eg_schema *eg_schema_check(struct eg_arena *a, const char *file,
                                  struct eg_val *root);

/* Free s's texts' index and hashes: eg_schema_text finds nothing after
 * (eg_schema_drop_model does it too). */
void eg_schema_drop_index(struct eg_schema *s);

/* Free s's model (s->model): events, enums, tasks, opcodes and texts are
 * gone, their counts, s's names, inputs and translations' tables stay.
 * Every schema that eg_schema_load or eg_schema_check returned needs
 * this, before or with the arena it was loaded into: `evgen generate`
 * calls it as soon as the template data is built (a third of the memory
 * it needs at 10,000 events). */
void eg_schema_drop_model(struct eg_schema *s);

/* Record a file read while building s (for depfiles). */
void eg_schema_add_input(struct eg_arena *a, struct eg_schema *s,
                         const char *path);

/* Translations: find locale files beside the schema and check them against
 * its English texts.  Part of eg_schema_load, which starts reading the
 * files ahead (eg_locales_ahead: NULL when there is nothing to read, or
 * no core to spare) before it loads the schema; eg_locales_load uses what
 * was read ahead (ahead may be NULL), and the caller frees it after with
 * eg_locales_ahead_free (which also stops it, if the schema failed). */
struct eg_locales_ahead;
struct eg_locales_ahead *eg_locales_ahead(const char *schema);
/* The schema's tree is gone: read ahead without a budget (locale.c). */
void eg_locales_ahead_open(struct eg_locales_ahead *ahead);
void eg_locales_ahead_free(struct eg_locales_ahead *ahead);
int eg_locales_load(struct eg_arena *a, struct eg_schema *s,
                    struct eg_locales_ahead *ahead);

/* The translation of text t (one of s->texts) in locale, or the English
 * when loc is NULL or has none (or a stale one). */
const char *eg_translate(const struct eg_locale *loc, const struct eg_text *t);

/* The checks every text passes, the schema's (check.c) and its
 * translations' (locale.c): 0, or -1 after reporting at loc what is wrong
 * with the text called what+'name' ("" + 'description', "translation " +
 * 'events.X.message').  Characters no output can carry (util.h): */
int eg_refuse_bad_chars(struct eg_loc loc, const char *what, const char *name,
                        const char *s, size_t len);
/* and, for a text that may become a manifest message, its length: */
int eg_refuse_long_message(struct eg_loc loc, const char *what,
                           const char *name, const char *s);

/* Whether s is a culture name as BCP 47 spells the common ones
 * (ll(-Xxxx)?(-RR)?, "pt-BR"): the only names a locale may have. */
int eg_valid_culture(const char *s);

/* The stale translation of text t in locale l (state EG_TR_STALE), or
 * NULL. */
const char *eg_stale_translation(const struct eg_locale *l,
                                 const struct eg_text *t);

/* The schema's text with this string id, or NULL (only once translations
 * are loaded: eg_locales_load indexes the texts). */
const struct eg_text *eg_schema_text(const struct eg_schema *s, const char *id);

/* The first 16 hex digits of SHA-256 of the text: what locale entries
 * record as `hash`. */
void eg_text_hash(const char *text, char out[17]);

const char *eg_level_name(int level);     /* "informational" */
const char *eg_level_manifest(int level); /* "win:Informational" */

/* Field size in bytes for pointer size p (4 or 8); -1 if variable. */
int eg_field_size(const struct eg_field *f, int p);

#endif
