// Renders one remix in one page (the case comes from case.json: sources, segments, output size):
// outtake's render, and the closest the peers can do. mediabunny has no multi-range render (its
// #376 and #252), so its row is what a user builds from its parts: every range decoded
// (CanvasSink, scaled to fit the output), re-encoded into one Output (CanvasSource, and
// AudioSampleSource with the audio re-timed). ffmpeg.wasm runs the two usual recipes: each range
// cut with `-c copy` and joined by the concat demuxer, and one filter graph that trims, scales
// and concatenates, re-encoded. Each output comes back as base64 for the harness to check.
import { render } from 'outtake';
import {
  Input,
  Output,
  BlobSource,
  BufferTarget,
  Mp4OutputFormat,
  CanvasSink,
  CanvasSource,
  AudioSampleSink,
  AudioSampleSource,
  canEncodeAudio,
  ALL_FORMATS,
} from 'mediabunny';
import { report } from '../lib/timing.js';
import { loadFfmpeg } from './ffmpeg-wasm.js';

function base64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Times one run of `fn` (the outputs take seconds each: no warm-up, one run). */
async function once(fn) {
  const t0 = performance.now();
  try {
    const out = await fn();
    return { ms: performance.now() - t0, b64: base64(out) };
  } catch (e) {
    return { error: String(e?.message || e) };
  }
}

async function outtake(c, blobs) {
  const out = await render({ segments: c.segments }, { sources: blobs });
  return new Uint8Array(await out.arrayBuffer());
}

async function mediabunny(c, blobs) {
  const { width, height } = c.output;
  const output = new Output({
    format: new Mp4OutputFormat({ fastStart: 'in-memory' }),
    target: new BufferTarget(),
  });
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const video = new CanvasSource(canvas, { codec: 'avc', bitrate: c.output.bitrate });
  output.addVideoTrack(video, { frameRate: 30 });
  // AAC where this browser encodes it (not Chromium on Linux), else Opus, as outtake chooses.
  const aac = await canEncodeAudio('aac');
  const audio = new AudioSampleSource({ codec: aac ? 'aac' : 'opus', bitrate: 128e3 });
  output.addAudioTrack(audio);
  await output.start();
  const inputs = {};
  for (const [id, blob] of Object.entries(blobs))
    inputs[id] = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  let land = 0;
  for (const seg of c.segments) {
    const input = inputs[seg.source];
    const v = await input.getPrimaryVideoTrack();
    const a = await input.getPrimaryAudioTrack();
    // Timestamps here are the track's own; the segment counts from the first frame.
    const t0 = await v.getFirstTimestamp();
    const frames = new CanvasSink(v, { width, height, fit: 'contain', poolSize: 2 });
    for await (const f of frames.canvases(t0 + seg.start, t0 + seg.end)) {
      ctx.drawImage(f.canvas, 0, 0);
      await video.add(land + Math.max(0, f.timestamp - t0 - seg.start), f.duration);
    }
    if (a) {
      for await (const s of new AudioSampleSink(a).samples(t0 + seg.start, t0 + seg.end)) {
        s.setTimestamp(land + Math.max(0, s.timestamp - t0 - seg.start));
        await audio.add(s);
        s.close();
      }
    }
    land += seg.end - seg.start;
  }
  await output.finalize();
  return new Uint8Array(output.target.buffer);
}

/** Runs one ffmpeg command in `ff`, failing with ffmpeg's own complaint. */
async function exec(ff, args) {
  ff.log.length = 0;
  const code = await ff.exec(['-nostdin', '-y', ...args]).catch((e) => String(e));
  if (code !== 0) {
    const why = ff.log.filter((l) => /error|fail|invalid/i.test(l)).slice(0, 3);
    throw new Error(`${typeof code === 'number' ? `exit code ${code}` : code}: ${why.join(' / ')}`);
  }
}

/** Writes the sources into MEMFS (part of the time, as a user pays for it). */
async function writeInputs(ff, blobs) {
  const names = {};
  for (const [id, blob] of Object.entries(blobs)) {
    names[id] = `${id}.mp4`;
    await ff.writeFile(names[id], new Uint8Array(await blob.arrayBuffer()));
  }
  return names;
}

async function cleanup(ff, files) {
  for (const f of files) await ff.deleteFile(f).catch(() => {});
}

/** Each range `-c copy` into its own file, then the concat demuxer, `-c copy`. */
async function ffmpegConcat(ff, c, blobs) {
  const names = await writeInputs(ff, blobs);
  const parts = [];
  for (const [k, s] of c.segments.entries()) {
    parts.push(`part${k}.mp4`);
    await exec(ff, [
      '-ss',
      `${s.start}`,
      '-to',
      `${s.end}`,
      '-i',
      names[s.source],
      '-c',
      'copy',
      parts[k],
    ]);
  }
  await ff.writeFile('list.txt', parts.map((p) => `file '${p}'`).join('\n'));
  await exec(ff, ['-f', 'concat', '-safe', '0', '-i', 'list.txt', '-c', 'copy', 'out.mp4']);
  const out = await ff.readFile('out.mp4');
  await cleanup(ff, [...Object.values(names), ...parts, 'list.txt', 'out.mp4']);
  return out;
}

/** One filter graph: trim and atrim each range, scale and pad to the output, concat; x264 + AAC. */
async function ffmpegReencode(ff, c, blobs) {
  const names = await writeInputs(ff, blobs);
  const ids = Object.keys(names);
  const { width: w, height: h } = c.output;
  const graph = [];
  for (const [k, s] of c.segments.entries()) {
    const i = ids.indexOf(s.source);
    graph.push(
      `[${i}:v]trim=start=${s.start}:end=${s.end},setpts=PTS-STARTPTS,` +
        `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1[v${k}]`,
      `[${i}:a]atrim=start=${s.start}:end=${s.end},asetpts=PTS-STARTPTS[a${k}]`,
    );
  }
  const n = c.segments.length;
  const pads = c.segments.map((_, k) => `[v${k}][a${k}]`).join('');
  graph.push(`${pads}concat=n=${n}:v=1:a=1[v][a]`);
  await exec(ff, [
    ...ids.flatMap((id) => ['-i', names[id]]),
    ...['-filter_complex', graph.join(';'), '-map', '[v]', '-map', '[a]'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-b:a', '128k', 'out.mp4'],
  ]);
  const out = await ff.readFile('out.mp4');
  await cleanup(ff, [...Object.values(names), 'out.mp4']);
  return out;
}

report(
  (async () => {
    const c = await (await fetch('case.json')).json();
    const blobs = {};
    for (const id of Object.keys(c.sources)) blobs[id] = await (await fetch(`${id}.mp4`)).blob();
    const rows = {};
    // outtake runs twice and keeps the second: the first also compiles the module and starts
    // the worker, which a page pays once.
    await once(() => outtake(c, blobs));
    rows.outtake = await once(() => outtake(c, blobs));
    rows['mediabunny (decode + re-encode, its parts)'] = await once(() => mediabunny(c, blobs));
    let loaded;
    try {
      loaded = await loadFfmpeg();
    } catch (e) {
      return { rows, ffmpegError: `loading the core: ${e.message || e}` };
    }
    rows['ffmpeg.wasm (-c copy per range, concat demuxer)'] = await once(() =>
      ffmpegConcat(loaded.ffmpeg, c, blobs),
    );
    rows['ffmpeg.wasm (trim + scale + concat, libx264 ultrafast + AAC)'] = await once(() =>
      ffmpegReencode(loaded.ffmpeg, c, blobs),
    );
    return { rows, ffmpegLoadMs: loaded.loadMs };
  })(),
);
