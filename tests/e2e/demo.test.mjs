// The built demo page (www/dist) in headless Chromium: the sample clip plays with its captions
// drawn, the frame readout comes from the engine, a dropped caption file replaces the captions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openDemoSite } from '../helpers/demo-site.mjs';
import { resultsDir } from '../helpers/browser.mjs';

const sampleVtt = fs.readFileSync(new URL('../../www/assets/sample.vtt', import.meta.url), 'utf8');
let site, url, browser;

before(async () => {
  site = await openDemoSite();
  ({ url, browser } = site);
});
after(() => site?.close());

/** The cues of the committed sample captions, read independently of the engine (plain regex). */
function sampleCues() {
  const re = /(\d\d):(\d\d\.\d\d\d) --> (\d\d):(\d\d\.\d\d\d)\n(.+)/g;
  return [...sampleVtt.matchAll(re)].map((m) => ({
    start: m[1] * 60 + Number(m[2]),
    end: m[3] * 60 + Number(m[4]),
    text: m[5],
  }));
}

test('the sample clip plays with its captions visible', async () => {
  const page = await browser.page();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('#cue-count').textContent === '4');
  const cues = sampleCues();
  assert.equal(await page.textContent('#cue-count'), String(cues.length));

  // Play for real: the clock must advance, which needs the H.264 + AAC to decode.
  await page.evaluate(() => {
    const v = document.querySelector('outtake-editor').video;
    v.muted = true;
    return v.play();
  });
  await page.waitForFunction(
    () => document.querySelector('outtake-editor').video.currentTime > 0.8,
    null,
    { timeout: 15000 },
  );
  await page.evaluate(() => document.querySelector('outtake-editor').video.pause());

  // Seek into the middle of each cue, check the caption drawn over the video.
  for (const cue of cues) {
    const mid = (cue.start + cue.end) / 2;
    await page.evaluate(
      (t) =>
        new Promise((r) => {
          const v = document.querySelector('outtake-editor').video;
          v.addEventListener('seeked', r, { once: true });
          v.currentTime = t;
        }),
      mid,
    );
    await page.waitForFunction(
      (text) => document.querySelector('outtake-editor').captionText === text,
      cue.text,
      { timeout: 5000 },
    );
  }
  // Between cues nothing is drawn.
  const gapMid = (cues[0].end + cues[1].start) / 2;
  await page.evaluate((t) => {
    document.querySelector('outtake-editor').video.currentTime = t;
  }, gapMid);
  await page.waitForFunction(
    () => document.querySelector('outtake-editor').captionText === '',
    null,
    { timeout: 5000 },
  );

  // Back on the first cue for the picture a person will look at.
  await page.evaluate(
    (t) =>
      new Promise((r) => {
        const v = document.querySelector('outtake-editor').video;
        v.addEventListener('seeked', r, { once: true });
        v.currentTime = t;
      }),
    (cues[0].start + cues[0].end) / 2,
  );
  await page.waitForFunction(
    (text) => document.querySelector('outtake-editor').captionText === text,
    cues[0].text,
  );
  const shot = path.join(resultsDir(), 'demo.png');
  await page.screenshot({ path: shot });
  assert.ok(fs.statSync(shot).size > 10_000, 'screenshot too small to show anything');
  assert.deepEqual(page.errors.map(String), []);
  await page.close();
});

test('the frame readout follows the chosen frame rate (engine)', async () => {
  const page = await browser.page();
  await page.goto(url);
  await page.waitForFunction(() =>
    document.querySelector('#version').textContent.startsWith('outtake '),
  );
  await page.evaluate(
    () =>
      new Promise((r) => {
        const v = document.querySelector('outtake-editor').video;
        v.addEventListener('seeked', r, { once: true });
        v.currentTime = 2.0;
      }),
  );
  // 2 s is frame 60 at 30 fps, but frame 59 at 30000/1001 (59.94…).
  await page.waitForFunction(() => document.querySelector('#frame').textContent === '60', null, {
    timeout: 5000,
  });
  await page.selectOption('#fps', '30000/1001');
  await page.waitForFunction(() => document.querySelector('#frame').textContent === '59', null, {
    timeout: 5000,
  });
  // The step buttons move exactly one frame of the chosen rate.
  await page.click('#next');
  await page.waitForFunction(() => document.querySelector('#frame').textContent === '60', null, {
    timeout: 5000,
  });
  await page.click('#prev');
  await page.click('#prev');
  await page.waitForFunction(() => document.querySelector('#frame').textContent === '58', null, {
    timeout: 5000,
  });
  assert.deepEqual(page.errors.map(String), []);
  await page.close();
});

