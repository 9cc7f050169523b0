// The remix API of the built package in headless Chromium: a real remix diffed, OTIO round trips
// against the native CLI, chains built, verified and tampered with, merges with conflicts, the
// edit list for captions, and typed errors. Timelines are read in node and passed in as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from '../../scripts/static-server.mjs';
import { launch } from '../helpers/browser.mjs';
import { sharedPath, skipWithoutShared } from '../helpers/shared.mjs';

const root = new URL('../../', import.meta.url).pathname;
const otio = sharedPath('otio');
const absent = skipWithoutShared('otio');
const read = (rel) => fs.readFileSync(path.join(otio, rel), 'utf8');
const EL_FUENTE = 'open-content/ElFuente_4096x2160_60fps_10bit_420.otio';
const REMIX = 'open-content/ElFuente_4096x2160_60fps_10bit_420_remix1.otio';
let server, url, browser, page;

before(async () => {
  ({ server, url } = await serve(root));
  browser = await launch();
  page = await browser.page();
  await page.goto(`${url}tests/e2e/api.html`);
  await page.waitForFunction(() => window.outtakeReady === true);
});
after(async () => {
  await browser?.close();
  server?.close();
});

const inPage = (fn, arg) => page.evaluate(fn, arg);

test('the El Fuente remix diffs as trims, four dissolves and a title-overlay track', {
  skip: absent,
}, async () => {
  const r = await inPage(
    async ([a, b]) => {
      const o = window.outtake;
      const [ta, tb] = [await o.importOtio(a), await o.importOtio(b)];
      return { fromObjects: await o.diffTimelines(ta, tb), fromText: await o.diffTimelines(a, b) };
    },
    [read(EL_FUENTE), read(REMIX)],
  );
  const d = r.fromObjects;
  const of = (target, kind) =>
    d.changes.filter((c) => c.target === target && c.kind === kind).map((c) => c.name);
  const trimmed = [
    ...new Set(
      d.changes.filter((c) => c.target === 'clip' && c.kind.startsWith('trim_')).map((c) => c.name),
    ),
  ];
  assert.deepEqual(trimmed, [
    'BoxingPractice',
    'FoodMarket2',
    'Narrator',
    'RitualDanceShot',
    'Tango',
  ]);
  assert.equal(of('transition', 'insert').length, 4);
  assert.equal(of('track', 'insert').length, 1);
  for (const k of ['insert', 'remove', 'move', 'swap_media', 'speed'])
    assert.deepEqual(of('clip', k), [], `unexpected clip ${k}`);
  assert.deepEqual(
    d.changes.filter((c) => c.name === 'Narrator').map((c) => c.summary),
    ["'Narrator' lost 50 frames at its head", "'Narrator' lost 50 frames at its tail"],
  );
  assert.ok(
    d.changes.every(
      (c) => typeof c.summary === 'string' && c.summary && typeof c.path === 'string',
    ),
  );
  // Objects and text give the same answer.
  assert.deepEqual(r.fromText, d);
});

/** The native CLI, built from this source (a no-op when it is up to date). */
function cli() {
  execFileSync('cargo', ['build', '--quiet', '--bin', 'outtake'], { cwd: root, stdio: 'inherit' });
  return path.join(root, 'target/debug/outtake');
}

