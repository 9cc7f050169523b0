// The clip's pictures along the timeline: keyframes decoded alone by the package's
// `thumbnails()` (cheap: nothing but keyframes is decoded), drawn at any zoom, each thumbnail
// filling its stretch of time; and its shot changes (`shotChanges()`), which the caption rules
// take too.
import { thumbnails, shotChanges } from 'outtake';
import { laneCanvas } from './waveform.js';

/** One thumbnail per this many px of the fitted timeline, at most MAX. */
const EVERY_PX = 64;
const MAX = 120;

/** The filmstrip of `blob` ({times, bitmaps}) for a timeline `widthPx` wide when fitted. */
export async function filmstrip(blob, duration, widthPx) {
  const count = Math.max(1, Math.min(MAX, Math.round(widthPx / EVERY_PX)));
  const bitmaps = await thumbnails(blob, { count, width: 96, keyframesOnly: true });
  return { times: bitmaps.map((_, i) => (i * duration) / count), bitmaps };
}

/** Shot changes of `blob` in seconds, or [] when they cannot be found (no video, a codec). */
export async function shots(blob) {
  try {
    return await shotChanges(blob);
  } catch {
    return [];
  }
}

/** Draws `film` on `canvas` at `pps` pixels per second, each thumbnail over its stretch. */
export function drawFilm(canvas, film, pps, width) {
  const g = laneCanvas(canvas, width);
  const h = canvas.height;
  if (!film) return;
  const { times, bitmaps } = film;
  for (const [i, b] of bitmaps.entries()) {
    const x = times[i] * pps;
    const end = i + 1 < times.length ? times[i + 1] * pps : canvas.width;
    // Each thumbnail keeps its aspect: repeated across its stretch, as editors draw filmstrips.
    const w = Math.max(1, (b.width * h) / b.height);
    for (let at = x; at < end; at += w) {
      const shown = Math.min(w, end - at);
      g.drawImage(b, 0, 0, (shown / w) * b.width, b.height, at, 0, shown, h);
    }
  }
}
