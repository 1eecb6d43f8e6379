/*
 * load.c - first stage: bytes -> data tree, through libyaml's event API.
 *
 * The tree is built with an explicit stack (no recursion), so the only
 * bound on nesting is the one we set.  Aliases share the anchored node;
 * what they would expand to is counted so that a "billion laughs" file is
 * refused instead of being walked by every later stage.
 */
#include "load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

struct anchor {
    const char *name;
    struct eg_val *node;
    size_t size;  /* expanded node count; 0 while still open */
    size_t bytes; /* expanded bytes of scalar text */
};

struct frame {
    struct eg_val *node;
    struct eg_val *key;    /* pending key of a mapping, or NULL */
    struct anchor *anchor; /* anchor defined on this container */
    size_t start;          /* expanded count when opened */
    size_t start_bytes;
    size_t first; /* its children: kids[first..nkids) until it closes */
    int streams;  /* the mapping whose entries go to the stream hook */
};

struct loader {
    struct eg_arena *a;  /* nodes */
    struct eg_arena *sa; /* scalar text */
    const char *name;
    unsigned file; /* name's index in the file table (value.h) */
    struct frame stack[EG_LOAD_MAX_DEPTH + 1];
    int depth;
    struct anchor *anchors;
    size_t nanchors, capanchors;
    size_t expanded;       /* nodes, aliases expanded */
    size_t bytes;          /* scalar text bytes, aliases expanded */
    size_t own, own_bytes; /* the same as written, without aliases */
    struct eg_val *root;
    int documents;
    /* Children of the open containers, outermost first.  A container's
     * array is allocated at its exact size when it closes, so the tree
     * holds no growth slack.  A sequence item is a pair with no key. */
    struct eg_pair *kids;
    size_t nkids, capkids;
    /* Streaming (eg_load_file_stream): the entries of one mapping are
     * built in `entry`, handed to the hook, and forgotten. */
    const struct eg_load_stream *stream;
    struct eg_arena *tree; /* where nodes go when not streaming */
    struct eg_arena entry;
    size_t entry_anchors; /* anchors defined before the current entry */
    /* Keys' text when the tree's nodes and values' text are apart
     * (eg_load_file_split): with the nodes in the end, but packed
     * together, not each padded to a node's alignment. */
    struct eg_arena keys;
};

static struct eg_loc mark_loc(const struct loader *l, yaml_mark_t m)
{
    struct eg_loc loc;
    loc.file = l->name;
    loc.line = (int)m.line + 1;
    loc.col = (int)m.column + 1;
    return loc;
}

/* Node n starts at mark m of the file. */
static void place(const struct loader *l, struct eg_val *n, yaml_mark_t m)
{
    n->file = l->file;
    n->x.at.line = (uint32_t)m.line + 1;
    n->x.at.col = (uint32_t)m.column + 1;
}

/* Move loc past text[0..n): lines, and columns in characters. */
static void advance(struct eg_loc *loc, const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n') {
            loc->line++;
            loc->col = 1;
        } else if (((unsigned char)text[i] & 0xc0) != 0x80) {
            loc->col++;
        }
    }
}

static struct anchor *find_anchor(struct loader *l, const char *name)
{
    /* Latest definition wins, as YAML says an anchor may be redefined. */
    for (size_t i = l->nanchors; i-- > 0;)
        if (strcmp(l->anchors[i].name, name) == 0)
            return &l->anchors[i];
    return NULL;
}

static struct anchor *add_anchor(struct loader *l, const char *name,
                                 struct eg_val *node)
{
    struct anchor *an;
    if (l->nanchors == l->capanchors) {
        l->capanchors = l->capanchors ? l->capanchors * 2 : 16;
        l->anchors = xrealloc(l->anchors, l->capanchors * sizeof(*an));
    }
    an = &l->anchors[l->nanchors++];
    an->name = eg_arena_strdup(l->a, name);
    an->node = node;
    an->size = 0;
    return an;
}

