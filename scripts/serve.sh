#!/usr/bin/env bash
# Builds the workbook (release, as instructors host it) and serves it on 127.0.0.1, rebuilding
# when files change. PORT overrides the default 8080. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/tests/e2e/node_modules/.bin:$PATH" # npm binaryen's wasm-opt, for Trunk
port="${PORT:-8080}"
echo "Building the workbook; it will be served at http://127.0.0.1:${port}/"
exec trunk serve --release --address 127.0.0.1 --port "$port"
