// The built demo (www/dist) served on loopback with a fresh headless Chromium: what the demo's
// end-to-end tests open pages in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve } from '../../scripts/static-server.mjs';
import { launch } from './browser.mjs';

const dist = new URL('../../www/dist/', import.meta.url).pathname;

/** Resolves to {browser, url, close()}; fails clearly when the demo has not been built. */
export async function openDemoSite() {
  assert.ok(
    fs.existsSync(path.join(dist, 'index.html')),
    'www/dist is not built: run `npm run build`',
  );
  const { server, url } = await serve(dist);
  const browser = await launch();
  return {
    browser,
    url,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/**
 * The demo site with one page open on it, the sample clip loaded (`body[data-clip=ready]`):
 * resolves to {site, page}; `site.close()` ends both.
 */
export async function openDemoPage() {
  const site = await openDemoSite();
  const page = await site.browser.page();
  await page.goto(site.url);
  await page.waitForFunction(() => document.body.dataset.clip === 'ready');
  return { site, page };
}
