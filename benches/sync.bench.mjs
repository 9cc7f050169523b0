// Caption synchronisation (issue #10): every tool on the same synthetic corpus
// (scripts/sync_corpus.py, seed 1: espeak-ng speech over noise and music beds, desynced by offsets,
// frame-rate ratios, splits, jitter; files in sync; captions of another programme), scored by
// benches/lib/sync-score.mjs. Tools: the outtake CLI, the outtake package in headless Chromium
// (each case's audio.mp4 as a Blob through `syncCaptions`: WebCodecs decoding, the wasm engine),
// alass-cli (crates.io, run as a binary only: GPL-3.0) and ffsubsync (PyPI), each with its
// default settings; a missing tool is "not run". The Chromium tool also measures speed and memory
// on 2 hours of AAC (benches/lib/sync-chromium.mjs).
//
//   node benches/sync.bench.mjs [--small] [--corpus DIR]
//                               [--tools outtake,outtake-chromium,alass,ffsubsync]
//                               [--reuse] [--no-install]
//
// Run directly it writes benches/SYNC_RESULTS.md; scripts/bench.mjs imports run() as for the others.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseCues, scoreCase, summarize } from './lib/sync-score.mjs';
import { chromiumReady, measureLong, runChromium } from './lib/sync-chromium.mjs';
import { speechMedia } from '../tests/helpers/speech.mjs';

export const name = 'sync';
export const title = 'Sync: captions to speech (synthetic corpus, per desync kind)';

const KINDS = ['offset', 'ratio', 'splits', 'jitter', 'in_sync', 'other_programme'];
const KIND_LABEL = {
  offset: 'offset 0.2–120 s',
  ratio: 'frame-rate ratio',
  splits: '1–5 splits',
  jitter: 'jitter σ 120 ms',
  in_sync: 'already in sync',
  other_programme: 'other programme',
};
const TIMEOUT_MS = 10 * 60 * 1000;

const quiet = { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] };
const has = (cmd, args = ['--version']) => {
  const r = spawnSync(cmd, args, quiet);
  return !r.error && r.status === 0;
};
const cargoBin = (bin) => path.join(os.homedir(), '.cargo/bin', bin);

/** The tools, each with how to find (or install) it and how to run it on one case. */
function tools(root, { install }) {
  return {
    'outtake CLI': {
      key: 'outtake',
      find() {
        const bin = path.join(root, 'target/release/outtake');
        spawnSync('cargo', ['build', '--release', '--quiet', '--bin', 'outtake'], {
          cwd: root,
          stdio: 'inherit',
        });
        if (!fs.existsSync(bin)) return null;
        // The CLI before issue #10 has no `sync` command.
        const r = spawnSync(bin, ['sync', '--help'], quiet);
        return r.status === 0 || /--subs/.test(`${r.stdout}${r.stderr}`) ? bin : null;
      },
      args: (bin, c, out) => [
        bin,
        [
          'sync',
          '--subs',
          c.input,
          '--audio',
          c.audio,
          '-o',
          out,
          '--report',
          path.join(path.dirname(out), 'report.json'),
        ],
      ],
    },
    'outtake (Chromium)': {
      key: 'outtake-chromium',
      // The package as built by scripts/build.sh: this bench does not build it (minutes).
      find: () => (chromiumReady(root) ? 'pkg' : null),
      // Every case in one browser, from the case's audio.mp4 (AAC) as a Blob.
      runAll: (cases, dir, outDirOf, reuse) => runChromium(root, dir, cases, outDirOf, reuse),
    },
    alass: {
      key: 'alass',
      find() {
        for (const bin of ['alass-cli', cargoBin('alass-cli')]) if (has(bin)) return bin;
        if (!install) return null;
        console.log('sync bench: installing alass-cli (cargo install, once)');
        spawnSync('cargo', ['install', '--quiet', 'alass-cli'], { stdio: 'inherit' });
        return has(cargoBin('alass-cli')) ? cargoBin('alass-cli') : null;
      },
      args: (bin, c, out) => [bin, [c.audio, c.input, out]],
    },
    ffsubsync: {
      key: 'ffsubsync',
      find() {
        if (has('ffsubsync')) return 'ffsubsync';
        if (!install) return null;
        console.log('sync bench: installing ffsubsync (pip, once)');
        spawnSync(
          'python3',
          ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', 'ffsubsync'],
          { stdio: 'inherit' },
        );
        return has('ffsubsync') ? 'ffsubsync' : null;
      },
      args: (bin, c, out) => [bin, [c.audio, '-i', c.input, '-o', out]],
    },
  };
}

