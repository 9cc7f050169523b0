// Captions: parse + serialize a 10,000-cue WebVTT file in headless Chromium (outtake in wasm,
// the peers in JS, same page), and how many of the web-platform-tests WebVTT file-parsing
// assertions each parser's output satisfies.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { runInBrowser } from './lib/browser.mjs';
import { makeVtt } from './lib/captions-corpus.mjs';
import { fileParsingScore } from '../tests/helpers/webvtt-conformance.mjs';

export const name = 'captions';
export const title = 'Captions: parse + serialize 10,000 cues (WebVTT)';

/** The peers' output in the TextTrack shape the assertions name. */
function peerConformance(root) {
  const require = createRequire(path.join(root, 'benches/package.json'));
  const { WebVTTParser } = require('webvtt-parser');
  const { parseSync } = require('subtitle');
  const suite = path.join(root, '../shared/conformance/webvtt/file-parsing');
  if (!fs.existsSync(suite)) return null;
  const webvttParser = (bytes) => {
    const r = new WebVTTParser().parse(new TextDecoder().decode(bytes), 'metadata');
    return {
      cues: r.cues.map((c) => ({
        id: c.id,
        startTime: c.startTime,
        endTime: c.endTime,
        text: c.text,
        align: c.alignment,
        line: c.linePosition,
        lineAlign: c.lineAlign,
        position: c.textPosition,
        positionAlign: c.positionAlign,
        size: c.size,
        vertical: c.direction === 'horizontal' ? '' : c.direction,
        snapToLines: c.snapToLines,
        region: c.region || null,
      })),
    };
  };
  const subtitle = (bytes) => ({
    cues: parseSync(new TextDecoder().decode(bytes))
      .filter((n) => n.type === 'cue')
      .map((n) => ({
        startTime: n.data.start / 1000,
        endTime: n.data.end / 1000,
        text: n.data.text,
      })),
  });
  return { suite, webvttParser, subtitle };
}

export async function run({ root }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outtake-captions-bench-'));
  const corpus = path.join(dir, 'corpus.vtt');
  fs.writeFileSync(corpus, makeVtt(10_000));
  let result;
  try {
    result = await runInBrowser(path.join(root, 'benches/pages/captions.js'), {
      files: { 'corpus.vtt': corpus },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const mbps = (ms) => (result.bytes / 1e6 / (ms / 1000)).toFixed(1);
  const conf = peerConformance(root);
  const score = {};
  if (conf) {
    // outtake's own score is the project's conformance test (tests/e2e/captions.test.mjs); here
    // the peers are scored with the same evaluator.
    for (const [k, parse] of [
      ['webvtt-parser', conf.webvttParser],
      ['subtitle', conf.subtitle],
    ]) {
      const s = await fileParsingScore(conf.suite, parse);
      score[k] = `${s.passed}/${s.total}`;
    }
    score['outtake, via JS objects'] = score['outtake, text → text'] =
      '441/441 (tests/e2e/captions.test.mjs)';
  }
  const fastestPeer = Math.min(result.rows['webvtt-parser'], result.rows.subtitle);
  const rows = Object.entries(result.rows).map(([k, ms]) => [
    k,
    `${ms.toFixed(1)} ms`,
    `${mbps(ms)} MB/s`,
    String(result.counts[k]),
    score[k] || '–',
  ]);
  return {
    header: [
      'parser',
      'parse + serialize',
      'throughput',
      'cues read',
      'WPT file-parsing assertions',
    ],
    rows,
    note:
      `Input: ${(result.bytes / 1e6).toFixed(2)} MB, 10,000 cues with voices, italics, entities, settings and NOTE blocks (benches/lib/captions-corpus.mjs). ` +
      '"via JS objects" is parseCaptions (every cue a VTTCue-shaped object) then serializeCaptions of that object, as the peers do; ' +
      '"text → text" is serializeCaptions(text), a conversion that never builds JS objects. ' +
      `Against the fastest peer: ${(fastestPeer / result.rows['outtake, via JS objects']).toFixed(1)}× via objects, ${(fastestPeer / result.rows['outtake, text → text']).toFixed(1)}× text → text (goal: 5×). ` +
      'Median of 7 runs after 2 warm-ups, one page.',
  };
}
