#!/usr/bin/env bash
# Speed figures: `native` runs the criterion benchmarks of the engine crates; `browser` runs
# the timing page (tests/timing.rs) in headless Chromium with the app's release profile.
# `polars` times the four headline time-series operations single-threaded against polars with
# one thread (POLARS_MAX_THREADS=1) on the same data and prints the ratios (issue 15's goal:
# at most 0.5x). No argument runs native and browser. Prints figures; asserts nothing about time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CHROMEDRIVER=/usr/bin/chromedriver
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(native browser)
for target in "${targets[@]}"; do
  case "$target" in
    native) cargo bench --locked -p tsdf -p query -p datagen -p pipeline ;;
    browser)
      cargo test --release --locked --target wasm32-unknown-unknown -p iot-workbook --test timing -- --nocapture 2>&1 \
        | grep -E '^timing |test result|panicked'
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
    *) echo "unknown benchmark target '$target' (native, browser, polars)" >&2; exit 2 ;;
  esac
done
