// thumbnails in headless Chromium through the built package, on tests/fixtures/make-shots.sh's
// clips: count and size (rotation honoured), pixels against ffmpeg's frame at each time and
// solid-colour segments' colours, keyframesOnly showing keyframes and decoding far less, typed
// errors naming the option, and abort.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openApiPage } from '../helpers/api-page.mjs';
import * as m from '../helpers/media.mjs';

const hasFfmpeg = m.haveFfmpeg();
let api, dir, truth;

before(async () => {
  if (!hasFfmpeg) return;
  dir = m.shotsDir();
  truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8'));
  api = await openApiPage();
});
after(() => api?.close());

const skip = !hasFfmpeg && 'ffmpeg/ffprobe not found';

/** Thumbnails of `file` in the page: {thumbs: [{width, height, rgba}], ms} or {error}. */
function thumbsInPage(file, options) {
  return api.page.evaluate(
    async ({ src, options }) => {
      const blob = await (await fetch(src)).blob();
      const t0 = performance.now();
      try {
        const bitmaps = await window.outtake.thumbnails(blob, options);
        const ms = performance.now() - t0;
        const thumbs = bitmaps.map((b) => {
          const c = new OffscreenCanvas(b.width, b.height);
          const ctx = c.getContext('2d');
          ctx.drawImage(b, 0, 0);
          const rgba = Array.from(ctx.getImageData(0, 0, b.width, b.height).data);
          return { width: b.width, height: b.height, rgba, bitmap: b instanceof ImageBitmap };
        });
        return { thumbs, ms };
      } catch (e) {
        return { error: { code: e.code, name: e.name, message: e.message } };
      }
    },
    { src: api.urlOf(path.join(dir, file)), options },
  );
}

/** Frames `indices` of `file` as ffmpeg decodes them, scaled to w×h RGB. */
function ffmpegFrames(file, w, h, indices) {
  const out = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      path.join(dir, file),
      '-vf',
      `scale=${w}:${h},format=rgb24`,
      '-fps_mode',
      'passthrough',
      '-f',
      'rawvideo',
      '-',
    ],
    { maxBuffer: 1 << 30 },
  );
  const n = w * h * 3;
  return indices.map((i) => out.subarray(i * n, (i + 1) * n));
}

/** Mean absolute difference per channel between an RGBA thumbnail and an RGB frame. */
function mad(rgba, rgb) {
  let s = 0;
  for (let p = 0; p < rgb.length / 3; p++)
    for (let c = 0; c < 3; c++) s += Math.abs(rgba[p * 4 + c] - rgb[p * 3 + c]);
  return s / rgb.length;
}

function meanColour(rgba) {
  const sum = [0, 0, 0];
  for (let p = 0; p < rgba.length; p += 4) for (let c = 0; c < 3; c++) sum[c] += rgba[p + c];
  return sum.map((s) => s / (rgba.length / 4));
}

test('count: evenly spaced, sized, each the frame on screen at its time', { skip }, async () => {
  const r = await thumbsInPage('shots.mp4', { count: 10, width: 80 });
  assert.equal(r.error, undefined, JSON.stringify(r.error));
  assert.equal(r.thumbs.length, 10);
  for (const t of r.thumbs) assert.deepEqual([t.width, t.height, t.bitmap], [80, 60, true]);
  const at = r.thumbs.map((_, k) => Math.floor((k * truth.frames) / 10));
  const frames = ffmpegFrames('shots.mp4', 80, 60, at);
  r.thumbs.forEach((t, k) => {
    const d = mad(t.rgba, frames[k]);
    assert.ok(d < 20, `thumbnail ${k} (frame ${at[k]}): ${d.toFixed(1)} levels from ffmpeg's`);
  });
});

