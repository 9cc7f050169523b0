// Headless Chromium for the end-to-end and packaging tests: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser), with the flags this machine's closed network needs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** A fresh headless Chromium with its own user-data-dir; `close()` removes it. */
export async function launch() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outtake-chromium-'));
  const context = await chromium.launchPersistentContext(dataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async page() {
      const page = await context.newPage();
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(e));
      page.on('console', (m) => {
        if (m.type() === 'error') page.errors.push(new Error(m.text()));
      });
      return page;
    },
    async close() {
      await context.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Where tests keep what they want a person to look at (screenshots). */
export function resultsDir() {
  const dir = path.resolve(new URL('../../test-results', import.meta.url).pathname);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
