#!/bin/sh
# Trunk post-build hook (after route-pages.sh): writes <dir>/sw.js from pwa/sw.js with the list of
# every file of the build and a version made from their contents, so a changed build is a new
# service worker with its own cache (see pwa/sw.js). Reads only the build; downloads nothing.
set -eu
out="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
template="$(dirname "$0")/../pwa/sw.js"
files=$(cd "$out" && find . -type f ! -name sw.js | sed 's#^\./##' | LC_ALL=C sort)
version=$(cd "$out" && printf '%s\n' "$files" | while IFS= read -r f; do sha256sum "$f"; done | sha256sum | cut -c1-16)
# A route page is cached as its folder ("workbench/"), the root page as "./".
list=$(printf '%s\n' "$files" | sed -e 's#^index\.html$#./#' -e 's#/index\.html$#/#' -e 's#.*#  "&",#')
{
  printf '%s\n' "$list" >"$out/.sw-files"
  awk -v version="$version" -v listfile="$out/.sw-files" '
    /__FILES__/ {
      print "const FILES = ["
      while ((getline line < listfile) > 0) print line
      print "];"
      next
    }
    { gsub(/__VERSION__/, version); print }
  ' "$template" >"$out/sw.js"
}
rm -f "$out/.sw-files"
