# Hostile inputs: each must end in a clear diagnostic (FILE[:LINE:COL]:
# error: ...) and exit 1 -- no crash, no hang, no memory blow-up.  Every
# run is bounded by `timeout` and by `ulimit -v` (or, for a sanitizer
# build, which cannot live under ulimit -v, by ASan's hard_rss_limit_mb);
# the bounds are generous hang and blow-up detectors, not measurements.
#
# check.sh already covers one alias bomb, one deep nesting, invalid UTF-8
# and a NUL in a value, a folder and a missing file as the schema;
# generate.sh covers unsafe output paths, a partial outside the templates
# folder and an output folder that is a file.  This suite adds the rest.
. tests/lib.sh
root=$PWD
evgen=$(realpath "$EVGEN")
tmp=$(mktemp -d); trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
secs=${HOSTILE_TIMEOUT:-30}
mem_mb=512

# A sanitizer build reserves terabytes of address space: no ulimit -v.
if (ulimit -v $((mem_mb * 1024)); "$evgen" --version) >/dev/null 2>&1; then
  bound() { (ulimit -v $((mem_mb * 1024)); exec timeout -s KILL "$secs" "$@"); }
else
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=$((mem_mb * 3))"
  bound() { timeout -s KILL "$secs" "$@"; }
fi

# hostile NAME PATTERN CMD...: CMD exits 1 within the bounds, and its
# standard error matches PATTERN (an extended regex) and shows no crash,
# sanitizer report or out-of-memory.
hostile() {
  local name=$1 pat=$2; shift 2
  bound "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc -eq 1 ] && grep -qE -- "$pat" "$tmp/err" &&
     ! grep -qE 'fatal|Sanitizer|runtime error|out of memory' "$tmp/err"; then
    pass "$name"
  else
    fail "$name (exit $rc)"
    echo "  expected /$pat/; got:"; head -c 600 "$tmp/err" | head -n 6 | sed 's/^/    /'
  fi
}
minimal=$root/tests/check/ok-minimal.yaml
cd "$tmp" || exit 1

# ---- Output places that cannot work ------------------------------------------
# An empty folder name would have put the outputs under "/".
mkdir -p tp && echo x >tp/x.mustache
printf 'outputs:\n  - {template: x.mustache, path: a.txt}\n' >tp/outputs.yaml
bound "$evgen" generate "$minimal" --templates tp -o "" >"$tmp/out" 2>"$tmp/err"
check "empty-output-folder-refused" [ $? -eq 2 ]
check "empty-output-folder-wrote-nothing" [ ! -e /a.txt ]
# An output that is another's folder, or named like a temporary file,
# is refused before anything is written; so is a depfile that is a folder.
printf 'outputs:\n  - {template: x.mustache, path: a.txt}\n  - {template: x.mustache, path: a.txt/b.txt}\n' >tp/outputs.yaml
hostile output-file-and-folder "outputs.yaml:3:[0-9]+: error: output 'a.txt' would also be the folder of output 'a.txt/b.txt'" \
  "$evgen" generate "$minimal" --templates tp -o clash
check "output-file-and-folder-wrote-nothing" [ ! -e clash ]
printf 'outputs:\n  - {template: x.mustache, path: b.txt.tmp-evgen-9}\n' >tp/outputs.yaml
hostile output-named-like-a-temporary "outputs.yaml:2:[0-9]+: error: output path 'b.txt.tmp-evgen-9' looks like one of evgen's temporary files" \
  "$evgen" generate "$minimal" --templates tp -o tmpname
printf 'outputs:\n  - {template: x.mustache, path: a.txt}\n' >tp/outputs.yaml
mkdir -p depdir
hostile depfile-is-a-folder "cannot write depfile 'depdir': it exists and is not a file" \
  "$evgen" generate "$minimal" --templates tp -o depout --depfile depdir
check "depfile-is-a-folder-wrote-nothing" [ ! -e depout ]

# An output or a depfile that is a file the run reads is refused, and the
# file is left as it was.
mkdir -p own && cp "$minimal" own/s.yaml && echo x >own/x.mustache
printf 'outputs:\n  - {template: x.mustache, path: s.yaml}\n' >own/outputs.yaml
hostile output-overwrites-its-schema "error: output 's.yaml' would overwrite 'own/s.yaml', which this run reads" \
  "$evgen" generate own/s.yaml --templates own -o own
check "output-overwrites-its-schema-schema-intact" cmp -s own/s.yaml "$minimal"
printf 'outputs:\n  - {template: x.mustache, path: a.txt}\n' >own/outputs.yaml
hostile depfile-overwrites-its-schema "error: the depfile 'own/s.yaml' is 'own/s.yaml', which this run reads" \
  "$evgen" generate own/s.yaml --templates own -o ownout --depfile own/s.yaml
check "depfile-overwrites-its-schema-schema-intact" cmp -s own/s.yaml "$minimal"
# A depfile that is an output, or the output list, would corrupt it.
bound "$evgen" generate own/s.yaml --templates own -o ownout -q
cp ownout/a.txt a.before
hostile depfile-is-an-output "error: the depfile 'ownout/a.txt' is output 'a.txt'" \
  "$evgen" generate own/s.yaml --templates own -o ownout --depfile ownout/a.txt
check "depfile-is-an-output-output-intact" cmp -s ownout/a.txt a.before
hostile depfile-is-the-output-list "error: the depfile 'ownout/./.evgen-outputs' is the output folder's list of outputs" \
  "$evgen" generate own/s.yaml --templates own -o ownout --depfile ownout/./.evgen-outputs

