// Trimming in headless Chromium through the built package (pkg/, no bundler): the page fetches a
// file, trims it in the worker, and sends the bytes back; ffprobe/ffmpeg check every output
// against the source. Expected frames come from ffprobe's frame list of the source by the plan's
// rule (tests/helpers/media.mjs), never from the planner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openApiPage } from '../helpers/api-page.mjs';
import * as m from '../helpers/media.mjs';

const hasFfmpeg = m.haveFfmpeg();
let api, page, dir, tmp;

before(async () => {
  if (!hasFfmpeg) return;
  dir = m.fixturesDir();
  // Outputs stay for a person to look at after a failure (target/ is not committed).
  tmp = path.join(m.ROOT, 'target/trim-e2e');
  fs.mkdirSync(tmp, { recursive: true });
  api = await openApiPage();
  page = api.page;
});
after(() => api?.close());

const urlOf = (file) => api.urlOf(file);

/** Trims in the page; returns the cut summary, the output file and how it played. */
async function trimInPage(file, start, end, options = {}) {
  const r = await page.evaluate(
    async ({ src, start, end, options }) => {
      const o = window.outtake;
      const blob = await (await fetch(src)).blob();
      const cut = await o.cutPoints(blob, { start, end, ...options });
      const progress = [];
      const t0 = performance.now();
      const out = await o.trim(blob, {
        start,
        end,
        ...options,
        onProgress: (f) => progress.push(f),
      });
      const ms = performance.now() - t0;
      const bytes = new Uint8Array(await out.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      // It plays from its first frame in a <video>: the first frame presented is at 0.
      const v = document.createElement('video');
      v.muted = true;
      v.src = URL.createObjectURL(out);
      const play = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ error: 'timeout' }), 20000);
        v.onerror = () => {
          clearTimeout(timer);
          resolve({ error: v.error?.message });
        };
        // The frame a paused, just-loaded video shows is its first; then it must play to the end.
        v.requestVideoFrameCallback((_now, meta) => {
          const first = meta.mediaTime;
          const size = [v.videoWidth, v.videoHeight];
          v.onended = () => {
            clearTimeout(timer);
            resolve({ first, ended: true, size });
          };
          v.playbackRate = 4;
          v.play().catch((e) => resolve({ error: String(e) }));
        });
        v.preload = 'auto';
      });
      URL.revokeObjectURL(v.src);
      return { cut, b64: btoa(bin), type: out.type, progress, play, ms };
    },
    { src: urlOf(file), start, end, options },
  );
  const ext =
    { mp4: '.mp4', webm: '.webm', matroska: '.mkv' }[options.format] ?? path.extname(file);
  const out = path.join(tmp, `${path.basename(file)}-${start}-${end}${ext}`);
  fs.writeFileSync(out, Buffer.from(r.b64, 'base64'));
  return { ...r, out };
}

/**
 * Every check of one trim of `file` to [start, end), seconds from the first video frame; `origin`
 * is where that frame is in the API's time (from the file's first presented instant).
 * Returns the cut summary.
 */
