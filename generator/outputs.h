/*
 * outputs.h - last stage: render every declared output and write what
 * changed.
 *
 * The outputs are declared in TEMPLATES/outputs.yaml (see README):
 *
 *   outputs:
 *     - template: docs/event.md.mustache     # under TEMPLATES
 *       path: docs/{{locale.name}}/{{slug}}.md  # under DIR; a template
 *       per: [locale, event]                  # once (default), locale,
 *       escape: md                            #   event, or both
 *
 * Generation is all or nothing: every output is rendered first, streamed
 * in pieces to the writer (write.h), which stages it as a temporary file
 * only where its bytes differ from what is on disk (so unchanged outputs
 * keep their mtime and ninja's restat prunes what depends on them); only
 * when all succeeded are the staged files renamed into place (rename(2)),
 * else they are removed.  DIR/.evgen-outputs lists what was
 * generated; an output no longer declared is removed on the next run.
 */
#ifndef EVGEN_OUTPUTS_H
#define EVGEN_OUTPUTS_H

#include "context.h"

struct eg_generate_opts {
    const char *templates; /* templates folder */
    const char *out_dir;
    const char *depfile; /* or NULL */
    int dry_run;         /* render and report, write nothing */
    int quiet;
    int jobs; /* threads rendering, 1..EG_MAX_JOBS; 0 = one per core */
};

/* The most rendering threads, whatever the machine has. */
#define EG_MAX_JOBS 64

/* Returns 0, or -1 after reporting errors (nothing written then). */
int eg_generate(struct eg_arena *a, const struct eg_schema *s,
                const struct eg_context *cx,
                const struct eg_generate_opts *opts);

/* The name of the list file generate keeps in the output folder. */
#define EG_OUTPUT_LIST ".evgen-outputs"

#endif
