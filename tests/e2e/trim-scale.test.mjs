// Scale: the page trims a file over 4 GiB (tests/fixtures/make-scale.sh), given as a disk-backed
// File, late in the file and with a head to re-encode, while node samples the RSS of every
// Chromium process: peak minus baseline must stay within twice the output plus 64 MB. The output
// comes back as a download (streamed to disk, no copy in the page) and ffmpeg checks it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openApiPage } from '../helpers/api-page.mjs';
import * as m from '../helpers/media.mjs';

const MB = 1 << 20;
const hasFfmpeg = m.haveFfmpeg();
let api, page, big, tmp;

before(async () => {
  if (!hasFfmpeg) return;
  big = m.scaleFixture();
  tmp = path.join(m.ROOT, 'target/trim-e2e');
  fs.mkdirSync(tmp, { recursive: true });
  api = await openApiPage();
  ({ page } = api);
});
after(() => api?.close());

/** Pids of this process's descendants (the Chromium tree: browser, zygotes, renderers, GPU…). */
function descendants() {
  const children = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name, which may hold spaces: state, ppid, …
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(d));
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) || []) {
      out.push(c);
      walk(c);
    }
  };
  walk(process.pid);
  return out;
}

/** VmRSS of each of the browser's processes, in bytes, keyed "<type> <pid>" (type from argv). */
function browserRss() {
  const out = {};
  for (const pid of descendants()) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      const type =
        /--type=([\w-]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      if (m) out[`${type} ${pid}`] = Number(m[1]) * 1024;
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

const total = (rss) => Object.values(rss).reduce((a, b) => a + b, 0);

/**
 * Samples browserRss() every ~50 ms until stop(), which returns the peak of the sum, the sample
 * count and each process's own peak (to say where memory went).
 */
function sampleRss() {
  let max = 0,
    count = 0;
  const each = {};
  const tick = () => {
    const rss = browserRss();
    for (const [k, v] of Object.entries(rss)) each[k] = Math.max(each[k] ?? 0, v);
    max = Math.max(max, total(rss));
    count++;
  };
  tick();
  const timer = setInterval(tick, 50);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { max, count, each };
    },
  };
}

/** Video packets of the source in presentation order: [{t, d, pos, key}], seconds and bytes. */
function videoPackets(file) {
  const v = JSON.parse(
    execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'packet=pts,duration,pos,flags:stream=time_base:format=start_time',
        '-of',
        'json',
        file,
      ],
      { maxBuffer: 256 << 20 },
    ),
  );
  const [n, d] = v.streams[0].time_base.split('/').map(Number);
  const list = v.packets.map((p) => ({
    t: (p.pts * n) / d,
    d: (p.duration * n) / d,
    pos: Number(p.pos),
    key: p.flags.startsWith('K'),
  }));
  return { list: list.sort((a, b) => a.t - b.t), start: Number(v.format.start_time) };
}

const skip = !hasFfmpeg && 'ffmpeg/ffprobe not found';
/** What the first test measured, for the bound's own test. */
let measured;

