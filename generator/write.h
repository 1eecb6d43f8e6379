/*
 * write.h - staging outputs on disk, on a thread of its own.
 *
 * outputs.c renders; this writes.  Each output is handed over in pieces
 * (open, put..., close).  While the pieces equal the file already on disk
 * nothing is written; at the first difference a temporary file
 * (FINAL.tmp-evgen-PID) is created beside the target, the equal prefix
 * copied into it from the old file, and the rest written to it.  Nothing
 * is renamed here: outputs.c renames the staged files once every output
 * has rendered (or removes them, eg_writer_unstage, if one failed).
 *
 * Creating 30,000 files costs about as much as rendering them, so the
 * writing runs on a thread of its own while the next outputs render.
 * Outputs may render on several threads at once: each hands its outputs
 * over on a channel of its own (0, 1, ...), which is one ordered stream
 * of open, put..., close.  The pieces are copied into a queue of bounded
 * size; the writer's thread owns every file descriptor, folder and path
 * it makes until eg_writer_finish(), after which the caller reads the
 * results and every call runs in the caller's thread.  Errors are
 * collected as text, not reported from the thread (diagnostics are not
 * thread-safe): eg_writer_finish() reports them, in output order.
 */
#ifndef EVGEN_WRITE_H
#define EVGEN_WRITE_H

#include "util.h"

struct eg_writer;

/* A writer taking outputs on nchannels channels; threaded = 0 does
 * everything in the caller's thread (as it does when a thread cannot be
 * started; one channel then). */
struct eg_writer *eg_writer_new(int threaded, size_t nchannels);

/* On channel ch (one thread's: calls on one channel never overlap),
 * output number id (each a different number, from 0) goes to the file
 * final; its bytes follow with put, then close.  final must outlive the
 * writer. */
void eg_writer_open(struct eg_writer *w, size_t ch, size_t id,
                    const char *final);
void eg_writer_put(struct eg_writer *w, size_t ch, const char *data,
                   size_t len);
void eg_writer_close(struct eg_writer *w, size_t ch);

/* Nonzero once an output could not be staged (the caller may stop early;
 * eg_writer_finish reports why). */
int eg_writer_failed(struct eg_writer *w);

/* Once no channel is in use: wait for everything handed over, report
 * the errors (FILE: error: cannot write ...), and return 0, or -1 if there
 * were any. */
int eg_writer_finish(struct eg_writer *w);

/* After finish: the staged file of output id, or NULL when its bytes were
 * already on disk (or it failed). */
const char *eg_writer_staged(const struct eg_writer *w, size_t id);

/* After finish: remove every staged file and the folders made for them. */
void eg_writer_unstage(struct eg_writer *w);

void eg_writer_free(struct eg_writer *w);

#endif
