/*
 * write.c - staging outputs on disk, on a thread of its own (write.h).
 *
 * Two sides share the writer.  The rendering side (outputs.c) only queues
 * messages: open, put (a copy of the bytes), close.  The writing side
 * (the thread, or the caller when there is none) owns everything else:
 * the file being compared and written, the results, the folders made.
 * Only the queue and the `failed` flag are shared, under the mutex.
 */
#include "write.h"
#include "diag.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes queued before the renderer waits for the disk: bounds memory. */
#define QUEUE_LIMIT ((size_t)4 << 20)
/* Messages go over in batches (a lock and a wake-up per batch, not per
 * message: an output is three messages, and there are 30,000 outputs). */
#define BATCH_BYTES ((size_t)256 << 10)
#define BATCH_MSGS 64
/* Reading the old file to compare: at most this much at a time. */
#define COMPARE_CHUNK ((size_t)256 << 10)

enum { M_OPEN, M_PUT, M_CLOSE, M_STOP };

struct msg {
    struct msg *next;
    int kind;
    size_t id;
    const char *final;
    size_t len;
    char data[];
};

struct result {
    char *staged; /* the temporary file, or NULL */
    char *error;  /* why it failed, or NULL */
};

struct eg_writer {
    /* Shared, under lock. */
    pthread_mutex_t lock;
    pthread_cond_t more, room;
    struct msg *head, *tail;
    size_t queued;
    int failed;
    int threaded; /* a thread runs the writing side */
    pthread_t thread;

    /* The rendering side's batch, not yet queued. */
    struct msg *bhead, *btail;
    size_t bbytes, bmsgs;

    /* The writing side's. */
    struct result *res;
    size_t nres, capres;
    char **made; /* folders made, to remove on failure */
    size_t nmade, capmade;
    char **dirs; /* folders known to exist: open-addressing set */
    size_t ndirs, capdirs;
    long pid;
    struct { /* the output being written */
        size_t id;
        const char *final;
        int old;    /* the file on disk, open for comparing, or -1 */
        int tmp;    /* the staged file once the bytes differ, or -1 */
        int in_way; /* a folder has the target's name */
        int broken; /* failed: ignore the rest of it */
        unsigned long long same; /* bytes equal to the old file's */
        char *cmp; /* COMPARE_CHUNK bytes, once something is compared */
    } c;
};

/* ---- The writing side ---- */

static void fail(struct eg_writer *w, const char *fmt, ...) EG_PRINTF(2, 3);

static void fail(struct eg_writer *w, const char *fmt, ...)
{
    struct eg_sb sb = EG_SB_INIT;
    va_list ap;
    va_start(ap, fmt);
    eg_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    if (!w->res[w->c.id].error)
        w->res[w->c.id].error = eg_sb_detach(&sb, NULL);
    eg_sb_release(&sb);
    w->c.broken = 1;
    pthread_mutex_lock(&w->lock);
    w->failed = 1;
    pthread_mutex_unlock(&w->lock);
}

/* strerror is not thread-safe; this is (the XSI strerror_r). */
static const char *errtext(int err, char buf[128])
{
    if (strerror_r(err, buf, 128) != 0)
        snprintf(buf, 128, "error %d", err);
    return buf;
}

/* Read exactly len bytes at the file's position; the count read (short
 * at its end). */
static size_t read_full(int fd, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
}