# A locale file misnamed (x.yml, x.YAML) is not read, and said so.
mkdir -p yml/locales && cp "$minimal" yml/s.yaml && echo 'locale: de-DE' >yml/locales/de-DE.yml
bound "$evgen" check yml/s.yaml >"$tmp/out" 2>"$tmp/err"
check "misnamed-locale-file-warned" grep -q 'yml/locales/de-DE.yml: warning: not read: a locale file is named <culture>.yaml' "$tmp/err"

# per: one of once, locale, event, [locale, event]; nothing else.
for per in '[event, event]' '[]' '[once]' '[locale, locale]'; do
  printf 'outputs:\n  - {template: x.mustache, path: a.txt, per: %s}\n' "$per" >tp/outputs.yaml
  hostile "per-$per" "outputs.yaml:2:[0-9]+: error: per is once, locale, event or \[locale, event\]" \
    "$evgen" generate "$minimal" --templates tp -o perout
done

# A rename that fails half-way (an immutable output: chattr +i, as root
# on a file system that has it) puts back every output already renamed.
printf 'outputs:\n  - {template: x.mustache, path: m.txt}\n  - {template: x.mustache, path: z.txt}\n  - {template: x.mustache, path: gone.txt}\n' >tp/outputs.yaml
rm -rf rb && bound "$evgen" generate "$minimal" --templates tp -o rb -q
echo y >tp/y.mustache
printf 'outputs:\n  - {template: y.mustache, path: m.txt}\n  - {template: y.mustache, path: z.txt}\n  - {template: y.mustache, path: extra/new/x.h}\n' >tp/outputs.yaml
if chattr +i rb/z.txt 2>/dev/null; then
  (cd rb && sha256sum .evgen-outputs *.txt) >rb.sums
  hostile rename-fails-half-way "cannot rename .*z.txt.*; every output is left as it was" \
    "$evgen" generate "$minimal" --templates tp -o rb
  check "rename-fails-half-way-outputs-as-they-were" bash -c 'cd rb && sha256sum -c --quiet ../rb.sums'
  check "rename-fails-half-way-no-temporaries" [ -z "$(find rb -name '*tmp-evgen*')" ]
  check "rename-fails-half-way-no-folder-made" [ ! -e rb/extra ]
  chattr -i rb/z.txt
else
  skip "rename-fails-half-way: chattr +i is not available here (needs root and ext4-like)"
fi

# A folder inside the output folder that is a symbolic link would take
# outputs elsewhere: refused, and what it points at is left alone.
mkdir -p linked ext && echo important >ext/n.txt && ln -sfn ../ext linked/sub
printf 'outputs:\n  - {template: x.mustache, path: sub/n.txt}\n' >tp/outputs.yaml
hostile output-folder-symlink "outputs.yaml:2:[0-9]+: error: 'linked/sub' is a symbolic link: output 'sub/n.txt' would be written outside the output folder" \
  "$evgen" generate "$minimal" --templates tp -o linked
check "output-folder-symlink-target-intact" grep -qx important ext/n.txt

# Line breaks libyaml counts but an editor does not (every line number
# after one would be off): refused where they are.  A CRLF file whose CR
# ends one 64 KiB piece and whose LF starts the next is fine.
sed 's/  name: Demo-Provider/  name: "Demo\xe2\x80\xa8Provider"/' "$minimal" >ls.yaml
hostile line-separator "ls.yaml:4:14: error: U\+2028 in the file, which YAML reads as a line break" \
  "$evgen" check ls.yaml
sed 's/  name: Demo-Provider/  name: "Demo\xc2\x85Provider"/' "$minimal" >nel.yaml
hostile next-line "nel.yaml:4:14: error: U\+0085 \(next line\) in the file" "$evgen" check nel.yaml
printf 'evgen: 1\rname: x\r' >cr.yaml
hostile lone-carriage-return "cr.yaml:1:9: error: a carriage return that no line feed follows" \
  "$evgen" check cr.yaml
{ printf '#'; head -c 65534 /dev/zero | tr '\0' x; printf '\r\n'; sed 's/$/\r/' "$minimal"; } >crlf-piece.yaml
bound "$evgen" check crlf-piece.yaml >"$tmp/out" 2>"$tmp/err"
check "crlf-across-pieces-is-fine" [ $? -eq 0 ]

# ---- 65,000 events without a task: checked in linear time ---------------------
# (Events with no task and opcode once all fell in one bucket of the
# clash index: each was compared with every earlier one.)
{ sed -n '1,/^events:/p' "$minimal"
  awk 'BEGIN { for (i = 1; i <= 65000; i++)
         printf "  - {name: E%d, id: %d, fields: [{name: a, type: uint8}]}\n", i, i }'
} >notask.yaml
bound "$evgen" check notask.yaml >"$tmp/out" 2>"$tmp/err"
check "65000-events-without-task-checked" [ $? -eq 0 ]

# ---- Alias bombs, several shapes -------------------------------------------
aliases='aliases add more than [0-9]+ (nodes|bytes of text)'
{ cat "$minimal"; echo 'docs:'
  echo '  l0: &l0 [x, x, x, x]'
  for i in $(seq 1 12); do echo "  l$i: &l$i [*l$((i-1)), *l$((i-1)), *l$((i-1)), *l$((i-1))]"; done
} >bomb-docs.yaml
hostile alias-bomb-in-docs "bomb-docs.yaml:[0-9]+:[0-9]+: error: alias '\*l[0-9]+' would make $aliases" \
  "$evgen" check bomb-docs.yaml
{ echo 'a: &a {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x}'
  prev=a
  for l in b c d e f g h i; do
    echo "$l: &$l {k0: *$prev, k1: *$prev, k2: *$prev, k3: *$prev, k4: *$prev, k5: *$prev, k6: *$prev, k7: *$prev}"
    prev=$l
  done
} >bomb-maps.yaml
hostile alias-bomb-of-mappings "bomb-maps.yaml:[0-9]+:[0-9]+: error: alias '\*[a-h]' would make $aliases" \
  "$evgen" check bomb-maps.yaml
{ printf 'wide: &w ['; for i in $(seq 1 5000); do printf 'x%d, ' "$i"; done; echo 'end]'
  printf 'use: ['; for i in $(seq 1 200); do printf '*w, '; done; echo '*w]'
} >bomb-wide.yaml
hostile alias-bomb-flat "bomb-wide.yaml:2:[0-9]+: error: alias '\*w' would make $aliases" \
  "$evgen" check bomb-wide.yaml
