# `evgen generate`: golden output folders, reproducibility, write-only-
# what-changed, all-or-nothing failure, depfiles, path safety, and the
# ninja edge (no-op rebuilds, touching one input).
# UPDATE=1 rewrites tests/golden/storage from the tool.
. tests/lib.sh
root=$PWD
evgen=$(realpath "$EVGEN")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mtimes() { (cd "$1" && find . -type f -printf '%p %T@\n' | sort); }

# --- Golden folders -------------------------------------------------------
"$evgen" generate schema/heap.yaml -o "$tmp/heap" --quiet
check shipped-generated-is-current diff -r "$tmp/heap" generated
if [ -n "${UPDATE:-}" ]; then
  rm -rf tests/golden/storage
  "$evgen" generate tests/schemas/storage/storage.yaml -o tests/golden/storage --quiet
fi
# The committed generated/ must be what the committed schema and templates
# produce (ninja regenerated it before the tests ran: any difference from
# git now means the commit was stale).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if [ -z "$(git status --porcelain -- schema templates generator)" ]; then
    check committed-generated-is-current [ -z "$(git status --porcelain -- generated)" ]
  else
    skip "committed-generated-is-current: schema/, templates/ or generator/ has uncommitted changes"
  fi
else
  skip "committed-generated-is-current: not a git checkout"
fi
"$evgen" generate tests/schemas/storage/storage.yaml -o "$tmp/storage" --quiet
check storage-golden diff -r "$tmp/storage" tests/golden/storage

# build.ninja names every output as an implicit output of the generation
# edge, so other edges can depend on them: the list must be current.
listed=$(awk '/^build generated\/.evgen-outputs \|/,/: evgen_generate/' build.ninja |
  grep -oE 'generated/[^ :$]+' | grep -v '^generated/.evgen-outputs$' | sed 's|^generated/||' | sort)
check build-ninja-lists-every-output [ "$listed" == "$(sort generated/.evgen-outputs)" ]

# --- Reproducible from any directory, with absolute or relative paths ----
mkdir -p "$tmp/elsewhere"
(cd "$tmp/elsewhere" && "$evgen" generate "$root/schema/heap.yaml" \
   --templates "$root/templates" -o out --quiet)
check same-bytes-from-other-cwd diff -r "$tmp/elsewhere/out" generated
check no-absolute-paths-in-outputs bash -c "! grep -rqF '$root' '$tmp/elsewhere/out' && ! grep -rqF '$tmp' '$tmp/elsewhere/out'"

# --- Unchanged outputs keep their mtime ----------------------------------
before=$(mtimes "$tmp/heap"); sleep 0.05
"$evgen" generate schema/heap.yaml -o "$tmp/heap" --quiet
check unchanged-outputs-keep-mtime [ "$before" == "$(mtimes "$tmp/heap")" ]
msg=$("$evgen" generate schema/heap.yaml -o "$tmp/heap" 2>&1)
check reports-nothing-written bash -c "grep -q ' 0 written' <<<'$msg'"

# --- A failed run changes nothing -----------------------------------------
cp -r templates "$tmp/tpl"
first=$(awk '/^ *- template:/ {print $3; exit}' "$tmp/tpl/outputs.yaml")
if [ -n "$first" ]; then
  printf '{{#events}}never closed\n' >>"$tmp/tpl/$first"
  before=$(mtimes "$tmp/heap"); sum=$(cd "$tmp/heap" && find . -type f | sort | xargs sha256sum)
  "$evgen" generate schema/heap.yaml -o "$tmp/heap" --templates "$tmp/tpl" --quiet 2>"$tmp/err"
  check broken-template-exits-1 [ $? -eq 1 ]
  check broken-template-names-place grep -q "^$tmp/tpl/$first:[0-9]*:[0-9]*: error: " "$tmp/err"
  check broken-template-leaves-outputs [ "$before" == "$(mtimes "$tmp/heap")" ]
  check broken-template-leaves-bytes [ "$sum" == "$(cd "$tmp/heap" && find . -type f | sort | xargs sha256sum)" ]
  check no-temp-files-left bash -c "! find '$tmp/heap' -name '*.tmp-evgen-*' | grep -q ."
  cp templates/"$first" "$tmp/tpl/$first"
