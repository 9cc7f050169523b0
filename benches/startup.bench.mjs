// Startup: how long a page waits before its first outtake call returns (wasm fetched over
// loopback, compiled, instantiated), and a warm call after it.
import path from 'node:path';
import { runInBrowser } from './lib/browser.mjs';

export const name = 'startup';
export const title = 'Startup in headless Chromium';

export async function run({ root }) {
  const runs = [];
  for (let i = 0; i < 5; i++)
    runs.push(await runInBrowser(path.join(root, 'benches/pages/startup.js')));
  const med = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[2];
  return {
    header: ['what', 'median of 5 fresh pages'],
    rows: [
      ['outtake: import + wasm load + first call', `${med('firstCall').toFixed(1)} ms`],
      ['outtake: a warm call (frameAt, mean of 1000)', `${(med('warmCall') * 1000).toFixed(0)} µs`],
    ],
    note: 'For scale: ffmpeg.wasm 0.12 takes ≈0.7 s to load its 32 MB core on this machine (../shared/ANCHORS.md).',
  };
}