async function checkTrim(file, start, end, origin, { size, alpha = false, options } = {}) {
  const name = `${path.basename(file)}${options?.format ? ` as ${options.format}` : ''} [${start}, ${end})`;
  const src = m.frames(file);
  const want = m.expectedCut(src, start, end);
  const r = await trimInPage(
    file,
    start + origin,
    end === undefined ? undefined : end + origin,
    options,
  );
  const video = r.cut.tracks.find((t) => t.kind === 'video');
  assert.equal(video.firstFrameIndex, want.first, `${name}: cutPoints' first frame`);
  assert.equal(video.framesTotal, want.count, `${name}: cutPoints' frame count`);
  if (options?.format) {
    const wanted = { mp4: 'video/mp4', webm: 'video/webm', matroska: 'video/x-matroska' }[
      options.format
    ];
    assert.equal(r.type, wanted, `${name}: the output's type`);
  }
  assert.equal(m.decodeErrors(r.out), '', `${name}: ffmpeg decodes the output without a message`);
  const got = m.frameHashes(r.out);
  assert.equal(got.length, want.count, `${name}: frame count`);
  // Copied frames are the source's, bit for bit; the others are the re-encoded ones.
  const all = m.frameHashes(file);
  const same = got.filter((h, k) => h === all[want.first + k]).length;
  assert.equal(same, video.framesCopied, `${name}: frames identical to the source = frames copied`);
  if (video.framesReencoded > 0) {
    const db = m.psnr(r.out, file, want.first, want.count, tmp);
    assert.equal(db.length, want.count, `${name}: PSNR frame count`);
    const worst = Math.min(...db.filter((_x, k) => got[k] !== all[want.first + k]));
    assert.ok(worst >= 40, `${name}: re-encoded frames ≥ 40 dB PSNR, worst ${worst.toFixed(1)} dB`);
    r.worst = worst;
  }
  const dur = m.formatDuration(r.out);
  assert.ok(
    Math.abs(dur - want.duration) <= want.frame + 1e-6,
    `${name}: duration ${dur} vs ${want.duration}`,
  );
  const audio = m.streams(r.out).filter((s) => s.type === 'audio');
  assert.equal(
    audio.length,
    m.streams(file).filter((s) => s.type === 'audio').length -
      (options?.undecodableAudio === 'drop' ? 1 : 0),
    `${name}: every audio track kept`,
  );
  const vt = m.frames(r.out)[0].t;
  audio.forEach((_, n) => {
    // What is heard starts within one audio frame of the first picture, and lasts as long.
    const af = m.audioFrames(r.out, n);
    const frame = Math.max(...af.map((f) => f.d));
    assert.ok(
      Math.abs(af[0].t - vt) <= frame + 1e-6,
      `${name}: audio ${n} starts at ${af[0].t}, video at ${vt}`,
    );
    const heard = af.at(-1).t + af.at(-1).d - af[0].t;
    assert.ok(
      Math.abs(heard - want.duration) <= frame + want.frame + 1e-6,
      `${name}: audio ${n} lasts ${heard} s, video ${want.duration} s`,
    );
  });
  if (alpha) checkAlpha(name, r.out, file, want, video, got, all);
  assert.equal(r.play.error, undefined, `${name}: <video> error ${r.play.error}`);
  // Rotation and pixel aspect ratio survive: the output is shown at the source's size.
  if (size)
    assert.deepEqual(r.play.size, size, `${name}: shown size (rotation, pixel aspect ratio)`);
  assert.ok(r.play.first < want.frame, `${name}: first frame shown at ${r.play.first}`);
  assert.ok(r.play.ended, `${name}: plays to the end`);
  assert.ok(
    r.progress.length > 0 && r.progress.at(-1) === 1,
    `${name}: progress reaches 1 (${r.progress})`,
  );
  assert.ok(
    r.progress.every((x, i) => i === 0 || x > r.progress[i - 1]),
    `${name}: progress increases`,
  );
  // Re-encoding reports as frames come out of the encoder, not once at the end.
  const encoding = r.progress.filter((x) => x > 0.02 && x < 0.6).length;
  if (video.framesReencoded >= 10)
    assert.ok(
      encoding >= 3,
      `${name}: ${encoding} progress reports while re-encoding ${video.framesReencoded} frames`,
    );
  console.log(
    `# ${name}: ${got.length} frames (${video.framesReencoded} re-encoded, worst ${r.worst?.toFixed(1) ?? '-'} dB; ${same} copied) in ${r.ms.toFixed(0)} ms`,
  );
  return r.cut;
}

/** A mid-frame time between frames i and i+1 of the source (from the first frame). */
function between(list, i) {
  return Number(((list[i].t + list[i + 1].t) / 2 - list[0].t).toFixed(4));
}

