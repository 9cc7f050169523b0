// What the render e2e tests share: a render run in the API page (output, progress, playback in
// <video>), the output's and the source's audio as PCM, the A/V lag between them by
// correlation, per-frame PSNR, and the edit list entry counts of an MP4.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const RATE = 48000;

/**
 * Renders `segments` ([start, end, source]) of `files` (id -> path) in the page with `options`
 * (beyond sources); returns {out, type, progress, play, ms}, the output written to `dir/name`,
 * or {error: {code, message}} when the render fails.
 */
export async function renderInPage(api, dir, segments, name, files, options = {}) {
  const r = await api.page.evaluate(
    async ({ srcs, segments, options }) => {
      const o = window.outtake;
      const sources = {};
      for (const [id, src] of Object.entries(srcs)) sources[id] = await (await fetch(src)).blob();
      const progress = [];
      const t0 = performance.now();
      let out;
      try {
        out = await o.render(
          { segments: segments.map(([start, end, source]) => ({ source, start, end })) },
          { sources, onProgress: (f) => progress.push(f), ...options },
        );
      } catch (e) {
        return { error: { code: e.code, message: e.message } };
      }
      const ms = performance.now() - t0;
      const bytes = new Uint8Array(await out.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const v = document.createElement('video');
      v.muted = true;
      v.src = URL.createObjectURL(out);
      const play = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ error: 'timeout' }), 20000);
        v.onerror = () => {
          clearTimeout(timer);
          resolve({ error: v.error?.message });
        };
        v.requestVideoFrameCallback((_now, meta) => {
          const first = meta.mediaTime;
          v.onended = () => {
            clearTimeout(timer);
            resolve({ first, ended: true, duration: v.duration });
          };
          v.playbackRate = 4;
          v.play().catch((e) => resolve({ error: String(e) }));
        });
        v.preload = 'auto';
      });
      URL.revokeObjectURL(v.src);
      return { b64: btoa(bin), type: out.type, progress, play, ms };
    },
    {
      srcs: Object.fromEntries(Object.entries(files).map(([id, f]) => [id, api.urlOf(f)])),
      segments,
      options,
    },
  );
  if (r.error) return r;
  const ext = { 'video/mp4': 'mp4', 'video/webm': 'webm' }[r.type] ?? 'mkv';
  const out = path.join(dir, `${name}.${ext}`);
  fs.writeFileSync(out, Buffer.from(r.b64, 'base64'));
  return { ...r, out };
}

/** Mono PCM of a file's first audio stream at RATE, from its first presented sample. */
export function pcm(file) {
  const buf = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-map', '0:a:0', '-ac', '1', '-ar', String(RATE)].concat([
      '-f',
      'f32le',
      '-',
    ]),
    { maxBuffer: 256 << 20 },
  );
  return new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
}

/**
 * The lag (seconds) at which `out` from `at` best matches `src` from `srcAt` over `len`
 * seconds, searched within ±`range` s: positive when the output's sound comes late.
 */
export function lagOf(out, at, src, srcAt, len = 0.25, range = 0.06) {
  const n = Math.round(len * RATE);
  const a = Math.round(at * RATE);
  const b = Math.round(srcAt * RATE);
  const r = Math.round(range * RATE);
  let best = -Infinity;
  let lag = 0;
  for (let d = -r; d <= r; d++) {
    let sum = 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const x = out[a + i + d] ?? 0;
      sum += x * (src[b + i] ?? 0);
      e += x * x;
    }
    const c = sum / Math.sqrt(e || 1);
    if (c > best) {
      best = c;
      lag = d;
    }
  }
  return lag / RATE;
}

/**
 * Per-frame PSNR of output frames [at, at+n) against source frames [first, first+n), the
 * source first put through `filter` (an ffmpeg filter, such as a scaling) when given.
 */
export function psnrRange(dir, out, src, at, first, n, filter = 'null') {
  const stats = path.join(dir, `psnr-${process.pid}-${Date.now()}.log`);
  const graph =
    `[0:v]trim=start_frame=${at}:end_frame=${at + n},setpts=N/TB[out];` +
    `[1:v]${filter},trim=start_frame=${first}:end_frame=${first + n},setpts=N/TB[ref];` +
    `[out][ref]psnr=stats_file=${stats}`;
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-i', out, '-i', src, '-lavfi', graph],
    ...['-fps_mode', 'passthrough', '-f', 'null', '-'],
  ]);
  const values = fs
    .readFileSync(stats, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const v = /psnr_avg:(\S+)/.exec(l)[1];
      return v === 'inf' ? Infinity : Number(v);
    });
  fs.rmSync(stats, { force: true });
  return values;
}

/** The entry counts of every `elst` box of an MP4. */
export function editListEntries(file) {
  const b = fs.readFileSync(file);
  const counts = [];
  for (let i = 4; i + 12 <= b.length; i++)
    if (b.toString('latin1', i, i + 4) === 'elst') counts.push(b.readUInt32BE(i + 8));
  return counts;
}

/** A mid-frame time between frames i and i+1 of the source (from the first frame). */
export function between(list, i) {
  return Number(((list[i].t + list[i + 1].t) / 2 - list[0].t).toFixed(4));
}
