// The READMEs' examples run as written, in Chromium against the built package: the development
// README's npm example and the package README's (pkg/README.md, from js/README.md). Their
// `expression; // value` comments are checked as assertions, so the READMEs cannot drift.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openApiPage } from '../helpers/api-page.mjs';
import { instrument, runExample } from '../helpers/examples.mjs';

let api;

before(async () => {
  api = await openApiPage();
});
after(() => api?.close());

/** The first ```js block under the heading `title` of the README at `rel`. */
function example(rel, title) {
  const readme = fs.readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');
  const at = readme.indexOf(`## ${title}`);
  assert.ok(at >= 0, `${rel} has no section "${title}"`);
  const m = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, `no js example under "${title}" in ${rel}`);
  return m[1];
}

const SRT =
  '1\n00:00:04,500 --> 00:00:06,000\n<i>Hello</i> there\n\n2\n00:00:08,000 --> 00:00:09,000\nSecond cue\n';

for (const [rel, title, minChecks] of [
  ['README.md', 'Use it from npm', 4],
  ['js/README.md', 'Use it', 4],
]) {
  test(`the example of ${rel} "${title}" runs and says what it does`, async () => {
    const { body, checks } = instrument(example(rel, title));
    assert.ok(checks >= minChecks, `only ${checks} checked lines in the example`);
    // The development README's example fetches clip.srt: serve it from here.
    const result = await runExample(api.page, body, { 'clip.srt': { text: SRT } });
    assert.equal(result.error, undefined);
    assert.equal(result.seen.length, checks);
    for (const { expr, got, want } of result.seen) assert.deepEqual(got, want, expr);
  });
}