# One big text shared many times: capped in bytes, not only nodes.
{ printf 'big: &t "'; head -c 2000000 /dev/zero | tr '\0' 'x'; echo '"'
  printf 'many: ['; for i in $(seq 1 50); do printf '*t, '; done; echo '*t]'
} >bomb-text.yaml
hostile alias-bomb-of-text "bomb-text.yaml:2:[0-9]+: error: alias '\*t' would make aliases add more than [0-9]+ bytes of text" \
  "$evgen" check bomb-text.yaml
mkdir -p loc/locales; cp "$minimal" loc/s.yaml
cp bomb-docs.yaml loc/locales/ru-RU.yaml
hostile alias-bomb-in-locale-file "loc/locales/ru-RU.yaml:[0-9]+:[0-9]+: error: alias .* would make $aliases" \
  "$evgen" check loc/s.yaml
printf '{{#l12}}x{{/l12}}\n' >t.mustache
hostile alias-bomb-as-render-data "bomb-docs.yaml:[0-9]+:[0-9]+: error: alias" \
  "$evgen" render t.mustache bomb-docs.yaml
mkdir -p tb; cp bomb-maps.yaml tb/outputs.yaml
hostile alias-bomb-in-outputs-list "tb/outputs.yaml:[0-9]+:[0-9]+: error: alias" \
  "$evgen" generate "$minimal" --templates tb -o out-tb

# ---- Nesting thousands deep ---------------------------------------------------
deep='error: nesting deeper than 64 levels'
awk 'BEGIN { for (i = 0; i < 5000; i++) { printf "%*sk%d:\n", i, "", i } printf "%*sx: 1\n", 5000, "" }' >deep-block-map.yaml
hostile deep-block-mappings "deep-block-map.yaml:65:[0-9]+: $deep" "$evgen" check deep-block-map.yaml
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "- "; print "x" }' >deep-block-seq.yaml
hostile deep-block-sequences "deep-block-seq.yaml:1:[0-9]+: $deep" "$evgen" check deep-block-seq.yaml
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' >deep-flow-seq.yaml
hostile deep-flow-sequences "deep-flow-seq.yaml:1:65: $deep" "$evgen" check deep-flow-seq.yaml
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{a: "; for (i = 0; i < 100000; i++) printf "}"; print "" }' >deep-flow-map.yaml
hostile deep-flow-mappings "deep-flow-map.yaml:1:[0-9]+: $deep" "$evgen" check deep-flow-map.yaml
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "[" }' >deep-unclosed.yaml
hostile deep-flow-unclosed "deep-unclosed.yaml:1:65: $deep" "$evgen" check deep-unclosed.yaml
cp deep-flow-seq.yaml loc/locales/ru-RU.yaml
hostile deep-in-locale-file "loc/locales/ru-RU.yaml:1:65: $deep" "$evgen" check loc/s.yaml
rm -f loc/locales/ru-RU.yaml

# ---- Big files and huge lines -------------------------------------------------
# 100 MB: refused by its size, before it is read.
yes '# a comment line, padding the file out to a hundred megabytes' | head -c 100000000 >big.yaml
hostile file-of-100-MB "big.yaml: error: file is larger than 64 MiB" "$evgen" check big.yaml
rm -f big.yaml
# A 20 MB schema on one line, with a bad byte at its end: the excerpt is
# cut around the column, not printed whole.
{ printf '{evgen: 1, name: x, docs: {a: "'; head -c 20000000 /dev/zero | tr '\0' 'y'
  printf '\xff"}}\n'; } >one-line.yaml
hostile huge-line-bad-byte-at-end "one-line.yaml:1:20000032: error: invalid UTF-8 \(byte 0xff\)" \
  "$evgen" check one-line.yaml
check huge-line-excerpt-is-cut bash -c "[ \$(awk '{ if (length > m) m = length } END { print m }' '$tmp/err') -lt 400 ]"
rm -f one-line.yaml
# A name of a million characters.
{ sed -n '1,/^events:/p' "$minimal"
  printf '  - name: '; head -c 1000000 /dev/zero | tr '\0' 'N'; echo
  echo '    id: 1'; echo '    fields: []'; } >long-name.yaml
hostile very-long-event-name "long-name.yaml:[0-9]+:[0-9]+: error: event name is 1000000 characters long" \
  "$evgen" check long-name.yaml
# A mapping of a million keys (duplicate detection is O(n log n)).
{ cat "$minimal"; echo 'docs:'; echo '  m:'
  awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "    k%d: v\n", i; print "    k7: dup" }'; } >many-keys.yaml
hostile million-keys-one-duplicate "many-keys.yaml:[0-9]+:5: error: duplicate key 'k7'" \
  "$evgen" check many-keys.yaml
rm -f many-keys.yaml

# Thousands of schemas on one command line: past the table of file names
# a node's place is kept in (value.h), a file is refused by name.
mkdir -p many && cp "$minimal" many/base.yaml
perl -e 'symlink("base.yaml", "many/s$_.yaml") for 1 .. 16400'
hostile many-schemas-in-one-run "many/s[0-9]+.yaml: error: more than 16383 files read in one run" \
  "$evgen" check many/s*.yaml
