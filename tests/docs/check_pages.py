#!/usr/bin/env python3
"""Check generated reference pages against the data they were made from.

    check_pages.py DOCS --context LOCALE=FILE.json [--context ...]
                   [--seeds DIR] [--facts FILE] [--list]

DOCS is a generated docs folder (DOCS/<locale>/*.md).  Each --context is
`evgen context SCHEMA --locale LOCALE --json`, the data the pages were
rendered from; en-US must be one of them.  --seeds (the published pages)
and --facts (etw-heap-events.md) add comparisons with the published
reference when given.  Prints one line per problem, FILE:LINE: message,
and a summary; exits 1 when there is a problem, 0 otherwise.

What a page must be (README "Reference docs"):
  - YAML front matter that parses, with the keys of the published pages;
    translated pages carry ms.contentlocale and ms.openlocfilehash, the
    SHA-256 of the en-US page they translate;
  - every table row has as many cells as the table's header;
  - every relative link leads to a generated page (and anchor);
  - no defect of the published pages: no "slow c.", no "no parameters"
    sentence on a page with parameters, identifiers (field, event and
    value names, header file names) exactly as the schema spells them,
    never translated, split ("MEMORY \\_ FROM") or transliterated, anchors
    without trailing underscores, Requirements rows holding the
    schema's values;
  - a Payload layout table per layout whose every cell matches the
    schema's offsets and sizes;
  - translated pages whose prose is not the English.
"""
import argparse
import hashlib
import json
import os
import re
import sys

import yaml

problems = []


def problem(path, line, msg):
    problems.append("%s:%d: %s" % (path, line, msg))


