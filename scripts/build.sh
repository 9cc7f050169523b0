#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm + the JS shell + types) and the demo into www/dist/.
# `--pkg` builds only the package. Assumes scripts/setup.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# web_sys_unstable_apis: WebCodecs types (VideoDecoder, EncodedVideoChunk, …) are still unstable.
export RUSTFLAGS="${RUSTFLAGS:-} --cfg=web_sys_unstable_apis"
cargo build --quiet --release --lib --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/release/outtake.wasm

rm -rf pkg
mkdir -p pkg/wasm
wasm-bindgen --target web --out-dir pkg/wasm --out-name outtake "$wasm"
# Size matters (the package must stay small): optimise for size with binaryen's wasm-opt from npm,
# since wasm-pack's own download of it fails on our machines.
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/wasm/outtake_bg.wasm -o pkg/wasm/outtake_bg.wasm

cp js/*.js js/*.d.ts pkg/
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
node -e '
  const fs = require("fs");
  const p = JSON.parse(fs.readFileSync("js/package.json", "utf8"));
  p.version = process.argv[1];
  fs.writeFileSync("pkg/package.json", JSON.stringify(p, null, 2) + "\n");
' "$version"
cp README.md pkg/README.md 2>/dev/null || true

if [ "${1:-}" != "--pkg" ]; then
  node_modules/.bin/webpack --mode production --stats errors-warnings
fi
echo "build: pkg/ ($(du -sh pkg | cut -f1)) and www/dist/ ready"
