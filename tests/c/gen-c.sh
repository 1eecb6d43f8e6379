#!/usr/bin/env bash
# gen-c.sh EVGEN SCHEMA OUTDIR DEPFILE: generate only the C outputs of
# SCHEMA (the entries of templates/outputs.yaml whose template is under
# c/) into OUTDIR, through a private templates folder, so that other
# outputs in progress cannot break the codec's build.  The depfile names
# the real templates, not the private copies.  Used by build.ninja's
# codec section for the storage test schema.
set -euo pipefail
evgen=$1 schema=$2 out=$3 dep=$4
tpl=$out/.templates
rm -rf "$tpl"
mkdir -p "$tpl"
cp -r templates/c "$tpl/"
{
  echo "outputs:"
  awk '/^  - /{keep = 0} /^  - template: c\//{keep = 1} keep' templates/outputs.yaml
} >"$tpl/outputs.yaml"
"$evgen" generate "$schema" -o "$out" --templates "$tpl" --depfile "$dep.tmp" --quiet
sed "s#$tpl/#templates/#g" "$dep.tmp" >"$dep"
rm -f "$dep.tmp"
