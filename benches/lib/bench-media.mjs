// What the media benchmarks share: their inputs made once with ffmpeg and cached in
// target/bench-media, and ffmpeg.wasm's core files to serve beside a page.
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
