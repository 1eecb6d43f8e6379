#!/usr/bin/env bash
# The reference docs and their translations.
#
#   - the locale files of schema/heap.yaml are complete, current, and
#     `evgen check` says nothing about them;
#   - the shipped pages (generated/docs) are what the generator makes now,
#     and pass tests/docs/check_pages.py: front matter, tables, links,
#     identifiers, defects of the published pages, payload layout, real
#     translations; and agree with the published pages and the facts
#     file when ../shared has them;
#   - the storage schema renders with the same templates, in English and
#     in a pseudo-locale (every text wrapped in ⟦ ⟧), and passes the same
#     checks: the templates hold no text of their own;
#   - the checker catches each defect it exists for (tests/docs/selftest.py);
#   - the locale workflow's diagnostics match tests/l10n/*/expected.*
#     (UPDATE_GOLDEN=1 rewrites them: review the diff).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
EVGEN=${EVGEN:-build/evgen}
SHARED=${SHARED:-../shared}
evgen=$(cd "$(dirname "$EVGEN")" && pwd)/$(basename "$EVGEN")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
locales=(en-US ru-RU pt-BR)

if [ ! -x "$evgen" ]; then
    fail "no generator at $EVGEN (run ninja)"
    finish
    exit
fi

# ---- The locale workflow: golden diagnostics ----------------------------
# Each tests/l10n/CASE is a schema with a locale file beside the exact
# stderr and exit status of `evgen check`, and, where there is one, the
# exact output of `evgen strings --locale` (what to translate next).
for dir in tests/l10n/*/; do
    case=$(basename "$dir")
    (cd "$dir" && "$evgen" check schema.yaml) >"$tmp/out" 2>"$tmp/err"
    echo $? >"$tmp/status"
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
        cp "$tmp/err" "$dir/expected.stderr"
        cp "$tmp/status" "$dir/expected.status"
    fi
    if diff -u "$dir/expected.stderr" "$tmp/err" >"$tmp/diff" &&
        diff -u "$dir/expected.status" "$tmp/status" >>"$tmp/diff"; then
        pass "l10n $case: evgen check diagnostics"
    else
        fail "l10n $case: evgen check diagnostics differ from the golden"
        sed 's/^/    /' "$tmp/diff"
    fi
    if [ -f "$dir/expected.strings" ]; then
        (cd "$dir" && "$evgen" strings schema.yaml --locale ru-RU) \
            >"$tmp/out" 2>/dev/null
        [ -z "${UPDATE_GOLDEN:-}" ] || cp "$tmp/out" "$dir/expected.strings"
        if diff -u "$dir/expected.strings" "$tmp/out" >"$tmp/diff"; then
            pass "l10n $case: evgen strings --locale lists what to translate"
        else
            fail "l10n $case: evgen strings --locale differs from the golden"
            sed 's/^/    /' "$tmp/diff"
        fi
    fi
done

# A stale translation was made from other English, which it may
# contradict: the English shows in its place until it is updated.
# (The schema has no docs: only its manifest is made.)
mkdir -p "$tmp/tpl" && cp -r templates/manifest "$tmp/tpl/" &&
    printf 'outputs:\n  - {template: manifest/manifest.mustache, path: m.man, escape: xml}\n' \
        >"$tmp/tpl/outputs.yaml"
if "$evgen" generate tests/l10n/stale/schema.yaml -o "$tmp/stale" -q \
    --templates "$tmp/tpl" 2>/dev/null; then
    man=$tmp/stale/m.man
    check "a stale translation gives way to the English" \
        bash -c 'sed -n "/culture=\"ru-RU\"/,/<\/resources>/p" "$1" |
                 grep -q "value=\"Mini trace provider\""' _ "$man"
else
    fail "evgen generate tests/l10n/stale/schema.yaml"
fi

# Free text in front matter and in table cells: quotes, backslashes and
# pipes must neither break the YAML nor add a column.
mkdir -p "$tmp/odd" && sed 's/description: Cache statistics, written periodically\./description: "A \\"cache\\" at C:\\\\x | y."/' \
    tests/schemas/storage/storage.yaml >"$tmp/odd/s.yaml"
if grep -q 'C:' "$tmp/odd/s.yaml" &&
    "$evgen" generate "$tmp/odd/s.yaml" -o "$tmp/odd/out" -q 2>/dev/null; then
    page=$(grep -l 'cache' "$tmp/odd/out"/docs/en-US/*.md | head -n 1)
    check "front matter with quotes and a backslash is YAML" python3 -c '
import sys, yaml
t = open(sys.argv[1], encoding="utf-8").read().split("---\n")[1]
assert yaml.safe_load(t)["description"] == "A \"cache\" at C:\\x | y."' "$page"
    check "a pipe in a table cell is escaped" \
        grep -rqF '| A "cache" at C:\x \| y. |' "$tmp/odd/out/docs/en-US/"
else
    fail "generate a schema with quotes, a backslash and a pipe in a description"
fi

# The syntax block is the payload, packed: compiled for 64-bit Windows,
# its sizeof is the layout table's 64-bit total.
if command -v x86_64-w64-mingw32-gcc >/dev/null; then
  for page in generated/docs/en-US/etw-heap-event-*.md; do
    python3 - "$page" >"$tmp/syntax.c" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
block = re.search(r"```C\+\+\n(.*?)```", t, re.S).group(1)
name = re.search(r"typedef struct (\w+)", block).group(1)
total = re.search(r"^\| \*\*Total\*\* \|.*\| (\d+) \|$", t, re.M).group(1)
print("#include <windows.h>\n" + block +
      "_Static_assert(sizeof(%s) == %s, \"sizeof is the payload\");" % (name, total))
PY
    check "syntax block of $(basename "$page") compiles, sizeof = the 64-bit payload" \
      x86_64-w64-mingw32-gcc -std=c11 -Wall -Werror -c "$tmp/syntax.c" -o "$tmp/syntax.o"
  done
else
  skip "syntax blocks: x86_64-w64-mingw32-gcc is not installed"
fi

# ---- The shipped translations -------------------------------------------
if "$evgen" check schema/heap.yaml >"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then
    pass "evgen check schema/heap.yaml: no error, no warning"
else
    fail "evgen check schema/heap.yaml is not silent:"
    sed 's/^/    /' "$tmp/err"
fi
for l in "${locales[@]:1}"; do
    if [ ! -f "schema/locales/$l.yaml" ]; then
        fail "schema/locales/$l.yaml is missing"
        continue
    fi
    "$evgen" strings schema/heap.yaml --locale "$l" >"$tmp/out" 2>/dev/null
    n=$(grep -c '^    hash:' "$tmp/out")
    check "$l: every string translated from the current English ($n left)" \
        [ "$n" -eq 0 ]
done

if ! python3 -c 'import yaml' 2>/dev/null; then
    skip "page checks: they need python3 with PyYAML (apt install python3-yaml)"
    finish
    exit
fi

if "$evgen" strings schema/heap.yaml |
    python3 tests/docs/check_insertions.py schema/locales/*.yaml >"$tmp/out"; then
    pass "translations keep every %N insertion of the event messages"
else
    fail "translations lose or add %N insertions:"
    sed 's/^/    /' "$tmp/out"
fi

# ---- The shipped pages ----------------------------------------------------
ctx_args=()
for l in "${locales[@]}"; do
    "$evgen" context schema/heap.yaml --locale "$l" --json >"$tmp/heap-$l.json"
    ctx_args+=(--context "$l=$tmp/heap-$l.json")
done
if [ ! -d generated/docs ]; then
    fail "generated/docs is missing (run ninja)"
else
    n=$(find generated/docs -name '*.md' | wc -l)
    check "generated/docs holds 12 pages ($n)" [ "$n" -eq 12 ]
    if "$evgen" generate schema/heap.yaml -o "$tmp/heap" --quiet 2>"$tmp/err" &&
        diff -r "$tmp/heap/docs" generated/docs >"$tmp/diff"; then
        pass "generated/docs is what the generator makes now"
    else
        fail "generated/docs differs from a fresh generation (run ninja)"
        sed 's/^/    /' "$tmp/err" "$tmp/diff" | head -n 40
    fi
    extra=()
    if have_shared seeds; then
        extra+=(--seeds "$SHARED/seeds")
    else
        skip "comparison with the published pages: no $SHARED/seeds"
    fi
    if have_shared facts/etw-heap-events.md; then
        extra+=(--facts "$SHARED/facts/etw-heap-events.md")
    else
        skip "payload check against the facts file: no $SHARED/facts"
    fi
    if python3 tests/docs/check_pages.py generated/docs "${ctx_args[@]}" \
        ${extra[@]+"${extra[@]}"} >"$tmp/out"; then
        pass "generated/docs: $(tail -n 1 "$tmp/out")"
    else
        fail "generated/docs: page checks"
        sed 's/^/    /' "$tmp/out" | head -n 60
    fi
    # The checker must be able to fail: one defect at a time.
    python3 tests/docs/selftest.py generated/docs "${ctx_args[@]}" >"$tmp/out"
    while IFS= read -r line; do
        case $line in
        "ok "*) pass "checker catches: ${line#ok }" ;;
        *) fail "checker misses: ${line#not ok }" ;;
        esac
    done < <(grep -E '^(ok|not ok) ' "$tmp/out")
fi

# ---- The same templates, another schema, a pseudo-locale ----------------
st="$tmp/storage"
mkdir -p "$st/locales"
# IO_COMPLETED at version 3 (its last fields came in version 2): its last
# layout then covers versions 2 to 3, a heading of its own.
sed 's/^    version: 2$/    version: 3/' tests/schemas/storage/storage.yaml >"$st/storage.yaml"
"$evgen" strings "$st/storage.yaml" |
    python3 tests/docs/pseudo_locale.py qps-ploc >"$st/locales/qps-ploc.yaml"
if "$evgen" generate "$st/storage.yaml" -o "$st/out" --quiet 2>"$tmp/err"; then
    pass "storage schema + pseudo-locale: docs render"
    sargs=()
    for l in en-US qps-ploc; do
        "$evgen" context "$st/storage.yaml" --locale "$l" --json >"$st/$l.json"
        sargs+=(--context "$l=$st/$l.json")
    done
    if python3 tests/docs/check_pages.py "$st/out/docs" "${sargs[@]}" >"$tmp/out"; then
        pass "storage docs: $(tail -n 1 "$tmp/out")"
    else
        fail "storage docs: page checks"
        sed 's/^/    /' "$tmp/out" | head -n 60
    fi
    n=$(grep -c '^### ' "$st/out/docs/en-US/io-completed.md")
    check "storage IO_COMPLETED: one layout table per layout ($n of 3)" [ "$n" -eq 3 ]
    check "storage IO_COMPLETED: a layout of several versions says so" \
        grep -qx '### Versions 2 to 3' "$st/out/docs/en-US/io-completed.md"
else
    fail "storage schema + pseudo-locale: generate failed"
    sed 's/^/    /' "$tmp/err"
fi

# ---- SHA-256 (ms.openlocfilehash, the locale entries' English hashes) ----
# util.c hashes with the x86 SHA extensions where the processor has them,
# else with portable code: both must give the standard's hashes.
BUILD=${BUILD:-build}
if [ -x "$BUILD/sha_test" ]; then
    run_prog sha256 "$BUILD/sha_test"
    EVGEN_NO_SHA_NI=1 run_prog sha256-portable "$BUILD/sha_test"
    "$BUILD/sha_test" --list 300 >"$tmp/sha"
    EVGEN_NO_SHA_NI=1 "$BUILD/sha_test" --list 300 >"$tmp/sha-portable"
    check sha256-both-ways-equal cmp -s "$tmp/sha" "$tmp/sha-portable"
    check sha256-equals-hashlib python3 -c '
import hashlib, sys
lines = open(sys.argv[1]).read().split()
sys.exit(len(lines) != 301 or any(
    hashlib.sha256(bytes((i * 7 + n) & 255 for i in range(n))).hexdigest() != h
    for n, h in enumerate(lines)))' "$tmp/sha"
else
    fail "no $BUILD/sha_test (run ninja test-deps)"
fi

# ---- The templates are generic --------------------------------------------
if grep -n -i -E 'heap|ETW_|MEMORY_FROM|ntwmi|ntetw|alloc' templates/docs/*.mustache >"$tmp/out"; then
    fail "templates/docs name the heap events:"
    sed 's/^/    /' "$tmp/out"
else
    pass "templates/docs hold nothing specific to the heap schema"
fi

finish