rm -rf many

# ---- Invalid UTF-8 and NUL bytes, in various places ----------------------------
utf8='error: invalid UTF-8 \(byte 0x'
sed '3s/^/# caf\xc3(\n/' "$minimal" >bad-comment.yaml
hostile invalid-utf8-in-comment "bad-comment.yaml:3:6: ${utf8}c3\)" "$evgen" check bad-comment.yaml
sed 's/^name: \(.*\)/na\xe9me: \1/' "$minimal" >bad-key.yaml
hostile invalid-utf8-in-key "bad-key.yaml:[0-9]+:3: ${utf8}e9\)" "$evgen" check bad-key.yaml
printf '\xff\xfee\x00v\x00' >utf16.yaml
hostile utf16-file "utf16.yaml:1:1: ${utf8}ff\)" "$evgen" check utf16.yaml
for c in 'overlong:\xc0\xaf' 'surrogate:\xed\xa0\x80' 'above-10ffff:\xf4\x90\x80\x80' 'truncated-at-end:\xe2\x82'; do
  { cat "$minimal"; printf 'docs: {a: "x%b' "${c#*:}"; } >"u-${c%%:*}.yaml"
  hostile "invalid-utf8-${c%%:*}" "u-${c%%:*}.yaml:[0-9]+:[0-9]+: $utf8" "$evgen" check "u-${c%%:*}.yaml"
done
# Files are checked a 64 KiB piece at a time: a character across two
# pieces is whole, and what is wrong past the first piece is placed by
# the lines and characters of every piece before.
for at in 65533 65534 65535 65536; do
  pad=$((at - $(wc -c <"$minimal") - 11)) # 11: docs: {a: "
  { cat "$minimal"; printf 'docs: {a: "'; head -c $pad /dev/zero | tr '\0' y
    printf '\xe2\x82\xac'; } >piece-head.yaml # a 3-byte character at the offset
  { cat piece-head.yaml; printf '"}\n'; } >piece-$at.yaml
  { cat piece-head.yaml; printf 'z\xff"}\n'; } >piece-bad-$at.yaml
  line=$(($(wc -l <"$minimal") + 1)); col=$((at - $(wc -c <"$minimal") + 1 + 2))
  check "piece-boundary-character-at-$at" "$evgen" check piece-$at.yaml
  hostile "piece-boundary-bad-byte-after-$at" "piece-bad-$at.yaml:$line:$col: ${utf8}ff\)" \
    "$evgen" check piece-bad-$at.yaml
done
{ cat "$minimal"; echo 'docs:'; awk 'BEGIN { for (i = 0; i < 20000; i++) printf "  k%d: \"caf\303\251\"\n", i }'
  printf '  z: "x\x00"\n'; } >nul-far.yaml
hostile nul-byte-pieces-away "nul-far.yaml:$(($(wc -l <"$minimal") + 20002)):8: error: NUL byte in the file" \
  "$evgen" check nul-far.yaml
rm -f piece-*.yaml nul-far.yaml
sed '2s/$/\x00/' "$minimal" >nul-line.yaml
hostile nul-byte-after-a-value "nul-line.yaml:2:[0-9]+: error: NUL byte in the file" "$evgen" check nul-line.yaml
{ cat "$minimal"; printf '# trailing\x00'; } >nul-end.yaml
hostile nul-byte-at-end "nul-end.yaml:[0-9]+:11: error: NUL byte in the file" "$evgen" check nul-end.yaml
# NUL written as a YAML escape reaches the tree: refused where it would
# silently cut a text short.
{ cat "$minimal"; printf 'docs:\n  a: "before\\0after"\n'; } >nul-escape-docs.yaml
hostile nul-escape-in-docs "nul-escape-docs.yaml:[0-9]+:6: error: 'docs.a' holds a NUL character" \
  "$evgen" check nul-escape-docs.yaml
{ cat "$minimal"; printf 'docs:\n  "a\\0b": x\n'; } >nul-escape-key.yaml
hostile nul-escape-in-key "nul-escape-key.yaml:[0-9]+:3: error: key 'a...' holds a NUL character" \
  "$evgen" check nul-escape-key.yaml
# Control characters from the input never reach the terminal raw.
{ cat "$minimal"; printf '"\\e]0;pwned\\a\\e[31m": 1\n'; } >ctrl-key.yaml
hostile control-chars-shown-as-question-marks "unknown key '\?\]0;pwned\?\?\[31m'" "$evgen" check ctrl-key.yaml
check control-chars-never-printed bash -c '! grep -q "$(printf "\033")" "$0"' "$tmp/err"
# In translations, templates, partials and render data.
mkdir -p loc/locales; printf 'locale: ru-RU\nstrings:\n  x: {hash: "0", text: "caf\xc3("}\n' >loc/locales/ru-RU.yaml
hostile invalid-utf8-in-locale-file "loc/locales/ru-RU.yaml:3:[0-9]+: ${utf8}c3\)" "$evgen" check loc/s.yaml
printf 'locale: ru-RU\nstrings:\n  x: {hash: "0", text: "a\\0b"}\n' >loc/locales/ru-RU.yaml
hostile nul-escape-in-translation "loc/locales/ru-RU.yaml:3:[0-9]+: error: translation 'x' holds a NUL character" \
  "$evgen" check loc/s.yaml
printf 'locale: ru-RU\nnotes: 1\nstrings:\n  x: {hash: "0", text: "a", extra: 1}\n' >loc/locales/ru-RU.yaml
hostile unknown-keys-in-locale-file "loc/locales/ru-RU.yaml:2:1: error: unknown key 'notes' in a locale file; it holds 'locale' and 'strings'" \
  "$evgen" check loc/s.yaml
