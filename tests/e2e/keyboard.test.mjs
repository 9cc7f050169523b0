// The demo (www/dist) by keyboard alone: Space, J/K/L, ←/→ one frame, Shift+←/→ one second, I/O,
// S, Delete; every edit a node of the remix chain that Ctrl+Z / Ctrl+Shift+Z walk; every control
// reached by Tab; and axe-core finds no serious or critical accessibility violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { openDemoPage } from '../helpers/demo-site.mjs';
import { resultsDir } from '../helpers/browser.mjs';

let site, page;

before(async () => {
  ({ site, page } = await openDemoPage());
  await page.waitForFunction(() => document.querySelectorAll('#remix-nodes tbody tr').length === 1);
  await page.evaluate(() => {
    document.querySelector('outtake-editor').video.muted = true;
  });
});
after(() => site?.close());

const video = (expr) =>
  page.evaluate(
    `(() => { const v = document.querySelector('outtake-editor').video; return ${expr}; })()`,
  );
const frame = (n) =>
  page.waitForFunction((n) => document.querySelector('#frame').textContent === String(n), n);
const nodes = (n) =>
  page.waitForFunction((n) => document.querySelectorAll('#remix-nodes tbody tr').length === n, n);
const messages = () =>
  page.$$eval('#remix-nodes tbody tr .msg', (e) => e.map((x) => x.textContent));
const clips = () => page.$$eval('#remix-current .clip', (e) => e.map((x) => x.dataset.uid));
const cueCount = () => page.$$eval('#cue-list .cue', (e) => e.length);

test('Space, J/K/L and the arrows move the playhead by frames and seconds', async () => {
  await page.focus('body');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !document.querySelector('outtake-editor').video.paused);
  await page.keyboard.press('Space');
  assert.equal(await video('v.paused'), true);
  await page.keyboard.press('l');
  await page.keyboard.press('l');
  assert.deepEqual(await video('[v.paused, v.playbackRate]'), [false, 2]);
  await page.keyboard.press('k');
  assert.deepEqual(await video('[v.paused, v.playbackRate]'), [true, 1]);

  // J plays backwards until K.
  await page.evaluate(() => {
    document.querySelector('outtake-editor').video.currentTime = 3;
  });
  await page.keyboard.press('j');
  await page.waitForFunction(
    () => document.querySelector('outtake-editor').video.currentTime < 2.8,
  );
  await page.keyboard.press('k');

  await page.evaluate(() => {
    document.querySelector('outtake-editor').video.currentTime = 60.5 / 30;
  });
  await frame(60);
  await page.keyboard.press('ArrowRight');
  await frame(61);
  await page.keyboard.press('Shift+ArrowRight');
  await frame(91);
  await page.keyboard.press('ArrowLeft');
  await frame(90);
  await page.keyboard.press('Shift+ArrowLeft');
  await frame(60);

  // With the picture focused (after a click on it), a key acts once: the <video>'s own controls
  // do not play/pause or seek a second time.
  await page.evaluate(() => document.querySelector('outtake-editor').video.focus());
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !document.querySelector('outtake-editor').video.paused);
  await page.keyboard.press('k');
  await page.evaluate(() => {
    document.querySelector('outtake-editor').video.currentTime = 60.5 / 30;
  });
  await frame(60);
  await page.keyboard.press('ArrowRight');
  await frame(61);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await page.textContent('#frame'), '61');
  await page.keyboard.press('ArrowLeft');
  await frame(60);
});

test('I/O, S and Delete edit; each edit is a node that Ctrl+Z and Ctrl+Shift+Z walk', async () => {
  await page.keyboard.press('i');
  await page.waitForFunction(
    () => document.querySelector('#trim-in-value').textContent === '2.000 s',
  );
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('o');
  // Out just after the frame on screen (90): 91 frames, 3.033 s.
  await page.waitForFunction(
    () => document.querySelector('#trim-out-value').textContent === '3.033 s',
  );
  await page.keyboard.press('s');
  await nodes(4);
  assert.deepEqual(await clips(), ['c1', 'c2']);
  // Delete on a focused cue removes that cue.
  await page.focus('#cue-list .cue[data-index="0"] .seek');
  await page.keyboard.press('Delete');
  await nodes(5);
  assert.equal(await cueCount(), 3);
  assert.deepEqual((await messages()).slice(1), [
    'in-point: frames 60–343',
    'out-point: frames 60–91',
    'split shot c1 at 3.000 s',
    'delete cue 1',
  ]);

  // Focus is on the next cue (not in its text), so Ctrl+Z is the page's.
  assert.equal(
    await page.evaluate(() => document.activeElement.getAttribute('aria-label')),
    'play cue 1',
  );
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelectorAll('#cue-list .cue').length === 4);
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelectorAll('#remix-current .clip').length === 1);
  await page.keyboard.press('Control+z');
  await page.waitForFunction(
    () => document.querySelector('#trim-out-value').textContent !== '3.033 s',
  );
  assert.equal(await page.inputValue('#trim-out'), '343');
  assert.equal(await page.inputValue('#trim-in'), '60');
  await page.keyboard.press('Control+Shift+z');
  await page.waitForFunction(
    () => document.querySelector('#trim-out-value').textContent === '3.033 s',
  );
  await page.keyboard.press('Control+Shift+z');
  await page.waitForFunction(() => document.querySelectorAll('#remix-current .clip').length === 2);
  // Undone nodes are kept (greyed) until a new edit; the head is marked.
  assert.equal(await page.$$eval('#remix-nodes tr.undone', (e) => e.length), 1);
  assert.equal(await page.textContent('#remix-nodes tr.head .msg'), 'split shot c1 at 3.000 s');
  await page.screenshot({ path: path.join(resultsDir(), 'keyboard-history.png'), fullPage: true });
  assert.deepEqual(page.errors.map(String), []);
});

test('every control is reached by Tab and has a name; axe finds nothing serious', async () => {
  // The visible controls, then Tab through the page collecting where focus goes.
  const controls = await page.evaluate(() => {
    const all = [
      ...document.querySelectorAll(
        'button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])',
      ),
    ];
    return (
      all
        // A radio group is one Tab stop: its checked radio.
        .filter(
          (el) => el.offsetParent !== null && !el.disabled && !(el.type === 'radio' && !el.checked),
        )
        .map((el, i) => {
          el.dataset.tabCheck = String(i);
          return i;
        })
    );
  });
  await page.focus('body');
  const seen = new Set();
  let shadow = false;
  for (let i = 0; i < 200 && seen.size < controls.length; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      if (el?.shadowRoot?.activeElement) return 'shadow';
      return el?.dataset.tabCheck;
    });
    if (at === 'shadow') shadow = true;
    else if (at !== undefined) seen.add(Number(at));
  }
  const missed = await page.evaluate(
    (seen) =>
      [...document.querySelectorAll('[data-tab-check]')]
        .filter((el) => !seen.includes(Number(el.dataset.tabCheck)))
        .map((el) => el.outerHTML.slice(0, 80)),
    [...seen],
  );
  assert.deepEqual(missed, [], 'controls Tab never reached');
  assert.ok(shadow, "Tab reaches the player's own controls");

  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
  );
});
