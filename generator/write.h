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
 * writing runs on a second thread while the next outputs render.  The
 * pieces are copied into a queue of bounded size; the thread owns every
 * file descriptor, folder and path it makes until eg_writer_finish(),
 * after which the caller reads the results and every call runs in the
 * caller's thread.  Errors are collected as text, not reported from the
 * thread (diagnostics are not thread-safe): eg_writer_finish() reports
 * them, in output order.
 */
#ifndef EVGEN_WRITE_H
#define EVGEN_WRITE_H

#include "util.h"

struct eg_writer;

/* A writer; threaded = 0 does everything in the caller's thread (as it
 * does when a thread cannot be started). */
struct eg_writer *eg_writer_new(int threaded);

/* Output number id (0, 1, 2... in order) goes to the file final; its bytes
 * follow with put, then close.  final must outlive the writer. */
void eg_writer_open(struct eg_writer *w, size_t id, const char *final);
void eg_writer_put(struct eg_writer *w, const char *data, size_t len);
void eg_writer_close(struct eg_writer *w);

/* Nonzero once an output could not be staged (the caller may stop early;
 * eg_writer_finish reports why). */
int eg_writer_failed(struct eg_writer *w);

/* Wait for everything handed over, report the errors (FILE: error: cannot
 * write ...), and return 0, or -1 if there were any. */
int eg_writer_finish(struct eg_writer *w);

/* After finish: the staged file of output id, or NULL when its bytes were
 * already on disk (or it failed). */
const char *eg_writer_staged(const struct eg_writer *w, size_t id);

/* After finish: remove every staged file and the folders made for them. */
void eg_writer_unstage(struct eg_writer *w);

void eg_writer_free(struct eg_writer *w);

#endif
