// The module worker that runs heavy engine calls off the page's thread. Messages in:
// {id, method, args}; out: {id, result} or {id, error: {code, message}, trapped} or {id, progress}.

import { call } from './engine.js';
import { toOuttakeError } from './errors.js';

self.onmessage = async (event) => {
  const { id, method, args, progress } = event.data;
  // Functions cannot cross to the worker: a call that wants progress gets an `onProgress` in its
  // options object (its last argument) that posts {id, progress} back.
  if (
    progress &&
    args.length &&
    args[args.length - 1] &&
    typeof args[args.length - 1] === 'object'
  ) {
    args[args.length - 1].onProgress = (fraction) => self.postMessage({ id, progress: fraction });
  }
  try {
    const result = await call(method, ...args);
    // Typed arrays and ImageBitmaps (thumbnails) are moved to the page, not copied.
    const transfer =
      result && result.buffer instanceof ArrayBuffer
        ? [result.buffer]
        : Array.isArray(result)
          ? result.filter((x) => x instanceof ImageBitmap)
          : [];
    self.postMessage({ id, result }, transfer);
  } catch (e) {
    const err = toOuttakeError(e);
    // A trap: other calls running here share the poisoned memory, so the client ends the worker.
    const trapped = (e?.cause ?? e) instanceof WebAssembly.RuntimeError;
    self.postMessage({
      id,
      error: { code: err.code, message: err.message, name: err.name },
      trapped,
    });
  }
};