test('interval: solid-colour segments come out in their colours', { skip }, async () => {
  const r = await thumbsInPage('shots.mp4', { interval: 0.4, width: 32 });
  const step = 0.4 * truth.fps;
  assert.equal(r.thumbs.length, Math.ceil(truth.frames / step));
  const at = r.thumbs.map((_, k) => Math.floor(k * step + 1e-9));
  const source = ffmpegFrames('shots.mp4', 32, 24, at);
  let checked = 0;
  r.thumbs.forEach((t, k) => {
    const solid = truth.solid.find((s) => s.from + 1 <= at[k] && at[k] <= s.to - 1);
    if (!solid) return;
    checked++;
    const got = meanColour(t.rgba);
    // The source frame's colour as ffmpeg decodes it, within what two YUV-to-RGB conversions
    // may differ by (untagged video: ffmpeg takes BT.601, Chromium moves pure red's green by ~24),
    // and nearer the segment's colour than any other solid segment's.
    const rgb = source[k];
    const want = [0, 1, 2].map(
      (c) => rgb.filter((_, i) => i % 3 === c).reduce((a, b) => a + b) / (rgb.length / 3),
    );
    const msg = `frame ${at[k]}: ${got.map(Math.round)}, source ${want.map(Math.round)}`;
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(got[c] - want[c]) < 30, msg);
    const dist = (s) => s.rgb.reduce((a, v, c) => a + Math.abs(v - got[c]), 0);
    const nearest = truth.solid.reduce((a, b) => (dist(b) < dist(a) ? b : a));
    assert.equal(nearest, solid, msg);
  });
  assert.ok(checked >= 6, `${checked} solid thumbnails`);
});

test('a turned video gives turned thumbnails', { skip }, async () => {
  const r = await thumbsInPage('rotated.mp4', { count: 2, width: 60 });
  assert.equal(r.error, undefined, JSON.stringify(r.error));
  assert.deepEqual(
    r.thumbs.map((t) => [t.width, t.height]),
    [
      [60, 80],
      [60, 80],
    ],
  );
});

test('keyframesOnly: the nearest keyframes, decoded alone, far faster', { skip }, async () => {
  // long-gop.mp4: 20 s at 25 fps, keyframes at 0 and 10 s. Times 0, 4, 8, 12, 16 s.
  const full = await thumbsInPage('long-gop.mp4', { count: 5, width: 64 });
  const keys = await thumbsInPage('long-gop.mp4', { count: 5, width: 64, keyframesOnly: true });
  assert.equal(keys.thumbs.length, 5);
  const wanted = [0, 100, 200, 300, 400];
  const nearest = [0, 0, 250, 250, 250];
  const own = ffmpegFrames('long-gop.mp4', 64, 36, wanted);
  const key = ffmpegFrames('long-gop.mp4', 64, 36, nearest);
  for (let k = 1; k < 5; k++) {
    assert.ok(mad(full.thumbs[k].rgba, own[k]) < mad(full.thumbs[k].rgba, key[k]), `full ${k}`);
    assert.ok(mad(keys.thumbs[k].rgba, key[k]) < mad(keys.thumbs[k].rgba, own[k]), `keys ${k}`);
  }
  // Full decoding feeds 352 frames here (0–200, 250–400), keyframes-only 2.
  assert.ok(keys.ms < full.ms / 2, `keyframesOnly ${keys.ms} ms, full ${full.ms} ms`);
  console.log(`# long-gop: full ${full.ms.toFixed(0)} ms, keyframesOnly ${keys.ms.toFixed(0)} ms`);
});

test('typed errors name the option; no video is ERR_NO_VIDEO', { skip }, async () => {
  const noVideo = await thumbsInPage('audio.m4a', { count: 3 });
  assert.equal(noVideo.error.code, 'ERR_NO_VIDEO');
  for (const [options, place] of [
    [{}, 'options.count'],
    [{ count: 3, interval: 1 }, 'options.interval'],
    [{ count: 0 }, 'options.count'],
    [{ count: 2.5 }, 'options.count'],
    [{ interval: -1 }, 'options.interval'],
    [{ interval: 0.0001 }, 'options.interval'],
    [{ count: 3, width: 0 }, 'options.width'],
    [{ count: 3, keyframesOnly: 'yes' }, 'options.keyframesOnly'],
    [{ count: 3, widht: 9 }, 'options'],
  ]) {
    const r = await thumbsInPage('shots.mp4', options);
    assert.equal(r.error?.code, 'ERR_INVALID_ARGUMENT', JSON.stringify(options));
    assert.ok(r.error.message.startsWith(`${place}:`), r.error.message);
  }
});

test('abort rejects at once and ends the worker', { skip }, async () => {
  const r = await api.page.evaluate(
    async (src) => {
      const o = window.outtake;
      const blob = await (await fetch(src)).blob();
      const c = new AbortController();
      const p = o.thumbnails(blob, { count: 50, signal: c.signal, onProgress: () => c.abort() });
      try {
        await p;
        return { resolved: true };
      } catch (e) {
        return { name: e.name, running: o.workerRunning() };
      }
    },
    api.urlOf(path.join(dir, 'shots.mp4')),
  );
  assert.deepEqual(r, { name: 'AbortError', running: false });
});
