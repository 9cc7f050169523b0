// render() with soft captions in headless Chromium through the built package, in all three
// containers, each read by an outside reader: mp4box.js for MP4 (`wvtt` samples decoded to
// vttc/payl, split cues put back by their source ids), ffmpeg for WebM (`D_WEBVTT/SUBTITLES`,
// copied to WebVTT) and mkvextract for Matroska (`S_TEXT/WEBVTT`). The cues must be exactly
// what retimeCaptions gives for the same timeline (bounds on frame boundaries): a clipped cue
// clipped, a cut cue gone, a repeated segment's cue repeated, overlaps kept, markup kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { createFile, MP4BoxBuffer, VTTin4Parser } from 'mp4box';
import { openApiPage } from '../helpers/api-page.mjs';
import * as m from '../helpers/media.mjs';

const hasFfmpeg = m.haveFfmpeg();
const hasMkv = spawnSync('mkvextract', ['--version']).status === 0;
const skip = !hasFfmpeg && 'ffmpeg/ffprobe not found';
let api, page, tmp, fixtures;

const VTT = `WEBVTT

intro
00:00:00.200 --> 00:00:00.800 align:start
<i>clipped</i> by the first segment

00:00:02.600 --> 00:00:02.900
cut: in no segment

rep
00:00:01.100 --> 00:00:01.400 line:0
<v Ann>in a repeated segment</v> &amp; again

00:00:01.200 --> 00:00:01.900
<b>overlaps</b> the one above
`;

// Bounds on frame boundaries of 24, 25 and 30 fps: the second segment repeats the first.
const TIMELINE = {
  segments: [
    { source: 'clip', start: 0.5, end: 1.5 },
    { source: 'clip', start: 1, end: 1.5 },
    { source: 'clip', start: 1.5, end: 2.5 },
  ],
};

before(async () => {
  if (!hasFfmpeg) return;
  tmp = path.join(m.ROOT, 'target/render-captions-e2e');
  fs.mkdirSync(tmp, { recursive: true });
  fixtures = m.fixturesDir();
  api = await openApiPage();
  page = api.page;
});
after(() => api?.close());

/** Renders TIMELINE of `file` with the captions; the output's bytes and retimeCaptions' cues. */
async function renderInPage(file, format, language) {
  const r = await page.evaluate(
    async ({ src, timeline, vtt, format, language }) => {
      const o = window.outtake;
      const clip = await (await fetch(src)).blob();
      const out = await o.render(timeline, {
        sources: { clip },
        format,
        captions: vtt,
        captionsLanguage: language,
        captionsLabel: 'Captions',
      });
      const bytes = new Uint8Array(await out.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const { captions } = await o.retimeCaptions(vtt, timeline);
      return { b64: btoa(bin), type: out.type, sidecar: captions.cues };
    },
    { src: api.urlOf(file), timeline: TIMELINE, vtt: VTT, format, language },
  );
  const ext = { mp4: 'mp4', webm: 'webm', matroska: 'mkv' }[format];
  const out = path.join(tmp, `captions.${ext}`);
  fs.writeFileSync(out, Buffer.from(r.b64, 'base64'));
  const want = r.sidecar.map((c) => ({
    start: Math.round(c.startTime * 1000),
    end: Math.round(c.endTime * 1000),
    id: c.id,
    text: c.text,
  }));
  return { out, type: r.type, want };
}

const sorted = (cues) =>
  [...cues].sort((a, b) => a.start - b.start || a.end - b.end || a.text.localeCompare(b.text));

/** Cues of a WebVTT text: {start, end, id, settings, text}, times in ms. */
function parseVtt(text) {
  const ms = (t) => {
    const p = t.split(':').map(Number);
    return Math.round((p.length === 3 ? p[0] * 3600 + p[1] * 60 + p[2] : p[0] * 60 + p[1]) * 1000);
  };
  const cues = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n\n+/)) {
    const lines = block.split('\n');
    const at = lines.findIndex((l) => l.includes('-->'));
    if (at < 0) continue;
    const [a, rest] = lines[at].split(' --> ');
    const [b, ...settings] = rest.trim().split(/\s+/);
    cues.push({
      start: ms(a),
      end: ms(b),
      id: at > 0 ? lines[at - 1] : '',
      settings: settings.join(' '),
      text: lines
        .slice(at + 1)
        .join('\n')
        .trim(),
    });
  }
  return cues;
}

/** The expected cues' shape: what retiming must have done to VTT through TIMELINE. */
function checkShape(want) {
  const count = (s) => want.filter((c) => c.text.includes(s)).length;
  assert.equal(count('clipped'), 1, 'clipped, once');
  assert.deepEqual(
    want.filter((c) => c.text.includes('clipped')).map((c) => [c.start, c.end]),
    [[0, 300]],
    'the head of the first cue is cut off',
  );
  assert.equal(count('cut:'), 0, 'a cue in no segment is gone');
  assert.equal(count('repeated'), 2, 'the repeated segment repeats its cue');
  assert.equal(count('overlaps'), 2, 'the overlapping cue too');
}