/**
 * VP9 alpha: the alpha plane (decoded by libvpx from the BlockAdditions) of the copied frames
 * equals the source's, and the re-encoded frames' alpha is ≥ 40 dB PSNR against it.
 */
function checkAlpha(name, out, file, want, video, got, all) {
  const alphaOut = m.frameHashes(out, { alpha: true });
  const alphaSrc = m.frameHashes(file, { alpha: true });
  assert.equal(alphaOut.length, want.count, `${name}: alpha frame count`);
  const copied = got.map((h, k) => h === all[want.first + k]);
  copied.forEach((c, k) => {
    if (c)
      assert.equal(alphaOut[k], alphaSrc[want.first + k], `${name}: alpha of copied frame ${k}`);
  });
  if (video.framesReencoded > 0) {
    const db = m.psnr(out, file, want.first, want.count, tmp, { alpha: true });
    const worst = Math.min(...db.filter((_x, k) => !copied[k]));
    assert.ok(worst >= 40, `${name}: re-encoded alpha ≥ 40 dB PSNR, worst ${worst.toFixed(1)} dB`);
  }
}

/** The size a <video> shows a file at (after rotation and pixel aspect ratio). */
function shownSize(file) {
  return page.evaluate(async (src) => {
    const v = document.createElement('video');
    v.muted = true;
    v.src = src;
    await new Promise((resolve, reject) => {
      v.onloadedmetadata = resolve;
      v.onerror = () => reject(new Error(v.error?.message));
    });
    return [v.videoWidth, v.videoHeight];
  }, urlOf(file));
}

/** Two ranges per file: one with a head to re-encode, one from a keyframe to the end. */
async function checkFile(file, { reencode = true, alpha = false, options } = {}) {
  const src = m.frames(file);
  const size = await shownSize(file);
  // The API counts time from the first presented video frame, even where the audio starts first
  // (vp9.webm): its first IDR, the first video frame of every file here, is at 0.
  const info = await page.evaluate(
    async (u) => window.outtake.probe(await (await fetch(u)).blob()),
    urlOf(file),
  );
  const origin = info.tracks.find((t) => t.kind === 'video').keyframes[0];
  assert.equal(origin, 0, `${path.basename(file)}: the first keyframe counts as 0`);
  const n = src.length;
  // An in-point inside a GOP: the frame showing at it is no keyframe.
  const keys = info.tracks.find((t) => t.kind === 'video').keyframes.map((k) => k - origin);
  let i = Math.floor(n / 3) + 2;
  while (i < n - 2 && keys.some((k) => Math.abs(k - (src[i].t - src[0].t)) < 1e-6)) i++;
  const a = between(src, i);
  const b = between(src, Math.floor((2 * n) / 3) + 1);
  const cut = await checkTrim(file, a, b, origin, { size, alpha, options });
  if (reencode)
    assert.ok(cut.needsReencode, `${path.basename(file)}: [${a}, ${b}) must re-encode a head`);
  const key = cut.keyframeTimes.find((k) => k > origin + 1e-6);
  if (key !== undefined) {
    const copy = await checkTrim(file, key - origin, undefined, origin, { size, alpha, options });
    assert.equal(
      copy.tracks.find((t) => t.kind === 'video').framesReencoded,
      0,
      `${path.basename(file)}: a keyframe in-point copies`,
    );
  }
}

const skip = !hasFfmpeg && 'ffmpeg/ffprobe not found';

