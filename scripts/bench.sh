#!/usr/bin/env bash
# Speed figures: `native` runs the criterion benchmarks of the engine crates; `browser` runs
# the timing page (tests/timing.rs) in headless Chromium with the app's release profile;
# `polars` times the four headline time-series operations single-threaded against polars with
# one thread (POLARS_MAX_THREADS=1) on the same data and prints the ratios (issue 15's goal:
# at most 0.5x); `peers` runs the workbook's engine and DuckDB-WASM side by side in one
# headless Chromium page (bench/peers; extra arguments such as `runs=3` or `rows=200000` go to
# bench/peers/run.mjs); `projects` times the SQL and the Python course projects' updates
# natively (CPU time, best of 3; issue 15's goal: SQL at most 1.0x Python). `goals` runs
# projects, browser, peers and polars in one go and ends with every goal's line side by side.
# No argument runs native and browser. Prints figures; asserts nothing about time (`polars`
# and `peers` fail when the two engines' results differ).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CHROMEDRIVER=/usr/bin/chromedriver
target_dir=${CARGO_TARGET_DIR:-target}

timing() {
  cargo test --release --locked --target wasm32-unknown-unknown -p iot-workbook --test timing \
    -- --nocapture "$@" 2>&1 | grep -E '^timing |test result|panicked'
}

peers() {
  # DuckDB-WASM comes from the npm registry, into the bench's own folder (the e2e run never
  # needs it); the page serves its wasm from there, so nothing is fetched at run time.
  if [ ! -f bench/peers/node_modules/.package-lock.json ] \
    || ! cmp -s bench/peers/package-lock.json bench/peers/node_modules/.setup-lock; then
    (cd bench/peers && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.setup-lock)
  fi
  cargo build --release --locked --target wasm32-unknown-unknown -p peer-bench
  local pkg="$target_dir/peer-bench-pkg"
  wasm-bindgen --target web --no-typescript --out-dir "$pkg" \
    "$target_dir/wasm32-unknown-unknown/release/peer_bench.wasm"
  node bench/peers/run.mjs "$pkg" "$@"
}

projects() {
  cargo build --release --locked -p pipeline --example course_profile
  local bin="$target_dir/release/examples/course_profile" best_python best_sql
  best() { # the best first-update CPU time of three runs of one project
    for _ in 1 2 3; do "$bin" "$1" | sed -n "s/^$1: first \([0-9]*\) ms.*/\1/p"; done | sort -n | head -1
  }
  best_python=$(best python)
  best_sql=$(best sql)
  "$bin" sql | sed -n '/^first update/,/^incremental/p' | sed '$d'
  echo "course projects, first update (CPU, best of 3): python $best_python ms, sql $best_sql ms"
  awk -v p="$best_python" -v s="$best_sql" 'BEGIN {
    r = s / p
    printf "goal SQL project <= 1.0x Python: %.2fx %s\n", r, (r <= 1.0 ? "met" : "MISSED")
  }'
}

goals() {
  local log
  log=$(mktemp)
  for target in projects browser peers polars; do
    echo "== $target"
    "$0" "$target" 2>&1 | tee -a "$log"
  done
  echo "== issue 15's goals, side by side"
  grep -E 'goal|met|MISSED|missed' "$log" | grep -vE '^(operation|\[)' || true
  rm -f "$log"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(native browser)
case "${targets[0]}" in
  peers) peers "${targets[@]:1}"; exit ;;
  projects) projects; exit ;;
  goals) goals; exit ;;
esac
for target in "${targets[@]}"; do
  case "$target" in
    native) cargo bench --locked -p tsdf -p query -p datagen -p pipeline ;;
    browser)
      # The large preset's test runs alone, in a fresh page, so its peak memory is its own;
      # its update blocks the page longer than the runner's default 20 s allows.
      timing --skip pipeline_large
      WASM_BINDGEN_TEST_TIMEOUT=900 timing pipeline_large
      ;;
    polars)
      venv="$HOME/.cache/iot-workbook/polars-venv"
      [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
      "$venv/bin/python" -c 'import polars, sys; sys.exit(polars.__version__ != "2.1.0")' 2>/dev/null \
        || "$venv/bin/pip" install --quiet polars==2.1.0
      data=$(mktemp -d)
      cargo run --quiet --locked -p tsdf --profile bench --example polars_peer -- "$data" >"$data/workbook.jsonl"
      POLARS_MAX_THREADS=1 "$venv/bin/python" scripts/polars_peer.py "$data"
      rm -rf "$data"
      ;;
    *) echo "unknown benchmark target '$target' (native, browser, polars, peers, projects, goals)" >&2; exit 2 ;;
  esac
done
