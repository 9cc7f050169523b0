// The public API of the built package (pkg/) in headless Chromium, loaded with no bundler:
// results, typed errors, and that no exported function fails with anything but an OuttakeError.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openApiPage } from '../helpers/api-page.mjs';

const cargoVersion = /^version = "(.*)"/m.exec(
  fs.readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8'),
)[1];
let api, page;

before(async () => {
  api = await openApiPage();
  ({ page } = api);
});
after(() => api?.close());

const run = (fn, arg) => page.evaluate(fn, arg);

test('version() is the crate version', async () => {
  assert.equal(await run(() => window.outtake.version()), cargoVersion);
});

test('exact frame arithmetic', async () => {
  assert.equal(await run(() => window.outtake.parseFrameRate(29.97)), '30000/1001');
  assert.equal(await run(() => window.outtake.parseFrameRate('24000/1001')), '24000/1001');
  assert.equal(await run(() => window.outtake.frameAt(1.001, '30000/1001')), 30);
  assert.equal(await run(() => window.outtake.frameAt(1.0, 29.97)), 29);
  assert.equal(await run(() => window.outtake.frameAt(1.0, 29.97, 'ceil')), 30);
  assert.equal(await run(() => window.outtake.snapTime(1.0, '30000/1001')), 1.001);
});

test('retimeCaptions keeps captions to their own source: a cameo of another carries none', async () => {
  const starts = await run(async () => {
    const vtt = 'WEBVTT\n\n00:00.500 --> 00:01.500\nclip\n';
    const edits = {
      segments: [
        { source: 'clip', start: 0, end: 2 },
        { source: 'cameo', start: 0, end: 2 },
        { source: 'clip', start: 0, end: 2 },
      ],
    };
    const own = await window.outtake.retimeCaptions(vtt, edits, { source: 'clip' });
    const all = await window.outtake.retimeCaptions(vtt, edits);
    const times = (r) => r.captions.cues.map((c) => c.startTime);
    return [times(own), times(all)];
  });
  assert.deepEqual(starts, [
    [0.5, 4.5],
    [0.5, 2.5, 4.5],
  ]);
});

/** Calls `expr` in the page and returns the error it rejects with, as plain data. */
async function errorOf(expr) {
  return run(async (src) => {
    try {
      await (0, eval)(src);
      return null;
    } catch (e) {
      return {
        isOuttake: e instanceof window.outtake.OuttakeError,
        isError: e instanceof Error,
        name: e.name,
        code: e.code,
        message: e.message,
      };
    }
  }, expr);
}

test('bad arguments give a typed OuttakeError with a code and the place', async () => {
  const cases = [
    ['window.outtake.frameAt(NaN, 30)', 'ERR_INVALID_ARGUMENT', /^seconds: /],
    ['window.outtake.frameAt(1, 0)', 'ERR_INVALID_ARGUMENT', /^frameRate: /],
    ['window.outtake.frameAt(1, "abc")', 'ERR_INVALID_ARGUMENT', /^frameRate: .*abc/],
    ['window.outtake.snapTime(1, 30, "up")', 'ERR_INVALID_ARGUMENT', /^rounding: .*"up"/],
    [
      'window.outtake.parseFrameRate({})',
      'ERR_INVALID_ARGUMENT',
      /^frameRate: expected a number or a string/,
    ],
    ['window.outtake.snapTimes([1, 2, Infinity], 30)', 'ERR_INVALID_ARGUMENT', /^seconds\[2\]: /],
    ['window.outtake.snapTimes("nope", 30)', 'ERR_INVALID_ARGUMENT', /^times: /],
  ];
  for (const [expr, code, message] of cases) {
    const e = await errorOf(expr);
    assert.ok(e, `${expr} did not fail`);
    assert.deepEqual(
      [e.isOuttake, e.isError, e.name, e.code],
      [true, true, 'OuttakeError', code],
      expr,
    );
    assert.match(e.message, message, expr);
  }
});

