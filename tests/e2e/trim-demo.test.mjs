// The demo's trim panel (www/dist) in headless Chromium: keyframe ticks from probe, where the cut
// lands before export, export with progress to a download whose file ffprobe checks, and cancel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openDemoSite } from '../helpers/demo-site.mjs';
import * as m from '../helpers/media.mjs';

const sample = path.join(m.ROOT, 'www/assets/sample.mp4');
const hasFfmpeg = m.haveFfmpeg();
let site, url, browser, page;

before(async () => {
  site = await openDemoSite();
  ({ url, browser } = site);
  page = await browser.page();
  await page.goto(url);
  await page.waitForFunction(
    () => Number(document.querySelector('#trim-keyframes').dataset.count) > 0,
    null,
    { timeout: 20000 },
  );
});
after(() => site?.close());

/** Saves what the download link holds into target/trim-e2e/`name`; returns its path. */
async function download(name) {
  const b64 = await page.evaluate(async () => {
    const bytes = new Uint8Array(
      await (await fetch(document.querySelector('#trim-download').href)).arrayBuffer(),
    );
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  });
  const dir = path.join(m.ROOT, 'target/trim-e2e');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, name);
  fs.writeFileSync(out, Buffer.from(b64, 'base64'));
  return out;
}

/** Moves a handle as a user dragging it would (an `input` event). */
const setHandle = (id, value) =>
  page.evaluate(
    ([id, value]) => {
      const el = document.getElementById(id);
      el.value = String(value);
      el.dispatchEvent(new Event('input'));
    },
    [id, value],
  );

test('keyframe ticks, the planned cut, export and download', {
  skip: !hasFfmpeg && 'ffmpeg not found',
}, async () => {
  const keys = execFileSync('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_packets',
    '-show_entries',
    'packet=flags',
    '-of',
    'csv=p=0',
    sample,
  ])
    .toString()
    .split('\n')
    .filter((l) => l.startsWith('K')).length;
  assert.equal(
    await page.getAttribute('#trim-keyframes', 'data-count'),
    String(keys),
    'one tick per keyframe',
  );

  const src = m.frames(sample);
  assert.equal(src[0].t, 0, 'the sample starts at 0');
  // The handles count frames: keep frames 40..100, inside GOPs, so that the head is re-encoded.
  const want = m.expectedCut(src, src[40].t, src[101].t);
  assert.equal(want.count, 61);
  await setHandle('trim-out', 101);
  await setHandle('trim-in', 40);
  await page.waitForFunction(
    (n) => document.querySelector('#trim-plan').dataset.frames === String(n),
    want.count,
  );
  const reencoded = Number(await page.getAttribute('#trim-plan', 'data-reencoded'));
  assert.ok(reencoded > 0 && reencoded < want.count, `re-encoded ${reencoded} of ${want.count}`);
  assert.match(
    await page.textContent('#trim-plan'),
    new RegExp(`${want.count} frames, ${reencoded} re-encoded`),
  );

  await page.click('#trim-export');
  await page.waitForSelector('#trim-download:not([hidden])', { timeout: 60000 });
  assert.match(await page.getAttribute('#trim-download', 'download'), /^sample-trim\.mp4$/);
  const out = await download('demo-sample-trim.mp4');
  assert.equal(
    await page.isHidden('#trim-audio-row'),
    true,
    'no audio question for a clip whose audio plays here',
  );
  assert.equal(m.decodeErrors(out), '', 'the download decodes cleanly');
  assert.equal(m.frameHashes(out).length, want.count, 'the download has the planned frames');
  assert.equal(await page.isHidden('#trim-progress'), true, 'progress hides when done');
  assert.match(await page.textContent('#trim-status'), /^done in /);
});

test('save as another container: Matroska from the MP4 sample', {
  skip: !hasFfmpeg && 'ffmpeg not found',
}, async () => {
  await page.selectOption('#trim-format', 'matroska');
  await page.click('#trim-export');
  await page.waitForFunction(
    () =>
      document.querySelector('#trim-download').download.endsWith('.mkv') &&
      !document.querySelector('#trim-download').hidden,
    null,
    { timeout: 60000 },
  );
  assert.equal(await page.getAttribute('#trim-download', 'download'), 'sample-trim.mkv');
  const out = await download('demo-sample-trim.mkv');
  const probe = JSON.parse(
    execFileSync('ffprobe', [
      '-v',
      'error',
      '-show_format',
      '-show_streams',
      '-of',
      'json',
      out,
    ]).toString(),
  );
  assert.match(probe.format.format_name, /matroska/);
  assert.deepEqual(
    probe.streams.map((s) => s.codec_name),
    ['h264', 'aac'],
  );
  assert.equal(m.decodeErrors(out), '', 'the download decodes cleanly');
  const want = Number(await page.getAttribute('#trim-plan', 'data-frames'));
  assert.equal(m.frameHashes(out).length, want, 'the planned frames');
  await page.selectOption('#trim-format', '');
});

test('cancel stops an export and resets the panel', async () => {
  const r = await page.evaluate(async () => {
    document.querySelector('#trim-export').click();
    const cancelVisible = !document.querySelector('#trim-cancel').hidden;
    document.querySelector('#trim-cancel').click();
    await new Promise((res) => setTimeout(res, 200));
    return {
      cancelVisible,
      status: document.querySelector('#trim-status').textContent,
      exportEnabled: !document.querySelector('#trim-export').disabled,
    };
  });
  assert.deepEqual(r, { cancelVisible: true, status: 'cancelled', exportEnabled: true });
  assert.equal(await page.isHidden('#trim-download'), true);
  assert.deepEqual(page.errors.map(String), []);
});

test('a clip with audio this browser cannot play: the panel asks, then drops or keeps it', {
  skip: !hasFfmpeg && 'ffmpeg not found',
}, async () => {
  const file = path.join(m.fixturesDir(), 'eac3.mp4');
  await page.setInputFiles('#pick', file);
  await page.waitForSelector('#trim-audio-row:not([hidden])', { timeout: 20000 });
  assert.equal(await page.textContent('#trim-audio-codec'), 'ec-3');
  for (const [choice, codecs] of [
    ['drop', ['h264']],
    ['copy', ['h264', 'eac3']],
  ]) {
    await page.selectOption('#trim-audio', choice);
    // [0.5 s, 1.5 s) at 30 fps.
    await setHandle('trim-out', 45);
    await setHandle('trim-in', 15);
    await page.waitForFunction(() => document.querySelector('#trim-plan').dataset.frames === '30');
    await page.click('#trim-export');
    await page.waitForFunction(
      () =>
        /^done in /.test(document.querySelector('#trim-status').textContent) &&
        !document.querySelector('#trim-download').hidden,
      null,
      { timeout: 60000 },
    );
    const out = await download(`demo-eac3-${choice}.mp4`);
    assert.deepEqual(
      m.streams(out).map((s) => s.codec),
      codecs,
      choice,
    );
    assert.equal(m.decodeErrors(out), '', choice);
    await page.evaluate(() => {
      document.querySelector('#trim-status').textContent = '';
    });
  }
});
