# The generated C codecs (templates/c/, issue 4), for the heap schema
# (generated/c/), the storage test schema (build/gen/storage/c/, which has
# every field type) and tests/codec/edge (the templates' edge cases):
#   - the codec tests (tests/c/test_*.c: hand-written byte vectors, every
#     truncation, versions, unknown enums, refusals, JSON, random round
#     trips), plain and under AddressSanitizer + UBSan;
#   - the compile matrix: gcc and clang, -std=c99 and strict warnings,
#     -m32 when the multilib is there, C++ for the headers, mingw-w64 for
#     the Windows provider wrapper (compiled and linked with advapi32);
#   - the generated C as a reader sees it: layout, includes, one prefix;
#   - the decode tool: golden JSON for tests/codec/*.lines, exit statuses.
# The programs come from `ninja codec-tests`.  UPDATE=1 rewrites the
# golden files tests/codec/*.expected (review the diff).
. tests/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
heap_c=generated/c
storage_c=$BUILD/gen/storage/c
edge_c=$BUILD/gen/edge/c

missing=0
for f in codec/test_heap codec/test_storage codec/test_edge \
         codec/asan/test_heap codec/asan/test_storage codec/asan/test_edge \
         heap_events-decode \
         codec/storage_events-decode codec/asan/heap_events-decode; do
  [ -x "$BUILD/$f" ] || { fail "built: $BUILD/$f is missing (ninja codec-tests)"; missing=1; }
done
for d in "$storage_c" "$edge_c"; do
  [ -d "$d" ] || { fail "built: $d is missing (ninja codec-tests)"; missing=1; }
done
[ $missing -eq 0 ] && pass "built: codec test programs"

# --- The codec tests ----------------------------------------------------
# Each prints "PASS case" or "FAIL case: why" (several per failing case)
# and "N cases passed, M failed"; a crash (ASan, UBSan) prints neither.
run_cases() { # LABEL PROGRAM
  local label=$1 prog=$2 out rc
  [ -x "$prog" ] || return
  out=$("$prog" 2>&1); rc=$?
  grep '^PASS ' <<<"$out" | while read -r _ name; do echo "$name"; done >"$tmp/passed"
  while read -r name; do pass "$label: $name"; done <"$tmp/passed"
  grep '^FAIL ' <<<"$out" | sed 's/^FAIL \([^:]*\):.*/\1/' | sort -u >"$tmp/failed"
  while read -r name; do
    fail "$label: $name"; grep "^FAIL $name:" <<<"$out" | sed 's/^/    /'
  done <"$tmp/failed"
  if ! grep -q '^[0-9]* cases passed, [0-9]* failed$' <<<"$out"; then
    fail "$label: did not finish (exit $rc)"; tail -n 30 <<<"$out" | sed 's/^/    /'
  elif [ $rc -ne 0 ] && [ ! -s "$tmp/failed" ]; then
    fail "$label: exit $rc"
  fi
}
run_cases heap "$BUILD/codec/test_heap"
run_cases storage "$BUILD/codec/test_storage"
run_cases edge "$BUILD/codec/test_edge"
run_cases heap-asan "$BUILD/codec/asan/test_heap"
run_cases storage-asan "$BUILD/codec/asan/test_storage"
run_cases edge-asan "$BUILD/codec/asan/test_edge"

# --- Compile matrix -------------------------------------------------------
strict=(-Wall -Wextra -Wpedantic -Werror)
extra=(-Wshadow -Wconversion -Wsign-conversion -Wcast-qual -Wcast-align
       -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wwrite-strings
       -Wpointer-arith)
sources=("$heap_c/heap_events.c" "$heap_c/heap_events_decode.c"
         "$storage_c/storage_events.c" "$storage_c/storage_events_decode.c"
         "$edge_c/edge_events.c" "$edge_c/edge_events_decode.c")