test('x264 with B-pyramids + AAC (MP4)', { skip }, () => checkFile(path.join(dir, 'bframes.mp4')));
test('x264 open GOP (MP4): decodes from the IDR before the in-point', { skip }, () =>
  checkFile(path.join(dir, 'opengop.mp4')),
);
test('fragmented MP4', { skip }, () => checkFile(path.join(dir, 'frag.mp4')));
test('VP9 + Opus (WebM)', { skip }, () => checkFile(path.join(dir, 'vp9.webm')));
test('H.264 with B-frames in Matroska (in-band parameter sets)', { skip }, () =>
  checkFile(path.join(dir, 'bframes.mkv')),
);
test('VP8 (WebM)', { skip }, () => checkFile(path.join(dir, 'vp8.webm')));
test('AV1 (WebM)', { skip }, () => checkFile(path.join(dir, 'av1.webm')));
test('variable frame rate (MP4)', { skip }, () => checkFile(path.join(dir, 'vfr.mp4')));
test('a file that does not start at zero (MP4)', { skip }, () =>
  checkFile(path.join(dir, 'offset.mp4')),
);
// Full-range BT.601 (yuvj420p): the re-encoded head must say so too (its encoder's SPS says
// limited-range BT.709 unless outtake rewrites it; 24.8 dB against the source then).
test('shared: video.mp4 (H.264 + AAC, full-range BT.601)', { skip }, async (t) => {
  const f = m.shared('video.mp4');
  if (!f) return t.skip('../shared/media absent');
  await checkFile(f);
});
test('shared: frames.webm', { skip }, async (t) => {
  const f = m.shared('frames.webm');
  if (!f) return t.skip('../shared/media absent');
  await checkFile(f, { reencode: false });
});
/** A test of a file in ../shared/media, skipped with a message when it is absent. */
function sharedTest(title, name, options) {
  test(`shared: ${name} (${title})`, { skip }, async (t) => {
    const f = m.shared(name);
    if (!f) return t.skip('../shared/media absent');
    await checkFile(f, options);
  });
}
sharedTest('an edit list shifts presentation', 'edts.mp4');
sharedTest('variable frame rate, 3026x1386', 'cursed-vfr.mp4');
sharedTest('pixel aspect ratio 2:1', 'sar_2x1.mp4');
sharedTest('rotated 90° in the track matrix', 'rotate-buck-bunny.mp4');
sharedTest('VP9 with alpha in BlockAdditions', 'transparency.webm', { alpha: true });
sharedTest('H.264 stored as Annex B in Matroska', 'annex-b-avc.mkv');

test('video with two audio tracks (MP4): both kept, both in sync', { skip }, () =>
  checkFile(path.join(dir, 'two-audio.mp4')),
);

// A range inside one GOP: the head is re-encoded up to the out-point; MP4 hides the rest of the
// GOP's references, WebM re-encodes them too.
for (const name of ['bframes.mp4', 'vp9.webm']) {
  test(`a range inside one GOP (${name})`, { skip }, async () => {
    const file = path.join(dir, name);
    const src = m.frames(file);
    const cut = await checkTrim(file, between(src, 33), between(src, 50), 0);
    const v = cut.tracks.find((t) => t.kind === 'video');
    assert.equal(v.framesCopied, 0, 'nothing to copy inside one GOP');
  });
}

// `format`: another container out than in. The re-encoded head takes the output's scheme (an
// MP4 sample description, or in-band parameter sets in Matroska), and WebM/Matroska output
// re-encodes a B-frame tail it cannot hide.
test('format: VP9 + Opus WebM to MP4', { skip }, () =>
  checkFile(path.join(dir, 'vp9.webm'), { options: { format: 'mp4' } }),
);
test('format: x264 with B-pyramids + AAC MP4 to Matroska', { skip }, () =>
  checkFile(path.join(dir, 'bframes.mp4'), { options: { format: 'matroska' } }),
);
test('format: H.264 in Matroska to MP4', { skip }, () =>
  checkFile(path.join(dir, 'bframes.mkv'), { options: { format: 'mp4' } }),
);
test('format: what a container cannot hold fails at once, named', { skip }, async () => {
  const e = await errorOf(
    urlOf(path.join(dir, 'bframes.mp4')),
    '(b, o) => o.trim(b, { start: 0.5, end: 1.5, format: "webm" })',
  );
  assert.deepEqual([e?.code, e?.isOuttake], ['ERR_UNSUPPORTED_CODEC', true], e?.message);
  assert.match(e.message, /track 1: avc1\.\w+ cannot go into WebM/);
  const plan = await errorOf(
    urlOf(path.join(dir, 'bframes.mp4')),
    '(b, o) => o.cutPoints(b, { start: 0.5, end: 1.5, format: "webm" })',
  );
  assert.equal(plan?.code, 'ERR_UNSUPPORTED_CODEC');
  const bad = await errorOf(
    urlOf(path.join(dir, 'bframes.mp4')),
    '(b, o) => o.trim(b, { start: 0.5, format: "avi" })',
  );
  assert.deepEqual(
    [bad?.code, /^options\.format: /.test(bad?.message)],
    ['ERR_INVALID_ARGUMENT', true],
    bad?.message,
  );
});

