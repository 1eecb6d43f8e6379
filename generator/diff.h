/*
 * diff.h - schema evolution: `evgen diff` compares two versions of a
 * checked schema (model.h) and classifies every change as breaking,
 * compatible or text only.
 *
 * Things are matched by name (events, fields within an event, tasks,
 * opcodes, enums, enum values, string ids); an unmatched pair with the
 * same identity (an event's id or task + opcode, a field's position and
 * type, an enum value's number) is reported as a rename.  The rules, and
 * why each is breaking or not, are in the table at the top of diff.c.
 */
#ifndef EVGEN_DIFF_H
#define EVGEN_DIFF_H

#include "model.h"

enum eg_change_kind {
    EG_CHANGE_BREAKING,   /* an existing consumer or producer breaks */
    EG_CHANGE_COMPATIBLE, /* old consumers keep working */
    EG_CHANGE_TEXT        /* prose only; translations of `id` are stale */
};

struct eg_change {
    enum eg_change_kind kind;
    const char *what;    /* the rule, a stable tag such as "field-type" */
    const char *message; /* one line, names the element in both schemas */
    /* The place in each schema.  For something added, old is its parent
     * in the old schema; for something removed, new is its parent in the
     * new one. */
    struct eg_loc old_loc, new_loc;
    int old_is_parent; /* old_loc is the parent of something added */
    const char *id;    /* string id (text changes), or NULL */
};

/* The changes in walk order: schema, provider, tasks, opcodes, enums,
 * events (each event's fields in order), docs, strings; within a list,
 * old order first, then what the new schema adds, in its order. */
struct eg_diff {
    struct eg_change *changes;
    size_t n, cap;
    size_t count[3]; /* by kind */
};

/* Compare two checked schemas.  Messages and the change array live in a
 * (which must outlive d); old and new are only read. */
void eg_diff_schemas(struct eg_arena *a, const struct eg_schema *old,
                     const struct eg_schema *new_, struct eg_diff *d);

/* Append the changes to out: one line per change, then a summary line
 * (text), or one JSON object (json). */
void eg_diff_write_text(const struct eg_diff *d, struct eg_sb *out);
void eg_diff_write_json(const struct eg_diff *d, struct eg_sb *out);

/* `evgen diff OLD NEW` / `evgen diff --against REV NEW` (argv holds the
 * arguments after "diff").  Exit status: 0 nothing breaking, 1 something
 * breaks or a schema has errors, 2 usage error. */
int eg_diff_main(int argc, char **argv);

#endif