/* What aliases may add: see load.h. */
static int count_alias(struct loader *l, const struct anchor *an,
                       const char *name, struct eg_loc loc)
{
    size_t nodes = l->expanded - l->own + an->size;
    size_t bytes = l->bytes - l->own_bytes + an->bytes;
    size_t max_nodes = EG_LOAD_ALIAS_RATIO * l->own;
    size_t max_bytes = EG_LOAD_ALIAS_RATIO * l->own_bytes;
    if (max_nodes < EG_LOAD_ALIAS_MIN_NODES)
        max_nodes = EG_LOAD_ALIAS_MIN_NODES;
    if (max_bytes < EG_LOAD_ALIAS_MIN_BYTES)
        max_bytes = EG_LOAD_ALIAS_MIN_BYTES;
    if (max_bytes > EG_LOAD_MAX_SIZE)
        max_bytes = EG_LOAD_MAX_SIZE;
    if (nodes > max_nodes || bytes > max_bytes)
        return eg_error(loc,
                        "alias '*%s' would make aliases add more than %zu "
                        "%s to this document (%d times what the file "
                        "holds, at least %u); aliases are for sharing "
                        "text, not for multiplying it",
                        name, nodes > max_nodes ? max_nodes : max_bytes,
                        nodes > max_nodes ? "nodes" : "bytes of text",
                        EG_LOAD_ALIAS_RATIO,
                        nodes > max_nodes ? EG_LOAD_ALIAS_MIN_NODES
                                          : EG_LOAD_ALIAS_MIN_BYTES);
    l->bytes += an->bytes;
    return 0;
}

static int count_nodes(struct loader *l, size_t n, struct eg_loc loc)
{
    if (n > EG_LOAD_MAX_NODES - l->expanded) {
        return eg_error(loc,
                        "this document expands to more than %u nodes "
                        "(through aliases?); a schema should be far smaller",
                        EG_LOAD_MAX_NODES);
    }
    l->expanded += n;
    return 0;
}

/* Sort keys to find duplicates in O(n log n): a hostile file may hold a
 * mapping with a million keys. */
/* qsort has no context argument: the pairs being sorted, per thread
 * (locale files load on several). */
static _Thread_local const struct eg_pair *sort_base;

static int cmp_idx(const void *a, const void *b)
{
    size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
    const struct eg_val *ka = sort_base[ia].key, *kb = sort_base[ib].key;
    size_t n = ka->u.str.len < kb->u.str.len ? ka->u.str.len : kb->u.str.len;
    int c = memcmp(ka->u.str.s, kb->u.str.s, n);
    if (c)
        return c;
    if (ka->u.str.len != kb->u.str.len)
        return ka->u.str.len < kb->u.str.len ? -1 : 1;
    return ia < ib ? -1 : ia > ib;
}

static int check_duplicate_keys(struct eg_val *map)
{
    size_t n = map->u.map.n, *idx;
    int rc = 0;
    if (n < 2)
        return 0;
    idx = xmalloc(n * sizeof(*idx));
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_base = map->u.map.pairs;
    qsort(idx, n, sizeof(*idx), cmp_idx);
    for (size_t i = 1; i < n; i++) {
        const struct eg_val *a = map->u.map.pairs[idx[i - 1]].key;
        const struct eg_val *b = map->u.map.pairs[idx[i]].key;
        if (a->u.str.len == b->u.str.len &&
            memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0) {
            rc = eg_error(eg_val_loc(b), "duplicate key '%s' in this mapping",
                          b->u.str.s);
            eg_note(eg_val_loc(a), "'%s' was first defined here", a->u.str.s);
            break;
        }
    }
    free(idx);
    return rc;
}

/* A streamed entry is done: forget its nodes, unless an anchor was defined
 * inside it (a later alias may point there), in which case they live as
 * long as the tree. */
static void end_entry(struct loader *l)
{
    if (l->nanchors == l->entry_anchors)
        eg_arena_reset(&l->entry);
    else
        eg_arena_adopt(l->tree, &l->entry);
    l->entry_anchors = l->nanchors;
}

