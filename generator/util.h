/*
 * util.h - the few things every stage of evgen shares: allocation that
 * fails loudly, an arena for everything that lives as long as a run, and
 * a growable string buffer.
 *
 * Return convention, used across evgen: functions that can fail return
 * 0 on success and -1 on failure, having reported the failure through the
 * diagnostic sink (diag.h) first.  Functions returning pointers return NULL
 * on failure under the same rule.
 */
#ifndef EVGEN_UTIL_H
#define EVGEN_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define EG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define EG_NORETURN __attribute__((noreturn))
#else
#define EG_PRINTF(f, a)
#define EG_NORETURN
#endif

#define EG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Print "evgen: fatal: ..." and exit(3).  For out-of-memory only: every
 * failure the user can cause is a diagnostic, not a fatal. */
EG_NORETURN void eg_fatal(const char *fmt, ...) EG_PRINTF(1, 2);

/* malloc/realloc/calloc that never return NULL (they call eg_fatal). */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
void *xcalloc(size_t count, size_t size);
char *xstrdup(const char *s);

/* ---- Arena -------------------------------------------------------------
 * Bump allocator.  Everything allocated from an arena is freed at once by
 * eg_arena_free(); nothing is freed individually.  The model, the data tree
 * and parsed templates live in arenas.  Memory is zeroed. */
struct eg_arena {
    struct eg_arena_block *head;
    size_t used; /* total bytes handed out, for statistics */
};

void eg_arena_init(struct eg_arena *a);
void *eg_arena_alloc(struct eg_arena *a, size_t n);
/* Copy of s[0..len) with a NUL appended; owned by the arena. */
char *eg_arena_strndup(struct eg_arena *a, const char *s, size_t len);
char *eg_arena_strdup(struct eg_arena *a, const char *s);
char *eg_arena_printf(struct eg_arena *a, const char *fmt, ...) EG_PRINTF(2, 3);
void eg_arena_free(struct eg_arena *a);
/* eg_arena_free, but every block goes back to the system at once, none
 * waiting for the next arena: for what is freed when nothing will need as
 * much again (the model, once the template data is built). */
void eg_arena_release(struct eg_arena *a);
/* The process is about to exit: leave what the arena holds to the system
 * instead of freeing it block by block.  Freeing the 150 MB a
 * 10,000-event generation holds costs 0.1-0.15 s (an munmap each,
 * and once threads have run, a TLB shootdown on every core each) for
 * nothing.  The blocks stay reachable, so leak checkers report nothing. */
void eg_arena_abandon(struct eg_arena *a);
/* Free everything but keep one block for reuse: the arena is empty and
 * ready again (for data that lives a short while, over and over). */
void eg_arena_reset(struct eg_arena *a);
/* Move everything allocated from src into dst (src is left empty): what
 * src holds now lives as long as dst. */
void eg_arena_adopt(struct eg_arena *dst, struct eg_arena *src);

/* ---- String buffer -----------------------------------------------------
 * Invariants (as git's strbuf):
 *   - buf is never NULL: an empty buffer points at a static "".
 *   - buf[len] == '\0' always, so buf is a C string when the content has
 *     no NUL byte; the content may hold NUL bytes, len is authoritative.
 *   - alloc == 0 means buf is the static "" and owns nothing.
 * eg_sb_detach() hands the heap block to the caller (free() it) and leaves
 * the buffer empty and reusable.  eg_sb_release() frees it. */
struct eg_sb {
    char *buf;
    size_t len;
    size_t alloc;
};

#define EG_SB_INIT                                                             \
    {                                                                          \
        eg_sb_empty, 0, 0                                                      \
    }
extern char eg_sb_empty[];

void eg_sb_init(struct eg_sb *sb);
void eg_sb_release(struct eg_sb *sb);
char *eg_sb_detach(struct eg_sb *sb, size_t *len);
void eg_sb_grow(struct eg_sb *sb, size_t extra);
void eg_sb_reset(struct eg_sb *sb);
/* Keep the first len bytes (len <= sb->len). */
void eg_sb_truncate(struct eg_sb *sb, size_t len);
void eg_sb_add(struct eg_sb *sb, const void *data, size_t len);
void eg_sb_adds(struct eg_sb *sb, const char *s);
void eg_sb_addc(struct eg_sb *sb, char c);
void eg_sb_addf(struct eg_sb *sb, const char *fmt, ...) EG_PRINTF(2, 3);
void eg_sb_vaddf(struct eg_sb *sb, const char *fmt, va_list ap);

/* ---- Files -------------------------------------------------------------- */

/* Open a regular file for reading: its descriptor, or -1 with a short
 * reason in *why (a static string, or strerror's).  Refuses directories,
 * devices, FIFOs and files larger than max_size. */
int eg_open_file(const char *path, size_t max_size, const char **why);

/* Read a whole regular file into sb (appending).  Refuses directories,
 * devices and files larger than max_size.  Returns 0, or -1 with a short
 * reason in *why (a static string) and errno-derived detail in sb untouched. */
int eg_read_file(const char *path, size_t max_size, struct eg_sb *sb,
                 const char **why);

/* Write all of data to fd, retrying short writes and EINTR.  0, or -1
 * with errno set. */
int eg_write_all(int fd, const void *data, size_t len);

/* ---- Hashing ------------------------------------------------------------ */

