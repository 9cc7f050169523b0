// Trims one clip in one page (the case comes from case.json: file, start, end, container):
// outtake's smart cut, mediabunny's Conversion in its default copy mode and with the video forced
// to transcode. Each output comes back as base64 for the harness to check with ffprobe.
import { trim } from 'outtake';
import { Input, Output, Conversion, BlobSource, BufferTarget, Mp4OutputFormat, WebMOutputFormat, ALL_FORMATS } from 'mediabunny';
import { report } from '../lib/timing.js';

let START, END, CONTAINER;

function base64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

async function mediabunny(blob, video) {
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  const format = CONTAINER === 'webm' ? new WebMOutputFormat() : new Mp4OutputFormat({ fastStart: 'in-memory' });
  const output = new Output({ format, target: new BufferTarget() });
  const conversion = await Conversion.init({ input, output, trim: { start: START, end: END }, video });
  if (!conversion.isValid) throw new Error(`mediabunny: ${JSON.stringify(conversion.discardedTracks.map((t) => t.reason))}`);
  await conversion.execute();
  return new Uint8Array(output.target.buffer);
}

/** Median of `runs` timed runs (after one warm-up), and the last output. */
async function timed(fn, runs) {
  await fn();
  const times = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], b64: base64(out) };
}

report((async () => {
  ({ start: START, end: END, container: CONTAINER } = await (await fetch('case.json')).json());
  const blob = await (await fetch(`clip.${CONTAINER}`)).blob();
  const rows = {};
  rows.outtake = await timed(async () => new Uint8Array(await (await trim(blob, { start: START, end: END })).arrayBuffer()), 3);
  rows['mediabunny (copy)'] = await timed(() => mediabunny(blob, undefined), 3);
  rows['mediabunny (forced transcode)'] = await timed(() => mediabunny(blob, { forceTranscode: true }), 1);
  return { rows };
})());
