# `evgen diff`: schema evolution.
#
# Golden cases: each tests/diff/CASE/ holds old.yaml and new.yaml (one rule
# each, small schemas shaped like tests/schemas/storage) and
#   expected.txt   stdout of `evgen diff old.yaml new.yaml`, then "exit N"
#   expected.err   its exact stderr (absent: stderr must be empty)
#   expected.json  stdout of the same with --format json (optional)
#   reverse.txt    stdout of `evgen diff new.yaml old.yaml`, then "exit N"
#                  (optional: the rule read backwards, e.g. added -> removed)
# UPDATE=1 rewrites the expected files from the tool; review the diff
# before committing.  Then: usage errors, the real schemas, and --against
# in a throwaway git repository.
. tests/lib.sh
evgen=$(realpath "$EVGEN")
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# golden NAME FILE ARGS...: run `evgen diff ARGS`; stdout + "exit N" must be
# FILE, stderr must be FILE's .err twin (expected.txt -> expected.err) or
# empty.
golden() {
  local name=$1 file=$2 errfile=${2%.txt}.err out err; shift 2
  out=$("$evgen" diff "$@" 2>"$tmp/err"; echo "exit $?")
  err=$(cat "$tmp/err")
  if [ -n "${UPDATE:-}" ]; then
    printf '%s\n' "$out" >"$file"
    if [ -n "$err" ]; then printf '%s\n' "$err" >"$errfile"; else rm -f "$errfile"; fi
  fi
  if [ "$out" != "$(cat "$file" 2>/dev/null)" ]; then
    fail "$name: stdout"; diff <(printf '%s\n' "$out") "$file" | head -20
  elif [ "$err" != "$(cat "$errfile" 2>/dev/null)" ]; then
    fail "$name: stderr"; diff <(printf '%s\n' "$err") "$errfile" 2>&1 | head -20
  else
    pass "$name"
  fi
}

