/*
 * render_test.c - render.c beyond the Mustache spec: escaping per output
 * kind, scalar formatting, strict mode, the exact text of diagnostics
 * (golden, as jq's %%FAIL blocks), the caps that keep hostile templates
 * bounded, lambda strings, eg_render_stack() and evgen's whitespace
 * choices where the spec is silent.
 *
 * Ends with "N passed, N failed"; exit code 1 when any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../generator/diag.h"
#include "../generator/load.h"
#include "../generator/render.h"

static int passed, failed;
static struct eg_sb diags = EG_SB_INIT;

static void capture(void *ctx, enum eg_severity sev, const char *text,
                    size_t len)
{
    (void)ctx;
    (void)sev;
    eg_sb_add(&diags, text, len);
}

static void show(const char *label, const char *s, size_t len)
{
    struct eg_sb sb = EG_SB_INIT;
    eg_escape_append(EG_ESC_C, s, len, &sb);
    printf("  %s \"%s\"\n", label, sb.buf);
    eg_sb_release(&sb);
}

static void expect_bytes(const char *what, const char *want, size_t wlen,
                         const char *got, size_t glen)
{
    if (wlen == glen && memcmp(want, got, glen) == 0) {
        passed++;
        return;
    }
    printf("FAIL %s\n", what);
    show("expected:", want, wlen);
    show("actual:  ", got, glen);
    failed++;
}

static void expect_str(const char *what, const char *want, const char *got,
                       size_t glen)
{
    expect_bytes(what, want, strlen(want), got, glen);
}

static void expect_int(const char *what, long want, long got)
{
    if (want == got) {
        passed++;
        return;
    }
    printf("FAIL %s: expected %ld, got %ld\n", what, want, got);
    failed++;
}

/* ---- Partials from a table ---- */

struct partial {
    const char *name, *file, *text;
};

static int find_partial(void *ctx, const char *name, const char **text,
                        size_t *len, const char **file)
{
    for (const struct partial *p = ctx; p && p->name; p++)
        if (strcmp(p->name, name) == 0) {
            *text = p->text;
            *len = strlen(p->text);
            *file = p->file;
            return 1;
        }
    return 0;
}

/* ---- One render, checked ---- */

struct opts {
    int strict;
    enum eg_escape escape;
    int max_depth;
    const struct partial *partials;
};

static const struct opts lenient = {0, EG_ESC_HTML, 0, NULL};
static const struct opts strict = {1, EG_ESC_HTML, 0, NULL};

/* Render tpl (file "t.mustache") against YAML data (or `data` when
 * yaml is NULL).  want_out is checked when the render succeeds; want_diag,
 * when not NULL, is the exact text of every diagnostic; a successful
 * render must print none. */
static void run(const char *what, const char *tpl, const char *yaml,
                const struct eg_val *data, struct opts o, int want_rc,
                const char *want_out, const char *want_diag)
{
    struct eg_arena a;
    struct eg_partials parts = {find_partial, (void *)o.partials};
    struct eg_render_opts ro;
    struct eg_sb out = EG_SB_INIT;
    char label[256];
    int rc;

    eg_arena_init(&a);
    eg_diag_reset();
    eg_sb_reset(&diags);
    if (yaml)
        data = eg_load_text(&a, "data.yml", yaml, strlen(yaml));
    memset(&ro, 0, sizeof ro);
    ro.escape = o.escape;
    ro.strict = o.strict;
    ro.max_depth = o.max_depth;
    ro.partials = o.partials ? &parts : NULL;
    eg_diag_add_source("t.mustache", tpl, strlen(tpl));
    rc = eg_render("t.mustache", tpl, strlen(tpl), data, &ro, &out);

    snprintf(label, sizeof label, "%s: return code", what);
    expect_int(label, want_rc, rc);
    if (rc == 0 && want_rc == 0 && want_out) {
        snprintf(label, sizeof label, "%s: output", what);
        expect_str(label, want_out, out.buf, out.len);
    }
    if (want_diag || rc == 0) {
        snprintf(label, sizeof label, "%s: diagnostics", what);
        expect_str(label, want_diag ? want_diag : "", diags.buf, diags.len);
    }
    eg_sb_release(&out);
    eg_diag_reset();
    eg_arena_free(&a);
}

/* The first line of the diagnostics only: for errors whose excerpt is
 * long or generated. */