static void push_kid(struct loader *l, struct eg_val *key, struct eg_val *val)
{
    if (l->nkids == l->capkids) {
        l->capkids = l->capkids ? l->capkids * 2 : 256;
        l->kids = xrealloc(l->kids, l->capkids * sizeof(*l->kids));
    }
    l->kids[l->nkids].key = key;
    l->kids[l->nkids].val = val;
    l->nkids++;
}

/* Attach a finished node to its parent (or make it the root). */
/* Whether the node coming next is a mapping's key. */
static int is_key(const struct loader *l)
{
    const struct frame *top = l->depth ? &l->stack[l->depth - 1] : NULL;
    return top && top->node->kind == EG_MAP && !top->key;
}

static int attach(struct loader *l, struct eg_val *node)
{
    struct frame *top;
    if (l->depth == 0) {
        l->root = node;
        return 0;
    }
    top = &l->stack[l->depth - 1];
    if (top->node->kind == EG_SEQ) {
        push_kid(l, NULL, node);
        return 0;
    }
    if (!top->key) {
        if (node->kind != EG_STR)
            return eg_error(eg_val_loc(node),
                            "a mapping key must be a plain string, not a %s",
                            eg_kind_name(node->kind));
        top->key = node;
        return 0;
    }
    if (top->streams) {
        /* A whole entry: hand it over, then forget it. */
        int rc = l->stream->entry(l->stream->ctx, top->key, node);
        top->key = NULL;
        end_entry(l);
        return rc;
    }
    push_kid(l, top->key, node);
    top->key = NULL;
    return 0;
}

/* A container's children, from the loader's stack into the node. */
static void take_kids(struct loader *l, struct frame *f)
{
    size_t n = l->nkids - f->first;
    struct eg_val *node = f->node;
    if (node->kind == EG_SEQ) {
        struct eg_val **items = eg_arena_alloc(l->a, n * sizeof(*items));
        for (size_t i = 0; i < n; i++)
            items[i] = l->kids[f->first + i].val;
        node->u.seq.items = items;
        node->u.seq.n = node->u.seq.cap = (uint32_t)n;
    } else {
        struct eg_pair *pairs = eg_arena_alloc(l->a, n * sizeof(*pairs));
        if (n)
            memcpy(pairs, l->kids + f->first, n * sizeof(*pairs));
        node->u.map.pairs = pairs;
        node->u.map.n = node->u.map.cap = (uint32_t)n;
    }
    l->nkids = f->first;
}

static int tag_ok(struct loader *l, const yaml_char_t *tag, yaml_mark_t m,
                  int *plain)
{
    static const char core[] = "tag:yaml.org,2002:";
    const char *t = (const char *)tag;
    if (!t)
        return 0;
    if (strcmp(t, "!") == 0) {
        *plain = 0;
        return 0;
    }
    if (strncmp(t, core, sizeof core - 1) == 0) {
        const char *k = t + sizeof core - 1;
        if (strcmp(k, "str") == 0) {
            *plain = 0;
            return 0;
        }
        if (!strcmp(k, "int") || !strcmp(k, "float") || !strcmp(k, "bool") ||
            !strcmp(k, "null") || !strcmp(k, "map") || !strcmp(k, "seq")) {
            *plain = 1;
            return 0;
        }
    }
    return eg_error(mark_loc(l, m),
                    "unsupported YAML tag '%s'; only the core tags (!!str, "
                    "!!int, !!float, !!bool, !!null) are accepted",
                    t);
}

