// outtake's sync in headless Chromium, for benches/sync.bench.mjs: every corpus case from its
// audio.mp4 as a Blob through the built package's `syncCaptions` (one browser for the whole
// corpus), and the speed and memory of a 2-hour AAC file: speech detection alone (×real time),
// the whole `syncCaptions` from the Blob (seconds), and the memory it adds (peak RSS of the
// Chromium it started over the baseline with the Blob already loaded, and the worker's wasm memory).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve } from '../../scripts/static-server.mjs';
import { launch } from '../../tests/helpers/browser.mjs';

/** Opens tests/e2e/api.html (the built package, no bundler) with `corpus/` routed to `dir`. */
async function open(root, dir) {
  const { server, url } = await serve(root);
  const browser = await launch();
  const page = await browser.page();
  if (dir) {
    await page.route(`${url}corpus/**`, (route) => {
      const rel = decodeURIComponent(new URL(route.request().url()).pathname.slice(8));
      route.fulfill({ path: path.join(dir, rel) });
    });
  }
  await page.goto(`${url}tests/e2e/api.html`);
  await page.waitForFunction(() => window.outtakeReady === true);
  return {
    page,
    url,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** Whether the package is built (scripts/build.sh) with the Blob form of syncCaptions. */
export function chromiumReady(root) {
  const dts = path.join(root, 'pkg/index.d.ts');
  return (
    fs.existsSync(path.join(root, 'pkg/wasm/outtake_bg.wasm')) &&
    fs.existsSync(dts) &&
    /media: Blob \| Pcm \| null/.test(fs.readFileSync(dts, 'utf8'))
  );
}

/**
 * Syncs every case in Chromium, writing `out.srt` and `run.json` ({seconds, error}) into
 * `outDirOf(case)` as the CLI tools' runs do; with `reuse`, cases already run are skipped.
 */
export async function runChromium(root, corpusDir, cases, outDirOf, reuse) {
  const todo = cases.filter((c) => !(reuse && fs.existsSync(path.join(outDirOf(c), 'run.json'))));
  if (!todo.length) return;
  const b = await open(root, corpusDir);
  try {
    for (const c of todo) {
      const out = outDirOf(c);
      fs.rmSync(out, { recursive: true, force: true });
      fs.mkdirSync(out, { recursive: true });
      const r = await b.page.evaluate(async (name) => {
        const o = window.outtake;
        const t0 = performance.now();
        try {
          const blob = await (await fetch(`/corpus/${name}/audio.mp4`)).blob();
          const input = await (await fetch(`/corpus/${name}/input.srt`)).text();
          const { captions, report } = await o.syncCaptions(input, blob);
          const { text } = await o.serializeCaptions(captions, 'srt');
          return { seconds: (performance.now() - t0) / 1000, text, report, error: null };
        } catch (e) {
          return { seconds: (performance.now() - t0) / 1000, error: `${e.code}: ${e.message}` };
        }
      }, c.case);
      if (r.text !== undefined) fs.writeFileSync(path.join(out, 'out.srt'), r.text);
      if (r.report) fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify(r.report));
      fs.writeFileSync(
        path.join(out, 'run.json'),
        JSON.stringify({ seconds: r.seconds, error: r.error }),
      );
    }
  } finally {
    await b.close();
  }
}

/**
 * Resident memory (bytes) of the Chromium this process started: every descendant of this node
 * process (the browser, its renderer with the page and the worker, the GPU and utility
 * processes). NOTE: descendants, not every `chromium` on the machine: other tests' browsers come
 * and go meanwhile.
 */
function chromiumRss() {
  const parent = new Map();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // The parent is the 2nd field after the command name, which is in parentheses.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const mine = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++)
      if (p === process.pid) return pid !== process.pid;
    return false;
  };
  let total = 0;
  for (const pid of parent.keys()) {
    if (!mine(pid)) continue;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {}
  }
  return total;
}

