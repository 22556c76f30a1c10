#!/bin/sh
# Trunk post-build hook: writes <dir>/<route>/index.html for every route of the app, so deep
# links and reloads work on static hosts without a single-page-app fallback. Each copy gets a
# <base> back to the site's root folder: static, so the browser's preload scanner fetches the
# right files, and corrected by a script on hosts that serve /route without redirecting to
# /route/ (where the static relative base would point one folder too high).
set -eu
out="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
page() { # $1 = route path without slashes at the ends, $2 = its number of path segments
  up=$(printf '../%.0s' $(seq "$2"))
  fix="<script>(function(){var p=location.pathname;if(p.endsWith('/')||p.endsWith('index.html'))return;var s=p.split('/');s.splice(s.length-$2);document.querySelector('base').href=s.join('/')+'/'})()</script>"
  mkdir -p "$out/$1"
  sed "s#<head>#<head><base href=\"$up\">$fix#" "$out/index.html" >"$out/$1/index.html"
}
page workbench 1
page glossary 1
page dashboard 1
for lesson in lessons/[0-9]*.md; do
  id=$(basename "$lesson" .md | sed 's/^[0-9]*-//')
  page "modules/$id" 2
done
