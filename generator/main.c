/*
 * main.c - the command line.  It only parses arguments and runs the
 * pipeline: load -> check -> (locales) -> context -> render -> write.
 *
 * Exit status: 0 success; 1 the input has errors (diagnostics say which);
 * 2 usage error; 3 internal failure (out of memory).
 */
#include "context.h"
#include "diff.h"
#include "load.h"
#include "outputs.h"
#include "render.h"

#include <stdio.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EVGEN_VERSION "0.1.0"

static const char usage_text[] =
    "usage: evgen COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  check SCHEMA...            load and check schemas and their "
    "translations\n"
    "  generate SCHEMA -o DIR     render every declared output into DIR\n"
    "      [--templates DIR]      templates folder (default: templates)\n"
    "      [--depfile FILE]       write the files read, for ninja\n"
    "      [--dry-run]            render and check, write nothing\n"
    "      [--quiet]              no summary line\n"
    "      [--stats]              time and peak memory of each stage\n"
    "      [--jobs N]             render on N threads (default: one per "
    "core)\n"
    "  context SCHEMA             print the data templates see, as YAML\n"
    "      [--locale CULTURE]     ...in that locale (default en-US)\n"
    "      [--json]               ...as JSON\n"
    "  render TEMPLATE DATA       render TEMPLATE with DATA (YAML or JSON)\n"
    "      [--partials DIR]       where {{>name}} is found (default: "
    "TEMPLATE's folder)\n"
    "      [--escape KIND]        html (default), xml, c, md, yaml, message,\n"
    "                             md-cell or none\n"
    "  strings SCHEMA             list the translatable strings as a locale "
    "file\n"
    "      [--locale CULTURE]     ...only those missing or stale in CULTURE\n"
    "  diff OLD NEW               list the changes between two versions of a\n"
    "                             schema: breaking, compatible or text only\n"
    "  diff --against REV NEW     ...OLD being NEW as of git revision REV\n"
    "      [--format text|json]   output format (default text); exit 1 when a\n"
    "                             change is breaking\n"
    "\n"
    "Options: --help, --version.  Exit status: 0 ok, 1 errors in the input,\n"
    "2 usage error, 3 internal failure.\n";

static int usage(const char *fmt, const char *arg)
{
    /* The argument is the user's: an escape sequence in it would drive
     * the terminal.  Control characters show as '?', as diag.c shows
     * them. */
    char shown[256];
    size_t i = 0;
    for (; arg && arg[i] && i + 1 < sizeof shown; i++)
        shown[i] = (unsigned char)arg[i] < 0x20 || arg[i] == 0x7f ? '?' : arg[i];
    shown[i] = '\0';
    fputs("evgen: ", stderr);
    fprintf(stderr, fmt, shown);
    fputs("\nTry 'evgen --help'.\n", stderr);
    return 2;
}

/* The value of option argv[*i], which must follow it and not be empty:
 * an empty folder name would put "-o ''"'s outputs under "/". */
static int opt_value(int argc, char **argv, int *i, const char **out)
{
    if (*i + 1 >= argc || !*argv[*i + 1])
        return -1;
    *out = argv[++*i];
    return 0;
}

static int finish(int rc)
{
    eg_diag_finish();
    if (eg_diag_errors())
        return 1;
    return rc ? 1 : 0;
}

static int cmd_check(int argc, char **argv)
{
    int rc = 0, n = 0;
    for (int i = 0; i < argc; i++) {
        struct eg_arena a;
        struct eg_schema *s;
        if (argv[i][0] == '-' && argv[i][1])
            return usage("check: unknown option '%s'", argv[i]);
        eg_arena_init(&a);
        if (!(s = eg_schema_load(&a, argv[i])))
            rc = -1;
        if (i + 1 < argc) {
            if (s)
                eg_schema_drop_model(s);
            eg_arena_free(&a);
        } else { /* the last: exiting next (util.h) */
            if (s)
                eg_arena_abandon(&s->model);
            eg_arena_abandon(&a);
        }
        n++;
    }
    if (!n)
        return usage("%s", "check: which schema?");
    return finish(rc);
}