else
  skip "broken-template tests: no outputs declared yet"
fi
sed 's/^name: heap_events/name: heap-events/' schema/heap.yaml >"$tmp/bad.yaml"
before=$(mtimes "$tmp/heap")
"$evgen" generate "$tmp/bad.yaml" -o "$tmp/heap" --quiet 2>/dev/null
check bad-schema-exits-1 [ $? -eq 1 ]
check bad-schema-leaves-outputs [ "$before" == "$(mtimes "$tmp/heap")" ]

# --- An output no longer declared is removed ------------------------------
echo 'stale' >"$tmp/heap/stale-output.txt"
echo 'stale-output.txt' >>"$tmp/heap/.evgen-outputs"
"$evgen" generate schema/heap.yaml -o "$tmp/heap" --quiet
check undeclared-output-removed [ ! -e "$tmp/heap/stale-output.txt" ]
check removal-only-what-evgen-wrote bash -c "echo mine >'$tmp/heap/mine.txt' && '$evgen' generate schema/heap.yaml -o '$tmp/heap' --quiet && [ -e '$tmp/heap/mine.txt' ]"

# --- Temporary files a killed run left behind are cleaned up ------------
dead=999999; while kill -0 $dead 2>/dev/null; do dead=$((dead - 1)); done
mkdir -p "$tmp/heap/docs/en-US"
echo partial >"$tmp/heap/docs/en-US/x.md.tmp-evgen-$dead"
echo partial >"$tmp/heap/.evgen-outputs.tmp-evgen-$dead"
echo live >"$tmp/heap/docs/en-US/y.md.tmp-evgen-$$"
"$evgen" generate schema/heap.yaml -o "$tmp/heap" --quiet
check dead-run-temps-removed bash -c "[ ! -e '$tmp/heap/docs/en-US/x.md.tmp-evgen-$dead' ] && [ ! -e '$tmp/heap/.evgen-outputs.tmp-evgen-$dead' ]"
check live-run-temps-kept [ -e "$tmp/heap/docs/en-US/y.md.tmp-evgen-$$" ]
rm -f "$tmp/heap/docs/en-US/y.md.tmp-evgen-$$"

