// <outtake-editor> in a plain page with one script tag (tests/e2e/editor-plain.html, the built
// package served as files): `editable` turns the caption editor on, every edit fires `change`,
// `captions` gives the edited cues; a video or caption file that fails to load fires `error`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve } from '../../scripts/static-server.mjs';
import os from 'node:os';
import { launch, resultsDir } from '../helpers/browser.mjs';
import * as m from '../helpers/media.mjs';

const root = new URL('../../', import.meta.url).pathname;
let server, browser, page;

before(async () => {
  assert.ok(fs.existsSync(path.join(root, 'pkg/editor.js')), 'pkg/ is not built');
  let url;
  ({ server, url } = await serve(root));
  browser = await launch();
  page = await browser.page();
  await page.goto(`${url}tests/e2e/editor-plain.html`);
  await page.waitForFunction(() => document.querySelector('#clip').captions?.cues.length === 4);
});
after(async () => {
  await browser?.close();
  server?.close();
});

const shadow = (sel) => `document.querySelector('#clip').shadowRoot.querySelector('${sel}')`;

/** The next `type` event of the element, as {detail}. */
const nextEvent = (id, type) =>
  page.evaluate(
    ([id, type]) =>
      new Promise((resolve) =>
        document
          .getElementById(id)
          .addEventListener(
            type,
            (e) => resolve({ code: e.detail?.code, message: e.detail?.message, detail: e.detail }),
            { once: true },
          ),
      ),
    [id, type],
  );

test('editable: the cues in an editor under the player; each edit fires change', async () => {
  const rows = await page.evaluate(`${shadow('.edit')}.querySelectorAll('li').length`);
  assert.equal(rows, 4);
  assert.equal(await page.evaluate(`${shadow('.edit')}.hidden`), false);
  await page.evaluate(() => {
    document.querySelector('#clip').video.currentTime = 1;
  });
  await page.waitForFunction(() => document.querySelector('#clip').captionText !== '');

  // Text: typed into the first cue, shown at once, a change event, the captions property.
  const changed = nextEvent('clip', 'change');
  const text = page.locator('#clip textarea').first();
  await text.fill('Tom & Jerry');
  const { detail } = await changed;
  assert.deepEqual(detail.edit, { kind: 'text', cue: 0 });
  assert.equal(detail.captions.cues[0].text, 'Tom &amp; Jerry');
  await page.waitForFunction(() => document.querySelector('#clip').captionText === 'Tom & Jerry');
  assert.equal(
    await page.evaluate(() => document.querySelector('#clip').captions.cues[0].text),
    'Tom &amp; Jerry',
  );

  // An end before the start: marked, the cue off screen, the others untouched.
  const timed = nextEvent('clip', 'change');
  await page.locator('#clip input.end').first().fill('0.2');
  await page.locator('#clip input.end').first().press('Enter');
  assert.deepEqual((await timed).detail.edit, { kind: 'end', cue: 0 });
  assert.equal(await page.locator('#clip input.end').first().getAttribute('aria-invalid'), 'true');
  await page.waitForFunction(() => document.querySelector('#clip').captionText === '');
  assert.equal(
    await page.evaluate(() => document.querySelector('#clip').captionsTrack.cues.length),
    3,
  );

  // Delete and add.
  const deleted = nextEvent('clip', 'change');
  await page.getByRole('button', { name: 'delete cue 1' }).click();
  assert.deepEqual((await deleted).detail.edit, { kind: 'delete', cue: 0 });
  const added = nextEvent('clip', 'change');
  await page.evaluate(() => {
    document.querySelector('#clip').video.currentTime = 0.25;
  });
  await page.getByRole('button', { name: '+ Cue at the playhead' }).click();
  assert.deepEqual((await added).detail.edit, { kind: 'add', cue: 0 });
  const cues = await page.evaluate(() => document.querySelector('#clip').captions.cues);
  assert.equal(cues.length, 4);
  assert.deepEqual([cues[0].startTime, cues[0].text], [0.25, '']);
  await page.keyboard.type('Hello');
  await page.waitForFunction(
    () => document.querySelector('#clip').captions.cues[0].text === 'Hello',
  );
  await page.screenshot({ path: path.join(resultsDir(), 'editor-element.png'), fullPage: true });
});

