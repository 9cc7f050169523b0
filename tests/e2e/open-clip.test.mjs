// The demo (www/dist) follows the clip the user opens: a 25 fps MP4, a portrait clip and a WebM
// (made here with ffmpeg) are probed and every panel resets to them (no caption, plan or chain of
// the clip before stays), their frame rate drives the readout, stepping and the trim handles; a
// renamed text file and an E-AC-3 file are told in plain words in an alert with the error code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openDemoSite } from '../helpers/demo-site.mjs';
import { resultsDir } from '../helpers/browser.mjs';
import * as m from '../helpers/media.mjs';

const hasFfmpeg = m.haveFfmpeg();
const noFfmpeg = !hasFfmpeg && 'ffmpeg not found';
let site, browser, url, page, clips;

/** Small clips of known rate and shape, made once into target/e2e-clips. */
function makeClips() {
  const dir = path.join(m.ROOT, 'target/e2e-clips');
  fs.mkdirSync(dir, { recursive: true });
  const ff = (out, args) => {
    const p = path.join(dir, out);
    if (!fs.existsSync(p))
      execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', ...args, `${p}.tmp`], {
        stdio: 'inherit',
      });
    if (!fs.existsSync(p)) fs.renameSync(`${p}.tmp`, p);
    return p;
  };
  const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2'];
  const h264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '25'];
  return {
    fps25: ff('clip25.mp4', [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=2', ...tone],
      ...h264,
      ...['-c:a', 'aac', '-f', 'mp4'],
    ]),
    portrait: ff('portrait.mp4', [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=180x320:rate=30:duration=2', ...tone],
      ...h264,
      ...['-c:a', 'aac', '-f', 'mp4'],
    ]),
    webm: ff('clip.webm', [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=24:duration=2', ...tone],
      ...['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k'],
      ...['-c:a', 'libopus', '-f', 'webm'],
    ]),
  };
}

before(async () => {
  if (hasFfmpeg) clips = makeClips();
  site = await openDemoSite();
  ({ url, browser } = site);
  page = await browser.page();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('#cue-count').textContent === '4');
  await page.waitForFunction(() => document.querySelectorAll('#remix-nodes tbody tr').length === 1);
});
after(() => site?.close());

/** Opens `file` as the user would, waits for the page to settle on it. */
async function open(file, name) {
  await page.evaluate(() => {
    delete document.body.dataset.clip;
  });
  await page.setInputFiles(
    '#pick',
    typeof file === 'string' ? file : { name, mimeType: 'video/mp4', buffer: file },
  );
  await page.waitForFunction(() => document.body.dataset.clip, null, { timeout: 20000 });
  return page.evaluate(() => document.body.dataset.clip);
}

const seek = (t) =>
  page.evaluate(
    (t) =>
      new Promise((r) => {
        const v = document.querySelector('outtake-editor').video;
        v.addEventListener('seeked', r, { once: true });
        v.currentTime = t;
      }),
    t,
  );

const text = (sel) => page.textContent(sel);