static int cmd_generate(int argc, char **argv)
{
    struct eg_generate_opts o;
    const char *schema = NULL;
    struct eg_arena a;
    struct eg_schema *s;
    int rc = -1;

    memset(&o, 0, sizeof o);
    o.templates = "templates";
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (opt_value(argc, argv, &i, &o.out_dir))
                return usage("generate: %s needs a folder", argv[i]);
        } else if (!strcmp(argv[i], "--templates")) {
            if (opt_value(argc, argv, &i, &o.templates))
                return usage("generate: %s needs a folder", argv[i]);
        } else if (!strcmp(argv[i], "--depfile")) {
            if (opt_value(argc, argv, &i, &o.depfile))
                return usage("generate: %s needs a file", argv[i]);
        } else if (!strcmp(argv[i], "--dry-run")) {
            o.dry_run = 1;
        } else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
            o.quiet = 1;
        } else if (!strcmp(argv[i], "--stats")) {
            eg_stats_enable();
        } else if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--jobs")) {
            const char *v = NULL;
            char *end;
            long n;
            if (opt_value(argc, argv, &i, &v))
                return usage("generate: %s needs a number", argv[i]);
            n = strtol(v, &end, 10);
            if (!*v || *end || n < 1 || n > EG_MAX_JOBS) {
                char msg[80];
                snprintf(msg, sizeof msg,
                         "generate: --jobs is a number from 1 to %d, not "
                         "'%%s'",
                         EG_MAX_JOBS);
                return usage(msg, v);
            }
            o.jobs = (int)n;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage("generate: unknown option '%s'", argv[i]);
        } else if (schema) {
            return usage("generate: one schema at a time ('%s' is extra)",
                         argv[i]);
        } else {
            schema = argv[i];
        }
    }
    if (!schema)
        return usage("%s", "generate: which schema?");
    if (!o.out_dir && !o.dry_run)
        return usage("%s", "generate: where to? (-o DIR)");
    if (!o.out_dir)
        o.out_dir = ".";
    {
        /* Trailing slashes would double up in paths and depfiles. */
        char *d = xstrdup(o.out_dir), *t = xstrdup(o.templates);
        size_t n;
        while ((n = strlen(d)) > 1 && d[n - 1] == '/')
            d[n - 1] = '\0';
        while ((n = strlen(t)) > 1 && t[n - 1] == '/')
            t[n - 1] = '\0';
        o.out_dir = d;
        o.templates = t;
    }
    eg_catch_interrupts();
    eg_arena_init(&a);
    if ((s = eg_schema_load(&a, schema)) && !eg_interrupted()) {
        struct eg_context *cx = eg_context_build(&a, s);
        /* The template data has what outputs need of the model. */
        eg_schema_drop_model(s);
        eg_stats("context");
        if (!eg_interrupted())
            rc = eg_generate(&a, s, cx, &o);
    }
    eg_arena_abandon(&a); /* exiting next (util.h) */
    free((char *)o.out_dir);
    free((char *)o.templates);
    if (eg_interrupted()) {
        /* Caught before the renames began, nothing changed; during them,
         * they were let finish (util.h). */
        eg_diag_finish();
        fprintf(stderr, "evgen: interrupted (signal %d); %s\n",
                eg_interrupted(),
                rc == 0 ? "every output was already in place"
                        : "no output was changed");
        eg_die_of_interrupt();
        return 128 + eg_interrupted();
    }
    return finish(rc);
}

static int cmd_context(int argc, char **argv)
{
    const char *schema = NULL, *locale = "en-US";
    int json = 0, rc = -1;
    struct eg_arena a;
    struct eg_schema *s;

    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--locale")) {
            if (opt_value(argc, argv, &i, &locale))
                return usage("context: %s needs a culture", argv[i]);
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage("context: unknown option '%s'", argv[i]);
        } else if (schema) {
            return usage("context: one schema at a time ('%s' is extra)",
                         argv[i]);
        } else {
            schema = argv[i];
        }
    }
    if (!schema)
        return usage("%s", "context: which schema?");
    eg_arena_init(&a);
    if ((s = eg_schema_load(&a, schema))) {
        struct eg_context *cx = eg_context_build(&a, s);
        size_t i;
        eg_schema_drop_model(s); /* as generate does: the data stands alone */
        for (i = 0; i < cx->n; i++)
            if (strcmp(cx->names[i], locale) == 0)
                break;
        if (i == cx->n) {
            struct eg_sb have = EG_SB_INIT;
            for (i = 0; i < cx->n; i++)
                eg_sb_addf(&have, "%s%s", i ? ", " : "", cx->names[i]);
            eg_error_plain("the schema has no locale '%s' (it has %s)",
                           locale, have.buf);
            eg_sb_release(&have);
        } else {
            struct eg_sb sb = EG_SB_INIT;
            /* Show `locales` with each `tr` elided: the trees are the
             * same shape as this one, and printing them all would bury
             * it. */
            struct eg_val *shown = eg_val_map(&a), *locs = eg_val_seq(&a);
            eg_map_set_proto(shown, eg_map_proto(cx->roots[i]));
            for (size_t k = 0; k < cx->n; k++) {
                struct eg_val *l = eg_val_map(&a);
                eg_map_set(&a, l, "name", eg_val_str(&a, cx->names[k]));
                eg_map_set(&a, l, "is_default", eg_val_bool(&a, k == 0));
                eg_map_set(
                    &a, l, "tr",
                    eg_val_strf(&a, "(the whole tree, in %s)", cx->names[k]));
                eg_seq_push(&a, locs, l);
            }
            eg_map_set(&a, shown, "locales", locs);
            shown->locale = cx->roots[i]->locale;
            if (json) {
                eg_val_to_json_tr(shown, &cx->texts, &sb);
                eg_sb_addc(&sb, '\n');
            } else {
                eg_val_to_yaml_tr(shown, &cx->texts, &sb);
            }
            fwrite(sb.buf, 1, sb.len, stdout);
            eg_sb_release(&sb);
            rc = 0;
        }
    }
    eg_arena_free(&a);
    return finish(rc);
}