test('editable: in and out points on frames, timeline, export() through render', {
  skip: !m.haveFfmpeg() && 'ffmpeg not found',
}, async () => {
  // The sample probed (30 fps, 343 frames): the out-point at its end.
  await page.waitForFunction(
    () => document.querySelector('#clip').shadowRoot.querySelector('.cut .out').value === '11.433',
  );
  const moved = nextEvent('clip', 'change');
  await page.locator('#clip .cut .in').fill('2.01');
  await page.locator('#clip .cut .in').press('Enter');
  const { detail } = await moved;
  assert.equal(detail.edit.kind, 'in');
  // Snapped to frame 60; the timeline gives the middle of the first and last frames kept.
  assert.equal(await page.locator('#clip .cut .in').inputValue(), '2.000');
  await page.evaluate(() => {
    document.querySelector('#clip').video.currentTime = 4.99;
  });
  await page.waitForFunction(
    () => Math.abs(document.querySelector('#clip').video.currentTime - 4.99) < 0.001,
  );
  const out = nextEvent('clip', 'change');
  await page.getByRole('button', { name: 'here ⇥' }).click();
  assert.equal((await out).detail.edit.kind, 'out');
  const timeline = await page.evaluate(() => document.querySelector('#clip').timeline);
  assert.deepEqual(timeline, {
    segments: [{ source: 'video', start: 60.5 / 30, end: 149.5 / 30 }],
  });
  assert.match(await page.locator('#clip .cut .length').textContent(), /^90 frames, 3\.00 s/);
  await page.screenshot({
    path: path.join(resultsDir(), 'editor-plain-editable.png'),
    fullPage: true,
  });

  const base64 = await page.evaluate(async () => {
    const blob = await document.querySelector('#clip').export({ format: 'matroska' });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outtake-element-')), 'cut.mkv');
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  assert.equal(m.frames(file).length, 90);
  assert.ok(Math.abs(m.formatDuration(file) - 3) < 0.05, String(m.formatDuration(file)));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test('without editable it is a player', async () => {
  await page.evaluate(() => document.querySelector('#clip').removeAttribute('editable'));
  assert.equal(await page.evaluate(`${shadow('.edit')}.hidden`), true);
  assert.equal(await page.evaluate(() => document.querySelector('#clip').editable), false);
  await page.evaluate(() => {
    document.querySelector('#clip').editable = true;
  });
  assert.equal(await page.evaluate(`${shadow('.edit')}.hidden`), false);
});

test('a video or captions that fail to load fire error', async () => {
  await page.evaluate(() => {
    for (const id of ['bad-video', 'bad-captions']) {
      const el = document.createElement('outtake-editor');
      el.id = id;
      document.body.append(el);
    }
  });
  const videoError = nextEvent('bad-video', 'error');
  await page.evaluate(() => document.getElementById('bad-video').setAttribute('src', '/README.md'));
  const v = await videoError;
  assert.equal(v.code, 'ERR_MEDIA_PLAYBACK');
  assert.match(v.message, /^\/README\.md: this browser cannot play this video/);
  const captionsError = nextEvent('bad-captions', 'error');
  await page.evaluate(() =>
    document.getElementById('bad-captions').setAttribute('captions', '/no-such.vtt'),
  );
  assert.equal((await captionsError).code, 'ERR_FETCH');
  const shown = await page.evaluate(() =>
    [...document.querySelectorAll('#bad-video, #bad-captions')].map((e) => {
      const bar = e.shadowRoot.querySelector('.error');
      return [bar.hidden, bar.getAttribute('role')];
    }),
  );
  assert.deepEqual(shown, [
    [false, 'alert'],
    [false, 'alert'],
  ]);
  assert.deepEqual(
    page.errors.map(String).filter((e) => !/404|Failed to load resource/.test(e)),
    [],
  );
});