# --- Large outputs stream: compared and written in pieces ---------------
# Outputs are rendered in 256 KiB pieces, each compared with the file on
# disk; the first difference starts a staged file from the shared prefix.
# An 850 KB output changed at its start, middle and end, made longer and
# shorter, must always end up exactly as rendered, and an unchanged one
# must keep its mtime.  Its en-US rendering's SHA-256 (source_hash, which
# a translation shows, as pages show ms.openlocfilehash) is computed over
# the pieces: it must equal sha256sum of the whole file.
big=$tmp/big; mkdir -p "$big/tpl" "$big/schema/locales"
cp schema/heap.yaml "$big/schema/"
cp schema/locales/*.yaml "$big/schema/locales/"
write_big() { # $1: text at the start, $2 in the middle, $3 at the end, $4 lines
  { printf '%s\n' "$1"
    for i in $(seq 1 "$4"); do printf 'line %06d of a large output: {{locale.name}} {{schema.name}}\n' "$i"; done
    printf '%s\n' "$2"
    for i in $(seq 1 "$4"); do printf 'more %06d ......................................................\n' "$i"; done
    printf '%s\n{{^locale.is_default}}{{source_hash}}{{/locale.is_default}}' "$3"; } >"$big/tpl/big.mustache"
  printf 'outputs:\n  - template: big.mustache\n    path: "{{locale.name}}/big.txt"\n    per: locale\n' >"$big/tpl/outputs.yaml"
}
"$evgen" context "$big/schema/heap.yaml" --json >"$big/data.json"
expect_big() { # what big.txt must hold, rendered the slow way
  "$evgen" render "$big/tpl/big.mustache" "$big/data.json" --escape none
}
ok=1
for variant in "A|M|E|8000" "a|M|E|8000" "A|m|E|8000" "A|M|e|8000" "A|M|E|9000" "A|M|E|7000" "A|M|E|1"; do
  IFS='|' read -r s_ m_ e_ n_ <<<"$variant"
  write_big "$s_" "$m_" "$e_" "$n_"
  "$evgen" generate "$big/schema/heap.yaml" -o "$big/out" --templates "$big/tpl" --quiet || ok=0
  cmp -s "$big/out/en-US/big.txt" <(expect_big) || { ok=0; echo "  big.txt wrong after variant $variant"; }
done
check large-output-rewritten-exactly [ $ok -eq 1 ]
write_big A M E 8000
"$evgen" generate "$big/schema/heap.yaml" -o "$big/out" --templates "$big/tpl" --quiet
before=$(mtimes "$big/out"); sleep 0.05
"$evgen" generate "$big/schema/heap.yaml" -o "$big/out" --templates "$big/tpl" --quiet
check large-unchanged-output-keeps-mtime [ "$before" == "$(mtimes "$big/out")" ]
check large-output-over-flush-size [ "$(stat -c %s "$big/out/en-US/big.txt")" -gt 524288 ]
l10n=$(ls "$big/schema/locales/" | head -1); l10n=${l10n%.yaml}
check source-hash-over-pieces [ "$(tail -n 1 "$big/out/$l10n/big.txt")" == "$(sha256sum <"$big/out/en-US/big.txt" | cut -d' ' -f1)" ]

# --- Many outputs, with translations --------------------------------------
# A synthetic schema of 40 events in three locales: 120 event pages, so the
# output list grows (and moves) between a page's en-US rendering and its
# translations, which record that rendering's hash.  Every translated page's
# ms.openlocfilehash must be the SHA-256 of its en-US page (under ASan, a
# stale pointer into the moved list is also caught here).
if command -v python3 >/dev/null; then
  python3 tests/scale/gen-schema 40 "$tmp/many" --evgen "$evgen" --base schema/heap.yaml
  "$evgen" generate "$tmp/many/scale_events.yaml" -o "$tmp/many/out" --quiet
  ok=1; n=0
  for page in "$tmp/many/out/docs/en-US/"scale-event-*.md; do
    want=$(sha256sum <"$page" | cut -d' ' -f1)
    for l in ru-RU pt-BR; do
      got=$(sed -n 's/^ms.openlocfilehash: //p' "$tmp/many/out/docs/$l/${page##*/}")
      [ "$got" == "$want" ] || { ok=0; echo "  $l/${page##*/}: $got, want $want"; }
      n=$((n + 1))
    done
  done
  check translated-pages-hash-their-en-us-page [ $ok -eq 1 -a $n -eq 80 ]
else
  skip "translated-pages-hash-their-en-us-page: python3 is not installed"
fi

# --- Depfile ----------------------------------------------------------------
"$evgen" generate schema/heap.yaml -o "$tmp/heap" --depfile "$tmp/dep.d" --quiet
check depfile-target head -n 1 "$tmp/dep.d" | grep -q "^$tmp/heap/.evgen-outputs:"
deps=$(sed 's/\\$//' "$tmp/dep.d" | tr ' ' '\n' | sed '/^$/d' | tail -n +2)
check depfile-has-schema grep -qx 'schema/heap.yaml' <<<"$deps"
check depfile-has-outputs-list grep -qx 'templates/outputs.yaml' <<<"$deps"
for t in $(awk '/^ *- template:/ {print $3}' templates/outputs.yaml); do
  check "depfile-has-$t" grep -qx "templates/$t" <<<"$deps"
