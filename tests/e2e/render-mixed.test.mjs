// render() of mixed sources in headless Chromium through the built package: a 1280x720 H.264
// source at 30 fps joined with a 640x480 one at 25 fps (re-encoded whole, letterboxed into
// 1280x720, keeping its 25 fps timing), the `video` option re-encoding everything to another
// size, and a source without sound (silence in its segment). Checked by ffprobe/ffmpeg: no decode message, the exact frame count, copied frames
// bit-identical, re-encoded frames' PSNR against the source fitted by ffmpeg, frame timing, the
// A/V offset after every joint (correlation of noise, within 21.3 ms), playback in <video>.
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
let api, tmp;
const src = {};

/** A 4 s clip: `video` (lavfi) encoded with `codec`, and `audio` (lavfi) with `acodec`. */
function make(name, video, codec, audio, acodec) {
  const file = path.join(tmp, name);
  if (!fs.existsSync(file))
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', video],
      ...(audio ? ['-f', 'lavfi', '-i', audio] : []),
      ...codec,
      ...(audio ? acodec : []),
      ...['-shortest', file],
    ]);
  return file;
}

before(async () => {
  if (!hasFfmpeg) return;
  tmp = path.join(m.ROOT, 'target/render-mixed-e2e');
  fs.mkdirSync(tmp, { recursive: true });
  const x264 = (g) => ['-c:v', 'libx264', '-preset', 'veryfast', '-g', g, '-bf', '3'];
  const aac = ['-c:a', 'aac', '-b:a', '192k'];
  const noise = (color, seed) =>
    `anoisesrc=color=${color}:sample_rate=${m.PCM_RATE}:duration=4:seed=${seed}`;
  src.hd = make(
    'hd.mp4',
    'testsrc2=size=1280x720:rate=30:duration=4',
    [...x264('30'), '-keyint_min', '30', '-sc_threshold', '0'],
    noise('white', 11),
    aac,
  );
  src.sd = make(
    'sd.mp4',
    'testsrc=size=640x480:rate=25:duration=4',
    [...x264('25'), '-keyint_min', '25', '-sc_threshold', '0'],
    noise('pink', 5),
    aac,
  );
  // The first source's picture and codec without its sound.
  src.mute = path.join(tmp, 'mute.mp4');
  if (!fs.existsSync(src.mute))
    execFileSync('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-i',
      src.hd,
      '-an',
      '-c',
      'copy',
      src.mute,
    ]);
  api = await openApiPage();
});
after(() => api?.close());

/** The ffmpeg filter that fits a picture into w×h as render should: scaled, centred, bars. */
const fit = (w, h) =>
  `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1`;

/**
 * Checks an output against its segments ([start, end, id]): no decode message, exact frame
 * count, each segment's frames copied bit-exact or re-encoded (PSNR against the source fitted to
 * the output's size), frame times at the segment's own spacing, A/V after every joint. Returns
 * figures for the log.
 */
function check(r, segments, { whole, silent = [] }) {
  assert.equal(m.decodeErrors(r.out), '', 'ffmpeg decodes the output without a message');
  const [width, height] = execFileSync('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height'],
    ...['-of', 'csv=p=0', r.out],
  ])
    .toString()
    .trim()
    .split(',')
    .map(Number);
  const v = { width, height };
  const outFrames = m.frames(r.out);
  const got = m.frameHashes(r.out);
  const outPcm = m.pcm(r.out);
  const aStart = m.streams(r.out).find((s) => s.type === 'audio').startTime;
  let at = 0;
  let land = 0;
  let worstAv = 0;
  let worstDb = Infinity;
  let total = 0;
  for (const [k, [start, end, id]] of segments.entries()) {
    const list = m.frames(src[id]);
    const w = m.expectedCut(list, start, end);
    const all = m.frameHashes(src[id]);
    const same = got.slice(at, at + w.count).filter((h, i) => h === all[w.first + i]).length;
    if (whole[k]) {
      assert.equal(same, 0, `segment ${k}: re-encoded whole`);
      const db = m.psnrFrames(r.out, src[id], at, w.first, w.count, tmp, fit(v.width, v.height));
      const low = Math.min(...db);
      worstDb = Math.min(worstDb, low);
      // NOTE: the frames pass through an OffscreenCanvas (RGB) on their way to the encoder, and
      // Chromium's YUV -> RGB -> YUV does not keep the source's matrix and range: measured 26.9 dB
      // for the 640x480 source against ffmpeg's fit (ffmpeg's own bilinear against bicubic fit:
      // 45 dB, so the geometry is not what costs), 33.7 dB at the same aspect.
      assert.ok(low >= 25, `segment ${k}: re-encoded frames ≥ 25 dB PSNR, worst ${low.toFixed(1)}`);
      // Its own frame timing: the source's spacing, from where it lands.
      for (let i = 0; i < w.count; i++) {
        const want = land + list[w.first + i].t - list[w.first].t;
        const t = outFrames[at + i].t - outFrames[0].t;
        assert.ok(Math.abs(t - want) < 0.001, `segment ${k} frame ${i}: at ${t}, not ${want}`);
      }
    } else {
      assert.ok(same >= w.count / 3, `segment ${k}: ${same} of ${w.count} frames copied`);
    }
    const cut = list[w.first].t - list[0].t;
    if (silent.includes(id)) {
      // No sound in the source: digital silence, away from the joints by two AAC frames (half
      // a frame of placement, one of the decoder's overlap).
      const from = Math.round((land + 0.043 - aStart) * m.PCM_RATE);
      const to = Math.round((land + w.duration - 0.043 - aStart) * m.PCM_RATE);
      const peak = outPcm.subarray(from, to).reduce((p, x) => Math.max(p, Math.abs(x)), 0);
      assert.ok(to - from > m.PCM_RATE / 2 && peak === 0, `segment ${k}: silence, peak ${peak}`);
      at += w.count;
      land += w.duration;
      total += w.count;
      continue;
    }
    // A/V after the joint: the output's sound at (landing + x) is the source's at (cut + x).
    const srcPcm = m.pcm(src[id]);
    for (const x of [0.05, w.duration - 0.3]) {
      const lag = m.lagOf(outPcm, land + x - aStart, srcPcm, cut + x);
      worstAv = Math.max(worstAv, Math.abs(lag));
      assert.ok(
        Math.abs(lag) <= 0.0213,
        `segment ${k} at +${x}: A/V ${(lag * 1000).toFixed(1)} ms`,
      );
    }
    at += w.count;
    land += w.duration;
    total += w.count;
  }
  assert.equal(got.length, total, 'exact frame count');
  assert.deepEqual(m.editListEntries(r.out), [1, 1], 'a single-entry edit list per track (MSE)');
  assert.equal(r.play.error, undefined, `<video> error ${r.play.error}`);
  assert.ok(r.play.ended, 'plays to the end');
  assert.ok(Math.abs(r.play.duration - land) < 0.05, `duration ${r.play.duration} vs ${land}`);
  return { total, worstAv, worstDb, size: `${v.width}x${v.height}` };
}