static int open_container(struct loader *l, enum eg_kind kind,
                          const yaml_char_t *anchor, const yaml_char_t *tag,
                          yaml_mark_t m)
{
    struct eg_val *node;
    struct frame *f;
    int plain = 1;
    if (tag_ok(l, tag, m, &plain))
        return -1;
    if (l->depth >= EG_LOAD_MAX_DEPTH)
        return eg_error(mark_loc(l, m),
                        "nesting deeper than %d levels; a schema never needs "
                        "that many",
                        EG_LOAD_MAX_DEPTH);
    if (count_nodes(l, 1, mark_loc(l, m)))
        return -1;
    node = eg_val_new(l->a, kind);
    place(l, node, m);
    f = &l->stack[l->depth++];
    f->node = node;
    f->key = NULL;
    /* The top-level mapping's streamed key opens its mapping: what is
     * built inside goes to the entry arena from now on. */
    f->streams = l->stream && kind == EG_MAP && l->depth == 2 &&
                 l->stack[0].node->kind == EG_MAP && l->stack[0].key &&
                 strcmp(l->stack[0].key->u.str.s, l->stream->key) == 0;
    if (f->streams) {
        l->a = l->sa = &l->entry;
        l->entry_anchors = l->nanchors;
    }
    f->anchor = anchor ? add_anchor(l, (const char *)anchor, node) : NULL;
    f->start = l->expanded - 1;
    f->start_bytes = l->bytes;
    f->first = l->nkids;
    l->own++;
    return 0;
}

static int close_container(struct loader *l)
{
    struct frame *f = &l->stack[--l->depth];
    if (f->streams) {
        l->a = l->sa = l->tree;
        eg_arena_adopt(l->tree, &l->entry); /* a pending key, if any */
    }
    take_kids(l, f);
    if (f->anchor) {
        f->anchor->size = l->expanded - f->start;
        f->anchor->bytes = l->bytes - f->start_bytes;
    }
    if (f->node->kind == EG_MAP && check_duplicate_keys(f->node))
        return -1;
    return attach(l, f->node);
}

static int handle(struct loader *l, yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_END_EVENT:
    case YAML_NO_EVENT: return 0;
    case YAML_DOCUMENT_START_EVENT:
        if (++l->documents > 1)
            return eg_error(mark_loc(l, ev->start_mark),
                            "a second YAML document starts here; the file "
                            "must hold exactly one");
        return 0;
    case YAML_SCALAR_EVENT: {
        struct eg_val *node;
        int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (tag_ok(l, ev->data.scalar.tag, ev->start_mark, &plain))
            return -1;
        if (count_nodes(l, 1, mark_loc(l, ev->start_mark)))
            return -1;
        node = eg_val_new(l->a, EG_STR);
        /* A key's text is the tree's, as its node is (with split arenas,
         * nothing of a tree's keys outlives it unless copied); an anchored
         * key's is a value's, since an alias may make it one. */
        node->u.str.s = eg_arena_strndup(
            is_key(l) && !ev->data.scalar.anchor && l->a != l->sa ? &l->keys
                                                                  : l->sa,
            (const char *)ev->data.scalar.value, ev->data.scalar.length);
        node->u.str.len = ev->data.scalar.length;
        node->plain = (unsigned)plain;
        node->block = ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                      ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
        place(l, node, ev->start_mark);
        l->own++;
        l->own_bytes += ev->data.scalar.length;
        l->bytes += ev->data.scalar.length;
        if (ev->data.scalar.anchor) {
            struct anchor *an =
                add_anchor(l, (const char *)ev->data.scalar.anchor, node);
            an->size = 1;
            an->bytes = ev->data.scalar.length;
        }
        return attach(l, node);
    }
    case YAML_ALIAS_EVENT: {
        struct anchor *an = find_anchor(l, (const char *)ev->data.alias.anchor);
        struct eg_loc loc = mark_loc(l, ev->start_mark);
        if (!an)
            return eg_error(loc,
                            "alias '*%s' names no anchor defined before it",
                            ev->data.alias.anchor);
        if (an->size == 0)
            return eg_error(loc,
                            "alias '*%s' refers to a node that contains "
                            "it; recursive data is not allowed",
                            ev->data.alias.anchor);
        if (count_alias(l, an, (const char *)ev->data.alias.anchor, loc) ||
            count_nodes(l, an->size, loc))
            return -1;
        return attach(l, an->node);
    }
    case YAML_SEQUENCE_START_EVENT:
        return open_container(l, EG_SEQ, ev->data.sequence_start.anchor,
                              ev->data.sequence_start.tag, ev->start_mark);
    case YAML_MAPPING_START_EVENT:
        return open_container(l, EG_MAP, ev->data.mapping_start.anchor,
                              ev->data.mapping_start.tag, ev->start_mark);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return close_container(l);
    }
    return 0;
}