done
for l in schema/locales/*.yaml; do
  [ -e "$l" ] && check "depfile-has-$l" grep -qx "$l" <<<"$deps"
done
for p in $(grep -rhoE '\{\{[<>] *[A-Za-z0-9_/.-]+' templates | sed -E 's/\{\{[<>] *//' | sort -u); do
  check "depfile-has-partial-$p" grep -qx "templates/$p.mustache" <<<"$deps"
done
check depfile-only-real-files bash -c 'for d in $0; do [ -e "$d" ] || exit 1; done' "$deps"

# --- Path safety -------------------------------------------------------------
mkdir -p "$tmp/esc"; cp -r templates "$tmp/esc/tpl"
printf 'x\n' >"$tmp/esc/tpl/x.mustache"
for p in '../evil.txt' '/tmp/evil.txt' 'a/../../evil.txt' 'a//b.txt' '.hidden' 'a\\b.txt' '{{provider.name}}/x.txt'; do
  cat >"$tmp/esc/tpl/outputs.yaml" <<YAML
outputs:
  - template: x.mustache
    path: "$p"
YAML
  sed 's/^  name: Heap Trace Provider/  name: "..\/..\/escape"/' schema/heap.yaml >"$tmp/esc/s.yaml"
  "$evgen" generate "$tmp/esc/s.yaml" -o "$tmp/esc/out" --templates "$tmp/esc/tpl" --quiet 2>"$tmp/esc/err"
  rc=$?
  check "path-refused:$p" bash -c "[ $rc -eq 1 ] && grep -q 'error: output path' '$tmp/esc/err' && [ ! -e '$tmp/esc/evil.txt' ] && [ ! -e /tmp/evil.txt ] && [ ! -e '$tmp/escape' ]"
done
printf '{{>../../etc/passwd}}\n' >"$tmp/esc/tpl/x.mustache"
printf 'outputs:\n  - {template: x.mustache, path: x.txt}\n' >"$tmp/esc/tpl/outputs.yaml"
"$evgen" generate schema/heap.yaml -o "$tmp/esc/out" --templates "$tmp/esc/tpl" --quiet 2>"$tmp/esc/err"
check partial-outside-templates-refused bash -c "[ $? -eq 1 ] && grep -q 'not a path inside the templates folder' '$tmp/esc/err'"
printf 'outputs:\n  - {template: ../outputs.yaml, path: x.txt}\n' >"$tmp/esc/tpl/outputs.yaml"
"$evgen" generate schema/heap.yaml -o "$tmp/esc/out" --templates "$tmp/esc/tpl" --quiet 2>"$tmp/esc/err"
check template-outside-templates-refused bash -c "[ $? -eq 1 ] && grep -q 'inside the templates folder' '$tmp/esc/err'"
echo file >"$tmp/esc/a-file"
"$evgen" generate schema/heap.yaml -o "$tmp/esc/a-file" --quiet 2>"$tmp/esc/err"
check output-folder-is-a-file bash -c "[ $? -eq 1 ] && grep -q 'not a folder' '$tmp/esc/err' && [ \"\$(cat '$tmp/esc/a-file')\" == file ]"
"$evgen" generate schema/heap.yaml -o /proc/version/out --quiet 2>"$tmp/esc/err"
check output-folder-unwritable bash -c "[ $? -eq 1 ] && grep -q 'error: ' '$tmp/esc/err'"

# --- Rendering on several threads -----------------------------------------
# Outputs render on every core (--jobs); the bytes, and the diagnostics of
# a failing run, must not depend on how many threads or on their timing.
par="$tmp/par"; mkdir -p "$par"
python3 tests/scale/gen-schema 300 "$par/s" --base schema/heap.yaml --evgen "$evgen" >/dev/null
for j in 1 2 5; do
  "$evgen" generate "$par/s/scale_events.yaml" -o "$par/out$j" --jobs $j --quiet
