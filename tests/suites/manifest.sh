# The ETW manifest (templates/manifest/): generated from the heap schema,
# the storage schema and tests/manifest/edge (the template's edge cases,
# with two translations), each must pass xmllint against the SDK's
# eventman.xsd (when $SHARED has it) and tests/manifest/check_manifest.py
# (what the XSD cannot see), be byte-identical across runs and working
# directories, and, for the edge schema, match its golden file
# (UPDATE=1 rewrites it; review the diff).  The checker itself is tested:
# each mutation of a good manifest below must make it fail, saying why.
. tests/lib.sh
root=$(pwd)
evgen=$(realpath "$EVGEN")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
checker=(python3 "$root/tests/manifest/check_manifest.py")
xsd=$SHARED/ref/eventman.xsd

# What the build needs: xmllint (Debian: libxml2-utils) and python3.
if command -v xmllint >/dev/null; then pass xmllint-installed
else fail "xmllint-installed: xmllint not found; install libxml2-utils (tools/install-deps)"; fi
check python3-installed bash -c "command -v python3 >/dev/null"

# Render with a private templates folder holding only the manifest's
# entry of templates/outputs.yaml (copied from it, so the entry itself is
# what is tested): other outputs in progress cannot break this suite.
mkdir -p "$tmp/templates"
cp -r templates/manifest "$tmp/templates/"
{
  echo "outputs:"
  awk '/^  - /{keep = 0} /^  - template: manifest\/manifest\.mustache$/{keep = 1} keep' templates/outputs.yaml
} >"$tmp/templates/outputs.yaml"
check outputs-declares-manifest grep -q '^    escape: xml$' "$tmp/templates/outputs.yaml"

gen() { # SCHEMA OUTDIR: generate the manifest alone
  "$evgen" generate "$1" -o "$2" --templates "$tmp/templates" 2>"$tmp/gen.err" ||
    { sed 's/^/    /' "$tmp/gen.err"; return 1; }
}

for schema in schema/heap.yaml tests/schemas/storage/storage.yaml tests/manifest/edge/edge.yaml; do
  name=$(sed -n 's/^name: *//p' "$schema")
  man=manifest/$name.man
  out=$tmp/$name
  if ! gen "$schema" "$out/a" || [ ! -f "$out/a/$man" ]; then
    fail "$name: generate"; continue
  fi
  pass "$name: generate"
  # The data the checker compares with: the context, and each locale's
  # tree (which `evgen context` elides from locales[].tr).
  "$evgen" context "$schema" --json >"$out/context.json"
  ctxargs=(--context "$out/context.json")
  for loc in $(python3 -c 'import json, sys; print(*[l["name"] for l in json.load(open(sys.argv[1]))["locales"]])' "$out/context.json"); do
    "$evgen" context "$schema" --locale "$loc" --json >"$out/tr-$loc.json"
    ctxargs+=(--tr "$loc=$out/tr-$loc.json")
  done
  printf '%s\n' "${ctxargs[@]}" >"$out/ctxargs"
  if [ -f "$xsd" ]; then
    if xmllint --noout --schema "$xsd" "$out/a/$man" 2>"$out/xmllint.log"; then
      pass "$name: xmllint --schema eventman.xsd"
    else
      fail "$name: xmllint --schema eventman.xsd"; sed 's/^/    /' "$out/xmllint.log" | head -20
    fi
  else
    skip "$name: xmllint validation: $xsd is absent"
  fi
  if "${checker[@]}" "$out/a/$man" "${ctxargs[@]}" >"$out/check.log" 2>&1; then
    pass "$name: check_manifest"
  else
    fail "$name: check_manifest"; sed 's/^/    /' "$out/check.log"
  fi
  # Reproducible: a second run, a run from another folder with absolute
  # paths, and one from a subfolder with relative paths give the same bytes.
  gen "$schema" "$out/b" && check "$name: same bytes twice" cmp "$out/a/$man" "$out/b/$man"
  (cd "$tmp" && gen "$root/$schema" "$out/c") &&
    check "$name: same bytes from another folder" cmp "$out/a/$man" "$out/c/$man"
  (cd tests/manifest && gen "../../$schema" "$out/d") &&
    check "$name: same bytes with relative paths" cmp "$out/a/$man" "$out/d/$man"
  check "$name: no absolute paths" bash -c '! grep -qF -e "$1" -e "$2" "$3"' _ "$root" "$tmp" "$out/a/$man"