static void run_first_line(const char *what, const char *tpl, size_t len,
                           const struct eg_val *data, struct opts o,
                           const char *want_line)
{
    struct eg_partials parts = {find_partial, (void *)o.partials};
    struct eg_render_opts ro;
    struct eg_sb out = EG_SB_INIT;
    const char *nl;
    char label[256];
    int rc;

    eg_diag_reset();
    eg_sb_reset(&diags);
    memset(&ro, 0, sizeof ro);
    ro.escape = o.escape;
    ro.strict = o.strict;
    ro.max_depth = o.max_depth;
    ro.partials = o.partials ? &parts : NULL;
    eg_diag_add_source("t.mustache", tpl, len);
    rc = eg_render("t.mustache", tpl, len, data, &ro, &out);
    snprintf(label, sizeof label, "%s: return code", what);
    expect_int(label, -1, rc);
    nl = memchr(diags.buf, '\n', diags.len);
    snprintf(label, sizeof label, "%s: diagnostic", what);
    expect_str(label, want_line, diags.buf,
               nl ? (size_t)(nl - diags.buf) : diags.len);
    eg_sb_release(&out);
    eg_diag_reset();
}

static char *repeat(const char *s, size_t n)
{
    size_t len = strlen(s);
    char *b = xmalloc(len * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(b + i * len, s, len);
    b[len * n] = '\0';
    return b;
}

/* ---- Escaping ---- */

static void test_escaping(void)
{
    static const char in[] = "<a href=\"x\">Tom & Jerry's</a>";
    static const char c_in[] = "a\"b\\c\n\t\001*/ /* ?\?= ?x \xc3\xa9\177";
    static const char md_in[] = "a_b*c `d` [e](f) <g> |h| \\ #1";
    struct eg_sb sb = EG_SB_INIT;

#define ESC(kind, s, n, want)                                                  \
    do {                                                                       \
        eg_sb_reset(&sb);                                                      \
        eg_escape_append(kind, s, n, &sb);                                     \
        expect_bytes("escape " #kind, want, sizeof(want) - 1, sb.buf, sb.len); \
    } while (0)

    ESC(EG_ESC_HTML, in, strlen(in),
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    ESC(EG_ESC_XML, in, strlen(in),
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;");
    ESC(EG_ESC_NONE, in, strlen(in), "<a href=\"x\">Tom & Jerry's</a>");
    /* C: literal-safe and comment-safe; octal escapes are always three
     * digits; UTF-8 passes through. */
    ESC(EG_ESC_C, c_in, strlen(c_in),
        "a\\\"b\\\\c\\n\\t\\001*\\057 \\057* ?\\?= ?x \xc3\xa9\\177");
    ESC(EG_ESC_C,
        "a\0"
        "1",
        3, "a\\0001");
    ESC(EG_ESC_C, "**/", 3, "**\\057");
    ESC(EG_ESC_MD, md_in, strlen(md_in),
        "a\\_b\\*c \\`d\\` \\[e\\](f) \\<g\\> \\|h\\| \\\\ #1");
    ESC(EG_ESC_HTML, "", 0, "");
#undef ESC
    eg_sb_release(&sb);

    expect_int("escape parse html", EG_ESC_HTML, eg_escape_parse("html"));
    expect_int("escape parse xml", EG_ESC_XML, eg_escape_parse("xml"));
    expect_int("escape parse c", EG_ESC_C, eg_escape_parse("c"));
    expect_int("escape parse md", EG_ESC_MD, eg_escape_parse("md"));
    expect_int("escape parse none", EG_ESC_NONE, eg_escape_parse("none"));
    expect_int("escape parse unknown", -1, eg_escape_parse("HTML"));
    expect_str("escape name", "md", eg_escape_name(EG_ESC_MD), 2);

    /* The tag's escaper applies to {{x}} only. */
    run("xml escaping in a template", "{{s}}|{{{s}}}|{{&s}}", "{s: \"'<&>'\"}",
        NULL, (struct opts){0, EG_ESC_XML, 0, NULL}, 0,
        "&apos;&lt;&amp;&gt;&apos;|'<&>'|'<&>'", NULL);
    run("c escaping in a template", "\"{{s}}\" /* {{s}} */",
        "{s: 'say \"hi\" */'}", NULL, (struct opts){0, EG_ESC_C, 0, NULL}, 0,
        "\"say \\\"hi\\\" *\\057\" /* say \\\"hi\\\" *\\057 */", NULL);
}

/* ---- Values ---- */

static void test_values(void)
{
    run("floats print shortest round-trip",
        "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
        "{a: 1.0, b: 0.1, c: 1.210, d: -2.5, e: 1e20, f: .inf}", NULL, lenient,
        0, "1 0.1 1.21 -2.5 1e+20 inf", NULL);
    run("ints, booleans, null", "{{a}} {{b}} {{c}} {{d}} [{{e}}] {{f}}",
        "{a: -7, b: true, c: False, d: 0x1f, e: ~, f: '007'}", NULL, lenient, 0,
        "-7 true false 31 [] 007", NULL);
    run("integers at the ends of their range",
        "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
        "{a: 0, b: -1, c: 9223372036854775807, d: -9223372036854775808, "
        "e: 1000000, f: -10}",
        NULL, lenient, 0,
        "0 -1 9223372036854775807 -9223372036854775808 1000000 -10", NULL);
    run("truthiness",
        "{{#z}}0{{/z}}{{#e}}E{{/e}}{{#f}}F{{/f}}{{#q}}Q{{/q}}{{#m}}M{{/m}}"
        "{{#n}}N{{/n}}{{#l}}L{{/l}}",
        "{z: 0, e: '', f: false, q: 'false', m: {}, n: null, l: []}", NULL,
        lenient, 0, "0QM", NULL);
    run("a section on a scalar pushes it", "{{#s}}<{{.}}>{{/s}}", "{s: 2.50}",
        NULL, lenient, 0, "<2.5>", NULL);
    run("interpolating a mapping is empty when lenient", "[{{m}}][{{l}}]",
        "{m: {a: 1}, l: [1]}", NULL, lenient, 0, "[][]", NULL);
}

/* ---- Strict mode ---- */

static void test_strict(void)
{
    static const struct partial none[] = {{NULL, NULL, NULL}};
    static const struct partial dyn[] = {{"row", "row.mustache", "{{x}}"},
                                         {NULL, NULL, NULL}};

    run("strict: unknown name, with a suggestion", "{{nmae}}", "{name: x}",
        NULL, strict, -1, NULL,
        "t.mustache:1:1: error: unknown name 'nmae'; did you mean 'name'?\n"
        "    1 | {{nmae}}\n"
        "      | ^\n");
    run("strict: suggestion from lower in the stack",
        "x\n {{#items}}{{titel}}{{/items}}", "{items: [{nam: 1}], title: t}",
        NULL, strict, -1, NULL,
        "t.mustache:2:12: error: unknown name 'titel'; did you mean "
        "'title'?\n"
        "    2 |  {{#items}}{{titel}}{{/items}}\n"
        "      |            ^\n");
    run("strict: no suggestion when nothing is close", "{{zzz}}", "{name: x}",
        NULL, strict, -1, NULL,
        "t.mustache:1:1: error: unknown name 'zzz'\n"
        "    1 | {{zzz}}\n"
        "      | ^\n");
    run("strict: dotted name, missing key", "{{a.bce}}", "{a: {bcd: 1}}", NULL,
        strict, -1, NULL,
        "t.mustache:1:1: error: unknown name 'a.bce': 'a' has no key 'bce'; "
        "did you mean 'bcd'?\n"
        "    1 | {{a.bce}}\n"
        "      | ^\n");
    run("strict: dotted name through a scalar", "{{#x}}{{a.b.c}}{{/x}}",
        "{x: 1, a: {b: 1}}", NULL, strict, -1, NULL,
        "t.mustache:1:7: error: unknown name 'a.b.c': 'a.b' is an integer, "
        "not a mapping\n"
        "    1 | {{#x}}{{a.b.c}}{{/x}}\n"
        "      |       ^\n");
    run("strict: deep dotted name, missing key", "{{>*a.b.cc}}",
        "{a: {b: {c: 1}}}", NULL, strict, -1, NULL,
        "t.mustache:1:1: error: unknown name 'a.b.cc': 'a.b' has no key "
        "'cc'; did you mean 'c'?\n"
        "    1 | {{>*a.b.cc}}\n"
        "      | ^\n");
    run("strict: section", "{{#sec}}x{{/sec}}", "{}", NULL, strict, -1, NULL,
        "t.mustache:1:1: error: unknown name 'sec'\n"
        "    1 | {{#sec}}x{{/sec}}\n"
        "      | ^\n");
    run("strict: inverted section", "{{^sec}}x{{/sec}}", "{sex: 1}", NULL,
        strict, -1, NULL,
        "t.mustache:1:1: error: unknown name 'sec'; did you mean 'sex'?\n"
        "    1 | {{^sec}}x{{/sec}}\n"
        "      | ^\n");
    run("strict: null and false are values, not misses",
        "[{{a}}]{{^b}}no{{/b}}", "{a: null, b: false}", NULL, strict, 0, "[]no",
        NULL);
    run("strict: missing partial", "{{>nope}}", "{}", NULL,
        (struct opts){1, EG_ESC_HTML, 0, none}, -1, NULL,
        "t.mustache:1:1: error: no partial named 'nope'\n"
        "    1 | {{>nope}}\n"
        "      | ^\n");
    run("strict: missing parent", "a {{<nope}}{{/nope}}", "{}", NULL,
        (struct opts){1, EG_ESC_HTML, 0, none}, -1, NULL,
        "t.mustache:1:3: error: no parent named 'nope'\n"
        "    1 | a {{<nope}}{{/nope}}\n"
        "      |   ^\n");
    run("lenient: missing partial and parent", "[{{>nope}}{{<no}}{{/no}}]",
        "{}", NULL, (struct opts){0, EG_ESC_HTML, 0, none}, 0, "[]", NULL);
    run("strict: dynamic partial name missing", "{{>*kind}}", "{knd: row}",
        NULL, (struct opts){1, EG_ESC_HTML, 0, dyn}, -1, NULL,
        "t.mustache:1:1: error: unknown name 'kind'; did you mean 'knd'?\n"
        "    1 | {{>*kind}}\n"
        "      | ^\n");
    run("strict: dynamic partial", "{{>*kind}}", "{kind: row, x: 1}", NULL,
        (struct opts){1, EG_ESC_HTML, 0, dyn}, 0, "1", NULL);
    run("strict: dynamic name is not a string", "{{>*k}}", "{k: [row]}", NULL,
        (struct opts){1, EG_ESC_HTML, 0, dyn}, -1, NULL,
        "t.mustache:1:1: error: dynamic name '*k' is a sequence, not the "
        "name of a partial\n"
        "    1 | {{>*k}}\n"
        "      | ^\n");
    run("strict: interpolating a mapping", "{{m}}", "{m: {a: 1}}", NULL, strict,
        -1, NULL,
        "t.mustache:1:1: error: cannot interpolate 'm': it is a mapping\n"
        "    1 | {{m}}\n"
        "      | ^\n");
}

/* ---- Syntax errors: golden text ---- */

static void test_syntax(void)
{
    static const struct partial bad[] = {{"p", "p.mustache", "x\n  {{#y}}\n"},
                                         {NULL, NULL, NULL}};
    char *deep;

    run("unclosed section", "a\n{{#sec}}\nb\n", "{}", NULL, lenient, -1, NULL,
        "t.mustache:2:1: error: unclosed section 'sec' opened here\n"
        "    2 | {{#sec}}\n"
        "      | ^\n");
    run("unclosed parent", "{{<p}}", "{}", NULL, lenient, -1, NULL,
        "t.mustache:1:1: error: unclosed parent 'p' opened here\n"
        "    1 | {{<p}}\n"
        "      | ^\n");
    run("mismatched close", "{{#a}}{{/b}}", "{}", NULL, lenient, -1, NULL,
        "t.mustache:1:7: error: '{{/b}}' closes 'a'\n"
        "    1 | {{#a}}{{/b}}\n"
        "      |       ^\n"
        "t.mustache:1:1: note: 'a' opened here\n"
        "    1 | {{#a}}{{/b}}\n"
        "      | ^\n");
    run("mismatched close, own delimiters", "{{=<% %>=}}<%#a%> <%/b%>", "{}",
        NULL, lenient, -1, NULL,
        "t.mustache:1:19: error: '<%/b%>' closes 'a'\n"
        "    1 | {{=<% %>=}}<%#a%> <%/b%>\n"
        "      |                   ^\n"
        "t.mustache:1:12: note: 'a' opened here\n"
        "    1 | {{=<% %>=}}<%#a%> <%/b%>\n"
        "      |            ^\n");
    run("close with nothing open", "x{{/a}}", "{}", NULL, lenient, -1, NULL,
        "t.mustache:1:2: error: '{{/a}}' closes nothing: no section is "
        "open\n"
        "    1 | x{{/a}}\n"
        "      |  ^\n");
    run("bad set-delimiter tag", "{{= a b c =}}", "{}", NULL, lenient, -1, NULL,
        "t.mustache:1:1: error: bad set-delimiter tag: expected two "
        "delimiters separated by whitespace, as in '{{=<% %>=}}'\n"
        "    1 | {{= a b c =}}\n"
        "      | ^\n");
    run("empty set-delimiter tag", "{{==}}", "{}", NULL, lenient, -1, NULL,
        "t.mustache:1:1: error: bad set-delimiter tag: expected two "
        "delimiters separated by whitespace, as in '{{=<% %>=}}'\n"
        "    1 | {{==}}\n"
        "      | ^\n");
    run("empty tag name", "x {{ }}", "{}", NULL, lenient, -1, NULL,
        "t.mustache:1:3: error: empty tag name\n"
        "    1 | x {{ }}\n"
        "      |   ^\n");
    run("empty section name", "{{#}}", "{}", NULL, lenient, -1, NULL,
        "t.mustache:1:1: error: empty tag name\n"
        "    1 | {{#}}\n"
        "      | ^\n");
    run("unterminated tag", "abc {{name", "{}", NULL, lenient, -1, NULL,
        "t.mustache:1:5: error: unterminated tag: no '}}' after this '{{'\n"
        "    1 | abc {{name\n"
        "      |     ^\n");
    run("unterminated triple", "{{{name}}", "{}", NULL, lenient, -1, NULL,
        "t.mustache:1:1: error: unterminated tag: no '}}}' after this "
        "'{{{'\n"
        "    1 | {{{name}}\n"
        "      | ^\n");
    run("empty part in a dotted name", "{{a..b}}", "{}", NULL, lenient, -1,
        NULL,
        "t.mustache:1:1: error: invalid name 'a..b': empty part between "
        "dots\n"
        "    1 | {{a..b}}\n"
        "      | ^\n");
    run("whitespace in a name", "{{a b}}", "{}", NULL, lenient, -1, NULL,
        "t.mustache:1:1: error: invalid tag name 'a b': names cannot "
        "contain whitespace\n"
        "    1 | {{a b}}\n"
        "      | ^\n");
    run("columns count characters", "\xc3\xa9t\xc3\xa9 {{/x}}", "{}", NULL,
        lenient, -1, NULL,
        "t.mustache:1:5: error: '{{/x}}' closes nothing: no section is "
        "open\n"
        "    1 | \xc3\xa9t\xc3\xa9 {{/x}}\n"
        "      |     ^\n");
    run("error in a partial points into it", "ok\n{{>p}}", "{}", NULL,
        (struct opts){0, EG_ESC_HTML, 0, bad}, -1, NULL,
        "p.mustache:2:3: error: unclosed section 'y' opened here\n"
        "    2 |   {{#y}}\n"
        "      |   ^\n"
        "t.mustache:2:1: note: in partial 'p' included from here\n"
        "    2 | {{>p}}\n"
        "      | ^\n");
    expect_int("eg_template_check: good", 0,
               eg_template_check("t", "{{#a}}{{b}}{{/a}}", 17));
    eg_sb_reset(&diags);
    expect_int("eg_template_check: bad", -1,
               eg_template_check("t", "{{#a}}", 6));

    deep = repeat("{{#t}}", 1001);
    run_first_line("section nesting cap", deep, strlen(deep), NULL, lenient,
                   "t.mustache:1:6001: error: sections nested more than "
                   "1000 deep");
    free(deep);
}

/* ---- Caps on runaway templates ---- */

static void test_caps(void)
{
    static const struct partial self[] = {{"r", "r.mustache", "x{{>r}}"},
                                          {NULL, NULL, NULL}};
    static const struct partial tree[] = {
        {"node", "node.mustache", "{{n}}({{#kids}}{{>node}}{{/kids}})"},
        {NULL, NULL, NULL}};
    static const struct partial sections[] = {{"s", "s.mustache", NULL},
                                              {NULL, NULL, NULL}};
    struct partial deep_sections[2];
    struct eg_arena a;
    struct eg_val *data, *list, *big;
    struct eg_sb yaml = EG_SB_INIT;
    char *open, *close, *text;

    run("endless partial recursion", "a\n{{>r}}", "{}", NULL,
        (struct opts){0, EG_ESC_HTML, 0, self}, -1, NULL,
        "r.mustache:1:2: error: partial 'r' nested more than 64 deep "
        "(endless recursion?)\n"
        "    1 | x{{>r}}\n"
        "      |  ^\n"
        "r.mustache:1:2: note: in partial 'r' included from here\n"
        "    1 | x{{>r}}\n"
        "      |  ^\n"
        "t.mustache:2:1: note: in partial 'r' included from here\n"
        "    2 | {{>r}}\n"
        "      | ^\n");

    /* Recursion bounded by data stays legal below the cap... */
    eg_sb_adds(&yaml, "{n: 0, kids: [");
    for (int i = 1; i < 60; i++)
        eg_sb_addf(&yaml, "{n: %d, kids: [", i);
    for (int i = 1; i < 60; i++)
        eg_sb_adds(&yaml, "]}");
    eg_sb_adds(&yaml, "]}");
    /* ...but the loader caps YAML nesting at 64, so build it in C. */
    eg_arena_init(&a);
    data = NULL;
    for (int i = 59; i >= 0; i--) {
        struct eg_val *m = eg_val_map(&a), *kids = eg_val_seq(&a);
        if (data)
            eg_seq_push(&a, kids, data);
        eg_map_set(&a, m, "n", eg_val_int(&a, i));
        eg_map_set(&a, m, "kids", kids);
        data = m;
    }
    eg_sb_release(&yaml);
    {
        struct eg_render_opts ro = {.escape = EG_ESC_HTML, .strict = 1};
        struct eg_partials p = {find_partial, (void *)tree};
        struct eg_sb out = EG_SB_INIT;
        int rc;
        ro.partials = &p;
        eg_sb_reset(&diags);
        rc = eg_render("t.mustache", "{{>node}}", 9, data, &ro, &out);
        expect_int("recursion 60 deep under the default cap", 0, rc);
        expect_int("recursion 60 deep: output length",
                   /* "0(" ... "59(" then 60 ")" */ 170 + 60, (long)out.len);
        eg_sb_reset(&out);
        ro.max_depth = 10;
        rc = eg_render("t.mustache", "{{>node}}", 9, data, &ro, &out);
        expect_int("max_depth 10 stops recursion 60 deep", -1, rc);
        eg_sb_release(&out);
    }

    run("endless block recursion", "{{<p}}{{$a}}{{$a}}x{{/a}}{{/a}}{{/p}}",
        "{}", NULL,
        (struct opts){
            0, EG_ESC_HTML, 0,
            (const struct partial[]){{"p", "p.mustache", "{{$a}}{{/a}}"},
                                     {NULL, NULL, NULL}}},
        -1, NULL, NULL);

    /* Nesting across partials is capped before the C stack runs out. */
    open = repeat("{{#t}}", 999);
    close = repeat("{{/t}}", 999);
    text = xmalloc(strlen(open) + strlen(close) + 8);
    sprintf(text, "%s{{>s}}%s", open, close);
    deep_sections[0] = sections[0];
    deep_sections[0].text = text;
    deep_sections[1] = sections[1];
    {
        struct eg_val *m = eg_val_map(&a);
        eg_map_set(&a, m, "t", eg_val_bool(&a, 1));
        run_first_line("render nesting cap", "{{>s}}", 6, m,
                       (struct opts){0, EG_ESC_HTML, 0, deep_sections},
                       "s.mustache:1:5995: error: templates nested more than "
                       "2000 deep while rendering");
    }
    free(open);
    free(close);
    free(text);

    /* Loops within loops: 20^8 iterations stop at the step cap. */
    open = repeat("{{#l}}", 8);
    close = repeat("{{/l}}", 8);
    text = xmalloc(strlen(open) + strlen(close) + 1);
    sprintf(text, "%s%s", open, close);
    list = eg_val_seq(&a);
    for (int i = 0; i < 20; i++)
        eg_seq_push(&a, list, eg_val_int(&a, i));
    data = eg_val_map(&a);
    eg_map_set(&a, data, "l", list);
    run_first_line("step cap", text, strlen(text), data, lenient,
                   "t.mustache:1:43: error: rendering takes more than "
                   "134217728 steps (loops within loops?)");
    free(open);
    free(close);
    free(text);

    /* Output cap: 300 copies of a 1 MiB string. */
    text = xmalloc(1 << 20);
    memset(text, 'x', 1 << 20);
    big = eg_val_strn(&a, text, 1 << 20);
    free(text);
    list = eg_val_seq(&a);
    for (int i = 0; i < 300; i++)
        eg_seq_push(&a, list, eg_val_int(&a, i));
    data = eg_val_map(&a);
    eg_map_set(&a, data, "l", list);
    eg_map_set(&a, data, "big", big);
    run_first_line("output cap", "{{#l}}{{{big}}}{{/l}}", 21, data, lenient,
                   "t.mustache:1:7: error: output larger than 256 MiB");
    eg_arena_free(&a);
}

/* ---- Hostile bytes ---- */

static void test_hostile(void)
{
    static const char nul_tpl[] = "a\0b{{x}}\0";
    static const char nul_name[] = "{{a\0b}}";
    struct eg_arena a;
    struct eg_val *data;
    struct eg_render_opts ro = {.escape = EG_ESC_HTML, .strict = 0};
    struct eg_sb out = EG_SB_INIT;
    int rc;

    eg_arena_init(&a);
    data = eg_val_map(&a);
    eg_map_set(&a, data, "x", eg_val_strn(&a, "<\0>", 3));
    eg_sb_reset(&diags);
    rc = eg_render("t.mustache", nul_tpl, sizeof nul_tpl - 1, data, &ro, &out);
    expect_int("NUL bytes pass through: rc", 0, rc);
    expect_bytes("NUL bytes pass through", "a\0b&lt;\0&gt;\0", 13, out.buf,
                 out.len);
    eg_sb_release(&out);
    run_first_line("NUL in a tag name", nul_name, sizeof nul_name - 1, data,
                   lenient,
                   "t.mustache:1:1: error: invalid tag name: it contains the "
                   "control character 0x00");
    run_first_line("unterminated at end of input", "{{", 2, data, lenient,
                   "t.mustache:1:1: error: unterminated tag: no '}}' after "
                   "this '{{'");
    run_first_line("unterminated comment", "x\n{{! never closed", 18, data,
                   lenient,
                   "t.mustache:2:1: error: unterminated tag: no '}}' after "
                   "this '{{'");
    eg_arena_free(&a);
}

/* ---- Whitespace where the spec is silent ---- */

static void test_whitespace(void)
{
    static const struct partial p1[] = {{"p", "p.mustache", "a\n\nb\n"},
                                        {NULL, NULL, NULL}};
    static const struct partial p2[] = {{"p", "p.mustache", "x\n  {{>q}}\n"},
                                        {"q", "q.mustache", "y\nz\n"},
                                        {NULL, NULL, NULL}};
    static const struct partial p3[] = {
        {"p", "p.mustache", "{{#a}}\nfoo\n{{/a}} bar\n"}, {NULL, NULL, NULL}};
    static const struct partial p4[] = {{"p", "p.mustache", "a {{>q}}\n"},
                                        {"q", "q.mustache", "b\nc"},
                                        {NULL, NULL, NULL}};

    run("empty lines of an indented partial stay empty", "  {{>p}}\n", "{}",
        NULL, (struct opts){0, EG_ESC_HTML, 0, p1}, 0, "  a\n\n  b\n", NULL);
    run("standalone partials indent cumulatively", "  {{>p}}\n", "{}", NULL,
        (struct opts){0, EG_ESC_HTML, 0, p2}, 0, "  x\n    y\n    z\n", NULL);
    run("indentation before a closing tag", "  {{>p}}\n", "{a: true}", NULL,
        (struct opts){0, EG_ESC_HTML, 0, p3}, 0, "  foo\n   bar\n", NULL);
    run("an inline partial is not indented", "  {{>p}}\n", "{}", NULL,
        (struct opts){0, EG_ESC_HTML, 0, p4}, 0, "  a b\nc\n", NULL);
    run("block argument starting mid-line at a standalone site",
        "{{<p}}{{$b}}one\ntwo{{/b}}{{/p}}", "{}", NULL,
        (struct opts){0, EG_ESC_HTML, 0,
                      (const struct partial[]){
                          {"p", "p.mustache",
                           "Hi,\n  {{$b}}\n  default\n  {{/b}}\nBye\n"},
                          {NULL, NULL, NULL}}},
        0, "Hi,\n  one\n  twoBye\n", NULL);
    run("block argument in an indented parent",
        "  {{<p}}\n  {{$b}}\n  x\n    y\n  {{/b}}\n  {{/p}}\n", "{}", NULL,
        (struct opts){0, EG_ESC_HTML, 0,
                      (const struct partial[]){
                          {"p", "p.mustache", "[\n  {{$b}}\n  {{/b}}\n]\n"},
                          {NULL, NULL, NULL}}},
        0, "  [\n    x\n      y\n  ]\n", NULL);
    run("standalone lines in CRLF text", "a\r\n  {{#t}}\r\nb\r\n{{/t}}\r\n",
        "{t: 1}", NULL, lenient, 0, "a\r\nb\r\n", NULL);
}

/* ---- Lambda strings and eg_render_stack ---- */

static void test_lambda_and_stack(void)
{
    struct eg_arena a;
    struct eg_val *root, *ev, *title, *loop;
    const struct eg_val *stack[2];
    struct eg_render_opts ro = {.escape = EG_ESC_XML, .strict = 1};
    struct eg_sb out = EG_SB_INIT;
    int rc;

    eg_arena_init(&a);
    root = eg_val_map(&a);
    eg_map_set(&a, root, "name", eg_val_str(&a, "Alloc<T>"));
    title = eg_val_str(&a, "{{name}} & co");
    title->lambda = 1;
    eg_map_set(&a, root, "title", title);
    loop = eg_val_str(&a, "[{{loop}}]");
    loop->lambda = 1;
    eg_map_set(&a, root, "loop", loop);

    eg_sb_reset(&diags);
    rc = eg_render("t.mustache", "{{title}}|{{{title}}}", 21, root, &ro, &out);
    expect_int("lambda string: rc", 0, rc);
    expect_str("lambda string: rendered, then escaped once",
               "Alloc&lt;T&gt; &amp; co|Alloc<T> & co", out.buf, out.len);
    eg_sb_reset(&out);

    run_first_line("lambda string recursion", "{{loop}}", 8, root, lenient,
                   "t.mustache:1:1: error: the text of 'loop' expands "
                   "templates more than 64 deep (endless recursion?)");

    title->u.str.s = "{{nmae}}";
    title->u.str.len = 8;
    run_first_line("strict miss inside a lambda string", "x {{title}}", 11,
                   root, strict,
                   "t.mustache:1:3: error: unknown name 'nmae'; did you mean "
                   "'name'?");

    /* Maps inherit keys through proto (value.h): lookups and suggestions
     * follow the chain, and a key set here hides the proto's. */
    {
        struct eg_val *base = eg_val_map(&a), *m = eg_val_map(&a);
        eg_map_set(&a, base, "shared", eg_val_str(&a, "S"));
        eg_map_set(&a, base, "own", eg_val_str(&a, "hidden"));
        eg_map_set(&a, m, "own", eg_val_str(&a, "O"));
        eg_map_set_proto(m, base);
        eg_sb_reset(&out);
        eg_sb_reset(&diags);
        ro.escape = EG_ESC_NONE;
        rc = eg_render("t.mustache", "{{shared}}{{own}}", 17, m, &ro, &out);
        expect_int("proto: rc", 0, rc);
        expect_str("proto: inherited and own keys", "SO", out.buf, out.len);
        run_first_line("proto: suggestions include inherited keys",
                       "{{shraed}}", 10, m, strict,
                       "t.mustache:1:1: error: unknown name 'shraed'; did "
                       "you mean 'shared'?");
    }

    ev = eg_val_map(&a);
    eg_map_set(&a, ev, "name", eg_val_str(&a, "Free"));
    stack[0] = root;
    stack[1] = ev;
    eg_sb_reset(&out);
    ro.escape = EG_ESC_NONE;
    rc = eg_render_stack("t.mustache", "{{name}}/{{#loop}}y{{/loop}}", 28,
                         stack, 2, &ro, &out);
    expect_int("eg_render_stack: rc", 0, rc);
    expect_str("eg_render_stack: top first, then below", "Free/y", out.buf,
               out.len);
    eg_sb_release(&out);
    eg_arena_free(&a);
}

int main(void)
{
    eg_diag_set_sink(capture, NULL);
    test_escaping();
    test_values();
    test_strict();
    test_syntax();
    test_caps();
    test_hostile();
    test_whitespace();
    test_lambda_and_stack();
    eg_sb_release(&diags);
    eg_diag_reset();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
