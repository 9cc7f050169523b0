// Render: a remix of three ranges of the trim benchmark's 1080p clip (the same recipe, with pink
// noise for sound so that A/V offsets can be measured) and a 10 s cameo from a 720p file, joined
// into one 1080p MP4. outtake, mediabunny and ffmpeg.wasm run in one page
// (benches/pages/render.js); every output is checked here with ffmpeg:
// - frames: each output frame is matched (by pixels, small and gray) against the source frames
//   around the one the timeline asks for; right when the best match is that frame;
// - the A/V offset after every joint and before its end, by correlating the output's sound with
//   the source's at the place the timeline puts it;
// - ffmpeg's decode messages.
import fs from 'node:fs';
import path from 'node:path';
import { runInBrowser } from './lib/browser.mjs';
import { cachedMedia, ffmpegCore, grayFrames } from './lib/bench-media.mjs';
import * as m from '../tests/helpers/media.mjs';

export const name = 'render';
export const title =
  'Render: three ranges of a 1080p H.264 + AAC clip and a 10 s 720p cameo, one MP4';

const noise = (seconds, seed) => [
  ...['-f', 'lavfi', '-i'],
  `anoisesrc=color=pink:amplitude=0.5:sample_rate=48000:duration=${seconds}:seed=${seed}`,
];
const x264 = (gop) => [
  ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-bf', '3'],
  ...['-g', `${gop}`, '-keyint_min', `${gop}`, '-sc_threshold', '0'],
  ...['-c:a', 'aac', '-b:a', '128k', '-shortest'],
];
const SOURCES = {
  clip: {
    file: 'render-60s-1080p30-x264-bf3-g60-aac-noise.mp4',
    make: ['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30:duration=60', ...noise(60, 1)],
    codec: x264(60),
  },
  cameo: {
    file: 'render-12s-720p30-x264-bf3-g30-aac-noise.mp4',
    make: ['-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=30:duration=12', ...noise(12, 2)],
    codec: x264(30),
  },
};
/** [source, first frame, last frame]: cut mid-frame, one range back in time, the cameo third. */
const RANGES = [
  ['clip', 165, 366],
  ['clip', 909, 1100],
  ['cameo', 30, 329],
  ['clip', 603, 776],
];
const OUTPUT = { width: 1920, height: 1080, bitrate: 8e6 };

const W = 160;
const H = 90;

/** Every frame of `file`'s video, W×H gray, in presentation order. */
const thumbs = (file) => grayFrames(file, W, H);