done

# The edge schema's manifest, to the byte.
edge=$tmp/edge_events/a/manifest/edge_events.man
golden=tests/manifest/edge/edge_events.man.expected
if [ -f "$edge" ]; then
  if [ -n "${UPDATE:-}" ]; then cp "$edge" "$golden"; fi
  if cmp -s "$edge" "$golden"; then pass "edge_events: golden"
  else fail "edge_events: golden"; diff "$golden" "$edge" | head -20; fi
fi

# The heap manifest's facts (shared/facts/etw-heap-events.md): pointers
# and sizes are win:Pointer, sizes print as xs:unsignedLong, Source is a
# win:UInt32 through the MEMORY_SOURCE map; one event per opcode.
heap=$tmp/heap_events/a/manifest/heap_events.man
if [ -f "$heap" ]; then
  check "heap: Size is Pointer + unsignedLong" grep -q '<data name="Size" inType="win:Pointer" outType="xs:unsignedLong"/>' "$heap"
  check "heap: HeapHandle is Pointer" grep -q '<data name="HeapHandle" inType="win:Pointer"/>' "$heap"
  check "heap: Source is UInt32 + map" grep -q '<data name="Source" inType="win:UInt32" map="MEMORY_SOURCE"/>' "$heap"
  check "heap: provider guid" grep -q 'guid="{222962ab-6180-4b88-a825-346b75f2a24a}"' "$heap"
  check "heap: three events" [ "$(grep -c '<event ' "$heap")" -eq 3 ]
  # One string table per culture: en-US and each schema/locales file.
  want=$( (echo en-US; ls schema/locales | sed -n 's/\.yaml$//p') | sort | tr '\n' ' ')
  got=$(sed -n 's/^ *<resources culture="\([^"]*\)">$/\1/p' "$heap" | sort | tr '\n' ' ')
  check "heap: cultures ${want% }" [ "$got" == "$want" ]
  for v in 33:Alloc 34:ReAlloc 36:Free; do
    check "heap: opcode ${v#*:} = ${v%%:*}" grep -q "<opcode name=\"${v#*:}\" symbol=\"opcode_${v#*:}\" value=\"${v%%:*}\"" "$heap"
  done
fi
# Storage: an event whose payload grew has one <event> per version.
st=$tmp/storage_events/a/manifest/storage_events.man
if [ -f "$st" ]; then
  check "storage: IO_COMPLETED v0, v1, v2" [ "$(grep -c '<event symbol="IO_COMPLETED[_v01]*" value="2" version="[012]"' "$st")" -eq 3 ]
fi

