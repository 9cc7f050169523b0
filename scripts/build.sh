#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm + the JS shell + types) and the demo into www/dist/, and
# reports the package's size against its budget. `--pkg` builds only the package. Assumes
# scripts/setup.sh has run. Skips what is up to date: an unchanged tree rebuilds in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# web_sys_unstable_apis: WebCodecs types (VideoDecoder, EncodedVideoChunk, …) are still unstable.
# simd128: the speech detector's network, its FFT and the resampler run over every 16 ms of a
# programme; 128-bit SIMD (every browser with WebCodecs has it) speeds them up, measured in
# BENCHMARKS.md (the sync section's 2-hour table).
export RUSTFLAGS="${RUSTFLAGS:-} --cfg=web_sys_unstable_apis -C target-feature=+simd128"
cargo build --quiet --release --lib --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/release/outtake.wasm

# Size matters (the package must stay small): optimise for size with binaryen's wasm-opt from npm,
# since wasm-pack's own download of it fails on our machines.
# NOTE: -Os, not -Oz: -Oz makes 4.6 kB less raw wasm but it gzips 1.1 kB larger (452.3 against
# 453.4 kB, 2026-11-29), and what is downloaded is gzipped. --converge saved 0.5 kB more for
# twice the time, --gufa 0.2 kB.
wasm_opt=(node_modules/.bin/wasm-opt -Os --enable-simd --enable-bulk-memory --enable-sign-ext
  --enable-nontrapping-float-to-int --enable-mutable-globals --enable-reference-types
  --enable-multivalue)

# wasm-bindgen and wasm-opt (most of a build's time) run only when their input or tools changed,
# or pkg/wasm no longer holds what they made: the stamp keeps the hash of the input and of this
# script, the tools' versions and flags, and the outputs' hashes.
stamp=target/outtake-pkg-wasm.stamp
key="$(cat "$wasm" scripts/build.sh | sha256sum | cut -d' ' -f1) $(wasm-bindgen --version) $("${wasm_opt[0]}" --version) ${wasm_opt[*]:1}"
if [ "$(head -1 "$stamp" 2>/dev/null)" = "$key" ] && tail -n +2 "$stamp" | sha256sum --check --status 2>/dev/null; then
  echo "build: pkg/wasm is up to date"
else
  rm -rf pkg/wasm
  mkdir -p pkg/wasm
  wasm-bindgen --target web --out-dir pkg/wasm --out-name outtake "$wasm"
  "${wasm_opt[@]}" pkg/wasm/outtake_bg.wasm -o pkg/wasm/outtake_bg.wasm
  # The glue repeats every export's doc comment, which the types (outtake.d.ts, index.d.ts)
  # already carry to editors: shipped without comments (scripts/strip-comments.mjs), 5.6 kB
  # gzipped (2026-11-29), but for its first line, which tells TypeScript where its types are.
  node scripts/strip-comments.mjs target/glue pkg/wasm/outtake.js
  { head -1 pkg/wasm/outtake.js; cat target/glue/outtake.js; } > target/glue/with-types.js
  mv target/glue/with-types.js pkg/wasm/outtake.js
  cp pkg/wasm/outtake.js target/outtake-glue-check.mjs && node --check target/outtake-glue-check.mjs
  # After a trap js/engine.js instantiates afresh, which the glue cannot do by itself (it keeps
  # its first instance for good): this export forgets it and hands back the compiled module.
  # NOTE: it names the glue's own variables (wasm-bindgen is pinned exactly); checked first, so
  # that an upgrade which renames them fails here rather than in a user's page.
  for v in 'let wasmModule, wasmInstance, wasm;' 'let __wbg_init_promise;'; do
    grep -qF "$v" pkg/wasm/outtake.js || { echo "build: the wasm-bindgen glue has no \`$v\`: update the reset in scripts/build.sh" >&2; exit 1; }
  done
  cat >> pkg/wasm/outtake.js <<'JS'

/** outtake: forgets this instance (after a trap); the next init makes a fresh one of the module returned. */
export function __outtake_reset() {
  const module = wasmModule;
  wasm = wasmInstance = wasmModule = __wbg_init_promise = undefined;
  return module;
}
JS
  { echo "$key"; sha256sum pkg/wasm/*; } > "$stamp"
fi

# The rest of pkg/: files are copied only when they differ (so their times, and the demo's
# stamp below, stay put), and anything no longer in the sources is removed.
copy() { cmp -s "$1" "$2" || cp "$1" "$2"; }
declare -A keep=([wasm]=1 [package.json]=1 [README.md]=1)
# The JS goes without its comments (scripts/strip-comments.mjs): 5.8 kB gzipped (2026-11-29).
node scripts/strip-comments.mjs target/pkg-js js/*.js
for f in js/*.js js/*.d.ts; do
  case "$f" in
    *.d.ts) copy "$f" "pkg/${f#js/}" ;;
    *) copy "target/pkg-js/${f#js/}" "pkg/${f#js/}" ;;
  esac
  keep[${f#js/}]=1
done
for f in pkg/*; do
  [ -n "${keep[${f#pkg/}]:-}" ] || rm -rf "$f"
done
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
node -e '
  const fs = require("fs");
  const p = JSON.parse(fs.readFileSync("js/package.json", "utf8"));
  p.version = process.argv[1];
  fs.writeFileSync("target/outtake-pkg.json", JSON.stringify(p, null, 2) + "\n");
' "$version"
copy target/outtake-pkg.json pkg/package.json
# The package's README is for those who install it (js/README.md), not this development one.
copy js/README.md pkg/README.md

node scripts/size.mjs pkg

if [ "${1:-}" != "--pkg" ]; then
  # The demo is bundled again only when its inputs (www/, pkg/, the config, the lock) changed.
  demo_stamp=target/outtake-demo.stamp
  demo_key=$(find www pkg webpack.config.js package-lock.json -path www/dist -prune -o -type f -print \
    | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
  if [ -f www/dist/index.html ] && [ "$(cat "$demo_stamp" 2>/dev/null)" = "$demo_key" ]; then
    echo "build: www/dist is up to date"
  else
    node_modules/.bin/webpack --mode production --stats errors-warnings
    echo "$demo_key" > "$demo_stamp"
  fi
fi
echo "build: pkg/ ($(du -sh pkg | cut -f1))$([ "${1:-}" = --pkg ] || echo ' and www/dist/') ready"
