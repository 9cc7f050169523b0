// Remix chains in wasm: diff two 1,000-clip / 10,000-cue timelines (generated here,
// deterministically: a second version with trims, a move, inserts and reworded cues), and blame
// over a 100-step chain of 1,000-clip timelines. Each row is the median of several runs.
import { importOtio, diffTimelines, flattenTimeline, RemixChain } from 'outtake';
import { medianMs, report } from '../lib/timing.js';

const RATE = 24;
const rt = (value) => ({ OTIO_SCHEMA: 'RationalTime.1', rate: RATE, value });
const range = (start, dur) => ({
  OTIO_SCHEMA: 'TimeRange.1',
  start_time: rt(start),
  duration: rt(dur),
});
const base = (schema, name, extra) => ({
  OTIO_SCHEMA: schema,
  name,
  metadata: {},
  source_range: null,
  effects: [],
  markers: [],
  enabled: true,
  ...extra,
});
const clip = (i, start, dur) =>
  base('Clip.2', `c${i}`, {
    source_range: range(start, dur),
    media_references: {
      DEFAULT_MEDIA: {
        OTIO_SCHEMA: 'ExternalReference.1',
        name: '',
        target_url: `m${i % 37}.mov`,
        available_range: null,
        metadata: {},
      },
    },
    active_media_reference_key: 'DEFAULT_MEDIA',
  });
const sec = (ms) => `${ms}/1000`;

/** Version `v` (0: original, 1: edited) of the big timeline, as in tests/remix_perf.rs. */
function bigTimeline(v, { cues = 10_000, step = 0 } = {}) {
  const clips = [];
  for (let i = 0; i < 1000; i++) {
    let dur = 48 + ((i * 7) % 100);
    let start = i * 1000;
    // Version 1: every 50th clip trimmed at both ends; a chain step trims one clip by `step`.
    if (v === 1 && i % 50 === 0) {
      dur -= 10;
      start += 5;
    }
    if (step && i === (step * 7) % 1000) dur -= (step % 5) + 1;
    clips.push(clip(i, start, dur));
  }
  if (v === 1) {
    clips.splice(900, 0, clips.splice(10, 1)[0]);
    for (let k = 0; k < 5; k++)
      clips.splice(100 + k * 150, 0, clip(2000 + k, 500_000 + k * 1000, 60));
  }
  const markers = [];
  for (let i = 0; i < cues; i++) {
    const s = i * 2000 + (v === 1 ? 500 : 0);
    const text = v === 1 && i % 1000 === 3 ? `changed words here ${i}` : `some words here ${i}`;
    const words = text
      .split(' ')
      .map((w, k) => ({ text: w, start: sec(s + 300 * k), end: sec(s + 300 * (k + 1)) }));
    markers.push({
      OTIO_SCHEMA: 'Marker.2',
      name: text,
      color: 'YELLOW',
      comment: '',
      metadata: { outtake: { words } },
      marked_range: range((s / 1000) * RATE, 1.2 * RATE),
    });
  }
  const tracks = [base('Track.1', 'V1', { kind: 'Video', children: clips })];
  if (cues)
    tracks.push(
      base('Track.1', 'Captions', {
        kind: 'Video',
        metadata: { outtake: { kind: 'captions' } },
        markers,
        children: [],
      }),
    );
  return {
    OTIO_SCHEMA: 'Timeline.1',
    name: 'big',
    metadata: {},
    global_start_time: null,
    tracks: base('Stack.1', 'tracks', { children: tracks }),
  };
}

report(
  (async () => {
    const [textA, textB] = [JSON.stringify(bigTimeline(0)), JSON.stringify(bigTimeline(1))];
    const [a, b] = [await importOtio(textA), await importOtio(textB)];
    const d = await diffTimelines(a, b);
    const count = (kind) => d.changes.filter((c) => c.kind === kind).length;
    const rows = {};
    rows.diffText = await medianMs(() => diffTimelines(textA, textB));
    rows.diffObjects = await medianMs(() => diffTimelines(a, b));
    rows.importBoth = await medianMs(async () => {
      await importOtio(textA);
      await importOtio(textB);
    });
    // The parse inside a diff call, alone: flattenTimeline also reads the whole timeline, then
    // does a trivial walk of the clips.
    rows.parseBoth = await medianMs(async () => {
      await flattenTimeline(textA);
      await flattenTimeline(textB);
    });
    // The diff of parsed timelines in wasm: as chain nodes, which the engine keeps parsed.
    const pair = new RemixChain();
    const idA = await pair.add({ message: 'a', timeline: textA, createdAt: 't0' });
    const idB = await pair.add({ parents: [idA], message: 'b', timeline: textB, createdAt: 't1' });
    const pd = await pair.diff(idA, idB);
    if (pd.changes.length !== d.changes.length)
      throw new Error(
        `chain diff found ${pd.changes.length} changes, diffTimelines ${d.changes.length}`,
      );
    rows.diffParsed = await medianMs(() => pair.diff(idA, idB));

    const chain = new RemixChain();
    let parent = null;
    const buildStart = performance.now();
    for (let step = 0; step < 100; step++) {
      parent = await chain.add({
        parents: parent ? [parent] : [],
        author: 'bench',
        message: `step ${step}`,
        createdAt: `2026-01-01T00:00:${String(step % 60).padStart(2, '0')}Z`,
        timeline: bigTimeline(0, { cues: 0, step }),
      });
    }
    const buildMs = performance.now() - buildStart;
    const bl = await chain.blame(parent);
    const changedBy = new Set(bl.tracks[0].items.map((i) => i.origin.changed)).size;
    rows.blame = await medianMs(() => chain.blame(parent), { runs: 5, warmup: 1 });
    const chainText = chain.toJSON();
    const chainBytes = chainText.length;
    // Loading the chain file: parse and hash every node once (the nodes then stay parsed).
    rows.load = await medianMs(() => RemixChain.fromJSON(chainText), { runs: 1, warmup: 0 });
    return {
      rows,
      buildMs,
      chainBytes,
      textBytes: textA.length + textB.length,
      changes: {
        total: d.changes.length,
        text: count('text'),
        move: count('move'),
        insert: count('insert'),
        trims: count('trim_head') + count('trim_tail'),
      },
      blame: { items: bl.tracks[0].items.length, changedBy },
    };
  })(),
);
