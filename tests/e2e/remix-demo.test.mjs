// The demo's remix chain panel (www/dist) in headless Chromium: every edit made with the buttons
// and the caption panel becomes a node; picking two nodes draws the diff on two strips with the
// right change kinds and caption word changes, and blame tooltips name the nodes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openDemoSite } from '../helpers/demo-site.mjs';
import { resultsDir } from '../helpers/browser.mjs';

let site, url, browser;

before(async () => {
  site = await openDemoSite();
  ({ url, browser } = site);
});
after(() => site?.close());

const rows = (page) =>
  page.$$eval('#remix-nodes tbody tr', (trs) =>
    trs.map((tr) => ({ id: tr.dataset.id, message: tr.querySelector('.msg').textContent })),
  );
const strip = (page, id) =>
  page.$$eval(`#${id} .clip`, (els) =>
    els.map((e) => ({
      uid: e.dataset.uid,
      cls: [...e.classList].filter((c) => c !== 'clip'),
      title: e.title,
      introduced: e.dataset.introduced,
      changed: e.dataset.changed,
    })),
  );
const seek = (page, t) =>
  page.evaluate(
    (t) =>
      new Promise((r) => {
        const v = document.querySelector('outtake-editor').video;
        v.addEventListener('seeked', r, { once: true });
        v.currentTime = t;
      }),
    t,
  );

const nodes = (page, count) =>
  page.waitForFunction(
    (n) => document.querySelectorAll('#remix-nodes tbody tr').length === n,
    count,
  );

test('edits become nodes; their diff and blame show on the strips', async () => {
  const page = await browser.page();
  await page.goto(url);
  // The root: one clip of the whole sample, committed once captions and duration are known.
  await page.waitForFunction(
    () => document.querySelectorAll('#remix-nodes tbody tr').length === 1,
    null,
    { timeout: 15000 },
  );
  const [root] = await rows(page);
  assert.equal(root.message, 'original');
  assert.deepEqual(
    (await strip(page, 'remix-current')).map((c) => c.uid),
    ['c1'],
  );

  // Split at 4 s, then reword the second caption in the caption panel (a node when done).
  await seek(page, 4.0);
  await page.click('#remix-split');
  assert.deepEqual(
    (await strip(page, 'remix-current')).map((c) => c.uid),
    ['c1', 'c2'],
  );
  await nodes(page, 2);
  await page.fill(
    '#cue-list .cue[data-index="1"] textarea',
    'Trim, remix and caption video, right here.',
  );
  await page.press('#cue-list .cue[data-index="1"] textarea', 'Tab');
  await nodes(page, 3);

  // The first clip moved after the second.
  await page.click('#remix-current .clip[data-uid="c1"]');
  await page.click('#remix-right');
  assert.deepEqual(
    (await strip(page, 'remix-current')).map((c) => c.uid),
    ['c2', 'c1'],
  );
  await nodes(page, 4);
  const all = await rows(page);
  assert.deepEqual(
    all.map((n) => n.message),
    ['original', 'split shot c1 at 4.000 s', 'cue 2 text', 'move shot c1 right'],
  );
  const [n0, n1, , n2] = all.map((n) => n.id);

  // Pick A = original, B = the move.
  await page.check(`#remix-nodes tr[data-id="${n0}"] [name=remix-a]`);
  await page.check(`#remix-nodes tr[data-id="${n2}"] [name=remix-b]`);
  await page.waitForFunction(
    (p) => document.querySelector('#remix-diff').dataset.pair === p,
    `${n0.slice(0, 8)}..${n2.slice(0, 8)}`,
  );
  const a = await strip(page, 'remix-strip-a');
  const b = await strip(page, 'remix-strip-b');
  assert.deepEqual(
    a.map((c) => [c.uid, c.cls]),
    [['c1', ['trimmed']]],
  );
  const bKinds = Object.fromEntries(b.map((c) => [c.uid, c.cls]));
  assert.deepEqual(bKinds.c2, ['added']);
  assert.deepEqual(bKinds.c1, ['trimmed']);
  const summary = await page.$$eval('#remix-summary li', (els) => els.map((e) => e.textContent));
  assert.ok(
    summary.some((s) => /'shot c1' lost \d+ frames at its tail/.test(s)),
    summary.join('\n'),
  );
  assert.ok(
    summary.some((s) => /'shot c2' inserted as 1st/.test(s)),
    summary.join('\n'),
  );
  const words = await page.$$eval('#remix-words li', (els) => els.map((e) => e.textContent));
  assert.ok(
    words.some((w) => /reworded to "[^"]*here\.?"/.test(w)),
    `caption word changes: ${words.join(' | ')}`,
  );

  // Blame on the B strip: c2 was made by the split and never changed; c1 came from the root and
  // was last changed (trimmed, then moved) by the move.
  assert.equal(b.find((c) => c.uid === 'c2').introduced, n1);
  const c1 = b.find((c) => c.uid === 'c1');
  assert.deepEqual([c1.introduced, c1.changed], [n0, n2]);
  assert.match(
    c1.title,
    new RegExp(
      `introduced by “original” \\(${n0.slice(0, 8)}\\); last changed by “move shot c1 right” \\(${n2.slice(0, 8)}\\)`,
    ),
  );

  // A = the reword, B = the move: only a move.
  const reword = all[2].id;
  await page.check(`#remix-nodes tr[data-id="${reword}"] [name=remix-a]`);
  await page.waitForFunction(
    (p) => document.querySelector('#remix-diff').dataset.pair === p,
    `${reword.slice(0, 8)}..${n2.slice(0, 8)}`,
  );
  const moved = (await strip(page, 'remix-strip-b')).filter((c) => c.cls.length);
  assert.equal(moved.length, 1);
  assert.deepEqual(moved[0].cls, ['moved']);
  // The captions moved with the clips (re-timed through the new order), but no word was reworded.
  const moves = await page.$$eval('#remix-words li', (els) => els.map((e) => e.textContent));
  assert.ok(
    moves.some((w) => /^captions shifted by/.test(w)),
    moves.join('\n'),
  );
  assert.ok(
    moves.every((w) => !/reworded/.test(w)),
    moves.join('\n'),
  );
  // The edit as it stands, as an OpenTimelineIO file: the two clips in their new order.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#remix-otio')]);
  assert.equal(download.suggestedFilename(), 'sample-edit.otio');
  const otio = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(otio.OTIO_SCHEMA, 'Timeline.1');
  const v1 = otio.tracks.children.find((t) => t.name === 'V1');
  assert.deepEqual(
    v1.children.map((c) => c.name),
    ['shot c2', 'shot c1'],
  );
  await page.screenshot({ path: path.join(resultsDir(), 'remix-demo.png'), fullPage: true });
  assert.deepEqual(page.errors.map(String), []);
});