/* Whether p[0..k) is a UTF-8 character begun but not complete: a piece
 * of a file may end inside one. */
static int utf8_begun(const char *s, size_t k)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t need = p[0] >= 0xc2 && p[0] <= 0xdf   ? 1
                  : p[0] >= 0xe0 && p[0] <= 0xef ? 2
                  : p[0] >= 0xf0 && p[0] <= 0xf4 ? 3
                                                 : 0;
    if (k > need)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return 1;
}

/* The offset of the first NUL or byte of invalid UTF-8 in text[0..len),
 * or len when there is none.  With `checked` (text is a piece of a file,
 * more follows), a character begun at the end is not one cut short:
 * *checked is how much of text is whole characters. */
/* The first line break libyaml counts that a line of the file does not
 * end with (text_report says why it matters): a CR not followed by LF,
 * U+0085 (NEL), U+2028 or U+2029; len if none.  A CR that is the last
 * byte may be followed by a LF in the next piece: that is for the caller
 * to decide. */
static size_t odd_break(const char *text, size_t len)
{
    size_t best = len;
    const char *p;
    for (p = text; (p = memchr(p, '\r', (size_t)(text + len - p))); p++)
        if (p + 1 == text + len || p[1] != '\n') {
            best = (size_t)(p - text);
            break;
        }
    for (p = text; (p = memchr(p, 0xc2, (size_t)(text + best - p))); p++)
        if (p + 1 < text + len && (unsigned char)p[1] == 0x85) {
            best = (size_t)(p - text);
            break;
        }
    for (p = text; (p = memchr(p, 0xe2, (size_t)(text + best - p))); p++)
        if (p + 2 < text + len && (unsigned char)p[1] == 0x80 &&
            ((unsigned char)p[2] == 0xa8 || (unsigned char)p[2] == 0xa9)) {
            best = (size_t)(p - text);
            break;
        }
    return best;
}

static size_t text_scan(const char *text, size_t len, size_t *checked)
{
    const char *nul = memchr(text, '\0', len);
    size_t bad = eg_utf8_check(text, len), brk;
    if (nul && (size_t)(nul - text) < bad)
        bad = (size_t)(nul - text);
    brk = odd_break(text, bad);
    if (checked && brk + 1 == len && text[brk] == '\r') {
        *checked = brk; /* a LF may follow in the next piece */
        return len;
    }
    if (brk < bad)
        return brk;
    if (!checked)
        return bad;
    if (bad < len && text[bad] && utf8_begun(text + bad, len - bad)) {
        *checked = bad; /* what follows may complete it */
        return len;
    }
    *checked = len;
    return bad;
}

/* Report what text_scan found at text[at], loc being where text starts;
 * -1. */
static int text_report(struct eg_loc loc, const char *text, size_t len,
                       size_t at)
{
    advance(&loc, text, at);
    if (text[at] == '\0')
        return eg_error(loc, "NUL byte in the file; a schema is UTF-8 text");
    /* libyaml (YAML 1.1) ends a line at these, where editors and our
     * diagnostics do not: every line number after it would be off. */
    if (odd_break(text + at, len - at) == 0) {
        if (text[at] == '\r')
            return eg_error(loc, "a carriage return that no line feed "
                                 "follows; save the file with LF (or CRLF) "
                                 "line endings");
        if ((unsigned char)text[at] == 0xc2)
            return eg_error(loc, "U+0085 (next line) in the file, which "
                                 "YAML reads as a line break; end the line "
                                 "with a line feed instead");
        return eg_error(loc,
                        "U+%s in the file, which YAML reads as a line break; "
                        "in a double-quoted string write it as \\u%s",
                        (unsigned char)text[at + 2] == 0xa8 ? "2028" : "2029",
                        (unsigned char)text[at + 2] == 0xa8 ? "2028" : "2029");
    }
    return eg_error(loc, "invalid UTF-8 (byte 0x%02x); save the file as UTF-8",
                    (unsigned char)text[at]);
}

