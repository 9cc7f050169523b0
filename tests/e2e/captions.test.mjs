// The captions API of the built package in headless Chromium: the WebVTT conformance suite through
// parseCaptions, SRT in and out, round trips, timing rules, re-timing, and typed errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApiPage } from '../helpers/api-page.mjs';
import { fileParsingScore } from '../helpers/webvtt-conformance.mjs';
import { sharedPath, skipWithoutShared } from '../helpers/shared.mjs';

const suite = sharedPath('conformance/webvtt/file-parsing');
let api, page;

before(async () => {
  api = await openApiPage();
  ({ page } = api);
});
after(() => api?.close());

const inPage = (fn, arg) => page.evaluate(fn, arg);

test('parseCaptions passes the WebVTT file-parsing conformance suite', {
  skip: skipWithoutShared('conformance/webvtt/file-parsing'),
}, async () => {
  const score = await fileParsingScore(suite, (bytes) =>
    // The page decodes the bytes as UTF-8, as a browser decodes a .vtt file.
    inPage(
      (b64) =>
        window.outtake.parseCaptions(
          new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))),
        ),
      bytes.toString('base64'),
    ),
  );
  assert.deepEqual(score.failures, []);
  assert.equal(score.total, 441);
  assert.equal(score.passed, 441);
});

test('WebVTT round-trips through serializeCaptions', async () => {
  const r = await inPage(async () => {
    const o = window.outtake;
    const src =
      'WEBVTT kept header\n\nREGION\nid:fred\nwidth:40%\nlines:3\n\nSTYLE\n::cue { color: lime }\n\n' +
      'one\n00:00:01.000 --> 00:00:02.000 region:fred align:left\n<v Fred>Hi &amp; <c.loud>bye</c>\n\nNOTE a note\n\n' +
      '00:00:03.000 --> 00:00:04.500 line:0 position:10% size:50%\n<ruby>漢<rt>kan</rt></ruby>\n';
    const a = await o.parseCaptions(src);
    const text = (await o.serializeCaptions(a, 'vtt')).text;
    const b = await o.parseCaptions(text);
    return { a, b, text };
  });
  assert.deepEqual(r.b, r.a);
  assert.match(r.text, /^WEBVTT kept header\n/);
  assert.deepEqual(
    r.a.blocks.map((b) => b.kind),
    ['style', 'note'],
  );
  assert.equal(r.a.cues[0].region.id, 'fred');
});

test('SRT is read leniently with diagnostics, strictly on request, and written with warnings', async () => {
  const r = await inPage(async () => {
    const o = window.outtake;
    const srt =
      '\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> &amp; <font color="red">world</font>\r\n\r\n' +
      '7\r\n00:00:03.000 --> 00:00:04,000\r\nSecond line\r\n';
    const lenient = await o.parseCaptions(srt);
    let strict;
    try {
      await o.parseCaptions(srt, { strict: true });
      strict = 'parsed';
    } catch (e) {
      strict = { code: e.code, message: e.message };
    }
    const asVtt = (await o.serializeCaptions(lenient, 'vtt')).text;
    const vtt = await o.parseCaptions('WEBVTT\n\n00:01.000 --> 00:02.000 line:10%\n<v Ann>Hi\n');
    const asSrt = await o.serializeCaptions(vtt, 'srt');
    return { lenient, strict, asVtt, asSrt };
  });
  assert.equal(r.lenient.format, 'srt');
  assert.deepEqual(
    r.lenient.cues.map((c) => [c.startTime, c.endTime]),
    [
      [1, 2.5],
      [3, 4],
    ],
  );
  assert.ok(r.lenient.diagnostics.length >= 2, JSON.stringify(r.lenient.diagnostics));
  for (const d of r.lenient.diagnostics)
    assert.ok(d.line >= 1 && d.column >= 1 && /^SRT_/.test(d.code), JSON.stringify(d));
  assert.equal(r.strict.code, 'ERR_SRT_STRICT');
  assert.match(r.strict.message, /^\d+:\d+: /);
  assert.match(r.asVtt, /^WEBVTT\n/);
  assert.match(r.asSrt.text, /^1\r?\n00:00:01,000 --> 00:00:02,000\r?\nHi/);
  assert.ok(
    r.asSrt.warnings.some((w) => w.code === 'SRT_UNSUPPORTED'),
    JSON.stringify(r.asSrt.warnings),
  );
});

