#!/usr/bin/env python3
"""Check an ETW instrumentation manifest for what eventman.xsd cannot.

    check_manifest.py MANIFEST [--context CONTEXT.json [--tr CULTURE=TREE.json]...]

The XSD checks the shape of each element; this checks that the parts fit
together: every $(string.ID) is defined in every culture and no culture
has an id the others lack; every template, map, task and opcode an event
or a data item names exists; symbols are unique; (value, version) pairs
are unique; an event message inserts no %N beyond its template's data
count, in any culture; in/out types are ones Windows knows, and sizes are
win:Pointer + xs:unsignedLong; opcode values are 10..239.

With --context (the output of `evgen context SCHEMA --json`) and, for
each locale, --tr CULTURE=FILE (`evgen context SCHEMA --locale CULTURE
--json`, as the first elides the locales' trees), it also
checks the manifest against the schema: one <event> and one <template>
per event layout, fields in payload order with the in/out types the
facts file (shared/facts/etw-heap-events.md) and winmeta.xml give for
each schema type (kept here independently of generator/types.c, so a
wrong entry there is caught), maps where fields have enums, one culture
per locale, and each culture's strings equal to that locale's texts.

Prints "MANIFEST:LINE: error: ..." on standard error for each problem
and exits 1, or prints one "ok" line on standard output and exits 0
(2 on a usage error).  Python 3 standard library only.
"""
import json
import re
import sys
import xml.parsers.expat

NS = "http://schemas.microsoft.com/win/2004/08/events"
WIN = "http://manifests.microsoft.com/win/2004/08/windows/events"
XS = "http://www.w3.org/2001/XMLSchema"

# winmeta.xml: inTypes and the outTypes each may carry.
IN_TYPES = {
    "win:UnicodeString": {"xs:string", "win:Xml", "win:ETWTIME", "win:Utf8", "win:Json"},
    "win:AnsiString": {"xs:string", "win:Xml", "win:ETWTIME", "win:Utf8", "win:Json"},
    "win:Int8": {"xs:byte"},
    "win:UInt8": {"xs:unsignedByte", "win:HexInt8", "xs:string"},
    "win:Int16": {"xs:short"},
    "win:UInt16": {"xs:unsignedShort", "win:HexInt16", "win:Port"},
    "win:Int32": {"xs:int", "win:HResult"},
    "win:UInt32": {"xs:unsignedInt", "win:HexInt32", "win:PID", "win:TID",
                   "win:IPv4", "win:ETWTIME", "win:Win32Error", "win:NTSTATUS"},
    "win:Int64": {"xs:long"},
    "win:UInt64": {"xs:unsignedLong", "win:HexInt64", "win:ETWTIME"},
    "win:Float": {"xs:float"},
    "win:Double": {"xs:double"},
    "win:Boolean": {"xs:boolean"},
    "win:Binary": {"xs:hexBinary", "win:IPv6", "win:SocketAddress", "win:Pkcs7WithTypeInfo"},
    "win:GUID": {"xs:GUID"},
    "win:Pointer": {"win:HexInt64", "xs:unsignedLong"},
    "win:FILETIME": {"xs:dateTime", "win:DateTimeCultureInsensitive"},
    "win:SYSTEMTIME": {"xs:dateTime", "win:DateTimeCultureInsensitive"},
    "win:SID": {"xs:string"},
    "win:HexInt32": {"win:HexInt32"},
    "win:HexInt64": {"win:HexInt64"},
}
# Value maps apply to these (TDH formats the integer through the map).
MAP_IN_TYPES = {"win:UInt8", "win:UInt16", "win:UInt32", "win:HexInt32"}
# inTypes that may give another field's name as their length.
INTEGER_IN_TYPES = {"win:UInt8", "win:UInt16", "win:UInt32", "win:UInt64",
                    "win:HexInt32", "win:HexInt64"}
LEVELS = {"win:LogAlways", "win:Critical", "win:Error", "win:Warning",
          "win:Informational", "win:Verbose"}
WIN_OPCODES = {"win:Info", "win:Start", "win:Stop", "win:DC_Start",
               "win:DC_Stop", "win:Extension", "win:Reply", "win:Resume",
               "win:Suspend", "win:Send", "win:Receive"}
