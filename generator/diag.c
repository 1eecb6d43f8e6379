/*
 * diag.c - formats diagnostics (message, source line, caret) and hands
 * them to the sink.  See diag.h for the format.
 */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct source {
    const char *file;
    const char *text; /* NULL: not read yet (eg_diag_add_source_file) */
    size_t len;
    char *owned; /* text read here, freed by eg_diag_reset */
};

static struct source *sources;
static size_t nsources, capsources;
static int nerrors, nwarnings, max_errors = 50;

/* Longest message shown, in bytes (the excerpt is cut separately). */
#define MAX_MESSAGE 2000
/* Whether the last error or warning was shown: a note belongs to the
 * diagnostic before it and goes (or not) with it. */
static int last_error_shown = 1;

static void stderr_sink(void *ctx, enum eg_severity sev, const char *text,
                        size_t len)
{
    (void)ctx;
    (void)sev;
    fwrite(text, 1, len, stderr);
}

static eg_diag_sink sink = stderr_sink;
static void *sink_ctx;

/* ---- Capture ---- */

enum { CAP_ERROR, CAP_WARNING, CAP_NOTE, CAP_SOURCE };

struct eg_captured {
    int kind;
    struct eg_loc loc; /* CAP_SOURCE: loc.file is the file */
    char *msg;
    const char *text; /* CAP_SOURCE */
    size_t len;
};

static _Thread_local struct eg_diag_capture *capturing;

static struct eg_captured *capture(int kind, struct eg_loc loc)
{
    struct eg_diag_capture *c = capturing;
    struct eg_captured *it;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->items = xrealloc(c->items, c->cap * sizeof(*c->items));
    }
    it = &c->items[c->n++];
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    it->loc = loc;
    return it;
}

static void capture_msg(int kind, struct eg_loc loc, const char *fmt,
                        va_list ap)
{
    struct eg_diag_capture *c = capturing;
    struct eg_sb sb = EG_SB_INIT;
    if (kind == CAP_ERROR)
        c->dropping = ++c->errors > max_errors;
    else if (kind == CAP_WARNING)
        c->dropping = ++c->warnings > EG_CAPTURE_WARNINGS;
    if (c->dropping) {
        c->dropped_errors += kind == CAP_ERROR;
        c->dropped_warnings += kind == CAP_WARNING;
        return;
    }
    eg_sb_vaddf(&sb, fmt, ap);
    capture(kind, loc)->msg = eg_sb_detach(&sb, NULL);
}

void eg_diag_capture_begin(struct eg_diag_capture *c)
{
    memset(c, 0, sizeof(*c));
    capturing = c;
}

void eg_diag_capture_end(void)
{
    capturing = NULL;
}

void eg_diag_replay(struct eg_diag_capture *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct eg_captured *it = &c->items[i];
        switch (it->kind) {
        case CAP_ERROR: eg_error(it->loc, "%s", it->msg); break;
        case CAP_WARNING: eg_warning(it->loc, "%s", it->msg); break;
        case CAP_NOTE: eg_note(it->loc, "%s", it->msg); break;
        case CAP_SOURCE:
            eg_diag_add_source(it->loc.file, it->text, it->len);
            break;
        }
    }
    /* Errors past the cap count (the exit status, the final note) unseen,
     * as they would have. */
    nerrors += c->dropped_errors;
    if (c->dropped_errors)
        last_error_shown = 0;
    if (c->dropped_warnings) {
        char msg[128];
        int n = snprintf(msg, sizeof msg,
                         "evgen: note: %d more warnings like these not "
                         "shown\n",
                         c->dropped_warnings);
        nwarnings += c->dropped_warnings;
        sink(sink_ctx, EG_NOTE, msg, (size_t)n);
    }
    eg_diag_discard(c);
}

void eg_diag_discard(struct eg_diag_capture *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->items[i].msg);
    free(c->items);
    memset(c, 0, sizeof(*c));
}

void eg_diag_set_sink(eg_diag_sink s, void *ctx)
{
    sink = s ? s : stderr_sink;
    sink_ctx = ctx;
}

void eg_diag_add_source(const char *file, const char *text, size_t len)
{
    if (capturing) {
        struct eg_loc loc = {file, 0, 0};
        struct eg_captured *it = capture(CAP_SOURCE, loc);
        it->text = text;
        it->len = len;
        return;
    }
    if (nsources == capsources) {
        capsources = capsources ? capsources * 2 : 8;
        sources = xrealloc(sources, capsources * sizeof(*sources));
    }
    sources[nsources].file = file;
    sources[nsources].text = text;
    sources[nsources].len = len;
    sources[nsources].owned = NULL;
    nsources++;
}

