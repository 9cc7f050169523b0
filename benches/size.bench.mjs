// Size: what a page downloads. outtake's .wasm and JS shell, raw and gzipped (level 9), beside
// the peers' full bundles as npm ships them: mediabunny's minified ESM bundle and ffmpeg.wasm's
// core (the .wasm plus its JS loader).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;

function measure(files) {
  let raw = 0,
    zipped = 0;
  for (const f of files) {
    const buf = fs.readFileSync(f);
    raw += buf.length;
    zipped += gz(buf);
  }
  return { raw, zipped };
}

export const name = 'size';
export const title = 'Package size (raw and gzipped)';
export const goal = 'all of outtake under 400 kB gzipped';

export async function run({ root }) {
  const pkg = path.join(root, 'pkg');
  const shell = fs
    .readdirSync(pkg)
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(pkg, f));
  shell.push(path.join(pkg, 'wasm/outtake.js'));
  const wasm = measure([path.join(pkg, 'wasm/outtake_bg.wasm')]);
  const js = measure(shell);
  const total = { raw: wasm.raw + js.raw, zipped: wasm.zipped + js.zipped };
  const nm = path.join(root, 'benches/node_modules');
  const mediabunny = measure([path.join(nm, 'mediabunny/dist/bundles/mediabunny.min.mjs')]);
  const ffcore = path.join(nm, '@ffmpeg/core/dist/esm');
  const ffmpeg = measure([
    path.join(ffcore, 'ffmpeg-core.wasm'),
    path.join(ffcore, 'ffmpeg-core.js'),
  ]);
  const version = (p) =>
    JSON.parse(fs.readFileSync(path.join(nm, p, 'package.json'), 'utf8')).version;
  const rows = [
    ['outtake .wasm', kB(wasm.raw), kB(wasm.zipped)],
    ['outtake JS shell', kB(js.raw), kB(js.zipped)],
    ['**outtake total**', kB(total.raw), `**${kB(total.zipped)}**`],
    [
      `mediabunny ${version('mediabunny')} (full bundle, min)`,
      kB(mediabunny.raw),
      kB(mediabunny.zipped),
    ],
    [`ffmpeg.wasm core ${version('@ffmpeg/core')}`, kB(ffmpeg.raw), kB(ffmpeg.zipped)],
  ];
  const verdict = total.zipped <= 400_000 ? 'met' : 'NOT met';
  return {
    header: ['what', 'raw', 'gzipped'],
    rows,
    note: `Goal: ${goal} — ${verdict} (${kB(total.zipped)}).`,
  };
}
