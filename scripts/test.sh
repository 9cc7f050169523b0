#!/usr/bin/env bash
# Every test, in layers: first the fast gates (JS lint and format, docblocks, JS unit tests,
# rustfmt, clippy native and wasm32), then native (cargo test), browser (wasm-bindgen-test in
# headless Chromium), fuzz smoke runs, end-to-end and packaging (Playwright + Chromium, node's
# test runner). Assumes scripts/setup.sh --test and scripts/build.sh have run (`npm test` does
# both).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n=== %s\n' "$*"; }

if [ ! -d ../shared ]; then
  echo "note: ../shared not found: tests that use its conformance, media and OTIO data will skip"
fi

step "gates: biome (JS lint and format), docblocks, JS unit tests"
node_modules/.bin/biome ci
node scripts/check-docblocks.mjs
node --test tests/unit/

step "gates: cargo fmt, clippy (native and wasm32)"
cargo fmt --all --check
cargo clippy --quiet --all-targets -- -D warnings
RUSTFLAGS="${RUSTFLAGS:-} --cfg=web_sys_unstable_apis" \
  cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings

step "native: cargo test"
cargo test --quiet 2>&1

step "browser: wasm-bindgen-test in headless Chromium"
RUSTFLAGS="${RUSTFLAGS:-} --cfg=web_sys_unstable_apis" \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  cargo test --target wasm32-unknown-unknown $(for f in tests/web.rs tests/web_*.rs; do printf -- '--test %s ' "$(basename "$f" .rs)"; done) 2>&1 \
  | grep -v '^Try find\|^Ok$\|^Loading Wasm'

if [ -x scripts/fuzz-smoke.sh ]; then
  step "fuzz: every seed and kept crasher replayed, then 30 s a target"
  bash scripts/fuzz-smoke.sh
fi

step "end-to-end and packaging: Playwright in headless Chromium"
node --test --test-concurrency=1 tests/e2e/ tests/packaging/
