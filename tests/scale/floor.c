/*
 * floor.c - what no generator can beat on this machine (`ninja bench`).
 *
 *     build/scale-floor parse FILE...
 *     build/scale-floor write FROM TO
 *
 * `parse` runs libyaml over each file and does nothing with what it reads:
 * the least any libyaml-based tool spends reading its input.  `write`
 * reads every file under FROM into memory, then writes them all under TO
 * (which must not exist) with open/write/close and nothing else: no
 * rendering, no comparing, no staging, no renames.  Each runs once on one
 * thread and once on one thread per core (files handed out in turn), and
 * prints
 *
 *     parse <files> <bytes> <seconds, 1 thread> <seconds, N threads> <N>
 *     write <files> <bytes> <seconds, 1 thread> <seconds, N threads> <N>
 *
 * for tests/scale/bench to put beside evgen's figures.  Each run starts
 * with nothing left to write back (sync), as bench's runs of evgen do.  `write` writes
 * the tree twice, to TO/1 and TO/2, each folder new (ext4 creates files
 * more slowly where many were just deleted), and leaves them for the
 * caller to remove.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

struct file {
    char *path; /* parse: the file; write: relative to FROM, with '/' */
    unsigned char *data;
    size_t len;
};

static struct file *files;
static size_t nfiles, capfiles;
static size_t from_len;
static const char *to_root;

/* The next file to do, shared by the threads of one run. */
static pthread_mutex_t next_mu = PTHREAD_MUTEX_INITIALIZER;
static size_t next_file;
static int failed;

static _Noreturn void die(const char *what, const char *path)
{
    fprintf(stderr, "scale-floor: %s: %s: %s\n", path, what, strerror(errno));
    exit(1);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void add_file(const char *path, const char *name)
{
    FILE *f = fopen(path, "rb");
    struct file *fl;
    long n;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0)
        die("cannot read", path);
    if (nfiles == capfiles) {
        capfiles = capfiles ? capfiles * 2 : 1024;
        files = realloc(files, capfiles * sizeof(*files));
        if (!files)
            die("out of memory", path);
    }
    fl = &files[nfiles++];
    fl->path = strdup(name);
    fl->len = (size_t)n;
    fl->data = malloc(fl->len + 1);
    if (!fl->path || !fl->data)
        die("out of memory", path);
    if (fread(fl->data, 1, fl->len, f) != fl->len)
        die("cannot read", path);
    fclose(f);
}

static int take(size_t *i)
{
    pthread_mutex_lock(&next_mu);
    *i = next_file < nfiles ? next_file++ : nfiles;
    pthread_mutex_unlock(&next_mu);
    return *i < nfiles;
}

static void *parse_files(void *arg)
{
    size_t i;
    (void)arg;
    while (take(&i)) {
        yaml_parser_t p;
        yaml_event_t e;
        int done = 0;
        yaml_parser_initialize(&p);
        yaml_parser_set_input_string(&p, files[i].data, files[i].len);
        while (!done) {
            if (!yaml_parser_parse(&p, &e)) {
                fprintf(stderr, "scale-floor: %s: not YAML\n", files[i].path);
                failed = 1;
                break;
            }
            done = e.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&e);
        }
        yaml_parser_delete(&p);
    }
    return NULL;
}

/* Make the folders above path (a path under to_root). */
static void make_parents(char *path)
{
    for (char *q = path + strlen(to_root) + 1; *q; q++)
        if (*q == '/') {
            *q = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                die("cannot make folder", path);
            *q = '/';
        }
}

static char run_root[4096];

static void *write_files(void *arg)
{
    char path[8192];
    size_t i;
    (void)arg;
    while (take(&i)) {
        int fd;
        snprintf(path, sizeof(path), "%s/%s", run_root, files[i].path);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0 && errno == ENOENT) {
            make_parents(path);
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        }
        if (fd < 0)
            die("cannot create", path);
        if (write(fd, files[i].data, files[i].len) != (ssize_t)files[i].len)
            die("cannot write", path);
        close(fd);
    }
    return NULL;
}

/* Seconds to do every file with fn on nthreads threads. */
static double timed(void *(*fn)(void *), int nthreads)
{
    pthread_t t[64];
    double start;
    sync(); /* nothing left to write back from before */
    start = now();
    next_file = 0;
    for (int k = 1; k < nthreads; k++)
        if (pthread_create(&t[k], NULL, fn, NULL) != 0)
            die("cannot start a thread", "pthread_create");
    fn(NULL);
    for (int k = 1; k < nthreads; k++)
        pthread_join(t[k], NULL);
    return now() - start;
}

static int visit(const char *path, const struct stat *st, int flag,
                 struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_F)
        add_file(path, path + from_len + 1);
    return 0;
}

int main(int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int n = cores < 1 ? 1 : cores > 64 ? 64 : (int)cores;
    size_t bytes = 0;
    double one, all;
    const char *what = argc > 1 ? argv[1] : "";

    if (!strcmp(what, "parse") && argc > 2) {
        for (int k = 2; k < argc; k++)
            add_file(argv[k], argv[k]);
        one = timed(parse_files, 1);
        all = timed(parse_files, n);
    } else if (!strcmp(what, "write") && argc == 4) {
        from_len = strlen(argv[2]);
        while (from_len > 1 && argv[2][from_len - 1] == '/')
            from_len--;
        if (nftw(argv[2], visit, 32, FTW_PHYS) != 0)
            die("cannot list", argv[2]);
        to_root = argv[3];
        if (mkdir(to_root, 0777) != 0)
            die("cannot make folder (it must not exist)", to_root);
        snprintf(run_root, sizeof(run_root), "%s/1", to_root);
        if (mkdir(run_root, 0777) != 0)
            die("cannot make folder", run_root);
        one = timed(write_files, 1);
        snprintf(run_root, sizeof(run_root), "%s/2", to_root);
        if (mkdir(run_root, 0777) != 0)
            die("cannot make folder", run_root);
        all = timed(write_files, n);
    } else {
        fputs("usage: scale-floor parse FILE...\n"
              "       scale-floor write FROM TO\n",
              stderr);
        return 2;
    }
    for (size_t i = 0; i < nfiles; i++)
        bytes += files[i].len;
    printf("%s %zu %zu %.3f %.3f %d\n", what, nfiles, bytes, one, all, n);
    return failed;
}
