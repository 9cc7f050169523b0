#!/usr/bin/env bash
# Short fuzz runs of every parser target in fuzz/ (FUZZ_SECONDS each, default 8), after replaying
# the crashers kept in fuzz/crashers/TARGET/ as regression inputs. Longer runs on demand:
#   FUZZ_SECONDS=600 bash scripts/fuzz-smoke.sh [TARGET…]
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them, and
# `-s none` skips the sanitizer runtime (safe Rust needs it least; panics are what we hunt).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${FUZZ_SECONDS:-8}

if ! command -v cargo-fuzz >/dev/null; then
  echo "fuzz: installing cargo-fuzz (once)"
  cargo install -q cargo-fuzz
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"/\1/p' fuzz/Cargo.toml | grep -v '^outtake-fuzz$')
fi

export RUSTC_BOOTSTRAP=1
cargo fuzz build --fuzz-dir fuzz -s none --dev >/dev/null 2>&1 || cargo fuzz build --fuzz-dir fuzz -s none --dev
failed=0
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus"
  [ -d "fuzz/seeds/$t" ] && cp -n fuzz/seeds/"$t"/* "$corpus"/ 2>/dev/null || true
  if compgen -G "fuzz/crashers/$t/*" >/dev/null; then
    if ! cargo fuzz run --fuzz-dir fuzz -s none --dev "$t" fuzz/crashers/"$t"/* >/tmp/fuzz-$t.log 2>&1; then
      echo "fuzz: $t: a kept crasher fails again (log: /tmp/fuzz-$t.log)"; failed=1; continue
    fi
  fi
  if cargo fuzz run --fuzz-dir fuzz -s none --dev "$t" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 >/tmp/fuzz-$t.log 2>&1; then
    echo "fuzz: $t: $(grep -o 'Done [0-9]* runs' /tmp/fuzz-$t.log | tail -1) in ${seconds}s, no crash"
  else
    echo "fuzz: $t: CRASH — input kept under fuzz/artifacts/$t (log: /tmp/fuzz-$t.log); add it to fuzz/crashers/$t once fixed"
    tail -30 /tmp/fuzz-$t.log
    failed=1
  fi
done
[ $failed -eq 0 ] && echo "fuzz: ${#targets[@]} passed, 0 failed" || { echo "fuzz: failures above"; exit 1; }
