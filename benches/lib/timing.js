// Timing inside benchmark pages: the median of several runs after warm-up, so one GC pause or
// JIT tier-up does not decide a row.
export async function medianMs(fn, { runs = 7, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Reports the result (or the failure) to the harness. */
export function report(promise) {
  promise.then(
    (r) => {
      window.__bench = r;
    },
    (e) => {
      window.__benchError = String(e?.stack || e);
    },
  );
}
