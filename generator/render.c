/*
 * render.c - the render stage: a Mustache template and a data tree (the
 * context built by context.c, or YAML for `evgen render`) to text.
 *
 * Two passes.  parse() turns template text into a tree of nodes in an
 * arena, once per template and per eg_render() call (partials are parsed
 * when first used and cached by name).  Every whitespace decision of the
 * spec (standalone lines, the indentation of standalone partials and
 * parents, the reindentation of blocks) is made there, so render_list()
 * only walks nodes and appends to the caller's buffer: no allocation per
 * character, and the only per-line work is the indentation of partials.
 *
 * It hands its caller (outputs.c, or `evgen render`) a string buffer and
 * never touches files.  See render.h for the contract, and the comments
 * on struct node and enum SITE_* for how inheritance whitespace is
 * modelled.
 *
 * Deliberate choices where the spec says nothing:
 *   - An empty template line inside an indented partial (or reindented
 *     block) is not indented: generated code should carry no trailing
 *     whitespace, and the spec's tests never indent an empty line.
 *   - A malformed name ("a..b", "a b") is a syntax error, not a miss.
 *   - Interpolating a sequence or a mapping renders nothing (lenient) or
 *     is an error (strict); Mustache leaves it to the language.
 */
#include "render.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits.  Each one turns a hostile or runaway template into a diagnostic
 * instead of a crash, an exhausted stack or an endless run. */
#define MAX_PARSE_NEST 1000  /* open sections in one template */
#define MAX_TAGS 1000000     /* nodes in one template: memory */
#define DEFAULT_DEPTH 64     /* partial/parent/block nesting */
#define MAX_RENDER_NEST 2000 /* all nesting while rendering: C stack */
#define MAX_OUTPUT ((size_t)256 << 20)
#define MAX_LAMBDA_OUTPUT ((size_t)256 << 10) /* one lambda string's text */
#define MAX_STEPS (1ul << 27) /* nodes and iterations: see step() */

/* ======================================================================
 * Escaping
 * ====================================================================== */

static const char *const escape_names[] = {
    "html", "xml", "c", "md", "yaml", "message", "md-cell", "none"};

