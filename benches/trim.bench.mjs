// Trim: [10.5 s, 40.5 s) of a 60 s 1080p30 x264 clip (GOP 60, 3 B-frames) + AAC 128k, made here
// with ffmpeg and cached. outtake and mediabunny run in the same page (benches/pages/trim.js);
// every output is checked with ffprobe/ffmpeg: frame count, and which source frames its first and
// last frames are (the best match, by pixels, among the source frames around the expected ones).
// ffmpeg.wasm (installed with the peers) is not measured yet: wiring its core and worker into the
// bundled page is still to do.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runInBrowser } from './lib/browser.mjs';
import * as m from '../tests/helpers/media.mjs';

export const name = 'trim';
export const title = 'Trim: [10.5 s, 40.5 s) of 60 s 1080p30 H.264 (GOP 60, 3 B-frames) + AAC';

const START = 10.5;
const END = 40.5;

function clip(root) {
  const dir = path.join(root, 'target/bench-media');
  const file = path.join(dir, 'trim-60s-1080p30-x264-bf3-g60-aac.mp4');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    console.log('bench: making the 60 s 1080p clip (once, cached in target/bench-media)');
    execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30:duration=60', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=60',
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-bf', '3', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
      '-c:a', 'aac', '-b:a', '128k', `${file}.tmp.mp4`]);
    fs.renameSync(`${file}.tmp.mp4`, file);
  }
  return file;
}

const W = 192;
const H = 108;

/** Frames `pick` (presentation indices; negative counts from the end) of `file`, small and gray. */
function thumbs(file, pick) {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v:0', '-vf', `scale=${W}:${H},format=gray`, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-'], { maxBuffer: 1 << 30 });
  const n = raw.length / (W * H);
  return pick.map((i) => raw.subarray(((i + n) % n) * W * H, ((i + n) % n + 1) * W * H));
}

function mse(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

export async function run({ root }) {
  const src = clip(root);
  const frames = m.frames(src);
  const want = m.expectedCut(frames, START, END);
  const around = (i) => [i - 2, i - 1, i, i + 1, i + 2];
  const candidates = [...around(want.first), ...around(want.last)];
  const ref = thumbs(src, candidates);
  /** Which source frame an output frame is: the candidate with the least difference. */
  const which = (thumb, base) => candidates.slice(base, base + 5)[ref.slice(base, base + 5).map((r) => mse(thumb, r)).reduce((best, x, i, all) => (x < all[best] ? i : best), 0)];
  const result = await runInBrowser(path.join(root, 'benches/pages/trim.js'), { files: { 'clip.mp4': src } });
  const dir = path.join(root, 'target/bench-media');
  const rows = [];
  for (const [peer, r] of Object.entries(result.rows)) {
    const out = path.join(dir, `out-${peer.replace(/\W+/g, '-')}.mp4`);
    fs.writeFileSync(out, Buffer.from(r.b64, 'base64'));
    const count = m.frameHashes(out).length;
    const [first, last] = thumbs(out, [0, -1]);
    const f = which(first, 0);
    const l = which(last, 5);
    const exact = count === want.count && f === want.first && l === want.last;
    const errors = m.decodeErrors(out).trim().split('\n').filter(Boolean).length;
    rows.push([peer, `${(r.ms / 1000).toFixed(2)} s`, String(count), `${f}–${l}`, exact ? 'yes' : 'no', String(errors), `${(fs.statSync(out).size / 1e6).toFixed(1)} MB`]);
  }
  return {
    header: ['peer', 'time (median)', `frames (want ${want.count})`, `source frames (want ${want.first}–${want.last})`, 'exact', 'ffmpeg decode messages', 'size'],
    rows,
    note: 'Exact = right frame count, and the first and last output frames are the source frames the cut asks for. ffmpeg.wasm is not measured yet.',
  };
}