compiles() { # COMPILER ARGS... SOURCE: compile quietly, showing errors
  local out
  if out=$("$@" -c -o "$tmp/x.o" 2>&1); then return 0; fi
  sed 's/^/    /' <<<"$out" | head -20; return 1
}
for cc in gcc clang; do
  if ! command -v $cc >/dev/null; then skip "$cc: not installed"; continue; fi
  for src in "${sources[@]}"; do
    inc=-I$(dirname "$src")
    b=$(basename "$src")
    check "$cc -std=c99 -O0 $b" compiles $cc -std=c99 -O0 "${strict[@]}" $inc "$src"
    check "$cc -std=c99 -O2 $b" compiles $cc -std=c99 -O2 "${strict[@]}" $inc "$src"
    check "$cc -std=c11 -O2 strict extras $b" compiles $cc -std=c11 -O2 "${strict[@]}" "${extra[@]}" $inc "$src"
  done
  # 32-bit: only where the multilib (gcc-multilib) is installed.
  # Some kernels are built without IA32 emulation (exec fails, exit 126):
  # there they run under qemu-i386 (Debian: qemu-user), or only build.
  if echo 'int main(void) { return 0; }' | $cc -m32 -x c - -o "$tmp/m32" 2>/dev/null; then
    run32=1
    if ! "$tmp/m32" 2>/dev/null; then
      run32=0
      if command -v qemu-i386 >/dev/null && qemu-i386 "$tmp/m32"; then
        run32=qemu
      else
        skip "$cc -m32: built, not run: this kernel does not run 32-bit programs (Debian: qemu-user runs them)"
      fi
    fi
    for t in heap:$heap_c:heap_events storage:$storage_c:storage_events \
             edge:$edge_c:edge_events; do
      IFS=: read -r name dir stem <<<"$t"
      if $cc -m32 -std=c99 -O2 "${strict[@]}" -I"$dir" -Itests/c "$dir/$stem.c" \
           "tests/c/test_$name.c" -o "$tmp/t32" -lm 2>"$tmp/err"; then
        pass "$cc -m32: $name builds"
        if [ $run32 = qemu ]; then
          printf '#!/bin/sh\nexec qemu-i386 "%s" "$@"\n' "$tmp/t32" >"$tmp/t32-qemu"
          chmod +x "$tmp/t32-qemu"
          run_cases "$name-m32-$cc (qemu-i386)" "$tmp/t32-qemu"
        elif [ $run32 = 1 ]; then
          run_cases "$name-m32-$cc" "$tmp/t32"
        fi
      else
        fail "$cc -m32: $name builds"; sed 's/^/    /' "$tmp/err" | head -20
      fi
    done
  else
    skip "$cc -m32: no 32-bit multilib here (Debian: gcc-multilib)"
  fi
done
# The headers are C++-clean (extern "C", no C-only constructs).
if command -v g++ >/dev/null; then
  printf '#include "heap_events.h"\n#include "storage_events.h"\n#include "edge_events.h"\nint main() { heap_events_event e; storage_events_event s; edge_events_event g; (void)e; (void)s; (void)g; return 0; }\n' >"$tmp/cpp.cc"
  check "g++: headers compile as C++" compiles g++ -std=c++11 "${strict[@]}" \
    -I"$heap_c" -I"$storage_c" -I"$edge_c" "$tmp/cpp.cc"
else
  skip "g++: not installed"
fi

# --- The Windows provider wrapper, with mingw-w64 ------------------------
mingw=x86_64-w64-mingw32-gcc
if command -v $mingw >/dev/null; then
  if $mingw -std=c11 "${strict[@]}" -I"$heap_c" tests/c/etw_heap.c \
       tests/c/etw_heap2.c -o "$tmp/etw_heap.exe" -ladvapi32 2>"$tmp/err"; then
    pass "mingw: heap_events_etw.h compiles and links (2 units)"
  else
    fail "mingw: heap_events_etw.h compiles and links (2 units)"; sed 's/^/    /' "$tmp/err" | head -20
  fi
  if $mingw -std=c11 "${strict[@]}" -I"$storage_c" tests/c/etw_storage.c \
       -o "$tmp/etw_storage.exe" -ladvapi32 2>"$tmp/err"; then
    pass "mingw: storage_events_etw.h compiles and links"
  else
    fail "mingw: storage_events_etw.h compiles and links"; sed 's/^/    /' "$tmp/err" | head -20
  fi
  printf '#include "edge_events_etw.h"\nint main(void) { return 0; }\n' >"$tmp/etw_edge.c"
  check "mingw: edge_events_etw.h compiles" compiles $mingw -std=c11 \
    "${strict[@]}" -I"$edge_c" "$tmp/etw_edge.c"
  for src in "${sources[@]}"; do
    check "mingw: $(basename "$src")" compiles $mingw -std=c99 -O2 "${strict[@]}" \
      -I"$(dirname "$src")" "$src"
  done
  # What the wrapper passes: pointer fields at the writer's pointer size.
  check "mingw: pointer fields are passed pointer-sized" \
    grep -q 'EventDataDescCreate(&EventData\[0\], &HeapHandle, sizeof(HeapHandle));' \
    "$heap_c/heap_events_etw.h"