/** Audio only, with two tracks: both kept, each the length of the range, both from 0. */
test('shared: multiple-aac-tracks.mp4 (audio only, two tracks)', { skip }, async (t) => {
  const f = m.shared('multiple-aac-tracks.mp4');
  if (!f) return t.skip('../shared/media absent');
  const r = await page.evaluate(async (src) => {
    const blob = await (await fetch(src)).blob();
    const out = await window.outtake.trim(blob, { start: 1.01, end: 3.2 });
    return { type: out.type, bytes: Array.from(new Uint8Array(await out.arrayBuffer())) };
  }, urlOf(f));
  const out = path.join(tmp, 'multiple-aac-tracks-1.01-3.2.mp4');
  fs.writeFileSync(out, Buffer.from(r.bytes));
  assert.equal(r.type, 'audio/mp4');
  assert.equal(m.decodeErrors(out), '');
  const audio = m.streams(out).filter((s) => s.type === 'audio');
  assert.equal(audio.length, 2, 'both audio tracks kept');
  for (const a of audio) {
    const frame = 1024 / a.sampleRate;
    assert.ok(Math.abs(a.duration - 2.19) <= frame, `track ${a.index}: duration ${a.duration}`);
    assert.ok(Math.abs(a.startTime) <= frame, `track ${a.index}: starts at ${a.startTime}`);
  }
});

/** The error a page call rejects with, as plain data. */
async function errorOf(src, fn) {
  return page.evaluate(
    async ({ src, fn }) => {
      const blob = await (await fetch(src)).blob();
      try {
        await (0, eval)(fn)(blob, window.outtake);
        return null;
      } catch (e) {
        return {
          isOuttake: e instanceof window.outtake.OuttakeError,
          name: e.name,
          code: e.code,
          message: e.message,
        };
      }
    },
    { src, fn },
  );
}

test('HEVC: ERR_UNSUPPORTED_CODEC naming the codec, before any work', { skip }, async (t) => {
  const f = m.shared('video-h265.mp4');
  if (!f) return t.skip('../shared/media absent');
  const src = m.frames(f);
  const start = between(src, 3);
  const r = await page.evaluate(
    async ({ src, start }) => {
      const blob = await (await fetch(src)).blob();
      const cut = await window.outtake.cutPoints(blob, { start, end: start + 1 });
      const t0 = performance.now();
      try {
        await window.outtake.trim(blob, { start, end: start + 1 });
        return { cut };
      } catch (e) {
        return { cut, code: e.code, message: e.message, ms: performance.now() - t0 };
      }
    },
    { src: urlOf(f), start },
  );
  assert.ok(r.cut.needsReencode, 'the range needs re-encoding');
  assert.equal(r.code, 'ERR_UNSUPPORTED_CODEC');
  assert.match(r.message, /hvc1|hev1|hevc/i);
});

