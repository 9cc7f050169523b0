#!/usr/bin/env bash
# Fuzz runs of every target in fuzz/ (or of the targets named): first every committed seed
# (fuzz/seeds/TARGET/) and every kept crasher (fuzz/crashers/TARGET/) replayed once, as
# regression inputs; then FUZZ_SECONDS of fuzzing (default 30) from the working corpus
# fuzz/corpus/TARGET, which starts as the seeds and keeps what runs find. Longer runs on demand:
#   FUZZ_SECONDS=600 npm run fuzz            (every target)
#   FUZZ_SECONDS=600 bash scripts/fuzz-smoke.sh TARGET…
# Logs go to $FUZZ_LOGS (default /tmp) as fuzz-TARGET.log.
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them, and
# `-s none` skips the sanitizer runtime (safe Rust needs it least; panics are what we hunt). The
# build is cargo-fuzz's default, optimised with debug assertions and overflow checks: a debug
# build runs 10-50 times fewer inputs a second.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds=${FUZZ_SECONDS:-30}
logs=${FUZZ_LOGS:-/tmp}

if ! command -v cargo-fuzz >/dev/null; then
  echo "fuzz: installing cargo-fuzz (once)"
  cargo install -q cargo-fuzz
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"/\1/p' fuzz/Cargo.toml | grep -v '^outtake-fuzz$')
fi

export RUSTC_BOOTSTRAP=1
fuzz=(cargo fuzz run --fuzz-dir fuzz -s none)
cargo fuzz build --fuzz-dir fuzz -s none >/dev/null 2>&1 || cargo fuzz build --fuzz-dir fuzz -s none
failed=0
for t in "${targets[@]}"; do
  log="$logs/fuzz-$t.log"
  # Replays: crashers one by one (files), then the seed directory once with no fuzzing (-runs=0).
  if compgen -G "fuzz/crashers/$t/*" >/dev/null; then
    if ! "${fuzz[@]}" "$t" fuzz/crashers/"$t"/* >"$log" 2>&1; then
      echo "fuzz: $t: a kept crasher fails again (log: $log)"; failed=1; continue
    fi
  fi
  if [ -d "fuzz/seeds/$t" ]; then
    if ! "${fuzz[@]}" "$t" "fuzz/seeds/$t" -- -runs=0 -rss_limit_mb=2048 -timeout=5 >"$log" 2>&1; then
      echo "fuzz: $t: a seed fails (log: $log)"; tail -30 "$log"; failed=1; continue
    fi
  else
    echo "fuzz: $t: no seeds in fuzz/seeds/$t: fuzzing from what fuzz/corpus/$t holds (add seeds)"
  fi
  replayed=$(cat <(ls fuzz/seeds/"$t" 2>/dev/null) <(ls fuzz/crashers/"$t" 2>/dev/null) | wc -l)
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus"
  [ -d "fuzz/seeds/$t" ] && cp -n fuzz/seeds/"$t"/* "$corpus"/ 2>/dev/null || true
  if "${fuzz[@]}" "$t" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 >"$log" 2>&1; then
    echo "fuzz: $t: $replayed seeds and crashers replayed; $(grep -o 'Done [0-9]* runs' "$log" | tail -1) in ${seconds}s, no crash"
  else
    echo "fuzz: $t: CRASH — input kept under fuzz/artifacts/$t (log: $log); fix it, then keep it in fuzz/crashers/$t"
    tail -30 "$log"
    failed=1
  fi
done
[ $failed -eq 0 ] && echo "fuzz: ${#targets[@]} passed, 0 failed" || { echo "fuzz: failures above"; exit 1; }