SYMBOL = re.compile(r"[_a-zA-Z][_0-9a-zA-Z]*\Z")
STRING_REF = re.compile(r"\$\(string\.(.+)\)\Z")

# What each schema field type must be in the manifest, from the facts file
# (pointers and sizes: win:Pointer, sizes with outType xs:unsignedLong;
# Source: win:UInt32 with a map) and winmeta.xml for the rest.
SCHEMA_TYPES = {
    "int8": ("win:Int8", None), "int16": ("win:Int16", None),
    "int32": ("win:Int32", None), "int64": ("win:Int64", None),
    "uint8": ("win:UInt8", None), "uint16": ("win:UInt16", None),
    "uint32": ("win:UInt32", None), "uint64": ("win:UInt64", None),
    "hex8": ("win:UInt8", "win:HexInt8"), "hex16": ("win:UInt16", "win:HexInt16"),
    "hex32": ("win:HexInt32", None), "hex64": ("win:HexInt64", None),
    "pointer": ("win:Pointer", None),
    "size": ("win:Pointer", "xs:unsignedLong"),
    "bool": ("win:Boolean", None),
    "float": ("win:Float", None), "double": ("win:Double", None),
    "guid": ("win:GUID", None), "filetime": ("win:FILETIME", None),
    "unicode_string": ("win:UnicodeString", None),
    "ansi_string": ("win:AnsiString", None),
    "binary": ("win:Binary", None),
}
SCHEMA_LEVELS = {"always": "win:LogAlways", "critical": "win:Critical",
                 "error": "win:Error", "warning": "win:Warning",
                 "informational": "win:Informational", "verbose": "win:Verbose"}


class Node:
    __slots__ = ("tag", "attrib", "children", "line", "parent")

    def __init__(self, tag, attrib, line, parent):
        self.tag, self.attrib, self.line, self.parent = tag, attrib, line, parent
        self.children = []

    def find(self, tag):
        return [c for c in self.children if c.tag == tag]


def parse(path, data):
    """Parse with expat (keeping line numbers); tags become 'ns local'."""
    p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    root = []
    stack = []
    prefixes = {}

    def start(tag, attrs):
        parent = stack[-1] if stack else None
        n = Node(tag, attrs, p.CurrentLineNumber, parent)
        if parent:
            parent.children.append(n)
        else:
            root.append(n)
        stack.append(n)

    def end(tag):
        stack.pop()

    def ns_start(prefix, uri):
        prefixes[prefix] = uri

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.StartNamespaceDeclHandler = ns_start
    p.Parse(data, True)
    return root[0], prefixes


class Checker:
    def __init__(self, path):
        self.path = path
        self.errors = 0

    def error(self, node, msg):
        line = node.line if node is not None else 1
        print("%s:%d: error: %s" % (self.path, line, msg), file=sys.stderr)
        self.errors += 1


def q(local):
    return NS + " " + local


def insertions(text):
    """The %N insertion numbers of a message string, and any '%' that
    FormatMessage would not show as the text reads: neither an insertion
    nor an escape."""
    nums, bad = [], []
    i = 0
    while i < len(text):
        if text[i] != "%":
            i += 1
            continue
        m = re.match(r"%([1-9][0-9]?)", text[i:])
        if m:
            nums.append(int(m.group(1)))
            i += len(m.group(0))
            # an optional printf format: %1!s!
            f = re.match(r"![^!]*!", text[i:])
            if f:
                i += len(f.group(0))
            continue
        # %% percent, %n line break, %t tab, %r carriage return, %0 end,
        # %. and %! literal . and !
        # ("% " is valid too, a forced space, but in prose it is a lost
        # percent sign: it is reported).
        if i + 1 < len(text) and text[i + 1] in "%n0.!tr":
            i += 2
            continue
        bad.append(text[i:i + 2])
        i += 1
    return nums, bad