// E-AC-3 has no WebCodecs decoder here: a trim refuses it by default (the output would not play),
// before any work; `undecodableAudio` drops the track (the video is checked as every trim is) or
// copies it as it is (checked by ffmpeg, which decodes E-AC-3).
test('undecodable audio (E-AC-3): a typed error, or dropped, or copied', { skip }, async () => {
  const file = path.join(dir, 'eac3.mp4');
  const e = await errorOf(urlOf(file), '(b, o) => o.trim(b, { start: 0.5, end: 1.5 })');
  assert.deepEqual([e?.code, e?.isOuttake], ['ERR_UNSUPPORTED_CODEC', true], e?.message);
  assert.match(e.message, /track 2: ec-3 audio .*undecodableAudio/);
  const bad = await errorOf(
    urlOf(file),
    '(b, o) => o.trim(b, { start: 0.5, undecodableAudio: "skip" })',
  );
  assert.deepEqual(
    [bad?.code, /^options\.undecodableAudio: /.test(bad?.message)],
    ['ERR_INVALID_ARGUMENT', true],
    bad?.message,
  );

  const src = m.frames(file);
  const a = between(src, 17);
  await checkTrim(file, a, between(src, 45), 0, { options: { undecodableAudio: 'drop' } });
  const dropped = path.join(tmp, `eac3.mp4-${a}-${between(src, 45)}.mp4`);
  assert.deepEqual(
    m.streams(dropped).map((s) => s.type),
    ['video'],
    'the E-AC-3 track is left out',
  );

  const r = await page.evaluate(async (src) => {
    const blob = await (await fetch(src)).blob();
    const out = await window.outtake.trim(blob, { start: 1, end: 1.5, undecodableAudio: 'copy' });
    return Array.from(new Uint8Array(await out.arrayBuffer()));
  }, urlOf(file));
  const copied = path.join(tmp, 'eac3-copy.mp4');
  fs.writeFileSync(copied, Buffer.from(r));
  assert.deepEqual(
    m.streams(copied).map((s) => s.codec),
    ['h264', 'eac3'],
  );
  assert.equal(m.decodeErrors(copied), '');
  assert.equal(m.frames(copied).length, 15);
});

test('shared: eac3.mp4 (E-AC-3 only): refused, nothing left when dropped, or copied', {
  skip,
}, async (t) => {
  const f = m.shared('eac3.mp4');
  if (!f) return t.skip('../shared/media absent');
  const e = await errorOf(urlOf(f), '(b, o) => o.trim(b, { start: 0.5, end: 1.5 })');
  assert.equal(e?.code, 'ERR_UNSUPPORTED_CODEC', e?.message);
  const none = await errorOf(
    urlOf(f),
    '(b, o) => o.trim(b, { start: 0.5, end: 1.5, undecodableAudio: "drop" })',
  );
  assert.equal(none?.code, 'ERR_UNSUPPORTED_CODEC');
  assert.match(none.message, /nothing is left/);
  const copy = await errorOf(
    urlOf(f),
    '(b, o) => o.trim(b, { start: 0.5, end: 1.5, undecodableAudio: "copy" })',
  );
  assert.equal(copy, null, 'copying the E-AC-3 as it is works');
});

test('a truncated file fails with a typed error naming the byte offset', { skip }, async () => {
  for (const name of ['bframes.mp4', 'vp9.webm']) {
    const e = await errorOf(
      urlOf(path.join(dir, name)),
      `(b, o) => o.trim(b.slice(0, Math.floor(b.size * 0.6)), { start: 0.5, end: 1.5 })`,
    );
    assert.ok(e, `${name}: truncated trim did not fail`);
    assert.equal(e.isOuttake, true, `${name}: ${e.name}`);
    assert.match(e.code, /^ERR_(MP4|WEBM)_(TRUNCATED|CORRUPT)$/, `${name}: ${e.code} ${e.message}`);
    assert.match(e.message, /byte \d+/, `${name}: ${e.message}`);
    console.log(`# ${name} cut short: ${e.code}: ${e.message}`);
  }
});