test('a caption file picked by the user replaces the captions', async () => {
  const page = await browser.page();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('#cue-count').textContent === '4');
  const vtt = 'WEBVTT\n\n00:00.000 --> 00:05.000\nHello from a <i>dropped</i> file &amp; more\n';
  await page.setInputFiles('#pick', {
    name: 'mine.vtt',
    mimeType: 'text/vtt',
    buffer: Buffer.from(vtt),
  });
  await page.waitForFunction(
    () => document.querySelector('#captions-name').textContent === 'mine.vtt',
  );
  await page.waitForFunction(() => document.querySelector('#cue-count').textContent === '1');
  await page.evaluate(() => {
    document.querySelector('outtake-editor').video.currentTime = 1;
  });
  await page.waitForFunction(
    () =>
      document.querySelector('outtake-editor').captionText === 'Hello from a dropped file & more',
  );

  // Something that is not captions: a clear error on the page, never a silent empty track.
  await page.setInputFiles('#pick', {
    name: 'bad.vtt',
    mimeType: 'text/vtt',
    buffer: Buffer.from('this is not a caption file'),
  });
  await page.waitForFunction(() => !document.querySelector('#captions-error').hidden);
  assert.equal(
    await page.textContent('#captions-error .msg'),
    'bad.vtt is not a caption file: outtake reads WebVTT (.vtt) and SRT (.srt).',
  );
  assert.match(
    await page.textContent('#captions-error details code'),
    /^ERR_CAPTIONS_FORMAT: 1:1: not a caption file/,
  );

  // SRT works too (read by the engine, markup kept).
  const srt = '1\r\n00:00:00,500 --> 00:00:04,000\r\n<i>Subtitles</i> from SRT\r\n';
  await page.setInputFiles('#pick', {
    name: 'mine.srt',
    mimeType: 'text/plain',
    buffer: Buffer.from(srt),
  });
  await page.waitForFunction(
    () => document.querySelector('#captions-name').textContent === 'mine.srt',
  );
  await page.evaluate(() => {
    document.querySelector('outtake-editor').video.currentTime = 2;
  });
  await page.waitForFunction(
    () => document.querySelector('outtake-editor').captionText === 'Subtitles from SRT',
  );
  await page.close();
});

test('the caption panel lints, edits live, auto-fixes and downloads', async () => {
  const page = await browser.page();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll('#cue-list .cue').length === 4);
  await page.selectOption('#profile', 'netflix-en-adult');
  // "Trim, remix and caption video, right in your browser." is 53 characters on one line: over 42.
  await page.waitForFunction(() =>
    document.querySelector('#cue-list .cue[data-index="1"] li[data-rule="line-length"]'),
  );
  const before = await page.evaluate(() =>
    Number(document.querySelector('#lint-summary').dataset.fixable),
  );
  assert.ok(before >= 1);

  // Editing a cue's text shows on the video at once.
  await page.fill('#cue-list .cue[data-index="0"] textarea', 'Edited in the panel');
  await page.evaluate(() => {
    document.querySelector('outtake-editor').video.currentTime = 1.0;
  });
  await page.waitForFunction(
    () => document.querySelector('outtake-editor').captionText === 'Edited in the panel',
  );

  // Auto-fix: nothing fixable remains, the long cue is re-broken onto two lines.
  await page.click('#fix');
  await page.waitForFunction(() => document.querySelector('#lint-summary').dataset.fixable === '0');
  const text = await page.inputValue('#cue-list .cue[data-index="1"] textarea');
  assert.equal(text.split('\n').length, 2, text);
  for (const line of text.split('\n')) assert.ok(line.length <= 42, line);
  assert.equal(text.replace('\n', ' '), 'Trim, remix and caption video, right in your browser.');

  // Download as SRT: the engine's writer.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#download-srt'),
  ]);
  const srt = fs.readFileSync(await download.path(), 'utf8');
  assert.match(srt, /^1\r?\n00:00:00,500 --> /);
  assert.match(srt, /Edited in the panel/);
  assert.deepEqual(page.errors.map(String), []);
  await page.close();
});

test('a file the browser cannot play is told in an alert, and Export stays off', async () => {
  const page = await browser.page();
  await page.goto(url);
  await page.waitForFunction(() => !document.querySelector('#trim-export').disabled);
  await page.setInputFiles('#pick', {
    name: 'notes.mp4',
    mimeType: 'video/mp4',
    buffer: Buffer.from('this is a text file, not a video'),
  });
  await page.waitForFunction(() => !document.querySelector('#clip-error').hidden);
  const alert = await page.evaluate(() => {
    const el = document.querySelector('#clip-error');
    return { role: el.getAttribute('role'), text: el.textContent };
  });
  assert.equal(alert.role, 'alert');
  assert.match(alert.text, /^notes\.mp4 is a text file, not an MP4, WebM or Matroska video\./);
  assert.equal(await page.evaluate(() => document.querySelector('#trim-export').disabled), true);
  await page.screenshot({ path: path.join(resultsDir(), 'demo-bad-file.png') });
  await page.close();
});