/* FNV-1a of data[0..len): the one hash evgen's tables (interned names,
 * string ids, output paths, folders) use. */
uint64_t eg_hash(const void *data, size_t len);

/* SHA-256 of data, as 64 lowercase hex digits plus NUL in out[65]. */
void eg_sha256_hex(const void *data, size_t len, char out[65]);

/* The same over data given in pieces: init, update any number of times,
 * then final_hex. */
struct eg_sha256 {
    uint32_t h[8];
    unsigned long long len; /* bytes so far */
    unsigned char buf[64];  /* a partial block */
    size_t nbuf;
};
void eg_sha256_init(struct eg_sha256 *c);
void eg_sha256_update(struct eg_sha256 *c, const void *data, size_t len);
void eg_sha256_final_hex(struct eg_sha256 *c, char out[65]);

/* ---- Threads ------------------------------------------------------------
 * Work is shared out the same way everywhere (locale files, events,
 * outputs, renames): each thread takes jobs from a queue, under its lock,
 * until none is left, so a thread that cannot start only leaves its share
 * to the others. */

/* Items 0..n-1 handed out in runs of `run` (one lock per run, not per
 * item), until none is left or the queue is stopped. */
struct eg_queue {
    pthread_mutex_t lock;
    size_t next, n, run;
    int stopped;
};
void eg_queue_init(struct eg_queue *q, size_t n, size_t run);
void eg_queue_destroy(struct eg_queue *q);
/* The next run, items [*from, *to): 1, or 0 when there is none. */
int eg_queue_take(struct eg_queue *q, size_t *from, size_t *to);
/* Hand out nothing more (runs already taken go on); and whether it was. */
void eg_queue_stop(struct eg_queue *q);
int eg_queue_stopped(struct eg_queue *q);

/* The cores online, at least 1; EVGEN_CORES=N in the environment (1 to
 * 1024) says N instead.  EVGEN_CORES=1 does everything on one thread:
 * reading translations ahead, building events, rendering, renaming; the
 * tests compare what it makes with what every core makes. */
size_t eg_cores(void);

/* Run fn(args[i]) for each i < n: args[0] in this thread, the others on
 * threads of their own (those that start).  Returns once all are done. */
void eg_run_threads(size_t n, void *(*fn)(void *), void *const *args);

/* ---- Statistics -------------------------------------------------------
 * `evgen generate --stats` prints, after each stage, the time it took, the
 * memory resident now and the process's peak so far, to stderr:
 *   evgen: stats: load        0.276 s  now   63.6 MB  peak   75.9 MB
 * eg_stats_enable() starts the clock; eg_stats() is a no-op until then. */
void eg_stats_enable(void);
void eg_stats(const char *stage);

/* ---- Interrupts -----------------------------------------------------------
 * `evgen generate` stops cleanly on SIGINT, SIGTERM or SIGHUP: the handler
 * only records the signal; rendering stops at the next output, the staged
 * files go as on any failure, and evgen dies of the signal (main.c), the
 * outputs as they were.  Once the renames have begun they finish first
 * (all or nothing; signals are held back meanwhile).  A second signal is
 * not caught: it kills.  A signal ignored at start stays ignored. */
void eg_catch_interrupts(void);
/* The signal caught, or 0. */
int eg_interrupted(void);
/* Hold the signals back (a second one included) while the renames run,
 * on this thread and the threads it starts; 0 lets them in. */
void eg_hold_interrupts(int hold);
/* Die of the signal caught, if one was (after cleaning up). */
void eg_die_of_interrupt(void);

/* ---- UTF-8 -------------------------------------------------------------- */

/* Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629:
 * no overlongs, no surrogates, nothing above U+10FFFF), or len if all of it
 * is well formed. */
size_t eg_utf8_check(const char *s, size_t len);

/* Offset of the first character of well-formed UTF-8 s that no text may
 * hold, or len if none: NUL, control characters other than tab and line
 * feed (C0, DEL, C1), and the non-characters U+FFFE and U+FFFF.  A file
 * cannot hold them raw (libyaml refuses them) but a YAML escape ("\x01")
 * can, and XML 1.0, the manifest's format, cannot carry them at all.  The
 * character's code point goes to *cp. */
size_t eg_text_bad_char(const char *s, size_t len, unsigned *cp);

/* The offset of the first '%' in s, an ETW message (FormatMessage's
 * syntax), that is neither an insertion (%1..%99) nor one of the escapes
 * %% (percent sign), %n (line break), %t (tab), %r (carriage return),
 * %. %! and %0; strlen(s) if none. */
size_t eg_message_bad_percent(const char *s);

/* The most UTF-16 code units a text may have: a manifest's message table
 * entry holds at most 65,535 bytes (MESSAGE_RESOURCE_ENTRY.Length is a
 * WORD), 4 of them its header. */
#define EG_MAX_TEXT_UNITS 32000
/* The UTF-16 code units of well-formed UTF-8 s[0..len) as a manifest
 * message holds it: a '%' and a tab take two (%% and %t). */
size_t eg_message_units(const char *s, size_t len);

/* How eg_text_bad_char's finding reads in a message: "a NUL character",
 * "the control character U+0001", "the non-character U+FFFE" (in buf, or
 * a literal). */
const char *eg_bad_char_name(unsigned cp, char buf[48]);

#endif
