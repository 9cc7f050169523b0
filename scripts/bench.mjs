// `npm run bench`: runs every registered benchmark (benches/*.bench.mjs), prints one markdown
// table each with the machine it ran on, and rewrites BENCHMARKS.md's section for each.
// `node scripts/bench.mjs NAME…` runs only those.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const only = process.argv.slice(2);

function machine() {
  const cpu = os.cpus()[0]?.model?.trim() || 'unknown CPU';
  let chromium = 'no Chromium';
  try {
    chromium = execFileSync('/usr/bin/chromium', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {}
  return `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; node ${process.version}; ${chromium}`;
}

function table({ header, rows }) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function installPeers() {
  const nm = path.join(root, 'benches/node_modules');
  const lock = path.join(root, 'benches/package.json');
  if (!fs.existsSync(nm) || fs.statSync(lock).mtimeMs > fs.statSync(nm).mtimeMs) {
    console.log('bench: installing the peers (benches/package.json)');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: path.join(root, 'benches'),
      stdio: 'inherit',
    });
  }
}

installPeers();
const files = fs
  .readdirSync(path.join(root, 'benches'))
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
const when = new Date().toISOString().slice(0, 10);
const where = machine();
let doc = fs.existsSync(path.join(root, 'BENCHMARKS.md'))
  ? fs.readFileSync(path.join(root, 'BENCHMARKS.md'), 'utf8')
  : '# Benchmarks\n\nWritten by `npm run bench`; each section is replaced when its benchmark runs again.\n';

for (const file of files) {
  const bench = await import(path.join(root, 'benches', file));
  if (only.length && !only.includes(bench.name)) continue;
  console.log(`\n## ${bench.title}\n`);
  const result = await bench.run({ root });
  const section = [
    `## ${bench.title}`,
    '',
    `Measured ${when} on ${where}.`,
    '',
    table(result),
    '',
    result.note || '',
  ]
    .join('\n')
    .trim();
  console.log(section.split('\n').slice(2).join('\n'));
  const begin = `<!-- bench:${bench.name} -->`,
    end = `<!-- /bench:${bench.name} -->`;
  const block = `${begin}\n${section}\n${end}`;
  const re = new RegExp(`${begin}[\\s\\S]*?${end}`);
  doc = re.test(doc) ? doc.replace(re, block) : `${doc.trimEnd()}\n\n${block}\n`;
}
fs.writeFileSync(path.join(root, 'BENCHMARKS.md'), doc);
console.log('\nbench: BENCHMARKS.md updated');