test('another size and frame rate: re-encoded whole, letterboxed, its own timing', {
  skip,
}, async () => {
  const segments = [
    [0.517, 1.617, 'hd'],
    [0.3, 1.5, 'sd'],
    [2.017, 3.117, 'hd'],
  ];
  const r = await R.renderInPage(api, tmp, segments, 'hd-sd-hd', src);
  assert.equal(r.error, undefined, r.error?.message);
  assert.equal(r.type, 'video/mp4');
  const f = check(r, segments, { whole: [false, true, false] });
  assert.equal(f.size, '1280x720', 'the first source is the output configuration');
  console.log(
    `# mixed sizes: ${f.total} frames in ${r.ms.toFixed(0)} ms, 640x480 segment ≥ ${f.worstDb.toFixed(1)} dB PSNR letterboxed, worst A/V at a joint ${(f.worstAv * 1000).toFixed(2)} ms`,
  );
});

test('options.video sets the output: every segment re-encoded to it', { skip }, async () => {
  const segments = [
    [0.517, 1.617, 'hd'],
    [0.3, 1.5, 'sd'],
  ];
  const r = await R.renderInPage(api, tmp, segments, 'video-option', src, {
    video: { width: 640, height: 360, bitrate: 2_000_000 },
  });
  assert.equal(r.error, undefined, r.error?.message);
  const f = check(r, segments, { whole: [true, true] });
  assert.equal(f.size, '640x360');
  console.log(
    `# video option 640x360: ${f.total} frames in ${r.ms.toFixed(0)} ms, ≥ ${f.worstDb.toFixed(1)} dB PSNR, worst A/V ${(f.worstAv * 1000).toFixed(2)} ms`,
  );
});

test('options.video: bad values are typed errors naming the field', { skip }, async () => {
  const cases = [
    [{ width: 641 }, /^options\.video\.width: expected an even whole number from 16 to 8192/],
    [{ height: 'big' }, /^options\.video\.height: /],
    [{ bitrate: -1 }, /^options\.video\.bitrate: expected a whole number/],
    [{ codec: 'h265' }, /^options\.video\.codec: /],
    [{ widht: 640 }, /did you mean "width"\?/],
    ['hd', /^options\.video: expected an object/],
  ];
  for (const [video, message] of cases) {
    const r = await R.renderInPage(api, tmp, [[0, 1, 'hd']], 'bad', { hd: src.hd }, { video });
    assert.ok(r.error, `${JSON.stringify(video)} did not fail`);
    assert.equal(r.error.code, 'ERR_INVALID_ARGUMENT', r.error.message);
    assert.match(r.error.message, message);
  }
});

test('a source without sound: silence in its segment, the rest in sync', { skip }, async () => {
  const segments = [
    [0.517, 1.617, 'hd'],
    [1.2, 2.4, 'mute'],
    [2.017, 3.117, 'hd'],
  ];
  const r = await R.renderInPage(api, tmp, segments, 'hd-mute-hd', src);
  assert.equal(r.error, undefined, r.error?.message);
  const f = check(r, segments, { whole: [false, false, false], silent: ['mute'] });
  console.log(
    `# silence: ${f.total} frames in ${r.ms.toFixed(0)} ms, worst A/V at a joint ${(f.worstAv * 1000).toFixed(2)} ms`,
  );
});