def message_form(text):
    """What a schema text (CommonMark) should read as in a message
    string: FormatMessage's escapes, no Markdown marks (README, "message"
    escape).  Written apart from render.c, to check it."""
    text = text.rstrip(" \t\r\n")
    n = len(text)
    word = lambda ch: ch.isalnum() or ch == "_" or ord(ch) > 127
    blank = lambda ch: ch in " \t\r\n"

    def para_end(i):
        m = re.compile(r"\n[ \t\r]*(\n|$)").search(text, i)
        return m.start() if m else n

    def closing(i, mark):
        end = para_end(i)
        k0 = i + len(mark)
        if k0 >= end or blank(text[k0]) or (mark == "__" and i > 0 and word(text[i - 1])):
            return None
        k = k0 + 1
        while k + len(mark) <= end:
            if text[k] == "\\" and mark != "`":
                k += 2
                continue
            if (text.startswith(mark, k) and not blank(text[k - 1]) and
                    (mark != "__" or k + 2 >= n or not word(text[k + 2])) and
                    (mark != "`" or k + 1 >= n or text[k + 1] != "`")):
                return k
            k += 1
        return None

    out, i, closes, code_end, skip_to, link_close = [], 0, [], -1, 0, None
    esc = lambda ch: "%%" if ch == "%" else ch
    while i < n:
        ch = text[i]
        if i < skip_to:
            i += 1
            continue
        if closes and i == closes[-1]:
            i += 1 if ch == "`" else 2
            closes.pop()
            continue
        if i < code_end:
            out.append(esc(ch))
            i += 1
            continue
        if i == link_close:
            m = re.compile(r"\(([^()\n]|\([^()\n]*\))*\)").match(text, i + 1)
            skip_to = m.end()
            link_close = None
            continue
        if ch == "%":
            out.append("%%")
        elif ch == "\n":
            if para_end(i) == i:
                while i + 1 < n and blank(text[i + 1]):
                    i += 1
                out.append("%n")
            else:
                out.append(" ")
        elif ch == "\t":
            out.append("%t")
        elif ch == "\r":
            pass
        elif ch in "`*_":
            mark = "`" if ch == "`" else ch * 2
            k = None
            if (ch == "`" or text.startswith(mark, i)) and len(closes) < 16:
                k = closing(i, mark)
            if k is not None and (not closes or k < closes[-1]):
                if ch == "`":
                    code_end = k
                closes.append(k)
                i += len(mark) - 1
            else:
                out.append(ch)
        elif ch == "\\":
            nxt = text[i + 1] if i + 1 < n else ""
            if nxt and nxt in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
                out.append(esc(nxt))
                i += 1
            else:
                out.append("\\")
        elif ch == "[":
            m = re.compile(r"\[((?:\\.|[^\]\\\n])*)\]\(([^()\n]|\([^()\n]*\))*\)").match(text, i)
            if m:
                link_close = i + 1 + len(m.group(1))
            else:
                out.append("[")
        elif ch == "<":
            c = re.compile(r"<!--.*?-->", re.S).match(text, i)
            a = re.compile(r"<([^<>\s]*[:@][^<>\s]*)>").match(text, i)
            t = re.compile(r"</?[A-Za-z][^>\n]*>").match(text, i)
            if c:
                i = c.end()
                continue
            if a:
                out.append("".join(esc(x) for x in a.group(1)))
                i = a.end()
                continue
            if t:
                i = t.end()
                continue
            out.append("<")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def check(path, ctx):
    c = Checker(path)
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        c.error(None, "not UTF-8: %s" % e)
        return c.errors
    if raw.startswith(b"\xef\xbb\xbf"):
        c.error(None, "starts with a byte order mark")
    if not text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n'):
        c.error(None, 'does not start with <?xml version="1.0" encoding="UTF-8"?>')
    if not text.endswith("\n"):
        c.error(None, "does not end with a newline")
    for n, line in enumerate(text.split("\n"), 1):
        if line != line.rstrip() or "\t" in line or "\r" in line:
            print("%s:%d: error: trailing white space, tab or CR" % (path, n), file=sys.stderr)
            c.errors += 1
    try:
        root, prefixes = parse(path, raw)
    except xml.parsers.expat.ExpatError as e:
        c.error(None, "not well-formed XML: %s" % e)
        return c.errors
    if root.tag != q("instrumentationManifest"):
        c.error(root, "the root is %r, not instrumentationManifest in %s" % (root.tag, NS))
        return c.errors
    if prefixes.get("win") != WIN or prefixes.get("xs") != XS:
        c.error(root, "the win: and xs: prefixes must be declared as %s and %s" % (WIN, XS))

    providers = [p for i in root.find(q("instrumentation"))
                 for e in i.find(q("events")) for p in e.find(q("provider"))]
    if len(providers) != 1:
        c.error(root, "expected one provider, found %d" % len(providers))
        return c.errors
    prov = providers[0]

    refs = []  # (node, attribute, string id)
    symbols = {}

    def ref(node, attr, required=False):
        v = node.attrib.get(attr)
        if v is None:
            if required:
                c.error(node, "<%s> has no %s" % (node.tag.split()[-1], attr))
            return
        m = STRING_REF.match(v)
        if not m:
            c.error(node, "%s=%r is not a $(string.ID) reference" % (attr, v))
            return
        refs.append((node, attr, m.group(1)))

    def symbol(node):
        s = node.attrib.get("symbol")
        if s is None:
            return
        if not SYMBOL.match(s):
            c.error(node, "symbol %r is not a C identifier" % s)
        if s in symbols:
            c.error(node, "symbol %r is used twice (first on line %d)" % (s, symbols[s].line))
        else:
            symbols[s] = node

    def section(parent, name, child):
        return [n for s in parent.find(q(name)) for n in s.find(q(child))]

    if not re.match(r"\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}\Z",
                    prov.attrib.get("guid", "")):
        c.error(prov, "provider guid %r is not {xxxxxxxx-xxxx-...}" % prov.attrib.get("guid"))
    symbol(prov)
    ref(prov, "message")

    tasks, opcodes, maps, templates = {}, {}, {}, {}
    values = {}
    for t in section(prov, "tasks", "task"):
        name = t.attrib.get("name")
        if name in tasks:
            c.error(t, "task %r is defined twice" % name)
        tasks[name] = t
        v = int(t.attrib.get("value", "0"), 0)
        if not 1 <= v <= 65535:
            c.error(t, "task %r has value %d, outside 1..65535" % (name, v))
        if ("task", v) in values:
            c.error(t, "task value %d is used twice" % v)
        values[("task", v)] = t
        symbol(t)
        ref(t, "message")
    for o in section(prov, "opcodes", "opcode"):
        name = o.attrib.get("name")
        if name in opcodes:
            c.error(o, "opcode %r is defined twice" % name)
        opcodes[name] = o
        v = int(o.attrib.get("value", "0"), 0)
        if not 10 <= v <= 239:
            c.error(o, "opcode %r has value %d; custom opcodes must be 10..239" % (name, v))
        if ("opcode", v) in values:
            c.error(o, "opcode value %d is used twice" % v)
        values[("opcode", v)] = o
        symbol(o)
        ref(o, "message")
    for m in section(prov, "maps", "valueMap") + section(prov, "maps", "bitMap"):
        name = m.attrib.get("name")
        if name in maps:
            c.error(m, "map %r is defined twice" % name)
        maps[name] = m
        symbol(m)
        seen = set()
        for e in m.find(q("map")):
            v = int(e.attrib.get("value", "0"), 0)
            if v in seen:
                c.error(e, "map %r has value %d twice" % (name, v))
            seen.add(v)
            symbol(e)
            ref(e, "message", required=True)
    for t in section(prov, "templates", "template"):
        tid = t.attrib.get("tid")
        if tid in templates:
            c.error(t, "template %r is defined twice" % tid)
        templates[tid] = t
        names = {}
        for d in t.children:
            if d.tag != q("data"):
                c.error(d, "template %r holds <%s>; evgen emits only <data>" % (tid, d.tag.split()[-1]))
                continue
            dn, it, ot = d.attrib.get("name"), d.attrib.get("inType"), d.attrib.get("outType")
            if dn in names:
                c.error(d, "template %r has two data items named %r" % (tid, dn))
            if it not in IN_TYPES:
                c.error(d, "%s: unknown inType %r" % (dn, it))
            elif ot is not None and ot not in IN_TYPES[it]:
                c.error(d, "%s: outType %r does not go with inType %r" % (dn, ot, it))
            if "map" in d.attrib:
                if d.attrib["map"] not in maps:
                    c.error(d, "%s: map %r is not defined" % (dn, d.attrib["map"]))
                if it not in MAP_IN_TYPES:
                    c.error(d, "%s: a map needs an inType of %s, not %r"
                            % (dn, "/".join(sorted(MAP_IN_TYPES)), it))
            length = d.attrib.get("length")
            if it == "win:Binary" and length is None:
                c.error(d, "%s: win:Binary needs length=" % dn)
            if length is not None:
                if it not in ("win:Binary", "win:UnicodeString", "win:AnsiString"):
                    c.error(d, "%s: length= applies to Binary and strings, not %r" % (dn, it))
                if re.match(r"[0-9]+\Z", length):
                    if int(length) == 0 or int(length) > 65535:
                        c.error(d, "%s: length %s is not 1..65535" % (dn, length))
                elif length not in names:
                    c.error(d, "%s: length names %r, which is not an earlier data item"
                            % (dn, length))
                elif names[length].attrib.get("inType") not in INTEGER_IN_TYPES:
                    c.error(d, "%s: length field %r is not an unsigned integer" % (dn, length))
            names[dn] = d

    events = section(prov, "events", "event")
    pairs = {}
    used_templates = set()
    for e in events:
        a = e.attrib
        key = (int(a.get("value", "-1"), 0), int(a.get("version", "0"), 0))
        if key in pairs:
            c.error(e, "event value %d version %d is defined twice (first on line %d)"
                    % (key[0], key[1], pairs[key].line))
        pairs[key] = e
        symbol(e)
        if "template" in a:
            if a["template"] not in templates:
                c.error(e, "event %s: template %r is not defined" % (a.get("symbol"), a["template"]))
            used_templates.add(a["template"])
        if "task" in a and a["task"] not in tasks:
            c.error(e, "event %s: task %r is not defined" % (a.get("symbol"), a["task"]))
        if "opcode" in a and a["opcode"] not in opcodes and a["opcode"] not in WIN_OPCODES:
            c.error(e, "event %s: opcode %r is not defined" % (a.get("symbol"), a["opcode"]))
        if "level" in a and a["level"] not in LEVELS:
            c.error(e, "event %s: level %r is not a winmeta level" % (a.get("symbol"), a["level"]))
        ref(e, "message")
    for tid, t in templates.items():
        if tid not in used_templates:
            c.error(t, "template %r is not used by any event" % tid)

    # Localization: one stringTable per culture, all with the same ids.
    cultures = {}
    order = []
    for loc in root.find(q("localization")):
        for r in loc.find(q("resources")):
            cul = r.attrib.get("culture")
            if cul in cultures:
                c.error(r, "culture %s has two <resources>" % cul)
                continue
            table = {}
            for st in r.find(q("stringTable")):
                for s in st.find(q("string")):
                    sid = s.attrib.get("id")
                    if sid in table:
                        c.error(s, "%s: string %r is defined twice" % (cul, sid))
                    table[sid] = s
            cultures[cul] = (r, table)
            order.append(cul)
    if not cultures:
        c.error(root, "no <localization><resources> culture")
        return c.errors
    all_ids = set()
    for cul in order:
        all_ids |= set(cultures[cul][1])
    referenced = {sid for _, _, sid in refs}
    for cul in order:
        r, table = cultures[cul]
        for sid in sorted(all_ids - set(table)):
            has = [o for o in order if sid in cultures[o][1]]
            c.error(r, "culture %s lacks string %r, which %s defines" % (cul, sid, has[0]))
        for node, attr, sid in refs:
            if sid not in table and sid not in all_ids:
                c.error(node, "%s=\"$(string.%s)\": culture %s defines no such string"
                        % (attr, sid, cul))
        for sid in sorted(set(table) - referenced):
            c.error(table[sid], "culture %s: string %r is never referenced" % (cul, sid))

    # Insertions: an event message may insert %1..%n, n = its template's
    # data count, in every culture; other strings insert nothing.
    for node, attr, sid in refs:
        if node.tag == q("event"):
            t = templates.get(node.attrib.get("template"))
            limit = len(t.children) if t is not None else 0
            what = "event %s" % node.attrib.get("symbol")
        else:
            limit = 0
            what = "<%s %s>" % (node.tag.split()[-1], node.attrib.get("name", node.attrib.get("value", "")))
        for cul in order:
            s = cultures[cul][1].get(sid)
            if s is None:
                continue
            nums, bad = insertions(s.attrib.get("value", ""))
            for n in nums:
                if n > limit:
                    c.error(s, "%s: %r inserts %%%d, but %s has %d data item%s"
                            % (cul, sid, n, what, limit, "" if limit == 1 else "s"))
            for b in bad:
                c.error(s, "%s: %r holds %r, which FormatMessage does not print as "
                        "written (write %%%% for a percent sign)" % (cul, sid, b))
            # Schema texts are CommonMark, but Windows shows these as is.
            md = re.search(r"\*\*|__|\]\(|`|<[a-zA-Z/]", s.attrib.get("value", ""))
            if md:
                c.error(s, "%s: %r holds Markdown or HTML (%r), which Windows would "
                        "show as is" % (cul, sid, md.group(0)))

    if ctx is not None:
        check_context(c, ctx, prov, tasks, opcodes, maps, templates, events, cultures, order)

    if c.errors == 0:
        print("%s: ok: %d events, %d templates, %d maps, %d strings x %d cultures (%s)"
              % (path, len(events), len(templates), len(maps), len(all_ids),
                 len(order), ", ".join(order)))
    return c.errors


