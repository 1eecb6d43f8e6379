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
