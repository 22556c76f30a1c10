#!/usr/bin/env bash
# Installs everything the workbook needs to build, serve and test, and nothing else.
# Idempotent: every step checks first and skips what is already in place, so the serve and
# test commands call it on every run. Nothing here downloads from GitHub (unreachable here):
# tools come from crates.io, npm and Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14 # 0.22.x needs a newer rustc than this machine's 1.95
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock (Cargo.toml pins it with "=").
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! have_version trunk "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 15 minutes on 2 cores, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 8 minutes, once)"
  # Not --locked: the CLI's own lockfile pins a webpki-roots version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm packages (playwright-core for the e2e tests, binaryen for wasm-opt) from the committed lock.
if [ ! -f tests/e2e/node_modules/.package-lock.json ] \
  || ! cmp -s tests/e2e/package-lock.json tests/e2e/node_modules/.setup-lock; then
  say "installing npm packages for the e2e tests and wasm-opt"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.setup-lock)
fi

# Trunk runs cargo with --offline, so the registry must already hold every crate.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch
say "tools ready"
