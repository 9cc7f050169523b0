// The demo's player and caption editor (www/dist) in headless Chromium: fullscreen keeps the
// captions, captions stay clear of the controls, cue styling is drawn (italic, bold, voices),
// entities are shown decoded and written back encoded, an end before the start is marked on its
// cue and blocks nothing else; cues are added, split, merged, re-timed from the playhead, shifted
// and deleted; the SRT reader's repairs show beside their cues.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openDemoPage } from '../helpers/demo-site.mjs';
import { resultsDir } from '../helpers/browser.mjs';

let site, page;

before(async () => {
  ({ site, page } = await openDemoPage());
  await page.waitForFunction(() => document.querySelectorAll('#cue-list .cue').length === 4);
});
after(() => site?.close());

async function pickCaptions(name, text) {
  await page.setInputFiles('#pick', { name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.waitForFunction(
    (n) => document.querySelector('#captions-name').textContent === n,
    name,
  );
}

const seek = (t) =>
  page.evaluate(
    (t) =>
      new Promise((r) => {
        const v = document.querySelector('outtake-editor').video;
        if (Math.abs(v.currentTime - t) < 1e-6) return r();
        v.addEventListener('seeked', r, { once: true });
        v.currentTime = t;
      }),
    t,
  );

const cues = () =>
  page.$$eval('#cue-list .cue', (els) =>
    els.map((el) => ({
      start: Number(el.querySelector('.start').value),
      end: Number(el.querySelector('.end').value),
      text: el.querySelector('textarea').value,
    })),
  );

const captionText = () => page.evaluate(() => document.querySelector('outtake-editor').captionText);

const VTT = `WEBVTT

00:00.000 --> 00:02.000
<i>Italic</i> and <b>bold</b> &amp; more

00:02.000 --> 00:04.000
<v Anna>Hello there</v>
<v Ben>Hi Anna</v>

00:04.000 --> 00:06.000
Tom &amp; Jerry &lt;3
`;

test('cue styling is drawn; fullscreen keeps the captions; they stay clear of the controls', async () => {
  await pickCaptions('styled.vtt', VTT);
  await seek(1);
  await page.waitForFunction(() =>
    document.querySelector('outtake-editor').captionText.startsWith('Italic'),
  );
  const style = await page.evaluate(() => {
    const root = document.querySelector('outtake-editor').shadowRoot;
    const cs = (el) => getComputedStyle(el);
    return {
      italic: cs(root.querySelector('.caption i')).fontStyle,
      bold: cs(root.querySelector('.caption b')).fontWeight,
      text: root.querySelector('.caption .text').textContent,
    };
  });
  assert.deepEqual(style, { italic: 'italic', bold: '700', text: 'Italic and bold & more' });

  await seek(3);
  await page.waitForFunction(() =>
    document.querySelector('outtake-editor').captionText.startsWith('Hello'),
  );
  const voices = await page.evaluate(() =>
    [...document.querySelector('outtake-editor').shadowRoot.querySelectorAll('[data-voice]')].map(
      (v) => [v.dataset.voice, getComputedStyle(v).color],
    ),
  );
  assert.equal(voices.length, 2);
  assert.equal(voices[0][0], 'Anna');
  assert.notEqual(voices[0][1], voices[1][1], 'each voice its own colour');
  assert.notEqual(voices[0][1], 'rgb(255, 255, 255)');

  // Clear of the native controls: the caption ends at least 50 px above the video's bottom.
  const gap = await page.evaluate(() => {
    const root = document.querySelector('outtake-editor').shadowRoot;
    return (
      root.querySelector('video').getBoundingClientRect().bottom -
      root.querySelector('.caption').getBoundingClientRect().bottom
    );
  });
  assert.ok(gap >= 50, `caption ${gap}px above the video bottom`);
  await page.screenshot({ path: path.join(resultsDir(), 'captions-styled.png') });

  // Fullscreen is the element (video and captions), not the bare <video>.
  await page.evaluate(() =>
    document.querySelector('outtake-editor').shadowRoot.querySelector('.fullscreen').click(),
  );
  await page.waitForFunction(() => document.fullscreenElement?.id === 'editor');
  const fs1 = await page.evaluate(() => {
    const root = document.querySelector('outtake-editor').shadowRoot;
    const c = root.querySelector('.caption .text').getBoundingClientRect();
    return { h: c.height, bottom: c.bottom, vh: innerHeight };
  });
  assert.ok(fs1.h > 0 && fs1.bottom < fs1.vh, JSON.stringify(fs1));
  assert.match(await captionText(), /^Hello there\nHi Anna$/);
  await page.screenshot({ path: path.join(resultsDir(), 'captions-fullscreen.png') });
  await page.evaluate(() => document.exitFullscreen());
  await page.waitForFunction(() => !document.fullscreenElement);
});

test('entities are shown decoded and written back encoded', async () => {
  const list = await cues();
  assert.equal(list[0].text, '<i>Italic</i> and <b>bold</b> & more');
  assert.equal(list[2].text, 'Tom & Jerry &lt;3');
  await page.fill('#cue-list .cue[data-index="2"] textarea', 'Salt & pepper');
  await seek(5);
  await page.waitForFunction(
    () => document.querySelector('outtake-editor').captionText === 'Salt & pepper',
  );
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#download-vtt'),
  ]);
  assert.equal(download.suggestedFilename(), 'styled.vtt');
  const vtt = fs.readFileSync(await download.path(), 'utf8');
  assert.match(vtt, /\nSalt &amp; pepper\n/);
  assert.match(vtt, /\n<i>Italic<\/i> and <b>bold<\/b> &amp; more\n/);
});