/* Is dir[0..len) a folder known to exist?  Remember it if add. */
static int known_dir(struct eg_writer *w, const char *dir, size_t len, int add)
{
    size_t i;
    if (add && 2 * (w->ndirs + 1) > w->capdirs) {
        size_t cap = w->capdirs ? w->capdirs * 2 : 64;
        char **slots = xcalloc(cap, sizeof(*slots));
        for (size_t k = 0; k < w->capdirs; k++) {
            if (!w->dirs[k])
                continue;
            i = (size_t)eg_hash(w->dirs[k], strlen(w->dirs[k])) & (cap - 1);
            while (slots[i])
                i = (i + 1) & (cap - 1);
            slots[i] = w->dirs[k];
        }
        free(w->dirs);
        w->dirs = slots;
        w->capdirs = cap;
    }
    if (!w->capdirs)
        return 0;
    for (i = (size_t)eg_hash(dir, len) & (w->capdirs - 1); w->dirs[i];
         i = (i + 1) & (w->capdirs - 1))
        if (strncmp(w->dirs[i], dir, len) == 0 && w->dirs[i][len] == '\0')
            return 1;
    if (add) {
        char *copy = xmalloc(len + 1);
        memcpy(copy, dir, len);
        copy[len] = '\0';
        w->dirs[i] = copy;
        w->ndirs++;
    }
    return 0;
}

/* Create the folders leading to file, remembering those made.  Most
 * outputs share a few folders: each is looked at once per run. */
static int mkdirs(struct eg_writer *w, const char *file)
{
    const char *slash = strrchr(file, '/');
    char *p, ebuf[128];
    int rc = 0;
    if (!slash || known_dir(w, file, (size_t)(slash - file), 0))
        return 0;
    p = xstrdup(file);
    for (char *c = p + 1; *c; c++) {
        struct stat st;
        if (*c != '/')
            continue;
        *c = '\0';
        if (stat(p, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                fail(w, "cannot write '%s': '%s' is not a folder", file, p);
                rc = -1;
                break;
            }
        } else if (mkdir(p, 0777) != 0) {
            fail(w, "cannot create folder '%s' for '%s': %s", p, file,
                 errtext(errno, ebuf));
            rc = -1;
            break;
        } else {
            if (w->nmade == w->capmade) {
                w->capmade = w->capmade ? w->capmade * 2 : 8;
                w->made = xrealloc(w->made, w->capmade * sizeof(*w->made));
            }
            w->made[w->nmade++] = xstrdup(p);
        }
        *c = '/';
    }
    free(p);
    if (rc == 0)
        known_dir(w, file, (size_t)(slash - file), 1);
    return rc;
}

static void do_open(struct eg_writer *w, size_t id, const char *final)
{
    struct stat st;
    int fd;
    if (id >= w->capres) {
        size_t cap = w->capres ? w->capres * 2 : 64;
        while (cap <= id)
            cap *= 2;
        w->res = xrealloc(w->res, cap * sizeof(*w->res));
        memset(w->res + w->capres, 0, (cap - w->capres) * sizeof(*w->res));
        w->capres = cap;
    }
    if (id >= w->nres)
        w->nres = id + 1;
    w->c.id = id;
    w->c.final = final;
    w->c.tmp = -1;
    w->c.in_way = w->c.broken = 0;
    w->c.same = 0;
    fd = open(final, O_RDONLY | O_NONBLOCK);
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        w->c.in_way = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
        close(fd);
        fd = -1;
    }
    w->c.old = fd;
}

/* The bytes differ from the old file's: start the staged file with the
 * prefix they share. */