hostile unknown-key-in-translation "loc/locales/ru-RU.yaml:4:29: error: unknown key 'extra' in a translation; it holds 'hash' and 'text'" \
  "$evgen" check loc/s.yaml
rm -f loc/locales/ru-RU.yaml
# More translations than a data tree can tag (254): refused up front.
mkdir -p many/locales; cp "$minimal" many/s.yaml
for a in {a..j}; do for b in {a..z}; do : >"many/locales/x$a-$(tr a-z A-Z <<<"y$b").yaml"; done; done
hostile too-many-locales "many/locales: error: 260 locale files; at most 254 translations" "$evgen" check many/s.yaml
# A locale file whose every entry is stale (912 warnings): the first 500
# are shown, the rest summed up in a note; memory stays bounded.
if command -v python3 >/dev/null; then
  python3 "$root/tests/scale/gen-schema" 60 stale --base "$root/schema/heap.yaml" --locales ru-RU --evgen "$evgen"
  sed -i 's/    hash: [0-9a-f]*/    hash: 0000000000000000/' stale/locales/ru-RU.yaml
  "$evgen" check stale/scale_events.yaml 2>"$tmp/err"; rc=$?
  stale_ok() { [ $rc -eq 0 ] && [ "$(grep -c ': warning: ' "$tmp/err")" -eq 500 ] &&
    grep -q '^evgen: note: 412 more warnings like these not shown$' "$tmp/err"; }
  check many-stale-warnings-summed-up stale_ok
else
  skip "many-stale-warnings-summed-up: python3 is not installed"
fi
mkdir -p tu; printf 'outputs:\n  - {template: t.mustache, path: t.txt}\n' >tu/outputs.yaml
printf 'caf\xc3(\n' >tu/t.mustache
hostile invalid-utf8-in-template "tu/outputs.yaml:2:[0-9]+: error: 'tu/t.mustache' is not UTF-8 text" \
  "$evgen" generate "$minimal" --templates tu -o out-tu
printf '{{>p}}\n' >tu/t.mustache; printf 'a\x00b\n' >tu/p.mustache
hostile nul-in-partial "error: 'tu/p.mustache' is not UTF-8 text" \
  "$evgen" generate "$minimal" --templates tu -o out-tu
printf 'x: "caf\xc3("\n' >bad-data.yaml
hostile invalid-utf8-in-render-data "bad-data.yaml:1:[0-9]+: ${utf8}c3\)" "$evgen" render t.mustache bad-data.yaml

# ---- Things that are not regular files ----------------------------------------
mkfifo fifo.yaml
hostile fifo-as-schema "fifo.yaml: error: cannot read: is not a regular file" "$evgen" check fifo.yaml
hostile fifo-as-schema-generate "fifo.yaml: error: cannot read: is not a regular file" \
  "$evgen" generate fifo.yaml -o out-fifo
hostile fifo-as-render-data "fifo.yaml: error: cannot read: is not a regular file" "$evgen" render t.mustache fifo.yaml
printf 'x: 1\n' >ok-data.yaml
hostile fifo-as-render-template "fifo.yaml: error: cannot read: is not a regular file" "$evgen" render fifo.yaml ok-data.yaml
mkfifo loc/locales/ru-RU.yaml
hostile fifo-as-locale-file "loc/locales/ru-RU.yaml: error: cannot read: is not a regular file" "$evgen" check loc/s.yaml
rm -f loc/locales/ru-RU.yaml
mkdir -p loc/locales/ru-RU.yaml
hostile folder-as-locale-file "loc/locales/ru-RU.yaml: error: cannot read: is a directory" "$evgen" check loc/s.yaml
rmdir loc/locales/ru-RU.yaml
mkdir -p tf; mkfifo tf/outputs.yaml
hostile fifo-as-outputs-list "tf/outputs.yaml: error: cannot read: is not a regular file" \
  "$evgen" generate "$minimal" --templates tf -o out-tf
rm -f tf/outputs.yaml; printf 'outputs:\n  - {template: t.mustache, path: t.txt}\n' >tf/outputs.yaml
mkfifo tf/t.mustache
hostile fifo-as-template "tf/outputs.yaml:2:[0-9]+: error: cannot read 'tf/t.mustache': is not a regular file" \
  "$evgen" generate "$minimal" --templates tf -o out-tf
rm -f tf/t.mustache; printf '{{>p}}\n' >tf/t.mustache; mkfifo tf/p.mustache
hostile fifo-as-partial "error: cannot read 'tf/p.mustache': is not a regular file" \
  "$evgen" generate "$minimal" --templates tf -o out-tf
rm -f tf/p.mustache; mkdir tf/p.mustache
hostile folder-as-partial "error: cannot read 'tf/p.mustache': is a directory" \
  "$evgen" generate "$minimal" --templates tf -o out-tf
hostile device-as-schema "/dev/zero: error: cannot read: is not a regular file" "$evgen" check /dev/zero
ln -s loop.yaml loop.yaml
hostile symlink-loop-as-schema "loop.yaml: error: cannot read: " "$evgen" check loop.yaml
hostile folder-as-schema-generate "$(basename "$tmp"): error: cannot read: is a directory" \
  "$evgen" generate "$tmp" -o out-dir
