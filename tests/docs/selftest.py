#!/usr/bin/env python3
"""Prove check_pages.py can fail: put each defect of the published pages
(and each kind of breakage the checker exists for) into a copy of the
heap docs, one at a time, and expect the checker to report it.

    selftest.py DOCS --context LOCALE=FILE.json ...

Prints "ok NAME" or "not ok NAME: why" per mutation; exits 1 if any
mutation went unnoticed.
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# name, page (locale/file), text to replace, replacement, what the
# checker must say.
MUTATIONS = [
    ("truncated slow path", "en-US/etw-heap-event-free.md",
     "Memory from the slow code path.", "Memory from slow c.",
     "truncated text 'slow c.'"),
    ("no-parameters sentence after parameters",
     "en-US/etw-heap-event-realloc.md",
     "</dd> </dl>\n", "</dd> </dl>\n\nThis event has no parameters.\n",
     "but the event has 6 parameters"),
    ("translated parameter name", "pt-BR/etw-heap-event-alloc.md",
     "*Size*\n", "*Tamanho*\n", "parameters listed are"),
    ("transliterated identifier", "ru-RU/etw-heap-event-free.md",
     "[**AllocateHeap**]", "[**аллокатехеап**]",
     "mangled identifier 'аллокатехеап'"),
    ("identifier split around \\_", "pt-BR/etw-heap-event-alloc.md",
     "<dt>**MEMORY\\_FROM\\_LOWFRAG**</dt>",
     "<dt>**MEMORY \\_ FROM \\_ LOWFRAG**</dt>",
     "an identifier split around"),
    ("anchor with trailing underscores", "en-US/etw-heap-event-free.md",
     '<span id="MEMORY_FROM_SLOWPATH">',
     '<span id="MEMORY_FROM_SLOWPATH____________________">',
     "ends with '_'"),
    ("garbled requirements row", "ru-RU/etw-heap-event-free.md",
     "Windows 7 \\[только классические приложения\\]",
     "только Windows 7 \\[ настольных приложений\\]",
     "Requirements rows are"),
    ("table row with a missing cell", "en-US/etw-heap-event-alloc.md",
     "| HeapHandle | PVOID | 0 | 4 | 0 | 8 |",
     "| HeapHandle | PVOID | 0 | 4 | 0 |", "table row has 5 cells"),
    ("wrong payload offset", "ru-RU/etw-heap-event-realloc.md",
     "| Source | ULONG | 20 | 4 | 40 | 4 |",
     "| Source | ULONG | 20 | 4 | 36 | 4 |", "layout row"),
    ("broken relative link", "pt-BR/etw-heap-event-free.md",
     "(memory-management-tracing-events.md)",
     "(memory-management-tracing-event.md)", "not a generated page"),
    ("link to a missing anchor", "en-US/memory-management-tracing-events.md",
     "(etw-heap-event-free.md)", "(etw-heap-event-free.md#no-such-anchor)",
     "no anchor 'no-such-anchor'"),
    ("front matter that is not YAML", "ru-RU/etw-heap-event-alloc.md",
     'title: "', 'title: "x" "', "front matter is not valid YAML"),
    ("wrong ms.openlocfilehash", "pt-BR/memory-management-tracing-events.md",
     "ms.openlocfilehash: ", "ms.openlocfilehash: 0",
     "ms.openlocfilehash is"),
    ("English prose left in a translation", "ru-RU/etw-heap-event-free.md",
     '## <a name="remarks"></a>Комментарии', '## <a name="remarks"></a>Remarks',
     "identical to the English page"),
    ("translated event name in the title heading",
     "pt-BR/etw-heap-event-realloc.md",
     "</a>Evento ETW\\_HEAP\\_EVENT\\_REALLOC",
     "</a>Evento ETW \\_ HEAP \\_ EVENT \\_ REALLOC",
     "does not hold the event name"),
]


def main():
    docs, rest = sys.argv[1], sys.argv[2:]
    bad = 0
    for name, page, old, new, want in MUTATIONS:
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "docs")
            shutil.copytree(docs, copy)
            path = os.path.join(copy, page)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            if old not in text:
                print("not ok %s: %r is not in %s (update the mutation)"
                      % (name, old, page))
                bad += 1
                continue
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace(old, new, 1))
            r = subprocess.run([sys.executable,
                                os.path.join(HERE, "check_pages.py"), copy]
                               + rest, capture_output=True, text=True)
            if r.returncode == 1 and want in r.stdout:
                print("ok %s" % name)
            else:
                print("not ok %s: exit %d, expected a report containing %r;"
                      " got:\n%s" % (name, r.returncode, want,
                                     r.stdout + r.stderr))
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
