// The sync bench's scorer: `node --test benches/lib/sync-score.test.mjs`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseCues, scoreCase, appliedScale, summarize } from './sync-score.mjs';

const cues = (starts, len = 1.5) => starts.map((s) => ({ start: s, end: s + len }));
const starts = Array.from({ length: 30 }, (_, i) => 2 + i * 4.1);

test('parseCues reads SRT and WebVTT times, hours optional in WebVTT', () => {
  const srt = '1\n00:00:01,500 --> 00:00:02,250\nHi\n\n2\n01:02:03,004 --> 01:02:04,000\nYo\n';
  assert.deepEqual(parseCues(srt), [
    { start: 1.5, end: 2.25 },
    { start: 3723.004, end: 3724 },
  ]);
  assert.deepEqual(parseCues('WEBVTT\n\n00:01.000 --> 00:02.500\nA\n'), [{ start: 1, end: 2.5 }]);
});

test('a perfect output scores 100% and is not an abstention unless the input was already right', () => {
  const truth = cues(starts);
  const input = cues(starts.map((s) => s + 7));
  const r = scoreCase({ truth, input, output: truth, meta: { kind: 'offset' } });
  assert.deepEqual(r.within, [30, 30, 30]);
  assert.equal(r.failed, false);
  assert.equal(r.abstained, false);
  assert.equal(r.rescaled, false);
  const same = scoreCase({ truth, input, output: input, meta: { kind: 'offset' } });
  assert.equal(same.abstained, true);
  assert.equal(same.failed, true, '7 s off everywhere');
});

test('thresholds count starts 50, 100 and 400 ms off', () => {
  const truth = cues([1, 5, 9, 13]);
  const output = cues([1.04, 5.09, 9.3, 14]);
  const r = scoreCase({ truth, input: truth, output, meta: { kind: 'jitter' } });
  assert.deepEqual(r.within, [1, 2, 3]);
  assert.equal(r.failed, false);
});

test('a missing output or a changed cue count fails the file', () => {
  const truth = cues(starts);
  assert.equal(
    scoreCase({ truth, input: truth, output: null, meta: { kind: 'offset' }, error: 'exit 1' })
      .failed,
    true,
  );
  const r = scoreCase({ truth, input: truth, output: truth.slice(1), meta: { kind: 'offset' } });
  assert.equal(r.failed, true);
  assert.match(r.error, /29 cues/);
});

test('a rescale applied to a file without one is caught; splits are not mistaken for one', () => {
  const truth = cues(starts);
  const input = truth;
  const scaled = cues(starts.map((s) => s * 1.001));
  assert.equal(
    scoreCase({ truth, input, output: scaled, meta: { kind: 'in_sync' } }).rescaled,
    true,
  );
  // Two splits: the truth moves by +20 s after cue 10 and by −5 s after cue 20.
  const split = cues(starts.map((s, i) => s + (i >= 10 ? 20 : 0) + (i >= 20 ? -5 : 0)));
  const r = scoreCase({ truth: split, input, output: split, meta: { kind: 'splits' } });
  assert.equal(r.rescaled, false);
  assert.ok(Math.abs(appliedScale(input, split, split) - 1) < 1e-9);
  // …while a naive fit over the whole file would read a slope from them.
  const r2 = scoreCase({
    truth: split,
    input,
    output: cues(split.map((c) => c.start * 1.002)),
    meta: { kind: 'splits' },
  });
  assert.equal(r2.rescaled, true);
  // Ratio cases are expected to rescale.
  assert.equal(
    scoreCase({ truth, input: scaled, output: truth, meta: { kind: 'ratio' } }).rescaled,
    false,
  );
});

test('summarize keeps the other programme out of the all-kinds cue figures', () => {
  const a = {
    kind: 'offset',
    n: 10,
    within: [5, 8, 10],
    failed: false,
    rescaled: false,
    abstained: false,
    seconds: 2,
  };
  const b = {
    kind: 'other_programme',
    n: 10,
    within: [0, 0, 0],
    failed: true,
    rescaled: true,
    abstained: false,
    seconds: 4,
  };
  const rows = summarize([a, b], ['offset', 'other_programme']);
  const all = rows.find((r) => r.kind === 'all but other programme');
  assert.deepEqual(all.within, [50, 80, 100]);
  assert.equal(all.files, 1);
  assert.equal(rows.find((r) => r.kind === 'other_programme').rescaled, 1);
});