static int precheck(const char *name, const char *text, size_t len)
{
    struct eg_loc loc = {name, 1, 1};
    size_t at = text_scan(text, len, NULL);
    return at < len ? text_report(loc, text, len, at) : 0;
}

/* ---- Files, in pieces ----
 * A file is read twice through the page cache instead of being held
 * whole: once to check that it is UTF-8 with no NUL (precheck() in
 * pieces), then by libyaml as it parses.  Held whole, a translation being
 * read ahead would sit in memory (18 MB at 10,000 events) beside the
 * schema's tree. */

#define PIECE 65536

struct file_in {
    int fd;
    size_t total, max;
    const char *why; /* why it could not be read, or NULL */
    int too_big;     /* larger than max (or grew past it while read) */
};

static int read_piece(struct file_in *in, char *buf, size_t size, size_t *got)
{
    for (;;) {
        ssize_t n = read(in->fd, buf, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            in->why = strerror(errno);
            return -1;
        }
        in->total += (size_t)n;
        if (in->total > in->max) {
            in->too_big = 1;
            return -1;
        }
        *got = (size_t)n;
        return 0;
    }
}

/* libyaml's reader (yaml_read_handler_t): 1, or 0 on an error. */
static int yaml_read(void *data, unsigned char *buf, size_t size,
                     size_t *size_read)
{
    return read_piece(data, (char *)buf, size, size_read) == 0;
}

/* Why reading failed, reported at the file; -1. */
static int read_error(const char *name, const struct file_in *in)
{
    struct eg_loc loc = {name, 0, 0};
    if (in->too_big)
        return eg_error(loc,
                        "file is larger than %u MiB; a schema is far "
                        "smaller",
                        EG_LOAD_MAX_SIZE / (1024 * 1024));
    return eg_error(loc, "cannot read: %s", in->why);
}

/* Where byte `off` of the file is: counted again from the start (only a
 * problem needs it, and the pages are in the cache). */
