#!/usr/bin/env bash
# Runs every test layer, or the layers named as arguments:
#   fmt     cargo fmt --check
#   clippy  cargo clippy --all-targets -D warnings (native, whole workspace)
#   native  cargo test --workspace (unit, golden/conformance, property tests, doctests), and
#           pipeline and kernel again without their `parquet` feature (as the engine worker)
#   wasm    wasm-bindgen tests in headless Chromium
#   e2e     release build with Trunk (app, engine and Parquet codec workers), served gzipped on 127.0.0.1,
#           Playwright flows in Chromium, compared with the native iotwb
#   interop the exported project on real Spark (scripts/interop.sh: pyspark[pipelines] 4.3.0 in a
#           venv), its tables compared with the workbook's. Skipped, saying why, when Java 17+ is
#           missing; in the default run also when the venv is not installed yet (named, as
#           `scripts/test.sh interop`, it installs the venv first: ~400 MB from PyPI)
# Installs what it needs first (scripts/setup.sh, idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export PATH="$PWD/tests/e2e/node_modules/.bin:$PATH" # npm binaryen's wasm-opt, for Trunk
export CHROMEDRIVER=/usr/bin/chromedriver            # for wasm-bindgen-test-runner
# Build output is shared by every clone on this machine (a fresh clone reuses the compiled
# dependencies; nothing depends on it being there), and is never incremental: test runs build
# from clean sources, where incremental caches only cost time. Both can be overridden.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/iot-workbook/target}"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
layers=("$@")
named=${#layers[@]}
[ ${#layers[@]} -gt 0 ] || layers=(fmt clippy native wasm e2e interop)
SPARK_VENV="${IOTWB_SPARK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/iot-workbook/spark-venv}"

run_layer() {
  case "$1" in
    fmt) cargo fmt --all -- --check ;;
    clippy) cargo clippy --workspace --all-targets --locked -- -D warnings ;;
    native)
      cargo test --workspace --locked
      # The engine worker builds these two without their `parquet` feature: test that build too.
      cargo test --locked -p pipeline -p kernel --no-default-features
      ;;
    wasm)
      # App and engine tests in Chromium; tests/engine.rs runs the pipeline (and with it tsdf,
      # query and datagen) in the browser, so this build also proves every engine crate builds
      # for wasm32.
      cargo test --target wasm32-unknown-unknown --locked -p iot-workbook --test web --test engine
      ;;
    e2e)
      trunk build --release
      # The native `iotwb` is the reference the flows compare the page's tables with.
      cargo build --locked -p cli
      (cd tests/e2e && DIST=../../dist IOTWB="$CARGO_TARGET_DIR/debug/iotwb" npm test)
      ;;
    interop)
      # Spark runs on Java 17+; without it the layer is skipped, and says so.
      java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
      if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
        echo "interop: SKIPPED: Spark needs Java 17 or newer, and \`java -version\` shows ${java_major:-no Java}"
        return 0
      fi
      if [ "$named" -eq 0 ] && [ ! -x "$SPARK_VENV/bin/spark-pipelines" ]; then
        echo "interop: SKIPPED: pyspark[pipelines] is not installed in $SPARK_VENV; \`scripts/test.sh interop\` installs it (~400 MB from PyPI) and runs this layer"
        return 0
      fi
      scripts/interop.sh
      ;;
    *) echo "unknown test layer '$1' (layers: fmt clippy native wasm e2e interop)" >&2; return 2 ;;
  esac
}

summary=()
for layer in "${layers[@]}"; do
  printf '\n\033[1m== %s ==\033[0m\n' "$layer"
  start=$SECONDS
  run_layer "$layer"
  summary+=("$(printf '%-7s ok  %4ss' "$layer" $((SECONDS - start)))")
done
printf '\n\033[1mAll requested test layers passed:\033[0m\n'
printf '  %s\n' "${summary[@]}"
