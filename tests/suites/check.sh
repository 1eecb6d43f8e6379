# Golden diagnostics of `evgen check`: each tests/check/NAME.yaml beside
# NAME.expected, which holds the exact standard error followed by a line
# "exit N".  UPDATE=1 rewrites the expected files from the tool (review
# the diff before committing).
. tests/lib.sh
evgen=$(realpath "$EVGEN")
cd tests/check || exit 1
run_case() { # NAME ARGS...: run evgen in tests/check, compare with NAME.expected
  local name=$1; shift
  local out; out=$("$evgen" "$@" 2>&1 >/dev/null; echo "exit $?")
  if [ -n "${UPDATE:-}" ]; then printf '%s\n' "$out" >"$name.expected"; fi
  if [ "$out" == "$(cat "$name.expected" 2>/dev/null)" ]; then pass "$name"
  else fail "$name"; diff <(printf '%s\n' "$out") "$name.expected" | head -20; fi
}
for f in *.yaml; do
  name=${f%.yaml}
  [ -d "$f" ] && continue
  run_case "$name" check "$f"
done
# Whole-file problems and usage errors.
run_case dir-as-schema check dir-as-schema.yaml
run_case missing-file check no-such-schema.yaml
run_case usage-no-command
run_case usage-unknown-command frobnicate
run_case usage-check-no-schema check
run_case usage-check-bad-option check --frob ok-minimal.yaml
# Several schemas in one run: each is reported, the status is the worst.
run_case several-schemas check ok-minimal.yaml bad-guid.yaml two-documents.yaml
out=$("$evgen" --version); check version-prints [ "$out" == "evgen 0.1.0" ]
check help-exits-0 "$evgen" --help
check help-lists-check bash -c "'$evgen' --help | grep -q '^  check SCHEMA'"
# The error cap: a schema with 200 errors prints 50 and says it stopped.
{
  sed -n '1,/^events:/p' ok-minimal.yaml
  for i in $(seq 1 200); do printf '  - {name: bad-%d, id: %d, fields: []}\n' "$i" "$i"; done
} >"${TMPDIR:-/tmp}/many-$$.yaml"
n=$("$evgen" check "${TMPDIR:-/tmp}/many-$$.yaml" 2>&1 | grep -c ': error: ')
check error-cap-50 [ "$n" -eq 50 ]
check error-cap-says-so bash -c "'$evgen' check '${TMPDIR:-/tmp}/many-$$.yaml' 2>&1 | grep -q 'too many errors'"
rm -f "${TMPDIR:-/tmp}/many-$$.yaml"
finish
