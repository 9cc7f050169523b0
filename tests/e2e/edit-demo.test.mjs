// The demo as an editor of the edit (www/dist): clips on the timeline are split at the playhead,
// reordered by dragging, joined by a cameo from a second file; undo and redo walk the chain and
// blame names the edit that last changed each clip. The edit plays through its segments with its
// captions re-timed, exports through `render` (checked with ffprobe), as a sidecar .vtt, OTIO
// and a CMX 3600 EDL that OpenTimelineIO reads back; the project is saved as a file and opened
// again (its files re-linked by content), and kept across a reload. Then all by keyboard alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { openDemoPage } from '../helpers/demo-site.mjs';
import { resultsDir } from '../helpers/browser.mjs';
import * as m from '../helpers/media.mjs';

const hasFfmpeg = m.haveFfmpeg();
const hasOtio = spawnSync('python3', ['-c', 'import opentimelineio']).status === 0;
let site, page, dir, cameo;

before(async () => {
  if (!hasFfmpeg) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outtake-edit-'));
  // A cameo made as the sample is (H.264 High 640×360 at 30 fps, AAC mono 44.1 kHz): 60 frames.
  cameo = path.join(dir, 'cameo.mp4');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'smptebars=size=640x360:rate=30:duration=2'],
    // Sound a little longer than the picture: the cameo is the 60 frames both cover.
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=2.3'],
    ...['-c:v', 'libx264', '-preset', 'slow', '-crf', '30', '-pix_fmt', 'yuv420p', '-g', '30'],
    ...['-bf', '3', '-profile:v', 'high', '-c:a', 'aac', '-b:a', '48k', '-ar', '44100', '-ac', '1'],
    ...['-movflags', '+faststart', cameo],
  ]);
  ({ site, page } = await openDemoPage());
  await page.waitForFunction(() => document.querySelectorAll('#remix-nodes tbody tr').length === 1);
  await page.evaluate(() => {
    document.querySelector('outtake-editor').video.muted = true;
  });
});
after(() => {
  site?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const skip = !hasFfmpeg && 'ffmpeg not found';
const waitOrder = (uids) =>
  page.waitForFunction(
    (want) =>
      [...document.querySelectorAll('#timeline-clips .clip-block')]
        .map((e) => e.dataset.uid)
        .join() === want,
    uids.join(),
  );
const head = () => page.textContent('#remix-nodes tr.head .msg');
const seekFrame = async (frame) => {
  await page.evaluate((f) => {
    document.querySelector('outtake-editor').video.currentTime = (f + 0.5) / 30;
  }, frame);
  await page.waitForFunction(
    (f) => document.querySelector('#frame').textContent === String(f),
    frame,
  );
};
/** Clicks `selector` and saves the download it starts: {name, file}. */
async function save(selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(dir, d.suggestedFilename());
  await d.saveAs(file);
  return { name: d.suggestedFilename(), file };
}

test('split, drag to reorder, a cameo, undo and redo; blame on each clip', { skip }, async () => {
  assert.equal(await page.isDisabled('#export-go'), false, 'export on once the clip is open');
  await seekFrame(120);
  await page.keyboard.press('s');
  await waitOrder(['c1', 'c2']);
  await page.waitForFunction(
    () =>
      document.querySelector('#remix-nodes tr.head .msg')?.textContent ===
      'split shot c1 at 4.000 s',
  );
  // Blame: both halves were last changed by the split (c1 lost its tail, c2 was made by it).
  await page.waitForFunction(() =>
    /made by “split shot c1 at 4\.000 s”/.test(
      document.querySelector('#timeline-clips [data-uid=c2]')?.title,
    ),
  );
  assert.match(
    await page.getAttribute('#timeline-clips [data-uid=c1]', 'title'),
    /^shot c1: sample\.mp4 0\.000–4\.000 s; made by “original”, last changed by “split shot c1 at 4\.000 s”/,
  );
  assert.equal(
    await page.textContent('#timeline-clips [data-uid=c1] .by'),
    'last: split shot c1 at 4.000 s',
  );

  // Drag the second clip before the first.
  await page.locator('#timeline-clips').scrollIntoViewIfNeeded();
  const box = async (uid) => page.locator(`#timeline-clips [data-uid=${uid}]`).boundingBox();
  const [b1, b2] = [await box('c1'), await box('c2')];
  await page.mouse.move(b2.x + b2.width / 2, b2.y + b2.height / 2);
  await page.mouse.down();
  // Dropped on the left end of the first clip.
  const [x0, x1] = [b2.x + b2.width / 2, b1.x + 5];
  for (let k = 1; k <= 8; k++)
    await page.mouse.move(x0 + (k / 8) * (x1 - x0), b2.y + b2.height / 2);
  await page.mouse.up();
  await waitOrder(['c2', 'c1']);
  await page.waitForFunction(
    () =>
      document.querySelector('#remix-nodes tr.head .msg')?.textContent ===
      'move shot c2 to position 1',
  );
  // Blame names the move on the clip the diff sees moved (of two swapped clips, either).
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#timeline-clips .clip-block')].some((e) =>
      /last changed by “move shot c2 to position 1”/.test(e.title),
    ),
  );

  // A cameo after the selected clip (the one dragged).
  await page.setInputFiles('#cameo-pick', cameo);
  await waitOrder(['c2', 'c3', 'c1']);
  assert.equal(await head(), 'add cameo c3 from cameo.mp4');
  assert.equal(
    await page.getAttribute('#timeline-clips [data-uid=c3]', 'class'),
    'clip-block cameo selected',
  );
  assert.match(
    await page.getAttribute('#timeline-clips [data-uid=c3]', 'title'),
    /^cameo c3: cameo\.mp4 0\.000–2\.000 s; made by “add cameo c3 from cameo\.mp4”/,
  );

  // Undo and redo walk the chain.
  await page.keyboard.press('Control+z');
  await waitOrder(['c2', 'c1']);
  await page.keyboard.press('Control+z');
  await waitOrder(['c1', 'c2']);
  await page.keyboard.press('Control+Shift+z');
  await waitOrder(['c2', 'c1']);
  await page.keyboard.press('Control+Shift+z');
  await waitOrder(['c2', 'c3', 'c1']);
  await page.click('#timeline-clips [data-uid=c3]');
  await page.screenshot({ path: path.join(resultsDir(), 'edit-timeline.png'), fullPage: true });
  assert.deepEqual(page.errors.map(String), []);
});