hostile missing-schema-context "nope.yaml: error: cannot read: No such file" "$evgen" context nope.yaml
hostile missing-schema-strings "nope.yaml: error: cannot read: No such file" "$evgen" strings nope.yaml
# An existing output that is a FIFO is replaced, not read (no hang).
printf 'outputs:\n  - {template: t.mustache, path: t.txt}\n' >tf/outputs.yaml
rm -rf tf/p.mustache; printf 'x\n' >tf/t.mustache
mkdir -p out-ff; mkfifo out-ff/t.txt
bound "$evgen" generate "$minimal" --templates tf -o out-ff --quiet 2>"$tmp/err"
check fifo-output-replaced-without-hang bash -c "[ $? -eq 0 ] && [ -f out-ff/t.txt ] && [ \"\$(cat out-ff/t.txt)\" = x ]"
mkdir -p out-dd/t.txt
hostile folder-in-place-of-output "error: cannot write '.*out-dd/t.txt': a folder is in the way" \
  "$evgen" generate "$minimal" --templates tf -o out-dd
mkfifo fifo-out
hostile fifo-as-output-folder "error: output folder 'fifo-out' exists and is not a folder" \
  "$evgen" generate "$minimal" --templates tf -o fifo-out
mkdir -p out-sub; echo file >out-sub/docs
printf 'outputs:\n  - {template: t.mustache, path: a.txt}\n  - {template: t.mustache, path: docs/b.txt}\n' >tf/outputs.yaml
hostile output-subfolder-is-a-file "error: cannot write '.*out-sub/docs/b.txt': '.*out-sub/docs' is not a folder" \
  "$evgen" generate "$minimal" --templates tf -o out-sub
check output-subfolder-is-a-file-changes-nothing bash -c "[ \"\$(ls -A out-sub)\" = docs ] && [ \"\$(cat out-sub/docs)\" = file ]"
hostile output-folder-is-a-device "error: output folder '/dev/null' exists and is not a folder" \
  "$evgen" generate "$minimal" --templates tf -o /dev/null
# Not writable: a read-only folder (not for root, whom permissions do not
# stop) and a read-only file system (/sys, for everyone).
if [ "$(id -u)" -ne 0 ]; then
  mkdir -p ro; chmod 555 ro
  hostile output-folder-read-only "error: cannot (write|create)" "$evgen" generate "$minimal" --templates tf -o ro/out
else
  skip "output-folder-read-only: running as root, permissions do not apply"
fi
if [ -d /sys/kernel ] && ! mkdir /sys/evgen-probe 2>/dev/null; then
  hostile output-folder-on-read-only-fs "error: cannot create folder '/sys/evgen-out' for '/sys/evgen-out/a.txt'" \
    "$evgen" generate "$minimal" --templates tf -o /sys/evgen-out
else
  rmdir /sys/evgen-probe 2>/dev/null
  skip "output-folder-on-read-only-fs: /sys is missing or writable here"
fi

# ---- Names that try to leave their folder ----------------------------------------
for v in '../../evil' '/etc/evil' 'a/b' 'a\\b' 'C:evil'; do
  sed "s/^  - name: .*/  - name: '$(printf '%s' "$v" | sed 's/[\/&]/\\&/g')'/" "$minimal" >escape-event.yaml
  hostile "event-name:'$v'" "escape-event.yaml:[0-9]+:[0-9]+: error: event name '.*' is not a valid C identifier" \
    "$evgen" check escape-event.yaml
done
for f in 'x' 'ru_RU' 'RU-ru' 'ru-RU.x' 'ru-RU ' '-ru' 'ru-'; do
  mkdir -p ln; cp "$minimal" ln/s.yaml; rm -rf ln/locales; mkdir ln/locales
  printf 'locale: %s\nstrings: {}\n' "$f" >"ln/locales/$f.yaml"
  hostile "locale-file-named:'$f'" "ln/locales/$f.yaml: error: '$f' is not a culture name" "$evgen" check ln/s.yaml
done
rm -rf ln/locales; mkdir ln/locales
printf 'locale: ru-RU\nstrings: {}\n' >"ln/locales/ru
RU.yaml"
hostile locale-file-name-with-newline "error: 'ru\?RU' is not a culture name" "$evgen" check ln/s.yaml
rm -rf ln/locales; mkdir ln/locales
printf 'locale: ../../x\nstrings: {}\n' >ln/locales/ru-RU.yaml
hostile locale-value-lies "ln/locales/ru-RU.yaml:1:9: error: this file is ru-RU.yaml but says 'locale: ../../x'" \
  "$evgen" check ln/s.yaml
printf 'locale: ru-RU\nstrings: {}\n' >ln/locales/..yaml
printf 'locale: ru-RU\nstrings: {}\n' >ln/locales/.hidden.yaml
rm -f ln/locales/ru-RU.yaml
bound "$evgen" check ln/s.yaml >/dev/null 2>"$tmp/err"
check hidden-locale-files-ignored bash -c "[ $? -eq 0 ] && [ ! -s '$tmp/err' ]"
# Output paths built from data: never outside the output folder.
mkdir -p tp; printf 'x\n' >tp/x.mustache
for v in '../escape' '/tmp/evgen-escape' 'a/../../escape' '' 'a//b' 'a\nb' '.hidden' 'a/'; do
  printf 'outputs:\n  - {template: x.mustache, path: "{{docs.p}}"}\n' >tp/outputs.yaml
  { cat "$minimal"; printf 'docs:\n  p: "%s"\n' "$v"; } >path.yaml
  hostile "output-path-from-data:'$v'" "tp/outputs.yaml:2:[0-9]+: error: output path '.*' is not a plain relative path" \
    "$evgen" generate path.yaml --templates tp -o out-p
  check "output-path-from-data-writes-nothing:'$v'" bash -c "[ ! -e out-p ] && [ ! -e escape ] && [ ! -e /tmp/evgen-escape ]"
