// The built package loaded with no bundler (tests/e2e/api.html serves /pkg/index.js) in a fresh
// headless Chromium: what the API tests drive. `window.outtake` is the module.
import { serve } from '../../scripts/static-server.mjs';
import { launch } from './browser.mjs';

const root = new URL('../../', import.meta.url).pathname;

/** Serves the repository, opens the API page; resolves to {page, url, close()}. */
export async function openApiPage() {
  const { server, url } = await serve(root);
  const browser = await launch();
  const page = await browser.page();
  await page.goto(`${url}tests/e2e/api.html`);
  await page.waitForFunction(() => window.outtakeReady === true);
  return {
    page,
    url,
    async close() {
      await browser.close();
      server.close();
    },
  };
}
