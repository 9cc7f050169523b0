// The package as users install it: `npm pack` pkg/, install the tarball into a fresh webpack 5
// project, a fresh Vite project and a plain page with no bundler; load each in headless Chromium
// and call into the wasm (and its worker). Also type-checks a consumer against the .d.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from '../../scripts/static-server.mjs';
import { launch } from '../helpers/browser.mjs';

const root = new URL('../../', import.meta.url).pathname;
const consumer = path.join(root, 'tests/packaging/consumer');
const version = JSON.parse(fs.readFileSync(path.join(root, 'pkg/package.json'), 'utf8')).version;
let work, tarball, browser;

const sh = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
const npmInstall = (cwd, ...pkgs) =>
  sh(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...pkgs],
    cwd,
  );

function project(name, pkgJson) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      { name: `consumer-${name}`, private: true, type: 'module', ...pkgJson },
      null,
      2,
    ),
  );
  return dir;
}

const PAGE = (script) =>
  `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>consumer</title><body>${script}</body>`;

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'outtake-packaging-'));
  const out = sh(
    'npm',
    ['pack', '--json', '--pack-destination', work, path.join(root, 'pkg')],
    root,
  );
  tarball = path.join(work, JSON.parse(out)[0].filename);
});
after(async () => {
  await browser?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Serves `dir`, opens it in Chromium, returns what the consumer reported. */
async function runPage(dir) {
  browser ??= await launch();
  const { server, url } = await serve(dir);
  try {
    const page = await browser.page();
    await page.goto(url);
    await page.waitForFunction(() => window.__result, null, { timeout: 30000 });
    const result = await page.evaluate(() => window.__result);
    await page.close();
    return { result, errors: page.errors.map(String) };
  } finally {
    server.close();
  }
}

function checkResult({ result, errors }) {
  assert.equal(result.failed, undefined, result.failed);
  assert.deepEqual(result, {
    version,
    snap: 1.001,
    frame: 30,
    worker: [0, 0.5],
    error: { isOuttake: true, code: 'ERR_INVALID_ARGUMENT', message: result.error.message },
    element: true,
  });
  assert.match(result.error.message, /^frameRate: .*not a rate/);
  assert.deepEqual(errors, []);
}

test('the tarball holds the package and nothing else', () => {
  const listing = sh('tar', ['-tzf', tarball], work).split('\n').filter(Boolean).sort();
  for (const f of [
    'package/package.json',
    'package/index.js',
    'package/index.d.ts',
    'package/editor.js',
    'package/worker.js',
    'package/wasm/outtake_bg.wasm',
    'package/wasm/outtake.js',
  ]) {
    assert.ok(listing.includes(f), `${f} missing from the tarball`);
  }
  assert.ok(!listing.some((f) => /\.(rs|tgz)$|node_modules|target\//.test(f)), listing.join('\n'));
});

test('webpack 5 project', () => {
  const dir = project('webpack', {});
  npmInstall(dir, tarball, 'webpack@5', 'webpack-cli@6');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.copyFileSync(path.join(consumer, 'main.js'), path.join(dir, 'src/index.js'));
  fs.writeFileSync(
    path.join(dir, 'webpack.config.js'),
    `export default { mode: 'production', entry: './src/index.js', output: { path: new URL('./dist', import.meta.url).pathname, filename: 'main.js' } };\n`,
  );
  sh('npx', ['webpack', '--no-stats'], dir);
  fs.writeFileSync(path.join(dir, 'dist/index.html'), PAGE('<script src="main.js"></script>'));
  return runPage(path.join(dir, 'dist')).then(checkResult);
});

test('Vite project', () => {
  const dir = project('vite', {});
  npmInstall(dir, tarball, 'vite');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.copyFileSync(path.join(consumer, 'main.js'), path.join(dir, 'src/main.js'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    PAGE('<script type="module" src="/src/main.js"></script>'),
  );
  sh('npx', ['vite', 'build', '--logLevel', 'error'], dir);
  return runPage(path.join(dir, 'dist')).then(checkResult);
});

test('plain page with no bundler', () => {
  const dir = project('plain', {});
  npmInstall(dir, tarball);
  // No bundler resolves bare specifiers here: an import map does, as in any plain page.
  const map = {
    imports: {
      outtake: './node_modules/outtake/index.js',
      'outtake/editor': './node_modules/outtake/editor.js',
    },
  };
  fs.copyFileSync(path.join(consumer, 'main.js'), path.join(dir, 'main.js'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    PAGE(
      `<script type="importmap">${JSON.stringify(map)}</script><script type="module" src="./main.js"></script>`,
    ),
  );
  return runPage(dir).then(checkResult);
});

test('TypeScript consumer type-checks against the .d.ts', () => {
  const dir = project('types', {});
  npmInstall(dir, tarball);
  fs.copyFileSync(path.join(consumer, 'consumer.ts'), path.join(dir, 'consumer.ts'));
  const tsc = path.join(root, 'node_modules/.bin/tsc');
  const args = [
    '--noEmit',
    '--strict',
    '--target',
    'es2022',
    '--module',
    'esnext',
    '--moduleResolution',
    'bundler',
    '--lib',
    'es2022,dom',
    '--skipLibCheck',
    'false',
    'consumer.ts',
  ];
  try {
    sh(tsc, args, dir);
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
  // And the check can fail: a wrong use is caught.
  fs.writeFileSync(
    path.join(dir, 'wrong.ts'),
    "import { snapTime } from 'outtake';\nconst n: string = await snapTime(1, 30);\nexport { n };\n",
  );
  assert.throws(
    () => sh(tsc, [...args.slice(0, -1), 'wrong.ts'], dir),
    (e) => /TS2322/.test(e.stdout),
  );
});