test('lint finds violations; fix repairs the fixable ones without overlaps', async () => {
  const r = await inPage(async () => {
    const o = window.outtake;
    const cues = [];
    let t = 1;
    for (let i = 0; i < 60; i++) {
      // Too short, tiny gaps, a long line now and then.
      const text =
        i % 5 === 0
          ? 'this line is deliberately far too long to fit in forty-two characters of width'
          : `line ${i}`;
      cues.push({ startTime: t, endTime: t + 0.4, text });
      t += 0.45 + (i % 3) * 0.9;
    }
    const profiles = (await o.captionProfiles()).map((p) => p.name);
    const before = await o.lintCaptions({ cues }, 'netflix-en-adult', { frameRate: 25 });
    const fixed = await o.fixCaptions({ cues }, 'netflix-en-adult', { frameRate: 25 });
    const after = await o.lintCaptions(fixed.captions, 'netflix-en-adult', { frameRate: 25 });
    return { profiles, before, fixed, after };
  });
  assert.deepEqual(r.profiles.sort(), ['bbc', 'dcmp', 'netflix-en-adult', 'netflix-en-children']);
  const rules = new Set(r.before.map((v) => v.rule));
  for (const rule of ['min-duration', 'line-length']) assert.ok(rules.has(rule), [...rules].join());
  assert.ok(r.fixed.applied.length > 0);
  assert.deepEqual(
    r.after.filter((v) => v.fixable),
    [],
  );
  const cues = r.fixed.captions.cues;
  for (let i = 1; i < cues.length; i++)
    assert.ok(cues[i].startTime >= cues[i - 1].endTime, `overlap at ${i}`);
});

test('retimeCaptions maps cues through an edit list', async () => {
  const r = await inPage(() =>
    window.outtake.retimeCaptions(
      {
        cues: [
          { startTime: 1, endTime: 2, text: 'cut' },
          { startTime: 5, endTime: 7, text: 'kept' },
          { startTime: 9, endTime: 11, text: 'clipped' },
        ],
      },
      {
        frameRate: 25,
        segments: [
          { start: 4, end: 10 },
          { start: 0, end: 0.5, speed: 2 },
        ],
      },
    ),
  );
  assert.deepEqual(
    r.captions.cues.map((c) => [c.text, c.startTime, c.endTime]),
    [
      ['kept', 1, 3],
      ['clipped', 5, 6],
    ],
  );
  assert.deepEqual(r.dropped, [0]);
  assert.deepEqual(r.clipped, [2]);
});

test('bad caption input gives typed errors naming the place', async () => {
  const errs = await inPage(async () => {
    const o = window.outtake;
    const tries = [
      () => o.parseCaptions('\x89PNG\r\n\x1a\n'),
      () => o.parseCaptions('WEBVTT', { format: 'ass' }),
      () => o.lintCaptions({ cues: [{ startTime: 2, endTime: 1 }] }, 'bbc', { frameRate: 25 }),
      () => o.lintCaptions({ cues: [] }, 'netflix-mars', { frameRate: 25 }),
      () => o.lintCaptions({ cues: [] }, 'bbc', {}),
      () => o.retimeCaptions({ cues: [] }, { segments: [{ start: 3, end: 1 }] }),
      () => o.serializeCaptions({ cues: [] }, 'docx'),
    ];
    const out = [];
    for (const t of tries) {
      try {
        await t();
        out.push(null);
      } catch (e) {
        out.push([e instanceof o.OuttakeError, e.code, e.message]);
      }
    }
    return out;
  });
  const expect = [
    ['ERR_CAPTIONS_FORMAT', /^1:1: not a caption file/],
    ['ERR_INVALID_ARGUMENT', /^options\.format: /],
    ['ERR_INVALID_ARGUMENT', /^captions\.cues\[0\]\.endTime: is before startTime/],
    ['ERR_INVALID_ARGUMENT', /^profile: no built-in profile "netflix-mars"/],
    ['ERR_INVALID_ARGUMENT', /^options\.frameRate: is required/],
    ['ERR_INVALID_ARGUMENT', /^edits\.segments\[0\]\.end: /],
    ['ERR_INVALID_ARGUMENT', /^format: /],
  ];
  errs.forEach((e, i) => {
    assert.ok(e, `case ${i} did not fail`);
    assert.equal(e[0], true, `case ${i}`);
    assert.equal(e[1], expect[i][0], `case ${i}: ${e[2]}`);
    assert.match(e[2], expect[i][1], `case ${i}`);
  });
});
