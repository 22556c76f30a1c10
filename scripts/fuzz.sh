#!/usr/bin/env bash
# The fuzz tests' long run. `scripts/test.sh native` runs each fuzz test's short run (a few
# hundred inputs); this runs the same tests on many more inputs, with a fresh random seed:
#   scripts/fuzz.sh            60 seconds per fuzz test
#   scripts/fuzz.sh 600        600 seconds per fuzz test
#   scripts/fuzz.sh 5000c      5000 inputs per fuzz test
# FUZZ_SEED=<n> replays a run's inputs (the seed is printed). A failing input is printed and
# saved under $TMPDIR/iotwb-fuzz-failures/; keep it as a regression case in the crate's
# tests/fuzz_regressions/<target>/ (one file per input), fix the bug, and the replay test
# guards it from then on. Each fuzz test prints how many inputs it tried; the history
# property (any update history equals a run from scratch) runs FUZZ_CASES cases (default 64).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/iot-workbook/target}"
budget="${1:-60}"
case "$budget" in
  *c) export FUZZ_CASES="${budget%c}"; unset FUZZ_SECONDS ;;
  *) export FUZZ_SECONDS="$budget"; unset FUZZ_CASES ;;
esac
export FUZZ_SEED="${FUZZ_SEED:-$(date +%s)}"
echo "fuzz: ${FUZZ_SECONDS:+${FUZZ_SECONDS} s}${FUZZ_CASES:+${FUZZ_CASES} inputs} per fuzz test, seed $FUZZ_SEED"
status=0
failed=()
run() {
  # One test binary at a time, one test at a time, so each gets the machine.
  local log
  log="$(mktemp -t iotwb-fuzz.XXXXXX)"
  if ! cargo test --locked "$@" -- --test-threads 1 --nocapture >"$log" 2>&1; then
    status=1
    failed+=("$* (log: $log)")
  fi
  grep -E '^fuzz |^test .* (ok|FAILED)$|panicked|^input' "$log" || true
}
run -p query --test fuzz_sql
run -p pipeline --test fuzz_project
run -p pipeline --test fuzz_autoloader
run -p kernel --test fuzz_dashboard
FUZZ_CASES="${FUZZ_CASES:-64}" run -p pipeline --test history_property
if [ "$status" -ne 0 ]; then
  printf 'fuzz: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "fuzz: no failure"
