/*
 * load.h - first stage: YAML (or JSON) bytes to a data tree (value.h),
 * with the 1-based line and column of every node.
 *
 * The loader is strict where YAML is lax but a schema must not be:
 *   - one document per file;
 *   - no duplicate keys in a mapping; keys are scalars;
 *   - aliases are allowed, but the tree they expand to is capped
 *     (EG_LOAD_MAX_NODES), so an alias bomb is an error, not an hour;
 *     and what aliases add, in nodes and in bytes of text, is capped at
 *     EG_LOAD_ALIAS_RATIO times what the file itself holds (with a floor
 *     for small files, and never more text than EG_LOAD_MAX_SIZE): every
 *     later stage walks the tree as if it were written out, so this keeps
 *     the time and memory a schema costs proportional to its size (a
 *     1 KB file cannot make `generate` use a gigabyte);
 *   - nesting is capped (EG_LOAD_MAX_DEPTH);
 *   - the file is well-formed UTF-8 with no NUL bytes, and not larger than
 *     EG_LOAD_MAX_SIZE;
 *   - only the YAML core tags (!!str, !!int, ...) are accepted.
 * Every problem is reported as FILE:LINE:COL through diag.h; the first
 * syntax error stops the load.
 */
#ifndef EVGEN_LOAD_H
#define EVGEN_LOAD_H

#include "value.h"

#define EG_LOAD_MAX_SIZE (64u * 1024 * 1024)
#define EG_LOAD_MAX_DEPTH 64
#define EG_LOAD_MAX_NODES 4000000u
#define EG_LOAD_ALIAS_RATIO 10
#define EG_LOAD_ALIAS_MIN_NODES 100000u
#define EG_LOAD_ALIAS_MIN_BYTES (1u << 20)

/* Load the file at path.  The tree is allocated from a and the file is
 * registered with eg_diag_add_source_file under the name `path` (which the
 * arena also keeps; the text is not).  Returns the root (an EG_NULL node for an
 * empty file), or NULL after reporting an error. */
struct eg_val *eg_load_file(struct eg_arena *a, const char *path);

/* The same with the nodes in an arena of their own, which the caller may
 * free once it has read what it keeps (a tree costs several times the
 * file's size): the values' text and the file's name go to a, so what was
 * read from the tree's values stays valid once the nodes are freed; the
 * keys' text goes with the nodes. */
struct eg_val *eg_load_file_split(struct eg_arena *a, struct eg_arena *nodes,
                                  const char *path);

/* Streaming, for files that are one long mapping (a locale's `strings:`
 * with 100,000 translations): each entry of the top-level mapping's `key`
 * mapping is handed to entry() as soon as it is parsed and forgotten
 * after, so the file never exists as a tree.  entry() must copy what it
 * keeps; it returns 0, or -1 after reporting.  In the returned root, `key`
 * maps to an empty mapping.  Every other check of eg_load_file applies,
 * except that duplicate keys among the streamed entries are entry()'s to
 * find. */
struct eg_load_stream {
    const char *key;
    int (*entry)(void *ctx, const struct eg_val *key, const struct eg_val *val);
    void *ctx;
};
struct eg_val *eg_load_file_stream(struct eg_arena *a, struct eg_arena *tree,
                                   const char *path,
                                   const struct eg_load_stream *st);

/* The same for text already in memory (which must outlive the tree's use
 * in diagnostics; it is not copied).  name is used in diagnostics. */
struct eg_val *eg_load_text(struct eg_arena *a, const char *name,
                            const char *text, size_t len);

#endif