test('the edit plays through its segments, the cameo included, with captions re-timed', {
  skip,
}, async () => {
  // Four times faster than life; the preview keeps the rate across the cameo's file.
  await page.evaluate(() => {
    const v = document.querySelector('outtake-editor').video;
    v.defaultPlaybackRate = 4;
    v.playbackRate = 4;
    window.previewLog = [];
    new MutationObserver(() => {
      const i = document.body.dataset.previewSegment;
      const last = window.previewLog.at(-1);
      if (i !== undefined && last?.i !== Number(i))
        window.previewLog.push({ i: Number(i), src: v.currentSrc });
    }).observe(document.body, { attributes: true, attributeFilter: ['data-preview-segment'] });
  });
  const main = await page.evaluate(() => document.querySelector('outtake-editor').video.currentSrc);
  await page.click('#preview-play');
  await page.waitForFunction(() => document.body.dataset.previewSegment === '2', null, {
    timeout: 20000,
  });
  // In the last segment (c1, source 0–4 s) the player holds the cues re-timed into it: the
  // sample's first cue (0.5–1.711 s) is in it, at its own source time.
  const cues = await page.evaluate(() =>
    [...document.querySelector('outtake-editor').captionsTrack.cues].map((c) => [
      c.startTime,
      c.endTime,
    ]),
  );
  assert.ok(
    cues.some(([a, b]) => Math.abs(a - 0.5) < 0.02 && Math.abs(b - 1.7) < 0.05),
    JSON.stringify(cues),
  );
  assert.ok(
    cues.every(([a, b]) => a >= 0 && b <= 4.001),
    JSON.stringify(cues),
  );
  await page.screenshot({ path: path.join(resultsDir(), 'edit-preview.png') });
  await page.waitForFunction(() => document.body.dataset.preview === undefined, null, {
    timeout: 20000,
  });
  const log = await page.evaluate(() => window.previewLog);
  assert.deepEqual(
    log.map((e) => e.i),
    [0, 1, 2],
  );
  assert.equal(log[0].src, main);
  assert.notEqual(log[1].src, main, 'the cameo plays from its own file');
  assert.equal(log[2].src, main);
  // After the preview the clip is back, with its own captions.
  await page.waitForFunction(
    (src) => document.querySelector('outtake-editor').video.currentSrc === src,
    main,
  );
  await page.evaluate(() => {
    const v = document.querySelector('outtake-editor').video;
    v.defaultPlaybackRate = 1;
    v.playbackRate = 1;
  });
  assert.equal(
    await page.evaluate(() => document.querySelector('outtake-editor').captionsTrack.cues.length),
    4,
  );
  assert.deepEqual(page.errors.map(String), []);
});

