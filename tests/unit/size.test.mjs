// The build's size report and budget (scripts/size.mjs), on a made-up package so that no build
// is needed: within budget it reports and passes; over budget the build fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageSize } from '../../scripts/size.mjs';

const script = new URL('../../scripts/size.mjs', import.meta.url).pathname;

/** A package dir holding `wasmBytes` random (incompressible) bytes of .wasm and a small shell. */
function fakePackage(wasmBytes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outtake-size-'));
  fs.mkdirSync(path.join(dir, 'wasm'));
  fs.writeFileSync(path.join(dir, 'wasm/outtake_bg.wasm'), crypto.randomBytes(wasmBytes));
  fs.writeFileSync(path.join(dir, 'wasm/outtake.js'), 'export default 1;\n'.repeat(100));
  fs.writeFileSync(path.join(dir, 'index.js'), 'export const a = 1;\n');
  fs.writeFileSync(path.join(dir, 'index.d.ts'), 'x'.repeat(50_000)); // types are not downloaded
  return dir;
}

const run = (...args) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

test('sizes count the .wasm and every JS file, raw and gzipped, but not the types', () => {
  const dir = fakePackage(20_000);
  const { wasm, js, total } = packageSize(dir);
  assert.equal(wasm.raw, 20_000);
  assert.ok(wasm.zipped > 20_000, 'random bytes do not compress');
  assert.equal(js.raw, 1800 + 20);
  assert.ok(js.zipped < js.raw);
  assert.deepEqual(total, { raw: wasm.raw + js.raw, zipped: wasm.zipped + js.zipped });
  fs.rmSync(dir, { recursive: true });
});

test('within the budget: one report line, exit 0', () => {
  const dir = fakePackage(20_000);
  const r = run(dir, '--budget', '100000');
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^size: \.wasm 20\.0 kB \(\d+\.\d kB gzipped\), JS shell .* of a 100\.0 kB budget\n$/,
  );
  fs.rmSync(dir, { recursive: true });
});

test('over the budget: the build fails, saying by how much', () => {
  const dir = fakePackage(20_000);
  const r = run(dir, '--budget', '10000');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /OVER BUDGET/);
  assert.match(r.stderr, /is \d+\.\d kB over its gzipped budget/);
  fs.rmSync(dir, { recursive: true });
});
