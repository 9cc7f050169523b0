// Media helpers of the trim tests: the generated fixtures (the same cache as the native media
// tests: target/fixtures/media-<FNV-1a of make-media.sh>), the shared outside files, and what
// ffprobe/ffmpeg say about a file, parsed into plain data.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { sharedPath } from './shared.mjs';

export const ROOT = path.resolve(new URL('../../', import.meta.url).pathname);

export function haveFfmpeg() {
  const ok = (c) => spawnSync(c, ['-version']).status === 0;
  return ok('ffmpeg') && ok('ffprobe');
}

/** The fixtures directory, generating it on first use (as tests/media_support does). */
export function fixturesDir() {
  return generated('make-media.sh', 'media');
}

/** The shot-change clips and truth.json (tests/fixtures/make-shots.sh), as tests/shots.rs has them. */
export function shotsDir() {
  return generated('make-shots.sh', 'shots');
}

/** big.mp4 (over 4 GiB) of the scale tests, shared with tests/media_scale.rs. */
export function scaleFixture() {
  return path.join(generated('make-scale.sh', 'scale'), 'big.mp4');
}

/** target/fixtures/<prefix>-<FNV-1a of the script>, made by tests/fixtures/<script> if absent. */
function generated(name, prefix) {
  const script = path.join(ROOT, 'tests/fixtures', name);
  let h = 0xcbf29ce484222325n;
  for (const b of fs.readFileSync(script))
    h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  const dir = path.join(ROOT, `target/fixtures/${prefix}-${h.toString(16).padStart(16, '0')}`);
  if (!fs.existsSync(path.join(dir, '.done'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    try {
      execFileSync('bash', [script, tmp], { stdio: 'inherit' });
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true }); // gigabytes, for the scale fixture
      throw e;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  return dir;
}

/** A file of ../shared/media/mediabunny, or null (with a message) when absent. */
export function shared(name) {
  const p = sharedPath(`media/mediabunny/${name}`);
  if (!p) console.log(`SKIP: ../shared/media/mediabunny/${name} absent or hidden`);
  return p;
}

function ffprobeJson(args) {
  return JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-of', 'json', ...args], {
      maxBuffer: 64 << 20,
    }).toString(),
  );
}

const rate = (s) => {
  const [n, d] = s.split('/').map(Number);
  return n / d;
};

/** Streams of a file: [{index, type, codec, timeBase, startTime, duration}]. */
export function streams(file) {
  return ffprobeJson(['-show_streams', '-show_format', file]).streams.map((s) => ({
    index: s.index,
    type: s.codec_type,
    codec: s.codec_name,
    timeBase: rate(s.time_base),
    startTime: Number(s.start_time),
    duration: Number(s.duration),
    sampleRate: Number(s.sample_rate || 0),
  }));
}

export function formatDuration(file) {
  return Number(ffprobeJson(['-show_format', file]).format.duration);
}

/** Decoded video frames of the first video stream in presentation order: [{t, d}] in seconds. */
export function frames(file) {
  const v = ffprobeJson([
    '-select_streams',
    'v:0',
    '-show_frames',
    '-show_entries',
    'frame=pts,best_effort_timestamp,duration,pkt_duration',
    '-show_streams',
    file,
  ]);
  const tb = rate(v.streams[0].time_base);
  return v.frames.map((f) => ({
    t: (f.pts ?? f.best_effort_timestamp) * tb,
    d: (f.duration ?? f.pkt_duration ?? 0) * tb,
  }));
}

/**
 * Decoded audio frames of audio stream `n` (the first by default): [{t, d}] in seconds. Decoded, not packets:
 * the decoder drops pre-roll (Opus pre-skip, CodecDelay), so the first frame is what is heard.
 */
export function audioFrames(file, n = 0) {
  const v = ffprobeJson([
    '-select_streams',
    `a:${n}`,
    '-show_frames',
    '-show_entries',
    'frame=pts,duration,pkt_duration,nb_samples',
    '-show_streams',
    file,
  ]);
  if (!v.streams.length) return [];
  const tb = rate(v.streams[0].time_base);
  return v.frames.map((f) => ({ t: f.pts * tb, d: (f.duration ?? f.pkt_duration) * tb }));
}

/**
 * libvpx decodes VP9's alpha (the BlockAdditions), ffmpeg's own VP9 decoder ignores it: with
 * `alpha`, decode with libvpx and keep only the alpha plane.
 */
function alphaInput(file, alpha) {
  return alpha ? ['-c:v', 'libvpx-vp9', '-i', file, '-vf', 'alphaextract'] : ['-i', file];
}

/**
 * framemd5 hashes of the first video stream's frames (or their alpha), in presentation order;
 * `from` seeks the input to that many seconds first, `count` stops after that many frames.
 */