void eg_diag_add_source_file(const char *file)
{
    eg_diag_add_source(file, NULL, 0);
}

void eg_diag_reset(void)
{
    for (size_t i = 0; i < nsources; i++)
        free(sources[i].owned);
    free(sources);
    sources = NULL;
    nsources = capsources = 0;
    nerrors = nwarnings = 0;
    last_error_shown = 1;
}

int eg_diag_errors(void)
{
    return nerrors;
}
int eg_diag_warnings(void)
{
    return nwarnings;
}
int eg_diag_error_cap(void)
{
    return max_errors;
}

int eg_diag_too_many(void)
{
    if (capturing) /* its own errors: the counters are not this thread's */
        return capturing->errors >= max_errors;
    return nerrors >= max_errors;
}
void eg_diag_set_max_errors(int max)
{
    max_errors = max > 0 ? max : 1;
}

static const struct source *find_source(const char *file)
{
    /* Latest registration wins: a file may be re-read in one process. */
    for (size_t i = nsources; i-- > 0;) {
        struct source *src = &sources[i];
        if (src->file != file && strcmp(src->file, file) != 0)
            continue;
        if (!src->text) { /* read on first use; unreadable = no excerpt */
            struct eg_sb sb = EG_SB_INIT;
            const char *why;
            if (eg_read_file(src->file, 64u << 20, &sb, &why) == 0) {
                src->owned = eg_sb_detach(&sb, &src->len);
                src->text = src->owned;
            } else {
                src->text = "";
                src->len = 0;
            }
            eg_sb_release(&sb);
        }
        return src;
    }
    return NULL;
}

/* Append the excerpt: the source line with a gutter, then a caret.  Tabs
 * in the line are kept in the caret's padding so it lines up. */
static void add_excerpt(struct eg_sb *sb, struct eg_loc loc)
{
    const struct source *src;
    const char *p, *end, *line;
    size_t linelen, col;
    int n;
    char gutter[32];

    if (!loc.file || loc.line <= 0 || !(src = find_source(loc.file)))
        return;
    p = src->text;
    end = src->text + src->len;
    for (n = 1; n < loc.line && p < end; p++)
        if (*p == '\n')
            n++;
    if (n != loc.line)
        return;
    line = p;
    while (p < end && *p != '\n' && *p != '\r')
        p++;
    linelen = (size_t)(p - line);
    /* Very long lines (minified input) are cut around the column. */
    /* Columns count characters (as libyaml's marks do): find the byte. */
    col = 0;
    for (int chars = 1; chars < loc.col && col < linelen; chars++) {
        col++;
        while (col < linelen && ((unsigned char)line[col] & 0xc0) == 0x80)
            col++;
    }
    {
        size_t from = 0, to = linelen;
        if (linelen > 160) {
            /* 60 characters before the column, 140 in all, each whole
             * (a cut inside a Cyrillic letter would show as '?'). */
            int k;
            from = col;
            for (k = 0; k < 60 && from > 0; k++) {
                from--;
                while (from > 0 && ((unsigned char)line[from] & 0xc0) == 0x80)
                    from--;
            }
            to = from;
            for (k = 0; k < 140 && to < linelen; k++) {
                to++;
                while (to < linelen && ((unsigned char)line[to] & 0xc0) == 0x80)
                    to++;
            }
        }
        snprintf(gutter, sizeof gutter, "%5d", loc.line);
        eg_sb_addf(sb, "%s | ", gutter);
        if (from)
            eg_sb_adds(sb, "...");
        for (size_t i = from; i < to; i++) {
            unsigned char c = (unsigned char)line[i];
            /* Control bytes (NUL and the like) and broken UTF-8 would
             * garble a terminal: show them as '?'. */
            if (c >= 0x80) {
                size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
                if (n <= to - i && eg_utf8_check(line + i, n) == n) {
                    eg_sb_add(sb, line + i, n);
                    i += n - 1;
                } else {
                    eg_sb_addc(sb, '?');
                }
            } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
                eg_sb_addc(sb, '?');
            } else {
                eg_sb_addc(sb, (char)c);
            }
        }
        if (to < linelen)
            eg_sb_adds(sb, "...");
        eg_sb_addc(sb, '\n');
        if (loc.col > 0) {
            eg_sb_adds(sb, "      | ");
            if (from)
                eg_sb_adds(sb, "   ");
            for (size_t i = from; i < col; i++) {
                unsigned char c = (unsigned char)line[i];
                if (c == '\t')
                    eg_sb_addc(sb, '\t');
                else if ((c & 0xc0) != 0x80) /* one space per character */
                    eg_sb_addc(sb, ' ');
            }
            eg_sb_adds(sb, "^\n");
        }
    }
}

