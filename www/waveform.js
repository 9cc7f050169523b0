// The clip's sound as a waveform: decoded on the page by WebAudio (decodeAudioData), reduced to
// the loudest sample of every 5 ms, which the timeline draws at any zoom as one bar per pixel.

/** Peaks per second of audio kept: finer than any zoom the timeline offers below 200 px/s. */
const PER_SECOND = 200;

/**
 * {perSecond, peaks: Float32Array of 0..1} of `blob`'s sound, or null when it has none this
 * browser decodes, or is too large to decode whole (decodeAudioData takes the whole file).
 */
export async function waveform(blob) {
  if (blob.size > 96 << 20) return null;
  try {
    const context = new OfflineAudioContext(1, 1, 48000);
    const audio = await context.decodeAudioData(await blob.arrayBuffer());
    const step = audio.sampleRate / PER_SECOND;
    const peaks = new Float32Array(Math.ceil(audio.length / step));
    for (let c = 0; c < audio.numberOfChannels; c++) {
      const data = audio.getChannelData(c);
      for (let i = 0; i < data.length; i++) {
        const k = Math.floor(i / step);
        const v = Math.abs(data[i]);
        if (v > peaks[k]) peaks[k] = v;
      }
    }
    return { perSecond: PER_SECOND, peaks };
  } catch {
    return null;
  }
}

/**
 * A timeline lane's canvas made `width` px wide and cleared, and its 2D context.
 * NOTE: canvases wider than 32767 px fail to draw; a lane stops there at deep zoom.
 */
export function laneCanvas(canvas, width) {
  canvas.width = Math.min(32767, Math.max(1, Math.round(width)));
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  return g;
}

/** Draws `wave` on `canvas` at `pps` pixels per second: one bar per pixel, centred. */
export function drawWave(canvas, wave, pps, width) {
  const g = laneCanvas(canvas, width);
  const h = canvas.height;
  if (!wave) return;
  g.fillStyle = '#4fae8a';
  const { peaks, perSecond } = wave;
  for (let x = 0; x < canvas.width; x++) {
    const a = Math.floor((x / pps) * perSecond);
    const b = Math.max(a + 1, Math.floor(((x + 1) / pps) * perSecond));
    if (a >= peaks.length) break;
    let v = 0;
    for (let k = a; k < b && k < peaks.length; k++) if (peaks[k] > v) v = peaks[k];
    const bar = Math.max(1, v * h);
    g.fillRect(x, (h - bar) / 2, 1, bar);
  }
}
