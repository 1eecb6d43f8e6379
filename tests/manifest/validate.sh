#!/bin/sh
# The build-time check of a generated ETW manifest (build.ninja, section
# "Manifest"):
#
#   tests/manifest/validate.sh STAMP MANIFEST...
#
# Fails when xmllint is not installed (Debian: libxml2-utils), when a
# manifest does not validate against $SHARED/ref/eventman.xsd (SHARED
# defaults to ../shared; without it that step is skipped, saying so), or
# when tests/manifest/check_manifest.py finds a problem.  Touches STAMP
# when all passed.
set -u
stamp=$1
shift
if ! command -v xmllint >/dev/null 2>&1; then
  echo "error: xmllint is not installed; it validates the ETW manifest" \
    "(Debian: apt-get install libxml2-utils, or run tools/install-deps)" >&2
  exit 1
fi
xsd=${SHARED:-../shared}/ref/eventman.xsd
for man in "$@"; do
  if [ -f "$xsd" ]; then
    # xmllint says "FILE validates" on success: show its words on failure only.
    if ! log=$(xmllint --noout --schema "$xsd" "$man" 2>&1); then
      printf '%s\n' "$log" >&2
      exit 1
    fi
  else
    echo "note: $xsd is absent; $man was not validated against the SDK schema" >&2
  fi
  python3 "$(dirname "$0")/check_manifest.py" "$man" >/dev/null || exit 1
done
touch "$stamp"