def md_escape(s):
    """The md escape of evgen (render.h): \\ ` * _ [ ] < > | backslashed."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", s)


def md_unescape(s):
    return re.sub(r"\\([\\`*_\[\]<>|])", r"\1", s)


class Page:
    """A page split into front matter and body, with line numbers."""

    def __init__(self, path, text):
        self.path = path
        self.text = text
        self.front = None
        self.body_start = 0  # index of the first body line
        self.lines = text.split("\n")
        if not text.startswith("---\n"):
            problem(path, 1, "no YAML front matter (the page must start "
                    "with '---')")
            return
        try:
            end = self.lines.index("---", 1)
        except ValueError:
            problem(path, 1, "front matter is not closed by '---'")
            return
        try:
            self.front = yaml.safe_load("\n".join(self.lines[1:end]))
        except yaml.YAMLError as e:
            problem(path, 2, "front matter is not valid YAML: %s"
                    % str(e).replace("\n", " "))
            return
        if not isinstance(self.front, dict):
            problem(path, 2, "front matter is not a mapping")
            self.front = None
            return
        self.body_start = end + 1

    def body_lines(self):
        """(line number, text, in_code) for each body line."""
        code = False
        for i in range(self.body_start, len(self.lines)):
            line = self.lines[i]
            if line.startswith("```"):
                code = not code
                yield i + 1, line, True
                continue
            yield i + 1, line, code

    def prose(self):
        """Body text outside code blocks (code lines blanked, so offsets
        still map to lines)."""
        return "\n".join("" if c else l for _, l, c in self.body_lines())

    def line_of(self, offset_in_prose):
        return self.body_start + self.prose().count("\n", 0, offset_in_prose) + 1


def split_row(line):
    """Cells of a Markdown table row: split on | not escaped by \\ and not
    inside a code span."""
    cells, cur, i, code = [], "", 0, False
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur += body[i:i + 2]
            i += 2
            continue
        if ch == "`":
            code = not code
        if ch == "|" and not code:
            cells.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    cells.append(cur.strip())
    return cells


def tables(page):
    """Each table: (first line number, header cells, rows of cells, the
    line numbers of the rows, the heading above it)."""
    out, cur, heading = [], None, ""
    for n, line, code in page.body_lines():
        if not code and line.startswith("|"):
            if cur is None:
                cur = {"line": n, "rows": [], "lines": [], "heading": heading}
            cur["rows"].append(split_row(line))
            cur["lines"].append(n)
            continue
        if cur is not None:
            out.append(cur)
            cur = None
        if not code and line.startswith("#"):
            heading = line
    if cur is not None:
        out.append(cur)
    return out


DELIM = re.compile(r"^\s*:?-+:?\s*$")


def check_tables(page):
    for t in tables(page):
        header = t["rows"][0]
        if len(t["rows"]) < 2 or not all(DELIM.match(c) for c in t["rows"][1]):
            problem(page.path, t["line"], "table without a delimiter row "
                    "under its header")
            continue
        for cells, n in zip(t["rows"][1:], t["lines"][1:]):
            if len(cells) != len(header):
                problem(page.path, n, "table row has %d cells, its header %d"
                        % (len(cells), len(header)))


LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\(((?:[^()\s]|\([^()\s]*\))*)\)",
                  re.S)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def ids_of(text):
    return set(re.findall(r'<(?:span|a)\s+(?:id|name)="([^"]*)"', text))


def check_links(page, pages_by_path):
    prose = page.prose()
    for m in LINK.finditer(prose):
        target = m.group(2)
        line = page.line_of(m.start())
        if not target:
            problem(page.path, line, "link with an empty target")
            continue
        if target.startswith("/") or SCHEME.match(target):
            continue  # absolute: the published site's, not ours
        path, _, frag = target.partition("#")
        if path:
            dest = os.path.normpath(os.path.join(os.path.dirname(page.path),
                                                 path))
            if dest not in pages_by_path:
                problem(page.path, line, "link to '%s', which is not a "
                        "generated page" % target)
                continue
            dest_page = pages_by_path[dest]
        else:
            dest_page = page
        if frag and frag not in ids_of(dest_page.text):
            problem(page.path, line, "link to '%s': no anchor '%s' there"
                    % (target, frag))


def check_anchors(page):
    seen = {}
    for n, line, code in page.body_lines():
        if code:
            continue
        for a in re.findall(r'<(?:span|a)\s+(?:id|name)="([^"]*)"', line):
            if a.endswith("_"):
                problem(page.path, n, "anchor '%s' ends with '_'" % a)
            if a in seen:
                problem(page.path, n, "anchor '%s' also on line %d"
                        % (a, seen[a]))
            seen[a] = n


# Mangled forms the published machine translations have (facts file):
# transliterated identifiers and file names, translated parameter names.
MANGLED = ["хеафандле", "аллокатехеап", "Нтвми", "нтетв", "*Tamanho*",
           "*Endereço*", "*Origem*", "*Адрес*", "*Источник*"]


def check_defects(page, tr):
    text = page.text
    for n, line in enumerate(page.lines, 1):
        if line != line.rstrip():
            problem(page.path, n, "trailing whitespace")
    for n, line, code in page.body_lines():
        if "slow c." in line:
            problem(page.path, n, "truncated text 'slow c.'")
        if re.search(r"\\_\s|\s\\_", line):
            problem(page.path, n, "an identifier split around '\\_'")
        for bad in MANGLED:
            if bad in line:
                problem(page.path, n, "mangled identifier '%s'" % bad)


def field_entries(page):
    """Parameter names of the <dl> list: the *Name* between <dt> and </dt>."""
    body = page.prose()
    out = []
    for m in re.finditer(r"<dt>\s*\n\s*\n\*((?:[^*\\\n]|\\.)+)\*\s*\n</dt>",
                         body):
        out.append((md_unescape(m.group(1)), page.line_of(m.start())))
    return out


def check_event_page(page, ev, tr, locale, en_page):
    f = page.front or {}
    s = tr["strings"]
    docs = tr["docs"]
    want = {
        "ms.topic": "reference",
        "topic_type": ["APIRef", "kbSyntax"],
        "api_name": [ev["name"]],
        "api_type": ["HeaderDef"],
        "api_location": [docs["api_location"]],
        "description": ev["description"],
    }
    check_front(page, want, ev["doc"]["assetid"], locale, en_page,
                ev["doc"]["date"] or docs["overview"]["date"])
    title = f.get("title")
    if not isinstance(title, str) or ev["name"] not in title \
            or docs["header"] not in title:
        problem(page.path, 1, "title %r does not name the event and its "
                "header file" % (title,))

    text = page.text
    # Identifiers, verbatim: the event and its fields in the syntax block.
    if "typedef struct %s" % ev["name"] not in text:
        problem(page.path, 1, "no 'typedef struct %s' line" % ev["name"])
    h1 = [l for _, l, c in page.body_lines() if not c and l.startswith("# ")]
    if not h1 or md_escape(ev["name"]) not in h1[0]:
        problem(page.path, page.body_start + 1, "the title heading does not "
                "hold the event name %s" % md_escape(ev["name"]))
    for fld in ev["fields"]:
        if not re.search(r"\b%s\b" % re.escape(fld["name"]), text):
            problem(page.path, 1, "field name '%s' does not appear verbatim"
                    % fld["name"])
    # The parameter list: exactly the fields, in order, never translated.
    entries = field_entries(page)
    names = [n for n, _ in entries]
    if names != [fld["name"] for fld in ev["fields"]]:
        problem(page.path, entries[0][1] if entries else page.body_start,
                "parameters listed are %s; the event's fields are %s"
                % (names, [fld["name"] for fld in ev["fields"]]))
    # "No parameters" only when there are none.
    nop = s["no_parameters"]
    has = nop in text or "has no parameters" in text
    if ev["fields"] and has:
        problem(page.path, 1, "says %r but the event has %d parameters"
                % (nop, len(ev["fields"])))
    if not ev["fields"] and nop not in text:
        problem(page.path, 1, "an event without fields must say %r" % nop)
    # Enum values: both anchors, the name, the value, the header file.
    ids = ids_of(text)
    for fld in ev["fields"]:
        if not fld["has_enum"]:
            continue
        en = fld["enum"]
        if en["has_header"] and "*%s*" % en["header"] not in text:
            problem(page.path, 1, "header file '%s' of %s's values does not "
                    "appear verbatim" % (en["header"], fld["name"]))
        for v in en["values"]:
            for a in (v["name"], v["name"].lower()):
                if a not in ids:
                    problem(page.path, 1, "no anchor '%s' for %s"
                            % (a, v["name"]))
            cell = "<dt>**%s**</dt> <dt>%s</dt>" % (md_escape(v["name"]),
                                                   v["value"])
            if cell not in text:
                problem(page.path, 1, "value %s = %s is not in %s's table"
                        % (v["name"], v["value"], fld["name"]))
    check_requirements(page, tr)
    check_layouts(page, ev, s)
    # The way back to the overview.
    if "(%s.md)" % docs["overview"]["file"] not in text:
        problem(page.path, 1, "no link to the overview page")


def check_front(page, want, assetid, locale, en_page, date):
    f = page.front
    if f is None:
        return
    for k, v in want.items():
        if f.get(k) != v:
            problem(page.path, 1, "front matter %s is %r, expected %r"
                    % (k, f.get(k), v))
    for k in ("title", "ms.date", "description"):
        if not isinstance(f.get(k), str) or not f.get(k):
            problem(page.path, 1, "front matter needs %s, a string" % k)
    if f.get("ms.date") != date:
        problem(page.path, 1, "ms.date is %r, expected %r"
                % (f.get("ms.date"), date))
    if not re.match(r"^\d\d/\d\d/\d{4}$", str(f.get("ms.date", ""))):
        problem(page.path, 1, "ms.date %r is not MM/DD/YYYY"
                % (f.get("ms.date"),))
    if assetid:
        if f.get("ms.assetid") != assetid:
            problem(page.path, 1, "ms.assetid is %r, expected %r"
                    % (f.get("ms.assetid"), assetid))
    elif "ms.assetid" in f:
        problem(page.path, 1, "ms.assetid without one in the schema")
    if locale == "en-US":
        for k in ("ms.contentlocale", "ms.openlocfilehash"):
            if k in f:
                problem(page.path, 1, "the English page has %s" % k)
    else:
        if f.get("ms.contentlocale") != locale:
            problem(page.path, 1, "ms.contentlocale is %r, expected %r"
                    % (f.get("ms.contentlocale"), locale))
        if en_page is not None:
            h = hashlib.sha256(en_page.text.encode()).hexdigest()
            if f.get("ms.openlocfilehash") != h:
                problem(page.path, 1, "ms.openlocfilehash is %r; the en-US "
                        "page's SHA-256 is %s"
                        % (f.get("ms.openlocfilehash"), h))


def check_requirements(page, tr):
    s, docs = tr["strings"], tr["docs"]
    want = [
        [md_escape(s["min_client"]) + "<br/>",
         md_escape(docs["min_client"]) + "<br/>"],
        [md_escape(s["min_server"]) + "<br/>",
         md_escape(docs["min_server"]) + "<br/>"],
        [md_escape(s["header"]) + "<br/>",
         "<dl> <dt>%s</dt> </dl>" % md_escape(docs["header"])],
    ]
    for t in tables(page):
        if t["rows"][0] == [md_escape(s["requirement"]),
                            md_escape(s["value"])]:
            if t["rows"][2:] != want:
                problem(page.path, t["line"], "Requirements rows are %s, "
                        "expected %s" % (t["rows"][2:], want))
            return
    problem(page.path, 1, "no Requirements table")


def layout_rows(layout, s):
    """The rows the layout table must have, as cell lists."""
    var = md_escape(s["variable"])
    rows = []
    for f in layout["fields"]:
        fixed_off = f["has_fixed_offset"]
        rows.append([
            md_escape(f["name"]), md_escape(f["win_type"]),
            str(f["offset32"]) if fixed_off else var,
            str(f["size32"]) if f["is_fixed"] else var,
            str(f["offset64"]) if fixed_off else var,
            str(f["size64"]) if f["is_fixed"] else var,
        ])
    if layout["is_fixed"]:
        t32, t64 = str(layout["size32"]), str(layout["size64"])
    else:
        # strings.min_size is a template: {{.}} is the smallest size.
        t32 = md_escape(s["min_size"].replace("{{.}}",
                                              str(layout["min32"])))
        t64 = md_escape(s["min_size"].replace("{{.}}",
                                              str(layout["min64"])))
    rows.append(["**%s**" % md_escape(s["total"]), "", "", t32, "", t64])
    return rows


def check_layouts(page, ev, s):
    header = [md_escape(s[k]) for k in ("field", "type", "offset_32",
                                         "size_32", "offset_64", "size_64")]
    found = [t for t in tables(page) if t["rows"][0] == header]
    if len(found) != len(ev["layouts"]):
        problem(page.path, 1, "%d payload layout tables for %d layouts"
                % (len(found), len(ev["layouts"])))
        return
    for t, lay in zip(found, ev["layouts"]):
        if ev["has_old_layouts"]:
            key = "versions_layout" if lay["is_range"] else "version_layout"
            want = "### " + md_escape(
                s[key].replace("{{version}}", str(lay["version"]))
                .replace("{{from}}", str(lay["from"]))
                .replace("{{to}}", str(lay["to"])))
            if t["heading"] != want:
                problem(page.path, t["line"], "layout table under %r, "
                        "expected %r" % (t["heading"], want))
        want_rows = layout_rows(lay, s)
        got = t["rows"][2:]
        for i, w in enumerate(want_rows):
            g = got[i] if i < len(got) else None
            if g != w:
                problem(page.path, t["lines"][min(i + 2, len(t["lines"]) - 1)],
                        "layout row %r, expected %r" % (g, w))
        if len(got) > len(want_rows):
            problem(page.path, t["lines"][len(want_rows) + 2],
                    "extra layout rows")


def check_overview(page, tr, locale, en_page):
    ov = tr["docs"]["overview"]
    want = {"ms.topic": "article", "title": ov["title"],
            "description": ov["description"]}
    check_front(page, want, ov["assetid"], locale, en_page, ov["date"])
    text = page.text
    for ev in tr["events"]:
        link = "[**%s**](%s.md)" % (md_escape(ev["name"]), ev["slug"])
        if link not in text:
            problem(page.path, 1, "the events table does not link %s as %s"
                    % (ev["name"], link))
    for r in ov["related"]:
        if "(%s)" % r["url"] not in text:
            problem(page.path, 1, "no related link to %s" % r["url"])


def prose_lines(page):
    out = set()
    for _, line, code in page.body_lines():
        # A translated heading keeps the English anchor: <a name="x"></a>
        l = re.sub(r'<a name="[^"]*"></a>', "", line.strip())
        if code or not l or l.startswith("|") or l.startswith("<"):
            continue
        if len(re.findall(r"[^\W\d_]{2,}", l)) >= 3 or l.startswith("#"):
            out.add(l)
    return out


def check_translated(page, en_page):
    """A translated page must not repeat the English page's prose."""
    same = prose_lines(page) & prose_lines(en_page)
    for l in sorted(same):
        problem(page.path, 1, "line identical to the English page: %r" % l)