test('export through render: cancel, then the video, a sidecar .vtt, OTIO and EDL', {
  skip,
}, async () => {
  // Cancelled at once (the export of this edit takes a fraction of a second).
  await page.evaluate(() => {
    document.querySelector('#export-go').click();
    document.querySelector('#export-cancel').click();
  });
  await page.waitForFunction(
    () => document.querySelector('#export-status').textContent === 'cancelled',
  );
  assert.equal(await page.isDisabled('#export-go'), false);

  await page.click('#export-go');
  await page.waitForSelector('#export-link:not([hidden])', { timeout: 60000 });
  const video = await save('#export-link');
  assert.equal(video.name, 'sample-edit.mp4');
  await page.screenshot({ path: path.join(resultsDir(), 'edit-export.png'), fullPage: true });
  // c2 (frames 120–342), the cameo's 60 frames, c1 (frames 0–119): 403 frames, 13.433 s.
  const frames = m.frames(video.file);
  assert.equal(frames.length, 223 + 60 + 120);
  assert.ok(
    Math.abs(m.formatDuration(video.file) - 403 / 30) < 0.05,
    String(m.formatDuration(video.file)),
  );
  // Video, sound, and the captions as a soft `wvtt` track (ffmpeg 5 sees it as data; the render
  // e2e tests read its cues with mp4box.js).
  const streams = m.streams(video.file);
  assert.deepEqual(
    streams.slice(0, 2).map((s) => s.codec),
    ['h264', 'aac'],
  );
  assert.equal(streams.length, 3, JSON.stringify(streams));
  const bytes = fs.readFileSync(video.file);
  assert.ok(bytes.includes('wvtt') && bytes.includes('vttC'), 'a wvtt sample entry');

  // The captions through the same edit: the sample's first cue (0.5 s of c1) after c2 and the
  // cameo, 283 frames in.
  const vtt = await save('#export-vtt');
  assert.equal(vtt.name, 'sample-edit.vtt');
  const text = fs.readFileSync(vtt.file, 'utf8');
  assert.match(text, /^WEBVTT/);
  assert.match(text, /00:00:09\.933 --> 00:00:11\.1\d\d\nWelcome to outtake\./);

  const otio = JSON.parse(fs.readFileSync((await save('#export-otio')).file, 'utf8'));
  const v1 = otio.tracks.children.find((t) => t.name === 'V1');
  assert.deepEqual(
    v1.children.map((c) => [c.name, c.media_references.DEFAULT_MEDIA.target_url]),
    [
      ['shot c2', 'sample.mp4'],
      ['cameo c3', 'cameo.mp4'],
      ['shot c1', 'sample.mp4'],
    ],
  );

  const edl = await save('#export-edl');
  assert.equal(edl.name, 'sample-edit.edl');
  const edlText = fs.readFileSync(edl.file, 'utf8');
  assert.match(edlText, /^TITLE: sample edit\nFCM: NON-DROP FRAME\n/);
  if (!hasOtio) return console.log('SKIP: python opentimelineio not found');
  // The reference reader (opentimelineio's cmx_3600 adapter) reads back the same edit.
  const read = execFileSync('python3', [
    '-c',
    `import json, sys, opentimelineio as otio
t = otio.adapters.read_from_file(sys.argv[1], rate=30)
print(json.dumps([[c.name, c.source_range.start_time.value, c.source_range.duration.value, c.media_reference.target_url] for c in t.find_clips()]))`,
    edl.file,
  ]).toString();
  assert.deepEqual(JSON.parse(read), [
    ['shot c2', 120, 223, 'sample.mp4'],
    ['cameo c3', 0, 60, 'cameo.mp4'],
    ['shot c1', 0, 120, 'sample.mp4'],
  ]);
  assert.deepEqual(page.errors.map(String), []);
});

