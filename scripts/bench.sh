#!/usr/bin/env bash
# Speed figures: `native` runs the criterion benchmarks of the engine crates; `browser` runs
# the timing page (tests/timing.rs) in headless Chromium with the app's release profile.
# No argument runs both. Prints figures; asserts nothing about time.
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
    *) echo "unknown benchmark target '$target' (native, browser)" >&2; exit 2 ;;
  esac
done