static void emit(enum eg_severity sev, struct eg_loc loc, const char *fmt,
                 va_list ap)
{
    static const char *const names[] = {"error", "warning", "note"};
    struct eg_sb sb = EG_SB_INIT;
    size_t start;

    if (loc.file && loc.line > 0 && loc.col > 0)
        eg_sb_addf(&sb, "%s:%d:%d: ", loc.file, loc.line, loc.col);
    else if (loc.file && loc.line > 0)
        eg_sb_addf(&sb, "%s:%d: ", loc.file, loc.line);
    else if (loc.file)
        eg_sb_addf(&sb, "%s: ", loc.file);
    else
        eg_sb_adds(&sb, "evgen: ");
    eg_sb_addf(&sb, "%s: ", names[sev]);
    start = sb.len;
    eg_sb_vaddf(&sb, fmt, ap);
    /* Messages quote the input, which may be a megabyte-long key: keep
     * the line readable, cutting on a character boundary. */
    if (sb.len - start > MAX_MESSAGE) {
        size_t cut = start + MAX_MESSAGE;
        while (cut > start && ((unsigned char)sb.buf[cut] & 0xc0) == 0x80)
            cut--;
        sb.len = cut;
        eg_sb_adds(&sb, "...");
    }
    /* File names and messages quote the input, which YAML escapes (or a
     * file name) can fill with control bytes: "\e]0;..." would retitle
     * the terminal, a line break would split the one line editors parse.
     * Show them as '?', as the excerpt does. */
    for (size_t i = 0; i < sb.len; i++) {
        unsigned char c = (unsigned char)sb.buf[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            sb.buf[i] = '?';
    }
    eg_sb_addc(&sb, '\n');
    add_excerpt(&sb, loc);
    sink(sink_ctx, sev, sb.buf, sb.len);
    eg_sb_release(&sb);
}

/* Said at the end of a run that reached the cap: later errors were not
 * shown and stages stopped early (eg_diag_too_many). */
void eg_diag_finish(void)
{
    char msg[128];
    int n;
    if (nerrors < max_errors)
        return;
    n = snprintf(msg, sizeof msg,
                 "evgen: note: too many errors; stopped after %d (fix "
                 "these and run again)\n",
                 max_errors);
    sink(sink_ctx, EG_NOTE, msg, (size_t)n);
}

int eg_verror(struct eg_loc loc, const char *fmt, va_list ap)
{
    if (capturing) {
        capture_msg(CAP_ERROR, loc, fmt, ap);
        return -1;
    }
    nerrors++;
    last_error_shown = nerrors <= max_errors;
    if (last_error_shown)
        emit(EG_ERROR, loc, fmt, ap);
    return -1;
}

int eg_error(struct eg_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eg_verror(loc, fmt, ap);
    va_end(ap);
    return -1;
}

int eg_error_plain(const char *fmt, ...)
{
    struct eg_loc none = {NULL, 0, 0};
    va_list ap;
    va_start(ap, fmt);
    eg_verror(none, fmt, ap);
    va_end(ap);
    return -1;
}

void eg_warning(struct eg_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (capturing) {
        capture_msg(CAP_WARNING, loc, fmt, ap);
        va_end(ap);
        return;
    }
    nwarnings++;
    last_error_shown = 1; /* warnings are never capped: nor their notes */
    emit(EG_WARNING, loc, fmt, ap);
    va_end(ap);
}

void eg_note(struct eg_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (capturing) {
        if (!capturing->dropping)
            capture_msg(CAP_NOTE, loc, fmt, ap);
        va_end(ap);
        return;
    }
    /* A note belongs to the diagnostic before it: drop it with it. */
    if (last_error_shown)
        emit(EG_NOTE, loc, fmt, ap);
    va_end(ap);
}

/* Edit distance with adjacent transpositions counting one ("unit32" is one
 * edit from "uint32"), case-insensitive.  Names are short: capped at 64. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[65][65];
    if (la > 64 || lb > 64)
        return (size_t)-1;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = (a[i - 1] | 32) == (b[j - 1] | 32) ? 0 : 1;
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *eg_closest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1, len = strlen(word);
    size_t limit = len < 4 ? 1 : len / 3 + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(word, cands[i]);
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    return bestd <= limit ? best : NULL;
}
