// Shot changes and thumbnails on the trim benchmark's 1080p clip (60 s of 1080p30 x264, GOP 60,
// 3 B-frames): shotChanges in frames per second against decoding alone (WebCodecs, the packets
// demuxed beforehand, frames closed at once), the two ways of reaching a frame's pixels timed on
// their own, and thumbnails per second with and without keyframesOnly (25 thumbnails 160 wide, every 2.4 s: off the 2 s GOP, so most need more than their keyframe).
import path from 'node:path';
import { runInBrowser } from './lib/browser.mjs';
import { CASES, clip } from './trim.bench.mjs';

export const name = 'shots';
export const title = 'Shot changes and thumbnails: 60 s of 1080p30 H.264 (MP4)';

const best = (runs) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));

export async function run({ root }) {
  const src = clip(root, CASES[0]);
  const r = await runInBrowser(path.join(root, 'benches/pages/shots.js'), {
    files: { 'clip.mp4': src },
    timeoutMs: 900_000,
  });
  const fps = (x) => (r.frames / (x.ms / 1000)).toFixed(0);
  const decode = best(r.rows.decode);
  const shots = best(r.rows.shotChanges);
  const vs = (x) => `${((100 * x.ms) / decode.ms - 100).toFixed(0)}%`;
  const rows = [
    ['decoding alone (VideoDecoder, frames closed at once)', `${fps(decode)} frames/s`, '—'],
    [
      'decoding + drawImage 64 px wide + getImageData',
      `${fps(best(r.rows['decode+draw']))} frames/s`,
      vs(best(r.rows['decode+draw'])),
    ],
    [
      'decoding + copyTo (whole frame)',
      `${fps(best(r.rows['decode+copyTo']))} frames/s`,
      vs(best(r.rows['decode+copyTo'])),
    ],
    [
      `outtake shotChanges (from the Blob; ${shots.cuts} cuts found)`,
      `${fps(shots)} frames/s`,
      vs(shots),
    ],
  ];
  for (const [mode, t] of Object.entries(r.thumbs))
    rows.push([
      `outtake thumbnails, ${t.count} × 160 px${mode === 'keyframesOnly' ? ', keyframesOnly' : ''}`,
      `${(t.count / (t.ms / 1000)).toFixed(1)} thumbnails/s (${(t.ms / 1000).toFixed(2)} s)`,
      '—',
    ]);
  return {
    header: ['what', 'speed (best of 2)', 'time over decoding alone'],
    rows,
    note:
      `${r.frames} frames of ${r.size.join('×')}. Goal: shotChanges at most 10% over decoding alone. ` +
      'Decoding alone is timed on packets demuxed beforehand (mediabunny 1.61.0), so the shotChanges row also pays ' +
      'for reading and demuxing the Blob; the draw and copyTo rows time the two ways of reaching the pixels on their own.',
  };
}