# The checker must catch what it is for.  Each case edits a copy of the
# edge manifest (which always has ru-RU and pt-BR) and expects the checker
# to fail with a message matching the pattern.
mutate() { # NAME PATTERN SED-SCRIPT
  local name=$1 want=$2 out rc
  sed -e "$3" "$edge" >"$tmp/mutant.man"
  if cmp -s "$edge" "$tmp/mutant.man"; then fail "checker catches $name: the edit changed nothing"; return; fi
  out=$("${checker[@]}" "$tmp/mutant.man" "${edge_ctx[@]}" 2>&1); rc=$?
  if [ "$rc" -eq 1 ] && grep -qE -- "$want" <<<"$out"; then pass "checker catches $name"
  else fail "checker catches $name (exit $rc)"; sed 's/^/    /' <<<"$out" | head -10; fi
}
if [ -f "$edge" ]; then
  mapfile -t edge_ctx <"$tmp/edge_events/ctxargs"
  ru='/<resources culture="ru-RU">/,/<\/resources>/'
  mutate "a string missing in ru-RU" "culture ru-RU lacks string 'opcodes.Ping.description', which en-US defines" \
    "$ru{/<string id=\"opcodes.Ping.description\"/d}"
  mutate "an extra string in pt-BR" "culture en-US lacks string 'extra'.*|string 'extra' is never referenced" \
    '/<resources culture="pt-BR">/,/<\/resources>/{/<stringTable>/a\        <string id="extra" value="x"/>
}'
  mutate "insertion %9 in en-US" "'events.EDGE_PING.message' inserts %9, but event EDGE_PING_v0 has 2 data items" \
    's/value="Ping %1 of kind/value="Ping %9 of kind/'
  mutate "insertion %9 in ru-RU only" "ru-RU: 'events.EDGE_PING.message' inserts %9" \
    "$ru{s/Пинг %1/Пинг %9/}"
  mutate "a bare percent sign" "holds '% ', which FormatMessage does not print" 's/100%% (&quot;fast/100% (\&quot;fast/'
  mutate "an undefined template" "template 'NOPE' is not defined" 's/template="EDGE_DESCRIBED_v0"/template="NOPE"/'
  mutate "an undefined map" "map 'NOPE' is not defined" '0,/map="EDGE_KIND"/s//map="NOPE"/'
  mutate "an undefined task" "task 'Nope' is not defined" 's/task="Quiet"/task="Nope"/'
  mutate "an undefined opcode" "opcode 'Nope' is not defined" 's/opcode="Last"/opcode="Nope"/'
  mutate "an undefined string" "defines no such string" 's/\$(string.names.EDGE_UNNAMED)/$(string.nope)/'
  mutate "a duplicate symbol" "symbol 'EDGE_PING' is used twice" 's/symbol="EDGE_EMPTY"/symbol="EDGE_PING"/'
  mutate "a duplicate value+version" "event value 1 version 0 is defined twice" \
    's/symbol="EDGE_EMPTY" value="2"/symbol="EDGE_EMPTY" value="1"/'
  mutate "opcode value 5" "custom opcodes must be 10..239" 's/value="10"/value="5"/'
  mutate "a size without outType" "Rtt \(size\): inType='win:Pointer' outType=None; it must be inType='win:Pointer' outType='xs:unsignedLong'" \
    '0,/ outType="xs:unsignedLong"/s///'
  mutate "a size as UInt64" "Rtt \(size\): inType='win:UInt64'" \
    '0,/<data name="Rtt" inType="win:Pointer"/s//<data name="Rtt" inType="win:UInt64"/'
  mutate "an enum field without its map" "map=None; the schema's enum is 'EDGE_KIND'" '0,/ map="EDGE_KIND"/s///'
  mutate "a map on a string" "a map needs an inType of" 's/<data name="Note" inType="win:AnsiString"/& map="EDGE_KIND"/'
  mutate "fields out of order" "template EDGE_PING_v0 has data \['Kind', 'Target'\]" \
    '/<template tid="EDGE_PING_v0">/,/<\/template>/{/<data name="Target"/{h;d};/<data name="Kind"/G}'
  mutate "a layout's event missing" "event EDGE_PING version 1 \(value 1\) is missing" '/<event symbol="EDGE_PING_v1"/d'
  mutate "a culture missing" "cultures are \['en-US', 'ru-RU'\]" '/<resources culture="pt-BR">/,/<\/resources>/d'
  mutate "a text escaped twice" "'tasks.Probe.description' is 'Probing &amp; checking" 's/Probing &amp;/Probing \&amp;amp;/'
  mutate "Markdown in a string" "holds Markdown or HTML \('\*\*'\)" "$ru{s/Там ничего нет\./**Там** ничего нет./}"
  mutate "a binary without length" "win:Binary needs length=" 's/ length="4"//'
  # ...and xmllint must reject what the XSD forbids.
  if [ -f "$xsd" ]; then
    sed 's/ guid="{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}"//' "$edge" >"$tmp/mutant.man"
    check "xmllint rejects a provider without guid" bash -c '! xmllint --noout --schema "$1" "$2" 2>/dev/null' _ "$xsd" "$tmp/mutant.man"
  fi
  mutate "a provider guid without braces" "provider guid" 's/guid="{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}"/guid="0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"/'
fi
finish