test('a 4 GiB MP4 trims past the 4 GiB mark (re-encoded head, co64 offsets) and ffmpeg agrees', {
  skip,
}, async () => {
  const size = fs.statSync(big).size;
  assert.ok(size > 2 ** 32, `big.mp4 is ${size} bytes, not over 4 GiB`);
  const { list, start: fileStart } = videoPackets(big);
  // An in-point a few frames after the first keyframe stored past 4 GiB (so no keyframe), and
  // 10 s of output: some 150 MB of packets through co64 offsets. Long enough that the re-encoded
  // head is not most of it: memory must follow the head, not the output.
  const k = list.findIndex((p) => p.key && p.pos > 2 ** 32);
  assert.ok(k > 0 && k + 320 < list.length, 'a keyframe past 4 GiB with 11 s after it');
  const i = k + 5;
  assert.ok(!list[i].key);
  const t0 = list[0].t;
  const start = Number(((list[i].t + list[i + 1].t) / 2 - t0).toFixed(4));
  const end = Number((start + 10).toFixed(4));
  const want = m.expectedCut(list, start, end);

  // A disk-backed File: Playwright hands Chromium the path, the page never holds the bytes.
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'big';
    document.body.append(input);
  });
  await page.setInputFiles('#big', big);
  const info = await page.evaluate(() =>
    window.outtake.probe(document.getElementById('big').files[0]),
  );
  assert.equal(
    info.tracks.find((t) => t.kind === 'video').keyframes[0],
    0,
    'the first keyframe counts as 0',
  );

  // Baseline after the worker has started and probed the file once; then the trim alone.
  await new Promise((r) => setTimeout(r, 1000));
  const before = browserRss();
  const baseline = total(before);
  const sampler = sampleRss();
  // The sampler is stopped whatever happens: its timer would keep this file's process alive.
  const r = await page
    .evaluate(
      async ({ start, end }) => {
        const file = document.getElementById('big').files[0];
        const t = performance.now();
        window.trimmed = await window.outtake.trim(file, { start, end });
        return { ms: performance.now() - t, size: window.trimmed.size };
      },
      { start, end },
    )
    .finally(() => sampler.stop());
  const { max: peak, count, each } = sampler.stop();
  // The worker's wasm memory, for the record: the glue's init returns the live instance.
  const worker = page.workers()[0];
  const wasmBytes = await worker
    ?.evaluate(async () => {
      const glue = await import(new URL('wasm/outtake.js', self.location.href));
      return (await glue.default()).memory.buffer.byteLength;
    })
    .catch(() => undefined);
  const cut = await page.evaluate(
    ({ start, end }) =>
      window.outtake.cutPoints(document.getElementById('big').files[0], { start, end }),
    { start, end },
  );

  const bound = 2 * r.size + 64 * MB;
  const f = (x) => (x / MB).toFixed(1);
  const grew = Object.entries(each)
    .filter(([k, v]) => v - (before[k] ?? 0) > 2 * MB)
    .map(([k, v]) => `${k.split(' ')[0]} +${f(v - (before[k] ?? 0))}`);
  console.log(
    `# browser: ${size} byte input, [${start}, ${end}) s -> ${r.size} bytes in ${r.ms.toFixed(0)} ms; ` +
      `RSS of ${Object.keys(before).length} Chromium processes: baseline ${f(baseline)} MB, peak ${f(peak)} MB (${count} samples), ` +
      `+${f(peak - baseline)} MB (bound ${f(bound)} MB; peaks: ${grew.join(', ')} MB); worker wasm memory ${wasmBytes === undefined ? '?' : `${f(wasmBytes)} MB`}`,
  );
  measured = { grew: peak - baseline, bound, size: r.size };
  assert.ok(r.size > 16 * MB, `the output (${r.size} bytes) should be tens of MB`);

  // The output leaves as a download, streamed from the browser's blob store to disk.
  const out = path.join(tmp, 'big-scale.mp4');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(() => {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(window.trimmed);
      a.download = 'big-scale.mp4';
      a.click();
    }),
  ]);
  await download.saveAs(out);
  assert.equal(fs.statSync(out).size, r.size, 'the download is the whole output');

  const video = cut.tracks.find((t) => t.kind === 'video');
  assert.ok(video.framesReencoded > 0, 'the head is re-encoded');
  assert.equal(video.framesTotal, want.count, "cutPoints' frame count");
  assert.equal(m.decodeErrors(out), '', 'ffmpeg decodes the output without a message');
  const got = m.frameHashes(out);
  assert.equal(got.length, want.count, 'frame count');
  // Copied frames are the source's, bit for bit: ffmpeg's input seek (half a frame early, from
  // the file's start) decodes the source from the keyframe before and drops what precedes.
  const from = list[want.first].t - fileStart - want.frame / 2;
  const source = m.frameHashes(big, { from, count: want.count });
  const same = got.filter((h, j) => h === source[j]).length;
  assert.equal(same, video.framesCopied, 'frames identical to the source = frames copied');
  assert.deepEqual(
    got.slice(video.framesReencoded),
    source.slice(video.framesReencoded),
    'the copied frames are the tail',
  );
  console.log(
    `# browser: ${got.length} frames (${video.framesReencoded} re-encoded, ${same} copied), decodes cleanly`,
  );
});

// Copied packets leave as slices of the input File (BlobSink), so the renderer holds the
// re-encoded head, the headers and the codecs' buffers, not the output. (Before slicing, a 2.5 s
// cut grew Chromium by ~3.5 × its 34 MB output, +120..138 MB; a copy through memory breaks this.)
test('…within twice the output plus 64 MB of Chromium RSS', { skip }, () => {
  assert.ok(measured, 'the trim above ran');
  assert.ok(
    measured.grew <= measured.bound,
    `Chromium's RSS grew by ${(measured.grew / MB).toFixed(1)} MB, over 2 × ${(measured.size / MB).toFixed(1)} + 64 MB`,
  );
});
