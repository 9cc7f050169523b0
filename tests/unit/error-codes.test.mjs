// The error codes agree everywhere they are listed: the codes the Rust source and the JS shell
// can raise, the `OuttakeErrorCode` union of js/index.d.ts, and the error tables of README.md
// (every code, the CLI's too) and js/README.md (the package's: what JS can see).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const read = (rel) => fs.readFileSync(path.join(root, rel), 'utf8');

function files(dir, ext) {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true })
    .filter((f) => f.endsWith(ext))
    .map((f) => path.join(dir, f));
}

const codesIn = (text, quote) =>
  new Set([...text.matchAll(new RegExp(`${quote}(ERR_[A-Z0-9_]+)${quote}`, 'g'))].map((m) => m[1]));
const union = (...sets) => new Set(sets.flatMap((s) => [...s]));
const sorted = (set) => [...set].sort();

/** Codes in the Rust source: those only the CLI raises (src/cli/) and the rest. */
function rustCodes() {
  const cli = new Set();
  const lib = new Set();
  for (const f of files('src', '.rs')) {
    for (const c of codesIn(read(f), '"'))
      (f.startsWith(`src${path.sep}cli${path.sep}`) ? cli : lib).add(c);
  }
  return { cli, lib };
}

/** Codes the JS shell raises itself (`new OuttakeError('ERR_…', …)`). */
const jsCodes = () => union(...files('js', '.js').map((f) => codesIn(read(f), "'")));

/** The string literals of `export type OuttakeErrorCode = …` in js/index.d.ts. */
function dtsUnion() {
  const sf = ts.createSourceFile('index.d.ts', read('js/index.d.ts'), ts.ScriptTarget.Latest, true);
  const alias = sf.statements.find(
    (s) => ts.isTypeAliasDeclaration(s) && s.name.text === 'OuttakeErrorCode',
  );
  assert.ok(alias, 'js/index.d.ts has no OuttakeErrorCode type');
  assert.ok(ts.isUnionTypeNode(alias.type), 'OuttakeErrorCode is not a union');
  return new Set(alias.type.types.map((t) => t.literal.text));
}

/** The codes in the first column of the table under `## Errors` of a README. */
function tableCodes(rel) {
  const text = read(rel);
  const at = text.indexOf('\n## Errors');
  assert.ok(at >= 0, `${rel} has no "## Errors" section`);
  const section = text.slice(at + 1).split(/\n## /)[0];
  const rows = section.split('\n').filter((l) => l.startsWith('| `ERR_'));
  return union(...rows.map((r) => codesIn(r.split('|')[1], '`')));
}

test('the .d.ts union is every code the Rust library and the JS shell raise', () => {
  const { lib } = rustCodes();
  assert.deepEqual(sorted(dtsUnion()), sorted(union(lib, jsCodes())));
});

test("README.md's error table lists every code, the CLI's included", () => {
  const { cli, lib } = rustCodes();
  assert.deepEqual(sorted(tableCodes('README.md')), sorted(union(cli, lib, jsCodes())));
});

test("the package README's error table lists what JS can see: the .d.ts union", () => {
  assert.deepEqual(sorted(tableCodes('js/README.md')), sorted(dtsUnion()));
});

test('the codes are found at all (the greps work)', () => {
  const { cli, lib } = rustCodes();
  assert.ok(lib.has('ERR_WEBVTT_TIMESTAMP') && lib.has('ERR_MP4_CORRUPT'), sorted(lib).join());
  assert.ok(cli.has('ERR_USAGE'), sorted(cli).join());
  assert.ok(jsCodes().has('ERR_ABORTED') && jsCodes().has('ERR_FETCH'));
});
