// Runs a benchmark page in headless Chromium: bundles `entry` with webpack 5 (the same way a user's
// app would bundle outtake and the peers), serves it on loopback, and returns what the page puts
// in `window.__bench` (or throws what it puts in `window.__benchError`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import webpack from 'webpack';
import { serve } from '../../scripts/static-server.mjs';
import { launch } from '../../tests/helpers/browser.mjs';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const peers = createRequire(path.join(root, 'benches/package.json'));

function bundle(entry, outDir) {
  const config = {
    mode: 'production',
    entry,
    output: { path: outDir, filename: 'bench.js' },
    resolve: {
      alias: { outtake: path.join(root, 'pkg') },
      modules: [
        path.join(root, 'benches/node_modules'),
        path.join(root, 'node_modules'),
        'node_modules',
      ],
      // Some peers (subtitle) build on node streams: give the page the usual browser polyfills.
      fallback: {
        stream: peers.resolve('readable-stream'),
        buffer: peers.resolve('buffer/'),
        string_decoder: peers.resolve('string_decoder/'),
        fs: false,
        path: false,
        util: false,
      },
    },
    plugins: [
      new webpack.ProvidePlugin({ Buffer: ['buffer', 'Buffer'], process: 'process/browser.js' }),
    ],
    performance: { hints: false },
  };
  return new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err) return reject(err);
      if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve();
    });
  });
}

/**
 * Bundles and runs `entry` (a path); `files` ({name: absolutePath}) are served beside the page for
 * it to fetch. Resolves to the page's `window.__bench`.
 */
export async function runInBrowser(entry, { files = {}, timeoutMs = 600_000 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outtake-bench-'));
  try {
    await bundle(entry, dir);
    for (const [name, src] of Object.entries(files)) fs.symlinkSync(src, path.join(dir, name));
    fs.writeFileSync(
      path.join(dir, 'index.html'),
      '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script src="bench.js"></script>',
    );
    const { server, url } = await serve(dir);
    const browser = await launch();
    try {
      const page = await browser.page();
      // A page error means the benchmark cannot finish: fail with it instead of timing out.
      const failed = new Promise((_, reject) =>
        page.on('pageerror', (e) => reject(new Error(`benchmark page error: ${e.message}`))),
      );
      failed.catch(() => {});
      await page.goto(url);
      await Promise.race([
        failed,
        page.waitForFunction(() => window.__bench || window.__benchError, null, {
          timeout: timeoutMs,
        }),
      ]);
      const error = await page.evaluate(() => window.__benchError);
      if (error) throw new Error(`benchmark page failed: ${error}`);
      return await page.evaluate(() => window.__bench);
    } finally {
      await browser.close();
      server.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
