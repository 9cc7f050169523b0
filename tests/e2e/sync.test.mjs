// Caption sync from a media Blob in headless Chromium through the built package: espeak-ng
// speech at known times (tests/helpers/speech.mjs) encoded as MP4 (AAC) and WebM (Opus), captions
// moved off it by a known offset, and the result checked against the synthesis truth. Also the
// progress reports, abort, and the typed errors for files that cannot be read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openApiPage } from '../helpers/api-page.mjs';
import * as m from '../helpers/media.mjs';
import { speechMedia, srt } from '../helpers/speech.mjs';

const hasFfmpeg = m.haveFfmpeg();
let api, page, media;

before(async () => {
  if (!hasFfmpeg) return;
  media = speechMedia();
  api = await openApiPage();
  page = api.page;
});
after(() => api?.close());

const urlOf = (file) => api.urlOf(file);

const OFFSET = 2.4;

/** Syncs the truth moved OFFSET s late against `file` in the page: {cues, report, progress}. */
async function syncInPage(file, options = {}) {
  const late = srt(media.cues.map((c) => ({ ...c, start: c.start + OFFSET, end: c.end + OFFSET })));
  return page.evaluate(
    async ({ src, late, options }) => {
      const o = window.outtake;
      const blob = await (await fetch(src)).blob();
      const progress = [];
      const t0 = performance.now();
      const { captions, report } = await o.syncCaptions(late, blob, {
        ...options,
        onProgress: (f) => progress.push(f),
      });
      return {
        cues: captions.cues.map((c) => [c.startTime, c.endTime]),
        report,
        progress,
        ms: performance.now() - t0,
      };
    },
    { src: urlOf(file), late, options },
  );
}

function checkAgainstTruth(r, name) {
  assert.equal(r.report.abstained, false, `${name}: abstained: ${r.report.reason}`);
  const errors = r.cues.map(([start], i) => Math.abs(start - media.cues[i].start));
  const worst = Math.max(...errors);
  console.log(
    `# ${name}: ${r.cues.length} cues, worst start error ${(worst * 1000).toFixed(0)} ms, confidence ${r.report.confidence.toFixed(2)}, ${r.ms.toFixed(0)} ms`,
  );
  errors.forEach((e, i) => {
    assert.ok(e < 0.1, `${name}: cue ${i} starts ${(e * 1000).toFixed(0)} ms off the speech`);
  });
  const offset = r.report.segments[0].offset;
  assert.ok(Math.abs(offset + OFFSET) < 0.1, `${name}: offset ${offset}, expected -${OFFSET}`);
}

function checkProgress(progress, name) {
  assert.ok(progress.length >= 5, `${name}: ${progress.length} progress reports`);
  for (let i = 1; i < progress.length; i++)
    assert.ok(
      progress[i] > progress[i - 1],
      `${name}: progress went ${progress[i - 1]} → ${progress[i]}`,
    );
  assert.ok(progress[0] > 0 && progress[0] < 0.5, `${name}: first report ${progress[0]}`);
  assert.equal(progress.at(-1), 1);
}

test('captions 2.4 s late are synced to the speech of an MP4 (AAC) Blob within 100 ms', {
  skip: !hasFfmpeg && 'ffmpeg absent',
}, async () => {
  const r = await syncInPage(media.mp4);
  checkAgainstTruth(r, 'mp4/aac');
  checkProgress(r.progress, 'mp4/aac');
});

test('… and of a WebM (Opus) Blob', { skip: !hasFfmpeg && 'ffmpeg absent' }, async () => {
  const r = await syncInPage(media.webm);
  checkAgainstTruth(r, 'webm/opus');
  checkProgress(r.progress, 'webm/opus');
});

