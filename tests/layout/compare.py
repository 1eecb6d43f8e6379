#!/usr/bin/env python3
"""Compare the encoder's field placement (probe output on stdin) with the
payload layout tables of generated docs pages (arguments).  Each page's
first layout table is the current version's when there is one layout."""
import re
import sys

def cells(line):
    parts = re.split(r'(?<!\\)\|', line.strip())[1:-1]
    return [re.sub(r'\\(.)', r'\1', p.strip()) for p in parts]

def tables(path):
    """Rows {field: (off32, size32, off64, size64)} of each payload layout
    table (the tables whose numeric columns are right-aligned), in order."""
    lines = open(path, encoding='utf-8').read().split('\n')
    out = []
    for i, line in enumerate(lines):
        if not (line.startswith('|---') and '---:' in line):
            continue
        rows = {}
        for row in lines[i + 1:]:
            if not row.startswith('|'):
                break
            c = cells(row)
            if len(c) == 6 and c[2].isdigit():
                rows[c[0]] = tuple(int(x) for x in (c[2], c[3], c[4], c[5]))
        out.append(rows)
    return out

probe = {}
for line in sys.stdin:
    ev, field, p, off, size = line.split()
    probe.setdefault(ev, {}).setdefault(field, {})[int(p)] = (int(off), int(size))
bad = 0
checked = 0
for path in sys.argv[1:]:
    slug = path.rsplit('/', 1)[-1][:-3]
    ev = slug.upper().replace('-', '_')
    if ev not in probe:
        continue
    t = tables(path)
    if not t:
        print(f'{path}: no payload layout table'); bad += 1; continue
    rows = t[-1]
    for field, where in probe[ev].items():
        doc = rows.get(field)
        want = (where[4][0], where[4][1], where[8][0], where[8][1])
        checked += 1
        if doc != want:
            print(f'{path}: {field}: docs say {doc}, the encoder writes {want}')
            bad += 1
print(f'{checked} fields checked, {bad} mismatches')
sys.exit(1 if bad or not checked else 0)
