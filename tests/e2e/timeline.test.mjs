// The demo's timeline strip (www/dist): the ruler zooms, keyframes and captions are drawn, caption
// blocks are moved and resized by dragging (snapped to frames, each drag a node of the history),
// the ruler seeks, and the playhead and the frame readout follow playback frame by frame
// (requestVideoFrameCallback, many more positions than timeupdate would give).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDemoPage } from '../helpers/demo-site.mjs';
import { resultsDir } from '../helpers/browser.mjs';

let site, page;

before(async () => {
  ({ site, page } = await openDemoPage());
  await page.waitForFunction(() => document.querySelectorAll('#timeline-cues .block').length === 4);
});
after(() => site?.close());

const pps = () =>
  page.evaluate(() => Number(document.querySelector('#timeline-content').dataset.pps));
const cue = (i) =>
  page.evaluate((i) => {
    const el = document.querySelector(`#cue-list .cue[data-index="${i}"]`);
    return [Number(el.querySelector('.start').value), Number(el.querySelector('.end').value)];
  }, i);

test('ruler, keyframes, captions and zoom', async () => {
  const marks = await page.$$eval('#timeline-keyframes .mark', (e) => e.length);
  assert.equal(String(marks), await page.getAttribute('#trim-keyframes', 'data-count'));
  assert.ok(marks > 1);
  const fit = await pps();
  const widths = () =>
    page.evaluate(() => [
      document.querySelector('#timeline-content').offsetWidth,
      document.querySelector('#timeline-scroll').clientWidth,
    ]);
  const [w0, view] = await widths();
  assert.ok(w0 <= view, 'fitted: the whole clip in view');
  await page.click('#timeline-zoom-in');
  await page.click('#timeline-zoom-in');
  assert.ok(Math.abs((await pps()) - fit * 2.25) < 1.5, 'two zoom steps of 1.5');
  const [w1] = await widths();
  assert.ok(w1 > view * 2, 'zoomed in: the strip scrolls');
  await page.click('#timeline-fit');
  assert.ok(Math.abs((await pps()) - fit) < 1);
  // The first cue's block sits at its start.
  const left = await page.$eval('#timeline-cues .block', (e) => e.offsetLeft);
  const [start] = await cue(0);
  assert.ok(Math.abs(left - start * (await pps())) <= 1, `${left} vs ${start}`);
});

test('caption blocks move and resize by dragging, snapped to frames; each drag is an edit', async () => {
  const before = await cue(0);
  const box = await page.locator('#timeline-cues .block').first().boundingBox();
  const p = await pps();
  // Move by about 0.5 s.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 0.25 * p, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 + 0.5 * p, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  const moved = await cue(0);
  const shift = moved[0] - before[0];
  assert.ok(Math.abs(shift - 0.5) < 0.05, `moved by ${shift}`);
  assert.ok(Math.abs(moved[1] - moved[0] - (before[1] - before[0])) < 1e-6, 'length kept');
  assert.ok(Math.abs(moved[0] * 30 - Math.round(moved[0] * 30)) < 0.02, 'start on a frame');
  await page.waitForFunction(
    () => document.querySelector('#remix-nodes tr.head .msg')?.textContent === 'move cue 1',
  );

  // Pull the second cue's right edge out by about 0.3 s.
  const b2 = await page.locator('#timeline-cues .block').nth(1).boundingBox();
  const [, end0] = await cue(1);
  await page.mouse.move(b2.x + b2.width - 2, b2.y + b2.height / 2);
  await page.mouse.down();
  await page.mouse.move(b2.x + b2.width - 2 + 0.3 * p, b2.y + b2.height / 2, { steps: 5 });
  await page.mouse.up();
  const [, end1] = await cue(1);
  assert.ok(Math.abs(end1 - end0 - 0.3) < 0.05, `end ${end0} → ${end1}`);
  assert.ok(Math.abs(end1 * 30 - Math.round(end1 * 30)) < 0.02, 'end on a frame');
  await page.waitForFunction(
    () => document.querySelector('#remix-nodes tr.head .msg')?.textContent === 'cue 2 end',
  );
  // Undo puts the end back.
  await page.click('#undo');
  await page.waitForFunction(
    (e) => document.querySelector('#cue-list .cue[data-index="1"] .end').value === e.toFixed(3),
    end0,
  );
});