static int diverge(struct eg_writer *w)
{
    struct result *r = &w->res[w->c.id];
    char ebuf[128];
    int err = 0;

    if (w->c.in_way) {
        fail(w, "cannot write '%s': a folder is in the way", w->c.final);
        return -1;
    }
    if (mkdirs(w, w->c.final))
        return -1;
    {
        struct eg_sb sb = EG_SB_INIT;
        eg_sb_addf(&sb, "%s.tmp-evgen-%ld", w->c.final, w->pid);
        r->staged = eg_sb_detach(&sb, NULL);
    }
    w->c.tmp = open(r->staged, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (w->c.tmp < 0) {
        err = errno;
        free(r->staged);
        r->staged = NULL;
        fail(w, "cannot write '%s': %s", w->c.final, errtext(err, ebuf));
        return -1;
    }
    if (w->c.same) { /* copy the shared prefix back from the old file */
        unsigned long long left = w->c.same;
        if (lseek(w->c.old, 0, SEEK_SET) != 0)
            err = errno ? errno : EIO;
        while (!err && left) {
            size_t want = left < COMPARE_CHUNK ? (size_t)left : COMPARE_CHUNK;
            size_t got = read_full(w->c.old, w->c.cmp, want);
            if (got != want) /* the old file shrank under us */
                err = EIO;
            else if (eg_write_all(w->c.tmp, w->c.cmp, got))
                err = errno;
            left -= got;
        }
    }
    if (w->c.old >= 0) {
        close(w->c.old);
        w->c.old = -1;
    }
    if (err) {
        fail(w, "cannot write '%s': %s", w->c.final, errtext(err, ebuf));
        return -1;
    }
    return 0;
}

static void do_put(struct eg_writer *w, const char *data, size_t len)
{
    size_t matched = 0; /* leading bytes of data equal to the old file's */
    char ebuf[128];
    if (w->c.broken || !len)
        return;
    if (w->c.tmp < 0 && w->c.old >= 0) {
        while (matched < len) {
            size_t n =
                len - matched < COMPARE_CHUNK ? len - matched : COMPARE_CHUNK;
            if (!w->c.cmp)
                w->c.cmp = xmalloc(COMPARE_CHUNK);
            if (read_full(w->c.old, w->c.cmp, n) != n ||
                memcmp(w->c.cmp, data + matched, n) != 0)
                break;
            w->c.same += n;
            matched += n;
        }
        if (matched == len)
            return;
    }
    /* diverge() copies the `same` bytes (the matched ones included) from
     * the old file; what follows them comes from data. */
    if (w->c.tmp < 0 && diverge(w))
        return;
    if (eg_write_all(w->c.tmp, data + matched, len - matched))
        fail(w, "cannot write '%s': %s", w->c.final, errtext(errno, ebuf));
}

static void do_close(struct eg_writer *w)
{
    char ebuf[128];
    if (!w->c.broken && w->c.tmp < 0) {
        char probe;
        /* Equal so far: unchanged only if the old file ends here too. */
        if (w->c.old < 0 || read_full(w->c.old, &probe, 1) != 0)
            diverge(w);
    }
    if (w->c.old >= 0)
        close(w->c.old);
    if (w->c.tmp >= 0 && close(w->c.tmp) != 0 && !w->c.broken)
        fail(w, "cannot write '%s': %s", w->c.final, errtext(errno, ebuf));
    w->c.old = w->c.tmp = -1;
}

static void handle(struct eg_writer *w, int kind, size_t id, const char *final,
                   const char *data, size_t len)
{
    switch (kind) {
    case M_OPEN: do_open(w, id, final); break;
    case M_PUT: do_put(w, data, len); break;
    case M_CLOSE: do_close(w); break;
    }
}

static void *run(void *arg)
{
    struct eg_writer *w = arg;
    for (;;) {
        struct msg *m, *next;
        size_t bytes = 0;
        /* Take everything queued at once. */
        pthread_mutex_lock(&w->lock);
        while (!w->head)
            pthread_cond_wait(&w->more, &w->lock);
        m = w->head;
        w->head = w->tail = NULL;
        pthread_mutex_unlock(&w->lock);
        for (; m; m = next) {
            next = m->next;
            if (m->kind == M_STOP) {
                free(m);
                return NULL; /* always the last message */
            }
            handle(w, m->kind, m->id, m->final, m->data, m->len);
            bytes += m->len;
            free(m);
        }
        pthread_mutex_lock(&w->lock);
        w->queued -= bytes;
        pthread_cond_signal(&w->room);
        pthread_mutex_unlock(&w->lock);
    }
}

/* ---- The rendering side ---- */

/* Hand the batch to the writing side; wait while too much is queued. */
static void flush_batch(struct eg_writer *w)
{
    if (!w->bhead)
        return;
    pthread_mutex_lock(&w->lock);
    while (w->queued > QUEUE_LIMIT)
        pthread_cond_wait(&w->room, &w->lock);
    if (w->tail)
        w->tail->next = w->bhead;
    else
        w->head = w->bhead;
    w->tail = w->btail;
    w->queued += w->bbytes;
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->lock);
    w->bhead = w->btail = NULL;
    w->bbytes = w->bmsgs = 0;
}

