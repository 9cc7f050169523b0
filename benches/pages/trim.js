// Trims one clip in one page (the case comes from case.json: file, start, end, container):
// outtake's smart cut, mediabunny's Conversion in its default copy mode and with the video forced
// to transcode, and ffmpeg.wasm with stream copy and with a fast re-encode. Each output comes back
// as base64 for the harness to check with ffprobe; a peer that fails gives its error instead.
import { trim } from 'outtake';
import {
  Input,
  Output,
  Conversion,
  BlobSource,
  BufferTarget,
  Mp4OutputFormat,
  WebMOutputFormat,
  ALL_FORMATS,
} from 'mediabunny';
import { report } from '../lib/timing.js';
import { loadFfmpeg, runFfmpeg } from './ffmpeg-wasm.js';

let START, END, CONTAINER;

function base64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

async function mediabunny(blob, video) {
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  const format =
    CONTAINER === 'webm' ? new WebMOutputFormat() : new Mp4OutputFormat({ fastStart: 'in-memory' });
  const output = new Output({ format, target: new BufferTarget() });
  const conversion = await Conversion.init({
    input,
    output,
    trim: { start: START, end: END },
    video,
  });
  if (!conversion.isValid)
    throw new Error(
      `mediabunny: ${JSON.stringify(conversion.discardedTracks.map((t) => t.reason))}`,
    );
  await conversion.execute();
  return new Uint8Array(output.target.buffer);
}

/**
 * ffmpeg.wasm's rows: [peer, args, runs, warm-ups] in the forms users write, seeking on the input
 * (the common fast form). The re-encodes run once without warm-up: they take seconds to a minute,
 * so a warm-up would only double the wait.
 */
function ffmpegCommands() {
  const cut = ['-ss', String(START), '-to', String(END), '-i', `in.${CONTAINER}`];
  const out = `out.${CONTAINER}`;
  // Realtime speed 8 is libvpx's counterpart of x264's ultrafast; 2 Mb/s, as the source.
  const vpx = (codec) => [
    '-c:v',
    codec,
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '2M',
    '-c:a',
    'copy',
    out,
  ];
  const reencodes =
    CONTAINER === 'webm'
      ? [
          // NOTE: VP9 last: its encoder crashes in this core (ffmpegwasm/ffmpeg.wasm#679), which can
          // leave the instance unusable; VP8 is the WebM re-encode that works.
          ['ffmpeg.wasm (libvpx VP8 realtime, -c:a copy)', [...cut, ...vpx('libvpx')]],
          ['ffmpeg.wasm (libvpx-vp9 realtime, -c:a copy)', [...cut, ...vpx('libvpx-vp9')]],
        ]
      : [
          [
            'ffmpeg.wasm (libx264 ultrafast, -c:a copy)',
            [...cut, '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'copy', out],
          ],
        ];
  return [
    ['ffmpeg.wasm (-c copy)', [...cut, '-c', 'copy', out], 3, 1],
    ...reencodes.map((r) => [...r, 1, 0]),
  ];
}

/** Median of `runs` timed runs (after `warmup` untimed ones), and the last output. */
async function timed(fn, runs, warmup = 1) {
  for (let i = 0; i < warmup; i++) await fn();
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

report(
  (async () => {
    ({ start: START, end: END, container: CONTAINER } = await (await fetch('case.json')).json());
    const blob = await (await fetch(`clip.${CONTAINER}`)).blob();
    const rows = {};
    rows.outtake = await timed(
      async () =>
        new Uint8Array(await (await trim(blob, { start: START, end: END })).arrayBuffer()),
      3,
    );
    rows['mediabunny (copy)'] = await timed(() => mediabunny(blob, undefined), 3);
    rows['mediabunny (forced transcode)'] = await timed(
      () => mediabunny(blob, { forceTranscode: true }),
      1,
    );
    const commands = ffmpegCommands();
    let loaded;
    try {
      loaded = await loadFfmpeg();
    } catch (e) {
      for (const [peer] of commands) rows[peer] = { error: `loading the core: ${e.message || e}` };
      return { rows };
    }
    for (const [peer, args, runs, warmup] of commands) {
      rows[peer] = await timed(
        () => runFfmpeg(loaded.ffmpeg, blob, `in.${CONTAINER}`, args, args.at(-1)),
        runs,
        warmup,
      ).catch((e) => ({ error: String(e.message || e) }));
    }
    return { rows, ffmpegLoadMs: loaded.loadMs };
  })(),
);
