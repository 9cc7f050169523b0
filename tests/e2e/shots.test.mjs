// shotChanges in headless Chromium through the built package, on the generated clip of
// tests/fixtures/make-shots.sh (hard cuts, crossfades, flashes, a pan, fast motion; truth.json
// says where): every cut within one frame, no false cut, at most one per fade; the times feed
// lintCaptions' shot-change rules as they are; typed errors; abort ends the worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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

/** Runs shotChanges on `file` in the page: {cuts, progress, ms} or {error: {code, message}}. */
function shotsInPage(file, options = {}) {
  return api.page.evaluate(
    async ({ src, options }) => {
      const blob = await (await fetch(src)).blob();
      const progress = [];
      const t0 = performance.now();
      try {
        const cuts = await window.outtake.shotChanges(blob, {
          ...options,
          onProgress: (f) => progress.push(f),
        });
        return { cuts, progress, ms: performance.now() - t0 };
      } catch (e) {
        return { error: { code: e.code, name: e.name, message: e.message } };
      }
    },
    { src: api.urlOf(path.join(dir, file)), options },
  );
}

for (const file of ['shots.mp4', 'shots.webm']) {
  test(`${file}: every cut within one frame, none on flashes, steady shots, the pan or motion`, {
    skip,
  }, async () => {
    const r = await shotsInPage(file);
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    const found = r.cuts.map((s) => Math.round(s * truth.fps));
    for (const want of truth.cuts)
      assert.ok(
        found.some((f) => Math.abs(f - want) <= 1),
        `cut at frame ${want} missed: ${found}`,
      );
    for (const f of found) {
      const cut = truth.cuts.some((c) => Math.abs(f - c) <= 1);
      const fade = truth.fades.some(([a, b]) => a - 1 <= f && f <= b + 1);
      assert.ok(cut || fade, `false cut at frame ${f}: ${found}`);
    }
    for (const [a, b] of truth.fades)
      assert.ok(
        found.filter((f) => a - 1 <= f && f <= b + 1).length <= 1,
        `fade ${a}–${b}: ${found}`,
      );
    // Progress only goes up, and ends at 1.
    assert.ok(r.progress.length > 2);
    assert.ok(r.progress.every((p, i) => i === 0 || p > r.progress[i - 1]));
    assert.equal(r.progress.at(-1), 1);
    console.log(`# ${file}: ${found.join(', ')} in ${r.ms.toFixed(0)} ms`);
  });
}

test('the cuts feed lintCaptions as they are', { skip }, async () => {
  const r = await api.page.evaluate(
    async (src) => {
      const o = window.outtake;
      const cuts = await o.shotChanges(await (await fetch(src)).blob());
      // Starts 3 frames before the cut at 4 s (frame 100): Netflix snaps it to the cut.
      const vtt = 'WEBVTT\n\n00:00:03.880 --> 00:00:05.000\nHello';
      const options = { frameRate: 25 };
      const without = await o.lintCaptions(vtt, 'netflix-en-adult', options);
      const withCuts = await o.lintCaptions(vtt, 'netflix-en-adult', {
        ...options,
        shotChanges: cuts,
      });
      return { without: without.map((v) => v.rule), withCuts };
    },
    api.urlOf(path.join(dir, 'shots.mp4')),
  );
  assert.ok(!r.without.includes('shot-change'));
  const v = r.withCuts.find((v) => v.rule === 'shot-change');
  assert.ok(v, JSON.stringify(r.withCuts));
  assert.match(v.message, /snap/);
});

test('typed errors: no video, not a Blob, an unknown option', { skip }, async () => {
  const noVideo = await shotsInPage('audio.m4a');
  assert.equal(noVideo.error.code, 'ERR_NO_VIDEO');
  assert.match(noVideo.error.message, /no video track/);
  const bad = await api.page.evaluate(async () => {
    const codes = [];
    for (const [input, options] of [
      ['not a blob', undefined],
      [new Blob([new Uint8Array(16)]), { bogus: 1 }],
      [new Blob([new Uint8Array(16)]), { onProgress: 3 }],
    ]) {
      try {
        await window.outtake.shotChanges(input, options);
        codes.push('resolved');
      } catch (e) {
        codes.push(`${e.code}: ${e.message}`);
      }
    }
    return codes;
  });
  assert.match(bad[0], /^ERR_INVALID_ARGUMENT: input: expected a Blob/);
  assert.match(bad[1], /^ERR_INVALID_ARGUMENT: options: unknown key "bogus"/);
  assert.match(bad[2], /^ERR_INVALID_ARGUMENT: options.onProgress/);
});

test('abort rejects at once and ends the worker', { skip }, async () => {
  const r = await api.page.evaluate(
    async (src) => {
      const o = window.outtake;
      const blob = await (await fetch(src)).blob();
      const c = new AbortController();
      const p = o.shotChanges(blob, { signal: c.signal, onProgress: () => c.abort() });
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
