// Trim, two cases made here with ffmpeg and cached: [10.5 s, 40.5 s) of a 60 s 1080p30 x264 clip
// (GOP 60, 3 B-frames) + AAC 128k, and [10.5 s, 20.5 s) of a 30 s 720p30 VP9 + Opus WebM (GOP 60).
// outtake and mediabunny run in the same page (benches/pages/trim.js);
// every output is checked with ffprobe/ffmpeg: frame count, and which source frames its first and
// last frames are (the best match, by pixels, among the source frames around the expected ones).
// ffmpeg.wasm 0.12 (single-thread core, served beside the page) runs in that page too: `-c copy` and
// a fast re-encode (libx264 ultrafast; for WebM libvpx VP8 and libvpx-vp9, realtime), timed from
// the input Blob to the output bytes (MEMFS write and read included), its core load reported apart.
// A peer that fails keeps its row, with the error in place of the time.
import fs from 'node:fs';
import path from 'node:path';
import { runInBrowser } from './lib/browser.mjs';
import { cachedMedia, ffmpegCore, grayFrames } from './lib/bench-media.mjs';
import * as m from '../tests/helpers/media.mjs';

export const name = 'trim';
export const title = 'Trim: 30 s of 1080p H.264 + AAC (MP4), 10 s of 720p VP9 + Opus (WebM)';

export const CASES = [
  {
    label: '1080p30 H.264 + AAC, [10.5, 40.5) of 60 s',
    file: 'trim-60s-1080p30-x264-bf3-g60-aac.mp4',
    container: 'mp4',
    start: 10.5,
    end: 40.5,
    make: [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1920x1080:rate=30:duration=60',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000:duration=60',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv420p',
      '-bf',
      '3',
      '-g',
      '60',
      '-keyint_min',
      '60',
      '-sc_threshold',
      '0',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
    ],
  },
  {
    label: '720p30 VP9 + Opus, [10.5, 20.5) of 30 s',
    file: 'trim-30s-720p30-vp9-g60-opus.webm',
    container: 'webm',
    start: 10.5,
    end: 20.5,
    make: [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1280x720:rate=30:duration=30',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000:duration=30',
      '-c:v',
      'libvpx-vp9',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-row-mt',
      '1',
      '-b:v',
      '2M',
      '-g',
      '60',
      '-keyint_min',
      '60',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'libopus',
      '-b:a',
      '96k',
    ],
  },
];

/** A case's clip, made with ffmpeg the first time (target/bench-media). */
export function clip(root, c) {
  return cachedMedia(root, c.file, c.make);
}

const W = 192;
const H = 108;

/** Frames `pick` (presentation indices; negative counts from the end) of `file`, small and gray. */
function thumbs(file, pick) {
  const all = grayFrames(file, W, H);
  const n = all.length;
  return pick.map((i) => all[(i + n) % n]);
}

