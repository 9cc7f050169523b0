// The demo keeps the project in IndexedDB: after edits on a picked clip, a reload offers to resume
// it, and resuming brings back the clip, its captions, clips and trim points, and the whole
// history, which undo still walks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDemoPage } from '../helpers/demo-site.mjs';
import { resultsDir } from '../helpers/browser.mjs';
import * as m from '../helpers/media.mjs';

let site, page;

before(async () => {
  ({ site, page } = await openDemoPage());
});
after(() => site?.close());

const count = (sel) => page.$$eval(sel, (e) => e.length);

test('edits are kept across a reload, and resumed on request', {
  skip: !m.haveFfmpeg() && 'ffmpeg not found',
}, async () => {
  assert.equal(await page.isHidden('#resume'), true, 'nothing kept on a first visit');
  await page.setInputFiles('#pick', path.join(m.fixturesDir(), 'vp8.webm'));
  await page.waitForFunction(() => document.querySelector('#clip-name').textContent === 'vp8.webm');
  await page.waitForFunction(() => document.body.dataset.clip === 'ready');
  await page.setInputFiles('#pick', {
    name: 'mine.vtt',
    mimeType: 'text/vtt',
    buffer: Buffer.from('WEBVTT\n\n00:00.200 --> 00:01.000\nKept <i>across</i> reloads\n'),
  });
  await page.waitForFunction(() => document.querySelectorAll('#remix-nodes tbody tr').length === 2);
  // Split at 1 s (frame 25 at 25 fps), in-point at 0.4 s.
  await page.evaluate(() => {
    document.querySelector('outtake-editor').video.currentTime = 1.02;
  });
  await page.waitForFunction(() => document.querySelector('#frame').textContent === '25');
  await page.keyboard.press('s');
  await page.evaluate(() => {
    document.querySelector('outtake-editor').video.currentTime = 0.42;
  });
  await page.waitForFunction(() => document.querySelector('#frame').textContent === '10');
  await page.keyboard.press('i');
  await page.waitForFunction(() => document.body.dataset.kept === '4');

  await page.reload();
  await page.waitForSelector('#resume:not([hidden])');
  assert.match(
    await page.textContent('#resume-text'),
    /^Your last project: vp8\.webm, 3 edits, kept /,
  );
  await page.screenshot({ path: path.join(resultsDir(), 'project-resume-offer.png') });
  await page.click('#resume-open');
  await page.waitForFunction(() => document.querySelector('#clip-name').textContent === 'vp8.webm');
  await page.waitForFunction(() => document.querySelectorAll('#remix-nodes tbody tr').length === 4);
  await page.waitForFunction(() => document.body.dataset.clip === 'ready');
  assert.equal(await page.textContent('#captions-name'), 'mine.vtt');
  assert.equal(await page.inputValue('#fps'), '25');
  assert.equal(await count('#cue-list .cue'), 1);
  assert.equal(await page.inputValue('#cue-list textarea'), 'Kept <i>across</i> reloads');
  assert.equal(await count('#remix-current .clip'), 2);
  assert.equal(await page.inputValue('#trim-in'), '10');
  assert.equal(await page.textContent('#remix-nodes tr.head .msg'), 'in-point: frames 10–50');

  // The history is whole: undo walks back through the split and the captions.
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelector('#trim-in').value === '0');
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelectorAll('#remix-current .clip').length === 1);
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelectorAll('#cue-list .cue').length === 0);
  await page.screenshot({ path: path.join(resultsDir(), 'project-resumed.png'), fullPage: true });
  assert.deepEqual(page.errors.map(String), []);
});