static struct eg_loc loc_in_file(const char *name, int fd, size_t off,
                                 char *buf)
{
    struct eg_loc loc = {name, 1, 1};
    size_t at = 0;
    while (at < off) {
        ssize_t n =
            pread(fd, buf, off - at < PIECE ? off - at : PIECE, (off_t)at);
        if (n <= 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        advance(&loc, buf, (size_t)n);
        at += (size_t)n;
    }
    return loc;
}

/* precheck() of the whole file, a piece at a time. */
static int precheck_file(const char *name, struct file_in *in)
{
    char *buf = xmalloc(PIECE + 4);
    size_t start = 0; /* the file offset of buf[0] */
    size_t carry = 0; /* a character begun at the end of the last piece */
    int rc = 0;
    for (;;) {
        size_t got, len, checked = 0, at;
        if (read_piece(in, buf + carry, PIECE, &got)) {
            rc = read_error(name, in);
            break;
        }
        len = carry + got;
        /* At the end of the file, a character begun is one cut short. */
        if ((at = text_scan(buf, len, got ? &checked : NULL)) < len) {
            char *again = xmalloc(PIECE);
            rc = text_report(loc_in_file(name, in->fd, start, again), buf, len,
                             at);
            free(again);
            break;
        }
        if (got == 0)
            break;
        carry = len - checked;
        memmove(buf, buf + checked, carry);
        start += checked;
    }
    free(buf);
    return rc;
}

/* The tree of text[0..len), or with `in` of the file it reads (already
 * prechecked). */
static struct eg_val *load_input(struct eg_arena *a, struct eg_arena *sa,
                                 const char *name, const char *text, size_t len,
                                 struct file_in *in,
                                 const struct eg_load_stream *st)
{
    struct loader l;
    yaml_parser_t parser;
    yaml_event_t ev;
    int rc = 0, done = 0;

    memset(&l, 0, sizeof l);
    l.a = a;
    l.sa = sa;
    l.tree = a;
    l.stream = st;
    eg_arena_init(&l.entry);
    eg_arena_init(&l.keys);
    l.name = name;
    /* The nodes' place.  A node with none would be one built by code:
     * past the table's size (thousands of schemas named on one command
     * line), a file is refused, not read without places. */
    if ((l.file = eg_file_index(name)) == 0) {
        struct eg_loc loc = {name, 0, 0};
        eg_error(loc,
                 "more than %d files read in one run; name fewer schemas "
                 "at a time",
                 EG_MAX_FILES);
        return NULL;
    }
    if (!in && precheck(name, text, len))
        return NULL;
    if (!yaml_parser_initialize(&parser))
        eg_fatal("out of memory initializing the YAML parser");
    if (in)
        yaml_parser_set_input(&parser, yaml_read, in);
    else
        yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (!done && rc == 0) {
        if (!yaml_parser_parse(&parser, &ev)) {
            struct eg_loc loc = mark_loc(&l, parser.problem_mark);
            if (in && (in->why || in->too_big)) {
                rc = read_error(name, in);
                break;
            }
            if (parser.context)
                rc = eg_error(loc, "YAML syntax error: %s %s",
                              parser.problem ? parser.problem : "error",
                              parser.context);
            else
                rc = eg_error(loc, "YAML syntax error: %s",
                              parser.problem ? parser.problem : "error");
            if (parser.context &&
                parser.context_mark.line != parser.problem_mark.line)
                eg_note(mark_loc(&l, parser.context_mark),
                        "the construct starts here");
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = handle(&l, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    free(l.anchors);
    free(l.kids);
    /* An entry cut short by an error: nothing may point into it now. */
    end_entry(&l);
    eg_arena_free(&l.entry);
    eg_arena_adopt(l.tree, &l.keys);
    if (rc)
        return NULL;
    if (!l.root) {
        l.root = eg_val_null(a);
        l.root->file = l.file;
        l.root->x.at.line = 1;
        l.root->x.at.col = 1;
    }
    return l.root;
}

struct eg_val *eg_load_text(struct eg_arena *a, const char *name,
                            const char *text, size_t len)
{
    return load_input(a, a, name, text, len, NULL, NULL);
}

static struct eg_val *load_file(struct eg_arena *a, struct eg_arena *tree,
                                struct eg_arena *strings, const char *path,
                                const struct eg_load_stream *st)
{
    const char *name = eg_arena_strdup(a, path);
    struct eg_val *root = NULL;
    struct file_in in = {-1, 0, EG_LOAD_MAX_SIZE, NULL, 0};

    if ((in.fd = eg_open_file(path, EG_LOAD_MAX_SIZE, &in.why)) < 0) {
        in.too_big = strcmp(in.why, "is larger than the size limit") == 0;
        read_error(name, &in);
        return NULL;
    }
    /* The text is not kept: diagnostics read the file again if they
     * need a line of it (diag.h). */
    eg_diag_add_source_file(name);
    if (precheck_file(name, &in) == 0) {
        if (lseek(in.fd, 0, SEEK_SET) != 0) {
            in.why = strerror(errno);
            read_error(name, &in);
        } else {
            in.total = 0;
            root = load_input(tree, strings, name, NULL, 0, &in, st);
        }
    }
    close(in.fd);
    return root;
}

struct eg_val *eg_load_file_stream(struct eg_arena *a, struct eg_arena *tree,
                                   const char *path,
                                   const struct eg_load_stream *st)
{
    return load_file(a, tree, tree, path, st);
}

struct eg_val *eg_load_file_split(struct eg_arena *a, struct eg_arena *nodes,
                                  const char *path)
{
    return load_file(a, nodes, a, path, NULL);
}

struct eg_val *eg_load_file(struct eg_arena *a, const char *path)
{
    return load_file(a, a, a, path, NULL);
}