test('the project saved as a file opens again, its files re-linked by content', {
  skip,
}, async () => {
  const project = await save('#project-save');
  assert.equal(project.name, 'sample.outtake.json');
  const saved = JSON.parse(fs.readFileSync(project.file, 'utf8'));
  assert.deepEqual(
    saved.sources.map((s) => [s.role, s.name, s.sha256.length]),
    [
      ['clip', 'sample.mp4', 64],
      ['cameo', 'cameo.mp4', 64],
    ],
  );
  const nodes = await page.$$eval('#remix-nodes tbody tr', (e) => e.length);

  // A fresh page (the sample opens by itself): the project opens on it at once, the cameo asked for.
  await page.evaluate(() => indexedDB.deleteDatabase('outtake-demo'));
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.clip === 'ready');
  await page.waitForFunction(() => document.querySelectorAll('#remix-nodes tbody tr').length === 1);
  await page.setInputFiles('#project-pick', project.file);
  await page.waitForSelector('#relink:not([hidden])');
  await waitOrder(['c2', 'c3', 'c1']);
  assert.match(await page.textContent('#relink-text'), /^Still missing: cameo\.mp4\./);
  assert.equal(await page.$$eval('#remix-nodes tbody tr', (e) => e.length), nodes);
  await page.screenshot({
    path: path.join(resultsDir(), 'edit-project-relink.png'),
    fullPage: true,
  });
  // The cameo under another name: found by its content.
  const renamed = path.join(dir, 'renamed.mp4');
  fs.copyFileSync(cameo, renamed);
  await page.setInputFiles('#relink-pick', renamed);
  await page.waitForSelector('#relink', { state: 'hidden' });
  await page.click('#export-go');
  await page.waitForSelector('#export-link:not([hidden])', { timeout: 60000 });
  assert.equal(m.frames((await save('#export-link')).file).length, 403);

  // Kept in IndexedDB as well: a reload offers it back, cameo included.
  await page.waitForFunction((n) => document.body.dataset.kept === String(n), nodes);
  await page.reload();
  await page.waitForSelector('#resume:not([hidden])');
  await page.click('#resume-open');
  await waitOrder(['c2', 'c3', 'c1']);
  await page.waitForFunction(() => !document.querySelector('#export-go').disabled);
  await page.click('#export-go');
  await page.waitForSelector('#export-link:not([hidden])', { timeout: 60000 });
  assert.equal(m.frames((await save('#export-link')).file).length, 403);
  await page.screenshot({
    path: path.join(resultsDir(), 'edit-project-resumed.png'),
    fullPage: true,
  });
  assert.deepEqual(page.errors.map(String), []);
});

test('by keyboard alone: seek, split, move a clip, delete it, undo', { skip }, async () => {
  await page.evaluate(() => indexedDB.deleteDatabase('outtake-demo'));
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('#remix-nodes tbody tr').length === 1);
  await page.evaluate(() => document.activeElement?.blur());
  for (let k = 0; k < 4; k++) await page.keyboard.press('Shift+ArrowRight');
  await page.waitForFunction(() => document.querySelector('#frame').textContent === '120');
  await page.keyboard.press('s');
  await waitOrder(['c1', 'c2']);
  // Tab to the second clip of the edit.
  for (let k = 0; k < 120; k++) {
    await page.keyboard.press('Tab');
    if (
      await page.evaluate(
        () =>
          document.activeElement?.dataset?.uid === 'c2' &&
          document.activeElement.closest('#timeline-clips') !== null,
      )
    )
      break;
  }
  assert.equal(
    await page.evaluate(() => document.activeElement.getAttribute('aria-label')),
    'shot c2, clip 2 of 2: Enter selects it, Ctrl+Left or Right moves it',
  );
  await page.keyboard.press('Control+ArrowLeft');
  await waitOrder(['c2', 'c1']);
  await page.waitForFunction(() => document.activeElement?.dataset?.uid === 'c2');
  await page.keyboard.press('Delete');
  await waitOrder(['c1']);
  assert.equal(await head(), 'delete shot c2');
  await page.keyboard.press('Control+z');
  await waitOrder(['c2', 'c1']);
  await page.screenshot({ path: path.join(resultsDir(), 'edit-keyboard.png') });
  assert.deepEqual(page.errors.map(String), []);
});