/* `evgen render`: partials are files beside the template (or in DIR). */
struct render_partials {
    struct eg_arena *a;
    const char *dir;
};

static int render_find(void *ctx, const char *name, const char **text,
                       size_t *len, const char **file)
{
    struct render_partials *rp = ctx;
    struct eg_sb sb = EG_SB_INIT;
    const char *why, *p;
    char *path;
    struct stat st;

    /* Names stay inside the partials folder. */
    if (!*name || name[0] == '/' || strstr(name, "..") || strchr(name, '\\'))
        return 0;
    for (p = name; *p; p++)
        if ((unsigned char)*p < 0x20)
            return 0;
    path = eg_arena_printf(rp->a, "%s/%s.mustache", rp->dir, name);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if (eg_read_file(path, 16u << 20, &sb, &why)) {
        struct eg_loc loc = {path, 0, 0};
        eg_sb_release(&sb);
        return eg_error(loc, "cannot read partial: %s", why);
    }
    *text = eg_arena_strndup(rp->a, sb.buf, sb.len);
    *len = sb.len;
    *file = path;
    eg_diag_add_source(path, *text, *len);
    eg_sb_release(&sb);
    return 1;
}

static int cmd_render(int argc, char **argv)
{
    const char *tmpl = NULL, *data = NULL, *dir = NULL, *esc = "html";
    struct eg_arena a;
    struct eg_render_opts ro;
    struct render_partials rp;
    struct eg_partials partials;
    struct eg_sb text = EG_SB_INIT, out = EG_SB_INIT;
    const struct eg_val *root;
    const char *why;
    int rc = -1, e;

    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--partials")) {
            if (opt_value(argc, argv, &i, &dir))
                return usage("render: %s needs a folder", argv[i]);
        } else if (!strcmp(argv[i], "--escape")) {
            if (opt_value(argc, argv, &i, &esc))
                return usage("render: %s needs a kind", argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage("render: unknown option '%s'", argv[i]);
        } else if (!tmpl) {
            tmpl = argv[i];
        } else if (!data) {
            data = argv[i];
        } else {
            return usage("render: one template and one data file ('%s' is "
                         "extra)",
                         argv[i]);
        }
    }
    if (!tmpl || !data)
        return usage("%s", "render: TEMPLATE and DATA are required");
    if ((e = eg_escape_parse(esc)) < 0)
        return usage("render: unknown escape '%s' (html, xml, c, md, yaml, "
                     "message, md-cell, none)",
                     esc);
    eg_arena_init(&a);
    memset(&ro, 0, sizeof ro);
    ro.escape = (enum eg_escape)e;
    ro.strict = 0;
    rp.a = &a;
    if (dir) {
        rp.dir = dir;
    } else {
        const char *slash = strrchr(tmpl, '/');
        rp.dir =
            slash ? eg_arena_strndup(&a, tmpl, (size_t)(slash - tmpl)) : ".";
    }
    partials.find = render_find;
    partials.ctx = &rp;
    ro.partials = &partials;
    if ((root = eg_load_file(&a, data))) {
        if (eg_read_file(tmpl, 16u << 20, &text, &why)) {
            struct eg_loc loc = {tmpl, 0, 0};
            eg_error(loc, "cannot read: %s", why);
        } else {
            const char *t = eg_arena_strndup(&a, text.buf, text.len);
            eg_diag_add_source(tmpl, t, text.len);
            if (eg_render(tmpl, t, text.len, root, &ro, &out) == 0) {
                fwrite(out.buf, 1, out.len, stdout);
                rc = 0;
            }
        }
    }
    eg_sb_release(&text);
    eg_sb_release(&out);
    eg_arena_free(&a);
    return finish(rc);
}