static void send(struct eg_writer *w, int kind, size_t id, const char *final,
                 const char *data, size_t len)
{
    struct msg *m;
    if (!w->threaded) {
        handle(w, kind, id, final, data, len);
        return;
    }
    m = xmalloc(sizeof(*m) + len);
    m->next = NULL;
    m->kind = kind;
    m->id = id;
    m->final = final;
    m->len = len;
    if (len)
        memcpy(m->data, data, len);
    if (w->btail)
        w->btail->next = m;
    else
        w->bhead = m;
    w->btail = m;
    w->bbytes += len;
    w->bmsgs++;
    if (kind == M_STOP || w->bbytes >= BATCH_BYTES || w->bmsgs >= BATCH_MSGS)
        flush_batch(w);
}

struct eg_writer *eg_writer_new(int threaded)
{
    struct eg_writer *w = xcalloc(1, sizeof(*w));
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->more, NULL);
    pthread_cond_init(&w->room, NULL);
    w->pid = (long)getpid();
    w->c.old = w->c.tmp = -1;
    w->threaded = threaded && pthread_create(&w->thread, NULL, run, w) == 0;
    return w;
}

void eg_writer_open(struct eg_writer *w, size_t id, const char *final)
{
    send(w, M_OPEN, id, final, NULL, 0);
}

void eg_writer_put(struct eg_writer *w, const char *data, size_t len)
{
    if (len)
        send(w, M_PUT, 0, NULL, data, len);
}

void eg_writer_close(struct eg_writer *w)
{
    send(w, M_CLOSE, 0, NULL, NULL, 0);
}

int eg_writer_failed(struct eg_writer *w)
{
    int f;
    pthread_mutex_lock(&w->lock);
    f = w->failed;
    pthread_mutex_unlock(&w->lock);
    return f;
}

int eg_writer_finish(struct eg_writer *w)
{
    int rc = 0;
    if (w->threaded) {
        send(w, M_STOP, 0, NULL, NULL, 0);
        pthread_join(w->thread, NULL);
        w->threaded = 0;
    }
    for (size_t i = 0; i < w->nres; i++) {
        if (!w->res[i].error)
            continue;
        rc = eg_error_plain("%s", w->res[i].error);
        free(w->res[i].error); /* reported once */
        w->res[i].error = NULL;
    }
    return rc;
}

const char *eg_writer_staged(const struct eg_writer *w, size_t id)
{
    return id < w->nres ? w->res[id].staged : NULL;
}

void eg_writer_unstage(struct eg_writer *w)
{
    for (size_t i = 0; i < w->nres; i++)
        if (w->res[i].staged) {
            unlink(w->res[i].staged);
            free(w->res[i].staged);
            w->res[i].staged = NULL;
        }
    for (size_t i = w->nmade; i-- > 0;)
        rmdir(w->made[i]);
}

void eg_writer_free(struct eg_writer *w)
{
    if (!w)
        return;
    if (w->threaded)
        eg_writer_finish(w);
    for (size_t i = 0; i < w->nres; i++) {
        free(w->res[i].staged);
        free(w->res[i].error);
    }
    free(w->res);
    for (size_t i = 0; i < w->nmade; i++)
        free(w->made[i]);
    free(w->made);
    for (size_t i = 0; i < w->capdirs; i++)
        free(w->dirs[i]);
    free(w->dirs);
    free(w->c.cmp);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->more);
    pthread_cond_destroy(&w->room);
    free(w);
}
