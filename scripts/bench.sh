#!/usr/bin/env bash
# Speed figures: `native` runs the criterion benchmarks of the engine crates; `browser` runs
# the timing page (tests/timing.rs) in headless Chromium with the app's release profile;
# `peers` runs the workbook's engine and DuckDB-WASM side by side in one headless Chromium page
# (bench/peers; extra arguments such as `runs=3` or `rows=200000` go to bench/peers/run.mjs).
# No argument runs native and browser. Prints figures; asserts nothing about time (`peers`
# fails when the two engines' results differ).
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

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(native browser)
case "${targets[0]}" in
  peers) peers "${targets[@]:1}"; exit ;;
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
    *) echo "unknown benchmark target '$target' (native, browser, peers)" >&2; exit 2 ;;
  esac
done