test('the ruler seeks; the playhead follows every frame of playback', async () => {
  const ruler = await page.locator('#timeline-ruler').boundingBox();
  const p = await pps();
  await page.mouse.click(ruler.x + 5.02 * p, ruler.y + 5);
  await page.waitForFunction(() => document.querySelector('#frame').textContent === '150');
  const positions = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const v = document.querySelector('outtake-editor').video;
        v.muted = true;
        const seen = [];
        const head = document.querySelector('#timeline-playhead');
        const t0 = performance.now();
        const tick = () => {
          seen.push([head.style.left, document.querySelector('#frame').textContent]);
          if (performance.now() - t0 < 1000) requestAnimationFrame(tick);
          else {
            v.pause();
            resolve(seen);
          }
        };
        v.play().then(() => requestAnimationFrame(tick));
      }),
  );
  const distinct = new Set(positions.map(([left]) => left)).size;
  // 30 fps for a second: timeupdate alone would give about 4.
  assert.ok(distinct >= 12, `${distinct} playhead positions in a second of playback`);
  const frames = new Set(positions.map(([, f]) => f)).size;
  assert.ok(frames >= 12, `${frames} frame numbers read out in a second of playback`);
  const [left, t] = await page.evaluate(() => [
    Number.parseFloat(document.querySelector('#timeline-playhead').style.left),
    document.querySelector('outtake-editor').video.currentTime,
  ]);
  assert.ok(Math.abs(left - t * p) < p / 10, `playhead ${left}px at ${t}s`);
  await page.screenshot({ path: path.join(resultsDir(), 'timeline.png'), fullPage: true });
  assert.deepEqual(page.errors.map(String), []);
});

test('the sound as a waveform lane, decoded on the page, redrawn at every zoom', async () => {
  // The sample's 11.4 s of AAC: 200 peaks a second.
  await page.waitForFunction(
    () => Number(document.querySelector('#timeline-wave').dataset.peaks) > 2000,
  );
  const drawn = () =>
    page.evaluate(() => {
      const c = document.querySelector('#timeline-wave');
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      // Columns with any sound drawn taller than the 1 px floor: speech, not silence.
      let loud = 0;
      for (let x = 0; x < c.width; x++) {
        let ink = 0;
        for (let y = 0; y < c.height; y++) if (data[(y * c.width + x) * 4 + 3]) ink++;
        if (ink > 3) loud++;
      }
      return {
        width: c.width,
        loud,
        content: document.querySelector('#timeline-content').offsetWidth,
      };
    });
  const fitted = await drawn();
  assert.ok(Math.abs(fitted.width - fitted.content) <= 2, JSON.stringify(fitted));
  // The sample speaks for most of its length, with pauses between the sentences.
  assert.ok(
    fitted.loud > fitted.width * 0.3 && fitted.loud < fitted.width * 0.95,
    JSON.stringify(fitted),
  );
  await page.click('#timeline-zoom-in');
  const zoomed = await drawn();
  assert.ok(zoomed.width > fitted.width * 1.4, JSON.stringify(zoomed));
  await page.click('#timeline-fit');
  await page
    .locator('#timeline')
    .screenshot({ path: path.join(resultsDir(), 'timeline-waveform.png') });
});

test('filmstrip and shot changes: thumbnails drawn along the clip, shots marked and given to the caption rules', async () => {
  // Found in the worker after the clip opens (thumbnails of keyframes, then shotChanges).
  await page.waitForFunction(() => document.body.dataset.shots !== undefined, null, {
    timeout: 60_000,
  });
  const frames = Number(await page.getAttribute('#timeline-film', 'data-frames'));
  assert.ok(frames >= 1, `filmstrip thumbnails: ${frames}`);
  // The strip is drawn: its pixels are not all the background.
  const lit = await page.$eval('#timeline-film', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 60) n++;
    return n / (d.length / 4);
  });
  assert.ok(lit > 0.3, `the filmstrip is drawn (${(lit * 100).toFixed(0)}% lit)`);
  const shots = Number(await page.evaluate(() => document.body.dataset.shots));
  const marks = await page.$$eval('#timeline-keyframes .mark.shot', (e) => e.length);
  assert.equal(marks, shots, 'one mark per shot change');
  await page.screenshot({ path: path.join(resultsDir(), 'timeline-filmstrip.png') });
});
