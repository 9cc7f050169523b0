// Remix chains in headless Chromium: diff of two 1,000-clip / 10,000-cue timelines (with and
// without parsing them), and blame over a 100-step chain of 1,000-clip timelines.
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runInBrowser } from './lib/browser.mjs';

export const name = 'remix';
export const title = 'Remix: diff 1,000 clips + 10,000 cues, blame over 100 × 1,000 clips';

const GOALS = { diff: 10, diffWithParse: 60, blame: 50 };

/**
 * The core alone (no parsing, no boundary), from the native size tests built in release: every
 * call above is stateless and parses its input, so wasm never runs the diff or blame by itself.
 */
function nativeCore(root) {
  let out = '';
  try {
    out = execFileSync(
      'cargo',
      [
        'test',
        '--release',
        '--quiet',
        '--test',
        'remix_perf',
        '--test',
        'remix_blame',
        '--',
        '--nocapture',
      ],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 },
    );
  } catch (e) {
    out = String(e.stdout || '');
    console.error(
      `bench: cargo test --release failed (${e.status}): ${String(e.stderr || e.message).slice(-2000)}`,
    );
  }
  const ms = (re) => {
    const m = re.exec(out);
    if (!m) return null;
    const unit = { s: 1000, ms: 1, µs: 0.001, ns: 1e-6 }[m[2]];
    return Number(m[1]) * unit;
  };
  return {
    diff: ms(/diff 1,000 clips \+ 10,000 cues, summary only: ([\d.]+)(s|ms|µs|ns)/),
    blame: ms(/blame over 100 steps x 1,000 clips: ([\d.]+)(s|ms|µs|ns)/),
  };
}

export async function run({ root }) {
  const native = nativeCore(root);
  const r = await runInBrowser(path.join(root, 'benches/pages/remix.js'));
  const ms = (v) => `${v.toFixed(1)} ms`;
  const verdict = (v, goal) => (v <= goal ? `met (≤ ${goal} ms)` : `not met (goal ≤ ${goal} ms)`);
  const opt = (v, goal) =>
    v === null
      ? ['not measured (cargo test --release failed)', '–']
      : [ms(v), `${verdict(v, goal)}; native, not wasm`];
  const rows = [
    [
      'diff of parsed timelines in wasm (RemixChain.diff of two nodes the engine holds parsed)',
      ms(r.rows.diffParsed),
      verdict(r.rows.diffParsed, GOALS.diff),
    ],
    [
      'core diff alone, parsed timelines (native release: tests/remix_perf.rs)',
      ...opt(native.diff, GOALS.diff),
    ],
    [
      'diffTimelines(textA, textB): parse both files + diff',
      ms(r.rows.diffText),
      verdict(r.rows.diffText, GOALS.diffWithParse),
    ],
    [
      'diffTimelines(a, b) on objects from importOtio (JSON.stringify + parse + diff)',
      ms(r.rows.diffObjects),
      verdict(r.rows.diffObjects, GOALS.diffWithParse),
    ],
    [
      'parse both files in wasm (flattenTimeline of each: parse + a walk)',
      ms(r.rows.parseBoth),
      '–',
    ],
    ['importOtio of both files (parse + JS objects)', ms(r.rows.importBoth), '–'],
    [
      "RemixChain.blame of the 100th node (nodes already parsed in the engine's cache)",
      ms(r.rows.blame),
      verdict(r.rows.blame, GOALS.blame),
    ],
    [
      'RemixChain.fromJSON of the chain file (parse + hash all 100 nodes, once)',
      ms(r.rows.load),
      '–',
    ],
    [
      'core blame alone, parsed chain (native release: tests/remix_blame.rs)',
      ...opt(native.blame, GOALS.blame),
    ],
  ];
  const c = r.changes;
  return {
    header: ['what', 'median', 'goal'],
    rows,
    note:
      `Inputs generated in the page (benches/pages/remix.js, the shape of tests/remix_perf.rs): ${(r.textBytes / 2e6).toFixed(1)} MB of OTIO JSON per version; ` +
      `the diff finds ${c.total} changes (${c.trims} trims, ${c.move} move, ${c.insert} inserts, ${c.text} reworded cues). ` +
      `The chain: 100 nodes of 1,000 clips, each step trimming one clip, ${(r.chainBytes / 1e6).toFixed(0)} MB of chain JSON, built with RemixChain.add in ${(r.buildMs / 1000).toFixed(1)} s; ` +
      `blame names ${r.blame.changedBy} distinct last-changing nodes over ${r.blame.items} clips. ` +
      'Calls are stateless (no wasm object to free): timelines are parsed on every call; chain nodes stay parsed in a bounded engine cache keyed by their hash. ' +
      'Median of 7 runs after 2 warm-ups (blame: 5 after 1; fromJSON: one run), one page.',
  };
}