/** The long file (2 hours of 48 kHz stereo AAC at 128 kb/s: the test speech looped). */
function longFile(root, speechWav) {
  const dir = path.join(root, 'target/sync-2h');
  const file = path.join(dir, '2h.mp4');
  if (!fs.existsSync(path.join(dir, '.done'))) {
    console.log('sync bench: encoding 2 hours of AAC (a few minutes, once)');
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('ffmpeg', [
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-stream_loop',
      '-1',
      '-i',
      speechWav,
      '-t',
      '7200',
      '-ac',
      '2',
      '-ar',
      '48000',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      file,
    ]);
    fs.writeFileSync(path.join(dir, '.done'), '');
  }
  return file;
}

/**
 * Speed and memory on 2 hours of AAC: {detectXRealTime, syncSeconds, rssAddedMB, wasmMB,
 * report}. `speech` is tests/helpers/speech.mjs's programme (the loop and its captions).
 */
export async function measureLong(root, speech) {
  const file = longFile(root, speech.wav);
  const loops = Math.ceil(7200 / speech.duration);
  // The captions of every loop, 3.1 s late.
  const cues = [];
  for (let k = 0; k < loops; k++)
    for (const c of speech.cues) {
      const start = c.start + k * speech.duration + 3.1;
      if (start < 7199) cues.push({ ...c, start, end: c.end + k * speech.duration + 3.1 });
    }
  const { srt } = await import('../../tests/helpers/speech.mjs');
  const b = await open(root);
  try {
    // Detection alone: 10 minutes of the speech as 16 kHz PCM (the VAD's rate: no resampling),
    // best of two (the machine is shared).
    const detect = await b.page.evaluate(
      async (wav) => {
        const o = window.outtake;
        const bytes = new DataView(await (await fetch(wav)).arrayBuffer());
        const n = (bytes.byteLength - 44) / 2;
        const pcm22 = new Float32Array(n);
        for (let i = 0; i < n; i++) pcm22[i] = bytes.getInt16(44 + i * 2, true) / 32768;
        const seconds = 600;
        const pcm = new Float32Array(16000 * seconds);
        // Nearest-sample 22.05 → 16 kHz is enough for timing the detector.
        for (let i = 0; i < pcm.length; i++) pcm[i] = pcm22[Math.floor((i * 22050) / 16000) % n];
        let best = Infinity;
        for (let k = 0; k < 2; k++) {
          const t0 = performance.now();
          await o.speechActivity({ pcm, sampleRate: 16000 });
          best = Math.min(best, performance.now() - t0);
        }
        return { seconds, ms: best };
      },
      `/${path.relative(root, speech.wav)}`,
    );

    await b.page.evaluate(
      async (src) => {
        window.__long = await (await fetch(src)).blob();
        // Start the worker and its wasm before the baseline, as an app would have.
        await window.outtake.speechActivity({ pcm: new Float32Array(16000), sampleRate: 16000 });
      },
      `/${path.relative(root, file)}`,
    );
    await new Promise((r) => setTimeout(r, 500));
    const base = chromiumRss();
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, chromiumRss());
    }, 100);
    const r = await b.page.evaluate(async (text) => {
      const t0 = performance.now();
      const progress = [];
      const { report } = await window.outtake.syncCaptions(text, window.__long, {
        onProgress: (f) => progress.push(f),
      });
      return { ms: performance.now() - t0, report, progressReports: progress.length };
    }, srt(cues));
    clearInterval(sampler);
    peak = Math.max(peak, chromiumRss());
    // The worker's wasm memory only grows, so its size now is its peak during the call.
    const wasmBytes = await wasmMemory(b.page);
    return {
      detectXRealTime: detect.seconds / (detect.ms / 1000),
      syncSeconds: r.ms / 1000,
      rssAddedMB: (peak - base) / 2 ** 20,
      wasmMB: wasmBytes === null ? null : wasmBytes / 2 ** 20,
      cues: cues.length,
      report: r.report,
      progressReports: r.progressReports,
      fileMB: fs.statSync(file).size / 2 ** 20,
    };
  } finally {
    await b.close();
  }
}

/** The byte length of the worker's wasm memory, asked of the worker itself (null if none). */
async function wasmMemory(page) {
  const worker = page.workers().find((w) => w.url().endsWith('/pkg/worker.js'));
  if (!worker) return null;
  return worker.evaluate(async () => {
    // The glue's init returns the instance's exports when it is already initialised.
    const glue = await import('/pkg/wasm/outtake.js');
    const exports = await glue.default();
    return exports.memory.buffer.byteLength;
  });
}