function ensureCorpus(root, dir, small) {
  if (fs.existsSync(path.join(dir, 'index.json'))) return;
  console.log(`sync bench: generating the corpus in ${path.relative(root, dir)} (a few minutes)`);
  const r = spawnSync(
    'python3',
    [
      path.join(root, 'scripts/sync_corpus.py'),
      '--seed',
      '1',
      '--out',
      dir,
      ...(small ? ['--small'] : []),
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('sync bench: scripts/sync_corpus.py failed');
}

function runTool(tool, bin, c, outDir, reuse) {
  const out = path.join(outDir, 'out.srt');
  const rec = path.join(outDir, 'run.json');
  if (reuse && fs.existsSync(rec)) return JSON.parse(fs.readFileSync(rec, 'utf8'));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const [cmd, args] = tool.args(bin, c, out);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { ...quiet, timeout: TIMEOUT_MS, maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const ok = !r.error && r.status === 0 && fs.existsSync(out);
  const result = {
    seconds,
    error: ok
      ? null
      : r.error
        ? String(r.error)
        : `exit ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}`,
  };
  fs.writeFileSync(path.join(outDir, 'log.txt'), `${r.stdout || ''}\n${r.stderr || ''}`);
  fs.writeFileSync(rec, JSON.stringify(result));
  return result;
}

const pct = (x) => `${x.toFixed(1)}%`;

export async function run({
  root,
  small = false,
  corpus,
  only,
  reuse = false,
  install = true,
} = {}) {
  const dir = corpus || path.join(root, small ? 'target/sync-corpus-small' : 'target/sync-corpus');
  ensureCorpus(root, dir, small);
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const cases = index.cases.map((m) => ({
    ...m,
    dir: path.join(dir, m.case),
    input: path.join(dir, m.case, 'input.srt'),
    audio: path.join(dir, m.case, 'audio.wav'),
  }));
  const all = tools(root, { install });
  const rows = [];
  const details = {};
  const notRun = [];
  let long = null;
  for (const [label, tool] of Object.entries(all)) {
    if (only && !only.includes(tool.key)) continue;
    const outDirOf = (c) =>
      path.join(root, 'target/sync-bench', tool.key, path.basename(dir), c.case);
    // With --reuse and every case already run, the tool itself is not needed (nor built).
    const cached = reuse && cases.every((c) => fs.existsSync(path.join(outDirOf(c), 'run.json')));
    const bin = cached ? '(cached)' : tool.find();
    if (!bin) {
      notRun.push(label);
      continue;
    }
    console.log(`sync bench: ${label} on ${cases.length} files`);
    const results = [];
    if (tool.runAll) await tool.runAll(cases, dir, outDirOf, reuse);
    // The 2-hour measurements are taken afresh on every run (--reuse or not): they are the point.
    if (tool.key === 'outtake-chromium') long = await measureLong(root, speechMedia());
    for (const c of cases) {
      const outDir = outDirOf(c);
      const run = tool.runAll
        ? JSON.parse(fs.readFileSync(path.join(outDir, 'run.json'), 'utf8'))
        : runTool(tool, bin, c, outDir, reuse);
      const read = (f) => parseCues(fs.readFileSync(f, 'utf8'));
      const out = path.join(outDir, 'out.srt');
      const s = scoreCase({
        truth: read(path.join(c.dir, 'truth.srt')),
        input: read(c.input),
        output: run.error || !fs.existsSync(out) ? null : read(out),
        meta: c,
        error: run.error,
      });
      results.push({ case: c.case, kind: c.kind, seconds: run.seconds, ...s });
    }
    details[label] = results;
    for (const s of summarize(results, KINDS)) {
      rows.push([
        KIND_LABEL[s.kind] || s.kind,
        label,
        String(s.files),
        ...s.within.map(pct),
        String(s.failed),
        s.rescaled === null ? '—' : String(s.rescaled),
        String(s.abstained),
        `${s.seconds.toFixed(2)} s`,
      ]);
    }
  }
  // The same files by the SNR of their bed: where each tool's speech detection gives out.
  const snrs = [...new Set(cases.map((c) => c.snr_db))].sort((a, b) => a - b);
  const bySnr = Object.entries(details).map(([label, results]) => [
    label,
    ...snrs.map((snr) => {
      const rs = results.filter((r, i) => cases[i].snr_db === snr && r.kind !== 'other_programme');
      const [s] = summarize(rs, []);
      return s ? `${pct(s.within[1])} / ${pct(s.within[2])} (${s.failed}/${s.files} failed)` : '—';
    }),
  ]);
  const snrTable = bySnr.length
    ? [
        '',
        '',
        'By the SNR of the bed (all kinds but other programme; starts ≤100 ms / ≤400 ms, failed files):',
        '',
        `| tool | ${snrs.map((s) => `${s} dB`).join(' | ')} |`,
        `| --- |${' --- |'.repeat(snrs.length)}`,
        ...bySnr.map((r) => `| ${r.join(' | ')} |`),
      ].join('\n')
    : '';
  for (const label of notRun) rows.push(['all', label, '—', 'not run', '', '', '', '', '', '']);
  // Group by kind, so that the tools sit side by side.
  const order = [...KINDS.map((k) => KIND_LABEL[k]), 'all but other programme', 'all'];
  rows.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
  fs.mkdirSync(path.join(root, 'target/sync-bench'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'target/sync-bench', `${path.basename(dir)}.json`),
    JSON.stringify(details, null, 1),
  );
  const counts = KINDS.map(
    (k) => `${cases.filter((c) => c.kind === k).length} ${KIND_LABEL[k]}`,
  ).join(', ');
  return {
    header: [
      'desync',
      'tool',
      'files',
      'starts ≤50 ms',
      '≤100 ms',
      '≤400 ms',
      'failed',
      'false rescales',
      'abstained',
      'time/file',
    ],
    rows,
    note:
      `Corpus: scripts/sync_corpus.py --seed 1${small ? ' --small' : ''}: ${cases.length} files (${counts}); ` +
      'espeak-ng voices in English, German, French and Spanish over white, pink, brown noise or music-like beds at 0–20 dB, 48 kHz WAV. ' +
      'Cue starts are matched to the truth by index. Failed: the tool erred or fewer than 50% of starts landed within 400 ms. ' +
      'False rescale: a scale other than 1 (by more than 0.05%) applied to a file whose truth has none, read from the output (Theil–Sen slope of output against input starts within stretches of constant true offset). ' +
      'Abstained: output equal to the input. "Other programme" is scored against leaving the input unchanged and stays out of the "all" cue figures. ' +
      'Each tool with its default settings, one file at a time, wall time per file including its audio decoding. ' +
      'outtake (Chromium) reads the AAC in audio.mp4 (the others the WAV) and its time includes fetching the Blob.' +
      snrTable +
      longNote(long),
  };
}

/** The 2-hour speed and memory measurements, as a table under the scores. */
function longNote(m) {
  if (!m) return '';
  const r = m.report;
  return [
    '',
    '',
    `outtake in Chromium on 2 hours of 48 kHz stereo AAC (${m.fileMB.toFixed(0)} MB MP4, the test speech looped; ${m.cues} cues 3.1 s late):`,
    '',
    '| measure | goal | measured |',
    '| --- | --- | --- |',
    `| speech detection alone (speechActivity on 16 kHz PCM, best of 2) | ≥500× real time | ${m.detectXRealTime.toFixed(0)}× |`,
    `| syncCaptions from the Blob (demux, WebCodecs decode, detection, alignment) | ≤20 s | ${m.syncSeconds.toFixed(1)} s (${(7200 / m.syncSeconds).toFixed(0)}× real time) |`,
    `| memory added (peak RSS of the Chromium processes over the baseline with the Blob loaded and the worker started) | ≤64 MB | ${m.rssAddedMB.toFixed(0)} MB |`,
    `| the worker's wasm memory after the call (it only grows: its peak) | | ${m.wasmMB === null ? '—' : `${m.wasmMB.toFixed(0)} MB`} |`,
    `| result | | ${r.abstained ? `abstained: ${r.reason}` : `offset ${r.segments[0]?.offset.toFixed(3)} s, confidence ${r.confidence.toFixed(2)}`}, ${m.progressReports} progress reports |`,
  ].join('\n');
}

function machine() {
  const cpu = os.cpus()[0]?.model?.trim() || 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; node ${process.version}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const opt = (k) => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
  const result = await run({
    root,
    small: argv.includes('--small'),
    corpus: opt('--corpus') && path.resolve(opt('--corpus')),
    only: opt('--tools')?.split(','),
    reuse: argv.includes('--reuse'),
    install: !argv.includes('--no-install'),
  });
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const table = [
    line(result.header),
    line(result.header.map(() => '---')),
    ...result.rows.map(line),
  ].join('\n');
  const section = [
    `## ${title}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.`,
    '',
    table,
    '',
    result.note,
  ].join('\n');
  console.log(section);
  const file = path.join(root, 'benches/SYNC_RESULTS.md');
  const begin = '<!-- bench:sync -->',
    end = '<!-- /bench:sync -->';
  const block = `${begin}\n${section}\n${end}`;
  let doc = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Sync results (to merge into BENCHMARKS.md)\n';
  const re = new RegExp(`${begin}[\\s\\S]*?${end}`);
  doc = re.test(doc) ? doc.replace(re, block) : `${doc.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, doc);
  console.log(`\nsync bench: ${path.relative(process.cwd(), file)} updated`);
}
