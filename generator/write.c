/*
 * write.c - staging outputs on disk, on a thread of its own (write.h).
 *
 * Two sides share the writer.  The rendering side (outputs.c, on one or
 * more threads: one channel each) only queues messages: open, put (a copy
 * of the bytes), close.  The writing side (the thread, or the caller when
 * there is none) owns everything else: the file being compared and
 * written on each channel, the results, the folders made.  Only the queue,
 * the pool of large buffers and the `failed` flag are shared, under the
 * mutex.
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

/* Bytes queued before the renderer waits for the disk: bounds memory
 * (2 MiB keeps the disk as busy as 4 did, at 10,000 events). */
#define QUEUE_LIMIT ((size_t)2 << 20)
/* Messages go over in batches (a lock and a wake-up per batch, not per
 * message: an output is three messages, and there are 30,000 outputs). */
#define BATCH_BYTES ((size_t)256 << 10)
#define BATCH_MSGS 64
/* Reading the old file to compare: at most this much at a time. */
#define COMPARE_CHUNK ((size_t)256 << 10)
/* Large pieces (a big output streams in pieces of ~256 KiB: outputs.c)
 * travel in buffers of this size that are used again, not freed: a fresh
 * buffer of that size is fresh pages from the kernel, and faulting them in
 * cost more than writing them out.  At most POOL_MAX wait in the pool. */
#define POOL_MIN ((size_t)32 << 10)
#define POOL_BLOCK ((size_t)320 << 10)
#define POOL_MAX 24

enum { M_OPEN, M_PUT, M_CLOSE, M_STOP };

struct msg {
    struct msg *next;
    int kind;
    unsigned pooled : 1; /* a POOL_BLOCK buffer: back to the pool */
    size_t ch;           /* the channel (rendering thread) it comes from */
    size_t id;
    const char *final;
    size_t len;
    char data[];
};

/* One rendering thread's: its batch, and the output it is writing. */
struct chan {
    /* The rendering side's batch, not yet queued. */
    struct msg *bhead, *btail;
    size_t bbytes, bmsgs;

    /* The writing side's: the output being written. */
    size_t id;
    const char *final;
    int old;                 /* the file on disk, open for comparing, or -1 */
    int tmp;                 /* the staged file once the bytes differ, or -1 */
    int in_way;              /* a folder has the target's name */
    int broken;              /* failed: ignore the rest of it */
    unsigned long long same; /* bytes equal to the old file's */
    char *cmp; /* COMPARE_CHUNK bytes, once something is compared */
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
    struct msg *pool; /* free POOL_BLOCK buffers */
    size_t npool;

    struct chan *chans;
    size_t nchans;

    /* The writing side's. */
    struct result *res;
    size_t nres, capres;
    char **made; /* folders made, to remove on failure */
    size_t nmade, capmade;
    char **dirs; /* folders known to exist: open-addressing set */
    size_t ndirs, capdirs;
    long pid;
};

/* ---- The writing side ---- */

static void fail(struct eg_writer *w, struct chan *c, const char *fmt, ...)
    EG_PRINTF(3, 4);