def texts(tree):
    """Every translatable text of a locale's data tree: {string id: text}."""
    out = {}

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k == "locales":
                    continue  # the other locales' trees
                if k.endswith("_id") and isinstance(x, str) and x:
                    base = k[:-3]
                    if isinstance(v.get(base), str):
                        if out.get(x, v[base]) != v[base]:
                            raise ValueError("string id %r has two texts" % x)
                        out[x] = v[base]
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(tree)
    return out


def check_context(c, ctx, prov, tasks, opcodes, maps, templates, events, cultures, order):
    p = ctx["provider"]
    for attr, want in (("name", p["name"]), ("symbol", p["symbol"]),
                       ("guid", "{%s}" % p["guid"])):
        if prov.attrib.get(attr, "").lower() != want.lower():
            c.error(prov, "provider %s is %r; the schema says %r" % (attr, prov.attrib.get(attr), want))
    for key, have in (("tasks", tasks), ("opcodes", opcodes)):
        want = {t["name"]: t for t in ctx.get(key, [])}
        if set(want) != set(have):
            c.error(prov, "%s are %s; the schema has %s" % (key, sorted(have), sorted(want)))
        for name, t in want.items():
            if name in have and int(have[name].attrib["value"], 0) != t["value"]:
                c.error(have[name], "%s %r has value %s; the schema says %d"
                        % (key[:-1], name, have[name].attrib["value"], t["value"]))
    for e in ctx.get("enums", []):
        m = maps.get(e["name"])
        if m is None:
            c.error(prov, "enum %s has no valueMap" % e["name"])
            continue
        got = [int(x.attrib["value"], 0) for x in m.find(q("map"))]
        want = [v["value"] for v in e["values"]]
        if got != want:
            c.error(m, "valueMap %s has values %s; the schema has %s" % (e["name"], got, want))

    by_key = {}
    for ev in events:
        by_key[(int(ev.attrib["value"], 0), int(ev.attrib.get("version", "0"), 0))] = ev
    nlayouts = 0
    for e in ctx["events"]:
        for lay in e["layouts"]:
            nlayouts += 1
            ev = by_key.get((e["id"], lay["version"]))
            if ev is None:
                c.error(prov, "event %s version %d (value %d) is missing"
                        % (e["name"], lay["version"], e["id"]))
                continue
            a = ev.attrib
            want_level = SCHEMA_LEVELS.get(e["level"]["name"])
            if a.get("level") != want_level:
                c.error(ev, "event %s: level %r; the schema says %s (%s)"
                        % (e["name"], a.get("level"), e["level"]["name"], want_level))
            for key in ("task", "opcode"):
                want = e[key]["name"] if e.get("has_" + key) else None
                if a.get(key) != want:
                    c.error(ev, "event %s: %s %r; the schema says %r" % (e["name"], key, a.get(key), want))
            fields = lay["fields"]
            if not fields:
                if "template" in a:
                    c.error(ev, "event %s v%d has no fields but names a template"
                            % (e["name"], lay["version"]))
                continue
            t = templates.get(a.get("template"))
            if t is None:
                c.error(ev, "event %s v%d has fields but no template" % (e["name"], lay["version"]))
                continue
            data = t.find(q("data"))
            if [d.attrib.get("name") for d in data] != [f["name"] for f in fields]:
                c.error(t, "template %s has data %s; the v%d payload is %s"
                        % (a.get("template"), [d.attrib.get("name") for d in data],
                           lay["version"], [f["name"] for f in fields]))
                continue
            for d, f in zip(data, fields):
                it, ot = SCHEMA_TYPES.get(f["type"], (None, None))
                if it is None:
                    c.error(d, "%s: schema type %r is unknown to this checker" % (f["name"], f["type"]))
                    continue
                if d.attrib.get("inType") != it or d.attrib.get("outType") != ot:
                    c.error(d, "%s (%s): inType=%r outType=%r; it must be inType=%r outType=%r"
                            % (f["name"], f["type"], d.attrib.get("inType"),
                               d.attrib.get("outType"), it, ot))
                want_map = f["enum"]["name"] if f.get("enum") else None
                if d.attrib.get("map") != want_map:
                    c.error(d, "%s: map=%r; the schema's enum is %r" % (f["name"], d.attrib.get("map"), want_map))
                want_len = (f["length_field"] if f.get("has_length_field") else
                            str(f["length_const"]) if f.get("has_length_const") else None)
                if d.attrib.get("length") != want_len:
                    c.error(d, "%s: length=%r; the schema says %r" % (f["name"], d.attrib.get("length"), want_len))
    if nlayouts != len(events):
        c.error(prov, "%d <event>s for %d event layouts in the schema" % (len(events), nlayouts))

    want_cultures = [l["name"] for l in ctx["locales"]]
    if order != want_cultures:
        c.error(prov, "cultures are %s; the schema's locales are %s" % (order, want_cultures))
    for l in ctx["locales"]:
        if l["name"] not in cultures:
            continue
        r, table = cultures[l["name"]]
        want = texts(l["tr"])
        for sid, s in table.items():
            value = s.attrib.get("value")
            if sid in want:
                if value != (want[sid] if sid.endswith(".message") else message_form(want[sid])):
                    c.error(s, "%s: %r is %r; the locale's text is %r" % (l["name"], sid, value, want[sid]))
            elif sid.startswith("names.") and value == sid[len("names."):]:
                pass  # an enum value without a description: its name
            else:
                c.error(s, "%s: string %r is not a text of the schema" % (l["name"], sid))


USAGE = "usage: check_manifest.py MANIFEST [--context CONTEXT.json [--tr CULTURE=TREE.json]...]"


def main(argv):
    args = argv[1:]
    ctx, trees, rest = None, {}, []
    try:
        while args:
            a = args.pop(0)
            if a == "--context":
                with open(args.pop(0), encoding="utf-8") as f:
                    ctx = json.load(f)
            elif a == "--tr":
                culture, _, path = args.pop(0).partition("=")
                with open(path, encoding="utf-8") as f:
                    trees[culture] = json.load(f)
            else:
                rest.append(a)
    except IndexError:
        rest = []
    if len(rest) != 1 or (trees and ctx is None):
        print(USAGE, file=sys.stderr)
        return 2
    if ctx is not None:
        # `evgen context` elides locales[].tr (each is a whole tree);
        # `evgen context --locale C --json` prints the one of culture C.
        for l in ctx["locales"]:
            if l["name"] in trees:
                l["tr"] = trees[l["name"]]
            elif not isinstance(l.get("tr"), dict):
                print("check_manifest.py: no tree for locale %s: pass --tr %s=FILE"
                      % (l["name"], l["name"]), file=sys.stderr)
                return 2
    return 1 if check(rest[0], ctx) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
