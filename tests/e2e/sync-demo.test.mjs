// The demo's "Sync to speech" (www/sync-panel.js, in www/dist) in headless Chromium: a speech clip
// and its captions 2.4 s late are dropped in; the sync runs with a progress bar, the cues land on
// the speech, the strips and the report show, Undo restores the late captions, and Cancel stops a
// sync leaving the captions alone. Screenshot: test-results/sync-demo.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openDemoSite } from '../helpers/demo-site.mjs';
import { resultsDir } from '../helpers/browser.mjs';
import * as m from '../helpers/media.mjs';
import { speechMedia, srt } from '../helpers/speech.mjs';

const hasFfmpeg = m.haveFfmpeg();
const OFFSET = 2.4;
let site, page, media;

before(async () => {
  if (!hasFfmpeg) return;
  media = speechMedia();
  site = await openDemoSite();
  page = await site.browser.page();
  await page.goto(site.url);
  await page.waitForFunction(() => document.querySelectorAll('#cue-list .cue').length > 0, null, {
    timeout: 20000,
  });
  const late = srt(media.cues.map((c) => ({ ...c, start: c.start + OFFSET, end: c.end + OFFSET })));
  await page.setInputFiles('#pick', [
    { name: 'speech.mp4', mimeType: 'video/mp4', buffer: fs.readFileSync(media.mp4) },
    { name: 'late.srt', mimeType: 'text/plain', buffer: Buffer.from(late) },
  ]);
  await page.waitForFunction(
    (n) => document.querySelectorAll('#cue-list .cue').length === n,
    media.cues.length,
  );
});
after(() => site?.close());

const starts = () => page.$$eval('#cue-list .cue .start', (els) => els.map((e) => Number(e.value)));

test('Sync to speech moves the cues onto the speech, shows what it did, and Undo restores them', {
  skip: !hasFfmpeg && 'ffmpeg absent',
}, async () => {
  const lateStarts = await starts();
  await page.click('#sync-run');
  await page.waitForFunction(() => !document.getElementById('sync-undo').hidden, null, {
    timeout: 30000,
  });
  const synced = await starts();
  synced.forEach((s, i) => {
    assert.ok(
      Math.abs(s - media.cues[i].start) < 0.1,
      `cue ${i} at ${s}, speech at ${media.cues[i].start.toFixed(3)}`,
    );
  });
  const report = await page.textContent('#sync-report');
  assert.match(
    report,
    /^Captions moved 2\.\d\d s earlier, \d+ cues? snapped to the speech\. Confidence \d+%\.$/,
  );
  const reports = Number(await page.getAttribute('#sync-progress', 'data-reports'));
  assert.ok(reports >= 3, `${reports} progress reports reached the bar`);
  assert.equal(await page.isHidden('#sync-progress'), true, 'the bar goes when done');
  // The strips: speech runs drawn under the cue blocks, before and after.
  for (const id of ['#sync-before', '#sync-after']) {
    assert.equal(await page.getAttribute(id, 'data-cues'), String(media.cues.length));
    assert.ok(Number(await page.getAttribute(id, 'data-speech')) >= media.cues.length);
  }
  await page
    .locator('#captions-panel')
    .screenshot({ path: path.join(resultsDir(), 'sync-demo.png') });

  await page.click('#sync-undo');
  assert.deepEqual(await starts(), lateStarts);
  assert.match(await page.textContent('#sync-report'), /undone/);
  assert.equal(await page.isHidden('#sync-undo'), true);
});

test('Cancel stops a sync and leaves the captions as they were', {
  skip: !hasFfmpeg && 'ffmpeg absent',
}, async () => {
  const lateStarts = await starts();
  await page.click('#sync-run');
  await page.click('#sync-cancel');
  await page.waitForFunction(() =>
    /cancelled/.test(document.getElementById('sync-report').textContent),
  );
  assert.deepEqual(await starts(), lateStarts);
  assert.equal(await page.isDisabled('#sync-run'), false);
  assert.deepEqual(page.errors, []);
});

test('A new clip takes the sync away with the old captions; with no clip or no cues it says so', {
  skip: !hasFfmpeg && 'ffmpeg absent',
}, async () => {
  await page.click('#sync-run');
  await page.waitForFunction(() => !document.getElementById('sync-undo').hidden, null, {
    timeout: 30000,
  });
  // A file that is not a video: nothing of the sync stays (Undo would bring back the old cues).
  await page.setInputFiles('#pick', {
    name: 'notes.mp4',
    mimeType: 'video/mp4',
    buffer: Buffer.from('not a video\n'.repeat(10)),
  });
  await page.waitForFunction(() => document.body.dataset.clip === 'unreadable');
  assert.equal(await page.isHidden('#sync-undo'), true);
  assert.equal(await page.isHidden('#sync-strips'), true);
  assert.equal(await page.textContent('#time'), '–', 'no time of the old clip');
  assert.equal(await page.textContent('#frame'), '–');
  await page.click('#sync-run');
  assert.match(await page.textContent('#sync-report'), /^Open a clip first/);
  // A clip without captions.
  await page.setInputFiles('#pick', {
    name: 'speech.mp4',
    mimeType: 'video/mp4',
    buffer: fs.readFileSync(media.mp4),
  });
  await page.waitForFunction(() => document.body.dataset.clip === 'ready');
  await page.click('#sync-run');
  assert.match(await page.textContent('#sync-report'), /^Load or add captions first/);
  assert.deepEqual(page.errors, []);
});
