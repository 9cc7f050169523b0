// render() in headless Chromium through the built package: three ranges of a generated H.264 +
// AAC clip (one going back in time) joined in one pass, checked by ffprobe/ffmpeg against the
// source: no decode message, the exact frame count, copied frames bit-identical, re-encoded
// frames ≥ 40 dB PSNR, and the A/V offset after every joint measured by correlating the output's
// audio with the source's (white noise, so the correlation has one sharp peak) within 21.3 ms.
// Expected frames come from ffprobe's frame list by trim's rule (tests/helpers/media.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openApiPage } from '../helpers/api-page.mjs';
import * as m from '../helpers/media.mjs';
import * as R from '../helpers/render.mjs';

const hasFfmpeg = m.haveFfmpeg();
const skip = !hasFfmpeg && 'ffmpeg/ffprobe not found';
let api, page, tmp, clip;
const RATE = m.PCM_RATE;

before(async () => {
  if (!hasFfmpeg) return;
  tmp = path.join(m.ROOT, 'target/render-e2e');
  fs.mkdirSync(tmp, { recursive: true });
  // 4 s of x264 with B-pyramids, a keyframe each second, and AAC of white noise (non-periodic).
  clip = path.join(tmp, 'noise.mp4');
  if (!fs.existsSync(clip))
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y'],
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=4'],
      ...['-f', 'lavfi', '-i', `anoisesrc=color=white:sample_rate=${RATE}:duration=4:seed=7`],
      ...['-c:v', 'libx264', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-bf', '3'],
      ...['-c:a', 'aac', '-b:a', '192k', '-shortest', clip],
    ]);
  api = await openApiPage();
  page = api.page;
});
after(() => api?.close());

/** Renders `segments` ([start, end, source = 'clip']) in the page (tests/helpers/render.mjs). */
function renderInPage(segments, name, files = { clip }) {
  const named = segments.map(([start, end, source = 'clip']) => [start, end, source]);
  return R.renderInPage(api, tmp, named, name, files);
}

test('three ranges (one back in time) joined exactly: frames, PSNR, A/V at every joint', {
  skip,
}, async () => {
  const src = m.frames(clip);
  const keys = execFileSync('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-skip_frame', 'nokey', '-show_frames'],
    ...['-show_entries', 'frame=pts_time', '-of', 'csv=p=0', clip],
  ])
    .toString()
    .trim()
    .split('\n')
    .map(Number);
  // Mid-GOP in- and out-points; the second range goes back before the first.
  const segments = [
    [m.between(src, 40), m.between(src, 77)],
    [m.between(src, 12), m.between(src, 50)],
    [m.between(src, 95), m.between(src, 118)],
  ];
  const r = await renderInPage(segments, 'three-ranges');
  assert.equal(r.type, 'video/mp4');
  assert.equal(m.decodeErrors(r.out), '', 'ffmpeg decodes the output without a message');
  const got = m.frameHashes(r.out);
  const all = m.frameHashes(clip);
  const wants = segments.map(([a, b]) => m.expectedCut(src, a, b));
  const total = wants.reduce((s, w) => s + w.count, 0);
  assert.equal(got.length, total, 'exact frame count');
  assert.deepEqual(m.editListEntries(r.out), [1, 1], 'a single-entry edit list per track (MSE)');

  const outPcm = m.pcm(r.out);
  const srcPcm = m.pcm(clip);
  const aStart = m.streams(r.out).find((s) => s.type === 'audio').startTime;
  let at = 0;
  let land = 0;
  let worst = 0;
  let reencoded = 0;
  for (const [k, w] of wants.entries()) {
    // Copied frames are the source's, bit for bit; the rest are re-encoded, and no more than the
    // head to the next keyframe and, at a joint, a B-pyramid's worth.
    const same = got.slice(at, at + w.count).filter((h, i) => h === all[w.first + i]).length;
    const start = src[w.first].t - src[0].t;
    const nextKey = keys.find((t) => t > start + 1e-6) ?? Infinity;
    const head = src.slice(w.first, w.first + w.count).filter((f) => f.t < nextKey - 1e-6).length;
    const bound = head + (k + 1 < wants.length ? 7 : 0);
    assert.ok(
      w.count - same <= bound,
      `segment ${k}: ${w.count - same} frames differ, at most ${bound} may be re-encoded`,
    );
    assert.ok(w.count - same >= head - 1, `segment ${k}: the head is re-encoded (${head})`);
    const db = m.psnrFrames(r.out, clip, at, w.first, w.count, tmp);
    const changed = db.filter((_x, i) => got[at + i] !== all[w.first + i]);
    const low = Math.min(...changed);
    assert.ok(low >= 40, `segment ${k}: re-encoded frames ≥ 40 dB PSNR, worst ${low.toFixed(1)}`);
    reencoded += w.count - same;
    // A/V after the joint: the output's sound at (landing + x) is the source's at (cut + x).
    const lag = m.lagOf(outPcm, land + 0.05 - aStart, srcPcm, start + 0.05);
    const lagEnd = m.lagOf(
      outPcm,
      land + w.duration - 0.3 - aStart,
      srcPcm,
      start + w.duration - 0.3,
    );
    worst = Math.max(worst, Math.abs(lag), Math.abs(lagEnd));
    assert.ok(Math.abs(lag) <= 0.0213, `segment ${k}: A/V offset ${(lag * 1000).toFixed(1)} ms`);
    assert.ok(Math.abs(lagEnd) <= 0.0213, `segment ${k} end: ${(lagEnd * 1000).toFixed(1)} ms`);
    at += w.count;
    land += w.duration;
  }
  assert.equal(r.play.error, undefined, `<video> error ${r.play.error}`);
  assert.ok(r.play.ended, 'plays to the end');
  assert.ok(Math.abs(r.play.duration - land) < 0.05, `duration ${r.play.duration} vs ${land}`);
  assert.equal(r.progress.at(-1), 1, 'progress reaches 1');
  assert.ok(
    r.progress.every((x, i) => i === 0 || x > r.progress[i - 1]),
    'progress increases',
  );
  console.log(
    `# render: ${total} frames (${reencoded} re-encoded, ${total - reencoded} copied) in ${r.ms.toFixed(0)} ms; worst A/V offset at a joint ${(worst * 1000).toFixed(2)} ms`,
  );
});

