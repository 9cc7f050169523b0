// The built package loaded with no bundler (tests/e2e/api.html serves /pkg/index.js) in a fresh
// headless Chromium: what the API tests drive. `window.outtake` is the module.
import path from 'node:path';
import { serve } from '../../scripts/static-server.mjs';
import { launch } from './browser.mjs';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const sharedMedia = path.resolve(root, '../shared/media');

/**
 * Serves the repository, opens the API page; resolves to {page, url, urlOf(file), close()}.
 * `urlOf` is the URL the page fetches for a file of the repository or of ../shared/media: the
 * shared files live outside the served tree, so the page gets them through a route.
 */
export async function openApiPage() {
  const { server, url } = await serve(root);
  const browser = await launch();
  const page = await browser.page();
  await page.route(`${url}shared-media/**`, (route) => {
    const rel = decodeURIComponent(
      new URL(route.request().url()).pathname.slice('/shared-media/'.length),
    );
    route.fulfill({ path: path.join(sharedMedia, rel) });
  });
  await page.goto(`${url}tests/e2e/api.html`);
  await page.waitForFunction(() => window.outtakeReady === true);
  return {
    page,
    url,
    urlOf(file) {
      if (file.startsWith(root + path.sep)) return url + path.relative(root, file);
      return `${url}shared-media/${path.relative(sharedMedia, file)}`;
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}