have_python=; command -v python3 >/dev/null && have_python=1
[ -n "$have_python" ] || skip "JSON shape checks: python3 is not installed"
ncases=0
for dir in tests/diff/*/; do
  dir=${dir%/}; c=${dir##*/}
  [ -f "$dir/old.yaml" ] && [ -f "$dir/new.yaml" ] || continue
  ncases=$((ncases + 1))
  cd "$dir" || exit 1
  golden "$c" expected.txt old.yaml new.yaml
  if [ -f reverse.txt ]; then golden "$c (reversed)" reverse.txt new.yaml old.yaml; fi
  if [ -f expected.json ]; then
    out=$("$evgen" diff --format json old.yaml new.yaml 2>/dev/null); rc=$?
    [ -z "${UPDATE:-}" ] || printf '%s\n' "$out" >expected.json
    want_rc=$(tail -n 1 expected.txt); want_rc=${want_rc#exit }
    if [ "$out" == "$(cat expected.json)" ] && [ "$rc" == "$want_rc" ]; then
      pass "$c (json)"
    else
      fail "$c (json): exit $rc, want $want_rc"; diff <(printf '%s\n' "$out") expected.json | head -20
    fi
    # The JSON counts agree with the text summary.
    if [ -n "$have_python" ]; then
      summary=$(grep -E '^(no changes|[0-9]+ changes?:)' expected.txt)
      counts=$(python3 -c 'import json,sys; d=json.load(open("expected.json"))
n=len(d["changes"]); assert n==d["breaking"]+d["compatible"]+d["text"]
assert all(set(c)=={"kind","what","message","old","new","id"} for c in d["changes"])
print("no changes" if n==0 else "%d change%s: %d breaking, %d compatible, %d text only" % (n, "" if n==1 else "s", d["breaking"], d["compatible"], d["text"]))' 2>&1)
      check "$c (json agrees with text)" [ "$counts" == "$summary" ]
    fi
  fi
  cd "$root" || exit 1
done
check "at least 40 golden cases" [ "$ncases" -ge 40 ]

# Every rule tag in diff.c's table has a golden case that shows it (the
# table is the README's; a tag nobody tests is a rule nobody checked).
for tag in schema-name provider-name provider-symbol provider-guid \
  provider-files task-added task-removed task-renumbered task-renamed \
  task-guid opcode-added opcode-removed opcode-renumbered enum-added \
  enum-removed enum-value-added enum-value-removed enum-value-renumbered \
  enum-value-renamed event-added event-removed event-renamed event-id \
  event-task event-opcode event-id-reused event-identity-reused \
  event-version-bumped event-version-decreased event-level field-added \
  field-appended-unversioned field-inserted field-removed field-moved \
  field-renamed field-type field-pointer-size field-enum field-length \
  field-since text-changed text-added text-removed text-id-changed \
  doc-changed; do
  check "tag $tag is tested" grep -qF "[$tag]" -r tests/diff --include='*.txt'
done

# Usage errors exit 2 and say what is wrong.
usage() { # NAME PATTERN ARGS...
  local name=$1 pat=$2 out rc; shift 2
  out=$("$evgen" diff "$@" 2>&1); rc=$?
  if [ "$rc" -eq 2 ] && grep -q -- "$pat" <<<"$out"; then pass "$name"
  else fail "$name: exit $rc: $out"; fi
}
b=tests/diff/identical/old.yaml
usage "usage: no schemas" "which schemas" 
usage "usage: one schema" "which schemas" "$b"
usage "usage: three schemas" "'$b' is extra" "$b" "$b" "$b"
usage "usage: bad format" "unknown format 'xml'" --format xml "$b" "$b"
usage "usage: format without value" "needs text or json" "$b" "$b" --format
usage "usage: unknown option" "unknown option '--frob'" --frob "$b" "$b"
usage "usage: against without value" "needs a git revision" "$b" --against
usage "usage: against, two schemas" "give only the new schema" --against HEAD "$b" "$b"
usage "usage: revision like an option" "'--output=x' is not a git revision" --against=--output=x "$b"
usage "usage: empty revision" "'' is not a git revision" --against '' "$b"
out=$("$evgen" diff "$b" "$b" --format=json); check "--format=VALUE form" grep -q '"changes": \[\]' <<<"$out"
check "help lists diff" bash -c "'$evgen' --help | grep -q '^  diff OLD NEW'"
check "help lists --against" bash -c "'$evgen' --help | grep -q '^  diff --against REV NEW'"

# A missing file is an error in the input (exit 1), named.
out=$("$evgen" diff "$b" "$tmp/none.yaml" 2>&1); rc=$?
check "missing new file: exit 1" [ "$rc" -eq 1 ]
check "missing new file: named" grep -q "^$tmp/none.yaml: error: cannot read" <<<"$out"
# Both schemas' errors are reported before giving up, and nothing is diffed.
out=$("$evgen" diff tests/diff/bad-new/new.yaml tests/diff/bad-new/new.yaml 2>&1); rc=$?
check "errors in both: exit 1" [ "$rc" -eq 1 ]
check "errors in both: both reported" [ "$(grep -c ': error: ' <<<"$out")" -eq 2 ]

# The real schemas: unchanged means no changes; the change the README
# describes (heap Size from size to uint32) is one breaking line.
for s in schema/heap.yaml tests/schemas/storage/storage.yaml; do
  out=$("$evgen" diff "$s" "$s"); rc=$?
  check "$s against itself" [ "$rc" -eq 0 ] && [ "$out" == "no changes" ]
done
sed '/name: Size$/{n;s/type: size$/type: uint32/}' schema/heap.yaml >"$tmp/heap.yaml"
out=$("$evgen" diff schema/heap.yaml "$tmp/heap.yaml"); rc=$?
check "heap Size retyped: exit 1" [ "$rc" -eq 1 ]
check "heap Size retyped: one change" [ "$(grep -c . <<<"$out")" -eq 2 ]
check "heap Size retyped: the line" grep -qE "^breaking: $tmp/heap.yaml:[0-9]+:[0-9]+: field 'Size' of event 'ETW_HEAP_EVENT_ALLOC' changed type from size to uint32 \(pointer-sized to 4 bytes\): every later offset moves \(was schema/heap.yaml:[0-9]+:[0-9]+\) \[field-pointer-size\]$" <<<"$out"
# storage: IO_COMPLETED gained fields in versions 1 and 2; dropping
# version 2 is breaking, and the same in reverse is the compatible bump.
sed -e '/name: IO_COMPLETED/,/^$/{s/version: 2/version: 1/;/since: 2/d}' \
  tests/schemas/storage/storage.yaml >"$tmp/storage-v1.yaml"
out=$("$evgen" diff "$tmp/storage-v1.yaml" tests/schemas/storage/storage.yaml); rc=$?
check "storage v1 -> v2: exit 0" [ "$rc" -eq 0 ]
check "storage v1 -> v2: 3 compatible" grep -qx '3 changes: 0 breaking, 3 compatible, 0 text only' <<<"$out"
check "storage v1 -> v2: Score added" grep -q "field 'Score' added to event 'IO_COMPLETED' in version 2" <<<"$out"
out=$("$evgen" diff tests/schemas/storage/storage.yaml "$tmp/storage-v1.yaml"); rc=$?
check "storage v2 -> v1: exit 1" [ "$rc" -eq 1 ]
check "storage v2 -> v1: 3 breaking" grep -qx '3 changes: 3 breaking, 0 compatible, 0 text only' <<<"$out"

# --against: the old schema comes from git, in a repository made here.
if ! command -v git >/dev/null; then
  skip "--against: git is not installed"
else
  repo=$tmp/repo
  g() { git -C "$repo" -c user.name=t -c user.email=t@example.com "$@"; }
  mkdir -p "$repo/sub dir" && g init -q
  # A hostile file name: quotes, spaces and a command substitution must
  # reach git as one argument, never through a shell.
  evil="it's \$(touch pwned) \`touch pwned2\`.yaml"
  cp tests/diff/field-added/old.yaml "$repo/sub dir/s.yaml"
  cp tests/diff/field-added/old.yaml "$repo/sub dir/$evil"
  g add -A && g commit -qm v1 && g tag v1.0
  cp tests/diff/field-added/new.yaml "$repo/sub dir/s.yaml"
  out=$(cd "$repo" && "$evgen" diff --against HEAD "sub dir/s.yaml"); rc=$?
  check "--against: compatible change exits 0" [ "$rc" -eq 0 ]
  check "--against: old is named REV:PATH" grep -q "^compatible: sub dir/s.yaml:46:16: field 'Tag' added to event 'READ_DONE' in version 2 (old: HEAD:sub dir/s.yaml:33:11) \[field-added\]$" <<<"$out"
  out=$(cd "$repo/sub dir" && "$evgen" diff --against HEAD s.yaml); rc=$?
  check "--against: from a subdirectory, path from the top" grep -q "(old: HEAD:sub dir/s.yaml:33:11)" <<<"$out"
  out=$(cd "$tmp" && "$evgen" diff --against HEAD "$repo/sub dir/s.yaml"); rc=$?
  check "--against: from outside the repository" grep -q "(old: HEAD:sub dir/s.yaml:33:11)" <<<"$out"
  g commit -qam v2
  cp tests/diff/field-added/old.yaml "$repo/sub dir/s.yaml"
  out=$(cd "$repo" && "$evgen" diff --against HEAD "sub dir/s.yaml"); rc=$?
  check "--against: breaking change exits 1" [ "$rc" -eq 1 ]
  check "--against: breaking line" grep -q "^breaking: sub dir/s.yaml:35:14: event 'READ_DONE' version decreased from 2 to 1" <<<"$out"
  out=$(cd "$repo" && "$evgen" diff --against v1.0 "sub dir/s.yaml"); rc=$?
  check "--against a release tag" [ "$rc" -eq 0 ] && [ "$out" == "no changes" ]
  out=$(cd "$repo" && "$evgen" diff --against HEAD~1 --format json "sub dir/s.yaml"); rc=$?
  check "--against with json" [ "$rc" -eq 0 ] && grep -q '"changes": \[\]' <<<"$out"
  cp tests/diff/field-type/new.yaml "$repo/sub dir/$evil"
  out=$(cd "$repo/sub dir" && "$evgen" diff --against HEAD "$evil" 2>&1); rc=$?
  check "--against: hostile name reaches git intact" grep -qF "(was HEAD:sub dir/$evil:" <<<"$out"
  check "--against: hostile name runs nothing" [ ! -e "$repo/sub dir/pwned" ] && [ ! -e "$repo/sub dir/pwned2" ] && [ ! -e "$repo/pwned" ]
  # Errors: an unknown revision, a file git does not have, a file outside
  # any repository.  Each names the file, exit 1.
  out=$(cd "$repo" && "$evgen" diff --against nosuchrev "sub dir/s.yaml" 2>&1); rc=$?
  check "--against unknown revision: exit 1" [ "$rc" -eq 1 ]
  check "--against unknown revision: named" grep -q "^nosuchrev:sub dir/s.yaml: error: cannot read it from git: fatal: " <<<"$out"
  cp tests/diff/field-added/old.yaml "$repo/untracked.yaml"
  out=$(cd "$repo" && "$evgen" diff --against HEAD untracked.yaml 2>&1); rc=$?
  check "--against untracked file: exit 1" [ "$rc" -eq 1 ]
  check "--against untracked file: named" grep -q "^HEAD:untracked.yaml: error: cannot read it from git" <<<"$out"
  mkdir -p "$tmp/norepo"; cp tests/diff/field-added/old.yaml "$tmp/norepo/s.yaml"
  out=$(GIT_CEILING_DIRECTORIES=$tmp "$evgen" diff --against HEAD "$tmp/norepo/s.yaml" 2>&1); rc=$?
  check "--against outside a repository: exit 1" [ "$rc" -eq 1 ]
  check "--against outside a repository: named" grep -q "^$tmp/norepo/s.yaml: error: --against: cannot find the git work tree" <<<"$out"
  # The old text's errors print with its source line, under REV:PATH.
  printf 'evgen: 1\nname: 1\n' >"$repo/sub dir/s.yaml"; g commit -qam broken
  cp tests/diff/field-added/old.yaml "$repo/sub dir/s.yaml"
  out=$(cd "$repo" && "$evgen" diff --against HEAD "sub dir/s.yaml" 2>&1); rc=$?
  check "--against broken old: exit 1" [ "$rc" -eq 1 ]
  check "--against broken old: located" grep -q "^HEAD:sub dir/s.yaml:2:7: error: 'name' must be a string" <<<"$out"
  check "--against broken old: source excerpt" grep -qx "    2 | name: 1" <<<"$out"
  check "--against broken old: nothing diffed" bash -c "! grep -q '^[a-z]*: sub dir' <<<\"\$1\"" _ "$out"
fi
finish
