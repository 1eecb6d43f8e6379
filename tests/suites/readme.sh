# The README's worked schema example is a valid schema, and its commands
# name options evgen has.
. tests/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk '/^## The schema format/ {s=1} s && /^```yaml$/ {y=1; next} y && /^```$/ {exit} y' README.md >"$tmp/demo.yaml"
check readme-example-extracted [ "$(wc -l <"$tmp/demo.yaml")" -gt 30 ]
"$EVGEN" check "$tmp/demo.yaml" 2>"$tmp/err"; rc=$?
check readme-example-is-valid [ $rc -eq 0 ]
[ $rc -eq 0 ] || cat "$tmp/err"
out=$("$EVGEN" context "$tmp/demo.yaml" --json)
check readme-example-layouts bash -c "python3 -c 'import json,sys; d=json.load(sys.stdin); e=d[\"events\"][0]; assert [l[\"version\"] for l in e[\"layouts\"]]==[0,1], e[\"layouts\"]' <<<'$out'"
for opt in --templates --depfile --dry-run --locale --json --partials --escape --against --format; do
  check "help-documents-$opt" bash -c "'$EVGEN' --help | grep -q -- '$opt'"
done
finish