done
check jobs-same-bytes-1-2 diff -r "$par/out1" "$par/out2"
check jobs-same-bytes-1-5 diff -r "$par/out1" "$par/out5"
"$evgen" generate schema/heap.yaml -o "$par/heap7" --jobs 7 --quiet
check jobs-shipped-same-bytes diff -r "$par/heap7" generated
# Unknown names in a per-event page and in a once output: an error per
# output, capped; every thread count reports the same, in the same order.
cp -r templates "$par/tpl"
printf '{{no_such_name}}\n' >>"$par/tpl/docs/event.mustache"
printf '{{#events}}{{also_missing}}{{/events}}\n' >>"$par/tpl/c/codec.h.mustache"
rcs=
for j in 1 2 5; do
  "$evgen" generate "$par/s/scale_events.yaml" -o "$par/out1" --templates "$par/tpl" --jobs $j --quiet 2>"$par/err$j"
  rcs="$rcs $?"
done
check jobs-failing-exit-1 [ "$rcs" == " 1 1 1" ]
check jobs-failing-capped grep -q 'too many errors' "$par/err1"
check jobs-failing-names-the-tag grep -q "docs/event.mustache:.*unknown name 'no_such_name'" "$par/err1"
check jobs-same-diagnostics-1-2 diff "$par/err1" "$par/err2"
check jobs-same-diagnostics-1-5 diff "$par/err1" "$par/err5"
check jobs-failing-wrote-nothing diff -r "$par/out1" "$par/out2"
"$evgen" generate schema/heap.yaml -o "$par/x" --jobs 0 2>"$par/err"
check jobs-zero-is-usage-error bash -c "[ $? -eq 2 ] && grep -q 'jobs is a number' '$par/err'"

# --- One thread and every core ----------------------------------------------
# EVGEN_CORES=1 does everything on one thread: translations are not read
# ahead, events are built in order, one thread renders and renames.  The
# same schema must give the same bytes, data and diagnostics either way,
# broken or not.  (300 events: enough for every parallel path.)
EVGEN_CORES=1 "$evgen" generate "$par/s/scale_events.yaml" -o "$par/one" --quiet
check cores-1-same-bytes diff -r "$par/one" "$par/out1"
for loc in en-US ru-RU; do
  EVGEN_CORES=1 "$evgen" context "$par/s/scale_events.yaml" --locale $loc >"$par/ctx1"
  "$evgen" context "$par/s/scale_events.yaml" --locale $loc >"$par/ctx"
  check cores-1-same-context-$loc cmp -s "$par/ctx1" "$par/ctx"
done
# Broken copies: the schema itself (its translations are being read ahead
# meanwhile: none of it shows), an entry of the wrong shape, an unknown
# key, a stale hash (a warning), a syntax error half-way through a file;
# and entries read ahead cannot keep (read again the ordinary way).
brk="$par/broken"
python3 - "$par/s" "$brk" <<'PY'
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
def copy(name, edit=None, which=None):
    d = os.path.join(dst, name)
    shutil.copytree(src, d)
    if edit:
        p = os.path.join(d, which)
        lines = open(p).read().split("\n")
        edit(lines)
        open(p, "w").write("\n".join(lines))
def at(lines, key, start, make):
    for i in range(start, len(lines)):
        if lines[i].strip().startswith(key):
            make(lines, i)
            return
    raise SystemExit("no %s line" % key)
def indent(l):
    return l[:len(l) - len(l.lstrip())]
