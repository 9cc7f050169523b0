#!/usr/bin/env bash
# Installs what the build (and, with --test, the tests) need, when it is missing; quiet when all is
# there. Idempotent: every step checks first. Used by `npm start`, `npm test`, `npm run build|bench`.
set -euo pipefail
cd "$(dirname "$0")/.."

# NOTE: keep in step with `wasm-bindgen = "=X"` in Cargo.toml; checked below.
WASM_BINDGEN_VERSION=0.2.130
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { echo "setup: $*"; }

if ! grep -q "wasm-bindgen = \"=$WASM_BINDGEN_VERSION\"" Cargo.toml; then
  echo "setup: Cargo.toml pins another wasm-bindgen than scripts/setup.sh ($WASM_BINDGEN_VERSION)" >&2
  exit 1
fi

export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null; then
  echo "setup: cargo not found; install Rust with rustup first (https://rustup.rs)" >&2
  exit 1
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # NOTE: no --locked: its lock pins a crate version the registry mirror lacks.
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# node_modules: install when missing or older than package.json / the lock.
if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ] \
   || { [ -f package-lock.json ] && [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  say "installing node modules"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
fi

apt_install() {
  local missing=()
  for spec in "$@"; do
    local cmd=${spec%%:*} pkg=${spec#*:}
    command -v "$cmd" >/dev/null || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

if [ $want_test -eq 1 ]; then
  # Chromium for browser tests, ffmpeg/ffprobe to check every output file, python3 for the
  # OpenTimelineIO reference; espeak-ng and sox make the real speech the sync tests align to,
  # and numpy the sync corpus (scripts/sync_corpus.py); mkvextract reads the Matroska caption
  # tracks ffmpeg 5 cannot (S_TEXT/WEBVTT).
  apt_install chromium:chromium chromedriver:chromium-driver ffmpeg:ffmpeg ffprobe:ffmpeg \
    espeak-ng:espeak-ng sox:sox mkvextract:mkvtoolnix
  if ! python3 -c 'import opentimelineio, otio_cmx3600_adapter' 2>/dev/null; then
    say "installing the OpenTimelineIO reference (tests/python/requirements.txt)"
    python3 -m pip install -q --disable-pip-version-check -r tests/python/requirements.txt \
      || say "could not install opentimelineio: the OTIO reference tests will skip"
  fi
  if ! python3 -c 'import numpy' 2>/dev/null; then
    say "installing numpy (the sync corpus generator)"
    python3 -m pip install -q --disable-pip-version-check numpy \
      || say "could not install numpy: scripts/sync_corpus.py will not run"
  fi
fi
