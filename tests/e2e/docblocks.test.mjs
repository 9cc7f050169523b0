// Every @example of the package's types (js/index.d.ts, js/editor.d.ts) runs in Chromium against
// the built package, its `expression; // value` comments checked as assertions: the examples an
// IDE shows are true to the API. Media examples fetch `clip.mp4`, served from a generated
// fixture (3 s of H.264 at 30 fps with a keyframe each second, and AAC); they skip without
// ffmpeg, which makes the fixtures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { openApiPage } from '../helpers/api-page.mjs';
import { instrument, runExample } from '../helpers/examples.mjs';
import * as m from '../helpers/media.mjs';

const root = new URL('../../', import.meta.url).pathname;
let api, clip;

before(async () => {
  api = await openApiPage();
  if (m.haveFfmpeg()) clip = path.relative(m.ROOT, path.join(m.fixturesDir(), 'bframes.mp4'));
});
after(() => api?.close());

/** [{name, code}] of every @example in a .d.ts: exports and class members. */
function examples(rel) {
  const sf = ts.createSourceFile(
    rel,
    fs.readFileSync(path.join(root, rel), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const out = [];
  const take = (node, name) => {
    for (const doc of node.jsDoc ?? []) {
      for (const tag of doc.tags ?? []) {
        if (tag.tagName.text !== 'example') continue;
        const text = ts.getTextOfJSDocComment(tag.comment) ?? '';
        const code = /```js\n([\s\S]*?)```/.exec(text)?.[1] ?? text;
        out.push({ name, code });
      }
    }
  };
  for (const s of sf.statements) {
    if (!s.name) continue;
    take(s, s.name.text);
    if (ts.isClassDeclaration(s))
      for (const mem of s.members)
        take(mem, `${s.name.text}.${mem.name?.getText() ?? 'constructor'}`);
  }
  return out;
}

const all = [...examples('js/index.d.ts'), ...examples('js/editor.d.ts')];

test('the types have examples to run', () => {
  assert.ok(all.length >= 55, `only ${all.length} examples`);
});

for (const { name, code } of all) {
  const media = code.includes("fetch('clip.mp4')");
  test(`@example of ${name}`, {
    skip: media && !m.haveFfmpeg() && 'ffmpeg/ffprobe not found',
  }, async () => {
    const { body, checks } = instrument(code);
    assert.ok(checks >= 1, `${name}: the example promises no value (\`expr; // value\`)`);
    const files = media ? { 'clip.mp4': { url: `/${clip}` } } : {};
    const result = await runExample(api.page, body, files);
    assert.equal(result.error, undefined, `${name}: ${result.error}\n${code}`);
    assert.equal(result.seen.length, checks, `${name}: not every checked line ran`);
    for (const { expr, got, want } of result.seen) assert.deepEqual(got, want, `${name}: ${expr}`);
  });
}