done
# A component longer than a file name may be: reported, and nothing of
# the run is left behind (all or nothing).
long=$(head -c 300 /dev/zero | tr '\0' 'L')
printf 'outputs:\n  - {template: x.mustache, path: first.txt}\n  - {template: x.mustache, path: "{{docs.p}}.txt"}\n' >tp/outputs.yaml
{ cat "$minimal"; printf 'docs:\n  p: "%s"\n' "$long"; } >path.yaml
hostile output-name-too-long "error: cannot write '.*LLLL.txt': File name too long" \
  "$evgen" generate path.yaml --templates tp -o out-long
check output-name-too-long-leaves-nothing bash -c "[ ! -e out-long ] || [ -z \"\$(ls -A out-long)\" ]"
# Partials named by data, or by absolute paths.
printf 'outputs:\n  - {template: x.mustache, path: x.txt}\n' >tp/outputs.yaml
printf '{{>*docs.p}}\n' >tp/x.mustache
{ cat "$minimal"; printf 'docs:\n  p: "../../../etc/passwd"\n'; } >dyn.yaml
hostile dynamic-partial-outside-templates "error: partial name '../../../etc/passwd' is not a path inside the templates folder" \
  "$evgen" generate dyn.yaml --templates tp -o out-dyn
printf '{{>/etc/passwd}}\n' >tp/x.mustache
hostile absolute-partial "error: partial name '/etc/passwd' is not a path inside the templates folder" \
  "$evgen" generate "$minimal" --templates tp -o out-abs

# ---- Templates nested deep, partials that recurse ---------------------------------
printf 'outputs:\n  - {template: x.mustache, path: x.txt}\n' >tp/outputs.yaml
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "{{#events}}"; for (i = 0; i < 5000; i++) printf "{{/events}}"; print "" }' >tp/x.mustache
hostile sections-5000-deep "tp/x.mustache:1:[0-9]+: error: sections nested more than [0-9]+ deep" \
  "$evgen" generate "$minimal" --templates tp -o out-deep
printf '{{>x}}\n' >tp/x.mustache
hostile recursive-partial "tp/x.mustache:1:1: error: partial 'x' nested more than 64 deep" \
  "$evgen" generate "$minimal" --templates tp -o out-rec
printf '{{>a}}\n' >tp/x.mustache; printf '{{>b}}\n' >tp/a.mustache; printf '{{>a}}\n' >tp/b.mustache
hostile mutually-recursive-partials "error: partial '[ab]' nested more than 64 deep" \
  "$evgen" generate "$minimal" --templates tp -o out-rec
for i in $(seq 0 199); do printf '{{>p%d}}\n' $((i + 1)) >tp/p$i.mustache; done
printf 'end\n' >tp/p200.mustache; printf '{{>p0}}\n' >tp/x.mustache
hostile partial-chain-200-deep "error: partial 'p[0-9]+' nested more than 64 deep" \
  "$evgen" generate "$minimal" --templates tp -o out-chain
printf '{{strings.loop}}\n' >tp/x.mustache
{ cat "$minimal"; printf 'strings:\n  loop: "again {{strings.loop}}"\n'; } >lambda-loop.yaml
hostile recursive-lambda-string "error: the text of 'strings.loop' expands templates more than 64 deep" \
  "$evgen" generate lambda-loop.yaml --templates tp -o out-lambda
# Strings that double at each level: 2^40 copies unless something stops
# them early (render.c's output and step caps).
{ cat "$minimal"; echo 'strings:'; echo '  b0: "xxxxxxxxxxxxxxxx"'
  for i in $(seq 1 40); do printf '  b%d: "{{strings.b%d}}{{strings.b%d}}"\n' "$i" $((i - 1)) $((i - 1)); done
  printf '  top: "{{strings.b40}}"\n'; } >lambda-bomb.yaml
printf '{{strings.top}}\n' >tp/x.mustache
hostile lambda-string-bomb "error: (output larger than|rendering takes more than|the text of a template string expands to more than)" \
  "$evgen" generate lambda-bomb.yaml --templates tp -o out-lb

# An output that grows past the 256 MiB cap: it streams to a staged file
# as it renders (never all in memory), then the run fails, the staged file
# goes, and the file it would have replaced keeps its bytes.
mkdir -p tbig out-big
printf 'outputs:\n  - {template: t.mustache, path: big.txt}\n' >tbig/outputs.yaml
{ for i in 1 2 3 4 5 6 7 8; do printf '{{#events}}'; done
  head -c 65536 /dev/zero | tr '\0' x
  for i in 1 2 3 4 5 6 7 8; do printf '{{/events}}'; done; echo; } >tbig/t.mustache
echo keep >out-big/big.txt
hostile output-over-the-cap "tbig/t.mustache:1:89: error: output larger than 256 MiB" \
  "$evgen" generate "$root/schema/heap.yaml" --templates tbig -o out-big
check output-over-the-cap-leaves-the-old-file [ "$(ls -A out-big)" == big.txt -a "$(cat out-big/big.txt)" == keep ]