test('argument messages name the place and say in plain words what they got', async () => {
  const vtt = 'WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n';
  const cases = [
    // NaN is named as NaN, not lost to JSON's null ("is required").
    [
      `outtake.lintCaptions(${JSON.stringify(vtt)}, 'bbc', { frameRate: NaN })`,
      /^options\.frameRate: must be a finite number, got NaN$/,
    ],
    [`outtake.lintCaptions(${JSON.stringify(vtt)}, 'bbc', {})`, /^options\.frameRate: is required/],
    [
      `outtake.lintCaptions(${JSON.stringify(vtt)}, 'bbc', { frameRate: 25, shotChanges: [1, NaN] })`,
      /^options\.shotChanges\[1\]: must be a finite number, got NaN$/,
    ],
    [
      `outtake.lintCaptions(${JSON.stringify(vtt)}, 'bbc', { frameRate: 25, speech: [[2, 1]] })`,
      /^options\.speech\[0\]: expected \[start, end\] with start < end$/,
    ],
    [
      `outtake.lintCaptions({ cues: [{ startTime: NaN, endTime: 1 }] }, 'bbc', { frameRate: 25 })`,
      /^captions\.cues\[0\]\.startTime: must be a finite number, got NaN$/,
    ],
    [
      `outtake.lintCaptions({ cues: [{ startTime: 0, endTime: 1, size: Infinity }] }, 'bbc', { frameRate: 25 })`,
      /^captions\.cues\[0\]\.size: must be a finite number, got Infinity$/,
    ],
    [
      `outtake.lintCaptions({ cues: [{ startTime: 0, endTime: '1' }] }, 'bbc', { frameRate: 25 })`,
      /^captions\.cues\[0\]\.endTime: expected a number, got the string "1"$/,
    ],
    [`outtake.lintCaptions({}, 'bbc', { frameRate: 25 })`, /^captions\.cues: is required$/],
    // Unknown option keys are refused, naming the key meant.
    [
      `outtake.parseCaptions(${JSON.stringify(vtt)}, { fromat: 'vtt' })`,
      /^options: unknown key "fromat"; did you mean "format"\?$/,
    ],
    [
      `outtake.parseCaptions(${JSON.stringify(vtt)}, { zzz: 1 })`,
      /^options: unknown key "zzz" \(the keys are "format" or "strict"\)$/,
    ],
    [
      `outtake.parseCaptions(${JSON.stringify(vtt)}, { strict: 'yes' })`,
      /^options\.strict: expected true or false, got the string "yes"$/,
    ],
    [
      `outtake.importEdl('TITLE: x\\n', { rat: 25 })`,
      /^options: unknown key "rat"; did you mean "rate"\?$/,
    ],
    [
      `outtake.importEdl('TITLE: x\\n', { rate: NaN })`,
      /^options\.rate: must be a finite number, got NaN$/,
    ],
    // Only real output formats are offered.
    [
      `outtake.serializeCaptions(${JSON.stringify(vtt)}, 'ass')`,
      /^format: expected "vtt" or "srt", got the string "ass"$/,
    ],
    // Nested edit lists name the path in plain words.
    [
      `outtake.retimeCaptions(${JSON.stringify(vtt)}, { segments: [{ start: 0, end: 1 }, { start: 1 }] })`,
      /^edits\.segments\[1\]\.end: is required/,
    ],
    [`outtake.retimeCaptions(${JSON.stringify(vtt)}, {})`, /^edits\.segments: is required/],
    [
      `outtake.retimeCaptions(${JSON.stringify(vtt)}, { segments: [{ start: 0, end: 1, sped: 2 }] })`,
      /^edits\.segments\[0\]: unknown key "sped"; did you mean "speed"\?$/,
    ],
    [
      `outtake.retimeCaptions(${JSON.stringify(vtt)}, { segments: [{ start: 0, end: NaN }] })`,
      /^edits\.segments\[0\]\.end: must be a finite number, got NaN$/,
    ],
    [
      `outtake.retimeCaptions(${JSON.stringify(vtt)}, { segments: {} })`,
      /^edits\.segments: expected an array, got an object$/,
    ],
    // Profiles are walked: a NaN or a mistyped key is refused where it stands.
    [
      `outtake.captionProfiles().then((l) => outtake.lintCaptions(${JSON.stringify(vtt)}, { ...l[0].profile, maxCharsPerSecond: NaN }, { frameRate: 25 }))`,
      /^profile\.maxCharsPerSecond: must be a finite number, got NaN$/,
    ],
    [
      `outtake.captionProfiles().then((l) => outtake.lintCaptions(${JSON.stringify(vtt)}, { ...l[0].profile, maxCharsPerSecnd: 20 }, { frameRate: 25 }))`,
      /^profile: unknown key "maxCharsPerSecnd"; did you mean "maxCharsPerSecond"\?$/,
    ],
    [`outtake.frameAt(undefined, 30)`, /^seconds: expected a number, got undefined$/],
    [
      `outtake.parseFrameRate({})`,
      /^frameRate: expected a number or a string such as "30000\/1001", got an object$/,
    ],
  ];
  for (const [expr, message] of cases) {
    const e = await errorOf(`((outtake) => ${expr})(window.outtake)`);
    assert.ok(e, `${expr} did not fail`);
    assert.ok(
      e.code === 'ERR_INVALID_ARGUMENT' || e.code === 'ERR_PROFILE',
      `${expr}: ${e.code} ${e.message}`,
    );
    assert.match(e.message, message, expr);
  }
});