test('a 25 fps clip: probed, every panel reset to it, its frame rate used everywhere', {
  skip: noFfmpeg,
}, async () => {
  // The sample's first caption is on screen before.
  await seek(1.0);
  await page.waitForFunction(() => document.querySelector('outtake-editor').captionText !== '');
  assert.equal(await open(clips.fps25), 'ready');
  assert.equal(await text('#clip-name'), 'clip25.mp4');
  assert.equal(await text('#clip-info'), 'MP4: H.264 video 320×240 at 25 fps, AAC audio');
  assert.equal(await page.inputValue('#fps'), '25');
  assert.equal(await text('#fps-note'), 'from the clip');
  // Nothing of the sample stays: no cues (none on screen), a one-node chain on this clip.
  assert.equal(await text('#cue-count'), '0');
  assert.equal(await page.$$eval('#cue-list .cue', (e) => e.length), 0);
  await seek(1.0);
  assert.equal(await page.evaluate(() => document.querySelector('outtake-editor').captionText), '');
  assert.equal(await page.$$eval('#remix-nodes tbody tr', (e) => e.length), 1);
  assert.equal(await page.$$eval('#remix-current .clip', (e) => e.length), 1);
  // The trim handles count the clip's 50 frames.
  assert.equal(await page.getAttribute('#trim-out', 'max'), '50');
  assert.equal(await page.inputValue('#trim-out'), '50');
  assert.equal(await page.getAttribute('#trim-in', 'step'), '1');
  await page.waitForFunction(() => document.querySelector('#trim-plan').dataset.frames === '50');
  assert.equal(await page.evaluate(() => document.querySelector('#trim-export').disabled), false);
  // 1 s is frame 25 at 25 fps (it was 30 at the old fixed rate); a step is one 25 fps frame.
  await page.waitForFunction(() => document.querySelector('#frame').textContent === '25');
  await page.click('#next');
  await page.waitForFunction(() => document.querySelector('#frame').textContent === '26');
  const t = await page.evaluate(() => document.querySelector('outtake-editor').video.currentTime);
  assert.ok(Math.abs(t - 26.5 / 25) < 1e-3, `mid frame 26: ${t}`);
  // The in-handle moves by one frame: 0.040 s.
  await page.focus('#trim-in');
  await page.keyboard.press('ArrowRight');
  assert.equal(await text('#trim-in-value'), '0.040 s');
  await page.waitForFunction(() => document.querySelector('#trim-plan').dataset.frames === '49');
  await page.screenshot({ path: path.join(resultsDir(), 'open-25fps.png'), fullPage: true });
  assert.deepEqual(page.errors.map(String), []);
});

test('a portrait clip and a WebM open and play', { skip: noFfmpeg }, async () => {
  assert.equal(await open(clips.portrait), 'ready');
  assert.equal(await text('#clip-info'), 'MP4: H.264 video 180×320 at 30 fps, AAC audio');
  // It fits the viewport: the player, controls included, ends above the window's bottom.
  const fit = await page.evaluate(() => ({
    bottom: document.querySelector('outtake-editor').getBoundingClientRect().bottom,
    vh: innerHeight,
  }));
  assert.ok(fit.bottom <= fit.vh, JSON.stringify(fit));
  await page.screenshot({ path: path.join(resultsDir(), 'open-portrait.png') });
  assert.equal(await open(clips.webm), 'ready');
  assert.equal(await text('#clip-info'), 'WebM: VP9 video 320×240 at 24 fps, Opus audio');
  assert.equal(await page.inputValue('#fps'), '24');
  assert.equal(await page.getAttribute('#trim-out', 'max'), '48');
  assert.equal(await page.$$eval('#remix-nodes tbody tr', (e) => e.length), 1);
  assert.equal(await page.isHidden('#clip-error'), true);
  assert.deepEqual(page.errors.map(String), []);
});

test('a renamed text file: told in plain words with its code, nothing stale, Export off', async () => {
  const state = await open(Buffer.from('these are my notes, not a video\n'), 'notes.mp4');
  assert.equal(state, 'unreadable');
  const alert = await page.evaluate(() => {
    const el = document.querySelector('#clip-error');
    return {
      role: el.getAttribute('role'),
      text: el.querySelector('.msg').textContent,
      code: el.dataset.code,
      details: el.querySelector('details code').textContent,
    };
  });
  assert.equal(alert.role, 'alert');
  assert.equal(
    alert.text,
    'notes.mp4 is a text file, not an MP4, WebM or Matroska video. Pick a video to edit, or drop a .vtt or .srt file to load captions.',
  );
  assert.equal(alert.code, 'ERR_UNKNOWN_CONTAINER');
  assert.match(alert.details, /^ERR_UNKNOWN_CONTAINER: /);
  assert.equal(await page.evaluate(() => document.querySelector('#trim-export').disabled), true);
  assert.equal(await text('#trim-plan'), '–');
  assert.equal(await text('#cue-count'), '0');
  assert.equal(await page.$$eval('#remix-nodes tbody tr', (e) => e.length), 0);
  assert.equal(await page.$$eval('#remix-current .clip', (e) => e.length), 0);
  assert.equal(await page.evaluate(() => document.querySelector('outtake-editor').video.src), '');
  await page.click('#clip-error summary');
  await page.screenshot({ path: path.join(resultsDir(), 'open-text-file.png') });
});