test('MP4: a wvtt track read by mp4box.js holds the re-timed cues', { skip }, async () => {
  const { out, type, want } = await renderInPage(path.join(fixtures, 'bframes.mp4'), 'mp4', 'en');
  assert.equal(type, 'video/mp4');
  checkShape(want);
  const file = createFile();
  const bytes = fs.readFileSync(out);
  let info;
  const samples = [];
  file.onReady = (i) => {
    info = i;
    const track = i.tracks.find((t) => t.codec === 'wvtt');
    assert.ok(track, `a wvtt track among ${i.tracks.map((t) => t.codec)}`);
    file.setExtractionOptions(track.id, null, { nbSamples: 100000 });
    file.start();
  };
  file.onSamples = (_id, _user, got) => samples.push(...got);
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset), 0));
  file.flush();
  const track = info.tracks.find((t) => t.codec === 'wvtt');
  // mp4box.js reports the `elng` tag (null-terminated) over mdhd's code ("eng", ffprobe's).
  assert.equal(track.language.replace(/\0$/, ''), 'en');
  assert.equal(samples.length, track.nb_samples, 'every sample read');
  // Samples tile the track from 0: no gap, no overlap.
  let at = 0;
  for (const s of samples) {
    assert.equal(s.cts, at, 'samples tile the track');
    at += s.duration;
  }
  const parser = new VTTin4Parser();
  const cues = [];
  const open = new Map();
  for (const s of samples) {
    const start = Math.round((s.cts / s.timescale) * 1000);
    const end = Math.round(((s.cts + s.duration) / s.timescale) * 1000);
    const next = new Map();
    for (const box of parser.parseSample(new Uint8Array(s.data))) {
      const sid = box.vsid ? childValue(box, 'vsid') : null;
      const id = box.iden ? childText(box, 'iden') : '';
      const prev = sid !== null && open.get(sid);
      if (prev && prev.end === start) {
        prev.end = end;
        next.set(sid, prev);
        continue;
      }
      const cue = { start, end, id, text: box.payl.text };
      cues.push(cue);
      if (sid !== null) next.set(sid, cue);
    }
    open.clear();
    for (const [k, v] of next) open.set(k, v);
  }
  assert.deepEqual(sorted(cues), sorted(want));
});

/** A child box's body as text (mp4box.js keeps unknown boxes' bytes in `data`). */
function childText(box, type) {
  const b = box[type];
  return Buffer.from(b.data ?? new Uint8Array()).toString('utf8');
}

function childValue(box, type) {
  return Buffer.from(box[type].data).readUInt32BE(0);
}

test('WebM: D_WEBVTT/SUBTITLES read by ffmpeg holds the re-timed cues', { skip }, async () => {
  const { out, type, want } = await renderInPage(path.join(fixtures, 'vp9.webm'), 'webm', 'en');
  assert.equal(type, 'video/webm');
  checkShape(want);
  // Copied, not decoded (ffmpeg's decoder drops markup); -copyts keeps the file's own times.
  const vtt = execFileSync('ffmpeg', [
    ...['-v', 'error', '-copyts', '-i', out],
    ...['-map', '0:s', '-c:s', 'copy', '-f', 'webvtt', '-'],
  ]).toString();
  const got = parseVtt(vtt);
  assert.deepEqual(
    sorted(got.map(({ settings: _s, ...c }) => c)),
    sorted(want),
    `ffmpeg read:\n${vtt}`,
  );
  assert.ok(got.some((c) => c.id === 'intro' && c.settings === 'align:start'));
});

test('Matroska: S_TEXT/WEBVTT read by mkvextract holds the re-timed cues', {
  skip: skip || (!hasMkv && 'mkvextract not found'),
}, async () => {
  const { out, type, want } = await renderInPage(
    path.join(fixtures, 'bframes.mkv'),
    'matroska',
    'pt-BR',
  );
  assert.equal(type, 'video/x-matroska');
  checkShape(want);
  const vttPath = `${out}.vtt`;
  execFileSync('mkvextract', [out, 'tracks', `2:${vttPath}`]);
  const got = parseVtt(fs.readFileSync(vttPath, 'utf8'));
  assert.deepEqual(sorted(got.map(({ settings: _s, ...c }) => c)), sorted(want));
  assert.ok(got.some((c) => c.id === 'rep' && c.settings === 'line:0'));
  const info = execFileSync('mkvinfo', [out]).toString();
  assert.match(info, /Language: por/);
  assert.match(info, /pt-BR/);
  assert.match(info, /Name: Captions/);
});

test('render: bad captions options are typed errors naming the place', { skip }, async () => {
  const cases = [
    ['{ captions: 42 }', 'ERR_INVALID_ARGUMENT', /^options\.captions: expected caption text/],
    ['{ captions: "not captions" }', 'ERR_CAPTIONS_FORMAT', /^1:1: /],
    [
      '{ captions: "WEBVTT\\n\\n00:01.000 --> 00:0x.000\\nx" , captionsLanguage: "en" }',
      null,
      null,
    ],
    [
      '{ captions: "WEBVTT\\n", captionsLanguage: "en_US" }',
      'ERR_INVALID_ARGUMENT',
      /^options\.captionsLanguage: expected a BCP 47/,
    ],
    [
      '{ captionsLanguage: "en" }',
      'ERR_INVALID_ARGUMENT',
      /^options\.captionsLanguage: needs options\.captions/,
    ],
  ];
  for (const [extra, code, message] of cases) {
    const e = await page.evaluate(
      async ({ src, extra }) => {
        const clip = await (await fetch(src)).blob();
        try {
          await window.outtake.render(
            { segments: [{ source: 'clip', start: 0, end: 1 }] },
            { sources: { clip }, ...(0, eval)(`(${extra})`) },
          );
          return null;
        } catch (e) {
          return { code: e.code, message: e.message };
        }
      },
      { src: api.urlOf(path.join(fixtures, 'bframes.mp4')), extra },
    );
    if (code === null) {
      // A WebVTT cue with a bad timestamp is skipped, as browsers do: the render succeeds.
      assert.equal(e, null, `${extra}: ${e?.message}`);
      continue;
    }
    assert.ok(e, `${extra} did not fail`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
  }
});
