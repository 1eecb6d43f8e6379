/*
 * locale.c - translations: part of the front end, read while the schema
 * loads (see "Reading ahead") and checked once check.c has its model.
 *
 * A schema's translations live beside it in locales/<culture>.yaml, one
 * file per culture, found by listing the folder (so adding a locale is
 * adding a file).  Each file maps string ids (the ids `evgen strings`
 * lists) to {hash, text}: `hash` is the first 16 hex digits of SHA-256 of
 * the English text the translation was made from.  Checked here:
 *   - every English string has a translation          (error if missing)
 *   - the English has not changed since (hash)        (warning: stale)
 *   - every identifier, file name, code span, link target and template
 *     tag of the English appears unchanged in the translation  (error)
 *   - no entry names a string the schema does not have (warning: obsolete)
 */
#include "model.h"
#include "load.h"
#include "render.h"

#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void eg_text_hash(const char *text, char out[17])
{
    char full[65];
    eg_sha256_hex(text, strlen(text), full);
    memcpy(out, full, 16);
    out[16] = '\0';
}

/* ---- The schema's texts by id ---- */

/* An open-addressing index of s->texts by id, and each text's hash. */
static void index_texts(struct eg_schema *s)
{
    size_t cap = 16;
    while (cap < 2 * s->ntexts + 2)
        cap *= 2;
    eg_schema_drop_index(s); /* an earlier one */
    s->text_index = xcalloc(cap, sizeof(*s->text_index));
    s->text_index_hash = xcalloc(cap, sizeof(*s->text_index_hash));
    s->text_index_cap = cap;
    s->text_hashes = xcalloc(s->ntexts + 1, sizeof(*s->text_hashes));
    for (size_t i = 0; i < s->ntexts; i++) {
        uint64_t h = eg_hash(s->texts[i]->id, strlen(s->texts[i]->id));
        size_t k = (size_t)h & (cap - 1);
        while (s->text_index[k])
            k = (k + 1) & (cap - 1);
        s->text_index[k] = (uint32_t)i + 1;
        s->text_index_hash[k] = h;
        eg_text_hash(s->texts[i]->text, s->text_hashes[i]);
    }
}

const struct eg_text *eg_schema_text(const struct eg_schema *s, const char *id)
{
    uint64_t h;
    if (!s->text_index_cap)
        return NULL;
    h = eg_hash(id, strlen(id));
    for (size_t k = (size_t)h & (s->text_index_cap - 1); s->text_index[k];
         k = (k + 1) & (s->text_index_cap - 1)) {
        const struct eg_text *t = s->texts[s->text_index[k] - 1];
        if (s->text_index_hash[k] == h && strcmp(t->id, id) == 0)
            return t;
    }
    return NULL;
}

const char *eg_translate(const struct eg_locale *l, const struct eg_text *t)
{
    if (!l || !t->text || !l->tr)
        return t->text;
    return l->tr[t->index];
}

