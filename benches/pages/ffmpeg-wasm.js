// ffmpeg.wasm in a benchmark page: loads the single-thread core from files the harness serves
// beside the page, and runs one command the way a user pays for it: the input read from its Blob
// and written into MEMFS, exec, the output read back, both files removed for the next run.
import { FFmpeg } from '@ffmpeg/ffmpeg';

/** A loaded FFmpeg and how long loading its core took (ms). */
export async function loadFfmpeg() {
  const ffmpeg = new FFmpeg();
  // Kept so that a failed command reports ffmpeg's own words, not just an exit code.
  ffmpeg.log = [];
  ffmpeg.on('log', ({ message }) => {
    ffmpeg.log.push(message);
    if (ffmpeg.log.length > 40) ffmpeg.log.shift();
  });
  // NOTE: these must be the UMD build of @ffmpeg/core. webpack bundles @ffmpeg/ffmpeg's worker as
  // a classic worker (the page is not an ES module bundle), which loads the core with
  // importScripts; the ESM core would go through the worker's `import(coreURL)`, which webpack
  // turns into a bundle lookup that fails ("Cannot find module 'http://…/ffmpeg-core.js'").
  const here = (name) => new URL(name, location.href).href;
  const t0 = performance.now();
  await ffmpeg.load({ coreURL: here('ffmpeg-core.js'), wasmURL: here('ffmpeg-core.wasm') });
  return { ffmpeg, loadMs: performance.now() - t0 };
}

/** Runs `ffmpeg -nostdin -y …args` with `blob` as the file `input`; resolves to the bytes of `output`. */
export async function runFfmpeg(ffmpeg, blob, input, args, output) {
  // writeFile transfers the buffer to the worker, so every run needs its own copy.
  await ffmpeg.writeFile(input, new Uint8Array(await blob.arrayBuffer()));
  ffmpeg.log.length = 0;
  // A crash inside the core (RuntimeError) rejects instead of returning an exit code.
  const code = await ffmpeg.exec(args).catch((e) => String(e));
  if (code !== 0) {
    // The encoder's own complaint comes before ffmpeg's generic "Conversion failed!".
    const why = ffmpeg.log
      .filter((l) => /error|fail/i.test(l))
      .slice(0, 3)
      .join(' / ');
    throw new Error(
      `${typeof code === 'number' ? `exit code ${code}` : code}${why ? `: ${why}` : ''}`,
    );
  }
  const out = await ffmpeg.readFile(output);
  await ffmpeg.deleteFile(input);
  await ffmpeg.deleteFile(output);
  return out;
}
