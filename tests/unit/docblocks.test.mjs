// scripts/check-docblocks.mjs finds what an IDE would show bare, and the package's types pass
// it; the TypeScript consumer of the packaging test uses every export of the types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { check } from '../../scripts/check-docblocks.mjs';

const root = path.resolve(new URL('../..', import.meta.url).pathname);
const read = (rel) => fs.readFileSync(path.join(root, rel), 'utf8');

test('a missing docblock, a docblock without @example and a bare class member are each named', () => {
  const dts = [
    '/** Documented.\n * @example\n * ```js\n * await a(); // 1\n * ```\n */',
    'export function a(): Promise<number>;',
    'export function bare(): void;',
    '/** Words but no example. */',
    'export type T = string;',
    '/** A class.\n * @example\n * ```js\n * new C();\n * ```\n */',
    'export class C {',
    '  /** Documented member. */',
    '  x: number;',
    '  y(): void;',
    '}',
    'function internal(): void;',
    'declare global { interface Window { z: number } }',
  ].join('\n');
  assert.deepEqual(check('t.d.ts', dts), [
    { line: 8, name: 'bare', missing: 'a docblock' },
    { line: 10, name: 'T', missing: 'an @example' },
    { line: 20, name: 'C.y', missing: 'a docblock' },
  ]);
});

test('the package types have no gaps', () => {
  for (const rel of ['js/index.d.ts', 'js/editor.d.ts'])
    assert.deepEqual(check(rel, read(rel)), [], rel);
});

/** The names a .d.ts exports (declarations with `export`). */
function exportsOf(rel) {
  const sf = ts.createSourceFile(rel, read(rel), ts.ScriptTarget.Latest, true);
  return sf.statements
    .filter((s) => s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    .map((s) => s.name.text);
}

test('the TypeScript consumer imports every export of the types', () => {
  const consumer = ts.createSourceFile(
    'consumer.ts',
    read('tests/packaging/consumer/consumer.ts'),
    ts.ScriptTarget.Latest,
    true,
  );
  const imported = new Map();
  for (const s of consumer.statements) {
    if (!ts.isImportDeclaration(s)) continue;
    const names = s.importClause?.namedBindings?.elements?.map((e) => e.name.text) ?? [];
    imported.set(s.moduleSpecifier.text, new Set(names));
  }
  for (const [rel, spec] of [
    ['js/index.d.ts', 'outtake'],
    ['js/editor.d.ts', 'outtake/editor'],
  ]) {
    const missing = exportsOf(rel).filter((n) => !imported.get(spec)?.has(n));
    assert.deepEqual(missing, [], `consumer.ts does not use these exports of ${spec}`);
  }
});
