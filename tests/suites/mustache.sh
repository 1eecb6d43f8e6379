# The template engine: the official Mustache spec tests (all files in
# $SHARED/mustache-spec, optional modules included) and evgen's own tests
# of strict mode, error messages, escaping and caps.
. tests/lib.sh
if have_shared mustache-spec; then
  run_prog mustache-spec "$BUILD/mustache_spec_test" "$SHARED/mustache-spec"
  # Every file of the spec folder ran: the program names each one.
  n=$(ls "$SHARED"/mustache-spec/*.yml | wc -l)
  check spec-files-all-loaded [ "$n" -ge 8 ]
else
  skip "mustache spec tests: $SHARED/mustache-spec not found"
fi
run_prog render-tests "$BUILD/render_test"
# The CLI that faces the spec: missing partials and names render empty.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'a{{>missing}}b{{nothing}}c{{x}}\n' >"$tmp/t.mustache"
printf 'x: "<&>"\n' >"$tmp/d.yaml"
check render-lenient-and-html [ "$("$EVGEN" render "$tmp/t.mustache" "$tmp/d.yaml")" == 'abc&lt;&amp;&gt;' ]
check render-escape-none [ "$("$EVGEN" render "$tmp/t.mustache" "$tmp/d.yaml" --escape none)" == 'abc<&>' ]
printf 'P{{>p}}\n' >"$tmp/t2.mustache"; mkdir "$tmp/parts"; printf '[{{x}}]' >"$tmp/parts/p.mustache"
check render-partials-dir [ "$("$EVGEN" render "$tmp/t2.mustache" "$tmp/d.yaml" --partials "$tmp/parts" --escape xml)" == 'P[&lt;&amp;&gt;]' ]
printf '[1, 2, 3]\n' >"$tmp/list.json"
printf '{{#.}}{{.}},{{/.}}' >"$tmp/list.mustache"
check render-any-root [ "$("$EVGEN" render "$tmp/list.mustache" "$tmp/list.json")" == '1,2,3,' ]
printf '{{#a}}unclosed\n' >"$tmp/bad.mustache"
"$EVGEN" render "$tmp/bad.mustache" "$tmp/d.yaml" 2>"$tmp/err"; rc=$?
check render-error-exit-1 [ $rc -eq 1 ]
check render-error-located grep -q "^$tmp/bad.mustache:1:1: error: " "$tmp/err"
"$EVGEN" render "$tmp/t.mustache" 2>/dev/null; check render-usage-exit-2 [ $? -eq 2 ]
"$EVGEN" render "$tmp/t.mustache" "$tmp/d.yaml" --escape rot13 2>/dev/null; check render-bad-escape-exit-2 [ $? -eq 2 ]
finish