const char *eg_stale_translation(const struct eg_locale *l,
                                 const struct eg_text *t)
{
    size_t lo = 0, hi = l ? l->nstale : 0;
    while (lo < hi) { /* by increasing index: a binary search */
        size_t mid = lo + (hi - lo) / 2;
        if (l->stale[mid].index == t->index)
            return l->stale[mid].text;
        if (l->stale[mid].index < t->index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* A culture name as BCP 47 spells the common ones: ll(-Xxxx)?(-RR)?.  It
 * becomes a folder name in outputs, so nothing else gets through. */
int eg_valid_culture(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");
    if (n < 2 || n > 3)
        return 0;
    s += n;
    while (*s == '-') {
        size_t m = strspn(
            s + 1,
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        if (m < 2 || m > 8)
            return 0;
        s += 1 + m;
    }
    return *s == '\0';
}

/* ---- What must survive translation ---- */

struct token {
    const char *s;
    size_t len;
    int link; /* a link's target: found only as "](target)" */
};

static int is_word(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_';
}

/* Append the protected tokens of text: `code spans`, {{template tags}},
 * link targets ](...), file names (name.h), and identifiers: words with an
 * underscore or an inner capital (HeapHandle, AllocateHeap, MEMORY_FROM_X),
 * all-capital words of three letters or more (ETW, GUID) and %1..%n
 * insertions.
 * Markdown escapes (\_) are read as the character they escape. */
static size_t protected_tokens(const char *text, struct token *out, size_t max)
{
    size_t n = 0;
    const char *p = text;
    while (*p && n < max) {
        out[n].link = 0; /* the slot a token may take next */
        if (*p == '`') {
            const char *e = strchr(p + 1, '`');
            if (e) {
                out[n].s = p;
                out[n++].len = (size_t)(e - p) + 1;
                p = e + 1;
                continue;
            }
        }
        if (p[0] == '{' && p[1] == '{') {
            const char *e = strstr(p + 2, "}}");
            if (e) {
                size_t len = (size_t)(e - p) + 2;
                if (e[2] == '}')
                    len++;
                out[n].s = p;
                out[n++].len = len;
                p += len;
                continue;
            }
        }
        if (p[0] == ']' && p[1] == '(') {
            const char *e = strchr(p + 2, ')');
            /* URLs may hold one level of parentheses: (v=vs.85) */
            const char *open = memchr(p + 2, '(', e ? (size_t)(e - p - 2) : 0);
            if (e && open)
                e = strchr(e + 1, ')');
            if (e) {
                out[n].link = 1;
                out[n].s = p + 2;
                out[n++].len = (size_t)(e - p - 2);
                p = e + 1;
                continue;
            }
        }
        /* %% is a percent sign (%%1 inserts nothing) */
        if (p[0] == '%' && p[1] == '%') {
            p += 2;
            continue;
        }
        /* %1..%n: ETW message insertions (%0 ends a message) */
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
            const char *e = p + 1;
            while (isdigit((unsigned char)*e))
                e++;
            out[n].s = p;
            out[n++].len = (size_t)(e - p);
            p = e;
            continue;
        }
        if (is_word(*p) && (p == text || !is_word(p[-1]))) {
            const char *e = p;
            int underscore = 0, inner_cap = 0, lower = 0, upper = 0;
            while (is_word(*e) || (e[0] == '\\' && e[1] == '_')) {
                if (*e == '\\')
                    e++;
                if (*e == '_')
                    underscore = 1;
                if (islower((unsigned char)*e))
                    lower = 1;
                else if (isupper((unsigned char)*e) && lower)
                    inner_cap = 1;
                if (isupper((unsigned char)*e))
                    upper++;
                e++;
            }
            /* name.ext: a file name such as Ntwmi.h */
            if (e[0] == '.' && isalpha((unsigned char)e[1]) && e - p >= 2) {
                const char *x = e + 1;
                while (isalnum((unsigned char)*x))
                    x++;
                if (x - e - 1 <= 4 && !is_word(*x)) {
                    out[n].s = p;
                    out[n++].len = (size_t)(x - p);
                    p = x;
                    continue;
                }
            }
            /* Acronyms and constants (ETW, GUID, NTSTATUS) stay too. */
            if ((underscore && e - p > 1) || inner_cap ||
                (!lower && upper >= 3)) {
                out[n].s = p;
                out[n++].len = (size_t)(e - p);
            }
            p = e;
            continue;
        }
        p++;
    }
    return n;
}

/* Is the text at id one a translation keeps as it is: a page's file name,
 * a link's target, a date, an asset id (the last word of its id says so:
 * docs.overview.file, docs.overview.related.0.url)? */
static int verbatim_key(const char *id)
{
    static const char *const keys[] = {"file", "url", "href", "path",
                                       "date", "assetid", "slug"};
    const char *last = strrchr(id, '.');
    last = last ? last + 1 : id;
    for (size_t i = 0; i < EG_ARRAY_LEN(keys); i++)
        if (strcmp(last, keys[i]) == 0)
            return 1;
    return 0;
}

/* Does text contain tok, with \_ and _ taken as the same? */
static int contains_token(const char *text, const struct token *tok)
{
    int word_start, word_end;
    if (tok->len == 0)
        return 1; /* an empty link target: nothing to keep */
    word_start = is_word(tok->s[0]);
    word_end = is_word(tok->s[tok->len - 1]);
    for (const char *p = text; *p; p++) {
        /* Whole: AllocateHeap is not found in AllocateHeapX, a link's
         * target not in a longer one, %1 not in %%1. */
        if (tok->link ? p - text < 2 || p[-2] != ']' || p[-1] != '('
                      : p > text && ((word_start && is_word(p[-1])) ||
                                     (tok->s[0] == '%' && p[-1] == '%')))
            continue;
        size_t i = 0, j = 0;
        while (i < tok->len && p[j]) {
            char a = tok->s[i], b = p[j];
            if (a == '\\' && i + 1 < tok->len && tok->s[i + 1] == '_')
                a = '_', i++;
            if (b == '\\' && p[j + 1] == '_')
                b = '_', j++;
            if (a != b)
                break;
            i++, j++;
        }
        /* %1 is not found in %12 */
        if (i == tok->len &&
            !(tok->s[0] == '%' && isdigit((unsigned char)p[j])) &&
            !(tok->link ? p[j] != ')' : word_end && is_word(p[j])))
            return 1;
    }
    return 0;
}

/* ---- Loading one locale file ----
 *
 * A locale file holds a translation of every text: at 10,000 events, some
 * 100,000 entries.  It is streamed (load.h): each entry is checked against
 * the English as it is parsed, its text copied into the locale's table,
 * and its nodes forgotten, so the file never exists as a tree. */

struct reader {
    struct eg_arena *a;
    const struct eg_schema *s;
    struct eg_locale *l;
    struct eg_loc *where; /* by text index: the translation's place */
    int rc;
};

/* Every key of map is k1 or k2; -1 after reporting those that are not. */
static int only_keys(const struct eg_val *map, const char *k1, const char *k2,
                     const char *what)
{
    int rc = 0;
    for (size_t i = 0; i < map->u.map.n; i++) {
        const struct eg_val *k = map->u.map.pairs[i].key;
        if (strcmp(k->u.str.s, k1) && strcmp(k->u.str.s, k2))
            rc = eg_error(eg_val_loc(k),
                          "unknown key '%s' in %s; it holds '%s' and "
                          "'%s'",
                          k->u.str.s, what, k1, k2);
    }
    return rc;
}

/* One well-formed entry, `id: {hash: ..., text: ...}`: what the rest of
 * the checks need of it.  The strings live as long as the entry's nodes,
 * or as long as the locale when `kept`. */
struct entry {
    const char *id;
    struct eg_loc key_loc;
    const char *text;
    size_t len; /* text's (needed only to copy it: not when kept) */
    struct eg_loc text_loc;
    const char *hash;
    int kept;     /* text is already the locale's own copy */
    int bad_keys; /* keys other than hash and text (reported) */
};

/* The shape of an entry, which owes nothing to the schema: 0 with *e
 * filled in, or -1 after reporting why there is nothing to check (errors
 * that leave the rest checkable, unknown keys, set e->bad_keys). */
static int entry_shape(struct reader *r, const struct eg_val *key,
                       const struct eg_val *val, struct entry *e)
{
    const char *id = key->u.str.s;
    const struct eg_val *hash, *text;

    memset(e, 0, sizeof(*e));
    if (val->kind != EG_MAP)
        return eg_error(eg_val_loc(val),
                        "translation '%s' must be a mapping "
                        "{hash: ..., text: ...}",
                        id);
    e->bad_keys = only_keys(val, "hash", "text", "a translation") != 0;
    hash = eg_map_get(val, "hash");
    text = eg_map_get(val, "text");
    if (!text || text->kind != EG_STR || eg_val_resolve(r->a, text) != text)
        return eg_error(text ? eg_val_loc(text) : eg_val_loc(val),
                        "translation '%s' needs 'text', a string", id);
    if (eg_refuse_bad_chars(eg_val_loc(text), "translation ", id,
                            text->u.str.s, text->u.str.len))
        return -1;
    if (!hash || hash->kind != EG_STR)
        return eg_error(hash ? eg_val_loc(hash) : eg_val_loc(val),
                        "translation '%s' needs 'hash': the hash of the "
                        "English it was made from (`evgen strings` prints "
                        "it)",
                        id);
    e->id = id;
    e->key_loc = eg_val_loc(key);
    e->text = text->u.str.s;
    e->len = text->u.str.len;
    e->text_loc = eg_val_loc(text);
    e->hash = hash->u.str.s;
    return 0;
}

/* The checks of an entry against the schema's English, and its place in
 * the locale's table. */
static void entry_apply(struct reader *r, const struct entry *e)
{
    struct eg_locale *l = r->l;
    const struct eg_text *t;
    struct token toks[64];
    size_t ntoks;
    int rc = e->bad_keys ? -1 : 0;

    if (!(t = eg_schema_text(r->s, e->id))) {
        eg_warning(e->text_loc,
                   "translation of '%s', which the schema no longer has; "
                   "delete it",
                   e->id);
        return;
    }
    if (l->state[t->index] != EG_TR_MISSING) {
        r->rc =
            eg_error(e->key_loc, "duplicate key '%s' in this mapping", e->id);
        eg_note(r->where[t->index], "first defined here");
        return;
    }
    r->where[t->index] = e->key_loc;
    l->tr[t->index] =
        e->kept ? e->text : eg_arena_strndup(r->a, e->text, e->len);
    l->state[t->index] = EG_TR_FRESH;
    if (strcmp(e->hash, r->s->text_hashes[t->index]) != 0) {
        l->state[t->index] = EG_TR_STALE;
        eg_warning(e->text_loc,
                   "stale translation of '%s': the English "
                   "changed since it was made (hash %s, now %s), so "
                   "the English shows until it is updated; "
                   "English: \"%s\"; translation: \"%s\"",
                   e->id, e->hash, r->s->text_hashes[t->index], t->text,
                   e->text);
        eg_note(t->loc, "the English text is here");
        /* It is not used, and was made from other English: what it
         * keeps of that English is not this English's business. */
        if (rc)
            r->rc = -1;
        return;
    }
    if (!e->text[strspn(e->text, " \t\n")] && *t->text) {
        rc = eg_error(e->text_loc,
                      "translation of '%s' is %s; translate the "
                      "English: \"%s\"",
                      e->id, *e->text ? "blank" : "empty", t->text);
        eg_note(t->loc, "the English text is here");
    }
    /* The schema's own texts (not docs: or strings:) may become manifest
     * messages: held to the English's limit (check.c). */
    if (strncmp(t->id, "docs.", 5) != 0 && strncmp(t->id, "strings.", 8) != 0 &&
        eg_refuse_long_message(e->text_loc, "translation of ", e->id, e->text))
        rc = -1;
    if (verbatim_key(t->id) && strcmp(e->text, t->text) != 0) {
        rc = eg_error(e->text_loc,
                      "translation of '%s' must be \"%s\" exactly: a "
                      "file name, path, URL, date or number is never "
                      "translated",
                      e->id, t->text);
        eg_note(t->loc, "the English text is here");
    }
    ntoks = protected_tokens(t->text, toks, EG_ARRAY_LEN(toks));
    for (size_t k = 0; k < ntoks; k++) {
        if (!contains_token(e->text, &toks[k])) {
            rc = eg_error(e->text_loc,
                          "translation of '%s' must keep '%.*s' "
                          "exactly as the English has it "
                          "(identifiers, file names, code and "
                          "links are never translated)",
                          e->id, (int)toks[k].len, toks[k].s);
            eg_note(t->loc, "the English text is here");
        }
    }
    /* A translated string of `strings:` is a template, as its English. */
    if (strncmp(t->id, "strings.", 8) == 0 &&
        eg_template_check_at(e->text_loc, e->text, strlen(e->text))) {
        rc = -1;
        eg_note(t->loc, "the English text is here");
    }
    if (t->is_message) {
        size_t bad = eg_message_bad_percent(e->text);
        if (e->text[bad]) {
            rc = eg_error(e->text_loc,
                          "translation of '%s' has '%.2s', which "
                          "FormatMessage does not show as written: write a "
                          "percent sign as %%%% (and a line break as %%n)",
                          e->id, e->text + bad);
            eg_note(t->loc, "the English text is here");
        }
    }
    /* ... and adds no insertion of its own: %7 in a translation of a
     * message with four fields would name data the event does not have. */
    ntoks = protected_tokens(e->text, toks, EG_ARRAY_LEN(toks));
    for (size_t k = 0; k < ntoks; k++) {
        if (toks[k].s[0] == '%' && !contains_token(t->text, &toks[k])) {
            rc = eg_error(e->text_loc,
                          "translation of '%s' inserts '%.*s', which the "
                          "English does not; a translation inserts the "
                          "English's insertions, in any order",
                          e->id, (int)toks[k].len, toks[k].s);
            eg_note(t->loc, "the English text is here");
        }
    }
    if (rc)
        r->rc = -1;
}

/* One entry as the file streams by (load.h). */
static int read_entry(void *ctx, const struct eg_val *key,
                      const struct eg_val *val)
{
    struct reader *r = ctx;
    struct entry e;
    if (entry_shape(r, key, val, &e))
        r->rc = -1;
    else
        entry_apply(r, &e);
    return 0; /* go on: every entry's problems are worth reporting */
}

/* What is left of the file once its entries have streamed by. */
static int check_root(struct eg_val *root, const char *culture,
                      struct eg_locale *l)
{
    struct eg_val *strings, *name;
    int rc = 0;

    if (root->kind != EG_MAP)
        return eg_error(eg_val_loc(root),
                        "a locale file is a mapping with 'locale' "
                        "and 'strings'");
    rc = only_keys(root, "locale", "strings", "a locale file");
    name = eg_map_get(root, "locale");
    if (!name || name->kind != EG_STR)
        rc = eg_error(name ? eg_val_loc(name) : eg_val_loc(root),
                      "a locale file must say which culture it is: "
                      "'locale: %s'",
                      culture);
    else if (strcmp(name->u.str.s, culture) != 0)
        rc = eg_error(eg_val_loc(name),
                      "this file is %s.yaml but says 'locale: %s'; "
                      "the two must agree",
                      culture, name->u.str.s);
    strings = eg_map_get(root, "strings");
    if (!strings)
        return eg_error(eg_val_loc(root), "a locale file needs 'strings'");
    if (strings->kind != EG_MAP)
        return eg_error(eg_val_loc(strings), "'strings' must map string ids to "
                                             "{hash, text}");
    l->loc = eg_val_loc(eg_map_pair(root, "strings")->key);
    return rc;
}

/* A locale's slot, empty, and a reader to fill it. */
static void begin_locale(struct eg_arena *a, const struct eg_schema *s,
                         const char *path, const char *culture,
                         struct eg_locale *l, struct reader *r)
{
    /* The slot may hold a locale that failed to load before: start clean. */
    memset(l, 0, sizeof(*l));
    l->name = eg_arena_strdup(a, culture);
    l->file = eg_arena_strdup(a, path);
    l->loc.file = l->file;
    l->tr = eg_arena_alloc(a, (s->ntexts + 1) * sizeof(*l->tr));
    l->state = eg_arena_alloc(a, s->ntexts + 1); /* EG_TR_MISSING */
    memset(r, 0, sizeof(*r));
    r->a = a;
    r->s = s;
    r->l = l;
    r->where = xcalloc(s->ntexts + 1, sizeof(*r->where));
}

/* Once every entry is in (rc: the file's own problems, e.g. its root):
 * 0 when the locale is complete and right, 1 when not (reported). */
static int finish_locale(const struct eg_schema *s, struct eg_locale *l,
                         struct reader *r, int rc)
{
    free(r->where);
    if (rc == 0 && r->rc == 0) {
        /* Every English string needs its translation. */
        for (size_t i = 0; i < s->ntexts; i++) {
            const struct eg_text *t = s->texts[i];
            if (l->state[i] != EG_TR_MISSING)
                continue;
            rc = eg_error(l->loc,
                          "%s: no translation of '%s' (English: \"%s\"); "
                          "`evgen strings %s --locale %s` lists what "
                          "to add",
                          l->name, t->id, t->text, s->file, l->name);
            eg_note(t->loc, "the English text is here");
        }
    }
    for (size_t i = 0; i < s->ntexts; i++)
        if (l->state[i] == EG_TR_STALE)
            l->nstale++;
    if (l->nstale)
        l->stale = eg_arena_alloc(r->a, l->nstale * sizeof(*l->stale));
    l->nstale = 0;
    for (size_t i = 0; i < s->ntexts; i++) {
        if (l->state[i] == EG_TR_STALE) {
            l->stale[l->nstale].index = i;
            l->stale[l->nstale++].text = l->tr[i];
        }
        if (l->state[i] != EG_TR_FRESH)
            l->tr[i] = s->texts[i]->text;
    }
    return rc || r->rc ? 1 : 0;
}

/* 0 when the file is read and right; 1 when read, with errors (reported);
 * -1 when it could not be read at all. */
static int load_locale(struct eg_arena *a, const struct eg_schema *s,
                       const char *path, const char *culture,
                       struct eg_locale *l)
{
    struct eg_arena tree;
    struct eg_load_stream st;
    struct reader r;
    struct eg_val *root;
    int rc;

    begin_locale(a, s, path, culture, l, &r);
    st.key = "strings";
    st.entry = read_entry;
    st.ctx = &r;
    eg_arena_init(&tree);
    root = eg_load_file_stream(a, &tree, path, &st);
    rc = root ? check_root(root, culture, l) : -1;
    eg_arena_free(&tree);
    rc = finish_locale(s, l, &r, rc);
    return root ? rc : -1;
}

/* ---- Reading ahead ----
 *
 * Until its entries are checked against the English, a locale file owes
 * nothing to the schema: eg_locales_ahead starts reading the files (YAML,
 * the entries' shape) on the cores the schema's own loading leaves idle,
 * and eg_locales_load then checks what they hold.  A file that had
 * anything at all to say while read ahead (a syntax error, a misshapen
 * entry, a wrong root) is read again the ordinary way instead, so what is
 * reported, and in what order, is exactly what reading it once says.  At
 * 10,000 events this takes the translations' two 18 MB files off the
 * critical path but for the checks: ~0.35 s of 0.5 s. */

/* An entry read ahead: struct entry in 40 bytes and its texts, not 72
 * and its id and hash (10,000 events have 130,000 entries a locale, read
 * while the schema's tree is in memory).  The places are in the file.
 * Its id is what it shares with the entry's before it and the rest
 * (string ids run in schema order: "events.E.fields.F.description" shares
 * all but "F.description" with the one before); its hash is a number.
 * An entry that does not fit (a hash not written as evgen writes it, a
 * column past 65,535...) makes the file one to read again the ordinary
 * way: it says the same, only later. */
struct ahead_entry {
    const char *id_rest, *text;
    uint64_t hash;
    uint32_t key_line;
    uint16_t id_shared;  /* bytes of the id before's id this one starts with */
    uint16_t text_lines; /* text_line - key_line */
    uint16_t key_col, text_col;
};

struct ahead_file {
    struct eg_locales_ahead *ah;
    const char *path; /* locale_path() */
    const char *name; /* the culture */
    /* The entries, in file order, with their texts in `kept` (the
     * locale's, as is the file's name their places point to) and the rest
     * of their ids in `scratch` (freed once checked). */
    struct ahead_entry *ents;
    size_t n, cap;
    struct eg_arena kept, scratch;
    struct eg_sb last_id; /* the id of the entry recorded last */
    size_t counted;       /* bytes of it counted in the budget (ah->held) */
    struct eg_loc strings_loc;    /* check_root's l->loc */
    int ok;                       /* read with nothing to say */
    int failed;                   /* an entry had something to say */
    struct eg_diag_capture diags; /* the file's registration as a source */
};

/* What the files read ahead may hold while the schema's tree is in
 * memory: the tree and the model it becomes are the run's largest
 * moment (10,000 events: 38 MB of nodes beside the model's 23), and the
 * translations' 28 MB would all wait through it.  Past the budget,
 * reading waits until eg_locales_ahead_open (or a stop): a little of the
 * reading comes after the schema is checked instead of beside it. */
#define AHEAD_BUDGET (12u << 20)

struct eg_locales_ahead {
    struct eg_arena a; /* the files' names and paths */
    struct ahead_file *files;
    size_t n;
    struct eg_queue q; /* the files; stopped once not wanted any more */
    pthread_t threads[8];
    size_t nthreads; /* started */
    pthread_mutex_t mu;
    pthread_cond_t cv; /* signalled when `open` is set */
    size_t held;       /* bytes the files hold, as last counted */
    int open;          /* no budget any more */
};

/* Count what f holds against the budget, and wait while it is over.  1
 * when f is not wanted any more. */
static int ahead_wait(struct ahead_file *f)
{
    struct eg_locales_ahead *ah = f->ah;
    size_t now = f->kept.used + f->scratch.used + f->cap * sizeof(*f->ents);
    pthread_mutex_lock(&ah->mu);
    ah->held += now - f->counted;
    f->counted = now;
    while (!ah->open && ah->held > AHEAD_BUDGET)
        pthread_cond_wait(&ah->cv, &ah->mu);
    pthread_mutex_unlock(&ah->mu);
    return eg_queue_stopped(&ah->q);
}

void eg_locales_ahead_open(struct eg_locales_ahead *ah)
{
    if (!ah)
        return;
    pthread_mutex_lock(&ah->mu);
    ah->open = 1;
    pthread_cond_broadcast(&ah->cv);
    pthread_mutex_unlock(&ah->mu);
}

/* A hash as evgen writes it, 16 lowercase hex digits, as a number: 0, or
 * -1 when written otherwise. */
static int hash_number(const char *s, uint64_t *out)
{
    uint64_t h = 0;
    size_t i;
    for (i = 0; i < 16; i++) {
        int c = (unsigned char)s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            return -1;
        h = h << 4 | (uint64_t)d;
    }
    if (s[i])
        return -1;
    *out = h;
    return 0;
}

/* hash_number's inverse. */
static void hash_text(uint64_t h, char out[17])
{
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = "0123456789abcdef"[h & 15];
    out[16] = '\0';
}

static int record_entry(void *ctx, const struct eg_val *key,
                        const struct eg_val *val)
{
    struct ahead_file *f = ctx;
    struct reader r;
    struct entry e;

    /* Now and then: within the budget?  Still wanted? */
    if (f->n % 1024 == 1023 && ahead_wait(f)) {
        f->failed = 1;
        return -1; /* stops the load; nothing of it is used */
    }
    memset(&r, 0, sizeof r);
    r.a = &f->scratch;
    if (f->failed || entry_shape(&r, key, val, &e) || e.bad_keys) {
        f->failed = 1; /* reported (captured); read again later */
        return 0;
    }
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 256;
        f->ents = xrealloc(f->ents, f->cap * sizeof(*f->ents));
    }
    {
        struct ahead_entry *ae = &f->ents[f->n];
        size_t idlen = strlen(e.id), shared = 0;
        while (shared < idlen && shared < f->last_id.len &&
               shared < UINT16_MAX && e.id[shared] == f->last_id.buf[shared])
            shared++;
        if (hash_number(e.hash, &ae->hash) || e.key_loc.line <= 0 ||
            e.text_loc.line < e.key_loc.line ||
            e.text_loc.line - e.key_loc.line > UINT16_MAX ||
            e.key_loc.col > UINT16_MAX || e.text_loc.col > UINT16_MAX) {
            f->failed = 1; /* does not fit: read again later */
            return 0;
        }
        ae->id_shared = (uint16_t)shared;
        ae->id_rest = eg_arena_strdup(&f->scratch, e.id + shared);
        eg_sb_reset(&f->last_id);
        eg_sb_add(&f->last_id, e.id, idlen);
        ae->text = eg_arena_strndup(&f->kept, e.text, e.len);
        ae->key_line = (uint32_t)e.key_loc.line;
        ae->text_lines = (uint16_t)(e.text_loc.line - e.key_loc.line);
        ae->key_col = (uint16_t)e.key_loc.col;
        ae->text_col = (uint16_t)e.text_loc.col;
    }
    f->n++;
    return 0;
}

static void read_ahead(struct ahead_file *f)
{
    struct eg_arena tree;
    struct eg_load_stream st;
    struct eg_locale probe;
    struct eg_val *root;

    eg_diag_capture_begin(&f->diags);
    st.key = "strings";
    st.entry = record_entry;
    st.ctx = f;
    eg_arena_init(&tree);
    root = eg_load_file_stream(&f->kept, &tree, f->path, &st);
    memset(&probe, 0, sizeof probe);
    f->ok = root && check_root(root, f->name, &probe) == 0 && !f->failed;
    f->strings_loc = probe.loc;
    eg_arena_free(&tree);
    eg_diag_capture_end();
    f->ok = f->ok && f->diags.errors == 0 && f->diags.warnings == 0;
}

static void *ahead_worker(void *arg)
{
    struct eg_locales_ahead *ah = arg;
    size_t i, end;
    while (eg_queue_take(&ah->q, &i, &end))
        read_ahead(&ah->files[i]);
    return NULL;
}

/* The folder a schema's locale files are in. */
static char *locales_dir(struct eg_arena *a, const char *schema)
{
    const char *slash = strrchr(schema, '/');
    return slash ? eg_arena_printf(a, "%.*s/locales", (int)(slash - schema),
                                   schema)
                 : eg_arena_strdup(a, "locales");
}

/* A locale file name evgen accepts: a culture, and not the schema's own. */
static int name_ok(const char *name)
{
    return strcmp(name, "en-US") != 0 && eg_valid_culture(name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether name ends in ".yml", or ".yaml" in other case: a locale file
 * misnamed, which is not read. */
static int near_yaml(const char *name, size_t len)
{
    const char *dot = strrchr(name, '.');
    char ext[6];
    size_t n = dot ? len - (size_t)(dot - name) : 0;
    if (!dot || dot == name || n < 4 || n > 5)
        return 0;
    for (size_t i = 0; i < n; i++)
        ext[i] = (char)tolower((unsigned char)dot[i]);
    ext[n] = '\0';
    return (strcmp(ext, ".yml") == 0 || strcmp(ext, ".yaml") == 0) &&
           strcmp(dot, ".yaml") != 0;
}

/* The cultures of the <culture>.yaml files in d, sorted (names in a; the
 * array is the caller's to free, NULL when there is none).  With dir,
 * files that look meant as locale files but are not named so (x.yml,
 * x.YAML) are warned about, in name order. */
static char **list_locales(struct eg_arena *a, DIR *d, const char *dir,
                           size_t *count)
{
    struct dirent *de;
    char **names = NULL, **odd = NULL;
    size_t n = 0, cap = 0, nodd = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (dir && de->d_name[0] != '.' && near_yaml(de->d_name, len)) {
            odd = xrealloc(odd, (nodd + 1) * sizeof(*odd));
            odd[nodd++] = eg_arena_strdup(a, de->d_name);
            continue;
        }
        if (de->d_name[0] == '.' || len < 6 ||
            strcmp(de->d_name + len - 5, ".yaml") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            names = xrealloc(names, cap * sizeof(*names));
        }
        names[n++] = eg_arena_strndup(a, de->d_name, len - 5);
    }
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    if (nodd)
        qsort(odd, nodd, sizeof(*odd), cmp_str);
    for (size_t i = 0; i < nodd; i++) {
        struct eg_loc loc = {eg_arena_printf(a, "%s/%s", dir, odd[i]), 0, 0};
        eg_warning(loc, "not read: a locale file is named <culture>.yaml "
                        "(lower case)");
    }
    free(odd);
    *count = n;
    return names;
}

/* Where culture's file is in the locales folder dir. */
static char *locale_path(struct eg_arena *a, const char *dir,
                         const char *culture)
{
    return eg_arena_printf(a, "%s/%s.yaml", dir, culture);
}

struct eg_locales_ahead *eg_locales_ahead(const char *schema)
{
    struct eg_locales_ahead *ah;
    const char *dir;
    char **names;
    size_t n, cores = eg_cores();
    DIR *d;

    if (cores < 2) /* no core to read them on */
        return NULL;
    ah = xcalloc(1, sizeof(*ah));
    eg_arena_init(&ah->a);
    dir = locales_dir(&ah->a, schema);
    if (!(d = opendir(dir))) { /* nothing to read */
        eg_arena_free(&ah->a);
        free(ah);
        return NULL;
    }
    names = list_locales(&ah->a, d, NULL, &n);
    closedir(d);
    ah->files = xcalloc(n + 1, sizeof(*ah->files));
    /* Names refused, and files past the cap, eg_locales_load reports. */
    for (size_t i = 0; i < n && ah->n < EG_MAX_LOCALES; i++) {
        struct ahead_file *f = &ah->files[ah->n];
        if (!name_ok(names[i]))
            continue;
        f->ah = ah;
        f->name = names[i];
        f->path = locale_path(&ah->a, dir, names[i]);
        eg_arena_init(&f->kept);
        eg_arena_init(&f->scratch);
        eg_sb_init(&f->last_id);
        ah->n++;
    }
    free(names);
    eg_queue_init(&ah->q, ah->n, 1);
    pthread_mutex_init(&ah->mu, NULL);
    pthread_cond_init(&ah->cv, NULL);
    /* The schema loads on this thread: the files, on the other cores. */
    for (size_t i = 0;
         i + 1 < cores && i < ah->n && i < EG_ARRAY_LEN(ah->threads); i++) {
        if (pthread_create(&ah->threads[ah->nthreads], NULL, ahead_worker,
                           ah) != 0)
            break; /* what no thread takes, ahead_join reads */
        ah->nthreads++;
    }
    return ah;
}

/* Wait for the files being read ahead (reading those no thread took). */
static void ahead_join(struct eg_locales_ahead *ah)
{
    eg_locales_ahead_open(ah); /* this thread too reads without a budget */
    ahead_worker(ah);
    for (size_t i = 0; i < ah->nthreads; i++)
        pthread_join(ah->threads[i], NULL);
    ah->nthreads = 0;
}

void eg_locales_ahead_free(struct eg_locales_ahead *ah)
{
    if (!ah)
        return;
    eg_queue_stop(&ah->q); /* done with, or not wanted (the schema failed) */
    ahead_join(ah);        /* (which wakes those waiting for the budget) */
    for (size_t i = 0; i < ah->n; i++) {
        struct ahead_file *f = &ah->files[i];
        eg_diag_discard(&f->diags);
        eg_arena_free(&f->kept);
        eg_arena_free(&f->scratch);
        free(f->ents);
        eg_sb_release(&f->last_id);
    }
    eg_queue_destroy(&ah->q);
    pthread_mutex_destroy(&ah->mu);
    pthread_cond_destroy(&ah->cv);
    eg_arena_free(&ah->a);
    free(ah->files);
    free(ah);
}

/* The file read ahead as path, if it was read with nothing to say. */
static struct ahead_file *ahead_file(struct eg_locales_ahead *ah,
                                     const char *path)
{
    for (size_t i = 0; ah && i < ah->n; i++)
        if (ah->files[i].ok && strcmp(ah->files[i].path, path) == 0)
            return &ah->files[i];
    return NULL;
}

/* load_locale for a file read ahead: only its checks are left. */
static int check_ahead(struct eg_arena *a, const struct eg_schema *s,
                       struct ahead_file *f, const char *culture,
                       struct eg_locale *l)
{
    struct reader r;
    struct eg_sb id = EG_SB_INIT;
    char hash[17];
    begin_locale(a, s, f->path, culture, l, &r);
    l->loc = f->strings_loc;
    for (size_t i = 0; i < f->n; i++) {
        const struct ahead_entry *ae = &f->ents[i];
        struct entry e;
        memset(&e, 0, sizeof e);
        eg_sb_truncate(&id, ae->id_shared); /* the id before's start */
        eg_sb_adds(&id, ae->id_rest);
        e.id = id.buf;
        e.key_loc.file = f->strings_loc.file;
        e.key_loc.line = (int)ae->key_line;
        e.key_loc.col = ae->key_col;
        e.text = ae->text; /* the locale's already: kept */
        e.text_loc.file = f->strings_loc.file;
        e.text_loc.line = (int)ae->key_line + ae->text_lines;
        e.text_loc.col = ae->text_col;
        hash_text(ae->hash, hash);
        e.hash = hash;
        e.kept = 1;
        entry_apply(&r, &e);
    }
    eg_sb_release(&id);
    return finish_locale(s, l, &r, 0);
}

/* ---- Loading them all, in parallel ----
 *
 * Each locale file is read and checked on its own (its arena, its
 * diagnostics captured: diag.h), by as many threads as there are cores;
 * then, in name order, the diagnostics are reported and the results kept:
 * the output is the same as one after the other, in about half the time
 * on two cores. */

struct job {
    const struct eg_schema *s;
    const char *path, *name;
    struct ahead_file *ahead; /* read ahead, with nothing to say */
    struct eg_arena arena;    /* what the locale keeps, adopted after */
    struct eg_locale l;
    int result; /* load_locale's, or -1 for a file name refused */
    struct eg_diag_capture diags;
};

struct pool {
    struct eg_queue q;
    struct job *jobs;
};

static void run_job(struct job *j)
{
    struct eg_loc loc = {j->path, 0, 0};
    eg_diag_capture_begin(&j->diags);
    j->result = -1;
    if (strcmp(j->name, "en-US") == 0)
        eg_error(loc, "en-US is the schema's own language; its text "
                      "lives in the schema, not in a locale file");
    else if (!eg_valid_culture(j->name))
        eg_error(loc,
                 "'%s' is not a culture name such as ru-RU or "
                 "pt-BR; name the file <culture>.yaml",
                 j->name);
    else
        /* The schema is only read here (load_locale's arena is the job's,
         * and its inputs were listed by the caller). */
        j->result = j->ahead
                        ? check_ahead(&j->arena, j->s, j->ahead, j->name, &j->l)
                        : load_locale(&j->arena, j->s, j->path, j->name, &j->l);
    eg_diag_capture_end();
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    size_t i, end;
    while (eg_queue_take(&p->q, &i, &end))
        run_job(&p->jobs[i]);
    return NULL;
}

int eg_locales_load(struct eg_arena *a, struct eg_schema *s,
                    struct eg_locales_ahead *ahead)
{
    char *dir = locales_dir(a, s->file);
    DIR *d = opendir(dir);
    char **names;
    size_t n, nthreads;
    struct pool pool;
    void *args[8];
    int rc = 0;

    if (ahead)
        ahead_join(ahead);
    if (!d)
        return 0; /* no translations: English only */
    index_texts(s);
    eg_schema_add_input(a, s, dir);
    names = list_locales(a, d, dir, &n);
    closedir(d);
    if (n > EG_MAX_LOCALES) {
        struct eg_loc loc = {dir, 0, 0};
        free(names);
        return eg_error(loc,
                        "%zu locale files; at most %d translations are "
                        "supported",
                        n, EG_MAX_LOCALES);
    }
    s->locales = eg_arena_alloc(a, (n + 1) * sizeof(*s->locales));
    pool.jobs = xcalloc(n + 1, sizeof(*pool.jobs));
    for (size_t i = 0; i < n; i++) {
        struct job *j = &pool.jobs[i];
        j->s = s;
        j->name = names[i];
        j->path = locale_path(a, dir, names[i]);
        j->ahead = ahead_file(ahead, j->path);
        eg_arena_init(&j->arena);
        if (name_ok(names[i]))
            eg_schema_add_input(a, s, j->path);
    }
    eg_queue_init(&pool.q, n, 1);
    /* A thread per core, at most one per file and EG_ARRAY_LEN(args). */
    nthreads = eg_cores() < n ? eg_cores() : n;
    if (nthreads > EG_ARRAY_LEN(args))
        nthreads = EG_ARRAY_LEN(args);
    if (nthreads == 0)
        nthreads = 1;
    for (size_t i = 0; i < nthreads; i++)
        args[i] = &pool;
    eg_run_threads(nthreads, worker, args);
    eg_queue_destroy(&pool.q);
    for (size_t i = 0; i < n; i++) {
        struct job *j = &pool.jobs[i];
        if (j->ahead) { /* its source registration, then its checks */
            eg_diag_replay(&j->ahead->diags);
            eg_arena_adopt(a, &j->ahead->kept);
        }
        eg_diag_replay(&j->diags);
        eg_arena_adopt(a, &j->arena);
        if (j->result >= 0) /* 1: read, with problems: `evgen strings` */
            s->locales[s->nlocales++] = j->l; /* lists them */
        if (j->result != 0)
            rc = -1;
    }
    free(pool.jobs);
    free(names);
    return rc ? -1 : 0;
}
