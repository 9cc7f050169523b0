// Cold start in a page: fetch + compile + instantiate the wasm, then the first call.
import { report } from '../lib/timing.js';

report(
  (async () => {
    const start = performance.now();
    const outtake = await import('outtake');
    await outtake.version();
    const firstCall = performance.now() - start;
    // A warm call is far below the timer's resolution: time a thousand.
    const s2 = performance.now();
    for (let i = 0; i < 1000; i++) await outtake.frameAt(i * 0.01, '30000/1001');
    const warmCall = (performance.now() - s2) / 1000;
    return { firstCall, warmCall };
  })(),
);
