/*
 * diag.h - diagnostics: the one way evgen tells the user something is wrong.
 *
 * Format (the one editors parse, as gcc, ninja and jq print it):
 *
 *   FILE:LINE:COL: error: MESSAGE
 *    LINE | source line
 *         |     ^
 *   FILE:LINE:COL: note: related place
 *
 * Lines and columns are 1-based; columns count characters (UTF-8 code
 * points), as libyaml's marks do, and the caret is placed accordingly.  A
 * location whose line is 0 prints as "FILE: error: ..." with no source excerpt
 * (used for whole-file problems such as "file not found").
 *
 * Every diagnostic goes through a sink (eg_diag_set_sink), so tests and
 * fuzzers can capture or silence them.  The default sink writes to stderr.
 */
#ifndef EVGEN_DIAG_H
#define EVGEN_DIAG_H

#include "util.h"

struct eg_loc {
    const char *file; /* as the user named it; NULL for "no location" */
    int line;         /* 1-based, 0 = whole file */
    int col;          /* 1-based, 0 = whole line */
};

enum eg_severity { EG_ERROR, EG_WARNING, EG_NOTE };

/* A sink receives each fully formatted diagnostic (with the excerpt and a
 * trailing newline). */
typedef void (*eg_diag_sink)(void *ctx, enum eg_severity sev, const char *text,
                             size_t len);

void eg_diag_set_sink(eg_diag_sink sink, void *ctx);

/* Register the text of a file so that diagnostics at locations in it can
 * show the source line.  The text is not copied: it must outlive the
 * diagnostics (it normally lives in the loader's arena). */
void eg_diag_add_source(const char *file, const char *text, size_t len);
/* The same for a file on disk whose text is not kept: it is read again
 * the first time a diagnostic shows one of its lines.  A large input then
 * costs no memory once parsed. */
void eg_diag_add_source_file(const char *file);

/* Capture: while a thread captures, what it reports (and the sources it
 * registers) is recorded instead of printed; eg_diag_replay(), in the
 * reporting thread, then reports it all, in order, as if it were said
 * then.  Work done on several threads reports in a fixed order this way
 * (locale.c loads translations in parallel). */
struct eg_diag_capture {
    struct eg_captured *items;
    size_t n, cap;
    int errors, warnings;
    /* What is not kept (memory stays bounded whatever the input): errors
     * past the cap, which would not be shown anyway, and warnings past
     * EG_CAPTURE_WARNINGS, summed up in one note at replay. */
    int dropped_errors, dropped_warnings;
    int dropping; /* the last error or warning was dropped: so its notes */
};
#define EG_CAPTURE_WARNINGS 500
void eg_diag_capture_begin(struct eg_diag_capture *c);
void eg_diag_capture_end(void);
void eg_diag_replay(struct eg_diag_capture *c);
/* Forget what c captured, unreported. */
void eg_diag_discard(struct eg_diag_capture *c);

/* Forget every registered source and reset the counters (between runs in
 * one process, as the fuzzers do). */
void eg_diag_reset(void);

/* Report.  eg_error() always returns -1, so a failing function can say
 * `return eg_error(loc, "...")`.  Errors past the cap are counted but not
 * printed; eg_diag_too_many() tells callers to stop early. */
int eg_error(struct eg_loc loc, const char *fmt, ...) EG_PRINTF(2, 3);
void eg_warning(struct eg_loc loc, const char *fmt, ...) EG_PRINTF(2, 3);
void eg_note(struct eg_loc loc, const char *fmt, ...) EG_PRINTF(2, 3);
int eg_verror(struct eg_loc loc, const char *fmt, va_list ap);

/* An error that has no place in a file (usage errors, I/O on outputs). */
int eg_error_plain(const char *fmt, ...) EG_PRINTF(1, 2);

/* At the end of a run: if errors reached the cap, say so (once). */
void eg_diag_finish(void);

int eg_diag_errors(void);
int eg_diag_warnings(void);
int eg_diag_too_many(void);
/* The cap: errors past it are counted, not shown. */
int eg_diag_error_cap(void);
void eg_diag_set_max_errors(int max);

/* "did you mean 'X'?" helper: the candidate closest to word by edit
 * distance, or NULL when none is close enough to be a plausible typo. */
const char *eg_closest(const char *word, const char *const *cands, size_t n);

#endif