/* The translatable strings, as a locale file to start from: all of them,
 * or with --locale only those missing or stale there, each with the
 * English as its text and the current hash. */
static void quiet_sink(void *ctx, enum eg_severity sev, const char *text,
                       size_t len)
{
    (void)ctx, (void)sev, (void)text, (void)len;
}

static int cmd_strings(int argc, char **argv)
{
    const char *schema = NULL, *locale = NULL;
    struct eg_arena a;
    struct eg_schema *s;
    struct eg_val *root;
    int rc = -1;

    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--locale")) {
            if (opt_value(argc, argv, &i, &locale))
                return usage("strings: %s needs a culture", argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage("strings: unknown option '%s'", argv[i]);
        } else if (schema) {
            return usage("strings: one schema at a time ('%s' is extra)",
                         argv[i]);
        } else {
            schema = argv[i];
        }
    }
    if (!schema)
        return usage("%s", "strings: which schema?");
    if (locale && !eg_valid_culture(locale))
        return usage("strings: '%s' is not a culture name (as pt-BR, ru-RU, "
                     "zh-Hans-CN)",
                     locale);
    eg_arena_init(&a);
    /* Check the schema alone: the point may be to mend its locales. */
    if ((root = eg_load_file(&a, schema)) &&
        (s = eg_schema_check(&a, schema, root))) {
        struct eg_sb sb = EG_SB_INIT;
        struct eg_locale *l = NULL;
        rc = 0;
        if (locale) {
            /* The errors are what we list: keep them off the terminal. */
            eg_diag_set_sink(quiet_sink, NULL);
            eg_locales_load(&a, s, NULL);
            eg_diag_set_sink(NULL, NULL);
            for (size_t i = 0; i < s->nlocales; i++)
                if (strcmp(s->locales[i].name, locale) == 0)
                    l = &s->locales[i];
        }
        eg_sb_addf(&sb, "locale: %s\nstrings:\n", locale ? locale : "xx-XX");
        for (size_t i = 0; i < s->ntexts; i++) {
            const struct eg_text *t = s->texts[i];
            char hash[17];
            eg_text_hash(t->text, hash);
            if (l) {
                const char *tr = eg_stale_translation(l, t);
                if (l->state[t->index] == EG_TR_FRESH)
                    continue;
                if (tr) {
                    eg_sb_adds(&sb, "  # stale; the translation was: ");
                    for (const char *p = tr; *p; p++)
                        eg_sb_addc(&sb, *p == '\n' ? ' ' : *p);
                    eg_sb_addc(&sb, '\n');
                }
            }
            eg_sb_addf(&sb, "  %s:\n    hash: %s\n    text: ", t->id, hash);
            eg_json_string(t->text, strlen(t->text), &sb);
            eg_sb_addc(&sb, '\n');
        }
        fwrite(sb.buf, 1, sb.len, stdout);
        eg_sb_release(&sb);
        eg_schema_drop_model(s);
        eg_arena_free(&a);
        return 0;
    }
    eg_arena_free(&a);
    return finish(rc);
}

int main(int argc, char **argv)
{
    const char *cmd;
#ifdef M_MMAP_THRESHOLD
    /* Arena blocks (64 KiB) get pages of their own, handed back to the
     * system when freed: a parsed tree freed once checked then lowers the
     * peak instead of leaving holes in the heap.  (glibc would otherwise
     * raise this threshold as blocks are freed.) */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024);
#endif
    if (argc < 2)
        return usage("%s", "no command given");
    cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        puts("evgen " EVGEN_VERSION);
        return 0;
    }
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
    if (!strcmp(cmd, "check"))
        return cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "generate"))
        return cmd_generate(argc - 2, argv + 2);
    if (!strcmp(cmd, "context"))
        return cmd_context(argc - 2, argv + 2);
    if (!strcmp(cmd, "render"))
        return cmd_render(argc - 2, argv + 2);
    if (!strcmp(cmd, "strings"))
        return cmd_strings(argc - 2, argv + 2);
    if (!strcmp(cmd, "diff"))
        return eg_diff_main(argc - 2, argv + 2);
    return usage("unknown command '%s'", cmd);
}
