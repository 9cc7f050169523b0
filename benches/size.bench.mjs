// Size: what a page downloads. outtake's .wasm and JS shell, raw and gzipped (level 9), beside
// the peers' full bundles as npm ships them: mediabunny's minified ESM bundle and ffmpeg.wasm's
// core (the .wasm plus its JS loader).
import fs from 'node:fs';
import path from 'node:path';
import { BUDGET, measure, packageSize } from '../scripts/size.mjs';

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

export const name = 'size';
export const title = 'Package size (raw and gzipped)';
export const goal = `all of outtake under ${kB(BUDGET)} gzipped (the build's budget)`;

export async function run({ root }) {
  const { wasm, js, total } = packageSize(path.join(root, 'pkg'));
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
  const verdict = total.zipped <= BUDGET ? 'met' : 'NOT met';
  return {
    header: ['what', 'raw', 'gzipped'],
    rows,
    note: `Goal: ${goal} — ${verdict} (${kB(total.zipped)}).`,
  };
}