export function frameHashes(file, { alpha = false, from, count } = {}) {
  const seek = from === undefined ? [] : ['-ss', from.toFixed(6)];
  const limit = count === undefined ? [] : ['-frames:v', String(count)];
  const out = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      ...seek,
      ...alphaInput(file, alpha),
      '-map',
      '0:v:0',
      ...limit,
      '-fps_mode',
      'passthrough',
      '-f',
      'framemd5',
      '-',
    ],
    { maxBuffer: 64 << 20 },
  ).toString();
  return out
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').pop().trim());
}

/** What ffmpeg prints decoding the whole file at -v error (nothing for a clean file). */
export function decodeErrors(file) {
  // NOTE: passthrough timing in the stream's own time base, or ffmpeg's null muxer complains
  // about VFR sources (cursed-vfr.mp4 itself) whose frames are closer than 1/average-rate.
  const args = [
    '-v',
    'error',
    '-i',
    file,
    '-fps_mode',
    'passthrough',
    '-enc_time_base',
    '-1',
    '-f',
    'null',
    '-',
  ];
  return spawnSync('ffmpeg', args).stderr.toString();
}

/**
 * Per-frame PSNR (dB, `Infinity` for identical frames) of `file`'s video against source frames
 * `first..first+count-1` (presentation order) of `source`.
 */
export function psnr(file, source, first, count, tmpDir, { alpha = false } = {}) {
  const stats = path.join(tmpDir, `psnr-${process.pid}-${Date.now()}.log`);
  const plane = alpha ? 'alphaextract,' : '';
  // Frames pair by index (time N s on both sides): by timestamp, a millisecond time base (Matroska)
  // against the source's would pair some frames with their neighbours.
  const graph =
    `[1:v]${plane}trim=start_frame=${first}:end_frame=${first + count},setpts=N/TB[ref];` +
    `[0:v]${plane}setpts=N/TB[out];[out][ref]psnr=stats_file=${stats}`;
  const input = (f) => (alpha ? ['-c:v', 'libvpx-vp9', '-i', f] : ['-i', f]);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    ...input(file),
    ...input(source),
    '-lavfi',
    graph,
    '-fps_mode',
    'passthrough',
    '-f',
    'null',
    '-',
  ]);
  const values = fs
    .readFileSync(stats, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /psnr_avg:(\S+)/.exec(l);
      return m[1] === 'inf' ? Infinity : Number(m[1]);
    });
  fs.rmSync(stats, { force: true });
  return values;
}

/**
 * The frames on screen in [start, end) by the plan's rule, from ffprobe's frame list: the frame
 * showing at `start` first, the last frame starting before `end` last (times from the first
 * frame). Independent of the planner.
 */
export function expectedCut(list, start, end = Infinity) {
  const t0 = list[0].t;
  const rel = list.map((f) => f.t - t0);
  const eps = 1e-7;
  let first = 0;
  rel.forEach((x, i) => {
    if (x <= start + eps) first = i;
  });
  let last = -1;
  rel.forEach((x, i) => {
    if (x < end - eps) last = i;
  });
  const endOf = (i) =>
    i + 1 < rel.length ? rel[i + 1] : rel[i] + (list[i].d || rel[i] - rel[i - 1]);
  return {
    first,
    last,
    count: last - first + 1,
    duration: endOf(last) - rel[first],
    frame: rel[1] - rel[0],
  };
}

// What the render tests and benchmark measure on an output: its audio against the source's, the
// PSNR of its frames, its edit lists, and mid-frame times to cut at.

/** The sample rate at which `pcm` and `lagOf` work. */
export const PCM_RATE = 48000;

/** Mono PCM of a file's first audio stream at PCM_RATE, from its first presented sample. */
export function pcm(file) {
  const buf = execFileSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-i', file, '-map', '0:a:0', '-ac', '1'],
      ...['-ar', String(PCM_RATE), '-f', 'f32le', '-'],
    ],
    { maxBuffer: 1 << 30 },
  );
  return new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
}

/**
 * The lag (seconds) at which `out` from `at` best matches `src` from `srcAt` over `len`
 * seconds, searched within ±`range` s: positive when the output's sound comes late. Both are
 * `pcm` arrays; the audio must not be periodic (noise, chirps), or the peak is not unique.
 */
export function lagOf(out, at, src, srcAt, len = 0.25, range = 0.06) {
  const n = Math.round(len * PCM_RATE);
  const a = Math.round(at * PCM_RATE);
  const b = Math.round(srcAt * PCM_RATE);
  const r = Math.round(range * PCM_RATE);
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
  return lag / PCM_RATE;
}

/**
 * Per-frame PSNR of output frames [at, at+n) against source frames [first, first+n), the source
 * first put through `filter` (an ffmpeg filter, such as the scaling and padding of a letterboxed
 * segment) when given. `tmpDir` holds ffmpeg's stats file.
 */
export function psnrFrames(out, src, at, first, n, tmpDir, filter = 'null') {
  const stats = path.join(tmpDir, `psnr-${process.pid}-${Date.now()}.log`);
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

/** A mid-frame time between frames i and i+1 of a `frames` list (from the first frame). */
export function between(list, i) {
  return Number(((list[i].t + list[i + 1].t) / 2 - list[0].t).toFixed(4));
}
