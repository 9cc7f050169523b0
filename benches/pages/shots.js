// Shot detection and thumbnails on one clip (clip.mp4), against decoding alone: the clip's
// packets (demuxed beforehand by mediabunny, so only decoding is timed) through a VideoDecoder
// with every frame closed at once; the same with each frame drawn 64 pixels wide and read back
// (one way to reach its pixels), and with each frame copied whole (copyTo, the other, which
// shotChanges takes); then outtake's shotChanges and thumbnails from the Blob, demuxing included.
import { shotChanges, thumbnails } from 'outtake';
import { Input, BlobSource, EncodedPacketSink, ALL_FORMATS } from 'mediabunny';
import { report } from '../lib/timing.js';

async function packetsOf(blob) {
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  const config = await track.getDecoderConfig();
  const chunks = [];
  for await (const p of new EncodedPacketSink(track).packets())
    chunks.push(p.toEncodedVideoChunk());
  return { config, chunks, width: track.displayWidth, height: track.displayHeight };
}

/** Decodes every chunk, `each(frame)` on every frame; {ms, frames}. */
async function decodeAll({ config, chunks }, each) {
  let frames = 0;
  let failure;
  const decoder = new VideoDecoder({
    output: (f) => {
      try {
        each?.(f);
      } catch (e) {
        failure ??= e;
      }
      f.close();
      frames++;
    },
    error: (e) => {
      failure ??= e;
    },
  });
  decoder.configure(config);
  const t0 = performance.now();
  for (const c of chunks) {
    decoder.decode(c);
    while (decoder.decodeQueueSize > 6) await new Promise((r) => setTimeout(r, 0));
  }
  await decoder.flush();
  const ms = performance.now() - t0;
  decoder.close();
  if (failure) throw failure;
  return { ms, frames };
}

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

report(
  (async () => {
    const blob = await (await fetch('clip.mp4')).blob();
    const clip = await packetsOf(blob);
    const h = Math.round((64 * clip.height) / clip.width);
    const canvas = new OffscreenCanvas(64, h);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const draw = (f) => {
      ctx.drawImage(f, 0, 0, 64, h);
      ctx.getImageData(0, 0, 64, h);
    };
    let buffer;
    const copy = (f) => {
      buffer ??= new Uint8Array(f.allocationSize());
      // Chromium copies a CPU frame synchronously; the promise only says it is done.
      f.copyTo(buffer);
    };
    await decodeAll(clip); // warm-up
    const rows = { decode: [], 'decode+draw': [], 'decode+copyTo': [], shotChanges: [] };
    // Two rounds, interleaved, so that load on the machine falls on every row alike.
    for (let round = 0; round < 2; round++) {
      const add = (name, r) => rows[name].push(r);
      add('decode', await decodeAll(clip));
      add('decode+draw', await decodeAll(clip, draw));
      add('decode+copyTo', await decodeAll(clip, copy));
      const s = await timed(() => shotChanges(blob));
      add('shotChanges', { ms: s.ms, frames: clip.chunks.length, cuts: s.value.length });
    }
    const thumbs = {};
    for (const keyframesOnly of [false, true]) {
      const r = await timed(() => thumbnails(blob, { count: 25, width: 160, keyframesOnly }));
      for (const b of r.value) b.close();
      thumbs[keyframesOnly ? 'keyframesOnly' : 'full'] = { ms: r.ms, count: r.value.length };
    }
    return { rows, thumbs, frames: clip.chunks.length, size: [clip.width, clip.height] };
  })(),
);
