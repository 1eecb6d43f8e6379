#!/usr/bin/env python3
"""Every translation keeps the %1..%n insertions of its English text (the
manifest's event messages put field values there; `evgen check` guards
identifiers, not these).

    evgen strings SCHEMA | check_insertions.py LOCALE_FILE...
"""
import re
import sys

import yaml

english = yaml.safe_load(sys.stdin)["strings"]
bad = 0
for path in sys.argv[1:]:
    tr = yaml.safe_load(open(path, encoding="utf-8"))["strings"]
    for sid, e in english.items():
        want = sorted(re.findall(r"%\d+", e["text"]))
        got = sorted(re.findall(r"%\d+", tr.get(sid, {}).get("text", "")))
        if want != got:
            print("%s: %s has insertions %s, the English %s"
                  % (path, sid, got, want))
            bad += 1
sys.exit(1 if bad else 0)