test('an E-AC-3 file: what it is and what trim can do with it', {
  skip: m.shared('eac3.mp4') === null && 'no ../shared/media',
}, async () => {
  assert.equal(await open(m.shared('eac3.mp4')), 'unplayable');
  assert.equal(
    await text('#clip-error .msg'),
    'eac3.mp4: E-AC-3 audio: this browser cannot play it; trim can cut it and keep it as it is.',
  );
  assert.equal(
    await page.evaluate(() => document.querySelector('#clip-error').dataset.code),
    'ERR_MEDIA_PLAYBACK',
  );
  assert.match(await text('#clip-info'), /^MP4: E-AC-3 audio$/);
  // Trim takes it: the audio question is asked (keep it: leaving it out would leave nothing),
  // the cut is planned, and Export is on.
  assert.equal(await page.isHidden('#trim-audio-row'), false);
  assert.equal(await page.inputValue('#trim-audio'), 'copy');
  await page.waitForFunction(() => Number(document.querySelector('#trim-plan').dataset.frames) > 0);
  assert.equal(await page.isHidden('#trim-error'), true);
  assert.equal(await page.evaluate(() => document.querySelector('#trim-export').disabled), false);
  await page.screenshot({ path: path.join(resultsDir(), 'open-eac3.png') });
});

test('an HEVC file: this browser cannot play it; trim cuts it on keyframes', {
  skip: m.shared('video-h265.mp4') === null && 'no ../shared/media',
}, async () => {
  const state = await open(m.shared('video-h265.mp4'));
  assert.match(await text('#clip-info'), /^MP4: HEVC \(H\.265\) video \d+×\d+ at 30 fps/);
  assert.equal(state, 'unplayable');
  assert.equal(
    await text('#clip-error .msg'),
    'video-h265.mp4: HEVC (H.265) video: this browser cannot play it; trim can still cut it on keyframes without re-encoding.',
  );
  // An in-point off a keyframe would need re-encoding: said in words in the trim panel.
  await page.evaluate(() => {
    const el = document.querySelector('#trim-in');
    el.value = '5';
    el.dispatchEvent(new Event('input'));
  });
  await page.waitForSelector('#trim-error:not([hidden])');
  assert.match(
    await text('#trim-error .msg'),
    /^This cut needs frames re-encoded, which this browser cannot do for this video: put the in-point on a keyframe/,
  );
  assert.equal(
    await page.evaluate(() => document.querySelector('#trim-error').dataset.code),
    'ERR_NEEDS_REENCODE',
  );
  await page.screenshot({ path: path.join(resultsDir(), 'open-hevc.png') });
});

test('a variable frame rate clip says so, with its average', {
  skip: m.shared('cursed-vfr.mp4') === null && 'no ../shared/media',
}, async () => {
  await open(m.shared('cursed-vfr.mp4'));
  assert.match(await text('#clip-info'), /at a variable rate \(≈7\.2\d fps\)/);
  assert.match(await text('#fps-note'), /^variable: ≈7\.2\d fps on average$/);
  await page.screenshot({ path: path.join(resultsDir(), 'open-vfr.png') });
});

test('on a phone-sized window nothing runs off the side', async () => {
  await page.setViewportSize({ width: 420, height: 860 });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.clip === 'ready');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 420, `the page is ${width}px wide in a 420px window`);
  await page.screenshot({ path: path.join(resultsDir(), 'open-narrow.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
});
