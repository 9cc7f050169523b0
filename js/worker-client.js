// Starts the engine's module worker on demand and ends it when it has been idle for a while, so a
// page that calls outtake once pays nothing afterwards. Aborting a call ends the worker at once:
// that is the only way to stop wasm mid-computation, and it frees everything the call held.

import { OuttakeError } from './errors.js';

const IDLE_MS = 10_000;

let worker = null;
let idleTimer = null;
let nextId = 1;
const pending = new Map();

function start() {
  // NOTE: this exact `new Worker(new URL(..., import.meta.url), {type: 'module'})` shape is what
  // webpack 5 and Vite recognise to bundle the worker; keep it literal.
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'outtake' });
  worker.onmessage = ({ data }) => {
    const job = pending.get(data.id);
    if (!job) return;
    if (data.progress !== undefined) {
      if (job.onProgress) job.onProgress(data.progress);
      return;
    }
    pending.delete(data.id);
    job.cleanup();
    if (data.error) job.reject(new OuttakeError(data.error.code, data.error.message));
    else job.resolve(data.result);
    if (data.trapped) {
      fail(
        new OuttakeError(
          'ERR_INTERNAL',
          `another call hit an internal error in outtake (please report): ${data.error.message}`,
        ),
      );
    } else {
      scheduleIdle();
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(
      new OuttakeError(
        'ERR_WORKER',
        `the outtake worker failed: ${event.message || 'could not start'}`,
      ),
    );
  };
  return worker;
}

/** Ends the worker, rejecting whatever was still running with `reason`. */
function fail(reason) {
  const jobs = [...pending.values()];
  pending.clear();
  terminate();
  for (const job of jobs) {
    job.cleanup();
    job.reject(reason);
  }
}

function terminate() {
  clearTimeout(idleTimer);
  idleTimer = null;
  if (worker) worker.terminate();
  worker = null;
}

function scheduleIdle() {
  clearTimeout(idleTimer);
  if (pending.size === 0) idleTimer = setTimeout(terminate, IDLE_MS);
}

/**
 * Runs engine function `method` in the worker. `signal` aborts it (the worker is ended and a
 * fresh one serves the next call); `transfer` lists ArrayBuffers to move instead of copy;
 * `onProgress` gets the call's progress messages.
 */
export function workerCall(method, args, { signal, transfer = [], onProgress } = {}) {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const onAbort = () => fail(signal.reason);
    const cleanup = () => signal?.removeEventListener('abort', onAbort);
    pending.set(id, { resolve, reject, cleanup, onProgress });
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    clearTimeout(idleTimer);
    try {
      (worker || start()).postMessage(
        { id, method, args, progress: typeof onProgress === 'function' },
        transfer,
      );
    } catch (e) {
      // A Symbol, a function or another uncloneable value among the arguments.
      pending.delete(id);
      cleanup();
      reject(
        new OuttakeError(
          'ERR_INVALID_ARGUMENT',
          `${method}: arguments cannot be sent to the worker: ${e.message}`,
        ),
      );
      scheduleIdle();
    }
  });
}

/** Whether the worker is running now (for tests and diagnostics). */
export function workerRunning() {
  return worker !== null;
}

/** Ends the worker now (it also ends itself after 10 s idle). */
export function stopWorker() {
  fail(new OuttakeError('ERR_ABORTED', 'the outtake worker was stopped'));
}
