// The engine after a trap (a bug in outtake, never the caller's fault): the call rejects with
// ERR_INTERNAL, and the trapped instance, whose Rust state may be half-updated, is never called
// again: the next call runs in a fresh instance, on the page and in the worker. `__testTrap`
// is a hidden export that marks its instance and traps; `__testTrapped` reads the mark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApiPage } from '../helpers/api-page.mjs';

let api;

before(async () => {
  api = await openApiPage();
});
after(() => api?.close());

const failure = (e) => ({
  name: e.name,
  code: e.code,
  message: e.message,
  cause: e.cause?.constructor?.name,
});

test('a trap on the page: ERR_INTERNAL, then the next call runs in a fresh instance', async () => {
  const r = await api.page.evaluate(async (failureSrc) => {
    const failure = eval(failureSrc);
    const engine = await import('/pkg/engine.js');
    const before = await engine.call('__testTrapped');
    const error = await engine.call('__testTrap').then(() => null, failure);
    const after = await engine.call('__testTrapped');
    const snapped = await window.outtake.snapTime(1, '30000/1001');
    return { before, error, after, snapped };
  }, failure.toString());
  assert.equal(r.before, false);
  assert.deepEqual(r.error, {
    name: 'OuttakeError',
    code: 'ERR_INTERNAL',
    message: r.error.message,
    cause: 'RuntimeError',
  });
  assert.match(r.error.message, /^internal error in outtake \(please report\): /);
  assert.equal(r.after, false, 'the call after a trap ran in the trapped instance');
  assert.equal(r.snapped, 1.001);
});

test('a trap in the worker: ERR_INTERNAL, the worker is ended, the next call starts a fresh one', async () => {
  const r = await api.page.evaluate(async (failureSrc) => {
    const failure = eval(failureSrc);
    const { workerCall, workerRunning } = await import('/pkg/worker-client.js');
    const before = await workerCall('__testTrapped', []);
    const error = await workerCall('__testTrap', []).then(() => null, failure);
    const runningAfterTrap = workerRunning();
    const after = await workerCall('__testTrapped', []);
    const snapped = Array.from(await window.outtake.snapTimes([0.26, 0.74], 2, 'floor'));
    return { before, error, runningAfterTrap, after, snapped };
  }, failure.toString());
  assert.equal(r.before, false);
  assert.equal(r.error.code, 'ERR_INTERNAL');
  assert.match(r.error.message, /^internal error in outtake \(please report\): /);
  assert.equal(r.runningAfterTrap, false, 'the trapped worker still runs');
  assert.equal(r.after, false, 'the call after a trap ran in the trapped instance');
  assert.deepEqual(r.snapped, [0, 0.5]);
});