test('an end before the start is marked on its cue and blocks nothing else', async () => {
  await page.fill('#cue-list .cue[data-index="1"] .end', '1.5');
  await page.press('#cue-list .cue[data-index="1"] .end', 'Enter');
  await page.waitForSelector(
    '#cue-list .cue[data-index="1"].bad-time li[data-rule=end-before-start]',
  );
  // The rules still run on the others: a profile change gives a fresh summary.
  await page.selectOption('#profile', 'netflix-en-adult');
  await page.waitForFunction(() =>
    document.querySelector('#lint-summary').textContent.endsWith('under netflix-en-adult'),
  );
  assert.equal(await page.isHidden('#captions-error'), true, 'no error for the whole panel');
  // Downloads work, and say what they left out.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#download-srt'),
  ]);
  const srt = fs.readFileSync(await download.path(), 'utf8');
  assert.equal((srt.match(/-->/g) || []).length, 2, srt);
  assert.match(await page.textContent('#captions-note'), /^styled\.srt: 1 cue left out/);
  await page.screenshot({ path: path.join(resultsDir(), 'captions-bad-time.png'), fullPage: true });
  // Fixed, it is back everywhere.
  await page.fill('#cue-list .cue[data-index="1"] .end', '4');
  await page.press('#cue-list .cue[data-index="1"] .end', 'Enter');
  await page.waitForFunction(() => !document.querySelector('#cue-list .cue.bad-time'));
});

test('add, split, merge, set from the playhead, shift all, delete', async () => {
  await pickCaptions('plain.vtt', 'WEBVTT\n\n00:01.000 --> 00:03.000\none two three four\n');
  await seek(4);
  await page.click('#cue-add');
  await page.waitForFunction(() => document.querySelectorAll('#cue-list .cue').length === 2);
  assert.deepEqual((await cues())[1], { start: 4, end: 6, text: 'New caption' });
  assert.equal(
    await page.evaluate(() => document.activeElement.getAttribute('aria-label')),
    'cue 2 text',
  );

  await seek(2);
  await page.click('#cue-list .cue[data-index="0"] .split');
  await page.waitForFunction(() => document.querySelectorAll('#cue-list .cue').length === 3);
  let list = await cues();
  assert.deepEqual(list.slice(0, 2), [
    { start: 1, end: 2, text: 'one two' },
    { start: 2, end: 3, text: 'three four' },
  ]);

  await page.click('#cue-list .cue[data-index="0"] .merge');
  await page.waitForFunction(() => document.querySelectorAll('#cue-list .cue').length === 2);
  assert.deepEqual((await cues())[0], { start: 1, end: 3, text: 'one two\nthree four' });

  // From the playhead, on the clip's frame grid (30 fps: 2.5 s is frame 75).
  await seek(2.51);
  await page.click('#cue-list .cue[data-index="0"] .set-end');
  await page.waitForFunction(
    () => document.querySelector('#cue-list .cue[data-index="0"] .end').value === '2.500',
  );
  await seek(0.5);
  await page.click('#cue-list .cue[data-index="0"] .set-start');
  await page.waitForFunction(
    () => document.querySelector('#cue-list .cue[data-index="0"] .start').value === '0.500',
  );

  await page.fill('#cue-shift-by', '0.25');
  await page.click('#cue-shift');
  await page.waitForFunction(
    () => document.querySelector('#cue-list .cue[data-index="1"] .start').value === '4.250',
  );
  list = await cues();
  assert.deepEqual(
    list.map((c) => [c.start, c.end]),
    [
      [0.75, 2.75],
      [4.25, 6.25],
    ],
  );

  await page.click('#cue-list .cue[data-index="1"] .delete');
  await page.waitForFunction(() => document.querySelectorAll('#cue-list .cue').length === 1);
  assert.equal(await page.textContent('#cue-count'), '1');
  await page.screenshot({ path: path.join(resultsDir(), 'captions-edited.png'), fullPage: true });
});

test("the SRT reader's repairs are shown beside their cues", async () => {
  const srt =
    '1\n00:00:00,500 --> 00:00:02,000\nFirst\n\n2\n00:00:02.500 --> 00:00:04,000\nSecond\n';
  await pickCaptions('repaired.srt', srt);
  await page.waitForSelector('#cue-list .cue[data-index="1"] li.repair');
  const repairs = await page.$$eval('#cue-list .cue li.repair', (els) =>
    els.map((e) => [e.closest('.cue').dataset.index, e.dataset.code, e.textContent]),
  );
  assert.equal(repairs.length, 1, JSON.stringify(repairs));
  assert.equal(repairs[0][0], '1');
  assert.equal(repairs[0][1], 'SRT_TIMESTAMP_FORM');
  assert.match(repairs[0][2], /^repaired, line 6: /);
  await page.screenshot({ path: path.join(resultsDir(), 'captions-repairs.png'), fullPage: true });
  assert.deepEqual(page.errors.map(String), []);
});