function mse(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/** How many of the output's frames are the source frames the timeline asks for. */
function framesRight(out, wants, src) {
  let at = 0;
  let right = 0;
  for (const w of wants) {
    const ref = src[w.source];
    for (let i = 0; i < w.count && at + i < out.length; i++) {
      const e = w.first + i;
      const near = [e - 2, e - 1, e, e + 1, e + 2].filter((j) => j >= 0 && j < ref.length);
      const d = near.map((j) => mse(out[at + i], ref[j]));
      if (near[d.indexOf(Math.min(...d))] === e) right++;
    }
    at += w.count;
  }
  return right;
}

/**
 * The worst A/V offset (seconds) after each joint and before each range's end: the output's
 * sound from where the range's first frame is shown, against the source's sound from that frame.
 */
function worstOffset(file, wants, pcms) {
  const out = m.pcm(file);
  const shown = m.frames(file);
  const aStart = m.streams(file).find((s) => s.type === 'audio')?.startTime ?? 0;
  let at = 0;
  let worst = 0;
  for (const w of wants) {
    if (at >= shown.length) break;
    const land = shown[at].t;
    const lag = (x) => m.lagOf(out, land + x - aStart, pcms[w.source], w.start + x, 0.1, 0.25);
    worst = Math.max(worst, Math.abs(lag(0.05)), Math.abs(lag(w.duration - 0.2)));
    at += w.count;
  }
  return worst;
}

export async function run({ root }) {
  const files = {};
  const lists = {};
  for (const [id, s] of Object.entries(SOURCES)) {
    files[id] = cachedMedia(root, s.file, [...s.make, ...s.codec]);
    lists[id] = m.frames(files[id]);
  }
  const segments = RANGES.map(([id, a, b]) => ({
    source: id,
    start: m.between(lists[id], a - 1),
    end: m.between(lists[id], b),
  }));
  // Each range's sound is measured from its first frame's time in the source.
  const wants = segments.map((s) => {
    const cut = m.expectedCut(lists[s.source], s.start, s.end);
    const list = lists[s.source];
    return { source: s.source, ...cut, start: list[cut.first].t - list[0].t };
  });
  const total = wants.reduce((n, w) => n + w.count, 0);
  const dir = path.join(root, 'target/bench-media');
  const spec = path.join(dir, 'render-case.json');
  fs.writeFileSync(spec, JSON.stringify({ sources: SOURCES, segments, output: OUTPUT }));
  const result = await runInBrowser(path.join(root, 'benches/pages/render.js'), {
    files: {
      'clip.mp4': files.clip,
      'cameo.mp4': files.cameo,
      'case.json': spec,
      ...ffmpegCore(root),
    },
    timeoutMs: 1_500_000,
  });
  const src = Object.fromEntries(Object.entries(files).map(([id, f]) => [id, thumbs(f)]));
  const pcms = Object.fromEntries(Object.entries(files).map(([id, f]) => [id, m.pcm(f)]));
  const rows = [];
  const exactTimes = {};
  for (const [peer, r] of Object.entries(result.rows)) {
    if (r.error) {
      const error = r.error.replace(/\s+/g, ' ').slice(0, 300).replace(/\|/g, '\\|');
      rows.push([peer, `failed: ${error}`, '—', '—', '—', '—', '—']);
      continue;
    }
    const out = path.join(dir, `render-out-${peer.replace(/\W+/g, '-')}.mp4`);
    fs.writeFileSync(out, Buffer.from(r.b64, 'base64'));
    const got = thumbs(out);
    const right = framesRight(got, wants, src);
    const exact = got.length === total && right === total;
    const worst = worstOffset(out, wants, pcms);
    const errors = m.decodeErrors(out).trim().split('\n').filter(Boolean).length;
    if (exact && worst <= 0.0213) exactTimes[peer] = r.ms;
    rows.push([
      peer,
      `${(r.ms / 1000).toFixed(2)} s`,
      `${got.length} (want ${total})`,
      `${right} right, ${total - right} wrong or missing`,
      `${(worst * 1000).toFixed(1)} ms`,
      String(errors),
      `${(fs.statSync(out).size / 1e6).toFixed(1)} MB`,
    ]);
  }
  const peers = Object.entries(exactTimes).filter(([p]) => p !== 'outtake');
  const fastest = peers.sort((a, b) => a[1] - b[1])[0];
  const ratio = fastest
    ? `outtake takes ${((100 * result.rows.outtake.ms) / fastest[1]).toFixed(0)}% of the fastest exact peer's time (${fastest[0]})`
    : 'no peer was exact (frames and A/V within 21.3 ms), so there is no exact peer to compare with';
  return {
    header: [
      'peer',
      'time',
      'frames',
      'frames right',
      'worst A/V offset at a joint',
      'ffmpeg decode messages',
      'size',
    ],
    rows,
    note:
      `Timeline: ${RANGES.map(([id, a, b]) => `${id} frames ${a}–${b}`).join(', ')} (cut mid-frame; the cameo is 1280×720, ` +
      `scaled to 1920×1080). ${ratio} (goals: ≤2 s; ≤25% of the fastest exact peer; every joint within 21.3 ms). ` +
      'Frames right: each output frame matched by pixels against the source frames ±2 around the one the timeline asks for. ' +
      'A/V: the output sound after each joint and before each range end, correlated with the source sound where the timeline puts it ' +
      "(searched ±250 ms), from where the output shows the range's first frame (by the frame count the timeline asks for). " +
      `mediabunny 1.61 has no multi-range render; its row uses its parts (CanvasSink → CanvasSource H.264 at 8 Mb/s, AudioSampleSink → AudioSampleSource). ` +
      `ffmpeg.wasm: single-thread core 0.12.10, inputs written to MEMFS inside the time, core load left out (${result.ffmpegLoadMs ? `${(result.ffmpegLoadMs / 1000).toFixed(2)} s` : result.ffmpegError}). ` +
      'Each row is one run; outtake after one untimed run (module compile and worker start).',
  };
}