# ---- Killed in the middle of a large generate ---------------------------------------
# A 10,000-event schema, outputs one per event plus one for all: generate
# version 1, then kill -9 a run writing version 2 at several points.  Each
# time, every output must hold the old or the new bytes, whole; temporary
# files (NAME.tmp-evgen-PID, which only a SIGKILL can leave) are never
# listed as outputs; and a run to the end then gives exactly version 2.
if command -v python3 >/dev/null; then
  python3 "$root/tests/scale/gen-schema" 10000 big --locales '' --base '' --name big
  mkdir -p k1 k2
  printf 'outputs:\n  - {template: ev.mustache, path: "ev/{{lower}}.txt", per: event}\n  - {template: all.mustache, path: all.txt}\n' >k1/outputs.yaml
  cp k1/outputs.yaml k2/outputs.yaml
  printf 'v1 {{name}} {{id}}\n{{#fields}}{{name}}: {{type}}\n{{/fields}}' >k1/ev.mustache
  printf 'version 2 of {{name}} {{id}}\n{{#fields}}{{number}} {{name}}\n{{/fields}}' >k2/ev.mustache
  printf 'v1\n{{#events}}{{name}}\n{{/events}}' >k1/all.mustache
  printf 'v2\n{{#events}}{{id}} {{name}}\n{{/events}}' >k2/all.mustache
  bound "$evgen" generate big/big.yaml --templates k1 -o ref1 --quiet &&
    bound "$evgen" generate big/big.yaml --templates k2 -o ref2 --quiet
  check kill-setup test -f ref1/all.txt -a -f ref2/all.txt
  sums() { (cd "$1" && find . -type f ! -name '*.tmp-evgen-*' -print0 | sort -z | xargs -0 sha256sum); }
  sums ref1 >sums1; sums ref2 >sums2
  # killed-run NAME WAIT-CMD: start v2 over a copy of v1, wait until
  # WAIT-CMD succeeds (or 20 s), kill -9, then check the folder.
  killed_run() {
    local name=$1 waitcmd=$2 t=0
    rm -rf out; cp -r ref1 out
    "$evgen" generate big/big.yaml --templates k2 -o out --quiet 2>/dev/null &
    local pid=$!
    while ! eval "$waitcmd" && kill -0 $pid 2>/dev/null && [ $t -lt 20000 ]; do
      t=$((t + 1)); sleep 0.001
    done
    kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    sums out >sums-out
    # Per path: "old", "new", "torn" (neither), "lost" or "stray".
    awk 'FILENAME == ARGV[1] { old[$2] = $1; next }
         FILENAME == ARGV[2] { new[$2] = $1; next }
         { seen[$2] = 1
           if ($1 == new[$2]) n++; else if ($1 == old[$2]) o++;
           else if ($2 in old) { t++; print "  torn: " $2 } else { s++; print "  stray: " $2 } }
         END { for (p in old) if (!(p in seen)) { l++; print "  lost: " p }
               printf "%d %d %d %d %d\n", o, n, t, l, s }' sums1 sums2 sums-out >verdict
    read -r old new torn lost stray < <(tail -n 1 verdict)
    head -n 5 verdict | grep -v '^[0-9]' || true
    local temps listed_temps
    temps=$(find out -name '*.tmp-evgen-*' | wc -l)
    listed_temps=$(grep -c 'tmp-evgen' out/.evgen-outputs)
    echo "  kill $name: $old old, $new new, $temps temporary files left"
    check "kill-$name-every-output-whole" [ "$torn" -eq 0 ]
    check "kill-$name-no-output-lost" [ "$lost" -eq 0 ]
    check "kill-$name-no-stray-files" [ "$stray" -eq 0 ]
    check "kill-$name-temps-not-listed" [ "$listed_temps" -eq 0 ]
    bound "$evgen" generate big/big.yaml --templates k2 -o out --quiet
    sums out >sums-out
    check "kill-$name-rerun-completes" cmp -s sums-out sums2
  }
  killed_run at-once 'true'
  killed_run while-staging '[ -n "$(find out/ev -name "*.tmp-evgen-*" -print -quit)" ]'
  killed_run mid-staging '[ "$(find out/ev -name "*.tmp-evgen-*" | wc -l)" -ge 5000 ]'
  killed_run while-renaming 'cmp -s out/ev/scale_event_00000.txt ref2/ev/scale_event_00000.txt'
  killed_run after-renaming 'cmp -s out/all.txt ref2/all.txt'
  # SIGTERM, SIGINT or SIGHUP while outputs are staged: evgen stops,
  # removes what it staged, and exits 128 + the signal, nothing changed.
  # (A script's background job starts with SIGINT ignored, which evgen
  # respects: the job is given the default disposition back first.)
  for sig in TERM INT HUP; do
    rm -rf out; cp -r ref1 out
    python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$evgen" generate big/big.yaml --templates k2 -o out --quiet 2>err-$sig &
    pid=$! t=0
    while [ -z "$(find out/ev -name '*.tmp-evgen-*' -print -quit)" ] &&
          kill -0 $pid 2>/dev/null && [ $t -lt 20000 ]; do
      t=$((t + 1)); sleep 0.001
    done
    kill -$sig $pid 2>/dev/null; { wait $pid; } 2>/dev/null; rc=$?
    sums out >sums-out
    check "sig$sig-while-staging-exits-128+signal" [ $rc -eq $((128 + $(kill -l $sig))) ]
    check "sig$sig-while-staging-outputs-as-they-were" cmp -s sums-out sums1
    check "sig$sig-while-staging-no-temporaries" [ -z "$(find out -name '*tmp-evgen*')" ]
    check "sig$sig-while-staging-says-so" grep -q 'interrupted (signal [0-9]*); no output was changed' err-$sig
  done
  # A signal ignored when evgen starts (nohup, trap '') stays ignored.
  rm -rf out; cp -r ref1 out
  "$evgen" generate big/big.yaml --templates k2 -o out --quiet 2>err-ign &
  pid=$! t=0
  while [ -z "$(find out/ev -name '*.tmp-evgen-*' -print -quit)" ] &&
        kill -0 $pid 2>/dev/null && [ $t -lt 20000 ]; do
    t=$((t + 1)); sleep 0.001
  done
  kill -INT $pid 2>/dev/null; wait $pid; rc=$?
  sums out >sums-out
  check "sigINT-ignored-at-start-stays-ignored" [ $rc -eq 0 ]
  check "sigINT-ignored-at-start-run-completes" cmp -s sums-out sums2
else
  skip "kill tests: python3 not installed (tests/scale/gen-schema needs it)"
fi
finish
