// The README's npm example runs as written, in Chromium against the built package; its
// `expression; // value` comments are checked as assertions, so the README cannot drift.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openApiPage } from '../helpers/api-page.mjs';

const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
let api;

before(async () => {
  api = await openApiPage();
});
after(() => api?.close());

/** The README's first ```js block under the heading `title`. */
function example(title) {
  const at = readme.indexOf(`## ${title}`);
  assert.ok(at >= 0, `README has no section "${title}"`);
  const m = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, `no js example under "${title}"`);
  return m[1];
}

/**
 * Turns the example into a runnable async body: the import becomes a read of the loaded module,
 * and each `expr; // LITERAL …` line also records expr's value beside the literal it promises.
 */
function instrument(code) {
  let checks = 0;
  const body = code
    .replace(/import \{([^}]*)\} from 'outtake';/, 'const {$1} = window.outtake;')
    .split('\n')
    .map((line) => {
      const m = /^(\s*)(.+?);\s*\/\/\s*(-?\d+(?:\.\d+)?|"[^"]*"|true|false)(?=$|[\s:,])/.exec(line);
      if (!m) return line;
      checks++;
      return `${m[1]}__check(${JSON.stringify(m[2])}, ${m[2]}, ${m[3]});`;
    })
    .join('\n');
  return { body, checks };
}

test('the npm example in the README runs and says what it does', async () => {
  const { body, checks } = instrument(example('Use it from npm'));
  assert.ok(checks >= 4, `only ${checks} checked lines in the example`);
  const { page } = api;
  const srt = '1\n00:00:04,500 --> 00:00:06,000\n<i>Hello</i> there\n\n2\n00:00:08,000 --> 00:00:09,000\nSecond cue\n';
  const result = await page.evaluate(async ({ body, srt }) => {
    // The example fetches clip.srt: serve it from here.
    const realFetch = window.fetch;
    window.fetch = async (u, ...rest) => (String(u).endsWith('clip.srt') ? new Response(srt) : realFetch(u, ...rest));
    const seen = [];
    window.__check = (expr, got, want) => seen.push({ expr, got: got instanceof Error ? String(got) : got, want });
    try {
      await new (Object.getPrototypeOf(async () => {}).constructor)(body)();
      return { seen };
    } catch (e) {
      return { seen, error: `${e.name} ${e.code || ''}: ${e.message}` };
    } finally {
      window.fetch = realFetch;
    }
  }, { body: body.replaceAll('__check', 'window.__check'), srt });
  assert.equal(result.error, undefined);
  assert.equal(result.seen.length, checks);
  for (const { expr, got, want } of result.seen) assert.deepEqual(got, want, expr);
});