test('two sources of the same codec and size, their parameter sets switched in-band', {
  skip,
}, async () => {
  // Another picture, and x264 with other reference settings: another PPS.
  const other = path.join(tmp, 'bars.mp4');
  if (!fs.existsSync(other))
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y'],
      ...['-f', 'lavfi', '-i', 'smptehdbars=size=320x240:rate=30:duration=4'],
      ...['-f', 'lavfi', '-i', `anoisesrc=color=pink:sample_rate=${RATE}:duration=4:seed=3`],
      ...['-c:v', 'libx264', '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-refs', '5'],
      ...['-c:a', 'aac', '-b:a', '192k', '-shortest', other],
    ]);
  const a = m.frames(clip);
  const b = m.frames(other);
  const segments = [
    [m.between(a, 20), m.between(a, 70), 'clip'],
    [m.between(b, 45), m.between(b, 100), 'bars'],
    [m.between(a, 50), m.between(a, 80), 'clip'],
  ];
  const r = await renderInPage(segments, 'two-sources', { clip, bars: other });
  assert.equal(m.decodeErrors(r.out), '', 'ffmpeg decodes the output without a message');
  const wants = segments.map(([s, e, id]) => m.expectedCut(id === 'clip' ? a : b, s, e));
  const total = wants.reduce((s, w) => s + w.count, 0);
  const got = m.frameHashes(r.out);
  assert.equal(got.length, total, 'exact frame count');
  const hashes = { clip: m.frameHashes(clip), bars: m.frameHashes(other) };
  let at = 0;
  let same = 0;
  for (const [k, w] of wants.entries()) {
    const src = hashes[segments[k][2]];
    same += got.slice(at, at + w.count).filter((h, i) => h === src[w.first + i]).length;
    at += w.count;
  }
  assert.ok(same > total / 3, `${same} of ${total} frames copied bit-exact`);
  assert.equal(r.play.error, undefined, `<video> error ${r.play.error}`);
  assert.ok(r.play.ended, 'plays to the end');
  console.log(`# two sources: ${total} frames, ${same} copied, in ${r.ms.toFixed(0)} ms`);
});

test('render: bad timelines and sources are typed errors naming the place', { skip }, async () => {
  const cases = [
    ['{ segments: [] }', '{ sources: { a: b } }', /^timeline\.segments: /],
    [
      '{ segments: [{ source: "x", start: 0, end: 1 }] }',
      '{ sources: { a: b } }',
      /^timeline\.segments\[0\]\.source: no source "x"/,
    ],
    ['{ segments: [{ source: "a", start: 0, end: 1 }] }', '{ sources: b }', /^options\.sources: /],
    [
      '{ segments: [{ source: "a", strat: 0 }] }',
      '{ sources: { a: b } }',
      /did you mean "start"\?/,
    ],
    [
      '{ segments: [{ source: "a", start: 0, end: 1 }] }',
      '{ sources: { a: "not a blob" } }',
      /^options\.sources\.a: expected a Blob/,
    ],
  ];
  for (const [timeline, options, message] of cases) {
    const e = await page.evaluate(
      async ({ src, timeline, options }) => {
        const b = await (await fetch(src)).blob();
        try {
          await window.outtake.render(
            (0, eval)(`(${timeline})`),
            (0, eval)(`(b) => (${options})`)(b),
          );
          return null;
        } catch (e) {
          return {
            code: e.code,
            message: e.message,
            isOuttake: e instanceof window.outtake.OuttakeError,
          };
        }
      },
      { src: api.urlOf(clip), timeline, options },
    );
    assert.ok(e, `${timeline} ${options} did not fail`);
    assert.deepEqual([e.isOuttake, e.code], [true, 'ERR_INVALID_ARGUMENT'], e.message);
    assert.match(e.message, message);
  }
});
