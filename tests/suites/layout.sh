# The docs' payload layout tables against the generated encoder: for every
# heap event, pointer size and locale, each field sits where the page says.
. tests/lib.sh
out=$("$BUILD/layout/probe_heap"); check probe-runs [ $? -eq 0 ]
check probe-found-13-fields-twice [ "$(wc -l <<<"$out")" -eq 26 ]
for loc in generated/docs/*/; do
  res=$(python3 tests/layout/compare.py "$loc"etw-heap-event-*.md <<<"$out")
  check "layout-matches-encoder-$(basename "$loc")" [ $? -eq 0 ]
  echo "$res"
done
# The comparison can fail: a page with one offset changed is caught.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sed 's/^| Address | PVOID | 8 | 4 | 16 | 8 |$/| Address | PVOID | 8 | 4 | 12 | 8 |/' \
  generated/docs/en-US/etw-heap-event-alloc.md >"$tmp/etw-heap-event-alloc.md"
check mutation-changed-the-page bash -c "! cmp -s '$tmp/etw-heap-event-alloc.md' generated/docs/en-US/etw-heap-event-alloc.md"
python3 tests/layout/compare.py "$tmp/etw-heap-event-alloc.md" <<<"$out" >/dev/null
check wrong-offset-is-caught [ $? -eq 1 ]
finish
