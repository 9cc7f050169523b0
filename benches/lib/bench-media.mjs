// What the media benchmarks share: their inputs made once with ffmpeg and cached in
// target/bench-media, ffmpeg.wasm's core files to serve beside a page, and a file's frames small
// and gray, to tell by pixels which source frame an output frame is.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** target/bench-media/`file`, made by `ffmpeg …args file` the first time it is asked for. */
export function cachedMedia(root, file, args) {
  const dir = path.join(root, 'target/bench-media');
  const out = path.join(dir, file);
  if (!fs.existsSync(out)) {
    fs.mkdirSync(dir, { recursive: true });
    console.log(`bench: making ${file} (once, cached in target/bench-media)`);
    const tmp = `${out}.tmp${path.extname(file)}`;
    execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args, tmp]);
    fs.renameSync(tmp, out);
  }
  return out;
}

/** @ffmpeg/core's UMD build (see benches/pages/ffmpeg-wasm.js for why not the ESM one). */
export function ffmpegCore(root) {
  const peers = createRequire(path.join(root, 'benches/package.json'));
  return {
    'ffmpeg-core.js': peers.resolve('@ffmpeg/core'),
    'ffmpeg-core.wasm': peers.resolve('@ffmpeg/core/wasm'),
  };
}

/** Every frame of `file`'s first video stream, `w`×`h` gray, in presentation order. */
export function grayFrames(file, w, h) {
  const raw = execFileSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-i', file, '-map', '0:v:0'],
      ...['-vf', `scale=${w}:${h},format=gray`, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-'],
    ],
    { maxBuffer: 1 << 30 },
  );
  const n = raw.length / (w * h);
  return Array.from({ length: n }, (_, i) => raw.subarray(i * w * h, (i + 1) * w * h));
}