test("import → export equals the native CLI's `remix convert` for every core OTIO file", {
  skip: absent,
  timeout: 300_000,
}, async () => {
  const bin = cli();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outtake-remix-'));
  // JSON has no NaN/Infinity: the JS form holds them as null, so compare with them as null.
  const asJs = (text) =>
    JSON.parse(text.replace(/([:[,]\s*)-?(NaN|Infinity|Inf)(?=\s*[,\]}])/g, '$1null'));
  const files = fs.readdirSync(path.join(otio, 'core')).filter((f) => f.endsWith('.otio'));
  assert.ok(files.length >= 10);
  try {
    for (const f of files) {
      const out = path.join(tmp, f);
      execFileSync(bin, ['remix', 'convert', path.join(otio, 'core', f), '-o', out]);
      const cli = fs.readFileSync(out, 'utf8');
      const r = await inPage(
        async (text) => {
          const o = window.outtake;
          return {
            fromText: await o.exportOtio(text),
            fromObject: await o.exportOtio(await o.importOtio(text)),
          };
        },
        read(`core/${f}`),
      );
      assert.equal(r.fromText, cli, `${f}: export of the text differs from the CLI`);
      assert.deepEqual(
        asJs(r.fromObject),
        asJs(cli),
        `${f}: export of the object differs from the CLI`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a chain of three remixes built in JS verifies; a tampered node is named', {
  skip: absent,
}, async () => {
  const r = await inPage(
    async ([a, b]) => {
      const o = window.outtake;
      const chain = new o.RemixChain();
      const t0 = await o.importOtio(a);
      const t1 = await o.importOtio(b);
      const t2 = structuredClone(t1);
      const clip = t2.tracks.children[0].children.find(
        (c) => c.OTIO_SCHEMA.startsWith('Clip') && c.name === 'Tango',
      );
      clip.source_range.duration.value -= 12;
      const id0 = await chain.add({
        author: 'ana',
        message: 'the cut',
        timeline: t0,
        createdAt: '2026-11-25T10:00:00Z',
      });
      const id1 = await chain.add({
        parents: [id0],
        author: 'ben',
        message: 'dissolves',
        timeline: t1,
        createdAt: '2026-11-25T11:00:00Z',
      });
      const id2 = await chain.add({
        parents: [id1],
        author: 'ana',
        message: 'tighter tango',
        timeline: t2,
        createdAt: '2026-11-25T12:00:00Z',
      });
      const text = chain.toJSON();
      const out = { ids: [id0, id1, id2], nodes: chain.nodes, verified: await chain.verify() };
      out.again = await chain.add({
        parents: [id1],
        author: 'ana',
        message: 'tighter tango',
        timeline: t2,
        createdAt: '2026-11-25T12:00:00Z',
      });
      out.node2 = await chain.get(id2);
      out.t2 = t2;
      out.diff12 = (await chain.diff(id1, id2)).changes.map((c) => c.summary);
      const bl = await chain.blame(id2);
      const tango = bl.tracks[0].items.find((i) => i.name === 'Tango');
      const boxing = bl.tracks[0].items.find((i) => i.name === 'BoxingPractice');
      out.blame = { tango: tango.origin, boxing: boxing.origin };
      out.sameBlame = JSON.stringify(await o.blame(text, id2)) === JSON.stringify(bl);
      // Reloaded from its text and from its object form, it verifies and keeps its ids.
      out.reloaded = (await o.RemixChain.fromJSON(text)).nodes.map((n) => n.id);
      out.reloadedObject = (await o.RemixChain.fromJSON(JSON.parse(text))).nodes.map((n) => n.id);
      // Tampering: the middle node's message changed in the file.
      const at = text.indexOf(`"id":"${id1}"`);
      const tampered =
        text.slice(0, at) + text.slice(at).replace('"message":"dissolves"', '"message":"dissolve"');
      out.tamperedText = tampered !== text;
      try {
        await o.RemixChain.fromJSON(tampered);
        out.tamper = 'accepted';
      } catch (e) {
        out.tamper = { code: e.code, message: e.message, isOuttake: e instanceof o.OuttakeError };
      }
      return out;
    },
    [read(EL_FUENTE), read(REMIX)],
  );
  const [id0, id1, id2] = r.ids;
  assert.equal(new Set(r.ids).size, 3);
  assert.ok(r.ids.every((id) => /^[0-9a-f]{64}$/.test(id)));
  assert.deepEqual(
    r.nodes.map((n) => [n.id, n.parents, n.message]),
    [
      [id0, [], 'the cut'],
      [id1, [id0], 'dissolves'],
      [id2, [id1], 'tighter tango'],
    ],
  );
  assert.equal(r.verified, true);
  assert.equal(r.again, id2, 'adding the same content again gives the same id');
  assert.deepEqual(r.node2.timeline, r.t2);
  assert.equal(r.node2.author, 'ana');
  assert.deepEqual(r.diff12, ["'Tango' lost 12 frames at its tail"]);
  assert.deepEqual(r.blame.tango, { introduced: id0, changed: id2 });
  assert.deepEqual(r.blame.boxing, { introduced: id0, changed: id1 });
  assert.ok(r.sameBlame);
  assert.deepEqual(r.reloaded, r.ids);
  assert.deepEqual(r.reloadedObject, r.ids);
  assert.ok(r.tamperedText);
  assert.equal(r.tamper.code, 'ERR_CHAIN_VERIFY', JSON.stringify(r.tamper));
  assert.ok(r.tamper.isOuttake);
  assert.match(r.tamper.message, new RegExp(`node ${id1}: content was altered`));
});

test('a chain built in JS is a chain file the CLI reads: `outtake remix blame` agrees', {
  skip: absent,
  timeout: 300_000,
}, async () => {
  const bin = cli();
  const r = await inPage(
    async ([a, b]) => {
      const o = window.outtake;
      const chain = new o.RemixChain();
      // One node from OTIO text (numbers kept as written: 60.0), one from an object.
      const id0 = await chain.add({
        author: 'ana',
        message: 'cut',
        timeline: a,
        createdAt: '2026-11-25T10:00:00Z',
      });
      const id1 = await chain.add({
        parents: [id0],
        author: 'ben',
        message: 'remix',
        timeline: await o.importOtio(b),
        createdAt: '2026-11-25T11:00:00Z',
      });
      return { text: chain.toJSON(), id1, blame: await chain.blame(id1) };
    },
    [read(EL_FUENTE), read(REMIX)],
  );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outtake-chain-'));
  try {
    fs.writeFileSync(path.join(tmp, 'chain.json'), r.text);
    const out = execFileSync(
      bin,
      ['remix', 'blame', path.join(tmp, 'chain.json'), r.id1.slice(0, 12), '--json'],
      { encoding: 'utf8' },
    );
    assert.deepEqual(JSON.parse(out), r.blame);
    assert.ok(
      r.blame.tracks.some((t) => t.items.some((i) => i.origin.introduced !== i.origin.changed)),
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("chain nodes the engine does not hold parsed are read from the holder's text", async () => {
  const r = await inPage(async () => {
    // The engine's own functions, as RemixChain calls them (the same module instance as the package's).
    const engine = await import('/pkg/wasm/outtake.js');
    // Loaded here: this test must not rely on an earlier one having made a call.
    await window.outtake.init();
    const timeline = {
      OTIO_SCHEMA: 'Timeline.1',
      name: 't',
      tracks: { OTIO_SCHEMA: 'Stack.1', name: 'tracks', children: [] },
    };
    const text = JSON.stringify({
      id: 'feed',
      parents: [],
      author: 'a',
      createdAt: 'now',
      message: 'never hashed here',
      timeline,
    });
    const asked = [];
    const node = engine.chainGet('feed', (id) => {
      asked.push(id);
      return text;
    });
    let wrong;
    try {
      engine.chainGet('f00d', () => text);
    } catch (e) {
      wrong = { code: e.code, message: e.message };
    }
    return { asked, message: node.message, wrong };
  });
  assert.deepEqual(r.asked, ['feed']);
  assert.equal(r.message, 'never hashed here');
  assert.equal(r.wrong.code, 'ERR_INVALID_ARGUMENT');
  assert.match(r.wrong.message, /^id: lookup gave no node f00d/);
});

test('a merge reports one clip trimmed two ways, and combines trims of different clips', {
  skip: absent,
}, async () => {
  const r = await inPage(async (a) => {
    const o = window.outtake;
    const base = await o.importOtio(a);
    const edit = (name, frames) => {
      const t = structuredClone(base);
      const clip = t.tracks.children[0].children.find(
        (c) => c.OTIO_SCHEMA.startsWith('Clip') && c.name === name,
      );
      clip.source_range.duration.value -= frames;
      return t;
    };
    const clash = await o.mergeTimelines(base, edit('Tango', 10), edit('Tango', 20));
    const clean = await o.mergeTimelines(base, edit('Tango', 10), edit('Narrator', 20));
    return {
      clash: clash.conflicts,
      clean: clean.conflicts,
      cleanDiff: (await o.diffTimelines(base, clean.timeline)).changes
        .filter((c) => c.kind !== 'ripple')
        .map((c) => c.summary),
    };
  }, read(EL_FUENTE));
  assert.equal(r.clash.length, 1);
  assert.equal(r.clash[0].name, 'Tango');
  assert.match(r.clash[0].ours, /lost 10 frames at its tail/);
  assert.match(r.clash[0].theirs, /lost 20 frames at its tail/);
  assert.deepEqual(r.clean, []);
  assert.deepEqual(r.cleanDiff.sort(), [
    "'Narrator' lost 20 frames at its tail",
    "'Tango' lost 10 frames at its tail",
  ]);
});

test('flattenTimeline gives the edit list retimeCaptions takes', { skip: absent }, async () => {
  const r = await inPage(async (a) => {
    const o = window.outtake;
    const t = await o.importOtio(a);
    const edits = await o.flattenTimeline(t);
    const clips = t.tracks.children[0].children.filter(
      (c) => c.OTIO_SCHEMA.startsWith('Clip') && c.enabled !== false,
    );
    const first = clips[0].source_range;
    const captions = await o.parseCaptions(
      `WEBVTT\n\n00:00:00.000 --> ${new Date(edits.segments[0].end * 1000).toISOString().slice(11, 23)}\nhello\n`,
    );
    const retimed = await o.retimeCaptions(captions, edits);
    return {
      edits,
      clipCount: clips.length,
      first: [
        first.start_time.value / first.start_time.rate,
        (first.start_time.value + first.duration.value) / first.duration.rate,
      ],
      cues: retimed.captions.cues.length,
    };
  }, read(EL_FUENTE));
  assert.equal(r.edits.segments.length, r.clipCount);
  assert.ok(
    Math.abs(r.edits.segments[0].start - r.first[0]) < 1e-6 &&
      Math.abs(r.edits.segments[0].end - r.first[1]) < 1e-6,
    JSON.stringify([r.edits.segments[0], r.first]),
  );
  assert.equal(typeof r.edits.frameRate, 'string');
  assert.ok(r.edits.segments.every((s) => s.speed > 0 && s.end > s.start));
  assert.ok(r.cues >= 1);
});

test('bad input gives typed errors that name the argument, path or line', async () => {
  const errors = await inPage(async () => {
    const o = window.outtake;
    const timeline = {
      OTIO_SCHEMA: 'Timeline.1',
      name: 't',
      tracks: { OTIO_SCHEMA: 'Stack.1', name: 'tracks', children: [] },
    };
    const cases = {
      json: () => o.importOtio('{\n  "OTIO_SCHEMA": "Timeline.1",\n  "tracks": tru\n}'),
      schema: () =>
        o.importOtio(
          '{"OTIO_SCHEMA": "Timeline.1", "tracks": {"OTIO_SCHEMA": "Stack.1", "children": [{"OTIO_SCHEMA": "Track.1", "children": [{"OTIO_SCHEMA": "Clip.2", "source_range": {"OTIO_SCHEMA": "TimeRange.1", "start_time": 3}}]}]}}',
        ),
      notText: () => o.importOtio(42),
      diffArg: () => o.diffTimelines(timeline, 7),
      identity: () => o.diffTimelines(timeline, timeline, { identity: 'colour' }),
      ours: () => o.mergeTimelines(timeline, '{"nope": ', timeline),
      edl: () => o.importEdl('TITLE: x\n001  AX V C 00:00:00:00 00:00:01:00\n'),
      edlRate: () => o.importEdl('TITLE: x\n', { rate: 'fast' }),
      target: () => o.exportOtio(timeline, { target: '9.9' }),
      flatten: () => o.flattenTimeline(timeline),
      parent: () => new o.RemixChain().add({ parents: ['abc'], timeline }),
      nodeTimeline: () => new o.RemixChain().add({ timeline: [] }),
      getMissing: async () => {
        const c = new o.RemixChain();
        await c.add({ timeline });
        return c.get('f00');
      },
      chainFormat: () => o.RemixChain.fromJSON('{"outtakeChain": 1, "nodes": 3}'),
      chainArg: () => o.RemixChain.fromJSON(12),
      blameNode: () => o.blame('{"outtakeChain": 1, "nodes": []}', 'f00'),
    };
    const out = {};
    for (const [k, f] of Object.entries(cases)) {
      try {
        await f();
        out[k] = 'no error';
      } catch (e) {
        out[k] = { outtake: e instanceof o.OuttakeError, code: e.code, message: e.message };
      }
    }
    return out;
  });
  const expect = {
    json: ['ERR_OTIO_JSON', /^text: OTIO JSON 3:\d+: /],
    schema: ['ERR_OTIO_SCHEMA', /tracks\.children\[0\]\.children\[0\]\.source_range/],
    notText: ['ERR_INVALID_ARGUMENT', /^text: expected a string/],
    diffArg: ['ERR_INVALID_ARGUMENT', /^b: expected OTIO JSON text or a timeline object/],
    identity: ['ERR_INVALID_ARGUMENT', /^options\.identity: .*colour/],
    ours: ['ERR_OTIO_JSON', /^ours: OTIO JSON 1:\d+/],
    edl: ['ERR_EDL', /EDL line 2/],
    edlRate: ['ERR_INVALID_ARGUMENT', /^options\.rate: /],
    target: ['ERR_OTIO_EXPORT', /9\.9/],
    flatten: ['ERR_FLATTEN', /no enabled video track/],
    parent: ['ERR_INVALID_ARGUMENT', /^node\.parents\[0\]: no node abc/],
    nodeTimeline: ['ERR_INVALID_ARGUMENT', /^node\.timeline: /],
    getMissing: ['ERR_INVALID_ARGUMENT', /^id: no node f00/],
    chainFormat: ['ERR_CHAIN_FORMAT', /nodes/],
    chainArg: ['ERR_INVALID_ARGUMENT', /^chain: /],
    blameNode: ['ERR_INVALID_ARGUMENT', /^nodeId: no node f00/],
  };
  for (const [k, [code, message]] of Object.entries(expect)) {
    const e = errors[k];
    assert.ok(e?.outtake, `${k}: ${JSON.stringify(e)}`);
    assert.equal(e.code, code, `${k}: ${e.message}`);
    assert.match(e.message, message, k);
  }
});