function mse(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/** One case: trims in the page, checks each output with ffmpeg; rows for the table. */
async function runCase(root, c) {
  const src = clip(root, c);
  const frames = m.frames(src);
  const want = m.expectedCut(frames, c.start, c.end);
  const around = (i) => [i - 2, i - 1, i, i + 1, i + 2];
  const candidates = [...around(want.first), ...around(want.last)];
  const ref = thumbs(src, candidates);
  /** Which source frame an output frame is: the candidate with the least difference. */
  const which = (thumb, base) =>
    candidates.slice(base, base + 5)[
      ref
        .slice(base, base + 5)
        .map((r) => mse(thumb, r))
        .reduce((best, x, i, all) => (x < all[best] ? i : best), 0)
    ];
  const dir = path.join(root, 'target/bench-media');
  const spec = path.join(dir, `case-${c.container}.json`);
  fs.writeFileSync(spec, JSON.stringify({ start: c.start, end: c.end, container: c.container }));
  // Re-encoding in wasm is slow (libx264 ultrafast alone: 20–50 s on 2 busy cores): allow 15 minutes.
  const result = await runInBrowser(path.join(root, 'benches/pages/trim.js'), {
    files: { [`clip.${c.container}`]: src, 'case.json': spec, ...ffmpegCore(root) },
    timeoutMs: 900_000,
  });
  const rows = [];
  const times = {};
  for (const [peer, r] of Object.entries(result.rows)) {
    if (r.error) {
      const error = r.error.replace(/\s+/g, ' ').slice(0, 300).replace(/\|/g, '\\|');
      rows.push([c.label, peer, `failed: ${error}`, '—', '—', 'no', '—', '—']);
      continue;
    }
    const out = path.join(dir, `out-${c.container}-${peer.replace(/\W+/g, '-')}.${c.container}`);
    fs.writeFileSync(out, Buffer.from(r.b64, 'base64'));
    const count = m.frameHashes(out).length;
    const [first, last] = thumbs(out, [0, -1]);
    const f = which(first, 0);
    const l = which(last, 5);
    const exact = count === want.count && f === want.first && l === want.last;
    const errors = m.decodeErrors(out).trim().split('\n').filter(Boolean).length;
    times[peer] = r.ms;
    // The match only looks 2 frames either side: an output whose frame count does not fit its first
    // and last frames starts (or ends) farther off, e.g. at a keyframe well before the in-point.
    const span =
      count === l - f + 1 ? `${f}–${l}` : `${f}–${l}, but ${count} frames: one end is outside ±2`;
    rows.push([
      c.label,
      peer,
      `${(r.ms / 1000).toFixed(2)} s`,
      `${count} (want ${want.count})`,
      `${span} (want ${want.first}–${want.last})`,
      exact ? 'yes' : 'no',
      String(errors),
      `${(fs.statSync(out).size / 1e6).toFixed(1)} MB`,
    ]);
  }
  return { rows, times, ffmpegLoadMs: result.ffmpegLoadMs };
}

export async function run({ root }) {
  const rows = [];
  const ratios = [];
  const loads = [];
  for (const c of CASES) {
    const r = await runCase(root, c);
    rows.push(...r.rows);
    const exactPeer = r.times['mediabunny (forced transcode)'];
    ratios.push(
      `${c.container.toUpperCase()}: outtake takes ${((100 * r.times.outtake) / exactPeer).toFixed(0)}% of mediabunny's exact (transcode) time`,
    );
    if (r.ffmpegLoadMs !== undefined) loads.push(`${(r.ffmpegLoadMs / 1000).toFixed(2)} s`);
  }
  return {
    header: [
      'clip and range',
      'peer',
      'time (median)',
      'frames',
      'source frames',
      'exact',
      'ffmpeg decode messages',
      'size',
    ],
    rows,
    note:
      `Exact = right frame count, and the first and last output frames are the source frames the cut asks for. ${ratios.join('; ')} ` +
      '(goals: ≤1.5 s on the 1080p clip; ≤25% of the transcode time on WebM). ' +
      'ffmpeg.wasm: @ffmpeg/ffmpeg 0.12.15 with the single-thread @ffmpeg/core 0.12.10 (32 MB wasm; its encoders include libx264 and libvpx-vp9), ' +
      'commands `-ss START -to END -i IN -c copy OUT` and `-ss START -to END -i IN -c:v libx264 -preset ultrafast -c:a copy OUT` ' +
      '(WebM: `-c:v libvpx -deadline realtime -cpu-used 8 -b:v 2M -c:a copy`, and the same with libvpx-vp9, which this core has but which crashes ' +
      'in a fresh instance with "memory access out of bounds" at every setting tried, even at 320×180 (ffmpegwasm/ffmpeg.wasm#679), ' +
      'and after the runs above with a memory allocation error); ' +
      'its times run from the input Blob to the output bytes ' +
      `(MEMFS write and read included; -c copy: median of 3 after a warm-up, re-encodes: one run) and leave out loading the core (${loads.join(', ') || 'not loaded'} from loopback).`,
  };
}
