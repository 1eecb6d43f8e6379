/*
 * context.h - third stage: the model as template data: one tree, with a
 * root per locale (texts show in the locale being rendered: value.h's
 * `tr` nodes).  The tree's names are documented in README.md ("Template
 * data") and printed by `evgen context SCHEMA`.
 */
#ifndef EVGEN_CONTEXT_H
#define EVGEN_CONTEXT_H

#include "model.h"

struct eg_context {
    size_t n;              /* locales: en-US first, then the schema's */
    const char **names;    /* culture names */
    struct eg_val **roots; /* root data tree per locale */
    /* What the trees' `tr` texts show in each locale (value.h): render
     * and print them with these. */
    struct eg_texts texts;
};

/* Build every locale's tree from a checked schema.  Everything lives in a
 * (the same arena as the schema, or a longer-lived one).  At most 254
 * locales (a map's locale tag is 8 bits; check.c caps the count).  Once
 * it has what it needs of s's texts' index, it frees it (eg_schema_
 * drop_index): at 10,000 events that is 5 MB the events would be built
 * beside.  The rest of the model it only reads. */
struct eg_context *eg_context_build(struct eg_arena *a, struct eg_schema *s);

#endif
