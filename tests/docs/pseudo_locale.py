#!/usr/bin/env python3
"""Make a pseudo-translation from `evgen strings SCHEMA` (read on stdin):
every line of every text wrapped in ⟦ ⟧, so that a page rendered in that
locale shares no line of prose with the English one unless a template
wrote the prose itself.  File names, URLs, asset ids and dates are kept:
they are data, not text.

    evgen strings SCHEMA | pseudo_locale.py CULTURE > locales/CULTURE.yaml
"""
import sys

import yaml

KEEP = ("docs.header", "docs.api_location", "docs.overview.file")
KEEP_SUFFIX = (".url", ".assetid", ".date")

culture = sys.argv[1]
sk = yaml.safe_load(sys.stdin)
out = {"locale": culture, "strings": {}}
for sid, e in sk["strings"].items():
    text = e["text"]
    if sid not in KEEP and not sid.endswith(KEEP_SUFFIX):
        text = "\n".join("⟦%s⟧" % l if l else l for l in text.split("\n"))
    out["strings"][sid] = {"hash": e["hash"], "text": text}
yaml.safe_dump(out, sys.stdout, allow_unicode=True, sort_keys=False,
               width=1000)