static void fail(struct eg_writer *w, struct chan *c, const char *fmt, ...)
{
    struct eg_sb sb = EG_SB_INIT;
    va_list ap;
    va_start(ap, fmt);
    eg_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    if (!w->res[c->id].error)
        w->res[c->id].error = eg_sb_detach(&sb, NULL);
    eg_sb_release(&sb);
    c->broken = 1;
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
static int mkdirs(struct eg_writer *w, struct chan *c, const char *file)
{
    const char *slash = strrchr(file, '/');
    char *p, ebuf[128];
    int rc = 0;
    if (!slash || known_dir(w, file, (size_t)(slash - file), 0))
        return 0;
    p = xstrdup(file);
    for (char *q = p + 1; *q; q++) {
        struct stat st;
        if (*q != '/')
            continue;
        *q = '\0';
        if (stat(p, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                fail(w, c, "cannot write '%s': '%s' is not a folder", file, p);
                rc = -1;
                break;
            }
        } else if (mkdir(p, 0777) != 0) {
            fail(w, c, "cannot create folder '%s' for '%s': %s", p, file,
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
        *q = '/';
    }
    free(p);
    if (rc == 0)
        known_dir(w, file, (size_t)(slash - file), 1);
    return rc;
}

static void do_open(struct eg_writer *w, struct chan *c, size_t id,
                    const char *final)
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
    c->id = id;
    c->final = final;
    c->tmp = -1;
    c->in_way = c->broken = 0;
    c->same = 0;
    fd = open(final, O_RDONLY | O_NONBLOCK);
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        c->in_way = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
        close(fd);
        fd = -1;
    }
    c->old = fd;
}

/* The bytes differ from the old file's: start the staged file with the
 * prefix they share. */
static int diverge(struct eg_writer *w, struct chan *c)
{
    struct result *r = &w->res[c->id];
    char ebuf[128];
    int err = 0;

    if (c->in_way) {
        fail(w, c, "cannot write '%s': a folder is in the way", c->final);
        return -1;
    }
    if (mkdirs(w, c, c->final))
        return -1;
    {
        struct eg_sb sb = EG_SB_INIT;
        eg_sb_addf(&sb, "%s.tmp-evgen-%ld", c->final, w->pid);
        r->staged = eg_sb_detach(&sb, NULL);
    }
    c->tmp = open(r->staged, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (c->tmp < 0) {
        err = errno;
        free(r->staged);
        r->staged = NULL;
        fail(w, c, "cannot write '%s': %s", c->final, errtext(err, ebuf));
        return -1;
    }
    if (c->same) { /* copy the shared prefix back from the old file */
        unsigned long long left = c->same;
        if (lseek(c->old, 0, SEEK_SET) != 0)
            err = errno ? errno : EIO;
        while (!err && left) {
            size_t want = left < COMPARE_CHUNK ? (size_t)left : COMPARE_CHUNK;
            size_t got = read_full(c->old, c->cmp, want);
            if (got != want) /* the old file shrank under us */
                err = EIO;
            else if (eg_write_all(c->tmp, c->cmp, got))
                err = errno;
            left -= got;
        }
    }
    if (c->old >= 0) {
        close(c->old);
        c->old = -1;
    }
    if (err) {
        fail(w, c, "cannot write '%s': %s", c->final, errtext(err, ebuf));
        return -1;
    }
    return 0;
}

static void do_put(struct eg_writer *w, struct chan *c, const char *data,
                   size_t len)
{
    size_t matched = 0; /* leading bytes of data equal to the old file's */
    char ebuf[128];
    if (c->broken || !len)
        return;
    if (c->tmp < 0 && c->old >= 0) {
        while (matched < len) {
            size_t n =
                len - matched < COMPARE_CHUNK ? len - matched : COMPARE_CHUNK;
            if (!c->cmp)
                c->cmp = xmalloc(COMPARE_CHUNK);
            if (read_full(c->old, c->cmp, n) != n ||
                memcmp(c->cmp, data + matched, n) != 0)
                break;
            c->same += n;
            matched += n;
        }
        if (matched == len)
            return;
    }
    /* diverge() copies the `same` bytes (the matched ones included) from
     * the old file; what follows them comes from data. */
    if (c->tmp < 0 && diverge(w, c))
        return;
    if (eg_write_all(c->tmp, data + matched, len - matched))
        fail(w, c, "cannot write '%s': %s", c->final, errtext(errno, ebuf));
}

static void do_close(struct eg_writer *w, struct chan *c)
{
    char ebuf[128];
    if (!c->broken && c->tmp < 0) {
        char probe;
        /* Equal so far: unchanged only if the old file ends here too. */
        if (c->old < 0 || read_full(c->old, &probe, 1) != 0)
            diverge(w, c);
    }
    if (c->old >= 0)
        close(c->old);
    if (c->tmp >= 0 && close(c->tmp) != 0 && !c->broken)
        fail(w, c, "cannot write '%s': %s", c->final, errtext(errno, ebuf));
    c->old = c->tmp = -1;
}

static void handle(struct eg_writer *w, size_t ch, int kind, size_t id,
                   const char *final, const char *data, size_t len)
{
    struct chan *c = &w->chans[ch];
    switch (kind) {
    case M_OPEN: do_open(w, c, id, final); break;
    case M_PUT: do_put(w, c, data, len); break;
    case M_CLOSE: do_close(w, c); break;
    }
}

static void *run(void *arg)
{
    struct eg_writer *w = arg;
    for (;;) {
        struct msg *m, *next, *spent = NULL;
        size_t bytes = 0;
        int stop = 0;
        /* Take everything queued at once. */
        pthread_mutex_lock(&w->lock);
        while (!w->head)
            pthread_cond_wait(&w->more, &w->lock);
        m = w->head;
        w->head = w->tail = NULL;
        pthread_mutex_unlock(&w->lock);
        for (; m; m = next) {
            next = m->next;
            stop |= m->kind == M_STOP; /* always the last message */
            handle(w, m->ch, m->kind, m->id, m->final, m->data, m->len);
            bytes += m->len;
            if (m->pooled) {
                m->next = spent;
                spent = m;
            } else {
                free(m);
            }
        }
        pthread_mutex_lock(&w->lock);
        w->queued -= bytes;
        /* Spent large buffers go back to the pool, up to POOL_MAX. */
        for (; spent && w->npool < POOL_MAX; spent = next) {
            next = spent->next;
            spent->next = w->pool;
            w->pool = spent;
            w->npool++;
        }
        pthread_cond_signal(&w->room);
        pthread_mutex_unlock(&w->lock);
        for (; spent; spent = next) {
            next = spent->next;
            free(spent);
        }
        if (stop)
            return NULL;
    }
}

/* ---- The rendering side ---- */

/* Hand channel c's batch to the writing side; wait while too much is
 * queued. */
static void flush_batch(struct eg_writer *w, struct chan *c)
{
    if (!c->bhead)
        return;
    pthread_mutex_lock(&w->lock);
    while (w->queued > QUEUE_LIMIT)
        pthread_cond_wait(&w->room, &w->lock);
    if (w->tail)
        w->tail->next = c->bhead;
    else
        w->head = c->bhead;
    w->tail = c->btail;
    w->queued += c->bbytes;
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->lock);
    c->bhead = c->btail = NULL;
    c->bbytes = c->bmsgs = 0;
}

/* A message with room for len bytes: a pooled buffer when it is large. */
static struct msg *msg_new(struct eg_writer *w, size_t len)
{
    struct msg *m = NULL;
    if (len >= POOL_MIN && sizeof(*m) + len <= POOL_BLOCK) {
        pthread_mutex_lock(&w->lock);
        if ((m = w->pool)) {
            w->pool = m->next;
            w->npool--;
        }
        pthread_mutex_unlock(&w->lock);
        if (!m)
            m = xmalloc(POOL_BLOCK);
        m->pooled = 1;
        return m;
    }
    m = xmalloc(sizeof(*m) + len);
    m->pooled = 0;
    return m;
}

static void send(struct eg_writer *w, size_t ch, int kind, size_t id,
                 const char *final, const char *data, size_t len)
{
    struct chan *c = &w->chans[ch];
    struct msg *m;
    if (!w->threaded) {
        handle(w, ch, kind, id, final, data, len);
        return;
    }
    m = msg_new(w, len);
    m->next = NULL;
    m->kind = kind;
    m->ch = ch;
    m->id = id;
    m->final = final;
    m->len = len;
    if (len)
        memcpy(m->data, data, len);
    if (c->btail)
        c->btail->next = m;
    else
        c->bhead = m;
    c->btail = m;
    c->bbytes += len;
    c->bmsgs++;
    if (kind == M_STOP || c->bbytes >= BATCH_BYTES || c->bmsgs >= BATCH_MSGS)
        flush_batch(w, c);
}

struct eg_writer *eg_writer_new(int threaded, size_t nchannels)
{
    struct eg_writer *w = xcalloc(1, sizeof(*w));
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->more, NULL);
    pthread_cond_init(&w->room, NULL);
    w->pid = (long)getpid();
    w->nchans = nchannels ? nchannels : 1;
    w->chans = xcalloc(w->nchans, sizeof(*w->chans));
    for (size_t i = 0; i < w->nchans; i++)
        w->chans[i].old = w->chans[i].tmp = -1;
    w->threaded = threaded && pthread_create(&w->thread, NULL, run, w) == 0;
    return w;
}

void eg_writer_open(struct eg_writer *w, size_t ch, size_t id,
                    const char *final)
{
    send(w, ch, M_OPEN, id, final, NULL, 0);
}

void eg_writer_put(struct eg_writer *w, size_t ch, const char *data, size_t len)
{
    if (len)
        send(w, ch, M_PUT, 0, NULL, data, len);
}

void eg_writer_close(struct eg_writer *w, size_t ch)
{
    send(w, ch, M_CLOSE, 0, NULL, NULL, 0);
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
        /* Every channel's last batch, then the stop (on channel 0, which
         * flushes its batch with it). */
        for (size_t i = 1; i < w->nchans; i++)
            flush_batch(w, &w->chans[i]);
        send(w, 0, M_STOP, 0, NULL, NULL, 0);
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
    for (size_t i = 0; i < w->nchans; i++)
        free(w->chans[i].cmp);
    free(w->chans);
    while (w->pool) {
        struct msg *m = w->pool;
        w->pool = m->next;
        free(m);
    }
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->more);
    pthread_cond_destroy(&w->room);
    free(w);
}