int eg_escape_parse(const char *name)
{
    for (size_t i = 0; i < EG_ARRAY_LEN(escape_names); i++)
        if (strcmp(name, escape_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *eg_escape_name(enum eg_escape e)
{
    return (unsigned)e < EG_ARRAY_LEN(escape_names) ? escape_names[e] : "?";
}

/* The bytes each kind of escaping has to look at (table[kind][byte]): a
 * byte not marked is copied as it is, after one table lookup. */
#define CTRL_BYTES                                                             \
    [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,    \
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1,    \
    [0x0d] = 1, [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1,    \
    [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1,    \
    [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1,    \
    [0x1f] = 1, [0x7f] = 1
/* clang-format off */
static const unsigned char escape_bytes[EG_ESC_NONE][256] = {
    [EG_ESC_HTML] = {['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1},
    [EG_ESC_XML] = {['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
                    ['\t'] = 1, ['\n'] = 1, ['\r'] = 1},
    [EG_ESC_C] = {[0] = 1, CTRL_BYTES, ['\\'] = 1, ['"'] = 1, ['/'] = 1,
                  ['?'] = 1},
    [EG_ESC_MD] = {['\\'] = 1, ['`'] = 1, ['*'] = 1, ['_'] = 1, ['['] = 1,
                   [']'] = 1, ['<'] = 1, ['>'] = 1, ['|'] = 1},
    [EG_ESC_YAML] = {[0] = 1, CTRL_BYTES, ['\\'] = 1, ['"'] = 1},
    [EG_ESC_MD_CELL] = {['|'] = 1, ['\n'] = 1, ['\r'] = 1},
};
/* clang-format on */

/* The end of a Markdown link's destination: the ')' that closes the '('
 * at s[i], allowing one level of parentheses inside ((v=vs.85)); len if
 * there is none on the line. */
static size_t link_end(const char *s, size_t i, size_t len)
{
    int depth = 0;
    for (i++; i < len && s[i] != '\n'; i++) {
        if (s[i] == '(' && ++depth > 1)
            return len;
        if (s[i] == ')' && depth-- == 0)
            return i;
    }
    return len;
}

static int is_word_char(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
           c == '_' || (c & 0x80);
}

static int is_blank_char(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Where a paragraph ends at or after i: a line holding only blanks. */
static size_t para_end(const char *s, size_t i, size_t len)
{
    for (; i < len; i++)
        if (s[i] == '\n') {
            size_t k = i + 1;
            while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
                k++;
            if (k >= len || s[k] == '\n')
                return i;
        }
    return len;
}

/* The closing mark of the emphasis or code span opened by the n-byte
 * mark at s[i] ("`", "**", "__"), or 0: a mark opens when a non-blank
 * follows it and closes when one precedes it (CommonMark's flanking, in
 * short), both in one paragraph; "__" not inside a word. */
static size_t closing_mark(const char *s, size_t i, size_t n, size_t len)
{
    size_t end = para_end(s, i, len);
    if (i + n >= end || is_blank_char(s[i + n]) ||
        (s[i] == '_' && i > 0 && is_word_char(s[i - 1])))
        return 0;
    for (size_t k = i + n + 1; k + n <= end; k++) {
        if (s[k] == '\\' && s[i] != '`') {
            k++;
            continue;
        }
        if (memcmp(s + k, s + i, n) == 0 && !is_blank_char(s[k - 1]) &&
            (s[i] != '_' || k + n >= len || !is_word_char(s[k + n])) &&
            (s[i] != '`' || k + 1 >= len || s[k + 1] != '`'))
            return k;
    }
    return 0;
}

/* The ']' that ends a link's text opened at s[i], escaped ones skipped,
 * or len. */
static size_t link_text_end(const char *s, size_t i, size_t len)
{
    for (size_t k = i + 1; k < len && s[k] != '\n'; k++) {
        if (s[k] == '\\') {
            k++;
            continue;
        }
        if (s[k] == ']')
            return k;
    }
    return len;
}

/* "message": schema text -> the text of an ETW message string (what
 * FormatMessage shows), XML-escaped for the attribute that holds it.
 * tests/manifest/check_manifest.py has the same rules, written apart. */
static void escape_message(const char *s, size_t len, struct eg_sb *out)
{
    size_t link_close = len; /* the ']' of the link being read, if any */
    size_t skip_to = 0;
    /* Closing marks found ahead (a stack: they nest), to be dropped. */
    size_t closes[16], nclose = 0, code_end = 0;
    while (len > 0 && is_blank_char(s[len - 1]))
        len--; /* a block scalar's final line break shows as nothing */
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (i < skip_to)
            continue;
        if (nclose && i == closes[nclose - 1]) { /* a pair's closing mark */
            i += s[i] == '`' ? 0 : 1;
            nclose--;
            continue;
        }
        if (i < code_end) { /* inside a code span: text as it is */
            if (c == '%')
                eg_sb_adds(out, "%%");
            else
                eg_escape_append(EG_ESC_XML, &c, 1, out);
            continue;
        }
        if (i == link_close) { /* "](url)": the destination is dropped */
            skip_to = link_end(s, i + 1, len) + 1;
            link_close = len;
            continue;
        }
        switch (c) {
        case '%': eg_sb_adds(out, "%%"); break;
        case '\n':
            /* A line break in a paragraph reads as a space (CommonMark's
             * soft break); between paragraphs, as a line break. */
            if (para_end(s, i, len) == i) {
                while (i + 1 < len && is_blank_char(s[i + 1]))
                    i++;
                eg_sb_adds(out, "%n");
            } else {
                eg_sb_addc(out, ' ');
            }
            break;
        case '\t': eg_sb_adds(out, "%t"); break;
        case '\r': break;
        case '`':
        case '*':
        case '_': {
            /* A code span, or strong emphasis ("**", "__"), shows its
             * text; a mark that opens nothing is text itself. */
            size_t n = c == '`' ? 1 : 2, k = 0;
            if ((c == '`' || (i + 1 < len && s[i + 1] == c)) &&
                nclose < EG_ARRAY_LEN(closes))
                k = closing_mark(s, i, n, len);
            if (k && (!nclose || k < closes[nclose - 1])) {
                if (c == '`')
                    code_end = k;
                closes[nclose++] = k;
                i += n - 1;
            } else {
                eg_escape_append(EG_ESC_XML, &c, 1, out);
            }
            break;
        }
        case '\\':
            /* A backslash escape shows the character it escapes. */
            if (i + 1 < len && s[i + 1] != '\0' &&
                strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i + 1])) {
                i++;
                if (s[i] == '%')
                    eg_sb_adds(out, "%%");
                else
                    eg_escape_append(EG_ESC_XML, &s[i], 1, out);
            } else {
                eg_sb_addc(out, '\\');
            }
            break;
        case '[': {
            /* [text](destination): the text, without the destination. */
            size_t k = link_text_end(s, i, len);
            if (k + 1 < len && s[k + 1] == '(' &&
                link_end(s, k + 1, len) < len) {
                link_close = k;
                break;
            }
            eg_sb_addc(out, '[');
            break;
        }
        case '<': {
            /* An HTML tag (<br/>, <b>, </b>) or comment shows as nothing,
             * an autolink (<https://x>, <a@b.c>) as its address. */
            const char *gt = memchr(s + i, '>', len - i);
            size_t k = gt ? (size_t)(gt - s) : len;
            char n1 = i + 1 < len ? (char)(s[i + 1] | 0x20) : '\0';
            char n2 = i + 2 < len ? (char)(s[i + 2] | 0x20) : '\0';
            /* an autolink holds no blank and no '<' */
            int blank = gt && (memchr(s + i, ' ', k - i) ||
                               memchr(s + i, '\t', k - i) ||
                               memchr(s + i, '\n', k - i) ||
                               memchr(s + i + 1, '<', k - i - 1));
            if (i + 3 < len && memcmp(s + i, "<!--", 4) == 0) {
                const char *e = NULL;
                for (size_t j = i + 4; j + 3 <= len && !e; j++)
                    if (memcmp(s + j, "-->", 3) == 0)
                        e = s + j;
                if (e) {
                    i = (size_t)(e - s) + 2;
                    break;
                }
            } else if (gt && !blank &&
                       (memchr(s + i, ':', k - i) || memchr(s + i, '@', k - i))) {
                for (size_t j = i + 1; j < k; j++)
                    if (s[j] == '%')
                        eg_sb_adds(out, "%%");
                    else
                        eg_escape_append(EG_ESC_XML, &s[j], 1, out);
                i = k;
                break;
            } else if (gt && (((n1 >= 'a' && n1 <= 'z')) ||
                              (s[i + 1] == '/' && n2 >= 'a' && n2 <= 'z')) &&
                       !memchr(s + i, '\n', k - i)) {
                i = k;
                break;
            }
            eg_sb_adds(out, "&lt;");
            break;
        }
        default: eg_escape_append(EG_ESC_XML, &c, 1, out);
        }
    }
}

/* Copies runs of bytes that need no escaping in one go: escaping is on the
 * hot path of every interpolation. */
void eg_escape_append(enum eg_escape e, const char *s, size_t len,
                      struct eg_sb *out)
{
    size_t run = 0;
    char buf[8];
    const unsigned char *look;

    if (e == EG_ESC_NONE || (unsigned)e >= EG_ARRAY_LEN(escape_names)) {
        eg_sb_add(out, s, len);
        return;
    }
    if (e == EG_ESC_MESSAGE) {
        escape_message(s, len, out);
        return;
    }
    look = escape_bytes[e];
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;

        if (!look[c])
            continue;
        switch (e) {
        case EG_ESC_HTML:
        case EG_ESC_XML:
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = e == EG_ESC_HTML ? "&#39;" : "&apos;"; break;
            /* XML only: an attribute value's tab or line break would be
             * read back as a space (XML 1.0, 3.3.3); a reference is read
             * back as itself. */
            case '\t': rep = "&#9;"; break;
            case '\n': rep = "&#10;"; break;
            case '\r': rep = "&#13;"; break;
            }
            break;
        case EG_ESC_C:
        case EG_ESC_YAML: /* the same escapes; '/' and '?' are C's only */
            switch (c) {
            case '\\': rep = "\\\\"; break;
            case '"': rep = "\\\""; break;
            case '\n': rep = "\\n"; break;
            case '\t': rep = "\\t"; break;
            case '\r': rep = "\\r"; break;
            case '/':
                /* Both "*" "/" (ends a block comment) and "/" "*" (which
                 * -Wcomment flags inside one) lose their slash. */
                if ((i > 0 && s[i - 1] == '*') ||
                    (i + 1 < len && s[i + 1] == '*'))
                    rep = "\\057";
                break;
            case '?':
                /* "??" starts a trigraph in pre-C23 compilers. */
                if (i > 0 && s[i - 1] == '?')
                    rep = "\\?";
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    /* C: always three octal digits, so a digit after the
                     * escape cannot extend it; YAML: \xNN. */
                    snprintf(buf, sizeof buf,
                             e == EG_ESC_C ? "\\%03o" : "\\x%02x", c);
                    rep = buf;
                }
            }
            break;
        case EG_ESC_MD: /* every byte it looks at gets a backslash */
            buf[0] = '\\';
            buf[1] = (char)c;
            buf[2] = '\0';
            rep = buf;
            break;
        case EG_ESC_MD_CELL:
            if (c == '|') {
                /* Already escaped when an odd number of backslashes
                 * precede it. */
                size_t k = i;
                while (k > 0 && s[k - 1] == '\\')
                    k--;
                if ((i - k) % 2 == 0)
                    rep = "\\|";
            } else {
                rep = c == '\n' ? " " : "";
            }
            break;
        case EG_ESC_MESSAGE:
        case EG_ESC_NONE: break;
        }
        if (rep) {
            eg_sb_add(out, s + run, i - run);
            eg_sb_adds(out, rep);
            run = i + 1;
        }
    }
    eg_sb_add(out, s + run, len - run);
    if (e == EG_ESC_MD_CELL) {
        /* A backslash at the end would escape what the template writes
         * next (a "<br/>" in a cell): make it a backslash of its own. */
        size_t k = len;
        while (k > 0 && s[k - 1] == '\\')
            k--;
        if ((len - k) % 2)
            eg_sb_addc(out, '\\');
    }
}

/* ======================================================================
 * The parsed template
 * ====================================================================== */

enum nkind {
    N_TEXT,
    N_VAR,
    N_SECTION,
    N_INVERTED,
    N_PARTIAL,
    N_PARENT,
    N_BLOCK
};

/* Where a block site ({{$b}} outside a parent's argument list) sits on its
 * line; this decides how an argument passed to it is indented:
 *   SITE_LINE    the tag is alone on its line (the line is removed); the
 *                indentation is that of the first line of the default
 *                content, as the spec's "Intrinsic indentation" asks.
 *   SITE_LEFT    only whitespace precedes it; that whitespace indents
 *                every line of the argument, as for a standalone partial.
 *   SITE_INLINE  text precedes it: the argument keeps its own layout,
 *                minus its intrinsic indentation. */
enum { SITE_LINE, SITE_LEFT, SITE_INLINE };

struct part {
    const char *s; /* NUL-terminated, in the arena */
    size_t len;
    const char *in; /* the same, interned (value.h): matches keys by address */
    uint32_t bit;   /* eg_key_bit(in): whether a map may have it */
};

struct tmpl;

/* One node per text run or tag.  Texts point into the template source,
 * which outlives the render (render.h's contract); names are copied so
 * they are NUL-terminated. */
struct node {
    struct node *next;
    struct node *kids; /* section, inverted, parent, block */
    enum nkind kind;
    struct eg_loc loc;
    unsigned bol : 1;        /* begins a template line: indentation goes here */
    unsigned raw : 1;        /* {{{x}}} or {{&x}}: not escaped */
    unsigned dyn : 1;        /* {{>*x}} {{<*x}}: the name is read from data */
    unsigned standalone : 1; /* partial/parent alone on its line: indents */
    unsigned arg : 1;        /* block that is an argument of its parent */
    unsigned site : 2;       /* block site: SITE_* */
    /* N_VAR: the escape kind a {{%escape KIND}} pragma before it chose
     * (enum eg_escape), or -1: the output's. */
    signed char esc;
    const char *text;        /* N_TEXT: bytes; else the name as written */
    size_t len;
    const struct part *parts; /* dotted name; nparts == 0 for "." */
    size_t nparts;
    /* partial/parent: whitespace before the tag (the indentation when
     * standalone, else text to emit); block site: the site's indentation;
     * block argument: its intrinsic indentation, removed on expansion. */
    const char *ws;
    size_t wslen;
    struct tmpl *tmpl; /* static partial/parent: resolved on first use */
};

struct tmpl {
    struct tmpl *next; /* the per-render cache list */
    const char *name;
    size_t namelen;
    int found;
    struct node *nodes;
};

/* ======================================================================
 * Parser
 * ====================================================================== */

struct cont { /* an open section, parent or block */
    struct node *node;
    struct node **tail; /* the enclosing list's tail, restored on close */
    int left, right;    /* parent: its open tag clears left/right */
};

struct parser {
    struct eg_arena *a;
    const char *file, *src;
    size_t len;
    const char *otag, *ctag, *ctag_brace, *ctag_eq;
    size_t olen, clen;
    /* Incremental position -> line/column: tags come in order, so the
     * whole source is counted once, even on one huge line. */
    size_t lc_off, lc_col;
    int lc_line;
    struct node **tail;
    struct cont *stack;
    size_t depth, cap;
    size_t ntags;
    int at_bol;
    int esc; /* what {{%escape}} chose for the tags after it; -1: none */
    const struct eg_loc *fixed; /* every node at this place (lambda text) */
};

static struct eg_loc loc_at(struct parser *p, size_t off)
{
    struct eg_loc loc;
    if (p->fixed)
        return *p->fixed;
    if (off < p->lc_off) { /* not expected; stay correct anyway */
        p->lc_off = 0;
        p->lc_line = 1;
        p->lc_col = 0;
    }
    for (; p->lc_off < off; p->lc_off++) {
        unsigned char c = (unsigned char)p->src[p->lc_off];
        if (c == '\n') {
            if (p->lc_line < INT32_MAX)
                p->lc_line++;
            p->lc_col = 0;
        } else if ((c & 0xc0) != 0x80) {
            /* Columns count characters, as diag.c's caret does. */
            p->lc_col++;
        }
    }
    loc.file = p->file;
    loc.line = p->lc_line;
    loc.col = p->lc_col < INT32_MAX ? (int)p->lc_col + 1 : INT32_MAX;
    return loc;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* First occurrence of needle in hay[from..len); len if none.  The source
 * may hold NUL bytes, so no strstr. */
static size_t find(const char *hay, size_t len, size_t from, const char *needle,
                   size_t nlen)
{
    while (from + nlen <= len) {
        const char *p = memchr(hay + from, needle[0], len - from - nlen + 1);
        if (!p)
            break;
        from = (size_t)(p - hay);
        if (memcmp(p, needle, nlen) == 0)
            return from;
        from++;
    }
    return len;
}

static size_t blank_run(const char *s, size_t from, size_t len)
{
    size_t i = from;
    while (i < len && is_blank(s[i]))
        i++;
    return i - from;
}

static struct node *new_node(struct parser *p, enum nkind kind, size_t off)
{
    struct node *n = eg_arena_alloc(p->a, sizeof(*n));
    n->kind = kind;
    n->loc = loc_at(p, off);
    n->bol = (unsigned)p->at_bol;
    *p->tail = n;
    p->tail = &n->next;
    return n;
}

static void add_text(struct parser *p, size_t from, size_t to)
{
    struct node *n;
    if (from >= to)
        return;
    n = new_node(p, N_TEXT, from);
    n->text = p->src + from;
    n->len = to - from;
    p->at_bol = p->src[to - 1] == '\n';
}

/* A tag that leaves no node (comment, delimiters, closing tag) at the
 * start of a line that it does not remove: the line's indentation still
 * belongs there, as if the partial's source had been indented. */
static void add_marker(struct parser *p, size_t off)
{
    struct node *n = new_node(p, N_TEXT, off);
    n->text = p->src + off;
    n->len = 0;
}

static void set_delims(struct parser *p, const char *o, size_t olen,
                       const char *c, size_t clen)
{
    char *cb = eg_arena_alloc(p->a, 2 * (clen + 2));
    char *ce = cb + clen + 2;
    p->otag = o;
    p->olen = olen;
    p->ctag = c;
    p->clen = clen;
    cb[0] = '}';
    memcpy(cb + 1, c, clen);
    ce[0] = '=';
    memcpy(ce + 1, c, clen);
    p->ctag_brace = cb;
    p->ctag_eq = ce;
}

/* Validate a name and split it on dots.  Mustache names are any run of
 * non-whitespace; control bytes are refused too, since they can only be a
 * mistake and would garble the diagnostic. */
static int parse_name(struct parser *p, struct node *n, const char *s,
                      size_t len, int dotted)
{
    size_t nparts = 1;
    struct part *parts;
    char *copy;

    if (len == 0)
        return eg_error(n->loc, "empty tag name");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' || c == '\r')
            return eg_error(n->loc, "invalid tag name: names cannot contain "
                                    "line breaks");
        if (c < 0x20 || c == 0x7f) {
            if (c == '\t')
                continue;
            return eg_error(n->loc,
                            "invalid tag name: it contains the "
                            "control character 0x%02x",
                            c);
        }
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ' || s[i] == '\t')
            return eg_error(n->loc,
                            "invalid tag name '%.*s': names cannot "
                            "contain whitespace",
                            (int)len, s);
        if (s[i] == '.')
            nparts++;
    }
    copy = eg_arena_strndup(p->a, s, len);
    n->text = copy;
    n->len = len;
    if (!dotted)
        return 0;
    if (len == 1 && s[0] == '.') { /* the implicit iterator */
        n->nparts = 0;
        return 0;
    }
    parts = eg_arena_alloc(p->a, nparts * sizeof(*parts));
    /* Split a second copy in place, keeping n->text whole for messages. */
    copy = eg_arena_strndup(p->a, s, len);
    nparts = 0;
    for (char *q = copy, *end = copy + len;;) {
        char *dot = memchr(q, '.', (size_t)(end - q));
        char *stop = dot ? dot : end;
        if (stop == q)
            return eg_error(n->loc,
                            "invalid name '%.*s': empty part "
                            "between dots",
                            (int)len, s);
        *stop = '\0';
        parts[nparts].s = q;
        parts[nparts].len = (size_t)(stop - q);
        parts[nparts].in = eg_intern(q, parts[nparts].len);
        parts[nparts].bit = eg_key_bit(parts[nparts].in);
        nparts++;
        if (!dot)
            break;
        q = dot + 1;
    }
    n->parts = parts;
    n->nparts = nparts;
    return 0;
}

/* Name of a partial or parent tag: "name" or "*dotted.name". */
static int parse_ref(struct parser *p, struct node *n, const char *s,
                     size_t len)
{
    if (len && s[0] == '*') {
        size_t skip = 1;
        while (skip < len && is_space(s[skip]))
            skip++;
        n->dyn = 1;
        if (parse_name(p, n, s + skip, len - skip, 1))
            return -1;
        /* Keep the star in the name shown to users and matched by the
         * closing tag. */
        n->text = eg_arena_printf(p->a, "*%s", n->text);
        n->len++;
        return 0;
    }
    return parse_name(p, n, s, len, 0);
}

/* Does the closing tag's content name the open node?  A dynamic parent
 * "{{<*x}}" is closed by "{{/" then "*x}}", blanks allowed after the star. */
static int close_matches(const struct node *open, const char *s, size_t len)
{
    if (len && s[0] == '*' && open->dyn) {
        size_t skip = 1;
        while (skip < len && is_space(s[skip]))
            skip++;
        return open->len - 1 == len - skip &&
               memcmp(open->text + 1, s + skip, len - skip) == 0;
    }
    return open->len == len && memcmp(open->text, s, len) == 0;
}

static const char *kind_word(const struct node *n)
{
    switch (n->kind) {
    case N_PARENT: return "parent";
    case N_BLOCK: return "block";
    default: return "section";
    }
}

static int push_cont(struct parser *p, struct node *n, int left, int right)
{
    struct cont *c;
    if (p->depth >= MAX_PARSE_NEST)
        return eg_error(n->loc, "sections nested more than %d deep",
                        MAX_PARSE_NEST);
    if (p->depth == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->stack = xrealloc(p->stack, p->cap * sizeof(*p->stack));
    }
    c = &p->stack[p->depth++];
    c->node = n;
    c->tail = p->tail;
    c->left = left;
    c->right = right;
    p->tail = &n->kids;
    return 0;
}

/* Parse a whole template.  Returns 0 and the node list in *out, or -1
 * after reporting the first syntax error.  With `fixed`, every node (and
 * error) is placed there instead: the text of a lambda string has no
 * file of its own. */
static int parse(struct eg_arena *a, const char *file, const char *src,
                 size_t len, const struct eg_loc *fixed, struct node **out)
{
    struct parser p;
    size_t pos = 0, text_start = 0;
    int rc = -1;

    memset(&p, 0, sizeof p);
    p.a = a;
    p.file = file;
    p.src = src;
    p.len = len;
    p.lc_line = 1;
    p.at_bol = 1;
    p.fixed = fixed;
    p.esc = -1;
    *out = NULL;
    p.tail = out;
    set_delims(&p, "{{", 2, "}}", 2);

    for (;;) {
        size_t t = find(src, len, pos, p.otag, p.olen);
        size_t inner, end, tag_end, cs, ce, ws_start, j, line_end = len;
        const char *closer;
        size_t closer_len;
        char sigil;
        int left, right, trim = 0, eat = 0, mark;
        struct eg_loc tag_loc;
        struct node *n = NULL;

        if (t == len) {
            add_text(&p, text_start, len);
            break;
        }
        inner = t + p.olen;
        sigil = inner < len ? src[inner] : '\0';
        switch (sigil) {
        case '{':
            closer = p.ctag_brace;
            closer_len = p.clen + 1;
            inner++;
            break;
        case '=':
            closer = p.ctag_eq;
            closer_len = p.clen + 1;
            inner++;
            break;
        case '&':
        case '#':
        case '^':
        case '/':
        case '!':
        case '%':
        case '>':
        case '<':
        case '$':
            closer = p.ctag;
            closer_len = p.clen;
            inner++;
            break;
        default:
            closer = p.ctag;
            closer_len = p.clen;
            sigil = '\0';
            break;
        }
        end = find(src, len, inner, closer, closer_len);
        if (end == len) {
            add_text(&p, text_start, t);
            tag_loc = loc_at(&p, t);
            eg_error(tag_loc, "unterminated tag: no '%.*s' after this '%.*s%s'",
                     (int)closer_len, closer, (int)p.olen, p.otag,
                     sigil == '{' || sigil == '=' ? (sigil == '{' ? "{" : "=")
                                                  : "");
            goto done;
        }
        if (++p.ntags > MAX_TAGS) {
            add_text(&p, text_start, t);
            eg_error(loc_at(&p, t), "more than %d tags in one template",
                     MAX_TAGS);
            goto done;
        }
        tag_end = end + closer_len;
        cs = inner;
        ce = end;
        while (cs < ce && is_space(src[cs]))
            cs++;
        while (ce > cs && is_space(src[ce - 1]))
            ce--;

        /* Standalone: only blanks between the line start and the tag, and
         * between the tag and the line end.  Scanning back stops at the
         * previous tag's closing delimiter, so this is linear overall. */
        ws_start = t;
        while (ws_start > text_start && is_blank(src[ws_start - 1]))
            ws_start--;
        left = ws_start == 0 || src[ws_start - 1] == '\n';
        left = left && ws_start >= text_start;
        j = tag_end + blank_run(src, tag_end, len);
        right = 1;
        if (j == len)
            line_end = len;
        else if (src[j] == '\n')
            line_end = j + 1;
        else if (src[j] == '\r' && j + 1 < len && src[j + 1] == '\n')
            line_end = j + 2;
        else
            right = 0;

        switch (sigil) {
        case '\0':
        case '&':
        case '{': trim = eat = 0; break;
        case '!':
        case '%':
        case '=':
        case '#':
        case '^':
        case '>': trim = eat = left && right; break;
        case '<':
            trim = left;
            eat = left && right;
            break;
        case '$':
            if (p.depth && p.stack[p.depth - 1].node->kind == N_PARENT) {
                /* An argument: text around it is ignored, only the line
                 * end after it belongs to the tag. */
                trim = 0;
                eat = right;
            } else {
                trim = left;
                eat = left && right;
            }
            break;
        case '/': {
            const struct cont *c = p.depth ? &p.stack[p.depth - 1] : NULL;
            if (c && c->node->kind == N_PARENT) {
                eat = right && (left || c->left);
                trim = eat && left;
            } else if (c && c->node->kind == N_BLOCK && c->node->arg) {
                /* An argument's closing tag ends its content at the last
                 * line break; the rest of its line is the parent's
                 * (ignored) text. */
                trim = left;
                eat = 0;
            } else {
                trim = eat = left && right;
            }
            break;
        }
        }

        add_text(&p, text_start, trim ? ws_start : t);
        tag_loc = loc_at(&p, t);
        mark = !eat && !trim && p.at_bol;
        switch (sigil) {
        case '!':
            if (mark)
                add_marker(&p, t);
            break;
        case '%':
            /* A pragma: {{%escape KIND}} escapes the tags after it in this
             * template (not its partials) for KIND, {{%escape}} for the
             * output's kind again (README: "Escaping").  A template that is
             * a text in data (a string of `strings:`, an output's path) has
             * none: the template interpolating it chooses, and escapes it
             * once. */
            if (p.fixed) {
                eg_error(tag_loc, "a pragma ({{%%...}}) belongs in a template "
                                  "file: the template that interpolates this "
                                  "text chooses the escaping");
                goto done;
            }
            if (ce - cs >= 6 && memcmp(src + cs, "escape", 6) == 0 &&
                (ce - cs == 6 || is_space(src[cs + 6]))) {
                size_t k0 = cs + 6;
                char kind[16];
                int e = -1; /* no kind: the output's */
                while (k0 < ce && is_space(src[k0]))
                    k0++;
                if (k0 < ce) {
                    if (ce - k0 < sizeof kind) {
                        memcpy(kind, src + k0, ce - k0);
                        kind[ce - k0] = '\0';
                        e = eg_escape_parse(kind);
                    }
                    if (e < 0) {
                        eg_error(tag_loc,
                                 "unknown escape kind '%.*s': html, xml, c, "
                                 "md, yaml, message, md-cell or none",
                                 (int)(ce - k0), src + k0);
                        goto done;
                    }
                }
                p.esc = e;
            } else {
                eg_error(tag_loc,
                         "unknown pragma '%.*s': the one pragma is "
                         "'escape KIND' (or 'escape' alone, for the "
                         "output's kind)",
                         (int)(ce - cs), src + cs);
                goto done;
            }
            if (mark)
                add_marker(&p, t);
            break;
        case '=': {
            /* Two runs of non-whitespace: the new open and close tags. */
            size_t a0 = cs, a1, b0, b1;
            a1 = a0;
            while (a1 < ce && !is_space(src[a1]))
                a1++;
            b0 = a1;
            while (b0 < ce && is_space(src[b0]))
                b0++;
            b1 = b0;
            while (b1 < ce && !is_space(src[b1]))
                b1++;
            if (a1 == a0 || b0 == a1 || b1 == b0 || b1 != ce) {
                eg_error(tag_loc,
                         "bad set-delimiter tag: expected two "
                         "delimiters separated by whitespace, as in "
                         "'%.*s=<%% %%>=%.*s'",
                         (int)p.olen, p.otag, (int)p.clen, p.ctag);
                goto done;
            }
            set_delims(&p, src + a0, a1 - a0, src + b0, b1 - b0);
            if (mark)
                add_marker(&p, t);
            break;
        }
        case '\0':
        case '&':
        case '{':
            n = new_node(&p, N_VAR, t);
            n->loc = tag_loc;
            n->raw = sigil != '\0';
            n->esc = (signed char)p.esc;
            if (parse_name(&p, n, src + cs, ce - cs, 1))
                goto done;
            break;
        case '#':
        case '^':
            n = new_node(&p, sigil == '#' ? N_SECTION : N_INVERTED, t);
            if (trim)
                n->bol = 0;
            if (parse_name(&p, n, src + cs, ce - cs, 1) ||
                push_cont(&p, n, left, right))
                goto done;
            break;
        case '>':
            n = new_node(&p, N_PARTIAL, t);
            if (parse_ref(&p, n, src + cs, ce - cs))
                goto done;
            if (trim) {
                n->bol = 0;
                n->standalone = 1;
                n->ws = src + ws_start;
                n->wslen = t - ws_start;
            }
            break;
        case '<':
            n = new_node(&p, N_PARENT, t);
            if (parse_ref(&p, n, src + cs, ce - cs) ||
                push_cont(&p, n, left, right))
                goto done;
            if (trim) {
                /* Indentation if the pair turns out standalone, text
                 * otherwise: decided at the closing tag. */
                n->ws = src + ws_start;
                n->wslen = t - ws_start;
            }
            break;
        case '$': {
            int is_arg = p.depth && p.stack[p.depth - 1].node->kind == N_PARENT;
            n = new_node(&p, N_BLOCK, t);
            if (parse_name(&p, n, src + cs, ce - cs, 0) ||
                push_cont(&p, n, left, right))
                goto done;
            if (is_arg) {
                n->arg = 1;
                /* Never rendered in place: bol says instead whether the
                 * content starts on a line of its own. */
                n->bol = (unsigned)eat;
                /* Intrinsic indentation: that of the content's first line,
                 * when the content starts on a line of its own. */
                n->ws = src + line_end;
                n->wslen = eat ? blank_run(src, line_end, len) : 0;
            } else if (eat) {
                n->site = SITE_LINE;
                n->bol = 0;
                n->ws = src + line_end;
                n->wslen = blank_run(src, line_end, len);
            } else if (trim) {
                n->site = SITE_LEFT;
                n->ws = src + ws_start;
                n->wslen = t - ws_start;
            } else {
                n->site = SITE_INLINE;
                n->bol = 0;
            }
            break;
        }
        case '/': {
            struct cont *c;
            if (!p.depth) {
                eg_error(tag_loc,
                         "'%.*s/%.*s%.*s' closes nothing: no section "
                         "is open",
                         (int)p.olen, p.otag, (int)(ce - cs), src + cs,
                         (int)p.clen, p.ctag);
                goto done;
            }
            c = &p.stack[p.depth - 1];
            if (!close_matches(c->node, src + cs, ce - cs)) {
                eg_error(tag_loc, "'%.*s/%.*s%.*s' closes '%s'", (int)p.olen,
                         p.otag, (int)(ce - cs), src + cs, (int)p.clen, p.ctag,
                         c->node->text);
                eg_note(c->node->loc, "'%s' opened here", c->node->text);
                goto done;
            }
            if (c->node->kind == N_PARENT)
                c->node->standalone =
                    (unsigned)(c->left && (c->right || right));
            else if (mark && !c->node->arg)
                add_marker(&p, t);
            p.tail = c->tail;
            p.depth--;
            break;
        }
        }
        if (eat) {
            pos = line_end;
            p.at_bol = 1;
        } else {
            pos = tag_end;
            p.at_bol = 0;
        }
        text_start = pos;
    }
    if (p.depth) {
        const struct node *open = p.stack[p.depth - 1].node;
        eg_error(open->loc, "unclosed %s '%s' opened here", kind_word(open),
                 open->text);
        goto done;
    }
    rc = 0;
done:
    free(p.stack);
    return rc;
}

/* Parse and forget: 0, or -1 after reporting the first syntax error. */
static int parse_only(const char *file, const char *text, size_t len,
                      const struct eg_loc *fixed)
{
    struct eg_arena a;
    struct node *nodes;
    int rc;
    eg_arena_init(&a);
    rc = parse(&a, file, text, len, fixed, &nodes);
    eg_arena_free(&a);
    return rc;
}

int eg_template_check(const char *file, const char *text, size_t len)
{
    return parse_only(file, text, len, NULL);
}

int eg_template_check_at(struct eg_loc at, const char *text, size_t len)
{
    return parse_only(at.file, text, len, &at);
}

/* ======================================================================
 * Renderer
 * ====================================================================== */

/* One level of indentation: each template line rendered while it is on
 * the stack has `strip` removed from its leading blanks (as far as they
 * match) and then `add` prepended.  `add` lives in renderer.ind, by
 * offset, because it may be computed. */
struct op {
    const char *strip;
    size_t slen;
    size_t add, alen;
};

/* Pointer -> pointer hash table (open addressing): the memo of resolved
 * scalars and the cache of parsed lambda strings. */
struct ptrmap {
    struct ptrmap_slot {
        const void *key;
        void *val;
    } * slots;
    size_t cap, n;
};

static size_t ptr_hash(const void *p, size_t mask)
{
    return (size_t)(((uintptr_t)p >> 4) * (uintptr_t)0x9E3779B97F4A7C15u) &
           mask;
}

/* The slot for key: either holding it or the empty one where it goes. */
static struct ptrmap_slot *ptrmap_slot(struct ptrmap *m, const void *key)
{
    size_t mask, i;
    if (m->n * 2 >= m->cap) {
        struct ptrmap_slot *old = m->slots;
        size_t oldcap = m->cap;
        m->cap = oldcap ? oldcap * 2 : 64;
        m->slots = xcalloc(m->cap, sizeof(*m->slots));
        for (size_t k = 0; k < oldcap; k++) {
            if (!old[k].key)
                continue;
            i = ptr_hash(old[k].key, m->cap - 1);
            while (m->slots[i].key)
                i = (i + 1) & (m->cap - 1);
            m->slots[i] = old[k];
        }
        free(old);
    }
    mask = m->cap - 1;
    i = ptr_hash(key, mask);
    while (m->slots[i].key && m->slots[i].key != key)
        i = (i + 1) & mask;
    return &m->slots[i];
}

struct renderer {
    const struct eg_partials *partials;
    enum eg_escape escape;
    int strict, max_depth;
    struct eg_arena *a;
    struct eg_sb *out;
    size_t out_start;
    size_t flushed; /* bytes handed to flush so far */
    const struct eg_render_opts *opts;
    const struct eg_val **ctx; /* the context stack, resolved values */
    size_t nctx, capctx;
    struct op *ops; /* indentation; ops[opbase..nops) apply */
    size_t nops, capops, opbase;
    struct eg_sb ind, tmp1, tmp2, tmp3; /* tmp3: never used by indent_into */
    const struct node **frames; /* parents being rendered, outermost first */
    size_t nframes, capframes;
    struct tmpl *cache;
    struct eg_arena *ta; /* where parsed templates live: the cache's arena
                            when the caller keeps one, else a */
    int depth, nest, notes;
    const struct node *last_note;
    unsigned long steps;
    struct lookup_slot *lc; /* lookup cache (eg_render_cache), or NULL */
    unsigned lgen;          /* its entries from this render */
    struct ptrmap memo;     /* plain scalar -> its resolved value */
    struct ptrmap lambdas;  /* lambda string -> its parsed nodes */
    struct eg_sb **lbufs;   /* output of lambda strings, one per level */
    size_t nlbufs, lambda_level;
};

static const struct eg_val null_val = {.kind = EG_NULL};

static void *grow(void *arr, size_t *cap, size_t elem)
{
    *cap = *cap ? *cap * 2 : 16;
    return xrealloc(arr, *cap * elem);
}

/* eg_val_resolve() allocates a node per call; memoizing by node keeps the
 * arena bounded by the data, however often a loop reads a value. */
static const struct eg_val *resolve(struct renderer *r, const struct eg_val *v)
{
    struct ptrmap_slot *slot;
    if (!v || v->kind != EG_STR || !v->plain)
        return v;
    slot = ptrmap_slot(&r->memo, v);
    if (!slot->key) {
        slot->key = v;
        slot->val = (void *)eg_val_resolve(r->a, v);
        r->memo.n++;
    }
    return slot->val;
}

static void push_ctx(struct renderer *r, const struct eg_val *v)
{
    if (r->nctx == r->capctx)
        r->ctx = grow(r->ctx, &r->capctx, sizeof(*r->ctx));
    r->ctx[r->nctx++] = resolve(r, v);
}

/* Bound on a map's proto chain (value.h): context.c's chains are two or
 * three long; a cycle in a hand-built tree must not hang the render. */
#define MAX_PROTO 64

/* The lookup cache: what a map's own pairs (not its protos) hold for an
 * interned name, found or not.  Lookups miss in the maps on top of the
 * stack over and over (a field row asks for `strings` through the field,
 * its type, the layout and the event before the root has it), and the
 * same event or type map is asked thousands of times per output.
 * Direct-mapped; an entry is good only in the render that made it (data
 * does not change during a render; between renders it may). */
struct lookup_slot {
    const struct eg_val *map;
    const char *name;
    const struct eg_val *val; /* NULL: not among the map's own pairs */
    unsigned gen;
};
#define LOOKUP_BITS 12
#define LOOKUP_SLOTS (1u << LOOKUP_BITS)
#define LOOKUP_MIN_PAIRS 8 /* smaller maps are scanned: as fast */

static const struct eg_val *own_find(const struct eg_val *map,
                                     const struct part *k)
{
    if (map->shaped) { /* context.c's keys, interned: by address */
        const char **names = eg_shape_at(map->u.map.cap)->names;
        for (size_t i = 0; i < map->u.map.n; i++)
            if (names[i] == k->in)
                return map->u.map.vals[i];
        return NULL;
    }
    for (size_t i = 0; i < map->u.map.n; i++) {
        const struct eg_val *key = map->u.map.pairs[i].key;
        if (key->interned) { /* context.c's keys: by address */
            if (key->u.str.s == k->in)
                return map->u.map.pairs[i].val;
        } else if (key->u.str.len == k->len &&
                   memcmp(key->u.str.s, k->s, k->len) == 0) {
            return map->u.map.pairs[i].val;
        }
    }
    return NULL;
}

/* The value of key k in map or, as value.h says, in its proto chain. */
static const struct eg_val *
map_find(struct renderer *r, const struct eg_val *map, const struct part *k)
{
    for (int hop = 0; map && map->kind == EG_MAP && hop < MAX_PROTO;
         map = eg_map_proto(map), hop++) {
        const struct eg_val *v;
        if (!eg_map_may_have(map, k->bit))
            continue; /* not among its own keys (value.h) */
        if (r->lc && map->u.map.n >= LOOKUP_MIN_PAIRS) {
            uintptr_t h = ((uintptr_t)map >> 4) ^ ((uintptr_t)k->in >> 3);
            struct lookup_slot *slot =
                &r->lc[(h * (uintptr_t)0x9E3779B97F4A7C15u) >>
                       (sizeof(uintptr_t) * 8 - LOOKUP_BITS)];
            if (slot->gen == r->lgen && slot->map == map &&
                slot->name == k->in) {
                v = slot->val;
            } else {
                v = own_find(map, k);
                slot->map = map;
                slot->name = k->in;
                slot->val = v;
                slot->gen = r->lgen;
            }
        } else {
            v = own_find(map, k);
        }
        if (v)
            return v;
    }
    return NULL;
}

static const char *a_kind(enum eg_kind k)
{
    switch (k) {
    case EG_NULL: return "null";
    case EG_BOOL: return "a boolean";
    case EG_INT: return "an integer";
    case EG_FLOAT: return "a number";
    case EG_STR: return "a string";
    case EG_SEQ: return "a sequence";
    case EG_MAP: return "a mapping";
    }
    return "?";
}

/* Strict mode's report of a name that resolves to nothing, with the
 * closest key in view as a suggestion. */
static int report_miss(struct renderer *r, const struct node *n, size_t failed,
                       const struct eg_val *parent)
{
    const char **cands = NULL;
    size_t ncands = 0, cap = 0;
    const char *best = NULL;
    /* The name as written; the parts are a split copy (dots replaced by
     * NULs) with the same layout, so offsets carry over. */
    const char *shown = n->dyn ? n->text + 1 : n->text;
    int plen = failed ? (int)(n->parts[failed - 1].s +
                              n->parts[failed - 1].len - n->parts[0].s)
                      : 0;
    int rc;

    if (failed > 0 && parent->kind != EG_MAP)
        return eg_error(n->loc,
                        "unknown name '%s': '%.*s' is %s, not a "
                        "mapping",
                        shown, plen, shown, a_kind(parent->kind));
    for (size_t i = failed ? 1 : r->nctx; i-- > 0;) {
        const struct eg_val *m = failed ? parent : r->ctx[i];
        for (int hop = 0; m && m->kind == EG_MAP && hop < MAX_PROTO;
             m = eg_map_proto(m), hop++)
            for (size_t k = 0; k < m->u.map.n; k++) {
                if (ncands == cap)
                    cands = grow(cands, &cap, sizeof(*cands));
                cands[ncands++] = eg_map_key(m, k)->u.str.s;
            }
    }
    best = eg_closest(n->parts[failed].s, cands, ncands);
    if (failed == 0)
        rc = eg_error(n->loc, "unknown name '%s'%s%s%s", shown,
                      best ? "; did you mean '" : "", best ? best : "",
                      best ? "'?" : "");
    else
        rc = eg_error(n->loc, "unknown name '%s': '%.*s' has no key '%s'%s%s%s",
                      shown, plen, shown, n->parts[failed].s,
                      best ? "; did you mean '" : "", best ? best : "",
                      best ? "'?" : "");
    free(cands);
    return rc;
}

/* Resolve a tag's name against the context stack, as the spec says: the
 * first part in the nearest mapping that has it, the rest only within the
 * previous result.  *v is NULL when it resolves to nothing; that is an
 * error only in strict mode (returns -1 then). */
static int lookup(struct renderer *r, const struct node *n,
                  const struct eg_val **v)
{
    const struct eg_val *cur = NULL;
    size_t i;

    *v = NULL;
    if (n->nparts == 0) {
        *v = r->ctx[r->nctx - 1];
        return 0;
    }
    for (i = r->nctx; i-- > 0;)
        if (r->ctx[i]->kind == EG_MAP &&
            (cur = map_find(r, r->ctx[i], &n->parts[0])))
            break;
    if (!cur)
        return r->strict ? report_miss(r, n, 0, NULL) : 0;
    for (i = 1; i < n->nparts; i++) {
        const struct eg_val *next = NULL;
        cur = resolve(r, cur);
        if (cur->kind == EG_MAP)
            next = map_find(r, cur, &n->parts[i]);
        if (!next)
            return r->strict ? report_miss(r, n, i, cur) : 0;
        cur = next;
    }
    *v = resolve(r, cur);
    return 0;
}

/* The locale texts show in here: the tag of the nearest map on the stack
 * that has one (value.h), 0 if none does. */
static unsigned current_locale(const struct renderer *r)
{
    for (size_t i = r->nctx; i-- > 0;)
        if (r->ctx[i]->kind == EG_MAP && r->ctx[i]->locale)
            return r->ctx[i]->locale;
    return 0;
}

/* "%lld" of i into buf: snprintf's own cost was 7% of a large run's
 * (offsets, sizes, ids: hundreds of thousands of them). */
static void format_int(char buf[48], long long i)
{
    char tmp[24], *p = tmp + sizeof tmp;
    /* The magnitude as unsigned: -LLONG_MIN does not fit a long long. */
    unsigned long long u =
        i < 0 ? 0ull - (unsigned long long)i : (unsigned long long)i;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (i < 0)
        *--p = '-';
    memcpy(buf, p, (size_t)(tmp + sizeof tmp - p));
    buf[tmp + sizeof tmp - p] = '\0';
}

/* Text of a scalar: 0 with *s and *len set (*s may point into buf), or -1
 * for a sequence or mapping.  A translatable text shows in the current
 * locale. */
static int scalar_text(const struct renderer *r, const struct eg_val *v,
                       char buf[48], const char **s, size_t *len)
{
    *s = buf;
    switch (v->kind) {
    case EG_NULL: buf[0] = '\0'; break;
    case EG_BOOL: *s = v->u.b ? "true" : "false"; break;
    case EG_INT: format_int(buf, v->u.i); break;
    case EG_FLOAT:
        if (isnan(v->u.f))
            *s = "nan";
        else if (isinf(v->u.f))
            *s = v->u.f < 0 ? "-inf" : "inf";
        else
            /* The shortest form that reads back as the same double:
             * 1.210 prints as 1.21, 1.0 as 1. */
            for (int prec = 1; prec <= 17; prec++) {
                snprintf(buf, 48, "%.*g", prec, v->u.f);
                if (strtod(buf, NULL) == v->u.f)
                    break;
            }
        break;
    case EG_STR:
        if (v->tr && r->opts && r->opts->texts)
            *s = eg_val_text(r->opts->texts, current_locale(r), v, len);
        else
            *s = v->u.str.s, *len = v->u.str.len;
        return 0;
    case EG_SEQ:
    case EG_MAP: return -1;
    }
    *len = strlen(*s);
    return 0;
}

static int truthy(const struct eg_val *v)
{
    switch (v->kind) {
    case EG_NULL: return 0;
    case EG_BOOL: return v->u.b;
    case EG_STR: return v->u.str.len != 0;
    case EG_SEQ: return v->u.seq.n != 0;
    default: return 1;
    }
}

/* Append the indentation of a template line whose own leading blanks are
 * w[0..wlen), through every active op, innermost first. */
static void indent_into(struct renderer *r, const char *w, size_t wlen,
                        struct eg_sb *dst)
{
    size_t i = r->nops;
    int strips = 0;

    for (size_t k = r->opbase; k < r->nops; k++)
        strips |= r->ops[k].slen != 0;
    if (!strips) { /* the common case: partial indentation only */
        for (size_t k = r->opbase; k < r->nops; k++)
            eg_sb_add(dst, r->ind.buf + r->ops[k].add, r->ops[k].alen);
        eg_sb_add(dst, w, wlen);
        return;
    }
    eg_sb_reset(&r->tmp1);
    eg_sb_add(&r->tmp1, w, wlen);
    while (i-- > r->opbase) {
        const struct op *op = &r->ops[i];
        size_t k = 0;
        struct eg_sb t;
        while (k < op->slen && k < r->tmp1.len &&
               r->tmp1.buf[k] == op->strip[k])
            k++;
        eg_sb_reset(&r->tmp2);
        eg_sb_add(&r->tmp2, r->ind.buf + op->add, op->alen);
        eg_sb_add(&r->tmp2, r->tmp1.buf + k, r->tmp1.len - k);
        t = r->tmp1;
        r->tmp1 = r->tmp2;
        r->tmp2 = t;
    }
    eg_sb_add(dst, r->tmp1.buf, r->tmp1.len);
}

static void emit_indent(struct renderer *r, const char *w, size_t wlen)
{
    if (r->nops == r->opbase)
        eg_sb_add(r->out, w, wlen);
    else
        indent_into(r, w, wlen, r->out);
}

/* Push an op; `add` is copied (it may live in r->ind itself). */
static void push_op(struct renderer *r, const char *strip, size_t slen,
                    const char *add, size_t alen)
{
    struct op *op;
    size_t off = r->ind.len;
    if (r->nops == r->capops)
        r->ops = grow(r->ops, &r->capops, sizeof(*r->ops));
    eg_sb_add(&r->ind, add, alen);
    op = &r->ops[r->nops++];
    op->strip = strip;
    op->slen = slen;
    op->add = off;
    op->alen = alen;
}

static void pop_op(struct renderer *r)
{
    r->nops--;
    r->ind.len = r->ops[r->nops].add;
    if (r->ind.alloc) /* keep eg_sb's invariant; never touch eg_sb_empty */
        r->ind.buf[r->ind.len] = '\0';
}

static void emit_text(struct renderer *r, const struct node *n)
{
    const char *p = n->text, *end = n->text + n->len;
    int bol = n->bol;

    if (r->nops == r->opbase) {
        eg_sb_add(r->out, p, n->len);
        return;
    }
    if (n->len == 0 && bol) /* a marker: see add_marker() */
        indent_into(r, "", 0, r->out);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl + 1 : end;
        if (bol && p[0] != '\n' &&
            !(p[0] == '\r' && p + 1 < end && p[1] == '\n')) {
            size_t w = 0;
            while (p + w < le && is_blank(p[w]))
                w++;
            indent_into(r, p, w, r->out);
            p += w;
        }
        eg_sb_add(r->out, p, (size_t)(le - p));
        p = le;
        bol = 1;
    }
}

static int render_list(struct renderer *r, const struct node *n);
static int enter(struct renderer *r, const struct node *n);

/* What an escaped tag escapes for: its template's {{%escape}}, else the
 * output's kind. */
static enum eg_escape escape_of(const struct renderer *r, const struct node *n)
{
    return n->esc >= 0 ? (enum eg_escape)n->esc : r->escape;
}

/* A string marked `lambda` (value.h) is a template: render it against the
 * current context stack, as the spec renders a lambda's result, then
 * interpolate the result.  Its own tags render unescaped and the whole
 * result is escaped once by the tag, so a value inside it is escaped
 * exactly once, whatever the output kind. */
static int render_lambda(struct renderer *r, const struct node *n,
                         const struct eg_val *v)
{
    struct ptrmap_slot *slot = ptrmap_slot(&r->lambdas, v);
    struct eg_sb *buf, *saved_out;
    size_t saved_start, saved_base;
    enum eg_escape saved_escape;
    int rc;

    if (!slot->key) {
        /* Built strings have no place: errors go to the tag. */
        struct eg_loc at = v->file ? eg_val_loc(v) : n->loc;
        struct node *nodes;
        if (parse(r->a, at.file, v->u.str.s, v->u.str.len, &at, &nodes)) {
            if (v->file && r->notes++ < 8)
                eg_note(n->loc, "in the text of '%s', interpolated here",
                        n->text);
            return -1;
        }
        slot->key = v;
        slot->val = nodes;
        r->lambdas.n++;
    }
    if (r->depth >= r->max_depth)
        return eg_error(n->loc,
                        "the text of '%s' expands templates more "
                        "than %d deep (endless recursion?)",
                        n->text, r->max_depth);
    if (enter(r, n))
        return -1;
    r->depth++;
    if (r->lambda_level == r->nlbufs) {
        r->lbufs = xrealloc(r->lbufs, (r->nlbufs + 1) * sizeof(*r->lbufs));
        r->lbufs[r->nlbufs] = xmalloc(sizeof(struct eg_sb));
        eg_sb_init(r->lbufs[r->nlbufs++]);
    }
    /* Pointers, not an array of buffers: a nested lambda may grow the
     * array while this level's buffer is in use. */
    buf = r->lbufs[r->lambda_level++];
    eg_sb_reset(buf);
    saved_out = r->out;
    saved_start = r->out_start;
    saved_escape = r->escape;
    saved_base = r->opbase;
    r->out = buf;
    r->out_start = 0;
    r->escape = EG_ESC_NONE;
    r->opbase = r->nops; /* a value is never indented */
    rc = render_list(r, slot->val);
    r->out = saved_out;
    r->out_start = saved_start;
    r->escape = saved_escape;
    r->opbase = saved_base;
    if (!rc) {
        if (n->raw)
            eg_sb_add(r->out, buf->buf, buf->len);
        else
            eg_escape_append(escape_of(r, n), buf->buf, buf->len, r->out);
    }
    r->lambda_level--;
    r->depth--;
    r->nest--;
    if (rc && r->notes++ < 8)
        eg_note(n->loc, "in the text of '%s', interpolated here", n->text);
    return rc;
}

static int render_var(struct renderer *r, const struct node *n)
{
    const struct eg_val *v;
    const char *s;
    size_t len;
    char buf[48];

    if (n->bol)
        emit_indent(r, "", 0);
    if (lookup(r, n, &v))
        return -1;
    if (!v)
        return 0;
    if (v->kind == EG_STR && v->lambda)
        return render_lambda(r, n, v);
    if (scalar_text(r, v, buf, &s, &len)) {
        if (r->strict)
            return eg_error(n->loc, "cannot interpolate '%s': it is %s",
                            n->text, a_kind(v->kind));
        return 0;
    }
    if (n->raw)
        eg_sb_add(r->out, s, len);
    else
        eg_escape_append(escape_of(r, n), s, len, r->out);
    return 0;
}

/* One unit of work: a node visited or a loop iteration.  Caps the time a
 * template can take when nested loops multiply (e.g. 8 loops over 20
 * items each would run 2.5e10 iterations). */
static int step(struct renderer *r, const struct node *n)
{
    if (++r->steps > MAX_STEPS)
        return eg_error(n->loc,
                        "rendering takes more than %lu steps "
                        "(loops within loops?)",
                        MAX_STEPS);
    return 0;
}

static int enter(struct renderer *r, const struct node *n)
{
    if (++r->nest > MAX_RENDER_NEST)
        return eg_error(n->loc,
                        "templates nested more than %d deep while "
                        "rendering",
                        MAX_RENDER_NEST);
    return 0;
}

static int render_section(struct renderer *r, const struct node *n)
{
    const struct eg_val *v;
    int rc = 0;

    if (n->bol)
        emit_indent(r, "", 0);
    if (lookup(r, n, &v))
        return -1;
    if (n->kind == N_INVERTED) {
        if (v && truthy(v))
            return 0;
        if (enter(r, n))
            return -1;
        rc = render_list(r, n->kids);
        r->nest--;
        return rc;
    }
    if (!v || !truthy(v))
        return 0;
    if (enter(r, n))
        return -1;
    if (v->kind == EG_SEQ) {
        for (size_t i = 0; i < v->u.seq.n && !rc; i++) {
            if ((rc = step(r, n)) != 0)
                break;
            push_ctx(r, v->u.seq.items[i]);
            rc = render_list(r, n->kids);
            r->nctx--;
        }
    } else {
        push_ctx(r, v);
        rc = render_list(r, n->kids);
        r->nctx--;
    }
    r->nest--;
    return rc;
}

/* The partial or parent template called name, parsed once per render. */
static int load_tmpl(struct renderer *r, const char *name, size_t len,
                     struct tmpl **out)
{
    struct tmpl *t;
    const char *text = NULL, *file = NULL;
    size_t tlen = 0;
    int found = 0;

    for (t = r->cache; t; t = t->next)
        if (t->namelen == len && memcmp(t->name, name, len) == 0) {
            *out = t;
            return 0;
        }
    /* A name from data may hold a NUL byte: no partial has such a name. */
    if (r->partials && r->partials->find && !memchr(name, '\0', len)) {
        found = r->partials->find(r->partials->ctx, name, &text, &tlen, &file);
        if (found < 0)
            return -1;
    }
    t = eg_arena_alloc(r->ta, sizeof(*t));
    t->name = eg_arena_strndup(r->ta, name, len);
    t->namelen = len;
    t->found = found > 0;
    if (t->found) {
        if (!text)
            text = "", tlen = 0;
        /* Register the partial so its errors show the line and caret;
         * find()'s strings must therefore outlive later diagnostics too,
         * which the callers' arenas do. */
        if (file)
            eg_diag_add_source(file, text, tlen);
        else
            file = t->name;
        if (parse(r->ta, file, text, tlen, NULL, &t->nodes))
            return -1;
    }
    t->next = r->cache;
    r->cache = t;
    *out = t;
    return 0;
}

static int render_partial(struct renderer *r, struct node *n)
{
    struct tmpl *t = n->tmpl;
    const char *what = n->kind == N_PARENT ? "parent" : "partial";
    size_t saved_nops = r->nops, saved_base = r->opbase;
    int rc;

    if (!n->standalone && n->bol)
        emit_indent(r, n->ws, n->wslen);
    if (!t && n->dyn) {
        const struct eg_val *v;
        const char *s;
        size_t len;
        char buf[48];
        if (lookup(r, n, &v))
            return -1;
        if (!v)
            return 0;
        if (scalar_text(r, v, buf, &s, &len)) {
            if (r->strict)
                return eg_error(n->loc,
                                "dynamic name '%s' is %s, not the "
                                "name of a %s",
                                n->text, a_kind(v->kind), what);
            return 0;
        }
        if (load_tmpl(r, s, len, &t))
            goto included;
    } else if (!t) {
        if (load_tmpl(r, n->text, n->len, &t))
            goto included;
        n->tmpl = t; /* static name: skip the cache search next time */
    }
    if (!t->found) {
        if (r->strict)
            return eg_error(n->loc, "no %s named '%s'", what, t->name);
        return 0;
    }
    if (r->depth >= r->max_depth)
        return eg_error(n->loc,
                        "%s '%s' nested more than %d deep (endless "
                        "recursion?)",
                        what, t->name, r->max_depth);
    if (enter(r, n))
        return -1;
    r->depth++;
    /* A partial's lines are indented by what precedes a standalone tag
     * (itself indented by the enclosing ops) and by nothing else: the spec
     * indents the partial's source, not the text it renders. */
    if (n->standalone) {
        eg_sb_reset(&r->tmp3);
        indent_into(r, n->ws, n->wslen, &r->tmp3);
        r->opbase = r->nops;
        if (r->tmp3.len)
            push_op(r, "", 0, r->tmp3.buf, r->tmp3.len);
    } else {
        r->opbase = r->nops;
    }
    if (n->kind == N_PARENT) {
        if (r->nframes == r->capframes)
            r->frames = grow(r->frames, &r->capframes, sizeof(*r->frames));
        r->frames[r->nframes++] = n;
    }
    rc = render_list(r, t->nodes);
    if (n->kind == N_PARENT)
        r->nframes--;
    while (r->nops > saved_nops)
        pop_op(r);
    r->opbase = saved_base;
    r->depth--;
    r->nest--;
    if (!rc)
        return 0;
included:
    /* Where the failing partial came from: the error alone may point
     * into a file used from many places.  Capped, for deep recursion. */
    if (n != r->last_note && r->notes++ < 8)
        eg_note(n->loc, "in %s '%s' included from here", what, n->text);
    r->last_note = n; /* recursion: one note per place, not per level */
    return -1;
}

/* The argument for a block, from the outermost parent that passes one:
 * the spec gives the top-level template the last word. */
static const struct node *find_arg(struct renderer *r, const struct node *n)
{
    for (size_t i = 0; i < r->nframes; i++)
        for (const struct node *k = r->frames[i]->kids; k; k = k->next)
            if (k->kind == N_BLOCK && k->arg && k->len == n->len &&
                memcmp(k->text, n->text, n->len) == 0)
                return k;
    return NULL;
}

static int render_block(struct renderer *r, const struct node *n)
{
    const struct node *arg;
    int rc;

    if (n->arg) /* read by its parent, never rendered in place */
        return 0;
    if (enter(r, n))
        return -1;
    arg = find_arg(r, n);
    if (!arg) {
        if (n->bol)
            emit_indent(r, n->ws, n->wslen);
        rc = render_list(r, n->kids);
        r->nest--;
        return rc;
    }
    if (r->depth >= r->max_depth) {
        r->nest--;
        return eg_error(n->loc,
                        "block '%s' nested more than %d deep "
                        "(endless recursion?)",
                        n->text, r->max_depth);
    }
    r->depth++;
    /* The argument loses its own indentation and takes the site's.  When
     * it starts mid-line ({{$b}}text), its first line has no template
     * line start to hang the site's indentation on: emit it here. */
    if (n->site != SITE_INLINE && !arg->bol)
        emit_indent(r, n->ws, n->wslen);
    if (arg->wslen || (n->site != SITE_INLINE && n->wslen)) {
        push_op(r, arg->ws, arg->wslen, n->ws,
                n->site == SITE_INLINE ? 0 : n->wslen);
        rc = render_list(r, arg->kids);
        pop_op(r);
    } else {
        rc = render_list(r, arg->kids);
    }
    r->depth--;
    r->nest--;
    return rc;
}

static int render_list(struct renderer *r, const struct node *n)
{
    for (; n; n = n->next) {
        int rc = 0;
        if (step(r, n))
            return -1;
        switch (n->kind) {
        case N_TEXT: emit_text(r, n); break;
        case N_VAR: rc = render_var(r, n); break;
        case N_SECTION:
        case N_INVERTED: rc = render_section(r, n); break;
        case N_PARTIAL:
        case N_PARENT: rc = render_partial(r, (struct node *)n); break;
        case N_BLOCK: rc = render_block(r, n); break;
        }
        if (rc)
            return -1;
        if (r->flushed + r->out->len - r->out_start > MAX_OUTPUT)
            return eg_error(n->loc, "output larger than %zu MiB",
                            MAX_OUTPUT >> 20);
        if (!r->lambda_level && r->opts && r->opts->flush &&
            r->out->len >= r->opts->flush_at) {
            r->flushed += r->out->len - r->out_start;
            if (r->opts->flush(r->opts->flush_ctx, r->out))
                return -1;
            r->out_start = r->out->len;
        }
        /* A lambda string is a line of page chrome: one that grows past
         * this is a bomb (strings doubling one another), and each nesting
         * level holds its own buffer, so the cap must be small. */
        if (r->lambda_level && r->out->len > MAX_LAMBDA_OUTPUT)
            return eg_error(n->loc,
                            "the text of a template string expands "
                            "to more than %zu KiB (strings that include "
                            "one another?)",
                            MAX_LAMBDA_OUTPUT >> 10);
    }
    return 0;
}

int eg_render(const char *file, const char *text, size_t len,
              const struct eg_val *data, const struct eg_render_opts *opts,
              struct eg_sb *out)
{
    return eg_render_stack(file, text, len, &data, 1, opts, out);
}

/* Parsed templates kept across calls (render.h).  Main templates are
 * known by the address of their text, partials by name. */
struct cached_main {
    const char *text;
    size_t len;
    struct node *nodes;
    struct cached_main *next;
};

struct eg_render_cache {
    struct eg_arena a;
    struct tmpl *tmpls;
    struct cached_main *mains;
    struct lookup_slot *lookups; /* LOOKUP_SLOTS */
    unsigned gen;            /* one per render (one for all with fixed_data) */
    struct eg_arena scratch; /* each render's own, reset after it */
};

struct eg_render_cache *eg_render_cache_new(void)
{
    struct eg_render_cache *c = xcalloc(1, sizeof(*c));
    eg_arena_init(&c->a);
    eg_arena_init(&c->scratch);
    return c;
}

void eg_render_cache_free(struct eg_render_cache *c)
{
    if (!c)
        return;
    eg_arena_free(&c->a);
    eg_arena_free(&c->scratch);
    free(c->lookups);
    free(c);
}

int eg_render_stack(const char *file, const char *text, size_t len,
                    const struct eg_val *const *stack, size_t n,
                    const struct eg_render_opts *opts, struct eg_sb *out)
{
    struct eg_render_cache *cache = opts ? opts->cache : NULL;
    struct cached_main *m = NULL;
    struct eg_arena arena;
    struct renderer r;
    struct node *nodes;
    int rc;

    memset(&r, 0, sizeof r);
    eg_arena_init(&arena);
    /* What lives for this render only: with a cache, in its scratch arena,
     * whose block is kept for the next render (30,000 outputs would map
     * and unmap 30,000 blocks otherwise). */
    r.a = cache ? &cache->scratch : &arena;
    r.out = out;
    r.out_start = out->len;
    r.opts = opts;
    r.escape = opts ? opts->escape : EG_ESC_HTML;
    r.strict = opts ? opts->strict : 0;
    r.partials = opts ? opts->partials : NULL;
    r.max_depth = opts && opts->max_depth > 0 ? opts->max_depth : DEFAULT_DEPTH;
    eg_sb_init(&r.ind);
    eg_sb_init(&r.tmp1);
    eg_sb_init(&r.tmp2);
    eg_sb_init(&r.tmp3);

    r.ta = &arena;
    if (cache) {
        r.ta = &cache->a;
        r.cache = cache->tmpls;
        if (!cache->lookups)
            cache->lookups = xcalloc(LOOKUP_SLOTS, sizeof(*cache->lookups));
        if ((!opts->fixed_data || cache->gen == 0) &&
            ++cache->gen == 0) { /* wrapped: old entries would look new */
            memset(cache->lookups, 0, LOOKUP_SLOTS * sizeof(*cache->lookups));
            cache->gen = 1;
        }
        r.lc = cache->lookups;
        r.lgen = cache->gen;
        for (m = cache->mains; m; m = m->next)
            if (m->text == text && m->len == len)
                break;
    }
    if (m) {
        nodes = m->nodes;
        rc = 0;
    } else {
        rc = parse(r.ta, file, text, len,
                   opts && opts->origin.file ? &opts->origin : NULL, &nodes);
        if (!rc && cache) { /* kept for the next call */
            m = eg_arena_alloc(r.ta, sizeof(*m));
            m->text = text;
            m->len = len;
            m->nodes = nodes;
            m->next = cache->mains;
            cache->mains = m;
        }
    }
    if (!rc) {
        for (size_t i = 0; i < n; i++)
            push_ctx(&r, stack[i] ? stack[i] : &null_val);
        if (n == 0) /* "." must always have something to name */
            push_ctx(&r, &null_val);
        rc = render_list(&r, nodes);
    }
    for (size_t i = 0; i < r.nlbufs; i++) {
        eg_sb_release(r.lbufs[i]);
        free(r.lbufs[i]);
    }
    free(r.lbufs);
    free(r.ctx);
    free(r.ops);
    free(r.frames);
    free(r.memo.slots);
    free(r.lambdas.slots);
    if (cache)
        cache->tmpls = r.cache; /* partials loaded in this call */
    eg_sb_release(&r.ind);
    eg_sb_release(&r.tmp1);
    eg_sb_release(&r.tmp2);
    eg_sb_release(&r.tmp3);
    eg_arena_free(&arena);
    if (cache)
        eg_arena_reset(&cache->scratch);
    return rc;
}