copy("schema", lambda l: l.insert(4, "  broken: [unclosed"), "scale_events.yaml")
copy("shape", lambda l: at(l, "text:", len(l) // 2, lambda l, i: l.__setitem__(i, indent(l[i]) + "text: [1, 2]")), "locales/ru-RU.yaml")
copy("key", lambda l: at(l, "hash:", len(l) // 3, lambda l, i: l.insert(i, indent(l[i]) + "extra: 1")), "locales/pt-BR.yaml")
copy("stale", lambda l: at(l, "hash:", len(l) // 4, lambda l, i: l.__setitem__(i, indent(l[i]) + "hash: '0000000000000000'")), "locales/pt-BR.yaml")
copy("syntax", lambda l: l.insert(len(l) // 2, "  bad: [unclosed"), "locales/ru-RU.yaml")
# Entries read ahead cannot keep: a hash in capitals, a stale entry whose
# text starts past column 65,535 (warnings both, with their places).
copy("oddhash", lambda l: at(l, "hash:", len(l) // 5, lambda l, i: l.__setitem__(i, l[i].upper().replace("HASH:", "hash:"))), "locales/ru-RU.yaml")
def far(l, i):
    l[i - 1] += " {hash: '0000000000000000'," + " " * 70000 + l[i + 1].strip() + "}"
    del l[i:i + 2]
copy("farcol", lambda l: at(l, "hash:", len(l) // 3, far), "locales/pt-BR.yaml")
# A translation longer than a manifest message holds: refused whether it
# was read ahead or not (read ahead, it once passed).
copy("long", lambda l: at(l, "text:", len(l) // 2, lambda l, i: l.__setitem__(i, indent(l[i]) + "text: " + "y" * 33000)), "locales/ru-RU.yaml")
PY
for c in schema shape key stale syntax oddhash farcol long; do
  EVGEN_CORES=1 "$evgen" check "$brk/$c/scale_events.yaml" >"$par/one.out" 2>&1; r1=$?
  "$evgen" check "$brk/$c/scale_events.yaml" >"$par/all.out" 2>&1; r2=$?
  check "cores-1-same-diagnostics-$c" bash -c "[ $r1 -eq $r2 ] && [ -s '$par/one.out' ] && cmp -s '$par/one.out' '$par/all.out'"
done
"$evgen" check "$brk/schema/scale_events.yaml" >"$par/all.out" 2>&1
check cores-schema-error-only bash -c "[ $? -eq 1 ] && grep -q 'scale_events.yaml:5:.*error' '$par/all.out' && ! grep -q 'locales/' '$par/all.out'"
"$evgen" check "$brk/long/scale_events.yaml" >"$par/all.out" 2>&1
check cores-long-translation-refused bash -c "[ $? -eq 1 ] && grep -q 'UTF-16 characters long as a message' '$par/all.out'"

# --- In ninja: no-op rebuilds, and touching one input -----------------------
if command -v ninja >/dev/null; then
  w="$tmp/tree"; mkdir -p "$w"
  cp -r build.ninja generator schema templates tests tools generated "$w"/ 2>/dev/null
  (cd "$w" && ninja >/dev/null 2>&1)
  out=$(cd "$w" && ninja 2>&1)
  check ninja-second-run-no-work grep -q 'no work to do' <<<"$out"
  check ninja-regenerated-same diff -r "$w/generated" generated
  before=$(mtimes "$w/generated")
  touched=$(ls "$w"/schema/locales/*.yaml 2>/dev/null | head -n 1)
  [ -n "$touched" ] || touched=$(ls "$w"/templates/*/*.mustache 2>/dev/null | head -n 1)
  [ -n "$touched" ] || touched="$w/templates/outputs.yaml"
  sleep 0.05; touch "$touched"
  out=$(cd "$w" && ninja -v 2>&1)
  check ninja-touch-reruns-generation grep -q 'build/evgen generate' <<<"$out"
  check ninja-touch-recompiles-nothing bash -c "! grep -qE '(^| )(cc|gcc|clang) ' <<<\"\$0\"" "$out"
  check ninja-touch-keeps-output-mtimes [ "$before" == "$(mtimes "$w/generated")" ]
  out=$(cd "$w" && ninja 2>&1)
  check ninja-no-work-after-touch grep -q 'no work to do' <<<"$out"
else
  skip "ninja tests: ninja not installed"
fi
finish
