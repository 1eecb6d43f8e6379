# Every committed fuzz input -- the seed corpora (tests/fuzz/corpus/NAME)
# and the crash regressions (tests/fuzz/regressions/NAME) -- replayed
# through its fuzz entry point built without libFuzzer, with gcc's ASan,
# UBSan and LeakSanitizer (build/asan/replay_NAME, from `ninja
# fuzz-replay`).  Seeds are replayed a folder at a time; each regression
# is a case of its own, named after its file.
. tests/lib.sh
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
asan=${ASAN_BUILD:-build/asan}

# replay CASE BINARY PATH: PATH (a file or a folder of inputs) replays
# without a sanitizer report and every input in it is counted.
replay() {
  local name=$1 bin=$2 path=$3 n out rc
  if [ -d "$path" ]; then n=$(find "$path" -maxdepth 1 -type f ! -name '.*' | wc -l); else n=1; fi
  out=$("$bin" "$path" 2>&1); rc=$?
  if [ $rc -eq 0 ] && grep -qx "$n inputs replayed" <<<"$out"; then
    pass "$name"
  else
    fail "$name (exit $rc)"
    grep '^replay: ' <<<"$out" | tail -n 1 | sed 's/^replay:/  last input:/'
    grep -E 'ERROR|SUMMARY|runtime error' <<<"$out" | head -n 4 | sed 's/^/  /'
  fi
}

for name in schema render codec-heap codec-storage; do
  bin=$asan/replay_${name//-/_}
  if [ ! -x "$bin" ]; then
    fail "replay-$name: $bin is not built (ninja fuzz-replay builds it)"
    continue
  fi
  if [ -d "tests/fuzz/corpus/$name" ]; then
    replay "corpus-$name" "$bin" "tests/fuzz/corpus/$name"
  else
    fail "corpus-$name: tests/fuzz/corpus/$name is missing"
  fi
  for f in tests/fuzz/regressions/"$name"/*; do
    [ -f "$f" ] && replay "regression-$name/${f##*/}" "$bin" "$f"
  done
done
finish