test('no exported function fails with anything but an OuttakeError, whatever it is given', async () => {
  const report = await run(async () => {
    const skip = new Set(['init', 'stopWorker', 'workerRunning', 'OuttakeError']);
    const junk = [
      undefined,
      null,
      NaN,
      Infinity,
      -Infinity,
      -1,
      0,
      1e300,
      '',
      'x'.repeat(100000),
      '\u0000\uD800',
      {},
      [],
      [NaN],
      () => 1,
      Symbol('s'),
      10n,
      new Uint8Array(3),
      true,
    ];
    const problems = [];
    let calls = 0;
    for (const [name, fn] of Object.entries(window.outtake)) {
      if (typeof fn !== 'function' || skip.has(name) || /^[A-Z]/.test(name)) continue;
      for (let arity = 0; arity <= 3; arity++) {
        for (const value of junk) {
          for (let slot = 0; slot < Math.max(arity, 1); slot++) {
            const args = Array.from({ length: arity }, (_, i) =>
              i === slot ? value : [1, 30, 'nearest'][i],
            );
            calls++;
            try {
              await fn(...args);
            } catch (e) {
              // Messages are plain words: no Rust Debug text, no "a object", no serde line:column.
              const unplain =
                /JsValue\(|\ba object\b|\ban? (undefined|null)\b|at line \d+ column|invalid type:/.test(
                  e?.message,
                );
              if (
                !(e instanceof window.outtake.OuttakeError) ||
                e.code === 'ERR_INTERNAL' ||
                !e.code ||
                unplain
              ) {
                problems.push(
                  `${name}(${args.map((a) => typeof a).join(', ')}): ${e?.name} ${e?.code} ${e?.message}`.slice(
                    0,
                    300,
                  ),
                );
              }
            }
          }
        }
      }
    }
    return { calls, problems };
  });
  assert.ok(report.calls > 200, `only ${report.calls} calls made`);
  assert.deepEqual(report.problems, []);
});

test('heavy calls run in a module worker that starts, aborts and ends itself', async () => {
  const r = await run(async () => {
    const o = window.outtake;
    const out = {};
    o.stopWorker();
    out.before = o.workerRunning();
    const times = Array.from({ length: 100000 }, (_, i) => i * 0.0101);
    const snapped = await o.snapTimes(times, 25, 'floor');
    out.isF64 = snapped instanceof Float64Array;
    out.len = snapped.length;
    out.sample = [snapped[0], snapped[1], snapped[5], snapped[99999]];
    out.during = o.workerRunning();
    const ctrl = new AbortController();
    const p = o.snapTimes(times, 25, 'floor', { signal: ctrl.signal });
    ctrl.abort();
    try {
      await p;
      out.aborted = 'resolved';
    } catch (e) {
      out.aborted = e.name;
    }
    out.afterAbort = o.workerRunning();
    // A fresh worker serves the next call.
    out.again = (await o.snapTimes([0.5], 2))[0];
    return out;
  });
  assert.equal(r.before, false);
  assert.deepEqual([r.isF64, r.len], [true, 100000]);
  // floor to 1/25 s: 0.0101 → 0, 0.0505 → 0.04, 99999 × 0.0101 = 1009.9899 → 1009.96
  assert.deepEqual(r.sample, [0, 0, 0.04, 1009.96]);
  assert.equal(r.during, true);
  assert.equal(r.aborted, 'AbortError');
  assert.equal(r.afterAbort, false);
  assert.equal(r.again, 0.5);
  // It ends itself when idle (10 s).
  await page.waitForFunction(() => !window.outtake.workerRunning(), null, { timeout: 15000 });
});
