# Helpers for test suites (sourced).  A suite calls pass/fail/skip per
# case and `finish` at the end, which prints "N passed, N failed".
_passed=0 _failed=0
pass() { _passed=$((_passed + 1)); [ -z "${VERBOSE:-}" ] || echo "PASS $*"; }
fail() { _failed=$((_failed + 1)); echo "FAIL $*"; }
skip() { echo "SKIP $*"; }
# check NAME COMMAND...: pass if the command succeeds.
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
finish() { echo "$_passed passed, $_failed failed"; [ "$_failed" -eq 0 ]; }
have_shared() { [ -d "$SHARED/$1" ] || [ -f "$SHARED/$1" ]; }
run_prog() { # NAME PROGRAM ARGS...: fold a test program's counts into ours
  local name=$1; shift
  local out; out=$("$@" 2>&1); local rc=$?
  local last; last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -n 1)
  if [ -z "$last" ]; then fail "$name: no result (exit $rc)"; echo "$out" | tail -n 20; return; fi
  local p=${last%% passed*} f=${last#*passed, }; f=${f%% failed*}
  _passed=$((_passed + p)); _failed=$((_failed + f))
  [ "$f" -eq 0 ] && [ $rc -eq 0 ] || { echo "FAIL $name (exit $rc)"; grep -v '^[0-9]* passed' <<<"$out" | head -n 40; [ "$f" -gt 0 ] || _failed=$((_failed + 1)); }
}
