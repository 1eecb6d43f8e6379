/*
 * render.h - the Mustache template engine (render stage).
 *
 * Implements the official Mustache specification: interpolation, sections,
 * inverted sections, comments, partials, set delimiters (standalone lines
 * and partial indentation included) and the optional modules inheritance
 * (parents {{<p}} and blocks {{$b}}) and dynamic names ({{>*name}}).
 * Lambdas are not supported: data comes from YAML, which has none.
 *
 * Escaping belongs to the output kind, not to the engine: {{name}} passes
 * its text through the escaper chosen by the caller; {{{name}}} and
 * {{&name}} never escape.
 *
 * Truthiness of sections: null, false, an empty sequence and an empty
 * string are falsey; everything else is truthy.  A sequence iterates; a map
 * or other truthy scalar is pushed once onto the context stack.
 *
 * Scalars read from YAML are resolved by the YAML 1.2 core schema before
 * use (so `1.210` prints as 1.21, `false` is falsey).
 */
#ifndef EVGEN_RENDER_H
#define EVGEN_RENDER_H

#include "value.h"

enum eg_escape {
    EG_ESC_HTML,
    EG_ESC_XML,
    EG_ESC_C,
    EG_ESC_MD,
    EG_ESC_YAML,
    EG_ESC_MESSAGE,
    EG_ESC_MD_CELL,
    EG_ESC_NONE
};

/* Parse "html", "xml", "c", "md", "yaml", "message", "md-cell", "none";
 * -1 when unknown. */
int eg_escape_parse(const char *name);
const char *eg_escape_name(enum eg_escape e);
/* Append s[0..len) to out, escaped for the kind:
 *   html: & < > " '  as &amp; &lt; &gt; &quot; &#39;  (the spec's set)
 *   xml:  & < > " '  as &amp; &lt; &gt; &quot; &apos;, tab, LF and CR as
 *         character references (an attribute keeps them)
 *   c:    text safe both inside a C string literal and inside a block
 *         comment: \ " and control characters as C escapes, the '/' of
 *         a star-slash as \057, a '?' after '?' as \? (no trigraphs)
 *   md:   \ ` * _ [ ] < > | backslash-escaped (names in headings, tables)
 *   yaml: the inside of a YAML double-quoted scalar: \ and " and control
 *         characters as YAML escapes (front matter)
 *   message: a schema text (CommonMark) as the text of an ETW message in
 *         an XML attribute: Markdown marks dropped (code spans, strong
 *         emphasis, links keep their text, backslash escapes, HTML tags),
 *         '%' doubled, a line break as a space (between
 *         paragraphs as %n) and a tab as %t (what
 *         FormatMessage shows as the text reads), then as xml
 *   md-cell: Markdown kept as it is, but fit for one table cell: '|'
 *         backslash-escaped (unless it already is), line breaks as spaces,
 *         a final lone backslash doubled (it would escape what follows)
 *   none: unchanged */
void eg_escape_append(enum eg_escape e, const char *s, size_t len,
                      struct eg_sb *out);

/* Where partials and parents come from.  find() looks name up and, when it
 * exists, sets *text and *len to its source and *file to the name diagnostics
 * should use; the text must stay valid until eg_render() returns (keep it
 * in an arena).  It returns 1 when found, 0 when there is no such partial,
 * -1 on an error it has reported itself (for example a name that would
 * leave the templates folder).  render.c registers each partial's text
 * with eg_diag_add_source, so it must outlive every later diagnostic, not
 * only eg_render() (keep it in an arena that lives as long as the run). */
struct eg_partials {
    int (*find)(void *ctx, const char *name, const char **text, size_t *len,
                const char **file);
    void *ctx;
};

struct eg_render_opts {
    enum eg_escape escape;
    /* Strict mode (evgen generate): a name that resolves to nothing, or a
     * missing partial/parent, is an error at its tag.  Lenient mode (evgen
     * render) follows the spec: both render as the empty string. */
    int strict;
    const struct eg_partials *partials; /* may be NULL: no partials */
    int max_depth; /* partial/parent nesting cap; 0 = default (64) */
    /* When origin.file is set, the template is text embedded in another
     * file (an output path in outputs.yaml): diagnostics point at origin
     * rather than at positions inside the text. */
    struct eg_loc origin;
    /* Optional: parsed templates and partials kept from one call to the
     * next (generate renders the same templates thousands of times).  A
     * main template is known by its text's address and partials by name,
     * so texts must not change while the cache lives. */
    struct eg_render_cache *cache;
    /* With a cache: the data's maps keep their pairs from one render with
     * this cache to the next (generate's do), so what a name looked up in
     * a map stays known across renders instead of for one render only. */
    int fixed_data;
    /* Optional: called whenever the output holds at least flush_at bytes
     * (and at no other time), so a large output need not fit in memory.
     * It takes out->buf[0..out->len) and must leave out empty; a nonzero
     * return stops the render with that failure (already reported). */
    int (*flush)(void *ctx, struct eg_sb *out);
    void *flush_ctx;
    size_t flush_at;
    /* Optional: translation tables for the data's `tr` texts (value.h),
     * which then show in the locale of the nearest tagged map on the
     * context stack.  Without them a text shows its own (English). */
    const struct eg_texts *texts;
};

/* The cache for eg_render_opts.cache; the caller owns it and frees it
 * with eg_render_cache_free (NULL is fine). */
struct eg_render_cache *eg_render_cache_new(void);
void eg_render_cache_free(struct eg_render_cache *c);

/* Render template text (named file for diagnostics; it is registered with
 * eg_diag_add_source by the caller) against data, appending to out.
 * Returns 0, or -1 after reporting a FILE:LINE:COL error (syntax error in
 * the template or a partial, strict-mode miss, recursion past the cap).
 * On failure out holds partial output that the caller must discard. */
int eg_render(const char *file, const char *text, size_t len,
              const struct eg_val *data, const struct eg_render_opts *opts,
              struct eg_sb *out);

/* The same with a context stack: stack[0] is the bottom (the root),
 * stack[n-1] the top, searched first, as if each had been pushed by a
 * section.  generate renders per-event outputs with [root, event]. */
int eg_render_stack(const char *file, const char *text, size_t len,
                    const struct eg_val *const *stack, size_t n,
                    const struct eg_render_opts *opts, struct eg_sb *out);

/* Parse only, reporting the first syntax error; for `evgen check` of
 * templates and for the fuzzers. */
int eg_template_check(const char *file, const char *text, size_t len);
/* The same for a template that is a text inside another file (a string
 * of a schema's `strings:`, or its translation): errors point at `at`. */
int eg_template_check_at(struct eg_loc at, const char *text, size_t len);

#endif