# ---- Comparison with the published pages ----

def check_seeds(seed_dir, pages, ctx):
    for name in sorted(os.listdir(seed_dir)):
        path = os.path.join(seed_dir, name)
        seed = Page(path, open(path, encoding="utf-8").read())
        if seed.front is None:
            continue
        locale = seed.front.get("ms.contentlocale", "en-US")
        if locale not in ctx:
            continue
        aid = seed.front.get("ms.assetid")
        mine = [p for p in pages.values()
                if p.locale == locale and p.front
                and p.front.get("ms.assetid") == aid]
        if not mine:
            problem(path, 1, "no generated %s page with ms.assetid %s"
                    % (locale, aid))
            continue
        page = mine[0]
        for k in ("ms.topic", "ms.date", "api_name", "api_type",
                  "api_location", "topic_type"):
            if seed.front.get(k) != page.front.get(k):
                problem(page.path, 1, "%s is %r; the published page has %r"
                        % (k, page.front.get(k), seed.front.get(k)))
        en = page.locale == "en-US"
        if seed.front.get("api_name"):
            # Same parameters, in the same order (the published English;
            # the translations translated some names, which we must not).
            sn = [n for n, _ in field_entries(seed)]
            gn = [n for n, _ in field_entries(page)]
            if en and sn != gn:
                problem(page.path, 1, "parameters %s; the published page "
                        "lists %s" % (gn, sn))
            # The same values with the same numbers, anchors fixed.
            sv = re.findall(r'<span id="([A-Z0-9_]+?)_*"></span>.*?'
                            r"<dt>(\d+)</dt>", seed.text)
            gv = re.findall(r'<span id="([A-Z0-9_]+)"></span>.*?'
                            r"<dt>(\d+)</dt>", page.text)
            if sv != gv:
                problem(page.path, 1, "values %s; the published page has %s"
                        % (gv, sv))
            if en:
                for row in ("Windows 7 \\[desktop apps only\\]<br/>",
                            "Windows Server 2008 R2 \\[desktop apps only\\]"
                            "<br/>", "<dl> <dt>Ntwmi.h</dt> </dl>"):
                    if row in seed.text and row not in page.text:
                        problem(page.path, 1, "Requirements lack %r, which "
                                "the published page has" % row)
        else:
            sl = set(re.findall(r"\]\(([\w-]+\.md)\)", seed.text))
            gl = set(re.findall(r"\]\(([\w-]+\.md)\)", page.text))
            if sl != gl:
                problem(page.path, 1, "links to %s; the published page "
                        "links %s" % (sorted(gl), sorted(sl)))