else
  skip "mingw-w64: $mingw not installed (Debian: gcc-mingw-w64-x86-64)"
fi

# --- The generated C as a reader sees it ---------------------------------
for f in "$heap_c"/*.[ch] "$storage_c"/*.[ch] "$edge_c"/*.[ch]; do
  b=$(basename "$f")
  check "layout: $b has no tabs, CRs or trailing blanks" \
    bash -c "! grep -qP '\t|\r| +\$' '$f'"
  check "layout: $b has no double blank lines" \
    bash -c "! awk 'prev == \"\" && \$0 == \"\" { bad = 1 } { prev = \$0 } END { exit !bad }' '$f'"
  # 80 columns; a GUID initializer may take a few more.
  check "layout: $b keeps to 80 columns" \
    bash -c "! awk 'length > 80 && !/[{]0x[0-9a-f]+, 0x[0-9a-f]+, 0x/' '$f' | grep -q ."
done
if command -v python3 >/dev/null; then
  check "layout: continuation lines line up (every schema)" \
    python3 tests/c/check_align.py "$heap_c"/*.[ch] "$storage_c"/*.[ch] "$edge_c"/*.[ch]
fi
for f in "$heap_c/heap_events.c" "$heap_c/heap_events.h" \
         "$storage_c/storage_events.c" "$storage_c/storage_events.h" \
         "$edge_c/edge_events.c" "$edge_c/edge_events.h"; do
  check "includes: $(basename "$f") needs only the C library" \
    bash -c "! grep '^#include <' '$f' | grep -vqE '<(stddef|stdint|string|stdio|stdlib|math)\.h>'"
done
# Every exported symbol carries the schema's prefix.
for t in "heap_events:$heap_c" "storage_events:$storage_c" \
         "edge_events:$edge_c"; do
  IFS=: read -r stem dir <<<"$t"
  if cc -std=c99 -c -I"$dir" "$dir/$stem.c" -o "$tmp/$stem.o" 2>/dev/null; then
    bad=$(nm -g --defined-only "$tmp/$stem.o" | awk '{print $3}' | grep -v "^${stem}_" || true)
    if [ -z "$bad" ]; then pass "symbols: $stem exports only ${stem}_*"
    else fail "symbols: $stem exports $bad"; fi
  else
    fail "symbols: $stem.c compiles"
  fi
done

# --- The decode tool ------------------------------------------------------
golden() { # NAME TOOL ARGS...: tests/codec/NAME.lines through the tool
  local name=$1; shift
  "$@" --stdin <"tests/codec/$name.lines" >"$tmp/$name.out"
  local rc=$?
  [ -n "${UPDATE:-}" ] && cp "$tmp/$name.out" "tests/codec/$name.expected"
  if diff -u "tests/codec/$name.expected" "$tmp/$name.out" >"$tmp/diff"; then
    pass "decode: $name golden ($(basename "$1"))"
  else
    fail "decode: $name golden ($(basename "$1"))"; head -30 "$tmp/diff" | sed 's/^/    /'
  fi
  # Some lines are errors on purpose: the status says so.
  check "decode: $name --stdin exits 1 after bad lines" [ $rc -eq 1 ]
  if command -v python3 >/dev/null; then
    check "decode: $name prints one JSON object a line" python3 -c '
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
for l in lines:
    assert isinstance(json.loads(l), dict), l
n = sum(1 for l in open(sys.argv[2]) if l.strip())
assert len(lines) == n, (len(lines), n)' "$tmp/$name.out" "tests/codec/$name.lines"
  fi
}
heap_tool=$BUILD/heap_events-decode
golden heap "$heap_tool"
golden heap "$BUILD/codec/asan/heap_events-decode"
golden storage "$BUILD/codec/storage_events-decode" --by-id

# One payload on the command line: the same JSON as its --stdin line.
a64=0000b4a3d201000000100000000000007056b4a3d201000003000000
out=$("$heap_tool" --pointer-size 8 --opcode 33 "$a64"); rc=$?
check "decode: one payload, exit 0" [ $rc -eq 0 ]
check "decode: one payload, same JSON as --stdin" [ "$out" == "$(head -n 1 tests/codec/heap.expected)" ]
out=$("$heap_tool" --pointer-size 8 --id 33 --version 0 "$a64")
check "decode: --id and --version" grep -q '"version":0,"decoded_version":0' <<<"$out"
err=$("$heap_tool" --pointer-size 8 --opcode 33 "${a64:0:50}" 2>&1 >/dev/null); rc=$?
check "decode: short payload exits 1" [ $rc -eq 1 ]
check "decode: short payload says where" grep -q 'payload too short (field Source at offset 24; the payload has 25 bytes)' <<<"$err"
"$heap_tool" --pointer-size 8 --opcode 35 "$a64" >/dev/null 2>&1
check "decode: unknown opcode exits 1" [ $? -eq 1 ]
"$heap_tool" --pointer-size 8 --opcode 33 "${a64}0" >/dev/null 2>&1
check "decode: bad hex exits 1" [ $? -eq 1 ]
# Numbers are decimal or 0x hex, never octal: 033 is 33.
out=$("$heap_tool" --pointer-size 8 --opcode 033 "$a64")
check "decode: 033 is opcode 33, not octal 27" grep -q '"opcode":33' <<<"$out"
out=$("$heap_tool" --pointer-size 0x8 --opcode 0x21 "$a64")
check "decode: 0x21 is opcode 33" grep -q '"opcode":33' <<<"$out"
# --stdin --version V applies to lines without their own version.
out=$(printf '33 8 %s\n33 8 1 %s\n' "$a64" "$a64" | "$heap_tool" --stdin --version 0)
check "decode: --stdin --version 0 applies to a line without one" \
  grep -q '^{"event":"ETW_HEAP_EVENT_ALLOC","id":33,"opcode":33,"version":0,' <<<"$out"
check "decode: --stdin, a line's own version wins" \
  grep -q '"opcode":33,"version":1,' <<<"$out"
# A full disk is said, not only exited on.
if [ -w /dev/full ]; then
  err=$("$heap_tool" --pointer-size 8 --opcode 33 "$a64" 2>&1 >/dev/full); rc=$?
  check "decode: a write error exits 1 and says so" \
    bash -c '[ "$1" -eq 1 ] && grep -q "write error" <<<"$2"' _ "$rc" "$err"
fi
usage() { "$heap_tool" "$@" >/dev/null 2>&1; [ $? -eq 2 ]; }
check "decode: --pointer-size ' 8' is a usage error" usage --pointer-size ' 8' --opcode 33 "$a64"
check "decode: no arguments is a usage error" usage
check "decode: unknown option is a usage error" usage --frob
check "decode: missing --pointer-size is a usage error" usage --opcode 33 "$a64"
check "decode: --pointer-size 5 is a usage error" usage --pointer-size 5 --opcode 33 "$a64"
check "decode: --opcode without a number is a usage error" usage --pointer-size 8 --opcode
check "decode: two payloads is a usage error" usage --pointer-size 8 --opcode 33 "$a64" "$a64"
check "decode: --stdin with --opcode is a usage error" usage --stdin --opcode 33
check "decode: --help exits 0" bash -c "'$heap_tool' --help >/dev/null"
# A large dump: every line answered, in order (not a timing test).
python3 -c '
import sys
lines = [l for l in open("tests/codec/heap.lines") if l.strip()]
sys.stdout.write("".join(lines * 4000))' >"$tmp/big" 2>/dev/null &&
  "$heap_tool" --stdin <"$tmp/big" >"$tmp/big.out"
check "decode: a 96,000-line dump, a line out for each line in" [ "$(wc -l <"$tmp/big.out")" -eq "$(wc -l <"$tmp/big")" ]
check "decode: big dump matches the golden lines" \
  bash -c "grep -v '^\$' tests/codec/heap.expected >'$tmp/g1'; sed 's/\"line\":[0-9]*/\"line\":N/' '$tmp/g1' >'$tmp/g2'; sed 's/\"line\":[0-9]*/\"line\":N/' '$tmp/big.out' | head -n \$(wc -l <'$tmp/g2') | cmp -s - '$tmp/g2'"
finish