test('bad arguments: typed errors', { skip }, async () => {
  const src = urlOf(path.join(dir, 'bframes.mp4'));
  const cases = [
    ['(b, o) => o.trim("x", { start: 0, end: 1 })', 'ERR_INVALID_ARGUMENT', /^blob: /],
    ['(b, o) => o.trim(b, { start: NaN, end: 1 })', 'ERR_INVALID_ARGUMENT', /^options\.start: /],
    ['(b, o) => o.trim(b, { start: 2, end: 1 })', 'ERR_CUT_RANGE', /cut range/],
    ['(b, o) => o.trim(b, { start: 0, onProgress: 3 })', 'ERR_INVALID_ARGUMENT', /onProgress/],
    ['(b, o) => o.probe(new Blob(["not media at all"]))', 'ERR_UNKNOWN_CONTAINER', /first bytes/],
    ['(b, o) => o.probe(new Blob([]))', 'ERR_UNKNOWN_CONTAINER', /the file is empty/],
    // Through the JS shell too, a misspelt option is refused, not ignored.
    [
      '(b, o) => o.trim(b, { start: 0, end: 1, fromat: "webm" })',
      'ERR_INVALID_ARGUMENT',
      /^options: unknown key "fromat"; did you mean "format"\?$/,
    ],
    [
      '(b, o) => o.cutPoints(b, { start: 0, singal: null })',
      'ERR_INVALID_ARGUMENT',
      /did you mean "signal"\?$/,
    ],
  ];
  for (const [fn, code, message] of cases) {
    const e = await errorOf(src, fn);
    assert.ok(e, `${fn} did not fail`);
    assert.deepEqual([e.isOuttake, e.code], [true, code], `${fn}: ${e.message}`);
    assert.match(e.message, message, fn);
  }
});

test('probe reports what ffprobe sees', { skip }, async () => {
  const file = path.join(dir, 'bframes.mp4');
  const info = await page.evaluate(
    async (src) => window.outtake.probe(await (await fetch(src)).blob()),
    urlOf(file),
  );
  const v = info.tracks.find((t) => t.kind === 'video');
  assert.equal(v.frames, m.frames(file).length);
  assert.deepEqual(
    info.tracks.map((t) => t.kind),
    m.streams(file).map((s) => s.type),
  );
  assert.ok(v.keyframes.length >= 2 && v.keyframes[0] === 0);
});

test('aborting a trim mid re-encode rejects within 100 ms and ends the worker', {
  skip,
}, async () => {
  const file = path.join(dir, 'opengop.mp4');
  const r = await page.evaluate(async (src) => {
    const o = window.outtake;
    const blob = await (await fetch(src)).blob();
    const ctrl = new AbortController();
    let during, t0;
    const seen = [];
    // Abort at the first report from inside the re-encoding (after the codec checks' 0.02).
    const onProgress = (f) => {
      seen.push(f);
      if (f > 0.02 && t0 === undefined) {
        during = o.workerRunning();
        t0 = performance.now();
        ctrl.abort();
      }
    };
    const p = o.trim(blob, { start: 0.05, signal: ctrl.signal, onProgress });
    let name;
    try {
      await p;
      name = 'resolved';
    } catch (e) {
      name = e.name;
    }
    const ms = performance.now() - t0;
    const after = o.workerRunning();
    // A fresh worker serves the next call.
    const again = (await o.cutPoints(blob, { start: 0, end: 1 })).tracks[0].framesTotal;
    return { during, name, ms, after, again, seen };
  }, urlOf(file));
  assert.equal(r.during, true);
  assert.equal(r.name, 'AbortError');
  assert.ok(r.ms < 100, `rejected ${r.ms.toFixed(1)} ms after abort()`);
  assert.equal(r.after, false, 'the worker (and all it held) is gone');
  assert.ok(r.seen.at(-1) < 0.6, `aborted while re-encoding, at ${r.seen.at(-1)}`);
  assert.ok(r.again > 0);
  console.log(
    `# abort: rejected ${r.ms.toFixed(1)} ms after abort() at progress ${r.seen.at(-1).toFixed(3)}`,
  );
});