def check_facts(facts, pages, ctx):
    """The heap events' payload as the facts file gives it (offsets in
    multiples of the pointer size P, lengths for 32 and 64 bits)."""
    rows = re.findall(r"^\|\s*(\w+)\s*\|\s*([^|]*?)\s*\|\s*(\d+) / (\d+)\s*\|$",
                      open(facts, encoding="utf-8").read(), re.M)
    en = ctx["en-US"]
    names = {"ETW_HEAP_EVENT_" + r[0].upper() for r in rows}
    if not names & {e["name"] for e in en["events"]}:
        problem(facts, 1, "no payload row of the facts file names an event "
                "of the schema (is this the heap schema? did the table's "
                "format change?)")
    for kind, offsets, l32, l64 in rows:
        name = "ETW_HEAP_EVENT_" + kind.upper()
        ev = [e for e in en["events"] if e["name"] == name]
        if not ev:
            continue
        cur = ev[0]["layouts"][-1]
        for p, total, off_key, size_key in ((4, l32, "offset32", "size32"),
                                            (8, l64, "offset64", "size64")):
            if str(cur[size_key]) != total:
                problem(facts, 1, "%s is %s bytes for P=%d; the schema "
                        "gives %s" % (name, total, p, cur[size_key]))
            for item in offsets.split(","):
                fname, expr = item.split()
                want = 0 if expr == "0" else p * int(expr[:-1] or 1)
                got = [f[off_key] for f in cur["fields"]
                       if f["name"] == fname]
                if got != [want]:
                    problem(facts, 1, "%s.%s is at %d for P=%d; the schema "
                            "gives %s" % (name, fname, want, p, got))
        # ...and the pages say what the schema says (checked per page).
        for page in pages.values():
            if page.event and page.event == name and \
                    str(cur["size32"]) not in page.text:
                problem(page.path, 1, "payload total %s missing"
                        % cur["size32"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("docs")
    ap.add_argument("--context", action="append", required=True)
    ap.add_argument("--seeds")
    ap.add_argument("--facts")
    ap.add_argument("--list", action="store_true",
                    help="print the pages checked")
    a = ap.parse_args()
    ctx = {}
    for c in a.context:
        loc, _, path = c.partition("=")
        ctx[loc] = json.load(open(path, encoding="utf-8"))
    if "en-US" not in ctx:
        sys.exit("check_pages: --context en-US=... is required")

    # The pages there must be: per locale, one per event and the overview.
    expected = {}
    for loc, tr in ctx.items():
        for ev in tr["events"]:
            expected[os.path.normpath(os.path.join(a.docs, loc,
                                                   ev["slug"] + ".md"))] = \
                (loc, ev["name"])
        expected[os.path.normpath(os.path.join(
            a.docs, loc, tr["docs"]["overview"]["file"] + ".md"))] = \
            (loc, None)
    pages = {}
    for root, _, files in os.walk(a.docs):
        for fn in files:
            path = os.path.normpath(os.path.join(root, fn))
            if not fn.endswith(".md"):
                continue
            if path not in expected:
                problem(path, 1, "a page no schema event or locale explains")
                continue
            p = Page(path, open(path, encoding="utf-8").read())
            p.locale, p.event = expected[path]
            pages[path] = p
    for path in sorted(set(expected) - set(pages)):
        problem(path, 1, "page missing")

    for path in sorted(pages):
        p = pages[path]
        tr = ctx[p.locale]
        en_path = os.path.normpath(os.path.join(
            a.docs, "en-US", os.path.basename(path)))
        en_page = pages.get(en_path)
        check_tables(p)
        check_links(p, pages)
        check_anchors(p)
        check_defects(p, tr)
        if p.event:
            ev = [e for e in tr["events"] if e["name"] == p.event][0]
            check_event_page(p, ev, tr, p.locale, en_page)
        else:
            check_overview(p, tr, p.locale, en_page)
        if p.locale != "en-US" and en_page is not None:
            check_translated(p, en_page)
        if a.list:
            print("checked", path)
    if a.seeds:
        check_seeds(a.seeds, pages, ctx)
    if a.facts:
        check_facts(a.facts, pages, ctx)
    for msg in problems:
        print(msg)
    print("%d pages, %d problems" % (len(pages), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
