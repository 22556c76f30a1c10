#!/bin/sh
# Trunk post-build hook (before route-pages.sh and service-worker.sh, which lists the copies for
# offline use): copies the lessons that build.rs rendered (target/lessons/<id>.json, one per
# lesson and one for the glossary) into <dir>/lessons/, where the page fetches them. Fails when
# one is missing: the page would show an error instead of that lesson.
set -eu
out="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
root="$(cd "$(dirname "$0")/.." && pwd)"
from="$root/target/lessons"
mkdir -p "$out/lessons"
missing=""
for id in glossary $(for f in "$root"/lessons/[0-9]*.md; do basename "$f" .md | sed 's/^[0-9]*-//'; done); do
  if [ -f "$from/$id.json" ]; then
    cp "$from/$id.json" "$out/lessons/$id.json"
  else
    missing="$missing $id"
  fi
done
if [ -n "$missing" ]; then
  echo "lesson-pages.sh: build.rs wrote no rendered page for:$missing (looked in $from)." >&2
  echo "  Make cargo run build.rs again (touch build.rs) and rebuild." >&2
  exit 1
fi