test('speechActivity of a Blob is the track of its decoded PCM, within a step or two', {
  skip: !hasFfmpeg && 'ffmpeg absent',
}, async () => {
  // The WAV's own samples as PCM against the AAC Blob: same speech, same track shape.
  const r = await page.evaluate(
    async ({ mp4, wav }) => {
      const o = window.outtake;
      const blob = await (await fetch(mp4)).blob();
      const bytes = new DataView(await (await fetch(wav)).arrayBuffer());
      const pcm = new Float32Array((bytes.byteLength - 44) / 2);
      for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.getInt16(44 + i * 2, true) / 32768;
      const fromBlob = await o.speechActivity(blob);
      const fromPcm = await o.speechActivity({ pcm, sampleRate: 22050 });
      return {
        step: fromBlob.step,
        isF32: fromBlob.probability instanceof Float32Array,
        lengths: [fromBlob.probability.length, fromPcm.probability.length],
        segments: [fromBlob.segments, fromPcm.segments],
      };
    },
    { mp4: urlOf(media.mp4), wav: urlOf(media.wav) },
  );
  assert.equal(r.step, 0.01);
  assert.ok(r.isF32);
  assert.ok(Math.abs(r.lengths[0] - r.lengths[1]) <= 3, `lengths ${r.lengths}`);
  const [blob, pcm] = r.segments;
  assert.ok(blob.length >= media.cues.length, `${blob.length} segments`);
  assert.equal(blob.length, pcm.length, 'as many speech runs from the Blob as from its PCM');
  blob.forEach(([s, e], i) => {
    assert.ok(Math.abs(s - pcm[i][0]) <= 0.05 && Math.abs(e - pcm[i][1]) <= 0.05, `run ${i}`);
  });
});

test('aborting mid-decode rejects at once with the AbortError, and the next call works', {
  skip: !hasFfmpeg && 'ffmpeg absent',
}, async () => {
  const r = await page.evaluate(
    async ({ src }) => {
      const o = window.outtake;
      const blob = await (await fetch(src)).blob();
      const ctrl = new AbortController();
      const seen = [];
      let abortedAt = 0;
      const run = o.speechActivity(blob, {
        signal: ctrl.signal,
        onProgress: (f) => {
          seen.push(f);
          if (f > 0.2 && !abortedAt) {
            abortedAt = performance.now();
            ctrl.abort();
          }
        },
      });
      let name;
      try {
        await run;
        name = 'resolved';
      } catch (e) {
        name = e.name;
      }
      const ms = performance.now() - abortedAt;
      const after = await o.speechActivity(blob);
      return { name, ms, last: seen.at(-1), afterSegments: after.segments.length };
    },
    { src: urlOf(media.mp4) },
  );
  assert.equal(r.name, 'AbortError');
  assert.ok(r.ms < 100, `rejected ${r.ms.toFixed(1)} ms after abort()`);
  assert.ok(r.last < 0.9, `aborted mid-way, at ${r.last}`);
  assert.ok(r.afterSegments >= media.cues.length, 'the call after the abort ran');
});

/** The error a sync of `src` (a URL, or bytes) fails with: {code, message, name}. */
async function syncError(src, bytes) {
  return page.evaluate(
    async ({ src, bytes }) => {
      const blob = bytes ? new Blob([new Uint8Array(bytes)]) : await (await fetch(src)).blob();
      try {
        await window.outtake.syncCaptions('WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n', blob);
        return { code: 'resolved' };
      } catch (e) {
        return { code: e.code, message: e.message, name: e.name };
      }
    },
    { src, bytes },
  );
}

test('a file with no audio track, undecodable audio and a damaged file give typed errors', {
  skip: !hasFfmpeg && 'ffmpeg absent',
}, async () => {
  const none = await syncError(urlOf(media.noAudio));
  assert.equal(none.code, 'ERR_SYNC_NO_AUDIO', JSON.stringify(none));
  assert.match(none.message, /^media: the file has no audio track \(only avc1\./);

  const eac3 = m.shared('eac3.mp4');
  if (eac3) {
    const e = await syncError(urlOf(eac3));
    assert.equal(e.code, 'ERR_UNSUPPORTED_CODEC', JSON.stringify(e));
    assert.match(e.message, /^media: cannot decode ec-3 audio \(track \d+\)/);
  }

  // The AAC file with its packets overwritten: the container still reads, the audio does not.
  const bytes = fs.readFileSync(media.mp4);
  const mdat = bytes.indexOf(Buffer.from('mdat'));
  const broken = Buffer.from(bytes);
  for (let i = mdat + 4; i < broken.length && i < mdat + 4 + 200_000; i++) broken[i] = 0xff;
  const d = await syncError(null, [...broken]);
  assert.equal(d.name, 'OuttakeError');
  assert.equal(d.code, 'ERR_DECODE', JSON.stringify(d));
  assert.match(d.message, /packet \d+/);

  // Cut short inside its index: the demuxer names the place.
  const cut = [...bytes.subarray(0, 2000)];
  const t = await syncError(null, cut);
  assert.match(t.code, /^ERR_MP4_(TRUNCATED|CORRUPT)$/, JSON.stringify(t));

  const garbage = await syncError(null, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  assert.equal(garbage.code, 'ERR_UNKNOWN_CONTAINER');
});
